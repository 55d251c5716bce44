/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "pqs-migrator.h"
#include "pqs-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  char *backups;
  char *migrations;   /* a private copy of the source migrations, to edit */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->migrations = g_build_filename (fixture->dir, "migrations", NULL);
  g_assert_cmpint (g_mkdir (fixture->migrations, 0700), ==, 0);
  pqs_test_copy_migrations (fixture->migrations);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->path);
  g_free (fixture->backups);
  g_free (fixture->migrations);
  pqs_test_tmpdir_free (fixture->dir);
}

/* A migrator over @store reading the compiled-in migrations, or only @dir. */
static PqsMigrator *
new_migrator (Fixture    *fixture,
              PqsStore   *store,
              const char *dir)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
  g_autoptr(GError) error = NULL;

  pqs_migrator_set_backup_dir (migrator, fixture->backups);
  pqs_migrator_set_applied_by (migrator, "test-migrator");
  if (dir != NULL)
    pqs_migrator_load_directory_only (migrator, dir, &error);
  else
    pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&migrator);
}

static guint
migrate_ok (PqsMigrator *migrator,
            guint        target)
{
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  g_assert_true (pqs_migrator_migrate (migrator, target, &applied, &error));
  g_assert_no_error (error);
  return applied;
}

static guint
latest_in_source (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_getenv ("PQS_MIGRATIONS_SRCDIR"), 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sql") && !g_str_has_suffix (name, ".down.sql"))
      count++;

  return count;
}

/* The bytes of the database and its WAL: "nothing written" means these stay equal. */
static char *
file_state (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *main_bytes = NULL;
  g_autofree char *wal_bytes = NULL;
  gsize main_len = 0, wal_len = 0;
  g_autofree char *main_sum = NULL;
  g_autofree char *wal_sum = NULL;

  g_file_get_contents (path, &main_bytes, &main_len, NULL);
  g_file_get_contents (wal, &wal_bytes, &wal_len, NULL);
  main_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) main_bytes, main_len);
  wal_sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                         (guchar *) (wal_bytes ? wal_bytes : ""), wal_len);

  return g_strdup_printf ("%s/%s", main_sum, wal_sum);
}

static guint
count_files (const char *dir_path,
             const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix))
      count++;

  return count;
}

static void
test_fresh (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  sqlite3 *db = pqs_store_get_handle (store);
  guint latest = pqs_migrator_get_latest_version (migrator);
  g_autoptr(GError) error = NULL;
  guint version = 0;

  g_assert_cmpuint (latest, ==, latest_in_source ());
  g_assert_cmpuint (latest, >=, 2);

  g_assert_cmpuint (migrate_ok (migrator, PQS_MIGRATOR_LATEST), ==, latest);
  g_assert_true (pqs_migrator_get_current_version (migrator, &version, &error));
  g_assert_cmpuint (version, ==, latest);

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM migration_history"), ==, latest);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM migration_history "
                                           "WHERE status = 'applied' AND applied_by = "
                                           "'test-migrator' AND length(checksum) = 64 AND "
                                           "execution_ms >= 0 AND applied_at LIKE '20%Z'"),
                   ==, latest);

  /* Each recorded checksum is the file's. */
  for (guint v = 1; v <= latest; v++)
    {
      PqsMigration *migration = g_ptr_array_index (pqs_migrator_get_migrations (migrator), v - 1);
      g_autofree char *sql = g_strdup_printf ("SELECT checksum FROM migration_history "
                                              "WHERE version = %u", v);
      g_autofree char *checksum = pqs_test_query_text (db, sql);

      g_assert_cmpstr (checksum, ==, pqs_migration_get_checksum (migration));
    }

  /* The contract tables of SCHEMA.md exist. */
  g_assert_cmpint (pqs_test_query_int (db,
                                       "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                                       "AND name IN ('users', 'avatars', 'templates', "
                                       "'documents', 'user_sessions', 'user_activities', "
                                       "'document_collaborators', 'document_changes', "
                                       "'backup_history', 'migration_history')"), ==, 10);

  /* An empty database needs no safety copy. */
  g_assert_null (pqs_migrator_get_last_backup_path (migrator));
  g_assert_false (g_file_test (fixture->backups, G_FILE_TEST_EXISTS));
  pqs_test_assert_integrity (db);
}

