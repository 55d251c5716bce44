/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "pqs-test-util.h"

/* The contract of `pqs-admin` (DESIGN.md): exit 0 on success, 1 on a failed
 * check or operation, 2 on bad usage; an error is one line on stderr that
 * starts with "pqs-admin: ". Every test runs the real program with its data
 * folder (and so its default database and backups) in a temporary folder. */

typedef struct
{
  char *dir;
  char *xdg;        /* XDG_DATA_HOME of the children */
  char *db;         /* dir/pqs.db, not created yet */
  char *xdg_env;
  const char *env[3];
} Scene;

static Scene *
scene_new (void)
{
  Scene *scene = g_new0 (Scene, 1);

  scene->dir = pqs_test_tmpdir_new ();
  scene->xdg = g_build_filename (scene->dir, "xdg-data", NULL);
  scene->db = g_build_filename (scene->dir, "pqs.db", NULL);
  scene->xdg_env = g_strconcat ("XDG_DATA_HOME=", scene->xdg, NULL);
  scene->env[0] = scene->xdg_env;
  scene->env[1] = "PQS_DB";   /* unset: the default database is under xdg */
  scene->env[2] = NULL;

  return scene;
}

static void
scene_free (Scene *scene)
{
  pqs_test_tmpdir_free (scene->dir);
  g_free (scene->xdg);
  g_free (scene->db);
  g_free (scene->xdg_env);
  g_free (scene);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scene, scene_free)

/* Runs pqs-admin with the NULL-terminated arguments; @out and @err may be NULL. */
G_GNUC_NULL_TERMINATED static int
admin (Scene       *scene,
       char       **out,
       char       **err,
       const char  *first,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *local_out = NULL;
  g_autofree char *local_err = NULL;
  const char *arg;
  va_list ap;
  int status;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = pqs_test_run_admin_env (scene->env, (const char * const *) args->pdata,
                                   &local_out, &local_err);
  g_test_message ("pqs-admin exited with %d\nstdout: %s\nstderr: %s", status, local_out,
                  local_err);

  if (out != NULL)
    *out = g_steal_pointer (&local_out);
  if (err != NULL)
    *err = g_steal_pointer (&local_err);

  return status;
}

/* An error is exactly one line that starts with "pqs-admin: " and says @needle. */
static void
assert_error_line (const char *err,
                   const char *needle)
{
  const char *newline;

  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
  newline = strchr (err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpint (newline[1], ==, '\0');
  g_assert_cmpuint (newline - err, >, strlen ("pqs-admin: "));
  if (needle != NULL && strstr (err, needle) == NULL)
    g_error ("“%s” does not mention “%s”", err, needle);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  g_assert_nonnull (text);
  if (strstr (text, needle) == NULL)
    g_error ("“%s” does not contain “%s”", text, needle);
}

/* The newest version: the number of up migrations in the source folder. */
static guint
latest_version (void)
{
  const char *source = g_getenv ("PQS_MIGRATIONS_SRCDIR");
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint count = 0;

  g_assert_nonnull (source);
  dir = g_dir_open (source, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sql") && !g_str_has_suffix (name, ".down.sql"))
      count++;

  g_assert_cmpuint (count, >=, 4);
  return count;
}

static sqlite3 *
db_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  return db;
}

static gint64
db_query_int (const char *path,
              const char *sql)
{
  sqlite3 *db = db_open (path);
  gint64 value = pqs_test_query_int (db, sql);

  sqlite3_close (db);
  return value;
}

static gboolean
db_has_table (const char *path,
              const char *table)
{
  sqlite3 *db = db_open (path);
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema "
                                           "WHERE type = 'table' AND name = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count == 1;
}

/* The history has versions 1..@version, each once. */
static void
assert_history (const char *path,
                guint       version)
{
  sqlite3 *db = db_open (path);

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM migration_history"),
                   ==, version);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(DISTINCT version) "
                                           "FROM migration_history"), ==, version);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT coalesce(min(version), 0) "
                                           "FROM migration_history"), ==, version > 0);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT coalesce(max(version), 0) "
                                           "FROM migration_history"), ==, version);
  sqlite3_close (db);
}

/* Files below @dir (recursively) whose name ends with @suffix. */
static guint
count_files (const char *dir,
             const char *suffix)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        count += count_files (path, suffix);
      else if (g_str_has_suffix (name, suffix))
        count++;
    }

  return count;
}

