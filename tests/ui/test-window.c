/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include "pqs-application.h"
#include "pqs-backup-service.h"
#include "pqs-backups-page.h"
#include "pqs-demo-seeder.h"
#include "pqs-main-view.h"
#include "pqs-migrator.h"
#include "pqs-review-view.h"
#include "pqs-session.h"
#include "pqs-sign-in-view.h"
#include "pqs-standards-view.h"
#include "pqs-user.h"
#include "pqs-settings.h"
#include "pqs-store.h"
#include "pqs-system-view.h"
#include "pqs-ui-test-util.h"
#include "pqs-window.h"

typedef struct
{
  char *tmpdir;
  char *db_path;
} Fixture;

static void
set_backup_schedule (const char *schedule)
{
  g_autoptr(GSettings) settings = pqs_settings_new ();

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "backup-schedule", schedule);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-ui-test-XXXXXX");
  fixture->db_path = g_build_filename (fixture->tmpdir, "pqs-desk", "pqs.db", NULL);
  g_setenv ("PQS_DB", fixture->db_path, TRUE);

  /* Scheduled backups have a test of their own; elsewhere they stay out of the way. */
  set_backup_schedule ("off");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_pointer (&fixture->db_path, g_free);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
loaded_cb (gpointer data)
{
  return pqs_window_get_state (data) != PQS_WINDOW_STATE_LOADING;
}

/* Iterate the main context until the window leaves the loading page. */
static void
wait_until_loaded (PqsWindow *window)
{
  g_assert_true (pqs_ui_test_wait_until (loaded_cb, window, 30000));

  /* Let the page switch and the status page settle. */
  pqs_ui_test_drain ();
}

static GtkWidget *
template_child (PqsWindow  *window,
                const char *name)
{
  return pqs_ui_test_template_child (window, PQS_TYPE_WINDOW, name);
}

/* The first view of the workspace: the standards. */
static PqsStandardsView *
standards_view (PqsWindow *window)
{
  GtkWidget *main_view = template_child (window, "main_view");
  GObject *stack = gtk_widget_get_template_child (main_view, PQS_TYPE_MAIN_VIEW, "content_stack");
  GtkWidget *view = gtk_stack_get_child_by_name (GTK_STACK (stack), "standards");

  g_assert_true (PQS_IS_STANDARDS_VIEW (view));
  return PQS_STANDARDS_VIEW (view);
}

/* Runs the main loop until @widget maps: the page switches and the leaflet
 * take a few frames, on a slow machine too. */
static void
wait_until_mapped (GtkWidget *widget)
{
  g_assert_true (pqs_ui_test_wait_until_mapped (widget, 10000));
}

/* Whether the keyboard focus is in the standards' search entry (in the
 * GtkText inside it). */
static gboolean
focus_in_search (PqsWindow *window)
{
  GObject *entry = gtk_widget_get_template_child (GTK_WIDGET (standards_view (window)),
                                                  PQS_TYPE_STANDARDS_VIEW, "search_entry");
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  g_assert_true (GTK_IS_SEARCH_ENTRY (entry));
  return focus != NULL &&
         (focus == GTK_WIDGET (entry) || gtk_widget_is_ancestor (focus, GTK_WIDGET (entry)));
}

static void
set_row (PqsSignInView *view,
         const char    *row,
         const char    *text)
{
  GObject *child = pqs_ui_test_template_child (view, PQS_TYPE_SIGN_IN_VIEW, row);

  gtk_editable_set_text (GTK_EDITABLE (child), text);
}

static void
press_submit (PqsSignInView *view)
{
  GObject *button = pqs_ui_test_template_child (view, PQS_TYPE_SIGN_IN_VIEW, "submit_button");

  g_signal_emit_by_name (button, "clicked");
}

/* Fills the fixture's database with demo standards and @n_documents
 * sections; returns an administrator's username (their password is
 * "a long enough password"). */
