/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <sqlite3.h>

#include "pqs-audit.h"
#include "pqs-backup-service.h"
#include "pqs-backup-service-private.h"
#include "pqs-migrator.h"
#include "pqs-paths.h"
#include "pqs-store.h"

/* Verify ------------------------------------------------------------------ */

/* Left free on the disk when a backup is unpacked. */
#define FREE_SPACE_RESERVE (16 * 1024 * 1024)

static gboolean
compare_with_manifest (const PqsBackupInfo  *found,
                       const PqsBackupInfo  *manifest,
                       GError              **error)
{
  if (manifest->schema_version != found->schema_version)
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED,
                   _("The backup does not match its manifest: it is at schema %d, the "
                     "manifest says %d."), found->schema_version, manifest->schema_version);
      return FALSE;
    }

  for (guint i = 0; i < manifest->tables->len; i++)
    {
      const PqsBackupTableCount *count = &g_array_index (manifest->tables, PqsBackupTableCount, i);
      gint64 rows = pqs_backup_info_get_rows (found, count->name);

      if (rows != count->rows)
        {
          g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED,
                       _("The backup does not match its manifest: table “%s” has %"
                         PRId64 " rows, the manifest says %" PRId64 "."),
                       count->name, rows, count->rows);
          return FALSE;
        }
    }

  if (found->tables->len != manifest->tables->len)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED,
                           _("The backup does not match its manifest: it holds other tables."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_start (const char  *path,
            guint8       buffer[PQS_BACKUP_HEADER_SIZE],
            gsize       *out_len,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);

  if (in == NULL)
    return FALSE;
  return g_input_stream_read_all (G_INPUT_STREAM (in), buffer, PQS_BACKUP_HEADER_SIZE, out_len,
                                  NULL, error);
}

/* Bytes that can still be written beside @path, keeping a little room for
 * the rest of the system; G_MAXUINT64 when the file system does not say. */
static guint64
free_space_beside (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autoptr(GFileInfo) info = NULL;
  guint64 free_space;

  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return G_MAXUINT64;

  free_space = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  return free_space > FREE_SPACE_RESERVE ? free_space - FREE_SPACE_RESERVE : 1;
}

/* Checks a backup. With @staging set, leaves the database it holds there
 * (flushed to disk), ready to be swapped in. */
