/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user-editor.h"
#include "pqs-user-list.h"
#include "pqs-user.h"
#include "pqs-users-view.h"

/* The Users view on a temporary database: the list and its search, the
 * editor creating and editing accounts (role, deactivation, password
 * reset, unlock, picture, delete) with the model's sentences for what it
 * refuses, and a non-administrator who may change nothing. Each step is
 * checked in what the view shows and in what the database holds. */

#define PASSWORD PQS_UI_TEST_PASSWORD

typedef struct
{
  char         *tmpdir;
  PqsStore     *store;
  PqsSession   *session;
  GtkWindow    *window;
  PqsUsersView *view;
  guint         n_toasts;
  char         *last_toast;
} Fixture;

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_ui_test_query_int (fixture->store, sql);
}

static void
exec (Fixture    *fixture,
      const char *sql)
{
  pqs_ui_test_exec (fixture->store, sql);
}

static void
show_view (Fixture    *fixture,
           const char *username)
{
  g_clear_object (&fixture->session);
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->view = g_object_ref (pqs_users_view_new ());
  pqs_ui_test_watch_toasts (fixture->view, &fixture->n_toasts, &fixture->last_toast);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->view), 720, 600);
  pqs_users_view_set_session (fixture->view, fixture->session);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) bob = NULL;
  g_autoptr(PqsUser) carol = NULL;

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-users-view-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", "CDR", PQS_ROLE_ADMIN);
  bob = pqs_ui_test_add_user (fixture->store, admin, "bob", "Bob Baker", "LT", PQS_ROLE_USER);
  carol = pqs_ui_test_add_user (fixture->store, admin, "carol", "Carol Clark", NULL,
                                PQS_ROLE_SUPERVISOR);
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

/* Looking into the widgets ----------------------------------------------------------- */

static GtkWidget *
view_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->view, PQS_TYPE_USERS_VIEW, name);
}

static GtkWidget *
editor_child (PqsUserEditor *editor,
              const char    *name)
{
  return pqs_ui_test_template_child (editor, PQS_TYPE_USER_EDITOR, name);
}

static guint
n_rows (Fixture *fixture)
{
  return pqs_ui_test_count_rows (GTK_LIST_BOX (view_child (fixture, "list_box")));
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  return pqs_ui_test_find_row (GTK_LIST_BOX (view_child (fixture, "list_box")), title);
}

static const char *
subtitle (GtkWidget *row)
{
  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static gboolean
row_shows (Fixture    *fixture,
           const char *title,
           const char *badge)
{
  return pqs_ui_test_label_visible (find_row (fixture, title), badge);
}

/* Without waiting for the entry's typing delay. */
static void
search (Fixture    *fixture,
        const char *text)
{
  GtkWidget *entry = view_child (fixture, "search_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  pqs_ui_test_drain ();
}

static void
set_row (PqsUserEditor *editor,
         const char    *name,
         const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editor_child (editor, name)), text);
}

static PqsUserEditor *
open_editor (Fixture    *fixture,
             const char *title)
{
  GtkWidget *row = find_row (fixture, title);
  PqsUserEditor *editor;

  g_assert_nonnull (row);
  g_signal_emit_by_name (view_child (fixture, "list_box"), "row-activated", row);
  pqs_ui_test_drain ();
  editor = pqs_users_view_get_editor (fixture->view);
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == fixture->window);
  return editor;
}

/* Closes @editor and checks that nothing kept it alive. */
static void
close_editor (Fixture       *fixture,
              PqsUserEditor *editor)
{
  gpointer weak = editor;

  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_window_close (GTK_WINDOW (editor));
  pqs_ui_test_drain ();
  g_assert_null (weak);
  g_assert_null (pqs_users_view_get_editor (fixture->view));
}

static void
wait_idle (PqsUserEditor *editor)
{
  while (pqs_user_editor_get_busy (editor))
    g_main_context_iteration (NULL, TRUE);
  pqs_ui_test_drain ();
}

