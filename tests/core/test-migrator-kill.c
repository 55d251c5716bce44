/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "pqs-migrator.h"
#include "pqs-store.h"
#include "pqs-test-util.h"

/* A process killed (SIGKILL) at random points during a multi-migration run
 * leaves a database that the next start completes, with integrity_check ok.
 *
 * A legacy database big enough for `pqs-admin migrate` to take a few hundred
 * milliseconds is copied afresh for every run; the child is killed after a
 * random delay; then this process opens the file the way the application
 * does and checks that it is at a clean version (its schema is exactly the
 * one of the version its history names), that migrating completes, and that
 * nothing was lost, in the database or in the safety copies. */

/* Users in the legacy database at first; rescaled once so that a full
 * migrate takes about TARGET_MIGRATE_USEC on this machine and build (a
 * sanitizer build is many times slower). */
#define FIRST_USER_COUNT    30000
#define MIN_USER_COUNT      2000
#define MAX_USER_COUNT      240000
#define TARGET_MIGRATE_USEC (350 * G_TIME_SPAN_MILLISECOND)

#define RANDOM_KILLS       40
#define EARLY_KILLS        16

typedef struct
{
  char       *dir;
  char       *xdg_env;
  const char *env[3];           /* of the children: XDG_DATA_HOME set, PQS_DB unset */
  char       *legacy;           /* the template, never migrated */
  guint       n_users;
  gint64      migrate_usec;     /* median duration of a full pqs-admin migrate */
  gint64      copy_start_usec;  /* from the start until the safety copy begins */
  gint64      copy_usec;        /* how long the safety copy takes */
  guint       latest;
  char       *legacy_schema;
  GPtrArray  *schemas;          /* [v]: the schema at version v; [0] unused */
  gint64      users_count;
  gint64      avatars_count;
  char       *users_digest;
  char       *avatars_digest;
} World;

static World *world;

typedef struct
{
  guint before;                 /* no history yet: the legacy file untouched */
  guint during;                 /* some migrations applied */
  guint after;                  /* all applied (the kill came late) */
  guint exited;                 /* the process had finished before the kill */
  guint partial_copies;         /* the killed run was writing its safety copy */
  guint complete_copies;        /* the killed run's finished safety copies */
  guint recovery_copies;        /* copies taken by the recovering start */
} Tally;

/* Helpers ----------------------------------------------------------------------- */

static char *
digest_query (sqlite3    *db,
              const char *sql)
{
  g_autofree char *text = pqs_test_query_text (db, sql);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text != NULL ? text : "", -1);
}

static char *
users_digest (sqlite3 *db)
{
  return digest_query (db, "SELECT group_concat (id || ':' || username, ',') "
                           "FROM (SELECT id, username FROM users ORDER BY id)");
}

static char *
avatars_digest (sqlite3 *db)
{
  return digest_query (db, "SELECT group_concat (id || ':' || user_id || ':' || "
                           "hex (avatar_data), ',') "
                           "FROM (SELECT id, user_id, avatar_data FROM avatars ORDER BY id)");
}

/* Every legacy user and avatar is there, unchanged where it matters. */
static void
assert_legacy_rows (sqlite3 *db)
{
  g_autofree char *users = users_digest (db);
  g_autofree char *avatars = avatars_digest (db);

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM users"), ==,
                   world->users_count);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM avatars"), ==,
                   world->avatars_count);
  g_assert_cmpstr (users, ==, world->users_digest);
  g_assert_cmpstr (avatars, ==, world->avatars_digest);
}

static char *
spawn_env_dir (void)
{
  return g_build_filename (world->dir, "xdg-data", NULL);
}

/* Runs `pqs-admin --db @db migrate --backup-dir @backups` to the end. */
static gint64
timed_migrate (const char *db,
               const char *backups)
{
  const char *argv[] = { "--db", db, "migrate", "--backup-dir", backups, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();

  process = pqs_test_spawn_admin (world->env, argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  return g_get_monotonic_time () - started;
}

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The median of @n_runs full runs on fresh copies of the template. */
static gint64
measure_migrate (guint n_runs)
{
  g_autofree char *db = g_build_filename (world->dir, "measure.db", NULL);
  g_autofree char *backups = g_build_filename (world->dir, "measure-backups", NULL);
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n_runs; i++)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);
      gint64 usec;

      g_unlink (wal);
      g_unlink (shm);
      pqs_test_copy_file (world->legacy, db);
      usec = timed_migrate (db, backups);
      g_array_append_val (runs, usec);
      pqs_test_rm_rf (backups);
    }

  g_unlink (db);
  g_array_sort (runs, compare_int64);

  return g_array_index (runs, gint64, n_runs / 2);
}

