/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pqs-auth.h"
#include "pqs-demo-seeder.h"
#include "pqs-package.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* Packages between two databases: a standard exported from A and imported
 * into B arrives with the same documents, outlines, metadata and content
 * hashes; collisions are refused, overwritten or imported as new, as the
 * caller chooses; and bad or hostile files are refused with a clear error
 * and nothing written (every table counted before and after). */

typedef struct
{
  char     *dir;
  PqsStore *a;
  PqsStore *b;
  gint64    standard_a;
  PqsUser  *importer;     /* a user of B */
} Fixture;

static const char * const counted_tables[] = {
  "standards", "documents", "document_items", "document_changes", "user_activities",
  "templates", "users",
};

typedef struct
{
  gint64 rows[G_N_ELEMENTS (counted_tables)];
} Counts;

static Counts
count_rows (PqsStore *store)
{
  Counts counts;

  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", counted_tables[i]);

      counts.rows[i] = pqs_test_query_int (pqs_store_get_handle (store), sql);
    }
  return counts;
}

static void
assert_same_counts (const Counts *before,
                    const Counts *after)
{
  for (guint i = 0; i < G_N_ELEMENTS (counted_tables); i++)
    if (before->rows[i] != after->rows[i])
      g_error ("%s: %" G_GINT64_FORMAT " rows before, %" G_GINT64_FORMAT " after",
               counted_tables[i], before->rows[i], after->rows[i]);
}

