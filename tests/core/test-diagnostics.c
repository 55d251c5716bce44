/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-diagnostics.c: PqsDiagnostics and `pqs-admin check | optimize |
 * checkpoint` on real, migrated databases in a temporary folder, healthy
 * and damaged on purpose. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pqs-diagnostics.h"
#include "pqs-migrator.h"
#include "pqs-test-util.h"

typedef struct
{
  char     *dir;
  char     *db;
  PqsStore *store;
} Fixture;

static void
fixture_free (Fixture *fixture)
{
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static guint
latest_version (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_getenv ("PQS_MIGRATIONS_SRCDIR"), 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sql") && !g_str_has_suffix (name, ".down.sql"))
      count++;

  return count;
}

static void
exec (PqsStore   *store,
      const char *sql)
{
  pqs_test_exec (pqs_store_get_handle (store), sql);
}

static gint64
query_int (PqsStore   *store,
           const char *sql)
{
  return pqs_test_query_int (pqs_store_get_handle (store), sql);
}

static gint64
size_of (const char *path)
{
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return -1;
  return buf.st_size;
}

/* @n_documents documents of about @content_bytes each, with a user and
 * enough standards for the unique section numbers. */
static void
populate (PqsStore *store,
          guint     n_documents,
          guint     content_bytes)
{
  sqlite3 *db = pqs_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) content = g_string_new (NULL);

  exec (store, "BEGIN");
  exec (store, "INSERT INTO users (username, email, password_hash, full_name, role) "
               "VALUES ('admin', 'admin@ship.example', 'x', 'Admin', 'admin')");
  for (guint s = 0; s <= n_documents / 297; s++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO standards (title) "
                                              "VALUES ('Standard %u')", s);
      exec (store, sql);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO documents (standard_id, title, section, "
                                       "document_number, content, created_by) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5, 1)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  for (guint i = 0; i < n_documents; i++)
    {
      g_autofree char *title = g_strdup_printf ("Main propulsion %u", i);
      guint section = 100 * (1 + (i / 99) % 3);

      g_string_truncate (content, 0);
      while (content->len < content_bytes)
        g_string_append_printf (content, "boiler feed pump %u lube oil pressure gauge ", i);

      sqlite3_bind_int (stmt, 1, 1 + i / 297);
      sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, section);
      sqlite3_bind_int (stmt, 4, section + 1 + i % 99);
      sqlite3_bind_text (stmt, 5, content->str, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  exec (store, "COMMIT");
}

static Fixture *
fixture_new (guint n_documents,
             guint content_bytes)
{
  Fixture *fixture = g_new0 (Fixture, 1);
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = pqs_test_tmpdir_new ();
  fixture->db = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_store (fixture->db);

  migrator = pqs_migrator_new (fixture->store);
  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error);
  g_assert_no_error (error);

  if (n_documents > 0)
    populate (fixture->store, n_documents, content_bytes);

  return fixture;
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
to_object (JsonParser *parser,
           JsonNode   *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  /* Through text, as the command line prints it. */
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  json_node_unref (node);

  return parse_object (parser, text);
}

G_GNUC_NULL_TERMINATED static int
admin (char       **out,
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

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = pqs_test_run_admin ((const char * const *) args->pdata, &local_out, &local_err);
  g_test_message ("pqs-admin exited with %d\nstdout: %s\nstderr: %s", status, local_out,
                  local_err);

  if (out != NULL)
    *out = g_steal_pointer (&local_out);
  if (err != NULL)
    *err = g_steal_pointer (&local_err);

  return status;
}

/* Exactly one line that starts with "pqs-admin: ". */
static void
assert_error_line (const char *err)
{
  const char *newline;

  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
  newline = strchr (err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpint (newline[1], ==, '\0');
}

static PqsTableStats *
find_table (PqsDiagnosticsReport *report,
            const char           *name)
{
  GListModel *tables = pqs_diagnostics_report_get_tables (report);

  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(PqsTableStats) table = g_list_model_get_item (tables, i);

      if (g_str_equal (pqs_table_stats_get_name (table), name))
        return table;   /* the report keeps it alive */
    }

  return NULL;
}

static gboolean
problems_mention (PqsDiagnosticsReport *report,
                  const char           *needle)
{
  const char * const *problems = pqs_diagnostics_report_get_problems (report);

  for (guint i = 0; problems[i] != NULL; i++)
    if (strstr (problems[i], needle) != NULL)
      return TRUE;

  return FALSE;
}

/* Health ------------------------------------------------------------------- */

static void
test_health (void)
{
  g_autoptr(Fixture) fixture = fixture_new (10, 100);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsHealthReport) health = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_mode = NULL;
  g_autofree char *wal = g_strconcat (fixture->db, "-wal", NULL);
  JsonObject *object;

  health = pqs_diagnostics_get_health (diagnostics, &error);
  g_assert_no_error (error);

  g_assert_true (pqs_health_report_get_opened (health));
  g_assert_cmpstr (pqs_health_report_get_path (health), ==, fixture->db);
  g_assert_cmpstr (pqs_health_report_get_journal_mode (health), ==, "wal");
  g_assert_true (pqs_health_report_get_foreign_keys (health));
  g_assert_cmpint (pqs_health_report_get_busy_timeout (health), ==,
                   pqs_store_get_busy_timeout (fixture->store));
  g_assert_cmpint (pqs_health_report_get_page_size (health), >=, 512);
  g_assert_cmpint (pqs_health_report_get_page_count (health), >, 10);
  g_assert_cmpint (pqs_health_report_get_freelist_count (health), >=, 0);
  g_assert_cmpint (pqs_health_report_get_file_size (health), >, 0);
  g_assert_cmpint (pqs_health_report_get_wal_size (health), ==, MAX (size_of (wal), 0));
  g_assert_cmpint (pqs_health_report_get_response_time (health), >=, 0);
  g_assert_cmpint (pqs_health_report_get_response_time (health), <, G_USEC_PER_SEC);
  g_assert_cmpuint (pqs_health_report_get_schema_version (health), ==, latest_version ());

  /* Bindable: the values are properties too. */
  g_object_get (health, "journal-mode", &journal_mode, NULL);
  g_assert_cmpstr (journal_mode, ==, "wal");

  object = to_object (parser, pqs_health_report_to_json (health));
  g_assert_cmpstr (json_object_get_string_member (object, "journal_mode"), ==, "wal");
  g_assert_true (json_object_get_boolean_member (object, "foreign_keys"));
  g_assert_cmpint (json_object_get_int_member (object, "page_size"), ==,
                   pqs_health_report_get_page_size (health));
  g_assert_cmpint (json_object_get_int_member (object, "schema_version"), ==, latest_version ());
  g_assert_true (json_object_has_member (object, "response_time_us"));
  g_assert_true (json_object_has_member (object, "wal_size"));
  g_assert_true (json_object_has_member (object, "freelist_count"));
}

/* A healthy database -------------------------------------------------------- */

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_check_healthy (void)
{
  g_autoptr(Fixture) fixture = fixture_new (500, 300);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsDiagnosticsReport) report = NULL;
  g_autoptr(PqsDiagnosticsReport) quick = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  PqsTableStats *table;
  JsonObject *object;
  JsonArray *tables;
  guint notified = 0;

  g_signal_connect (diagnostics, "notify::last-report", G_CALLBACK (notify_count_cb),
                    &notified);

  report = pqs_diagnostics_check (diagnostics, PQS_CHECK_FULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; pqs_diagnostics_report_get_problems (report)[i] != NULL; i++)
    g_test_message ("problem: %s", pqs_diagnostics_report_get_problems (report)[i]);

  g_assert_true (pqs_diagnostics_report_get_ok (report));
  g_assert_cmpuint (g_strv_length ((char **) pqs_diagnostics_report_get_problems (report)),
                    ==, 0);
  g_assert_true (pqs_diagnostics_report_get_integrity_ok (report));
  g_assert_cmpstr (pqs_diagnostics_report_get_integrity_messages (report)[0], ==, "ok");
  g_assert_cmpuint (pqs_diagnostics_report_get_foreign_key_violations (report), ==, 0);
  g_assert_true (pqs_diagnostics_report_get_fts_ok (report));
  g_assert_true (pqs_diagnostics_report_get_migrations_ok (report));
  g_assert_true (pqs_diagnostics_get_last_report (diagnostics) == report);
  g_assert_cmpuint (notified, ==, 1);

  table = find_table (report, "documents");
  g_assert_nonnull (table);
  g_assert_cmpstr (pqs_table_stats_get_kind (table), ==, "table");
  g_assert_cmpint (pqs_table_stats_get_row_count (table), ==, 500);
  g_assert_cmpuint (pqs_table_stats_get_index_count (table), ==,
                    query_int (fixture->store, "SELECT count(*) FROM sqlite_schema "
                                               "WHERE type = 'index' "
                                               "AND tbl_name = 'documents'"));
  g_assert_cmpuint (pqs_table_stats_get_index_count (table), >=, 5);
  table = find_table (report, "users");
  g_assert_cmpint (pqs_table_stats_get_row_count (table), ==, 1);
  table = find_table (report, "documents_fts");
  g_assert_cmpstr (pqs_table_stats_get_kind (table), ==, "fts");
  g_assert_cmpint (pqs_table_stats_get_row_count (table), ==, -1);
  table = find_table (report, "documents_fts_data");
  g_assert_cmpstr (pqs_table_stats_get_kind (table), ==, "fts-shadow");
  table = find_table (report, "sqlite_sequence");
  g_assert_cmpstr (pqs_table_stats_get_kind (table), ==, "internal");

  object = to_object (parser, pqs_diagnostics_report_to_json (report));
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "problems")),
                    ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "health"),
                                                  "journal_mode"), ==, "wal");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "integrity"),
                                                  "check"), ==, "integrity_check");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (object, "fts"),
                                                 "ok"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object,
                                                                              "foreign_keys"),
                                               "violations"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object,
                                                                              "migrations"),
                                               "latest_version"), ==, latest_version ());
  tables = json_object_get_array_member (object, "tables");
  g_assert_cmpuint (json_array_get_length (tables), ==,
                    g_list_model_get_n_items (pqs_diagnostics_report_get_tables (report)));

  quick = pqs_diagnostics_check (diagnostics, PQS_CHECK_QUICK, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_diagnostics_report_get_ok (quick));
  g_assert_cmpint (pqs_diagnostics_report_get_level (quick), ==, PQS_CHECK_QUICK);
  g_assert_cmpuint (notified, ==, 2);

  /* A caller's own finding makes the report not ok, and says so. */
  pqs_diagnostics_report_add_problem (quick, "Something else is wrong.");
  g_assert_false (pqs_diagnostics_report_get_ok (quick));
  g_assert_true (problems_mention (quick, "Something else"));
}