static PqsBackupInfo *
verify_internal (PqsBackupService  *self,
                 const char        *path,
                 const char        *passphrase,
                 const char        *staging,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(PqsBackupInfo) info = pqs_backup_info_new_for_path (path);
  g_autoptr(PqsBackupInfo) manifest = pqs_backup_info_new_for_path (path);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *own_staging = NULL;
  guint8 start[PQS_BACKUP_HEADER_SIZE];
  gsize len = 0;
  gboolean plain;
  gboolean has_manifest = FALSE;
  const char *db_path;
  sqlite3 *db;

  if (!read_start (path, start, &len, error))
    return NULL;
  info->file_exists = TRUE;

  plain = pqs_backup_format_is_sqlite (start, len);
  if (!plain)
    {
      PqsBackupHeader header;

      if (!pqs_backup_format_read_header (start, len, &header, error))
        return NULL;
      info->compressed = (header.flags & PQS_BACKUP_FLAG_COMPRESSED) != 0;
      info->encrypted = (header.flags & PQS_BACKUP_FLAG_ENCRYPTED) != 0;
      if (info->encrypted && passphrase == NULL)
        {
          g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NEEDS_PASSPHRASE,
                               _("The backup is encrypted: give its passphrase."));
          return NULL;
        }
    }

  if (!pqs_backup_manifest_read (manifest, &has_manifest, error))
    return NULL;
  info->has_manifest = has_manifest;
  if (has_manifest)
    {
      info->type = manifest->type;
      info->created_at = g_strdup (manifest->created_at);
      info->created_by = g_strdup (manifest->created_by);
    }

  if (!pqs_backup_format_sha256_file (path, cancellable, &info->checksum_sha256, error) ||
      !pqs_backup_file_size (path, &info->size, error))
    {
      pqs_backup_map_cancelled (error);
      return NULL;
    }
  if (has_manifest && g_strcmp0 (info->checksum_sha256, manifest->checksum_sha256) != 0)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: its contents changed since it was made "
                             "(the checksum does not match its manifest)."));
      return NULL;
    }

  if (!pqs_backup_check_cancelled (cancellable, error))
    return NULL;

  if (plain && staging == NULL)
    db_path = path;
  else
    {
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileOutputStream) out = NULL;
      int fd = -1;

      if (staging == NULL)
        {
          own_staging = pqs_backup_partial_name (path, "verify-", TRUE, &fd, NULL);
          if (own_staging == NULL)
            {
              g_autofree char *base = g_path_get_basename (path);
              g_autofree char *tmp = g_build_filename (g_get_tmp_dir (), base, NULL);

              own_staging = pqs_backup_partial_name (tmp, "verify-", TRUE, &fd, error);
              if (own_staging == NULL)
                return NULL;
            }
          close (fd);
          staging = own_staging;
        }

      file = g_file_new_for_path (staging);
      if (plain)
        {
          g_autoptr(GFile) source = g_file_new_for_path (path);

          if (!g_file_copy (source, file, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                            &local_error))
            goto failed;
        }
      else
        {
          guint64 free_space = free_space_beside (staging);
          guint64 limit = free_space;

          /* Never unpack more than the manifest says the database holds, nor
           * more than the disk can take. */
          if (has_manifest && manifest->database_size >= 0)
            limit = MIN (limit, (guint64) MAX (manifest->database_size, 1));

          out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable,
                                &local_error);
          if (out == NULL ||
              !pqs_backup_format_decode_bounded (path, passphrase, limit,
                                                 G_OUTPUT_STREAM (out), NULL, NULL,
                                                 cancellable, &local_error) ||
              !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &local_error))
            {
              /* Stopped by the free space rather than by the manifest: say so. */
              if (out != NULL && limit == free_space && free_space != G_MAXUINT64 &&
                  g_error_matches (local_error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED) &&
                  (guint64) g_seekable_tell (G_SEEKABLE (out)) + 1024 * 1024 > limit)
                {
                  g_autofree char *folder = g_path_get_dirname (staging);
                  g_autofree char *room = g_format_size (free_space);

                  g_clear_error (&local_error);
                  g_set_error (&local_error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED,
                               _("There is not enough free space in “%s” to unpack the "
                                 "backup (%s free); free some space and try again."),
                               folder, room);
                }
              goto failed;
            }
        }
      if (own_staging == NULL && !pqs_backup_fsync_path (staging, FALSE, &local_error))
        goto failed;
      db_path = staging;
    }

  db = pqs_backup_open_immutable (db_path, &local_error);
  if (db == NULL)
    goto failed;
  if (!pqs_backup_check_integrity (db, &local_error) ||
      !pqs_backup_read_db_facts (db, &info->schema_version, &info->tables, &local_error))
    {
      sqlite3_close_v2 (db);
      goto failed;
    }
  sqlite3_close_v2 (db);

  if (has_manifest && !compare_with_manifest (info, manifest, &local_error))
    goto failed;

  pqs_backup_unlink_quietly (own_staging);
  return g_steal_pointer (&info);

failed:
  pqs_backup_map_cancelled (&local_error);
  pqs_backup_unlink_quietly (own_staging);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * pqs_backup_service_verify:
 * @self: a #PqsBackupService
 * @path: a backup file
 * @passphrase: (nullable): its passphrase, when it is encrypted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Checks a backup without touching the live database: its header, its
 * checksum against the manifest beside it (when there is one), then the
 * database inside (decrypted and decompressed into a temporary file) with
 * `PRAGMA integrity_check` and its row counts against the manifest. Works on
 * a service without a store.
 *
 * Returns: (transfer full): what the backup holds, or %NULL with @error set
 */
PqsBackupInfo *
pqs_backup_service_verify (PqsBackupService  *self,
                           const char        *path,
                           const char        *passphrase,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return verify_internal (self, path, passphrase, NULL, cancellable, error);
}

typedef struct
{
  char *path;
  char *passphrase;
  char *staging;
  PqsBackupInfo *info;
  PqsBackupInfo *restore_point;
} PathJob;

static void
path_job_free (PathJob *job)
{
  g_free (job->path);
  pqs_backup_free_passphrase (job->passphrase);
  pqs_backup_unlink_quietly (job->staging);
  g_free (job->staging);
  g_clear_pointer (&job->info, pqs_backup_info_free);
  g_clear_pointer (&job->restore_point, pqs_backup_info_free);
  g_free (job);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  PathJob *job = task_data;
  GError *error = NULL;
  PqsBackupInfo *info;

  info = verify_internal (source_object, job->path, job->passphrase, NULL, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) pqs_backup_info_free);
}

