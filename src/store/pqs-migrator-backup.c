/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pqs-backup-format.h"
#include "pqs-migrator.h"
#include "pqs-migrator-private.h"
#include "pqs-paths.h"
#include "pqs-store.h"

gboolean
pqs_migrator_backup_record (PqsStore    *store,
                            const char  *kind,
                            const char  *path,
                            guint        schema_version,
                            const char  *created_by,
                            GError     **error)
{
  g_autofree char *checksum = NULL;
  GStatBuf st;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;

  if (!pqs_store_table_exists (store, "backup_history", &exists, error))
    return FALSE;
  if (!exists)
    return TRUE;

  if (!pqs_backup_format_sha256_file (path, NULL, &checksum, error))
    return FALSE;
  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot read “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  stmt = pqs_store_prepare (store,
                            "INSERT INTO backup_history (backup_type, backup_path, "
                            "backup_size, backup_status, checksum_sha256, schema_version, "
                            "created_by, completed_at) "
                            "VALUES (?1, ?2, ?3, 'completed', ?4, ?5, ?6, "
                            "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, (gint64) st.st_size);
  sqlite3_bind_text (stmt, 4, checksum, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, schema_version);
  sqlite3_bind_text (stmt, 6, created_by, -1, SQLITE_TRANSIENT);

  return pqs_store_step_done (store, stmt, error);
}

/* Copies a non-empty database aside before its schema changes, under the
 * first free name; if the copy fails, nothing is migrated. */
char *
pqs_migrator_backup_take (PqsStore    *store,
                          const char  *backup_dir,
                          const char  *kind,
                          guint        schema_version,
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

      if (pqs_store_snapshot (store, path, &local_error))
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

