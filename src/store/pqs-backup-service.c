/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <sqlite3.h>

#include "pqs-backup-service.h"
#include "pqs-backup-service-private.h"
#include "pqs-migrator.h"
#include "pqs-paths.h"
#include "pqs-store.h"


G_DEFINE_FINAL_TYPE (PqsBackupService, pqs_backup_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BACKUP_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *type_names[] = {
  "manual", "scheduled", "pre-migration", "pre-restore", "pre-rollback",
};

/* PqsBackupInfo ------------------------------------------------------------ */

PqsBackupInfo *
pqs_backup_info_new_for_path (const char *path)
{
  PqsBackupInfo *info = g_new0 (PqsBackupInfo, 1);

  info->path = g_strdup (path);
  info->size = -1;
  info->database_size = -1;
  info->schema_version = -1;
  return info;
}

/**
 * pqs_backup_info_copy:
 * @info: a #PqsBackupInfo
 *
 * Returns: (transfer full): a deep copy of @info
 */
PqsBackupInfo *
pqs_backup_info_copy (const PqsBackupInfo *info)
{
  PqsBackupInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->path = g_strdup (info->path);
  copy->status = g_strdup (info->status);
  copy->checksum_sha256 = g_strdup (info->checksum_sha256);
  copy->created_at = g_strdup (info->created_at);
  copy->completed_at = g_strdup (info->completed_at);
  copy->created_by = g_strdup (info->created_by);
  copy->error_message = g_strdup (info->error_message);
  copy->tables = NULL;
  if (info->tables != NULL)
    {
      copy->tables = pqs_backup_table_counts_new ();
      for (guint i = 0; i < info->tables->len; i++)
        {
          const PqsBackupTableCount *count = &g_array_index (info->tables, PqsBackupTableCount, i);

          pqs_backup_table_counts_add (copy->tables, count->name, count->rows);
        }
    }

  return copy;
}

void
pqs_backup_info_free (PqsBackupInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->path);
  g_free (info->status);
  g_free (info->checksum_sha256);
  g_free (info->created_at);
  g_free (info->completed_at);
  g_free (info->created_by);
  g_free (info->error_message);
  g_clear_pointer (&info->tables, g_array_unref);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (PqsBackupInfo, pqs_backup_info, pqs_backup_info_copy, pqs_backup_info_free)

/**
 * pqs_backup_info_get_rows:
 * @info: a #PqsBackupInfo
 * @table: a table name
 *
 * Returns: the rows @table had in the backup, or -1 when unknown
 */
gint64
pqs_backup_info_get_rows (const PqsBackupInfo *info,
                          const char          *table)
{
  g_return_val_if_fail (info != NULL, -1);
  g_return_val_if_fail (table != NULL, -1);

  for (guint i = 0; info->tables != NULL && i < info->tables->len; i++)
    {
      const PqsBackupTableCount *count = &g_array_index (info->tables, PqsBackupTableCount, i);

      if (g_str_equal (count->name, table))
        return count->rows;
    }

  return -1;
}

const char *
pqs_backup_type_to_string (PqsBackupType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), "manual");

  return type_names[type];
}

gboolean
pqs_backup_type_from_string (const char    *text,
                             PqsBackupType *out_type)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (text, type_names[i]))
      {
        *out_type = (PqsBackupType) i;
        return TRUE;
      }

  return FALSE;
}

/* Progress ------------------------------------------------------------------ */

typedef struct
{
  PqsBackupProgressFunc  func;
  gpointer               data;
  char                  *stage;
  double                 fraction;
} ProgressCall;

static gboolean
progress_call_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->func (call->stage, call->fraction, call->data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer user_data)
{
  ProgressCall *call = user_data;

  g_free (call->stage);
  g_free (call);
}

