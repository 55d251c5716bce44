/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-diagnostics-private.h"

/* Statements with long bound values are cut to this many bytes. */
#define MAX_SLOW_QUERY_SQL 4096

G_DEFINE_QUARK (pqs-diagnostics-error-quark, pqs_diagnostics_error)

struct _PqsDiagnostics
{
  GObject               parent_instance;

  PqsStore             *store;
  PqsDiagnosticsReport *last_report;
  guint                 n_running;
  GMainContext         *context;

  /* The slow-query log; the trace callback runs in whichever thread uses
   * the traced connection. */
  GMutex                slow_lock;
  GQueue                slow_queries;        /* PqsSlowQuery, oldest first */
  guint                 slow_capacity;
  gint                  slow_threshold_ms;   /* atomic */
  gint                  notify_pending;      /* atomic */
  PqsStore             *traced;              /* weak pointer */
  sqlite3              *traced_db;
};

G_DEFINE_FINAL_TYPE (PqsDiagnostics, pqs_diagnostics, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LAST_REPORT,
  PROP_BUSY,
  PROP_SLOW_QUERY_THRESHOLD,
  PROP_SLOW_QUERY_CAPACITY,
  PROP_N_SLOW_QUERIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  JOB_CHECK,
  JOB_CHECKPOINT,
  JOB_OPTIMIZE,
  JOB_REBUILD_FTS,
} JobKind;

typedef struct
{
  JobKind       kind;
  PqsCheckLevel level;
} Job;

/**
 * pqs_diagnostics_new:
 * @store: the database to look after
 *
 * Returns: (transfer full): a new #PqsDiagnostics
 */
PqsDiagnostics *
pqs_diagnostics_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_DIAGNOSTICS, "store", store, NULL);
}

/**
 * pqs_diagnostics_get_store:
 * @self: a #PqsDiagnostics
 *
 * Returns: (transfer none): the store
 */
PqsStore *
pqs_diagnostics_get_store (PqsDiagnostics *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  return self->store;
}

/**
 * pqs_diagnostics_get_last_report:
 * @self: a #PqsDiagnostics
 *
 * Returns: (transfer none) (nullable): the report of the last check that finished
 */
PqsDiagnosticsReport *
pqs_diagnostics_get_last_report (PqsDiagnostics *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  return self->last_report;
}

/**
 * pqs_diagnostics_get_busy:
 * @self: a #PqsDiagnostics
 *
 * Returns: %TRUE while an asynchronous check or maintenance runs
 */
gboolean
pqs_diagnostics_get_busy (PqsDiagnostics *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), FALSE);
  return self->n_running > 0;
}

static void
set_last_report (PqsDiagnostics       *self,
                 PqsDiagnosticsReport *report)
{
  if (g_set_object (&self->last_report, report))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REPORT]);
}

/**
 * pqs_diagnostics_get_health:
 * @self: a #PqsDiagnostics
 * @error: return location for a #GError
 *
 * Reads the health values on the store's own connection: a handful of
 * pragmas, no scan of the file, fast enough for the main thread.
 *
 * Returns: (transfer full): the values, or %NULL with @error set
 */
PqsHealthReport *
pqs_diagnostics_get_health (PqsDiagnostics  *self,
                            GError         **error)
{
  g_autoptr(PqsDiagnosticsReport) scratch = NULL;
  g_autoptr(PqsHealthReport) health = NULL;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pqs_store_is_open (self->store))
    {
      g_set_error_literal (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CLOSED,
                           _("The database is closed."));
      return NULL;
    }

  scratch = g_object_new (PQS_TYPE_DIAGNOSTICS_REPORT, NULL);
  health = g_object_new (PQS_TYPE_HEALTH_REPORT, NULL);
  pqs_diagnostics_read_health (self->store, health, scratch);
  if (scratch->problems->len > 0)
    {
      g_set_error_literal (error, PQS_DIAGNOSTICS_ERROR, PQS_DIAGNOSTICS_ERROR_FAILED,
                           g_ptr_array_index (scratch->problems, 0));
      return NULL;
    }

  return g_steal_pointer (&health);
}

