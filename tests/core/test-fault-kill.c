/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "pqs-audit.h"
#include "pqs-backup-service.h"
#include "pqs-migrator.h"
#include "pqs-store.h"
#include "pqs-test-util.h"

/* Crash injection: a real operation runs in a child process, which is
 * SIGKILLed after a random delay; then this process opens what was left the
 * way the application would and checks it:
 *
 *   /fault-kill/migrate   `pqs-admin migrate` of a seed-demo database
 *                         rolled back to schema 005
 *   /fault-kill/backup    `pqs-admin backup create`: plain, compressed,
 *                         compressed and encrypted, to a chosen file
 *   /fault-kill/restore   `pqs-admin backup restore` of an older backup
 *                         (migrated forward on the way in)
 *   /fault-kill/saves     a burst of document saves (fault-child saves)
 *   /fault-kill/workflow  a burst of submit / approve / revise steps
 *                         (fault-child workflow)
 *
 * After every kill: integrity_check (and foreign_key_check) ok, the audit
 * chain verifies, the schema is exactly that of the version the history
 * names, every file with a backup's final name verifies, and everything the
 * child reported as committed is there. Each test first runs its operation
 * to the end to measure it, then kills at random points up to a little
 * after that duration, for as long as its time budget allows (at least
 * MIN_RUNS times). PQS_FAULT_BUDGET (seconds) changes the budget; the
 * random seed (g_test's --seed) replays a run. */

#define SEED_DOCUMENTS   1500
#define OLD_VERSION      5
#define MIN_RUNS         12
#define MAX_RUNS         400
#define PASSPHRASE       "correct horse battery staple"
#define AUTHOR           "kbrooks"      /* a "user" of seed-demo */
#define REVIEWER         "evasquez"     /* a "supervisor" of seed-demo */
#define N_MODEL_DOCS     6
#define SAVE_COUNT       150
#define STEP_COUNT       150

typedef struct
{
  char       *dir;
  char       *xdg_env;
  const char *env[3];           /* of the children: XDG_DATA_HOME set, PQS_DB unset */
  char       *seed;             /* seed-demo database at the newest schema */
  guint       latest;
} World;

static World *world;

typedef struct
{
  const char *name;
  guint       runs;
  guint       signaled;         /* the kill landed (else the child had finished) */
  guint       partials;         /* unfinished backup files left behind */
  guint       finished;         /* files with a backup's final name, all verified */
  guint       outcome[4];       /* test-specific */
  gint64      deadline;
} Tally;

/* Helpers ------------------------------------------------------------------- */

static gint64
budget_usec (gint64 seconds)
{
  const char *env = g_getenv ("PQS_FAULT_BUDGET");

  if (env != NULL && *env != '\0')
    seconds = (gint64) g_ascii_strtoull (env, NULL, 10);
  else if (g_test_thorough ())
    seconds *= 5;

  return seconds * G_USEC_PER_SEC;
}

static void
tally_start (Tally      *tally,
             const char *name,
             gint64      seconds)
{
  memset (tally, 0, sizeof *tally);
  tally->name = name;
  tally->deadline = g_get_monotonic_time () + budget_usec (seconds);
}

static gboolean
tally_more (Tally *tally)
{
  return tally->runs < MIN_RUNS ||
         (tally->runs < MAX_RUNS && g_get_monotonic_time () < tally->deadline);
}

/* A delay from 0 to 115% of @usec: a quarter of them in its first tenth
 * (start-up, opening, the first copy) and a quarter in its last sixth and
 * a little after (naming the files, the history, the swap), where much
 * happens in little time; the rest anywhere. */
static gint64
random_delay (gint64 usec)
{
  gint64 from = 0;
  gint64 to = usec * 23 / 20;

  switch (g_test_rand_int_range (0, 4))
    {
    case 0:
      to = usec / 10;
      break;
    case 1:
      from = usec * 5 / 6;
      break;
    default:
      break;
    }

  return from + g_test_rand_int_range (0, (gint32) MAX (to - from, 1) + 1);
}

static char *
run_dir (const char *what,
         guint       run)
{
  g_autofree char *dir = g_strdup_printf ("%s/%s-%03u", world->dir, what, run);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_steal_pointer (&dir);
}

/* Copies a database that no process has open: its log must have been
 * folded into it. */
static void
copy_db (const char *from,
         const char *to)
{
  g_autofree char *wal = g_strconcat (from, "-wal", NULL);
  GStatBuf st;

  /* A read-only connection leaves an empty one behind. */
  g_assert_true (g_stat (wal, &st) != 0 || st.st_size == 0);
  pqs_test_copy_file (from, to);
}

static void
admin_ok (const char * const *argv)
{
  g_autofree char *err = NULL;
  int status = pqs_test_run_admin_env (world->env, argv, NULL, &err);

  if (status != 0)
    g_error ("pqs-admin %s: exit %d: %s", argv[2], status, err);
}

