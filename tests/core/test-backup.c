/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <utime.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "pqs-backup-scheduler.h"
#include "pqs-backup-service.h"
#include "pqs-migrator.h"
#include "pqs-test-util.h"

/* Every test works on real files in a temporary folder: a database migrated
 * to the newest schema plus a test table `pairs`, whose rows a writer always
 * inserts two at a time in one transaction, so a torn copy shows. */

typedef struct
{
  char     *dir;
  char     *db;
  char     *backups;
  PqsStore *store;
} Fixture;

static void
migrate_store (PqsStore   *store,
               guint       target,
               const char *only_dir)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
  g_autoptr(GError) error = NULL;

  pqs_migrator_set_backup_dir (migrator, "/nonexistent-unused");
  if (only_dir != NULL)
    pqs_migrator_load_directory_only (migrator, only_dir, &error);
  else
    pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_migrate (migrator, target, NULL, &error);
  g_assert_no_error (error);
}

static void
add_pairs (PqsStore *store,
           guint     n,
           guint     pad)
{
  sqlite3 *db = pqs_store_get_handle (store);
  g_autofree char *sql = NULL;
  gint64 base;

  pqs_test_exec (db, "CREATE TABLE IF NOT EXISTS pairs (id INTEGER PRIMARY KEY, "
                     "pair INTEGER NOT NULL, half INTEGER NOT NULL, pad BLOB)");
  /* Pair numbers of their own, above those of the writer thread. */
  base = 1000000000 + pqs_test_query_int (db, "SELECT count(*) FROM pairs");
  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < %u) "
                         "INSERT INTO pairs (pair, half, pad) "
                         "SELECT %" G_GINT64_FORMAT " + i / 2, i %% 2, randomblob(%u) FROM n",
                         n * 2 - 1, base, pad);
  pqs_test_exec (db, "BEGIN");
  pqs_test_exec (db, sql);
  pqs_test_exec (db, "COMMIT");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->db = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->store = pqs_test_open_store (fixture->db);
  migrate_store (fixture->store, PQS_MIGRATOR_LATEST, NULL);
  add_pairs (fixture->store, GPOINTER_TO_UINT (data) > 0 ? GPOINTER_TO_UINT (data) : 200, 200);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->db);
  g_free (fixture->backups);
  pqs_test_tmpdir_free (fixture->dir);
}

static PqsBackupService *
new_service (Fixture *fixture)
{
  return pqs_backup_service_new (fixture->store, fixture->backups);
}

static PqsBackupInfo *
create_ok (PqsBackupService *service,
           PqsBackupType     type,
           gboolean          compress,
           const char       *passphrase)
{
  PqsBackupOptions options = { type, compress, passphrase, NULL, "test",
                               PQS_BACKUP_KDF_INTERACTIVE };
  g_autoptr(GError) error = NULL;
  PqsBackupInfo *info = pqs_backup_service_create (service, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_true (g_file_test (info->path, G_FILE_TEST_IS_REGULAR));
  return info;
}

static gint64
count (PqsStore   *store,
       const char *sql)
{
  return pqs_test_query_int (pqs_store_get_handle (store), sql);
}

/* The live database's content, to prove that a refused restore changed nothing. */
static char *
live_fingerprint (PqsStore *store)
{
  g_autofree char *versions = pqs_test_query_text (pqs_store_get_handle (store),
                                                   "SELECT group_concat(version) FROM "
                                                   "migration_history");

  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s",
                          count (store, "SELECT count(*) FROM pairs"),
                          count (store, "SELECT coalesce(sum(id * (half + 1)), 0) FROM pairs"),
                          count (store, "SELECT count(*) FROM backup_history"),
                          versions);
}

/* Unpacks any backup into @dest_path with the library's reader. */
static void
unpack (const char *path,
        const char *passphrase,
        const char *dest_path)
{
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  out = g_file_replace (dest, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  pqs_backup_format_decode (path, passphrase, G_OUTPUT_STREAM (out), NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);
}

static sqlite3 *
open_copy (const char *path)
{
  sqlite3 *db = NULL;
  g_autofree char *uri = g_strconcat ("file:", path, "?immutable=1", NULL);

  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
                   ==, SQLITE_OK);
  return db;
}

/* Header reader ------------------------------------------------------------- */

static void
test_header_fuzz (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupInfo) info = create_ok (service, PQS_BACKUP_TYPE_MANUAL, TRUE, "pass");
  g_autoptr(GBytes) bytes = pqs_test_read_file (info->path);
  const guint8 *valid = g_bytes_get_data (bytes, NULL);
  guint8 buffer[PQS_BACKUP_HEADER_SIZE * 2];
  PqsBackupHeader header;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint accepted = 0;

  g_assert_true (pqs_backup_format_read_header (valid, PQS_BACKUP_HEADER_SIZE, &header, NULL));
  g_assert_cmpuint (header.flags, ==, PQS_BACKUP_FLAG_COMPRESSED | PQS_BACKUP_FLAG_ENCRYPTED);
  g_assert_false (pqs_backup_format_read_header (NULL, 0, &header, NULL));

  /* Every prefix, random bytes, and single-byte mutations of a valid header:
   * never a crash, and a mutated header is never accepted. */
  for (gsize len = 0; len < PQS_BACKUP_HEADER_SIZE; len++)
    g_assert_false (pqs_backup_format_read_header (valid, len, &header, NULL));

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = g_rand_int_range (rand, 0, sizeof buffer);

      if (i % 2 == 0)
        for (gsize j = 0; j < len; j++)
          buffer[j] = g_rand_int_range (rand, 0, 256);
      else
        {
          memcpy (buffer, valid, PQS_BACKUP_HEADER_SIZE);
          len = PQS_BACKUP_HEADER_SIZE;
          buffer[g_rand_int_range (rand, 0, PQS_BACKUP_HEADER_SIZE)] ^=
            1 << g_rand_int_range (rand, 0, 8);
        }
      if (i % 4 == 2 && len >= PQS_BACKUP_MAGIC_LEN)
        memcpy (buffer, PQS_BACKUP_MAGIC, PQS_BACKUP_MAGIC_LEN);

      if (pqs_backup_format_read_header (buffer, len, &header, &error))
        accepted++;
      else
        g_assert_true (error->domain == PQS_BACKUP_ERROR);
    }
  g_assert_cmpuint (accepted, ==, 0);
}

/* Backup under continuous writes ------------------------------------------ */