static void
assert_same_bytes (GBytes     *before,
                   const char *path)
{
  g_autoptr(GBytes) after = pqs_test_read_file (path);

  g_assert_cmpuint (g_bytes_get_size (after), ==, g_bytes_get_size (before));
  g_assert_true (g_bytes_equal (before, after));
}

static void
migrate_ok (Scene      *scene,
            const char *to)
{
  g_autofree char *err = NULL;
  int status;

  if (to != NULL)
    status = admin (scene, NULL, &err, "--db", scene->db, "migrate", "--to", to, NULL);
  else
    status = admin (scene, NULL, &err, "--db", scene->db, "migrate", NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* --help ---------------------------------------------------------------------- */

static void
test_help_top_level (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  static const char *commands[] = { "migrate", "status", "validate", "rollback" };

  g_assert_cmpint (admin (scene, &out, &err, "--help", NULL), ==, 0);
  assert_contains (out, "Usage");
  assert_contains (out, "--db");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    assert_contains (out, commands[i]);
  g_assert_cmpstr (err, ==, "");
  g_assert_false (g_file_test (scene->xdg, G_FILE_TEST_EXISTS));
}

static void
test_help_commands (void)
{
  g_autoptr(Scene) scene = scene_new ();
  static const struct {
    const char *command;
    const char *options[3];
  } cases[] = {
    { "migrate", { "--to", "--dry-run", NULL } },
    { "status", { "--db", NULL } },
    { "validate", { "--db", NULL } },
    { "rollback", { "--to", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (admin (scene, &out, &err, cases[i].command, "--help", NULL), ==, 0);
      assert_contains (out, "Usage");
      for (guint j = 0; cases[i].options[j] != NULL; j++)
        assert_contains (out, cases[i].options[j]);
      g_assert_cmpstr (err, ==, "");
    }

  /* Asking for help touches no database. */
  g_assert_false (g_file_test (scene->xdg, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

/* migrate ---------------------------------------------------------------------- */

static void
test_migrate_fresh (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf ("%03u", latest_version ());

  g_assert_cmpint (admin (scene, &out, &err, "--db", scene->db, "migrate", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_contains (out, expected);

  assert_history (scene->db, latest_version ());
  g_assert_cmpint (db_query_int (scene->db, "SELECT count(*) FROM migration_history "
                                            "WHERE status = 'applied' "
                                            "AND length(checksum) = 64"),
                   ==, latest_version ());
  g_assert_true (db_has_table (scene->db, "users"));
  g_assert_true (db_has_table (scene->db, "backup_history"));

  /* An empty database needs no safety copy, and --db kept the default
   * database (under XDG_DATA_HOME) out of it. */
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);

  /* Running again changes nothing. */
  g_assert_cmpint (admin (scene, NULL, NULL, "--db", scene->db, "migrate", NULL), ==, 0);
  assert_history (scene->db, latest_version ());
}

static void
test_migrate_db_option_position (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *before = g_build_filename (scene->dir, "before.db", NULL);
  g_autofree char *after = g_build_filename (scene->dir, "after.db", NULL);
  g_autofree char *equals = g_build_filename (scene->dir, "equals.db", NULL);
  g_autofree char *equals_arg = g_strconcat ("--db=", equals, NULL);

  g_assert_cmpint (admin (scene, NULL, NULL, "--db", before, "migrate", NULL), ==, 0);
  g_assert_cmpint (admin (scene, NULL, NULL, "migrate", "--db", after, NULL), ==, 0);
  g_assert_cmpint (admin (scene, NULL, NULL, "migrate", equals_arg, NULL), ==, 0);

  assert_history (before, latest_version ());
  assert_history (after, latest_version ());
  assert_history (equals, latest_version ());
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);
}

static void
test_migrate_default_database (void)
{
  g_autoptr(Scene) scene = scene_new ();

  /* Without --db and $PQS_DB the database lives in the user's data folder. */
  g_assert_cmpint (admin (scene, NULL, NULL, "migrate", NULL), ==, 0);
  g_assert_cmpuint (count_files (scene->xdg, "pqs.db"), ==, 1);
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

static void
test_migrate_to_version (void)
{
  g_autoptr(Scene) scene = scene_new ();

  migrate_ok (scene, "3");
  assert_history (scene->db, 3);
  g_assert_true (db_has_table (scene->db, "backup_history"));     /* 003 */
  g_assert_false (db_has_table (scene->db, "user_sessions"));     /* 004 */

  migrate_ok (scene, NULL);
  assert_history (scene->db, latest_version ());
  g_assert_true (db_has_table (scene->db, "user_sessions"));
}

static void
test_migrate_to_older_version (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  migrate_ok (scene, "3");
  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "migrate", "--to", "2", NULL),
                   ==, 1);
  assert_error_line (err, "003");
  assert_contains (err, "rollback");
  assert_history (scene->db, 3);
}

static void
test_migrate_to_unknown_version (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;
  g_autofree char *beyond = g_strdup_printf ("%u", latest_version () + 1);

  migrate_ok (scene, "3");
  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "migrate", "--to", beyond,
                          NULL), ==, 1);
  assert_error_line (err, NULL);
  assert_history (scene->db, 3);
}

static void
test_migrate_dry_run (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  migrate_ok (scene, "3");
  g_assert_cmpint (admin (scene, &out, &err, "--db", scene->db, "migrate", "--dry-run", NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_contains (out, "004_");
  assert_history (scene->db, 3);
  g_assert_false (db_has_table (scene->db, "user_sessions"));
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);   /* no safety copy either */
}

static void
test_migrate_dry_run_missing_file (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *folder = g_build_filename (scene->dir, "not-yet", NULL);
  g_autofree char *path = g_build_filename (folder, "pqs.db", NULL);
  g_autofree char *err = NULL;

  g_assert_cmpint (admin (scene, NULL, &err, "--db", path, "migrate", "--dry-run", NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
}

/* --json output is JSON whatever the file name. */
static void
test_migrate_dry_run_json (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *existing = g_build_filename (scene->dir, "say \"hi\" \\ there.db", NULL);
  g_autofree char *missing = g_build_filename (scene->dir, "not \"yet\".db", NULL);
  const char *paths[] = { existing, missing };

  g_assert_cmpint (admin (scene, NULL, NULL, "--db", existing, "migrate", "--to", "2", NULL),
                   ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      JsonObject *object;

      g_assert_cmpint (admin (scene, &out, NULL, "--db", paths[i], "--json", "migrate",
                              "--dry-run", NULL), ==, 0);
      json_parser_load_from_data (parser, out, -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (object, "database"), ==, paths[i]);
      g_assert_true (json_object_get_boolean_member (object, "dry_run"));
    }

  assert_history (existing, 2);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* Two processes started at the same moment on the same new file: one applies
 * each migration, the other waits for the lock and finds it done. */
static void
test_migrate_concurrent (void)
{
  g_autoptr(Scene) scene = scene_new ();

  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *path = g_strdup_printf ("%s/race-%u.db", scene->dir, round);
      const char *argv[] = { "--db", path, "migrate", NULL };
      GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE;
      g_autoptr(GError) error = NULL;
      GSubprocess *processes[2];
      int gate[2];
      sqlite3 *db;

      g_unix_open_pipe (gate, FD_CLOEXEC, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
        processes[i] = pqs_test_spawn_admin_full (scene->env, argv, flags, gate[0]);

      /* Both are waiting; one line each lets them go together. */
      g_assert_cmpint (write (gate[1], "go\ngo\n", 6), ==, 6);
      g_close (gate[0], NULL);
      g_close (gate[1], NULL);

      for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
        {
          g_autoptr(GSubprocess) process = processes[i];
          g_autofree char *err = NULL;

          g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
          g_assert_no_error (error);
          g_test_message ("round %u, process %u: %s", round, i, err);
          g_assert_true (g_subprocess_get_if_exited (process));
          g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
          g_assert_cmpstr (err, ==, "");
        }

      assert_history (path, latest_version ());
      db = db_open (path);
      pqs_test_assert_integrity (db);
      sqlite3_close (db);
    }
}

/* A second program holds the write lock for longer than an ordinary busy
 * timeout (5 s): migrate waits for it instead of failing. */
static void
test_migrate_waits_for_lock (void)
{
  g_autoptr(Scene) scene = scene_new ();
  const char *argv[] = { "--db", scene->db, "migrate", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  sqlite3 *db;

  g_assert_cmpint (admin (scene, NULL, NULL, "--db", scene->db, "migrate", "--to", "2", NULL),
                   ==, 0);
  db = db_open (scene->db);
  pqs_test_exec (db, "BEGIN IMMEDIATE");

  process = pqs_test_spawn_admin (scene->env, argv,
                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_usleep (6 * G_USEC_PER_SEC);
  pqs_test_exec (db, "COMMIT");

  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (err, ==, "");
  sqlite3_close (db);

  assert_history (scene->db, latest_version ());
}

/* status ----------------------------------------------------------------------- */

static void
test_status_json (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *root;
  JsonArray *migrations;

  migrate_ok (scene, "3");
  g_assert_cmpint (admin (scene, &out, &err, "status", "--json", "--db", scene->db, NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (root, "latest_version"), ==, latest_version ());
  migrations = json_object_get_array_member (root, "migrations");
  g_assert_nonnull (migrations);
  g_assert_cmpuint (json_array_get_length (migrations), ==, latest_version ());

  for (guint i = 0; i < json_array_get_length (migrations); i++)
    {
      JsonObject *line = json_array_get_object_element (migrations, i);
      const char *checksum = json_object_get_string_member (line, "checksum");
      gboolean applied = i < 3;

      g_assert_cmpint (json_object_get_int_member (line, "version"), ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (line, "state"), ==,
                       applied ? "applied" : "pending");
      g_assert_nonnull (json_object_get_string_member (line, "name"));
      g_assert_nonnull (checksum);
      g_assert_cmpuint (strlen (checksum), ==, 64);
      if (applied)
        {
          g_assert_cmpstr (json_object_get_string_member (line, "applied_checksum"), ==,
                           checksum);
          g_assert_nonnull (json_object_get_string_member (line, "applied_at"));
        }
      else
        g_assert_true (json_object_get_null_member (line, "applied_at"));
    }

  /* status changes nothing. */
  assert_history (scene->db, 3);
}

static void
test_status_text (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  migrate_ok (scene, "3");
  g_assert_cmpint (admin (scene, &out, &err, "--db", scene->db, "status", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_contains (out, "001");
  assert_contains (out, "applied");
  assert_contains (out, "pending");
}

/* status on a legacy database reports 001 as baselined and leaves the file
 * exactly as it was: the old application may still be using it. */
static void
test_status_legacy_read_only (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonArray *migrations;
  JsonObject *root;

  pqs_test_make_legacy_database (scene->db, 5);
  before = pqs_test_read_file (scene->db);

  g_assert_cmpint (admin (scene, &out, NULL, "--db", scene->db, "--json", "status", NULL),
                   ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "schema_version"), ==, 1);
  migrations = json_object_get_array_member (root, "migrations");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (migrations, 0),
                                                  "state"), ==, "baselined");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (migrations, 1),
                                                  "state"), ==, "pending");

  g_assert_cmpint (admin (scene, NULL, NULL, "--db", scene->db, "validate", NULL), ==, 0);

  assert_same_bytes (before, scene->db);
  g_assert_false (db_has_table (scene->db, "migration_history"));
}

static void
test_status_missing_file (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *folder = g_build_filename (scene->dir, "elsewhere", NULL);
  g_autofree char *path = g_build_filename (folder, "pqs.db", NULL);
  static const char *commands[] = { "status", "validate" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (admin (scene, NULL, &err, "--db", path, commands[i], NULL), ==, 1);
      assert_error_line (err, "does not exist");
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
    }
}

static void
test_not_a_database (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  static const char *commands[] = { "status", "validate", "migrate" };

  while (text->len < 8192)
    g_string_append (text, "Minutes of the quality meeting, not a database.\n");
  g_file_set_contents (scene->db, text->str, text->len, &error);
  g_assert_no_error (error);
  before = pqs_test_read_file (scene->db);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, commands[i], NULL), ==, 1);
      assert_error_line (err, "not a PQS Desk database");
      assert_same_bytes (before, scene->db);
    }

  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);
}

/* validate --------------------------------------------------------------------- */

static void
test_validate_ok (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  migrate_ok (scene, NULL);
  g_assert_cmpint (admin (scene, &out, &err, "--db", scene->db, "validate", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, !=, "");
}

/* Replaces the first occurrence of @from by @to in @dir/@name. */
static void
edit_file (const char *dir,
           const char *name,
           const char *from,
           const char *to)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) bytes = pqs_test_read_file (path);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GString) edited = g_string_new (text);

  g_assert_cmpuint (g_string_replace (edited, from, to, 1), ==, 1);
  pqs_test_write_file (dir, name, edited->str);
}

static void
test_validate_tampered (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (scene->dir, "migrations", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *migrate_err = NULL;
  JsonArray *migrations;

  migrate_ok (scene, NULL);
  g_assert_cmpint (admin (scene, NULL, NULL, "--db", scene->db, "validate", NULL), ==, 0);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  pqs_test_copy_migrations (folder);
  edit_file (folder, "003_backup_history.sql",
             "    backup_path TEXT NOT NULL,", "    backup_path TEXT,");
  before = pqs_test_read_file (scene->db);

  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "validate",
                          "--migrations-dir", folder, NULL), ==, 1);
  assert_error_line (err, "003_backup_history.sql");
  assert_same_bytes (before, scene->db);

  /* migrate refuses too, before it writes anything (not even a safety copy). */
  g_assert_cmpint (admin (scene, NULL, &migrate_err, "--db", scene->db, "migrate",
                          "--migrations-dir", folder, NULL), ==, 1);
  assert_error_line (migrate_err, "003_backup_history.sql");
  assert_same_bytes (before, scene->db);
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);

  /* status shows the problem rather than failing. */
  g_assert_cmpint (admin (scene, &out, NULL, "--db", scene->db, "status", "--json",
                          "--migrations-dir", folder, NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  migrations = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                             "migrations");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (migrations, 2),
                                                  "state"), ==, "checksum-mismatch");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (migrations, 1),
                                                  "state"), ==, "applied");
  assert_same_bytes (before, scene->db);

  /* With the original files all is well again. */
  g_assert_cmpint (admin (scene, NULL, NULL, "--db", scene->db, "validate", NULL), ==, 0);
}

