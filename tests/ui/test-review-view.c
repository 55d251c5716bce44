/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "pqs-document-summary.h"
#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-main-view.h"
#include "pqs-migrator.h"
#include "pqs-password.h"
#include "pqs-review-view.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* The review queue on a temporary database: a supervisor sees the sections
 * others submitted (never their own), approves one, and requests changes
 * on another with the comment it requires; a plain user has nothing to
 * review. Each step is checked in what the view shows and in what the
 * database holds. */

#define PASSWORD "a long enough password"

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

static gint64 fake_now;

static gint64
fake_clock_cb (gpointer data)
{
  return fake_now;
}

static void
remove_recursively (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_recursively (child);
        }
    }
  g_remove (path);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs the main loop (frames) until a row shows @text. */
static GtkWidget *
wait_for_label (GtkWidget  *widget,
                const char *text)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, timeout_cb, &timed_out);

  while (find_label (widget, text) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_nonnull (find_label (widget, text));
  return find_label (widget, text);
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  gint64 value = -1;

  g_assert_true (pqs_store_query_int64 (fixture->store, sql, &value, NULL));
  return value;
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  sqlite3_stmt *stmt = pqs_store_prepare (fixture->store, sql, NULL);
  char *text = NULL;

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

static PqsUser *
add_user (PqsStore   *store,
          PqsUser    *actor,
          const char *username,
          const char *full_name,
          PqsRole     role)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, full_name, NULL };
  PqsUser *user;

  if (actor == NULL)
    user = pqs_user_directory_create_first_admin (directory, &fields, PASSWORD, &error);
  else
    user = pqs_user_directory_create (directory, actor, &fields, role, PASSWORD, &error);
  g_assert_no_error (error);
  return user;
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
toast_cb (PqsReviewView *view,
          AdwToast      *toast,
          Fixture       *fixture)
{
  fixture->n_toasts++;
  g_free (fixture->last_toast);
  fixture->last_toast = g_strdup (adw_toast_get_title (toast));
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
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  fixture->session = pqs_session_sign_in (fixture->store, username, PASSWORD, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, 720, 600);
  fixture->view = g_object_ref (pqs_review_view_new ());
  g_signal_connect (fixture->view, "add-toast", G_CALLBACK (toast_cb), fixture);
  g_signal_connect (fixture->view, "open-document", G_CALLBACK (open_document_cb), fixture);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  pqs_review_view_set_session (fixture->view, fixture->session);
  gtk_window_present (fixture->window);
  drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) uma = NULL;
  g_autoptr(PqsUser) sam = NULL;
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  PqsStandardFields fields = { "Main Propulsion Assistant", "USS Example",
                               PQS_CLASSIFICATION_UNCLASSIFIED, NULL, "1", NULL };
  gint64 id;

  fixture->tmpdir = g_dir_make_tmp ("pqs-review-view-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->tmpdir, "pqs.db", NULL);
  fixture->store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fake_now = G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC;
  pqs_store_set_clock (fixture->store, fake_clock_cb, NULL);

  migrator = pqs_migrator_new (fixture->store);
  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error);
  g_assert_no_error (error);

  admin = add_user (fixture->store, NULL, "admin", "Ada Admin", PQS_ROLE_ADMIN);
  uma = add_user (fixture->store, admin, "uma", "Uma User", PQS_ROLE_USER);
  sam = add_user (fixture->store, admin, "sam", "Sam Supervisor", PQS_ROLE_SUPERVISOR);
  g_object_unref (add_user (fixture->store, admin, "sue", "Sue Supervisor",
                            PQS_ROLE_SUPERVISOR));

  library = pqs_library_new (fixture->store);
  standard = pqs_library_create_standard (library, uma, &fields, &error);
  g_assert_no_error (error);
  id = pqs_standard_get_id (standard);
  fixture->ids[0] = add_section (library, uma, id, 102, "Lubrication Fundamentals", TRUE);
  fake_now += G_USEC_PER_SEC;
  fixture->ids[1] = add_section (library, uma, id, 201, "Main Lubricating Oil System", TRUE);
  fake_now += G_USEC_PER_SEC;
  fixture->ids[2] = add_section (library, sam, id, 301, "Engineering Officer of the Watch",
                                 TRUE);
  fixture->ids[3] = add_section (library, uma, id, 202, "Main Feed System", FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (fixture->window);
      drain ();
      g_assert_finalize_object (fixture->window);
      g_assert_finalize_object (fixture->view);
    }
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->store);
  remove_recursively (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->last_toast);
}

