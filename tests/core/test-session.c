/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <crypt.h>
#include <string.h>

#include "pqs-audit.h"
#include "pqs-auth.h"
#include "pqs-password.h"
#include "pqs-session.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* Sign-in, lockout, legacy hashes, forced password changes, idle lock,
 * sign-out and expiry, on a real database with a clock the test moves. */

#define PASSWORD  "a long enough password"
#define START_US  (G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC)
#define MINUTE_US (60 * G_USEC_PER_SEC)

typedef struct
{
  char             *dir;
  PqsStore         *store;
  sqlite3          *db;
  PqsUserDirectory *directory;
  PqsUser          *admin;
  PqsUser          *user;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PqsUserFields admin = { "admin", "admin@example.org", "Ada Admin", NULL };
  PqsUserFields user = { "sailor", "sailor@example.org", "Sam Sailor", "PO2" };

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_store_set_client_name (fixture->store, "test-session");
  pqs_test_clock_install (fixture->store, START_US);
  fixture->directory = pqs_user_directory_new (fixture->store);

  fixture->admin = pqs_user_directory_create_first_admin (fixture->directory, &admin, PASSWORD,
                                                          &error);
  g_assert_no_error (error);
  fixture->user = pqs_user_directory_create (fixture->directory, fixture->admin, &user,
                                             PQS_ROLE_USER, PASSWORD, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->user);
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->directory);
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return pqs_test_query_int (fixture->db, sql);
}

static char *
text (Fixture    *fixture,
      const char *sql)
{
  return pqs_test_query_text (fixture->db, sql);
}

static void
assert_chain_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pqs_audit_verify (fixture->store, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static char *
bcrypt (const char *password,
        int         cost)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  char *hash;

  g_assert_nonnull (crypt_gensalt_rn ("$2b$", cost, NULL, 0, setting, sizeof setting));
  g_assert_nonnull (crypt_rn (password, setting, data, sizeof *data));
  hash = g_strdup (data->output);
  g_free (data);
  g_assert_true (g_str_has_prefix (hash, "$2b$"));
  return hash;
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *last_login = NULL;
  g_autofree char *expected_login = pqs_store_format_time (START_US);

  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_session_get_active (session));
  g_assert_false (pqs_session_get_locked (session));
  g_assert_false (pqs_session_get_password_change_required (session));
  g_assert_cmpstr (pqs_user_get_username (pqs_session_get_user (session)), ==, "sailor");
  g_assert_cmpuint (pqs_user_get_login_count (pqs_session_get_user (session)), ==, 1);

  /* The table holds the token's digest, never the token. */
  g_assert_cmpuint (strlen (pqs_session_get_token (session)), ==, 64);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pqs_session_get_token (session), -1);
  stored = text (fixture, "SELECT session_token FROM user_sessions");
  g_assert_cmpstr (stored, ==, digest);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_sessions WHERE is_active = 1 AND "
                                   "user_agent = 'test-session' AND "
                                   "expires_at > last_activity_at"), ==, 1);

  hash = text (fixture, "SELECT password_hash FROM users WHERE username = 'sailor'");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  last_login = text (fixture, "SELECT last_login_at FROM users WHERE username = 'sailor'");
  g_assert_cmpstr (last_login, ==, expected_login);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'auth.login' AND user_agent = 'test-session' "
                                   "AND json_extract(details, '$.username') = 'sailor'"), ==, 1);

  /* A second sign-in is a second session with its own token. */
  {
    g_autoptr(PqsSession) second = pqs_session_sign_in (fixture->store, "sailor", PASSWORD,
                                                        &error);
    g_assert_no_error (error);
    g_assert_cmpstr (pqs_session_get_token (second), !=, pqs_session_get_token (session));
  }
  g_assert_cmpint (count (fixture, "SELECT login_count FROM users WHERE username = 'sailor'"),
                   ==, 2);
  assert_chain_ok (fixture);
}

/* Five failures lock for fifteen minutes; the lock holds against the right
 * password; it lifts by itself; success resets the counter. */
