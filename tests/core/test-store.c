/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "pqs-hash-vfs.h"
#include "pqs-store.h"
#include "pqs-test-util.h"

typedef struct
{
  char     *dir;
  char     *path;
  PqsStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->path = g_build_filename (fixture->dir, "nested", "folder", "pqs.db", NULL);
  fixture->store = pqs_test_open_store (fixture->path);
  pqs_test_exec (pqs_store_get_handle (fixture->store),
                 "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_free (fixture->path);
  pqs_test_tmpdir_free (fixture->dir);
}

static void
test_open_pragmas (Fixture       *fixture,
                   gconstpointer  data)
{
  sqlite3 *db = pqs_store_get_handle (fixture->store);
  g_autofree char *journal = pqs_test_query_text (db, "PRAGMA journal_mode");

  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA synchronous"), ==, 1);  /* NORMAL */
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA busy_timeout"), >=, 1000);
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA temp_store"), ==, 2);  /* MEMORY */
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA cache_size"), ==, -16384);
  g_assert_cmpint (pqs_test_query_int (db, "PRAGMA mmap_size"), ==, 268435456);
}

static void
test_statement_cache (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *sql = "INSERT INTO items (name) VALUES (?1)";
  sqlite3_stmt *first;
  sqlite3_stmt *second;
  gint64 count = 0;

  first = pqs_store_prepare (fixture->store, sql, &error);
  g_assert_no_error (error);
  sqlite3_bind_text (first, 1, "one", -1, SQLITE_STATIC);
  g_assert_true (pqs_store_step_done (fixture->store, first, &error));

  second = pqs_store_prepare (fixture->store, sql, &error);
  g_assert_no_error (error);
  g_assert_true (first == second);
  /* Bindings were cleared: a NULL name breaks NOT NULL. */
  g_assert_false (pqs_store_step_done (fixture->store, second, &error));
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT);

  g_assert_true (pqs_store_query_int64 (fixture->store, "SELECT count(*) FROM items", &count,
                                        NULL));
  g_assert_cmpint (count, ==, 1);

  g_clear_error (&error);
  g_assert_null (pqs_store_prepare (fixture->store, "SELEKT nothing", &error));
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_FAILED);
}

static gboolean
insert_named (PqsStore    *store,
              const char  *name,
              GError     **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store, "INSERT INTO items (name) VALUES (?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  return pqs_store_step_done (store, stmt, error);
}

static gboolean
insert_two_then_fail (PqsStore  *store,
                      gpointer   user_data,
                      GError   **error)
{
  return insert_named (store, "a", error) &&
         insert_named (store, "b", error) &&
         insert_named (store, "a", error);   /* duplicate: fails */
}

static gboolean
inner_fails (PqsStore  *store,
             gpointer   user_data,
             GError   **error)
{
  g_autoptr(GError) inner_error = NULL;

  if (!insert_named (store, "outer", error))
    return FALSE;

  /* The inner failure rolls back only its savepoint. */
  g_assert_false (pqs_store_transaction (store, insert_two_then_fail, NULL, &inner_error));
  g_assert_error (inner_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT);
  g_assert_true (pqs_store_in_transaction (store));

  return insert_named (store, "after", error);
}

static gboolean
inner_succeeds (PqsStore  *store,
                gpointer   user_data,
                GError   **error)
{
  return insert_named (store, "nested", error);
}

static gboolean
outer_fails_after_inner (PqsStore  *store,
                         gpointer   user_data,
                         GError   **error)
{
  if (!pqs_store_transaction (store, inner_succeeds, NULL, error))
    return FALSE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop");
  return FALSE;
}

static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  sqlite3 *db = pqs_store_get_handle (fixture->store);
  g_autoptr(GError) error = NULL;

  g_assert_false (pqs_store_transaction (fixture->store, insert_two_then_fail, NULL, &error));
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM items"), ==, 0);
  g_assert_false (pqs_store_in_transaction (fixture->store));
  g_clear_error (&error);

  g_assert_true (pqs_store_transaction (fixture->store, inner_fails, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM items"), ==, 2);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM items WHERE name IN "
                                           "('outer', 'after')"), ==, 2);

  /* A released savepoint is still undone when the outer transaction fails. */
  g_assert_false (pqs_store_transaction (fixture->store, outer_fails_after_inner, NULL,
                                         &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM items WHERE name = 'nested'"),
                   ==, 0);
  g_assert_true (sqlite3_get_autocommit (db));
}

