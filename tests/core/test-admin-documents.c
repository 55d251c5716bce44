/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "pqs-package.h"
#include "pqs-test-util.h"

/* `pqs-admin doc export|import` and `pqs-admin standard export|import` run
 * as the real program on databases in a temporary folder; the outcomes are
 * exit codes (0 done, 1 refused or failed, 2 bad usage), one-line errors,
 * the files written, and the rows in the databases. */

#define PASSWORD "correct horse battery"

typedef struct
{
  char *dir;
  char *db;
  char *other_db;
  char *xdg_env;
  const char *env[3];
} Scene;

static Scene *
scene_new (void)
{
  Scene *scene = g_new0 (Scene, 1);
  g_autofree char *xdg = NULL;

  scene->dir = pqs_test_tmpdir_new ();
  scene->db = g_build_filename (scene->dir, "pqs.db", NULL);
  scene->other_db = g_build_filename (scene->dir, "other.db", NULL);
  xdg = g_build_filename (scene->dir, "xdg-data", NULL);
  scene->xdg_env = g_strconcat ("XDG_DATA_HOME=", xdg, NULL);
  scene->env[0] = scene->xdg_env;
  scene->env[1] = "PQS_DB";
  scene->env[2] = NULL;
  return scene;
}

static void
scene_free (Scene *scene)
{
  pqs_test_tmpdir_free (scene->dir);
  g_free (scene->db);
  g_free (scene->other_db);
  g_free (scene->xdg_env);
  g_free (scene);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scene, scene_free)

static void
replace_str (char **slot,
             char  *value)
{
  g_free (*slot);
  *slot = value;
}

/* Runs `pqs-admin --db DB …` with @input on stdin; @out and @err may be NULL. */
G_GNUC_NULL_TERMINATED static int
admin_on (Scene       *scene,
          const char  *db,
          const char  *input,
          char       **out,
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

  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, (gpointer) db);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  status = pqs_test_run_admin_input (scene->env, (const char * const *) args->pdata, input,
                                     &local_out, &local_err);
  g_test_message ("pqs-admin exited with %d\nstdout: %s\nstderr: %s", status, local_out,
                  local_err);

  if (out != NULL)
    replace_str (out, g_steal_pointer (&local_out));
  if (err != NULL)
    replace_str (err, g_steal_pointer (&local_err));
  return status;
}

#define admin(scene, out, err, ...) admin_on ((scene), (scene)->db, NULL, (out), (err), __VA_ARGS__)

/* An error is exactly one line that starts with "pqs-admin: " and says @needle. */
static void
assert_error_line (const char *err,
                   const char *needle)
{
  const char *newline;

  g_assert_nonnull (err);
  if (!g_str_has_prefix (err, "pqs-admin: "))
    g_error ("“%s” is not a pqs-admin error", err);
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

static void
assert_lacks (const char *text,
              const char *needle)
{
  g_assert_nonnull (text);
  if (strstr (text, needle) != NULL)
    g_error ("“%s” contains “%s”", text, needle);
}

static sqlite3 *
db_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

G_GNUC_PRINTF (2, 3) static gint64
db_int (const char *path,
        const char *format,
        ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = db_open (path);
  gint64 value;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  value = pqs_test_query_int (db, sql);
  sqlite3_close (db);
  return value;
}

G_GNUC_PRINTF (2, 3) static char *
db_text (const char *path,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = db_open (path);
  char *value;
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  value = pqs_test_query_text (db, sql);
  sqlite3_close (db);
  return value;
}

G_GNUC_PRINTF (2, 3) static void
db_exec (const char *path,
         const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = db_open (path);
  va_list ap;

  va_start (ap, format);
  sql = g_strdup_vprintf (format, ap);
  va_end (ap);
  pqs_test_exec (db, sql);
  sqlite3_close (db);
}

/* Every row of the tables an import writes, as one string to compare. */
static char *
counts (const char *path)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%"
                          G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          db_int (path, "SELECT count(*) FROM standards"),
                          db_int (path, "SELECT count(*) FROM documents"),
                          db_int (path, "SELECT count(*) FROM document_items"),
                          db_int (path, "SELECT count(*) FROM document_changes"),
                          db_int (path, "SELECT count(*) FROM user_activities"));
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
add_user (Scene      *scene,
          const char *db,
          const char *username,
          const char *role)
{
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (admin_on (scene, db, PASSWORD "\n", &out, &err, "user", "add", username,
                             "--role", role, "--full-name", "Some Tester", "--email", email,
                             "--password-stdin", NULL), ==, 0);
}

/* A demo database whose field values fit their templates, with an importer
 * (user) and a watcher (visitor). */
