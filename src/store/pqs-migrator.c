/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "pqs-audit.h"
#include "pqs-legacy-passwords.h"
#include "pqs-migrator.h"
#include "pqs-migrator-private.h"
#include "pqs-store.h"

/* A migration of a big file may hold the write lock for a while; a second
 * process that wants to migrate waits for it rather than failing. */
#define MIGRATION_BUSY_TIMEOUT_MS 120000

static const char *history_ddl =
  "CREATE TABLE IF NOT EXISTS migration_history (\n"
  "    version INTEGER PRIMARY KEY CHECK (version > 0),\n"
  "    name TEXT NOT NULL,\n"
  "    checksum TEXT NOT NULL CHECK (length(checksum) = 64),\n"
  "    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n"
  "    applied_by TEXT,\n"
  "    execution_ms INTEGER NOT NULL DEFAULT 0,\n"
  "    status TEXT NOT NULL CHECK (status IN ('applied', 'baselined')),\n"
  "    rollback_sql TEXT\n"
  ")";

/* The legacy schema: the two tables of the old desktop application. */
static const char *legacy_users_columns[] = {
  "id", "username", "email", "password_hash", "full_name", "rank", "role", "is_active",
  "avatar_path", "avatar_updated_at", "avatar_mime", "avatar_size", "created_at",
  "updated_at", NULL
};
static const char *legacy_avatars_columns[] = {
  "id", "user_id", "avatar_data", "mime_type", "file_size", "created_at", "updated_at", NULL
};

typedef struct
{
  guint   version;
  char   *name;
  char   *checksum;
  char   *applied_at;
  char   *applied_by;
  gint64  execution_ms;
  char   *status;
} HistoryRow;

static void
history_row_clear (gpointer data)
{
  HistoryRow *row = data;

  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->checksum, g_free);
  g_clear_pointer (&row->applied_at, g_free);
  g_clear_pointer (&row->applied_by, g_free);
  g_clear_pointer (&row->status, g_free);
}

typedef enum
{
  DB_EMPTY,      /* no tables at all */
  DB_LEGACY,     /* the old two-table schema, no history */
  DB_MANAGED,    /* has migration_history */
} DbKind;

typedef struct
{
  DbKind  kind;
  GArray *history;   /* HistoryRow, by version */
  guint   current;   /* highest applied version, 0 when none */
} DbState;