static GBytes *
read_bytes (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static char *
write_png (Fixture    *fixture,
           const char *name)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint8 data[8 * 8 * 4];

  /* A blue-green gradient: the picture, not the initials, shows. */
  for (guint i = 0; i < sizeof data; i += 4)
    {
      data[i] = 0x35;
      data[i + 1] = 0x60 + (i / 4) % 8 * 0x18;
      data[i + 2] = 0xe4 - (i / 32) * 0x10;
      data[i + 3] = 0xff;
    }
  pixels = g_bytes_new (data, sizeof data);
  texture = gdk_memory_texture_new (8, 8, GDK_MEMORY_R8G8B8A8, pixels, 8 * 4);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return g_steal_pointer (&path);
}

/* Tests -------------------------------------------------------------------------------- */

static void
test_list_and_search (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkStack *stack;
  AdwActionRow *row;
  g_autofree char *until = NULL;
  g_autofree char *sql = NULL;

  show_view (fixture, "admin");
  stack = GTK_STACK (view_child (fixture, "stack"));

  g_assert_cmpuint (n_rows (fixture), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (view_child (fixture,
                                                                               "window_title"))),
                   ==, "3 accounts");
  row = ADW_ACTION_ROW (find_row (fixture, "LT Bob Baker"));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "bob · User");
  g_assert_nonnull (find_row (fixture, "Carol Clark"));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "new_button")));
  g_assert_false (row_shows (fixture, "LT Bob Baker", "Deactivated"));
  g_assert_false (row_shows (fixture, "LT Bob Baker", "Locked"));

  /* Search as you type, over names, usernames and addresses. */
  search (fixture, "CLARK");
  g_assert_cmpuint (n_rows (fixture), ==, 1);
  g_assert_nonnull (find_row (fixture, "Carol Clark"));
  search (fixture, "example.org");
  g_assert_cmpuint (n_rows (fixture), ==, 3);
  search (fixture, "nobody here");
  g_assert_cmpuint (n_rows (fixture), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (view_child (fixture, "empty_page"))),
                   ==, "No Users Found");
  search (fixture, "");
  g_assert_cmpuint (n_rows (fixture), ==, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");

  /* The rows follow changes made elsewhere (here: pqs-admin's SQL). */
  until = pqs_store_format_time (pqs_test_clock_now () + 10 * 60 * G_USEC_PER_SEC);
  sql = g_strdup_printf ("UPDATE users SET failed_login_attempts = 5, locked_until = '%s', "
                         "password_reset_required = 1 WHERE username = 'bob'", until);
  exec (fixture, sql);
  exec (fixture, "UPDATE users SET is_active = 0 WHERE username = 'carol'");
  pqs_ui_test_drain ();
  g_assert_true (row_shows (fixture, "LT Bob Baker", "Locked"));
  g_assert_true (row_shows (fixture, "LT Bob Baker", "Must change password"));
  g_assert_true (row_shows (fixture, "Carol Clark", "Deactivated"));
  g_assert_false (row_shows (fixture, "Carol Clark", "Locked"));

  /* A lockout ends with time: the view looks again when shown again. */
  pqs_test_clock_advance (11 * 60 * G_USEC_PER_SEC);
  gtk_widget_set_visible (GTK_WIDGET (fixture->view), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (fixture->view), TRUE);
  pqs_ui_test_drain ();
  g_assert_false (row_shows (fixture, "LT Bob Baker", "Locked"));

  /* The back button follows the leaflet. */
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "back_button")));
  g_object_set (fixture->view, "show-back", TRUE, NULL);
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "back_button")));
  g_assert_true (adw_header_bar_get_show_start_title_buttons (
                   ADW_HEADER_BAR (view_child (fixture, "header_bar"))));
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  PqsUserEditor *editor;
  g_autofree char *png = NULL;

  show_view (fixture, "admin");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "users.new", NULL));
  editor = pqs_users_view_get_editor (fixture->view);
  g_assert_nonnull (editor);
  g_assert_null (pqs_user_editor_get_user (editor));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "password_group")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "status_group")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (editor_child (editor, "role_row"))),
                    ==, PQS_ROLE_USER);

  set_row (editor, "username_row", "dave");
  set_row (editor, "full_name_row", "Dave Dunn");
  set_row (editor, "rank_row", "ENS");
  set_row (editor, "email_row", "dave@example.org");
  set_row (editor, "password_row", "dave's first password");
  set_row (editor, "confirm_row", "dave's first password");
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (editor, "role_row")),
                              PQS_ROLE_SUPERVISOR);

  /* A picture chosen before the account exists shows at once. */
  png = write_png (fixture, "dave.png");
  {
    g_autoptr(GFile) file = g_file_new_for_path (png);
    pqs_user_editor_load_picture (editor, file);
  }
  wait_idle (editor);
  g_assert_nonnull (adw_avatar_get_custom_image (ADW_AVATAR (editor_child (editor, "avatar"))));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "remove_picture_button")));

  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_null (pqs_users_view_get_editor (fixture->view));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'dave' AND "
                                       "role = 'supervisor' AND rank = 'ENS' AND "
                                       "full_name = 'Dave Dunn' AND is_active = 1"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM avatars JOIN users ON "
                                       "users.id = avatars.user_id WHERE username = 'dave' "
                                       "AND mime_type = 'image/png'"), ==, 1);
  g_assert_cmpuint (fixture->n_toasts, ==, 1);
  g_assert_cmpstr (fixture->last_toast, ==, "User created");
  g_assert_cmpuint (n_rows (fixture), ==, 4);
  g_assert_nonnull (find_row (fixture, "ENS Dave Dunn"));
  g_assert_cmpstr (subtitle (find_row (fixture, "ENS Dave Dunn")),
                   ==, "dave · Supervisor");
}

