/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pqs-migration.h"
#include "pqs-migrator.h"

struct _PqsMigration
{
  GObject   parent_instance;

  guint     version;
  char     *name;
  char     *file_name;
  char     *checksum;
  char     *up_sql;
  char     *down_sql;
  gboolean  foreign_keys_off;
  gboolean  down_foreign_keys_off;
};

G_DEFINE_FINAL_TYPE (PqsMigration, pqs_migration, G_TYPE_OBJECT)

#define DIRECTIVE_PREFIX "-- pqs:"

/**
 * pqs_migration_parse_file_name:
 * @file_name: a base name such as `003_documents.sql` or `003_documents.down.sql`
 * @out_version: (out) (optional): 3
 * @out_name: (out) (optional): `documents`
 * @out_is_down: (out) (optional): whether it is a rollback file
 * @error: return location for a #GError
 *
 * Migration files are named `NNN_snake_name.sql`: three digits (001–999), an
 * underscore, lower-case letters, digits and underscores.
 *
 * Returns: %TRUE when the name is well-formed
 */
gboolean
pqs_migration_parse_file_name (const char  *file_name,
                               guint       *out_version,
                               char       **out_name,
                               gboolean    *out_is_down,
                               GError     **error)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;
  guint version;

  g_return_val_if_fail (file_name != NULL, FALSE);

  regex = g_regex_new ("^([0-9]{3})_([a-z0-9]+(?:_[a-z0-9]+)*)(\\.down)?\\.sql$", 0, 0, NULL);
  g_assert (regex != NULL);

  if (!g_regex_match (regex, file_name, 0, &match))
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME,
                   _("“%s” is not a valid migration file name: expected NNN_snake_name.sql "
                     "or NNN_snake_name.down.sql, for example 007_add_reviews.sql."),
                   file_name);
      return FALSE;
    }

  digits = g_match_info_fetch (match, 1);
  version = (guint) g_ascii_strtoull (digits, NULL, 10);
  if (version == 0)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME,
                   _("“%s” is not a valid migration file name: versions start at 001."),
                   file_name);
      return FALSE;
    }

  if (out_version != NULL)
    *out_version = version;
  if (out_name != NULL)
    *out_name = g_match_info_fetch (match, 2);
  if (out_is_down != NULL)
    {
      g_autofree char *down = g_match_info_fetch (match, 3);

      *out_is_down = down != NULL && *down != '\0';
    }

  return TRUE;
}

/**
 * pqs_migration_checksum:
 * @sql: a migration file's text
 *
 * The SHA-256 of @sql with its line endings normalised to LF and a leading
 * byte-order mark dropped, so that a checkout on another system does not look
 * tampered with.
 *
 * Returns: (transfer full): the checksum as 64 hex digits
 */
char *
pqs_migration_checksum (const char *sql)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *p = sql;
  const char *run = sql;

  g_return_val_if_fail (sql != NULL, NULL);

  if (g_str_has_prefix (p, "\xEF\xBB\xBF"))
    run = p = sql + 3;

  for (; *p != '\0'; p++)
    {
      if (*p != '\r')
        continue;

      g_checksum_update (checksum, (const guchar *) run, p - run);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
      if (p[1] == '\n')
        p++;
      run = p + 1;
    }
  g_checksum_update (checksum, (const guchar *) run, p - run);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Whether @sql holds anything but white space and comments. */
static gboolean
has_statements (const char *sql)
{
  const char *p = sql;

  while (*p != '\0')
    {
      if (g_ascii_isspace (*p))
        p++;
      else if (p[0] == '-' && p[1] == '-')
        {
          p = strchr (p, '\n');
          if (p == NULL)
            return FALSE;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          p = strstr (p + 2, "*/");
          if (p == NULL)
            return FALSE;
          p += 2;
        }
      else
        return TRUE;
    }

  return FALSE;
}

static gboolean
parse_directives (const char  *file_name,
                  const char  *sql,
                  gboolean    *out_foreign_keys_off,
                  GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (sql, "\n", -1);

  *out_foreign_keys_off = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      const char *directive;

      if (!g_str_has_prefix (line, DIRECTIVE_PREFIX))
        continue;

      directive = line + strlen (DIRECTIVE_PREFIX);
      while (g_ascii_isspace (*directive))
        directive++;

      if (g_str_equal (directive, "foreign-keys=off"))
        *out_foreign_keys_off = TRUE;
      else
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_DIRECTIVE,
                       _("%s, line %u: unknown directive “%s” (known: “-- pqs:foreign-keys=off”)."),
                       file_name, i + 1, line);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * pqs_migration_new_from_text:
 * @file_name: the up file's base name
 * @up_sql: its text
 * @down_sql: (nullable): the text of the matching `.down.sql`, if any
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the migration, or %NULL when the name, the
 *   directives or the content are not acceptable.
 */