void
pqs_backup_service_verify_async (PqsBackupService    *self,
                                 const char          *path,
                                 const char          *passphrase,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PathJob *job;

  g_return_if_fail (PQS_IS_BACKUP_SERVICE (self));
  g_return_if_fail (path != NULL);

  job = g_new0 (PathJob, 1);
  job->path = g_strdup (path);
  job->passphrase = g_strdup (passphrase);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_backup_service_verify_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) path_job_free);
  g_task_run_in_thread (task, verify_thread);
}

/**
 * pqs_backup_service_verify_finish:
 * @self: a #PqsBackupService
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): what the backup holds, or %NULL with @error set
 */
PqsBackupInfo *
pqs_backup_service_verify_finish (PqsBackupService  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Restore ------------------------------------------------------------------ */

static PqsMigrator *
new_migrator (PqsBackupService  *self,
              PqsStore          *store,
              GError           **error)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);

  pqs_migrator_set_backup_dir (migrator, self->backup_dir);
  pqs_migrator_set_applied_by (migrator, "restore");
  if (!pqs_migrator_load (migrator, self->migrations_dir, error))
    return NULL;

  return g_steal_pointer (&migrator);
}

static void
remove_side_files (const char *db_path)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
}

/* After our connections are closed, a write-ahead log that is still there
 * belongs to another connection (another window, pqs-admin): swapping the
 * file under it would lose its work. */
static gboolean
ensure_unused (const char  *db_path,
               GError     **error)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  sqlite3 *db = NULL;

  if (!g_file_test (wal, G_FILE_TEST_EXISTS))
    return TRUE;

  /* Perhaps only left by a crash: the last connection to close removes it. */
  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
    sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_close_v2 (db);

  if (!g_file_test (wal, G_FILE_TEST_EXISTS))
    return TRUE;

  g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_IN_USE,
                       _("The database is open in another program (another PQS Desk window "
                         "or pqs-admin). Close it and try again; nothing was changed."));
  return FALSE;
}

static gboolean
swap_file (const char  *src,
           const char  *db_path,
           GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (db_path);

  remove_side_files (db_path);
  if (g_rename (src, db_path) != 0)
    return pqs_backup_set_io_error (error, errno, _("Cannot replace “%s”"), db_path);

  return pqs_backup_fsync_path (folder, TRUE, error);
}

/* Puts the restore point back after a failed restore. */
static gboolean
roll_back (PqsBackupService  *self,
           const char        *restore_point,
           GError           **error)
{
  const char *db_path = pqs_store_get_path (self->store);
  g_autofree char *copy = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (restore_point);
  g_autoptr(GFile) to = NULL;

  pqs_store_close (self->store);

  copy = pqs_backup_partial_name (db_path, "rollback-", FALSE, NULL, error);
  if (copy == NULL)
    return FALSE;
  to = g_file_new_for_path (copy);
  if (!g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, error) ||
      !pqs_backup_fsync_path (copy, FALSE, error) ||
      !swap_file (copy, db_path, error))
    {
      g_unlink (copy);
      return FALSE;
    }

  return pqs_store_reopen (self->store, error);
}

/* Runs on the staged copy, on a connection of its own (in the restore's
 * worker thread for the async form): migrates it forward when it is older,
 * checks it, records the restore point in its history and folds its log back
 * into the file, so that the swap installs a current, complete database. The
 * live database is not touched: on failure nothing was changed. */
/* The restored database's audit trail says it was restored, and from
 * which restore point the previous state can be had back. */
static gboolean
audit_restore_cb (PqsStore  *store,
                  gpointer   data,
                  GError   **error)
{
  const PqsBackupInfo *restore_point = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "restore_point");
  json_builder_add_string_value (builder, restore_point->path != NULL ? restore_point->path : "");
  json_builder_set_member_name (builder, "by");
  json_builder_add_string_value (builder, restore_point->created_by != NULL ?
                                          restore_point->created_by : "");
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return pqs_audit_append_system (store, "backup.restore", "database", details, error);
}