/**
 * pqs_diagnostics_check:
 * @self: a #PqsDiagnostics
 * @level: quick_check or integrity_check
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks the database on the store's own connection, blocking (for the
 * command line; the application uses pqs_diagnostics_check_async()): health,
 * the file's integrity, foreign keys, the full-text indexes against their
 * documents, the migrations, and counts rows and indexes of every table.
 *
 * Damage is never an error: it is what the report's problems list. The full
 * text check needs the write lock for a moment (SQLite runs it as an INSERT).
 *
 * Returns: (transfer full): the report, or %NULL with @error set when the
 *   check could not run (closed store, cancelled)
 */
PqsDiagnosticsReport *
pqs_diagnostics_check (PqsDiagnostics  *self,
                       PqsCheckLevel    level,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(PqsDiagnosticsReport) report = NULL;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  report = pqs_diagnostics_run_check (self->store, level, cancellable, error);
  if (report != NULL)
    set_last_report (self, report);

  return g_steal_pointer (&report);
}

/**
 * pqs_diagnostics_checkpoint:
 * @self: a #PqsDiagnostics
 * @error: return location for a #GError
 *
 * Folds the write-ahead log into the database and truncates it
 * (`wal_checkpoint(TRUNCATE)`). Fails with %PQS_DIAGNOSTICS_ERROR_BUSY when
 * another connection's reading or writing keeps part of the log alive.
 *
 * Returns: (transfer full): the frames in the log and the frames folded in
 */
PqsMaintenanceReport *
pqs_diagnostics_checkpoint (PqsDiagnostics  *self,
                            GError         **error)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return pqs_diagnostics_run_checkpoint (self->store, error);
}

/**
 * pqs_diagnostics_optimize:
 * @self: a #PqsDiagnostics
 * @cancellable: (nullable): a #GCancellable; cancelling rolls VACUUM back
 * @error: return location for a #GError
 *
 * Runs `PRAGMA optimize`, `ANALYZE` and `VACUUM`, then a checkpoint so that
 * the file shrinks. VACUUM needs as much free disk space as the database.
 *
 * Returns: (transfer full): sizes before and after, or %NULL with @error set
 */
PqsMaintenanceReport *
pqs_diagnostics_optimize (PqsDiagnostics  *self,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return pqs_diagnostics_run_optimize (self->store, cancellable, error);
}

/**
 * pqs_diagnostics_check_fts:
 * @self: a #PqsDiagnostics
 * @out_problems: (out) (optional) (array zero-terminated=1) (transfer full):
 *   one sentence per index that does not match its documents
 * @error: return location for a #GError
 *
 * Runs only the full-text indexes' own integrity check.
 *
 * Returns: %TRUE when every index matches its content; %FALSE with @error
 *   set only when the check could not run
 */
gboolean
pqs_diagnostics_check_fts (PqsDiagnostics   *self,
                           char           ***out_problems,
                           GError          **error)
{
  g_autoptr(PqsDiagnosticsReport) report = NULL;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!pqs_diagnostics_ensure_autocommit (self->store, error))
    return FALSE;

  report = g_object_new (PQS_TYPE_DIAGNOSTICS_REPORT, NULL);
  if (!pqs_diagnostics_run_fts_check (self->store, report, NULL, error))
    return FALSE;

  if (out_problems != NULL)
    *out_problems = g_strdupv ((char **) report->problems->pdata);

  return report->fts_ok;
}

/**
 * pqs_diagnostics_rebuild_fts:
 * @self: a #PqsDiagnostics
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Rebuilds every full-text index from its content table, in one transaction.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PqsMaintenanceReport *
pqs_diagnostics_rebuild_fts (PqsDiagnostics  *self,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return pqs_diagnostics_run_fts_command (self->store, "rebuild", cancellable, error);
}

/**
 * pqs_diagnostics_optimize_fts:
 * @self: a #PqsDiagnostics
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Merges the segments of every full-text index into one (FTS5 `optimize`).
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PqsMaintenanceReport *
pqs_diagnostics_optimize_fts (PqsDiagnostics  *self,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return pqs_diagnostics_run_fts_command (self->store, "optimize", cancellable, error);
}

/* Asynchronous work ----------------------------------------------------------- */