static void
db_state_clear (DbState *state)
{
  g_clear_pointer (&state->history, g_array_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DbState, db_state_clear)

struct _PqsMigrator
{
  GObject                  parent_instance;

  PqsStore                *store;
  GPtrArray               *migrations;   /* PqsMigration, [i] is version i + 1 */
  char                    *backup_dir;
  char                    *applied_by;
  /* Whether this run writes audit rows: only when the audit trail existed
   * before it began (a database being created has nothing to audit yet). */
  gboolean                 audit_steps;
  char                    *last_backup_path;
  PqsMigratorProgressFunc  progress_func;
  gpointer                 progress_data;
};

G_DEFINE_FINAL_TYPE (PqsMigrator, pqs_migrator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (pqs-migration-error-quark, pqs_migration_error)

void
pqs_migration_status_free (PqsMigrationStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->name);
  g_free (status->file_checksum);
  g_free (status->applied_checksum);
  g_free (status->applied_at);
  g_free (status->applied_by);
  g_free (status);
}

const char *
pqs_migration_state_to_string (PqsMigrationState state)
{
  switch (state)
    {
    case PQS_MIGRATION_STATE_PENDING:
      return "pending";
    case PQS_MIGRATION_STATE_APPLIED:
      return "applied";
    case PQS_MIGRATION_STATE_BASELINED:
      return "baselined";
    case PQS_MIGRATION_STATE_CHECKSUM_MISMATCH:
      return "checksum-mismatch";
    case PQS_MIGRATION_STATE_MISSING_FILE:
      return "missing-file";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/**
 * pqs_migrator_load:
 * @self: a #PqsMigrator
 * @extra_dir: (nullable): a development folder of migration files, added to
 *   (and replacing by name) those compiled into the program
 * @error: return location for a #GError
 *
 * Finds the migrations compiled into the program and those of @extra_dir; see
 * pqs_migrator_files_load().
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_migrator_load (PqsMigrator  *self,
                   const char   *extra_dir,
                   GError      **error)
{
  g_autoptr(GPtrArray) migrations = NULL;

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);

  migrations = pqs_migrator_files_load (TRUE, extra_dir, error);
  if (migrations == NULL)
    return FALSE;

  g_clear_pointer (&self->migrations, g_ptr_array_unref);
  self->migrations = g_steal_pointer (&migrations);
  return TRUE;
}

/**
 * pqs_migrator_load_directory_only:
 * @self: a #PqsMigrator
 * @dir: a folder of migration files
 * @error: return location for a #GError
 *
 * Like pqs_migrator_load() but with only the files of @dir (for tests and for
 * checking a folder of migrations before they are compiled in).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_migrator_load_directory_only (PqsMigrator  *self,
                                  const char   *dir,
                                  GError      **error)
{
  g_autoptr(GPtrArray) migrations = NULL;

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  migrations = pqs_migrator_files_load (FALSE, dir, error);
  if (migrations == NULL)
    return FALSE;

  g_clear_pointer (&self->migrations, g_ptr_array_unref);
  self->migrations = g_steal_pointer (&migrations);
  return TRUE;
}

static gboolean
ensure_loaded (PqsMigrator  *self,
               GError      **error)
{
  if (self->migrations != NULL)
    return TRUE;

  return pqs_migrator_load (self, NULL, error);
}

/**
 * pqs_migrator_get_migrations:
 * @self: a #PqsMigrator
 *
 * Returns: (transfer none) (element-type PqsMigration) (nullable): the
 *   loaded migrations, by version
 */
GPtrArray *
pqs_migrator_get_migrations (PqsMigrator *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATOR (self), NULL);

  return self->migrations;
}

guint
pqs_migrator_get_latest_version (PqsMigrator *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATOR (self), 0);

  return self->migrations != NULL ? self->migrations->len : 0;
}

static PqsMigration *
get_migration (PqsMigrator *self,
               guint        version)
{
  g_assert (version >= 1 && version <= self->migrations->len);

  return g_ptr_array_index (self->migrations, version - 1);
}

/* Reading the database's state --------------------------------------------- */

static gboolean
read_columns (PqsStore     *store,
              const char   *table,
              GPtrArray   **out_columns,
              GError      **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (store, "SELECT name FROM pragma_table_info (?1) ORDER BY cid", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);

  *out_columns = g_steal_pointer (&columns);
  return TRUE;
}

static gboolean
columns_equal (GPtrArray   *columns,
               const char **expected)
{
  if (columns->len != g_strv_length ((char **) expected))
    return FALSE;

  for (guint i = 0; i < columns->len; i++)
    if (!g_strv_contains (expected, g_ptr_array_index (columns, i)))
      return FALSE;

  return TRUE;
}

static gboolean
read_state (PqsMigrator  *self,
            DbState      *state,
            GError      **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_history = FALSE;
  int rc;

  state->history = g_array_new (FALSE, TRUE, sizeof (HistoryRow));
  g_array_set_clear_func (state->history, history_row_clear);
  state->current = 0;

  stmt = pqs_store_prepare (self->store,
                            "SELECT name FROM sqlite_schema "
                            "WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                            "ORDER BY name",
                            error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (g_str_equal (name, "migration_history"))
        has_history = TRUE;
      g_ptr_array_add (tables, g_strdup (name));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, NULL);

  if (has_history)
    {
      state->kind = DB_MANAGED;

      stmt = pqs_store_prepare (self->store,
                                "SELECT version, name, checksum, applied_at, applied_by, "
                                "execution_ms, status FROM migration_history ORDER BY version",
                                error);
      if (stmt == NULL)
        return FALSE;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          HistoryRow row = { 0, };

          row.version = (guint) sqlite3_column_int64 (stmt, 0);
          row.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          row.checksum = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          row.applied_at = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          row.applied_by = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          row.execution_ms = sqlite3_column_int64 (stmt, 5);
          row.status = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
          g_array_append_val (state->history, row);
          state->current = MAX (state->current, row.version);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc,
                                                NULL);
      return TRUE;
    }

  if (tables->len == 0)
    {
      state->kind = DB_EMPTY;
      return TRUE;
    }

  if (tables->len == 2 &&
      g_str_equal (g_ptr_array_index (tables, 0), "avatars") &&
      g_str_equal (g_ptr_array_index (tables, 1), "users"))
    {
      g_autoptr(GPtrArray) users = NULL;
      g_autoptr(GPtrArray) avatars = NULL;

      if (!read_columns (self->store, "users", &users, error) ||
          !read_columns (self->store, "avatars", &avatars, error))
        return FALSE;

      if (columns_equal (users, legacy_users_columns) &&
          columns_equal (avatars, legacy_avatars_columns))
        {
          state->kind = DB_LEGACY;
          return TRUE;
        }
    }

  {
    g_autofree char *list = NULL;

    g_ptr_array_add (tables, NULL);
    list = g_strjoinv (", ", (char **) tables->pdata);
    g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_UNKNOWN_SCHEMA,
                 _("The database has tables but no migration history, and they are not a "
                   "layout PQS Desk knows (found: %s). Nothing was changed."),
                 list);
  }

  return FALSE;
}

