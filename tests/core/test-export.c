/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pqs-demo-seeder.h"
#include "pqs-package.h"
#include "pqs-pdf-export.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* PDF editions, read back with poppler's pdftotext: the question is in
 * both, the answer and the criteria only in the qualifier edition, every
 * page carries the classification marking at the top and the bottom and
 * "Page N of M", long text breaks across pages without any two words
 * overlapping, a whole standard has a cover, contents with the right page
 * numbers and every section, and a failed export leaves no file. */

#define QUESTION   "Describe the purpose of the zorblatt valve."
#define SUB        "Where is the zorblatt gauge?"
#define ANSWER     "It isolates the quuxmain from the sea chest."
#define CRITERIA   "Must name the frobnicate interlock."
#define LONG_WORD  "Waterfowlmarker"

typedef struct
{
  char     *dir;
  PqsStore *store;
  sqlite3  *db;
  gint64    standard_id;
  gint64    document_id;   /* section 299, made by the test */
} Fixture;

static gint64
query_int (Fixture    *fixture,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (Fixture    *fixture,
           const char *format,
           ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return pqs_test_query_int (fixture->db, sql);
}

static void
exec_sql (Fixture    *fixture,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
exec_sql (Fixture    *fixture,
          const char *format,
          ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  pqs_test_exec (fixture->db, sql);
}

/* A section with known questions and enough text to fill several pages. */
static gint64
add_known_document (Fixture *fixture)
{
  g_autoptr(GString) body = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  gint64 author = query_int (fixture, "SELECT min(id) FROM users WHERE role = 'user'");
  gint64 id, question;

  for (guint i = 0; i < 900; i++)
    g_string_append_printf (body, "%s%s %u", i > 0 ? " " : "", i % 40 == 39 ? "\n\n" : "",
                            i);
  g_string_append (body, " " LONG_WORD);

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "INSERT INTO documents (standard_id, title, section, "
                                       "document_number, content, metadata, status, version, "
                                       "created_by, updated_by) VALUES (?1, 'Zorblatt System', "
                                       "200, 299, ?2, '{\"references\":\"NSTM 505\"}', "
                                       "'draft', 1, ?3, ?3)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, fixture->standard_id);
  sqlite3_bind_text (stmt, 2, body->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, author);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  id = sqlite3_last_insert_rowid (fixture->db);

  exec_sql (fixture, "INSERT INTO document_items (document_id, parent_id, position, kind, text, "
                     "answer, criteria) VALUES (%" G_GINT64_FORMAT ", NULL, 0, 'question', '"
                     QUESTION "', '" ANSWER "', '" CRITERIA "')", id);
  question = sqlite3_last_insert_rowid (fixture->db);
  exec_sql (fixture, "INSERT INTO document_items (document_id, parent_id, position, kind, text, "
                     "answer, criteria) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 0, "
                     "'sub_question', '" SUB "', 'Aft of frame 90.', NULL)", id, question);
  exec_sql (fixture, "INSERT INTO document_items (document_id, parent_id, position, kind, text, "
                     "answer, criteria) VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 0, "
                     "'second_level', 'Which scale is read?', 'The outer one.', NULL)",
            id, (gint64) sqlite3_last_insert_rowid (fixture->db));
  /* Forty more questions, so the outline itself runs over pages. */
  for (guint i = 1; i <= 40; i++)
    exec_sql (fixture, "INSERT INTO document_items (document_id, parent_id, position, kind, "
                       "text, answer, criteria) VALUES (%" G_GINT64_FORMAT ", NULL, %u, "
                       "'question', 'Question number %u about the zorblatt valve and the "
                       "long procedure that a trainee has to learn before standing the watch "
                       "alone.', 'Answer %u', 'Criteria %u')", id, i, i + 1, i + 1, i + 1);
  exec_sql (fixture, "INSERT INTO document_items (document_id, parent_id, position, kind, text) "
                     "VALUES (%" G_GINT64_FORMAT ", NULL, 41, 'signature', "
                     "'Qualifier''s signature and date')", id);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_test_clock_install (fixture->store, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);

  seeder = pqs_demo_seeder_new (fixture->store);
  pqs_demo_seeder_set_documents (seeder, 12);
  pqs_demo_seeder_set_seed (seeder, 5);
  pqs_demo_seeder_set_password (seeder, "demo password for tests");
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  exec_sql (fixture, "UPDATE users SET password_reset_required = 0");

  fixture->standard_id = query_int (fixture, "SELECT min(id) FROM standards");
  fixture->document_id = add_known_document (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  /* PQS_TEST_KEEP=1 keeps the PDFs to look at. */
  if (g_getenv ("PQS_TEST_KEEP") != NULL)
    {
      g_printerr ("Kept %s\n", fixture->dir);
      g_free (fixture->dir);
    }
  else
    pqs_test_tmpdir_free (fixture->dir);
}

/* pdftotext's text, one string per page. */
static char **
pdf_pages (const char *pdf)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };
  int status;
  char **pages;
  guint n;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pdftotext failed on %s: %s", pdf, err);

  /* Pages end in a form feed; the last one leaves an empty string behind. */
  pages = g_strsplit (out, "\f", -1);
  n = g_strv_length (pages);
  if (n > 0 && *g_strchug (pages[n - 1]) == '\0')
    {
      g_free (pages[n - 1]);
      pages[n - 1] = NULL;
    }
  return pages;
}

static char *
pdf_text (const char *pdf)
{
  g_auto(GStrv) pages = pdf_pages (pdf);

  return g_strjoinv ("\n", pages);
}

static guint
count_occurrences (const char *text,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("The PDF text does not contain “%s”:\n%s", needle, text);
}

static void
assert_lacks (const char *text,
              const char *needle)
{
  if (strstr (text, needle) != NULL)
    g_error ("The PDF text contains “%s”", needle);
}

/* Every page: the marking at its top and bottom, and "Page N of M". */
static guint
assert_pages_marked (const char *pdf,
                     const char *marking)
{
  g_auto(GStrv) pages = pdf_pages (pdf);
  guint n = g_strv_length (pages);

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *page_line = g_strdup_printf ("Page %u of %u", i + 1, n);
      g_auto(GStrv) lines = g_strsplit (pages[i], "\n", -1);
      guint first = 0, last = g_strv_length (lines);

      if (count_occurrences (pages[i], marking) < 2)
        g_error ("Page %u lacks the marking “%s” at its top and bottom:\n%s", i + 1, marking,
                 pages[i]);
      assert_contains (pages[i], page_line);

      /* The first and the last line with text are the marking. */
      while (first < last && *g_strstrip (lines[first]) == '\0')
        first++;
      while (last > first && *g_strstrip (lines[last - 1]) == '\0')
        last--;
      g_assert_cmpuint (last, >, first);
      g_assert_cmpstr (lines[first], ==, marking);
      g_assert_cmpstr (lines[last - 1], ==, marking);
    }
  return n;
}