static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  sqlite3 *db = pqs_store_get_handle (store);
  g_autofree char *schema = NULL;
  g_autofree char *history = NULL;
  g_autofree char *schema_again = NULL;
  g_autofree char *history_again = NULL;
  const char *history_sql = "SELECT group_concat(version || checksum || applied_at, ',') "
                            "FROM migration_history";

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  schema = pqs_test_schema_dump (db);
  history = pqs_test_query_text (db, history_sql);

  g_assert_cmpuint (migrate_ok (migrator, PQS_MIGRATOR_LATEST), ==, 0);
  g_clear_object (&migrator);
  migrator = new_migrator (fixture, store, NULL);
  g_assert_cmpuint (migrate_ok (migrator, PQS_MIGRATOR_LATEST), ==, 0);

  schema_again = pqs_test_schema_dump (db);
  history_again = pqs_test_query_text (db, history_sql);
  g_assert_cmpstr (schema, ==, schema_again);
  g_assert_cmpstr (history, ==, history_again);
  g_assert_null (pqs_migrator_get_last_backup_path (migrator));
}

static void
test_rollback_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  sqlite3 *db = pqs_store_get_handle (store);
  guint latest = pqs_migrator_get_latest_version (migrator);
  g_autofree char *at_latest = NULL;
  g_autofree char *at_first = NULL;
  g_autofree char *at_latest_again = NULL;
  g_autofree char *at_first_again = NULL;
  g_autoptr(GError) error = NULL;
  guint reverted = 0;
  guint version = 0;

  migrate_ok (migrator, 1);
  at_first = pqs_test_schema_dump (db);
  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  at_latest = pqs_test_schema_dump (db);

  g_assert_true (pqs_migrator_rollback (migrator, 1, &reverted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reverted, ==, latest - 1);
  g_assert_true (pqs_migrator_get_current_version (migrator, &version, &error));
  g_assert_cmpuint (version, ==, 1);
  at_first_again = pqs_test_schema_dump (db);
  g_assert_cmpstr (at_first, ==, at_first_again);

  /* The rollback took a safety copy first, at the version it started from. */
  g_assert_nonnull (pqs_migrator_get_last_backup_path (migrator));
  g_assert_true (g_file_test (pqs_migrator_get_last_backup_path (migrator),
                              G_FILE_TEST_IS_REGULAR));

  g_assert_cmpuint (migrate_ok (migrator, PQS_MIGRATOR_LATEST), ==, latest - 1);
  at_latest_again = pqs_test_schema_dump (db);
  g_assert_cmpstr (at_latest, ==, at_latest_again);

  /* All the way down and up again. */
  g_assert_true (pqs_migrator_rollback (migrator, 0, &reverted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM migration_history"), ==, 0);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name "
                                           "NOT IN ('migration_history', 'sqlite_sequence')"),
                   ==, 0);
  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  g_free (at_latest_again);
  at_latest_again = pqs_test_schema_dump (db);
  g_assert_cmpstr (at_latest, ==, at_latest_again);
  pqs_test_assert_integrity (db);
}

