/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "pqs-audit.h"
#include "pqs-session.h"
#include "pqs-test-util.h"

/* `pqs-admin user …` and `pqs-admin audit …` run as the real program on a
 * database in a temporary folder; the outcomes are exit codes, the text on
 * stdout and stderr, and the rows in the file. */

#define PASSWORD  "correct horse battery"
#define PASSWORD2 "another staple horse"

typedef struct
{
  char *dir;
  char *db;
  char *xdg_env;
  const char *env[3];
} Scene;

static Scene *
scene_new (void)
{
  Scene *scene = g_new0 (Scene, 1);
  g_autofree char *xdg = NULL;

  scene->dir = pqs_test_tmpdir_new ();
  scene->db = g_build_filename (scene->dir, "pqs.db", NULL);
  xdg = g_build_filename (scene->dir, "xdg-data", NULL);
  scene->xdg_env = g_strconcat ("XDG_DATA_HOME=", xdg, NULL);
  scene->env[0] = scene->xdg_env;
  scene->env[1] = "PQS_DB";
  scene->env[2] = NULL;

  return scene;
}

static void
scene_free (Scene *scene)
{
  pqs_test_tmpdir_free (scene->dir);
  g_free (scene->db);
  g_free (scene->xdg_env);
  g_free (scene);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scene, scene_free)

static void
replace_str (char **slot,
                char  *value)
{
  g_free (*slot);
  *slot = value;
}

/* Runs `pqs-admin --db DB …` with @input on stdin; @out and @err may be NULL. */
G_GNUC_NULL_TERMINATED static int
admin (Scene       *scene,
       const char  *input,
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

  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, scene->db);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = pqs_test_run_admin_input (scene->env, (const char * const *) args->pdata, input,
                                     &local_out, &local_err);
  g_test_message ("pqs-admin exited with %d\nstdout: %s\nstderr: %s", status, local_out,
                  local_err);

  /* Replaces what an earlier call left there, so callers can reuse them. */
  if (out != NULL)
    replace_str (out, g_steal_pointer (&local_out));
  if (err != NULL)
    replace_str (err, g_steal_pointer (&local_err));

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

static void
assert_lacks (const char *text,
              const char *needle)
{
  g_assert_nonnull (text);
  if (strstr (text, needle) != NULL)
    g_error ("“%s” contains “%s”", text, needle);
}

