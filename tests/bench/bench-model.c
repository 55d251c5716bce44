/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "pqs-demo-seeder.h"
#include "pqs-document-list.h"
#include "pqs-library.h"
#include "pqs-migrator.h"
#include "pqs-search.h"
#include "pqs-standard-list.h"
#include "pqs-store.h"
#include "pqs-user-list.h"
#include "pqs-user.h"

/* The model layer on a large database (tests/bench/bench-model.sh makes one
 * with `pqs-admin seed-demo`): opening the document list and reading the
 * first screen, scrolling to the middle, searching for a common and a rare
 * word, saving a document with 50 line items.
 *
 * Each operation runs through the model (PqsDocumentList, PqsSearch,
 * PqsLibrary) on a store opened as the application opens it; every SQL
 * statement it runs is recorded (sqlite3_trace_v2, with its values: once,
 * untimed, for a query; as they run for saves, whose values change) and then
 * replayed by the sqlite3 command line on the same file — for saves, on a
 * copy taken just before, so that the replay meets the same rows. Reported
 * per operation: the model's wall time and CPU time (p50, p95), the shell's
 * CPU time per operation from `.timer` (user + sys, which has microsecond
 * resolution where its wall clock has milliseconds), and the shell's mean
 * wall time from a batch (total minus a run of the warm-up alone). Ratio =
 * model / shell.
 * Goals: p95 under 2 ms for interactive queries, under 5 ms for a save,
 * at most 1.3 × the shell. Asserts nothing. */

#ifndef BENCH_DEFAULT_OUTPUT
#define BENCH_DEFAULT_OUTPUT "bench-model.json"
#endif

#define SCREEN_ROWS 50
#define COMMON_WORD "pressure"
#define PREFIX_TEXT "purif"
#define SAVE_ITEMS  50

/* The pragmas of every PqsStore connection (pqs-store.c), for the shell too. */
#define STORE_PRAGMAS \
  "PRAGMA foreign_keys = ON;\n" \
  "PRAGMA temp_store = MEMORY;\n" \
  "PRAGMA cache_size = -16384;\n" \
  "PRAGMA mmap_size = 268435456;\n" \
  "PRAGMA busy_timeout = 5000;\n"

typedef struct _Bench Bench;
typedef struct _Measure Measure;

typedef void (*RunFunc) (Bench   *bench,
                         Measure *measure,
                         guint    rep);

struct _Measure
{
  const char *key;
  const char *label;
  double      goal_ms;        /* p95 goal; 0: informational */
  gboolean    writes;
  guint       reps;
  RunFunc     setup;          /* untimed, before each repetition */
  RunFunc     run;

  GArray     *wall_us;        /* double */
  GArray     *cpu_us;
  GPtrArray  *statements;     /* per repetition: GPtrArray of SQL */
  char       *snapshot;       /* writes: the database before the first repetition */

  GArray     *shell_cpu_us;
  double      shell_batch_us; /* mean per repetition; < 0 when not measured */
  char       *shell_note;
};

struct _Bench
{
  char            *db_path;
  char            *sqlite3;
  char            *work_dir;
  guint            reps;
  PqsStore        *store;
  PqsDocumentList *list;
  PqsSearch       *search;
  PqsLibrary      *library;
  PqsDocument     *document;
  PqsUser         *author;
  GPtrArray       *recording;   /* the current repetition's statements, or NULL */
  guint            rewrites;
  guint            n_documents;
  gint64           save_id;
  double           seed_seconds;
  gboolean         fts_merged;
};