typedef struct
{
  GMainLoop *loop;
  GObject   *result;
  GError    *error;
} AsyncWait;

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = G_OBJECT (pqs_diagnostics_check_finish (PQS_DIAGNOSTICS (source), result,
                                                         &wait->error));
  g_main_loop_quit (wait->loop);
}

static void
test_check_async (void)
{
  g_autoptr(Fixture) fixture = fixture_new (200, 200);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  guint busy_changes = 0;

  g_signal_connect (diagnostics, "notify::busy", G_CALLBACK (notify_count_cb), &busy_changes);

  pqs_diagnostics_check_async (diagnostics, PQS_CHECK_FULL, NULL, check_done_cb, &wait);
  g_assert_true (pqs_diagnostics_get_busy (diagnostics));
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_true (PQS_IS_DIAGNOSTICS_REPORT (wait.result));
  g_assert_true (pqs_diagnostics_report_get_ok (PQS_DIAGNOSTICS_REPORT (wait.result)));
  g_assert_true (pqs_diagnostics_get_last_report (diagnostics) ==
                 PQS_DIAGNOSTICS_REPORT (wait.result));
  g_assert_false (pqs_diagnostics_get_busy (diagnostics));
  g_assert_cmpuint (busy_changes, ==, 2);
  g_clear_object (&wait.result);

  /* Cancelled: an error, not a report. */
  g_cancellable_cancel (cancellable);
  pqs_diagnostics_check_async (diagnostics, PQS_CHECK_FULL, cancellable, check_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (wait.result);
  g_clear_error (&wait.error);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsDiagnosticsReport) report =
      pqs_diagnostics_check (diagnostics, PQS_CHECK_FULL, cancellable, &error);

    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (report);
  }

  g_main_loop_unref (wait.loop);
}