static void
test_rollback_needs_down_files (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, fixture->migrations);
  g_autoptr(PqsMigrator) without_down = NULL;
  g_autoptr(GError) error = NULL;
  PqsMigration *second;
  g_autofree char *down = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint latest = pqs_migrator_get_latest_version (migrator);

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);

  /* Remove the rollback file of migration 002: going to 001 must refuse before any change. */
  second = g_ptr_array_index (pqs_migrator_get_migrations (migrator), 1);
  down = g_strdup_printf ("%s/002_%s.down.sql", fixture->migrations,
                          pqs_migration_get_name (second));
  g_assert_cmpint (g_unlink (down), ==, 0);

  without_down = new_migrator (fixture, store, fixture->migrations);
  before = file_state (fixture->path);
  g_assert_false (pqs_migrator_rollback (without_down, 1, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_NO_DOWN_FILE);
  g_assert_nonnull (strstr (error->message, "002_"));
  after = file_state (fixture->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                       "SELECT max(version) FROM migration_history"), ==, latest);
  g_assert_false (g_file_test (fixture->backups, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Rolling forward is refused too. */
  g_assert_false (pqs_migrator_rollback (without_down, latest + 1, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_TARGET);
}

/* Asserts that migrating with @migrator fails with @code and writes nothing. */
static void
assert_refused (Fixture     *fixture,
                PqsStore    *store,
                PqsMigrator *migrator,
                gint         code,
                const char  *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = file_state (fixture->path);
  g_autofree char *after = NULL;
  g_autofree char *schema = pqs_test_schema_dump (pqs_store_get_handle (store));
  g_autofree char *schema_after = NULL;

  g_assert_false (pqs_migrator_validate (migrator, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, code);
  g_clear_error (&error);

  g_assert_false (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, code);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_nonnull (strstr (error->message, "othing was changed"));
  g_clear_error (&error);

  g_assert_false (pqs_migrator_rollback (migrator, 1, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, code);

  after = file_state (fixture->path);
  schema_after = pqs_test_schema_dump (pqs_store_get_handle (store));
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (schema, ==, schema_after);
  g_assert_false (g_file_test (fixture->backups, G_FILE_TEST_EXISTS));
}

static void
test_tampered_checksum (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, fixture->migrations);
  g_autoptr(PqsMigrator) tampered = NULL;
  PqsMigration *second = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(GError) error = NULL;

  migrate_ok (migrator, 3);
  second = g_ptr_array_index (pqs_migrator_get_migrations (migrator), 1);
  path = g_build_filename (fixture->migrations, pqs_migration_get_file_name (second), NULL);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  changed = g_strconcat (text, "\n-- an innocent-looking edit\n", NULL);
  g_file_set_contents (path, changed, -1, &error);
  g_assert_no_error (error);

  tampered = new_migrator (fixture, store, fixture->migrations);
  assert_refused (fixture, store, tampered, PQS_MIGRATION_ERROR_CHECKSUM_MISMATCH,
                  pqs_migration_get_file_name (second));
}

static void
test_crlf_checkout_is_not_tampering (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, fixture->migrations);
  g_autoptr(PqsMigrator) windows = NULL;
  g_autoptr(GDir) dir = g_dir_open (fixture->migrations, 0, NULL);
  g_autoptr(GError) error = NULL;
  const char *name;

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->migrations, name, NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      g_autofree char *crlf = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      lines = g_strsplit (text, "\n", -1);
      crlf = g_strjoinv ("\r\n", lines);
      g_file_set_contents (path, crlf, -1, &error);
      g_assert_no_error (error);
    }

  windows = new_migrator (fixture, store, fixture->migrations);
  g_assert_true (pqs_migrator_validate (windows, &error));
  g_assert_no_error (error);
}

static void
test_history_gap (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  pqs_test_exec (pqs_store_get_handle (store), "DELETE FROM migration_history WHERE version = 2");

  assert_refused (fixture, store, migrator, PQS_MIGRATION_ERROR_GAP, "version 002 is missing");
}

static void
test_missing_applied_migration (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  pqs_test_exec (pqs_store_get_handle (store),
                 "UPDATE migration_history SET name = 'from_another_branch' WHERE version = 3");

  assert_refused (fixture, store, migrator, PQS_MIGRATION_ERROR_MISSING, "from_another_branch");
}

static void
test_newer_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  guint latest = pqs_migrator_get_latest_version (migrator);
  g_autofree char *sql = NULL;
  g_autofree char *words = NULL;

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  sql = g_strdup_printf ("INSERT INTO migration_history (version, name, checksum, status) "
                         "VALUES (%u, 'from_the_future', printf('%%064d', 0), 'applied')",
                         latest + 1);
  pqs_test_exec (pqs_store_get_handle (store), sql);

  words = g_strdup_printf ("newer version of PQS Desk (schema %u, this program knows %u)",
                           latest + 1, latest);
  assert_refused (fixture, store, migrator, PQS_MIGRATION_ERROR_NEWER_DATABASE, words);
}

static void
test_failing_migration (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, fixture->migrations);
  g_autoptr(PqsMigrator) broken = NULL;
  sqlite3 *db = pqs_store_get_handle (store);
  guint latest = pqs_migrator_get_latest_version (migrator);
  g_autofree char *name = g_strdup_printf ("%03u_broken.sql", latest + 1);
  g_autofree char *schema = NULL;
  g_autofree char *schema_after = NULL;
  g_autoptr(GError) error = NULL;
  guint applied = 99;

  migrate_ok (migrator, PQS_MIGRATOR_LATEST);
  pqs_test_exec (db, "INSERT INTO users (username, email, password_hash, full_name) "
                     "VALUES ('keep', 'keep@ship.example', 'x', 'Kept User')");
  schema = pqs_test_schema_dump (db);

  pqs_test_write_file (fixture->migrations, name,
                       "-- Creates a table, changes a row, then fails.\n"
                       "CREATE TABLE half_done (x INTEGER);\n"
                       "UPDATE users SET full_name = 'Changed' WHERE username = 'keep';\n"
                       "INSERT INTO no_such_table VALUES (1);\n");
  broken = new_migrator (fixture, store, fixture->migrations);

  g_assert_false (pqs_migrator_migrate (broken, PQS_MIGRATOR_LATEST, &applied, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_STATEMENT_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_assert_nonnull (strstr (error->message, "no such table: no_such_table"));
  g_assert_cmpuint (applied, ==, 0);

  schema_after = pqs_test_schema_dump (db);
  g_assert_cmpstr (schema, ==, schema_after);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT max(version) FROM migration_history"),
                   ==, latest);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM users WHERE full_name = "
                                           "'Kept User'"), ==, 1);
  g_assert_false (pqs_store_in_transaction (store));
  g_assert_true (sqlite3_get_autocommit (db));
  pqs_test_assert_integrity (db);

  /* The non-empty database was copied aside before the attempt. */
  g_assert_cmpuint (count_files (fixture->backups, ".db"), ==, 1);
}