static sqlite3 *
db_open (Scene *scene)
{
  sqlite3 *db = NULL;

  g_assert_true (g_file_test (scene->db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite3_open_v2 (scene->db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

G_GNUC_PRINTF (2, 3) static gint64
db_int (Scene      *scene,
        const char *format,
        ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = db_open (scene);
  gint64 value;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  value = pqs_test_query_int (db, sql);
  sqlite3_close (db);
  return value;
}

G_GNUC_PRINTF (2, 3) static char *
db_text (Scene      *scene,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = db_open (scene);
  char *value;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  value = pqs_test_query_text (db, sql);
  sqlite3_close (db);
  return value;
}

G_GNUC_PRINTF (2, 3) static void
db_exec (Scene      *scene,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = db_open (scene);
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  pqs_test_exec (db, sql);
  sqlite3_close (db);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

/* Adds an account with PASSWORD; it must succeed. */
static void
add_user (Scene      *scene,
          const char *username,
          const char *role)
{
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  g_autofree char *full_name = g_strdup_printf ("%c%s Tester", g_ascii_toupper (username[0]),
                                                username + 1);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (admin (scene, PASSWORD "\n", &out, &err, "user", "add", username,
                          "--role", role, "--full-name", full_name, "--email", email,
                          "--password-stdin", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_contains (out, username);
}

static char *
future_time (void)
{
  return pqs_store_format_time (g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC);
}

static void
lock_out (Scene      *scene,
          const char *username)
{
  g_autofree char *until = future_time ();

  db_exec (scene, "UPDATE users SET failed_login_attempts = 5, locked_until = '%s' "
                  "WHERE username = '%s'", until, username);
}

/* The "locked" member of @username in `user list --json`. */
static gboolean
listed_locked (Scene      *scene,
               const char *username)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  g_assert_cmpint (admin (scene, NULL, &out, &err, "user", "list", "--json", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  root = parse_json (out);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (object, "username"), username))
        return json_object_get_boolean_member (object, "locked");
    }

  g_error ("%s is not listed", username);
}

/* user add ------------------------------------------------------------------ */

static void
test_add_each_role (void)
{
  g_autoptr(Scene) scene = scene_new ();
  static const char *roles[] = { "admin", "supervisor", "user", "visitor" };
  g_autofree char *agent = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autoptr(GError) error = NULL;

  /* The first call creates and migrates the database. */
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *username = g_strdup_printf ("%s1", roles[i]);
      g_autofree char *role = NULL;
      g_autofree char *email = NULL;
      g_autofree char *full_name = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *expected_email = g_strdup_printf ("%s@example.org", username);
      g_autofree char *expected_name = g_strdup_printf ("%c%s Tester",
                                                        g_ascii_toupper (roles[i][0]),
                                                        username + 1);

      add_user (scene, username, roles[i]);

      role = db_text (scene, "SELECT role FROM users WHERE username = '%s'", username);
      email = db_text (scene, "SELECT email FROM users WHERE username = '%s'", username);
      full_name = db_text (scene, "SELECT full_name FROM users WHERE username = '%s'",
                           username);
      hash = db_text (scene, "SELECT password_hash FROM users WHERE username = '%s'", username);
      g_assert_cmpstr (role, ==, roles[i]);
      g_assert_cmpstr (email, ==, expected_email);
      g_assert_cmpstr (full_name, ==, expected_name);
      g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
      g_assert_cmpint (db_int (scene, "SELECT is_active FROM users WHERE username = '%s'",
                               username), ==, 1);
      g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities "
                                      "WHERE activity_type = 'user.create' AND "
                                      "resource_type = 'user' AND resource_id = "
                                      "(SELECT id FROM users WHERE username = '%s')",
                               username), ==, 1);
    }

  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM users"), ==, 4);

  /* The rows name the program and the operator at the command line. */
  agent = db_text (scene, "SELECT user_agent FROM user_activities ORDER BY id LIMIT 1");
  g_assert_cmpstr (agent, ==, "pqs-admin/" PACKAGE_VERSION);
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities "
                                  "WHERE json_extract(details, '$.operator') = '%s'",
                           g_get_user_name ()), ==, 4);

  /* --rank is stored too. */
  g_assert_cmpint (admin (scene, PASSWORD "\r\n", NULL, NULL, "user", "add", "ranked",
                          "--role", "user", "--full-name", "Ranked Person",
                          "--email", "ranked@example.org", "--rank", "Captain",
                          "--password-stdin", NULL), ==, 0);
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM users WHERE username = 'ranked' "
                                  "AND rank = 'Captain'"), ==, 1);

  /* Only the line end was taken off the password ("\r\n" too). */
  store = pqs_test_open_store (scene->db);
  session = pqs_session_sign_in (store, "ranked", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
}

