/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pqs-backup-format.h"
#include "pqs-backup-service.h"
#include "pqs-backup-service-private.h"
#include "pqs-migrator.h"
#include "pqs-migrator-private.h"
#include "pqs-paths.h"
#include "pqs-store.h"

/* The safety copy gets the manifest every backup has (checksum, size, schema
 * version, rows per table), so that `pqs-admin backup verify` can check it
 * without the live database. */
static gboolean
write_manifest (const char  *path,
                const char  *kind,
                const char  *created_by,
                GError     **error)
{
  g_autoptr(PqsBackupInfo) info = g_new0 (PqsBackupInfo, 1);
  sqlite3 *db;
  gboolean ok;

  info->path = g_strdup (path);
  info->history_id = 0;
  if (!pqs_backup_type_from_string (kind, &info->type))
    info->type = PQS_BACKUP_TYPE_PRE_MIGRATION;

  db = pqs_backup_open_immutable (path, error);
  if (db == NULL)
    return FALSE;
  ok = pqs_backup_read_db_facts (db, &info->schema_version, &info->tables, error);
  sqlite3_close (db);
  if (!ok)
    return FALSE;

  if (!pqs_backup_format_sha256_file (path, NULL, &info->checksum_sha256, error))
    return FALSE;
  if (!pqs_backup_file_size (path, &info->size, error))
    return FALSE;
  info->database_size = info->size;
  info->created_at = pqs_backup_now_iso8601 ();
  info->created_by = g_strdup (created_by);

  return pqs_backup_manifest_write (info, error);
}

gboolean
pqs_migrator_backup_record (PqsStore    *store,
                            const char  *kind,
                            const char  *path,
                            guint        schema_version,
                            const char  *created_by,
                            GError     **error)
{
  g_autoptr(PqsBackupInfo) info = g_new0 (PqsBackupInfo, 1);
  g_autofree char *tables = NULL;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;
  gboolean found = FALSE;

  if (!pqs_store_table_exists (store, "backup_history", &exists, error))
    return FALSE;
  if (!exists)
    return TRUE;

  /* The manifest written with the copy already holds its checksum and counts. */
  info->path = g_strdup (path);
  if (!pqs_backup_manifest_read (info, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BACKUP_FAILED,
                   _("The safety copy “%s” has lost its manifest."), path);
      return FALSE;
    }
  tables = pqs_backup_tables_to_json (info->tables);

  stmt = pqs_store_prepare (store,
                            "INSERT INTO backup_history (backup_type, backup_path, "
                            "backup_size, backup_status, checksum_sha256, schema_version, "
                            "tables_backed_up, created_by, completed_at) "
                            "VALUES (?1, ?2, ?3, 'completed', ?4, ?5, ?6, ?7, "
                            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, info->size);
  sqlite3_bind_text (stmt, 4, info->checksum_sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, schema_version);
  sqlite3_bind_text (stmt, 6, tables, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, created_by, -1, SQLITE_TRANSIENT);

  return pqs_store_step_done (store, stmt, error);
}

/* Copies a non-empty database aside before its schema changes, under the
 * first free name; if the copy fails, nothing is migrated. */
char *
pqs_migrator_backup_take (PqsStore    *store,
                          const char  *backup_dir,
                          const char  *kind,
                          guint        schema_version,
                          const char  *created_by,
                          GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  dir = backup_dir != NULL ? g_strdup (backup_dir) : pqs_paths_default_backup_dir ();

  for (guint attempt = 0;; attempt++)
    {
      g_clear_error (&local_error);
      g_free (base);
      g_free (path);
      base = attempt == 0
               ? g_strdup_printf ("pqs-%s-%s-v%03u.db", stamp, kind, schema_version)
               : g_strdup_printf ("pqs-%s-%s-v%03u-%u.db", stamp, kind, schema_version,
                                  attempt);
      path = g_build_filename (dir, base, NULL);

      if (pqs_store_snapshot (store, path, &local_error) &&
          write_manifest (path, kind, created_by, &local_error))
        break;

      /* Another copy took this name in the same second: use the next one. */
      if (!g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_EXISTS) ||
          attempt >= 100)
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BACKUP_FAILED,
                       _("The safety copy before changing the database could not be made, "
                         "so nothing was changed. %s"),
                       local_error->message);
          return NULL;
        }
    }

  return g_steal_pointer (&path);
}

