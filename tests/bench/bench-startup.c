/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "pqs-migrator.h"
#include "pqs-store.h"

/* What start-up costs: opening and migrating a new database, opening an
 * up-to-date one (what every launch pays), against the cheapest possible
 * open of the same file with SQLite alone. Goal: an up-to-date database adds
 * under 5 ms. Every figure includes closing the connection. Prints results
 * and writes them as JSON; asserts nothing. */

#ifndef BENCH_DEFAULT_OUTPUT
#define BENCH_DEFAULT_OUTPUT "bench-startup.json"
#endif

#define GOAL_ADDED_MS 5.0

typedef struct
{
  const char *key;
  const char *name;         /* for the table */
  const char *label;
  GArray     *samples;      /* gint64 microseconds */
  double      median_ms;
  double      p95_ms;
  double      min_ms;
  double      mean_ms;
} Measure;

static void
die (const char   *what,
     const GError *error)
{
  g_printerr ("bench-startup: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
remove_database (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* (a) a new file: open, load the migrations, apply them all, close. */
static gint64
run_fresh (const char *path,
           const char *backup_dir,
           guint       latest)
{
  g_autoptr(GError) error = NULL;
  PqsStore *store;
  PqsMigrator *migrator;
  guint applied = 0;
  gint64 started;
  gint64 elapsed;

  remove_database (path);

  started = g_get_monotonic_time ();
  store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("open", error);
  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backup_dir);
  if (!pqs_migrator_load (migrator, NULL, &error) ||
      !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &applied, &error))
    die ("migrate", error);
  g_object_unref (migrator);
  g_object_unref (store);
  elapsed = g_get_monotonic_time () - started;

  if (applied != latest)
    die ("a new database did not get every migration", NULL);

  return elapsed;
}

/* (b) an up-to-date file: open, load the migrations, confirm nothing is
 * pending (which validates the history against the files), close. */
static gint64
run_up_to_date (const char *path,
                const char *backup_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  PqsStore *store;
  PqsMigrator *migrator;
  gint64 started;
  gint64 elapsed;

  started = g_get_monotonic_time ();
  store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("open", error);
  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backup_dir);
  if (!pqs_migrator_load (migrator, NULL, &error))
    die ("load", error);
  pending = pqs_migrator_pending (migrator, PQS_MIGRATOR_LATEST, &error);
  if (pending == NULL)
    die ("pending", error);
  g_object_unref (migrator);
  g_object_unref (store);
  elapsed = g_get_monotonic_time () - started;

  if (pending->len != 0)
    die ("the up-to-date database has pending migrations", NULL);

  return elapsed;
}

/* (b') the same through pqs_migrator_migrate(), which the window calls at
 * every start and which does nothing on an up-to-date file. */
static gint64
run_launch (const char *path,
            const char *backup_dir)
{
  g_autoptr(GError) error = NULL;
  PqsStore *store;
  PqsMigrator *migrator;
  guint applied = 0;
  gint64 started;
  gint64 elapsed;

  started = g_get_monotonic_time ();
  store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    die ("open", error);
  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backup_dir);
  if (!pqs_migrator_load (migrator, NULL, &error) ||
      !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &applied, &error))
    die ("migrate", error);
  g_object_unref (migrator);
  g_object_unref (store);
  elapsed = g_get_monotonic_time () - started;

  if (applied != 0)
    die ("the up-to-date database got migrations", NULL);

  return elapsed;
}

/* (r) the reference: SQLite alone, with the pragmas every PQS Desk
 * connection sets, reading the schema once. */
static gint64
run_reference (const char *path)
{
  static const char *pragmas =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA cache_size = -16384;"
    "PRAGMA mmap_size = 268435456;"
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 started;
  gint64 elapsed;
  int rc;

  started = g_get_monotonic_time ();
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      rc = sqlite3_exec (db, pragmas, NULL, NULL, NULL);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) != SQLITE_ROW)
    rc = SQLITE_ERROR;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  elapsed = g_get_monotonic_time () - started;

  if (rc != SQLITE_OK)
    die ("raw sqlite3 open", NULL);

  return elapsed;
}

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
measure_summarize (Measure *measure)
{
  GArray *samples = measure->samples;
  guint n = samples->len;
  gint64 *values = (gint64 *) (gpointer) samples->data;
  double total = 0;
  guint rank;

  g_array_sort (samples, compare_int64);
  for (guint i = 0; i < n; i++)
    total += values[i];

  /* Nearest-rank percentiles. */
  measure->median_ms = (n % 2 == 1 ? values[n / 2]
                                   : (values[n / 2 - 1] + values[n / 2]) / 2.0) / 1000.0;
  rank = (guint) ((95 * n + 99) / 100);
  measure->p95_ms = values[MAX (rank, 1) - 1] / 1000.0;
  measure->min_ms = values[0] / 1000.0;
  measure->mean_ms = total / n / 1000.0;
}

