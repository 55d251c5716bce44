/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
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
#include "pqs-json-input.h"
#include "pqs-migrator.h"
#include "pqs-paths.h"
#include "pqs-store.h"

/* Manifests ------------------------------------------------------------------ */

static char *
manifest_path_for (const char *path)
{
  return g_strconcat (path, MANIFEST_SUFFIX, NULL);
}

char *
pqs_backup_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

gboolean
pqs_backup_manifest_write (const PqsBackupInfo  *info,
                           GError              **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = manifest_path_for (info->path);
  g_autofree char *partial = NULL;
  g_autofree char *base = g_path_get_basename (info->path);
  g_autofree char *folder = g_path_get_dirname (info->path);
  int fd = -1;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "pqs-desk-backup");
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, PQS_BACKUP_FORMAT_VERSION);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, base);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, info->created_at);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, pqs_backup_type_to_string (info->type));
  json_builder_set_member_name (builder, "created_by");
  if (info->created_by != NULL)
    json_builder_add_string_value (builder, info->created_by);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, info->schema_version);
  json_builder_set_member_name (builder, "tables");
  json_builder_begin_object (builder);
  for (guint i = 0; i < info->tables->len; i++)
    {
      const PqsBackupTableCount *count = &g_array_index (info->tables, PqsBackupTableCount, i);

      json_builder_set_member_name (builder, count->name);
      json_builder_add_int_value (builder, count->rows);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, info->checksum_sha256);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, info->size);
  if (info->database_size >= 0)
    {
      /* What it unpacks to: verify and restore never unpack more. */
      json_builder_set_member_name (builder, "database_size");
      json_builder_add_int_value (builder, info->database_size);
    }
  json_builder_set_member_name (builder, "compressed");
  json_builder_add_boolean_value (builder, info->compressed);
  json_builder_set_member_name (builder, "encrypted");
  json_builder_add_boolean_value (builder, info->encrypted);
  json_builder_set_member_name (builder, "app_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* Same rule as the backup: a temporary name, flushed, then renamed. */
  partial = pqs_backup_partial_name (path, "", TRUE, &fd, error);
  if (partial == NULL)
    return FALSE;
  if (write (fd, text, len) != (gssize) len || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (partial);
      return pqs_backup_set_io_error (error, saved_errno, _("Cannot write “%s”"), path);
    }
  close (fd);

  if (g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (partial);
      return pqs_backup_set_io_error (error, saved_errno, _("Cannot write “%s”"), path);
    }

  return pqs_backup_fsync_path (folder, TRUE, error);
}