static gpointer
job_thread_func (PqsStore      *worker,
                 gpointer       user_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Job *job = user_data;

  switch (job->kind)
    {
    case JOB_CHECK:
      return pqs_diagnostics_run_check (worker, job->level, cancellable, error);
    case JOB_CHECKPOINT:
      return pqs_diagnostics_run_checkpoint (worker, error);
    case JOB_OPTIMIZE:
      return pqs_diagnostics_run_optimize (worker, cancellable, error);
    case JOB_REBUILD_FTS:
      return pqs_diagnostics_run_fts_command (worker, "rebuild", cancellable, error);
    default:
      g_assert_not_reached ();
    }
}

static void
set_running (PqsDiagnostics *self,
             gboolean        running)
{
  gboolean was_busy = self->n_running > 0;

  if (running)
    self->n_running++;
  else
    self->n_running--;

  if (was_busy != (self->n_running > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PqsDiagnostics *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;

  object = pqs_store_run_in_thread_finish (PQS_STORE (source), result, &error);
  set_running (self, FALSE);

  /* A file too damaged for the worker to open is a finding, not a failure. */
  if (object == NULL && job->kind == JOB_CHECK &&
      (g_error_matches (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT) ||
       g_error_matches (error, PQS_STORE_ERROR, PQS_STORE_ERROR_NOT_A_DATABASE)))
    {
      object = G_OBJECT (pqs_diagnostics_report_new_for_error (pqs_store_get_path (self->store),
                                                               error));
      g_clear_error (&error);
    }

  if (object == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->kind == JOB_CHECK)
    set_last_report (self, PQS_DIAGNOSTICS_REPORT (object));

  g_task_return_pointer (task, g_steal_pointer (&object), g_object_unref);
}

static void
start_job (PqsDiagnostics      *self,
           JobKind              kind,
           PqsCheckLevel        level,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->level = level;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, g_free);

  set_running (self, TRUE);
  /* The store's worker connection runs one job at a time, so a VACUUM never
   * meets a backup or a migration on the same connection. */
  pqs_store_run_in_thread (self->store, job_thread_func, job, NULL, cancellable,
                           job_done_cb, g_steal_pointer (&task));
}

static gpointer
finish_job (PqsDiagnostics  *self,
            GAsyncResult    *result,
            gpointer         source_tag,
            GError         **error)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pqs_diagnostics_check_async:
 * @self: a #PqsDiagnostics
 * @level: quick_check or integrity_check
 * @cancellable: (nullable): a #GCancellable; cancelling interrupts the check
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * Like pqs_diagnostics_check(), in a thread on the store's worker connection.
 * When done, #PqsDiagnostics:last-report changes before @callback is called.
 */
void
pqs_diagnostics_check_async (PqsDiagnostics      *self,
                             PqsCheckLevel        level,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));

  start_job (self, JOB_CHECK, level, pqs_diagnostics_check_async, cancellable, callback,
             user_data);
}

/**
 * pqs_diagnostics_check_finish:
 * @self: a #PqsDiagnostics
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
PqsDiagnosticsReport *
pqs_diagnostics_check_finish (PqsDiagnostics  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  return finish_job (self, result, pqs_diagnostics_check_async, error);
}

/**
 * pqs_diagnostics_checkpoint_async:
 * @self: a #PqsDiagnostics
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * Like pqs_diagnostics_checkpoint(), in a thread.
 */
void
pqs_diagnostics_checkpoint_async (PqsDiagnostics      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));

  start_job (self, JOB_CHECKPOINT, PQS_CHECK_FULL, pqs_diagnostics_checkpoint_async,
             cancellable, callback, user_data);
}

/**
 * pqs_diagnostics_checkpoint_finish:
 * @self: a #PqsDiagnostics
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PqsMaintenanceReport *
pqs_diagnostics_checkpoint_finish (PqsDiagnostics  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return finish_job (self, result, pqs_diagnostics_checkpoint_async, error);
}

/**
 * pqs_diagnostics_optimize_async:
 * @self: a #PqsDiagnostics
 * @cancellable: (nullable): a #GCancellable; cancelling rolls VACUUM back
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * Like pqs_diagnostics_optimize(), in a thread.
 */
void
pqs_diagnostics_optimize_async (PqsDiagnostics      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));

  start_job (self, JOB_OPTIMIZE, PQS_CHECK_FULL, pqs_diagnostics_optimize_async,
             cancellable, callback, user_data);
}

