/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "pqs-document-summary.h"
#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-main-view.h"
#include "pqs-review-view.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* The review queue on a temporary database: a supervisor sees the sections
 * others submitted (never their own), approves one, and requests changes
 * on another with the comment it requires; a plain user has nothing to
 * review. Each step is checked in what the view shows and in what the
 * database holds. */

typedef struct
{
  char          *tmpdir;
  PqsStore      *store;
  PqsSession    *session;
  GtkWindow     *window;
  PqsReviewView *view;
  guint          n_toasts;
  char          *last_toast;
  gint64         opened_id;
  gint64         ids[4];   /* 102, 201 by uma; 301 by sam; 202 by uma, a draft */
} Fixture;

/* Runs the main loop (frames) until a row shows @text. */
static GtkWidget *
wait_for_label (GtkWidget  *widget,
                const char *text)
{
  GtkWidget *label = pqs_ui_test_wait_for_label (widget, text, pqs_ui_test_find_visible_label,
                                                 5000);

  g_assert_nonnull (label);
  return label;
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_ui_test_query_int (fixture->store, sql);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  return pqs_ui_test_query_text (fixture->store, sql);
}

static gint64
add_section (PqsLibrary *library,
             PqsUser    *author,
             gint64      standard_id,
             guint       number,
             const char *title,
             gboolean    submit)
{
  g_autoptr(PqsWorkflow) workflow = pqs_workflow_new (library);
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = pqs_library_create_document (library, author, standard_id, number / 100 * 100,
                                          number, 0, title, &error);
  g_assert_no_error (error);
  if (submit)
    {
      pqs_workflow_submit (workflow, author, pqs_document_get_id (document), NULL, &error);
      g_assert_no_error (error);
    }
  return pqs_document_get_id (document);
}

static void
open_document_cb (PqsReviewView *view,
                  gint64         id,
                  Fixture       *fixture)
{
  fixture->opened_id = id;
}

static void
show_view (Fixture    *fixture,
           const char *username)
{
  g_clear_object (&fixture->session);
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->view = g_object_ref (pqs_review_view_new ());
  pqs_ui_test_watch_toasts (fixture->view, &fixture->n_toasts, &fixture->last_toast);
  g_signal_connect (fixture->view, "open-document", G_CALLBACK (open_document_cb), fixture);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->view), 720, 600);
  pqs_review_view_set_session (fixture->view, fixture->session);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) uma = NULL;
  g_autoptr(PqsUser) sam = NULL;
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  PqsStandardFields fields = { "Main Propulsion Assistant", "USS Example",
                               PQS_CLASSIFICATION_UNCLASSIFIED, NULL, "1", NULL };
  gint64 id;

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-review-view-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", NULL, PQS_ROLE_ADMIN);
  uma = pqs_ui_test_add_user (fixture->store, admin, "uma", "Uma User", NULL, PQS_ROLE_USER);
  sam = pqs_ui_test_add_user (fixture->store, admin, "sam", "Sam Supervisor", NULL,
                              PQS_ROLE_SUPERVISOR);
  g_object_unref (pqs_ui_test_add_user (fixture->store, admin, "sue", "Sue Supervisor", NULL,
                                        PQS_ROLE_SUPERVISOR));

  library = pqs_library_new (fixture->store);
  standard = pqs_library_create_standard (library, uma, &fields, &error);
  g_assert_no_error (error);
  id = pqs_standard_get_id (standard);
  fixture->ids[0] = add_section (library, uma, id, 102, "Lubrication Fundamentals", TRUE);
  pqs_test_clock_advance (G_USEC_PER_SEC);
  fixture->ids[1] = add_section (library, uma, id, 201, "Main Lubricating Oil System", TRUE);
  pqs_test_clock_advance (G_USEC_PER_SEC);
  fixture->ids[2] = add_section (library, sam, id, 301, "Engineering Officer of the Watch",
                                 TRUE);
  fixture->ids[3] = add_section (library, uma, id, 202, "Main Feed System", FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    pqs_ui_test_close_window (fixture->window, fixture->view);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
  g_free (fixture->last_toast);
}