static void
test_lockout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autofree char *locked_until = NULL;
  g_autofree char *expected_lock = pqs_store_format_time (START_US + 4 * MINUTE_US +
                                                          PQS_SIGN_IN_LOCKOUT_USEC);

  for (int i = 1; i < PQS_SIGN_IN_MAX_FAILURES; i++)
    {
      g_assert_null (pqs_session_sign_in (fixture->store, "sailor", "wrong password!", &error));
      g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS);
      g_clear_error (&error);
      g_assert_cmpint (count (fixture, "SELECT failed_login_attempts FROM users "
                                       "WHERE username = 'sailor'"), ==, i);
      pqs_test_clock_advance (MINUTE_US);
    }

  /* The fifth locks, and says so. */
  g_assert_null (pqs_session_sign_in (fixture->store, "sailor", "wrong password!", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "15 minutes"));
  g_clear_error (&error);
  locked_until = text (fixture, "SELECT locked_until FROM users WHERE username = 'sailor'");
  g_assert_cmpstr (locked_until, ==, expected_lock);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities "
                                   "WHERE activity_type = 'auth.lockout'"), ==, 1);

  /* One second before the end, even the right password is refused. */
  pqs_test_clock_advance (PQS_SIGN_IN_LOCKOUT_USEC - G_USEC_PER_SEC);
  g_assert_null (pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LOCKED);
  g_clear_error (&error);

  /* At the end it lifts by itself, and success clears the counters. */
  pqs_test_clock_advance (G_USEC_PER_SEC);
  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts + (locked_until IS NOT NULL) "
                                   "FROM users WHERE username = 'sailor'"), ==, 0);

  /* After a lock ran out, counting starts afresh: one failure does not relock. */
  pqs_test_exec (fixture->db, "UPDATE users SET failed_login_attempts = 5, "
                              "locked_until = '2000-01-01T00:00:00.000Z' WHERE username = 'sailor'");
  g_assert_null (pqs_session_sign_in (fixture->store, "sailor", "wrong password!", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS);
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts FROM users "
                                   "WHERE username = 'sailor'"), ==, 1);
  assert_chain_ok (fixture);
}

/* An unknown name and a wrong password: the same message, the same
 * hashing work, the same lockout after five tries. */
static void
test_unknown_user_same_path (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) wrong = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autoptr(GError) error = NULL;
  guint before;
  guint work_wrong;
  guint work_unknown;

  /* Warm up the dummy hash, made once per parameter setting. */
  g_assert_null (pqs_session_sign_in (fixture->store, "warmup", "whatever it is", &error));
  g_clear_error (&error);

  before = pqs_password_get_verification_count ();
  g_assert_null (pqs_session_sign_in (fixture->store, "sailor", "wrong password!", &wrong));
  work_wrong = pqs_password_get_verification_count () - before;

  before = pqs_password_get_verification_count ();
  g_assert_null (pqs_session_sign_in (fixture->store, "nobody", "wrong password!", &unknown));
  work_unknown = pqs_password_get_verification_count () - before;

  g_assert_cmpuint (work_wrong, ==, 1);
  g_assert_cmpuint (work_unknown, ==, work_wrong);
  g_assert_true (wrong->domain == unknown->domain && wrong->code == unknown->code);
  g_assert_cmpstr (wrong->message, ==, unknown->message);

  for (int i = 2; i <= PQS_SIGN_IN_MAX_FAILURES; i++)
    {
      g_clear_error (&unknown);
      g_assert_null (pqs_session_sign_in (fixture->store, "Nobody", "wrong password!", &unknown));
    }
  g_assert_error (unknown, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LOCKED);
  g_assert_cmpint (count (fixture, "SELECT failed_attempts FROM sign_in_throttle "
                                   "WHERE name_key = 'nobody'"), ==, 5);

  /* Locked, a known and an unknown name still cost one verification. */
  for (int i = 2; i <= PQS_SIGN_IN_MAX_FAILURES; i++)
    {
      g_clear_error (&wrong);
      pqs_session_sign_in (fixture->store, "sailor", "wrong password!", &wrong);
    }
  g_assert_error (wrong, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LOCKED);
  g_clear_error (&wrong);
  g_clear_error (&unknown);
  before = pqs_password_get_verification_count ();
  pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &wrong);
  work_wrong = pqs_password_get_verification_count () - before;
  before = pqs_password_get_verification_count ();
  pqs_session_sign_in (fixture->store, "nobody", PASSWORD, &unknown);
  work_unknown = pqs_password_get_verification_count () - before;
  g_assert_cmpuint (work_wrong, ==, 1);
  g_assert_cmpuint (work_unknown, ==, 1);
  g_assert_cmpstr (wrong->message, ==, unknown->message);

  /* The audit trail records every failure, without the password. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "instr(details, 'wrong password') > 0"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'auth.login_failed' AND user_id IS NULL"), ==, 7);
  assert_chain_ok (fixture);
}

static void
test_rehash (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autofree char *before = text (fixture, "SELECT password_hash FROM users WHERE username = 'sailor'");
  g_autofree char *after = NULL;
  guint64 ops;
  gsize mem;

  pqs_password_get_limits (&ops, &mem);
  pqs_password_set_limits (ops + 1, mem);

  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  after = text (fixture, "SELECT password_hash FROM users WHERE username = 'sailor'");
  g_assert_cmpstr (before, !=, after);
  g_assert_cmpint (pqs_password_verify (after, PASSWORD), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (pqs_password_verify (before, PASSWORD), ==, PQS_PASSWORD_MATCH_NEEDS_REHASH);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'auth.login' AND json_extract(details, '$.rehashed_from') = "
                                   "'argon2id'"), ==, 1);
  pqs_password_set_limits (ops, mem);
}

/* A legacy account signs in with its old bcrypt password, which becomes
 * argon2id in the same transaction; a wrong password leaves it alone; an
 * unknown format asks for a reset. */