typedef struct
{
  const char *path;
  gint        stop;
  gint        commits;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (writer->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO pairs (pair, half, pad) "
                                           "VALUES (?1, ?2, randomblob(100))",
                                       -1, &stmt, NULL), ==, SQLITE_OK);

  for (gint64 pair = 1; !g_atomic_int_get (&writer->stop); pair++)
    {
      pqs_test_exec (db, "BEGIN IMMEDIATE");
      for (int half = 0; half < 2; half++)
        {
          sqlite3_bind_int64 (stmt, 1, pair);
          sqlite3_bind_int (stmt, 2, half);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_reset (stmt);
        }
      pqs_test_exec (db, "COMMIT");
      g_atomic_int_inc (&writer->commits);
      g_usleep (2000);
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return NULL;
}

static void
assert_whole_pairs (const char *plain_path)
{
  sqlite3 *db = open_copy (plain_path);

  pqs_test_assert_integrity (db);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM (SELECT pair FROM pairs "
                                           "GROUP BY pair HAVING count(*) != 2)"), ==, 0);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM pairs") % 2, ==, 0);
  sqlite3_close (db);
}

typedef struct
{
  GThread *main_thread;
  double   last;
  guint    calls;
  PqsBackupInfo *info;
  GError  *error;
  gboolean done;
} AsyncState;

static void
progress_cb (const char *stage,
             double      fraction,
             gpointer    user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpfloat (fraction, >=, state->last);
  state->last = fraction;
  state->calls++;
}

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  state->info = pqs_backup_service_create_finish (PQS_BACKUP_SERVICE (object), result,
                                                  &state->error);
  state->done = TRUE;
}

static void
test_concurrent_writer (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  Writer writer = { fixture->db, 0, 0 };
  GThread *thread;

  /* Some megabytes, so that the copy takes a while. */
  add_pairs (fixture->store, 20000, 400);
  thread = g_thread_new ("writer", writer_thread, &writer);
  while (g_atomic_int_get (&writer.commits) < 5)
    g_usleep (1000);

  for (guint round = 0; round < 4; round++)
    {
      g_autoptr(PqsBackupInfo) info = NULL;
      g_autoptr(PqsBackupInfo) verified = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *plain = g_build_filename (fixture->dir, "unpacked.db", NULL);
      gint before = g_atomic_int_get (&writer.commits);
      gint64 started = g_get_monotonic_time ();

      if (round < 3)
        info = create_ok (service, PQS_BACKUP_TYPE_MANUAL, round == 1,
                          round == 2 ? "secret" : NULL);
      else
        {
          /* The async form, on its own connection, with progress in this thread. */
          AsyncState state = { g_thread_self (), 0.0, 0, NULL, NULL, FALSE };
          PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, TRUE, NULL, NULL, "test",
                                       PQS_BACKUP_KDF_INTERACTIVE };

          pqs_backup_service_create_async (service, &options, progress_cb, &state, NULL, NULL,
                                           create_done_cb, &state);
          while (!state.done)
            g_main_context_iteration (NULL, TRUE);
          g_assert_no_error (state.error);
          info = state.info;
          while (g_main_context_iteration (NULL, FALSE));
          g_assert_cmpuint (state.calls, >=, 3);
          g_assert_cmpfloat (state.last, ==, 1.0);
        }

      g_test_message ("backup %u: %.3f s, %d commits meanwhile", round,
                      (g_get_monotonic_time () - started) / 1e6,
                      g_atomic_int_get (&writer.commits) - before);
      g_assert_cmpint ((g_get_monotonic_time () - started) / G_USEC_PER_SEC, <, 20);

      verified = pqs_backup_service_verify (service, info->path, round == 2 ? "secret" : NULL,
                                            NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pqs_backup_info_get_rows (verified, "pairs"), ==,
                       pqs_backup_info_get_rows (info, "pairs"));
      g_assert_cmpint (pqs_backup_info_get_rows (info, "pairs") % 2, ==, 0);

      if (info->compressed || info->encrypted)
        {
          unpack (info->path, round == 2 ? "secret" : NULL, plain);
          assert_whole_pairs (plain);
          g_unlink (plain);
        }
      else
        assert_whole_pairs (info->path);
    }

  /* The writer is not blocked: it goes on committing after the backups
   * (polled: a busy machine may not run its thread for a while). */
  {
    gint before = g_atomic_int_get (&writer.commits);
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_atomic_int_get (&writer.commits) == before && g_get_monotonic_time () < deadline)
      g_usleep (10 * 1000);
    g_assert_cmpint (g_atomic_int_get (&writer.commits), >, before);
  }

  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (thread);
}

/* Round trips ----------------------------------------------------------------- */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, TRUE, NULL, NULL, "test",
                               PQS_BACKUP_KDF_INTERACTIVE };

  g_cancellable_cancel (cancellable);
  pqs_backup_service_create_async (service, &options, NULL, NULL, NULL, cancellable,
                                   store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  info = pqs_backup_service_create_finish (service, result, &error);
  g_assert_null (info);
  g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED);

  /* Nothing that looks like a backup was left. */
  dir = g_dir_open (fixture->backups, 0, NULL);
  if (dir != NULL)
    g_assert_null (g_dir_read_name (dir));
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history WHERE "
                          "backup_status = 'completed'"), ==, 0);
}

static void
test_round_trips (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  struct { gboolean compress; const char *passphrase; } cases[] = {
    { FALSE, NULL }, { TRUE, NULL }, { FALSE, "correct horse" }, { TRUE, "battery staple" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PqsBackupInfo) info = NULL;
      g_autoptr(PqsBackupInfo) verified = NULL;
      g_autoptr(PqsBackupInfo) restore_point = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *manifest = NULL;
      gint64 pairs = count (fixture->store, "SELECT count(*) FROM pairs");

      info = create_ok (service, PQS_BACKUP_TYPE_MANUAL, cases[i].compress, cases[i].passphrase);
      g_assert_cmpint (info->compressed, ==, cases[i].compress);
      g_assert_cmpint (info->encrypted, ==, cases[i].passphrase != NULL);
      g_assert_cmpint (info->schema_version, ==, count (fixture->store,
                                                        "SELECT max(version) FROM "
                                                        "migration_history"));
      g_assert_cmpint (pqs_backup_info_get_rows (info, "pairs"), ==, pairs);
      manifest = g_strconcat (info->path, ".manifest.json", NULL);
      g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history WHERE "
                              "backup_status = 'completed' AND checksum_sha256 IS NOT NULL"),
                       ==, i + 1);

      verified = pqs_backup_service_verify (service, info->path, cases[i].passphrase, NULL,
                                            &error);
      g_assert_no_error (error);
      g_assert_true (verified->has_manifest);
      g_assert_cmpstr (verified->checksum_sha256, ==, info->checksum_sha256);

      /* Lose rows, then get them back. */
      pqs_test_exec (pqs_store_get_handle (fixture->store), "DELETE FROM pairs WHERE id % 3 = 0");
      g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs"), <, pairs);

      if (i < 3)
        pqs_backup_service_restore (service, info->path, cases[i].passphrase, &restore_point,
                                    NULL, &error);
      else
        {
          /* The async form: checks in a thread, swaps in this context. */
          g_autoptr(GAsyncResult) result = NULL;

          pqs_backup_service_restore_async (service, info->path, cases[i].passphrase, NULL,
                                            store_result_cb, &result);
          while (result == NULL)
            g_main_context_iteration (NULL, TRUE);
          pqs_backup_service_restore_finish (service, result, &restore_point, &error);
        }
      g_assert_no_error (error);
      g_assert_true (pqs_store_is_open (fixture->store));
      g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs"), ==, pairs);
      pqs_test_assert_integrity (pqs_store_get_handle (fixture->store));
      g_assert_cmpint (restore_point->type, ==, PQS_BACKUP_TYPE_PRE_RESTORE);
      g_clear_pointer (&verified, pqs_backup_info_free);
      verified = pqs_backup_service_verify (service, restore_point->path, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pqs_backup_info_get_rows (verified, "pairs"), <, pairs);
      /* The restored history knows the restore point. */
      g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history WHERE "
                              "backup_type = 'pre-restore'"), ==, i + 1);
    }
}

