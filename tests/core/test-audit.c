/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pqs-audit.h"
#include "pqs-audit-entry.h"
#include "pqs-audit-list.h"
#include "pqs-backup-service.h"
#include "pqs-migrator.h"
#include "pqs-test-util.h"

/* The audit trail: rows written in the caller's transaction, the hash chain
 * and its verification (sync, async, cancelled), and the paged list model. */

#define CLIENT_NAME "pqs-test/1.0"
#define T0_TEXT     "2026-11-23T08:15:02.123Z"

typedef struct
{
  char     *dir;
  char     *db_path;
  PqsStore *store;
  sqlite3  *db;
  gint64    now;   /* the store's clock, in µs */
} Fixture;

static gint64
fixture_clock (gpointer data)
{
  Fixture *fixture = data;

  return fixture->now;
}

static gint64
time_from_text (const char *text)
{
  g_autoptr(GDateTime) time = pqs_store_parse_time (text);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static GDateTime *
time_from_us (gint64 time_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);

  return g_date_time_add (seconds, time_us % G_USEC_PER_SEC);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;

  fixture->dir = pqs_test_tmpdir_new ();
  fixture->db_path = g_build_filename (fixture->dir, "pqs.db", NULL);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->store = pqs_test_open_store (fixture->db_path);
  fixture->db = pqs_store_get_handle (fixture->store);

  migrator = pqs_migrator_new (fixture->store);
  pqs_migrator_set_backup_dir (migrator, backups);
  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error);
  g_assert_no_error (error);

  fixture->now = time_from_text (T0_TEXT);
  pqs_store_set_clock (fixture->store, fixture_clock, fixture);
  pqs_store_set_client_name (fixture->store, CLIENT_NAME);

  pqs_test_exec (fixture->db,
                 "INSERT INTO users (id, username, email, password_hash, full_name, role) VALUES "
                 "  (1, 'alice', 'alice@example.org', 'x', 'Alice Admin', 'admin'),"
                 "  (2, 'bob', 'bob@example.org', 'x', 'Bob Sailor', 'user')");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
  g_free (fixture->db_path);
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return pqs_test_query_int (fixture->db, sql);
}

/* Appends one row in a transaction of its own; returns its id. */
static gint64
append (Fixture    *fixture,
        gint64      user_id,
        const char *activity_type,
        const char *resource_type,
        gint64      resource_id,
        const char *details)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = details != NULL ? json (details) : NULL;
  gint64 id = 0;

  pqs_store_begin_immediate (fixture->store, &error);
  g_assert_no_error (error);
  pqs_audit_append (fixture->store, user_id, activity_type, resource_type, resource_id, node,
                    &id, &error);
  g_assert_no_error (error);
  pqs_store_commit (fixture->store, &error);
  g_assert_no_error (error);

  return id;
}

/* @n rows with valid hashes, one second apart, in one transaction. */
static void
build_chain (Fixture *fixture,
             guint    n)
{
  static const char * const types[] = {
    PQS_AUDIT_SIGN_IN, PQS_AUDIT_DOCUMENT_CREATE, PQS_AUDIT_USER_UPDATE,
  };
  g_autoptr(GError) error = NULL;

  pqs_store_begin_immediate (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(JsonNode) details = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (details, json_object_new ());
      json_object_set_int_member (json_node_get_object (details), "n", i);
      pqs_audit_append (fixture->store, 1 + i % 2, types[i % 3], "document", 1 + i % 7,
                        details, NULL, &error);
      g_assert_no_error (error);
      fixture->now += G_USEC_PER_SEC;
    }
  pqs_store_commit (fixture->store, &error);
  g_assert_no_error (error);
}

static void
row_from_stmt (sqlite3_stmt *stmt,
               PqsAuditRow  *row)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->has_user = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
  row->user_id = sqlite3_column_int64 (stmt, 1);
  row->activity_type = (const char *) sqlite3_column_text (stmt, 2);
  row->resource_type = (const char *) sqlite3_column_text (stmt, 3);
  row->has_resource = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
  row->resource_id = sqlite3_column_int64 (stmt, 4);
  row->details = (const char *) sqlite3_column_text (stmt, 5);
  row->ip_address = (const char *) sqlite3_column_text (stmt, 6);
  row->user_agent = (const char *) sqlite3_column_text (stmt, 7);
  row->created_at = (const char *) sqlite3_column_text (stmt, 8);
  row->prev_hash = (const char *) sqlite3_column_text (stmt, 9);
}

#define ROW_COLUMNS \
  "id, user_id, activity_type, resource_type, resource_id, details, ip_address, " \
  "user_agent, created_at, prev_hash, row_hash"