static void
test_legacy_hashes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autofree char *old_hash = bcrypt ("old legacy secret", 12);
  g_autofree char *sql = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *upgraded = NULL;

  sql = g_strdup_printf ("INSERT INTO users (username, email, password_hash, full_name, role) "
                         "VALUES ('legacy', 'legacy@example.org', '%s', 'Old Timer', 'user'), "
                         "('broken', 'broken@example.org', 'md5:5f4dcc3b5aa765d61d8327deb882cf99', "
                         "'Broken Hash', 'user')", old_hash);
  pqs_test_exec (fixture->db, sql);

  g_assert_null (pqs_session_sign_in (fixture->store, "legacy", "not the secret", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  kept = text (fixture, "SELECT password_hash FROM users WHERE username = 'legacy'");
  g_assert_cmpstr (kept, ==, old_hash);

  session = pqs_session_sign_in (fixture->store, "legacy", "old legacy secret", &error);
  g_assert_no_error (error);
  upgraded = text (fixture, "SELECT password_hash FROM users WHERE username = 'legacy'");
  g_assert_true (g_str_has_prefix (upgraded, "$argon2id$"));
  g_assert_cmpint (pqs_password_verify (upgraded, "old legacy secret"), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'auth.login' AND json_extract(details, '$.rehashed_from') = "
                                   "'bcrypt'"), ==, 1);

  g_assert_null (pqs_session_sign_in (fixture->store, "broken", "password", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_PASSWORD_RESET_REQUIRED);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT password_reset_required FROM users "
                                   "WHERE username = 'broken'"), ==, 1);

  /* An administrator's reset makes the account usable again. */
  g_assert_true (pqs_user_directory_reset_password (fixture->directory, fixture->admin,
                                                    count (fixture, "SELECT id FROM users WHERE "
                                                                    "username = 'broken'"),
                                                    "fresh new password", TRUE, &error));
  g_assert_no_error (error);
  g_clear_object (&session);
  session = pqs_session_sign_in (fixture->store, "broken", "fresh new password", &error);
  g_assert_no_error (error);
  g_assert_true (pqs_session_get_password_change_required (session));
  assert_chain_ok (fixture);
}

/* A flagged account may sign in, but may do nothing until it has chosen a
 * new password. */