static void
test_transaction_statements_refused (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autofree char *dir = g_build_filename (fixture->dir, "own", NULL);
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir (dir, 0700);
  pqs_test_write_file (dir, "001_commits.sql", "CREATE TABLE t (x);\nCOMMIT;\n");
  migrator = new_migrator (fixture, store, dir);

  g_assert_false (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_STATEMENT_FAILED);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                       "SELECT count(*) FROM sqlite_schema WHERE name = 't'"),
                   ==, 0);
}

static void
test_legacy_adoption (Fixture       *fixture,
                      gconstpointer  data)
{
  const guint n_users = 500;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(PqsStore) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before_users = NULL;
  g_autofree char *before_avatars = NULL;
  g_autofree char *after_users = NULL;
  g_autofree char *after_avatars = NULL;
  const char *users_sql = "SELECT group_concat(id || username || email || password_hash || "
                          "full_name || coalesce(rank, '') || is_active, ';') "
                          "FROM (SELECT * FROM users ORDER BY id)";
  const char *avatars_sql = "SELECT group_concat(id || ':' || user_id || hex(avatar_data) || "
                            "mime_type || file_size, ';') FROM (SELECT * FROM avatars ORDER BY id)";
  sqlite3 *db;
  guint version = 0;

  pqs_test_make_legacy_database (fixture->path, n_users);
  store = pqs_test_open_store (fixture->path);
  db = pqs_store_get_handle (store);
  before_users = pqs_test_query_text (db, users_sql);
  before_avatars = pqs_test_query_text (db, avatars_sql);

  migrator = new_migrator (fixture, store, NULL);
  g_assert_true (pqs_migrator_get_current_version (migrator, &version, &error));
  g_assert_cmpuint (version, ==, 1);
  g_assert_true (pqs_migrator_validate (migrator, &error));

  g_assert_cmpuint (migrate_ok (migrator, PQS_MIGRATOR_LATEST), ==,
                    pqs_migrator_get_latest_version (migrator) - 1);

  /* 001 is recorded as baselined: adopted, not run. */
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM migration_history "
                                           "WHERE version = 1 AND status = 'baselined'"), ==, 1);

  /* Every row kept, ids and all, and every avatar still points at its user. */
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM users"), ==, n_users);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM avatars"), ==, n_users / 2);
  after_users = pqs_test_query_text (db, users_sql);
  after_avatars = pqs_test_query_text (db, avatars_sql);
  g_assert_cmpstr (before_users, ==, after_users);
  g_assert_cmpstr (before_avatars, ==, after_avatars);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM avatars a JOIN users u "
                                           "ON u.id = a.user_id"), ==, n_users / 2);
  /* Roles are in the known set now ("Admin" from the old program became "admin"). */
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM users WHERE role NOT IN "
                                           "('visitor', 'user', 'supervisor', 'admin')"), ==, 0);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM users WHERE login_count = 0 "
                                           "AND failed_login_attempts = 0"), ==, n_users);
  pqs_test_assert_integrity (db);

  /* The legacy file was copied aside first, untouched, and the copy is on record. */
  g_assert_nonnull (pqs_migrator_get_last_backup_path (migrator));
  copy = pqs_store_open (pqs_migrator_get_last_backup_path (migrator),
                         PQS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_free (after_users);
  after_users = pqs_test_query_text (pqs_store_get_handle (copy), users_sql);
  g_assert_cmpstr (before_users, ==, after_users);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (copy),
                                       "SELECT count(*) FROM sqlite_schema WHERE name = "
                                       "'migration_history'"), ==, 0);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM backup_history WHERE "
                                           "backup_type = 'pre-migration' AND backup_status = "
                                           "'completed' AND schema_version = 1 AND "
                                           "length(checksum_sha256) = 64 AND backup_size > 0"),
                   ==, 1);

  /* Like every backup, the safety copy has its manifest, and the history
   * says how many rows of each table it holds. */
  {
    g_autofree char *manifest = g_strconcat (pqs_migrator_get_last_backup_path (migrator),
                                             ".manifest.json", NULL);
    g_autofree char *sql = NULL;

    g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
    sql = g_strdup_printf ("SELECT json_extract(tables_backed_up, '$.users') FROM backup_history "
                           "WHERE backup_type = 'pre-migration'");
    g_assert_cmpint (pqs_test_query_int (db, sql), ==, n_users);
    g_assert_cmpint (pqs_test_query_int (db, "SELECT json_extract(tables_backed_up, "
                                             "'$.avatars') FROM backup_history WHERE "
                                             "backup_type = 'pre-migration'"), ==, n_users / 2);
  }
}