/* A damaged file ------------------------------------------------------------ */

static void
overwrite (const char   *path,
           gint64        offset,
           const guint8 *bytes,
           gsize         length)
{
  FILE *file = fopen (path, "r+b");

  g_assert_nonnull (file);
  g_assert_cmpint (fseeko (file, offset, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (bytes, 1, length, file), ==, length);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* Inverts the b-tree page header and the first cell pointers of @page. */
static void
flip_page_header (const char *path,
                  gint64      page_size,
                  gint64      page)
{
  g_autoptr(GBytes) contents = pqs_test_read_file (path);
  const guint8 *data = g_bytes_get_data (contents, NULL);
  gint64 offset = (page - 1) * page_size;
  guint8 flipped[24];

  g_assert_cmpint (page, >, 1);
  g_assert_cmpint (offset + (gint64) sizeof flipped, <=, (gint64) g_bytes_get_size (contents));
  for (guint i = 0; i < sizeof flipped; i++)
    flipped[i] = data[offset + i] ^ 0xff;
  overwrite (path, offset, flipped, sizeof flipped);
}

static void
randomize_page (const char *path,
                gint64      page_size,
                gint64      page,
                guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *bytes = g_malloc (page_size);

  g_assert_cmpint (page, >, 1);
  for (gint64 i = 0; i < page_size; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  overwrite (path, (page - 1) * page_size, bytes, page_size);
}

typedef enum
{
  DAMAGE_TABLE_LEAF,
  DAMAGE_TABLE_ROOT,
  DAMAGE_INDEX_LEAF,
  DAMAGE_INDEX_ROOT,
  DAMAGE_MIDDLE_RANDOM,
  DAMAGE_HEADER,
} Damage;

/* A leaf page of @name from dbstat when SQLite has it, else its root page. */
static gint64
page_of (PqsStore   *store,
         const char *name,
         gboolean    leaf)
{
  sqlite3 *db = pqs_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;
  gint64 page = 0;

  if (leaf && sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE name = ?1 "
                                      "AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 1",
                                  -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        page = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (page > 0)
        return page;
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return page;
}

/* Makes a damaged copy of the fixture's database; returns its path. */
static char *
damaged_copy (Fixture    *fixture,
              Damage      damage,
              guint32     seed)
{
  g_autofree char *name = g_strdup_printf ("damaged-%d-%u.db", damage, seed);
  char *copy = g_build_filename (fixture->dir, name, NULL);
  gint64 page_size = query_int (fixture->store, "PRAGMA page_size");
  gint64 page_count = query_int (fixture->store, "PRAGMA page_count");
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsMaintenanceReport) checkpoint = NULL;

  /* Everything in the main file, so that a copy of it alone is complete. */
  checkpoint = pqs_diagnostics_checkpoint (diagnostics, &error);
  g_assert_no_error (error);
  pqs_test_copy_file (fixture->db, copy);

  switch (damage)
    {
    case DAMAGE_TABLE_LEAF:
      flip_page_header (copy, page_size, page_of (fixture->store, "documents", TRUE));
      break;
    case DAMAGE_TABLE_ROOT:
      flip_page_header (copy, page_size, page_of (fixture->store, "documents", FALSE));
      break;
    case DAMAGE_INDEX_LEAF:
      flip_page_header (copy, page_size,
                        page_of (fixture->store, "idx_documents_updated_at", TRUE));
      break;
    case DAMAGE_INDEX_ROOT:
      flip_page_header (copy, page_size,
                        page_of (fixture->store, "ux_documents_standard_section_number", FALSE));
      break;
    case DAMAGE_MIDDLE_RANDOM:
      randomize_page (copy, page_size, page_count / 2 + seed % 7, seed);
      break;
    case DAMAGE_HEADER:
      {
        g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
        guint8 bytes[100];

        for (guint i = 0; i < sizeof bytes; i++)
          bytes[i] = g_rand_int_range (rand, 0, 256);
        overwrite (copy, 0, bytes, sizeof bytes);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  return copy;
}

/* Checks @path in-process: a report that is not ok, or a clean error. */
static void
assert_damaged_in_process (const char    *path,
                           PqsCheckLevel  level)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDiagnostics) diagnostics = NULL;
  g_autoptr(PqsDiagnosticsReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  store = pqs_store_open (path, PQS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    {
      g_test_message ("%s: %s", path, error->message);
      g_assert_true (g_error_matches (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT) ||
                     g_error_matches (error, PQS_STORE_ERROR, PQS_STORE_ERROR_NOT_A_DATABASE));
      report = pqs_diagnostics_report_new_for_error (path, error);
      g_assert_false (pqs_health_report_get_opened (pqs_diagnostics_report_get_health (report)));
    }
  else
    {
      diagnostics = pqs_diagnostics_new (store);
      report = pqs_diagnostics_check (diagnostics, level, NULL, &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; pqs_diagnostics_report_get_problems (report)[i] != NULL; i++)
    g_test_message ("%s: %s", path, pqs_diagnostics_report_get_problems (report)[i]);

  g_assert_false (pqs_diagnostics_report_get_ok (report));
  g_assert_cmpuint (g_strv_length ((char **) pqs_diagnostics_report_get_problems (report)),
                    >, 0);
  if (store != NULL && pqs_health_report_get_opened (pqs_diagnostics_report_get_health (report)))
    g_assert_false (pqs_diagnostics_report_get_integrity_ok (report));

  object = to_object (parser, pqs_diagnostics_report_to_json (report));
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "problems")),
                    >, 0);
}

static void
assert_damaged_cli (const char *path)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json_out = NULL;
  g_autofree char *json_err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_cmpint (admin (&out, &err, "--db", path, "check", NULL), ==, 1);
  assert_error_line (err);
  g_assert_nonnull (strstr (out, "problem"));

  g_assert_cmpint (admin (&json_out, &json_err, "--db", path, "check", "--json", NULL), ==, 1);
  assert_error_line (json_err);
  object = parse_object (parser, json_out);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (object, "database"), ==, path);
}

static void
test_check_damaged (void)
{
  g_autoptr(Fixture) fixture = fixture_new (3000, 600);
  static const struct {
    Damage  damage;
    guint32 seed;
    gboolean cli;
  } cases[] = {
    { DAMAGE_TABLE_LEAF, 0, TRUE },
    { DAMAGE_TABLE_ROOT, 0, FALSE },
    { DAMAGE_INDEX_LEAF, 0, TRUE },
    { DAMAGE_INDEX_ROOT, 0, FALSE },
    { DAMAGE_MIDDLE_RANDOM, 1, TRUE },
    { DAMAGE_MIDDLE_RANDOM, 2, FALSE },
    { DAMAGE_MIDDLE_RANDOM, 3, FALSE },
    { DAMAGE_MIDDLE_RANDOM, 4, FALSE },
    { DAMAGE_HEADER, 5, TRUE },
  };

  /* The pristine copy is healthy: the damage is what the check finds. */
  {
    g_autofree char *copy = g_build_filename (fixture->dir, "pristine.db", NULL);
    g_autofree char *out = NULL;
    g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
    g_autoptr(PqsMaintenanceReport) checkpoint = pqs_diagnostics_checkpoint (diagnostics, NULL);

    g_assert_nonnull (checkpoint);
    pqs_test_copy_file (fixture->db, copy);
    g_assert_cmpint (admin (&out, NULL, "--db", copy, "check", NULL), ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *copy = damaged_copy (fixture, cases[i].damage, cases[i].seed);

      g_test_message ("damage %d seed %u", cases[i].damage, cases[i].seed);
      assert_damaged_in_process (copy, PQS_CHECK_FULL);
      assert_damaged_in_process (copy, PQS_CHECK_QUICK);
      if (cases[i].cli)
        assert_damaged_cli (copy);
    }
}

static void
test_check_not_a_database (void)
{
  g_autoptr(Fixture) fixture = fixture_new (0, 0);
  g_autofree char *path = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "This is not a database, just notes about the boiler.\n");
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);

  assert_damaged_in_process (path, PQS_CHECK_FULL);

  g_assert_cmpint (admin (&out, &err, "--db", path, "check", "--json", NULL), ==, 1);
  assert_error_line (err);
  object = parse_object (parser, out);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (object,
                                                                                 "health"),
                                                  "opened"));
}