/* Sends SIGKILL after @delay_usec and reaps the process. Returns whether
 * the signal landed; a process that finished first must have succeeded. */
static gboolean
kill_after (GSubprocess  *process,
            gint64        delay_usec,
            char        **out_stdout)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (delay_usec > 0)
    g_usleep (delay_usec);
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout != NULL ? &out : NULL, &err,
                                 &error);
  g_assert_no_error (error);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);

  if (g_subprocess_get_if_signaled (process))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
      return TRUE;
    }

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("the child finished before the kill, and failed: %s", err);
  return FALSE;
}

/* Runs @argv (pqs-admin's arguments) to the end; returns its duration. */
static gint64
timed_admin (const char * const *argv,
             const char         *input)
{
  gint64 started = g_get_monotonic_time ();
  g_autofree char *err = NULL;
  int status = pqs_test_run_admin_input (world->env, argv, input, NULL, &err);

  if (status != 0)
    g_error ("pqs-admin %s: exit %d: %s", argv[2], status, err);
  return g_get_monotonic_time () - started;
}

/* A SHA-256 of every row @sql returns, column by column. */
static char *
digest_rows (sqlite3    *db,
             const char *sql)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        const guchar *text = sqlite3_column_text (stmt, i);

        g_checksum_update (checksum, text != NULL ? text : (const guchar *) "\x01", -1);
        g_checksum_update (checksum, (const guchar *) "\x02", 1);
      }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return g_strdup (g_checksum_get_string (checksum));
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
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, pqs_test_query_int (pqs_store_get_handle (store),
                                                  "SELECT count(*) FROM user_activities"));
}

/* Opens @path as the application does (which recovers its log), checks its
 * integrity and its audit chain. */
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

static gboolean
is_encrypted_file (const char *path)
{
  guint8 start[PQS_BACKUP_HEADER_SIZE];
  PqsBackupHeader header;
  FILE *file = fopen (path, "rb");
  gsize len;

  g_assert_nonnull (file);
  len = fread (start, 1, sizeof start, file);
  fclose (file);

  return pqs_backup_format_read_header (start, len, &header, NULL) &&
         (header.flags & PQS_BACKUP_FLAG_ENCRYPTED) != 0;
}

/* Every file in @dir is unfinished (*.partial, and SQLite's side files of
 * one), a manifest beside its backup, or a backup that verifies: with
 * `pqs-admin backup verify` when @with_admin, else in this process (the
 * same code, without a process to start). Files named in @allowed are
 * skipped. */
static void
check_backup_folder (const char          *dir,
                     gboolean             with_admin,
                     const char * const  *allowed,
                     Tally               *tally)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PqsBackupService) service = NULL;
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = NULL;

      name = g_ptr_array_index (names, i);
      path = g_build_filename (dir, name, NULL);

      if (allowed != NULL && g_strv_contains (allowed, name))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      if (g_str_has_suffix (name, ".partial"))
        {
          tally->partials++;
          continue;
        }
      if (strstr (name, ".partial-") != NULL)
        continue;

      if (g_str_has_suffix (name, ".manifest.json"))
        {
          g_autofree char *file = g_strndup (path, strlen (path) - strlen (".manifest.json"));

          if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
            g_error ("manifest %s without its backup", path);
          continue;
        }

      if (!g_str_has_suffix (name, ".db") && !g_str_has_suffix (name, ".pqsbak"))
        g_error ("unexpected file %s", path);

      tally->finished++;
      if (with_admin)
        {
          const char *argv[] = { "backup", "verify", path, NULL };
          g_autofree char *err = NULL;
          int status;

          status = pqs_test_run_admin_input (world->env, argv,
                                             is_encrypted_file (path) ? PASSPHRASE "\n" : NULL,
                                             NULL, &err);
          if (status != 0)
            g_error ("%s has a backup's final name but does not verify: %s", path, err);
        }
      else
        {
          g_autoptr(PqsBackupInfo) info = NULL;
          g_autoptr(GError) error = NULL;

          if (service == NULL)
            service = pqs_backup_service_new (NULL, dir);
          info = pqs_backup_service_verify (service, path,
                                            is_encrypted_file (path) ? PASSPHRASE : NULL,
                                            NULL, &error);
          if (info == NULL)
            g_error ("%s has a backup's final name but does not verify: %s", path,
                     error->message);
        }
    }
}

static void
report (const Tally *tally,
        const char  *outcomes)
{
  g_test_message ("%s: %u runs, %u killed (the others had finished); %u unfinished backup "
                  "files left, %u finished ones verified; %s %u / %u / %u / %u",
                  tally->name, tally->runs, tally->signaled, tally->partials, tally->finished,
                  outcomes, tally->outcome[0], tally->outcome[1], tally->outcome[2],
                  tally->outcome[3]);
}