/* Damaged backups --------------------------------------------------------- */

static void
write_bytes (const char   *path,
             const guint8 *data,
             gsize         len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
}

static void
assert_refused (Fixture          *fixture,
                PqsBackupService *service,
                const char       *path,
                const char       *passphrase,
                const char       *what)
{
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) restore_error = NULL;
  g_autofree char *before = live_fingerprint (fixture->store);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) list_before = pqs_backup_service_list (service, NULL);
  g_autoptr(GPtrArray) list_after = NULL;

  info = pqs_backup_service_verify (service, path, passphrase, NULL, &error);
  g_assert_null (info);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", what, error->message);
  g_assert_true (error->domain == PQS_BACKUP_ERROR);
  g_assert_true (error->code == PQS_BACKUP_ERROR_DAMAGED ||
                 error->code == PQS_BACKUP_ERROR_NOT_A_BACKUP ||
                 error->code == PQS_BACKUP_ERROR_WRONG_PASSPHRASE ||
                 error->code == PQS_BACKUP_ERROR_NEEDS_PASSPHRASE ||
                 error->code == PQS_BACKUP_ERROR_VERIFY_FAILED);

  g_assert_false (pqs_backup_service_restore (service, path, passphrase, NULL, NULL,
                                              &restore_error));
  g_assert_error (restore_error, error->domain, error->code);

  /* Nothing changed: same rows, no restore point taken, no leftovers. */
  after = live_fingerprint (fixture->store);
  g_assert_cmpstr (before, ==, after);
  list_after = pqs_backup_service_list (service, NULL);
  g_assert_cmpuint (list_before->len, ==, list_after->len);
}

static void
test_rejects_damage (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupInfo) plain = create_ok (service, PQS_BACKUP_TYPE_MANUAL, FALSE, NULL);
  g_autoptr(PqsBackupInfo) packed = create_ok (service, PQS_BACKUP_TYPE_MANUAL, TRUE, NULL);
  g_autoptr(PqsBackupInfo) sealed = create_ok (service, PQS_BACKUP_TYPE_MANUAL, TRUE, "right");
  g_autofree char *bad = g_build_filename (fixture->dir, "bad.pqsbak", NULL);
  g_autofree char *bad_manifest = g_strconcat (bad, ".manifest.json", NULL);
  PqsBackupInfo *infos[] = { plain, packed, sealed };
  const char *passphrases[] = { NULL, NULL, "right" };
  g_autoptr(GError) error = NULL;

  assert_refused (fixture, service, sealed->path, "wrong", "wrong passphrase");
  {
    g_autoptr(PqsBackupInfo) info = pqs_backup_service_verify (service, sealed->path, "wrong",
                                                               NULL, &error);
    g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_WRONG_PASSPHRASE);
    g_clear_error (&error);
  }
  assert_refused (fixture, service, sealed->path, NULL, "no passphrase");

  /* A good backup beside a manifest of the wrong shape: refused, no crash. */
  {
    g_autoptr(GBytes) bytes = pqs_test_read_file (packed->path);
    const char *manifests[] = {
      "{\"format\": \"pqs-desk-backup\", \"sha256\": [1], \"tables\": {}}",
      "{\"format\": \"pqs-desk-backup\", \"sha256\": \"00\", \"tables\": {\"x\": \"y\"}}",
      "{\"format\": \"pqs-desk-backup\", \"sha256\": \"00\", \"tables\": 3}",
      "[]", "{", "",
    };

    write_bytes (bad, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    for (guint i = 0; i < G_N_ELEMENTS (manifests); i++)
      {
        write_bytes (bad_manifest, (const guint8 *) manifests[i], strlen (manifests[i]));
        assert_refused (fixture, service, bad, NULL, "bad manifest");
      }
    g_unlink (bad_manifest);
  }

  write_bytes (bad, (const guint8 *) "", 0);
  assert_refused (fixture, service, bad, NULL, "empty file");
  write_bytes (bad, (const guint8 *) "Dear diary, today I backed up nothing.\n", 39);
  assert_refused (fixture, service, bad, NULL, "not a backup");

  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    {
      g_autoptr(GBytes) bytes = pqs_test_read_file (infos[i]->path);
      g_autofree char *manifest = g_strconcat (infos[i]->path, ".manifest.json", NULL);
      g_autoptr(GBytes) manifest_bytes = pqs_test_read_file (manifest);
      gsize len = 0;
      const guint8 *orig = g_bytes_get_data (bytes, &len);
      g_autofree guint8 *copy = g_memdup2 (orig, len);
      gsize offsets[] = { 3, 20, 100, len / 2, len - 1 };

      /* Cut short, with and without its manifest. */
      for (guint with_manifest = 0; with_manifest < 2; with_manifest++)
        {
          if (with_manifest)
            write_bytes (bad_manifest, g_bytes_get_data (manifest_bytes, NULL),
                         g_bytes_get_size (manifest_bytes));
          else
            g_unlink (bad_manifest);

          write_bytes (bad, orig, len * 2 / 3);
          assert_refused (fixture, service, bad, passphrases[i], "truncated");
          write_bytes (bad, orig, 64);
          assert_refused (fixture, service, bad, passphrases[i], "truncated in the header");
        }

      /* Flipped bytes, judged by the manifest's checksum or by the format itself. */
      for (guint j = 0; j < G_N_ELEMENTS (offsets); j++)
        {
          memcpy (copy, orig, len);
          copy[offsets[j]] ^= 0x5a;
          write_bytes (bad, copy, len);
          write_bytes (bad_manifest, g_bytes_get_data (manifest_bytes, NULL),
                       g_bytes_get_size (manifest_bytes));
          assert_refused (fixture, service, bad, passphrases[i], "flipped byte");

          /* Without a manifest, the packed formats still notice. */
          if (i > 0 && offsets[j] > 100)
            {
              g_unlink (bad_manifest);
              assert_refused (fixture, service, bad, passphrases[i],
                              "flipped byte, no manifest");
            }
        }
      g_unlink (bad_manifest);
    }
}

