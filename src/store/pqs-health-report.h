/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PQS_TYPE_HEALTH_REPORT (pqs_health_report_get_type ())
G_DECLARE_FINAL_TYPE (PqsHealthReport, pqs_health_report, PQS, HEALTH_REPORT, GObject)

const char *pqs_health_report_get_path            (PqsHealthReport *self);
gboolean    pqs_health_report_get_opened          (PqsHealthReport *self);
gint64      pqs_health_report_get_response_time   (PqsHealthReport *self);
const char *pqs_health_report_get_journal_mode    (PqsHealthReport *self);
gboolean    pqs_health_report_get_foreign_keys    (PqsHealthReport *self);
int         pqs_health_report_get_busy_timeout    (PqsHealthReport *self);
gint64      pqs_health_report_get_wal_size        (PqsHealthReport *self);
gint64      pqs_health_report_get_page_size       (PqsHealthReport *self);
gint64      pqs_health_report_get_page_count      (PqsHealthReport *self);
gint64      pqs_health_report_get_freelist_count  (PqsHealthReport *self);
gint64      pqs_health_report_get_file_size       (PqsHealthReport *self);
guint       pqs_health_report_get_schema_version  (PqsHealthReport *self);
const char *pqs_health_report_get_sqlite_version  (PqsHealthReport *self);
JsonNode   *pqs_health_report_to_json             (PqsHealthReport *self);

G_END_DECLS