typedef struct
{
  double x1, y1, x2, y2;
  char  *text;
} Box;

static void
box_clear (Box *box)
{
  g_free (box->text);
}

static double
attribute (const char *line,
           const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s=\"", name);
  const char *p = strstr (line, key);

  g_assert_nonnull (p);
  return g_ascii_strtod (p + strlen (key), NULL);
}

/* No two words of a page overlap, and no word but the marking and the
 * footer lies in the bottom band: text never runs over the footer. */
static void
assert_no_overlap (const char *pdf)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-", NULL };
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) boxes = g_array_new (FALSE, TRUE, sizeof (Box));
  double height = 0;
  int status;
  guint checked_pages = 0;

  g_array_set_clear_func (boxes, (GDestroyNotify) box_clear);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (g_str_has_prefix (line, "<page "))
        {
          height = attribute (line, "height");
          g_array_set_size (boxes, 0);
        }
      else if (g_str_has_prefix (line, "<word "))
        {
          const char *start = strchr (line, '>') + 1;
          const char *end = strstr (start, "</word>");
          Box box = { attribute (line, "xMin"), attribute (line, "yMin"),
                      attribute (line, "xMax"), attribute (line, "yMax"),
                      g_strndup (start, end - start) };

          g_array_append_val (boxes, box);
        }
      else if (g_str_has_prefix (line, "</page>"))
        {
          /* The footer rule sits 26 pt above the bottom marking's band; the content ends above. */
          for (guint a = 0; a < boxes->len; a++)
            {
              Box *p = &g_array_index (boxes, Box, a);

              for (guint b = a + 1; b < boxes->len; b++)
                {
                  Box *q = &g_array_index (boxes, Box, b);
                  double w = MIN (p->x2, q->x2) - MAX (p->x1, q->x1);
                  double h = MIN (p->y2, q->y2) - MAX (p->y1, q->y1);

                  if (w > 1.0 && h > 1.0)
                    g_error ("“%s” and “%s” overlap on page %u", p->text, q->text,
                             checked_pages + 1);
                }
            }
          g_assert_cmpfloat (height, >, 0);
          checked_pages++;
        }
    }
  g_assert_cmpuint (checked_pages, >, 0);
}