static void
test_legacy_odd_avatars_kept (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  sqlite3 *db;

  pqs_test_make_legacy_database (fixture->path, 10);
  store = pqs_test_open_store (fixture->path);
  db = pqs_store_get_handle (store);
  /* What the old program let through: an orphan, a GIF, an empty picture, a huge one. */
  pqs_test_exec (db, "PRAGMA foreign_keys = OFF");
  pqs_test_exec (db, "INSERT INTO avatars (id, user_id, avatar_data, mime_type, file_size) VALUES "
                     "(100, 999, X'89504E470D0A1A0A00', 'image/png', 9), "
                     "(101, 1, X'474946383961', 'image/gif', 6), "
                     "(102, 3, X'', 'image/png', 0), "
                     "(103, 5, zeroblob(1048577), 'image/jpeg', 1048577), "
                     "(104, 7, X'FFD8FFE000', 'image/jpg', 5)");
  pqs_test_exec (db, "PRAGMA foreign_keys = ON");
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM avatars"), ==, 10);

  migrator = new_migrator (fixture, store, NULL);
  migrate_ok (migrator, PQS_MIGRATOR_LATEST);

  /* Every row is still in the database: usable ones in avatars, the others set aside. */
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM avatars"), ==, 6);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT mime_type = 'image/jpeg' FROM avatars "
                                           "WHERE id = 104"), ==, 1);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM legacy_avatars_unusable"),
                   ==, 4);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM legacy_avatars_unusable WHERE "
                                           "(id = 100 AND reason = 'user does not exist') OR "
                                           "(id = 101 AND reason LIKE 'not a PNG%') OR "
                                           "(id = 102 AND reason = 'empty picture') OR "
                                           "(id = 103 AND reason = 'larger than 1 MiB')"), ==, 4);
  pqs_test_assert_integrity (db);
}

static void
test_unknown_schema (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  pqs_test_exec (pqs_store_get_handle (store), "CREATE TABLE recipes (id INTEGER PRIMARY KEY)");
  before = file_state (fixture->path);

  g_assert_false (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_UNKNOWN_SCHEMA);
  g_assert_nonnull (strstr (error->message, "recipes"));
  after = file_state (fixture->path);
  g_assert_cmpstr (before, ==, after);
}

/* A folder whose 001 makes two parents and three children, deleted in cascade. */
static void
write_parent_child (const char *dir)
{
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  pqs_test_write_file (dir, "001_parent_child.sql",
                       "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
                       "CREATE TABLE child (id INTEGER PRIMARY KEY,\n"
                       "  parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);\n"
                       "INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b');\n"
                       "INSERT INTO child (parent_id) VALUES (1), (1), (2);\n");
}

/* A rebuild of a parent table with child rows: with the directive, the
 * children survive; the pragma is honoured because it is set before BEGIN. */
static void
test_twelve_step_rebuild (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autofree char *dir = g_build_filename (fixture->dir, "rebuild", NULL);
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = pqs_store_get_handle (store);

  write_parent_child (dir);
  pqs_test_write_file (dir, "002_rebuild_parent.sql",
                       "-- pqs:foreign-keys=off\n"
                       "CREATE TABLE new_parent (id INTEGER PRIMARY KEY,\n"
                       "  name TEXT NOT NULL CHECK (name <> ''));\n"
                       "INSERT INTO new_parent (id, name) SELECT id, name FROM parent;\n"
                       "DROP TABLE parent;\n"
                       "ALTER TABLE new_parent RENAME TO parent;\n");
  migrator = new_migrator (fixture, store, dir);
  migrate_ok (migrator, PQS_MIGRATOR_LATEST);

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM child"), ==, 3);
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
  pqs_test_assert_integrity (db);

  /* Foreign keys are back on: deleting a parent cascades again. */
  pqs_test_exec (db, "DELETE FROM parent WHERE id = 1");
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM child"), ==, 1);
}