static void
progress_report (PqsBackupProgress *progress,
                 const char        *stage,
                 double             fraction)
{
  ProgressCall *call;
  GSource *source;
  int percent;

  if (progress == NULL || progress->func == NULL)
    return;

  fraction = progress->base + progress->span * CLAMP (fraction, 0.0, 1.0);
  percent = (int) (fraction * 100);
  if (stage == NULL && percent == progress->last_percent)
    return;
  progress->last_percent = percent;

  if (progress->context == NULL)
    {
      progress->func (stage, fraction, progress->data);
      return;
    }

  call = g_new0 (ProgressCall, 1);
  call->func = progress->func;
  call->data = progress->data;
  call->stage = g_strdup (stage);
  call->fraction = fraction;
  /* Always through a source: g_main_context_invoke() would call @func right
   * here, in the worker thread, whenever the context happens to be free. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_call_cb, call, progress_call_free);
  g_source_set_static_name (source, "[pqs-backup] progress");
  g_source_attach (source, progress->context);
  g_source_unref (source);
}

static void
byte_progress_cb (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  if (total > 0)
    progress_report (user_data, NULL, (double) done / (double) total);
}

gboolean
pqs_backup_check_cancelled (GCancellable  *cancellable,
                            GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return TRUE;

  g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED,
                       _("The operation was cancelled; nothing was changed."));
  return FALSE;
}

void
pqs_backup_map_cancelled (GError **error)
{
  if (error != NULL && *error != NULL &&
      g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED,
                           _("The operation was cancelled; nothing was changed."));
    }
}


gboolean
pqs_backup_file_size (const char  *path,
                      gint64      *out_size,
                      GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return pqs_backup_set_io_error (error, errno, _("Cannot read “%s”"), path);
  *out_size = st.st_size;
  return TRUE;
}

typedef struct
{
  const char   *path;
  GCancellable *cancellable;
  char         *hex;
  GError       *error;
} ChecksumJob;

static gpointer
checksum_thread (gpointer data)
{
  ChecksumJob *job = data;

  pqs_backup_format_sha256_file (job->path, job->cancellable, &job->hex, &job->error);
  return NULL;
}

/* Flushes @path to disk and checksums it at once: the checksum reads the
 * pages from the cache in a second thread while fsync() writes them out. */
static gboolean
flush_and_checksum (const char    *path,
                    GCancellable  *cancellable,
                    char         **out_hex,
                    GError       **error)
{
  ChecksumJob job = { path, cancellable, NULL, NULL };
  g_autoptr(GError) flush_error = NULL;
  GThread *thread;

  thread = g_thread_try_new ("pqs-backup-sha256", checksum_thread, &job, NULL);
  if (thread == NULL)
    checksum_thread (&job);
  pqs_backup_fsync_path (path, FALSE, &flush_error);
  if (thread != NULL)
    g_thread_join (thread);

  if (flush_error != NULL || job.error != NULL)
    {
      g_free (job.hex);
      /* The first failure is the one to tell. */
      if (flush_error != NULL)
        {
          g_clear_error (&job.error);
          g_propagate_error (error, g_steal_pointer (&flush_error));
        }
      else
        g_propagate_error (error, g_steal_pointer (&job.error));
      return FALSE;
    }

  *out_hex = job.hex;
  return TRUE;
}

/* Create ------------------------------------------------------------------ */

static char *
default_path (PqsBackupService *self,
              PqsBackupType     type,
              gint              version,
              gboolean          packed,
              guint             attempt)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *suffix = attempt > 0 ? g_strdup_printf ("-%u", attempt) : g_strdup ("");
  g_autofree char *base = g_strdup_printf ("pqs-%s-%s-v%03d%s%s", stamp,
                                           pqs_backup_type_to_string (type), MAX (version, 0),
                                           suffix, packed ? PACKED_EXTENSION : PLAIN_EXTENSION);

  return g_build_filename (self->backup_dir, base, NULL);
}

/* Gives @src its final name without ever replacing a file: link() fails when
 * the name is taken, and a time-stamped name then gets a number. */
static gboolean
publish (PqsBackupService        *self,
         const PqsBackupOptions  *options,
         PqsBackupInfo           *info,
         const char              *src,
         GError                 **error)
{
  g_autofree char *folder = NULL;
  gboolean packed = info->compressed || info->encrypted;

  for (guint attempt = 0;; attempt++)
    {
      g_free (info->path);
      info->path = options->output_path != NULL
                     ? g_strdup (options->output_path)
                     : default_path (self, options->type, info->schema_version, packed, attempt);

      if (link (src, info->path) == 0)
        break;

      if (errno != EEXIST || options->output_path != NULL || attempt >= 100)
        {
          if (errno == EEXIST)
            {
              g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED,
                           _("“%s” already exists; a backup never replaces a file. Choose "
                             "another name."), info->path);
              return FALSE;
            }
          return pqs_backup_set_io_error (error, errno, _("Cannot name the backup “%s”"),
                                          info->path);
        }
    }

  g_unlink (src);
  folder = g_path_get_dirname (info->path);
  return pqs_backup_fsync_path (folder, TRUE, error);
}