static char *
cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  static const char *keys[] = { "model name", "Model", "cpu model", "Hardware", "cpu" };

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown");

  lines = g_strsplit (contents, "\n", -1);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint i = 0; lines[i] != NULL; i++)
      {
        const char *colon = strchr (lines[i], ':');
        g_autofree char *key = NULL;

        if (colon == NULL)
          continue;
        key = g_strstrip (g_strndup (lines[i], colon - lines[i]));
        if (g_str_equal (key, keys[k]))
          return g_strstrip (g_strdup (colon + 1));
      }

  return g_strdup ("unknown");
}

static void
add_measure_json (JsonBuilder   *builder,
                  const Measure *measure,
                  const Measure *reference)
{
  json_builder_set_member_name (builder, measure->key);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, measure->name);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, measure->label);
  json_builder_set_member_name (builder, "repetitions");
  json_builder_add_int_value (builder, measure->samples->len);
  json_builder_set_member_name (builder, "median_ms");
  json_builder_add_double_value (builder, measure->median_ms);
  json_builder_set_member_name (builder, "p95_ms");
  json_builder_add_double_value (builder, measure->p95_ms);
  json_builder_set_member_name (builder, "min_ms");
  json_builder_add_double_value (builder, measure->min_ms);
  json_builder_set_member_name (builder, "mean_ms");
  json_builder_add_double_value (builder, measure->mean_ms);
  json_builder_set_member_name (builder, "median_ratio_to_reference");
  json_builder_add_double_value (builder, measure->median_ms / reference->median_ms);
  json_builder_set_member_name (builder, "p95_ratio_to_reference");
  json_builder_add_double_value (builder, measure->p95_ms / reference->p95_ms);
  json_builder_end_object (builder);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *output = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *fresh_path = NULL;
  g_autofree char *ready_path = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *date = NULL;
  struct utsname machine;
  int repetitions = 300;
  int fresh_repetitions = 60;
  int warmup = 10;
  guint latest;
  double added_median;
  double added_p95;
  Measure reference = { "reference", "(r) raw sqlite3 open + pragmas + schema read",
                        "(r) raw sqlite3_open_v2 + the same pragmas + "
                                     "SELECT count(*) FROM sqlite_schema + close", NULL };
  Measure fresh = { "fresh_migrate", "(a) new database: open + migrate to latest",
                    "(a) new database: pqs_store_open + pqs_migrator_new + "
                                     "load + migrate to the latest version + close", NULL };
  Measure ready = { "up_to_date", "(b) up-to-date database: open + nothing pending",
                    "(b) up-to-date database: pqs_store_open + "
                                  "pqs_migrator_new + load + pending (none) + close", NULL };
  Measure launch = { "up_to_date_migrate", "(b') up-to-date: open + no-op migrate",
                     "(b') up-to-date database through "
                                           "pqs_migrator_migrate (a no-op), as the window "
                                           "starts", NULL };
  Measure *all[] = { &reference, &fresh, &ready, &launch };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Where the JSON results go (default: " BENCH_DEFAULT_OUTPUT ")", "FILE" },
    { "repetitions", 'n', 0, G_OPTION_ARG_INT, &repetitions,
      "Repetitions of the open measurements (default: 300)", "N" },
    { "fresh-repetitions", 0, 0, G_OPTION_ARG_INT, &fresh_repetitions,
      "Repetitions of the new-database measurement (default: 60)", "N" },
    { NULL }
  };

  context = g_option_context_new ("[FILE] — measure the cost of opening the database");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("bad usage", error);
  if (argc > 2)
    die ("bad usage: at most one output file", NULL);
  if (argc == 2 && output == NULL)
    output = g_strdup (argv[1]);
  if (output == NULL)
    output = g_strdup (BENCH_DEFAULT_OUTPUT);
  if (repetitions < 1 || fresh_repetitions < 1)
    die ("bad usage: repetitions must be at least 1", NULL);

  dir = g_dir_make_tmp ("pqs-bench-XXXXXX", &error);
  if (dir == NULL)
    die ("temporary folder", error);
  fresh_path = g_build_filename (dir, "fresh.db", NULL);
  ready_path = g_build_filename (dir, "ready.db", NULL);
  backup_dir = g_build_filename (dir, "backups", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    all[i]->samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* The up-to-date database, and the number of migrations. */
  {
    g_autoptr(PqsStore) store = pqs_store_open (ready_path, PQS_STORE_OPEN_DEFAULT, &error);
    g_autoptr(PqsMigrator) migrator = NULL;

    if (store == NULL)
      die ("open", error);
    migrator = pqs_migrator_new (store);
    if (!pqs_migrator_load (migrator, NULL, &error) ||
        !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error))
      die ("migrate", error);
    latest = pqs_migrator_get_latest_version (migrator);
  }

  /* Warm up the page cache and the code. */
  for (int i = 0; i < warmup; i++)
    {
      run_reference (ready_path);
      run_up_to_date (ready_path, backup_dir);
      run_launch (ready_path, backup_dir);
      run_fresh (fresh_path, backup_dir, latest);
    }

  /* Interleaved, in a rotating order, so that drift hits all alike. */
  for (int i = 0; i < repetitions; i++)
    for (int j = 0; j < 3; j++)
      {
        gint64 value;

        switch ((i + j) % 3)
          {
          case 0:
            value = run_reference (ready_path);
            g_array_append_val (reference.samples, value);
            break;
          case 1:
            value = run_up_to_date (ready_path, backup_dir);
            g_array_append_val (ready.samples, value);
            break;
          default:
            value = run_launch (ready_path, backup_dir);
            g_array_append_val (launch.samples, value);
            break;
          }
      }

  for (int i = 0; i < fresh_repetitions; i++)
    {
      gint64 value = run_fresh (fresh_path, backup_dir, latest);

      g_array_append_val (fresh.samples, value);
    }

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    measure_summarize (all[i]);

  added_median = ready.median_ms - reference.median_ms;
  added_p95 = ready.p95_ms - reference.p95_ms;

  if (uname (&machine) != 0)
    strcpy (machine.machine, "unknown");
  cpu = cpu_model ();
  now = g_date_time_new_now_utc ();
  date = g_date_time_format_iso8601 (now);

  g_print ("PQS Desk start-up benchmark\n");
  g_print ("machine: %s, %s, %u CPUs\n", machine.machine, cpu, g_get_num_processors ());
  g_print ("date:    %s\n", date);
  g_print ("sqlite:  %s; %u migrations; every figure includes closing the connection\n\n",
           sqlite3_libversion (), latest);
  g_print ("%-48s %5s %10s %10s %9s %9s\n", "", "runs", "median", "p95", "x ref", "x ref");
  g_print ("%-48s %5s %10s %10s %9s %9s\n", "", "", "", "", "(median)", "(p95)");
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_print ("%-48s %5u %7.3f ms %7.3f ms %8.1fx %8.1fx\n", all[i]->name, all[i]->samples->len,
             all[i]->median_ms, all[i]->p95_ms, all[i]->median_ms / reference.median_ms,
             all[i]->p95_ms / reference.p95_ms);
  g_print ("\nGoal: opening an up-to-date database adds under %.0f ms to the raw open.\n"
           "(b) - (r): %+.3f ms median, %+.3f ms p95: %s\n", GOAL_ADDED_MS, added_median,
           added_p95, added_p95 < GOAL_ADDED_MS ? "met" : "NOT met");

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, "startup");
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "arch");
  json_builder_add_string_value (builder, machine.machine);
  json_builder_set_member_name (builder, "cpu_model");
  json_builder_add_string_value (builder, cpu);
  json_builder_set_member_name (builder, "nproc");
  json_builder_add_int_value (builder, g_get_num_processors ());
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "sqlite_version");
  json_builder_add_string_value (builder, sqlite3_libversion ());
  json_builder_set_member_name (builder, "latest_version");
  json_builder_add_int_value (builder, latest);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    add_measure_json (builder, all[i], &reference);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "goal");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, "opening an up-to-date database adds under 5 ms "
                                          "to the raw open: (b) - (r)");
  json_builder_set_member_name (builder, "limit_ms");
  json_builder_add_double_value (builder, GOAL_ADDED_MS);
  json_builder_set_member_name (builder, "added_median_ms");
  json_builder_add_double_value (builder, added_median);
  json_builder_set_member_name (builder, "added_p95_ms");
  json_builder_add_double_value (builder, added_p95);
  json_builder_set_member_name (builder, "met");
  json_builder_add_boolean_value (builder, added_p95 < GOAL_ADDED_MS);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  if (!json_generator_to_file (generator, output, &error))
    die ("writing the results", error);
  g_print ("Results written to %s\n", output);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_array_unref (all[i]->samples);
  remove_tree (dir);

  return 0;
}