static void
test_create_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  PqsUserEditor *editor;

  show_view (fixture, "admin");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "users.new", NULL);
  editor = pqs_users_view_get_editor (fixture->view);

  set_row (editor, "username_row", "erin");
  set_row (editor, "full_name_row", "Erin Earl");
  set_row (editor, "email_row", "erin.example.org");
  set_row (editor, "password_row", PASSWORD);
  set_row (editor, "confirm_row", PASSWORD);
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_cmpstr (pqs_user_editor_get_error (editor), ==,
                   "An email address looks like name@example.org.");
  g_assert_true (pqs_users_view_get_editor (fixture->view) == editor);

  /* A taken username, in the model's words. */
  set_row (editor, "username_row", "bob");
  set_row (editor, "email_row", "erin@example.org");
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_cmpstr (pqs_user_editor_get_error (editor), ==,
                   "The username “bob” is taken. Choose another one.");

  /* Two different passwords: said before the model is asked. */
  set_row (editor, "username_row", "erin");
  set_row (editor, "confirm_row", "something else entirely");
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_nonnull (strstr (pqs_user_editor_get_error (editor), "differ"));

  /* A weak password: the model's policy. */
  set_row (editor, "password_row", "short");
  set_row (editor, "confirm_row", "short");
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_nonnull (strstr (pqs_user_editor_get_error (editor), "10 characters"));

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.create'"), ==, 3);
  g_assert_cmpuint (fixture->n_toasts, ==, 0);
  close_editor (fixture, editor);
}