static gboolean
bring_up_to_date (PqsBackupService     *self,
                  const char           *staging,
                  const PqsBackupInfo  *restore_point,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(PqsStore) staged = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *check = NULL;
  g_autofree char *wal = g_strconcat (staging, "-wal", NULL);
  PqsBackupInfo record;
  sqlite3_stmt *stmt;

  staged = pqs_store_open (staging, PQS_STORE_OPEN_EXISTING, &local_error);
  if (staged == NULL)
    goto failed;

  migrator = new_migrator (self, staged, &local_error);
  if (migrator == NULL ||
      !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &local_error))
    goto failed;

  stmt = pqs_store_prepare (staged, "PRAGMA quick_check", &local_error);
  if (stmt == NULL)
    goto failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    check = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (g_strcmp0 (check, "ok") != 0)
    {
      g_set_error (&local_error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                   _("The restored database fails its integrity check (%s)."),
                   check != NULL ? check : "?");
      goto failed;
    }

  /* The restored history predates the restore point: record it there too. */
  record = *restore_point;
  record.history_id = pqs_backup_history_insert_running (staged, &record, NULL);
  if (record.history_id > 0)
    pqs_backup_history_finish (staged, &record, NULL, NULL);
  if (!pqs_store_transaction (staged, audit_restore_cb, (gpointer) restore_point, &local_error))
    goto failed;

  /* The last connection to close folds the log into the file and removes it;
   * a log left behind would be lost by the swap. */
  pqs_store_close (staged);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_set_error_literal (&local_error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED,
                           _("The restored database could not be written out completely."));
      goto failed;
    }
  remove_side_files (staging);

  if (!pqs_backup_fsync_path (staging, FALSE, &local_error) ||
      !pqs_backup_check_cancelled (cancellable, &local_error))
    goto failed;

  return TRUE;

failed:
  if (staged != NULL)
    pqs_store_close (staged);
  remove_side_files (staging);
  pqs_backup_map_cancelled (&local_error);
  if (local_error->domain == PQS_BACKUP_ERROR && local_error->code != PQS_BACKUP_ERROR_FAILED)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED,
                 _("The backup could not be brought up to date; nothing was changed: %s"),
                 local_error->message);
  return FALSE;
}

/* The part of a restore that touches the live database, in the context where
 * the store is used: close, swap in the staged (already current and checked)
 * file, reopen. On any failure after the swap, the restore point goes back. */
static gboolean
swap_in (PqsBackupService     *self,
         const char           *staging,
         const PqsBackupInfo  *restore_point,
         GError              **error)
{
  const char *db_path = pqs_store_get_path (self->store);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) rollback_error = NULL;

  pqs_store_close (self->store);
  if (!ensure_unused (db_path, &local_error))
    {
      pqs_store_reopen (self->store, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!swap_file (staging, db_path, &local_error))
    goto failed;

  if (!pqs_store_reopen (self->store, &local_error))
    goto failed;

  return TRUE;

failed:
  if (!roll_back (self, restore_point->path, &rollback_error))
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED,
                   _("The restore failed (%s) and the previous database could not be put "
                     "back (%s). It is saved in “%s”."),
                   local_error->message, rollback_error->message, restore_point->path);
      return FALSE;
    }

  g_set_error (error, PQS_BACKUP_ERROR,
               local_error->domain == PQS_BACKUP_ERROR ? local_error->code
                                                       : PQS_BACKUP_ERROR_FAILED,
               _("The restore failed and the database was put back as it was: %s"),
               local_error->message);
  return FALSE;
}

/* Everything before the swap: stage and check the backup, refuse a newer
 * schema, take the restore point (on @conn). Nothing live changes here. */
static gboolean
prepare_restore (PqsBackupService  *self,
                 PqsStore          *conn,
                 PathJob           *job,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(PqsMigrator) migrator = NULL;
  PqsBackupOptions options = { PQS_BACKUP_TYPE_PRE_RESTORE, FALSE, NULL, NULL, "restore",
                               PQS_BACKUP_KDF_MODERATE };
  guint latest;

  job->staging = pqs_backup_partial_name (pqs_store_get_path (self->store), "restore-", FALSE,
                                          NULL, error);
  if (job->staging == NULL)
    return FALSE;

  job->info = verify_internal (self, job->path, job->passphrase, job->staging, cancellable,
                               error);
  if (job->info == NULL)
    return FALSE;

  migrator = pqs_migrator_new (conn);
  if (!pqs_migrator_load (migrator, self->migrations_dir, error))
    return FALSE;
  latest = pqs_migrator_get_latest_version (migrator);
  if (job->info->schema_version > (gint) latest)
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NEWER_SCHEMA,
                   _("The backup was made by a newer version of PQS Desk (schema %d, this "
                     "program knows %u). Update PQS Desk to restore it; nothing was changed."),
                   job->info->schema_version, latest);
      return FALSE;
    }

  if (!pqs_backup_check_cancelled (cancellable, error))
    return FALSE;

  job->restore_point = pqs_backup_service_create_internal (self, conn, &options, NULL,
                                                           cancellable, error);
  return job->restore_point != NULL;
}