/* Whether @dir holds a file whose name ends with @suffix. */
static gboolean
folder_has (const char *dir,
            const char *suffix)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, suffix))
      return TRUE;

  return FALSE;
}

/* Polls @dir until a file ending with @suffix shows up; returns the time it
 * was seen, or -1 after @timeout_usec. */
static gint64
wait_for_file (const char *dir,
               const char *suffix,
               gint64      timeout_usec)
{
  gint64 deadline = g_get_monotonic_time () + timeout_usec;

  while (g_get_monotonic_time () < deadline)
    {
      if (folder_has (dir, suffix))
        return g_get_monotonic_time ();
      g_usleep (100);
    }

  return -1;
}

/* When the safety copy starts and how long it takes, watched from outside. */
static void
measure_copy (void)
{
  g_autofree char *db = g_build_filename (world->dir, "measure.db", NULL);
  g_autofree char *backups = g_build_filename (world->dir, "measure-backups", NULL);
  const char *argv[] = { "--db", db, "migrate", "--backup-dir", backups, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;
  gint64 copying;
  gint64 copied;

  pqs_test_copy_file (world->legacy, db);
  started = g_get_monotonic_time ();
  process = pqs_test_spawn_admin (world->env, argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  copying = wait_for_file (backups, ".partial", world->migrate_usec * 2);
  copied = wait_for_file (backups, ".db", world->migrate_usec * 2);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  /* A copy too quick to be seen counts as a few milliseconds after the
   * start; the kills then simply land near it. */
  world->copy_start_usec = copying > 0 ? copying - started : world->migrate_usec / 20;
  world->copy_usec = copying > 0 && copied > copying ? copied - copying
                                                     : world->migrate_usec / 20;

  pqs_test_rm_rf (backups);
  g_unlink (db);
}

static void
make_legacy (guint n_users)
{
  world->n_users = n_users;
  g_unlink (world->legacy);
  pqs_test_make_legacy_database (world->legacy, n_users);
}

/* The schema at every version, reached by migrating a small legacy database
 * step by step as pqs-admin does. */
static void
build_reference_schemas (void)
{
  g_autofree char *path = g_build_filename (world->dir, "reference.db", NULL);
  g_autofree char *backups = g_build_filename (world->dir, "reference-backups", NULL);
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  pqs_test_make_legacy_database (path, 4);
  store = pqs_test_open_store (path);
  db = pqs_store_get_handle (store);
  world->legacy_schema = pqs_test_schema_dump (db);

  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);
  world->latest = pqs_migrator_get_latest_version (migrator);
  g_assert_cmpuint (world->latest, >=, 2);

  world->schemas = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (world->schemas, NULL);
  for (guint version = 1; version <= world->latest; version++)
    {
      g_assert_true (pqs_migrator_migrate (migrator, version, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (world->schemas, pqs_test_schema_dump (db));
    }

  g_clear_object (&migrator);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
world_free (World *self)
{
  if (self == NULL)
    return;

  pqs_test_tmpdir_free (self->dir);
  g_free (self->xdg_env);
  g_free (self->legacy);
  g_free (self->legacy_schema);
  g_clear_pointer (&self->schemas, g_ptr_array_unref);
  g_free (self->users_digest);
  g_free (self->avatars_digest);
  g_free (self);
}

/* Built once for both tests: making and measuring the big file takes a while. */
static void
ensure_world (void)
{
  g_autofree char *xdg = NULL;
  sqlite3 *db = NULL;

  if (world != NULL)
    return;

  world = g_new0 (World, 1);
  world->dir = pqs_test_tmpdir_new ();
  world->legacy = g_build_filename (world->dir, "legacy.db", NULL);
  xdg = spawn_env_dir ();
  world->xdg_env = g_strconcat ("XDG_DATA_HOME=", xdg, NULL);
  world->env[0] = world->xdg_env;
  world->env[1] = "PQS_DB";
  world->env[2] = NULL;

  build_reference_schemas ();

  make_legacy (FIRST_USER_COUNT);
  world->migrate_usec = measure_migrate (1);
  if (world->migrate_usec < TARGET_MIGRATE_USEC * 4 / 7 ||
      world->migrate_usec > TARGET_MIGRATE_USEC * 2)
    {
      g_test_message ("%u legacy users: a full migrate takes %.0f ms; rescaling",
                      world->n_users, world->migrate_usec / 1000.0);
      make_legacy (CLAMP (world->n_users * TARGET_MIGRATE_USEC / world->migrate_usec,
                          MIN_USER_COUNT, MAX_USER_COUNT));
    }
  world->migrate_usec = measure_migrate (3);
  measure_copy ();
  g_test_message ("%u legacy users: a full migrate takes %.0f ms; the safety copy starts "
                  "after %.1f ms and takes %.1f ms", world->n_users,
                  world->migrate_usec / 1000.0, world->copy_start_usec / 1000.0,
                  world->copy_usec / 1000.0);

  g_assert_cmpint (sqlite3_open_v2 (world->legacy, &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  world->users_count = pqs_test_query_int (db, "SELECT count(*) FROM users");
  world->avatars_count = pqs_test_query_int (db, "SELECT count(*) FROM avatars");
  world->users_digest = users_digest (db);
  world->avatars_digest = avatars_digest (db);
  sqlite3_close (db);

  g_assert_cmpint (world->users_count, ==, world->n_users);
  g_assert_cmpint (world->avatars_count, ==, world->n_users / 2);
}

/* Every finished copy in @dir is a whole database with every legacy row; an
 * unfinished one is only ever named *.partial (or *.partial-journal). A copy taken
 * by the killed process comes from the legacy file, so it has exactly the
 * legacy schema; with @any_version it may be at any clean version. */
static void
check_backup_folder (const char *dir,
                     gboolean    any_version,
                     Tally      *tally)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  /* Listed first: opening a copy creates its -wal and -shm beside it. */
  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *schema = NULL;
      g_autofree char *integrity = NULL;
      sqlite3 *db = NULL;

      name = g_ptr_array_index (names, i);
      if (g_str_has_suffix (name, ".partial"))
        {
          tally->partial_copies++;
          continue;
        }
      if (strstr (name, ".partial-") != NULL)   /* its -journal, -wal or -shm */
        continue;

      /* A manifest is written after its copy, so it never stands alone. */
      if (g_str_has_suffix (name, ".db.manifest.json"))
        {
          g_autofree char *copy = g_strndup (path, strlen (path) - strlen (".manifest.json"));

          if (!g_file_test (copy, G_FILE_TEST_IS_REGULAR))
            g_error ("manifest %s without its backup", path);
          continue;
        }

      if (!g_str_has_suffix (name, ".db"))
        g_error ("unexpected file %s in the backup folder", path);

      if (any_version)
        tally->recovery_copies++;
      else
        tally->complete_copies++;
      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
      integrity = pqs_test_query_text (db, "PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok");
      assert_legacy_rows (db);

      schema = pqs_test_schema_dump (db);
      if (any_version)
        {
          gboolean known = g_str_equal (schema, world->legacy_schema);

          for (guint v = 1; v <= world->latest && !known; v++)
            known = g_str_equal (schema, g_ptr_array_index (world->schemas, v));
          g_assert_true (known);
        }
      else
        g_assert_cmpstr (schema, ==, world->legacy_schema);

      sqlite3_close (db);
    }
}

/* The file the killed process left: a clean version, then completed. */
static void
recover (const char *work,
         const char *recovery,
         Tally      *tally)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *final_schema = NULL;
  gboolean managed = FALSE;
  gint64 version = 0;
  guint applied = 0;
  sqlite3 *db;

  store = pqs_store_open (work, PQS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  db = pqs_store_get_handle (store);

  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, recovery);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);

  /* No half-applied migration: the history is valid and the schema is
   * exactly the one of the version it names. */
  g_assert_true (pqs_migrator_validate (migrator, &error));
  g_assert_no_error (error);

  g_assert_true (pqs_store_table_exists (store, "migration_history", &managed, &error));
  g_assert_no_error (error);
  schema = pqs_test_schema_dump (db);
  if (managed)
    {
      version = pqs_test_query_int (db, "SELECT max(version) FROM migration_history");
      g_assert_cmpint (version, >=, 1);
      g_assert_cmpint (version, <=, world->latest);
      g_assert_cmpint (pqs_test_query_int (db, "SELECT count(DISTINCT version) "
                                               "FROM migration_history"), ==, version);
      g_assert_cmpstr (schema, ==, g_ptr_array_index (world->schemas, version));

      if (version == world->latest)
        tally->after++;
      else
        tally->during++;
    }
  else
    {
      g_assert_cmpstr (schema, ==, world->legacy_schema);
      tally->before++;
    }

  /* The next start completes the work. */
  g_assert_true (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, world->latest - MAX (version, 1));

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM migration_history"),
                   ==, world->latest);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(DISTINCT version) "
                                           "FROM migration_history"), ==, world->latest);
  final_schema = pqs_test_schema_dump (db);
  g_assert_cmpstr (final_schema, ==, g_ptr_array_index (world->schemas, world->latest));
  pqs_test_assert_integrity (db);
  assert_legacy_rows (db);

  g_clear_object (&migrator);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* One run: migrate a fresh copy, SIGKILL it after @delay_usec (counted from
 * the moment its safety copy appears when @from_copy is set), recover. */