static gint64
query_int (PqsStore   *store,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (PqsStore   *store,
           const char *format,
           ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return pqs_test_query_int (pqs_store_get_handle (store), sql);
}

static char *
query_text (PqsStore   *store,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static char *
query_text (PqsStore   *store,
            const char *format,
            ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return pqs_test_query_text (pqs_store_get_handle (store), sql);
}

static void
exec_sql (PqsStore   *store,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
exec_sql (PqsStore   *store,
          const char *format,
          ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  pqs_test_exec (pqs_store_get_handle (store), sql);
}

/* Field values as each demo template's field list has them. */
static void
fit_metadata (PqsStore *store)
{
  exec_sql (store,
            "UPDATE documents SET metadata = (SELECT CASE "
            "  WHEN t.fields LIKE '%%\"hazards\"%%' THEN json_object('references', 'NSTM 079', "
            "       'hazards', 'High-pressure steam', 'estimated_hours', 4) "
            "  WHEN t.fields LIKE '%%\"introduction\"%%' THEN json_object('references', "
            "       'NAVEDTRA 43100', 'estimated_hours', 2.5) "
            "  WHEN t.fields LIKE '%%\"components\"%%' THEN json_object('references', "
            "       'NSTM 505', 'components', 'Pump' || char(10) || 'Strainer') "
            "  WHEN t.fields LIKE '%%\"parent_system\"%%' THEN json_object('references', "
            "       'NSTM 262', 'parent_system', '201') "
            "  WHEN t.fields LIKE '%%\"final_signature\"%%' THEN json_object('prerequisites', "
            "       '101, 201', 'tasks', 'Light off the boiler', 'watches_under_instruction', 3, "
            "       'final_signature', json_object('name', 'J. Smith', 'rank', 'MMC', "
            "       'date', '2024-05-01')) "
            "  WHEN t.fields LIKE '%%\"board_members\"%%' THEN json_object('board_members', "
            "       'CHENG', 'scenarios', 'Loss of lube oil') "
            "  ELSE '{}' END FROM templates AS t WHERE t.id = documents.template_id) "
            "WHERE template_id IS NOT NULL");
  exec_sql (store, "UPDATE documents SET metadata = '{}' WHERE template_id IS NULL");
}

static PqsStore *
seeded_store (const char *dir,
              const char *name,
              guint       documents)
{
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  PqsStore *store = pqs_test_open_migrated_store (path);

  seeder = pqs_demo_seeder_new (store);
  pqs_demo_seeder_set_documents (seeder, documents);
  pqs_demo_seeder_set_seed (seeder, 5);
  pqs_demo_seeder_set_password (seeder, "demo password for tests");
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  fit_metadata (store);
  /* Demo accounts must choose a password at their first sign-in; these act at once. */
  exec_sql (store, "UPDATE users SET password_reset_required = 0");
  return store;
}

static PqsUser *
lookup (PqsStore   *store,
        const char *username)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (store);
  g_autoptr(GError) error = NULL;
  PqsUser *user = pqs_user_directory_lookup_by_username (directory, username, &error);

  g_assert_no_error (error);
  return user;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->a = seeded_store (fixture->dir, "a.db", 12);
  fixture->b = seeded_store (fixture->dir, "b.db", 0);
  pqs_test_clock_install (fixture->b, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  fixture->standard_a = query_int (fixture->a, "SELECT min(id) FROM standards");
  fixture->importer = lookup (fixture->b, "kbrooks");
  g_assert_cmpint (pqs_user_get_role (fixture->importer), ==, PQS_ROLE_USER);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->importer);
  g_clear_object (&fixture->a);
  g_clear_object (&fixture->b);
  pqs_test_tmpdir_free (fixture->dir);
}

static JsonNode *
export_standard (PqsStore *store,
                 gint64    id)
{
  g_autoptr(PqsPackage) package = pqs_package_new (store);
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  pqs_package_set_include_history (package, TRUE);
  root = pqs_package_export_standard (package, NULL, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

static char *
to_text (JsonNode *root)
{
  return json_to_string (root, FALSE);
}

static gboolean
import_standard (Fixture             *fixture,
                 JsonNode            *root,
                 PqsPackageConflict   conflict,
                 PqsPackage         **out_package,
                 GError             **error)
{
  g_autoptr(PqsPackage) package = pqs_package_new (fixture->b);
  g_autofree char *text = to_text (root);
  gboolean ok = pqs_package_import_standard_data (package, fixture->importer, text, strlen (text),
                                                  conflict, error);

  if (out_package != NULL)
    *out_package = g_steal_pointer (&package);
  return ok;
}

static JsonObject *
document_by_number (JsonNode *root,
                    gint64    number)
{
  JsonArray *documents = json_object_get_array_member (json_node_get_object (root), "documents");

  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);

      if (json_object_get_int_member (document, "number") == number)
        return document;
    }
  return NULL;
}

static void
assert_member_equal (JsonObject *a,
                     JsonObject *b,
                     const char *name)
{
  JsonNode *na = json_object_get_member (a, name);
  JsonNode *nb = json_object_get_member (b, name);

  g_assert_nonnull (na);
  g_assert_nonnull (nb);
  if (!json_node_equal (na, nb))
    {
      g_autofree char *ta = json_to_string (na, FALSE);
      g_autofree char *tb = json_to_string (nb, FALSE);

      g_error ("“%s” differs:\n%s\n%s", name, ta, tb);
    }
}

/* Recomputes a document object's content_hash after a test changed it. */
static void
rehash (JsonObject *document)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = pqs_package_document_hash (document, &error);

  g_assert_no_error (error);
  json_object_set_string_member (document, "content_hash", hash);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) from_a = export_standard (fixture->a, fixture->standard_a);
  g_autoptr(JsonNode) from_b = NULL;
  g_autoptr(PqsPackage) package = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *documents;
  gint64 standard_b;
  guint n;

  import_standard (fixture, from_a, PQS_PACKAGE_CONFLICT_FAIL, &package, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_package_get_standard_created (package));
  standard_b = pqs_package_get_standard_id (package);
  documents = json_object_get_array_member (json_node_get_object (from_a), "documents");
  n = json_array_get_length (documents);
  g_assert_cmpuint (n, ==, 12);
  g_assert_cmpuint (pqs_package_get_n_created (package), ==, n);
  g_assert_cmpuint (pqs_package_get_document_ids (package)->len, ==, n);

  /* B's export of what arrived has the same content, document by document. */
  from_b = export_standard (fixture->b, standard_b);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (from_b), "documents")), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *a = json_array_get_object_element (documents, i);
      JsonObject *b = document_by_number (from_b, json_object_get_int_member (a, "number"));
      g_autofree char *stored = NULL;

      g_assert_nonnull (b);
      assert_member_equal (a, b, "section");
      assert_member_equal (a, b, "title");
      assert_member_equal (a, b, "body");
      assert_member_equal (a, b, "metadata");
      assert_member_equal (a, b, "outline");
      assert_member_equal (a, b, "template");
      assert_member_equal (a, b, "content_hash");
      g_assert_cmpint (json_array_get_length (json_object_get_array_member (a, "outline")), >,
                       0);

      /* Stored as drafts of the importer, with the hash the file carried. */
      stored = query_text (fixture->b, "SELECT content_hash FROM documents WHERE standard_id = %"
                           G_GINT64_FORMAT " AND document_number = %" G_GINT64_FORMAT,
                           standard_b, json_object_get_int_member (a, "number"));
      g_assert_cmpstr (stored, ==, json_object_get_string_member (a, "content_hash"));
      g_assert_cmpstr (json_object_get_string_member (b, "status"), ==, "draft");
      g_assert_cmpint (json_object_get_int_member (b, "version"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (b, "author"),
                                                      "username"), ==, "kbrooks");
    }

  /* The standard's fields and identity travel too. */
  assert_member_equal (json_object_get_object_member (json_node_get_object (from_a), "standard"),
                       json_object_get_object_member (json_node_get_object (from_b), "standard"),
                       "title");
  assert_member_equal (json_object_get_object_member (json_node_get_object (from_a), "standard"),
                       json_object_get_object_member (json_node_get_object (from_b), "standard"),
                       "owning_unit");
  assert_member_equal (json_object_get_object_member (json_node_get_object (from_a), "standard"),
                       json_object_get_object_member (json_node_get_object (from_b), "standard"),
                       "classification");
  assert_member_equal (json_object_get_object_member (json_node_get_object (from_a), "standard"),
                       json_object_get_object_member (json_node_get_object (from_b), "standard"),
                       "revision");
  assert_member_equal (json_object_get_object_member (json_node_get_object (from_a), "standard"),
                       json_object_get_object_member (json_node_get_object (from_b), "standard"),
                       "applicability");

  /* With its history and audit rows, in the same transaction. */
  g_assert_cmpint (query_int (fixture->b, "SELECT count(*) FROM document_changes "
                                          "WHERE action = 'import'"), ==, n);
  g_assert_cmpint (query_int (fixture->b, "SELECT count(*) FROM user_activities "
                                          "WHERE activity_type = 'document.import'"), ==, n);
  g_assert_cmpint (query_int (fixture->b, "SELECT count(*) FROM user_activities "
                                          "WHERE activity_type = 'standard.import' AND "
                                          "resource_id = %" G_GINT64_FORMAT, standard_b), ==, 1);
  pqs_test_assert_integrity (pqs_store_get_handle (fixture->b));
}