static void
test_twelve_step_without_directive_loses_rows (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autofree char *dir = g_build_filename (fixture->dir, "careless", NULL);
  g_autoptr(PqsMigrator) migrator = NULL;
  sqlite3 *db = pqs_store_get_handle (store);

  /* The hazard the directive exists for, shown once: the same rebuild without
   * it cascades the drop into the child table. */
  write_parent_child (dir);
  pqs_test_write_file (dir, "002_rebuild_parent.sql",
                       "CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT);\n"
                       "INSERT INTO new_parent (id, name) SELECT id, name FROM parent;\n"
                       "DROP TABLE parent;\n"
                       "ALTER TABLE new_parent RENAME TO parent;\n");
  migrator = new_migrator (fixture, store, dir);
  migrate_ok (migrator, PQS_MIGRATOR_LATEST);

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM child"), ==, 0);
}

static void
test_twelve_step_foreign_key_check (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autofree char *dir = g_build_filename (fixture->dir, "orphans", NULL);
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = pqs_store_get_handle (store);

  write_parent_child (dir);
  /* A rebuild that forgets a row would orphan a child: refused, rolled back. */
  pqs_test_write_file (dir, "002_lossy_rebuild.sql",
                       "-- pqs:foreign-keys=off\n"
                       "CREATE TABLE new_parent (id INTEGER PRIMARY KEY, name TEXT);\n"
                       "INSERT INTO new_parent SELECT * FROM parent WHERE id = 1;\n"
                       "DROP TABLE parent;\n"
                       "ALTER TABLE new_parent RENAME TO parent;\n");
  migrator = new_migrator (fixture, store, dir);

  g_assert_false (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_FOREIGN_KEY_VIOLATION);
  g_assert_nonnull (strstr (error->message, "002_lossy_rebuild.sql"));
  g_assert_nonnull (strstr (error->message, "child"));

  g_assert_cmpint (pqs_test_query_int (db, "SELECT max(version) FROM migration_history"), ==, 1);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM parent"), ==, 2);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM child"), ==, 3);
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
  pqs_test_assert_integrity (db);
}

static void
test_backup_failure_blocks_migration (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = pqs_store_get_handle (store);

  migrate_ok (migrator, 2);
  pqs_test_exec (db, "INSERT INTO users (username, email, password_hash, full_name) "
                     "VALUES ('a', 'a@ship.example', 'x', 'A')");

  /* The backup folder cannot be created: a file stands in its way. */
  g_file_set_contents (fixture->backups, "not a folder", -1, &error);
  g_assert_no_error (error);

  g_assert_false (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BACKUP_FAILED);
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  g_assert_cmpint (pqs_test_query_int (db, "SELECT max(version) FROM migration_history"), ==, 2);
}

static void
test_backup_before_pending (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  g_autoptr(PqsStore) copy = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = pqs_store_get_handle (store);
  guint latest = pqs_migrator_get_latest_version (migrator);

  migrate_ok (migrator, 3);
  pqs_test_exec (db, "INSERT INTO users (username, email, password_hash, full_name) "
                     "VALUES ('a', 'a@ship.example', 'x', 'A')");
  migrate_ok (migrator, PQS_MIGRATOR_LATEST);

  g_assert_nonnull (pqs_migrator_get_last_backup_path (migrator));
  g_assert_true (g_str_has_prefix (pqs_migrator_get_last_backup_path (migrator),
                                   fixture->backups));
  g_assert_cmpuint (count_files (fixture->backups, ".partial"), ==, 0);

  copy = pqs_store_open (pqs_migrator_get_last_backup_path (migrator), PQS_STORE_OPEN_EXISTING,
                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (copy),
                                       "SELECT max(version) FROM migration_history"), ==, 3);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (copy),
                                       "SELECT count(*) FROM users"), ==, 1);
  pqs_test_assert_integrity (pqs_store_get_handle (copy));
  g_assert_cmpint (pqs_test_query_int (db, "SELECT max(version) FROM migration_history"),
                   ==, latest);
}