PqsMigration *
pqs_migration_new_from_text (const char  *file_name,
                             const char  *up_sql,
                             const char  *down_sql,
                             GError     **error)
{
  g_autoptr(PqsMigration) self = NULL;
  g_autofree char *name = NULL;
  gboolean is_down = FALSE;
  guint version = 0;

  g_return_val_if_fail (file_name != NULL, NULL);
  g_return_val_if_fail (up_sql != NULL, NULL);

  if (!pqs_migration_parse_file_name (file_name, &version, &name, &is_down, error))
    return NULL;

  if (is_down)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME,
                   _("“%s” is a rollback file; it needs its migration beside it."), file_name);
      return NULL;
    }

  if (!has_statements (up_sql))
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_EMPTY_FILE,
                   _("Migration “%s” is empty: it has no SQL statement."), file_name);
      return NULL;
    }

  self = g_object_new (PQS_TYPE_MIGRATION, NULL);
  self->version = version;
  self->name = g_steal_pointer (&name);
  self->file_name = g_strdup (file_name);
  self->up_sql = g_strdup (up_sql);
  self->checksum = pqs_migration_checksum (up_sql);

  if (!parse_directives (file_name, up_sql, &self->foreign_keys_off, error))
    return NULL;

  if (down_sql != NULL)
    {
      g_autofree char *down_name = g_strdup_printf ("%03u_%s.down.sql", version, self->name);

      if (!pqs_migration_set_down_sql (self, down_name, down_sql, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * pqs_migration_set_down_sql:
 * @self: a #PqsMigration
 * @down_file_name: the rollback file's base name, which must match the migration's
 * @down_sql: its text
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the rollback file fits this migration
 */
gboolean
pqs_migration_set_down_sql (PqsMigration  *self,
                            const char    *down_file_name,
                            const char    *down_sql,
                            GError       **error)
{
  g_autofree char *name = NULL;
  gboolean is_down = FALSE;
  guint version = 0;

  g_return_val_if_fail (PQS_IS_MIGRATION (self), FALSE);
  g_return_val_if_fail (down_file_name != NULL, FALSE);
  g_return_val_if_fail (down_sql != NULL, FALSE);

  if (!pqs_migration_parse_file_name (down_file_name, &version, &name, &is_down, error))
    return FALSE;

  if (!is_down || version != self->version || !g_str_equal (name, self->name))
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME,
                   _("“%s” does not match migration “%s”: a rollback file is named "
                     "%03u_%s.down.sql."),
                   down_file_name, self->file_name, self->version, self->name);
      return FALSE;
    }

  if (!has_statements (down_sql))
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_EMPTY_FILE,
                   _("Rollback file “%s” is empty: it has no SQL statement."), down_file_name);
      return FALSE;
    }

  if (!parse_directives (down_file_name, down_sql, &self->down_foreign_keys_off, error))
    return FALSE;

  g_free (self->down_sql);
  self->down_sql = g_strdup (down_sql);

  return TRUE;
}

guint
pqs_migration_get_version (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), 0);

  return self->version;
}

const char *
pqs_migration_get_name (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), NULL);

  return self->name;
}

const char *
pqs_migration_get_file_name (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), NULL);

  return self->file_name;
}

const char *
pqs_migration_get_checksum (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), NULL);

  return self->checksum;
}

const char *
pqs_migration_get_up_sql (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), NULL);

  return self->up_sql;
}

const char *
pqs_migration_get_down_sql (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), NULL);

  return self->down_sql;
}

gboolean
pqs_migration_get_foreign_keys_off (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), FALSE);

  return self->foreign_keys_off;
}

gboolean
pqs_migration_get_down_foreign_keys_off (PqsMigration *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATION (self), FALSE);

  return self->down_foreign_keys_off;
}

static void
pqs_migration_finalize (GObject *object)
{
  PqsMigration *self = (PqsMigration *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->file_name, g_free);
  g_clear_pointer (&self->checksum, g_free);
  g_clear_pointer (&self->up_sql, g_free);
  g_clear_pointer (&self->down_sql, g_free);

  G_OBJECT_CLASS (pqs_migration_parent_class)->finalize (object);
}

static void
pqs_migration_class_init (PqsMigrationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pqs_migration_finalize;
}

static void
pqs_migration_init (PqsMigration *self)
{
}