typedef struct
{
  guint   emissions;
  GArray *rowids;
  char   *table;
} ChangeLog;

static void
changed_cb (PqsStore   *store,
            const char *table,
            GArray     *rowids,
            ChangeLog  *log)
{
  log->emissions++;
  g_free (log->table);
  log->table = g_strdup (table);
  g_array_append_vals (log->rowids, rowids->data, rowids->len);
}

static gboolean
insert_three (PqsStore  *store,
              gpointer   user_data,
              GError   **error)
{
  return insert_named (store, "x", error) &&
         insert_named (store, "y", error) &&
         insert_named (store, "z", error);
}

static void
test_change_signal (Fixture       *fixture,
                    gconstpointer  data)
{
  ChangeLog log = { 0, g_array_new (FALSE, FALSE, sizeof (gint64)), NULL };
  ChangeLog other = { 0, g_array_new (FALSE, FALSE, sizeof (gint64)), NULL };
  g_autoptr(GError) error = NULL;

  g_signal_connect (fixture->store, "changed::items", G_CALLBACK (changed_cb), &log);
  g_signal_connect (fixture->store, "changed::users", G_CALLBACK (changed_cb), &other);

  g_assert_true (pqs_store_transaction (fixture->store, insert_three, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log.emissions, ==, 1);
  g_assert_cmpstr (log.table, ==, "items");
  g_assert_cmpuint (log.rowids->len, ==, 3);
  g_assert_cmpint (g_array_index (log.rowids, gint64, 2), ==, 3);
  g_assert_cmpuint (other.emissions, ==, 0);

  /* A rolled-back transaction announces nothing. */
  g_assert_false (pqs_store_transaction (fixture->store, insert_two_then_fail, NULL, &error));
  g_assert_cmpuint (log.emissions, ==, 1);
  g_clear_error (&error);

  /* A single statement outside a transaction commits by itself. */
  g_assert_true (pqs_store_exec (fixture->store, "DELETE FROM items WHERE name = 'x'", &error));
  g_assert_cmpuint (log.emissions, ==, 2);
  g_assert_cmpint (g_array_index (log.rowids, gint64, 3), ==, 1);

  g_signal_handlers_disconnect_by_data (fixture->store, &log);
  g_signal_handlers_disconnect_by_data (fixture->store, &other);
  g_array_unref (log.rowids);
  g_array_unref (other.rowids);
  g_free (log.table);
  g_free (other.table);
}

static gpointer
count_in_thread (PqsStore      *worker,
                 gpointer       user_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 *count = g_new0 (gint64, 1);

  g_assert_false (g_main_context_is_owner (g_main_context_default ()));
  if (!insert_named (worker, "from-worker", error) ||
      !pqs_store_query_int64 (worker, "SELECT count(*) FROM items", count, error))
    {
      g_free (count);
      return NULL;
    }

  return count;
}

static void
thread_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gint64 **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = pqs_store_run_in_thread_finish (PQS_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_worker_thread (Fixture       *fixture,
                    gconstpointer  data)
{
  ChangeLog log = { 0, g_array_new (FALSE, FALSE, sizeof (gint64)), NULL };
  g_autofree gint64 *count = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = pqs_store_get_handle (fixture->store);

  g_assert_true (insert_named (fixture->store, "main", &error));
  g_signal_connect (fixture->store, "changed::items", G_CALLBACK (changed_cb), &log);

  /* The main connection holds a read transaction open: WAL lets the worker write anyway. */
  pqs_test_exec (db, "BEGIN; SELECT count(*) FROM items;");

  pqs_store_run_in_thread (fixture->store, count_in_thread, NULL, NULL, NULL,
                           thread_done_cb, &count);
  while (count == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (*count, ==, 2);
  pqs_test_exec (db, "COMMIT");
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM items"), ==, 2);

  /* The worker's commit is announced on the main store, in the main context.
   * The pool thread drops its task (and the task's ref on the store) just
   * after the callback has run, so wait for that too. */
  for (guint i = 0; i < 5000 && G_OBJECT (fixture->store)->ref_count > 1; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_assert_cmpuint (G_OBJECT (fixture->store)->ref_count, ==, 1);
  g_assert_cmpuint (log.emissions, ==, 1);
  g_assert_cmpstr (log.table, ==, "items");

  g_signal_handlers_disconnect_by_data (fixture->store, &log);
  g_array_unref (log.rowids);
  g_free (log.table);
}

static void
test_snapshot (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (fixture->dir, "backups", "copy.db", NULL);
  g_autofree char *folder = g_path_get_dirname (copy);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *first_bytes = NULL;
  g_autofree char *bytes_after = NULL;
  gsize first_len = 0, after_len = 0;
  const char *name;
  guint files = 0;
  g_autoptr(PqsStore) opened = NULL;

  g_assert_true (insert_named (fixture->store, "kept", &error));
  g_assert_true (pqs_store_snapshot (fixture->store, copy, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (copy, G_FILE_TEST_IS_REGULAR));

  /* Nothing but the finished copy is left in the folder. */
  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_suffix (name, ".partial"));
      files++;
    }
  g_assert_cmpuint (files, ==, 1);

  /* A copy never replaces another. */
  g_file_get_contents (copy, &first_bytes, &first_len, &error);
  g_assert_true (insert_named (fixture->store, "later", &error));
  g_assert_false (pqs_store_snapshot (fixture->store, copy, &error));
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_file_get_contents (copy, &bytes_after, &after_len, &error);
  g_assert_cmpmem (first_bytes, first_len, bytes_after, after_len);

  opened = pqs_store_open (copy, PQS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (opened),
                                       "SELECT count(*) FROM items WHERE name = 'kept'"), ==, 1);
  pqs_test_assert_integrity (pqs_store_get_handle (opened));
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "garbage.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autofree char *contents = g_strnfill (8192, 'x');

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a PQS Desk database"));

  pqs_test_rm_rf (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "absent.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;

  store = pqs_store_open (path, PQS_STORE_OPEN_EXISTING, &error);
  g_assert_null (store);
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CANT_OPEN);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  pqs_test_rm_rf (dir);
}

static void
test_read_only (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "ro.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;

  if (geteuid () == 0)
    {
      /* root writes through permissions; prove the mapping from SQLite's code instead. */
      pqs_store_set_error_from_sqlite (&error, NULL, SQLITE_READONLY, "Saving");
      g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_READ_ONLY);
      g_assert_true (g_str_has_prefix (error->message, "Saving: "));
      g_clear_error (&error);

      /* A read-only open refuses writes with the same error. */
      store = pqs_test_open_store (path);
      g_clear_object (&store);
      store = pqs_store_open (path, PQS_STORE_OPEN_READ_ONLY, &error);
      g_assert_no_error (error);
      g_assert_false (pqs_store_exec (store, "CREATE TABLE t (x)", &error));
      g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_READ_ONLY);
    }
  else
    {
      store = pqs_test_open_store (path);
      g_clear_object (&store);
      g_assert_cmpint (g_chmod (path, 0444), ==, 0);
      store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
      g_assert_null (store);
      g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, "read-only"));
    }

  pqs_test_rm_rf (dir);
}

