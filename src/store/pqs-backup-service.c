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
#include "pqs-migrator.h"
#include "pqs-paths.h"
#include "pqs-store.h"

#define MANIFEST_SUFFIX  ".manifest.json"
#define PLAIN_EXTENSION  ".db"
#define PACKED_EXTENSION ".pqsbak"

struct _PqsBackupService
{
  GObject   parent_instance;

  PqsStore *store;
  char     *backup_dir;
  char     *migrations_dir;
};

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

static PqsBackupInfo *
info_new (const char *path)
{
  PqsBackupInfo *info = g_new0 (PqsBackupInfo, 1);

  info->path = g_strdup (path);
  info->size = -1;
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

/* Manifests ------------------------------------------------------------------ */

static char *
manifest_path_for (const char *path)
{
  return g_strconcat (path, MANIFEST_SUFFIX, NULL);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

static gboolean
write_manifest (const PqsBackupInfo  *info,
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

/* Reads the manifest beside @info->path into @info, when there is one. */
static gboolean
read_manifest (PqsBackupInfo  *info,
               gboolean       *out_found,
               GError        **error)
{
  g_autofree char *path = manifest_path_for (info->path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *root;

  *out_found = FALSE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  if (!json_parser_load_from_mapped_file (parser, path, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;

  object = json_node_get_object (root);
  if (g_strcmp0 (member_string (object, "format"), "pqs-desk-backup") != 0 ||
      member_string (object, "sha256") == NULL ||
      !json_object_has_member (object, "tables"))
    goto bad;

  g_free (info->checksum_sha256);
  info->checksum_sha256 = g_strdup (member_string (object, "sha256"));
  info->size = member_int (object, "size");
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

static gboolean
history_exists (PqsStore *store)
{
  gboolean exists = FALSE;

  return store != NULL && pqs_store_is_open (store) &&
         pqs_store_table_exists (store, "backup_history", &exists, NULL) && exists;
}

static char *
tables_json (GArray *tables)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; tables != NULL && i < tables->len; i++)
    json_builder_add_string_value (builder,
                                   g_array_index (tables, PqsBackupTableCount, i).name);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gint64
history_insert_running (PqsStore            *store,
                        const PqsBackupInfo *info,
                        GError             **error)
{
  g_autofree char *tables = tables_json (info->tables);
  sqlite3_stmt *stmt;

  if (!history_exists (store))
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

static gboolean
history_finish (PqsStore            *store,
                const PqsBackupInfo *info,
                const char          *error_message,
                GError             **error)
{
  sqlite3_stmt *stmt;

  if (info->history_id <= 0 || !pqs_store_is_open (store))
    return TRUE;

  stmt = pqs_store_prepare (store,
                            "UPDATE backup_history SET backup_status = ?2, backup_path = ?3, "
                            "backup_size = ?4, checksum_sha256 = ?5, error_message = ?6, "
                            "completed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                            "WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->history_id);
  sqlite3_bind_text (stmt, 2, error_message == NULL ? "completed" : "failed", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, info->path, -1, SQLITE_TRANSIENT);
  if (error_message == NULL)
    {
      sqlite3_bind_int64 (stmt, 4, info->size);
      sqlite3_bind_text (stmt, 5, info->checksum_sha256, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 6, error_message, -1, SQLITE_TRANSIENT);

  return pqs_store_step_done (store, stmt, error);
}

/* Progress ------------------------------------------------------------------ */

typedef struct
{
  PqsBackupProgressFunc  func;
  gpointer               data;
  GMainContext          *context;   /* NULL: call directly */
  double                 base;
  double                 span;
  int                    last_percent;
} Progress;

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
progress_report (Progress   *progress,
                 const char *stage,
                 double      fraction)
{
  ProgressCall *call;
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
  g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, progress_call_cb, call,
                              progress_call_free);
}

static void
byte_progress_cb (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  if (total > 0)
    progress_report (user_data, NULL, (double) done / (double) total);
}

static gboolean
check_cancelled (GCancellable  *cancellable,
                 GError       **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return TRUE;

  g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED,
                       _("The operation was cancelled; nothing was changed."));
  return FALSE;
}

static void
map_cancelled (GError **error)
{
  if (error != NULL && *error != NULL &&
      g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (error);
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED,
                           _("The operation was cancelled; nothing was changed."));
    }
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
                   Progress                  *progress,
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

  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return FALSE;

  return pqs_backup_fsync_path (partial, FALSE, error);
}

static PqsBackupInfo *
create_internal (PqsBackupService        *self,
                 PqsStore                *conn,
                 const PqsBackupOptions  *options,
                 Progress                *progress,
                 GCancellable            *cancellable,
                 GError                 **error)
{
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *partial = NULL;
  const char *src;
  sqlite3 *db;
  gint64 t0 = g_get_monotonic_time ();
  gint64 t_snapshot, t_counts, t_pack, t_checksum;

  folder = options->output_path != NULL ? g_path_get_dirname (options->output_path)
                                        : g_strdup (self->backup_dir);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      pqs_backup_set_io_error (error, errno, _("Cannot create the backup folder “%s”"), folder);
      return NULL;
    }

  info = info_new (options->output_path);
  info->type = options->type;
  info->compressed = options->compress;
  info->encrypted = options->passphrase != NULL;
  info->created_by = g_strdup (options->created_by);
  info->created_at = now_iso8601 ();

  if (!check_cancelled (cancellable, error))
    return NULL;

  /* 1. A consistent copy, in one step of the online backup API. */
  progress_report (progress, _("Copying the database"), 0.0);
  stem = options->output_path != NULL ? g_strdup (options->output_path)
                                      : g_build_filename (folder, "pqs-backup", NULL);
  staging = pqs_backup_partial_name (stem, "snapshot-", FALSE, NULL, &local_error);
  if (staging == NULL || !pqs_store_snapshot (conn, staging, &local_error))
    goto failed;

  /* 2. What it holds, for the manifest and the history. */
  t_snapshot = g_get_monotonic_time ();
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
  info->history_id = history_insert_running (conn, info, &local_error);
  if (info->history_id < 0)
    goto failed;

  /* 3. Compression and encryption, into another temporary file. */
  t_counts = g_get_monotonic_time ();
  src = staging;
  if (info->compressed || info->encrypted)
    {
      Progress sub = { 0, };
      int fd = -1;

      if (!check_cancelled (cancellable, &local_error))
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
  else if (!pqs_backup_fsync_path (staging, FALSE, &local_error))
    goto failed;

  /* 4. The checksum of the file as written, then its final name. */
  t_pack = g_get_monotonic_time ();
  progress_report (progress, _("Computing the checksum"), 0.9);
  g_free (info->checksum_sha256);
  info->checksum_sha256 = pqs_backup_sha256_file (src, &info->size, &local_error);
  if (info->checksum_sha256 == NULL)
    goto failed;

  t_checksum = g_get_monotonic_time ();
  if (!check_cancelled (cancellable, &local_error) ||
      !publish (self, options, info, src, &local_error))
    goto failed;
  info->file_exists = TRUE;

  /* The manifest comes after the file: a crash in between leaves a backup
   * that still verifies on its own, never a manifest without its file. */
  if (!write_manifest (info, &local_error))
    goto failed;
  info->has_manifest = TRUE;

  if (!history_finish (conn, info, NULL, &local_error))
    goto failed;
  g_free (info->status);
  info->status = g_strdup ("completed");

  g_debug ("Backup %s: snapshot %.3f s, row counts %.3f s, packing %.3f s, checksum %.3f s, "
           "total %.3f s", info->path, (t_snapshot - t0) / 1e6, (t_counts - t_snapshot) / 1e6,
           (t_pack - t_counts) / 1e6, (t_checksum - t_pack) / 1e6,
           (g_get_monotonic_time () - t0) / 1e6);
  progress_report (progress, _("Done"), 1.0);
  return g_steal_pointer (&info);

failed:
  map_cancelled (&local_error);
  pqs_backup_unlink_quietly (staging);
  pqs_backup_unlink_quietly (partial);
  if (info->history_id == 0 && history_exists (conn))
    {
      if (info->path == NULL)
        info->path = g_strdup (folder);
      info->history_id = history_insert_running (conn, info, NULL);
    }
  if (info->history_id > 0)
    history_finish (conn, info, local_error->message, NULL);
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
  Progress state = { progress, progress_data, NULL, 0.0, 1.0, -1 };

  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return create_internal (self, self->store, options, &state, cancellable, error);
}

typedef struct
{
  PqsBackupOptions options;
  Progress         progress;
  GDestroyNotify   progress_data_free;
} CreateJob;

static void
free_passphrase (char *passphrase)
{
  if (passphrase != NULL)
    sodium_memzero (passphrase, strlen (passphrase));
  g_free (passphrase);
}

static void
create_job_free (CreateJob *job)
{
  free_passphrase ((char *) job->options.passphrase);
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

  info = create_internal (self, conn, &job->options, &job->progress, cancellable, &error);
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

/* Verify ------------------------------------------------------------------ */

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
                         G_GINT64_FORMAT " rows, the manifest says %" G_GINT64_FORMAT "."),
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
  g_autoptr(PqsBackupInfo) info = info_new (path);
  g_autoptr(PqsBackupInfo) manifest = info_new (path);
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

  if (!read_manifest (manifest, &has_manifest, error))
    return NULL;
  info->has_manifest = has_manifest;
  if (has_manifest)
    {
      info->type = manifest->type;
      info->created_at = g_strdup (manifest->created_at);
      info->created_by = g_strdup (manifest->created_by);
    }

  info->checksum_sha256 = pqs_backup_sha256_file (path, &info->size, error);
  if (info->checksum_sha256 == NULL)
    return NULL;
  if (has_manifest && g_strcmp0 (info->checksum_sha256, manifest->checksum_sha256) != 0)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: its contents changed since it was made "
                             "(the checksum does not match its manifest)."));
      return NULL;
    }

  if (!check_cancelled (cancellable, error))
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
          out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable,
                                &local_error);
          if (out == NULL ||
              !pqs_backup_format_decode (path, passphrase, G_OUTPUT_STREAM (out), NULL, NULL,
                                         cancellable, &local_error) ||
              !g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &local_error))
            goto failed;
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
  map_cancelled (&local_error);
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
  free_passphrase (job->passphrase);
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
              GError           **error)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (self->store);

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