/* Foreign keys -------------------------------------------------------------- */

static void
test_foreign_keys (void)
{
  g_autoptr(Fixture) fixture = fixture_new (20, 100);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsDiagnosticsReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *object;
  JsonArray *rows;

  /* Orphans, as a tool that forgot foreign_keys=ON would write them. */
  exec (fixture->store, "PRAGMA foreign_keys = OFF");
  exec (fixture->store, "INSERT INTO documents (id, standard_id, title, section, "
                        "document_number, created_by) VALUES (9001, 777, 'Orphan', 100, 150, 1)");
  exec (fixture->store, "INSERT INTO document_changes (document_id, user_id, change_type, "
                        "version) VALUES (1, 555, 'update', 1)");
  exec (fixture->store, "PRAGMA foreign_keys = ON");

  report = pqs_diagnostics_check (diagnostics, PQS_CHECK_FULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pqs_diagnostics_report_get_ok (report));
  g_assert_true (pqs_diagnostics_report_get_integrity_ok (report));
  g_assert_cmpuint (pqs_diagnostics_report_get_foreign_key_violations (report), ==, 2);
  g_assert_true (problems_mention (report, "documents"));
  g_assert_true (problems_mention (report, "standards"));
  g_assert_true (problems_mention (report, "standard_id"));
  g_assert_true (problems_mention (report, "user_id"));

  object = to_object (parser, pqs_diagnostics_report_to_json (report));
  object = json_object_get_object_member (object, "foreign_keys");
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "violations"), ==, 2);
  rows = json_object_get_array_member (object, "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *table = json_object_get_string_member (row, "table");

      if (g_str_equal (table, "documents"))
        {
          g_assert_cmpint (json_object_get_int_member (row, "rowid"), ==, 9001);
          g_assert_cmpstr (json_object_get_string_member (row, "parent"), ==, "standards");
          g_assert_cmpstr (json_object_get_string_member (row, "column"), ==, "standard_id");
        }
      else
        {
          g_assert_cmpstr (table, ==, "document_changes");
          g_assert_cmpstr (json_object_get_string_member (row, "parent"), ==, "users");
          g_assert_cmpstr (json_object_get_string_member (row, "column"), ==, "user_id");
        }
    }

  g_assert_cmpint (admin (&out, &err, "--db", fixture->db, "check", NULL), ==, 1);
  assert_error_line (err);
  g_assert_nonnull (strstr (out, "9001"));
}