/**
 * pqs_backup_service_restore:
 * @self: a #PqsBackupService
 * @path: the backup to restore
 * @passphrase: (nullable): its passphrase, when it is encrypted
 * @out_restore_point: (out) (optional) (transfer full): the pre-restore backup taken first
 * @cancellable: (nullable): a #GCancellable, honoured until the swap
 * @error: return location for a #GError
 *
 * Replaces the database with a backup. The backup is checked in a temporary
 * file first (a damaged, newer or wrongly unlocked backup changes nothing);
 * then a restore point is taken and the temporary copy is migrated forward
 * when older and checked, on a connection of its own (a failure there changes
 * nothing either); only then are the store's connections closed, the file
 * swapped in with one rename and the store reopened. On any failure after the
 * swap the restore point is put back.
 * Other connections to the file must be closed (%PQS_BACKUP_ERROR_IN_USE).
 *
 * Returns: %TRUE when the backup is now the database
 */
gboolean
pqs_backup_service_restore (PqsBackupService  *self,
                            const char        *path,
                            const char        *passphrase,
                            PqsBackupInfo    **out_restore_point,
                            GCancellable      *cancellable,
                            GError           **error)
{
  PathJob *job;
  gboolean ok;

  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = g_new0 (PathJob, 1);
  job->path = g_strdup (path);
  job->passphrase = g_strdup (passphrase);

  ok = prepare_restore (self, self->store, job, cancellable, error) &&
       bring_up_to_date (self, job->staging, job->restore_point, cancellable, error) &&
       swap_in (self, job->staging, job->restore_point, error);
  if (ok && out_restore_point != NULL)
    *out_restore_point = g_steal_pointer (&job->restore_point);

  path_job_free (job);
  return ok;
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PqsBackupService *self = source_object;
  PathJob *job = task_data;
  g_autoptr(PqsStore) conn = NULL;
  GError *error = NULL;
  gboolean ok;

  conn = pqs_store_open_secondary (self->store, &error);
  ok = conn != NULL && prepare_restore (self, conn, job, cancellable, &error);
  if (conn != NULL)
    pqs_store_close (conn);

  /* The long part of the restore proper: migrating the staged copy forward
   * and checking it, on its own connection, away from the caller's context. */
  if (ok)
    ok = bring_up_to_date (self, job->staging, job->restore_point, cancellable, &error);

  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
restore_prepared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PqsBackupService *self = PQS_BACKUP_SERVICE (object);
  g_autoptr(GTask) outer = user_data;
  PathJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  /* The swap runs here, in the caller's context, where the store lives. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      !swap_in (self, job->staging, job->restore_point, &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  g_task_return_pointer (outer, g_steal_pointer (&job->restore_point),
                         (GDestroyNotify) pqs_backup_info_free);
}

/**
 * pqs_backup_service_restore_async:
 * @self: a #PqsBackupService
 * @path: the backup to restore
 * @passphrase: (nullable): its passphrase
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Like pqs_backup_service_restore(): the long part (checking the backup,
 * taking the restore point, migrating the staged copy forward and checking
 * it) runs in a thread on connections of its own; only the swap itself (close,
 * rename, reopen) runs in the caller's main context, where the store is used.
 * Do not write to the store until @callback runs.
 */
void
pqs_backup_service_restore_async (PqsBackupService    *self,
                                  const char          *path,
                                  const char          *passphrase,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;
  PathJob *job;

  g_return_if_fail (PQS_IS_BACKUP_SERVICE (self));
  g_return_if_fail (self->store != NULL);
  g_return_if_fail (path != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, pqs_backup_service_restore_async);
  /* Once the swap has begun, its outcome is what counts, not a late cancel. */
  g_task_set_check_cancellable (outer, FALSE);

  job = g_new0 (PathJob, 1);
  job->path = g_strdup (path);
  job->passphrase = g_strdup (passphrase);
  inner = g_task_new (self, cancellable, restore_prepared_cb, outer);
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, job, (GDestroyNotify) path_job_free);
  g_task_run_in_thread (inner, restore_thread);
}

gboolean
pqs_backup_service_restore_finish (PqsBackupService  *self,
                                   GAsyncResult      *result,
                                   PqsBackupInfo    **out_restore_point,
                                   GError           **error)
{
  g_autoptr(PqsBackupInfo) restore_point = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  restore_point = g_task_propagate_pointer (G_TASK (result), error);
  if (restore_point == NULL)
    return FALSE;
  if (out_restore_point != NULL)
    *out_restore_point = g_steal_pointer (&restore_point);
  return TRUE;
}