/* Writes a row with plain SQL (no append, no chain logic) and a correct own hash. */
static void
insert_forged (Fixture    *fixture,
               gint64      id,
               const char *details,
               const char *prev_hash)
{
  g_autofree char *row_hash = NULL;
  sqlite3_stmt *stmt = NULL;
  PqsAuditRow row = {
    .id = id,
    .has_user = TRUE,
    .user_id = 1,
    .activity_type = PQS_AUDIT_USER_DELETE,
    .details = details,
    .user_agent = "forger",
    .created_at = T0_TEXT,
    .prev_hash = prev_hash,
  };

  row_hash = pqs_audit_row_hash (&row);
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "INSERT INTO user_activities (" ROW_COLUMNS ") VALUES "
                                       "(?1, 1, ?2, NULL, NULL, ?3, NULL, 'forger', ?4, ?5, ?6)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, row.activity_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, details, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, T0_TEXT, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, row_hash, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* Runs pqs_audit_verify() and expects the chain to break at @bad_id. */
static void
assert_broken_at (Fixture    *fixture,
                  gint64      bad_id,
                  const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, bad_id);
  guint64 rows = 0;
  gint64 found = -1;
  gboolean ok;

  ok = pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, &found, &error);
  g_assert_error (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN);
  g_assert_false (ok);
  g_assert_cmpint (found, ==, bad_id);
  g_assert_nonnull (strstr (error->message, message_part));
  g_test_message ("%s", error->message);
}

static void
assert_intact (Fixture *fixture,
               guint64  expected_rows)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad_id = -1;

  pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, &bad_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, expected_rows);
  g_assert_cmpint (bad_id, ==, 0);
}

/* The canonical form --------------------------------------------------------- */

static void
test_canonical_form (void)
{
  PqsAuditRow row = {
    .id = 1,
    .has_user = TRUE,
    .user_id = 2,
    .activity_type = "auth.login",
    .details = "{\"a\":1}",
    .user_agent = "x",
    .created_at = T0_TEXT,
  };
  g_autofree char *expected = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expected2 = NULL;
  g_autofree char *hash2 = NULL;

  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                            "1:1" "1:2" "10:auth.login" "-" "-" "7:{\"a\":1}"
                                            "-" "1:x" "24:" T0_TEXT "-", -1);
  hash = pqs_audit_row_hash (&row);
  g_assert_cmpstr (hash, ==, expected);
  g_assert_cmpuint (strlen (hash), ==, 64);

  /* An empty string is not NULL; ids of 0 and negative ones are numbers. */
  row.id = 1234567890123;
  row.has_user = FALSE;
  row.resource_type = "";
  row.has_resource = TRUE;
  row.resource_id = -5;
  row.details = NULL;
  row.user_agent = NULL;
  row.prev_hash = "ab";
  expected2 = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                             "13:1234567890123" "-" "10:auth.login" "0:" "2:-5"
                                             "-" "-" "-" "24:" T0_TEXT "2:ab", -1);
  hash2 = pqs_audit_row_hash (&row);
  g_assert_cmpstr (hash2, ==, expected2);
}

static void
test_describe (void)
{
  g_assert_cmpstr (pqs_audit_describe_activity (PQS_AUDIT_SIGN_IN), ==, "Signed in");
  g_assert_cmpstr (pqs_audit_describe_activity (PQS_AUDIT_SIGN_IN_FAILED), ==, "Failed sign-in");
  g_assert_cmpstr (pqs_audit_describe_activity ("something.else"), ==, "something.else");
}

/* Appending ------------------------------------------------------------------- */

static void
test_append (Fixture       *fixture,
             gconstpointer  data)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first_hash = NULL;
  gint64 id1, id2;
  int n = 0;

  id1 = append (fixture, 1, PQS_AUDIT_SIGN_IN, "user", 1, "{ \"method\" : \"password\" }");
  fixture->now += 1500;   /* 1.5 ms */
  id2 = append (fixture, 0, PQS_AUDIT_SIGN_IN_FAILED, NULL, 0, NULL);
  g_assert_cmpint (id1, ==, 1);
  g_assert_cmpint (id2, ==, 2);

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "SELECT " ROW_COLUMNS " FROM user_activities ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *hash = NULL;
      PqsAuditRow row;

      row_from_stmt (stmt, &row);
      hash = pqs_audit_row_hash (&row);
      g_assert_cmpstr (hash, ==, (const char *) sqlite3_column_text (stmt, 10));
      g_assert_cmpstr (row.user_agent, ==, CLIENT_NAME);
      g_assert_null (row.ip_address);

      if (n == 0)
        {
          g_assert_cmpint (row.id, ==, 1);
          g_assert_true (row.has_user);
          g_assert_cmpint (row.user_id, ==, 1);
          g_assert_cmpstr (row.activity_type, ==, "auth.login");
          g_assert_cmpstr (row.resource_type, ==, "user");
          g_assert_cmpint (row.resource_id, ==, 1);
          g_assert_cmpstr (row.details, ==, "{\"method\":\"password\"}");
          g_assert_cmpstr (row.created_at, ==, T0_TEXT);
          g_assert_null (row.prev_hash);
          first_hash = g_strdup (hash);
        }
      else
        {
          g_assert_cmpint (row.id, ==, 2);
          g_assert_false (row.has_user);
          g_assert_cmpstr (row.activity_type, ==, "auth.login_failed");
          g_assert_null (row.resource_type);
          g_assert_false (row.has_resource);
          g_assert_null (row.details);
          g_assert_cmpstr (row.created_at, ==, "2026-11-23T08:15:02.124Z");
          g_assert_cmpstr (row.prev_hash, ==, first_hash);
        }
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (n, ==, 2);

  assert_intact (fixture, 2);
}