/* A manifest is input like any other: a member of the wrong kind reads as missing. */
static JsonNode *
member_value (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? node : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = member_value (object, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = member_value (object, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_INT64
           ? json_node_get_int (node) : -1;
}

static gboolean
member_boolean (JsonObject *object,
                const char *name)
{
  JsonNode *node = member_value (object, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* A manifest is a flat object and its "tables" object: whatever nests much
 * deeper is not one, and json-glib's parser recurses once per bracket. */
#define MANIFEST_MAX_NESTING 16

/* What pqs_backup_manifest_write() writes is a few KiB. */
#define MANIFEST_MAX_SIZE (1024 * 1024)

/* Reads the manifest beside @info->path into @info, when there is one. */
gboolean
pqs_backup_manifest_read (PqsBackupInfo  *info,
                          gboolean       *out_found,
                          GError        **error)
{
  g_autofree char *path = manifest_path_for (info->path);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  *out_found = FALSE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  file = g_mapped_file_new (path, FALSE, NULL);
  if (file == NULL || g_mapped_file_get_length (file) > MANIFEST_MAX_SIZE)
    goto bad;

  if (!pqs_json_input_parse (g_mapped_file_get_contents (file),
                             (gssize) g_mapped_file_get_length (file),
                             MANIFEST_MAX_NESTING, &root, &local_error))
    {
      if (g_error_matches (local_error, PQS_JSON_INPUT_ERROR, PQS_JSON_INPUT_ERROR_TOO_DEEP))
        g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED,
                     _("The manifest “%s” is nested more than %u levels deep, so it is not "
                       "a PQS Desk manifest; the backup cannot be checked against it."),
                     path, MANIFEST_MAX_NESTING);
      else
        g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED,
                     _("The manifest “%s” is not valid JSON (%s); the backup cannot be "
                       "checked against it."), path, local_error->message);
      return FALSE;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;

  object = json_node_get_object (root);
  if (g_strcmp0 (member_string (object, "format"), "pqs-desk-backup") != 0 ||
      member_string (object, "sha256") == NULL ||
      !json_object_has_member (object, "tables"))
    goto bad;

  g_free (info->checksum_sha256);
  info->checksum_sha256 = g_strdup (member_string (object, "sha256"));
  info->size = member_int (object, "size");
  info->database_size = member_int (object, "database_size");
  info->schema_version = (gint) CLAMP (member_int (object, "schema_version"), -1, G_MAXINT);
  info->compressed = member_boolean (object, "compressed");
  info->encrypted = member_boolean (object, "encrypted");
  g_free (info->created_at);
  info->created_at = g_strdup (member_string (object, "created_at"));
  g_free (info->created_by);
  info->created_by = g_strdup (member_string (object, "created_by"));
  pqs_backup_type_from_string (member_string (object, "type"), &info->type);

  {
    JsonNode *tables_node = json_object_get_member (object, "tables");
    JsonObject *tables;
    g_autoptr(GList) members = NULL;

    if (!JSON_NODE_HOLDS_OBJECT (tables_node))
      goto bad;
    tables = json_node_get_object (tables_node);
    members = json_object_get_members (tables);
    g_clear_pointer (&info->tables, g_array_unref);
    info->tables = pqs_backup_table_counts_new ();
    for (GList *l = members; l != NULL; l = l->next)
      {
        JsonNode *rows = json_object_get_member (tables, l->data);

        if (!JSON_NODE_HOLDS_VALUE (rows) || json_node_get_value_type (rows) != G_TYPE_INT64)
          goto bad;
        pqs_backup_table_counts_add (info->tables, l->data, json_node_get_int (rows));
      }
  }

  info->has_manifest = TRUE;
  *out_found = TRUE;
  return TRUE;

bad:
  g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED,
               _("The manifest “%s” is not readable; the backup cannot be checked against "
                 "it."), path);
  return FALSE;
}

/* History ------------------------------------------------------------------ */

gboolean
pqs_backup_history_exists (PqsStore *store)
{
  gboolean exists = FALSE;

  return store != NULL && pqs_store_is_open (store) &&
         pqs_store_table_exists (store, "backup_history", &exists, NULL) && exists;
}

/* backup_history.tables_backed_up: {"table": rows, …}, the same counts as
 * the manifest, so the history alone says what each backup held. */
char *
pqs_backup_tables_to_json (GArray *tables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; tables != NULL && i < tables->len; i++)
    {
      PqsBackupTableCount *count = &g_array_index (tables, PqsBackupTableCount, i);

      json_builder_set_member_name (builder, count->name);
      json_builder_add_int_value (builder, count->rows);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gint64
pqs_backup_history_insert_running (PqsStore            *store,
                                   const PqsBackupInfo *info,
                                   GError             **error)
{
  g_autofree char *tables = pqs_backup_tables_to_json (info->tables);
  sqlite3_stmt *stmt;

  if (!pqs_backup_history_exists (store))
    return 0;

  stmt = pqs_store_prepare (store,
                            "INSERT INTO backup_history (backup_type, backup_path, "
                            "tables_backed_up, backup_status, schema_version, is_compressed, "
                            "is_encrypted, created_by) "
                            "VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7)",
                            error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, pqs_backup_type_to_string (info->type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, info->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, tables, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, info->schema_version);
  sqlite3_bind_int (stmt, 5, info->compressed);
  sqlite3_bind_int (stmt, 6, info->encrypted);
  sqlite3_bind_text (stmt, 7, info->created_by, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return -1;

  return sqlite3_last_insert_rowid (pqs_store_get_handle (store));
}

typedef struct
{
  const PqsBackupInfo *info;
  const char          *error_message;
} FinishJob;

static gboolean
finish_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  FinishJob *job = data;
  const PqsBackupInfo *info = job->info;
  g_autofree char *tables = pqs_backup_tables_to_json (info->tables);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (store,
                            "UPDATE backup_history SET backup_status = ?2, backup_path = ?3, "
                            "backup_size = ?4, checksum_sha256 = ?5, error_message = ?6, "
                            "tables_backed_up = ?7, "
                            "completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                            "WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->history_id);
  sqlite3_bind_text (stmt, 2, job->error_message == NULL ? "completed" : "failed", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, info->path, -1, SQLITE_TRANSIENT);
  if (job->error_message == NULL)
    {
      sqlite3_bind_int64 (stmt, 4, info->size);
      sqlite3_bind_text (stmt, 5, info->checksum_sha256, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 6, job->error_message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, tables, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  /* The backup's audit row, with its history row. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "history_id");
  json_builder_add_int_value (builder, info->history_id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, pqs_backup_type_to_string (info->type));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, info->path != NULL ? info->path : "");
  json_builder_set_member_name (builder, "by");
  json_builder_add_string_value (builder, info->created_by != NULL ? info->created_by : "");
  if (job->error_message == NULL)
    {
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, info->checksum_sha256 != NULL ?
                                              info->checksum_sha256 : "");
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, job->error_message);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return pqs_audit_append_system (store,
                                  job->error_message == NULL ? "backup.create" : "backup.failed",
                                  "backup", details, error);
}

gboolean
pqs_backup_history_finish (PqsStore            *store,
                           const PqsBackupInfo *info,
                           const char          *error_message,
                           GError             **error)
{
  FinishJob job = { info, error_message };

  if (info->history_id <= 0 || !pqs_store_is_open (store))
    return TRUE;

  return pqs_store_transaction (store, finish_cb, &job, error);
}

/* Interrupted backups ------------------------------------------------------- */

/* Every backup in progress holds a shared flock() on the backup folder
 * itself, whatever the process; flock() locks belong to the open file, so two
 * services in one process see each other too. No file is added to the folder. */
static int
open_running_lock (PqsBackupService *self,
                   gboolean          make_folder)
{
  if (self->backup_dir == NULL ||
      (make_folder && g_mkdir_with_parents (self->backup_dir, 0700) != 0))
    return -1;
  return g_open (self->backup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
}

/* Returns: a descriptor to give to pqs_backup_running_unlock(), or -1 when
 * the folder cannot hold the lock (then an interrupted backup is only found
 * once nothing else holds it either). */
int
pqs_backup_running_lock (PqsBackupService *self)
{
  int fd = open_running_lock (self, TRUE);

  if (fd >= 0 && flock (fd, LOCK_SH) != 0)
    {
      close (fd);
      fd = -1;
    }
  return fd;
}

void
pqs_backup_running_unlock (int fd)
{
  if (fd >= 0)
    close (fd);
}

/* Marks the rows of backups that a crash left 'running' as failed: only when
 * no backup at all is in progress, which the lock tells. */
void
pqs_backup_history_mark_interrupted (PqsBackupService *self)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  int fd;

  if (!pqs_backup_history_exists (self->store) || pqs_store_is_read_only (self->store))
    return;

  /* No folder: no backup has run there, none can be running. */
  fd = open_running_lock (self, FALSE);
  if (fd < 0)
    return;
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      return;
    }

  stmt = pqs_store_prepare (self->store,
                            "UPDATE backup_history SET backup_status = 'failed', "
                            "error_message = ?1, "
                            "completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                            "WHERE backup_status = 'running'",
                            &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1,
                         _("The backup was interrupted before it finished (the program "
                           "stopped or the computer went off); no backup file was made."),
                         -1, SQLITE_TRANSIENT);
      pqs_store_step_done (self->store, stmt, &error);
    }
  if (error != NULL)
    g_warning ("Cannot mark interrupted backups as failed: %s", error->message);
  close (fd);
}

/* List and prune -------------------------------------------------------------- */

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const PqsBackupInfo *x = *(PqsBackupInfo * const *) a;
  const PqsBackupInfo *y = *(PqsBackupInfo * const *) b;
  int order = g_strcmp0 (y->created_at, x->created_at);

  if (order != 0)
    return order;
  return y->history_id < x->history_id ? -1 : y->history_id > x->history_id;
}

static gboolean
is_backup_name (const char *name)
{
  return g_str_has_suffix (name, PLAIN_EXTENSION) || g_str_has_suffix (name, PACKED_EXTENSION);
}

/**
 * pqs_backup_service_list:
 * @self: a #PqsBackupService
 * @error: return location for a #GError
 *
 * Lists the backups the database's `backup_history` knows (with whether
 * their file is still there) and the backup files of the backup folder it
 * does not know (status %NULL), newest first.
 *
 * Returns: (transfer container) (element-type PqsBackupInfo): the backups
 */
GPtrArray *
pqs_backup_service_list (PqsBackupService  *self,
                         GError           **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_backup_info_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);

  pqs_backup_history_mark_interrupted (self);
  if (pqs_backup_history_exists (self->store))
    {
      sqlite3_stmt *stmt;
      int rc;

      stmt = pqs_store_prepare (self->store,
                                "SELECT id, backup_type, backup_path, backup_size, "
                                "checksum_sha256, schema_version, is_compressed, is_encrypted, "
                                "created_by, created_at, completed_at, error_message, "
                                "backup_status FROM backup_history",
                                error);
      if (stmt == NULL)
        return NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *path = (const char *) sqlite3_column_text (stmt, 2);
          PqsBackupInfo *info = pqs_backup_info_new_for_path (path);
          g_autofree char *manifest = manifest_path_for (info->path);

          info->history_id = sqlite3_column_int64 (stmt, 0);
          pqs_backup_type_from_string ((const char *) sqlite3_column_text (stmt, 1), &info->type);
          if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
            info->size = sqlite3_column_int64 (stmt, 3);
          info->checksum_sha256 = column_text (stmt, 4);
          if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
            info->schema_version = sqlite3_column_int (stmt, 5);
          info->compressed = sqlite3_column_int (stmt, 6);
          info->encrypted = sqlite3_column_int (stmt, 7);
          info->created_by = column_text (stmt, 8);
          info->created_at = column_text (stmt, 9);
          info->completed_at = column_text (stmt, 10);
          info->error_message = column_text (stmt, 11);
          info->status = column_text (stmt, 12);
          info->file_exists = g_file_test (info->path, G_FILE_TEST_IS_REGULAR);
          info->has_manifest = g_file_test (manifest, G_FILE_TEST_IS_REGULAR);
          g_hash_table_add (seen, info->path);
          g_ptr_array_add (list, info);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc,
                                                NULL), NULL;
    }

  dir = g_dir_open (self->backup_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(PqsBackupInfo) info = NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GFileInfo) file_info = NULL;
      gboolean found = FALSE;

      if (!is_backup_name (name))
        continue;
      path = g_build_filename (self->backup_dir, name, NULL);
      if (g_hash_table_contains (seen, path))
        continue;

      info = pqs_backup_info_new_for_path (path);
      info->file_exists = TRUE;
      if (!pqs_backup_manifest_read (info, &found, NULL) || !found)
        {
          file = g_file_new_for_path (path);
          file_info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                         G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                         G_FILE_QUERY_INFO_NONE, NULL, NULL);
          if (file_info != NULL)
            {
              g_autoptr(GDateTime) modified = g_file_info_get_modification_date_time (file_info);
              g_autoptr(GDateTime) utc = g_date_time_to_utc (modified);

              info->size = g_file_info_get_size (file_info);
              info->created_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
            }
          info->compressed = g_str_has_suffix (name, PACKED_EXTENSION);
        }
      g_ptr_array_add (list, g_steal_pointer (&info));
    }

  g_ptr_array_sort (list, compare_newest_first);
  return g_steal_pointer (&list);
}