static void
test_file_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PqsPackage) exporter = pqs_package_new (fixture->a);
  g_autoptr(PqsPackage) importer = pqs_package_new (fixture->b);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "standard.pqs.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *details = NULL;

  pqs_package_export_standard_to_file (exporter, NULL, fixture->standard_a, file, &error);
  g_assert_no_error (error);
  root = pqs_package_read_file (file, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_package_check (importer, root, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==,
                   "pqs-desk/package");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 1);

  /* The export is audited in A. */
  details = query_text (fixture->a, "SELECT details FROM user_activities "
                                    "WHERE activity_type = 'standard.export'");
  g_assert_nonnull (strstr (details, "standard.pqs.json"));

  pqs_package_import_standard (importer, fixture->importer, file, PQS_PACKAGE_CONFLICT_FAIL,
                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pqs_package_get_n_created (importer), ==, 12);
}

static void
test_standard_collisions (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) root = export_standard (fixture->a, fixture->standard_a);
  g_autoptr(PqsPackage) package = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *revision = NULL;
  g_autofree char *new_revision = NULL;
  g_autofree char *body = NULL;
  JsonObject *standard = json_object_get_object_member (json_node_get_object (root), "standard");
  JsonObject *first;
  Counts before, after;
  gint64 standard_b, second, number;

  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_FAIL, &package, &error);
  g_assert_no_error (error);
  standard_b = pqs_package_get_standard_id (package);
  g_clear_object (&package);

  /* Fail: nothing written. */
  before = count_rows (fixture->b);
  g_assert_false (import_standard (fixture, root, PQS_PACKAGE_CONFLICT_FAIL, NULL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "overwrite"));
  g_clear_error (&error);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);

  /* The same title and owning unit is the same standard, whatever the uid. */
  json_object_set_string_member (standard, "uid", "another-workstation-uid");
  g_assert_false (import_standard (fixture, root, PQS_PACKAGE_CONFLICT_FAIL, NULL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_EXISTS);
  g_clear_error (&error);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);

  /* Overwrite: the same standard and documents, the new text. */
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                       "documents"), 0);
  number = json_object_get_int_member (first, "number");
  json_object_set_string_member (first, "body", "Rewritten on the other workstation.");
  rehash (first);
  json_object_set_string_member (standard, "applicability", "All engineering watchstanders.");
  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_OVERWRITE, &package, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_package_get_standard_id (package), ==, standard_b);
  g_assert_false (pqs_package_get_standard_created (package));
  g_assert_cmpuint (pqs_package_get_n_created (package), ==, 0);
  g_assert_cmpuint (pqs_package_get_n_updated (package), ==, 1);
  g_assert_cmpuint (pqs_package_get_n_unchanged (package), ==, 11);
  g_clear_object (&package);
  after = count_rows (fixture->b);
  g_assert_cmpint (after.rows[0], ==, before.rows[0]);
  g_assert_cmpint (after.rows[1], ==, before.rows[1]);
  body = query_text (fixture->b, "SELECT content FROM documents WHERE standard_id = %"
                     G_GINT64_FORMAT " AND document_number = %" G_GINT64_FORMAT,
                     standard_b, number);
  g_assert_cmpstr (body, ==, "Rewritten on the other workstation.");
  g_clear_pointer (&body, g_free);
  body = query_text (fixture->b, "SELECT applicability FROM standards WHERE id = %"
                     G_GINT64_FORMAT, standard_b);
  g_assert_cmpstr (body, ==, "All engineering watchstanders.");

  /* An approved document overwritten becomes its next draft revision. */
  json_object_set_string_member (first, "body", "Rewritten again, after the approval.");
  rehash (first);
  exec_sql (fixture->b, "UPDATE documents SET status = 'approved', approved_by = 1, "
                        "approved_at = '2026-01-01T00:00:00.000Z' WHERE standard_id = %"
                        G_GINT64_FORMAT " AND document_number = %" G_GINT64_FORMAT,
            standard_b, number);
  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_OVERWRITE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->b, "SELECT version FROM documents WHERE standard_id = %"
                              G_GINT64_FORMAT " AND document_number = %" G_GINT64_FORMAT,
                              standard_b, number), ==, 2);
  g_clear_pointer (&body, g_free);
  body = query_text (fixture->b, "SELECT status || coalesce(approved_by, '-') FROM documents "
                     "WHERE standard_id = %" G_GINT64_FORMAT " AND document_number = %"
                     G_GINT64_FORMAT, standard_b, number);
  g_assert_cmpstr (body, ==, "draft-");

  /* A document in review is not overwritten: nothing at all is. */
  exec_sql (fixture->b, "UPDATE documents SET status = 'in_review' WHERE standard_id = %"
                        G_GINT64_FORMAT " AND document_number = %" G_GINT64_FORMAT,
            standard_b, number);
  before = count_rows (fixture->b);
  g_assert_false (import_standard (fixture, root, PQS_PACKAGE_CONFLICT_OVERWRITE, NULL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_BUSY);
  g_clear_error (&error);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);

  /* New: a second standard beside the first, with the next revision. */
  revision = query_text (fixture->b, "SELECT revision FROM standards WHERE id = %"
                         G_GINT64_FORMAT, standard_b);
  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_NEW, &package, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_package_get_standard_created (package));
  second = pqs_package_get_standard_id (package);
  g_assert_cmpint (second, !=, standard_b);
  g_assert_cmpuint (pqs_package_get_n_created (package), ==, 12);
  after = count_rows (fixture->b);
  g_assert_cmpint (after.rows[0], ==, before.rows[0] + 1);
  g_assert_cmpint (after.rows[1], ==, before.rows[1] + 12);
  new_revision = query_text (fixture->b, "SELECT revision FROM standards WHERE id = %"
                             G_GINT64_FORMAT, second);
  g_assert_cmpstr (new_revision, !=, revision);
  g_assert_cmpint (query_int (fixture->b, "SELECT count(DISTINCT uid) FROM standards"), ==,
                   query_int (fixture->b, "SELECT count(*) FROM standards"));
  pqs_test_assert_integrity (pqs_store_get_handle (fixture->b));

  /* Overwriting a frozen (approved) standard starts its new revision. */
  exec_sql (fixture->b, "UPDATE standards SET frozen_at = '2026-01-01T00:00:00.000Z' "
                        "WHERE id = %" G_GINT64_FORMAT, second);
  {
    g_autofree char *uid = query_text (fixture->b, "SELECT uid FROM standards WHERE id = %"
                                       G_GINT64_FORMAT, second);

    json_object_set_string_member (standard, "uid", uid);
  }
  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_OVERWRITE, &package, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_package_get_standard_id (package), ==, second);
  g_assert_cmpint (query_int (fixture->b, "SELECT frozen_at IS NULL FROM standards WHERE id = %"
                              G_GINT64_FORMAT, second), ==, 1);
  g_clear_object (&package);
}