/* The full-text index ------------------------------------------------------- */

static void
rebuild_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = G_OBJECT (pqs_diagnostics_rebuild_fts_finish (PQS_DIAGNOSTICS (source),
                                                               result, &wait->error));
  g_main_loop_quit (wait->loop);
}

static void
test_fts (void)
{
  g_autoptr(Fixture) fixture = fixture_new (300, 200);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsDiagnosticsReport) report = NULL;
  g_autoptr(PqsDiagnosticsReport) after = NULL;
  g_autoptr(PqsMaintenanceReport) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *trigger = NULL;
  g_autofree char *out = NULL;
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  g_assert_true (pqs_diagnostics_check_fts (diagnostics, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_clear_pointer (&problems, g_strfreev);

  /* Change documents behind the index's back. */
  trigger = pqs_test_query_text (pqs_store_get_handle (fixture->store),
                                 "SELECT sql FROM sqlite_schema "
                                 "WHERE name = 'documents_fts_after_update'");
  g_assert_nonnull (trigger);
  exec (fixture->store, "DROP TRIGGER documents_fts_after_update");
  exec (fixture->store, "UPDATE documents SET content = 'replaced without the index' "
                        "WHERE id <= 10");
  exec (fixture->store, trigger);

  g_assert_false (pqs_diagnostics_check_fts (diagnostics, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "documents_fts"));

  report = pqs_diagnostics_check (diagnostics, PQS_CHECK_FULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pqs_diagnostics_report_get_ok (report));
  g_assert_false (pqs_diagnostics_report_get_fts_ok (report));
  g_assert_true (pqs_diagnostics_report_get_integrity_ok (report));
  g_assert_true (problems_mention (report, "documents_fts"));

  g_assert_cmpint (admin (&out, NULL, "--db", fixture->db, "check", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "documents_fts"));

  /* Rebuilt in a thread, the index matches again. */
  pqs_diagnostics_rebuild_fts_async (diagnostics, NULL, rebuild_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_true (pqs_maintenance_report_get_ok (PQS_MAINTENANCE_REPORT (wait.result)));
  g_assert_cmpstr (pqs_maintenance_report_get_operation (PQS_MAINTENANCE_REPORT (wait.result)),
                   ==, "rebuild-fts");
  g_clear_object (&wait.result);
  g_main_loop_unref (wait.loop);

  after = pqs_diagnostics_check (diagnostics, PQS_CHECK_FULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_diagnostics_report_get_fts_ok (after));
  g_assert_true (pqs_diagnostics_report_get_ok (after));
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM documents_fts "
                                              "WHERE documents_fts MATCH 'replaced'"), ==, 10);

  merged = pqs_diagnostics_optimize_fts (diagnostics, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_maintenance_report_get_ok (merged));
  g_assert_true (pqs_diagnostics_check_fts (diagnostics, NULL, &error));
  g_assert_no_error (error);
}

