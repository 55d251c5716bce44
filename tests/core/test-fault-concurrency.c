/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pqs-audit.h"
#include "pqs-migrator.h"
#include "pqs-store.h"
#include "pqs-test-util.h"

/* Two programs on one database at once: fault-child plays the application
 * (the model's saves, a connection held open with or without a transaction)
 * while pqs-admin works on the same file.
 *
 *   /fault-concurrency/backup-while-saving
 *       Saves by the application, opened and closed again and again (one
 *       child after the other), while `pqs-admin backup create` runs again
 *       and again: every backup succeeds, is recorded and verifies, each is
 *       a consistent snapshot (its audit chain whole, holding every save
 *       reported before it started and no torn one), and every save lands.
 *   /fault-concurrency/migrate-while-open, …/migrate-while-reading
 *       `pqs-admin migrate` and `status` while the application has the file
 *       open, idle or in a read transaction: the migration goes through,
 *       the reader keeps its snapshot, then sees the new schema.
 *   /fault-concurrency/wait-for-writer
 *       `pqs-admin migrate` and `backup create` while the application holds
 *       the write lock: `status` still answers; both wait and succeed once
 *       it is released.
 *   /fault-concurrency/restore-while-open
 *       `pqs-admin backup restore` while the application has the file open:
 *       refused with a clear message, nothing changed.
 *
 * No timing is asserted: only outcomes. */

#define SEED_DOCUMENTS 1500
#define OLD_VERSION    5
#define AUTHOR         "kbrooks"
#define N_DOCS         6
#define SESSIONS          15
#define SAVES_PER_SESSION 60

typedef struct
{
  char       *dir;
  char       *xdg_env;
  const char *env[3];
  char       *seed;
  guint       latest;
} World;

static World *world;

/* Helpers --------------------------------------------------------------------- */

static void
world_free (World *self)
{
  if (self == NULL)
    return;

  pqs_test_tmpdir_free (self->dir);
  g_free (self->xdg_env);
  g_free (self->seed);
  g_free (self);
}

static int
admin (const char * const  *argv,
       char               **out_stdout,
       char               **out_stderr)
{
  return pqs_test_run_admin_env (world->env, argv, out_stdout, out_stderr);
}

static void
admin_ok (const char * const *argv,
          char              **out_stdout)
{
  g_autofree char *err = NULL;
  int status = admin (argv, out_stdout, &err);

  if (status != 0)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv);

      g_error ("pqs-admin %s: exit %d: %s", command, status, err);
    }
  g_assert_cmpstr (err, ==, "");
}

static void
ensure_world (void)
{
  g_autofree char *xdg = NULL;
  g_autofree char *count = g_strdup_printf ("%u", SEED_DOCUMENTS);
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;

  if (world != NULL)
    return;

  world = g_new0 (World, 1);
  world->dir = pqs_test_tmpdir_new ();
  xdg = g_build_filename (world->dir, "xdg-data", NULL);
  world->xdg_env = g_strconcat ("XDG_DATA_HOME=", xdg, NULL);
  world->env[0] = world->xdg_env;
  world->env[1] = "PQS_DB";
  world->seed = g_build_filename (world->dir, "seed.db", NULL);
  {
    const char *argv[] = { "--db", world->seed, "seed-demo", "--documents", count, NULL };

    admin_ok (argv, NULL);
  }

  store = pqs_test_open_store (world->seed);
  migrator = pqs_migrator_new (store);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);
  world->latest = pqs_migrator_get_latest_version (migrator);
  g_clear_object (&migrator);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static char *
fresh_copy (const char *name)
{
  char *path = g_build_filename (world->dir, name, NULL);

  pqs_test_copy_file (world->seed, path);
  return path;
}

/* A copy of the seed rolled back to OLD_VERSION. */
static char *
old_copy (const char *name)
{
  char *path = fresh_copy (name);
  g_autofree char *backups = g_build_filename (world->dir, "rollback-backups", NULL);
  g_autofree char *to = g_strdup_printf ("%u", OLD_VERSION);
  const char *argv[] = { "--db", path, "rollback", "--to", to, "--backup-dir", backups, NULL };

  admin_ok (argv, NULL);
  pqs_test_rm_rf (backups);
  return path;
}

