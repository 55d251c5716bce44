/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "pqs-demo-seeder.h"
#include "pqs-document-private.h"
#include "pqs-history.h"
#include "pqs-library.h"
#include "pqs-user-list.h"
#include "pqs-test-util.h"

/* PqsDemoSeeder and `pqs-admin seed-demo`: the demo data must be complete
 * (every role, series, status), obey every rule of the schema, keep the
 * audit chain intact, be searchable, and follow from the seed alone. */

#define REFERENCE_TIME G_GINT64_CONSTANT (1700000000)   /* 2023-11-14 */
#define PASSWORD       "correct horse battery staple"

typedef struct
{
  char     *dir;
  char     *db_path;
  PqsStore *store;
  sqlite3  *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->db_path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_store (fixture->db_path);
  fixture->db = pqs_store_get_handle (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
  g_free (fixture->db_path);
}

static PqsDemoSeeder *
make_seeder (PqsStore *store,
             guint     documents,
             guint     seed)
{
  PqsDemoSeeder *seeder = pqs_demo_seeder_new (store);

  pqs_demo_seeder_set_documents (seeder, documents);
  pqs_demo_seeder_set_seed (seeder, seed);
  pqs_demo_seeder_set_reference_time (seeder, REFERENCE_TIME);
  pqs_demo_seeder_set_password (seeder, PASSWORD);
  return seeder;
}

static void
seed (PqsStore *store,
      guint     documents,
      guint     seed_value)
{
  g_autoptr(PqsDemoSeeder) seeder = make_seeder (store, documents, seed_value);
  g_autoptr(GError) error = NULL;

  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
}

static gint64
count (sqlite3    *db,
       const char *sql)
{
  return pqs_test_query_int (db, sql);
}

/* Recomputes the audit chain in id order with the canonical form documented
 * in pqs-demo-seeder.c; returns the number of rows. Within one run the demo
 * history is written in time order; a forced second run backdates its own
 * history before the first run's rows, so @time_ordered is off then. */
static gint64
assert_audit_chain (sqlite3  *db,
                    gboolean  time_ordered)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) canonical = g_string_new (NULL);
  g_autofree char *prev = NULL;
  g_autofree char *prev_time = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 rows = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT id, user_id, activity_type, resource_type, resource_id, "
                           "details, ip_address, user_agent, created_at, prev_hash, row_hash "
                           "FROM user_activities ORDER BY id", -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *stored_prev = (const char *) sqlite3_column_text (stmt, 9);
      const char *row_hash = (const char *) sqlite3_column_text (stmt, 10);
      const char *created_at = (const char *) sqlite3_column_text (stmt, 8);

      g_string_truncate (canonical, 0);
      for (int column = 0; column <= 9; column++)
        {
          const char *value = (const char *) sqlite3_column_text (stmt, column);

          if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
            g_string_append_c (canonical, '-');
          else
            g_string_append_printf (canonical, "%d:%s", sqlite3_column_bytes (stmt, column),
                                    value);
        }

      g_assert_cmpstr (stored_prev, ==, prev);
      g_checksum_reset (checksum);
      g_checksum_update (checksum, (const guchar *) canonical->str, canonical->len);
      g_assert_cmpstr (row_hash, ==, g_checksum_get_string (checksum));

      /* Time never goes backwards along the chain. */
      if (time_ordered && prev_time != NULL)
        g_assert_cmpstr (prev_time, <=, created_at);
      g_free (prev_time);
      prev_time = g_strdup (created_at);

      g_free (prev);
      prev = g_strdup (row_hash);
      rows++;
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return rows;
}