/* VACUUM and checkpoint ----------------------------------------------------- */

static void
optimize_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = G_OBJECT (pqs_diagnostics_optimize_finish (PQS_DIAGNOSTICS (source), result,
                                                            &wait->error));
  g_main_loop_quit (wait->loop);
}

static void
test_optimize (void)
{
  g_autoptr(Fixture) fixture = fixture_new (2000, 2000);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsMaintenanceReport) checkpoint = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  AsyncWait wait = { g_main_loop_new (NULL, FALSE), NULL, NULL };
  PqsMaintenanceReport *report;
  gint64 file_before;
  gint64 file_after;
  JsonObject *object;

  exec (fixture->store, "DELETE FROM documents WHERE id % 10 <> 0");
  checkpoint = pqs_diagnostics_checkpoint (diagnostics, &error);
  g_assert_no_error (error);
  file_before = size_of (fixture->db);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA freelist_count"), >, 100);

  pqs_diagnostics_optimize_async (diagnostics, NULL, optimize_done_cb, &wait);
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  report = PQS_MAINTENANCE_REPORT (wait.result);

  file_after = size_of (fixture->db);
  g_test_message ("file %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT ", saved %" G_GINT64_FORMAT,
                  file_before, file_after, pqs_maintenance_report_get_bytes_saved (report));
  g_assert_true (pqs_maintenance_report_get_ok (report));
  g_assert_cmpint (pqs_maintenance_report_get_size_before (report), ==, file_before);
  g_assert_cmpint (pqs_maintenance_report_get_bytes_saved (report), >, 1000000);
  g_assert_cmpint (pqs_maintenance_report_get_size_after (report), ==, file_after);
  g_assert_cmpint (file_after, <, file_before / 2);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA freelist_count"), ==, 0);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM sqlite_stat1"), >, 0);
  g_assert_cmpint (query_int (fixture->store, "SELECT count(*) FROM documents"), ==, 200);

  object = to_object (parser, pqs_maintenance_report_to_json (report));
  g_assert_cmpstr (json_object_get_string_member (object, "operation"), ==, "optimize");
  g_assert_cmpint (json_object_get_int_member (object, "bytes_saved"), ==,
                   pqs_maintenance_report_get_bytes_saved (report));
  g_clear_object (&wait.result);
  g_main_loop_unref (wait.loop);

  /* The command line also merges the search index's segments, which the
   * deletions above left full of tombstones: more space to save. */
  g_assert_cmpint (admin (&out, NULL, "--db", fixture->db, "optimize", "--json", NULL), ==, 0);
  object = parse_object (parser, out);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "bytes_saved"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (object, "size_after"), ==, size_of (fixture->db));
  g_assert_true (json_object_has_member (object, "fts"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (&out, NULL, "--db", fixture->db, "optimize", "--rebuild-fts", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "saved"));
}