static void
seed (Scene      *scene,
      const char *db,
      const char *documents)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (admin_on (scene, db, "demo password for tests\n", &out, &err, "seed-demo",
                             "--documents", documents, "--seed", "5", "--password-stdin", NULL),
                   ==, 0);
  db_exec (db,
           "UPDATE documents SET metadata = (SELECT CASE "
           "  WHEN t.fields LIKE '%%\"hazards\"%%' THEN json_object('references', 'NSTM 079') "
           "  WHEN t.fields LIKE '%%\"introduction\"%%' THEN json_object('references', 'X') "
           "  WHEN t.fields LIKE '%%\"components\"%%' THEN json_object('references', 'NSTM 505') "
           "  WHEN t.fields LIKE '%%\"parent_system\"%%' THEN json_object('parent_system', '201') "
           "  WHEN t.fields LIKE '%%\"final_signature\"%%' THEN json_object('tasks', 'Relieve') "
           "  WHEN t.fields LIKE '%%\"board_members\"%%' THEN json_object('scenarios', 'Fire') "
           "  ELSE '{}' END FROM templates AS t WHERE t.id = documents.template_id)");
  db_exec (db, "UPDATE documents SET metadata = '{}' WHERE metadata IS NULL");
  add_user (scene, db, "importer", "user");
  add_user (scene, db, "watcher", "visitor");
  add_user (scene, db, "chief", "supervisor");
}

static gint64
question_document (const char *db)
{
  /* A draft (only its author, editors and reviewers read it) with answers. */
  return db_int (db, "SELECT d.id FROM documents AS d WHERE d.status = 'draft' AND EXISTS "
                     "(SELECT 1 FROM document_items AS i WHERE i.document_id = d.id "
                     " AND i.kind = 'question' AND i.answer IS NOT NULL) ORDER BY d.id LIMIT 1");
}

static char *
pdftotext (const char *pdf)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* pdftotext breaks lines where the PDF does; compare words only. */
  g_strdelimit (out, "\n\f", ' ');
  return out;
}

static void
test_doc_export (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *trainee = g_build_filename (scene->dir, "trainee.pdf", NULL);
  g_autofree char *qualifier = g_build_filename (scene->dir, "qualifier.pdf", NULL);
  g_autofree char *json = g_build_filename (scene->dir, "section.json", NULL);
  g_autofree char *question = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 document_id;

  seed (scene, scene->db, "12");
  document_id = question_document (scene->db);
  g_assert_cmpint (document_id, >, 0);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, document_id);
  question = db_text (scene->db, "SELECT text FROM document_items WHERE document_id = %s AND "
                                 "kind = 'question' AND answer IS NOT NULL ORDER BY id LIMIT 1",
                      id);
  answer = db_text (scene->db, "SELECT answer FROM document_items WHERE document_id = %s AND "
                               "kind = 'question' AND answer IS NOT NULL ORDER BY id LIMIT 1",
                    id);

  /* Both editions. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--format", "pdf",
                          "--output", trainee, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  assert_contains (out, "trainee edition");
  text = pdftotext (trainee);
  assert_contains (text, question);
  assert_contains (text, "UNCLASSIFIED");
  assert_lacks (text, answer);
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--format", "pdf",
                          "--edition", "qualifier", "--paper", "a4", "--output", qualifier,
                          NULL), ==, 0);
  text = pdftotext (qualifier);
  assert_contains (text, question);
  assert_contains (text, answer);

  /* JSON, with the format named by the extension. */
  g_assert_cmpint (admin (scene, &out, &err, "--json", "doc", "export", id, "--output", json,
                          NULL), ==, 0);
  root = parse_json (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==,
                   "json");
  g_clear_pointer (&root, json_node_unref);
  g_assert_true (g_file_get_contents (json, &contents, NULL, NULL));
  root = parse_json (contents);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==,
                   "pqs-desk/document");
  g_assert_cmpint (db_int (scene->db, "SELECT count(*) FROM user_activities WHERE "
                                      "activity_type = 'document.export'"), ==, 3);

  /* Bad usage: exit 2. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, NULL), ==, 2);
  assert_error_line (err, "--output");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--format", "docx",
                          "--output", json, NULL), ==, 2);
  assert_error_line (err, "docx");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--format", "pdf",
                          "--edition", "student", "--output", trainee, NULL), ==, 2);
  assert_error_line (err, "student");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--format", "json",
                          "--edition", "qualifier", "--output", json, NULL), ==, 2);
  assert_error_line (err, "PDF");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", "twelve", "--output", json, NULL),
                   ==, 2);
  assert_error_line (err, "twelve");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", "--output", json, NULL), ==, 2);
  assert_error_line (err, "ID");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--output", "section.odt",
                          NULL), ==, 2);
  assert_error_line (err, "--format");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "frobnicate", NULL), ==, 2);
  assert_error_line (err, "frobnicate");
  g_assert_cmpint (admin (scene, &out, &err, "doc", NULL), ==, 2);
  assert_error_line (err, "subcommand");

  /* Refused or failed: exit 1. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", "99999", "--output", json, NULL),
                   ==, 1);
  assert_error_line (err, "99999");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--as", "watcher",
                          "--output", json, NULL), ==, 1);
  assert_error_line (err, NULL);
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--as", "nobody",
                          "--output", json, NULL), ==, 1);
  assert_error_line (err, "nobody");

  /* The failures left the earlier file as it was. */
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (json, &contents, NULL, NULL));
  root = parse_json (contents);

  g_assert_cmpint (admin (scene, &out, &err, "doc", "--help", NULL), ==, 0);
  assert_contains (out, "export");
  assert_contains (out, "import");
}