/* The world -------------------------------------------------------------------- */

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

/* A seed-demo database at the newest schema, made once per process. */
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
  world->env[2] = NULL;

  world->seed = g_build_filename (world->dir, "seed.db", NULL);
  {
    const char *argv[] = { "--db", world->seed, "seed-demo", "--documents", count, NULL };

    admin_ok (argv);
  }

  store = pqs_test_open_store (world->seed);
  migrator = pqs_migrator_new (store);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);
  world->latest = pqs_migrator_get_latest_version (migrator);
  g_assert_cmpuint (world->latest, >, OLD_VERSION);
  g_clear_object (&migrator);
  close_store (&store);
}

/* @path rolled back to OLD_VERSION (a copy of the seed). */
static void
make_old (const char *path)
{
  g_autofree char *backups = g_build_filename (world->dir, "rollback-backups", NULL);
  g_autofree char *to = g_strdup_printf ("%u", OLD_VERSION);
  const char *argv[] = { "--db", path, "rollback", "--to", to, "--backup-dir", backups, NULL };

  copy_db (world->seed, path);
  admin_ok (argv);
  pqs_test_rm_rf (backups);
}

/* /fault-kill/migrate ---------------------------------------------------------- */

#define DOCUMENT_ROWS "SELECT id, title, content, status, version FROM documents ORDER BY id"

typedef struct
{
  char      *old;               /* at OLD_VERSION */
  GPtrArray *schemas;           /* [v]: the schema at v, from OLD_VERSION on */
  GPtrArray *documents;         /* [v]: the documents' digest at v */
} MigrateWorld;

static void
migrate_world_build (MigrateWorld *mw)
{
  g_autofree char *reference = g_build_filename (world->dir, "reference.db", NULL);
  g_autofree char *backups = g_build_filename (world->dir, "reference-backups", NULL);
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  mw->old = g_build_filename (world->dir, "old.db", NULL);
  make_old (mw->old);

  /* The schema at every version, reached one step at a time from the same file. */
  copy_db (mw->old, reference);
  store = pqs_test_open_store (reference);
  db = pqs_store_get_handle (store);
  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);

  mw->schemas = g_ptr_array_new_with_free_func (g_free);
  mw->documents = g_ptr_array_new_with_free_func (g_free);
  for (guint v = 0; v <= world->latest; v++)
    {
      if (v >= OLD_VERSION)
        {
          if (v > OLD_VERSION)
            {
              g_assert_true (pqs_migrator_migrate (migrator, v, NULL, &error));
              g_assert_no_error (error);
            }
          g_assert_cmpint (pqs_test_query_int (db, "SELECT max(version) FROM migration_history"),
                           ==, v);
          g_ptr_array_add (mw->schemas, pqs_test_schema_dump (db));
          g_ptr_array_add (mw->documents, digest_rows (db, DOCUMENT_ROWS));
        }
      else
        {
          g_ptr_array_add (mw->schemas, NULL);
          g_ptr_array_add (mw->documents, NULL);
        }
    }

  g_clear_object (&migrator);
  close_store (&store);
  pqs_test_rm_rf (backups);
  g_unlink (reference);
}

static void
migrate_world_clear (MigrateWorld *mw)
{
  g_free (mw->old);
  g_clear_pointer (&mw->schemas, g_ptr_array_unref);
  g_clear_pointer (&mw->documents, g_ptr_array_unref);
}

/* The file a killed migrate left: a clean version (its schema exactly the
 * one its history names), its rows and audit chain whole; with @recover,
 * the next start completes it. */
static void
check_migrated (MigrateWorld *mw,
                const char   *work,
                const char   *recovery,
                gboolean      recover,
                Tally        *tally)
{
  g_autoptr(PqsStore) store = open_and_check (work);
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *documents = NULL;
  sqlite3 *db = pqs_store_get_handle (store);
  gint64 version;
  guint applied = 0;

  version = pqs_test_query_int (db, "SELECT max(version) FROM migration_history");
  g_assert_cmpint (version, >=, OLD_VERSION);
  g_assert_cmpint (version, <=, world->latest);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(DISTINCT version) "
                                           "FROM migration_history"), ==, version);
  schema = pqs_test_schema_dump (db);
  g_assert_cmpstr (schema, ==, g_ptr_array_index (mw->schemas, version));
  documents = digest_rows (db, DOCUMENT_ROWS);
  g_assert_cmpstr (documents, ==, g_ptr_array_index (mw->documents, version));

  if (version == OLD_VERSION)
    tally->outcome[0]++;
  else if (version < (gint64) world->latest)
    tally->outcome[1]++;
  else
    tally->outcome[2]++;

  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, recovery);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pqs_migrator_validate (migrator, &error));
  g_assert_no_error (error);

  if (recover)
    {
      g_autofree char *final_schema = NULL;

      g_assert_true (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &applied, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (applied, ==, world->latest - version);
      final_schema = pqs_test_schema_dump (db);
      g_assert_cmpstr (final_schema, ==, g_ptr_array_index (mw->schemas, world->latest));
      pqs_test_assert_integrity (db);
      assert_audit_chain (store);
      tally->outcome[3]++;
    }

  g_clear_object (&migrator);
  close_store (&store);
}

