/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "pqs-document.h"
#include "pqs-history-pane.h"
#include "pqs-library.h"
#include "pqs-outline.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* The history pane on a temporary database: a document saved a few times
 * and taken through review with the model (PqsLibrary, PqsWorkflow); the
 * pane lists who did what and when, shows the line diff of two versions
 * and of one version against the current text, and restores a version as
 * a new change after its confirmation, refusing when someone saved in
 * between. Each step is checked in what the pane shows and in the
 * database. */

#define ADDED_QUESTION "What is the normal lube oil pressure?"

typedef struct
{
  char           *tmpdir;
  PqsStore       *store;
  PqsLibrary     *library;
  PqsWorkflow    *workflow;
  PqsUser        *author;
  PqsUser        *chief;
  PqsStandard    *standard;
  PqsDocument    *document;
  PqsSession     *session;
  GtkWindow      *window;
  PqsHistoryPane *pane;
  guint           n_toasts;
  char           *last_toast;
  guint           n_restored;
  gint64          restored_id;
} Fixture;

static void
tick (void)
{
  pqs_test_clock_advance (60 * G_USEC_PER_SEC);
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_ui_test_query_int (fixture->store, sql);
}

static GPtrArray *
outline_new (gboolean with_added_question)
{
  GPtrArray *outline = pqs_outline_new ();

  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0,
                                                  "Describe the lube oil system.",
                                                  "Sump, pumps, strainers, coolers.", NULL));
  if (with_added_question)
    g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, ADDED_QUESTION,
                                                    "18 to 22 psi", NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SIGNATURE, 0, "Qualifier", NULL,
                                                  NULL));
  return outline;
}

static void
save (Fixture    *fixture,
      const char *body,
      gboolean    with_added_question)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outline = outline_new (with_added_question);

  tick ();
  pqs_document_set_body (fixture->document, body);
  pqs_document_set_outline (fixture->document, outline);
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, fixture->document,
                                            NULL, PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
}

static void
restored_cb (PqsHistoryPane *pane,
             gint64          change_id,
             Fixture        *fixture)
{
  fixture->n_restored++;
  fixture->restored_id = change_id;
}

static void
show_pane (Fixture    *fixture,
           const char *username)
{
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->pane = g_object_ref (pqs_history_pane_new ());
  pqs_ui_test_watch_toasts (fixture->pane, &fixture->n_toasts, &fixture->last_toast);
  g_signal_connect (fixture->pane, "restored", G_CALLBACK (restored_cb), fixture);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->pane), 480, 720);
  pqs_history_pane_set_session (fixture->pane, fixture->session);
  pqs_history_pane_set_document_id (fixture->pane, pqs_document_get_id (fixture->document));
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  PqsStandardFields standard = { "Main Propulsion Assistant", "USS Example (DDG 999)",
                                 PQS_CLASSIFICATION_UNCLASSIFIED, NULL, "A", NULL };

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-history-pane-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", "CDR", PQS_ROLE_ADMIN);
  fixture->author = pqs_ui_test_add_user (fixture->store, admin, "writer", "Wes Writer", "PO1",
                                          PQS_ROLE_USER);
  fixture->chief = pqs_ui_test_add_user (fixture->store, admin, "chief", "Cora Chief", "CWO2",
                                         PQS_ROLE_SUPERVISOR);

  fixture->library = pqs_library_new (fixture->store);
  fixture->workflow = pqs_workflow_new (fixture->library);
  fixture->standard = pqs_library_create_standard (fixture->library, fixture->author, &standard,
                                                   &error);
  g_assert_no_error (error);
  tick ();
  fixture->document = pqs_library_create_document (fixture->library, fixture->author,
                                                   pqs_standard_get_id (fixture->standard),
                                                   200, 201, 0, "Lube Oil System", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    pqs_ui_test_close_window (fixture->window, fixture->pane);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->document);
  g_clear_object (&fixture->standard);
  g_clear_object (&fixture->workflow);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->author);
  g_clear_object (&fixture->chief);
  g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
  g_free (fixture->last_toast);
}

/* Looking into the widgets -------------------------------------------------------- */