static gboolean
in_backup_dir (PqsBackupService *self,
               const char       *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *a = g_canonicalize_filename (folder, NULL);
  g_autofree char *b = g_canonicalize_filename (self->backup_dir, NULL);

  return g_str_equal (a, b);
}

/* Temporary files of copies killed midway (never finished-looking, but they
 * take space); a day old, no copy can still be writing them. */
static void
remove_stale_partials (PqsBackupService *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->backup_dir, 0, NULL);
  gint64 limit = g_get_real_time () / G_USEC_PER_SEC - 24 * 3600;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf buf;

      if (strstr (name, ".partial") == NULL)
        continue;
      path = g_build_filename (self->backup_dir, name, NULL);
      if (g_stat (path, &buf) == 0 && S_ISREG (buf.st_mode) && buf.st_mtime < limit)
        g_unlink (path);
    }
}

/**
 * pqs_backup_service_prune:
 * @self: a #PqsBackupService
 * @keep_count: keep the newest this many backups; 0 for no count rule
 * @max_age_days: keep the backups younger than this many days; 0 for no age rule
 * @error: return location for a #GError
 *
 * Applies the retention rules to the completed backups of `backup_history`
 * that live in the backup folder: a backup is removed (file and manifest,
 * its row marked `pruned`) only when no rule keeps it, and the newest backup
 * whose file exists is always kept, whatever the rules say. Files that the
 * history does not know are never touched, except the temporary files of
 * interrupted backups older than a day.
 *
 * Returns: (transfer container) (element-type PqsBackupInfo): the backups removed
 */