/* Schema versions and rolling back ----------------------------------------- */

/* A database at schema @version with some pairs, backed up; returns the backup. */
static PqsBackupInfo *
backup_of_old_database (Fixture    *fixture,
                        guint       version,
                        const char *extra_sql)
{
  g_autofree char *path = g_build_filename (fixture->dir, "old.db", NULL);
  g_autoptr(PqsStore) store = pqs_test_open_store (path);
  g_autoptr(PqsBackupService) service = pqs_backup_service_new (store, fixture->backups);
  PqsBackupInfo *info;

  migrate_store (store, version, NULL);
  add_pairs (store, 50, 10);
  if (extra_sql != NULL)
    pqs_test_exec (pqs_store_get_handle (store), extra_sql);
  info = create_ok (service, PQS_BACKUP_TYPE_MANUAL, TRUE, NULL);
  g_assert_cmpint (info->schema_version, ==, version);
  pqs_store_close (store);
  return info;
}

static guint64
file_size_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

/* A few kilobytes of zlib that unpack to far more than the database the
 * manifest describes: verify and restore stop at the manifest's size. */
static void
test_decompression_bomb (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupInfo) good = create_ok (service, PQS_BACKUP_TYPE_MANUAL, TRUE, NULL);
  g_autoptr(PqsBackupInfo) verified = NULL;
  g_autofree char *zeros = g_build_filename (fixture->dir, "zeros", NULL);
  g_autofree char *bomb = g_build_filename (fixture->dir, "bomb.pqsbak", NULL);
  g_autofree char *manifest = g_strconcat (bomb, ".manifest.json", NULL);
  g_autofree char *sha256 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *unpacked = g_build_filename (fixture->dir, "unpacked", NULL);
  g_autoptr(GError) error = NULL;
  guint64 bomb_size;

  /* A real backup records what it unpacks to, and verifies. */
  g_assert_cmpint (good->database_size, >, 0);
  verified = pqs_backup_service_verify (service, good->path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verified->schema_version, ==, good->schema_version);

  /* 64 MiB of zeros (sparse), packed to a few dozen kilobytes. */
  {
    int fd = g_open (zeros, O_RDWR | O_CREAT | O_TRUNC, 0600);
    g_autoptr(GFile) file = g_file_new_for_path (bomb);
    g_autoptr(GFileOutputStream) out = NULL;

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (ftruncate (fd, 64 * 1024 * 1024), ==, 0);
    close (fd);
    out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
    g_assert_no_error (error);
    pqs_backup_format_encode (zeros, G_OUTPUT_STREAM (out), TRUE, NULL,
                              PQS_BACKUP_KDF_INTERACTIVE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
    g_assert_no_error (error);
    g_unlink (zeros);
  }
  bomb_size = file_size_of (bomb);
  g_assert_cmpuint (bomb_size, <, 1024 * 1024);

  /* The reader's own bound. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (unpacked);
    g_autoptr(GFileOutputStream) out = NULL;

    out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
    g_assert_no_error (error);
    g_assert_false (pqs_backup_format_decode_bounded (bomb, NULL, 1024 * 1024,
                                                      G_OUTPUT_STREAM (out), NULL, NULL, NULL,
                                                      &error));
    g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED);
    g_test_message ("%s", error->message);
    g_clear_error (&error);
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
    g_assert_cmpuint (file_size_of (unpacked), <=, 1024 * 1024);
    g_unlink (unpacked);
  }

  /* A manifest that matches the file but says it holds a small database. */
  g_assert_true (pqs_backup_format_sha256_file (bomb, NULL, &sha256, &error));
  g_assert_no_error (error);
  json = g_strdup_printf ("{\"format\": \"pqs-desk-backup\", \"sha256\": \"%s\", "
                          "\"size\": %" G_GUINT64_FORMAT ", \"database_size\": 65536, "
                          "\"schema_version\": %d, \"compressed\": true, \"tables\": {}}",
                          sha256, bomb_size, good->schema_version);
  g_file_set_contents (manifest, json, -1, &error);
  g_assert_no_error (error);

  g_assert_null (pqs_backup_service_verify (service, bomb, NULL, NULL, &error));
  g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "unpacks to more than"));
  g_clear_error (&error);
  assert_refused (fixture, service, bomb, NULL, "decompression bomb");
}

/* A backup that a crash stopped left its row 'running': the next service or
 * list marks it failed, unless a backup is really in progress. */
static void
test_interrupted_history (Fixture       *fixture,
                          gconstpointer  data)
{
  sqlite3 *db = pqs_store_get_handle (fixture->store);
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *message = NULL;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (fixture->backups, 0700), ==, 0);
  pqs_test_exec (db, "INSERT INTO backup_history (backup_type, backup_path, backup_status) "
                     "VALUES ('manual', '/gone/crashed.db', 'running')");

  /* While a backup holds the folder's lock, the row is left alone. */
  fd = g_open (fixture->backups, O_RDONLY | O_DIRECTORY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_SH), ==, 0);
  service = new_service (fixture);
  list = pqs_backup_service_list (service, NULL);
  g_assert_nonnull (list);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history "
                                          "WHERE backup_status = 'running'"), ==, 1);
  close (fd);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Then listing finds it interrupted. */
  list = pqs_backup_service_list (service, NULL);
  g_assert_nonnull (list);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history "
                                          "WHERE backup_status = 'running'"), ==, 0);
  message = pqs_test_query_text (db, "SELECT error_message FROM backup_history "
                                     "WHERE backup_path = '/gone/crashed.db' "
                                     "AND backup_status = 'failed'");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "interrupted"));
  g_clear_object (&service);

  /* So does a service that starts. */
  pqs_test_exec (db, "INSERT INTO backup_history (backup_type, backup_path, backup_status) "
                     "VALUES ('scheduled', '/gone/crashed-2.db', 'running')");
  service = new_service (fixture);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history "
                                          "WHERE backup_status = 'running'"), ==, 0);

  /* A real backup still completes, and its row says so. */
  {
    g_autoptr(PqsBackupInfo) info = create_ok (service, PQS_BACKUP_TYPE_MANUAL, FALSE, NULL);

    g_assert_cmpstr (info->status, ==, "completed");
  }
}

