/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PQS_TYPE_MAINTENANCE_REPORT (pqs_maintenance_report_get_type ())
G_DECLARE_FINAL_TYPE (PqsMaintenanceReport, pqs_maintenance_report, PQS, MAINTENANCE_REPORT,
                      GObject)

const char *pqs_maintenance_report_get_operation          (PqsMaintenanceReport *self);
gboolean    pqs_maintenance_report_get_ok                 (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_size_before        (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_size_after         (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_bytes_saved        (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_wal_frames         (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_checkpointed_frames (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_wal_size_after     (PqsMaintenanceReport *self);
gint64      pqs_maintenance_report_get_duration           (PqsMaintenanceReport *self);
JsonNode   *pqs_maintenance_report_to_json                (PqsMaintenanceReport *self);

G_END_DECLS
