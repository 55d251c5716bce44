/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-audit.h"
#include "pqs-diff.h"
#include "pqs-document.h"
#include "pqs-history.h"
#include "pqs-library.h"
#include "pqs-standard.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* A document's history: listing changes and reviews in time order,
 * showing and comparing versions (the line diff), restoring one as a new
 * change without rewriting anything; and the diff itself. */

#define PASSWORD "a long enough password"

typedef struct
{
  char             *dir;
  PqsStore         *store;
  sqlite3          *db;
  PqsUserDirectory *directory;
  PqsLibrary       *library;
  PqsWorkflow      *workflow;
  PqsHistory       *history;
  PqsUser          *admin;
  PqsUser          *supervisor;
  PqsUser          *author;
  PqsUser          *other;
  PqsStandard      *standard;
} Fixture;

static PqsUser *
add_user (Fixture    *fixture,
          const char *username,
          const char *rank,
          PqsRole     role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, "Some Body", rank };
  PqsUser *user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields, role,
                                             PASSWORD, &error);

  g_assert_no_error (error);
  return user;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PqsUserFields fields = { "admin", "admin@example.org", "Ada Admin", "CDR" };
  PqsStandardFields standard = { "Radar Operator", NULL, PQS_CLASSIFICATION_UNCLASSIFIED, NULL,
                                 "1", NULL };

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_test_clock_install (fixture->store, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  fixture->directory = pqs_user_directory_new (fixture->store);
  fixture->library = pqs_library_new (fixture->store);
  fixture->workflow = pqs_workflow_new (fixture->library);
  fixture->history = pqs_history_new (fixture->library);

  fixture->admin = pqs_user_directory_create_first_admin (fixture->directory, &fields, PASSWORD,
                                                          &error);
  g_assert_no_error (error);
  fixture->supervisor = add_user (fixture, "chief", "CWO2", PQS_ROLE_SUPERVISOR);
  fixture->author = add_user (fixture, "writer", "PO1", PQS_ROLE_USER);
  fixture->other = add_user (fixture, "other", NULL, PQS_ROLE_USER);
  fixture->standard = pqs_library_create_standard (fixture->library, fixture->author, &standard,
                                                   &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->standard);
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->supervisor);
  g_clear_object (&fixture->author);
  g_clear_object (&fixture->other);
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->workflow);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->directory);
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
}

static gint64 G_GNUC_PRINTF (2, 3)
count (Fixture    *fixture,
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
assert_chain_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad = 0;

  g_assert_true (pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, count (fixture, "SELECT count(*) FROM user_activities"));
}

static GPtrArray *
outline_with (const char *first_question,
              const char *answer)
{
  GPtrArray *outline = pqs_outline_new ();

  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, first_question, answer,
                                                  NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "Where is it?",
                                                  "Frame 42", NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, "Second question",
                                                  NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SIGNATURE, 0, "Qualifier", NULL,
                                                  NULL));
  return outline;
}

/* Three saved versions of a blank 200 series document, 5 minutes apart. */
static gint64
three_versions (Fixture  *fixture,
                char    **texts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsDocument) document = NULL;

  document = pqs_library_create_document (fixture->library, fixture->author,
                                          pqs_standard_get_id (fixture->standard), 200, 0, 0,
                                          "Surface search radar", &error);
  g_assert_no_error (error);

  for (guint v = 0; v < 3; v++)
    {
      g_autoptr(GPtrArray) outline = NULL;
      g_autofree char *question = g_strdup_printf ("What is the range of the radar (v%u)?", v);
      g_autofree char *body = g_strdup_printf ("Body of version %u.\nA line that stays.", v);

      pqs_test_clock_advance (5 * 60 * G_USEC_PER_SEC);
      outline = outline_with (question, v == 1 ? "48 nm" : "40 nm");
      pqs_document_set_outline (document, outline);
      pqs_document_set_body (document, body);
      g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document,
                                                NULL, PQS_SAVE_DEFAULT, &error));
      g_assert_no_error (error);
      if (texts != NULL)
        texts[v] = pqs_document_render_canonical (document);
    }

  return pqs_document_get_id (document);
}