static GtkWidget *
pane_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->pane, PQS_TYPE_HISTORY_PANE, name);
}

/* The first label of a row: what happened. */
static const char *
row_title (GtkListBoxRow *row)
{
  GtkWidget *widget = GTK_WIDGET (row);

  while (widget != NULL && !GTK_IS_LABEL (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      /* Depth first, skipping the icon. */
      while (child != NULL && GTK_IS_IMAGE (child))
        child = gtk_widget_get_next_sibling (child);
      widget = child;
    }
  g_assert_nonnull (widget);
  return gtk_label_get_text (GTK_LABEL (widget));
}

/* The label under it: who, when, the version. */
static const char *
row_subtitle (GtkListBoxRow *row)
{
  GtkWidget *title = NULL;
  GtkWidget *widget = GTK_WIDGET (row);

  row_title (row);
  while (widget != NULL && !GTK_IS_LABEL (widget))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      while (child != NULL && GTK_IS_IMAGE (child))
        child = gtk_widget_get_next_sibling (child);
      widget = child;
    }
  title = widget;
  g_assert_true (GTK_IS_LABEL (gtk_widget_get_next_sibling (title)));
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (title)));
}

static GPtrArray *
row_titles (Fixture *fixture)
{
  GtkListBox *list_box = GTK_LIST_BOX (pane_child (fixture, "list_box"));
  GPtrArray *titles = g_ptr_array_new ();
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    g_ptr_array_add (titles, (gpointer) row_title (row));
  return titles;
}

/* The @nth row (from the top: newest first) whose title is @title. */
static GtkListBoxRow *
find_row (Fixture    *fixture,
          const char *title,
          guint       nth)
{
  GtkListBox *list_box = GTK_LIST_BOX (pane_child (fixture, "list_box"));
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    if (g_str_equal (row_title (row), title) && nth-- == 0)
      return row;
  g_assert_not_reached ();
}

static char *
diff_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane_child (fixture,
                                                                               "diff_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Whether the line holding @text carries the tag @tag_name. */
static gboolean
line_has_tag (Fixture    *fixture,
              const char *text,
              const char *tag_name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (pane_child (fixture,
                                                                               "diff_view")));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_forward_search (&start, text, 0, &match_start, &match_end, NULL))
    return FALSE;
  return gtk_text_iter_has_tag (&match_start, tag);
}

static void
select_rows (Fixture       *fixture,
             GtkListBoxRow *first,
             GtkListBoxRow *second)
{
  GtkListBox *list_box = GTK_LIST_BOX (pane_child (fixture, "list_box"));

  gtk_list_box_unselect_all (list_box);
  gtk_list_box_select_row (list_box, first);
  if (second != NULL)
    gtk_list_box_select_row (list_box, second);
  pqs_ui_test_drain ();
}

/* Answers the open message dialog as a click on @response would. */
static void
respond (const char *response)
{
  AdwMessageDialog *dialog = pqs_ui_test_find_message_dialog ();

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  pqs_ui_test_drain ();
}

/* The tests ----------------------------------------------------------------------- */