GPtrArray *
pqs_backup_service_prune (PqsBackupService  *self,
                          guint              keep_count,
                          guint              max_age_days,
                          GError           **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_backup_info_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean kept_newest_good = FALSE;
  guint rank = 0;

  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  all = pqs_backup_service_list (self, error);
  if (all == NULL)
    return NULL;
  remove_stale_partials (self);
  if (keep_count == 0 && max_age_days == 0)
    return g_steal_pointer (&removed);

  for (guint i = 0; i < all->len; i++)
    {
      PqsBackupInfo *info = g_ptr_array_index (all, i);
      g_autoptr(GDateTime) created = NULL;
      g_autofree char *manifest = NULL;
      gboolean keep = FALSE;
      sqlite3_stmt *stmt;

      if (g_strcmp0 (info->status, "completed") != 0 || !in_backup_dir (self, info->path))
        continue;

      if (keep_count > 0 && rank < keep_count)
        keep = TRUE;
      rank++;

      created = info->created_at != NULL ? g_date_time_new_from_iso8601 (info->created_at, NULL)
                                         : NULL;
      if (max_age_days > 0 &&
          (created == NULL ||
           g_date_time_difference (now, created) < (GTimeSpan) max_age_days * G_TIME_SPAN_DAY))
        keep = TRUE;

      /* The newest good backup stays, whatever the rules say. */
      if (info->file_exists && !kept_newest_good)
        {
          kept_newest_good = TRUE;
          keep = TRUE;
        }

      if (keep)
        continue;

      if (g_unlink (info->path) != 0 && errno != ENOENT)
        {
          pqs_backup_set_io_error (error, errno, _("Cannot delete the old backup “%s”"),
                                   info->path);
          return NULL;
        }
      manifest = manifest_path_for (info->path);
      g_unlink (manifest);

      stmt = pqs_store_prepare (self->store,
                                "UPDATE backup_history SET backup_status = 'pruned' WHERE id = ?1",
                                error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, info->history_id);
      if (!pqs_store_step_done (self->store, stmt, error))
        return NULL;

      g_free (info->status);
      info->status = g_strdup ("pruned");
      info->file_exists = FALSE;
      g_ptr_array_add (removed, pqs_backup_info_copy (info));
    }

  return g_steal_pointer (&removed);
}
