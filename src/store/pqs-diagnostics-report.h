/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pqs-health-report.h"

G_BEGIN_DECLS

/**
 * PqsCheckLevel:
 * @PQS_CHECK_QUICK: `PRAGMA quick_check`: the b-trees' structure, O(N)
 * @PQS_CHECK_FULL: `PRAGMA integrity_check`: also every index against its table
 *
 * How deep pqs_diagnostics_check() looks at the file.
 */
typedef enum
{
  PQS_CHECK_QUICK,
  PQS_CHECK_FULL,
} PqsCheckLevel;

#define PQS_TYPE_DIAGNOSTICS_REPORT (pqs_diagnostics_report_get_type ())
G_DECLARE_FINAL_TYPE (PqsDiagnosticsReport, pqs_diagnostics_report, PQS, DIAGNOSTICS_REPORT,
                      GObject)

PqsDiagnosticsReport *pqs_diagnostics_report_new_for_error (const char   *path,
                                                            const GError *error);

gboolean            pqs_diagnostics_report_get_ok                 (PqsDiagnosticsReport *self);
const char * const *pqs_diagnostics_report_get_problems           (PqsDiagnosticsReport *self);
PqsCheckLevel       pqs_diagnostics_report_get_level              (PqsDiagnosticsReport *self);
PqsHealthReport    *pqs_diagnostics_report_get_health             (PqsDiagnosticsReport *self);
gboolean            pqs_diagnostics_report_get_integrity_ok       (PqsDiagnosticsReport *self);
const char * const *pqs_diagnostics_report_get_integrity_messages (PqsDiagnosticsReport *self);
guint               pqs_diagnostics_report_get_foreign_key_violations
                                                                  (PqsDiagnosticsReport *self);
gboolean            pqs_diagnostics_report_get_fts_ok             (PqsDiagnosticsReport *self);
gboolean            pqs_diagnostics_report_get_migrations_ok      (PqsDiagnosticsReport *self);
GListModel         *pqs_diagnostics_report_get_tables             (PqsDiagnosticsReport *self);
gint64              pqs_diagnostics_report_get_duration           (PqsDiagnosticsReport *self);
void                pqs_diagnostics_report_add_problem            (PqsDiagnosticsReport *self,
                                                                   const char           *problem);
JsonNode           *pqs_diagnostics_report_to_json                (PqsDiagnosticsReport *self);

G_END_DECLS