static void
test_migrate (void)
{
  MigrateWorld mw = { 0, };
  Tally tally;
  gint64 usec = 0;

  ensure_world ();
  migrate_world_build (&mw);

  /* A run to the end, twice: the longer one sets the window. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *dir = run_dir ("migrate-measure", i);
      g_autofree char *work = g_build_filename (dir, "work.db", NULL);
      g_autofree char *backups = g_build_filename (dir, "backups", NULL);
      const char *argv[] = { "--db", work, "migrate", "--backup-dir", backups, NULL };

      gint64 took;

      copy_db (mw.old, work);
      took = timed_admin (argv, NULL);
      usec = usec == 0 ? took : MIN (usec, took);
      pqs_test_rm_rf (dir);
    }
  g_test_message ("a migrate from %03u to %03u of %u documents takes %.0f ms", OLD_VERSION,
                  world->latest, SEED_DOCUMENTS, usec / 1000.0);

  tally_start (&tally, "migrate", 35);
  while (tally_more (&tally))
    {
      g_autofree char *dir = run_dir ("migrate", tally.runs);
      g_autofree char *work = g_build_filename (dir, "work.db", NULL);
      g_autofree char *backups = g_build_filename (dir, "backups", NULL);
      g_autofree char *recovery = g_build_filename (dir, "recovery", NULL);
      const char *argv[] = { "--db", work, "migrate", "--backup-dir", backups, NULL };
      g_autoptr(GSubprocess) process = NULL;

      copy_db (mw.old, work);
      process = pqs_test_spawn_admin (world->env, argv,
                                      G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
      if (kill_after (process, random_delay (usec), NULL))
        tally.signaled++;

      /* The safety copies first: opening the file below takes none. */
      check_backup_folder (backups, FALSE, NULL, &tally);
      check_migrated (&mw, work, recovery, tally.runs % 3 == 0, &tally);

      pqs_test_rm_rf (dir);
      tally.runs++;
    }

  report (&tally, "at the old version / in between / at the newest / recovered:");
  migrate_world_clear (&mw);
}

/* /fault-kill/backup ------------------------------------------------------------- */

typedef enum
{
  BACKUP_PLAIN,
  BACKUP_COMPRESSED,
  BACKUP_OUTPUT,                /* plain, to a chosen file */
  BACKUP_ENCRYPTED,             /* compressed and encrypted */
  N_BACKUP_MODES
} BackupMode;

static const char *backup_mode_names[] = { "plain", "compressed", "to a file", "encrypted" };

static GPtrArray *
backup_argv (const char *live,
             const char *dir,
             BackupMode  mode)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (live));
  g_ptr_array_add (argv, g_strdup ("backup"));
  g_ptr_array_add (argv, g_strdup ("create"));
  g_ptr_array_add (argv, g_strdup ("--backup-dir"));
  g_ptr_array_add (argv, g_build_filename (dir, "backups", NULL));
  if (mode == BACKUP_COMPRESSED || mode == BACKUP_ENCRYPTED)
    g_ptr_array_add (argv, g_strdup ("--compress"));
  if (mode == BACKUP_ENCRYPTED)
    g_ptr_array_add (argv, g_strdup ("--encrypt"));
  if (mode == BACKUP_OUTPUT)
    {
      g_ptr_array_add (argv, g_strdup ("--output"));
      g_ptr_array_add (argv, g_build_filename (dir, "chosen", "backup.db", NULL));
    }
  g_ptr_array_add (argv, NULL);

  return argv;
}

/* The live database after a killed backup: sound; the history row the
 * backup left 'running' is marked failed by the next service; every
 * 'completed' row of this run names a file that is there. */
static void
check_live_after_backup (const char *live,
                         const char *dir)
{
  g_autoptr(PqsStore) store = open_and_check (live);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(PqsBackupService) service = pqs_backup_service_new (store, backups);
  g_autofree char *like = g_strconcat (dir, "/%", NULL);
  sqlite3 *db = pqs_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM backup_history "
                                           "WHERE backup_status = 'running'"), ==, 0);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT backup_path FROM backup_history "
                                           "WHERE backup_status = 'completed' "
                                           "AND backup_path LIKE ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_assert_true (g_file_test ((const char *) sqlite3_column_text (stmt, 0),
                                G_FILE_TEST_IS_REGULAR));
  sqlite3_finalize (stmt);

  g_clear_object (&service);
  close_store (&store);
}