static void
test_append_outside_transaction (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_test_expect_message ("pqs-model", G_LOG_LEVEL_CRITICAL, "*pqs_store_in_transaction*");
  g_assert_false (pqs_audit_append (fixture->store, 1, PQS_AUDIT_SIGN_IN, NULL, 0, NULL,
                                    NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, 0);
}

typedef struct
{
  gint64      user_id;      /* the actor of the audit row */
  const char *details;      /* its details, as JSON text */
  gboolean    fail_after;   /* fail on purpose once both are written */
  gboolean    change;       /* insert the user "carol" first */
} Work;

static gboolean
work_func (PqsStore  *store,
           gpointer   user_data,
           GError   **error)
{
  Work *work = user_data;
  g_autoptr(JsonNode) details = work->details != NULL ? json (work->details) : NULL;

  if (work->change &&
      !pqs_store_exec (store,
                       "INSERT INTO users (username, email, password_hash, full_name, role) "
                       "VALUES ('carol', 'carol@example.org', 'x', 'Carol', 'user')", error))
    return FALSE;

  if (!pqs_audit_append (store, work->user_id, PQS_AUDIT_USER_CREATE, "user", 3, details,
                         NULL, error))
    return FALSE;

  if (work->fail_after)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the change failed");
      return FALSE;
    }

  return TRUE;
}

static void
test_same_transaction (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *carol = "SELECT count(*) FROM users WHERE username = 'carol'";
  const char *rows = "SELECT count(*) FROM user_activities";

  /* The change fails after its audit row was written: no audit row. */
  {
    g_autoptr(GError) error = NULL;
    Work work = { 1, "{\"role\":\"user\"}", TRUE, TRUE };

    g_assert_false (pqs_store_transaction (fixture->store, work_func, &work, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_cmpint (count (fixture, rows), ==, 0);
    g_assert_cmpint (count (fixture, carol), ==, 0);
  }

  /* The audit row cannot be written (details not an object): no change. */
  {
    g_autoptr(GError) error = NULL;
    Work work = { 1, "[1, 2]", FALSE, TRUE };

    g_assert_false (pqs_store_transaction (fixture->store, work_func, &work, &error));
    g_assert_error (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_INVALID);
    g_assert_cmpint (count (fixture, rows), ==, 0);
    g_assert_cmpint (count (fixture, carol), ==, 0);
  }

  /* The audit row names a user that does not exist: no change either. */
  {
    g_autoptr(GError) error = NULL;
    Work work = { 999, NULL, FALSE, TRUE };

    g_assert_false (pqs_store_transaction (fixture->store, work_func, &work, &error));
    g_assert_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT);
    g_assert_cmpint (count (fixture, rows), ==, 0);
    g_assert_cmpint (count (fixture, carol), ==, 0);
  }

  /* Nothing of the failures was kept, not even an id. */
  g_assert_cmpint (count (fixture,
                          "SELECT coalesce((SELECT seq FROM sqlite_sequence "
                          "WHERE name = 'user_activities'), 0)"), ==, 0);

  /* Both or neither: both. */
  {
    g_autoptr(GError) error = NULL;
    Work work = { 1, "{\"role\":\"user\"}", FALSE, TRUE };

    g_assert_true (pqs_store_transaction (fixture->store, work_func, &work, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (fixture, rows), ==, 1);
    g_assert_cmpint (count (fixture, carol), ==, 1);
  }

  /* A nested unit that fails takes its audit row with it and leaves the
   * enclosing transaction's rows and the chain intact. */
  {
    g_autoptr(GError) error = NULL;
    Work failing = { 2, NULL, TRUE, FALSE };
    gint64 id = 0;

    pqs_store_begin_immediate (fixture->store, &error);
    g_assert_no_error (error);
    pqs_audit_append (fixture->store, 2, PQS_AUDIT_SIGN_IN, NULL, 0, NULL, &id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id, ==, 2);
    g_assert_false (pqs_store_transaction (fixture->store, work_func, &failing, &error));
    g_clear_error (&error);
    pqs_audit_append (fixture->store, 2, PQS_AUDIT_SIGN_OUT, NULL, 0, NULL, &id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id, ==, 3);
    pqs_store_commit (fixture->store, &error);
    g_assert_no_error (error);
  }

  assert_intact (fixture, 3);
}

/* Verifying ------------------------------------------------------------------- */

static void
test_verify_intact (Fixture       *fixture,
                    gconstpointer  data)
{
  assert_intact (fixture, 0);
  build_chain (fixture, 1000);
  assert_intact (fixture, 1000);
}

static void
test_verify_edited (Fixture       *fixture,
                    gconstpointer  data)
{
  build_chain (fixture, 1000);
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_update;"
                 "UPDATE user_activities SET details = '{\"n\":9999}' WHERE id = 500");
  assert_broken_at (fixture, 500, "Audit row 500 was changed");
}

static void
test_verify_edited_hash (Fixture       *fixture,
                         gconstpointer  data)
{
  build_chain (fixture, 1000);
  /* A forger who rewrites a row and its own hash still breaks the next link. */
  pqs_test_exec (fixture->db, "DROP TRIGGER user_activities_no_update");
  {
    g_autofree char *prev = pqs_test_query_text (fixture->db,
                                                 "SELECT row_hash FROM user_activities "
                                                 "WHERE id = 699");
    g_autofree char *hash = NULL;
    g_autofree char *sql = NULL;
    PqsAuditRow row = { 0 };
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                         "SELECT " ROW_COLUMNS " FROM user_activities "
                                         "WHERE id = 700", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    row_from_stmt (stmt, &row);
    row.details = "{\"n\":0}";
    g_assert_cmpstr (row.prev_hash, ==, prev);
    hash = pqs_audit_row_hash (&row);
    sqlite3_finalize (stmt);

    sql = g_strdup_printf ("UPDATE user_activities SET details = '{\"n\":0}', row_hash = '%s' "
                           "WHERE id = 700", hash);
    pqs_test_exec (fixture->db, sql);
  }
  assert_broken_at (fixture, 701, "Audit row 701 does not follow row 700");
}

static void
test_verify_deleted_middle (Fixture       *fixture,
                            gconstpointer  data)
{
  build_chain (fixture, 1000);
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_delete;"
                 "DELETE FROM user_activities WHERE id = 500");
  assert_broken_at (fixture, 501, "Audit row 501 does not follow row 499");
}