static void
test_checkpoint (void)
{
  g_autoptr(Fixture) fixture = fixture_new (0, 0);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsMaintenanceReport) report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->db, "-wal", NULL);
  g_autofree char *out = NULL;
  JsonObject *object;

  /* Small enough to stay below the automatic checkpoint (1000 pages). */
  populate (fixture->store, 200, 500);
  g_assert_cmpint (size_of (wal), >, 0);

  report = pqs_diagnostics_checkpoint (diagnostics, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_maintenance_report_get_ok (report));
  g_assert_cmpint (pqs_maintenance_report_get_wal_frames (report), >, 0);
  g_assert_cmpint (pqs_maintenance_report_get_checkpointed_frames (report), ==,
                   pqs_maintenance_report_get_wal_frames (report));
  g_assert_cmpint (pqs_maintenance_report_get_wal_size_after (report), ==, 0);
  g_assert_cmpint (size_of (wal), ==, 0);

  /* From another process, while this one keeps its connection open. */
  exec (fixture->store, "UPDATE documents SET title = title || ' (rev. 2)'");
  g_assert_cmpint (size_of (wal), >, 0);
  g_assert_cmpint (admin (&out, NULL, "--db", fixture->db, "checkpoint", "--json", NULL), ==, 0);
  object = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (object, "operation"), ==, "checkpoint");
  g_assert_cmpint (json_object_get_int_member (object, "wal_frames"), >, 0);
  g_assert_cmpint (json_object_get_int_member (object, "wal_size_after"), ==, 0);
  g_assert_cmpint (size_of (wal), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (admin (&out, NULL, "--db", fixture->db, "checkpoint", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "frames"));
}

/* Slow-query log ------------------------------------------------------------ */

static void
run_counting_query (PqsStore *store,
                    guint     limit)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pqs_store_get_handle (store),
                                       "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
                                       "SELECT x + 1 FROM c WHERE x < ?1) "
                                       "SELECT count(*) FROM c", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, limit);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, limit);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