static void
test_edit_and_role (Fixture       *fixture,
                    gconstpointer  data)
{
  PqsUserEditor *editor;

  show_view (fixture, "admin");
  editor = open_editor (fixture, "LT Bob Baker");
  g_assert_cmpint (pqs_user_get_id (pqs_user_editor_get_user (editor)), ==,
                   query_int (fixture, "SELECT id FROM users WHERE username = 'bob'"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "email_row"))), ==,
                   "bob@example.org");
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "password_group")));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "status_group")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "locked_row")));

  set_row (editor, "full_name_row", "Robert Baker");
  set_row (editor, "rank_row", "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (editor, "role_row")),
                              PQS_ROLE_SUPERVISOR);
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_null (pqs_users_view_get_editor (fixture->view));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'bob' AND "
                                       "role = 'supervisor' AND full_name = 'Robert Baker' "
                                       "AND rank IS NULL"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.role_change'"), ==, 1);
  g_assert_cmpstr (fixture->last_toast, ==, "Changes saved");
  g_assert_cmpstr (subtitle (find_row (fixture, "Robert Baker")),
                   ==, "bob · Supervisor");

  /* The last administrator stays one: the model says why. */
  editor = open_editor (fixture, "CDR Ada Admin");
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "active_button")));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "delete_button")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (editor, "role_row")), PQS_ROLE_USER);
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_nonnull (strstr (pqs_user_editor_get_error (editor), "last active administrator"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE role = 'admin'"), ==, 1);
  close_editor (fixture, editor);
}

static void
test_deactivate (Fixture       *fixture,
                 gconstpointer  data)
{
  PqsUserEditor *editor;
  AdwMessageDialog *dialog;
  GtkButton *active_button;

  show_view (fixture, "admin");
  editor = open_editor (fixture, "Carol Clark");
  active_button = GTK_BUTTON (editor_child (editor, "active_button"));

  /* Cancelled: nothing happens. */
  pqs_ui_test_click (GTK_WIDGET (active_button));
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (editor));
  adw_message_dialog_response (dialog, "cancel");
  pqs_ui_test_drain ();
  g_assert_null (pqs_ui_test_find_message_dialog ());
  g_assert_cmpint (query_int (fixture, "SELECT is_active FROM users WHERE username = 'carol'"),
                   ==, 1);

  pqs_ui_test_click (GTK_WIDGET (active_button));
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "deactivate");
  pqs_ui_test_drain ();
  g_assert_null (pqs_ui_test_find_message_dialog ());
  g_assert_cmpint (query_int (fixture, "SELECT is_active FROM users WHERE username = 'carol'"),
                   ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.deactivate'"), ==, 1);
  g_assert_null (pqs_user_editor_get_error (editor));
  g_assert_cmpstr (subtitle (editor_child (editor, "status_row")),
                   ==, "Deactivated: cannot sign in");
  g_assert_cmpstr (gtk_button_get_label (active_button), ==, "Re_activate");
  g_assert_true (row_shows (fixture, "Carol Clark", "Deactivated"));

  /* Reactivating asks nothing. */
  pqs_ui_test_click (GTK_WIDGET (active_button));
  g_assert_null (pqs_ui_test_find_message_dialog ());
  g_assert_cmpint (query_int (fixture, "SELECT is_active FROM users WHERE username = 'carol'"),
                   ==, 1);
  g_assert_false (row_shows (fixture, "Carol Clark", "Deactivated"));
  close_editor (fixture, editor);
}

static void
test_reset_password (Fixture       *fixture,
                     gconstpointer  data)
{
  PqsUserEditor *editor;
  GtkStack *stack;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) bob = NULL;

  show_view (fixture, "admin");
  editor = open_editor (fixture, "LT Bob Baker");
  stack = GTK_STACK (editor_child (editor, "stack"));

  g_signal_emit_by_name (editor_child (editor, "reset_password_row"), "activate");
  pqs_ui_test_drain ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "password");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (editor_child (editor,
                                                                 "require_change_switch"))));

  /* Typed differently twice, then too short: said, nothing written. */
  set_row (editor, "new_password_row", "a new password for bob");
  set_row (editor, "new_confirm_row", "a new password for rob");
  pqs_ui_test_click (editor_child (editor, "reset_button"));
  g_assert_nonnull (strstr (pqs_user_editor_get_error (editor), "differ"));
  set_row (editor, "new_password_row", "short");
  set_row (editor, "new_confirm_row", "short");
  pqs_ui_test_click (editor_child (editor, "reset_button"));
  g_assert_nonnull (strstr (pqs_user_editor_get_error (editor), "10 characters"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.password_reset'"), ==, 0);

  set_row (editor, "new_password_row", "a new password for bob");
  set_row (editor, "new_confirm_row", "a new password for bob");
  pqs_ui_test_click (editor_child (editor, "reset_button"));
  g_assert_null (pqs_user_editor_get_error (editor));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "main");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "new_password_row"))),
                   ==, "");
  g_assert_cmpint (query_int (fixture, "SELECT password_reset_required FROM users WHERE "
                                       "username = 'bob'"), ==, 1);
  g_assert_cmpstr (subtitle (editor_child (editor, "status_row")),
                   ==, "Active, must change password");
  g_assert_true (row_shows (fixture, "LT Bob Baker", "Must change password"));

  /* Bob signs in with it and is asked for his own. */
  bob = pqs_session_sign_in (fixture->store, "bob", "a new password for bob", &error);
  g_assert_no_error (error);
  g_assert_true (pqs_session_get_password_change_required (bob));

  /* With the switch off, the password is simply his. */
  g_signal_emit_by_name (editor_child (editor, "reset_password_row"), "activate");
  set_row (editor, "new_password_row", "another password for bob");
  set_row (editor, "new_confirm_row", "another password for bob");
  gtk_switch_set_active (GTK_SWITCH (editor_child (editor, "require_change_switch")), FALSE);
  pqs_ui_test_click (editor_child (editor, "reset_button"));
  g_assert_cmpint (query_int (fixture, "SELECT password_reset_required FROM users WHERE "
                                       "username = 'bob'"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.password_reset'"), ==, 2);

  /* Escape leaves the password page, not the editor. */
  g_signal_emit_by_name (editor_child (editor, "reset_password_row"), "activate");
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.escape", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "main");
  g_assert_true (pqs_users_view_get_editor (fixture->view) == editor);
  close_editor (fixture, editor);
}

static void
test_unlock (Fixture       *fixture,
             gconstpointer  data)
{
  PqsUserEditor *editor;
  g_autofree char *until = NULL;
  g_autofree char *sql = NULL;

  until = pqs_store_format_time (pqs_test_clock_now () + 10 * 60 * G_USEC_PER_SEC);
  sql = g_strdup_printf ("UPDATE users SET failed_login_attempts = 5, locked_until = '%s' "
                         "WHERE username = 'bob'", until);
  exec (fixture, sql);

  show_view (fixture, "admin");
  g_assert_true (row_shows (fixture, "LT Bob Baker", "Locked"));
  editor = open_editor (fixture, "LT Bob Baker");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "locked_row")));
  g_assert_nonnull (strstr (subtitle (editor_child (editor, "locked_row")),
                            "5 failed sign-ins"));

  pqs_ui_test_click (editor_child (editor, "unlock_button"));
  g_assert_null (pqs_user_editor_get_error (editor));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'bob' AND "
                                       "locked_until IS NULL AND failed_login_attempts = 0"),
                   ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.unlock'"), ==, 1);
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "locked_row")));
  g_assert_false (row_shows (fixture, "LT Bob Baker", "Locked"));
  close_editor (fixture, editor);
}