static void
test_backup (void)
{
  g_autofree char *live = NULL;
  gint64 usec[N_BACKUP_MODES] = { 0, };
  Tally tally;

  ensure_world ();
  live = g_build_filename (world->dir, "live.db", NULL);
  copy_db (world->seed, live);

  for (guint mode = 0; mode < N_BACKUP_MODES; mode++)
    {
      g_autofree char *dir = run_dir ("backup-measure", mode);
      g_autoptr(GPtrArray) argv = backup_argv (live, dir, mode);

      usec[mode] = timed_admin ((const char * const *) argv->pdata,
                                mode == BACKUP_ENCRYPTED ? PASSPHRASE "\n" : NULL);
      g_test_message ("a %s backup of %u documents takes %.0f ms", backup_mode_names[mode],
                      SEED_DOCUMENTS, usec[mode] / 1000.0);
      pqs_test_rm_rf (dir);
    }

  tally_start (&tally, "backup create", 35);
  while (tally_more (&tally))
    {
      /* An encrypted backup spends most of its time deriving the key: fewer of them. */
      static const BackupMode modes[] = { BACKUP_PLAIN, BACKUP_COMPRESSED, BACKUP_OUTPUT,
                                          BACKUP_PLAIN, BACKUP_COMPRESSED, BACKUP_ENCRYPTED };
      BackupMode mode = modes[tally.runs % G_N_ELEMENTS (modes)];
      g_autofree char *dir = run_dir ("backup", tally.runs);
      g_autofree char *backups = g_build_filename (dir, "backups", NULL);
      g_autofree char *chosen = g_build_filename (dir, "chosen", NULL);
      g_autoptr(GPtrArray) argv = backup_argv (live, dir, mode);
      g_autoptr(GSubprocess) process = NULL;
      guint finished_before = tally.finished;
      gint64 delay;

      if (mode == BACKUP_OUTPUT)
        g_assert_cmpint (g_mkdir_with_parents (chosen, 0700), ==, 0);

      process = pqs_test_spawn_admin (world->env, (const char * const *) argv->pdata,
                                      G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                      G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
      if (mode == BACKUP_ENCRYPTED)
        {
          GOutputStream *in = g_subprocess_get_stdin_pipe (process);

          /* Left open: g_subprocess_communicate() closes it. */
          g_output_stream_write_all (in, PASSPHRASE "\n", strlen (PASSPHRASE "\n"), NULL, NULL,
                                     NULL);
          /* Key derivation first: most kills land after it. */
          delay = usec[mode] / 2 + random_delay (usec[mode] / 2);
        }
      else
        delay = random_delay (usec[mode]);

      if (kill_after (process, delay, NULL))
        tally.signaled++;

      check_backup_folder (backups, TRUE, NULL, &tally);
      if (mode == BACKUP_OUTPUT)
        check_backup_folder (chosen, TRUE, NULL, &tally);
      check_live_after_backup (live, dir);

      tally.outcome[tally.finished > finished_before ? 1 : 0]++;
      pqs_test_rm_rf (dir);
      tally.runs++;
    }

  report (&tally, "runs that left no backup / a finished one:");
}

/* /fault-kill/restore ------------------------------------------------------------ */

#define TITLE_ROWS "SELECT id, title FROM documents ORDER BY id"

static void
test_restore (void)
{
  g_autofree char *old = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *packed = NULL;
  g_autofree char *before = NULL;       /* the titles of the live database */
  g_autofree char *after = NULL;        /* the titles once the backup is restored */
  gint64 usec = 0;
  Tally tally;

  ensure_world ();
  old = g_build_filename (world->dir, "old.db", NULL);
  backup_dir = g_build_filename (world->dir, "restore-sources", NULL);
  plain = g_build_filename (backup_dir, "old.db", NULL);
  packed = g_build_filename (backup_dir, "old.pqsbak", NULL);

  /* Backups of an older schema with other titles: a restore migrates them
   * forward, and which database the live file holds shows in its titles. */
  make_old (old);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (old, &db), ==, SQLITE_OK);
    pqs_test_exec (db, "UPDATE documents SET title = title || ' (from the backup)' "
                       "WHERE id % 5 = 0");
    sqlite3_close (db);
  }
  {
    const char *argv1[] = { "--db", old, "backup", "create", "--backup-dir", backup_dir,
                            "--output", plain, NULL };
    const char *argv2[] = { "--db", old, "backup", "create", "--backup-dir", backup_dir,
                            "--output", packed, "--compress", NULL };

    admin_ok (argv1);
    admin_ok (argv2);
  }
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open_v2 (world->seed, &db, SQLITE_OPEN_READONLY, NULL), ==,
                     SQLITE_OK);
    before = digest_rows (db, TITLE_ROWS);
    sqlite3_close (db);
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *dir = run_dir ("restore-measure", i);
      g_autofree char *live = g_build_filename (dir, "live.db", NULL);
      g_autofree char *backups = g_build_filename (dir, "backups", NULL);
      const char *argv[] = { "--db", live, "backup", "restore", i == 0 ? plain : packed,
                             "--backup-dir", backups, NULL };
      g_autoptr(PqsStore) store = NULL;
      g_autofree char *titles = NULL;

      gint64 took;

      copy_db (world->seed, live);
      took = timed_admin (argv, NULL);
      usec = usec == 0 ? took : MIN (usec, took);
      store = open_and_check (live);
      titles = digest_rows (pqs_store_get_handle (store), TITLE_ROWS);
      g_assert_cmpstr (titles, !=, before);
      if (after == NULL)
        after = g_steal_pointer (&titles);
      else
        g_assert_cmpstr (titles, ==, after);
      close_store (&store);
      pqs_test_rm_rf (dir);
    }
  g_test_message ("a restore of %u documents from schema %03u takes %.0f ms", SEED_DOCUMENTS,
                  OLD_VERSION, usec / 1000.0);

  tally_start (&tally, "backup restore", 30);
  while (tally_more (&tally))
    {
      g_autofree char *dir = run_dir ("restore", tally.runs);
      g_autofree char *live = g_build_filename (dir, "live.db", NULL);
      g_autofree char *backups = g_build_filename (dir, "backups", NULL);
      const char *source = tally.runs % 2 == 0 ? plain : packed;
      const char *argv[] = { "--db", live, "backup", "restore", source,
                             "--backup-dir", backups, NULL };
      const char *allowed[] = { "live.db", "live.db-wal", "live.db-shm", NULL };
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(PqsStore) store = NULL;
      g_autofree char *titles = NULL;
      sqlite3 *db;

      copy_db (world->seed, live);
      process = pqs_test_spawn_admin (world->env, argv,
                                      G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
      if (kill_after (process, random_delay (usec), NULL))
        tally.signaled++;

      /* Beside the live file only unfinished copies; restore points verify. */
      check_backup_folder (dir, FALSE, allowed, &tally);
      check_backup_folder (backups, FALSE, NULL, &tally);

      /* The live file is one database or the other, whole, at the newest schema. */
      store = open_and_check (live);
      db = pqs_store_get_handle (store);
      g_assert_cmpint (pqs_test_query_int (db, "SELECT max(version) FROM migration_history"),
                       ==, world->latest);
      titles = digest_rows (db, TITLE_ROWS);
      if (g_str_equal (titles, before))
        tally.outcome[0]++;
      else
        {
          g_assert_cmpstr (titles, ==, after);
          g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM user_activities "
                                                   "WHERE activity_type = 'backup.restore'"),
                           ==, 1);
          tally.outcome[1]++;
        }

      /* Every third time, the restore is tried again and succeeds. */
      if (tally.runs % 3 == 0)
        {
          g_autoptr(PqsBackupService) service = pqs_backup_service_new (store, backups);
          g_autoptr(GError) error = NULL;
          g_autofree char *restored = NULL;

          g_assert_true (pqs_backup_service_restore (service, source, NULL, NULL, NULL,
                                                     &error));
          g_assert_no_error (error);
          pqs_test_assert_integrity (pqs_store_get_handle (store));
          assert_audit_chain (store);
          restored = digest_rows (pqs_store_get_handle (store), TITLE_ROWS);
          g_assert_cmpstr (restored, ==, after);
          g_clear_object (&service);
          tally.outcome[2]++;
        }

      close_store (&store);
      pqs_test_rm_rf (dir);
      tally.runs++;
    }

  report (&tally, "the old database / the restored one / restored again:");
}