static void
test_newer_database (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *validate_err = NULL;
  g_autofree char *migrate_err = NULL;
  sqlite3 *db;

  migrate_ok (scene, NULL);
  db = db_open (scene->db);
  pqs_test_exec (db, "INSERT INTO migration_history (version, name, checksum, status) "
                     "VALUES (999, 'from_the_future', printf('%064d', 0), 'applied')");
  sqlite3_close (db);

  g_assert_cmpint (admin (scene, NULL, &validate_err, "--db", scene->db, "validate", NULL),
                   ==, 1);
  assert_error_line (validate_err, "newer version");

  g_assert_cmpint (admin (scene, NULL, &migrate_err, "--db", scene->db, "migrate", NULL),
                   ==, 1);
  assert_error_line (migrate_err, "newer version");

  g_assert_cmpint (db_query_int (scene->db, "SELECT count(*) FROM migration_history"),
                   ==, latest_version () + 1);
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);
}

/* rollback ------------------------------------------------------------------------ */

static void
test_rollback_to_version (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  migrate_ok (scene, NULL);
  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "rollback", "--to", "3", NULL),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_history (scene->db, 3);
  g_assert_true (db_has_table (scene->db, "backup_history"));
  g_assert_false (db_has_table (scene->db, "user_sessions"));

  /* The safety copy went to the default backup folder, under XDG_DATA_HOME. */
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 1);
  g_assert_cmpint (db_query_int (scene->db, "SELECT count(*) FROM backup_history "
                                            "WHERE backup_type = 'pre-rollback'"), ==, 1);

  migrate_ok (scene, NULL);
  assert_history (scene->db, latest_version ());
  g_assert_true (db_has_table (scene->db, "user_sessions"));
}