static void
test_restore_older_schema (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupInfo) old = backup_of_old_database (fixture, 4, NULL);
  g_autoptr(GError) error = NULL;
  gint64 latest = count (fixture->store, "SELECT max(version) FROM migration_history");

  pqs_backup_service_restore (service, old->path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture->store, "SELECT max(version) FROM migration_history"), ==,
                   latest);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs"), ==, 100);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM documents"), ==, 0);
  pqs_test_assert_integrity (pqs_store_get_handle (fixture->store));
}

/* Seen from the main loop: ticks, and those that found the staged copy of a
 * restore open (its write-ahead log beside the database), i.e. migrating. */
typedef struct
{
  const char *dir;
  guint       ticks;
  guint       ticks_while_staged_open;
} RestoreTicks;

static gboolean
staged_copy_open (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (folder);
  while ((name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, "-wal") && strcmp (name, "pqs.db-wal") != 0)
      return TRUE;
  return FALSE;
}

static gboolean
restore_tick_cb (gpointer user_data)
{
  RestoreTicks *ticks = user_data;

  ticks->ticks++;
  if (staged_copy_open (ticks->dir))
    ticks->ticks_while_staged_open++;
  return G_SOURCE_CONTINUE;
}

/* The async restore migrates an older backup forward off the main thread, on
 * the staged copy before the swap: the main loop keeps running meanwhile. */
static void
test_restore_async_older_schema (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupInfo) old = backup_of_old_database (fixture, 4, NULL);
  g_autoptr(PqsBackupInfo) restore_point = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *migrations = g_build_filename (fixture->dir, "slow-migrations", NULL);
  g_autofree char *name = NULL;
  RestoreTicks ticks = { fixture->dir, 0, 0 };
  gint64 latest = count (fixture->store, "SELECT max(version) FROM migration_history");
  guint timeout;

  /* One more migration, slow enough to be seen from the main loop. */
  name = g_strdup_printf ("%03u_slow_step.sql", (guint) latest + 1);
  g_assert_cmpint (g_mkdir (migrations, 0700), ==, 0);
  pqs_test_write_file (migrations, name,
                       "CREATE TABLE slow_step AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL "
                       "SELECT i + 1 FROM n WHERE i < 3000000) "
                       "SELECT count(*) AS n, sum(i) AS s FROM n;\n");
  pqs_backup_service_set_migrations_dir (service, migrations);

  timeout = g_timeout_add (10, restore_tick_cb, &ticks);
  pqs_backup_service_restore_async (service, old->path, NULL, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  pqs_backup_service_restore_finish (service, result, &restore_point, &error);
  g_assert_no_error (error);
  g_assert_nonnull (restore_point);
  g_test_message ("%u ticks, %u while the staged copy was open", ticks.ticks,
                  ticks.ticks_while_staged_open);
  /* The migration ran on the staged copy while this loop kept dispatching. */
  g_assert_cmpuint (ticks.ticks_while_staged_open, >, 0);
  g_assert_false (staged_copy_open (fixture->dir));

  g_assert_true (pqs_store_is_open (fixture->store));
  g_assert_cmpint (count (fixture->store, "SELECT max(version) FROM migration_history"), ==,
                   latest + 1);
  g_assert_cmpint (count (fixture->store, "SELECT n FROM slow_step"), ==, 3000001);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs"), ==, 100);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history WHERE "
                          "backup_type = 'pre-restore'"), ==, 1);
  pqs_test_assert_integrity (pqs_store_get_handle (fixture->store));
}

static void
test_restore_newer_schema (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autofree char *migrations = g_build_filename (fixture->dir, "migrations", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "future.db", NULL);
  g_autoptr(PqsBackupInfo) future = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = live_fingerprint (fixture->store);
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) list_before = pqs_backup_service_list (service, NULL);
  g_autoptr(GPtrArray) list_after = NULL;
  guint latest = (guint) count (fixture->store, "SELECT max(version) FROM migration_history");
  g_autofree char *name = g_strdup_printf ("%03u_future_feature.sql", latest + 1);

  g_assert_cmpint (g_mkdir (migrations, 0700), ==, 0);
  pqs_test_copy_migrations (migrations);
  pqs_test_write_file (migrations, name, "CREATE TABLE future_feature (id INTEGER PRIMARY KEY);\n");

  {
    g_autoptr(PqsStore) store = pqs_test_open_store (path);
    g_autoptr(PqsBackupService) other = pqs_backup_service_new (store, fixture->backups);

    migrate_store (store, PQS_MIGRATOR_LATEST, migrations);
    future = create_ok (other, PQS_BACKUP_TYPE_MANUAL, FALSE, NULL);
    g_assert_cmpint (future->schema_version, ==, latest + 1);
  }
  list_before = pqs_backup_service_list (service, NULL);

  g_assert_false (pqs_backup_service_restore (service, future->path, NULL, NULL, NULL, &error));
  g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NEWER_SCHEMA);
  after = live_fingerprint (fixture->store);
  g_assert_cmpstr (before, ==, after);
  list_after = pqs_backup_service_list (service, NULL);
  g_assert_cmpuint (list_before->len, ==, list_after->len);
}

static void
test_restore_rolls_back (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  /* A table that migration 005 creates: migrating this backup forward fails
   * (on the staged copy, before the swap), so the live database must stay. */
  g_autoptr(PqsBackupInfo) doomed =
    backup_of_old_database (fixture, 4, "CREATE TABLE standards (x INTEGER)");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *snapshot = g_build_filename (fixture->dir, "snapshot.db", NULL);
  g_autofree char *corrupt = g_build_filename (fixture->dir, "corrupt.pqsbak", NULL);
  g_autoptr(GPtrArray) list = NULL;

  pqs_test_exec (pqs_store_get_handle (fixture->store),
                 "INSERT INTO pairs (pair, half) VALUES (7, 0), (7, 1)");
  before = live_fingerprint (fixture->store);

  g_assert_false (pqs_backup_service_restore (service, doomed->path, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_true (pqs_store_is_open (fixture->store));
  g_free (before);
  before = live_fingerprint (fixture->store);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs WHERE pair = 7"), ==, 2);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs"), ==, 402);
  pqs_test_assert_integrity (pqs_store_get_handle (fixture->store));
  list = pqs_backup_service_list (service, NULL);
  {
    guint restore_points = 0;

    for (guint i = 0; i < list->len; i++)
      if (((PqsBackupInfo *) g_ptr_array_index (list, i))->type == PQS_BACKUP_TYPE_PRE_RESTORE)
        restore_points++;
    g_assert_cmpuint (restore_points, ==, 1);
  }

  /* A backup whose header is good but whose database is garbage is refused
   * before anything is swapped. */
  g_assert_true (pqs_store_snapshot (fixture->store, snapshot, NULL));
  {
    g_autoptr(GBytes) bytes = pqs_test_read_file (snapshot);
    gsize len = 0;
    g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));
    g_autoptr(GFile) file = g_file_new_for_path (corrupt);
    g_autoptr(GFileOutputStream) out = NULL;

    for (gsize i = 4096 * 3; i < len; i += 4096)
      memset (copy + i + 100, 0xa5, 300);
    write_bytes (snapshot, copy, len);
    out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
    g_assert_no_error (error);
    pqs_backup_format_encode (snapshot, G_OUTPUT_STREAM (out), TRUE, NULL,
                              PQS_BACKUP_KDF_INTERACTIVE, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
    g_assert_no_error (error);
  }
  assert_refused (fixture, service, corrupt, NULL, "corrupt payload");
  after = live_fingerprint (fixture->store);
  g_assert_cmpstr (before, ==, after);
}