static void
test_doc_import (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *json = g_build_filename (scene->dir, "section.json", NULL);
  g_autofree char *tampered = g_build_filename (scene->dir, "tampered.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 documents;

  seed (scene, scene->db, "12");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, question_document (scene->db));
  g_assert_cmpint (admin (scene, &out, &err, "doc", "export", id, "--format", "json",
                          "--output", json, NULL), ==, 0);
  documents = db_int (scene->db, "SELECT count(*) FROM documents");

  /* --as is required. */
  before = counts (scene->db);
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, NULL), ==, 2);
  assert_error_line (err, "--as");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "importer",
                          "--on-conflict", "merge", NULL), ==, 2);
  assert_error_line (err, "merge");

  /* A visitor may not import. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "watcher", NULL),
                   ==, 1);
  assert_error_line (err, NULL);

  /* The number is taken: refused unless the caller chooses. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "importer", NULL),
                   ==, 1);
  assert_error_line (err, "already exists");
  after = counts (scene->db);
  g_assert_cmpstr (before, ==, after);

  /* A tampered file, a missing one, not JSON: nothing written. */
  g_assert_true (g_file_get_contents (json, &contents, NULL, NULL));
  root = parse_json (contents);
  json_object_set_string_member (json_object_get_object_member (json_node_get_object (root),
                                                                "document"),
                                 "body", "Changed by hand.");
  changed = json_to_string (root, TRUE);
  g_assert_true (g_file_set_contents (tampered, changed, -1, NULL));
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", tampered, "--as", "importer",
                          "--on-conflict", "new", NULL), ==, 1);
  assert_error_line (err, "content_hash");
  g_assert_true (g_file_set_contents (tampered, "{\"format\": \"pqs-desk/doc", -1, NULL));
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", tampered, "--as", "importer",
                          "--on-conflict", "new", NULL), ==, 1);
  assert_error_line (err, "JSON");
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", "/nonexistent/file.json",
                          "--as", "importer", NULL), ==, 1);
  assert_error_line (err, "/nonexistent/file.json");
  g_clear_pointer (&after, g_free);
  after = counts (scene->db);
  g_assert_cmpstr (before, ==, after);

  /* New number, then overwrite. */
  g_assert_cmpint (admin (scene, &out, &err, "--json", "doc", "import", json, "--as", "importer",
                          "--on-conflict", "new", NULL), ==, 0);
  g_clear_pointer (&root, json_node_unref);
  root = parse_json (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "created"), ==, 1);
  g_assert_cmpint (db_int (scene->db, "SELECT count(*) FROM documents"), ==, documents + 1);
  /* Overwriting another author's draft takes an editor or a supervisor. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "importer",
                          "--on-conflict", "overwrite", NULL), ==, 1);
  assert_error_line (err, "edit");
  /* The same content as the stored one: nothing to write. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "chief",
                          "--on-conflict", "overwrite", NULL), ==, 0);
  assert_contains (out, "nothing");
  g_assert_cmpint (db_int (scene->db, "SELECT count(*) FROM user_activities WHERE "
                                      "activity_type = 'document.import'"), ==, 1);
  /* Changed content (with its hash) overwrites the draft. */
  {
    g_autoptr(JsonNode) edited = NULL;
    g_autofree char *edited_text = NULL;
    g_autofree char *file_text = NULL;
    g_autofree char *hash = NULL;
    JsonObject *document;

    g_assert_true (g_file_get_contents (json, &file_text, NULL, NULL));
    edited = parse_json (file_text);
    document = json_object_get_object_member (json_node_get_object (edited), "document");
    json_object_set_string_member (document, "title", "Renamed on another workstation");
    hash = pqs_package_document_hash (document, NULL);
    json_object_set_string_member (document, "content_hash", hash);
    edited_text = json_to_string (edited, TRUE);
    g_assert_true (g_file_set_contents (json, edited_text, -1, NULL));
  }
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "chief",
                          "--on-conflict", "overwrite", NULL), ==, 0);
  assert_contains (out, "draft");
  g_assert_cmpint (db_int (scene->db, "SELECT count(*) FROM documents"), ==, documents + 1);
  g_assert_cmpint (db_int (scene->db, "SELECT count(*) FROM documents WHERE title = "
                                      "'Renamed on another workstation'"), ==, 1);
  g_assert_cmpint (db_int (scene->db, "SELECT count(*) FROM user_activities WHERE "
                                      "activity_type = 'document.import'"), ==, 2);

  /* Into a standard named by id. */
  g_assert_cmpint (admin (scene, &out, &err, "doc", "import", json, "--as", "importer",
                          "--standard", "424242", NULL), ==, 1);
  assert_error_line (err, "424242");
}