/* /fault-kill/saves and /fault-kill/workflow ---------------------------------------- */

typedef struct
{
  char   *template;             /* the seed with the documents below */
  gint64  ids[N_MODEL_DOCS];
  char   *original[N_MODEL_DOCS];
  gint64  changes;              /* rows in document_changes, user_activities, */
  gint64  audit;                /* document_reviews of the template */
  gint64  reviews;
} ModelWorld;

/* Drafts by AUTHOR in a standard of their own, with the fields that
 * submitting needs (made by fault-child prepare). */
static void
model_world_build (ModelWorld *mwo)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *count = g_strdup_printf ("%u", N_MODEL_DOCS);
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = NULL;

  mwo->template = g_build_filename (world->dir, "model.db", NULL);
  copy_db (world->seed, mwo->template);
  {
    const char *argv[] = { "prepare", mwo->template, AUTHOR, count, NULL };

    process = pqs_test_spawn_fault_child (world->env, argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  }
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("fault-child prepare: %s", out);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, N_MODEL_DOCS + 1);
  g_assert_cmpint (sqlite3_open_v2 (mwo->template, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  for (guint i = 0; i < N_MODEL_DOCS; i++)
    {
      g_autofree char *sql = NULL;

      g_assert_true (g_str_has_prefix (lines[i], "doc "));
      mwo->ids[i] = g_ascii_strtoll (lines[i] + 4, NULL, 10);
      sql = g_strdup_printf ("SELECT content FROM documents WHERE id = %" G_GINT64_FORMAT,
                             mwo->ids[i]);
      mwo->original[i] = pqs_test_query_text (db, sql);
      g_assert_nonnull (mwo->original[i]);
    }

  mwo->changes = pqs_test_query_int (db, "SELECT count(*) FROM document_changes");
  mwo->audit = pqs_test_query_int (db, "SELECT count(*) FROM user_activities");
  mwo->reviews = pqs_test_query_int (db, "SELECT count(*) FROM document_reviews");
  sqlite3_close (db);
}

static void
model_world_clear (ModelWorld *mwo)
{
  g_free (mwo->template);
  for (guint i = 0; i < N_MODEL_DOCS; i++)
    g_free (mwo->original[i]);
}

static GPtrArray *
model_argv (const ModelWorld *mwo,
            const char       *mode,
            const char       *db,
            guint             count)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (mode));
  g_ptr_array_add (argv, g_strdup (db));
  g_ptr_array_add (argv, g_strdup (AUTHOR));
  if (g_str_equal (mode, "workflow"))
    g_ptr_array_add (argv, g_strdup (REVIEWER));
  g_ptr_array_add (argv, g_strdup_printf ("%u", count));
  for (guint i = 0; i < N_MODEL_DOCS; i++)
    g_ptr_array_add (argv, g_strdup_printf ("%" G_GINT64_FORMAT, mwo->ids[i]));
  g_ptr_array_add (argv, NULL);

  return argv;
}