static void
test_error_mapping (void)
{
  static const struct { int rc; PqsStoreError code; const char *words; } cases[] = {
    { SQLITE_FULL, PQS_STORE_ERROR_DISK_FULL, "disk is full" },
    { SQLITE_BUSY, PQS_STORE_ERROR_LOCKED, "busy in another program" },
    { SQLITE_LOCKED, PQS_STORE_ERROR_LOCKED, "busy in another program" },
    { SQLITE_IOERR_WRITE, PQS_STORE_ERROR_IO, "disk reported an error" },
    { SQLITE_CORRUPT, PQS_STORE_ERROR_CORRUPT, "damaged" },
    { SQLITE_NOTADB, PQS_STORE_ERROR_NOT_A_DATABASE, "not a PQS Desk database" },
    { SQLITE_CONSTRAINT_UNIQUE, PQS_STORE_ERROR_CONSTRAINT, "breaks a rule" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (pqs_store_set_error_from_sqlite (&error, NULL, cases[i].rc, NULL));
      g_assert_error (error, PQS_STORE_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) other = pqs_store_open_secondary (fixture->store, &error);

  g_assert_no_error (error);
  pqs_store_set_busy_timeout (other, 50);

  g_assert_true (pqs_store_begin_immediate (fixture->store, &error));
  g_assert_false (pqs_store_begin_immediate (other, &error));
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_LOCKED);
  pqs_store_rollback (fixture->store);
}

static void
test_close_reopen (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (insert_named (fixture->store, "survives", &error));
  pqs_store_close (fixture->store);
  g_assert_false (pqs_store_is_open (fixture->store));
  g_assert_false (pqs_store_exec (fixture->store, "SELECT 1", &error));
  g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_true (pqs_store_reopen (fixture->store, &error));
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (fixture->store),
                                       "SELECT count(*) FROM items"), ==, 1);
}

