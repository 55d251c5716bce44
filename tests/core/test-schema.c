/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-schema.c: the schema that migrations/ builds, checked on a real database.
 *
 * Every test migrates a fresh database in a temporary folder with the
 * migrations compiled into the program, then asks SQLite what it got:
 * tables and columns, constraints that refuse bad rows, cascades and
 * restrictions, the full-text index and its triggers, the append-only audit
 * trail, the query plans of the key queries, the rollback round trip and the
 * adoption of a legacy database.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "pqs-migrator.h"
#include "pqs-store.h"
#include "pqs-test-util.h"

#define LEGACY_RESOURCE RESOURCE_PREFIX "/migrations/001_legacy_baseline.sql"

typedef struct
{
  char        *dir;
  char        *path;
  PqsStore    *store;
  PqsMigrator *migrator;
  sqlite3     *db;
} SchemaDb;

static void
schema_db_free (SchemaDb *self)
{
  g_clear_object (&self->migrator);
  if (self->store != NULL)
    pqs_store_close (self->store);
  g_clear_object (&self->store);
  pqs_test_rm_rf (self->dir);
  g_free (self->path);
  g_free (self->dir);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchemaDb, schema_db_free)

/* A temporary folder with pqs.db in it, not opened yet. */
static SchemaDb *
schema_db_new (void)
{
  SchemaDb *self = g_new0 (SchemaDb, 1);

  self->dir = pqs_test_tmpdir_new ();
  self->path = g_build_filename (self->dir, "pqs.db", NULL);

  return self;
}