static gboolean
encode_to_partial (const char                *staging,
                   const char                *partial,
                   const PqsBackupOptions    *options,
                   PqsBackupProgress         *progress,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (partial);
  g_autoptr(GFileOutputStream) out = NULL;

  out = g_file_append_to (file, G_FILE_CREATE_PRIVATE, cancellable, error);
  if (out == NULL)
    return FALSE;

  if (!pqs_backup_format_encode (staging, G_OUTPUT_STREAM (out), options->compress,
                                 options->passphrase, options->kdf, byte_progress_cb, progress,
                                 cancellable, error))
    return FALSE;

  return g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error);
}

PqsBackupInfo *
pqs_backup_service_create_internal (PqsBackupService        *self,
                                    PqsStore                *conn,
                                    const PqsBackupOptions  *options,
                                    PqsBackupProgress       *progress,
                                    GCancellable            *cancellable,
                                    GError                 **error)
{
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *copy_sha256 = NULL;
  const char *src;
  sqlite3 *db;
  gint64 t0 = g_get_monotonic_time ();
  gint64 t_snapshot, t_counts, t_pack, t_checksum;
  int running_lock = -1;

  folder = options->output_path != NULL ? g_path_get_dirname (options->output_path)
                                        : g_strdup (self->backup_dir);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      pqs_backup_set_io_error (error, errno, _("Cannot create the backup folder “%s”"), folder);
      return NULL;
    }
  running_lock = pqs_backup_running_lock (self);

  info = pqs_backup_info_new_for_path (options->output_path);
  info->type = options->type;
  info->compressed = options->compress;
  info->encrypted = options->passphrase != NULL;
  info->created_by = g_strdup (options->created_by);
  info->created_at = pqs_backup_now_iso8601 ();

  if (!pqs_backup_check_cancelled (cancellable, error))
    {
      pqs_backup_running_unlock (running_lock);
      return NULL;
    }

  /* 1. A consistent copy, in one step of the online backup API. */
  progress_report (progress, _("Copying the database"), 0.0);
  stem = options->output_path != NULL ? g_strdup (options->output_path)
                                      : g_build_filename (folder, "pqs-backup", NULL);
  staging = pqs_backup_partial_name (stem, "snapshot-", TRUE, NULL, &local_error);
  /* A plain backup is the copy itself: checksum it while it is written. */
  if (staging == NULL ||
      !pqs_store_copy_to_file_with_checksum (conn, staging,
                                             info->compressed || info->encrypted
                                               ? NULL : &copy_sha256,
                                             &local_error))
    goto failed;

  /* 2. What it holds, for the manifest and the history. */
  t_snapshot = g_get_monotonic_time ();
  if (!pqs_backup_file_size (staging, &info->database_size, &local_error))
    goto failed;
  progress_report (progress, _("Counting rows"), 0.3);
  db = pqs_backup_open_immutable (staging, &local_error);
  if (db == NULL)
    goto failed;
  if (!pqs_backup_read_db_facts (db, &info->schema_version, &info->tables, &local_error))
    {
      sqlite3_close_v2 (db);
      goto failed;
    }
  sqlite3_close_v2 (db);

  g_free (info->path);
  info->path = options->output_path != NULL
                 ? g_strdup (options->output_path)
                 : default_path (self, options->type, info->schema_version,
                                 info->compressed || info->encrypted, 0);
  info->history_id = pqs_backup_history_insert_running (conn, info, &local_error);
  if (info->history_id < 0)
    goto failed;

  /* 3. Compression and encryption, into another temporary file. */
  t_counts = g_get_monotonic_time ();
  src = staging;
  if (info->compressed || info->encrypted)
    {
      PqsBackupProgress sub = { 0, };
      int fd = -1;

      if (!pqs_backup_check_cancelled (cancellable, &local_error))
        goto failed;
      progress_report (progress, info->encrypted ? _("Encrypting") : _("Compressing"), 0.35);
      partial = pqs_backup_partial_name (stem, "", TRUE, &fd, &local_error);
      if (partial == NULL)
        goto failed;
      close (fd);
      if (progress != NULL)
        {
          sub = *progress;
          sub.base = progress->base + progress->span * 0.35;
          sub.span = progress->span * 0.55;
        }
      if (!encode_to_partial (staging, partial, options, progress != NULL ? &sub : NULL,
                              cancellable, &local_error))
        goto failed;
      g_unlink (staging);
      src = partial;
    }

  /* 4. The file flushed to disk and its checksum, at once; then its final name. */
  t_pack = g_get_monotonic_time ();
  progress_report (progress, _("Computing the checksum"), 0.9);
  g_clear_pointer (&info->checksum_sha256, g_free);
  if (src == staging && copy_sha256 != NULL)
    {
      /* Checksummed while it was copied: only the flush is left. */
      if (!pqs_backup_fsync_path (src, FALSE, &local_error))
        goto failed;
      info->checksum_sha256 = g_steal_pointer (&copy_sha256);
    }
  else if (!flush_and_checksum (src, cancellable, &info->checksum_sha256, &local_error))
    goto failed;
  if (!pqs_backup_file_size (src, &info->size, &local_error))
    goto failed;

  t_checksum = g_get_monotonic_time ();
  if (!pqs_backup_check_cancelled (cancellable, &local_error) ||
                                   !publish (self, options, info, src, &local_error))
    goto failed;
  info->file_exists = TRUE;

  /* The manifest comes after the file: a crash in between leaves a backup
   * that still verifies on its own, never a manifest without its file. */
  if (!pqs_backup_manifest_write (info, &local_error))
    goto failed;
  info->has_manifest = TRUE;

  if (!pqs_backup_history_finish (conn, info, NULL, &local_error))
    goto failed;
  g_free (info->status);
  info->status = g_strdup ("completed");

  g_debug ("Backup %s: snapshot %.3f s, row counts %.3f s, packing %.3f s, checksum %.3f s, "
           "total %.3f s", info->path, (t_snapshot - t0) / 1e6, (t_counts - t_snapshot) / 1e6,
           (t_pack - t_counts) / 1e6, (t_checksum - t_pack) / 1e6,
           (g_get_monotonic_time () - t0) / 1e6);
  progress_report (progress, _("Done"), 1.0);
  pqs_backup_running_unlock (running_lock);
  return g_steal_pointer (&info);