static void
test_verify_deleted_first (Fixture       *fixture,
                           gconstpointer  data)
{
  build_chain (fixture, 10);
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_delete;"
                 "DELETE FROM user_activities WHERE id = 1");
  assert_broken_at (fixture, 2, "before row 2");
}

static void
test_verify_deleted_tail (Fixture       *fixture,
                          gconstpointer  data)
{
  build_chain (fixture, 1000);
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_delete;"
                 "DELETE FROM user_activities WHERE id >= 998");
  assert_broken_at (fixture, 998, "Audit rows after row 997 were removed");

  /* The next row does not take the removed ids: the gap stays visible. */
  g_assert_cmpint (append (fixture, 1, PQS_AUDIT_SIGN_IN, NULL, 0, NULL), ==, 1001);
  assert_broken_at (fixture, 1001, "Audit row 1001 does not follow row 997");
}

static void
test_verify_deleted_all (Fixture       *fixture,
                         gconstpointer  data)
{
  build_chain (fixture, 5);
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_delete;"
                 "DELETE FROM user_activities");
  assert_broken_at (fixture, 1, "Every audit row was removed");
}

static void
test_verify_inserted_end (Fixture       *fixture,
                          gconstpointer  data)
{
  build_chain (fixture, 1000);
  insert_forged (fixture, 1001, "{\"forged\":true}", "0000");
  assert_broken_at (fixture, 1001, "Audit row 1001 does not follow row 1000");
}

static void
test_verify_inserted_in_gap (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *prev = NULL;

  build_chain (fixture, 1000);
  prev = pqs_test_query_text (fixture->db, "SELECT row_hash FROM user_activities WHERE id = 499");
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_delete;"
                 "DELETE FROM user_activities WHERE id = 500");

  /* A well-formed row in the hole: its own hash and link are right... */
  insert_forged (fixture, 500, "{\"forged\":true}", prev);
  /* ...but the row after it was chained to the original. */
  assert_broken_at (fixture, 501, "Audit row 501 does not follow row 500");
}

static void
count_progress_cb (guint64  checked,
                   guint64  total,
                   gpointer user_data)
{
  GArray *calls = user_data;

  g_assert_cmpuint (checked, <=, total);
  g_array_append_val (calls, checked);
}