/* The number of the last save or step the child reported; -1 for none. */
static gint64
last_reported (const char *out,
               const char *prefix,
               guint       field,
               gboolean   *out_done)
{
  g_auto(GStrv) lines = g_strsplit (out != NULL ? out : "", "\n", -1);
  gint64 last = -1;

  *out_done = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      if (lines[i][0] == '\0')
        continue;
      if (g_str_equal (lines[i], "done"))
        {
          *out_done = TRUE;
          continue;
        }
      if (g_str_has_prefix (lines[i], "error "))
        g_error ("the child failed: %s", lines[i]);

      words = g_strsplit (lines[i], " ", -1);
      g_assert_cmpstr (words[0], ==, prefix);
      g_assert_cmpuint (g_strv_length (words), >, field);
      last = g_ascii_strtoll (words[field], NULL, 10);
    }
  return last;
}

static gint64
count_rows (sqlite3    *db,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return pqs_test_query_int (db, sql);
}

/* After saves 1..@reported were reported: @reported or one more committed,
 * each with its change row and its audit row, and every document holds the
 * body of its last committed save. */
static guint
check_saves (const ModelWorld *mwo,
             const char       *path,
             gint64            reported,
             guint             count)
{
  g_autoptr(PqsStore) store = open_and_check (path);
  sqlite3 *db = pqs_store_get_handle (store);
  gint64 committed = count_rows (db, "document_changes") - mwo->changes;

  g_assert_cmpint (committed, >=, MAX (reported, 0));
  g_assert_cmpint (committed, <=, MAX (reported, 0) + 1);
  g_assert_cmpint (committed, <=, count);
  g_assert_cmpint (count_rows (db, "user_activities") - mwo->audit, ==, committed);

  for (guint i = 0; i < N_MODEL_DOCS; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT content FROM documents WHERE id = %"
                                              G_GINT64_FORMAT, mwo->ids[i]);
      g_autofree char *content = pqs_test_query_text (db, sql);
      g_autofree char *expected = NULL;
      gint64 last = 0;

      /* Save n goes to document n % N_MODEL_DOCS. */
      for (gint64 n = 1; n <= committed; n++)
        if (n % N_MODEL_DOCS == i)
          last = n;
      expected = last > 0 ? pqs_test_fault_body (mwo->ids[i], last)
                          : g_strdup (mwo->original[i]);
      g_assert_cmpstr (content, ==, expected);
    }

  close_store (&store);
  return committed > reported ? 1 : 0;
}

/* What @committed steps of fault-child's schedule leave: per document its
 * status and version, and how many approvals there were. */
static void
simulate_steps (gint64       committed,
                const char  *statuses[N_MODEL_DOCS],
                gint64       versions[N_MODEL_DOCS],
                gint64      *out_approvals)
{
  *out_approvals = 0;
  for (guint i = 0; i < N_MODEL_DOCS; i++)
    {
      statuses[i] = "draft";
      versions[i] = 1;
    }

  for (gint64 step = 0; step < committed; step++)
    {
      guint i = step % N_MODEL_DOCS;

      switch ((step / N_MODEL_DOCS) % 3)
        {
        case 0:
          statuses[i] = "in_review";
          break;
        case 1:
          statuses[i] = "approved";
          (*out_approvals)++;
          break;
        default:
          statuses[i] = "draft";
          versions[i]++;
          break;
        }
    }
}