static void
die (const char   *what,
     const GError *error)
{
  g_printerr ("bench-model: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static gint64
cpu_now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
trace_cb (unsigned  type,
          void     *context,
          void     *p,
          void     *x)
{
  Bench *bench = context;
  char *sql;

  if (type != SQLITE_TRACE_PROFILE || bench->recording == NULL)
    return 0;

  /* FTS5 reads and writes its shadow tables (and reads the content table)
   * with statements of its own, named 'main'.'table': the shell's FTS5 runs
   * them by itself when it replays the statement that caused them. */
  if (strstr (sqlite3_sql (p), "'main'.") != NULL)
    return 0;

  sql = sqlite3_expanded_sql (p);
  if (sql != NULL)
    g_ptr_array_add (bench->recording, g_strdup (sql));
  sqlite3_free (sql);
  return 0;
}

/* The trace is on only while recording: even unused, it times every
 * statement. */
static void
record (Bench     *bench,
        GPtrArray *statements)
{
  bench->recording = statements;
  sqlite3_trace_v2 (pqs_store_get_handle (bench->store),
                    statements != NULL ? SQLITE_TRACE_PROFILE : 0,
                    statements != NULL ? trace_cb : NULL, bench);
}

/* Statistics --------------------------------------------------------------- */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint index;

  if (samples == NULL || samples->len == 0)
    return -1;

  sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), samples->len);
  g_array_append_vals (sorted, samples->data, samples->len);
  g_array_sort (sorted, compare_doubles);
  index = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

static double
mean (GArray *samples)
{
  double sum = 0;

  if (samples == NULL || samples->len == 0)
    return -1;
  for (guint i = 0; i < samples->len; i++)
    sum += g_array_index (samples, double, i);
  return sum / samples->len;
}

/* The operations ---------------------------------------------------------- */

static void
run_list_open (Bench   *bench,
               Measure *measure,
               guint    rep)
{
  g_autoptr(PqsDocumentList) list = pqs_document_list_new (bench->store);

  for (guint i = 0; i < SCREEN_ROWS; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
}

static void
setup_list_middle (Bench   *bench,
                   Measure *measure,
                   guint    rep)
{
  if (bench->list == NULL)
    bench->list = pqs_document_list_new (bench->store);
  /* Counts again and forgets the pages: the jump starts from nothing. */
  pqs_document_list_reload (bench->list);
}

static void
run_list_middle (Bench   *bench,
                 Measure *measure,
                 guint    rep)
{
  guint middle = g_list_model_get_n_items (G_LIST_MODEL (bench->list)) / 2;

  for (guint i = middle; i < middle + SCREEN_ROWS; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (bench->list), i));
}

static void
run_recent (Bench   *bench,
            Measure *measure,
            guint    rep)
{
  g_autoptr(PqsDocumentList) list = pqs_document_list_new (bench->store);

  /* Counts once more: the new order may come with other filters in a view. */
  pqs_document_list_set_sort (list, PQS_DOCUMENT_SORT_UPDATED);
  for (guint i = 0; i < SCREEN_ROWS; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
}

static void
run_standards (Bench   *bench,
               Measure *measure,
               guint    rep)
{
  g_autoptr(PqsStandardList) list = pqs_standard_list_new (bench->store);
  guint n = MIN (g_list_model_get_n_items (G_LIST_MODEL (list)), SCREEN_ROWS);

  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
}

static void
search (Bench      *bench,
        const char *text,
        gboolean    prefix,
        guint       candidates)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  pqs_search_set_prefix (bench->search, prefix);
  pqs_search_set_candidates (bench->search, candidates);
  results = pqs_search_run (bench->search, text, 0, 20, NULL, &error);
  if (results == NULL)
    die ("search", error);
  if (results->len == 0)
    die ("search found nothing", NULL);
}

static void
setup_search (Bench   *bench,
              Measure *measure,
              guint    rep)
{
  if (bench->search == NULL)
    bench->search = pqs_search_new (bench->store);
}

static void
run_search_common (Bench   *bench,
                   Measure *measure,
                   guint    rep)
{
  search (bench, COMMON_WORD, FALSE, PQS_SEARCH_DEFAULT_CANDIDATES);
}

static void
run_search_rare (Bench   *bench,
                 Measure *measure,
                 guint    rep)
{
  search (bench, PQS_DEMO_SEEDER_RARE_WORD, FALSE, PQS_SEARCH_DEFAULT_CANDIDATES);
}

static void
run_search_prefix (Bench   *bench,
                   Measure *measure,
                   guint    rep)
{
  search (bench, PREFIX_TEXT, TRUE, PQS_SEARCH_DEFAULT_CANDIDATES);
}

static void
run_search_exact (Bench   *bench,
                  Measure *measure,
                  guint    rep)
{
  search (bench, COMMON_WORD, FALSE, 0);
}