static void
test_bad_migration_folders (Fixture       *fixture,
                            gconstpointer  data)
{
  static const struct {
    const char *files[3];
    gint        code;
    const char *words;
  } cases[] = {
    { { "1_init.sql", NULL }, PQS_MIGRATION_ERROR_BAD_FILE_NAME, "1_init.sql" },
    { { "001_Init.sql", NULL }, PQS_MIGRATION_ERROR_BAD_FILE_NAME, "001_Init.sql" },
    { { "001_init.sql", "003_later.sql", NULL }, PQS_MIGRATION_ERROR_GAP, "002" },
    { { "002_second.sql", NULL }, PQS_MIGRATION_ERROR_GAP, "001" },
    { { "001_a.sql", "001_b.sql", NULL }, PQS_MIGRATION_ERROR_DUPLICATE, "001_" },
    { { "001_init.sql", "002_gone.down.sql", NULL }, PQS_MIGRATION_ERROR_MISSING,
      "002_gone.down.sql" },
    { { "001_empty.sql", NULL }, PQS_MIGRATION_ERROR_EMPTY_FILE, "001_empty.sql" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("case-%u", i);
      g_autofree char *dir = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
      g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
      g_autoptr(GError) error = NULL;

      g_mkdir (dir, 0700);
      for (guint f = 0; cases[i].files[f] != NULL; f++)
        pqs_test_write_file (dir, cases[i].files[f],
                             g_str_has_prefix (cases[i].files[f], "001_empty")
                               ? "-- nothing here\n\n" : "CREATE TABLE IF NOT EXISTS t (x);\n");

      g_assert_false (pqs_migrator_load_directory_only (migrator, dir, &error));
      g_assert_error (error, PQS_MIGRATION_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

static void
test_resource_matches_source (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "pqs.db", NULL);
  g_autoptr(PqsStore) store = pqs_test_open_store (path);
  g_autoptr(PqsMigrator) compiled = pqs_migrator_new (store);
  g_autoptr(PqsMigrator) source = pqs_migrator_new (store);
  g_autoptr(GError) error = NULL;
  GPtrArray *a, *b;

  g_assert_true (pqs_migrator_load (compiled, NULL, &error));
  g_assert_true (pqs_migrator_load_directory_only (source, g_getenv ("PQS_MIGRATIONS_SRCDIR"),
                                                   &error));
  g_assert_no_error (error);

  /* Every file in migrations/ is compiled in, unchanged. */
  a = pqs_migrator_get_migrations (compiled);
  b = pqs_migrator_get_migrations (source);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      PqsMigration *ma = g_ptr_array_index (a, i);
      PqsMigration *mb = g_ptr_array_index (b, i);

      g_assert_cmpstr (pqs_migration_get_file_name (ma), ==, pqs_migration_get_file_name (mb));
      g_assert_cmpstr (pqs_migration_get_checksum (ma), ==, pqs_migration_get_checksum (mb));
      g_assert_cmpstr (pqs_migration_get_down_sql (ma), ==, pqs_migration_get_down_sql (mb));
      /* Each shipped migration can be rolled back. */
      g_assert_nonnull (pqs_migration_get_down_sql (ma));
    }

  g_clear_object (&compiled);
  g_clear_object (&source);
  g_clear_object (&store);
  pqs_test_rm_rf (dir);
}

typedef struct
{
  const char *path;
  const char *backups;
  guint       applied;
  char       *error;
} RaceArgs;

static gpointer
race_thread (gpointer data)
{
  RaceArgs *args = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = pqs_store_open (args->path, PQS_STORE_OPEN_DEFAULT, &error);
  g_autoptr(PqsMigrator) migrator = NULL;

  if (store != NULL)
    {
      pqs_store_set_busy_timeout (store, 60000);
      migrator = pqs_migrator_new (store);
      pqs_migrator_set_backup_dir (migrator, args->backups);
      pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &args->applied, &error);
    }
  if (error != NULL)
    args->error = g_strdup (error->message);

  return NULL;
}

static void
test_concurrent_threads (Fixture       *fixture,
                         gconstpointer  data)
{
  for (guint round = 0; round < 10; round++)
    {
      g_autofree char *name = g_strdup_printf ("race-%u.db", round);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      RaceArgs args[3] = { { path, fixture->backups, 0, NULL }, { path, fixture->backups, 0, NULL },
                           { path, fixture->backups, 0, NULL } };
      GThread *threads[3];
      g_autoptr(PqsStore) store = NULL;
      guint total = 0;
      guint latest = latest_in_source ();

      /* Create the (empty) file first, so that every thread races on migrating it. */
      store = pqs_test_open_store (path);

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("migrate", race_thread, &args[i]);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_thread_join (threads[i]);

      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        {
          g_assert_cmpstr (args[i].error, ==, NULL);
          total += args[i].applied;
        }

      /* Each migration applied exactly once, whoever applied it. */
      g_assert_cmpuint (total, ==, latest);
      g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                           "SELECT count(*) FROM migration_history"),
                       ==, latest);
      pqs_test_assert_integrity (pqs_store_get_handle (store));
    }
}