/* Opens the store and brings it to the latest version. */
static void
schema_db_migrate (SchemaDb *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = g_build_filename (self->dir, "backups", NULL);
  guint applied = 0;
  guint current = 0;
  guint latest;

  self->store = pqs_store_open (self->path, PQS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (self->store);

  self->migrator = pqs_migrator_new (self->store);
  pqs_migrator_set_backup_dir (self->migrator, backups);
  pqs_migrator_load (self->migrator, NULL, &error);
  g_assert_no_error (error);

  latest = pqs_migrator_get_latest_version (self->migrator);
  g_assert_cmpuint (latest, >=, 7);

  pqs_migrator_migrate (self->migrator, PQS_MIGRATOR_LATEST, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, >, 0);

  pqs_migrator_get_current_version (self->migrator, &current, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (current, ==, latest);

  self->db = pqs_store_get_handle (self->store);
  g_assert_nonnull (self->db);
}

static SchemaDb *
schema_db_new_migrated (void)
{
  SchemaDb *self = schema_db_new ();

  schema_db_migrate (self);

  return self;
}

/* SQL helpers ----------------------------------------------------------------------- */

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *errmsg = NULL;
  int rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    g_test_message ("unexpected failure: %s\n  in: %s", errmsg, sql);
  sqlite3_free (errmsg);
  g_assert_cmpint (rc, ==, SQLITE_OK);
}

/* Checks that @sql is refused as a constraint violation whose message
 * contains @fragment ("CHECK constraint failed", "FOREIGN KEY", ...), so
 * that a row refused for another reason does not pass for a working check. */
static void
assert_rejected (sqlite3    *db,
                 const char *sql,
                 const char *fragment)
{
  char *errmsg = NULL;
  int rc;

  rc = sqlite3_exec (db, sql, NULL, NULL, &errmsg);
  if ((rc & 0xff) != SQLITE_CONSTRAINT ||
      errmsg == NULL || strstr (errmsg, fragment) == NULL)
    g_test_message ("expected a constraint error with “%s”, got %d (%s)\n  in: %s",
                    fragment, rc, errmsg != NULL ? errmsg : "no message", sql);
  g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (errmsg);
  g_assert_nonnull (strstr (errmsg, fragment));
  sqlite3_free (errmsg);
}

static gint64
query_int64 (sqlite3    *db,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_test_message ("%s\n  in: %s", sqlite3_errmsg (db), sql);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* All rows of a one-or-more-column query, one line each, columns joined by '|'. */
static char *
query_lines (sqlite3    *db,
             const char *sql)
{
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (i > 0)
            g_string_append_c (out, '|');
          g_string_append (out, text != NULL ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A query with one text parameter, returning one integer. */
static gint64
query_int64_with_text (sqlite3    *db,
                       const char *sql,
                       const char *param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static gboolean
has_table (sqlite3    *db,
           const char *table)
{
  return query_int64_with_text (db,
                                "SELECT count(*) FROM sqlite_schema "
                                "WHERE type = 'table' AND name = ?1",
                                table) == 1;
}

static gboolean
has_column (sqlite3    *db,
            const char *table,
            const char *column)
{
  g_autofree char *sql = NULL;

  /* Table names come from this file, never from input. */
  sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info('%s') WHERE name = ?1", table);
  return query_int64_with_text (db, sql, column) == 1;
}

/* The EXPLAIN QUERY PLAN details of @sql, one per line. */
static char *
query_plan (sqlite3    *db,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_plan_uses (sqlite3    *db,
                  const char *sql,
                  const char *expected)
{
  g_autofree char *plan = query_plan (db, sql);

  g_test_message ("%s\n%s", sql, plan);
  g_assert_nonnull (strstr (plan, expected));
  g_assert_null (strstr (plan, "USE TEMP B-TREE"));
}

static gint64
count_matches (sqlite3    *db,
               const char *query)
{
  return query_int64_with_text (db,
                                "SELECT count(*) FROM documents_fts "
                                "WHERE documents_fts MATCH ?1",
                                query);
}

static void
assert_integrity (sqlite3 *db)
{
  g_autofree char *integrity = query_lines (db, "PRAGMA integrity_check");

  g_assert_cmpstr (integrity, ==, "ok\n");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

/* Three users, two standards, a template and document 101 of standard 1. */
static void
seed (sqlite3 *db)
{
  exec_ok (db,
           "INSERT INTO users (id, username, email, password_hash, full_name, role) VALUES"
           "  (1, 'writer', 'writer@example.org', 'x', 'Wendy Writer', 'user'),"
           "  (2, 'boss', 'boss@example.org', 'x', 'Sam Supervisor', 'supervisor'),"
           "  (3, 'idle', 'idle@example.org', 'x', 'Ian Idle', 'visitor');"
           "INSERT INTO standards (id, title, owning_unit, created_by) VALUES"
           "  (1, 'Main Propulsion Assistant', 'USS Example', 1),"
           "  (2, 'Radar Operator', 'USS Example', 1);"
           "INSERT INTO templates (id, name, section, fields) VALUES"
           "  (1, 'Fundamentals', 100, '[{\"name\": \"references\"}]');"
           "INSERT INTO documents (id, standard_id, title, section, document_number,"
           "                       template_id, content, created_by) VALUES"
           "  (1, 1, 'Precautions', 100, 101, 1, 'Wear hearing protection', 1);");
}

/* Tests ----------------------------------------------------------------------------- */

static void
test_tables_and_columns (void)
{
  static const struct
  {
    const char *table;
    const char *columns[24];
  } contract[] = {
    { "users", { "id", "username", "email", "password_hash", "full_name", "rank", "role",
                 "is_active", "avatar_path", "avatar_updated_at", "avatar_mime",
                 "avatar_size", "created_at", "updated_at", "last_login_at", "login_count",
                 "failed_login_attempts", "locked_until", "password_reset_required",
                 NULL } },
    { "avatars", { "id", "user_id", "avatar_data", "mime_type", "file_size", "created_at",
                   "updated_at", NULL } },
    { "standards", { "id", "title", "owning_unit", "classification", "applicability",
                     "revision", "status", "created_by", "updated_by", "created_at",
                     "updated_at", NULL } },
    { "templates", { "id", "name", "description", "section", "template_content",
                     "template_hash", "fields", "is_active", "is_system", "created_by",
                     "updated_by", "created_at", "updated_at", NULL } },
    { "documents", { "id", "standard_id", "title", "section", "document_number",
                     "template_id", "content", "content_hash", "metadata", "status",
                     "version", "created_by", "updated_by", "reviewed_by", "approved_by",
                     "created_at", "updated_at", "reviewed_at", "approved_at", NULL } },
    { "document_items", { "id", "document_id", "parent_id", "position", "kind", "text",
                          "answer", "criteria", NULL } },
    { "document_reviews", { "id", "document_id", "reviewer_id", "decision", "comment",
                            "document_version", "created_at", NULL } },
    { "user_sessions", { "id", "user_id", "session_token", "ip_address", "user_agent",
                         "is_active", "last_activity_at", "expires_at", "created_at",
                         NULL } },
    { "user_activities", { "id", "user_id", "activity_type", "resource_type",
                           "resource_id", "details", "ip_address", "user_agent",
                           "created_at", "prev_hash", "row_hash", NULL } },
    { "document_collaborators", { "id", "document_id", "user_id", "role", "permissions",
                                  "invited_by", "invited_at", "joined_at", "is_active",
                                  NULL } },
    { "document_changes", { "id", "document_id", "user_id", "change_type", "old_content",
                            "new_content", "change_summary", "version", "created_at",
                            NULL } },
    { "backup_history", { "id", "backup_type", "backup_path", "backup_size",
                          "tables_backed_up", "backup_status", "checksum_sha256",
                          "schema_version", "is_compressed", "is_encrypted", "created_by",
                          "created_at", "completed_at", "error_message", NULL } },
    { "migration_history", { "version", "name", "checksum", "applied_at", "applied_by",
                             "execution_ms", "status", "rollback_sql", NULL } },
    { "documents_fts", { "title", "content", NULL } },
  };
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();

  for (guint i = 0; i < G_N_ELEMENTS (contract); i++)
    {
      g_test_message ("table %s", contract[i].table);
      g_assert_true (has_table (sdb->db, contract[i].table));

      for (guint j = 0; contract[i].columns[j] != NULL; j++)
        {
          if (!has_column (sdb->db, contract[i].table, contract[i].columns[j]))
            g_test_message ("missing column %s.%s", contract[i].table, contract[i].columns[j]);
          g_assert_true (has_column (sdb->db, contract[i].table, contract[i].columns[j]));
        }
    }

  /* The design dropped these two tables of the original plan. */
  g_assert_cmpint (query_int64 (sdb->db,
                                "SELECT count(*) FROM sqlite_schema "
                                "WHERE name IN ('query_cache', 'db_statistics')"), ==, 0);

  /* The foreign keys below are only worth anything if they are enforced. */
  g_assert_cmpint (query_int64 (sdb->db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int64 (sdb->db,
                                "SELECT count(*) FROM pragma_foreign_key_list('documents') "
                                "WHERE \"table\" = 'standards' AND on_delete = 'CASCADE'"),
                   ==, 1);
}

static void
test_check_constraints (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  sqlite3 *db = sdb->db;

  seed (db);

  /* users */
  assert_rejected (db, "UPDATE users SET role = 'root' WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET role = 'Admin' WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET is_active = 2 WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET username = '  ' WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET email = '' WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET login_count = -1 WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET failed_login_attempts = -1 WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE users SET password_reset_required = 5 WHERE id = 1", "CHECK");
  exec_ok (db, "UPDATE users SET role = 'admin', password_reset_required = 1 WHERE id = 1");
  g_assert_cmpint (query_int64 (db, "SELECT login_count + failed_login_attempts "
                                    "FROM users WHERE id = 2"), ==, 0);

  /* avatars */
  assert_rejected (db,
                   "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) "
                   "VALUES (1, X'47494638', 'image/gif', 4)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) "
                   "VALUES (1, X'89504E47', 'image/png', 0)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) "
                   "VALUES (1, X'89504E47', 'image/png', 1048577)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) "
                   "VALUES (42, X'89504E47', 'image/png', 4)", "FOREIGN KEY");
  exec_ok (db,
           "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) "
           "VALUES (1, X'89504E47', 'image/png', 4)");

  /* standards and templates */
  assert_rejected (db, "UPDATE standards SET classification = 'top secret' WHERE id = 1",
                   "CHECK");
  assert_rejected (db, "UPDATE standards SET status = 'published' WHERE id = 1", "CHECK");
  assert_rejected (db, "INSERT INTO templates (name, section, fields) VALUES ('x', 400, '[]')",
                   "CHECK");
  assert_rejected (db, "INSERT INTO templates (name, section, fields) VALUES ('x', 100, '{')",
                   "CHECK");
  assert_rejected (db, "INSERT INTO templates (name, section, fields) VALUES ('x', 100, NULL)",
                   "NOT NULL");

  /* documents: status, series, number range, version, metadata */
  assert_rejected (db, "UPDATE documents SET status = 'published' WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE documents SET version = 0 WHERE id = 1", "CHECK");
  assert_rejected (db, "UPDATE documents SET metadata = 'not json' WHERE id = 1", "CHECK");
  assert_rejected (db,
                   "INSERT INTO documents (standard_id, title, section, document_number, "
                   "created_by) VALUES (1, 'x', 150, 151, 1)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO documents (standard_id, title, section, document_number, "
                   "created_by) VALUES (1, 'x', 100, 201, 1)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO documents (standard_id, title, section, document_number, "
                   "created_by) VALUES (1, 'x', 200, 200, 1)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO documents (standard_id, title, section, document_number, "
                   "created_by) VALUES (1, 'x', 300, 400, 1)", "CHECK");
  /* An approved document names who approved it and when. */
  assert_rejected (db, "UPDATE documents SET status = 'approved' WHERE id = 1", "CHECK");
  exec_ok (db,
           "INSERT INTO documents (standard_id, title, section, document_number, "
           "created_by, metadata) VALUES (1, 'Lube oil', 200, 299, 1, '{\"pages\": 3}')");
  exec_ok (db,
           "UPDATE documents SET status = 'approved', approved_by = 2, "
           "approved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1");

  /* line items, reviews, collaborators, changes */
  assert_rejected (db,
                   "INSERT INTO document_items (document_id, position, kind, text) "
                   "VALUES (1, 0, 'answer', 'x')", "CHECK");
  assert_rejected (db,
                   "INSERT INTO document_items (document_id, position, kind, text) "
                   "VALUES (1, 0, 'sub_question', 'a sub-question needs a question')", "CHECK");
  assert_rejected (db,
                   "INSERT INTO document_reviews (document_id, reviewer_id, decision, "
                   "document_version) VALUES (1, 2, 'rejected', 1)", "CHECK");
  assert_rejected (db,
                   "INSERT INTO document_reviews (document_id, reviewer_id, decision, "
                   "comment, document_version) VALUES (1, 2, 'changes_requested', ' ', 1)",
                   "CHECK");
  exec_ok (db,
           "INSERT INTO document_reviews (document_id, reviewer_id, decision, comment, "
           "document_version) VALUES (1, 2, 'changes_requested', 'Cite the manual.', 1)");
  assert_rejected (db,
                   "INSERT INTO document_collaborators (document_id, user_id, role) "
                   "VALUES (1, 3, 'king')", "CHECK");
  assert_rejected (db,
                   "INSERT INTO document_changes (document_id, user_id, change_type, version) "
                   "VALUES (1, 1, 'rename', 1)", "CHECK");

  /* sessions, activities, backups */
  assert_rejected (db,
                   "INSERT INTO user_activities (user_id, activity_type, details) "
                   "VALUES (1, 'login', '{oops')", "CHECK");
  assert_rejected (db,
                   "INSERT INTO backup_history (backup_type, backup_path, backup_status) "
                   "VALUES ('weekly', '/tmp/x', 'completed')", "CHECK");
  assert_rejected (db,
                   "INSERT INTO backup_history (backup_type, backup_path, backup_status) "
                   "VALUES ('manual', '/tmp/x', 'done')", "CHECK");
  exec_ok (db,
           "INSERT INTO backup_history (backup_type, backup_path, backup_status, "
           "tables_backed_up) VALUES ('pre-migration', '/tmp/x', 'running', '[\"users\"]')");
  exec_ok (db,
           "INSERT INTO user_sessions (user_id, session_token, expires_at) "
           "VALUES (1, 'digest-1', '2099-01-01T00:00:00.000Z')");
  assert_rejected (db,
                   "INSERT INTO user_sessions (user_id, session_token, expires_at) "
                   "VALUES (2, 'digest-1', '2099-01-01T00:00:00.000Z')", "UNIQUE");
}

static void
test_unique_document_number (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  sqlite3 *db = sdb->db;

  seed (db);

  assert_rejected (db,
                   "INSERT INTO documents (standard_id, title, section, document_number, "
                   "created_by) VALUES (1, 'Precautions again', 100, 101, 1)", "UNIQUE");

  /* The same number is fine in another standard, and another number in this one. */
  exec_ok (db,
           "INSERT INTO documents (standard_id, title, section, document_number, created_by) "
           "VALUES (2, 'Precautions', 100, 101, 1), (1, 'Safety', 100, 102, 1)");
  assert_rejected (db, "UPDATE documents SET document_number = 101 WHERE document_number = 102",
                   "UNIQUE");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM documents"), ==, 3);

  /* A document always belongs to an existing standard. */
  assert_rejected (db,
                   "INSERT INTO documents (standard_id, title, section, document_number, "
                   "created_by) VALUES (99, 'Nowhere', 100, 103, 1)", "FOREIGN KEY");
}

static void
test_document_cascades (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  sqlite3 *db = sdb->db;

  seed (db);
  exec_ok (db,
           "INSERT INTO documents (id, standard_id, title, section, document_number, "
           "created_by) VALUES (2, 1, 'Fuel oil', 200, 201, 1);"
           "INSERT INTO document_items (id, document_id, parent_id, position, kind, text) VALUES"
           "  (1, 1, NULL, 0, 'question', 'State the hazards of hot work.'),"
           "  (2, 1, 1, 0, 'sub_question', 'Fire watch'),"
           "  (3, 1, 2, 0, 'second_level', 'Duration'),"
           "  (4, 1, 1, 1, 'sub_question', 'Permits'),"
           "  (5, 1, NULL, 1, 'signature', 'Qualifier'),"
           "  (6, 2, NULL, 0, 'question', 'Trace the fuel oil system.');"
           "INSERT INTO document_reviews (document_id, reviewer_id, decision, comment, "
           "  document_version) VALUES (1, 2, 'comment', 'Looks good.', 1);"
           "INSERT INTO document_collaborators (document_id, user_id, role) "
           "  VALUES (1, 3, 'viewer');"
           "INSERT INTO document_changes (document_id, user_id, change_type, new_content, "
           "  version) VALUES (1, 1, 'create', 'Wear hearing protection', 1);");

  /* Positions are unique among siblings, the top level included. */
  assert_rejected (db,
                   "INSERT INTO document_items (document_id, parent_id, position, kind, text) "
                   "VALUES (1, NULL, 1, 'text', 'top-level clash')", "UNIQUE");
  assert_rejected (db,
                   "INSERT INTO document_items (document_id, parent_id, position, kind, text) "
                   "VALUES (1, 1, 0, 'sub_question', 'sibling clash')", "UNIQUE");
  exec_ok (db,
           "INSERT INTO document_items (id, document_id, parent_id, position, kind, text) "
           "VALUES (7, 1, 4, 0, 'second_level', 'same position, other parent')");

  /* A child hangs under an item of its own document only. */
  assert_rejected (db,
                   "INSERT INTO document_items (document_id, parent_id, position, kind, text) "
                   "VALUES (2, 1, 5, 'sub_question', 'wrong document')", "FOREIGN KEY");

  /* Removing an item removes its subtree. */
  exec_ok (db, "DELETE FROM document_items WHERE id = 4");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_items WHERE id IN (4, 7)"),
                   ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_items WHERE document_id = 1"),
                   ==, 4);

  /* Removing a document removes its outline, reviews, collaborators and history. */
  exec_ok (db, "DELETE FROM documents WHERE id = 1");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_items WHERE document_id = 1"),
                   ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_reviews"), ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_collaborators"), ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_changes"), ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_items"), ==, 1);

  /* A template can go: documents made from it keep their text. */
  exec_ok (db, "UPDATE documents SET template_id = 1 WHERE id = 2");
  exec_ok (db, "DELETE FROM templates WHERE id = 1");
  g_assert_cmpint (query_int64 (db, "SELECT template_id IS NULL FROM documents WHERE id = 2"),
                   ==, 1);

  /* Removing a standard removes its documents and their items. */
  exec_ok (db, "DELETE FROM standards WHERE id = 1");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_items"), ==, 0);

  assert_integrity (db);
}

static void
test_user_restrict (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  sqlite3 *db = sdb->db;

  seed (db);

  /* The author of a document is deactivated, never deleted. */
  assert_rejected (db, "DELETE FROM users WHERE id = 1", "FOREIGN KEY");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM users WHERE id = 1"), ==, 1);
  exec_ok (db, "UPDATE users SET is_active = 0 WHERE id = 1");

  /* So is a reviewer. */
  exec_ok (db,
           "INSERT INTO document_reviews (document_id, reviewer_id, decision, "
           "document_version) VALUES (1, 2, 'approved', 1)");
  assert_rejected (db, "DELETE FROM users WHERE id = 2", "FOREIGN KEY");

  /* A user who owns nothing can go, and takes sessions, avatars and
   * collaborations along. */
  exec_ok (db,
           "INSERT INTO user_sessions (user_id, session_token, expires_at) "
           "  VALUES (3, 'digest-3', '2099-01-01T00:00:00.000Z');"
           "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) "
           "  VALUES (3, X'FFD8FF00', 'image/jpeg', 4);"
           "INSERT INTO document_collaborators (document_id, user_id, role, invited_by) "
           "  VALUES (1, 3, 'editor', 1);");
  exec_ok (db, "DELETE FROM users WHERE id = 3");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM user_sessions"), ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM avatars"), ==, 0);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM document_collaborators"), ==, 0);
  assert_integrity (db);
}

static void
test_fts_sync (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  sqlite3 *db = sdb->db;

  seed (db);

  /* Insert */
  exec_ok (db,
           "INSERT INTO documents (id, standard_id, title, section, document_number, content, "
           "created_by) VALUES (2, 1, 'Lube oil purifier', 200, 201, "
           "'Start the purifier. État de la centrifugeuse.', 1)");
  g_assert_cmpint (count_matches (db, "purifier"), ==, 1);
  g_assert_cmpint (count_matches (db, "title:purifier"), ==, 1);
  g_assert_cmpint (count_matches (db, "hearing"), ==, 1);
  /* Case and accents are folded. */
  g_assert_cmpint (count_matches (db, "etat"), ==, 1);
  g_assert_cmpint (count_matches (db, "PURIFIER"), ==, 1);
  g_assert_cmpint (query_int64 (db,
                                "SELECT d.document_number FROM documents_fts "
                                "JOIN documents AS d ON d.id = documents_fts.rowid "
                                "WHERE documents_fts MATCH 'centrifugeuse'"), ==, 201);

  /* Update: the old words go, the new ones come. */
  exec_ok (db, "UPDATE documents SET content = 'Secure the separator.' WHERE id = 2");
  g_assert_cmpint (count_matches (db, "centrifugeuse"), ==, 0);
  g_assert_cmpint (count_matches (db, "separator"), ==, 1);
  g_assert_cmpint (count_matches (db, "purifier"), ==, 1);
  exec_ok (db, "UPDATE documents SET title = 'Separator' WHERE id = 2");
  g_assert_cmpint (count_matches (db, "purifier"), ==, 0);

  /* An update that leaves the text alone leaves the index right too. */
  exec_ok (db, "UPDATE documents SET status = 'in_review', version = 2 WHERE id = 2");
  g_assert_cmpint (count_matches (db, "separator"), ==, 1);

  /* Delete, directly and through the cascade from standards. */
  exec_ok (db, "DELETE FROM documents WHERE id = 2");
  g_assert_cmpint (count_matches (db, "separator"), ==, 0);
  exec_ok (db, "DELETE FROM standards WHERE id = 1");
  g_assert_cmpint (count_matches (db, "hearing"), ==, 0);

  /* The index agrees with its content table. */
  exec_ok (db, "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)");
}

static void
test_audit_append_only (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  g_autofree char *row = NULL;
  sqlite3 *db = sdb->db;

  seed (db);
  exec_ok (db,
           "INSERT INTO user_activities (id, user_id, activity_type, resource_type, "
           "resource_id, details, prev_hash, row_hash) VALUES "
           "  (1001, 1, 'document_saved', 'document', 1, '{\"version\": 1}', NULL, 'aa'),"
           "  (1002, NULL, 'login_failed', NULL, NULL, '{\"username\": \"ghost\"}', 'aa', 'bb')");

  assert_rejected (db, "UPDATE user_activities SET activity_type = 'nothing' WHERE id = 1001",
                   "append-only");
  assert_rejected (db, "UPDATE user_activities SET row_hash = 'cc' WHERE id = 1002",
                   "append-only");
  assert_rejected (db, "DELETE FROM user_activities WHERE id = 1001", "append-only");
  assert_rejected (db, "DELETE FROM user_activities", "append-only");
  assert_rejected (db,
                   "INSERT OR REPLACE INTO user_activities (id, user_id, activity_type) "
                   "VALUES (1001, 1, 'forged')", "append-only");

  row = query_text (db,
                    "SELECT activity_type || ':' || row_hash FROM user_activities WHERE id = 1001");
  g_assert_cmpstr (row, ==, "document_saved:aa");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM user_activities WHERE id > 1000"), ==, 2);

  /* Migrations from 004 on write their own rows, which name no user. */
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM user_activities WHERE id < 1000 AND "
                                    "activity_type <> 'database.migrate'"), ==, 0);

  /* Someone in the audit trail is deactivated, never deleted. */
  exec_ok (db, "DELETE FROM documents; DELETE FROM standards");
  assert_rejected (db, "DELETE FROM users WHERE id = 1", "FOREIGN KEY");
}