/* A draft with 50 line items: 10 questions, each with 3 sub-questions, one
 * of which has a second-level one... flattened as the outline wants. */
static GPtrArray *
make_outline (guint variant)
{
  GPtrArray *outline = pqs_outline_new ();

  for (guint q = 0; outline->len < SAVE_ITEMS; q++)
    {
      g_autofree char *text = g_strdup_printf ("Explain how the fuel oil purifier %u is lined "
                                               "up before light-off.", q);
      g_autofree char *answer = g_strdup_printf ("Valves %u and %u open, the bowl primed, "
                                                 "revision %u.", q, q + 1, variant);

      if (variant % 2 == 1 && q == 0)
        g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_TEXT, 0,
                                                        "Read the safety summary first.",
                                                        NULL, NULL));
      else
        g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, text, answer,
                                                        "Must name every valve."));
    }

  return outline;
}

static void
save (Bench      *bench,
      GPtrArray  *outline,
      const char *body)
{
  g_autoptr(GError) error = NULL;

  pqs_document_set_outline (bench->document, outline);
  pqs_document_set_body (bench->document, body);
  if (!pqs_library_save_document (bench->library, bench->author, bench->document, NULL,
                                  PQS_SAVE_DEFAULT, &error))
    die ("save", error);
}

static void
setup_save (Bench   *bench,
            Measure *measure,
            guint    rep)
{
  g_autoptr(GError) error = NULL;

  if (bench->library == NULL)
    bench->library = pqs_library_new (bench->store);
  if (bench->document == NULL)
    {
      /* A first item of another kind than the demo outline's: every row is
       * written anew, at the positions the model counts from. */
      g_autoptr(GPtrArray) outline = make_outline (1);
      g_autoptr(PqsUserList) users = pqs_user_list_new (bench->store);
      g_autofree char *sql = NULL;
      gint64 author_id = 0;

      /* Its author saves it, an account that has chosen its password (the
       * demo accounts must change theirs first). */
      sql = g_strdup_printf ("SELECT created_by FROM documents WHERE id = %" G_GINT64_FORMAT,
                             bench->save_id);
      if (!pqs_store_query_int64 (bench->store, sql, &author_id, &error))
        die ("find the author", error);
      g_free (sql);
      sql = g_strdup_printf ("UPDATE users SET password_reset_required = 0 WHERE id = %"
                             G_GINT64_FORMAT, author_id);
      if (!pqs_store_exec (bench->store, sql, &error) ||
          !pqs_user_list_reload (users, &error))
        die ("prepare the author", error);
      bench->author = g_object_ref (pqs_user_list_find (users, author_id));

      bench->document = pqs_library_load_document (bench->library, bench->author,
                                                   bench->save_id, &error);
      if (bench->document == NULL)
        die ("load the document to save", error);
      save (bench, outline, "First body.");
    }
}

/* The usual save: the body and one answer changed (the rows of the other
 * items stay). */
static void
run_save_edit (Bench   *bench,
               Measure *measure,
               guint    rep)
{
  g_autoptr(GPtrArray) outline = pqs_outline_copy (pqs_document_get_outline (bench->document));
  g_autofree char *body = g_strdup_printf ("The body, edited %u times.", rep);
  /* A question's (the first item may be a text block). */
  PqsOutlineItem *item = g_ptr_array_index (outline, 1 + rep % (outline->len - 1));

  g_free (item->answer);
  item->answer = g_strdup_printf ("An answer edited at repetition %u.", rep);
  save (bench, outline, body);
}

/* The heavy save: a different first item, so every one of the 50 rows is
 * deleted and written again (and indexed again). */
static void
run_save_rewrite (Bench   *bench,
                  Measure *measure,
                  guint    rep)
{
  /* Alternating shapes: the first item differs every time. */
  g_autoptr(GPtrArray) outline = make_outline (++bench->rewrites);
  g_autofree char *body = g_strdup_printf ("The body, rewritten %u times.", rep);

  save (bench, outline, body);
}

/* Running ------------------------------------------------------------------ */