static void
test_forced_change (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  PqsUser *user;

  pqs_test_exec (fixture->db, "UPDATE users SET password_reset_required = 1 "
                              "WHERE username = 'sailor'");
  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  user = pqs_session_get_user (session);
  g_assert_true (pqs_session_get_password_change_required (session));
  g_assert_false (pqs_auth_allows (user, PQS_ACTION_CREATE_DOCUMENT, NULL));
  g_assert_false (pqs_auth_check (user, PQS_ACTION_READ_DOCUMENT, NULL, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_PASSWORD_CHANGE_REQUIRED);
  g_clear_error (&error);

  g_assert_false (pqs_session_change_password (session, PASSWORD, PASSWORD, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (pqs_session_change_password (session, PASSWORD, "sailor", &error));
  g_assert_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_TOO_SHORT);
  g_clear_error (&error);
  g_assert_false (pqs_session_change_password (session, "not my password", "a brand new one!",
                                               &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts FROM users "
                                   "WHERE username = 'sailor'"), ==, 1);

  g_assert_true (pqs_session_change_password (session, PASSWORD, "a brand new one!", &error));
  g_assert_no_error (error);
  g_assert_false (pqs_session_get_password_change_required (session));
  g_assert_true (pqs_auth_allows (user, PQS_ACTION_CREATE_DOCUMENT, NULL));
  g_assert_cmpint (count (fixture, "SELECT password_reset_required + failed_login_attempts "
                                   "FROM users WHERE username = 'sailor'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'auth.password_change'"), ==, 1);
  assert_chain_ok (fixture);
}

static void
test_inactive (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;

  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_session_validate (session, &error));

  g_assert_true (pqs_user_directory_set_active (fixture->directory, fixture->admin,
                                                pqs_user_get_id (fixture->user), FALSE, &error));
  g_assert_no_error (error);

  /* The open session ends; a new sign-in says why only to whoever knows the password. */
  g_assert_false (pqs_session_validate (session, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INACTIVE);
  g_clear_error (&error);
  g_assert_false (pqs_session_get_active (session));

  g_assert_null (pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_null (pqs_session_sign_in (fixture->store, "sailor", "wrong password!", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS);
}

static void
locked_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  guint      *calls)
{
  (*calls)++;
}

static void
test_idle_lock (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  guint notified = 0;

  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  g_signal_connect (session, "notify::locked", G_CALLBACK (locked_notify_cb), &notified);
  pqs_session_set_idle_timeout (session, 5 * 60);

  /* Activity keeps it open. */
  pqs_test_clock_advance (4 * MINUTE_US);
  g_assert_false (pqs_session_check_idle (session));
  pqs_session_touch (session);
  pqs_test_clock_advance (4 * MINUTE_US);
  g_assert_false (pqs_session_check_idle (session));
  g_assert_cmpint (count (fixture, "SELECT last_activity_at > created_at FROM user_sessions"),
                   ==, 1);

  /* Five idle minutes lock it. */
  pqs_test_clock_advance (MINUTE_US + G_USEC_PER_SEC);
  g_assert_true (pqs_session_check_idle (session));
  g_assert_true (pqs_session_get_locked (session));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities "
                                   "WHERE activity_type = 'auth.lock'"), ==, 1);

  /* A wrong password counts like a failed sign-in. */
  g_assert_false (pqs_session_unlock (session, "wrong password!", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  g_assert_true (pqs_session_get_locked (session));
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts FROM users "
                                   "WHERE username = 'sailor'"), ==, 1);

  g_assert_true (pqs_session_unlock (session, PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_false (pqs_session_get_locked (session));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities "
                                   "WHERE activity_type = 'auth.unlock'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts FROM users "
                                   "WHERE username = 'sailor'"), ==, 0);

  /* The timer runs on the main context by itself. */
  pqs_session_set_idle_timeout (session, 1);
  pqs_test_clock_advance (2 * G_USEC_PER_SEC);
  while (!pqs_session_get_locked (session))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (notified, ==, 3);
  assert_chain_ok (fixture);
}

static void
test_sign_out_and_expiry (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;
  g_autoptr(PqsSession) other = NULL;

  session = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_session_sign_out (session, &error));
  g_assert_no_error (error);
  g_assert_false (pqs_session_get_active (session));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_sessions WHERE is_active = 1"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities "
                                   "WHERE activity_type = 'auth.logout'"), ==, 1);
  g_assert_false (pqs_session_validate (session, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INACTIVE);
  g_clear_error (&error);

  other = pqs_session_sign_in (fixture->store, "sailor", PASSWORD, &error);
  g_assert_no_error (error);
  pqs_test_clock_advance (PQS_SESSION_LIFETIME_USEC - MINUTE_US);
  g_assert_true (pqs_session_validate (other, &error));
  g_assert_no_error (error);
  pqs_test_clock_advance (2 * MINUTE_US);
  g_assert_false (pqs_session_validate (other, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INACTIVE);
  assert_chain_ok (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/session/sign-in", test_sign_in);
  ADD ("/session/lockout", test_lockout);
  ADD ("/session/unknown-user-same-path", test_unknown_user_same_path);
  ADD ("/session/rehash", test_rehash);
  ADD ("/session/legacy-hashes", test_legacy_hashes);
  ADD ("/session/forced-change", test_forced_change);
  ADD ("/session/inactive", test_inactive);
  ADD ("/session/idle-lock", test_idle_lock);
  ADD ("/session/sign-out-and-expiry", test_sign_out_and_expiry);

#undef ADD

  return g_test_run ();
}