static GArray *
query_ids (sqlite3    *db,
           const char *sql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return ids;
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

/* The rare word is in exactly the documents the seeder put it in. */
static void
assert_rare_word (sqlite3 *db,
                  GArray  *expected)
{
  g_autoptr(GArray) fts = query_ids (db, "SELECT rowid FROM documents_fts "
                                         "WHERE documents_fts MATCH '" PQS_DEMO_SEEDER_RARE_WORD
                                         "' ORDER BY rowid");
  g_autoptr(GArray) like = query_ids (db, "SELECT id FROM documents WHERE content LIKE '%"
                                          PQS_DEMO_SEEDER_RARE_WORD "%' ORDER BY id");

  g_assert_cmpuint (expected->len, >, 0);
  assert_same_ids (fts, expected);
  assert_same_ids (like, expected);
}

static void
assert_template_fields (const char *fields)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  json_parser_load_from_data (parser, fields, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), >=, 2);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *field = json_array_get_object_element (array, i);
      const char *key;

      g_assert_nonnull (field);
      for (guint m = 0; m < 5; m++)
        g_assert_true (json_object_has_member (field, (const char * const[]) {
                         "key", "label", "type", "required", "help" }[m]));
      key = json_object_get_string_member (field, "key");
      g_assert_nonnull (key);
      g_assert_cmpstr (key, !=, "");
      g_assert_false (g_hash_table_contains (keys, key));
      g_hash_table_add (keys, (gpointer) key);
      g_assert_cmpstr (json_object_get_string_member (field, "label"), !=, "");
      /* The field types of the design: text, multiline, number, date, choice, signature. */
      g_assert_true (g_strv_contains ((const char * const[]) { "text", "multiline", "number",
                                                               "date", "choice", "signature",
                                                               NULL },
                                      json_object_get_string_member (field, "type")));
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (field, "required")));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (field, "required")),
                       ==, G_TYPE_BOOLEAN);
      g_assert_cmpstr (json_object_get_string_member (field, "help"), !=, "");
    }
}

typedef struct
{
  guint    calls;
  guint    last_done;
  guint    last_total;
  gboolean monotonic;
  GCancellable *cancel;
} Progress;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *progress = user_data;

  if (done < progress->last_done)
    progress->monotonic = FALSE;
  progress->calls++;
  progress->last_done = done;
  progress->last_total = total;
  if (progress->cancel != NULL)
    g_cancellable_cancel (progress->cancel);
}

