/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <crypt.h>
#include <sodium.h>
#include <string.h>

#include "pqs-legacy-passwords.h"
#include "pqs-migrator.h"
#include "pqs-password.h"
#include "pqs-test-util.h"

/* Cheap argon2id limits, so that the tests stay quick. */
#define TEST_OPSLIMIT crypto_pwhash_OPSLIMIT_MIN
#define TEST_MEMLIMIT (8 * 1024 * 1024)

static void
use_test_limits (void)
{
  pqs_password_set_limits (TEST_OPSLIMIT, TEST_MEMLIMIT);
}

/* A bcrypt hash as the legacy application stored them; @prefix is "$2b$",
 * "$2a$" or "$2y$". */
static char *
make_bcrypt (const char *prefix,
             gulong      cost,
             const char *password)
{
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  char *hash;

  g_assert_nonnull (crypt_gensalt_rn (prefix, cost, NULL, 0, setting, sizeof setting));
  g_assert_nonnull (crypt_rn (password, setting, data, sizeof *data));
  hash = g_strdup (data->output);
  g_free (data);

  g_assert_true (g_str_has_prefix (hash, prefix));
  g_assert_cmpuint (strlen (hash), ==, 60);
  return hash;
}

static char *
hash_ok (const char *password)
{
  g_autoptr(GError) error = NULL;
  char *hash = pqs_password_hash (password, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  return hash;
}

/* @code -1: the policy accepts @password. */
static void
assert_policy (const char *password,
               const char *username,
               int         code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = pqs_password_check_policy (password, username, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, PQS_PASSWORD_ERROR, code);
      g_assert_false (ok);
      g_assert_cmpuint (strlen (error->message), >, 0);
    }
}

static void
test_policy (void)
{
  g_autofree char *long_ascii = g_strnfill (PQS_PASSWORD_MAX_LENGTH, 'a');
  g_autofree char *too_long_ascii = g_strnfill (PQS_PASSWORD_MAX_LENGTH + 1, 'a');
  GString *long_utf8 = g_string_new (NULL);
  g_autofree char *long_utf8_text = NULL;
  g_autofree char *too_long_utf8_text = NULL;

  /* Length counts characters, not bytes. */
  assert_policy ("abcdefghi", NULL, PQS_PASSWORD_ERROR_TOO_SHORT);
  assert_policy ("abcdefghij", NULL, -1);
  assert_policy ("ééééééééé", NULL, PQS_PASSWORD_ERROR_TOO_SHORT);   /* 9 chars, 18 bytes */
  assert_policy ("éééééééééé", NULL, -1);
  assert_policy ("🙂🙂🙂🙂🙂🙂🙂🙂🙂", NULL, PQS_PASSWORD_ERROR_TOO_SHORT);
  assert_policy ("", "someone", PQS_PASSWORD_ERROR_TOO_SHORT);

  /* Not the user name, whatever the case or the surrounding space. */
  assert_policy ("QuarterMaster", "quartermaster", PQS_PASSWORD_ERROR_MATCHES_USERNAME);
  assert_policy ("quartermaster", "QUARTERMASTER", PQS_PASSWORD_ERROR_MATCHES_USERNAME);
  assert_policy ("  QUARTERMASTER\t", "quartermaster", PQS_PASSWORD_ERROR_MATCHES_USERNAME);
  assert_policy ("ÖLMASCHINIST", "ölmaschinist", PQS_PASSWORD_ERROR_MATCHES_USERNAME);
  assert_policy ("quartermaster1", "quartermaster", -1);
  assert_policy ("quartermaster", NULL, -1);

  /* At most PQS_PASSWORD_MAX_LENGTH bytes. */
  assert_policy (long_ascii, "sailor", -1);
  assert_policy (too_long_ascii, "sailor", PQS_PASSWORD_ERROR_INVALID);
  for (guint i = 0; i < PQS_PASSWORD_MAX_LENGTH / 2; i++)
    g_string_append (long_utf8, "é");
  long_utf8_text = g_strdup (long_utf8->str);
  g_string_append (long_utf8, "é");
  too_long_utf8_text = g_string_free (long_utf8, FALSE);
  assert_policy (long_utf8_text, "sailor", -1);
  assert_policy (too_long_utf8_text, "sailor", PQS_PASSWORD_ERROR_INVALID);

  /* Not text at all. */
  assert_policy ("abcdefghij\xff", "sailor", PQS_PASSWORD_ERROR_INVALID);
  assert_policy ("\xc3\x28 and more than ten characters", "sailor", PQS_PASSWORD_ERROR_INVALID);
  assert_policy (NULL, "sailor", PQS_PASSWORD_ERROR_INVALID);
}