static gint64
change_id (Fixture *fixture,
           gint64   document_id,
           guint    nth)
{
  return count (fixture, "SELECT id FROM document_changes WHERE document_id = %" G_GINT64_FORMAT
                " ORDER BY id LIMIT 1 OFFSET %u", document_id, nth);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = three_versions (fixture, NULL);
  g_autoptr(GPtrArray) entries = NULL;
  const char *labels[] = {
    "Created", "Saved", "Saved", "Saved", "Comment", "Submitted for review",
    "Sent back for changes", "Changes requested", "Submitted for review", "Approved", "Approved",
  };
  PqsHistoryEntry *entry;

  pqs_test_clock_advance (G_USEC_PER_SEC);
  g_assert_false (pqs_workflow_comment (fixture->workflow, fixture->other, id, "Nice", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);   /* a draft: not theirs */
  g_clear_error (&error);
  g_assert_true (pqs_workflow_comment (fixture->workflow, fixture->supervisor, id,
                                       "Remember the blind sectors.", &error));
  pqs_test_clock_advance (G_USEC_PER_SEC);
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  pqs_test_clock_advance (G_USEC_PER_SEC);
  g_assert_true (pqs_workflow_request_changes (fixture->workflow, fixture->supervisor, id,
                                               "Add the range scale.", &error));
  pqs_test_clock_advance (G_USEC_PER_SEC);
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  pqs_test_clock_advance (G_USEC_PER_SEC);
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, id, NULL, &error));
  g_assert_no_error (error);

  entries = pqs_history_list (fixture->history, fixture->author, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (labels));
  for (guint i = 0; i < entries->len; i++)
    {
      entry = g_ptr_array_index (entries, i);
      g_assert_cmpstr (pqs_history_entry_get_label (entry), ==, labels[i]);
      if (i > 0)
        {
          PqsHistoryEntry *previous = g_ptr_array_index (entries, i - 1);

          g_assert_cmpint (g_date_time_compare (previous->time, entry->time), <=, 0);
        }
    }

  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpint (entry->kind, ==, PQS_HISTORY_CHANGE);
  g_assert_cmpstr (entry->change_type, ==, "create");
  g_assert_cmpstr (entry->user_name, ==, "PO1 Some Body");
  g_assert_true (entry->restorable);
  g_assert_true (entry->has_status);
  g_assert_cmpint (entry->status, ==, PQS_DOCUMENT_DRAFT);

  entry = g_ptr_array_index (entries, 4);
  g_assert_cmpint (entry->kind, ==, PQS_HISTORY_REVIEW);
  g_assert_cmpstr (entry->decision, ==, "comment");
  g_assert_cmpstr (entry->comment, ==, "Remember the blind sectors.");
  g_assert_cmpstr (entry->user_name, ==, "CWO2 Some Body");

  entry = g_ptr_array_index (entries, 7);
  g_assert_cmpint (entry->kind, ==, PQS_HISTORY_REVIEW);
  g_assert_cmpstr (entry->comment, ==, "Add the range scale.");

  /* At the same moment the change comes before its review. */
  entry = g_ptr_array_index (entries, 9);
  g_assert_cmpint (entry->kind, ==, PQS_HISTORY_CHANGE);
  g_assert_cmpint (entry->status, ==, PQS_DOCUMENT_APPROVED);
  entry = g_ptr_array_index (entries, 10);
  g_assert_cmpint (entry->kind, ==, PQS_HISTORY_REVIEW);
  g_assert_cmpuint (entry->version, ==, 1);

  /* Who may not read the document may not read its history. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  pqs_test_exec (fixture->db, "UPDATE documents SET status = 'draft', approved_by = NULL, "
                              "approved_at = NULL");
  entries = pqs_history_list (fixture->history, fixture->other, id, &error);
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_assert_null (entries);
}

static void
test_show_and_compare (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *texts[3] = { NULL, };
  gint64 id = three_versions (fixture, texts);
  gint64 v0 = change_id (fixture, id, 1);
  gint64 v1 = change_id (fixture, id, 2);
  gint64 v2 = change_id (fixture, id, 3);
  g_autoptr(GPtrArray) hunks = NULL;
  g_autoptr(PqsDocument) version = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *unified = NULL;
  guint added = 0, removed = 0;

  shown = pqs_history_get_text (fixture->history, fixture->author, v1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (shown, ==, texts[1]);

  version = pqs_history_load_version (fixture->history, fixture->author, v1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_document_get_id (version), ==, 0);
  g_assert_cmpstr (pqs_document_get_body (version), ==, "Body of version 1.\nA line that stays.");
  {
    g_autofree char *rendered = pqs_document_render_canonical (version);

    g_assert_cmpstr (rendered, ==, texts[1]);
  }
  /* A version is a picture: it cannot be saved over the document. */
  g_assert_false (pqs_library_save_document (fixture->library, fixture->author, version, NULL,
                                             PQS_SAVE_DEFAULT, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);

  hunks = pqs_history_compare (fixture->history, fixture->author, v0, v1, 1, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_diff_count (hunks, &added, &removed));
  /* The body's first line, the question and its answer. */
  g_assert_cmpuint (added, ==, 3);
  g_assert_cmpuint (removed, ==, 3);
  unified = pqs_diff_to_unified (hunks, "v0", "v1");
  g_assert_nonnull (strstr (unified, "-  1. What is the range of the radar (v0)?\n"));
  g_assert_nonnull (strstr (unified, "+  1. What is the range of the radar (v1)?\n"));
  g_assert_nonnull (strstr (unified, "-     Answer: 40 nm\n"));
  g_assert_nonnull (strstr (unified, "+     Answer: 48 nm\n"));
  g_assert_nonnull (strstr (unified, "-  Body of version 0.\n"));
  g_assert_null (strstr (unified, "Title:"));   /* outside the context */
  g_clear_pointer (&hunks, g_ptr_array_unref);

  /* The latest change and the document now are the same text. */
  hunks = pqs_history_compare (fixture->history, fixture->author, v2, 0, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hunks->len, ==, 0);
  g_clear_pointer (&hunks, g_ptr_array_unref);

  /* Versions of two different documents are not compared. */
  {
    gint64 other_doc = three_versions (fixture, NULL);

    hunks = pqs_history_compare (fixture->history, fixture->author, v0,
                                 change_id (fixture, other_doc, 1), 3, &error);
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
    g_assert_null (hunks);
    g_clear_error (&error);
  }
  hunks = pqs_history_compare (fixture->history, fixture->author, 999999, 0, 3, &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND);

  for (guint i = 0; i < 3; i++)
    g_free (texts[i]);
}