static void
test_add_bad_input (void)
{
  g_autoptr(Scene) scene = scene_new ();
  /* Refused usage exits before reading stdin, so those get no input (a
   * write to the closed pipe would fail the test, not the program). */
  struct {
    const char *input;
    int status;
    const char *needle;
    const char *args[12];
  } cases[] = {
    { "", 2, "--password-stdin",
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", NULL } },
    { "short\n", 1, "10",
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", "--password-stdin", NULL } },
    { "\n", 1, "10",
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", "--password-stdin", NULL } },
    { PASSWORD "\n", 1, "admin1",
      { "user", "add", "admin1", "--role", "user", "--full-name", "Again", "--email",
        "again@example.org", "--password-stdin", NULL } },
    { PASSWORD "\n", 1, "admin1@example.org",
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "admin1@example.org", "--password-stdin", NULL } },
    { PASSWORD "\n", 1, NULL,
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "not-an-address", "--password-stdin", NULL } },
    { "", 2, "supervisor",
      { "user", "add", "bob", "--role", "boss", "--full-name", "Bob", "--email",
        "bob@example.org", "--password-stdin", NULL } },
    { "", 2, NULL,
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", "--password-stdin", PASSWORD2, NULL } },
    { "", 2, NULL,
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", "--password", PASSWORD2, NULL } },
    { "", 2, "--password-stdin",
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", "--password=" PASSWORD2, NULL } },
    { "", 2, "--email",
      { "user", "add", "bob", "--role", "user", "--full-name", "Bob",
        "--password-stdin", NULL } },
    { "", 2, NULL,
      { "user", "add", "--role", "user", "--full-name", "Bob", "--email",
        "bob@example.org", "--password-stdin", NULL } },
  };

  add_user (scene, "admin1", "admin");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_ptr_array_add (args, (gpointer) "--db");
      g_ptr_array_add (args, scene->db);
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_ptr_array_add (args, (gpointer) cases[i].args[j]);
      g_ptr_array_add (args, NULL);

      status = pqs_test_run_admin_input (scene->env, (const char * const *) args->pdata,
                                         cases[i].input, &out, &err);
      g_test_message ("case %u: exit %d, stderr %s", i, status, err);
      g_assert_cmpint (status, ==, cases[i].status);
      assert_error_line (err, cases[i].needle);
      g_assert_cmpstr (out, ==, "");
      /* A password never comes back in the output. */
      assert_lacks (err, PASSWORD2);
    }

  /* Nothing was written by any of them. */
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM users"), ==, 1);
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities"), ==, 1);
}

/* user list ---------------------------------------------------------------- */

static void
test_list (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *header = NULL;
  JsonArray *array;
  JsonObject *bob;
  static const char *members[] = {
    "id", "username", "email", "full_name", "rank", "role", "active", "locked",
    "locked_until", "failed_login_attempts", "last_login_at", "login_count",
    "password_reset_required", "created_at",
  };

  add_user (scene, "alice", "admin");
  add_user (scene, "bob", "visitor");

  g_assert_cmpint (admin (scene, NULL, &out, &err, "user", "list", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  header = g_strndup (out, strchr (out, '\n') - out);
  assert_contains (header, "USERNAME");
  assert_contains (header, "FULL NAME");
  assert_contains (header, "ROLE");
  assert_contains (header, "ACTIVE");
  assert_contains (header, "LOCKED");
  assert_contains (header, "LAST SIGN-IN");
  assert_contains (out, "alice");
  assert_contains (out, "Alice Tester");
  assert_contains (out, "bob");
  assert_contains (out, "visitor");
  assert_lacks (out, "$argon2id$");
  assert_lacks (out, "password_hash");

  /* Aligned: every column starts at the same place on each line. */
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    const char *role_at = strstr (lines[0], "ROLE");

    g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 rows, "" */
    g_assert_true (g_str_has_prefix (lines[1] + (role_at - lines[0]), "admin"));
    g_assert_true (g_str_has_prefix (lines[2] + (role_at - lines[0]), "visitor"));
  }

  g_assert_cmpint (admin (scene, NULL, &json, &err, "user", "list", "--json", NULL), ==, 0);
  assert_lacks (json, "$argon2id$");
  assert_lacks (json, "password_hash");
  root = parse_json (json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  bob = json_array_get_object_element (array, 1);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (bob, members[i]));
  g_assert_cmpuint (json_object_get_size (bob), ==, G_N_ELEMENTS (members));
  g_assert_cmpstr (json_object_get_string_member (bob, "username"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (bob, "email"), ==, "bob@example.org");
  g_assert_cmpstr (json_object_get_string_member (bob, "role"), ==, "visitor");
  g_assert_true (json_object_get_boolean_member (bob, "active"));
  g_assert_false (json_object_get_boolean_member (bob, "locked"));
  g_assert_true (json_object_get_null_member (bob, "last_login_at"));
  g_assert_cmpint (json_object_get_int_member (bob, "id"), ==,
                   db_int (scene, "SELECT id FROM users WHERE username = 'bob'"));
}

/* Lockout recovery ---------------------------------------------------------- */

static void
test_unlock_and_passwd (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *hash_before = NULL;
  g_autofree char *hash_after = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autoptr(GError) error = NULL;

  add_user (scene, "root1", "admin");
  add_user (scene, "other", "user");

  /* The only administrator locked themselves out. */
  lock_out (scene, "root1");
  g_assert_true (listed_locked (scene, "root1"));
  g_assert_false (listed_locked (scene, "other"));
  g_assert_cmpint (admin (scene, NULL, &out, NULL, "user", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "root1"));

  /* unlock lifts the lockout only. */
  hash_before = db_text (scene, "SELECT password_hash FROM users WHERE username = 'root1'");
  g_assert_cmpint (admin (scene, NULL, &out, &err, "user", "unlock", "root1", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (db_int (scene, "SELECT failed_login_attempts FROM users "
                                  "WHERE username = 'root1'"), ==, 0);
  g_assert_cmpint (db_int (scene, "SELECT locked_until IS NULL FROM users "
                                  "WHERE username = 'root1'"), ==, 1);
  hash_after = db_text (scene, "SELECT password_hash FROM users WHERE username = 'root1'");
  g_assert_cmpstr (hash_after, ==, hash_before);
  g_assert_false (listed_locked (scene, "root1"));
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities "
                                  "WHERE activity_type = 'user.unlock'"), ==, 1);

  /* passwd sets a new password and lifts the lockout. */
  lock_out (scene, "root1");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, PASSWORD2 "\n", &out, &err, "user", "passwd", "root1",
                          "--password-stdin", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_lacks (out, PASSWORD2);
  g_assert_cmpint (db_int (scene, "SELECT failed_login_attempts FROM users "
                                  "WHERE username = 'root1'"), ==, 0);
  g_assert_cmpint (db_int (scene, "SELECT locked_until IS NULL FROM users "
                                  "WHERE username = 'root1'"), ==, 1);
  g_assert_cmpint (db_int (scene, "SELECT password_reset_required FROM users "
                                  "WHERE username = 'root1'"), ==, 0);
  g_clear_pointer (&hash_after, g_free);
  hash_after = db_text (scene, "SELECT password_hash FROM users WHERE username = 'root1'");
  g_assert_cmpstr (hash_after, !=, hash_before);
  g_assert_true (g_str_has_prefix (hash_after, "$argon2id$"));
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities "
                                  "WHERE activity_type = 'user.password_reset'"), ==, 1);

  /* And the administrator really gets back in with it. */
  store = pqs_test_open_store (scene->db);
  session = pqs_session_sign_in (store, "root1", PASSWORD2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_clear_object (&session);
  g_clear_object (&store);

  /* --require-change makes the owner choose another at the next sign-in. */
  g_assert_cmpint (admin (scene, PASSWORD "\n", NULL, NULL, "user", "passwd", "other",
                          "--password-stdin", "--require-change", NULL), ==, 0);
  g_assert_cmpint (db_int (scene, "SELECT password_reset_required FROM users "
                                  "WHERE username = 'other'"), ==, 1);

  /* Without --password-stdin, with a password in argv, or too short: refused. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "passwd", "other", NULL),
                   ==, 2);
  assert_error_line (err, "--password-stdin");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "passwd", "other",
                          "--password-stdin", PASSWORD2, NULL), ==, 2);
  assert_error_line (err, NULL);
  assert_lacks (err, PASSWORD2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, "short\n", NULL, &err, "user", "passwd", "other",
                          "--password-stdin", NULL), ==, 1);
  assert_error_line (err, "10");
  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities "
                                  "WHERE activity_type = 'user.password_reset'"), ==, 2);
}

/* deactivate / activate / role ------------------------------------------------- */

static void
test_active_and_role (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *err = NULL;

  add_user (scene, "boss", "admin");
  add_user (scene, "worker", "user");

  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "deactivate", "worker", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (db_int (scene, "SELECT is_active FROM users WHERE username = 'worker'"),
                   ==, 0);

  /* The last active administrator stays. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "deactivate", "boss", NULL), ==, 1);
  assert_error_line (err, "last active administrator");
  g_assert_cmpint (db_int (scene, "SELECT is_active FROM users WHERE username = 'boss'"), ==, 1);

  /* Nor may they be demoted. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "role", "boss", "user", NULL), ==, 1);
  assert_error_line (err, "last active administrator");

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "activate", "worker", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (db_int (scene, "SELECT is_active FROM users WHERE username = 'worker'"),
                   ==, 1);

  g_assert_cmpint (admin (scene, NULL, NULL, NULL, "user", "role", "worker", "supervisor",
                          NULL), ==, 0);
  g_assert_cmpint (db_int (scene, "SELECT role = 'supervisor' FROM users "
                                  "WHERE username = 'worker'"), ==, 1);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "role", "worker", "chief", NULL),
                   ==, 2);
  assert_error_line (err, "admin, supervisor, user, visitor");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "role", "worker", NULL), ==, 2);
  assert_error_line (err, NULL);

  /* With another administrator, the first may go. */
  g_assert_cmpint (admin (scene, NULL, NULL, NULL, "user", "role", "worker", "admin", NULL),
                   ==, 0);
  g_assert_cmpint (admin (scene, NULL, NULL, NULL, "user", "deactivate", "boss", NULL), ==, 0);
  g_assert_cmpint (db_int (scene, "SELECT is_active FROM users WHERE username = 'boss'"), ==, 0);

  g_assert_cmpint (db_int (scene, "SELECT count(*) FROM user_activities WHERE activity_type "
                                  "IN ('user.deactivate', 'user.reactivate', "
                                  "'user.role_change')"), ==, 5);
}

static void
test_unknown_user (void)
{
  g_autoptr(Scene) scene = scene_new ();
  static const char *commands[] = { "unlock", "deactivate", "activate" };
  g_autofree char *err = NULL;

  add_user (scene, "alice", "admin");

  g_assert_cmpint (admin (scene, PASSWORD "\n", NULL, &err, "user", "passwd", "ghost",
                          "--password-stdin", NULL), ==, 1);
  assert_error_line (err, "There is no account “ghost”.");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", commands[i], "ghost", NULL),
                       ==, 1);
      assert_error_line (err, "There is no account “ghost”.");
    }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "role", "ghost", "user", NULL), ==, 1);
  assert_error_line (err, "ghost");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "list", "--user", "ghost", NULL),
                   ==, 1);
  assert_error_line (err, "ghost");

  /* Subcommands and files. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", NULL), ==, 2);
  assert_error_line (err, NULL);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "remove", "alice", NULL), ==, 2);
  assert_error_line (err, "remove");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "forge", NULL), ==, 2);
  assert_error_line (err, "forge");

  /* Commands other than add never create a database. */
  g_free (scene->db);
  scene->db = g_build_filename (scene->dir, "absent.db", NULL);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "user", "list", NULL), ==, 1);
  assert_error_line (err, NULL);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "verify", NULL), ==, 1);
  assert_error_line (err, NULL);
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