static void
test_hash_and_verify (void)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *unicode = NULL;
  g_autofree char *longest = g_strnfill (PQS_PASSWORD_MAX_LENGTH, 'x');
  g_autofree char *longest_hash = NULL;
  g_autofree char *limits = NULL;

  use_test_limits ();

  first = hash_ok ("correct horse battery");
  second = hash_ok ("correct horse battery");
  g_assert_true (g_str_has_prefix (first, "$argon2id$"));
  g_assert_cmpint (pqs_password_hash_kind (first), ==, PQS_PASSWORD_HASH_ARGON2ID);
  /* Made with the current limits. */
  limits = g_strdup_printf ("$m=%u,t=%u,", (guint) (TEST_MEMLIMIT / 1024), (guint) TEST_OPSLIMIT);
  g_assert_nonnull (strstr (first, limits));

  /* A fresh salt every time. */
  g_assert_cmpstr (first, !=, second);

  g_assert_cmpint (pqs_password_verify (first, "correct horse battery"), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (pqs_password_verify (second, "correct horse battery"), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (pqs_password_verify (first, "correct horse batterY"), ==,
                   PQS_PASSWORD_MISMATCH);
  g_assert_cmpint (pqs_password_verify (first, "correct horse battery "), ==,
                   PQS_PASSWORD_MISMATCH);
  g_assert_cmpint (pqs_password_verify (first, ""), ==, PQS_PASSWORD_MISMATCH);
  g_assert_cmpint (pqs_password_verify (first, NULL), ==, PQS_PASSWORD_MISMATCH);

  unicode = hash_ok ("Grüße aus Kiel 🙂");
  g_assert_cmpint (pqs_password_verify (unicode, "Grüße aus Kiel 🙂"), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (pqs_password_verify (unicode, "Grusse aus Kiel 🙂"), ==,
                   PQS_PASSWORD_MISMATCH);

  longest_hash = hash_ok (longest);
  g_assert_cmpint (pqs_password_verify (longest_hash, longest), ==, PQS_PASSWORD_MATCH);
  longest[0] = 'y';
  g_assert_cmpint (pqs_password_verify (longest_hash, longest), ==, PQS_PASSWORD_MISMATCH);
}

static void
test_rehash (void)
{
  g_autofree char *old_hash = NULL;
  g_autofree char *new_hash = NULL;
  guint64 opslimit = 0;
  gsize memlimit = 0;

  use_test_limits ();
  old_hash = hash_ok ("anchors aweigh, sailor");
  g_assert_cmpint (pqs_password_verify (old_hash, "anchors aweigh, sailor"), ==,
                   PQS_PASSWORD_MATCH);

  /* Raising the limits makes every older hash ask to be replaced... */
  pqs_password_set_limits (TEST_OPSLIMIT + 1, TEST_MEMLIMIT * 2);
  pqs_password_get_limits (&opslimit, &memlimit);
  g_assert_cmpuint (opslimit, ==, TEST_OPSLIMIT + 1);
  g_assert_cmpuint (memlimit, ==, TEST_MEMLIMIT * 2);

  g_assert_cmpint (pqs_password_verify (old_hash, "anchors aweigh, sailor"), ==,
                   PQS_PASSWORD_MATCH_NEEDS_REHASH);
  g_assert_cmpint (pqs_password_verify (old_hash, "anchors aweigh, Sailor"), ==,
                   PQS_PASSWORD_MISMATCH);

  /* ...and its replacement is current. */
  new_hash = hash_ok ("anchors aweigh, sailor");
  g_assert_cmpint (pqs_password_verify (new_hash, "anchors aweigh, sailor"), ==,
                   PQS_PASSWORD_MATCH);

  /* Lowering them again: the stronger hash is not "current" either. */
  use_test_limits ();
  g_assert_cmpint (pqs_password_verify (new_hash, "anchors aweigh, sailor"), ==,
                   PQS_PASSWORD_MATCH_NEEDS_REHASH);
  g_assert_cmpint (pqs_password_verify (old_hash, "anchors aweigh, sailor"), ==,
                   PQS_PASSWORD_MATCH);
}

static void
assert_bcrypt (const char *hash,
               const char *password)
{
  g_autofree char *wrong = g_strconcat (password, "x", NULL);

  g_assert_cmpint (pqs_password_hash_kind (hash), ==, PQS_PASSWORD_HASH_BCRYPT);
  g_assert_cmpint (pqs_password_verify (hash, password), ==, PQS_PASSWORD_MATCH_NEEDS_REHASH);
  g_assert_cmpint (pqs_password_verify (hash, wrong), ==, PQS_PASSWORD_MISMATCH);
  g_assert_cmpint (pqs_password_verify (hash, ""), ==, PQS_PASSWORD_MISMATCH);
  g_assert_cmpint (pqs_password_verify (hash, NULL), ==, PQS_PASSWORD_MISMATCH);
}

static void
test_bcrypt (void)
{
  static const char *prefixes[] = { "$2b$", "$2a$", "$2y$" };
  g_autofree char *legacy_cost = make_bcrypt ("$2b$", 12, "Admin&21");

  /* The legacy application's own cost. */
  g_assert_true (g_str_has_prefix (legacy_cost, "$2b$12$"));
  assert_bcrypt (legacy_cost, "Admin&21");
  g_assert_cmpint (pqs_password_verify (legacy_cost, "admin&21"), ==, PQS_PASSWORD_MISMATCH);

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *hash = make_bcrypt (prefixes[i], 4, "Old password 1");
      g_autofree char *unicode = make_bcrypt (prefixes[i], 4, "Ölwechsel 🙂 2019");

      assert_bcrypt (hash, "Old password 1");
      assert_bcrypt (unicode, "Ölwechsel 🙂 2019");
    }

  /* A legacy password, once it has signed in, becomes an argon2id one. */
  {
    g_autofree char *legacy = make_bcrypt ("$2b$", 4, "Old password 1");
    g_autofree char *current = NULL;

    use_test_limits ();
    g_assert_cmpint (pqs_password_verify (legacy, "Old password 1"), ==,
                     PQS_PASSWORD_MATCH_NEEDS_REHASH);
    current = hash_ok ("Old password 1");
    g_assert_cmpint (pqs_password_verify (current, "Old password 1"), ==, PQS_PASSWORD_MATCH);
  }
}

static void
test_unknown_formats (void)
{
  g_autofree char *argon = NULL;
  g_autofree char *truncated_argon = NULL;
  g_autofree char *bcrypt = make_bcrypt ("$2b$", 4, "Admin&21");
  g_autofree char *truncated_bcrypt = NULL;
  g_autofree char *bcrypt_high_cost = NULL;
  g_autofree char *bcrypt_bad_alphabet = NULL;
  g_autofree char *bcrypt_other = NULL;
  g_autofree char *garbage = NULL;
  g_autofree char *argon_garbage = NULL;
  g_autofree char *bcrypt_garbage = NULL;
  const char *unusable[] = {
    "",
    "plain",
    "Admin&21",
    "$1$abc$def",
    "$5$rounds=5000$salt$hash",
    "$argon2i$v=19$m=8192,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
    "$argon2d$v=19$m=8192,t=3,p=1$c2FsdA$aGFzaA",
    "$2x$04$abcdefghijklmnopqrstuu",
    "$2$",
    "$",
    "argon2id$v=19",
  };

  use_test_limits ();
  argon = hash_ok ("Admin&21");

  g_assert_cmpint (pqs_password_hash_kind (NULL), ==, PQS_PASSWORD_HASH_UNKNOWN);
  g_assert_cmpint (pqs_password_verify (NULL, "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);
  g_assert_cmpint (pqs_password_verify (NULL, NULL), ==, PQS_PASSWORD_UNUSABLE);

  for (guint i = 0; i < G_N_ELEMENTS (unusable); i++)
    {
      g_assert_cmpint (pqs_password_hash_kind (unusable[i]), ==, PQS_PASSWORD_HASH_UNKNOWN);
      g_assert_cmpint (pqs_password_verify (unusable[i], "Admin&21"), ==,
                       PQS_PASSWORD_UNUSABLE);
      g_assert_cmpint (pqs_password_verify (unusable[i], unusable[i]), ==,
                       PQS_PASSWORD_UNUSABLE);
    }

  /* 10 KB of garbage, with and without a known prefix. */
  garbage = g_malloc (10 * 1024 + 1);
  for (guint i = 0; i < 10 * 1024; i++)
    garbage[i] = (char) (1 + g_test_rand_int_range (0, 255));
  garbage[10 * 1024] = '\0';
  garbage[0] = '#';
  argon_garbage = g_strconcat ("$argon2id$", garbage, NULL);
  bcrypt_garbage = g_strconcat ("$2b$12$", garbage, NULL);
  g_assert_cmpint (pqs_password_verify (garbage, "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);
  g_assert_cmpint (pqs_password_verify (argon_garbage, "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);
  g_assert_cmpint (pqs_password_verify (bcrypt_garbage, "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);

  /* Damaged hashes of a known kind never match, and never crash; plainly
   * damaged ones (wrong length, cost or alphabet) need a reset. */
  for (gsize len = 0; len < strlen (argon); len++)
    {
      g_free (truncated_argon);
      truncated_argon = g_strndup (argon, len);
      g_assert_cmpint (pqs_password_verify (truncated_argon, "Admin&21"), !=,
                       PQS_PASSWORD_MATCH);
      g_assert_cmpint (pqs_password_verify (truncated_argon, "Admin&21"), !=,
                       PQS_PASSWORD_MATCH_NEEDS_REHASH);
    }
  g_assert_cmpint (pqs_password_verify ("$argon2id$", "Admin&21"), ==, PQS_PASSWORD_MISMATCH);
  g_assert_cmpint (pqs_password_verify ("$argon2id$v=19$m=8192,t=1,p=1$", "Admin&21"), ==,
                   PQS_PASSWORD_MISMATCH);

  for (gsize len = 4; len < strlen (bcrypt); len++)
    {
      g_free (truncated_bcrypt);
      truncated_bcrypt = g_strndup (bcrypt, len);
      g_assert_cmpint (pqs_password_verify (truncated_bcrypt, "Admin&21"), ==,
                       PQS_PASSWORD_UNUSABLE);
    }
  g_assert_cmpint (pqs_password_verify ("$2b$12$abc", "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);
  g_assert_cmpint (pqs_password_verify ("$2b$", "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);
  /* The placeholder hash of pqs_test_make_legacy_database(): one character short. */
  g_assert_cmpint (pqs_password_verify ("$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRS"
                                        "TUVWXY", "Admin&21"), ==, PQS_PASSWORD_UNUSABLE);

  /* The right length, but an absurd cost, a cost too low, or characters
   * outside bcrypt's alphabet. */
  bcrypt_high_cost = g_strdup (bcrypt);
  memcpy (bcrypt_high_cost + 4, "99", 2);
  g_assert_cmpint (pqs_password_verify (bcrypt_high_cost, "Admin&21"), ==,
                   PQS_PASSWORD_UNUSABLE);
  memcpy (bcrypt_high_cost + 4, "03", 2);
  g_assert_cmpint (pqs_password_verify (bcrypt_high_cost, "Admin&21"), ==,
                   PQS_PASSWORD_UNUSABLE);
  memcpy (bcrypt_high_cost + 4, "x4", 2);
  g_assert_cmpint (pqs_password_verify (bcrypt_high_cost, "Admin&21"), ==,
                   PQS_PASSWORD_UNUSABLE);
  bcrypt_bad_alphabet = g_strdup (bcrypt);
  bcrypt_bad_alphabet[20] = '!';
  g_assert_cmpint (pqs_password_verify (bcrypt_bad_alphabet, "Admin&21"), ==,
                   PQS_PASSWORD_UNUSABLE);

  /* Well formed, but another hash: the last character changed. */
  bcrypt_other = g_strdup (bcrypt);
  bcrypt_other[59] = bcrypt_other[59] == 'a' ? 'b' : 'a';
  g_assert_cmpint (pqs_password_verify (bcrypt_other, "Admin&21"), ==, PQS_PASSWORD_MISMATCH);

  /* The undamaged ones still match. */
  g_assert_cmpint (pqs_password_verify (argon, "Admin&21"), ==, PQS_PASSWORD_MATCH);
  g_assert_cmpint (pqs_password_verify (bcrypt, "Admin&21"), ==,
                   PQS_PASSWORD_MATCH_NEEDS_REHASH);
}

typedef struct
{
  GMutex mutex;
  guint  matched;
} ThreadsData;

static gpointer
hash_thread (gpointer user_data)
{
  ThreadsData *data = user_data;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *hash = hash_ok ("shared limits 123");

      pqs_password_verify_dummy ("shared limits 123");
      if (pqs_password_verify (hash, "shared limits 123") != PQS_PASSWORD_MISMATCH)
        {
          g_mutex_lock (&data->mutex);
          data->matched++;
          g_mutex_unlock (&data->mutex);
        }
    }

  return NULL;
}

/* The dummy verification and the limits are shared by every thread. */
static void
test_dummy_and_threads (void)
{
  ThreadsData data = { 0, };
  GThread *threads[4];

  use_test_limits ();
  pqs_password_verify_dummy ("whoever this is");
  pqs_password_verify_dummy ("whoever this is");
  pqs_password_verify_dummy (NULL);
  pqs_password_verify_dummy ("");

  g_mutex_init (&data.mutex);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hash", hash_thread, &data);
  for (guint i = 0; i < 4; i++)
    {
      pqs_password_set_limits (TEST_OPSLIMIT + (i % 2), TEST_MEMLIMIT);
      pqs_password_verify_dummy ("whoever this is");
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&data.mutex);

  g_assert_cmpuint (data.matched, ==, 3 * G_N_ELEMENTS (threads));
  use_test_limits ();
}

/* The legacy default-password sweep ------------------------------------------- */

static const char *users_sql =
  "SELECT group_concat(id || '|' || username || '|' || password_hash || '|' || "
  "coalesce(updated_at, ''), ';') FROM (SELECT * FROM users ORDER BY id)";

static void
insert_legacy_user (sqlite3    *db,
                    const char *username,
                    const char *hash)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO users (username, email, password_hash, "
                                       "full_name, role, updated_at) "
                                       "VALUES (?1, ?1 || '@ship.example', ?2, ?1, 'admin', "
                                       "'2019-05-01 12:00:00')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static gint64
reset_required (sqlite3    *db,
                const char *username)
{
  g_autofree char *sql = g_strdup_printf ("SELECT password_reset_required FROM users "
                                          "WHERE username = '%s'", username);

  return pqs_test_query_int (db, sql);
}

static char *
file_checksum (const char *path)
{
  g_autoptr(GBytes) bytes = pqs_test_read_file (path);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static void
test_legacy_sweep (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "legacy.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *default_hash = make_bcrypt ("$2b$", 4, PQS_PASSWORD_LEGACY_DEFAULT);
  g_autofree char *other_hash = make_bcrypt ("$2b$", 4, "Chief&Engineer7");
  g_autofree char *before_users = NULL;
  g_autofree char *after_users = NULL;
  g_autofree char *before_sum = NULL;
  g_autofree char *after_sum = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *raw = NULL;

  pqs_test_make_legacy_database (path, 0);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  insert_legacy_user (raw, "admin", default_hash);
  insert_legacy_user (raw, "chief", other_hash);
  insert_legacy_user (raw, "bosun", "{SSHA}c2FsdHlwYXNzd29yZA==");
  before_users = pqs_test_query_text (raw, users_sql);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);
  before_sum = file_checksum (path);

  /* A dry run (what `pqs-admin migrate --dry-run` does: a read-only
   * connection that only lists what is pending) changes nothing. */
  {
    g_autoptr(PqsStore) store = pqs_store_open (path, PQS_STORE_OPEN_READ_ONLY |
                                                      PQS_STORE_OPEN_EXISTING, &error);
    g_autoptr(PqsMigrator) migrator = NULL;
    g_autoptr(GPtrArray) pending = NULL;

    g_assert_no_error (error);
    migrator = pqs_migrator_new (store);
    g_assert_true (pqs_migrator_load (migrator, NULL, &error));
    g_assert_no_error (error);
    pending = pqs_migrator_pending (migrator, PQS_MIGRATOR_LATEST, &error);
    g_assert_no_error (error);
    g_assert_nonnull (pending);
    g_assert_cmpuint (pending->len, ==, pqs_migrator_get_latest_version (migrator) - 1);
    g_assert_cmpstr (pqs_migration_get_name (g_ptr_array_index (pending, 0)), ==,
                     "users_avatars_target");
  }
  after_sum = file_checksum (path);
  g_assert_cmpstr (before_sum, ==, after_sum);
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (pqs_test_query_int (raw, "SELECT count(*) FROM pragma_table_info('users') "
                                            "WHERE name = 'password_reset_required'"), ==, 0);
  after_users = pqs_test_query_text (raw, users_sql);
  g_assert_cmpstr (before_users, ==, after_users);
  g_assert_cmpint (sqlite3_close (raw), ==, SQLITE_OK);

  /* The real migration flags exactly the account on the shipped password. */
  {
    g_autoptr(PqsStore) store = pqs_test_open_store (path);
    g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
    g_autofree char *two_y_hash = make_bcrypt ("$2y$", 4, PQS_PASSWORD_LEGACY_DEFAULT);
    sqlite3 *db = pqs_store_get_handle (store);
    g_autofree char *stored = NULL;
    guint flagged = 0;

    pqs_migrator_set_backup_dir (migrator, backups);
    pqs_migrator_set_applied_by (migrator, "test-password");
    g_assert_true (pqs_migrator_load (migrator, NULL, &error));
    g_assert_true (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error));
    g_assert_no_error (error);

    g_assert_cmpint (reset_required (db, "admin"), ==, 1);
    g_assert_cmpint (reset_required (db, "chief"), ==, 0);
    g_assert_cmpint (reset_required (db, "bosun"), ==, 0);
    g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM users "
                                             "WHERE password_reset_required = 1"), ==, 1);

    /* Every row kept its hash (and its updated_at): only the flag changed. */
    g_free (after_users);
    after_users = pqs_test_query_text (db, users_sql);
    g_assert_cmpstr (before_users, ==, after_users);
    stored = pqs_test_query_text (db, "SELECT password_hash FROM users WHERE username = 'admin'");
    g_assert_cmpint (pqs_password_verify (stored, PQS_PASSWORD_LEGACY_DEFAULT), ==,
                     PQS_PASSWORD_MATCH_NEEDS_REHASH);
    pqs_test_assert_integrity (db);

    /* The sweep on its own, inside a transaction: it counts what it flags,
     * $2y$ hashes included, and leaves argon2id ones alone. */
    use_test_limits ();
    {
      g_autofree char *argon = hash_ok (PQS_PASSWORD_LEGACY_DEFAULT);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO users (username, email, "
                                              "password_hash, full_name) VALUES "
                                              "('bosun2', 'bosun2@ship.example', '%s', "
                                              "'Bosun Two'), ('mate', 'mate@ship.example', "
                                              "'%s', 'Mate')", two_y_hash, argon);

      pqs_test_exec (db, sql);
    }
    pqs_test_exec (db, "UPDATE users SET password_reset_required = 0");

    g_assert_true (pqs_store_begin_immediate (store, &error));
    g_assert_true (pqs_legacy_passwords_flag_default (store, &flagged, &error));
    g_assert_no_error (error);
    g_assert_true (pqs_store_commit (store, &error));
    g_assert_cmpuint (flagged, ==, 2);
    g_assert_cmpint (reset_required (db, "admin"), ==, 1);
    g_assert_cmpint (reset_required (db, "bosun2"), ==, 1);
    g_assert_cmpint (reset_required (db, "chief"), ==, 0);
    g_assert_cmpint (reset_required (db, "bosun"), ==, 0);
    g_assert_cmpint (reset_required (db, "mate"), ==, 0);
  }

  pqs_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A fresh database has nobody to flag, and a migration that is not the
 * real 002 is left alone. */
static void
test_fresh_database (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "fresh.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(PqsStore) store = pqs_test_open_store (path);
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_true (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, pqs_migrator_get_latest_version (migrator));
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                       "SELECT count(*) FROM users"), ==, 0);

  g_clear_object (&migrator);
  g_clear_object (&store);
  pqs_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  guint64 opslimit = 0;
  gsize memlimit = 0;

  g_test_init (&argc, &argv, NULL);

  /* The defaults are libsodium's interactive limits; the tests lower them. */
  pqs_password_get_limits (&opslimit, &memlimit);
  g_assert_cmpuint (opslimit, ==, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  g_assert_cmpuint (memlimit, ==, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  use_test_limits ();

  g_test_add_func ("/password/policy", test_policy);
  g_test_add_func ("/password/hash-and-verify", test_hash_and_verify);
  g_test_add_func ("/password/rehash", test_rehash);
  g_test_add_func ("/password/bcrypt", test_bcrypt);
  g_test_add_func ("/password/unknown-formats", test_unknown_formats);
  g_test_add_func ("/password/dummy-and-threads", test_dummy_and_threads);
  g_test_add_func ("/password/legacy-sweep", test_legacy_sweep);
  g_test_add_func ("/password/fresh-database", test_fresh_database);

  return g_test_run ();
}