static void
load_picture (PqsUserEditor *editor,
              const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  pqs_user_editor_load_picture (editor, file);
  g_assert_true (pqs_user_editor_get_busy (editor));
  wait_idle (editor);
}

static void
test_avatar (Fixture       *fixture,
             gconstpointer  data)
{
  PqsUserEditor *editor;
  AdwAvatar *row_avatar = NULL;
  g_autofree char *png = write_png (fixture, "bob.png");
  g_autofree char *text = g_build_filename (fixture->tmpdir, "notes.png", NULL);
  g_autofree char *large = g_build_filename (fixture->tmpdir, "large.png", NULL);
  g_autofree char *missing = g_build_filename (fixture->tmpdir, "missing.png", NULL);
  g_autofree char *large_data = g_malloc0 (PQS_AVATAR_MAX_SIZE + 100);
  const char *sql_count = "SELECT count(*) FROM avatars JOIN users ON users.id = avatars.user_id "
                          "WHERE username = 'bob'";

  g_assert_true (g_file_set_contents (text, "not a picture at all", -1, NULL));
  memcpy (large_data, "\x89PNG\r\n\x1a\n", 8);
  g_assert_true (g_file_set_contents (large, large_data, PQS_AVATAR_MAX_SIZE + 100, NULL));

  show_view (fixture, "admin");
  editor = open_editor (fixture, "LT Bob Baker");
  g_assert_null (adw_avatar_get_custom_image (ADW_AVATAR (editor_child (editor, "avatar"))));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "remove_picture_button")));

  load_picture (editor, png);
  g_assert_null (pqs_user_editor_get_error (editor));
  g_assert_cmpint (query_int (fixture, sql_count), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'bob' AND "
                                       "avatar_mime = 'image/png'"), ==, 1);
  g_assert_nonnull (adw_avatar_get_custom_image (ADW_AVATAR (editor_child (editor, "avatar"))));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "remove_picture_button")));

  /* The list's row shows it too. */
  for (GtkWidget *w = gtk_widget_get_first_child (find_row (fixture, "LT Bob Baker"));
       w != NULL && row_avatar == NULL; )
    {
      if (ADW_IS_AVATAR (w))
        row_avatar = ADW_AVATAR (w);
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (row_avatar);
  g_assert_nonnull (adw_avatar_get_custom_image (row_avatar));

  /* What the model refuses, in its words; the stored picture stays. */
  load_picture (editor, text);
  g_assert_cmpstr (pqs_user_editor_get_error (editor), ==,
                   "The picture is not a PNG or JPEG image.");
  load_picture (editor, large);
  g_assert_cmpstr (pqs_user_editor_get_error (editor), ==,
                   "The picture is larger than 1 MiB. Choose a smaller one.");
  load_picture (editor, missing);
  g_assert_nonnull (pqs_user_editor_get_error (editor));
  g_assert_cmpint (query_int (fixture, sql_count), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'user.avatar'"), ==, 1);

  pqs_ui_test_click (editor_child (editor, "remove_picture_button"));
  g_assert_null (pqs_user_editor_get_error (editor));
  g_assert_cmpint (query_int (fixture, sql_count), ==, 0);
  g_assert_null (adw_avatar_get_custom_image (ADW_AVATAR (editor_child (editor, "avatar"))));
  g_assert_null (adw_avatar_get_custom_image (row_avatar));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "remove_picture_button")));
  close_editor (fixture, editor);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  PqsUserEditor *editor;
  AdwMessageDialog *dialog;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) bob = NULL;

  /* Bob has signed in once: his account has a history. */
  bob = pqs_session_sign_in (fixture->store, "bob", PASSWORD, &error);
  g_assert_no_error (error);

  show_view (fixture, "admin");
  editor = open_editor (fixture, "LT Bob Baker");
  pqs_ui_test_click (editor_child (editor, "delete_button"));
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  pqs_ui_test_drain ();
  g_assert_nonnull (strstr (pqs_user_editor_get_error (editor), "can only be deactivated"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'bob'"), ==, 1);
  g_assert_true (pqs_users_view_get_editor (fixture->view) == editor);
  close_editor (fixture, editor);

  /* Carol never used hers. */
  editor = open_editor (fixture, "Carol Clark");
  pqs_ui_test_click (editor_child (editor, "delete_button"));
  adw_message_dialog_response (pqs_ui_test_find_message_dialog (), "delete");
  pqs_ui_test_drain ();
  g_assert_null (pqs_users_view_get_editor (fixture->view));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'carol'"),
                   ==, 0);
  g_assert_cmpstr (fixture->last_toast, ==, "User deleted");
  g_assert_cmpuint (n_rows (fixture), ==, 2);
  g_assert_null (find_row (fixture, "Carol Clark"));
}