/* Checks that the applied history is one this program can continue. */
static gboolean
validate_state (PqsMigrator  *self,
                DbState      *state,
                GError      **error)
{
  guint latest = self->migrations->len;

  if (state->current > latest)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_NEWER_DATABASE,
                   _("The database was written by a newer version of PQS Desk "
                     "(schema %u, this program knows %u). Update PQS Desk; nothing was "
                     "changed."),
                   state->current, latest);
      return FALSE;
    }

  for (guint i = 0; i < state->history->len; i++)
    {
      HistoryRow *row = &g_array_index (state->history, HistoryRow, i);
      PqsMigration *migration;

      if (row->version != i + 1)
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_GAP,
                       _("The database’s migration history has a gap: version %03u is "
                         "missing but %03u is applied. Restore a backup; nothing was "
                         "changed."),
                       i + 1, row->version);
          return FALSE;
        }

      migration = get_migration (self, row->version);
      if (!g_str_equal (row->name, pqs_migration_get_name (migration)))
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_MISSING,
                       _("Applied migration %03u_%s is missing from this program (it has "
                         "%s instead). Nothing was changed."),
                       row->version, row->name, pqs_migration_get_file_name (migration));
          return FALSE;
        }

      if (!g_str_equal (row->checksum, pqs_migration_get_checksum (migration)))
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_CHECKSUM_MISMATCH,
                       _("Migration %s has changed since it was applied on %s (checksum "
                         "%.12s… now, %.12s… then). Restore the original file; nothing was "
                         "changed."),
                       pqs_migration_get_file_name (migration),
                       row->applied_at != NULL ? row->applied_at : "?",
                       pqs_migration_get_checksum (migration), row->checksum);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
load_and_validate (PqsMigrator  *self,
                   DbState      *state,
                   GError      **error)
{
  return ensure_loaded (self, error) &&
         read_state (self, state, error) &&
         validate_state (self, state, error);
}

/**
 * pqs_migrator_get_current_version:
 * @self: a #PqsMigrator
 * @out_version: (out): the highest applied version; 0 for an empty database,
 *   1 for a legacy one that has not been adopted yet
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_migrator_get_current_version (PqsMigrator  *self,
                                  guint        *out_version,
                                  GError      **error)
{
  g_auto(DbState) state = { 0, };

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);
  g_return_val_if_fail (out_version != NULL, FALSE);

  if (!read_state (self, &state, error))
    return FALSE;

  *out_version = state.kind == DB_LEGACY ? 1 : state.current;
  return TRUE;
}

/**
 * pqs_migrator_status:
 * @self: a #PqsMigrator
 * @error: return location for a #GError
 *
 * One line per known or applied migration, including the problems
 * pqs_migrator_validate() refuses (checksum mismatches, missing files), so
 * that `pqs-admin status` can show them.
 *
 * Returns: (transfer container) (element-type PqsMigrationStatus): the lines
 */
GPtrArray *
pqs_migrator_status (PqsMigrator  *self,
                     GError      **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_auto(DbState) state = { 0, };
  guint last;

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), NULL);

  if (!ensure_loaded (self, error) || !read_state (self, &state, error))
    return NULL;

  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_migration_status_free);
  last = MAX (self->migrations->len, state.current);

  for (guint version = 1; version <= last; version++)
    {
      PqsMigrationStatus *line = g_new0 (PqsMigrationStatus, 1);
      PqsMigration *migration = version <= self->migrations->len
                                  ? get_migration (self, version) : NULL;
      HistoryRow *row = NULL;

      for (guint i = 0; i < state.history->len; i++)
        if (g_array_index (state.history, HistoryRow, i).version == version)
          row = &g_array_index (state.history, HistoryRow, i);

      line->version = version;
      if (migration != NULL)
        {
          line->name = g_strdup (pqs_migration_get_name (migration));
          line->file_checksum = g_strdup (pqs_migration_get_checksum (migration));
          line->has_down = pqs_migration_get_down_sql (migration) != NULL;
        }

      if (state.kind == DB_LEGACY && version == 1)
        line->state = PQS_MIGRATION_STATE_BASELINED;
      else if (row == NULL)
        line->state = PQS_MIGRATION_STATE_PENDING;
      else
        {
          g_free (line->name);
          line->name = g_strdup (row->name);
          line->applied_checksum = g_strdup (row->checksum);
          line->applied_at = g_strdup (row->applied_at);
          line->applied_by = g_strdup (row->applied_by);
          line->execution_ms = row->execution_ms;

          if (migration == NULL ||
              !g_str_equal (row->name, pqs_migration_get_name (migration)))
            line->state = PQS_MIGRATION_STATE_MISSING_FILE;
          else if (!g_str_equal (row->checksum, pqs_migration_get_checksum (migration)))
            line->state = PQS_MIGRATION_STATE_CHECKSUM_MISMATCH;
          else if (g_strcmp0 (row->status, "baselined") == 0)
            line->state = PQS_MIGRATION_STATE_BASELINED;
          else
            line->state = PQS_MIGRATION_STATE_APPLIED;
        }

      if (line->state == PQS_MIGRATION_STATE_PENDING && row == NULL && migration == NULL)
        line->state = PQS_MIGRATION_STATE_MISSING_FILE;

      g_ptr_array_add (lines, line);
    }

  return g_steal_pointer (&lines);
}

