/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PQS_TYPE_SLOW_QUERY (pqs_slow_query_get_type ())
G_DECLARE_FINAL_TYPE (PqsSlowQuery, pqs_slow_query, PQS, SLOW_QUERY, GObject)

const char *pqs_slow_query_get_sql           (PqsSlowQuery *self);
const char *pqs_slow_query_get_expanded_sql  (PqsSlowQuery *self);
gint64      pqs_slow_query_get_duration      (PqsSlowQuery *self);
GDateTime  *pqs_slow_query_get_time          (PqsSlowQuery *self);
JsonNode   *pqs_slow_query_to_json           (PqsSlowQuery *self);

G_END_DECLS