/**
 * pqs_diagnostics_optimize_finish:
 * @self: a #PqsDiagnostics
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PqsMaintenanceReport *
pqs_diagnostics_optimize_finish (PqsDiagnostics  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  return finish_job (self, result, pqs_diagnostics_optimize_async, error);
}

/**
 * pqs_diagnostics_rebuild_fts_async:
 * @self: a #PqsDiagnostics
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context when done
 * @user_data: data for @callback
 *
 * Like pqs_diagnostics_rebuild_fts(), in a thread.
 */
void
pqs_diagnostics_rebuild_fts_async (PqsDiagnostics      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));

  start_job (self, JOB_REBUILD_FTS, PQS_CHECK_FULL, pqs_diagnostics_rebuild_fts_async,
             cancellable, callback, user_data);
}

/**
 * pqs_diagnostics_rebuild_fts_finish:
 * @self: a #PqsDiagnostics
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PqsMaintenanceReport *
pqs_diagnostics_rebuild_fts_finish (PqsDiagnostics  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  return finish_job (self, result, pqs_diagnostics_rebuild_fts_async, error);
}

/* Slow-query log ---------------------------------------------------------------- */

static gboolean
notify_slow_queries_cb (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr(PqsDiagnostics) self = g_weak_ref_get (ref);

  if (self != NULL)
    {
      g_atomic_int_set (&self->notify_pending, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SLOW_QUERIES]);
    }

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Always from an idle: the trace callback runs inside SQLite, where a
 * handler must not run SQL on the same connection. */
static void
schedule_notify (PqsDiagnostics *self)
{
  g_autoptr(GSource) source = NULL;
  GWeakRef *ref;

  if (!g_atomic_int_compare_and_exchange (&self->notify_pending, 0, 1))
    return;

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  source = g_idle_source_new ();
  g_source_set_callback (source, notify_slow_queries_cb, ref, weak_ref_free);
  g_source_set_static_name (source, "[pqs] slow query notify");
  g_source_attach (source, self->context);
}

static void
trim_slow_queries (PqsDiagnostics *self)
{
  while (self->slow_queries.length > self->slow_capacity)
    g_object_unref (g_queue_pop_head (&self->slow_queries));
}

static int
trace_cb (unsigned int  type,
          void         *data,
          void         *p,
          void         *x)
{
  PqsDiagnostics *self = data;
  sqlite3_stmt *stmt = p;
  gint64 nanoseconds = *(sqlite3_int64 *) x;
  gint64 threshold = g_atomic_int_get (&self->slow_threshold_ms) * G_TIME_SPAN_MILLISECOND;
  PqsSlowQuery *entry;
  char *expanded;

  if (type != SQLITE_TRACE_PROFILE || nanoseconds / 1000 < threshold)
    return 0;

  entry = g_object_new (PQS_TYPE_SLOW_QUERY, NULL);
  entry->sql = g_strdup (sqlite3_sql (stmt));
  expanded = sqlite3_expanded_sql (stmt);
  if (expanded != NULL)
    {
      entry->expanded_sql = g_utf8_make_valid (expanded, MIN (strlen (expanded),
                                                              MAX_SLOW_QUERY_SQL));
      sqlite3_free (expanded);
    }
  entry->duration = nanoseconds / 1000;
  entry->time = g_date_time_new_now_utc ();

  g_mutex_lock (&self->slow_lock);
  g_queue_push_tail (&self->slow_queries, entry);
  trim_slow_queries (self);
  g_mutex_unlock (&self->slow_lock);

  schedule_notify (self);

  return 0;
}

/**
 * pqs_diagnostics_install_slow_query_log:
 * @self: a #PqsDiagnostics
 * @store: the connection to watch, usually the application's main store
 *
 * Records every statement on @store's connection that runs for at least
 * #PqsDiagnostics:slow-query-threshold milliseconds, keeping the newest
 * #PqsDiagnostics:slow-query-capacity. SQLite measures statements to the
 * millisecond. This takes over the connection's `sqlite3_trace_v2()` hook,
 * until pqs_diagnostics_remove_slow_query_log() or @self goes away; a
 * reopened store must be installed again.
 */
void
pqs_diagnostics_install_slow_query_log (PqsDiagnostics *self,
                                        PqsStore       *store)
{
  sqlite3 *db;

  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));
  g_return_if_fail (PQS_IS_STORE (store));

  pqs_diagnostics_remove_slow_query_log (self);

  db = pqs_store_get_handle (store);
  g_return_if_fail (db != NULL);

  sqlite3_trace_v2 (db, SQLITE_TRACE_PROFILE, trace_cb, self);
  self->traced = store;
  self->traced_db = db;
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &self->traced);
}