static gpointer
view_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->view, PQS_TYPE_REVIEW_VIEW, name);
}

static gboolean
queue_has (Fixture *fixture,
           gint64   id)
{
  GListModel *model = pqs_review_view_get_model (fixture->view);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PqsDocumentSummary) summary = g_list_model_get_item (model, i);

      if (pqs_document_summary_get_id (summary) == id)
        return TRUE;
    }
  return FALSE;
}

static GtkTextBuffer *
comment_buffer (AdwMessageDialog *dialog)
{
  GtkWidget *scrolled = adw_message_dialog_get_extra_child (dialog);

  GtkWidget *text_view = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));

  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
}

/* Finds the button labelled @label in the row showing @title. */
static GtkWidget *
row_button (GtkWidget  *row_label,
            const char *label)
{
  GtkWidget *root = row_label;

  /* title label < texts < line < row root */
  for (guint i = 0; i < 3; i++)
    root = gtk_widget_get_parent (root);
  for (GtkWidget *box = gtk_widget_get_first_child (root); box != NULL;
       box = gtk_widget_get_next_sibling (box))
    for (GtkWidget *w = gtk_widget_get_first_child (box); w != NULL;
         w = gtk_widget_get_next_sibling (w))
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (w)), label) == 0)
        return w;
  return NULL;
}

/* Tests ---------------------------------------------------------------------------------- */

static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *list_view;
  GListModel *model;

  show_view (fixture, "sam");
  model = pqs_review_view_get_model (fixture->view);
  list_view = view_child (fixture, "list_view");

  /* uma's two sections in review, most recent first; not sam's own 301,
   * not uma's draft. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_true (queue_has (fixture, fixture->ids[0]));
  g_assert_true (queue_has (fixture, fixture->ids[1]));
  g_assert_false (queue_has (fixture, fixture->ids[2]));
  g_assert_false (queue_has (fixture, fixture->ids[3]));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "stack")), ==, "list");
  g_assert_cmpstr (adw_window_title_get_subtitle (view_child (fixture, "window_title")), ==,
                   "2 sections waiting");
  wait_for_label (list_view, "Main Lubricating Oil System");
  g_assert_nonnull (pqs_ui_test_find_visible_label (list_view, "Lubrication Fundamentals"));
  g_assert_nonnull (pqs_ui_test_find_visible_label (list_view, "201"));
  g_assert_null (pqs_ui_test_find_visible_label (list_view, "Engineering Officer of the Watch"));

  /* A row opens its section. */
  g_signal_emit_by_name (list_view, "activate", 0);
  g_assert_cmpint (fixture->opened_id, ==, fixture->ids[1]);
}

/* A hidden view (the workspace's, at sign-in) leaves the queue unread until
 * it is shown: the workspace hands it the session then. */
static void
test_read_when_shown (Fixture       *fixture,
                      gconstpointer  data)
{
  PqsMainView *main_view;

  fixture->session = pqs_ui_test_sign_in (fixture->store, "sam");
  main_view = pqs_main_view_new ();
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (main_view), 900, 600);
  fixture->view = g_object_ref (pqs_review_view_new ());
  pqs_main_view_add_view (main_view, "first", "First", "go-home-symbolic",
                          gtk_label_new ("The first view"), PQS_MAIN_VIEW_ANYONE);
  pqs_main_view_add_view (main_view, "review", "Review Queue", "object-select-symbolic",
                          GTK_WIDGET (fixture->view), PQS_ACTION_REVIEW_DOCUMENT);
  pqs_main_view_set_session (main_view, fixture->session);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();

  g_assert_cmpstr (pqs_main_view_get_visible_view (main_view), ==, "first");
  g_assert_true (pqs_main_view_is_view_available (main_view, "review"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
  g_assert_null (pqs_review_view_get_model (fixture->view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "stack")), ==, "empty");
  g_assert_cmpstr (adw_window_title_get_subtitle (view_child (fixture, "window_title")), ==, "");

  g_assert_true (pqs_main_view_show_view (main_view, "review"));
  pqs_ui_test_wait_until_mapped (GTK_WIDGET (fixture->view), 10000);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
  g_assert_true (pqs_review_view_get_session (fixture->view) == fixture->session);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "stack")), ==, "list");
  g_assert_cmpstr (adw_window_title_get_subtitle (view_child (fixture, "window_title")), ==,
                   "2 sections waiting");
}