/**
 * pqs_migrator_validate:
 * @self: a #PqsMigrator
 * @error: return location for a #GError
 *
 * Checks, without writing, that the migration files are well-formed and that
 * the database's history matches them: no changed file, no gap, not newer.
 *
 * Returns: %TRUE when the database can be migrated by this program
 */
gboolean
pqs_migrator_validate (PqsMigrator  *self,
                       GError      **error)
{
  g_auto(DbState) state = { 0, };

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);

  return load_and_validate (self, &state, error);
}

static guint
effective_current (DbState *state)
{
  return state->kind == DB_LEGACY ? 1 : state->current;
}

/**
 * pqs_migrator_pending:
 * @self: a #PqsMigrator
 * @target: the version to reach, or %PQS_MIGRATOR_LATEST
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type PqsMigration): the migrations
 *   pqs_migrator_migrate() would apply, in order (for `--dry-run`)
 */
GPtrArray *
pqs_migrator_pending (PqsMigrator  *self,
                      guint         target,
                      GError      **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_auto(DbState) state = { 0, };
  guint current;

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), NULL);

  if (!load_and_validate (self, &state, error))
    return NULL;

  if (target == PQS_MIGRATOR_LATEST)
    target = self->migrations->len;

  current = effective_current (&state);
  if (target > self->migrations->len)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_TARGET,
                   _("There is no migration %03u: the newest this program knows is %03u."),
                   target, self->migrations->len);
      return NULL;
    }
  if (target < current)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_TARGET,
                   _("The database is already at version %03u, past %03u. Use rollback to "
                     "go back."),
                   current, target);
      return NULL;
    }

  pending = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint version = current + 1; version <= target; version++)
    g_ptr_array_add (pending, g_object_ref (get_migration (self, version)));

  return g_steal_pointer (&pending);
}

/* Applying ---------------------------------------------------------------------- */

static guint
line_of (const char *text,
         const char *at)
{
  guint line = 1;

  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++;

  return line;
}

static const char *
skip_space_and_comments (const char *p)
{
  for (;;)
    {
      while (g_ascii_isspace (*p))
        p++;

      if (p[0] == '-' && p[1] == '-')
        {
          const char *end = strchr (p, '\n');

          if (end == NULL)
            return p + strlen (p);
          p = end;
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");

          if (end == NULL)
            return p + strlen (p);
          p = end + 2;
        }
      else
        return p;
    }
}

static gboolean
is_transaction_statement (const char *sql)
{
  static const char *keywords[] = { "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT",
                                    "RELEASE", NULL };

  for (guint i = 0; keywords[i] != NULL; i++)
    {
      gsize len = strlen (keywords[i]);

      if (g_ascii_strncasecmp (sql, keywords[i], len) == 0 &&
          !g_ascii_isalnum (sql[len]) && sql[len] != '_')
        return TRUE;
    }

  return FALSE;
}

/* Runs a migration file statement by statement, so that a failure names the
 * statement and its line. */
static gboolean
run_script (PqsMigrator  *self,
            const char   *file_name,
            const char   *sql,
            guint         version_before,
            GError      **error)
{
  sqlite3 *db = pqs_store_get_handle (self->store);
  const char *tail = sql;

  for (;;)
    {
      const char *start = skip_space_and_comments (tail);
      sqlite3_stmt *stmt = NULL;
      g_autofree char *excerpt = NULL;
      int rc;

      if (*start == '\0')
        return TRUE;

      if (is_transaction_statement (start))
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_STATEMENT_FAILED,
                       _("Migration %s, line %u: migration files must not open or close "
                         "transactions; each file already runs in one. The database is "
                         "unchanged, still at version %03u."),
                       file_name, line_of (sql, start), version_before);
          return FALSE;
        }

      rc = sqlite3_prepare_v2 (db, start, -1, &stmt, &tail);
      if (rc == SQLITE_OK && stmt != NULL)
        {
          do
            rc = sqlite3_step (stmt);
          while (rc == SQLITE_ROW);
          if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
        }

      if (rc != SQLITE_OK)
        {
          const char *end = strchr (start, '\n');
          gsize len = end != NULL ? (gsize) (end - start) : strlen (start);

          excerpt = g_strndup (start, MIN (len, 80));
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_STATEMENT_FAILED,
                       _("Migration %s failed at line %u (%s): %s. The database is "
                         "unchanged, still at version %03u."),
                       file_name, line_of (sql, start), excerpt, sqlite3_errmsg (db),
                       version_before);
          sqlite3_finalize (stmt);
          return FALSE;
        }

      sqlite3_finalize (stmt);

      if (tail == NULL || tail == start)
        return TRUE;
    }
}