static void
test_list_and_diff (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) titles = NULL;
  g_autofree char *text = NULL;
  const char *expected[] = {
    "Approved", "Submitted", "Saved", "Changes requested: Add the normal pressure.",
    "Comment: Looks close.", "Submitted", "Saved", "Saved", "Created",
  };
  gint64 document_id = pqs_document_get_id (fixture->document);

  save (fixture, "Trace the oil from the sump to the bearings.", FALSE);
  save (fixture, "Trace the oil from the sump to the bearings and back.", FALSE);
  tick ();
  pqs_workflow_submit (fixture->workflow, fixture->author, document_id, NULL, &error);
  g_assert_no_error (error);
  tick ();
  pqs_workflow_comment (fixture->workflow, fixture->chief, document_id, "Looks close.", &error);
  g_assert_no_error (error);
  tick ();
  pqs_workflow_request_changes (fixture->workflow, fixture->chief, document_id,
                                "Add the normal pressure.", &error);
  g_assert_no_error (error);
  g_assert_true (pqs_library_reload_document (fixture->library, fixture->document, &error));
  save (fixture, "Trace the oil from the sump to the bearings and back.", TRUE);
  tick ();
  pqs_workflow_submit (fixture->workflow, fixture->author, document_id, NULL, &error);
  g_assert_no_error (error);
  tick ();
  pqs_workflow_approve (fixture->workflow, fixture->chief, document_id, NULL, &error);
  g_assert_no_error (error);

  show_pane (fixture, "writer");

  /* Newest first; the review written with its step is not listed twice. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (pane_child (fixture, "stack"))),
                   ==, "history");
  titles = row_titles (fixture);
  g_assert_cmpuint (titles->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (pqs_history_pane_get_n_entries (fixture->pane), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (titles, i), ==, expected[i]);

  /* Who and when, and the revision. */
  {
    gint64 seconds = pqs_test_clock_now () / G_USEC_PER_SEC;
    g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);
    g_autoptr(GDateTime) local = g_date_time_to_local (time);
    g_autofree char *when = g_date_time_format (local, "%-d %b %Y, %H:%M");
    g_auto(GStrv) words = g_strsplit (when, " ", -1);
    g_autofree char *unbroken = g_strjoinv ("\xc2\xa0", words);
    /* No break inside the date or the version: a narrow pane wraps between them. */
    g_autofree char *expected_subtitle = g_strdup_printf ("CWO2 Cora Chief · %s · "
                                                          "Version\xc2\xa0" "1", unbroken);

    g_assert_cmpstr (row_subtitle (find_row (fixture, "Approved", 0)), ==, expected_subtitle);
  }

  /* Nothing selected: a hint, and nothing to restore. (The list's first focus
   * selects its top row, as keyboard navigation does.) */
  gtk_list_box_unselect_all (GTK_LIST_BOX (pane_child (fixture, "list_box")));
  pqs_ui_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (pane_child (fixture,
                                                                            "diff_stack"))),
                   ==, "hint");
  g_assert_null (pqs_history_pane_get_diff_summary (fixture->pane));

  /* Two versions selected: the second save against the one with the added question. */
  select_rows (fixture, find_row (fixture, "Saved", 1), find_row (fixture, "Saved", 0));
  text = diff_text (fixture);
  g_assert_nonnull (strstr (text, "+ "));
  g_assert_nonnull (strstr (text, ADDED_QUESTION));
  g_assert_true (line_has_tag (fixture, ADDED_QUESTION, "added"));
  g_assert_false (line_has_tag (fixture, ADDED_QUESTION, "removed"));
  g_assert_nonnull (pqs_history_pane_get_diff_summary (fixture->pane));
  g_assert_cmpstr (pqs_history_pane_get_diff_summary (fixture->pane), ==, "2 lines added");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pane_child (fixture, "diff_summary"))), ==,
                   pqs_history_pane_get_diff_summary (fixture->pane));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (pane_child (fixture, "diff_title"))),
                           " → "));
  g_clear_pointer (&text, g_free);

  /* One version against the current text: the first save lacks the question and its
   * body line changed since. */
  select_rows (fixture, find_row (fixture, "Saved", 2), NULL);
  g_assert_true (gtk_widget_get_sensitive (pane_child (fixture, "compare_drop_down")));
  text = diff_text (fixture);
  g_assert_true (line_has_tag (fixture, ADDED_QUESTION, "added"));
  g_assert_true (line_has_tag (fixture, "Trace the oil from the sump to the bearings.",
                               "removed"));
  g_assert_cmpstr (pqs_history_pane_get_diff_summary (fixture->pane), ==,
                   "3 lines added, 1 removed");
  g_clear_pointer (&text, g_free);

  /* Against the version before it instead. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (pane_child (fixture, "compare_drop_down")), 1);
  pqs_ui_test_drain ();
  text = diff_text (fixture);
  g_assert_true (line_has_tag (fixture, "Trace the oil from the sump to the bearings.", "added"));
  g_assert_null (strstr (text, ADDED_QUESTION));
  g_clear_pointer (&text, g_free);

  /* A review of its own is read, not selected; the step that requested the
   * changes is a version like the others. */
  g_assert_false (gtk_list_box_row_get_selectable (find_row (fixture, "Comment: Looks close.", 0)));
  g_assert_true (gtk_list_box_row_get_selectable (
    find_row (fixture, "Changes requested: Add the normal pressure.", 0)));

  /* The author may not restore an approved document's version without revising it,
   * which authors may: the button shows for the selected version. */
  g_assert_cmpuint (fixture->n_toasts, ==, 0);
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PqsDocument) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *current_text = NULL;
  gint64 document_id = pqs_document_get_id (fixture->document);
  gint64 first_save;
  GtkWidget *restore_button;

  save (fixture, "Version one.", FALSE);
  first_text = pqs_document_render_canonical (fixture->document);
  first_save = query_int (fixture, "SELECT max(id) FROM document_changes");
  save (fixture, "Version two.", TRUE);
  current_text = pqs_document_render_canonical (fixture->document);

  show_pane (fixture, "writer");
  restore_button = pane_child (fixture, "restore_button");
  g_assert_true (gtk_widget_get_visible (pane_child (fixture, "action_bar")));

  /* The current version is not restored over itself. */
  select_rows (fixture, find_row (fixture, "Saved", 0), NULL);
  g_assert_false (gtk_widget_is_sensitive (restore_button));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pane_child (fixture, "restore_note"))), ==,
                   "This version is the current text.");

  /* Two selected: nothing to restore. */
  select_rows (fixture, find_row (fixture, "Saved", 0), find_row (fixture, "Saved", 1));
  g_assert_false (gtk_widget_is_sensitive (restore_button));

  /* The first save: asked, then cancelled: nothing written. */
  select_rows (fixture, find_row (fixture, "Saved", 1), NULL);
  g_assert_true (gtk_widget_is_sensitive (restore_button));
  g_signal_emit_by_name (restore_button, "clicked");
  pqs_ui_test_drain ();
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (
                                     pqs_ui_test_find_message_dialog ()),
                                   "Restore the Version of "));
  respond ("cancel");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_changes "
                                       "WHERE change_type = 'restore'"), ==, 0);

  /* Someone saves while the question is open: the restore is refused. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->pane), "history.restore", NULL);
  pqs_ui_test_drain ();
  g_assert_nonnull (pqs_ui_test_find_message_dialog ());
  save (fixture, "Version three, by someone else in between.", TRUE);
  respond ("restore");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_changes "
                                       "WHERE change_type = 'restore'"), ==, 0);
  g_assert_cmpuint (fixture->n_restored, ==, 0);
  g_assert_cmpuint (fixture->n_toasts, ==, 1);
  g_assert_nonnull (strstr (fixture->last_toast, "changed by someone else"));
  /* The pane shows the new version at once. */
  g_assert_cmpuint (pqs_history_pane_get_n_entries (fixture->pane), ==, 4);

  /* Again, now on the latest history: a new change, not a rewrite. */
  select_rows (fixture, find_row (fixture, "Saved", 2), NULL);
  g_assert_true (gtk_widget_is_sensitive (restore_button));
  g_signal_emit_by_name (restore_button, "clicked");
  pqs_ui_test_drain ();
  respond ("restore");

  g_assert_cmpuint (fixture->n_restored, ==, 1);
  g_assert_cmpint (fixture->restored_id, ==, first_save);
  g_assert_true (g_str_has_prefix (fixture->last_toast, "The version of "));
  g_assert_true (g_str_has_suffix (fixture->last_toast, " was restored"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_changes "
                                       "WHERE change_type = 'restore' AND action = 'restore'"),
                   ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM document_changes "
                                            "WHERE document_id = %" G_GINT64_FORMAT, document_id);

    /* Created, three saves, the restore: nothing rewritten. */
    g_assert_cmpint (query_int (fixture, sql), ==, 5);
  }
  reloaded = pqs_library_load_document (fixture->library, fixture->author, document_id, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = pqs_document_render_canonical (reloaded);

    g_assert_cmpstr (text, ==, first_text);
    g_assert_cmpstr (pqs_document_get_body (reloaded), ==, "Version one.");
  }

  /* Listed on top, and the restored version is the current text now. */
  g_assert_cmpuint (pqs_history_pane_get_n_entries (fixture->pane), ==, 5);
  g_assert_true (g_str_has_prefix (
    row_title (gtk_list_box_get_row_at_index (GTK_LIST_BOX (pane_child (fixture, "list_box")), 0)),
    "Restored the version of "));
  g_assert_true (pqs_history_pane_compare (fixture->pane, first_save, 0));
  g_assert_cmpstr (pqs_history_pane_get_diff_summary (fixture->pane), ==, "No differences");
  g_assert_false (gtk_widget_is_sensitive (restore_button));
}