static void
assert_audit_chain (PqsStore *store)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad = 0;

  if (!pqs_audit_verify (store, NULL, NULL, NULL, &rows, &bad, &error))
    g_error ("the audit chain is broken at row %" G_GINT64_FORMAT ": %s", bad,
             error != NULL ? error->message : "?");
  g_assert_cmpuint (rows, ==, pqs_test_query_int (pqs_store_get_handle (store),
                                                  "SELECT count(*) FROM user_activities"));
}

static PqsStore *
open_and_check (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = pqs_store_open (path, PQS_STORE_OPEN_EXISTING, &error);

  g_assert_no_error (error);
  pqs_test_assert_integrity (pqs_store_get_handle (store));
  assert_audit_chain (store);
  return g_steal_pointer (&store);
}

static void
close_store (PqsStore **store)
{
  pqs_store_close (*store);
  g_assert_finalize_object (g_steal_pointer (store));
}

static gint64
schema_version (PqsStore *store)
{
  return pqs_test_query_int (pqs_store_get_handle (store),
                             "SELECT max(version) FROM migration_history");
}

/* A line from a child's standard output, waiting for it. */
static char *
read_line (GDataInputStream *in)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  if (g_str_has_prefix (line, "error "))
    g_error ("fault-child: %s", line);
  return line;
}

/* fault-child hold DB HOW, once it says it holds the file. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  gint64            documents;
} Holder;

static void
holder_start (Holder     *holder,
              const char *path,
              const char *how)
{
  const char *argv[] = { "hold", path, how, NULL };
  g_autofree char *line = NULL;

  holder->process = pqs_test_spawn_fault_child (world->env, argv,
                                                G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  holder->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (holder->process));
  line = read_line (holder->out);
  g_assert_true (g_str_has_prefix (line, "holding "));
  holder->documents = g_ascii_strtoll (line + strlen ("holding "), NULL, 10);
  g_assert_cmpint (holder->documents, >, 0);
}

/* Lets it go; returns the schema version it then reads. */
static gint64
holder_release (Holder *holder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;
  GOutputStream *in = g_subprocess_get_stdin_pipe (holder->process);
  gint64 version;

  g_output_stream_write_all (in, "go\n", 3, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);

  line = read_line (holder->out);
  words = g_strsplit (line, " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 4);
  g_assert_cmpstr (words[0], ==, "released");
  /* What it read in its transaction, and after it. */
  g_assert_cmpint (g_ascii_strtoll (words[1], NULL, 10), ==, holder->documents);
  g_assert_cmpint (g_ascii_strtoll (words[2], NULL, 10), ==, holder->documents);
  version = g_ascii_strtoll (words[3], NULL, 10);

  g_subprocess_wait_check (holder->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&holder->out);
  g_clear_object (&holder->process);

  return version;
}

/* /fault-concurrency/backup-while-saving ---------------------------------------- */

typedef struct
{
  char     *path;
  gboolean  compressed;
  gint64    saved_before;   /* saves reported before the backup started */
  gint64    saved_after;    /* … and once it had finished */
} Backup;

static void
backup_free (Backup *backup)
{
  g_free (backup->path);
  g_free (backup);
}

typedef struct
{
  gint64 ids[N_DOCS];
  gint64 changes;
  gint64 updates;               /* audit rows of saves */
  char  *original[N_DOCS];
} Prepared;

static void
prepare (const char *path,
         Prepared   *prepared)
{
  g_autofree char *count = g_strdup_printf ("%u", N_DOCS);
  const char *argv[] = { "prepare", path, AUTHOR, count, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = NULL;

  process = pqs_test_spawn_fault_child (world->env, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("fault-child prepare: %s", out);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < N_DOCS; i++)
    {
      g_autofree char *sql = NULL;

      g_assert_true (g_str_has_prefix (lines[i], "doc "));
      prepared->ids[i] = g_ascii_strtoll (lines[i] + 4, NULL, 10);
      sql = g_strdup_printf ("SELECT content FROM documents WHERE id = %" G_GINT64_FORMAT,
                             prepared->ids[i]);
      prepared->original[i] = pqs_test_query_text (db, sql);
    }
  prepared->changes = pqs_test_query_int (db, "SELECT count(*) FROM document_changes");
  prepared->updates = pqs_test_query_int (db, "SELECT count(*) FROM user_activities "
                                              "WHERE activity_type = 'document.update'");
  sqlite3_close (db);
}

static void
prepared_clear (Prepared *prepared)
{
  for (guint i = 0; i < N_DOCS; i++)
    g_free (prepared->original[i]);
}

/* The first @committed saves of fault-child's schedule, and only they, are
 * in @path: one change row and one audit row each, and each document holds
 * the body of its last one. Returns @committed as found. */
static gint64
check_saves (const Prepared *prepared,
             PqsStore       *store)
{
  sqlite3 *db = pqs_store_get_handle (store);
  gint64 committed = pqs_test_query_int (db, "SELECT count(*) FROM document_changes") -
                     prepared->changes;

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM user_activities "
                                           "WHERE activity_type = 'document.update'") -
                   prepared->updates, ==, committed);

  for (guint i = 0; i < N_DOCS; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT content FROM documents WHERE id = %"
                                              G_GINT64_FORMAT, prepared->ids[i]);
      g_autofree char *content = pqs_test_query_text (db, sql);
      g_autofree char *expected = NULL;
      gint64 last = 0;

      for (gint64 n = 1; n <= committed; n++)
        if (n % N_DOCS == i)
          last = n;
      expected = last > 0 ? pqs_test_fault_body (prepared->ids[i], last)
                          : g_strdup (prepared->original[i]);
      g_assert_cmpstr (content, ==, expected);
    }

  return committed;
}