static void
test_seed_content (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PqsDemoSeeder) seeder = make_seeder (fixture->store, 2000, 7);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  Progress progress = { 0, 0, 0, TRUE, NULL };
  sqlite3 *db = fixture->db;
  sqlite3_stmt *stmt = NULL;
  static const char * const statuses[] = { "draft", "in_review", "approved", "archived" };
  static const char * const roles[] = { "visitor", "user", "supervisor", "admin" };

  pqs_demo_seeder_set_progress_func (seeder, progress_cb, &progress, NULL);
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);

  /* Progress reached the end without going backwards. */
  g_assert_cmpuint (progress.calls, >=, 2);
  g_assert_true (progress.monotonic);
  g_assert_cmpuint (progress.last_done, ==, 2000);
  g_assert_cmpuint (progress.last_total, ==, 2000);

  /* Exactly N documents, in every status, as the seeder reports them. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents"), ==, 2000);
  g_assert_cmpuint (pqs_demo_seeder_get_n_documents (seeder, NULL), ==, 2000);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE status = '%s'",
                                              statuses[i]);
      gint64 n = count (db, sql);

      g_assert_cmpint (n, >, 0);
      g_assert_cmpint (n, ==, pqs_demo_seeder_get_n_documents (seeder, statuses[i]));
    }

  /* Every series, numbers in range and unique within (standard, section). */
  g_assert_cmpint (count (db, "SELECT count(DISTINCT section) FROM documents"), ==, 3);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents "
                              "WHERE document_number NOT BETWEEN section + 1 AND section + 99"),
                   ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM (SELECT 1 FROM documents "
                              "GROUP BY standard_id, section, document_number "
                              "HAVING count(*) > 1)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM (SELECT 1 FROM documents "
                              "GROUP BY standard_id, section HAVING count(*) > 99)"), ==, 0);

  /* About one standard per 150 documents, each with 101 Precautions. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM standards"), ==, 14);
  g_assert_cmpuint (pqs_demo_seeder_get_n_standards (seeder), ==, 14);
  g_assert_cmpint (count (db, "SELECT count(*) FROM standards AS s WHERE NOT EXISTS "
                              "(SELECT 1 FROM documents AS d WHERE d.standard_id = s.id "
                              " AND d.section = 100 AND d.document_number = 101 "
                              " AND d.title = 'Precautions')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM standards WHERE trim(title) = '' "
                              "OR owning_unit IS NULL OR applicability IS NULL "
                              "OR revision IS NULL"), ==, 0);

  /* Users of every role, one shared argon2id hash of the given password,
   * and a new password required at the first sign-in. */
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM users WHERE role = '%s'",
                                              roles[i]);

      g_assert_cmpint (count (db, sql), >, 0);
      g_assert_cmpint (count (db, sql), ==, pqs_demo_seeder_get_n_users (seeder, roles[i]));
    }
  g_assert_cmpint (count (db, "SELECT count(*) FROM users"), >=, 20);
  g_assert_cmpint (count (db, "SELECT count(DISTINCT password_hash) FROM users"), ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM users WHERE password_reset_required <> 0"),
                   ==, 0);
  hash = pqs_test_query_text (db, "SELECT password_hash FROM users LIMIT 1");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str_verify (hash, PASSWORD, strlen (PASSWORD)), ==, 0);
  g_assert_cmpint (crypto_pwhash_str_verify (hash, "wrong", 5), !=, 0);
  g_assert_false (pqs_demo_seeder_get_password_generated (seeder));

  /* System templates for each series with a valid field list. */
  for (int section = 100; section <= 300; section += 100)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM templates WHERE section = %d "
                                              "AND is_system = 1 AND is_active = 1", section);

      g_assert_cmpint (count (db, sql), >=, 1);
    }
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fields FROM templates", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    assert_template_fields ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents WHERE template_id IS NULL"), ==, 0);

  /* 3-8 line items per document, each kind under the right parent. */
  g_assert_cmpint (count (db, "SELECT count(DISTINCT document_id) FROM document_items"), ==, 2000);
  g_assert_cmpint (count (db, "SELECT count(*) FROM (SELECT document_id, "
                              "sum(kind <> 'signature') AS n FROM document_items "
                              "GROUP BY document_id HAVING n < 3 OR n > 8)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_items AS c "
                              "JOIN document_items AS p ON p.id = c.parent_id "
                              "WHERE (c.kind = 'sub_question' AND p.kind <> 'question') "
                              "OR (c.kind = 'second_level' AND p.kind <> 'sub_question')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_items WHERE kind IN "
                              "('question', 'sub_question', 'second_level') "
                              "AND (answer IS NULL OR criteria IS NULL)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_items WHERE kind = 'second_level'"),
                   >, 0);

  /* The workflow fields agree with the status and the reviews. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents WHERE status IN "
                              "('approved', 'archived') AND (approved_by IS NULL "
                              "OR approved_at IS NULL OR reviewed_by IS NULL)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents WHERE status IN "
                              "('draft', 'in_review') AND approved_by IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents "
                              "WHERE approved_by = created_by OR reviewed_by = created_by"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents AS d "
                              "JOIN users AS u ON u.id = d.approved_by "
                              "WHERE u.role NOT IN ('supervisor', 'admin')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents AS d WHERE status = 'approved' "
                              "AND NOT EXISTS (SELECT 1 FROM document_reviews AS r "
                              "WHERE r.document_id = d.id AND r.decision = 'approved' "
                              "AND r.reviewer_id = d.approved_by)"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents WHERE created_at > updated_at "
                              "OR updated_at > '2023-11-14T22:13:20.000Z'"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents WHERE version = 2"), >, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_reviews "
                              "WHERE decision = 'changes_requested'"), >, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_collaborators"), >, 0);

  /* One create per document in the change history, and more besides. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_changes WHERE change_type = 'create'"),
                   ==, 2000);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents AS d WHERE NOT EXISTS "
                              "(SELECT 1 FROM document_changes AS c WHERE c.document_id = d.id "
                              "AND c.change_type = 'create')"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_changes"), ==,
                   pqs_demo_seeder_get_n_changes (seeder));
  g_assert_cmpint (count (db, "SELECT count(*) FROM document_changes"), >, 2000);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents AS d WHERE "
                              "(SELECT max(version) FROM document_changes AS c "
                              " WHERE c.document_id = d.id) <> d.version"), ==, 0);

  /* Search: the rare word in exactly its documents (2000 / 500 of them),
   * common words in many, and the index agrees with its content table. */
  g_assert_cmpuint (pqs_demo_seeder_get_rare_document_ids (seeder)->len, ==, 4);
  assert_rare_word (db, pqs_demo_seeder_get_rare_document_ids (seeder));
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents_fts "
                              "WHERE documents_fts MATCH 'watchstander'"), >, 100);
  pqs_test_exec (db, "INSERT INTO documents_fts (documents_fts, rank) "
                     "VALUES ('integrity-check', 1)");
  g_assert_cmpint (count (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                              "AND name LIKE 'documents_fts_%'"), ==, 3);

  /* The database is sound and the audit trail chains. */
  pqs_test_assert_integrity (db);
  g_assert_cmpint (assert_audit_chain (db, TRUE), ==, pqs_demo_seeder_get_n_activities (seeder));
  g_assert_cmpint (count (db, "SELECT count(*) FROM user_activities"), >, 2000);
  g_assert_null (pqs_test_query_text (db, "SELECT prev_hash FROM user_activities "
                                          "ORDER BY id LIMIT 1"));
}