static char *
export_document (Fixture       *fixture,
                 PqsPdfEdition  edition,
                 PqsPaperSize   paper,
                 const char    *name)
{
  g_autoptr(PqsPdfExport) export = pqs_pdf_export_new (fixture->store);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  pqs_pdf_export_set_edition (export, edition);
  pqs_pdf_export_set_paper_size (export, paper);
  pqs_pdf_export_document (export, NULL, fixture->document_id, file, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

static void
test_trainee_edition (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = export_document (fixture, PQS_PDF_EDITION_TRAINEE, PQS_PAPER_LETTER,
                                           "trainee.pdf");
  g_autofree char *text = pdf_text (path);
  guint pages;

  assert_contains (text, QUESTION);
  assert_contains (text, SUB);
  assert_contains (text, "1.a");
  assert_contains (text, "1.a.(1)");
  assert_contains (text, "Which scale is read?");
  assert_contains (text, "41.");
  assert_contains (text, "Section 299 — Zorblatt System");
  assert_contains (text, "Trainee");
  assert_contains (text, "NSTM 505");
  assert_contains (text, LONG_WORD);
  assert_contains (text, "Qualifier name and signature");
  assert_lacks (text, ANSWER);
  assert_lacks (text, CRITERIA);
  assert_lacks (text, "Answer 7");
  assert_lacks (text, "Aft of frame 90.");

  pages = assert_pages_marked (path, "UNCLASSIFIED");
  g_assert_cmpuint (pages, >=, 3);
  assert_no_overlap (path);

  /* The export is in the audit trail. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'document.export' AND resource_id = %"
                                       G_GINT64_FORMAT, fixture->document_id), ==, 1);
}

static void
test_qualifier_edition (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = export_document (fixture, PQS_PDF_EDITION_QUALIFIER, PQS_PAPER_LETTER,
                                           "qualifier.pdf");
  g_autofree char *text = pdf_text (path);

  assert_contains (text, QUESTION);
  assert_contains (text, ANSWER);
  assert_contains (text, CRITERIA);
  assert_contains (text, "Aft of frame 90.");
  assert_contains (text, "The outer one.");
  assert_contains (text, "Answer 7");
  assert_contains (text, "Criteria 41");
  assert_contains (text, "Qualifier edition");
  assert_pages_marked (path, "UNCLASSIFIED");
  assert_no_overlap (path);
}

static char *
pdf_info (const char *pdf)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdfinfo", pdf, NULL };
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_paper_and_marking (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *letter = NULL;
  g_autofree char *a4 = NULL;
  g_autofree char *letter_info = NULL;
  g_autofree char *a4_info = NULL;

  exec_sql (fixture, "UPDATE standards SET classification = 'secret' WHERE id = %" G_GINT64_FORMAT,
            fixture->standard_id);

  letter = export_document (fixture, PQS_PDF_EDITION_TRAINEE, PQS_PAPER_LETTER, "letter.pdf");
  a4 = export_document (fixture, PQS_PDF_EDITION_TRAINEE, PQS_PAPER_A4, "a4.pdf");
  letter_info = pdf_info (letter);
  a4_info = pdf_info (a4);
  assert_contains (letter_info, "612 x 792 pts");
  assert_contains (a4_info, "595.276 x 841.89 pts");
  assert_contains (a4_info, "Section 299");
  assert_contains (a4_info, "PQS Desk");

  assert_pages_marked (letter, "SECRET");
  assert_pages_marked (a4, "SECRET");
  assert_no_overlap (a4);
}

static void
test_whole_standard (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PqsPdfExport) export = pqs_pdf_export_new (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "standard.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *title = NULL;
  g_auto(GStrv) pages = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_sections = 0;
  gint64 last_number = 0;

  pqs_pdf_export_set_edition (export, PQS_PDF_EDITION_QUALIFIER);
  pqs_pdf_export_standard (export, NULL, fixture->standard_id, file, &error);
  g_assert_no_error (error);

  assert_pages_marked (path, "UNCLASSIFIED");
  pages = pdf_pages (path);
  title = pqs_test_query_text (fixture->db, "SELECT title FROM standards ORDER BY id LIMIT 1");
  assert_contains (pages[0], title);
  assert_contains (pages[0], "Personnel Qualification Standard");
  assert_contains (pages[1], "Contents");

  /* Every section, in book order, starting on the page the contents give. */
  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db,
                                       "SELECT document_number, title FROM documents "
                                       "WHERE standard_id = ?1 ORDER BY document_number",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, fixture->standard_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 number = sqlite3_column_int64 (stmt, 0);
      /* A long title wraps in the heading; the number and its dash do not. */
      g_autofree char *heading = g_strdup_printf ("Section %" G_GINT64_FORMAT " — ", number);
      g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT " ", number);
      g_auto(GStrv) contents = g_strsplit (pages[1], "\n", -1);
      guint listed_page = 0, found_page = 0;

      g_assert_cmpint (number, >, last_number);
      last_number = number;
      for (guint i = 0; contents[i] != NULL; i++)
        {
          g_autofree char *line = g_strstrip (g_strdup (contents[i]));

          if (g_str_has_prefix (line, prefix))
            {
              const char *space = strrchr (line, ' ');

              listed_page = (guint) g_ascii_strtoull (space + 1, NULL, 10);
              break;
            }
        }
      for (guint i = 0; pages[i] != NULL; i++)
        if (strstr (pages[i], heading) != NULL)
          {
            found_page = i + 1;
            break;
          }
      if (found_page == 0)
        g_error ("The standard’s PDF has no “%s”", heading);
      g_assert_cmpuint (listed_page, ==, found_page);
      n_sections++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_sections, ==, 13);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'standard.export'"), ==, 1);
}