test_slow_queries (void)
{
  g_autoptr(Fixture) fixture = fixture_new (0, 0);
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(GListModel) queries = NULL;
  g_autoptr(PqsSlowQuery) query = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *expected = NULL;
  JsonObject *object;
  JsonArray *array;
  guint notified = 0;

  g_assert_cmpuint (pqs_diagnostics_get_slow_query_threshold (diagnostics), ==, 50);
  g_assert_cmpuint (pqs_diagnostics_get_slow_query_capacity (diagnostics), ==, 100);
  g_signal_connect (diagnostics, "notify::n-slow-queries", G_CALLBACK (notify_count_cb),
                    &notified);

  pqs_diagnostics_install_slow_query_log (diagnostics, fixture->store);

  /* Under the threshold: nothing. */
  pqs_diagnostics_set_slow_query_threshold (diagnostics, 60000);
  run_counting_query (fixture->store, 100000);
  g_assert_cmpuint (pqs_diagnostics_get_n_slow_queries (diagnostics), ==, 0);

  /* A deliberately slow query. */
  g_object_set (diagnostics, "slow-query-threshold", 1, NULL);
  run_counting_query (fixture->store, 3000000);
  g_assert_cmpuint (pqs_diagnostics_get_n_slow_queries (diagnostics), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (notified, ==, 1);

  queries = pqs_diagnostics_dup_slow_queries (diagnostics);
  query = g_list_model_get_item (queries, 0);
  g_assert_nonnull (strstr (pqs_slow_query_get_sql (query), "WITH RECURSIVE"));
  g_assert_nonnull (strstr (pqs_slow_query_get_sql (query), "x < ?1"));
  g_assert_nonnull (strstr (pqs_slow_query_get_expanded_sql (query), "x < 3000000"));
  g_assert_cmpint (pqs_slow_query_get_duration (query), >=, 1000);
  g_assert_nonnull (pqs_slow_query_get_time (query));
  g_clear_object (&query);
  g_clear_object (&queries);

  /* The ring keeps the newest. */
  pqs_diagnostics_set_slow_query_capacity (diagnostics, 3);
  for (guint i = 0; i < 6; i++)
    run_counting_query (fixture->store, 300000 + i);
  g_assert_cmpuint (pqs_diagnostics_get_n_slow_queries (diagnostics), ==, 3);
  queries = pqs_diagnostics_dup_slow_queries (diagnostics);
  g_assert_cmpuint (g_list_model_get_n_items (queries), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PqsSlowQuery) item = g_list_model_get_item (queries, i);
      g_autofree char *needle = g_strdup_printf ("x < %u", 300003 + i);

      g_assert_nonnull (strstr (pqs_slow_query_get_expanded_sql (item), needle));
    }

  object = to_object (parser, pqs_diagnostics_slow_queries_to_json (diagnostics));
  g_assert_cmpint (json_object_get_int_member (object, "threshold_ms"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "capacity"), ==, 3);
  array = json_object_get_array_member (object, "queries");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  expected = g_strdup_printf ("x < %u", 300005);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (array,
                                                                                          2),
                                                           "expanded_sql"), expected));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 2),
                                               "duration_us"), >=, 1000);

  /* Removed: no more entries. */
  pqs_diagnostics_clear_slow_queries (diagnostics);
  pqs_diagnostics_remove_slow_query_log (diagnostics);
  run_counting_query (fixture->store, 300000);
  g_assert_cmpuint (pqs_diagnostics_get_n_slow_queries (diagnostics), ==, 0);

  /* Going away first leaves the store usable. */
  pqs_diagnostics_install_slow_query_log (diagnostics, fixture->store);
  g_clear_object (&diagnostics);
  run_counting_query (fixture->store, 300000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Command line -------------------------------------------------------------- */

static void
test_cli (void)
{
  g_autoptr(Fixture) fixture = fixture_new (50, 100);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *object;

  g_assert_cmpint (admin (&out, &err, "--db", fixture->db, "check", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "No problems found"));
  g_assert_nonnull (strstr (out, "documents"));
  g_assert_nonnull (strstr (out, "wal"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (admin (&out, NULL, "--db", fixture->db, "--json", "check", "--quick", NULL),
                   ==, 0);
  object = parse_object (parser, out);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                 "integrity"),
                                                  "check"), ==, "quick_check");
  g_assert_true (json_object_has_member (object, "health"));
  g_assert_true (json_object_has_member (object, "tables"));
  g_assert_true (json_object_has_member (object, "foreign_keys"));
  g_assert_true (json_object_has_member (object, "fts"));
  g_assert_true (json_object_has_member (object, "migrations"));
  g_clear_pointer (&out, g_free);

  /* Usage. */
  g_assert_cmpint (admin (NULL, &err, "--db", fixture->db, "check", "--quick", "--full", NULL),
                   ==, 2);
  assert_error_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (NULL, &err, "--db", fixture->db, "check", "extra", NULL), ==, 2);
  assert_error_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (NULL, &err, "--db", fixture->db, "optimize", "--bogus", NULL), ==, 2);
  assert_error_line (err);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (&out, NULL, "check", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--quick"));
  g_clear_pointer (&out, g_free);

  /* A file that is not there is neither checked nor created. */
  for (guint i = 0; i < 3; i++)
    {
      static const char *commands[] = { "check", "optimize", "checkpoint" };

      g_assert_cmpint (admin (NULL, &err, "--db", missing, commands[i], NULL), ==, 1);
      assert_error_line (err);
      g_assert_nonnull (strstr (err, "does not exist"));
      g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
      g_clear_pointer (&err, g_free);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/diagnostics/health", test_health);
  g_test_add_func ("/diagnostics/check/healthy", test_check_healthy);
  g_test_add_func ("/diagnostics/check/async", test_check_async);
  g_test_add_func ("/diagnostics/check/damaged", test_check_damaged);
  g_test_add_func ("/diagnostics/check/not-a-database", test_check_not_a_database);
  g_test_add_func ("/diagnostics/foreign-keys", test_foreign_keys);
  g_test_add_func ("/diagnostics/fts", test_fts);
  g_test_add_func ("/diagnostics/optimize", test_optimize);
  g_test_add_func ("/diagnostics/checkpoint", test_checkpoint);
  g_test_add_func ("/diagnostics/slow-queries", test_slow_queries);
  g_test_add_func ("/diagnostics/cli", test_cli);

  return g_test_run ();
}