static void
test_restore_in_use (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupInfo) info = create_ok (service, PQS_BACKUP_TYPE_MANUAL, FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *other = NULL;

  /* Another program has the database open (and its log not yet folded in). */
  g_assert_cmpint (sqlite3_open (fixture->db, &other), ==, SQLITE_OK);
  pqs_test_exec (other, "INSERT INTO pairs (pair, half) VALUES (5, 0), (5, 1)");
  before = live_fingerprint (fixture->store);

  g_assert_false (pqs_backup_service_restore (service, info->path, NULL, NULL, NULL, &error));
  g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_IN_USE);
  g_assert_true (pqs_store_is_open (fixture->store));
  /* The data is untouched; only the restore point taken first is recorded. */
  after = live_fingerprint (fixture->store);
  *strrchr (before, '/') = '\0';
  *strrchr (before, '/') = '\0';
  g_assert_true (g_str_has_prefix (after, before));
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs WHERE pair = 5"), ==, 2);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history WHERE "
                          "backup_type = 'pre-restore' AND backup_status = 'completed'"), ==, 1);
  g_assert_cmpint (pqs_test_query_int (other, "SELECT count(*) FROM pairs WHERE pair = 5"), ==, 2);
  sqlite3_close (other);

  /* Once it is closed, the restore goes through. */
  g_clear_error (&error);
  pqs_backup_service_restore (service, info->path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM pairs WHERE pair = 5"), ==, 0);
}

/* Retention ------------------------------------------------------------------- */

static void
test_prune (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  guint keeps[] = { 0, 1, 2, 3, 10 };
  guint ages[] = { 0, 1, 5, 100 };

  for (guint k = 0; k < G_N_ELEMENTS (keeps); k++)
    for (guint a = 0; a < G_N_ELEMENTS (ages); a++)
      {
        g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_backup_info_free);
        g_autoptr(GPtrArray) removed = NULL;
        g_autoptr(GError) error = NULL;
        gboolean delete_newest = (k + a) % 3 == 0;
        const char *newest_good;
        guint remaining = 0;

        pqs_test_exec (pqs_store_get_handle (fixture->store),
                       "UPDATE backup_history SET backup_status = 'pruned'");
        /* Five backups, 0, 2, 4, 6 and 8 days old, newest first. */
        for (guint i = 0; i < 5; i++)
          {
            PqsBackupInfo *info = create_ok (service, i % 2 ? PQS_BACKUP_TYPE_SCHEDULED
                                                             : PQS_BACKUP_TYPE_MANUAL,
                                             FALSE, NULL);
            g_autofree char *sql =
              g_strdup_printf ("UPDATE backup_history SET created_at = "
                               "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now', '-%u days', "
                               "'-1 minutes') WHERE id = %" G_GINT64_FORMAT,
                               (4 - i) * 2, info->history_id);

            pqs_test_exec (pqs_store_get_handle (fixture->store), sql);
            g_ptr_array_insert (made, 0, info);
          }
        /* The newest file lost by hand: the next one is then the newest good. */
        if (delete_newest)
          g_unlink (((PqsBackupInfo *) g_ptr_array_index (made, 0))->path);
        newest_good = ((PqsBackupInfo *) g_ptr_array_index (made, delete_newest ? 1 : 0))->path;

        removed = pqs_backup_service_prune (service, keeps[k], ages[a], &error);
        g_assert_no_error (error);

        g_assert_true (g_file_test (newest_good, G_FILE_TEST_IS_REGULAR));
        for (guint i = 0; i < made->len; i++)
          {
            PqsBackupInfo *info = g_ptr_array_index (made, i);
            g_autofree char *manifest = g_strconcat (info->path, ".manifest.json", NULL);
            gboolean exists = g_file_test (info->path, G_FILE_TEST_IS_REGULAR);
            gboolean kept_by_rule = (keeps[k] > 0 && i < keeps[k]) ||
                                    (ages[a] > 0 && i * 2 < ages[a]) ||
                                    (keeps[k] == 0 && ages[a] == 0);

            if (delete_newest && i == 0)
              continue;
            remaining += exists;
            g_assert_cmpint (exists, ==, kept_by_rule || g_str_equal (info->path, newest_good));
            g_assert_cmpint (g_file_test (manifest, G_FILE_TEST_EXISTS), ==, exists);
          }
        g_assert_cmpuint (remaining, >=, 1);
        /* The row of a file lost by hand stays while a rule keeps it. */
        g_assert_cmpint (count (fixture->store,
                                "SELECT count(*) FROM backup_history WHERE backup_status = "
                                "'completed'"), ==, remaining + (delete_newest ? 1 : 0));

        /* Clean up for the next combination. */
        for (guint i = 0; i < made->len; i++)
          {
            PqsBackupInfo *info = g_ptr_array_index (made, i);
            g_autofree char *manifest = g_strconcat (info->path, ".manifest.json", NULL);

            g_unlink (info->path);
            g_unlink (manifest);
          }
      }
}

/* A killed backup ----------------------------------------------------------- */