static void
test_query_plans (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  g_autofree char *fts_plan = NULL;
  sqlite3 *db = sdb->db;

  /* The outline of a standard: one series, by number. */
  assert_plan_uses (db,
                    "SELECT id, document_number, title, status FROM documents "
                    "WHERE standard_id = 1 AND section = 200 ORDER BY document_number",
                    "USING INDEX ux_documents_standard_section_number");

  /* The review queue and the status lists. */
  assert_plan_uses (db,
                    "SELECT id, title FROM documents WHERE status = 'in_review' "
                    "ORDER BY updated_at DESC LIMIT 50",
                    "USING INDEX idx_documents_status_updated_at");

  /* A user's activity, newest first. */
  assert_plan_uses (db,
                    "SELECT id, activity_type, created_at FROM user_activities "
                    "WHERE user_id = 1 ORDER BY created_at DESC LIMIT 100",
                    "USING INDEX idx_user_activities_user_created");

  /* A document's outline. */
  assert_plan_uses (db,
                    "SELECT id, parent_id, position, kind FROM document_items "
                    "WHERE document_id = 1 ORDER BY position",
                    "USING INDEX idx_document_items_document_position");

  /* My documents, recently changed first. */
  assert_plan_uses (db,
                    "SELECT id FROM documents WHERE created_by = 1 ORDER BY updated_at DESC",
                    "INDEX idx_documents_created_by");

  /* The templates offered for a new document. */
  assert_plan_uses (db,
                    "SELECT id, name FROM templates WHERE section = 100 AND is_active = 1 "
                    "ORDER BY name",
                    "INDEX idx_templates_section_active");

  /* Signing in with a session. */
  assert_plan_uses (db,
                    "SELECT user_id FROM user_sessions WHERE session_token = 'x'",
                    "sqlite_autoindex_user_sessions_1");

  /* Search: the FTS index, then documents by rowid. */
  fts_plan = query_plan (db,
                         "SELECT d.id, d.title FROM documents_fts "
                         "JOIN documents AS d ON d.id = documents_fts.rowid "
                         "WHERE documents_fts MATCH 'purifier' ORDER BY rank LIMIT 50");
  g_test_message ("search:\n%s", fts_plan);
  g_assert_nonnull (strstr (fts_plan, "SCAN documents_fts VIRTUAL TABLE"));
  g_assert_nonnull (strstr (fts_plan, "SEARCH d USING INTEGER PRIMARY KEY"));
}