/* The same for a view added to the workspace during a session. */
static void
test_read_when_shown_added_later (Fixture       *fixture,
                                  gconstpointer  data)
{
  PqsMainView *main_view;

  fixture->session = pqs_ui_test_sign_in (fixture->store, "sam");
  main_view = pqs_main_view_new ();
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (main_view), 900, 600);
  pqs_main_view_add_view (main_view, "first", "First", "go-home-symbolic",
                          gtk_label_new ("The first view"), PQS_MAIN_VIEW_ANYONE);
  pqs_main_view_set_session (main_view, fixture->session);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();

  fixture->view = g_object_ref (pqs_review_view_new ());
  pqs_main_view_add_view (main_view, "review", "Review Queue", "object-select-symbolic",
                          GTK_WIDGET (fixture->view), PQS_ACTION_REVIEW_DOCUMENT);
  pqs_ui_test_drain ();
  g_assert_null (pqs_review_view_get_session (fixture->view));
  g_assert_null (pqs_review_view_get_model (fixture->view));

  g_assert_true (pqs_main_view_show_view (main_view, "review"));
  g_assert_true (pqs_review_view_get_session (fixture->view) == fixture->session);
  g_assert_cmpuint (g_list_model_get_n_items (pqs_review_view_get_model (fixture->view)), ==, 2);
}

static void
test_approve (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *list_view;
  GtkWidget *title;
  GtkWidget *approve;
  g_autofree char *sql = NULL;

  show_view (fixture, "sam");
  list_view = view_child (fixture, "list_view");
  title = wait_for_label (list_view, "Lubrication Fundamentals");
  approve = row_button (title, "_Approve");
  g_assert_nonnull (approve);
  g_assert_true (gtk_widget_is_sensitive (approve));

  g_signal_emit_by_name (approve, "clicked");
  pqs_ui_test_drain ();

  sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE id = %" G_GINT64_FORMAT
                         " AND status = 'approved' AND approved_by = "
                         "(SELECT id FROM users WHERE username = 'sam')", fixture->ids[0]);
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM document_reviews WHERE document_id = %"
                         G_GINT64_FORMAT " AND decision = 'approved'", fixture->ids[0]);
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  g_assert_cmpstr (fixture->last_toast, ==, "102 Lubrication Fundamentals approved");

  /* It leaves the queue. */
  g_assert_cmpuint (g_list_model_get_n_items (pqs_review_view_get_model (fixture->view)), ==, 1);
  g_assert_false (queue_has (fixture, fixture->ids[0]));
  g_assert_cmpstr (adw_window_title_get_subtitle (view_child (fixture, "window_title")), ==,
                   "1 section waiting");

  /* Approving it again is refused by the model, as a sentence. */
  g_assert_false (pqs_review_view_approve (fixture->view, fixture->ids[0]));
  g_assert_nonnull (fixture->last_toast);
  g_assert_null (strstr (fixture->last_toast, "SQL"));
}