/**
 * pqs_diagnostics_remove_slow_query_log:
 * @self: a #PqsDiagnostics
 *
 * Stops recording; what was recorded stays.
 */
void
pqs_diagnostics_remove_slow_query_log (PqsDiagnostics *self)
{
  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));

  if (self->traced == NULL)
    return;

  /* The store may have been closed (and its handle freed) or reopened. */
  if (pqs_store_get_handle (self->traced) == self->traced_db)
    sqlite3_trace_v2 (self->traced_db, 0, NULL, NULL);

  g_object_remove_weak_pointer (G_OBJECT (self->traced), (gpointer *) &self->traced);
  self->traced = NULL;
  self->traced_db = NULL;
}

guint
pqs_diagnostics_get_slow_query_threshold (PqsDiagnostics *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), 0);
  return (guint) g_atomic_int_get (&self->slow_threshold_ms);
}

/**
 * pqs_diagnostics_set_slow_query_threshold:
 * @self: a #PqsDiagnostics
 * @msec: the shortest duration recorded, in milliseconds
 */
void
pqs_diagnostics_set_slow_query_threshold (PqsDiagnostics *self,
                                          guint           msec)
{
  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));
  g_return_if_fail (msec <= G_MAXINT);

  if ((guint) g_atomic_int_get (&self->slow_threshold_ms) == msec)
    return;

  g_atomic_int_set (&self->slow_threshold_ms, (gint) msec);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOW_QUERY_THRESHOLD]);
}

guint
pqs_diagnostics_get_slow_query_capacity (PqsDiagnostics *self)
{
  guint capacity;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), 0);

  g_mutex_lock (&self->slow_lock);
  capacity = self->slow_capacity;
  g_mutex_unlock (&self->slow_lock);

  return capacity;
}

/**
 * pqs_diagnostics_set_slow_query_capacity:
 * @self: a #PqsDiagnostics
 * @capacity: how many slow queries to keep (at least 1); the oldest go first
 */
void
pqs_diagnostics_set_slow_query_capacity (PqsDiagnostics *self,
                                         guint           capacity)
{
  guint old_length;
  guint new_length;

  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));
  g_return_if_fail (capacity > 0);

  g_mutex_lock (&self->slow_lock);
  if (self->slow_capacity == capacity)
    {
      g_mutex_unlock (&self->slow_lock);
      return;
    }
  old_length = self->slow_queries.length;
  self->slow_capacity = capacity;
  trim_slow_queries (self);
  new_length = self->slow_queries.length;
  g_mutex_unlock (&self->slow_lock);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOW_QUERY_CAPACITY]);
  if (old_length != new_length)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SLOW_QUERIES]);
}

guint
pqs_diagnostics_get_n_slow_queries (PqsDiagnostics *self)
{
  guint n;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), 0);

  g_mutex_lock (&self->slow_lock);
  n = self->slow_queries.length;
  g_mutex_unlock (&self->slow_lock);

  return n;
}

/**
 * pqs_diagnostics_dup_slow_queries:
 * @self: a #PqsDiagnostics
 *
 * Returns: (transfer full): a snapshot of the log, a list of #PqsSlowQuery,
 *   oldest first; #PqsDiagnostics:n-slow-queries says when to take a new one
 */
GListModel *
pqs_diagnostics_dup_slow_queries (PqsDiagnostics *self)
{
  GListStore *list;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);

  list = g_list_store_new (PQS_TYPE_SLOW_QUERY);
  g_mutex_lock (&self->slow_lock);
  for (GList *l = self->slow_queries.head; l != NULL; l = l->next)
    g_list_store_append (list, l->data);
  g_mutex_unlock (&self->slow_lock);

  return G_LIST_MODEL (list);
}

void
pqs_diagnostics_clear_slow_queries (PqsDiagnostics *self)
{
  guint old_length;

  g_return_if_fail (PQS_IS_DIAGNOSTICS (self));

  g_mutex_lock (&self->slow_lock);
  old_length = self->slow_queries.length;
  g_queue_clear_full (&self->slow_queries, g_object_unref);
  g_mutex_unlock (&self->slow_lock);

  if (old_length > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SLOW_QUERIES]);
}