static gboolean
import_document_text (Fixture             *fixture,
                      const char          *text,
                      gint64               standard_id,
                      PqsPackageConflict   conflict,
                      PqsPackage         **out_package,
                      GError             **error)
{
  g_autoptr(PqsPackage) package = pqs_package_new (fixture->b);
  gboolean ok = pqs_package_import_document_data (package, fixture->importer, text, strlen (text),
                                                  standard_id, conflict, error);

  if (out_package != NULL)
    *out_package = g_steal_pointer (&package);
  return ok;
}

static void
test_document_collisions (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) root = export_standard (fixture->a, fixture->standard_a);
  g_autoptr(PqsPackage) exporter = pqs_package_new (fixture->a);
  g_autoptr(PqsPackage) package = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;
  gint64 document_a, standard_b, number, new_number, id;
  Counts before, after;

  /* A document of a standard B does not hold is refused unless a target is named. */
  document_a = query_int (fixture->a, "SELECT id FROM documents WHERE standard_id = %"
                          G_GINT64_FORMAT " AND section = 200 ORDER BY document_number LIMIT 1",
                          fixture->standard_a);
  number = query_int (fixture->a, "SELECT document_number FROM documents WHERE id = %"
                      G_GINT64_FORMAT, document_a);
  document = pqs_package_export_document (exporter, NULL, document_a, &error);
  g_assert_no_error (error);
  text = to_text (document);
  before = count_rows (fixture->b);
  g_assert_false (import_document_text (fixture, text, 0, PQS_PACKAGE_CONFLICT_FAIL, NULL,
                                        &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);

  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_FAIL, &package, &error);
  g_assert_no_error (error);
  standard_b = pqs_package_get_standard_id (package);
  g_clear_object (&package);

  /* Now the standard is found by its uid; the number is taken. */
  before = count_rows (fixture->b);
  g_assert_false (import_document_text (fixture, text, 0, PQS_PACKAGE_CONFLICT_FAIL, NULL,
                                        &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_EXISTS);
  g_clear_error (&error);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);

  /* Overwrite with the same content: the same row, nothing written. */
  import_document_text (fixture, text, 0, PQS_PACKAGE_CONFLICT_OVERWRITE, &package, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pqs_package_get_n_updated (package), ==, 0);
  g_assert_cmpuint (pqs_package_get_n_unchanged (package), ==, 1);
  id = g_array_index (pqs_package_get_document_ids (package), gint64, 0);
  g_assert_cmpint (query_int (fixture->b, "SELECT document_number FROM documents WHERE id = %"
                              G_GINT64_FORMAT, id), ==, number);
  g_clear_object (&package);
  after = count_rows (fixture->b);
  g_assert_cmpint (after.rows[1], ==, before.rows[1]);

  /* New number: the next free one of the series, hashed for that number. */
  import_document_text (fixture, text, standard_b, PQS_PACKAGE_CONFLICT_NEW, &package, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pqs_package_get_n_created (package), ==, 1);
  id = g_array_index (pqs_package_get_document_ids (package), gint64, 0);
  new_number = query_int (fixture->b, "SELECT document_number FROM documents WHERE id = %"
                          G_GINT64_FORMAT, id);
  g_assert_cmpint (new_number, !=, number);
  g_assert_cmpint (new_number, >, 200);
  g_assert_cmpint (new_number, <, 300);
  {
    g_autoptr(PqsPackage) reader = pqs_package_new (fixture->b);
    g_autoptr(JsonNode) again = pqs_package_export_document (reader, NULL, id, &error);
    JsonObject *object;

    g_assert_no_error (error);
    object = json_object_get_object_member (json_node_get_object (again), "document");
    hash = query_text (fixture->b, "SELECT content_hash FROM documents WHERE id = %"
                       G_GINT64_FORMAT, id);
    g_assert_cmpstr (hash, ==, json_object_get_string_member (object, "content_hash"));
    g_assert_cmpint (json_object_get_int_member (object, "number"), ==, new_number);
  }
  after = count_rows (fixture->b);
  g_assert_cmpint (after.rows[1], ==, before.rows[1] + 1);
  pqs_test_assert_integrity (pqs_store_get_handle (fixture->b));
}