static void
test_standard_export_import (void)
{
  g_autoptr(Scene) scene = scene_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *id = NULL;
  g_autofree char *package = g_build_filename (scene->dir, "standard.json", NULL);
  g_autofree char *pdf = g_build_filename (scene->dir, "standard.pdf", NULL);
  g_autofree char *hostile = g_build_filename (scene->dir, "hostile.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) root = NULL;

  seed (scene, scene->db, "12");
  seed (scene, scene->other_db, "0");
  id = g_strdup_printf ("%" G_GINT64_FORMAT, db_int (scene->db, "SELECT min(id) FROM standards"));

  g_assert_cmpint (admin (scene, &out, &err, "standard", "export", id, "--output", package,
                          NULL), ==, 0);
  g_assert_cmpint (admin (scene, &out, &err, "standard", "export", id, "--format", "pdf",
                          "--edition", "qualifier", "--output", pdf, NULL), ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (admin (scene, &out, &err, "standard", "export", "777", "--output", package,
                          NULL), ==, 1);
  assert_error_line (err, "777");
  g_assert_cmpint (admin (scene, &out, &err, "standard", "export", id, NULL), ==, 2);
  assert_error_line (err, "--output");

  /* Into the other workstation, then the collisions. */
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "--json", "standard",
                             "import", package, "--as", "importer", NULL), ==, 0);
  root = parse_json (out);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root),
                                                 "standard_created"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "created"), ==, 12);
  g_assert_cmpint (db_int (scene->other_db, "SELECT count(*) FROM documents"), ==, 12);

  before = counts (scene->other_db);
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             package, "--as", "importer", NULL), ==, 1);
  assert_error_line (err, "already");
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             package, "--as", "watcher", "--on-conflict", "new", NULL), ==, 1);
  assert_error_line (err, NULL);
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             package, NULL), ==, 2);
  assert_error_line (err, "--as");
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             package, "--as", "importer", "--on-conflict", "sideways", NULL),
                   ==, 2);
  assert_error_line (err, "sideways");
  g_assert_true (g_file_set_contents (hostile, "{\"format\":\"pqs-desk/package\",\"version\":1,"
                                      "\"path\":\"../../x\"}", -1, NULL));
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             hostile, "--as", "importer", "--on-conflict", "overwrite", NULL),
                   ==, 1);
  assert_error_line (err, "path");
  after = counts (scene->other_db);
  g_assert_cmpstr (before, ==, after);

  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             package, "--as", "importer", "--on-conflict", "overwrite", NULL),
                   ==, 0);
  g_assert_cmpint (db_int (scene->other_db, "SELECT count(*) FROM standards"), ==, 1);
  g_assert_cmpint (admin_on (scene, scene->other_db, NULL, &out, &err, "standard", "import",
                             package, "--as", "importer", "--on-conflict", "new", NULL), ==, 0);
  g_assert_cmpint (db_int (scene->other_db, "SELECT count(*) FROM standards"), ==, 2);
  g_assert_cmpint (db_int (scene->other_db, "SELECT count(*) FROM documents"), ==, 24);
  g_assert_cmpint (db_int (scene->other_db, "SELECT count(*) FROM user_activities WHERE "
                                            "activity_type = 'standard.import'"), ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/admin-documents/doc-export", test_doc_export);
  g_test_add_func ("/admin-documents/doc-import", test_doc_import);
  g_test_add_func ("/admin-documents/standard-export-import", test_standard_export_import);

  return g_test_run ();
}
