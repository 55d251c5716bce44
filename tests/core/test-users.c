/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-audit.h"
#include "pqs-password.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user-list.h"
#include "pqs-user.h"

/* Accounts: the first administrator, creation and its validation, edits,
 * roles, deactivation, passwords, lockouts, pictures and deletion. Every
 * change is checked in the database with its audit row, every refusal
 * leaves both untouched, and the list model follows. */

#define PASSWORD "a long enough password"

typedef struct
{
  char             *dir;
  PqsStore         *store;
  sqlite3          *db;
  PqsUserDirectory *directory;
  PqsUser          *admin;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PqsUserFields fields = { "admin", "admin@example.org", "Ada Admin", "CDR" };

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_test_clock_install (fixture->store, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  fixture->directory = pqs_user_directory_new (fixture->store);

  if (data == NULL)
    {
      fixture->admin = pqs_user_directory_create_first_admin (fixture->directory, &fields,
                                                              PASSWORD, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
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

static PqsUser *
add_user (Fixture    *fixture,
          const char *username,
          PqsRole     role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, "Some Body", NULL };
  PqsUser *user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields, role,
                                             PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

static void
assert_chain_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad = 0;

  g_assert_true (pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, count (fixture, "SELECT count(*) FROM user_activities"));
}

/* A new workstation asks for its first administrator, once. */
static void
test_first_admin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) second = NULL;
  g_autofree char *hash = NULL;
  PqsUserFields fields = { "first", "first@example.org", "First Person", NULL };
  PqsUserFields again = { "second", "second@example.org", "Second Person", NULL };
  gboolean needed = FALSE;

  g_assert_true (pqs_user_directory_needs_first_admin (fixture->directory, &needed, &error));
  g_assert_true (needed);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users"), ==, 0);

  /* The policy holds for the first account too: no weak default. */
  g_assert_null (pqs_user_directory_create_first_admin (fixture->directory, &fields, "short",
                                                        &error));
  g_assert_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_TOO_SHORT);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users"), ==, 0);

  admin = pqs_user_directory_create_first_admin (fixture->directory, &fields, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_user_get_role (admin), ==, PQS_ROLE_ADMIN);
  g_assert_true (pqs_user_get_active (admin));

  hash = pqs_test_query_text (fixture->db, "SELECT password_hash FROM users");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'user.create' AND user_id = resource_id AND "
                                   "json_extract(details, '$.first_admin') = 1"), ==, 1);

  g_assert_true (pqs_user_directory_needs_first_admin (fixture->directory, &needed, &error));
  g_assert_false (needed);
  second = pqs_user_directory_create_first_admin (fixture->directory, &again, PASSWORD, &error);
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_CONFLICT);
  g_assert_null (second);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users"), ==, 1);
  assert_chain_ok (fixture);
}

typedef struct
{
  const char *username;
  const char *email;
  const char *full_name;
  const char *password;
  GQuark      domain;
  int         code;
} BadInput;

static void
test_create_validation (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsUser) taken = add_user (fixture, "taken", PQS_ROLE_USER);
  const BadInput cases[] = {
    { "", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "ab", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "Upper", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "with space", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "-dash", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "a23456789012345678901234567890123", "a@example.org", "A", PASSWORD,
      PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "robert'); drop", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "no-at-sign", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@b", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a b@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@example..org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@example.org", "", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@example.org", "   ", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@example.org", "Line\nbreak", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID },
    { "good", "a@example.org", "A", "123456789", PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_TOO_SHORT },
    { "goodname12", "a@example.org", "A", "GOODNAME12", PQS_PASSWORD_ERROR,
      PQS_PASSWORD_ERROR_MATCHES_USERNAME },
    { "taken", "a@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_EXISTS },
    { "good", "TAKEN@example.org", "A", PASSWORD, PQS_AUTH_ERROR, PQS_AUTH_ERROR_EXISTS },
  };
  gint64 users = count (fixture, "SELECT count(*) FROM users");
  gint64 audit = count (fixture, "SELECT count(*) FROM user_activities");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqsUser) user = NULL;
      PqsUserFields fields = { cases[i].username, cases[i].email, cases[i].full_name, NULL };

      user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields,
                                        PQS_ROLE_USER, cases[i].password, &error);
      g_assert_null (user);
      if (!g_error_matches (error, cases[i].domain, cases[i].code))
        g_error ("case %u (%s / %s): got %s", i, cases[i].username, cases[i].email,
                 error ? error->message : "no error");
      g_assert_cmpstr (error->message, !=, "");
    }

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users"), ==, users);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit);
}