static void
test_killed_backup (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GDir) dir = NULL;
  g_autofree char *db_arg = g_strconcat ("--db=", fixture->db, NULL);
  const char *name;
  guint verified = 0;
  guint partial = 0;

  add_pairs (fixture->store, 30000, 300);
  pqs_store_close (fixture->store);

  for (guint run = 0; run < 24; run++)
    {
      const char *argv[] = { db_arg, "backup", "create", "--backup-dir", fixture->backups,
                             run % 2 ? "--compress" : NULL, NULL };
      g_autoptr(GSubprocess) process = pqs_test_spawn_admin (NULL, argv,
                                                             G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                             G_SUBPROCESS_FLAGS_STDERR_SILENCE);

      g_usleep (g_rand_int_range (rand, 0, 350) * 1000);
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_wait (process, NULL, NULL);
    }

  g_assert_true (pqs_store_reopen (fixture->store, NULL));
  dir = g_dir_open (fixture->backups, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->backups, name, NULL);
      g_autoptr(PqsBackupInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      /* SQLite's own journal of a partial copy is "….partial-journal". */
      if (strstr (name, ".partial") != NULL)
        {
          partial++;
          continue;
        }
      if (g_str_has_suffix (name, ".manifest.json"))
        {
          g_autofree char *backup = g_strndup (path, strlen (path) - strlen (".manifest.json"));

          /* A manifest is written after its file: never one alone. */
          g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
          continue;
        }

      info = pqs_backup_service_verify (service, path, NULL, NULL, &error);
      g_assert_no_error (error);
      verified++;
    }
  g_test_message ("%u finished backups verified, %u partial files left by kills", verified,
                  partial);
  g_assert_cmpuint (verified + partial, >, 0);

  /* Prune clears the leftovers once they are a day old, and nothing else. */
  {
    g_autoptr(GPtrArray) removed = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GDir) again = g_dir_open (fixture->backups, 0, NULL);
    guint left = 0;

    while ((name = g_dir_read_name (again)) != NULL)
      if (strstr (name, ".partial") != NULL)
        {
          g_autofree char *path = g_build_filename (fixture->backups, name, NULL);
          struct utimbuf old = { 0, 0 };

          old.actime = old.modtime = time (NULL) - 2 * 24 * 3600;
          g_assert_cmpint (g_utime (path, &old), ==, 0);
        }
    removed = pqs_backup_service_prune (service, 1000, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (removed->len, ==, 0);
    g_clear_pointer (&again, g_dir_close);
    again = g_dir_open (fixture->backups, 0, NULL);
    while ((name = g_dir_read_name (again)) != NULL)
      {
        g_assert_null (strstr (name, ".partial"));
        left += g_str_has_suffix (name, ".db") || g_str_has_suffix (name, ".pqsbak");
      }
    g_assert_cmpuint (left, ==, verified);
  }
}

/* Scheduler ----------------------------------------------------------------- */

static GDateTime *
local (int year, int month, int day, int hour, int minute)
{
  return g_date_time_new_local (year, month, day, hour, minute, 0);
}

static void
assert_due (PqsBackupSchedule schedule,
            int               hour,
            GDateTime        *last,
            GDateTime        *expected)
{
  g_autoptr(GDateTime) due = pqs_backup_scheduler_compute_next_due (schedule, hour, last);

  if (expected == NULL)
    g_assert_null (due);
  else
    {
      g_autofree char *a = g_date_time_format_iso8601 (due);
      g_autofree char *b = g_date_time_format_iso8601 (expected);

      g_assert_cmpstr (a, ==, b);
    }
}

static GDateTime *
fake_now_cb (gpointer user_data)
{
  return g_date_time_ref (user_data);
}

static void
scheduler_finished_cb (PqsBackupScheduler *scheduler,
                       PqsBackupInfo      *info,
                       GError             *error,
                       gpointer            user_data)
{
  PqsBackupInfo **out = user_data;

  g_assert_no_error (error);
  *out = pqs_backup_info_copy (info);
}

static void
test_scheduler (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = new_service (fixture);
  g_autoptr(PqsBackupScheduler) scheduler = pqs_backup_scheduler_new (service);
  g_autoptr(GDateTime) last = local (2026, 3, 10, 1, 30);
  g_autoptr(GDateTime) last_late = local (2026, 3, 10, 14, 0);
  g_autoptr(GDateTime) d1 = local (2026, 3, 10, 2, 0);
  g_autoptr(GDateTime) d2 = local (2026, 3, 11, 2, 0);
  g_autoptr(GDateTime) w1 = local (2026, 3, 17, 2, 0);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) first_backup = NULL;
  PqsBackupInfo *made = NULL;

  /* Pure computations. */
  assert_due (PQS_BACKUP_SCHEDULE_OFF, 2, last, NULL);
  assert_due (PQS_BACKUP_SCHEDULE_DAILY, 2, last, d1);        /* same day, later hour */
  assert_due (PQS_BACKUP_SCHEDULE_DAILY, 2, last_late, d2);   /* next day */
  assert_due (PQS_BACKUP_SCHEDULE_DAILY, 2, d1, d2);          /* exactly at the hour */
  assert_due (PQS_BACKUP_SCHEDULE_WEEKLY, 2, last, w1);
  assert_due (PQS_BACKUP_SCHEDULE_WEEKLY, 2, last_late, w1);
  {
    g_autoptr(GDateTime) never = pqs_backup_scheduler_compute_next_due (PQS_BACKUP_SCHEDULE_DAILY,
                                                                        2, NULL);
    g_autoptr(GDateTime) epoch_later = local (1990, 1, 1, 0, 0);

    g_assert_cmpint (g_date_time_compare (never, epoch_later), <, 0);
  }

  /* No backup yet: due at once, once somebody has an account (a first
   * start has nothing to save before the first administrator). Off: never. */
  now = local (2026, 3, 12, 10, 0);
  pqs_backup_scheduler_set_now_func (scheduler, fake_now_cb, g_date_time_ref (now),
                                     (GDestroyNotify) g_date_time_unref);
  g_assert_true (pqs_backup_scheduler_refresh (scheduler, NULL));
  g_assert_null (pqs_backup_scheduler_get_last_backup (scheduler));
  g_assert_false (pqs_backup_scheduler_is_due (scheduler));
  g_object_set (scheduler, "schedule", "daily", "hour", 2, NULL);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM users"), ==, 0);
  g_assert_false (pqs_backup_scheduler_is_due (scheduler));
  g_assert_false (pqs_backup_scheduler_check_now (scheduler));
  pqs_test_exec (pqs_store_get_handle (fixture->store),
                 "INSERT INTO users (username, email, password_hash, full_name, role) "
                 "VALUES ('admin', 'admin@example.org', 'x', 'First Admin', 'admin')");
  g_assert_true (pqs_backup_scheduler_is_due (scheduler));

  /* A missed backup runs on check (catch-up), as a compressed scheduled backup. */
  g_signal_connect (scheduler, "finished", G_CALLBACK (scheduler_finished_cb), &made);
  g_assert_true (pqs_backup_scheduler_check_now (scheduler));
  g_assert_false (pqs_backup_scheduler_check_now (scheduler));   /* one at a time */
  while (made == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (made->type, ==, PQS_BACKUP_TYPE_SCHEDULED);
  g_assert_true (made->compressed);
  g_assert_false (pqs_backup_scheduler_is_running (scheduler));
  g_clear_pointer (&made, pqs_backup_info_free);
  g_assert_cmpint (count (fixture->store, "SELECT count(*) FROM backup_history WHERE "
                          "backup_type = 'scheduled' AND backup_status = 'completed'"), ==, 1);

  /* The history now says when: at 10:00 on the 12th (fake clock) nothing is
   * due until 02:00 on the day after the real backup. */
  pqs_test_exec (pqs_store_get_handle (fixture->store),
                 "UPDATE backup_history SET created_at = '2026-03-12T09:00:00.000Z'");
  g_assert_true (pqs_backup_scheduler_refresh (scheduler, NULL));
  first_backup = g_date_time_ref (pqs_backup_scheduler_get_last_backup (scheduler));
  g_assert_nonnull (first_backup);
  due = pqs_backup_scheduler_get_next_due (scheduler);
  g_assert_cmpint (g_date_time_compare (due, first_backup), >, 0);
  g_assert_cmpint (g_date_time_difference (due, first_backup), <=, G_TIME_SPAN_DAY);
  g_assert_cmpint (g_date_time_get_hour (due), ==, 2);
  g_assert_false (pqs_backup_scheduler_is_due (scheduler));
  g_assert_false (pqs_backup_scheduler_check_now (scheduler));

  /* Three days later (the app was closed): due, missed. */
  g_clear_pointer (&now, g_date_time_unref);
  now = g_date_time_add_days (first_backup, 3);
  pqs_backup_scheduler_set_now_func (scheduler, fake_now_cb, g_date_time_ref (now),
                                     (GDestroyNotify) g_date_time_unref);
  g_assert_true (pqs_backup_scheduler_is_due (scheduler));
  g_object_set (scheduler, "schedule", "weekly", NULL);
  g_assert_false (pqs_backup_scheduler_is_due (scheduler));
  g_object_set (scheduler, "schedule", "off", NULL);
  g_assert_false (pqs_backup_scheduler_is_due (scheduler));
  g_assert_false (pqs_backup_scheduler_check_now (scheduler));
}

