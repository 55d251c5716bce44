/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pqs-migrator.h"
#include "pqs-migrator-private.h"

#define RESOURCE_DIR RESOURCE_PREFIX "/migrations/"

typedef struct
{
  char *file_name;
  char *text;
} SourceFile;

static void
source_file_free (SourceFile *file)
{
  g_free (file->file_name);
  g_free (file->text);
  g_free (file);
}

/* Files found so far, by base name; a development folder replaces a compiled-in file of the
 * same name. */
static gboolean
add_source (GHashTable  *files,
            const char  *file_name,
            GBytes      *bytes,
            GError     **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  SourceFile *file;

  if (!g_utf8_validate_len (data, size, NULL) || memchr (data, '\0', size) != NULL)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_FAILED,
                   _("Migration “%s” is not a UTF-8 text file."), file_name);
      return FALSE;
    }

  file = g_new0 (SourceFile, 1);
  file->file_name = g_strdup (file_name);
  file->text = g_strndup (data, size);
  g_hash_table_replace (files, file->file_name, file);

  return TRUE;
}

static gboolean
collect_resources (GHashTable  *files,
                   GError     **error)
{
  g_auto(GStrv) names = NULL;

  names = g_resources_enumerate_children (RESOURCE_DIR, 0, NULL);
  if (names == NULL)
    return TRUE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_DIR, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;

      if (!g_str_has_suffix (names[i], ".sql"))
        continue;

      bytes = g_resources_lookup_data (path, 0, error);
      if (bytes == NULL || !add_source (files, names[i], bytes, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
collect_directory (GHashTable  *files,
                   const char  *dir_path,
                   GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;

      if (!g_str_has_suffix (name, ".sql"))
        continue;

      path = g_build_filename (dir_path, name, NULL);
      if (!g_file_get_contents (path, &contents, &length, error))
        return FALSE;

      bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
      if (!add_source (files, name, bytes, error))
        return FALSE;
    }

  return TRUE;
}

static gint
compare_versions (gconstpointer a,
                  gconstpointer b)
{
  PqsMigration *ma = *(PqsMigration **) a;
  PqsMigration *mb = *(PqsMigration **) b;

  return (gint) pqs_migration_get_version (ma) - (gint) pqs_migration_get_version (mb);
}

static GPtrArray *
build_migrations (GHashTable  *files,
                  GError     **error)
{
  g_autoptr(GPtrArray) migrations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_version = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) downs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SourceFile *file = value;
      g_autoptr(PqsMigration) migration = NULL;
      PqsMigration *other;
      gboolean is_down = FALSE;
      guint version = 0;

      if (!pqs_migration_parse_file_name (file->file_name, &version, NULL, &is_down, error))
        return NULL;

      if (is_down)
        {
          g_ptr_array_add (downs, file);
          continue;
        }

      migration = pqs_migration_new_from_text (file->file_name, file->text, NULL, error);
      if (migration == NULL)
        return NULL;

      other = g_hash_table_lookup (by_version, GUINT_TO_POINTER (version));
      if (other != NULL)
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_DUPLICATE,
                       _("Two migrations have version %03u: “%s” and “%s”."), version,
                       pqs_migration_get_file_name (other), file->file_name);
          return NULL;
        }

      g_hash_table_insert (by_version, GUINT_TO_POINTER (version), migration);
      g_ptr_array_add (migrations, g_steal_pointer (&migration));
    }

  for (guint i = 0; i < downs->len; i++)
    {
      SourceFile *file = g_ptr_array_index (downs, i);
      PqsMigration *migration;
      guint version = 0;

      pqs_migration_parse_file_name (file->file_name, &version, NULL, NULL, NULL);
      migration = g_hash_table_lookup (by_version, GUINT_TO_POINTER (version));
      if (migration == NULL)
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_MISSING,
                       _("Rollback file “%s” has no migration %03u beside it."),
                       file->file_name, version);
          return NULL;
        }

      if (!pqs_migration_set_down_sql (migration, file->file_name, file->text, error))
        return NULL;
    }

  g_ptr_array_sort (migrations, compare_versions);

  for (guint i = 0; i < migrations->len; i++)
    {
      guint version = pqs_migration_get_version (g_ptr_array_index (migrations, i));

      if (version != i + 1)
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_GAP,
                       _("Migration %03u is missing: the files jump from %03u to %03u."),
                       i + 1, i, version);
          return NULL;
        }
    }

  return g_steal_pointer (&migrations);
}

/**
 * pqs_migrator_files_load:
 * @include_resources: whether to start from the migrations compiled into the program
 * @dir: (nullable): a folder of migration files, added to (and replacing by
 *   name) the compiled-in ones
 * @error: return location for a #GError
 *
 * Finds the migrations: `NNN_name.sql` files with optional `NNN_name.down.sql`
 * rollback files. Malformed names, empty files, duplicate versions, rollback
 * files without their migration and gaps are errors that name the file.
 *
 * Returns: (transfer container) (element-type PqsMigration): the migrations,
 *   version 1 first, or %NULL with @error set
 */
GPtrArray *
pqs_migrator_files_load (gboolean     include_resources,
                         const char  *dir,
                         GError     **error)
{
  g_autoptr(GHashTable) files = NULL;

  files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) source_file_free);

  if (include_resources && !collect_resources (files, error))
    return NULL;
  if (dir != NULL && !collect_directory (files, dir, error))
    return NULL;

  return build_migrations (files, error);
}