/* Restoring writes a new change; earlier rows stay exactly as they were. */
static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *texts[3] = { NULL, };
  gint64 id = three_versions (fixture, texts);
  gint64 v0 = change_id (fixture, id, 1);
  g_autoptr(PqsDocument) document = pqs_library_load_document (fixture->library, NULL, id, NULL);
  g_autoptr(PqsDocument) restored = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autofree char *now_text = NULL;
  const char *rows_sql = "SELECT group_concat(id || change_type || ifnull(old_content, '') || "
                         "new_content || version || created_at, '|') FROM (SELECT * FROM "
                         "document_changes ORDER BY id)";
  gint64 changes = count (fixture, "SELECT count(*) FROM document_changes");
  gint64 audit = count (fixture, "SELECT count(*) FROM user_activities");

  rows_before = pqs_test_query_text (fixture->db, rows_sql);

  /* A stale edit count: someone saved since the history was shown. */
  g_assert_false (pqs_history_restore (fixture->history, fixture->author, v0,
                                       pqs_document_get_edit_count (document) - 1, NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_CONFLICT);
  g_clear_error (&error);
  /* Someone who may not edit it. */
  g_assert_false (pqs_history_restore (fixture->history, fixture->other, v0, -1, NULL, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes);

  g_assert_true (pqs_history_restore (fixture->history, fixture->author, v0,
                                      pqs_document_get_edit_count (document), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes + 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit + 1);

  /* Nothing earlier was rewritten. */
  rows_after = pqs_test_query_text (fixture->db, rows_sql);
  g_assert_true (g_str_has_prefix (rows_after, rows_before));
  g_assert_cmpuint (strlen (rows_after), >, strlen (rows_before));

  restored = pqs_library_load_document (fixture->library, NULL, id, &error);
  now_text = pqs_document_render_canonical (restored);
  g_assert_cmpstr (now_text, ==, texts[0]);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE change_type = "
                                   "'restore' AND action = 'restore' AND change_summary = "
                                   "'Restored version 1' AND new_content = (SELECT new_content "
                                   "FROM document_changes WHERE id = %" G_GINT64_FORMAT ")", v0),
                   ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.restore' AND json_extract(details, "
                                   "'$.restored_change_id') = %" G_GINT64_FORMAT, v0), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT " AND text = 'What is the range of the radar "
                                   "(v0)?'", id), ==, 1);

  /* Restoring the version the document is at writes nothing. */
  g_assert_true (pqs_history_restore (fixture->history, fixture->author, v0, -1, NULL, &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes + 1);

  /* An approved document: the restore starts its next revision. */
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, id, NULL, &error));
  g_assert_true (pqs_history_restore (fixture->history, fixture->author,
                                      change_id (fixture, id, 3), -1, "Back to v2", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT version FROM documents WHERE id = %" G_GINT64_FORMAT,
                          id), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE id = %" G_GINT64_FORMAT
                                   " AND status = 'draft' AND approved_by IS NULL", id), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE document_id = %"
                                   G_GINT64_FORMAT " AND change_type = 'restore' AND version = 2 "
                                   "AND change_summary = 'Back to v2'", id), ==, 1);

  /* A row from before whole versions were kept can be compared, not restored. */
  pqs_test_exec (fixture->db, "UPDATE document_changes SET snapshot = NULL WHERE id = (SELECT "
                              "min(id) FROM document_changes)");
  g_assert_false (pqs_history_restore (fixture->history, fixture->author,
                                       count (fixture, "SELECT min(id) FROM document_changes"),
                                       -1, NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  for (guint i = 0; i < 3; i++)
    g_free (texts[i]);
  assert_chain_ok (fixture);
}

/* Restoring and its audit row are one transaction too. */
static void
test_restore_atomic (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = three_versions (fixture, NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *sql = "SELECT (SELECT group_concat(content || edit_count) FROM documents) || "
                    "(SELECT count(*) FROM document_changes) || (SELECT group_concat(text) FROM "
                    "document_items)";

  before = pqs_test_query_text (fixture->db, sql);
  pqs_test_exec (fixture->db, "CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON "
                              "main.user_activities BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  g_assert_false (pqs_history_restore (fixture->history, fixture->author,
                                       change_id (fixture, id, 1), -1, NULL, &error));
  g_assert_nonnull (strstr (error->message, "disk says no"));
  after = pqs_test_query_text (fixture->db, sql);
  g_assert_cmpstr (before, ==, after);
  pqs_test_exec (fixture->db, "DROP TRIGGER temp.refuse_audit");
  assert_chain_ok (fixture);
}

/* The diff ----------------------------------------------------------------- */

static char *
join_lines (const char * const *lines)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}