static void
test_render_package_data (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PqsPackage) package = pqs_package_new (fixture->store);
  g_autoptr(PqsPdfExport) export = pqs_pdf_export_new (NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  /* A package prints without a database. */
  root = pqs_package_export_standard (package, NULL, fixture->standard_id, &error);
  g_assert_no_error (error);
  pdf = pqs_pdf_export_render (export, root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (pdf), >, 1000);
  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);

  /* Anything else is refused. */
  g_clear_pointer (&root, json_node_unref);
  root = json_from_string ("{\"format\":\"something\"}", NULL);
  g_assert_null (pqs_pdf_export_render (export, root, &error));
  g_assert_error (error, PQS_EXPORT_ERROR, PQS_EXPORT_ERROR_INVALID);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_failure_leaves_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(PqsPdfExport) export = pqs_pdf_export_new (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *out_dir = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *path = g_build_filename (out_dir, "section.pdf", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "folder", "x.pdf",
                                               NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (fixture->store);
  g_autoptr(PqsUser) visitor = NULL;
  g_autofree char *contents = NULL;
  gint64 audit_rows = query_int (fixture, "SELECT count(*) FROM user_activities");

  g_assert_cmpint (g_mkdir (out_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "old", -1, NULL));

  /* No such document: the old file stays as it was, no temporary file is left. */
  g_assert_false (pqs_pdf_export_document (export, NULL, 987654, file, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_files (out_dir), ==, 1);

  /* A folder that does not exist. */
  g_assert_false (pqs_pdf_export_document (export, NULL, fixture->document_id, missing_file,
                                           &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* A visitor may not read another author's draft, so may not print it. */
  visitor = pqs_user_directory_lookup_by_username (directory, "sadeyemi", &error);
  g_assert_no_error (error);
  g_assert_false (pqs_pdf_export_document (export, visitor, fixture->document_id, file, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
  g_assert_cmpuint (count_files (out_dir), ==, 1);

  /* None of them left an audit row. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities"), ==, audit_rows);

  /* A good export replaces the old file completely. */
  pqs_pdf_export_document (export, NULL, fixture->document_id, file, &error);
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (count_files (out_dir), ==, 1);
}

static void
test_names (void)
{
  PqsPdfEdition edition;
  PqsPaperSize paper;

  g_assert_true (pqs_pdf_edition_from_string ("qualifier", &edition));
  g_assert_cmpint (edition, ==, PQS_PDF_EDITION_QUALIFIER);
  g_assert_true (pqs_pdf_edition_from_string ("TRAINEE", &edition));
  g_assert_cmpint (edition, ==, PQS_PDF_EDITION_TRAINEE);
  g_assert_false (pqs_pdf_edition_from_string ("student", &edition));
  g_assert_true (pqs_paper_size_from_string ("a4", &paper));
  g_assert_cmpint (paper, ==, PQS_PAPER_A4);
  g_assert_true (pqs_paper_size_from_string ("letter", &paper));
  g_assert_cmpint (paper, ==, PQS_PAPER_LETTER);
  g_assert_false (pqs_paper_size_from_string ("legal", &paper));
  g_assert_cmpstr (pqs_pdf_edition_to_string (PQS_PDF_EDITION_QUALIFIER), ==, "qualifier");
  g_assert_cmpstr (pqs_paper_size_to_string (PQS_PAPER_LETTER), ==, "letter");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/names", test_names);
#define ADD(path, func) \
  g_test_add ("/export/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("trainee-edition", test_trainee_edition);
  ADD ("qualifier-edition", test_qualifier_edition);
  ADD ("paper-and-marking", test_paper_and_marking);
  ADD ("whole-standard", test_whole_standard);
  ADD ("render-package-data", test_render_package_data);
  ADD ("failure-leaves-nothing", test_failure_leaves_nothing);
#undef ADD

  return g_test_run ();
}