static void
kill_and_recover (guint     run,
                  gboolean  from_copy,
                  gint64    delay_usec,
                  Tally    *tally)
{
  g_autofree char *dir = g_strdup_printf ("%s/run-%03u", world->dir, run);
  g_autofree char *work = g_build_filename (dir, "work.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *recovery = g_build_filename (dir, "recovery", NULL);
  const char *argv[] = { "--db", work, "migrate", "--backup-dir", backups, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  pqs_test_copy_file (world->legacy, work);

  process = pqs_test_spawn_admin (world->env, argv,
                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (from_copy && wait_for_file (backups, ".partial", world->migrate_usec * 2) < 0)
    g_test_message ("run %u: the safety copy was not seen being written", run);
  if (delay_usec > 0)
    g_usleep (delay_usec);
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);

  g_test_message ("run %u: killed %.1f ms after %s%s", run, delay_usec / 1000.0,
                  from_copy ? "the safety copy began" : "the start",
                  g_subprocess_get_if_signaled (process) ? "" : " (had already finished)");

  if (!g_subprocess_get_if_signaled (process))
    {
      /* It finished first: then it must have succeeded. */
      g_assert_true (g_subprocess_get_if_exited (process));
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
      g_assert_cmpstr (err, ==, "");
      tally->exited++;
    }
  else
    g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);

  recover (work, recovery, tally);
  check_backup_folder (backups, FALSE, tally);
  check_backup_folder (recovery, TRUE, tally);

  pqs_test_rm_rf (dir);
}

static void
report (const char  *what,
        guint        runs,
        const Tally *tally)
{
  g_test_message ("%s: %u runs with %u legacy users (full migrate %.0f ms); the kill "
                  "landed before the migration %u times, during it %u times, after it %u "
                  "times (%u runs had finished already); the killed runs left %u "
                  "unfinished and %u finished safety copies, the recoveries took %u",
                  what, runs, world->n_users, world->migrate_usec / 1000.0, tally->before,
                  tally->during, tally->after, tally->exited, tally->partial_copies,
                  tally->complete_copies, tally->recovery_copies);
  g_assert_cmpuint (tally->before + tally->during + tally->after, ==, runs);
}

static guint
runs_for (guint base)
{
  const char *env = g_getenv ("PQS_KILL_RUNS");

  if (env != NULL && *env != '\0')
    return MAX (1, (guint) g_ascii_strtoull (env, NULL, 10));

  return g_test_thorough () ? base * 5 : base;
}

/* Tests ---------------------------------------------------------------------------- */

/* Kills anywhere from the start to a little after a normal run's end. */
static void
test_random_points (void)
{
  Tally tally = { 0, };
  guint runs = runs_for (RANDOM_KILLS);
  gint64 latest_kill;

  ensure_world ();
  latest_kill = world->migrate_usec * 6 / 5;

  for (guint run = 0; run < runs; run++)
    kill_and_recover (run, FALSE, g_test_rand_int_range (0, (gint32) latest_kill + 1), &tally);

  report ("random points", runs, &tally);
}

/* Kills before the first migration: half of them while the process starts,
 * opens the file and loads the migrations; the other half while it writes
 * the safety copy of the legacy file, which must then never look finished. */
static void
test_early_points (void)
{
  Tally tally = { 0, };
  guint runs = runs_for (EARLY_KILLS);

  ensure_world ();

  for (guint run = 0; run < runs; run++)
    {
      gboolean from_copy = run % 2 == 1;
      gint64 window = from_copy ? world->copy_usec * 6 / 5 : world->copy_start_usec;
      gint64 delay = run == 0 ? 0 : g_test_rand_int_range (0, (gint32) window + 1);

      kill_and_recover (run, from_copy, delay, &tally);
    }

  report ("early points", runs, &tally);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/migrator-kill/random-points", test_random_points);
  g_test_add_func ("/migrator-kill/early-points", test_early_points);

  status = g_test_run ();
  g_clear_pointer (&world, world_free);

  return status;
}