static void
test_rollback_round_trip (void)
{
  static const char *schema_sql =
    "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name";
  g_autoptr(SchemaDb) sdb = schema_db_new_migrated ();
  g_autoptr(GError) error = NULL;
  g_autofree char *latest_schema = NULL;
  g_autofree char *v1_tables = NULL;
  g_autofree char *again_schema = NULL;
  guint rolled_back = 0;
  guint applied = 0;
  guint latest = pqs_migrator_get_latest_version (sdb->migrator);

  latest_schema = query_lines (sdb->db, schema_sql);

  pqs_migrator_rollback (sdb->migrator, 1, &rolled_back, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rolled_back, ==, latest - 1);

  /* Version 1 is the legacy layout again, with the history on the side. */
  v1_tables = query_lines (sdb->db,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  g_assert_cmpstr (v1_tables, ==, "avatars\nmigration_history\nsqlite_sequence\nusers\n");
  g_assert_false (has_column (sdb->db, "users", "login_count"));

  pqs_migrator_migrate (sdb->migrator, PQS_MIGRATOR_LATEST, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, latest - 1);

  again_schema = query_lines (sdb->db, schema_sql);
  g_assert_cmpstr (again_schema, ==, latest_schema);
  assert_integrity (sdb->db);
}

static void
test_legacy_adoption (void)
{
  g_autoptr(SchemaDb) sdb = schema_db_new ();
  g_autoptr(GBytes) legacy_sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *users = NULL;
  g_autofree char *avatars = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *legacy = NULL;

  /* A legacy file: exactly the tables of 001, with rows in them. */
  legacy_sql = g_resources_lookup_data (LEGACY_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  sql = g_strndup (g_bytes_get_data (legacy_sql, NULL), g_bytes_get_size (legacy_sql));

  g_assert_cmpint (sqlite3_open (sdb->path, &legacy), ==, SQLITE_OK);
  exec_ok (legacy, sql);
  exec_ok (legacy,
           "INSERT INTO users (username, email, password_hash, full_name, rank, role, "
           "is_active) VALUES"
           "  ('alice', 'alice@example.org', '$2b$12$aaaa', 'Alice Able', 'LT', 'Admin', 1),"
           "  ('bob', 'bob@example.org', '$2b$12$bbbb', 'Bob Baker', 'PO1', 'supervisor', 1),"
           "  ('carol', 'carol@example.org', '$2b$12$cccc', 'Carol Cook', NULL, ' User ', 0),"
           "  ('dave', 'dave@example.org', '$2b$12$dddd', 'Dave Dunn', NULL, 'captain', 1),"
           "  ('zed', 'zed@example.org', '$2b$12$zzzz', 'Zed Zero', NULL, 'visitor', 1);"
           "DELETE FROM users WHERE username = 'zed';"
           "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size) VALUES"
           "  (1, X'89504E470D0A1A0A00', 'image/png', 9),"
           "  (2, X'FFD8FFE000', 'image/jpg', 5);");
  g_assert_cmpint (sqlite3_close (legacy), ==, SQLITE_OK);

  schema_db_migrate (sdb);

  /* Every user kept, with id and password hash, the role normalised. */
  users = query_lines (sdb->db,
                       "SELECT id, username, role, is_active, password_hash, login_count "
                       "FROM users ORDER BY id");
  g_assert_cmpstr (users, ==,
                   "1|alice|admin|1|$2b$12$aaaa|0\n"
                   "2|bob|supervisor|1|$2b$12$bbbb|0\n"
                   "3|carol|user|0|$2b$12$cccc|0\n"
                   "4|dave|visitor|1|$2b$12$dddd|0\n");

  /* Avatars still point at their users. */
  avatars = query_lines (sdb->db,
                         "SELECT a.user_id, u.username, a.mime_type, a.file_size "
                         "FROM avatars AS a JOIN users AS u ON u.id = a.user_id "
                         "ORDER BY a.id");
  g_assert_cmpstr (avatars, ==,
                   "1|alice|image/png|9\n"
                   "2|bob|image/jpeg|5\n");

  /* An id that was used before the upgrade is not handed out again. */
  exec_ok (sdb->db,
           "INSERT INTO users (username, email, password_hash, full_name) "
           "VALUES ('erin', 'erin@example.org', 'x', 'Erin Eve')");
  g_assert_cmpint (query_int64 (sdb->db, "SELECT id FROM users WHERE username = 'erin'"),
                   ==, 6);

  assert_integrity (sdb->db);
  g_assert_cmpint (query_int64 (sdb->db,
                                "SELECT status = 'baselined' FROM migration_history "
                                "WHERE version = 1"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/schema/tables-and-columns", test_tables_and_columns);
  g_test_add_func ("/schema/check-constraints", test_check_constraints);
  g_test_add_func ("/schema/unique-document-number", test_unique_document_number);
  g_test_add_func ("/schema/document-cascades", test_document_cascades);
  g_test_add_func ("/schema/user-restrict", test_user_restrict);
  g_test_add_func ("/schema/fts-sync", test_fts_sync);
  g_test_add_func ("/schema/audit-append-only", test_audit_append_only);
  g_test_add_func ("/schema/query-plans", test_query_plans);
  g_test_add_func ("/schema/rollback-round-trip", test_rollback_round_trip);
  g_test_add_func ("/schema/legacy-adoption", test_legacy_adoption);

  return g_test_run ();
}