static void
migrate_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gint *applied = user_data;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_assert_true (pqs_migrator_migrate_finish (PQS_MIGRATOR (source), result, &count, &error));
  g_assert_no_error (error);
  *applied = (gint) count;
}

static gpointer
worker_timeout_func (PqsStore      *worker,
                     gpointer       user_data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return GINT_TO_POINTER (pqs_store_get_busy_timeout (worker));
}

static void
worker_timeout_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gint *timeout = user_data;

  *timeout = GPOINTER_TO_INT (pqs_store_run_in_thread_finish (PQS_STORE (source), result, NULL));
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  gint applied = -1;

  pqs_migrator_migrate_async (migrator, NULL, migrate_done_cb, &applied);
  while (applied < 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (applied, ==, (gint) pqs_migrator_get_latest_version (migrator));
  /* The main connection sees what the worker connection committed. */
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                       "SELECT count(*) FROM migration_history"), ==, applied);

  /* The long wait a migration allows itself is not left on the worker
   * connection, which later backups and checks share. */
  {
    gint timeout = -1;

    pqs_store_run_in_thread (store, worker_timeout_func, NULL, NULL, NULL, worker_timeout_cb,
                             &timeout);
    while (timeout < 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (timeout, ==, pqs_store_get_busy_timeout (store));
  }
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PqsStore) store = pqs_test_open_store (fixture->path);
  g_autoptr(PqsMigrator) migrator = new_migrator (fixture, store, NULL);
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint latest = pqs_migrator_get_latest_version (migrator);

  migrate_ok (migrator, 2);
  pqs_test_exec (pqs_store_get_handle (store),
                 "UPDATE migration_history SET checksum = printf('%064d', 7) WHERE version = 2");

  lines = pqs_migrator_status (migrator, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, latest);
  for (guint i = 0; i < lines->len; i++)
    {
      PqsMigrationStatus *line = g_ptr_array_index (lines, i);
      PqsMigrationState expected = i == 0 ? PQS_MIGRATION_STATE_APPLIED
                                 : i == 1 ? PQS_MIGRATION_STATE_CHECKSUM_MISMATCH
                                          : PQS_MIGRATION_STATE_PENDING;

      g_assert_cmpuint (line->version, ==, i + 1);
      g_assert_cmpint (line->state, ==, expected);
      g_assert_nonnull (line->file_checksum);
      g_assert_true ((line->applied_at != NULL) == (i < 2));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/migrator/fresh", test_fresh);
  ADD ("/migrator/idempotent", test_idempotent);
  ADD ("/migrator/rollback-round-trip", test_rollback_round_trip);
  ADD ("/migrator/rollback-needs-down-files", test_rollback_needs_down_files);
  ADD ("/migrator/tampered-checksum", test_tampered_checksum);
  ADD ("/migrator/crlf-checkout", test_crlf_checkout_is_not_tampering);
  ADD ("/migrator/history-gap", test_history_gap);
  ADD ("/migrator/missing-applied-migration", test_missing_applied_migration);
  ADD ("/migrator/newer-database", test_newer_database);
  ADD ("/migrator/failing-migration", test_failing_migration);
  ADD ("/migrator/transaction-statements-refused", test_transaction_statements_refused);
  ADD ("/migrator/legacy-adoption", test_legacy_adoption);
  ADD ("/migrator/legacy-odd-avatars-kept", test_legacy_odd_avatars_kept);
  ADD ("/migrator/unknown-schema", test_unknown_schema);
  ADD ("/migrator/twelve-step/rebuild-keeps-children", test_twelve_step_rebuild);
  ADD ("/migrator/twelve-step/without-directive-cascades",
       test_twelve_step_without_directive_loses_rows);
  ADD ("/migrator/twelve-step/foreign-key-check", test_twelve_step_foreign_key_check);
  ADD ("/migrator/backup/failure-blocks-migration", test_backup_failure_blocks_migration);
  ADD ("/migrator/backup/before-pending", test_backup_before_pending);
  ADD ("/migrator/bad-migration-folders", test_bad_migration_folders);
  ADD ("/migrator/concurrent-threads", test_concurrent_threads);
  ADD ("/migrator/async", test_async);
  ADD ("/migrator/status", test_status);
  g_test_add_func ("/migrator/resource-matches-source", test_resource_matches_source);

  return g_test_run ();
}