failed:
  pqs_backup_map_cancelled (&local_error);
  pqs_backup_unlink_quietly (staging);
  pqs_backup_unlink_quietly (partial);
  /* A failure after the file got its final name (manifest, history) must
   * not leave a finished-looking backup behind. */
  if (info->file_exists)
    {
      g_autofree char *manifest = g_strconcat (info->path, MANIFEST_SUFFIX, NULL);

      pqs_backup_unlink_quietly (manifest);
      pqs_backup_unlink_quietly (info->path);
      info->file_exists = FALSE;
      info->has_manifest = FALSE;
    }
  if (info->history_id == 0 && pqs_backup_history_exists (conn))
    {
      if (info->path == NULL)
        info->path = g_strdup (folder);
      info->history_id = pqs_backup_history_insert_running (conn, info, NULL);
    }
  if (info->history_id > 0)
    pqs_backup_history_finish (conn, info, local_error->message, NULL);
  pqs_backup_running_unlock (running_lock);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * pqs_backup_service_create:
 * @self: a #PqsBackupService
 * @options: what to make
 * @progress: (nullable) (scope call): called with the stage and the fraction done
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Backs the database up on the service's store connection: a consistent
 * snapshot in one step of SQLite's online backup API, then compression and
 * encryption when asked, written under a temporary name, flushed and given its
 * final name (never replacing a file), with a manifest beside it and a row in
 * `backup_history`. A plain backup is an SQLite file; see
 * pqs_backup_format_encode() for the others.
 *
 * Returns: (transfer full): the backup, or %NULL with @error set
 */
PqsBackupInfo *
pqs_backup_service_create (PqsBackupService        *self,
                           const PqsBackupOptions  *options,
                           PqsBackupProgressFunc    progress,
                           gpointer                 progress_data,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  PqsBackupProgress state = { progress, progress_data, NULL, 0.0, 1.0, -1 };

  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return pqs_backup_service_create_internal (self, self->store, options, &state, cancellable,
                                             error);
}

typedef struct
{
  PqsBackupOptions   options;
  PqsBackupProgress  progress;
  GDestroyNotify     progress_data_free;
} CreateJob;

void
pqs_backup_free_passphrase (char *passphrase)
{
  if (passphrase != NULL)
    sodium_memzero (passphrase, strlen (passphrase));
  g_free (passphrase);
}