static void
cancel_progress_cb (guint64  checked,
                    guint64  total,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_verify_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad_id = -1;

  build_chain (fixture, 25000);

  pqs_audit_verify (fixture->store, NULL, count_progress_cb, calls, &rows, &bad_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 3);
  g_assert_cmpuint (g_array_index (calls, guint64, 0), ==, 10000);
  g_assert_cmpuint (g_array_index (calls, guint64, 1), ==, 20000);
  g_assert_cmpuint (g_array_index (calls, guint64, 2), ==, 25000);

  g_assert_false (pqs_audit_verify (fixture->store, cancellable, cancel_progress_cb, cancellable,
                                    &rows, &bad_id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (rows, ==, 10000);
  g_assert_cmpint (bad_id, ==, 0);
}

typedef struct
{
  GThread      *main_thread;
  GArray       *calls;
  GCancellable *cancel_on_progress;
  gboolean      done;
  gboolean      ok;
  guint64       rows;
  gint64        bad_id;
  GError       *error;
} AsyncRun;

static void
async_progress_cb (guint64  checked,
                   guint64  total,
                   gpointer user_data)
{
  AsyncRun *run = user_data;

  /* Marshalled back to the caller's thread, never after the result. */
  g_assert_true (g_thread_self () == run->main_thread);
  g_assert_false (run->done);
  g_array_append_val (run->calls, checked);
  if (run->cancel_on_progress != NULL)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncRun *run = user_data;

  run->ok = pqs_audit_verify_finish (PQS_STORE (object), result, &run->rows, &run->bad_id,
                                     &run->error);
  run->done = TRUE;
}

static void
run_async (Fixture      *fixture,
           AsyncRun     *run,
           GCancellable *cancellable)
{
  run->main_thread = g_thread_self ();
  run->calls = g_array_new (FALSE, FALSE, sizeof (guint64));
  pqs_audit_verify_async (fixture->store, cancellable, async_progress_cb, run,
                          async_done_cb, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
async_run_clear (AsyncRun *run)
{
  g_clear_pointer (&run->calls, g_array_unref);
  g_clear_error (&run->error);
}

static void
test_verify_async (Fixture       *fixture,
                   gconstpointer  data)
{
  build_chain (fixture, 30000);

  {
    AsyncRun run = { 0 };

    run_async (fixture, &run, NULL);
    g_assert_no_error (run.error);
    g_assert_true (run.ok);
    g_assert_cmpuint (run.rows, ==, 30000);
    g_assert_cmpint (run.bad_id, ==, 0);
    /* Every 10,000 rows and at the end; the last one may come with the result. */
    g_assert_cmpuint (run.calls->len, >=, 1);
    g_assert_cmpuint (g_array_index (run.calls, guint64, 0), ==, 10000);
    async_run_clear (&run);
  }

  /* Cancelled while it runs. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    AsyncRun run = { 0 };

    run.cancel_on_progress = cancellable;
    run_async (fixture, &run, cancellable);
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_false (run.ok);
    g_assert_cmpuint (run.calls->len, >=, 1);
    async_run_clear (&run);
  }

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    AsyncRun run = { 0 };

    g_cancellable_cancel (cancellable);
    run_async (fixture, &run, cancellable);
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    async_run_clear (&run);
  }

  /* A broken chain names its row through the async API too. */
  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_update;"
                 "UPDATE user_activities SET created_at = '2000-01-01T00:00:00.000Z' "
                 "WHERE id = 12345");
  {
    AsyncRun run = { 0 };

    run_async (fixture, &run, NULL);
    g_assert_error (run.error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN);
    g_assert_false (run.ok);
    g_assert_cmpint (run.bad_id, ==, 12345);
    g_assert_cmpuint (run.rows, ==, 12344);
    async_run_clear (&run);
  }
}

/* The list --------------------------------------------------------------------- */

typedef PqsTestChanges Changes;

/* The audit list announces every change from its first row. */
static void
assert_change (Changes *changes,
               guint    removed,
               guint    added)
{
  pqs_test_assert_change (changes, 0, removed, added);
}

static gint64
item_id (GListModel *model,
         guint       position)
{
  g_autoptr(PqsAuditEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);
  return pqs_audit_entry_get_id (entry);
}

/* The list's ids, read in a scattered order, against the same query in SQL. */
static void
assert_ids (Fixture    *fixture,
            GListModel *model,
            const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM user_activities WHERE %s "
                                          "ORDER BY id DESC", where);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (expected, id);
    }
  sqlite3_finalize (stmt);

  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_null (g_list_model_get_item (model, n));

  /* Jumps (OFFSET), then neighbours above and below (keys), then a sweep
   * through more pages than the cache holds. */
  for (guint step = 0; step < 4; step++)
    {
      static const guint strides[] = { 337, 101, 53, 1 };

      for (guint i = 0; i < n; i += strides[step])
        {
          guint position = (step % 2 == 0) ? i : n - 1 - i;

          g_assert_cmpint (item_id (model, position), ==,
                           g_array_index (expected, gint64, position));
        }
    }
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PqsAuditList) list = NULL;
  g_autoptr(PqsAuditEntry) entry = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autofree char *username = NULL;
  g_autofree char *description = NULL;
  g_autofree char *details = NULL;
  GListModel *model;
  Changes changes = { 0 };
  gint64 t0 = fixture->now;
  gint64 user_id = -1;

  append (fixture, 1, PQS_AUDIT_SIGN_IN, "user", 1, NULL);                        /* 1 */
  fixture->now += G_USEC_PER_SEC;
  append (fixture, 2, PQS_AUDIT_SIGN_IN, "user", 2, NULL);                        /* 2 */
  fixture->now += G_USEC_PER_SEC;
  append (fixture, 1, PQS_AUDIT_USER_CREATE, "user", 2, "{\"role\":\"user\"}");   /* 3 */
  fixture->now += G_USEC_PER_SEC;
  append (fixture, 2, PQS_AUDIT_DOCUMENT_CREATE, "document", 7, NULL);            /* 4 */
  fixture->now += G_USEC_PER_SEC;
  append (fixture, 0, PQS_AUDIT_SIGN_IN_FAILED, NULL, 0, "{\"username\":\"ghost\"}"); /* 5 */
  fixture->now += G_USEC_PER_SEC;
  append (fixture, 2, PQS_AUDIT_DOCUMENT_CREATE, "document", 8, NULL);            /* 6 */

  list = pqs_audit_list_new (fixture->store);
  model = G_LIST_MODEL (list);
  pqs_test_changes_watch (G_LIST_MODEL (list), &changes);

  g_assert_true (g_list_model_get_item_type (model) == PQS_TYPE_AUDIT_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (item_id (model, i), ==, 6 - i);
  g_assert_null (g_list_model_get_item (model, 6));

  /* An entry's properties. */
  entry = g_list_model_get_item (model, 3);
  g_object_get (entry,
                "user-id", &user_id,
                "username", &username,
                "description", &description,
                "details", &details,
                "created-at", &created_at,
                NULL);
  g_assert_cmpint (pqs_audit_entry_get_id (entry), ==, 3);
  g_assert_cmpint (user_id, ==, 1);
  g_assert_cmpstr (username, ==, "alice");
  g_assert_cmpstr (pqs_audit_entry_get_full_name (entry), ==, "Alice Admin");
  g_assert_cmpstr (pqs_audit_entry_get_activity_type (entry), ==, "user.create");
  g_assert_cmpstr (description, ==, "Created a user");
  g_assert_cmpstr (pqs_audit_entry_get_resource_type (entry), ==, "user");
  g_assert_cmpint (pqs_audit_entry_get_resource_id (entry), ==, 2);
  g_assert_cmpstr (details, ==, "{\"role\":\"user\"}");
  g_assert_null (pqs_audit_entry_get_ip_address (entry));
  g_assert_cmpstr (pqs_audit_entry_get_user_agent (entry), ==, CLIENT_NAME);
  g_assert_cmpint (g_date_time_to_unix (created_at) * G_USEC_PER_SEC +
                   g_date_time_get_microsecond (created_at), ==, t0 + 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (strlen (pqs_audit_entry_get_row_hash (entry)), ==, 64);
  g_clear_object (&entry);

  entry = g_list_model_get_item (model, 1);
  g_assert_cmpint (pqs_audit_entry_get_user_id (entry), ==, 0);
  g_assert_null (pqs_audit_entry_get_username (entry));
  g_assert_cmpstr (pqs_audit_entry_get_description (entry), ==, "Failed sign-in");
  g_assert_cmpint (pqs_audit_entry_get_resource_id (entry), ==, 0);
  g_assert_null (pqs_audit_entry_get_resource_type (entry));
  g_clear_object (&entry);

  /* Filters: each change is one items-changed over the whole list. */
  pqs_audit_list_set_user_id (list, 2);
  assert_change (&changes, 6, 3);
  assert_ids (fixture, model, "user_id = 2");
  pqs_audit_list_set_user_id (list, 2);
  g_assert_cmpuint (changes.calls, ==, 0);
  g_object_set (list, "user-id", (gint64) 0, NULL);
  assert_change (&changes, 3, 6);

  pqs_audit_list_set_activity_type (list, PQS_AUDIT_DOCUMENT_CREATE);
  assert_change (&changes, 6, 2);
  assert_ids (fixture, model, "activity_type = 'document.create'");
  pqs_audit_list_set_resource (list, "document", 7);
  assert_change (&changes, 2, 1);
  g_assert_cmpint (item_id (model, 0), ==, 4);
  pqs_audit_list_set_activity_type (list, NULL);
  assert_change (&changes, 1, 1);
  pqs_audit_list_set_resource (list, "user", 0);
  assert_change (&changes, 1, 3);
  assert_ids (fixture, model, "resource_type = 'user'");
  pqs_audit_list_set_resource (list, NULL, 0);
  assert_change (&changes, 3, 6);

  since = time_from_us (t0 + 2 * G_USEC_PER_SEC);
  until = time_from_us (t0 + 4 * G_USEC_PER_SEC);
  pqs_audit_list_set_since (list, since);
  assert_change (&changes, 6, 4);
  assert_ids (fixture, model, "id >= 3");
  pqs_audit_list_set_until (list, until);
  assert_change (&changes, 4, 2);
  assert_ids (fixture, model, "id IN (3, 4)");
  pqs_audit_list_set_since (list, NULL);
  pqs_audit_list_set_until (list, NULL);
  g_assert_cmpuint (changes.calls, ==, 2);
  memset (&changes, 0, sizeof changes);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);

  /* New rows join at the top... */
  append (fixture, 1, PQS_AUDIT_SIGN_OUT, NULL, 0, NULL);
  while (changes.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  assert_change (&changes, 0, 1);
  g_assert_cmpint (item_id (model, 0), ==, 7);
  g_assert_cmpint (item_id (model, 6), ==, 1);

  /* ...of a filtered list too, when they match. */
  pqs_audit_list_set_user_id (list, 2);
  assert_change (&changes, 7, 3);
  append (fixture, 1, PQS_AUDIT_SIGN_IN, NULL, 0, NULL);
  g_assert_cmpuint (changes.calls, ==, 0);
  append (fixture, 2, PQS_AUDIT_SIGN_OUT, NULL, 0, NULL);
  while (changes.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  assert_change (&changes, 0, 1);
  assert_ids (fixture, model, "user_id = 2");

  /* A row that vanishes (a tampered table) makes the list count again. */
  pqs_audit_list_set_user_id (list, 0);
  assert_change (&changes, 4, 9);
  {
    g_autoptr(GError) error = NULL;

    pqs_store_exec (fixture->store,
                    "DROP TRIGGER user_activities_no_delete;"
                    "DELETE FROM user_activities WHERE id = 4", &error);
    g_assert_no_error (error);
  }
  assert_change (&changes, 9, 8);
  assert_ids (fixture, model, "1");
}

/* A table with gaps is read by OFFSET, and with filters the index or the
 * rowid order, whichever the share of matching rows calls for. */
static void
test_list_paging (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsAuditList) list = NULL;
  GListModel *model;

  build_chain (fixture, 2345);
  list = pqs_audit_list_new (fixture->store);
  model = G_LIST_MODEL (list);

  assert_ids (fixture, model, "1");
  pqs_audit_list_set_user_id (list, 2);
  assert_ids (fixture, model, "user_id = 2");
  pqs_audit_list_set_user_id (list, 0);
  pqs_audit_list_set_resource (list, "document", 3);
  assert_ids (fixture, model, "resource_type = 'document' AND resource_id = 3");
  pqs_audit_list_set_activity_type (list, PQS_AUDIT_SIGN_IN);
  assert_ids (fixture, model, "resource_id = 3 AND activity_type = 'auth.login'");
  pqs_audit_list_set_resource (list, NULL, 0);
  pqs_audit_list_set_activity_type (list, NULL);

  pqs_test_exec (fixture->db,
                 "DROP TRIGGER user_activities_no_delete;"
                 "DELETE FROM user_activities WHERE id IN (5, 777, 1500, 1501)");
  pqs_audit_list_reload (list);
  assert_ids (fixture, model, "1");
  pqs_audit_list_set_user_id (list, 1);
  assert_ids (fixture, model, "user_id = 1");
}

/* A million rows (hashes not valid) in one statement. */
static void
insert_many (Fixture *fixture,
             guint    n)
{
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("PRAGMA cache_size = -262144;"
                         "BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "                        WHERE i < %u) "
                         "INSERT INTO user_activities (" ROW_COLUMNS ") "
                         "SELECT i, 1 + i %% 2, CASE i %% 3 WHEN 0 THEN 'auth.login' "
                         "  WHEN 1 THEN 'document.create' ELSE 'user.update' END, "
                         "  'document', 1 + i %% 1000, '{\"n\":' || i || '}', NULL, 'bench', "
                         "  strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 1700000000 + i, 'unixepoch'), "
                         "  NULL, 'x' FROM n;"
                         "COMMIT;"
                         "PRAGMA cache_size = -16384;", n);
  pqs_test_exec (fixture->db, sql);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
test_list_large (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n = g_test_slow () ? 1000000 : 200000;
  g_autoptr(PqsAuditList) list = NULL;
  GListModel *model;
  gint64 start;
  double open_ms, first_ms, middle_ms, last_ms, filtered_ms, warm_ms;

  start = g_get_monotonic_time ();
  insert_many (fixture, n);
  g_test_message ("%u rows inserted in %.0f ms", n, ms_since (start));

  start = g_get_monotonic_time ();
  list = pqs_audit_list_new (fixture->store);
  model = G_LIST_MODEL (list);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  open_ms = ms_since (start);

  start = g_get_monotonic_time ();
  g_assert_cmpint (item_id (model, 0), ==, n);
  first_ms = ms_since (start);
  start = g_get_monotonic_time ();
  g_assert_cmpint (item_id (model, n / 2), ==, n - n / 2);
  middle_ms = ms_since (start);
  start = g_get_monotonic_time ();
  g_assert_cmpint (item_id (model, n - 1), ==, 1);
  last_ms = ms_since (start);

  start = g_get_monotonic_time ();
  pqs_audit_list_set_user_id (list, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n / 2);
  g_assert_cmpint (item_id (model, n / 4), ==, n - 1 - 2 * (n / 4));
  filtered_ms = ms_since (start);

  /* Once the index is in the page cache. */
  g_clear_object (&list);
  start = g_get_monotonic_time ();
  list = pqs_audit_list_new (fixture->store);
  g_assert_cmpint (item_id (G_LIST_MODEL (list), 0), ==, n);
  warm_ms = ms_since (start);

  g_test_message ("%u rows: open (count) %.2f ms, item 0 %.2f ms, item %u %.2f ms, "
                  "item %u %.2f ms, filter by user + jump to the middle %.2f ms, "
                  "open again + item 0 %.2f ms",
                  n, open_ms, first_ms, n / 2, middle_ms, n - 1, last_ms, filtered_ms, warm_ms);
}

/* For the numbers only (-m perf): verify a million valid rows. */
static void
test_verify_large (Fixture       *fixture,
                   gconstpointer  data)
{
  const guint n = 1000000;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsAuditList) list = NULL;
  g_autofree char *prev = NULL;
  sqlite3_stmt *stmt = NULL;
  guint64 rows = 0;
  gint64 start;

  if (!g_test_perf ())
    {
      g_test_skip ("a measurement: run with -m perf");
      return;
    }

  start = g_get_monotonic_time ();
  pqs_test_exec (fixture->db, "PRAGMA cache_size = -262144; BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "INSERT INTO user_activities (" ROW_COLUMNS ") VALUES "
                                       "(?1, ?2, 'document.create', 'document', ?3, ?4, NULL, "
                                       "'bench', ?5, ?6, ?7)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 1; i <= n; i++)
    {
      char details[64];
      g_autofree char *created_at = pqs_store_format_time (fixture->now + (gint64) i * 1000);
      g_autofree char *hash = NULL;
      PqsAuditRow row = {
        .id = i, .has_user = TRUE, .user_id = 1 + i % 2,
        .activity_type = "document.create", .resource_type = "document",
        .has_resource = TRUE, .resource_id = 1 + i % 1000, .details = details,
        .user_agent = "bench", .created_at = created_at, .prev_hash = prev,
      };

      g_snprintf (details, sizeof details, "{\"standard_id\":%u,\"number\":%u}", i % 50, i);
      hash = pqs_audit_row_hash (&row);
      sqlite3_bind_int64 (stmt, 1, row.id);
      sqlite3_bind_int64 (stmt, 2, row.user_id);
      sqlite3_bind_int64 (stmt, 3, row.resource_id);
      sqlite3_bind_text (stmt, 4, details, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, created_at, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, prev, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, hash, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  sqlite3_finalize (stmt);
  pqs_test_exec (fixture->db, "COMMIT; PRAGMA cache_size = -16384");
  g_test_message ("%u chained rows written in %.0f ms", n, ms_since (start));

  start = g_get_monotonic_time ();
  pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, n);
  g_test_message ("verify: %u rows in %.0f ms", n, ms_since (start));

  start = g_get_monotonic_time ();
  list = pqs_audit_list_new (fixture->store);
  g_assert_cmpint (item_id (G_LIST_MODEL (list), 0), ==, n);
  g_test_message ("list: open and item 0 in %.2f ms", ms_since (start));
  start = g_get_monotonic_time ();
  g_assert_cmpint (item_id (G_LIST_MODEL (list), 500000), ==, n - 500000);
  g_test_message ("list: item 500000 in %.2f ms", ms_since (start));
}

/* The store's own services write their audit rows too: migrations of an
 * existing database, rollbacks, backups and restores, each in the
 * transaction that records it. */
static gint64
count_activity (sqlite3    *db,
                const char *type)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM user_activities "
                                          "WHERE activity_type = '%s'", type);
  return pqs_test_query_int (db, sql);
}

static void
assert_chain_verifies (PqsStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pqs_audit_verify (store, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_services (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "pqs.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autoptr(PqsStore) store = pqs_test_open_store (path);
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(PqsBackupInfo) backup = NULL;
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, FALSE, NULL, NULL, "tester", 0 };
  sqlite3 *db = pqs_store_get_handle (store);
  guint latest;
  guint applied = 0;

  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  latest = pqs_migrator_get_latest_version (migrator);
  g_assert_cmpuint (latest, >, 5);

  /* A database being created has nothing to audit yet. */
  g_assert_true (pqs_migrator_migrate (migrator, 5, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_activity (db, "database.migrate"), ==, 0);

  /* An existing one records every step, with its version. */
  g_assert_true (pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_activity (db, "database.migrate"), ==, latest - 5);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT json_extract(details, '$.version') FROM "
                                           "user_activities WHERE activity_type = "
                                           "'database.migrate' ORDER BY id LIMIT 1"), ==, 6);

  service = pqs_backup_service_new (store, backups);
  backup = pqs_backup_service_create (service, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM user_activities WHERE "
                                           "activity_type = 'backup.create' AND "
                                           "json_extract(details, '$.by') = 'tester'"), ==, 1);

  g_assert_true (pqs_backup_service_restore (service, backup->path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  db = pqs_store_get_handle (store);
  g_assert_cmpint (count_activity (db, "backup.restore"), ==, 1);
  assert_chain_verifies (store);

  g_assert_true (pqs_migrator_rollback (migrator, latest - 1, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_activity (db, "database.rollback"), ==, 1);
  assert_chain_verifies (store);

  g_clear_object (&service);
  g_clear_object (&migrator);
  pqs_store_close (store);
  pqs_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/audit/canonical-form", test_canonical_form);
  g_test_add_func ("/audit/describe", test_describe);
  g_test_add_func ("/audit/services", test_services);
  ADD ("/audit/append", test_append);
  ADD ("/audit/append-outside-transaction", test_append_outside_transaction);
  ADD ("/audit/same-transaction", test_same_transaction);
  ADD ("/audit/verify/intact", test_verify_intact);
  ADD ("/audit/verify/edited", test_verify_edited);
  ADD ("/audit/verify/edited-with-hash", test_verify_edited_hash);
  ADD ("/audit/verify/deleted-middle", test_verify_deleted_middle);
  ADD ("/audit/verify/deleted-first", test_verify_deleted_first);
  ADD ("/audit/verify/deleted-tail", test_verify_deleted_tail);
  ADD ("/audit/verify/deleted-all", test_verify_deleted_all);
  ADD ("/audit/verify/inserted-end", test_verify_inserted_end);
  ADD ("/audit/verify/inserted-in-gap", test_verify_inserted_in_gap);
  ADD ("/audit/verify/cancel", test_verify_cancel);
  ADD ("/audit/verify/async", test_verify_async);
  ADD ("/audit/list/basics", test_list);
  ADD ("/audit/list/paging", test_list_paging);
  ADD ("/audit/list/large", test_list_large);
  ADD ("/audit/verify/large", test_verify_large);

#undef ADD

  return g_test_run ();
}