static void
test_help (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  static const char *subcommands[] = { "add", "list", "passwd", "unlock", "deactivate",
                                       "activate", "role" };

  g_assert_cmpint (admin (scene, NULL, &out, &err, "user", "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    assert_contains (out, subcommands[i]);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, &err, "user", "add", "--help", NULL), ==, 0);
  assert_contains (out, "--password-stdin");
  assert_contains (out, "--role");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, &err, "audit", "list", "--help", NULL), ==, 0);
  assert_contains (out, "--since");
  assert_contains (out, "--limit");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, &err, "--help", NULL), ==, 0);
  assert_contains (out, "user");
  assert_contains (out, "audit");
  g_assert_false (g_file_test (scene->db, G_FILE_TEST_EXISTS));
}

/* audit list ------------------------------------------------------------------ */

static JsonArray *
audit_json (Scene       *scene,
            JsonNode   **out_root,
            const char  *first,
            ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, scene->db);
  g_ptr_array_add (args, (gpointer) "audit");
  g_ptr_array_add (args, (gpointer) "list");
  g_ptr_array_add (args, (gpointer) "--json");
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_assert_cmpint (pqs_test_run_admin_input (scene->env, (const char * const *) args->pdata,
                                             NULL, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  *out_root = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*out_root));
  return json_node_get_array (*out_root);
}

