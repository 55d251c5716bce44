/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "pqs-migrator.h"
#include "pqs-password.h"
#include "pqs-test-util.h"

char *
pqs_test_tmpdir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("pqs-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
pqs_test_rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          pqs_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
pqs_test_tmpdir_free (char *dir)
{
  if (dir == NULL)
    return;

  pqs_test_rm_rf (dir);
  g_free (dir);
}

PqsStore *
pqs_test_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  PqsStore *store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* The schema as SQLite stores it, without root pages (which depend on the
 * order pages were allocated in, not on the schema). */
char *
pqs_test_schema_dump (sqlite3 *db)
{
  GString *dump = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
                           "ORDER BY type, name", -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (dump, "%s|%s|%s|%s\n",
                            sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                            sqlite3_column_text (stmt, 2), sqlite3_column_text (stmt, 3));
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return g_string_free (dump, FALSE);
}

gint64
pqs_test_query_int (sqlite3    *db,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  rc = sqlite3_step (stmt);
  g_assert_cmpint (rc, ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

char *
pqs_test_query_text (sqlite3    *db,
                     const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

void
pqs_test_exec (sqlite3    *db,
               const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

void
pqs_test_assert_integrity (sqlite3 *db)
{
  g_autofree char *integrity = pqs_test_query_text (db, "PRAGMA integrity_check");

  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM pragma_foreign_key_check"),
                   ==, 0);
}

void
pqs_test_make_legacy_database (const char *path,
                               guint       n_users)
{
  g_autofree char *ddl_path = NULL;
  g_autofree char *ddl = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *user = NULL;
  sqlite3_stmt *avatar = NULL;
  static const char *roles[] = { "admin", "supervisor", "user", "visitor", "Admin" };

  ddl_path = g_build_filename (g_getenv ("PQS_MIGRATIONS_SRCDIR"), "001_legacy_baseline.sql",
                               NULL);
  g_file_get_contents (ddl_path, &ddl, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  pqs_test_exec (db, ddl);
  pqs_test_exec (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO users (username, email, password_hash, "
                                       "full_name, rank, role, is_active) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                       -1, &user, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO avatars (user_id, avatar_data, mime_type, "
                                       "file_size) VALUES (?1, ?2, 'image/png', ?3)",
                                       -1, &avatar, NULL), ==, SQLITE_OK);

  for (guint i = 1; i <= n_users; i++)
    {
      g_autofree char *username = g_strdup_printf ("sailor%u", i);
      g_autofree char *email = g_strdup_printf ("sailor%u@ship.example", i);
      g_autofree char *name = g_strdup_printf ("Sailor Number %u", i);
      static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };

      sqlite3_bind_text (user, 1, username, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (user, 2, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (user, 3, "$2b$12$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY",
                         -1, SQLITE_STATIC);
      sqlite3_bind_text (user, 4, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (user, 5, "PO2", -1, SQLITE_STATIC);
      sqlite3_bind_text (user, 6, roles[i % G_N_ELEMENTS (roles)], -1, SQLITE_STATIC);
      sqlite3_bind_int (user, 7, i % 7 != 0);
      g_assert_cmpint (sqlite3_step (user), ==, SQLITE_DONE);
      sqlite3_reset (user);

      if (i % 2 == 0)
        {
          sqlite3_bind_int64 (avatar, 1, i);
          sqlite3_bind_blob (avatar, 2, png, sizeof png, SQLITE_STATIC);
          sqlite3_bind_int (avatar, 3, sizeof png);
          g_assert_cmpint (sqlite3_step (avatar), ==, SQLITE_DONE);
          sqlite3_reset (avatar);
        }
    }

  sqlite3_finalize (user);
  sqlite3_finalize (avatar);
  pqs_test_exec (db, "COMMIT");
  sqlite3_close (db);
}

void
pqs_test_write_file (const char *dir,
                     const char *name,
                     const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

void
pqs_test_copy_migrations (const char *dir)
{
  const char *source = g_getenv ("PQS_MIGRATIONS_SRCDIR");
  g_autoptr(GDir) folder = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_assert_nonnull (source);
  folder = g_dir_open (source, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *from = NULL;
      g_autofree char *contents = NULL;

      if (!g_str_has_suffix (name, ".sql"))
        continue;

      from = g_build_filename (source, name, NULL);
      g_file_get_contents (from, &contents, NULL, &error);
      g_assert_no_error (error);
      pqs_test_write_file (dir, name, contents);
    }
}

int
pqs_test_run_admin (const char * const  *argv,
                    char               **out_stdout,
                    char               **out_stderr)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *admin = g_getenv ("PQS_ADMIN");

  g_assert_nonnull (admin);
  g_ptr_array_add (args, (gpointer) admin);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

GSubprocess *
pqs_test_spawn_admin (const char * const *env,
                      const char * const *argv,
                      GSubprocessFlags    flags)
{
  return pqs_test_spawn_admin_full (env, argv, flags, -1);
}

GSubprocess *
pqs_test_spawn_admin_full (const char * const *env,
                           const char * const *argv,
                           GSubprocessFlags    flags,
                           int                 start_fd)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *admin = g_getenv ("PQS_ADMIN");

  g_assert_nonnull (admin);

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals != NULL)
        {
          g_autofree char *name = g_strndup (env[i], equals - env[i]);

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
      else
        g_subprocess_launcher_unsetenv (launcher, env[i]);
    }

  if (start_fd != -1)
    {
      int child_fd = dup (start_fd);

      /* The shell reads one line from fd 3, closes it and becomes pqs-admin. */
      g_assert_cmpint (child_fd, >=, 0);
      g_subprocess_launcher_take_fd (launcher, child_fd, 3);
      g_ptr_array_add (args, (gpointer) "/bin/sh");
      g_ptr_array_add (args, (gpointer) "-c");
      g_ptr_array_add (args, (gpointer) "read -r line <&3 && exec 3<&- && exec \"$@\"");
      g_ptr_array_add (args, (gpointer) "sh");
    }

  g_ptr_array_add (args, (gpointer) admin);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (process);

  return process;
}

int
pqs_test_run_admin_env (const char * const  *env,
                        const char * const  *argv,
                        char               **out_stdout,
                        char               **out_stderr)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = pqs_test_spawn_admin (env, argv,
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

void
pqs_test_copy_file (const char *from,
                    const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

GBytes *
pqs_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

int
pqs_test_run_admin_input (const char * const  *env,
                          const char * const  *argv,
                          const char          *input,
                          char               **out_stdout,
                          char               **out_stderr)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = pqs_test_spawn_admin (env, argv,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &out, &err, &error);
  g_assert_no_error (error);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

PqsStore *
pqs_test_open_migrated_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  PqsStore *store = pqs_test_open_store (path);
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);

  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error);
  g_assert_no_error (error);
  return store;
}

void
pqs_test_use_fast_passwords (void)
{
  pqs_password_set_limits (crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
}

static gint64 test_clock_now;

static gint64
test_clock_cb (gpointer data)
{
  return test_clock_now;
}

void
pqs_test_clock_install (PqsStore *store,
                        gint64    start_us)
{
  test_clock_now = start_us;
  pqs_store_set_clock (store, test_clock_cb, NULL);
}

void
pqs_test_clock_advance (gint64 delta_us)
{
  test_clock_now += delta_us;
}

gint64
pqs_test_clock_now (void)
{
  return test_clock_now;
}

/* Added for the fault suite ------------------------------------------------ */

char *
pqs_test_fault_body (gint64 id,
                     guint  n)
{
  GString *body = g_string_new (NULL);

  g_string_append_printf (body, "Fault save %u of document %" G_GINT64_FORMAT ".\n", n, id);
  /* A few kilobytes, so that a save writes several pages. */
  for (guint line = 0; line < 40; line++)
    g_string_append_printf (body, "Line %u of save %u: check the relief valve, the gauge "
                                  "and the drain before lighting off.\n", line, n);

  return g_string_free (body, FALSE);
}

GSubprocess *
pqs_test_spawn_fault_child (const char * const *env,
                            const char * const *argv,
                            GSubprocessFlags    flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *dir = NULL;
  GSubprocess *process;

  g_assert_no_error (error);
  dir = g_path_get_dirname (self);
  g_ptr_array_add (args, g_build_filename (dir, "fault-child", NULL));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, g_strdup (argv[i]));
  g_ptr_array_add (args, NULL);

  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');

      if (equals != NULL)
        {
          g_autofree char *name = g_strndup (env[i], equals - env[i]);

          g_subprocess_launcher_setenv (launcher, name, equals + 1, TRUE);
        }
      else
        g_subprocess_launcher_unsetenv (launcher, env[i]);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
changes_cb (GListModel     *model,
            guint           position,
            guint           removed,
            guint           added,
            PqsTestChanges *changes)
{
  changes->calls++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

/* Records @model's items-changed emissions in @changes, which must outlive
 * the model's signal (or the model). */
void
pqs_test_changes_watch (GListModel     *model,
                        PqsTestChanges *changes)
{
  g_signal_connect (model, "items-changed", G_CALLBACK (changes_cb), changes);
}

/* Asserts that exactly one announcement came since the last check, this one,
 * and forgets it. */
void
pqs_test_assert_change (PqsTestChanges *changes,
                        guint           position,
                        guint           removed,
                        guint           added)
{
  g_assert_cmpuint (changes->calls, ==, 1);
  g_assert_cmpuint (changes->position, ==, position);
  g_assert_cmpuint (changes->removed, ==, removed);
  g_assert_cmpuint (changes->added, ==, added);
  memset (changes, 0, sizeof *changes);
}