static void
test_rollback_forward (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  migrate_ok (scene, "3");
  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "rollback", "--to", "5", NULL),
                   ==, 1);
  assert_error_line (err, "003");
  assert_history (scene->db, 3);
}

static void
test_rollback_missing_to (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  migrate_ok (scene, NULL);
  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "rollback", NULL), ==, 2);
  assert_error_line (err, "--to");
  assert_history (scene->db, latest_version ());
}

static void
test_rollback_bad_version (void)
{
  g_autoptr(Scene) scene = scene_new ();
  static const char *bad[] = { "abc", "3x", "1000", "" };

  migrate_ok (scene, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "rollback", "--to", bad[i],
                              NULL), ==, 2);
      assert_error_line (err, NULL);
    }

  assert_history (scene->db, latest_version ());
  g_assert_cmpuint (count_files (scene->xdg, ".db"), ==, 0);
}

/* Bad usage -------------------------------------------------------------------------- */

static void
test_unknown_command (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "frobnicate", NULL), ==, 2);
  assert_error_line (err, "frobnicate");
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

static void
test_unknown_option (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *before_err = NULL;
  g_autofree char *after_err = NULL;

  g_assert_cmpint (admin (scene, NULL, &before_err, "--frobnicate", "--db", scene->db,
                          "migrate", NULL), ==, 2);
  assert_error_line (before_err, "--frobnicate");

  g_assert_cmpint (admin (scene, NULL, &after_err, "--db", scene->db, "migrate",
                          "--frobnicate", NULL), ==, 2);
  assert_error_line (after_err, "--frobnicate");

  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

static void
test_missing_option_value (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *global_err = NULL;
  g_autofree char *command_err = NULL;

  g_assert_cmpint (admin (scene, NULL, &global_err, "--db", NULL), ==, 2);
  assert_error_line (global_err, "--db");
  g_assert_cmpint (admin (scene, NULL, &command_err, "--db", scene->db, "migrate", "--to",
                          NULL), ==, 2);
  assert_error_line (command_err, "--to");
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

static void
test_extra_argument (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, "migrate", "now", NULL), ==, 2);
  assert_error_line (err, "now");
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

static void
test_no_command (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  g_assert_cmpint (admin (scene, NULL, &err, "--db", scene->db, NULL), ==, 2);
  assert_error_line (err, NULL);
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/admin-cli/help/top-level", test_help_top_level);
  g_test_add_func ("/admin-cli/help/commands", test_help_commands);
  g_test_add_func ("/admin-cli/migrate/fresh", test_migrate_fresh);
  g_test_add_func ("/admin-cli/migrate/db-option-position", test_migrate_db_option_position);
  g_test_add_func ("/admin-cli/migrate/default-database", test_migrate_default_database);
  g_test_add_func ("/admin-cli/migrate/to-version", test_migrate_to_version);
  g_test_add_func ("/admin-cli/migrate/to-older-version", test_migrate_to_older_version);
  g_test_add_func ("/admin-cli/migrate/to-unknown-version", test_migrate_to_unknown_version);
  g_test_add_func ("/admin-cli/migrate/dry-run", test_migrate_dry_run);
  g_test_add_func ("/admin-cli/migrate/dry-run-missing-file", test_migrate_dry_run_missing_file);
  g_test_add_func ("/admin-cli/migrate/dry-run-json", test_migrate_dry_run_json);
  g_test_add_func ("/admin-cli/migrate/concurrent", test_migrate_concurrent);
  g_test_add_func ("/admin-cli/migrate/waits-for-lock", test_migrate_waits_for_lock);
  g_test_add_func ("/admin-cli/status/json", test_status_json);
  g_test_add_func ("/admin-cli/status/text", test_status_text);
  g_test_add_func ("/admin-cli/status/legacy-read-only", test_status_legacy_read_only);
  g_test_add_func ("/admin-cli/status/missing-file", test_status_missing_file);
  g_test_add_func ("/admin-cli/errors/not-a-database", test_not_a_database);
  g_test_add_func ("/admin-cli/validate/ok", test_validate_ok);
  g_test_add_func ("/admin-cli/validate/tampered", test_validate_tampered);
  g_test_add_func ("/admin-cli/validate/newer-database", test_newer_database);
  g_test_add_func ("/admin-cli/rollback/to-version", test_rollback_to_version);
  g_test_add_func ("/admin-cli/rollback/forward", test_rollback_forward);
  g_test_add_func ("/admin-cli/rollback/missing-to", test_rollback_missing_to);
  g_test_add_func ("/admin-cli/rollback/bad-version", test_rollback_bad_version);
  g_test_add_func ("/admin-cli/usage/unknown-command", test_unknown_command);
  g_test_add_func ("/admin-cli/usage/unknown-option", test_unknown_option);
  g_test_add_func ("/admin-cli/usage/missing-option-value", test_missing_option_value);
  g_test_add_func ("/admin-cli/usage/extra-argument", test_extra_argument);
  g_test_add_func ("/admin-cli/usage/no-command", test_no_command);

  return g_test_run ();
}