/* Hostile and broken files ------------------------------------------------- */

static void
assert_refused (Fixture     *fixture,
                const char  *data,
                gsize        length,
                gboolean     whole_standard,
                GQuark       domain,
                int          code,
                const char  *needle)
{
  g_autoptr(PqsPackage) package = pqs_package_new (fixture->b);
  g_autoptr(GError) error = NULL;
  Counts before = count_rows (fixture->b);
  Counts after;
  gboolean ok;

  ok = whole_standard
         ? pqs_package_import_standard_data (package, fixture->importer, data, length,
                                             PQS_PACKAGE_CONFLICT_OVERWRITE, &error)
         : pqs_package_import_document_data (package, fixture->importer, data, length, 0,
                                             PQS_PACKAGE_CONFLICT_OVERWRITE, &error);
  g_assert_false (ok);
  g_assert_error (error, domain, code);
  g_test_message ("refused: %s", error->message);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, needle);
  g_assert_null (strchr (error->message, '\n'));
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);
}

static void
assert_package_refused (Fixture    *fixture,
                        JsonNode   *root,
                        int         code,
                        const char *needle)
{
  g_autofree char *text = to_text (root);

  assert_refused (fixture, text, strlen (text), TRUE, PQS_PACKAGE_ERROR, code, needle);
}

static JsonObject *
nth_document (JsonNode *root,
              guint     index)
{
  return json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                      "documents"), index);
}

static void
test_hostile_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) pristine = export_standard (fixture->a, fixture->standard_a);
  g_autofree char *text = to_text (pristine);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *huge = NULL;
  gsize length = strlen (text);