static char *
seed_database (Fixture *fixture,
               guint    n_documents,
               gint64  *out_n_standards)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  sqlite3_stmt *stmt;
  char *admin;

  store = pqs_store_open (fixture->db_path, PQS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  seeder = pqs_demo_seeder_new (store);
  pqs_demo_seeder_set_documents (seeder, n_documents);
  pqs_demo_seeder_set_password (seeder, "a long enough password");
  g_assert_true (pqs_demo_seeder_run (seeder, NULL, &error));
  g_assert_no_error (error);
  if (out_n_standards != NULL)
    g_assert_true (pqs_store_query_int64 (store, "SELECT count(*) FROM standards",
                                          out_n_standards, &error));
  stmt = pqs_store_prepare (store, "SELECT username FROM users WHERE role = "
                                   "'admin' AND is_active = 1 LIMIT 1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  admin = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  pqs_store_close (store);

  return admin;
}

/* A new workstation asks for its administrator first, and only then shows
 * the workspace. */
static void
create_first_admin (PqsWindow *window)
{
  PqsSignInView *view = PQS_SIGN_IN_VIEW (template_child (window, "sign_in_view"));
  GtkStack *stack = GTK_STACK (template_child (window, "stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "sign-in");
  g_assert_cmpint (pqs_sign_in_view_get_mode (view), ==, PQS_SIGN_IN_MODE_FIRST_ADMIN);
  g_assert_null (pqs_window_get_session (window));

  set_row (view, "admin_username_row", "admin");
  set_row (view, "admin_full_name_row", "Ada Admin");
  set_row (view, "admin_email_row", "admin@example.org");
  set_row (view, "admin_password_row", "a long enough password");
  set_row (view, "admin_confirm_row", "a long enough password");
  press_submit (view);

  g_assert_null (pqs_sign_in_view_get_error (view));
  g_assert_nonnull (pqs_window_get_session (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "workspace");
}

/* Signs @username in through the window's sign-in page: the workspace shows. */
static void
sign_in_as (PqsWindow  *window,
            const char *username)
{
  PqsSignInView *view = PQS_SIGN_IN_VIEW (template_child (window, "sign_in_view"));

  g_assert_cmpint (pqs_sign_in_view_get_mode (view), ==, PQS_SIGN_IN_MODE_SIGN_IN);
  set_row (view, "username_row", username);
  set_row (view, "password_row", "a long enough password");
  press_submit (view);
  g_assert_null (pqs_sign_in_view_get_error (view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (window, "stack"))),
                   ==, "workspace");
}

/* Typing after sign-in (or an unlock on the standards) searches the
 * standards: the search entry has the focus, not the Main Menu button. */
static void
test_window_focus_after_sign_in (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autofree char *admin = seed_database (fixture, 4, NULL);
  PqsWindow *window;
  PqsSignInView *view;
  GtkWidget *menu_button;

  window = g_object_ref (pqs_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);

  sign_in_as (window, admin);
  view = PQS_SIGN_IN_VIEW (template_child (window, "sign_in_view"));
  wait_until_mapped (GTK_WIDGET (standards_view (window)));
  pqs_ui_test_drain ();
  g_assert_true (focus_in_search (window));

  /* Locked while the focus was on the Main Menu button, and unlocked: the
   * standards are shown, so the search has the focus again. */
  menu_button = GTK_WIDGET (gtk_widget_get_template_child (template_child (window, "main_view"),
                                                           PQS_TYPE_MAIN_VIEW,
                                                           "primary_menu_button"));
  g_assert_true (gtk_widget_grab_focus (menu_button));
  g_assert_false (focus_in_search (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL);
  g_assert_cmpint (pqs_sign_in_view_get_mode (view), ==, PQS_SIGN_IN_MODE_UNLOCK);
  pqs_ui_test_drain ();
  g_assert_false (focus_in_search (window));

  set_row (view, "unlock_password_row", "a long enough password");
  press_submit (view);
  g_assert_null (pqs_sign_in_view_get_error (view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (window, "stack"))),
                   ==, "workspace");
  wait_until_mapped (GTK_WIDGET (standards_view (window)));
  pqs_ui_test_drain ();
  g_assert_true (focus_in_search (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The toast the overlay shows that is not in @seen yet, or NULL
 * (transfer full). Its toast widgets are the children with a "toast"; a
 * dismissed one stays while it fades out. */
static AdwToast *
next_toast (GtkWidget *overlay,
            GPtrArray *seen)
{
  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(AdwToast) toast = NULL;

      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "toast") == NULL)
        continue;
      g_object_get (child, "toast", &toast, NULL);
      if (toast != NULL && !g_ptr_array_find (seen, toast, NULL))
        return g_steal_pointer (&toast);
    }
  return NULL;
}

/* The titles of every toast the window's overlay holds, shown or queued,
 * oldest first: each is dismissed in turn, which brings the next one up. */
static GPtrArray *
take_toasts (PqsWindow *window)
{
  GtkWidget *overlay = template_child (window, "toast_overlay");
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);
  AdwToast *toast;

  while ((toast = next_toast (overlay, seen)) != NULL)
    {
      g_ptr_array_add (seen, toast);
      g_ptr_array_add (titles, g_strdup (adw_toast_get_title (toast)));
      adw_toast_dismiss (toast);
    }
  return titles;
}

/* A restore from System → Backups replaces the database: everyone signs in
 * again, and one toast says what happened, not two. */
static void
test_window_restore_toast (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *admin = seed_database (fixture, 2, NULL);
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GPtrArray) toasts = NULL;
  g_autoptr(GError) error = NULL;
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, FALSE, NULL, NULL, NULL,
                               PQS_BACKUP_KDF_INTERACTIVE };
  PqsWindow *window;
  PqsSignInView *view;
  PqsMainView *main_view;
  GtkWidget *system_view;
  GtkWidget *backups_page;
  AdwMessageDialog *dialog;
  GObject *content;
  gint64 deadline;

  window = g_object_ref (pqs_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);

  service = pqs_backup_service_new (pqs_window_get_store (window), NULL);
  info = pqs_backup_service_create (service, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  view = PQS_SIGN_IN_VIEW (template_child (window, "sign_in_view"));
  set_row (view, "username_row", admin);
  set_row (view, "password_row", "a long enough password");
  press_submit (view);
  g_assert_null (pqs_sign_in_view_get_error (view));

  main_view = PQS_MAIN_VIEW (template_child (window, "main_view"));
  content = gtk_widget_get_template_child (GTK_WIDGET (main_view), PQS_TYPE_MAIN_VIEW,
                                           "content_stack");
  system_view = gtk_stack_get_child_by_name (GTK_STACK (content), "system");
  g_assert_true (PQS_IS_SYSTEM_VIEW (system_view));
  g_assert_true (pqs_main_view_show_view (main_view, "system"));
  wait_until_mapped (system_view);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (pqs_system_view_get_busy (PQS_SYSTEM_VIEW (system_view)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pqs_system_view_get_busy (PQS_SYSTEM_VIEW (system_view)));
  g_ptr_array_unref (take_toasts (window));

  backups_page = GTK_WIDGET (gtk_widget_get_template_child (system_view, PQS_TYPE_SYSTEM_VIEW,
                                                            "backups_page"));
  gtk_widget_activate_action (backups_page, "backups.restore", "s", info->path);
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, "restore");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);

  /* The restore runs in a thread; then the sign-in page shows. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (pqs_window_get_session (window) != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (pqs_window_get_session (window));
  g_assert_null (pqs_backups_page_get_error (PQS_BACKUPS_PAGE (backups_page)));
  pqs_ui_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (window, "stack"))),
                   ==, "sign-in");

  toasts = take_toasts (window);
  g_assert_cmpuint (toasts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (toasts, 0), ==,
                   "Backup restored. The database as it was is kept as a restore point.");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static guint
expected_schema_version (const char *db_path,
                         guint      *out_latest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  guint version = 0;

  store = pqs_store_open (db_path, PQS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  migrator = pqs_migrator_new (store);
  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_get_current_version (migrator, &version, &error);
  g_assert_no_error (error);
  *out_latest = pqs_migrator_get_latest_version (migrator);
  pqs_store_close (store);

  return version;
}

static void
test_window_empty_state (Fixture       *fixture,
                         gconstpointer  user_data)
{
  PqsWindow *window;
  GtkWidget *page;
  GtkStack *stack;
  GtkWidget *menu_button;
  guint version, latest = 0;

  window = g_object_ref (pqs_window_new (NULL));
  g_assert_cmpstr (pqs_window_get_database_path (window), ==, fixture->db_path);
  gtk_window_present (GTK_WINDOW (window));

  wait_until_loaded (window);

  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);
  g_assert_nonnull (pqs_window_get_store (window));
  g_assert_true (g_file_test (fixture->db_path, G_FILE_TEST_IS_REGULAR));

  create_first_admin (window);
  stack = GTK_STACK (template_child (window, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "workspace");

  /* The page maps once the stack's transition and the leaflet have run:
   * wait for it, on a slow machine too. */
  page = GTK_WIDGET (standards_view (window));
  pqs_ui_test_wait_until_mapped (page, 10000);
  g_assert_true (gtk_widget_get_mapped (page));
  g_assert_cmpstr (pqs_main_view_get_visible_view (PQS_MAIN_VIEW (template_child (window,
                                                                                  "main_view"))),
                   ==, "standards");
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standards_view_get_standards (
                      standards_view (window))), ==, 0);

  /* The views not shown get the session (and read their lists) when opened,
   * not at sign-in; the document editor is built for the first document. */
  {
    PqsMainView *main_view = PQS_MAIN_VIEW (template_child (window, "main_view"));
    GObject *content = gtk_widget_get_template_child (GTK_WIDGET (main_view),
                                                      PQS_TYPE_MAIN_VIEW, "content_stack");
    GtkWidget *review = gtk_stack_get_child_by_name (GTK_STACK (content), "review");

    g_assert_true (PQS_IS_REVIEW_VIEW (review));
    g_assert_null (gtk_stack_get_child_by_name (GTK_STACK (content), "document"));
    g_assert_null (pqs_review_view_get_session (PQS_REVIEW_VIEW (review)));
    g_assert_true (pqs_main_view_show_view (main_view, "review"));
    g_assert_true (pqs_review_view_get_session (PQS_REVIEW_VIEW (review)) ==
                   pqs_window_get_session (window));
    g_assert_cmpuint (g_list_model_get_n_items (pqs_review_view_get_model (
                        PQS_REVIEW_VIEW (review))), ==, 0);
    g_assert_true (pqs_main_view_show_view (main_view, "standards"));
  }

  /* Every migration compiled in has been applied, and the page says so. */
  version = expected_schema_version (fixture->db_path, &latest);
  g_assert_cmpuint (version, >, 0);
  g_assert_cmpuint (version, ==, latest);
  g_assert_cmpuint (pqs_window_get_schema_version (window), ==, version);


  /* The icon-only menu button has a name a screen reader can say. */
  menu_button = GTK_WIDGET (gtk_widget_get_template_child (template_child (window, "main_view"),
                                                           PQS_TYPE_MAIN_VIEW,
                                                           "primary_menu_button"));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (menu_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Main Menu");

  /* Try Again only makes sense after a failure. */
  g_assert_false (gtk_widget_get_sensitive (template_child (window, "retry_button")));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* No backup has ever been taken, so the daily one is overdue; a new
 * database has nothing to save until its first administrator exists, and
 * then the window catches up at once, in the backup folder. */
static void
test_window_catches_up_scheduled_backup (Fixture       *fixture,
                                         gconstpointer  user_data)
{
  PqsWindow *window;
  g_autofree char *backups = g_build_filename (g_get_user_data_dir (), "pqs-desk", "backups",
                                              NULL);
  gboolean timed_out = FALSE;
  guint timeout_id;
  gint64 completed = 0;

  set_backup_schedule ("daily");
  window = g_object_ref (pqs_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);

  /* The scheduler starts after the first frame: give it a second. */
  timeout_id = g_timeout_add_seconds (1, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  pqs_store_query_int64 (pqs_window_get_store (window),
                         "SELECT count(*) FROM backup_history", &completed, NULL);
  g_assert_cmpint (completed, ==, 0);
  timed_out = FALSE;

  create_first_admin (window);
  timeout_id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (completed == 0 && !timed_out)
    {
      g_main_context_iteration (NULL, TRUE);
      pqs_store_query_int64 (pqs_window_get_store (window),
                             "SELECT count(*) FROM backup_history WHERE backup_type = "
                             "'scheduled' AND backup_status = 'completed'",
                             &completed, NULL);
    }
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  g_assert_cmpint (completed, ==, 1);
  g_assert_true (g_file_test (backups, G_FILE_TEST_IS_DIR));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* A database with standards opens on its list after signing in, and the
 * page says what is there instead of claiming it is empty. */
static void
test_window_reports_holdings (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *admin = NULL;
  PqsWindow *window;
  gint64 n_standards = 0;

  admin = seed_database (fixture, 40, &n_standards);

  window = g_object_ref (pqs_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);

  sign_in_as (window, admin);

  g_assert_cmpuint (g_list_model_get_n_items (pqs_standards_view_get_standards (
                      standards_view (window))), ==, (guint) n_standards);
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standards_view_get_documents (
                      standards_view (window))), ==, 40);

  /* A document opened from a view shows in the editor; Back returns. */
  {
    PqsMainView *main_view = PQS_MAIN_VIEW (template_child (window, "main_view"));
    g_autoptr(PqsStore) check = pqs_store_open (fixture->db_path, PQS_STORE_OPEN_EXISTING, &error);
    gint64 document_id = 0;

    g_assert_no_error (error);
    g_assert_true (pqs_store_query_int64 (check, "SELECT min(id) FROM documents", &document_id,
                                          &error));
    pqs_main_view_open_document (main_view, document_id);
    while (g_strcmp0 (pqs_main_view_get_visible_view (main_view), "document") != 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (pqs_document_editor_get_document (pqs_main_view_get_editor (main_view)));
    gtk_widget_activate_action (GTK_WIDGET (main_view), "main.back", NULL);
    while (g_strcmp0 (pqs_main_view_get_visible_view (main_view), "standards") != 0)
      g_main_context_iteration (NULL, TRUE);
    pqs_store_close (check);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_reopens_migrated_database (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  PqsWindow *window;
  guint first_version;

  /* First start creates and migrates the file, the second finds nothing to do. */
  window = g_object_ref (pqs_window_new (NULL));
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);
  first_version = pqs_window_get_schema_version (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  window = g_object_ref (pqs_window_new (NULL));
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_READY);
  g_assert_cmpuint (pqs_window_get_schema_version (window), ==, first_version);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_closed_while_loading (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  PqsWindow *window;
  gboolean timed_out = FALSE;
  guint timeout_id;
  guint version = G_MAXUINT;

  /* Closing the window while the worker thread migrates must neither crash
   * nor leak: the window goes once the migration has finished. */
  window = pqs_window_new (NULL);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_LOADING);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));

  timeout_id = g_timeout_add_seconds (30, timeout_cb, &timed_out);
  while (window != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  /* Whatever was applied was applied whole. */
  store = pqs_store_open (fixture->db_path, PQS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  migrator = pqs_migrator_new (store);
  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_validate (migrator, &error);
  g_assert_no_error (error);
  pqs_migrator_get_current_version (migrator, &version, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (version, <=, pqs_migrator_get_latest_version (migrator));
  pqs_store_close (store);
}

static void
test_window_error_state (Fixture       *fixture,
                         gconstpointer  user_data)
{
  PqsWindow *window;
  GtkWidget *page;
  GtkStack *stack;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autofree char *folder = g_path_get_dirname (fixture->db_path);
  const char *title;
  const char *description;

  /* A file that is not an SQLite database at all. */
  for (guint i = 0; i < 256; i++)
    g_string_append (garbage, "This is not a database, just some text. ");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (fixture->db_path, garbage->str, garbage->len, &error);
  g_assert_no_error (error);

  window = g_object_ref (pqs_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_until_loaded (window);

  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_FAILED);

  stack = GTK_STACK (template_child (window, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");

  page = template_child (window, "error_page");
  g_assert_true (gtk_widget_get_mapped (page));
  title = adw_status_page_get_title (ADW_STATUS_PAGE (page));
  g_assert_true (g_str_has_prefix (title, "Could Not "));
  description = adw_status_page_get_description (ADW_STATUS_PAGE (page));
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, fixture->db_path));
  g_assert_true (gtk_widget_get_sensitive (template_child (window, "retry_button")));

  /* The file is left as it was: nothing was written into it. */
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_file_get_contents (fixture->db_path, &contents, &len, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (contents, len, garbage->str, garbage->len);
  }

  /* Trying again fails the same way, without a crash. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  wait_until_loaded (window);
  g_assert_cmpint (pqs_window_get_state (window), ==, PQS_WINDOW_STATE_FAILED);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_size_is_saved (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = pqs_settings_new ();
  PqsWindow *window;
  int width, height;

  if (settings == NULL)
    {
      g_test_skip ("GSettings schema " PQS_SETTINGS_SCHEMA_ID " not found");
      return;
    }

  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = g_object_ref (pqs_window_new (NULL));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);

  gtk_window_present (GTK_WINDOW (window));
  wait_until_loaded (window);

  /* gtk_window_close() only closes a realized window. */
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 610);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 820);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 610);
}

static void
test_application_activate (Fixture       *fixture,
                           gconstpointer  user_data)
{
  PqsApplication *app = pqs_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (PQS_IS_WINDOW (window));
  g_object_ref (window);

  wait_until_loaded (PQS_WINDOW (window));
  g_assert_cmpint (pqs_window_get_state (PQS_WINDOW (window)), ==, PQS_WINDOW_STATE_READY);

  /* A second activation presents the same window. */
  g_application_activate (G_APPLICATION (app));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == window);

  /* The shortcuts window comes from the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_finalize_object (window);

  g_object_unref (app);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  int ret;

  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

  /* The application test registers on a private session bus, never the
   * user's one. (This unsets DISPLAY, hence after gtk_init_check().) */
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

  g_test_add ("/window/empty-state", Fixture, NULL,
              fixture_set_up, test_window_empty_state, fixture_tear_down);
  g_test_add ("/window/focus-after-sign-in", Fixture, NULL,
              fixture_set_up, test_window_focus_after_sign_in, fixture_tear_down);
  g_test_add ("/window/restore-toast", Fixture, NULL,
              fixture_set_up, test_window_restore_toast, fixture_tear_down);
  g_test_add ("/window/scheduled-backup", Fixture, NULL,
              fixture_set_up, test_window_catches_up_scheduled_backup, fixture_tear_down);
  g_test_add ("/window/holdings", Fixture, NULL,
              fixture_set_up, test_window_reports_holdings, fixture_tear_down);
  g_test_add ("/window/reopen", Fixture, NULL,
              fixture_set_up, test_window_reopens_migrated_database, fixture_tear_down);
  g_test_add ("/window/closed-while-loading", Fixture, NULL,
              fixture_set_up, test_window_closed_while_loading, fixture_tear_down);
  g_test_add ("/window/error-state", Fixture, NULL,
              fixture_set_up, test_window_error_state, fixture_tear_down);
  g_test_add ("/window/size-is-saved", Fixture, NULL,
              fixture_set_up, test_window_size_is_saved, fixture_tear_down);
  g_test_add ("/application/activate", Fixture, NULL,
              fixture_set_up, test_application_activate, fixture_tear_down);

  ret = pqs_ui_test_run ();

  /* GTK and libadwaita keep their session bus connection for the life of
   * the process, so g_test_dbus_down() would wait for it in vain; stop the
   * daemon and let the process end. */
  g_test_dbus_stop (bus);

  return ret;
}