static void
test_audit_list (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *newest;
  gint64 bob_id;
  gint64 total;

  add_user (scene, "alice", "admin");
  add_user (scene, "bob", "user");
  g_assert_cmpint (admin (scene, NULL, NULL, NULL, "user", "role", "bob", "supervisor", NULL),
                   ==, 0);
  bob_id = db_int (scene, "SELECT id FROM users WHERE username = 'bob'");

  /* Text: newest first, the operator's rows with no user. */
  g_assert_cmpint (admin (scene, NULL, &out, &err, "audit", "list", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 5);   /* header, 3 rows, "" */
    assert_contains (lines[0], "TIME");
    assert_contains (lines[0], "ACTIVITY");
    assert_contains (lines[1], "user.role_change");
    assert_contains (lines[1], "—");
    assert_contains (lines[1], "\"to\":\"supervisor\"");
    assert_contains (lines[2], "user.create");
    assert_contains (lines[2], "bob");
    assert_contains (lines[3], "alice");
  }

  /* JSON: the members, details as an object. */
  array = audit_json (scene, &root, NULL);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  newest = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (newest, "id"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (newest, "activity_type"), ==,
                   "user.role_change");
  g_assert_cmpstr (json_object_get_string_member (newest, "resource_type"), ==, "user");
  g_assert_cmpint (json_object_get_int_member (newest, "resource_id"), ==, bob_id);
  g_assert_true (json_object_get_null_member (newest, "user_id"));
  g_assert_true (json_object_get_null_member (newest, "username"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (newest, "details")));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (newest,
                                                                                 "details"),
                                                  "to"), ==, "supervisor");
  g_assert_cmpuint (strlen (json_object_get_string_member (newest, "row_hash")), ==, 64);
  g_assert_true (json_object_has_member (newest, "created_at"));
  for (guint i = 1; i < json_array_get_length (array); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, i - 1),
                                                 "id"), >,
                     json_object_get_int_member (json_array_get_object_element (array, i),
                                                 "id"));
  g_clear_pointer (&root, json_node_unref);

  /* Rows written by a user: bob signs in (in the application, here the model). */
  store = pqs_test_open_store (scene->db);
  session = pqs_session_sign_in (store, "bob", PASSWORD, &error);
  g_assert_no_error (error);
  g_clear_object (&session);
  /* …and 60 more rows of the system, so that the default limit shows. */
  pqs_store_begin_immediate (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(JsonNode) details = json_from_string ("{\"n\":1}", NULL);

      pqs_audit_append (store, 0, PQS_AUDIT_SEED_DEMO, NULL, 0, details, NULL, &error);
      g_assert_no_error (error);
    }
  pqs_store_commit (store, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  total = db_int (scene, "SELECT count(*) FROM user_activities");
  g_assert_cmpint (total, >=, 64);

  array = audit_json (scene, &root, NULL);
  g_assert_cmpuint (json_array_get_length (array), ==, 50);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"),
                   ==, total);
  g_clear_pointer (&root, json_node_unref);
  array = audit_json (scene, &root, "--limit", "0", NULL);
  g_assert_cmpuint (json_array_get_length (array), ==, total);
  g_clear_pointer (&root, json_node_unref);
  array = audit_json (scene, &root, "--limit", "2", NULL);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_clear_pointer (&root, json_node_unref);

  /* --user: only bob's own rows. */
  array = audit_json (scene, &root, "--user", "bob", NULL);
  g_assert_cmpuint (json_array_get_length (array), ==,
                    db_int (scene, "SELECT count(*) FROM user_activities WHERE user_id = %"
                                   G_GINT64_FORMAT, bob_id));
  g_assert_cmpuint (json_array_get_length (array), >=, 1);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      g_assert_cmpint (json_object_get_int_member (row, "user_id"), ==, bob_id);
      g_assert_cmpstr (json_object_get_string_member (row, "username"), ==, "bob");
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "activity_type"), ==, PQS_AUDIT_SIGN_IN);
  g_clear_pointer (&root, json_node_unref);

  /* --since: the future has nothing, a date long ago has everything. */
  array = audit_json (scene, &root, "--since", "2999-01-01T00:00:00Z", NULL);
  g_assert_cmpuint (json_array_get_length (array), ==, 0);
  g_clear_pointer (&root, json_node_unref);
  array = audit_json (scene, &root, "--since", "2000-01-01", "--limit", "0", NULL);
  g_assert_cmpuint (json_array_get_length (array), ==, total);
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, NULL, "audit", "list", "--since", "2999-01-01",
                          NULL), ==, 0);
  assert_lacks (out, "user.create");

  /* Bad values are bad usage. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "list", "--since", "yesterday",
                          NULL), ==, 2);
  assert_error_line (err, "yesterday");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "list", "--since", "2026-13-45",
                          NULL), ==, 2);
  assert_error_line (err, NULL);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "list", "--limit", "-3", NULL),
                   ==, 2);
  assert_error_line (err, "--limit");
}

/* audit verify ---------------------------------------------------------------- */