#define FRESH() \
  g_autoptr(JsonNode) root = json_from_string (text, NULL); \
  JsonObject *top = json_node_get_object (root); \
  JsonObject *doc = nth_document (root, 1); \
  (void) top; (void) doc

  /* Not a PQS Desk file at all. */
  assert_refused (fixture, "", 0, TRUE, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_MALFORMED, "empty");
  assert_refused (fixture, "hello, world", 12, TRUE, PQS_PACKAGE_ERROR,
                  PQS_PACKAGE_ERROR_MALFORMED, "JSON");
  assert_refused (fixture, "[1, 2, 3]", 9, TRUE, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_MALFORMED,
                  NULL);
  assert_refused (fixture, text, length / 2, TRUE, PQS_PACKAGE_ERROR,
                  PQS_PACKAGE_ERROR_MALFORMED, "cut short");
  assert_refused (fixture, "{\"format\":\"pqs-desk/package\",\x00\"version\":1}", 40, TRUE,
                  PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_MALFORMED, "NUL");
  assert_refused (fixture, "\xff\xfe{}", 4, TRUE, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_MALFORMED,
                  "UTF-8");

  /* Deeply nested JSON never reaches the (recursive) parser. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_refused (fixture, deep->str, deep->len, TRUE, PQS_PACKAGE_ERROR,
                  PQS_PACKAGE_ERROR_MALFORMED, "nested");

  /* Millions of tiny values: refused before the parser builds them. */
  g_string_truncate (deep, 0);
  g_string_append_c (deep, '[');
  for (guint i = 0; i <= PQS_PACKAGE_MAX_VALUES; i++)
    g_string_append (deep, "0,");
  g_string_append (deep, "0]");
  assert_refused (fixture, deep->str, deep->len, TRUE, PQS_PACKAGE_ERROR,
                  PQS_PACKAGE_ERROR_TOO_LARGE, "values");

  /* Larger than 64 MiB: refused before parsing. */
  huge = g_malloc (PQS_PACKAGE_MAX_FILE_SIZE + 1);
  memset (huge, ' ', PQS_PACKAGE_MAX_FILE_SIZE + 1);
  assert_refused (fixture, huge, PQS_PACKAGE_MAX_FILE_SIZE + 1, TRUE, PQS_PACKAGE_ERROR,
                  PQS_PACKAGE_ERROR_TOO_LARGE, "64 MiB");

  /* The envelope. */
  {
    FRESH ();
    json_object_set_string_member (top, "format", "something-else");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_UNSUPPORTED, "format");
  }
  {
    FRESH ();
    json_object_set_int_member (top, "version", 2);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_UNSUPPORTED, "newer");
  }
  {
    FRESH ();
    json_object_set_string_member (top, "format", "pqs-desk/document");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_UNSUPPORTED, "single section");
  }

  /* Path tricks: a file never names where anything goes. */
  {
    FRESH ();
    json_object_set_string_member (top, "path", "../../../home/user/.bashrc");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“path”");
  }
  {
    FRESH ();
    json_object_set_string_member (doc, "file", "/etc/passwd");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“file”");
  }
  {
    FRESH ();
    json_object_set_string_member (json_object_get_object_member (top, "standard"), "output",
                                   "../x.pdf");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“output”");
  }
  {
    FRESH ();
    JsonObject *metadata = json_object_get_object_member (doc, "metadata");

    json_object_set_string_member (metadata, "../../etc/passwd", "x");
    rehash (doc);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "field key");
  }

  /* Wrong types. */
  {
    FRESH ();
    json_object_set_string_member (doc, "number", "201");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "whole number");
  }
  {
    FRESH ();
    json_object_set_double_member (doc, "version", 1.5);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“version”");
  }
  {
    FRESH ();
    json_object_set_int_member (doc, "title", 12);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "must be text");
  }
  {
    FRESH ();
    json_object_set_array_member (doc, "metadata", json_array_new ());
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“metadata”");
  }
  {
    FRESH ();
    json_object_set_object_member (doc, "outline", json_object_new ());
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "outline");
  }
  {
    FRESH ();
    json_object_set_string_member (top, "documents", "all of them");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“documents”");
  }
  {
    FRESH ();
    json_object_set_string_member (json_object_get_object_member (top, "standard"),
                                   "classification", "top secret");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "classification");
  }

  /* Huge values. */
  {
    FRESH ();
    g_autofree char *long_title = g_strnfill (5000, 'x');

    json_object_set_string_member (doc, "title", long_title);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "200 characters");
  }
  {
    FRESH ();
    g_autofree char *long_body = g_strnfill (300000, 'y');

    json_object_set_string_member (doc, "body", long_body);
    rehash (doc);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "“body”");
  }
  {
    FRESH ();
    json_object_set_string_member (doc, "title", "Two\nlines");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "line breaks");
  }
  {
    const char *escaped = "{\"format\":\"pqs-desk/package\",\"version\":1,"
                          "\"standard\":{\"title\":\"A\\u0000B\"},\"documents\":[]}";

    assert_refused (fixture, escaped, strlen (escaped), TRUE, PQS_PACKAGE_ERROR,
                    PQS_PACKAGE_ERROR_MALFORMED, "NUL");
  }
  {
    const char *big = "{\"format\":\"pqs-desk/package\",\"version\":99999999999999999999999}";

    assert_refused (fixture, big, strlen (big), TRUE, PQS_PACKAGE_ERROR,
                    PQS_PACKAGE_ERROR_MALFORMED, "digits");
  }

  /* Numbers out of range, duplicates, 101 missing, too many. */
  {
    FRESH ();
    json_object_set_int_member (doc, "number", json_object_get_int_member (doc, "section") + 150);
    rehash (doc);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "outside");
  }
  {
    FRESH ();
    json_object_set_int_member (doc, "section", 400);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "section");
  }
  {
    FRESH ();
    json_object_set_int_member (doc, "number", -5);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "number");
  }
  {
    FRESH ();
    JsonObject *other = nth_document (root, 2);

    json_object_set_int_member (doc, "section", json_object_get_int_member (other, "section"));
    json_object_set_int_member (doc, "number", json_object_get_int_member (other, "number"));
    json_object_set_null_member (doc, "template");
    json_object_set_object_member (doc, "metadata", json_object_new ());
    rehash (doc);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "twice");
  }
  {
    FRESH ();
    json_array_remove_element (json_object_get_array_member (top, "documents"), 0);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "101");
  }
  {
    FRESH ();
    JsonArray *documents = json_object_get_array_member (top, "documents");

    while (json_array_get_length (documents) <= PQS_PACKAGE_MAX_DOCUMENTS)
      {
        g_autofree char *copy = json_to_string (json_array_get_element (documents, 1), FALSE);

        json_array_add_element (documents, json_from_string (copy, NULL));
      }
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "at most 300");
  }
  {
    FRESH ();
    json_object_set_array_member (top, "documents", json_array_new ());
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "no documents");
  }

  /* Tampered: the text changed, the hash did not. */
  {
    FRESH ();
    json_object_set_string_member (doc, "body", "Quietly changed after the export.");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_TAMPERED, "content_hash");
  }
  {
    FRESH ();
    JsonArray *outline = json_object_get_array_member (doc, "outline");
    JsonObject *item = json_array_get_object_element (outline, 0);

    json_object_set_string_member (item, "answer", "A different answer.");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_TAMPERED, "changed or damaged");
  }
  {
    FRESH ();
    json_object_set_string_member (doc, "content_hash", "not a hash");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "SHA-256");
  }

  /* Outlines break their rules. */
  {
    FRESH ();
    JsonArray *outline = json_array_new ();
    JsonObject *item = json_object_new ();

    json_object_set_string_member (item, "kind", "sub_question");
    json_object_set_string_member (item, "text", "An orphan");
    json_array_add_object_element (outline, item);
    json_object_set_array_member (doc, "outline", outline);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "outline");
  }
  {
    FRESH ();
    JsonObject *item = json_array_get_object_element (json_object_get_array_member (doc,
                                                                                    "outline"), 0);

    json_object_set_string_member (item, "path", "/tmp/x");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "outline");
  }

  /* Unknown template, and metadata the template does not have. */
  {
    FRESH ();
    JsonObject *template = json_object_get_object_member (doc, "template");

    g_assert_nonnull (template);
    json_object_set_string_member (template, "name", "A template nobody has");
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_UNKNOWN_TEMPLATE,
                            "A template nobody has");
  }
  {
    FRESH ();
    json_object_set_string_member (json_object_get_object_member (doc, "metadata"), "colour",
                                   "blue");
    rehash (doc);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, "colour");
  }
  {
    FRESH ();
    json_object_set_object_member (json_object_get_object_member (doc, "metadata"), "references",
                                   json_object_new ());
    rehash (doc);
    assert_package_refused (fixture, root, PQS_PACKAGE_ERROR_INVALID, NULL);
  }

  /* A document file given as a package, and the reverse. */
  {
    g_autoptr(PqsPackage) exporter = pqs_package_new (fixture->a);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) single = pqs_package_export_document (exporter, NULL, 1, &error);
    g_autofree char *single_text = NULL;

    g_assert_no_error (error);
    single_text = to_text (single);
    assert_refused (fixture, single_text, strlen (single_text), TRUE, PQS_PACKAGE_ERROR,
                    PQS_PACKAGE_ERROR_UNSUPPORTED, "as a document");
    assert_refused (fixture, text, length, FALSE, PQS_PACKAGE_ERROR,
                    PQS_PACKAGE_ERROR_UNSUPPORTED, "as a standard");
  }