/* The application, opened and closed again and again: SESSIONS children in
 * turn, each saving SAVES_PER_SESSION times, continuing one numbering. */
typedef struct
{
  const char     *live;
  const Prepared *prepared;
  gint            last_saved;   /* atomic: the last save reported */
  gint            done;         /* atomic */
} Sessions;

static gpointer
sessions_thread (gpointer data)
{
  Sessions *sessions = data;

  for (guint s = 0; s < SESSIONS; s++)
    {
      g_autofree char *first = g_strdup_printf ("PQS_FAULT_FIRST=%u", s * SAVES_PER_SESSION + 1);
      const char *env[] = { world->xdg_env, "PQS_DB", first, NULL };
      g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GError) error = NULL;
      gboolean done = FALSE;
      char *line;

      g_ptr_array_add (argv, g_strdup ("saves"));
      g_ptr_array_add (argv, g_strdup (sessions->live));
      g_ptr_array_add (argv, g_strdup (AUTHOR));
      g_ptr_array_add (argv, g_strdup_printf ("%u", SAVES_PER_SESSION));
      for (guint i = 0; i < N_DOCS; i++)
        g_ptr_array_add (argv, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                sessions->prepared->ids[i]));
      g_ptr_array_add (argv, NULL);

      child = pqs_test_spawn_fault_child (env, (const char * const *) argv->pdata,
                                          G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
        {
          g_auto(GStrv) words = g_strsplit (line, " ", -1);

          if (g_str_equal (line, "done"))
            done = TRUE;
          else if (g_str_equal (words[0], "saved"))
            {
              gint n = (gint) g_ascii_strtoll (words[2], NULL, 10);

              g_assert_cmpint (n, ==, g_atomic_int_get (&sessions->last_saved) + 1);
              g_atomic_int_set (&sessions->last_saved, n);
            }
          else
            g_error ("the saving child failed: %s", line);
          g_free (line);
        }
      g_assert_no_error (error);
      g_subprocess_wait_check (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (done);
    }

  g_atomic_int_set (&sessions->done, TRUE);
  return NULL;
}