/* A digest of everything the seed decides. */
static char *
digest (sqlite3 *db)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT title, section, document_number, status, version, "
                                       "content, created_at, updated_at FROM documents "
                                       "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < 8; i++)
      {
        g_checksum_update (checksum, sqlite3_column_text (stmt, i),
                           sqlite3_column_bytes (stmt, i));
        g_checksum_update (checksum, (const guchar *) "\n", 1);
      }
  sqlite3_finalize (stmt);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Seeded history is whole: every change row keeps the document after it in
 * the library's snapshot format, so an older seeded version can be shown
 * and restored like one saved through the library. */
static void
test_seed_history_restorable (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsHistory) history = NULL;
  g_autoptr(PqsDocument) version = NULL;
  g_autoptr(PqsDocument) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_body = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 document_id, create_id, edit_count, changes;
  guint checked = 0;
  g_autoptr(PqsUserList) users = NULL;
  PqsUser *author;
  gboolean ok;

  seed (fixture->store, 300, 11);

  /* Every change row has a snapshot, an action and a status. */
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM document_changes"), >, 300);
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM document_changes WHERE snapshot "
                                       "IS NULL OR action IS NULL OR status IS NULL"), ==, 0);

  /* The very format of pqs_document_dup_snapshot(): reading one and writing
   * it again gives the same text. */
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, "SELECT snapshot FROM document_changes "
                                       "ORDER BY id LIMIT 200", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *snapshot = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(PqsDocument) document = pqs_document_new_from_snapshot (snapshot, &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      again = pqs_document_dup_snapshot (document);
      g_assert_cmpstr (again, ==, snapshot);
      checked++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (checked, ==, 200);

  /* A revised document: its first version differs from the current text. */
  document_id = count (fixture->db, "SELECT document_id FROM document_changes "
                                    "WHERE action = 'revise' ORDER BY id LIMIT 1");
  g_assert_cmpint (document_id, >, 0);
  sql = g_strdup_printf ("SELECT id FROM document_changes WHERE document_id = %"
                         G_GINT64_FORMAT " AND action = 'create'", document_id);
  create_id = count (fixture->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT new_content FROM document_changes WHERE id = %"
                         G_GINT64_FORMAT, create_id);
  first_body = pqs_test_query_text (fixture->db, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT edit_count FROM documents WHERE id = %" G_GINT64_FORMAT,
                         document_id);
  edit_count = count (fixture->db, sql);
  g_free (sql);
  changes = count (fixture->db, "SELECT count(*) FROM document_changes");

  /* Its author restores it, an account that has chosen its password (the
   * demo accounts must change theirs first). */
  sql = g_strdup_printf ("UPDATE users SET password_reset_required = 0 WHERE id = (SELECT "
                         "created_by FROM documents WHERE id = %" G_GINT64_FORMAT ")",
                         document_id);
  g_assert_cmpint (sqlite3_exec (fixture->db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_free (sql);
  sql = g_strdup_printf ("SELECT created_by FROM documents WHERE id = %" G_GINT64_FORMAT,
                         document_id);
  users = pqs_user_list_new (fixture->store);
  g_assert_true (pqs_user_list_reload (users, &error));
  g_assert_no_error (error);
  author = pqs_user_list_find (users, count (fixture->db, sql));
  g_free (sql);
  g_assert_nonnull (author);

  library = pqs_library_new (fixture->store);
  history = pqs_history_new (library);

  version = pqs_history_load_version (history, author, create_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_document_get_body (version), ==, first_body);

  ok = pqs_history_restore (history, author, create_id, edit_count, "Back to the first version",
                            &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  restored = pqs_library_load_document (library, author, document_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_document_get_body (restored), ==, first_body);
  g_assert_true (pqs_outline_equal (pqs_document_get_outline (restored),
                                    pqs_document_get_outline (version)));
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM document_changes"), ==,
                   changes + 1);
  sql = g_strdup_printf ("SELECT count(*) FROM document_changes WHERE document_id = %"
                         G_GINT64_FORMAT " AND action = 'restore'", document_id);
  g_assert_cmpint (count (fixture->db, sql), ==, 1);
}

static void
test_seed_deterministic (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  char *digests[3];
  char *last_hashes[3];
  const guint seeds[3] = { 42, 42, 43 };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("run-%u.db", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(PqsStore) store = pqs_test_open_store (path);
      sqlite3 *db = pqs_store_get_handle (store);

      seed (store, 600, seeds[i]);
      digests[i] = digest (db);
      last_hashes[i] = pqs_test_query_text (db, "SELECT row_hash FROM user_activities "
                                                "ORDER BY id DESC LIMIT 1");
    }

  /* The same seed gives the same documents and the same audit chain. */
  g_assert_cmpstr (digests[0], ==, digests[1]);
  g_assert_cmpstr (last_hashes[0], ==, last_hashes[1]);
  g_assert_cmpstr (digests[0], !=, digests[2]);
  g_assert_cmpstr (last_hashes[0], !=, last_hashes[2]);

  for (guint i = 0; i < 3; i++)
    {
      g_free (digests[i]);
      g_free (last_hashes[i]);
    }
  pqs_test_rm_rf (dir);
}

static void
test_seed_refuses_then_forces (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(PqsDemoSeeder) again = NULL;
  g_autoptr(PqsDemoSeeder) forced = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rare = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = fixture->db;
  gint64 users, activities;

  {
    g_autoptr(PqsDemoSeeder) first = make_seeder (fixture->store, 300, 1);

    pqs_demo_seeder_run (first, NULL, &error);
    g_assert_no_error (error);
    g_array_append_vals (rare, pqs_demo_seeder_get_rare_document_ids (first)->data,
                         pqs_demo_seeder_get_rare_document_ids (first)->len);
  }
  users = count (db, "SELECT count(*) FROM users");
  activities = count (db, "SELECT count(*) FROM user_activities");

  /* A database with documents is refused, and nothing changes. */
  again = make_seeder (fixture->store, 300, 2);
  g_assert_false (pqs_demo_seeder_run (again, NULL, &error));
  g_assert_error (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_NOT_EMPTY);
  g_clear_error (&error);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents"), ==, 300);
  g_assert_cmpint (count (db, "SELECT count(*) FROM user_activities"), ==, activities);

  /* With force the data goes beside it, reusing users and templates, and
   * the audit chain continues where it was. */
  forced = make_seeder (fixture->store, 300, 2);
  pqs_demo_seeder_set_force (forced, TRUE);
  pqs_demo_seeder_run (forced, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pqs_demo_seeder_get_n_users (forced, NULL), ==, 0);
  g_assert_cmpuint (pqs_demo_seeder_get_n_templates (forced), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM users"), ==, users);
  g_assert_cmpint (count (db, "SELECT count(*) FROM templates"), ==, 6);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents"), ==, 600);
  g_assert_cmpint (count (db, "SELECT count(*) FROM standards"), ==, 4);
  g_assert_cmpint (assert_audit_chain (db, FALSE), ==,
                   activities + (gint64) pqs_demo_seeder_get_n_activities (forced));
  g_array_append_vals (rare, pqs_demo_seeder_get_rare_document_ids (forced)->data,
                       pqs_demo_seeder_get_rare_document_ids (forced)->len);
  g_assert_cmpuint (rare->len, ==, 2);
  assert_rare_word (db, rare);
  pqs_test_assert_integrity (db);
}

static void
test_seed_cancel (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsDemoSeeder) seeder = make_seeder (fixture->store, 1500, 3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress progress = { 0, 0, 0, TRUE, cancellable };
  sqlite3 *db = fixture->db;

  /* Cancelled at the first progress report: nothing at all is left. */
  pqs_demo_seeder_set_progress_func (seeder, progress_cb, &progress, NULL);
  g_assert_false (pqs_demo_seeder_run (seeder, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 1);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM users"), ==, 0);
  g_assert_cmpint (count (db, "SELECT count(*) FROM user_activities"), ==, 0);
  g_assert_cmpuint (pqs_demo_seeder_get_n_documents (seeder, NULL), ==, 0);
  /* The search triggers are back with the rollback. */
  g_assert_cmpint (count (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
                              "AND name LIKE 'documents_fts_%'"), ==, 3);

  /* A later run on the same connection works, and its documents are indexed. */
  g_clear_object (&seeder);
  seed (fixture->store, 10, 3);
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents_fts "
                              "WHERE documents_fts MATCH 'precautions'"), >=, 1);
  pqs_test_exec (db, "UPDATE documents SET title = 'Zanzibar' WHERE id = 1");
  g_assert_cmpint (count (db, "SELECT count(*) FROM documents_fts "
                              "WHERE documents_fts MATCH 'zanzibar'"), ==, 1);
}

static void
test_seed_no_documents (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsDemoSeeder) seeder = make_seeder (fixture->store, 0, 1);
  g_autoptr(GError) error = NULL;

  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM standards"), ==, 0);
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM users"), ==, 24);
  g_assert_cmpint (count (fixture->db, "SELECT count(*) FROM templates"), ==, 6);
  g_assert_cmpint (assert_audit_chain (fixture->db, TRUE), >, 24);
}

/* Command line ------------------------------------------------------------ */

static void
assert_error_line (const char *err,
                   const char *needle)
{
  const char *newline;

  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
  newline = strchr (err, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpint (newline[1], ==, '\0');
  if (needle != NULL && strstr (err, needle) == NULL)
    g_error ("“%s” does not mention “%s”", err, needle);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  g_assert_nonnull (text);
  if (strstr (text, needle) == NULL)
    g_error ("“%s” does not contain “%s”", text, needle);
}

static int
admin (char       **out,
       char       **err,
       const char  *first,
       ...) G_GNUC_NULL_TERMINATED;

static int
admin (char       **out,
       char       **err,
       const char  *first,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;
  int status;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = pqs_test_run_admin ((const char * const *) args->pdata, out, err);
  g_test_message ("pqs-admin exited with %d\nstdout: %s\nstderr: %s", status,
                  out != NULL ? *out : "", err != NULL ? *err : "");
  return status;
}

static void
test_seed_cli (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *db_path = g_build_filename (dir, "cli.db", NULL);
  g_autofree char *json_path = g_build_filename (dir, "json.db", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  /* Bad usage: 2, one line, nothing created. */
  g_assert_cmpint (admin (NULL, &err, "--db", db_path, "seed-demo", NULL), ==, 2);
  assert_error_line (err, "--documents");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (NULL, &err, "--db", db_path, "seed-demo", "--documents", "many",
                          NULL), ==, 2);
  assert_error_line (err, "many");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (NULL, &err, "--db", db_path, "seed-demo", "--documents", "5000001",
                          NULL), ==, 2);
  assert_error_line (err, "5000001");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (NULL, &err, "--db", db_path, "seed-demo", "--documents", "5",
                          "--seed", "-1", NULL), ==, 2);
  assert_error_line (err, "--seed");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (NULL, &err, "--db", db_path, "seed-demo", "--documents", "5", "extra",
                          NULL), ==, 2);
  assert_error_line (err, "extra");
  g_clear_pointer (&err, g_free);
  g_assert_false (g_file_test (db_path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (admin (&out, NULL, "seed-demo", "--help", NULL), ==, 0);
  assert_contains (out, "--documents");
  assert_contains (out, "--force");
  g_clear_pointer (&out, g_free);

  /* A summary, with the generated password shown once. */
  g_assert_cmpint (admin (&out, &err, "--db", db_path, "seed-demo", "--documents", "300",
                          "--seed", "5", NULL), ==, 0);
  assert_contains (out, "Documents:   300 (");
  assert_contains (out, "Standards:   2");
  assert_contains (out, "24 new (2 admin, 5 supervisor, 12 user, 5 visitor)");
  assert_contains (out, "“xylophone” is in 1 documents");
  assert_contains (out, "All demo users share the password demo-");
  assert_contains (out, "seed 5");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Seeding again is refused (1) unless forced. */
  g_assert_cmpint (admin (&out, &err, "--db", db_path, "seed-demo", "--documents", "10", NULL),
                   ==, 1);
  assert_error_line (err, "--force");
  assert_contains (err, "300 documents");
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (admin (&out, &err, "--db", db_path, "seed-demo", "--documents", "10",
                          "--force", NULL), ==, 0);
  assert_contains (out, "Documents:   10 (");
  assert_contains (out, "were reused");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  {
    g_autoptr(PqsStore) store = pqs_test_open_store (db_path);
    sqlite3 *db = pqs_store_get_handle (store);

    g_assert_cmpint (count (db, "SELECT count(*) FROM documents"), ==, 310);
    pqs_test_assert_integrity (db);
    assert_audit_chain (db, FALSE);
  }

  /* JSON for scripts. */
  g_assert_cmpint (admin (&out, &err, "--db", json_path, "--json", "seed-demo",
                          "--documents", "150", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "documents"),
                                               "total"), ==, 150);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "users"),
                                               "admin"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (root, "standards"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, PQS_DEMO_SEEDER_DEFAULT_SEED);
  g_assert_cmpstr (json_object_get_string_member (root, "rare_word"), ==, "xylophone");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "generated_password"),
                                   "demo-"));

  pqs_test_rm_rf (dir);
}