static gboolean
check_foreign_keys (PqsMigrator  *self,
                    const char   *file_name,
                    guint         version_before,
                    GError      **error)
{
  sqlite3 *db = pqs_store_get_handle (self->store);
  sqlite3_stmt *stmt = NULL;
  guint violations = 0;
  g_autofree char *first = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return pqs_store_set_error_from_sqlite (error, db, rc, file_name);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (violations++ == 0)
        first = g_strdup_printf ("%s row %lld → %s",
                                 (const char *) sqlite3_column_text (stmt, 0),
                                 (long long) sqlite3_column_int64 (stmt, 1),
                                 (const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, db, rc, file_name);

  if (violations > 0)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_FOREIGN_KEY_VIOLATION,
                   ngettext ("Migration %s would leave %u row whose foreign key points "
                             "nowhere (%s). The database is unchanged, still at version "
                             "%03u.",
                             "Migration %s would leave %u rows whose foreign keys point "
                             "nowhere (first: %s). The database is unchanged, still at "
                             "version %03u.",
                             violations),
                   file_name, violations, first, version_before);
      return FALSE;
    }

  return TRUE;
}

static gboolean
set_foreign_keys (PqsMigrator  *self,
                  gboolean      on,
                  GError      **error)
{
  return pqs_store_exec (self->store,
                         on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                         error);
}

static gboolean
read_applied_version (PqsMigrator  *self,
                      guint        *out_current,
                      GError      **error)
{
  gint64 value = 0;

  if (!pqs_store_query_int64 (self->store,
                              "SELECT coalesce(max(version), 0) FROM migration_history",
                              &value, error))
    return FALSE;

  *out_current = (guint) value;
  return TRUE;
}

static gboolean
insert_history (PqsMigrator   *self,
                PqsMigration  *migration,
                const char    *status,
                gint64         execution_ms,
                GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (self->store,
                            "INSERT INTO migration_history (version, name, checksum, "
                            "applied_by, execution_ms, status, rollback_sql) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, pqs_migration_get_version (migration));
  sqlite3_bind_text (stmt, 2, pqs_migration_get_name (migration), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, pqs_migration_get_checksum (migration), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, self->applied_by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, execution_ms);
  sqlite3_bind_text (stmt, 6, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, pqs_migration_get_down_sql (migration), -1, SQLITE_TRANSIENT);

  return pqs_store_step_done (self->store, stmt, error);
}

/* The audit row of one migration step, in its transaction (from 004 on,
 * when the audit trail exists). */
static gboolean
audit_step (PqsMigrator   *self,
            PqsMigration  *migration,
            const char    *activity,
            GError       **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;

  if (!self->audit_steps)
    return TRUE;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, pqs_migration_get_version (migration));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, pqs_migration_get_name (migration));
  json_builder_set_member_name (builder, "by");
  if (self->applied_by != NULL)
    json_builder_add_string_value (builder, self->applied_by);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return pqs_audit_append_system (self->store, activity, "database", details, error);
}

/* The legacy database becomes version 1 without running 001: its tables are
 * exactly what 001 creates. */
static gboolean
adopt_legacy (PqsMigrator  *self,
              GError      **error)
{
  g_auto(DbState) state = { 0, };

  if (!pqs_store_begin_immediate (self->store, error))
    return FALSE;

  /* Another process may have adopted it while we waited for the lock. */
  if (!read_state (self, &state, error))
    goto failed;

  if (state.kind == DB_LEGACY)
    {
      if (!pqs_store_exec (self->store, history_ddl, error) ||
          !insert_history (self, get_migration (self, 1), "baselined", 0, error))
        goto failed;
    }

  return pqs_store_commit (self->store, error);

failed:
  pqs_store_rollback (self->store);
  return FALSE;
}

typedef enum
{
  STEP_APPLY,
  STEP_REVERT,
} StepDirection;

/* Applies or reverts one migration: its SQL and its history row commit
 * together or not at all. *out_done says whether this call did the work
 * (another process may have been first while we waited for the lock). */