static void
test_not_admin (Fixture       *fixture,
                gconstpointer  data)
{
  PqsUserEditor *editor;
  const char *const rows[] = {
    "username_row", "full_name_row", "rank_row", "email_row", "role_row",
    "active_button", "delete_button", "reset_password_row", "unlock_button",
    "choose_picture_button",
  };

  show_view (fixture, "carol");
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "new_button")));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "users.new", NULL) &&
                  pqs_users_view_get_editor (fixture->view) != NULL);
  g_assert_null (pqs_users_view_open_editor (fixture->view, NULL));
  g_assert_cmpuint (n_rows (fixture), ==, 3);

  /* Someone else's account: to read only. */
  editor = open_editor (fixture, "LT Bob Baker");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_false (gtk_widget_is_sensitive (editor_child (editor, rows[i])));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "save_button")));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.toggle-active", NULL);
  pqs_ui_test_drain ();
  g_assert_null (pqs_ui_test_find_message_dialog ());
  close_editor (fixture, editor);

  /* Her own: name, rank, address and picture, not username or role. */
  editor = open_editor (fixture, "Carol Clark");
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "username_row")));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "role_row")));
  g_assert_true (gtk_widget_is_sensitive (editor_child (editor, "full_name_row")));
  g_assert_true (gtk_widget_is_sensitive (editor_child (editor, "choose_picture_button")));
  g_assert_true (gtk_widget_is_sensitive (editor_child (editor, "rank_row")));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "save_button")));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "active_button")));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "delete_button")));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "reset_password_row")));
  set_row (editor, "rank_row", "LCDR");
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_null (pqs_users_view_get_editor (fixture->view));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'carol' AND "
                                       "rank = 'LCDR' AND role = 'supervisor'"), ==, 1);
  g_assert_cmpstr (fixture->last_toast, ==, "Changes saved");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE role = 'admin'"), ==, 1);
}