static Measure measures[] = {
  { "list_open", "Open the document list (book order), read the first 50 rows",
    2.0, FALSE, 0, NULL, run_list_open },
  { "list_middle", "Jump to the middle of the list, read 50 rows", 2.0, FALSE, 0,
    setup_list_middle, run_list_middle },
  { "search_common", "Search for a common word ('" COMMON_WORD "'), best 20", 2.0, FALSE, 0,
    setup_search, run_search_common },
  { "search_rare", "Search for a rare word ('" PQS_DEMO_SEEDER_RARE_WORD "'), best 20", 2.0,
    FALSE, 0, setup_search, run_search_rare },
  { "save_edit", "Save a document with 50 line items (body and one answer changed)", 5.0,
    TRUE, 0, setup_save, run_save_edit },
  { "save_rewrite", "Save a document with 50 line items (all 50 rewritten)", 5.0, TRUE, 0,
    setup_save, run_save_rewrite },
  /* Informational. */
  { "list_recent", "Open the list, sort it by last change, read the first 50 rows", 0, FALSE, 0,
    NULL, run_recent },
  { "standards_open", "Open the standard list with per-status counts, first 50 rows", 0,
    FALSE, 0, NULL, run_standards },
  { "search_prefix", "Search as you type ('" PREFIX_TEXT "...', a prefix), best 20", 0, FALSE, 0,
    setup_search, run_search_prefix },
  { "search_exact", "Search for the common word ranking every match, best 20", 0, FALSE, 0,
    setup_search, run_search_exact },
};

static void
measure_run (Bench   *bench,
             Measure *measure)
{
  guint warmup = measure->writes ? 3 : 5;

  measure->wall_us = g_array_new (FALSE, FALSE, sizeof (double));
  measure->cpu_us = g_array_new (FALSE, FALSE, sizeof (double));
  measure->statements = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  measure->shell_cpu_us = g_array_new (FALSE, FALSE, sizeof (double));
  measure->shell_batch_us = -1;

  g_printerr ("* %s (%u repetitions)\n", measure->key, measure->reps);

  for (guint i = 0; i < warmup; i++)
    {
      if (measure->setup != NULL)
        measure->setup (bench, measure, 1000000 + i);
      measure->run (bench, measure, 1000000 + i);
    }

  if (measure->writes)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strconcat (measure->key, ".db", NULL);

      measure->snapshot = g_build_filename (bench->work_dir, name, NULL);
      g_unlink (measure->snapshot);
      if (!pqs_store_copy_to_file (bench->store, measure->snapshot, &error))
        die ("copy the database before the saves", error);
    }

  /* A query runs the same statements every time: they are recorded once,
   * untimed, since recording costs time of its own (bm25 and snippets run
   * statements of FTS5's for every row they visit, and the trace sees each). */
  if (!measure->writes)
    {
      GPtrArray *recorded = g_ptr_array_new_with_free_func (g_free);

      if (measure->setup != NULL)
        measure->setup (bench, measure, 0);
      record (bench, recorded);
      measure->run (bench, measure, 0);
      record (bench, NULL);
      for (guint rep = 0; rep < measure->reps; rep++)
        g_ptr_array_add (measure->statements, g_ptr_array_ref (recorded));
      g_ptr_array_unref (recorded);
    }

  for (guint rep = 0; rep < measure->reps; rep++)
    {
      gint64 wall;
      gint64 cpu;
      double value;

      if (measure->setup != NULL)
        measure->setup (bench, measure, rep);

      /* A save's statements differ every time (ids, times): recorded as
       * they run. */
      if (measure->writes)
        {
          g_ptr_array_add (measure->statements, g_ptr_array_new_with_free_func (g_free));
          record (bench, g_ptr_array_index (measure->statements, rep));
        }
      wall = g_get_monotonic_time ();
      cpu = cpu_now_us ();
      measure->run (bench, measure, rep);
      cpu = cpu_now_us () - cpu;
      wall = g_get_monotonic_time () - wall;
      record (bench, NULL);

      value = (double) wall;
      g_array_append_val (measure->wall_us, value);
      value = (double) cpu;
      g_array_append_val (measure->cpu_us, value);
    }
}

/* The shell ------------------------------------------------------------------ */