static void
test_backup_while_saving (void)
{
  g_autofree char *live = NULL;
  g_autofree char *backups = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) backup_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;
  Prepared prepared = { 0, };
  Sessions sessions = { NULL, };
  GThread *thread;
  guint plain = 0;

  ensure_world ();
  live = fresh_copy ("saving.db");
  backups = g_build_filename (world->dir, "saving-backups", NULL);
  prepare (live, &prepared);

  sessions.live = live;
  sessions.prepared = &prepared;
  thread = g_thread_new ("sessions", sessions_thread, &sessions);

  /* Backups for as long as the saves go on (at least one). */
  do
    {
      gboolean compressed = made->len % 3 == 2;
      const char *create[] = { "--db", live, "--json", "backup", "create", "--backup-dir",
                               backups, compressed ? "--compress" : NULL, NULL };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *out = NULL;
      Backup *backup = g_new0 (Backup, 1);

      backup->saved_before = g_atomic_int_get (&sessions.last_saved);
      admin_ok (create, &out);
      backup->saved_after = g_atomic_int_get (&sessions.last_saved);
      backup->compressed = compressed;

      g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
      g_assert_no_error (error);
      backup->path = g_strdup (json_object_get_string_member (
                                 json_node_get_object (json_parser_get_root (parser)), "path"));
      g_ptr_array_add (made, backup);
    }
  while (!g_atomic_int_get (&sessions.done));
  g_thread_join (thread);
  g_assert_cmpint (sessions.last_saved, ==, SESSIONS * SAVES_PER_SESSION);

  /* Every save landed, and every backup is in the history. */
  store = open_and_check (live);
  g_assert_cmpint (check_saves (&prepared, store), ==, SESSIONS * SAVES_PER_SESSION);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                       "SELECT count(*) FROM backup_history WHERE "
                                       "backup_status = 'completed'"), ==, made->len);
  close_store (&store);

  /* Every backup verifies and is one moment of the database. */
  for (guint i = 0; i < made->len; i++)
    {
      Backup *backup = g_ptr_array_index (made, i);
      const char *verify[] = { "backup", "verify", backup->path, NULL };
      g_autofree char *copy = NULL;
      g_autoptr(PqsStore) snapshot = NULL;
      gint64 committed;

      admin_ok (verify, NULL);
      if (backup->compressed)
        continue;

      /* Opened as a copy: opening it would change its bytes. */
      copy = g_strdup_printf ("%s/snapshot-%u.db", world->dir, i);
      pqs_test_copy_file (backup->path, copy);
      snapshot = open_and_check (copy);
      committed = check_saves (&prepared, snapshot);
      g_assert_cmpint (committed, >=, backup->saved_before);
      g_assert_cmpint (committed, <=, backup->saved_after + 1);
      close_store (&snapshot);
      g_unlink (copy);
      plain++;
    }

  g_test_message ("%u backups (%u plain ones checked row by row) during %u saves by %u "
                  "sessions", made->len, plain, SESSIONS * SAVES_PER_SESSION, SESSIONS);
  prepared_clear (&prepared);
}

/* /fault-concurrency/migrate-while-open and …/migrate-while-reading ------------------ */

static void
test_migrate_while_held (gconstpointer data)
{
  const char *how = data;
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  Holder holder = { NULL, };

  ensure_world ();
  path = old_copy (g_str_equal (how, "read") ? "reading.db" : "open.db");
  backups = g_build_filename (world->dir, "held-backups", NULL);

  holder_start (&holder, path, how);

  {
    const char *status[] = { "--db", path, "status", NULL };
    const char *migrate[] = { "--db", path, "migrate", "--backup-dir", backups, NULL };
    const char *validate[] = { "--db", path, "validate", NULL };

    expected = g_strdup_printf ("Schema version %03u of %03u", OLD_VERSION, world->latest);
    admin_ok (status, &out);
    g_assert_nonnull (strstr (out, expected));
    g_clear_pointer (&out, g_free);

    admin_ok (migrate, NULL);

    g_free (expected);
    expected = g_strdup_printf ("Schema version %03u of %03u", world->latest, world->latest);
    admin_ok (status, &out);
    g_assert_nonnull (strstr (out, expected));
    admin_ok (validate, NULL);
  }

  /* The reader kept its snapshot, then reads the new schema. */
  g_assert_cmpint (holder_release (&holder), ==, world->latest);

  store = open_and_check (path);
  g_assert_cmpint (schema_version (store), ==, world->latest);
  migrator = pqs_migrator_new (store);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_true (pqs_migrator_validate (migrator, &error));
  g_assert_no_error (error);
  g_clear_object (&migrator);
  close_store (&store);
  pqs_test_rm_rf (backups);
}

/* /fault-concurrency/wait-for-writer ---------------------------------------------------- */