/* A look at the view, for screenshots: PQS_USERS_VIEW_SHOW="720x600" with
 * ",dark", ",editor=new|bob|password|deactivate" or ",search=TEXT" shows it
 * until killed. */
static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  g_autoptr(PqsUser) admin = NULL;
  g_autofree char *png = NULL;
  g_autofree char *until = NULL;
  g_autofree char *sql = NULL;
  int width = 720, height = 600;
  const char *const people[][4] = {
    { "dmiller", "Dana Miller", "LCDR", "supervisor" },
    { "jdoe", "Jane Doe", "LT", "user" },
    { "kwright", "Kim Wright", "ENS", "user" },
    { "mgarcia", "Maria Garcia", NULL, "visitor" },
    { "pnguyen", "Paul Nguyen", "CWO2", "user" },
    { "rsmith", "Robert Smith-Johansson of the Long Name", "CAPT", "admin" },
  };

  fixture_set_up (&fixture, NULL);
  {
    g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (fixture.store);
    g_autoptr(GBytes) image = NULL;

    admin = pqs_user_directory_lookup_by_username (directory, "admin", NULL);
    for (guint i = 0; i < G_N_ELEMENTS (people); i++)
      {
        PqsRole role;

        pqs_role_from_string (people[i][3], &role);
        g_object_unref (pqs_ui_test_add_user (fixture.store, admin, people[i][0], people[i][1],
                                              people[i][2], role));
      }
    png = write_png (&fixture, "blue.png");
    image = read_bytes (png);
    pqs_user_directory_set_avatar (directory, admin, pqs_user_get_id (admin), image, NULL);
  }
  until = pqs_store_format_time (pqs_test_clock_now () + 10 * 60 * G_USEC_PER_SEC);
  sql = g_strdup_printf ("UPDATE users SET failed_login_attempts = 5, locked_until = '%s' "
                         "WHERE username IN ('jdoe', 'bob')", until);
  exec (&fixture, sql);
  exec (&fixture, "UPDATE users SET is_active = 0 WHERE username = 'kwright'");
  exec (&fixture, "UPDATE users SET password_reset_required = 1 "
                  "WHERE username IN ('pnguyen', 'bob')");

  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "dark"))
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);

  show_view (&fixture, "admin");
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "Users");

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "search="))
        search (&fixture, parts[i] + strlen ("search="));
      else if (g_str_equal (parts[i], "editor=new"))
        gtk_widget_activate_action (GTK_WIDGET (fixture.view), "users.new", NULL);
      else if (g_str_has_prefix (parts[i], "editor="))
        {
          PqsUserEditor *editor = open_editor (&fixture, "LT Bob Baker");

          gtk_window_set_default_size (GTK_WINDOW (editor), MIN (width, 520), height);
          if (g_str_equal (parts[i], "editor=password"))
            g_signal_emit_by_name (editor_child (editor, "reset_password_row"), "activate");
          else if (g_str_equal (parts[i], "editor=deactivate"))
            g_signal_emit_by_name (editor_child (editor, "active_button"), "clicked");
          else if (g_str_equal (parts[i], "editor=error"))
            {
              set_row (editor, "email_row", "bob at example");
              g_signal_emit_by_name (editor_child (editor, "save_button"), "clicked");
            }
        }
    }

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

  if (g_getenv ("PQS_USERS_VIEW_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_USERS_VIEW_SHOW"));

#define ADD(path, func) \
  g_test_add ("/users-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list-and-search", test_list_and_search);
  ADD ("create", test_create);
  ADD ("create-refused", test_create_refused);
  ADD ("edit-and-role", test_edit_and_role);
  ADD ("deactivate", test_deactivate);
  ADD ("reset-password", test_reset_password);
  ADD ("unlock", test_unlock);
  ADD ("avatar", test_avatar);
  ADD ("delete", test_delete);
  ADD ("not-admin", test_not_admin);
#undef ADD

  return pqs_ui_test_run ();
}