/**
 * pqs_diagnostics_slow_queries_to_json:
 * @self: a #PqsDiagnostics
 *
 * Returns: (transfer full): `{ "threshold_ms", "capacity", "queries": [...] }`
 */
JsonNode *
pqs_diagnostics_slow_queries_to_json (PqsDiagnostics *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GListModel) queries = NULL;
  guint n;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS (self), NULL);

  queries = pqs_diagnostics_dup_slow_queries (self);
  n = g_list_model_get_n_items (queries);

  json_builder_begin_object (builder);
  add_int (builder, "threshold_ms", pqs_diagnostics_get_slow_query_threshold (self));
  add_int (builder, "capacity", pqs_diagnostics_get_slow_query_capacity (self));
  json_builder_set_member_name (builder, "queries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsSlowQuery) query = g_list_model_get_item (queries, i);

      json_builder_add_value (builder, pqs_slow_query_to_json (query));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* GObject ------------------------------------------------------------------------ */

static void
pqs_diagnostics_dispose (GObject *object)
{
  PqsDiagnostics *self = (PqsDiagnostics *) object;

  pqs_diagnostics_remove_slow_query_log (self);
  g_clear_object (&self->last_report);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_diagnostics_parent_class)->dispose (object);
}

static void
pqs_diagnostics_finalize (GObject *object)
{
  PqsDiagnostics *self = (PqsDiagnostics *) object;

  g_queue_clear_full (&self->slow_queries, g_object_unref);
  g_mutex_clear (&self->slow_lock);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (pqs_diagnostics_parent_class)->finalize (object);
}

static void
pqs_diagnostics_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsDiagnostics *self = PQS_DIAGNOSTICS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LAST_REPORT:
      g_value_set_object (value, self->last_report);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, pqs_diagnostics_get_busy (self));
      break;
    case PROP_SLOW_QUERY_THRESHOLD:
      g_value_set_uint (value, pqs_diagnostics_get_slow_query_threshold (self));
      break;
    case PROP_SLOW_QUERY_CAPACITY:
      g_value_set_uint (value, pqs_diagnostics_get_slow_query_capacity (self));
      break;
    case PROP_N_SLOW_QUERIES:
      g_value_set_uint (value, pqs_diagnostics_get_n_slow_queries (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_diagnostics_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PqsDiagnostics *self = PQS_DIAGNOSTICS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SLOW_QUERY_THRESHOLD:
      pqs_diagnostics_set_slow_query_threshold (self, g_value_get_uint (value));
      break;
    case PROP_SLOW_QUERY_CAPACITY:
      pqs_diagnostics_set_slow_query_capacity (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_diagnostics_class_init (PqsDiagnosticsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pqs_diagnostics_dispose;
  object_class->finalize = pqs_diagnostics_finalize;
  object_class->get_property = pqs_diagnostics_get_property;
  object_class->set_property = pqs_diagnostics_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_REPORT] =
    g_param_spec_object ("last-report", NULL, NULL, PQS_TYPE_DIAGNOSTICS_REPORT, RO_FLAGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, RO_FLAGS);
  properties[PROP_SLOW_QUERY_THRESHOLD] =
    g_param_spec_uint ("slow-query-threshold", NULL, NULL, 0, G_MAXINT,
                       PQS_DIAGNOSTICS_DEFAULT_SLOW_QUERY_THRESHOLD_MS, rw);
  properties[PROP_SLOW_QUERY_CAPACITY] =
    g_param_spec_uint ("slow-query-capacity", NULL, NULL, 1, G_MAXUINT,
                       PQS_DIAGNOSTICS_DEFAULT_SLOW_QUERY_CAPACITY, rw);
  properties[PROP_N_SLOW_QUERIES] =
    g_param_spec_uint ("n-slow-queries", NULL, NULL, 0, G_MAXUINT, 0, RO_FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_diagnostics_init (PqsDiagnostics *self)
{
  g_mutex_init (&self->slow_lock);
  g_queue_init (&self->slow_queries);
  self->slow_capacity = PQS_DIAGNOSTICS_DEFAULT_SLOW_QUERY_CAPACITY;
  self->slow_threshold_ms = PQS_DIAGNOSTICS_DEFAULT_SLOW_QUERY_THRESHOLD_MS;
  self->context = g_main_context_ref_thread_default ();
}