static void
test_reader (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) reader = NULL;
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (fixture->store);

  save (fixture, "Only version.", FALSE);
  admin = pqs_user_directory_lookup_by_username (directory, "admin", &error);
  g_assert_no_error (error);
  reader = pqs_ui_test_add_user (fixture->store, admin, "reader", "Rita Reader", NULL,
                                 PQS_ROLE_USER);

  /* Someone else's draft: not theirs to read. */
  show_pane (fixture, "reader");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (pane_child (fixture, "stack"))),
                   ==, "empty");
  g_assert_cmpuint (pqs_history_pane_get_n_entries (fixture->pane), ==, 0);

  /* No document: empty. */
  pqs_history_pane_set_document_id (fixture->pane, 0);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (pane_child (fixture,
                                                                          "empty_page"))),
                   ==, "No History");

  /* Its approved version is everyone's, but only to read. */
  tick ();
  pqs_workflow_submit (fixture->workflow, fixture->author, pqs_document_get_id (fixture->document),
                       NULL, &error);
  g_assert_no_error (error);
  tick ();
  pqs_workflow_approve (fixture->workflow, fixture->chief, pqs_document_get_id (fixture->document),
                        "Good.", &error);
  g_assert_no_error (error);
  pqs_history_pane_set_document_id (fixture->pane, pqs_document_get_id (fixture->document));
  pqs_ui_test_drain ();
  g_assert_cmpuint (pqs_history_pane_get_n_entries (fixture->pane), ==, 4);
  g_assert_cmpstr (row_title (find_row (fixture, "Approved: Good.", 0)), ==, "Approved: Good.");
  g_assert_false (gtk_widget_get_visible (pane_child (fixture, "action_bar")));
}