static guint
check_steps (const ModelWorld *mwo,
             const char       *path,
             gint64            reported,
             guint             count)
{
  g_autoptr(PqsStore) store = open_and_check (path);
  sqlite3 *db = pqs_store_get_handle (store);
  gint64 done = reported + 1;       /* steps are numbered from 0 */
  gint64 committed = count_rows (db, "document_changes") - mwo->changes;
  const char *statuses[N_MODEL_DOCS];
  gint64 versions[N_MODEL_DOCS];
  gint64 approvals;

  g_assert_cmpint (committed, >=, done);
  g_assert_cmpint (committed, <=, done + 1);
  g_assert_cmpint (committed, <=, count);
  g_assert_cmpint (count_rows (db, "user_activities") - mwo->audit, ==, committed);

  simulate_steps (committed, statuses, versions, &approvals);
  g_assert_cmpint (count_rows (db, "document_reviews") - mwo->reviews, ==, approvals);
  for (guint i = 0; i < N_MODEL_DOCS; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT status || ' ' || version FROM documents "
                                              "WHERE id = %" G_GINT64_FORMAT, mwo->ids[i]);
      g_autofree char *actual = pqs_test_query_text (db, sql);
      g_autofree char *expected = g_strdup_printf ("%s %" G_GINT64_FORMAT, statuses[i],
                                                   versions[i]);

      g_assert_cmpstr (actual, ==, expected);
    }

  close_store (&store);
  return committed > done ? 1 : 0;
}

static void
run_model_kills (const char *mode,
                 guint       count,
                 gint64      seconds)
{
  gboolean saves = g_str_equal (mode, "saves");
  ModelWorld mwo = { 0, };
  gint64 usec;
  Tally tally;

  ensure_world ();
  model_world_build (&mwo);

  /* The whole burst, twice, to measure it and to check that it all lands;
   * the quicker run sets the window. */
  usec = G_MAXINT64;
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *dir = run_dir (mode, 900 + i);
      g_autofree char *work = g_build_filename (dir, "work.db", NULL);
      g_autoptr(GPtrArray) argv = model_argv (&mwo, mode, work, count);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      gboolean done = FALSE;
      gint64 started;
      gint64 last;
      gint64 took;

      copy_db (mwo.template, work);
      started = g_get_monotonic_time ();
      process = pqs_test_spawn_fault_child (world->env, (const char * const *) argv->pdata,
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
      g_assert_no_error (error);
      took = g_get_monotonic_time () - started;
      usec = MIN (usec, took);
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      last = last_reported (out, saves ? "saved" : "step", saves ? 2 : 1, &done);
      g_assert_true (done);
      g_assert_cmpint (last, ==, saves ? count : count - 1);
      if (saves)
        check_saves (&mwo, work, last, count);
      else
        check_steps (&mwo, work, last, count);
      pqs_test_rm_rf (dir);
    }
  g_test_message ("%u %s take %.0f ms", count, saves ? "saves" : "workflow steps",
                  usec / 1000.0);

  tally_start (&tally, mode, seconds);
  while (tally_more (&tally))
    {
      g_autofree char *dir = run_dir (mode, tally.runs);
      g_autofree char *work = g_build_filename (dir, "work.db", NULL);
      g_autoptr(GPtrArray) argv = model_argv (&mwo, mode, work, count);
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      gboolean done = FALSE;
      gint64 last;

      copy_db (mwo.template, work);
      process = pqs_test_spawn_fault_child (world->env, (const char * const *) argv->pdata,
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      if (kill_after (process, random_delay (usec), &out))
        tally.signaled++;

      last = last_reported (out, saves ? "saved" : "step", saves ? 2 : 1, &done);
      if (saves)
        tally.outcome[check_saves (&mwo, work, last, count)]++;
      else
        tally.outcome[check_steps (&mwo, work, last, count)]++;

      pqs_test_rm_rf (dir);
      tally.runs++;
    }

  report (&tally, "runs where the last commit was reported / was not yet:");
  model_world_clear (&mwo);
}

static void
test_saves (void)
{
  run_model_kills ("saves", SAVE_COUNT, 25);
}

static void
test_workflow (void)
{
  run_model_kills ("workflow", STEP_COUNT, 25);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fault-kill/migrate", test_migrate);
  g_test_add_func ("/fault-kill/backup", test_backup);
  g_test_add_func ("/fault-kill/restore", test_restore);
  g_test_add_func ("/fault-kill/saves", test_saves);
  g_test_add_func ("/fault-kill/workflow", test_workflow);

  status = g_test_run ();
  g_clear_pointer (&world, world_free);

  return status;
}
