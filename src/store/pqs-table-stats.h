/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PQS_TYPE_TABLE_STATS (pqs_table_stats_get_type ())
G_DECLARE_FINAL_TYPE (PqsTableStats, pqs_table_stats, PQS, TABLE_STATS, GObject)

const char *pqs_table_stats_get_name         (PqsTableStats *self);
const char *pqs_table_stats_get_kind         (PqsTableStats *self);
gint64      pqs_table_stats_get_row_count    (PqsTableStats *self);
guint       pqs_table_stats_get_index_count  (PqsTableStats *self);
JsonNode   *pqs_table_stats_to_json          (PqsTableStats *self);

G_END_DECLS