/* The part of a restore that touches the live database: close, swap, reopen,
 * migrate forward, check; on any failure, the restore point goes back. */
static gboolean
swap_in (PqsBackupService     *self,
         const char           *staging,
         const PqsBackupInfo  *restore_point,
         GError              **error)
{
  const char *db_path = pqs_store_get_path (self->store);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) rollback_error = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autofree char *check = NULL;
  PqsBackupInfo record;

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

  migrator = new_migrator (self, &local_error);
  if (migrator == NULL || !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &local_error))
    goto failed;

  {
    sqlite3_stmt *stmt = pqs_store_prepare (self->store, "PRAGMA quick_check", &local_error);

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
  }

  /* The restored history predates the restore point: record it there too. */
  record = *restore_point;
  record.history_id = history_insert_running (self->store, &record, NULL);
  if (record.history_id > 0)
    history_finish (self->store, &record, NULL, NULL);

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

  if (!check_cancelled (cancellable, error))
    return FALSE;

  job->restore_point = create_internal (self, conn, &options, NULL, cancellable, error);
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
 * then a restore point is taken, the store's connections are closed, the file
 * is swapped in with one rename, reopened, migrated forward when older and
 * checked. On any failure after the swap the restore point is put back.
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
  g_autoptr(PqsStore) conn = NULL;
  GError *error = NULL;

  conn = pqs_store_open_secondary (self->store, &error);
  if (conn == NULL || !prepare_restore (self, conn, task_data, cancellable, &error))
    {
      if (conn != NULL)
        pqs_store_close (conn);
      g_task_return_error (task, error);
      return;
    }

  pqs_store_close (conn);
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
 * taking the restore point) runs in a thread; the swap itself runs in the
 * caller's main context, where the store is used. Do not write to the store
 * until @callback runs.
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

  if (history_exists (self->store))
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
          PqsBackupInfo *info = info_new ((const char *) sqlite3_column_text (stmt, 2));
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

      info = info_new (path);
      info->file_exists = TRUE;
      if (!read_manifest (info, &found, NULL) || !found)
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
  g_return_val_if_fail (store == NULL || PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_BACKUP_SERVICE,
                       "store", store,
                       "backup-dir", backup_dir,
                       NULL);
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