static void
create_job_free (CreateJob *job)
{
  pqs_backup_free_passphrase ((char *) job->options.passphrase);
  g_free ((char *) job->options.output_path);
  g_free ((char *) job->options.created_by);
  if (job->progress_data_free != NULL)
    job->progress_data_free (job->progress.data);
  g_clear_pointer (&job->progress.context, g_main_context_unref);
  g_free (job);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PqsBackupService *self = source_object;
  CreateJob *job = task_data;
  g_autoptr(PqsStore) conn = NULL;
  g_autoptr(GError) error = NULL;
  PqsBackupInfo *info;

  /* A connection of the thread's own: the app keeps using the main one. */
  conn = pqs_store_open_secondary (self->store, &error);
  if (conn == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = pqs_backup_service_create_internal (self, conn, &job->options, &job->progress,
                                             cancellable, &error);
  pqs_store_close (conn);

  if (info == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, info, (GDestroyNotify) pqs_backup_info_free);
}

/**
 * pqs_backup_service_create_async:
 * @self: a #PqsBackupService
 * @options: what to make; copied
 * @progress: (nullable): called in the caller's main context with the stage and fraction
 * @progress_data: data for @progress
 * @progress_data_free: (nullable): frees @progress_data when the task is done
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the backup is made
 * @user_data: data for @callback
 *
 * Like pqs_backup_service_create(), in a thread on a connection of its own,
 * so the app keeps reading and writing meanwhile.
 */
void
pqs_backup_service_create_async (PqsBackupService        *self,
                                 const PqsBackupOptions  *options,
                                 PqsBackupProgressFunc    progress,
                                 gpointer                 progress_data,
                                 GDestroyNotify           progress_data_free,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  CreateJob *job;

  g_return_if_fail (PQS_IS_BACKUP_SERVICE (self));
  g_return_if_fail (self->store != NULL);
  g_return_if_fail (options != NULL);

  job = g_new0 (CreateJob, 1);
  job->options = *options;
  job->options.passphrase = g_strdup (options->passphrase);
  job->options.output_path = g_strdup (options->output_path);
  job->options.created_by = g_strdup (options->created_by);
  job->progress.func = progress;
  job->progress.data = progress_data;
  job->progress.context = g_main_context_ref_thread_default ();
  job->progress.span = 1.0;
  job->progress.last_percent = -1;
  job->progress_data_free = progress_data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_backup_service_create_async);
  /* Our own error says what was left behind: nothing. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) create_job_free);
  g_task_run_in_thread (task, create_thread);
}

/**
 * pqs_backup_service_create_finish:
 * @self: a #PqsBackupService
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the backup, or %NULL with @error set
 */
PqsBackupInfo *
pqs_backup_service_create_finish (PqsBackupService  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pqs_backup_service_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject -------------------------------------------------------------------- */

/**
 * pqs_backup_service_new:
 * @store: (nullable): the database; %NULL for a service that only verifies
 * @backup_dir: (nullable): the backup folder; %NULL for the default one
 *
 * Returns: (transfer full): a new #PqsBackupService
 */
PqsBackupService *
pqs_backup_service_new (PqsStore   *store,
                        const char *backup_dir)
{
  PqsBackupService *self;

  g_return_val_if_fail (store == NULL || PQS_IS_STORE (store), NULL);

  self = g_object_new (PQS_TYPE_BACKUP_SERVICE,
                       "store", store,
                       "backup-dir", backup_dir,
                       NULL);
  /* Backups that a crash left 'running' are failed ones. */
  pqs_backup_history_mark_interrupted (self);
  return self;
}

PqsStore *
pqs_backup_service_get_store (PqsBackupService *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);

  return self->store;
}

const char *
pqs_backup_service_get_backup_dir (PqsBackupService *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);

  return self->backup_dir;
}

/**
 * pqs_backup_service_set_migrations_dir:
 * @self: a #PqsBackupService
 * @dir: (nullable): a development folder of migrations, as for pqs_migrator_load()
 *
 * Sets the migrations a restore migrates forward with.
 */
void
pqs_backup_service_set_migrations_dir (PqsBackupService *self,
                                       const char       *dir)
{
  g_return_if_fail (PQS_IS_BACKUP_SERVICE (self));

  g_free (self->migrations_dir);
  self->migrations_dir = g_strdup (dir);
}

static void
pqs_backup_service_finalize (GObject *object)
{
  PqsBackupService *self = (PqsBackupService *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->backup_dir, g_free);
  g_clear_pointer (&self->migrations_dir, g_free);

  G_OBJECT_CLASS (pqs_backup_service_parent_class)->finalize (object);
}

static void
pqs_backup_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PqsBackupService *self = PQS_BACKUP_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_BACKUP_DIR:
      g_value_set_string (value, self->backup_dir);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_backup_service_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PqsBackupService *self = PQS_BACKUP_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_BACKUP_DIR:
      g_free (self->backup_dir);
      self->backup_dir = g_value_get_string (value) != NULL
                           ? g_canonicalize_filename (g_value_get_string (value), NULL)
                           : pqs_paths_default_backup_dir ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_backup_service_class_init (PqsBackupServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_backup_service_finalize;
  object_class->get_property = pqs_backup_service_get_property;
  object_class->set_property = pqs_backup_service_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKUP_DIR] =
    g_param_spec_string ("backup-dir", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
}

static void
pqs_backup_service_init (PqsBackupService *self)
{
}