#undef FRESH
}

static void
test_titles_are_text (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) root = export_standard (fixture->a, fixture->standard_a);
  g_autoptr(PqsPackage) package = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *title = NULL;
  JsonObject *standard = json_object_get_object_member (json_node_get_object (root), "standard");
  JsonObject *doc = nth_document (root, 0);
  guint n_files = 0;

  /* "../" in a name is text like any other: stored, never a path. */
  json_object_set_string_member (standard, "title", "../../../tmp/evil");
  json_object_set_string_member (doc, "title", "../../etc/passwd");
  rehash (doc);
  import_standard (fixture, root, PQS_PACKAGE_CONFLICT_FAIL, &package, &error);
  g_assert_no_error (error);
  title = query_text (fixture->b, "SELECT title FROM standards WHERE id = %" G_GINT64_FORMAT,
                      pqs_package_get_standard_id (package));
  g_assert_cmpstr (title, ==, "../../../tmp/evil");

  dir = g_dir_open (fixture->dir, 0, NULL);
  while (g_dir_read_name (dir) != NULL)
    n_files++;
  /* a.db and b.db with their -wal and -shm files, nothing else. */
  g_assert_cmpuint (n_files, <=, 6);
  g_clear_pointer (&title, g_free);
  title = query_text (fixture->b, "SELECT title FROM documents WHERE standard_id = %"
                      G_GINT64_FORMAT " AND document_number = 101",
                      pqs_package_get_standard_id (package));
  g_assert_cmpstr (title, ==, "../../etc/passwd");
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) root = export_standard (fixture->a, fixture->standard_a);
  g_autoptr(PqsUser) visitor = lookup (fixture->b, "sadeyemi");
  g_autoptr(PqsPackage) package = pqs_package_new (fixture->b);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = to_text (root);
  Counts before = count_rows (fixture->b);
  Counts after;

  g_assert_cmpint (pqs_user_get_role (visitor), ==, PQS_ROLE_VISITOR);
  g_assert_false (pqs_package_import_standard_data (package, visitor, text, strlen (text),
                                                    PQS_PACKAGE_CONFLICT_FAIL, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);

  /* An import needs an account: it is the author of the drafts. */
  g_assert_false (pqs_package_import_standard_data (package, NULL, text, strlen (text),
                                                    PQS_PACKAGE_CONFLICT_FAIL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_FAILED);
  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);
}

