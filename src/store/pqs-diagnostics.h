/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pqs-diagnostics-report.h"
#include "pqs-health-report.h"
#include "pqs-maintenance-report.h"
#include "pqs-slow-query.h"
#include "pqs-store.h"
#include "pqs-table-stats.h"

G_BEGIN_DECLS

#define PQS_DIAGNOSTICS_ERROR (pqs_diagnostics_error_quark ())

typedef enum
{
  PQS_DIAGNOSTICS_ERROR_FAILED,
  PQS_DIAGNOSTICS_ERROR_BUSY,
} PqsDiagnosticsError;

/* The service. ----------------------------------------------------------- */

#define PQS_TYPE_DIAGNOSTICS (pqs_diagnostics_get_type ())
G_DECLARE_FINAL_TYPE (PqsDiagnostics, pqs_diagnostics, PQS, DIAGNOSTICS, GObject)

#define PQS_DIAGNOSTICS_DEFAULT_SLOW_QUERY_THRESHOLD_MS 50
#define PQS_DIAGNOSTICS_DEFAULT_SLOW_QUERY_CAPACITY     100

GQuark                pqs_diagnostics_error_quark        (void);

PqsDiagnostics       *pqs_diagnostics_new                (PqsStore        *store);
PqsStore             *pqs_diagnostics_get_store          (PqsDiagnostics  *self);
PqsDiagnosticsReport *pqs_diagnostics_get_last_report    (PqsDiagnostics  *self);
gboolean              pqs_diagnostics_get_busy           (PqsDiagnostics  *self);

PqsHealthReport      *pqs_diagnostics_get_health         (PqsDiagnostics  *self,
                                                          GError         **error);

PqsDiagnosticsReport *pqs_diagnostics_check              (PqsDiagnostics  *self,
                                                          PqsCheckLevel    level,
                                                          GCancellable    *cancellable,
                                                          GError         **error);
void                  pqs_diagnostics_check_async        (PqsDiagnostics      *self,
                                                          PqsCheckLevel        level,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
PqsDiagnosticsReport *pqs_diagnostics_check_finish       (PqsDiagnostics  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);

PqsMaintenanceReport *pqs_diagnostics_checkpoint         (PqsDiagnostics  *self,
                                                          GError         **error);
void                  pqs_diagnostics_checkpoint_async   (PqsDiagnostics      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
PqsMaintenanceReport *pqs_diagnostics_checkpoint_finish  (PqsDiagnostics  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);

PqsMaintenanceReport *pqs_diagnostics_optimize           (PqsDiagnostics  *self,
                                                          GCancellable    *cancellable,
                                                          GError         **error);
void                  pqs_diagnostics_optimize_async     (PqsDiagnostics      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
PqsMaintenanceReport *pqs_diagnostics_optimize_finish    (PqsDiagnostics  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);

gboolean              pqs_diagnostics_check_fts          (PqsDiagnostics  *self,
                                                          char          ***out_problems,
                                                          GError         **error);
PqsMaintenanceReport *pqs_diagnostics_rebuild_fts        (PqsDiagnostics  *self,
                                                          GCancellable    *cancellable,
                                                          GError         **error);
void                  pqs_diagnostics_rebuild_fts_async  (PqsDiagnostics      *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
PqsMaintenanceReport *pqs_diagnostics_rebuild_fts_finish (PqsDiagnostics  *self,
                                                          GAsyncResult    *result,
                                                          GError         **error);
PqsMaintenanceReport *pqs_diagnostics_optimize_fts       (PqsDiagnostics  *self,
                                                          GCancellable    *cancellable,
                                                          GError         **error);

/* Slow-query log */
void                  pqs_diagnostics_install_slow_query_log (PqsDiagnostics *self,
                                                              PqsStore       *store);
void                  pqs_diagnostics_remove_slow_query_log  (PqsDiagnostics *self);
guint                 pqs_diagnostics_get_slow_query_threshold (PqsDiagnostics *self);
void                  pqs_diagnostics_set_slow_query_threshold (PqsDiagnostics *self,
                                                                guint           msec);
guint                 pqs_diagnostics_get_slow_query_capacity  (PqsDiagnostics *self);
void                  pqs_diagnostics_set_slow_query_capacity  (PqsDiagnostics *self,
                                                                guint           capacity);
guint                 pqs_diagnostics_get_n_slow_queries       (PqsDiagnostics *self);
GListModel           *pqs_diagnostics_dup_slow_queries         (PqsDiagnostics *self);
void                  pqs_diagnostics_clear_slow_queries       (PqsDiagnostics *self);
JsonNode             *pqs_diagnostics_slow_queries_to_json     (PqsDiagnostics *self);

G_END_DECLS