typedef struct
{
  const char    *path;
  volatile gint  stop;
  gint           rows;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (writer->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  while (!g_atomic_int_get (&writer->stop))
    {
      if (sqlite3_exec (db, "INSERT INTO blobs (data) VALUES (randomblob(3000))", NULL, NULL,
                        NULL) == SQLITE_OK)
        writer->rows++;
    }
  sqlite3_close (db);
  return NULL;
}

static void
assert_copy_checksum (Fixture  *fixture,
                      gboolean  concurrent,
                      gboolean  expect_digest)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autofree char *digest = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  Writer writer = { fixture->path, 0, 0 };
  GThread *thread = NULL;
  gsize length;

  g_unlink (copy);
  if (concurrent)
    {
      thread = g_thread_new ("writer", writer_thread, &writer);
      g_usleep (20000);
    }
  g_assert_true (pqs_store_copy_to_file_with_checksum (fixture->store, copy, &digest, &error));
  g_assert_no_error (error);
  if (thread != NULL)
    {
      g_atomic_int_set (&writer.stop, 1);
      g_thread_join (thread);
    }

  g_assert_true (g_file_get_contents (copy, &contents, &length, NULL));
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  if (expect_digest)
    g_assert_nonnull (digest);
  if (digest != NULL)
    g_assert_cmpstr (digest, ==, expected);
  g_test_message ("copy of %" G_GSIZE_FORMAT " bytes%s: %s", length,
                  concurrent ? " with writes" : "", digest != NULL ? "digest" : "fallback");
  g_unlink (copy);
}

static void
test_copy_checksum (Fixture       *fixture,
                    gconstpointer  data)
{
  sqlite3 *db = pqs_store_get_handle (fixture->store);
  static const int sizes[] = { 0, 10, 1000, 4000 };

  pqs_test_exec (db, "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n "
                         "WHERE x < %d) INSERT INTO blobs (data) SELECT randomblob(3000) "
                         "FROM n", sizes[i]);

      if (sizes[i] > 0)
        pqs_test_exec (db, sql);
      pqs_test_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
      assert_copy_checksum (fixture, FALSE, TRUE);
      assert_copy_checksum (fixture, TRUE, FALSE);
      assert_copy_checksum (fixture, FALSE, FALSE);
    }
}

/* A stream whose writes do not follow one another gives no digest. */
static void
test_copy_checksum_fallback (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "hashed.db", NULL);
  guint8 page1[4096] = { 0, };
  const guint8 *expectations[] = { NULL, page1 };

  g_assert_true (pqs_hash_vfs_register ());
  for (gsize i = 0; i < G_N_ELEMENTS (expectations); i++)
    {
      PqsHashStream *stream;
      sqlite3 *db = NULL;
      char *digest;

      g_unlink (path);
      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                        PQS_HASH_VFS_NAME), ==, SQLITE_OK);
      pqs_test_exec (db, "PRAGMA journal_mode = OFF");
      stream = pqs_hash_stream_new (path, expectations[i], sizeof page1);
      g_assert_true (pqs_hash_stream_attach (stream, db));
      /* Page 1 is written by both transactions. */
      pqs_test_exec (db, "CREATE TABLE t (x)");
      pqs_test_exec (db, "INSERT INTO t VALUES (1)");
      g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
      digest = pqs_hash_stream_finish (stream);
      g_assert_null (digest);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/open-pragmas", test_open_pragmas);
  ADD ("/store/statement-cache", test_statement_cache);
  ADD ("/store/transactions", test_transactions);
  ADD ("/store/change-signal", test_change_signal);
  ADD ("/store/worker-thread", test_worker_thread);
  ADD ("/store/snapshot", test_snapshot);
  ADD ("/store/copy-checksum", test_copy_checksum);
  ADD ("/store/copy-checksum-fallback", test_copy_checksum_fallback);
  ADD ("/store/locked", test_locked);
  ADD ("/store/close-reopen", test_close_reopen);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/missing-file", test_missing_file);
  g_test_add_func ("/store/read-only", test_read_only);
  g_test_add_func ("/store/error-mapping", test_error_mapping);

  return g_test_run ();
}