static void
test_file_limits (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsPackage) package = pqs_package_new (fixture->b);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "huge.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->dir);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/package.json");
  Counts before = count_rows (fixture->b);
  Counts after;
  FILE *stream;

  /* A sparse 65 MiB file: refused after reading 64 MiB, not loaded whole. */
  stream = fopen (path, "w");
  g_assert_nonnull (stream);
  g_assert_cmpint (fseek (stream, 65 * 1024 * 1024, SEEK_SET), ==, 0);
  fputc ('}', stream);
  fclose (stream);
  g_assert_false (pqs_package_import_standard (package, fixture->importer, file,
                                               PQS_PACKAGE_CONFLICT_FAIL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (pqs_package_import_standard (package, fixture->importer, missing,
                                               PQS_PACKAGE_CONFLICT_FAIL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO);
  g_clear_error (&error);

  g_assert_false (pqs_package_import_document (package, fixture->importer, folder, 0,
                                               PQS_PACKAGE_CONFLICT_FAIL, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO);
  g_clear_error (&error);

  after = count_rows (fixture->b);
  assert_same_counts (&before, &after);
}

static void
test_conflict_names (void)
{
  PqsPackageConflict conflict;

  g_assert_true (pqs_package_conflict_from_string ("overwrite", &conflict));
  g_assert_cmpint (conflict, ==, PQS_PACKAGE_CONFLICT_OVERWRITE);
  g_assert_true (pqs_package_conflict_from_string ("new", &conflict));
  g_assert_cmpint (conflict, ==, PQS_PACKAGE_CONFLICT_NEW);
  g_assert_true (pqs_package_conflict_from_string ("fail", &conflict));
  g_assert_cmpint (conflict, ==, PQS_PACKAGE_CONFLICT_FAIL);
  g_assert_false (pqs_package_conflict_from_string ("merge", &conflict));
  g_assert_cmpstr (pqs_package_conflict_to_string (PQS_PACKAGE_CONFLICT_NEW), ==, "new");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/package/conflict-names", test_conflict_names);
#define ADD(path, func) \
  g_test_add ("/package/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("file-round-trip", test_file_round_trip);
  ADD ("standard-collisions", test_standard_collisions);
  ADD ("document-collisions", test_document_collisions);
  ADD ("hostile-files", test_hostile_files);
  ADD ("titles-are-text", test_titles_are_text);
  ADD ("permissions", test_permissions);
  ADD ("file-limits", test_file_limits);
#undef ADD

  return g_test_run ();
}