static void
test_request_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  AdwMessageDialog *dialog;
  GtkTextBuffer *buffer;
  GtkWidget *title;
  GtkWidget *request;
  g_autofree char *sql = NULL;
  g_autofree char *comment = NULL;
  gpointer weak;

  show_view (fixture, "sam");
  title = wait_for_label (view_child (fixture, "list_view"), "Main Lubricating Oil System");
  request = row_button (title, "Request _Changes…");
  g_assert_nonnull (request);
  g_signal_emit_by_name (request, "clicked");
  pqs_ui_test_drain ();

  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "201 Main Lubricating Oil System"));

  /* The comment is required: no request while it is empty or blank. */
  buffer = comment_buffer (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "request"));
  gtk_text_buffer_set_text (buffer, "   \n ", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "request"));
  gtk_text_buffer_set_text (buffer, "Add the standby pump's auto-start set point.", -1);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "request"));

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  adw_message_dialog_response (dialog, "request");
  gtk_window_close (GTK_WINDOW (dialog));
  pqs_ui_test_drain ();
  g_assert_null (weak);

  /* Back to uma as a draft, with the comment kept. */
  sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE id = %" G_GINT64_FORMAT
                         " AND status = 'draft'", fixture->ids[1]);
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT comment FROM document_reviews WHERE document_id = %"
                         G_GINT64_FORMAT " AND decision = 'changes_requested' AND reviewer_id = "
                         "(SELECT id FROM users WHERE username = 'sam')", fixture->ids[1]);
  comment = query_text (fixture, sql);
  g_assert_cmpstr (comment, ==, "Add the standby pump's auto-start set point.");
  g_assert_cmpstr (fixture->last_toast, ==, "Changes requested on 201 Main Lubricating Oil System");
  g_assert_false (queue_has (fixture, fixture->ids[1]));

  /* Cancelling writes nothing. */
  dialog = pqs_review_view_request_changes (fixture->view, fixture->ids[0]);
  gtk_text_buffer_set_text (comment_buffer (dialog), "Never sent.", -1);
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  pqs_ui_test_drain ();
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE id = %" G_GINT64_FORMAT
                         " AND status = 'in_review'", fixture->ids[0]);
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_reviews "
                                       "WHERE comment = 'Never sent.'"), ==, 0);
}

static void
test_own_and_others (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *model;

  /* sue, another supervisor, has all three; sam's own is hers to review. */
  show_view (fixture, "sue");
  model = pqs_review_view_get_model (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_true (queue_has (fixture, fixture->ids[2]));
}

static void
test_nothing_to_review (Fixture       *fixture,
                        gconstpointer  data)
{
  /* A user reviews nothing, and the view says who does. */
  show_view (fixture, "uma");
  g_assert_cmpuint (g_list_model_get_n_items (pqs_review_view_get_model (fixture->view)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (view_child (fixture, "empty_page")), ==,
                   "Nothing to Review");
  g_assert_cmpstr (adw_status_page_get_description (view_child (fixture, "empty_page")), ==,
                   "Supervisors and administrators review sections.");
  {
    const char *subtitle = adw_window_title_get_subtitle (view_child (fixture, "window_title"));

    g_assert_true (subtitle == NULL || *subtitle == '\0');
  }
}

static void
test_queue_empties (Fixture       *fixture,
                    gconstpointer  data)
{
  show_view (fixture, "sam");
  g_assert_true (pqs_review_view_approve (fixture->view, fixture->ids[0]));
  g_assert_true (pqs_review_view_approve (fixture->view, fixture->ids[1]));
  pqs_ui_test_drain ();

  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_description (view_child (fixture, "empty_page")), ==,
                   "Sections that others submit for review show here.");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents WHERE status = 'approved'"),
                   ==, 2);
}

/* Screenshots ------------------------------------------------------------------------------ */

static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  int width = 720, height = 600;
  const char *user = "sam";

  fixture_set_up (&fixture, NULL);
  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "dark"))
        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            ADW_COLOR_SCHEME_FORCE_DARK);
      else if (g_str_has_prefix (parts[i], "user="))
        user = parts[i] + strlen ("user=");
    }

  show_view (&fixture, user);
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "Review Queue");

  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "request"))
      pqs_review_view_request_changes (fixture.view, fixture.ids[1]);

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

  if (g_getenv ("PQS_REVIEW_VIEW_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_REVIEW_VIEW_SHOW"));

#define ADD(path, func) \
  g_test_add ("/review-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("queue", test_queue);
  ADD ("read-when-shown", test_read_when_shown);
  ADD ("read-when-shown-added-later", test_read_when_shown_added_later);
  ADD ("approve", test_approve);
  ADD ("request-changes", test_request_changes);
  ADD ("own-and-others", test_own_and_others);
  ADD ("nothing-to-review", test_nothing_to_review);
  ADD ("queue-empties", test_queue_empties);
#undef ADD

  return pqs_ui_test_run ();
}