static void
test_audit_verify (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *needle = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  gint64 bad;

  add_user (scene, "alice", "admin");
  add_user (scene, "bob", "user");
  add_user (scene, "carol", "visitor");
  g_assert_cmpint (admin (scene, NULL, NULL, NULL, "user", "deactivate", "carol", NULL), ==, 0);

  g_assert_cmpint (admin (scene, NULL, &out, &err, "audit", "verify", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "Audit trail verified: 4 rows, the chain is intact.\n");

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, NULL, "audit", "verify", "--json", NULL), ==, 0);
  root = parse_json (out);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "rows"), ==, 4);
  g_clear_pointer (&root, json_node_unref);

  /* Someone with the file and sqlite3 rewrites history. */
  bad = db_int (scene, "SELECT id FROM user_activities WHERE activity_type = 'user.create' "
                       "AND json_extract(details, '$.username') = 'bob'");
  db_exec (scene, "DROP TRIGGER user_activities_no_update");
  db_exec (scene, "UPDATE user_activities SET details = '{\"username\":\"mallory\"}' "
                  "WHERE id = %" G_GINT64_FORMAT, bad);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, &err, "audit", "verify", NULL), ==, 1);
  needle = g_strdup_printf ("row %" G_GINT64_FORMAT " ", bad);
  assert_error_line (err, needle);
  g_assert_cmpstr (out, ==, "");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, &out, &err, "audit", "verify", "--json", NULL), ==, 1);
  assert_error_line (err, needle);
  root = parse_json (out);
  object = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "bad_row"), ==, bad);
  g_assert_true (json_object_has_member (object, "rows"));
  g_assert_nonnull (strstr (err, json_object_get_string_member (object, "message")));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (scene, NULL, NULL, &err, "audit", "verify", "extra", NULL), ==, 2);
  assert_error_line (err, "extra");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A command refused for bad usage exits before reading the password we
   * write to it; that is a broken pipe, not a reason to die. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/admin-users/add/each-role", test_add_each_role);
  g_test_add_func ("/admin-users/add/bad-input", test_add_bad_input);
  g_test_add_func ("/admin-users/list", test_list);
  g_test_add_func ("/admin-users/lockout/unlock-and-passwd", test_unlock_and_passwd);
  g_test_add_func ("/admin-users/active-and-role", test_active_and_role);
  g_test_add_func ("/admin-users/unknown-user", test_unknown_user);
  g_test_add_func ("/admin-users/help", test_help);
  g_test_add_func ("/admin-users/audit/list", test_audit_list);
  g_test_add_func ("/admin-users/audit/verify", test_audit_verify);

  return g_test_run ();
}