static void
test_diff_basics (void)
{
  g_autoptr(GPtrArray) hunks = NULL;
  g_autofree char *unified = NULL;
  guint added = 0, removed = 0;

  hunks = pqs_diff_lines ("a\nb\nc\n", "a\nb\nc\n", 3);
  g_assert_cmpuint (hunks->len, ==, 0);
  g_assert_false (pqs_diff_count (hunks, NULL, NULL));
  g_clear_pointer (&hunks, g_ptr_array_unref);

  hunks = pqs_diff_lines (NULL, "one\ntwo", 3);
  unified = pqs_diff_to_unified (hunks, NULL, NULL);
  g_assert_cmpstr (unified, ==, "@@ -0,0 +1,2 @@\n+one\n+two\n");
  g_clear_pointer (&hunks, g_ptr_array_unref);
  g_clear_pointer (&unified, g_free);

  hunks = pqs_diff_lines ("one\ntwo\n", "", 3);
  unified = pqs_diff_to_unified (hunks, "old", "new");
  g_assert_cmpstr (unified, ==, "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-one\n-two\n");
  g_clear_pointer (&hunks, g_ptr_array_unref);
  g_clear_pointer (&unified, g_free);

  /* Two changes far apart are two hunks, each with its context. */
  {
    const char *a[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", NULL };
    const char *b[] = { "1", "two", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
                        NULL };
    g_autofree char *ta = join_lines (a);
    g_autofree char *tb = join_lines (b);

    hunks = pqs_diff_lines (ta, tb, 2);
    unified = pqs_diff_to_unified (hunks, NULL, NULL);
    g_assert_cmpstr (unified, ==,
                     "@@ -1,4 +1,4 @@\n 1\n-2\n+two\n 3\n 4\n"
                     "@@ -11,2 +11,3 @@\n 11\n 12\n+13\n");
    g_assert_true (pqs_diff_count (hunks, &added, &removed));
    g_assert_cmpuint (added, ==, 2);
    g_assert_cmpuint (removed, ==, 1);
    g_clear_pointer (&hunks, g_ptr_array_unref);
    g_clear_pointer (&unified, g_free);

    /* Closer than twice the context: one hunk. */
    hunks = pqs_diff_lines (ta, tb, 5);
    g_assert_cmpuint (hunks->len, ==, 1);
  }
}

/* Random texts over a small alphabet: the diff rebuilds both texts and
 * keeps a longest common subsequence (checked against dynamic programming). */
static void
test_diff_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);

  for (guint round = 0; round < 3000; round++)
    {
      guint n = g_rand_int_range (rand, 0, 25);
      guint m = g_rand_int_range (rand, 0, 25);
      guint alphabet = g_rand_int_range (rand, 1, 5);
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);
      g_autoptr(GString) rebuilt_a = g_string_new (NULL);
      g_autoptr(GString) rebuilt_b = g_string_new (NULL);
      g_autoptr(GPtrArray) hunks = NULL;
      g_auto(GStrv) la = NULL;
      g_auto(GStrv) lb = NULL;
      g_autofree guint *table = NULL;
      guint same = 0;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (a, "%c\n", 'a' + g_rand_int_range (rand, 0, alphabet));
      for (guint i = 0; i < m; i++)
        g_string_append_printf (b, "%c\n", 'a' + g_rand_int_range (rand, 0, alphabet));

      hunks = pqs_diff_lines (a->str, b->str, 1000);
      for (guint h = 0; h < hunks->len; h++)
        {
          PqsDiffHunk *hunk = g_ptr_array_index (hunks, h);

          for (guint j = 0; j < hunk->lines->len; j++)
            {
              PqsDiffLine *line = g_ptr_array_index (hunk->lines, j);

              if (line->op != PQS_DIFF_ADDED)
                g_string_append_printf (rebuilt_a, "%s\n", line->text);
              if (line->op != PQS_DIFF_REMOVED)
                g_string_append_printf (rebuilt_b, "%s\n", line->text);
              same += line->op == PQS_DIFF_SAME;
            }
        }
      if (hunks->len == 0)
        {
          g_assert_cmpstr (a->str, ==, b->str);
          continue;
        }
      g_assert_cmpstr (rebuilt_a->str, ==, a->str);
      g_assert_cmpstr (rebuilt_b->str, ==, b->str);

      la = g_strsplit (a->str, "\n", -1);
      lb = g_strsplit (b->str, "\n", -1);
      table = g_new0 (guint, (n + 1) * (m + 1));
      for (int i = (int) n - 1; i >= 0; i--)
        for (int j = (int) m - 1; j >= 0; j--)
          table[i * (m + 1) + j] = g_str_equal (la[i], lb[j])
                                   ? table[(i + 1) * (m + 1) + j + 1] + 1
                                   : MAX (table[(i + 1) * (m + 1) + j],
                                          table[i * (m + 1) + j + 1]);
      g_assert_cmpuint (same, ==, table[0]);
    }
}