static gpointer
view_child (Fixture    *fixture,
            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->view),
                                                  PQS_TYPE_REVIEW_VIEW, name);

  g_assert_nonnull (child);
  return child;
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

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
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
  g_assert_nonnull (find_label (list_view, "Lubrication Fundamentals"));
  g_assert_nonnull (find_label (list_view, "201"));
  g_assert_null (find_label (list_view, "Engineering Officer of the Watch"));

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
  g_autoptr(GError) error = NULL;
  PqsMainView *main_view;
  gboolean timed_out = FALSE;
  guint timeout_id;

  fixture->session = pqs_session_sign_in (fixture->store, "sam", PASSWORD, &error);
  g_assert_no_error (error);
  fixture->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, 900, 600);
  main_view = pqs_main_view_new ();
  gtk_window_set_child (fixture->window, GTK_WIDGET (main_view));
  fixture->view = g_object_ref (pqs_review_view_new ());
  pqs_main_view_add_view (main_view, "first", "First", "go-home-symbolic",
                          gtk_label_new ("The first view"), PQS_MAIN_VIEW_ANYONE);
  pqs_main_view_add_view (main_view, "review", "Review Queue", "object-select-symbolic",
                          GTK_WIDGET (fixture->view), PQS_ACTION_REVIEW_DOCUMENT);
  pqs_main_view_set_session (main_view, fixture->session);
  gtk_window_present (fixture->window);
  drain ();

  g_assert_cmpstr (pqs_main_view_get_visible_view (main_view), ==, "first");
  g_assert_true (pqs_main_view_is_view_available (main_view, "review"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (fixture->view)));
  g_assert_null (pqs_review_view_get_model (fixture->view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "stack")), ==, "empty");
  g_assert_cmpstr (adw_window_title_get_subtitle (view_child (fixture, "window_title")), ==, "");

  g_assert_true (pqs_main_view_show_view (main_view, "review"));
  timeout_id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->view)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

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
  g_autoptr(GError) error = NULL;
  PqsMainView *main_view;

  fixture->session = pqs_session_sign_in (fixture->store, "sam", PASSWORD, &error);
  g_assert_no_error (error);
  fixture->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, 900, 600);
  main_view = pqs_main_view_new ();
  gtk_window_set_child (fixture->window, GTK_WIDGET (main_view));
  pqs_main_view_add_view (main_view, "first", "First", "go-home-symbolic",
                          gtk_label_new ("The first view"), PQS_MAIN_VIEW_ANYONE);
  pqs_main_view_set_session (main_view, fixture->session);
  gtk_window_present (fixture->window);
  drain ();

  fixture->view = g_object_ref (pqs_review_view_new ());
  pqs_main_view_add_view (main_view, "review", "Review Queue", "object-select-symbolic",
                          GTK_WIDGET (fixture->view), PQS_ACTION_REVIEW_DOCUMENT);
  drain ();
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
  drain ();

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
  drain ();

  dialog = find_message_dialog ();
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
  drain ();
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
  drain ();
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
  drain ();

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
  g_autofree char *data_home = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  pqs_password_set_limits (1, 8192);

  data_home = g_dir_make_tmp ("pqs-ui-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  if (!gtk_init_check ())
    return 77;
  adw_init ();

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

  ret = g_test_run ();
  remove_recursively (data_home);
  return ret;
}