static void
test_wait_for_writer (void)
{
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GSubprocess) migrate = NULL;
  g_autoptr(GSubprocess) backup = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Holder holder = { NULL, };

  ensure_world ();
  path = old_copy ("writer.db");
  backups = g_build_filename (world->dir, "writer-backups", NULL);

  holder_start (&holder, path, "write");

  {
    const char *migrate_argv[] = { "--db", path, "migrate", "--backup-dir", backups, NULL };
    const char *backup_argv[] = { "--db", path, "backup", "create", "--backup-dir", backups,
                                  NULL };
    const char *status[] = { "--db", path, "status", NULL };

    migrate = pqs_test_spawn_admin (world->env, migrate_argv,
                                    G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                    G_SUBPROCESS_FLAGS_STDERR_PIPE);
    backup = pqs_test_spawn_admin (world->env, backup_argv,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE);

    /* Readers are not held up by the writer, and nothing could be applied. */
    expected = g_strdup_printf ("Schema version %03u of %03u", OLD_VERSION, world->latest);
    admin_ok (status, &out);
    g_assert_nonnull (strstr (out, expected));
  }

  /* Give both time to reach the lock (not asserted), then let go. */
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (holder_release (&holder), ==, OLD_VERSION);

  g_subprocess_communicate_utf8 (migrate, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (migrate) || g_subprocess_get_exit_status (migrate) != 0)
    g_error ("pqs-admin migrate failed: %s", err);
  g_clear_pointer (&err, g_free);
  g_subprocess_communicate_utf8 (backup, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (backup) || g_subprocess_get_exit_status (backup) != 0)
    g_error ("pqs-admin backup create failed: %s", err);

  store = open_and_check (path);
  g_assert_cmpint (schema_version (store), ==, world->latest);
  close_store (&store);

  /* The backup and the migration's safety copy both verify. */
  {
    g_autoptr(GDir) folder = g_dir_open (backups, 0, &error);
    const char *name;
    guint count = 0;

    g_assert_no_error (error);
    while ((name = g_dir_read_name (folder)) != NULL)
      {
        g_autofree char *file = g_build_filename (backups, name, NULL);
        const char *verify[] = { "backup", "verify", file, NULL };

        if (g_str_has_suffix (name, ".manifest.json"))
          continue;
        g_assert_true (g_str_has_suffix (name, ".db"));
        admin_ok (verify, NULL);
        count++;
      }
    g_assert_cmpuint (count, ==, 2);
  }
  pqs_test_rm_rf (backups);
}

/* /fault-concurrency/restore-while-open ------------------------------------------------ */

static void
test_restore_while_open (void)
{
  g_autofree char *path = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *source = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *err = NULL;
  g_autoptr(PqsStore) store = NULL;
  Holder holder = { NULL, };

  ensure_world ();
  path = fresh_copy ("restore.db");
  backups = g_build_filename (world->dir, "restore-backups", NULL);
  source = g_build_filename (world->dir, "restore-source.db", NULL);
  {
    const char *create[] = { "--db", path, "backup", "create", "--backup-dir", backups,
                             "--output", source, NULL };

    admin_ok (create, NULL);
  }

  store = open_and_check (path);
  before = pqs_test_schema_dump (pqs_store_get_handle (store));
  close_store (&store);

  holder_start (&holder, path, "open");
  {
    const char *restore[] = { "--db", path, "backup", "restore", source, "--backup-dir",
                              backups, NULL };

    g_assert_cmpint (admin (restore, NULL, &err), ==, 1);
    g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
    g_assert_nonnull (strstr (err, "open in another program"));
    g_assert_true (g_str_has_suffix (err, ".\n"));
    g_assert_cmpuint (strchr (err, '\n') - err, ==, strlen (err) - 1);
  }
  g_assert_cmpint (holder_release (&holder), ==, world->latest);

  store = open_and_check (path);
  after = pqs_test_schema_dump (pqs_store_get_handle (store));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (store),
                                       "SELECT count(*) FROM user_activities "
                                       "WHERE activity_type = 'backup.restore'"), ==, 0);
  close_store (&store);
  pqs_test_rm_rf (backups);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fault-concurrency/backup-while-saving", test_backup_while_saving);
  g_test_add_data_func ("/fault-concurrency/migrate-while-open", "open",
                        test_migrate_while_held);
  g_test_add_data_func ("/fault-concurrency/migrate-while-reading", "read",
                        test_migrate_while_held);
  g_test_add_func ("/fault-concurrency/wait-for-writer", test_wait_for_writer);
  g_test_add_func ("/fault-concurrency/restore-while-open", test_restore_while_open);

  status = g_test_run ();
  g_clear_pointer (&world, world_free);

  return status;
}