/* A long document with a change in the middle: one small hunk. */
static void
test_diff_large (void)
{
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);
  g_autoptr(GPtrArray) hunks = NULL;
  guint added = 0, removed = 0;

  for (guint i = 0; i < 20000; i++)
    {
      g_string_append_printf (a, "line %u\n", i);
      g_string_append_printf (b, i == 10000 ? "changed %u\n" : "line %u\n", i);
    }
  /* And a completely different text: no common line at all. */
  hunks = pqs_diff_lines (a->str, b->str, 3);
  g_assert_cmpuint (hunks->len, ==, 1);
  g_assert_true (pqs_diff_count (hunks, &added, &removed));
  g_assert_cmpuint (added, ==, 1);
  g_assert_cmpuint (removed, ==, 1);
  g_clear_pointer (&hunks, g_ptr_array_unref);

  g_string_truncate (b, 0);
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (b, "other %u\n", i);
  hunks = pqs_diff_lines (a->str, b->str, 3);
  g_assert_true (pqs_diff_count (hunks, &added, &removed));
  g_assert_cmpuint (added, ==, 3000);
  g_assert_cmpuint (removed, ==, 20000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/history/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("list", test_list);
  ADD ("show-and-compare", test_show_and_compare);
  ADD ("restore", test_restore);
  ADD ("restore-atomic", test_restore_atomic);
  g_test_add_func ("/history/diff/basics", test_diff_basics);
  g_test_add_func ("/history/diff/random", test_diff_random);
  g_test_add_func ("/history/diff/large", test_diff_large);

#undef ADD

  return g_test_run ();
}