static void
test_seed_cli_password_stdin (void)
{
  g_autofree char *dir = pqs_test_tmpdir_new ();
  g_autofree char *db_path = g_build_filename (dir, "stdin.db", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *hash = NULL;
  const char *argv[] = { "--db", db_path, "seed-demo", "--documents", "20",
                         "--password-stdin", NULL };

  process = pqs_test_spawn_admin (NULL, argv,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_communicate_utf8 (process, "s3cret demo words\n", NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  assert_contains (out, "the password you gave");
  g_assert_null (strstr (out, "s3cret"));

  {
    g_autoptr(PqsStore) store = pqs_test_open_store (db_path);

    hash = pqs_test_query_text (pqs_store_get_handle (store),
                                "SELECT password_hash FROM users WHERE role = 'admin' LIMIT 1");
  }
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str_verify (hash, "s3cret demo words", 17), ==, 0);

  pqs_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/seed/content", Fixture, NULL, fixture_set_up, test_seed_content,
              fixture_tear_down);
  g_test_add ("/seed/history-restorable", Fixture, NULL, fixture_set_up,
              test_seed_history_restorable, fixture_tear_down);
  g_test_add_func ("/seed/deterministic", test_seed_deterministic);
  g_test_add ("/seed/refuses-then-forces", Fixture, NULL, fixture_set_up,
              test_seed_refuses_then_forces, fixture_tear_down);
  g_test_add ("/seed/cancel", Fixture, NULL, fixture_set_up, test_seed_cancel,
              fixture_tear_down);
  g_test_add ("/seed/no-documents", Fixture, NULL, fixture_set_up, test_seed_no_documents,
              fixture_tear_down);
  g_test_add_func ("/seed/cli", test_seed_cli);
  g_test_add_func ("/seed/cli-password-stdin", test_seed_cli_password_stdin);

  return g_test_run ();
}