static void
test_create_and_edit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) user = add_user (fixture, "jdoe", PQS_ROLE_USER);
  g_autoptr(PqsUser) other = add_user (fixture, "other", PQS_ROLE_USER);
  g_autoptr(PqsUser) again = NULL;
  g_autofree char *sql = NULL;
  PqsUserFields own = { NULL, NULL, "Jane Doe", "LT" };
  PqsUserFields rename = { "jane.doe", "jane@example.org", NULL, "" };
  PqsUserFields self_rename = { "janie", NULL, NULL, NULL };
  PqsUserFields other_edit = { NULL, NULL, "Not Me", NULL };
  gint64 id = pqs_user_get_id (user);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'user.create'"), ==, 3);

  /* People edit their own name and rank... */
  g_assert_true (pqs_user_directory_update (fixture->directory, user, id, &own, &error));
  g_assert_no_error (error);
  again = pqs_user_directory_lookup (fixture->directory, id, &error);
  g_assert_cmpstr (pqs_user_get_full_name (again), ==, "Jane Doe");
  g_assert_cmpstr (pqs_user_get_rank (again), ==, "LT");
  g_clear_object (&again);

  /* ...but not their username, nor somebody else's profile. */
  g_assert_false (pqs_user_directory_update (fixture->directory, user, id, &self_rename, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (pqs_user_directory_update (fixture->directory, user,
                                             pqs_user_get_id (other), &other_edit, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);

  /* An administrator renames; "" clears the rank. */
  g_assert_true (pqs_user_directory_update (fixture->directory, fixture->admin, id, &rename,
                                            &error));
  g_assert_no_error (error);
  again = pqs_user_directory_lookup_by_username (fixture->directory, "jane.doe", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_user_get_email (again), ==, "jane@example.org");
  g_assert_null (pqs_user_get_rank (again));

  sql = g_strdup_printf ("SELECT count(*) FROM user_activities WHERE activity_type = "
                         "'user.update' AND resource_id = %" G_GINT64_FORMAT " AND "
                         "json_extract(details, '$.changes.username.to') = 'jane.doe'", id);
  g_assert_cmpint (count (fixture, sql), ==, 1);

  /* Renaming onto a taken name fails and changes nothing. */
  rename.username = "other";
  g_assert_false (pqs_user_directory_update (fixture->directory, fixture->admin, id, &rename,
                                             &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_EXISTS);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users WHERE username = 'jane.doe'"),
                   ==, 1);
  assert_chain_ok (fixture);
}

static void
test_roles_and_last_admin (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) user = add_user (fixture, "promoted", PQS_ROLE_USER);
  gint64 admin_id = pqs_user_get_id (fixture->admin);

  /* The only administrator can neither step down nor leave. */
  g_assert_false (pqs_user_directory_set_role (fixture->directory, fixture->admin, admin_id,
                                               PQS_ROLE_USER, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LAST_ADMIN);
  g_clear_error (&error);
  g_assert_false (pqs_user_directory_set_active (fixture->directory, NULL, admin_id, FALSE,
                                                 &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LAST_ADMIN);
  g_clear_error (&error);

  g_assert_true (pqs_user_directory_set_role (fixture->directory, fixture->admin,
                                              pqs_user_get_id (user), PQS_ROLE_ADMIN, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'user.role_change' AND json_extract(details, '$.from') = "
                                   "'user' AND json_extract(details, '$.to') = 'admin'"), ==, 1);

  /* With a second administrator, the first may step down. */
  g_assert_true (pqs_user_directory_set_role (fixture->directory, fixture->admin, admin_id,
                                              PQS_ROLE_SUPERVISOR, &error));
  g_assert_no_error (error);

  /* The stale object still says admin; the database decides: denied now. */
  g_assert_cmpint (pqs_user_get_role (fixture->admin), ==, PQS_ROLE_ADMIN);
  g_assert_false (pqs_user_directory_set_role (fixture->directory, fixture->admin,
                                               pqs_user_get_id (user), PQS_ROLE_USER, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  assert_chain_ok (fixture);
}

static void
test_deactivate (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) user = add_user (fixture, "leaving", PQS_ROLE_USER);
  g_autofree char *sql = NULL;
  gint64 id = pqs_user_get_id (user);

  sql = g_strdup_printf ("INSERT INTO user_sessions (user_id, session_token, expires_at) "
                         "VALUES (%" G_GINT64_FORMAT ", 'digest', '2999-01-01T00:00:00.000Z')", id);
  pqs_test_exec (fixture->db, sql);

  g_assert_false (pqs_user_directory_set_active (fixture->directory, fixture->admin,
                                                 pqs_user_get_id (fixture->admin), FALSE, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_true (pqs_user_directory_set_active (fixture->directory, fixture->admin, id, FALSE,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT is_active FROM users WHERE username = 'leaving'"),
                   ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_sessions WHERE is_active = 1"),
                   ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'user.deactivate'"), ==, 1);

  g_assert_true (pqs_user_directory_set_active (fixture->directory, fixture->admin, id, TRUE,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT is_active FROM users WHERE username = 'leaving'"),
                   ==, 1);
  assert_chain_ok (fixture);
}

static void
test_password_and_unlock (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) user = add_user (fixture, "forgetful", PQS_ROLE_USER);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 id = pqs_user_get_id (user);

  pqs_test_exec (fixture->db, "UPDATE users SET failed_login_attempts = 5, "
                              "locked_until = '2999-01-01T00:00:00.000Z' "
                              "WHERE username = 'forgetful'");
  g_assert_true (pqs_user_directory_unlock (fixture->directory, fixture->admin, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts + (locked_until IS NOT NULL) "
                                   "FROM users WHERE username = 'forgetful'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'user.unlock'"), ==, 1);

  before = pqs_test_query_text (fixture->db,
                                "SELECT password_hash FROM users WHERE username = 'forgetful'");
  g_assert_false (pqs_user_directory_reset_password (fixture->directory, fixture->admin, id,
                                                     "short", TRUE, &error));
  g_assert_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_TOO_SHORT);
  g_clear_error (&error);

  pqs_test_exec (fixture->db, "UPDATE users SET failed_login_attempts = 3 "
                              "WHERE username = 'forgetful'");
  g_assert_true (pqs_user_directory_reset_password (fixture->directory, fixture->admin, id,
                                                    "another long password", TRUE, &error));
  g_assert_no_error (error);
  after = pqs_test_query_text (fixture->db,
                               "SELECT password_hash FROM users WHERE username = 'forgetful'");
  g_assert_cmpstr (before, !=, after);
  g_assert_cmpint (pqs_password_verify (after, "another long password"), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (count (fixture, "SELECT password_reset_required * 10 + failed_login_attempts "
                                   "FROM users WHERE username = 'forgetful'"), ==, 10);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'user.password_reset' AND instr(details, 'another') = 0"),
                   ==, 1);
  assert_chain_ok (fixture);
}

static GBytes *
make_image (const guint8 *magic,
            gsize         magic_len,
            gsize         size)
{
  guint8 *data = g_malloc0 (size);

  memcpy (data, magic, MIN (magic_len, size));
  return g_bytes_new_take (data, size);
}

static void
test_avatar (Fixture       *fixture,
             gconstpointer  data)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xe0 };
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a' };
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) user = add_user (fixture, "pictured", PQS_ROLE_USER);
  g_autoptr(PqsUser) other = add_user (fixture, "bystander", PQS_ROLE_USER);
  g_autoptr(GBytes) picture = make_image (png, sizeof png, 4096);
  g_autoptr(GBytes) photo = make_image (jpeg, sizeof jpeg, PQS_AVATAR_MAX_SIZE);
  g_autoptr(GBytes) too_big = make_image (png, sizeof png, PQS_AVATAR_MAX_SIZE + 1);
  g_autoptr(GBytes) animated = make_image (gif, sizeof gif, 100);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) back = NULL;
  g_autofree char *mime = NULL;
  gint64 id = pqs_user_get_id (user);
  GBytes *refused[] = { too_big, animated, empty };

  /* Their own picture, through their own account. */
  g_assert_true (pqs_user_directory_set_avatar (fixture->directory, user, id, picture, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT avatar_size FROM users WHERE username = 'pictured'"),
                   ==, 4096);
  back = pqs_user_directory_get_avatar (fixture->directory, id, &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mime, ==, "image/png");
  g_assert_true (g_bytes_equal (back, picture));

  /* Exactly 1 MiB of JPEG replaces it. */
  g_assert_true (pqs_user_directory_set_avatar (fixture->directory, fixture->admin, id, photo,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM avatars"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT avatar_mime = 'image/jpeg' AND avatar_size = 1048576 "
                                   "FROM users WHERE username = 'pictured'"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (pqs_user_directory_set_avatar (fixture->directory, user, id, refused[i],
                                                     &error));
      g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM avatars WHERE mime_type = 'image/jpeg'"),
                   ==, 1);

  /* Nobody else's picture but an administrator's. */
  g_assert_false (pqs_user_directory_set_avatar (fixture->directory, other, id, picture, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_true (pqs_user_directory_set_avatar (fixture->directory, user, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM avatars"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT avatar_mime IS NULL FROM users "
                                   "WHERE username = 'pictured'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities "
                                   "WHERE activity_type = 'user.avatar'"), ==, 3);
  assert_chain_ok (fixture);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) unused = add_user (fixture, "mistake", PQS_ROLE_VISITOR);
  g_autoptr(PqsUser) used = add_user (fixture, "veteran", PQS_ROLE_USER);
  g_autoptr(PqsUser) gone = NULL;
  g_autofree char *sql = NULL;

  /* A user with audit rows of their own is deactivated, never deleted. */
  sql = g_strdup_printf ("INSERT INTO user_activities (user_id, activity_type, created_at) "
                         "VALUES (%" G_GINT64_FORMAT ", 'auth.login', '2026-01-01T00:00:00.000Z')",
                         pqs_user_get_id (used));
  pqs_test_exec (fixture->db, sql);
  g_assert_false (pqs_user_directory_delete (fixture->directory, fixture->admin,
                                             pqs_user_get_id (used), &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_IN_USE);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users WHERE username = 'veteran'"), ==, 1);

  g_assert_false (pqs_user_directory_delete (fixture->directory, used,
                                             pqs_user_get_id (unused), &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_true (pqs_user_directory_delete (fixture->directory, fixture->admin,
                                            pqs_user_get_id (unused), &error));
  g_assert_no_error (error);
  gone = pqs_user_directory_lookup (fixture->directory, pqs_user_get_id (unused), &error);
  g_assert_null (gone);
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_NOT_FOUND);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'user.delete' AND json_extract(details, '$.username') = "
                                   "'mistake'"), ==, 1);
}

/* Every account-changing method refuses non-administrators with
 * PQS_AUTH_ERROR_DENIED, and writes nothing. */
static void
test_denied_for_non_admins (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(PqsUser) target = add_user (fixture, "target", PQS_ROLE_USER);
  gint64 target_id = pqs_user_get_id (target);
  g_autofree char *dump_before = NULL;
  gint64 audit_before;

  for (PqsRole role = PQS_ROLE_VISITOR; role < PQS_ROLE_ADMIN; role++)
    {
      g_autofree char *name = g_strdup_printf ("actor%d", role);
      g_autoptr(PqsUser) actor = add_user (fixture, name, role);
      PqsUserFields fields = { "newbie", "newbie@example.org", "New Bie", NULL };
      PqsUserFields rename = { "renamed", NULL, NULL, NULL };
      GError *errors[7] = { NULL, };
      g_autoptr(PqsUser) created = NULL;

      dump_before = pqs_test_query_text (fixture->db,
                                         "SELECT group_concat(username || role || is_active || "
                                         "password_hash || failed_login_attempts, ',') FROM users");
      audit_before = count (fixture, "SELECT count(*) FROM user_activities");

      created = pqs_user_directory_create (fixture->directory, actor, &fields, PQS_ROLE_ADMIN,
                                           PASSWORD, &errors[0]);
      g_assert_null (created);
      pqs_user_directory_set_role (fixture->directory, actor, pqs_user_get_id (actor),
                                   PQS_ROLE_ADMIN, &errors[1]);
      pqs_user_directory_set_active (fixture->directory, actor, target_id, FALSE, &errors[2]);
      pqs_user_directory_reset_password (fixture->directory, actor, target_id,
                                         "hijacked password", FALSE, &errors[3]);
      pqs_user_directory_unlock (fixture->directory, actor, target_id, &errors[4]);
      pqs_user_directory_update (fixture->directory, actor, target_id, &rename, &errors[5]);
      pqs_user_directory_delete (fixture->directory, actor, target_id, &errors[6]);

      for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
        {
          g_assert_error (errors[i], PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_clear_error (&errors[i]);
        }

      {
        g_autofree char *dump_after =
          pqs_test_query_text (fixture->db,
                               "SELECT group_concat(username || role || is_active || "
                               "password_hash || failed_login_attempts, ',') FROM users");
        g_assert_cmpstr (dump_before, ==, dump_after);
      }
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit_before);
      g_clear_pointer (&dump_before, g_free);
    }
}

/* The change and its audit row share a transaction: when the audit row
 * cannot be written, the change is gone too. */
static void
test_audit_in_same_transaction (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) user = NULL;
  PqsUserFields fields = { "ghost", "ghost@example.org", "Ghost Writer", NULL };
  gint64 users = count (fixture, "SELECT count(*) FROM users");

  pqs_test_exec (fixture->db, "CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON "
                              "main.user_activities BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields, PQS_ROLE_USER,
                                    PASSWORD, &error);
  g_assert_null (user);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "disk says no"));
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users"), ==, users);

  /* An unlock of a locked account: the counters stay as they were. */
  pqs_test_exec (fixture->db, "UPDATE users SET failed_login_attempts = 5 WHERE username = 'admin'");
  g_assert_false (pqs_user_directory_unlock (fixture->directory, NULL,
                                             pqs_user_get_id (fixture->admin), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT failed_login_attempts FROM users "
                                   "WHERE username = 'admin'"), ==, 5);

  pqs_test_exec (fixture->db, "DROP TRIGGER temp.refuse_audit");
  user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields, PQS_ROLE_USER,
                                    PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM users"), ==, users + 1);
  assert_chain_ok (fixture);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *calls)
{
  (*calls)++;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *calls)
{
  (*calls)++;
}

static void
test_user_list (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUserList) list = pqs_user_list_new (fixture->store);
  g_autoptr(PqsUser) zed = NULL;
  g_autoptr(PqsUser) first = NULL;
  g_autoptr(PqsUser) bob = NULL;
  PqsUserFields rename = { NULL, NULL, "Robert Builder", NULL };
  guint changes = 0;
  guint notifies = 0;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  zed = add_user (fixture, "zed", PQS_ROLE_USER);
  bob = add_user (fixture, "bob", PQS_ROLE_SUPERVISOR);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  /* By username: admin, bob, zed. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpstr (pqs_user_get_username (first), ==, "bob");
  g_signal_connect (first, "notify::full-name", G_CALLBACK (notify_cb), &notifies);

  /* An edit updates the same object in place, with no items-changed. */
  g_assert_true (pqs_user_directory_update (fixture->directory, fixture->admin,
                                            pqs_user_get_id (bob), &rename, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpstr (pqs_user_get_full_name (first), ==, "Robert Builder");

  {
    g_autoptr(PqsUser) same = g_list_model_get_item (G_LIST_MODEL (list), 1);
    g_assert_true (same == first);
  }

  g_assert_true (pqs_user_directory_delete (fixture->directory, fixture->admin,
                                            pqs_user_get_id (zed), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_true (pqs_user_list_find (list, pqs_user_get_id (bob)) == first);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/users/first-admin", test_first_admin, "empty");
  ADD ("/users/create-validation", test_create_validation, NULL);
  ADD ("/users/create-and-edit", test_create_and_edit, NULL);
  ADD ("/users/roles-and-last-admin", test_roles_and_last_admin, NULL);
  ADD ("/users/deactivate", test_deactivate, NULL);
  ADD ("/users/password-and-unlock", test_password_and_unlock, NULL);
  ADD ("/users/avatar", test_avatar, NULL);
  ADD ("/users/delete", test_delete, NULL);
  ADD ("/users/denied-for-non-admins", test_denied_for_non_admins, NULL);
  ADD ("/users/audit-in-same-transaction", test_audit_in_same_transaction, NULL);
  ADD ("/users/list", test_user_list, NULL);

#undef ADD

  return g_test_run ();
}