/* A window to look at: PQS_HISTORY_PANE_SHOW="WIDTHxHEIGHT[,dark]". */
static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 document_id;
  int width = 480, height = 720;

  fixture_set_up (&fixture, NULL);
  document_id = pqs_document_get_id (fixture.document);
  save (&fixture, "Trace the oil from the sump to the bearings.", FALSE);
  save (&fixture, "Trace the oil from the sump to the bearings and back.", FALSE);
  tick ();
  pqs_workflow_submit (fixture.workflow, fixture.author, document_id, NULL, &error);
  tick ();
  pqs_workflow_request_changes (fixture.workflow, fixture.chief, document_id,
                                "Add the normal pressure, and say where the gauge is so a "
                                "trainee can find it on the first walk-through.", &error);
  pqs_library_reload_document (fixture.library, fixture.document, &error);
  save (&fixture, "Trace the oil from the sump to the bearings and back.", TRUE);
  g_assert_no_error (error);

  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "dark"))
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);

  show_pane (&fixture, "writer");
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "History");
  select_rows (&fixture, find_row (&fixture, "Saved", 2), NULL);
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "two"))
      select_rows (&fixture, find_row (&fixture, "Saved", 1), find_row (&fixture, "Saved", 0));

  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

  if (g_getenv ("PQS_HISTORY_PANE_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_HISTORY_PANE_SHOW"));

#define ADD(path, func) \
  g_test_add ("/history-pane/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list-and-diff", test_list_and_diff);
  ADD ("restore", test_restore);
  ADD ("reader", test_reader);
#undef ADD

  return pqs_ui_test_run ();
}