/* pqs-admin backup ------------------------------------------------------------ */

static int
admin (Fixture     *fixture,
       const char  *input,
       char       **out,
       char       **err,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *local_out = NULL;
  g_autofree char *local_err = NULL;
  const char *env[] = { "PQS_DB", NULL };
  const char *arg;
  va_list ap;
  int status;

  g_ptr_array_add (args, g_strconcat ("--db=", fixture->db, NULL));
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = pqs_test_run_admin_input (env, (const char * const *) args->pdata, input,
                                     &local_out, &local_err);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", status, local_out, local_err);
  if (status != 0)
    {
      /* One line, "pqs-admin: …". */
      g_assert_true (g_str_has_prefix (local_err, "pqs-admin: "));
      g_assert_nonnull (strchr (local_err, '\n'));
      g_assert_cmpint (strchr (local_err, '\n')[1], ==, '\0');
    }
  if (out != NULL)
    *out = g_steal_pointer (&local_out);
  if (err != NULL)
    *err = g_steal_pointer (&local_err);
  return status;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sealed = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *junk = g_build_filename (fixture->dir, "junk.db", NULL);
  const char *dir = fixture->backups;

  pqs_store_close (fixture->store);
  pqs_test_write_file (fixture->dir, "junk.db", "not a database at all");

  g_assert_cmpint (admin (fixture, NULL, &out, NULL, "--json", "backup", "create",
                          "--compress", "--backup-dir", dir, NULL), ==, 0);
  node = parse_json (out);
  path = g_strdup (json_object_get_string_member (json_node_get_object (node), "path"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "compressed"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (admin (fixture, "s3cret passphrase\n", &out, NULL, "--json", "backup",
                          "create", "--encrypt", "--backup-dir", dir, NULL), ==, 0);
  node = parse_json (out);
  sealed = g_strdup (json_object_get_string_member (json_node_get_object (node), "path"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "encrypted"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (admin (fixture, NULL, &out, NULL, "backup", "list", "--json",
                          "--backup-dir", dir, NULL), ==, 0);
  node = parse_json (out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (node), 0), "status"), ==, "completed");
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "verify", path, NULL), ==, 0);
  g_assert_cmpint (admin (fixture, "s3cret passphrase\n", NULL, NULL, "backup", "verify",
                          sealed, NULL), ==, 0);
  g_assert_cmpint (admin (fixture, "wrong\n", NULL, NULL, "backup", "verify", sealed, NULL),
                   ==, 1);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "verify", junk, NULL), ==, 1);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "restore", junk,
                          "--backup-dir", dir, NULL), ==, 1);
  g_assert_cmpint (admin (fixture, "s3cret passphrase\n", NULL, NULL, "backup", "restore",
                          sealed, "--backup-dir", dir, NULL), ==, 0);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "restore", path,
                          "--backup-dir", dir, NULL), ==, 0);

  /* The restored history knows only the restore point; two more, then keep one. */
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "create", "--backup-dir", dir,
                          NULL), ==, 0);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "create", "--backup-dir", dir,
                          NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (admin (fixture, NULL, &out, NULL, "--json", "backup", "prune", "--keep", "1",
                          "--backup-dir", dir, NULL), ==, 0);
  node = parse_json (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_clear_pointer (&node, json_node_unref);

  /* Bad usage is 2; --help is 0. */
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", NULL), ==, 2);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "frobnicate", NULL), ==, 2);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "verify", NULL), ==, 2);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "verify", path, path, NULL), ==, 2);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "prune", "--keep", "abc", NULL),
                   ==, 2);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "create", "--encrypt",
                          "--backup-dir", dir, NULL), ==, 2);   /* no passphrase on stdin */
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "create", "--help", NULL), ==, 0);
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "--help", NULL), ==, 0);
  /* A backup never replaces a file. */
  g_assert_cmpint (admin (fixture, NULL, NULL, NULL, "backup", "create", "--output", path, NULL),
                   ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func, data) \
  g_test_add (name, Fixture, GUINT_TO_POINTER (data), fixture_setup, func, fixture_teardown)

  ADD ("/backup/format/header-fuzz", test_header_fuzz, 0);
  ADD ("/backup/create/concurrent-writer", test_concurrent_writer, 0);
  ADD ("/backup/round-trips", test_round_trips, 0);
  ADD ("/backup/create/cancelled", test_cancelled, 0);
  ADD ("/backup/rejects-damage", test_rejects_damage, 0);
  ADD ("/backup/rejects-bomb", test_decompression_bomb, 0);
  ADD ("/backup/history/interrupted", test_interrupted_history, 0);
  ADD ("/backup/restore/older-schema", test_restore_older_schema, 0);
  ADD ("/backup/restore/async-older-schema", test_restore_async_older_schema, 0);
  ADD ("/backup/restore/newer-schema", test_restore_newer_schema, 0);
  ADD ("/backup/restore/rolls-back", test_restore_rolls_back, 0);
  ADD ("/backup/restore/in-use", test_restore_in_use, 0);
  ADD ("/backup/prune", test_prune, 0);
  ADD ("/backup/killed", test_killed_backup, 0);
  ADD ("/backup/scheduler", test_scheduler, 0);
  ADD ("/backup/cli", test_cli, 0);

  return g_test_run ();
}