static char *
write_script (Bench      *bench,
              Measure    *measure,
              gboolean    timer,
              guint       warmup,
              const char *name)
{
  g_autoptr(GString) script = g_string_new (STORE_PRAGMAS);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (bench->work_dir, name, NULL);

  g_string_append (script, ".output /dev/null\n");
  if (timer)
    g_string_append (script, ".timer on\n");

  for (guint w = 0; w < warmup; w++)
    for (guint rep = 0; rep < measure->statements->len; rep++)
      {
        GPtrArray *statements = g_ptr_array_index (measure->statements, rep);

        for (guint i = 0; i < statements->len; i++)
          g_string_append_printf (script, "%s;\n", (char *) g_ptr_array_index (statements, i));
        break;
      }

  for (guint rep = 0; rep < measure->statements->len; rep++)
    {
      GPtrArray *statements = g_ptr_array_index (measure->statements, rep);

      for (guint i = 0; i < statements->len; i++)
        g_string_append_printf (script, "%s;\n", (char *) g_ptr_array_index (statements, i));
    }

  if (!g_file_set_contents (path, script->str, script->len, &error))
    die ("write a script for the shell", error);
  return path;
}

static gboolean
run_shell (Bench       *bench,
           const char  *db,
           const char  *script,
           char       **out_stdout,
           gint64      *out_wall_us,
           GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;
  gint64 started;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, script);
  started = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, error, bench->sqlite3, "-bail", db, NULL);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, &err, error))
    return FALSE;
  *out_wall_us = g_get_monotonic_time () - started;

  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "sqlite3: %s",
                   err != NULL ? g_strstrip (err) : "failed");
      return FALSE;
    }
  return TRUE;
}

static char *
fresh_copy (Bench   *bench,
            Measure *measure)
{
  g_autofree char *name = g_strconcat (measure->key, "-replay.db", NULL);
  char *copy = g_build_filename (bench->work_dir, name, NULL);
  g_autoptr(GFile) from = g_file_new_for_path (measure->snapshot);
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    die ("copy the snapshot", error);
  return copy;
}

static void
shell_measure (Bench   *bench,
               Measure *measure)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *timed = NULL;
  g_autofree char *timed_name = g_strconcat (measure->key, "-timed.sql", NULL);
  g_autofree char *batch = NULL;
  g_autofree char *batch_name = g_strconcat (measure->key, "-batch.sql", NULL);
  g_autofree char *empty = NULL;
  g_autofree char *out = NULL;
  g_autofree char *db = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) statement_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint warmup = measure->writes ? 0 : 5;
  guint skip = 0;
  guint next = 0;
  gint64 wall_batch = 0;
  gint64 wall_empty = G_MAXINT64;

  g_printerr ("* %s in sqlite3\n", measure->key);

  /* Per statement CPU from .timer; the warm-up repetitions are not kept. */
  timed = write_script (bench, measure, TRUE, warmup, timed_name);
  db = measure->writes ? fresh_copy (bench, measure) : g_strdup (bench->db_path);
  if (!run_shell (bench, db, timed, &out, &wall_batch, &error))
    {
      measure->shell_note = g_strdup (error->message);
      return;
    }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      double real, user, sys;

      if (sscanf (lines[i], "Run Time: real %lf user %lf sys %lf", &real, &user, &sys) == 3)
        {
          double cpu = (user + sys) * 1e6;

          g_array_append_val (statement_cpu, cpu);
        }
    }

  /* The timer starts after the pragmas; the warm-up's statements come first. */
  skip = 0;
  if (warmup > 0 && measure->statements->len > 0)
    skip = warmup * ((GPtrArray *) g_ptr_array_index (measure->statements, 0))->len;
  next = skip;
  for (guint rep = 0; rep < measure->statements->len; rep++)
    {
      GPtrArray *statements = g_ptr_array_index (measure->statements, rep);
      double sum = 0;

      for (guint i = 0; i < statements->len && next < statement_cpu->len; i++, next++)
        sum += g_array_index (statement_cpu, double, next);
      g_array_append_val (measure->shell_cpu_us, sum);
    }
  if (next != statement_cpu->len)
    measure->shell_note = g_strdup_printf ("%u timer lines for %u statements",
                                           statement_cpu->len, next);

  /* Wall time in one batch, less what starting the shell, opening and the
   * warm-up cost (a script of the warm-up alone). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&db, g_free);
  batch = write_script (bench, measure, FALSE, warmup, batch_name);
  {
    g_autoptr(GString) warm = g_string_new (STORE_PRAGMAS ".output /dev/null\n");
    GPtrArray *first = measure->statements->len > 0
                       ? g_ptr_array_index (measure->statements, 0) : NULL;

    for (guint w = 0; first != NULL && w < warmup; w++)
      for (guint i = 0; i < first->len; i++)
        g_string_append_printf (warm, "%s;\n", (char *) g_ptr_array_index (first, i));
    empty = g_build_filename (bench->work_dir, "warmup.sql", NULL);
    g_file_set_contents (empty, warm->str, -1, NULL);
  }
  db = measure->writes ? fresh_copy (bench, measure) : g_strdup (bench->db_path);
  for (guint i = 0; i < 3; i++)
    {
      gint64 wall = 0;

      g_clear_pointer (&out, g_free);
      if (!run_shell (bench, db, empty, &out, &wall, &error))
        {
          measure->shell_note = g_strdup (error->message);
          return;
        }
      wall_empty = MIN (wall_empty, wall);
    }
  /* Reads: the best of three runs; a save replays once, on its copy. */
  wall_batch = G_MAXINT64;
  for (guint i = 0; i < (measure->writes ? 1 : 3); i++)
    {
      gint64 wall = 0;

      g_clear_pointer (&out, g_free);
      if (!run_shell (bench, db, batch, &out, &wall, &error))
        {
          measure->shell_note = g_strdup (error->message);
          return;
        }
      wall_batch = MIN (wall_batch, wall);
    }
  measure->shell_batch_us = MAX (0, wall_batch - wall_empty) / (double) measure->statements->len;

  if (measure->writes)
    g_unlink (db);
}