static gboolean
run_step (PqsMigrator   *self,
          PqsMigration  *migration,
          StepDirection  direction,
          gboolean      *out_done,
          GError       **error)
{
  guint version = pqs_migration_get_version (migration);
  gboolean apply = direction == STEP_APPLY;
  gboolean fk_off = apply ? pqs_migration_get_foreign_keys_off (migration)
                          : pqs_migration_get_down_foreign_keys_off (migration);
  g_autofree char *file_name = apply
    ? g_strdup (pqs_migration_get_file_name (migration))
    : g_strdup_printf ("%03u_%s.down.sql", version, pqs_migration_get_name (migration));
  g_autoptr(GError) local_error = NULL;
  guint expected = apply ? version - 1 : version;
  guint current = 0;
  gint64 started;

  *out_done = FALSE;

  /* The pragma is a no-op inside a transaction: it must come before BEGIN,
   * or dropping a parent table would cascade into its children. */
  if (fk_off && !set_foreign_keys (self, FALSE, error))
    return FALSE;

  if (!pqs_store_begin_immediate (self->store, &local_error))
    goto done;

  if ((apply && !pqs_store_exec (self->store, history_ddl, &local_error)) ||
      !read_applied_version (self, &current, &local_error))
    goto rollback;

  if ((apply && current >= version) || (!apply && current < version))
    {
      /* Another process did it while we waited for the write lock. */
      pqs_store_rollback (self->store);
      goto done;
    }

  if (current != expected)
    {
      g_set_error (&local_error, PQS_MIGRATION_ERROR,
                   apply ? PQS_MIGRATION_ERROR_GAP : PQS_MIGRATION_ERROR_BAD_TARGET,
                   _("Cannot run %s: the database is at version %03u."), file_name, current);
      goto rollback;
    }

  started = g_get_monotonic_time ();

  if (!run_script (self, file_name,
                   apply ? pqs_migration_get_up_sql (migration)
                         : pqs_migration_get_down_sql (migration),
                   current, &local_error))
    goto rollback;

  /* 002 adds password_reset_required: in the same transaction, flag the
   * adopted legacy accounts still on the old program's shipped admin
   * password (a no-op on a fresh database, which has no users yet). Matched
   * by name too, since a development folder may bring another 002. */
  if (apply && version == 2 &&
      g_str_equal (pqs_migration_get_name (migration), "users_avatars_target") &&
      !pqs_legacy_passwords_flag_default (self->store, NULL, &local_error))
    goto rollback;

  if (fk_off && !check_foreign_keys (self, file_name, current, &local_error))
    goto rollback;

  if (apply)
    {
      if (!insert_history (self, migration, "applied",
                           (g_get_monotonic_time () - started) / 1000, &local_error))
        goto rollback;
      if (!audit_step (self, migration, "database.migrate", &local_error))
        goto rollback;
    }
  else
    {
      sqlite3_stmt *stmt = pqs_store_prepare (self->store,
                                              "DELETE FROM migration_history WHERE version = ?1",
                                              &local_error);

      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_int64 (stmt, 1, version);
      if (!pqs_store_step_done (self->store, stmt, &local_error))
        goto rollback;
      if (!audit_step (self, migration, "database.rollback", &local_error))
        goto rollback;
    }

  if (!pqs_store_commit (self->store, &local_error))
    goto done;

  *out_done = TRUE;
  goto done;

rollback:
  pqs_store_rollback (self->store);

done:
  if (fk_off)
    {
      g_autoptr(GError) fk_error = NULL;

      if (!set_foreign_keys (self, TRUE, &fk_error) && local_error == NULL)
        local_error = g_steal_pointer (&fk_error);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
report_progress (PqsMigrator  *self,
                 PqsMigration *migration,
                 gboolean      rolling_back,
                 guint         index,
                 guint         total)
{
  if (self->progress_func != NULL)
    self->progress_func (migration, rolling_back, index, total, self->progress_data);
}

static gboolean
migrate_steps (PqsMigrator   *self,
               guint          target,
               GCancellable  *cancellable,
               guint         *out_applied,
               GError       **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_auto(DbState) state = { 0, };
  guint applied = 0;
  guint before;

  if (out_applied != NULL)
    *out_applied = 0;

  pending = pqs_migrator_pending (self, target, error);
  if (pending == NULL)
    return FALSE;

  if (!read_state (self, &state, error))
    return FALSE;
  before = effective_current (&state);

  if (pending->len == 0 && state.kind != DB_LEGACY)
    return TRUE;

  g_clear_pointer (&self->last_backup_path, g_free);
  if (state.kind != DB_EMPTY)
    {
      self->last_backup_path = pqs_migrator_backup_take (self->store, self->backup_dir,
                                                         "pre-migration", before,
                                                         self->applied_by, error);
      if (self->last_backup_path == NULL)
        return FALSE;
    }

  if (!pqs_store_table_exists (self->store, "user_activities", &self->audit_steps, error))
    return FALSE;

  if (state.kind == DB_LEGACY && !adopt_legacy (self, error))
    return FALSE;

  for (guint i = 0; i < pending->len; i++)
    {
      PqsMigration *migration = g_ptr_array_index (pending, i);
      gboolean did_apply = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      report_progress (self, migration, FALSE, i, pending->len);

      if (!run_step (self, migration, STEP_APPLY, &did_apply, error))
        return FALSE;

      if (did_apply)
        applied++;
    }

  if (self->last_backup_path != NULL &&
      !pqs_migrator_backup_record (self->store, "pre-migration", self->last_backup_path, before,
                                   self->applied_by, error))
    return FALSE;

  if (out_applied != NULL)
    *out_applied = applied;

  return TRUE;
}

/* A migration may wait for another writer for a while (a second process
 * migrating the same file); the connection's own timeout comes back after. */
static int
raise_busy_timeout (PqsMigrator *self)
{
  int saved = pqs_store_get_busy_timeout (self->store);

  pqs_store_set_busy_timeout (self->store, MAX (saved, MIGRATION_BUSY_TIMEOUT_MS));
  return saved;
}

static gboolean
migrate_internal (PqsMigrator   *self,
                  guint          target,
                  GCancellable  *cancellable,
                  guint         *out_applied,
                  GError       **error)
{
  int saved_timeout = raise_busy_timeout (self);
  gboolean ok = migrate_steps (self, target, cancellable, out_applied, error);

  pqs_store_set_busy_timeout (self->store, saved_timeout);
  return ok;
}

/**
 * pqs_migrator_migrate:
 * @self: a #PqsMigrator
 * @target: the version to reach, or %PQS_MIGRATOR_LATEST
 * @out_applied: (out) (optional): how many migrations this call applied
 * @error: return location for a #GError
 *
 * Brings the database to @target. A legacy database is adopted first. Before
 * anything touches a non-empty database, it is copied to the backup folder.
 * Each migration runs in its own `BEGIN IMMEDIATE` transaction together with
 * its history row; a failure leaves the database at the previous version.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_migrator_migrate (PqsMigrator  *self,
                      guint         target,
                      guint        *out_applied,
                      GError      **error)
{
  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);

  return migrate_internal (self, target, NULL, out_applied, error);
}

static gboolean
rollback_internal (PqsMigrator  *self,
                   guint         target,
                   guint        *out_rolled_back,
                   GError      **error)
{
  g_auto(DbState) state = { 0, };
  guint current;
  guint reverted = 0;

  if (out_rolled_back != NULL)
    *out_rolled_back = 0;

  if (!load_and_validate (self, &state, error))
    return FALSE;

  if (state.kind == DB_LEGACY)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_TARGET,
                   _("The database has not been adopted yet; run migrate first."));
      return FALSE;
    }

  current = state.current;
  if (target > current)
    {
      g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_TARGET,
                   _("The database is at version %03u; rollback only goes back (to %03u or "
                     "lower)."),
                   current, current);
      return FALSE;
    }

  if (target == current)
    return TRUE;

  for (guint version = current; version > target; version--)
    {
      PqsMigration *migration = get_migration (self, version);

      if (pqs_migration_get_down_sql (migration) == NULL)
        {
          g_set_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_NO_DOWN_FILE,
                       _("Cannot roll back to %03u: migration %s has no rollback file "
                         "(%03u_%s.down.sql). Nothing was changed."),
                       target, pqs_migration_get_file_name (migration), version,
                       pqs_migration_get_name (migration));
          return FALSE;
        }
    }

  g_clear_pointer (&self->last_backup_path, g_free);
  self->last_backup_path = pqs_migrator_backup_take (self->store, self->backup_dir,
                                                     "pre-rollback", current,
                                                     self->applied_by, error);
  if (self->last_backup_path == NULL)
    return FALSE;

  if (!pqs_store_table_exists (self->store, "user_activities", &self->audit_steps, error))
    return FALSE;

  for (guint version = current; version > target; version--)
    {
      PqsMigration *migration = get_migration (self, version);
      gboolean did_revert = FALSE;

      report_progress (self, migration, TRUE, current - version, current - target);

      if (!run_step (self, migration, STEP_REVERT, &did_revert, error))
        return FALSE;

      if (did_revert)
        reverted++;
    }

  if (!pqs_migrator_backup_record (self->store, "pre-rollback", self->last_backup_path, current,
                                   self->applied_by, error))
    return FALSE;

  if (out_rolled_back != NULL)
    *out_rolled_back = reverted;

  return TRUE;
}

/**
 * pqs_migrator_rollback:
 * @self: a #PqsMigrator
 * @target: the version to go back to (0 removes everything)
 * @out_rolled_back: (out) (optional): how many migrations were rolled back
 * @error: return location for a #GError
 *
 * Runs the rollback files, newest first, each in its own transaction. Refuses
 * before changing anything when a needed rollback file is missing. A
 * non-empty database is copied aside first.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_migrator_rollback (PqsMigrator  *self,
                       guint         target,
                       guint        *out_rolled_back,
                       GError      **error)
{
  int saved_timeout;
  gboolean ok;

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);

  saved_timeout = raise_busy_timeout (self);
  ok = rollback_internal (self, target, out_rolled_back, error);
  pqs_store_set_busy_timeout (self->store, saved_timeout);

  return ok;
}

/* Async ------------------------------------------------------------------------- */

typedef struct
{
  PqsMigrator *migrator;
  guint        applied;
} MigrateJob;

static void
migrate_job_free (MigrateJob *job)
{
  g_clear_object (&job->migrator);
  g_free (job);
}

static gpointer
migrate_thread_func (PqsStore      *worker,
                     gpointer       user_data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  MigrateJob *job = user_data;
  PqsMigrator *origin = job->migrator;
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (worker);
  guint applied = 0;

  migrator->migrations = g_ptr_array_ref (origin->migrations);
  migrator->backup_dir = g_strdup (origin->backup_dir);
  g_free (migrator->applied_by);
  migrator->applied_by = g_strdup (origin->applied_by);

  if (!migrate_internal (migrator, PQS_MIGRATOR_LATEST, cancellable, &applied, error))
    return NULL;

  job->applied = applied;
  return GUINT_TO_POINTER (TRUE);
}

static void
migrate_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MigrateJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (pqs_store_run_in_thread_finish (PQS_STORE (source), result, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, job->applied);
}

/**
 * pqs_migrator_migrate_async:
 * @self: a #PqsMigrator with its migrations loaded
 * @cancellable: (nullable): stops between two migrations
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Migrates to the latest version on the store's worker connection, so that
 * the window stays responsive while a big file is migrated.
 */
void
pqs_migrator_migrate_async (PqsMigrator         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  MigrateJob *job;

  g_return_if_fail (PQS_IS_MIGRATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_migrator_migrate_async);

  if (!ensure_loaded (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job = g_new0 (MigrateJob, 1);
  job->migrator = g_object_ref (self);
  g_task_set_task_data (task, job, (GDestroyNotify) migrate_job_free);

  pqs_store_run_in_thread (self->store, migrate_thread_func, job, NULL, cancellable,
                           migrate_done_cb, g_object_ref (task));
}

gboolean
pqs_migrator_migrate_finish (PqsMigrator   *self,
                             GAsyncResult  *result,
                             guint         *out_applied,
                             GError       **error)
{
  gssize applied;

  g_return_val_if_fail (PQS_IS_MIGRATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  applied = g_task_propagate_int (G_TASK (result), error);
  if (applied < 0)
    return FALSE;

  if (out_applied != NULL)
    *out_applied = (guint) applied;

  return TRUE;
}

/* Settings ---------------------------------------------------------------------- */

void
pqs_migrator_set_backup_dir (PqsMigrator *self,
                             const char  *dir)
{
  g_return_if_fail (PQS_IS_MIGRATOR (self));

  g_free (self->backup_dir);
  self->backup_dir = g_strdup (dir);
}

void
pqs_migrator_set_applied_by (PqsMigrator *self,
                             const char  *who)
{
  g_return_if_fail (PQS_IS_MIGRATOR (self));
  g_return_if_fail (who != NULL);

  g_free (self->applied_by);
  self->applied_by = g_strdup (who);
}

void
pqs_migrator_set_progress_func (PqsMigrator             *self,
                                PqsMigratorProgressFunc  func,
                                gpointer                 user_data)
{
  g_return_if_fail (PQS_IS_MIGRATOR (self));

  self->progress_func = func;
  self->progress_data = user_data;
}

/**
 * pqs_migrator_get_last_backup_path:
 * @self: a #PqsMigrator
 *
 * Returns: (nullable): the safety copy taken by the last migrate or rollback
 */
const char *
pqs_migrator_get_last_backup_path (PqsMigrator *self)
{
  g_return_val_if_fail (PQS_IS_MIGRATOR (self), NULL);

  return self->last_backup_path;
}

/* GObject ----------------------------------------------------------------------- */

PqsMigrator *
pqs_migrator_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_MIGRATOR, "store", store, NULL);
}

static void
pqs_migrator_finalize (GObject *object)
{
  PqsMigrator *self = (PqsMigrator *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->migrations, g_ptr_array_unref);
  g_clear_pointer (&self->backup_dir, g_free);
  g_clear_pointer (&self->applied_by, g_free);
  g_clear_pointer (&self->last_backup_path, g_free);

  G_OBJECT_CLASS (pqs_migrator_parent_class)->finalize (object);
}

static void
pqs_migrator_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PqsMigrator *self = PQS_MIGRATOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_migrator_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PqsMigrator *self = PQS_MIGRATOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_migrator_class_init (PqsMigratorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_migrator_finalize;
  object_class->get_property = pqs_migrator_get_property;
  object_class->set_property = pqs_migrator_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_migrator_init (PqsMigrator *self)
{
  self->applied_by = g_strdup (g_get_user_name ());
}