/* Report -------------------------------------------------------------------- */

/* The 1, 5 and 15 minute load averages: a busy machine stretches the wall
 * times (the CPU times less so). */
static char *
load_average (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &contents, NULL, NULL))
    return g_strdup ("unknown");
  fields = g_strsplit (contents, " ", 4);
  if (g_strv_length (fields) < 3)
    return g_strdup ("unknown");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

static guint
statements_per_rep (Measure *measure)
{
  GPtrArray *first;

  if (measure->statements == NULL || measure->statements->len == 0)
    return 0;
  first = g_ptr_array_index (measure->statements, 0);
  return first->len;
}

static char *
cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "model name"))
        {
          const char *colon = strchr (lines[i], ':');

          if (colon != NULL)
            return g_strstrip (g_strdup (colon + 1));
        }
    }
  return g_strdup ("unknown");
}

static double
ratio (double a,
       double b)
{
  return a >= 0 && b > 0 ? a / b : -1;
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value,
            double       scale)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value / scale);
}

static void
report (Bench      *bench,
        const char *output)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autofree char *cpu = cpu_model ();
  g_autofree char *load = load_average ();
  g_autoptr(GError) error = NULL;
  struct utsname machine;
  GStatBuf buf;
  gint64 size = g_stat (bench->db_path, &buf) == 0 ? buf.st_size : -1;

  uname (&machine);

  g_print ("\nPQS Desk model benchmark - %s\n", when);
  g_print ("Machine: %s, %s, %u CPUs, load average %s; SQLite %s (library), shell %s\n",
           machine.machine, cpu, g_get_num_processors (), load, sqlite3_libversion (),
           bench->sqlite3);
  g_print ("Database: %s, %u documents, %" G_GINT64_FORMAT " MiB", bench->db_path,
           bench->n_documents, size / 1048576);
  if (bench->seed_seconds > 0)
    g_print (", seeded in %.1f s", bench->seed_seconds);
  g_print ("%s\n", bench->fts_merged ? ", search indexes merged (FTS5 optimize)" : "");
  g_print ("Times in ms. model = through PqsDocumentList/PqsSearch/PqsLibrary; shell = the "
           "same SQL in sqlite3.\n\n");
  g_print ("%-15s %6s %7s %7s %7s %7s %7s %7s %7s %6s %6s %5s\n", "operation", "reps",
           "wall50", "wall95", "cpu50", "cpu95", "sh-cpu50", "sh-cpu95", "sh-wall", "xcpu", "xwall",
           "goal");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, when);
  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "arch");
  json_builder_add_string_value (builder, machine.machine);
  json_builder_set_member_name (builder, "cpu");
  json_builder_add_string_value (builder, cpu);
  json_builder_set_member_name (builder, "nproc");
  json_builder_add_int_value (builder, g_get_num_processors ());
  json_builder_set_member_name (builder, "load_average");
  json_builder_add_string_value (builder, load);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "sqlite_version");
  json_builder_add_string_value (builder, sqlite3_libversion ());
  json_builder_set_member_name (builder, "documents");
  json_builder_add_int_value (builder, bench->n_documents);
  json_builder_set_member_name (builder, "database_bytes");
  json_builder_add_int_value (builder, size);
  json_builder_set_member_name (builder, "seed_seconds");
  if (bench->seed_seconds > 0)
    json_builder_add_double_value (builder, bench->seed_seconds);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "fts_merged");
  json_builder_add_boolean_value (builder, bench->fts_merged);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_object (builder);

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    {
      Measure *measure = &measures[m];
      double wall50 = percentile (measure->wall_us, 0.5);
      double wall95 = percentile (measure->wall_us, 0.95);
      double cpu50 = percentile (measure->cpu_us, 0.5);
      double cpu95 = percentile (measure->cpu_us, 0.95);
      double sh50 = percentile (measure->shell_cpu_us, 0.5);
      double sh95 = percentile (measure->shell_cpu_us, 0.95);
      double cpu_ratio = ratio (cpu50, sh50);
      double wall_ratio = ratio (mean (measure->wall_us), measure->shell_batch_us);
      const char *goal = measure->goal_ms <= 0 ? "info"
                         : wall95 / 1000 <= measure->goal_ms ? "met" : "MISSED";

      if (measure->wall_us == NULL)
        continue;

      g_print ("%-15s %6u %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %6.2f %6.2f %5s\n",
               measure->key, measure->reps, wall50 / 1000, wall95 / 1000, cpu50 / 1000,
               cpu95 / 1000, sh50 / 1000, sh95 / 1000, measure->shell_batch_us / 1000,
               cpu_ratio, wall_ratio, goal);
      if (measure->shell_note != NULL)
        g_print ("  (shell: %s)\n", measure->shell_note);

      json_builder_set_member_name (builder, measure->key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, measure->label);
      json_builder_set_member_name (builder, "repetitions");
      json_builder_add_int_value (builder, measure->reps);
      json_builder_set_member_name (builder, "statements_per_repetition");
      json_builder_add_int_value (builder, statements_per_rep (measure));
      add_double (builder, "model_wall_p50_ms", wall50, 1000);
      add_double (builder, "model_wall_p95_ms", wall95, 1000);
      add_double (builder, "model_wall_mean_ms", mean (measure->wall_us), 1000);
      add_double (builder, "model_cpu_p50_ms", cpu50, 1000);
      add_double (builder, "model_cpu_p95_ms", cpu95, 1000);
      add_double (builder, "shell_cpu_p50_ms", sh50, 1000);
      add_double (builder, "shell_cpu_p95_ms", sh95, 1000);
      add_double (builder, "shell_wall_mean_ms", measure->shell_batch_us, 1000);
      add_double (builder, "ratio_cpu_p50", cpu_ratio, 1);
      add_double (builder, "ratio_wall_mean", wall_ratio, 1);
      json_builder_set_member_name (builder, "goal_p95_ms");
      if (measure->goal_ms > 0)
        json_builder_add_double_value (builder, measure->goal_ms);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "goal");
      json_builder_add_string_value (builder, goal);
      if (measure->shell_note != NULL)
        {
          json_builder_set_member_name (builder, "shell_note");
          json_builder_add_string_value (builder, measure->shell_note);
        }
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  if (!json_generator_to_file (generator, output, &error))
    die ("write the results", error);

  g_print ("\nwall = the model's wall time, cpu = its thread's CPU time; sh-cpu = the shell's "
           "user+sys per operation (.timer);\nsh-wall = the shell's mean wall time per operation "
           "in one batch; xcpu = cpu50 / sh-cpu50; xwall = mean wall / sh-wall;\n"
           "goal = wall p95 against 2 ms (queries) or 5 ms (saves). JSON: %s\n", output);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *sqlite3_path = NULL;
  g_autofree char *only = NULL;
  int reps = 200;
  int save_reps = 50;
  double seed_seconds = 0;
  gboolean fts_merged = FALSE;
  Bench bench = { NULL, };
  gint64 count = 0;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The seeded database (required)", "PATH" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Where the JSON goes", "FILE" },
    { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &sqlite3_path, "The sqlite3 shell", "PATH" },
    { "repetitions", 0, 0, G_OPTION_ARG_INT, &reps, "Repetitions of each query (200)", "N" },
    { "save-repetitions", 0, 0, G_OPTION_ARG_INT, &save_reps, "Repetitions of each save (50)",
      "N" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Only the operations whose key starts so",
      "PREFIX" },
    { "seed-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seed_seconds,
      "How long seeding took, for the report", "S" },
    { "fts-merged", 0, 0, G_OPTION_ARG_NONE, &fts_merged,
      "The search indexes were merged after seeding, for the report", NULL },
    { NULL }
  };

  context = g_option_context_new ("- the model layer on a large database");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (db_path == NULL || reps < 5 || save_reps < 5)
    {
      g_printerr ("bench-model: --db PATH is required; repetitions at least 5.\n");
      return 2;
    }

  bench.db_path = db_path;
  bench.seed_seconds = seed_seconds;
  bench.fts_merged = fts_merged;
  bench.sqlite3 = g_strdup (sqlite3_path != NULL ? sqlite3_path : "sqlite3");
  bench.work_dir = g_dir_make_tmp ("pqs-bench-model-XXXXXX", &error);
  if (bench.work_dir == NULL)
    die ("temporary folder", error);

  bench.store = pqs_store_open (db_path, PQS_STORE_OPEN_EXISTING, &error);
  if (bench.store == NULL)
    die ("open", error);
  migrator = pqs_migrator_new (bench.store);
  if (!pqs_migrator_load (migrator, NULL, &error) ||
      !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error))
    die ("migrate", error);
  if (!pqs_store_query_int64 (bench.store, "SELECT count(*) FROM documents", &count, &error))
    die ("count", error);
  bench.n_documents = (guint) count;
  /* A draft in the middle to save, and one its saves leave alone otherwise. */
  if (!pqs_store_query_int64 (bench.store,
                              "SELECT id FROM documents WHERE status = 'draft' "
                              "ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM documents "
                              "WHERE status = 'draft')", &bench.save_id, &error) ||
      bench.save_id <= 0)
    die ("find a draft to save", error);

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    {
      Measure *measure = &measures[m];

      if (only != NULL && !g_str_has_prefix (measure->key, only))
        continue;
      measure->reps = measure->writes ? (guint) save_reps
                      : g_str_equal (measure->key, "search_exact") ? (guint) MAX (5, reps / 10)
                      : (guint) reps;
      measure_run (&bench, measure);
    }

  g_clear_object (&bench.list);
  g_clear_object (&bench.search);
  g_clear_object (&bench.document);
  g_clear_object (&bench.author);
  g_clear_object (&bench.library);
  g_clear_object (&migrator);
  /* The shell should find the file as the model left it, log folded in. */
  g_clear_object (&bench.store);

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    if (measures[m].wall_us != NULL)
      shell_measure (&bench, &measures[m]);

  report (&bench, output != NULL ? output : BENCH_DEFAULT_OUTPUT);

  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    if (measures[m].snapshot != NULL)
      g_unlink (measures[m].snapshot);
  {
    g_autoptr(GDir) dir = g_dir_open (bench.work_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (bench.work_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (bench.work_dir);
  }
  g_free (bench.work_dir);
  g_free (bench.sqlite3);

  return 0;
}
