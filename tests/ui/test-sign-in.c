/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sign-in"

#include "config.h"

#include <adwaita.h>

#include "pqs-session.h"
#include "pqs-sign-in-view.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"
#include "pqs-window.h"

/* The sign-in page of the real window: the first administrator, signing
 * in with the model's messages, locking (by hand and when idle),
 * unlocking, a forced password change and signing out. Each step is
 * checked in what the window shows and in what the database holds. */

#define PASSWORD PQS_UI_TEST_PASSWORD

typedef struct
{
  char      *tmpdir;
  char      *db_path;
  PqsWindow *window;
} Fixture;

static GtkWidget *
window_child (PqsWindow  *window,
              const char *name)
{
  return pqs_ui_test_template_child (window, PQS_TYPE_WINDOW, name);
}

static PqsSignInView *
view (Fixture *fixture)
{
  return PQS_SIGN_IN_VIEW (window_child (fixture->window, "sign_in_view"));
}

static const char *
page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (window_child (fixture->window, "stack")));
}

static void
set_row (Fixture    *fixture,
         const char *row,
         const char *text)
{
  GObject *child = pqs_ui_test_template_child (view (fixture), PQS_TYPE_SIGN_IN_VIEW, row);

  gtk_editable_set_text (GTK_EDITABLE (child), text);
}

static void
submit (Fixture *fixture)
{
  GObject *button = pqs_ui_test_template_child (view (fixture), PQS_TYPE_SIGN_IN_VIEW,
                                                "submit_button");

  g_signal_emit_by_name (button, "clicked");
  pqs_ui_test_drain ();
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_ui_test_query_int (pqs_window_get_store (fixture->window), sql);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref (pqs_window_new (NULL));
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (pqs_window_get_state (fixture->window) == PQS_WINDOW_STATE_LOADING)
    g_main_context_iteration (NULL, TRUE);
  pqs_ui_test_drain ();
  g_assert_cmpint (pqs_window_get_state (fixture->window), ==, PQS_WINDOW_STATE_READY);
  pqs_test_clock_install (pqs_window_get_store (fixture->window), PQS_UI_TEST_START_TIME);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-sign-in-XXXXXX");
  fixture->db_path = g_build_filename (fixture->tmpdir, "pqs.db", NULL);
  g_setenv ("PQS_DB", fixture->db_path, TRUE);
  open_window (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  g_free (fixture->db_path);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
}

static void
create_admin (Fixture *fixture)
{
  set_row (fixture, "admin_username_row", "admin");
  set_row (fixture, "admin_full_name_row", "Ada Admin");
  set_row (fixture, "admin_rank_row", "CDR");
  set_row (fixture, "admin_email_row", "admin@example.org");
  set_row (fixture, "admin_password_row", PASSWORD);
  set_row (fixture, "admin_confirm_row", PASSWORD);
  submit (fixture);
}

static void
test_first_admin (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkLabel *user_label = GTK_LABEL (window_child (fixture->window, "user_label"));

  g_assert_cmpstr (page (fixture), ==, "sign-in");
  g_assert_cmpint (pqs_sign_in_view_get_mode (view (fixture)), ==, PQS_SIGN_IN_MODE_FIRST_ADMIN);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (user_label)));

  /* Two different passwords: said, and nothing written. */
  set_row (fixture, "admin_username_row", "admin");
  set_row (fixture, "admin_full_name_row", "Ada Admin");
  set_row (fixture, "admin_email_row", "admin@example.org");
  set_row (fixture, "admin_password_row", PASSWORD);
  set_row (fixture, "admin_confirm_row", "something else entirely");
  submit (fixture);
  g_assert_nonnull (strstr (pqs_sign_in_view_get_error (view (fixture)), "differ"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users"), ==, 0);

  /* A weak password: the model's policy, in its words. */
  set_row (fixture, "admin_password_row", "short");
  set_row (fixture, "admin_confirm_row", "short");
  submit (fixture);
  g_assert_nonnull (strstr (pqs_sign_in_view_get_error (view (fixture)), "10 characters"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users"), ==, 0);

  create_admin (fixture);
  g_assert_null (pqs_sign_in_view_get_error (view (fixture)));
  g_assert_cmpstr (page (fixture), ==, "workspace");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE role = 'admin' AND "
                                       "rank = 'CDR' AND password_hash LIKE '$argon2id$%'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_sessions WHERE is_active = 1 "
                                       "AND user_agent LIKE 'pqs-desk/%'"), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (user_label)));
  g_assert_cmpstr (gtk_label_get_text (user_label), ==, "CDR Ada Admin");
}

static void
test_sign_in_lock_and_sign_out (Fixture       *fixture,
                                gconstpointer  data)
{
  PqsSession *session;

  create_admin (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);
  g_assert_cmpstr (page (fixture), ==, "sign-in");
  g_assert_cmpint (pqs_sign_in_view_get_mode (view (fixture)), ==, PQS_SIGN_IN_MODE_SIGN_IN);
  g_assert_null (pqs_window_get_session (fixture->window));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_sessions WHERE is_active = 1"),
                   ==, 0);

  /* A wrong password and an unknown name read the same. */
  set_row (fixture, "username_row", "admin");
  set_row (fixture, "password_row", "not the password");
  submit (fixture);
  g_assert_cmpstr (pqs_sign_in_view_get_error (view (fixture)), ==,
                   "The username or password is not right.");
  set_row (fixture, "username_row", "nobody");
  set_row (fixture, "password_row", "not the password");
  submit (fixture);
  g_assert_cmpstr (pqs_sign_in_view_get_error (view (fixture)), ==,
                   "The username or password is not right.");
  g_assert_cmpstr (page (fixture), ==, "sign-in");

  set_row (fixture, "username_row", "admin");
  set_row (fixture, "password_row", PASSWORD);
  submit (fixture);
  g_assert_cmpstr (page (fixture), ==, "workspace");
  session = pqs_window_get_session (fixture->window);
  g_assert_nonnull (session);

  /* Locked by hand (Ctrl+Shift+L runs the same action). */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL);
  g_assert_cmpstr (page (fixture), ==, "sign-in");
  g_assert_cmpint (pqs_sign_in_view_get_mode (view (fixture)), ==, PQS_SIGN_IN_MODE_UNLOCK);
  set_row (fixture, "unlock_password_row", "wrong again");
  submit (fixture);
  g_assert_cmpstr (pqs_sign_in_view_get_error (view (fixture)), ==, "The password is not right.");
  set_row (fixture, "unlock_password_row", PASSWORD);
  submit (fixture);
  g_assert_cmpstr (page (fixture), ==, "workspace");

  /* Locked when idle, on the idle-lock-minutes setting's time. */
  g_assert_cmpuint (pqs_session_get_idle_timeout (session), ==, 15 * 60);
  pqs_test_clock_advance (16 * 60 * G_USEC_PER_SEC);
  g_assert_true (pqs_session_check_idle (session));
  g_assert_cmpstr (page (fixture), ==, "sign-in");
  g_assert_cmpint (pqs_sign_in_view_get_mode (view (fixture)), ==, PQS_SIGN_IN_MODE_UNLOCK);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'auth.lock'"), ==, 2);

  /* Signing out from the locked page ends the session. */
  {
    GObject *button = gtk_widget_get_template_child (GTK_WIDGET (view (fixture)),
                                                     PQS_TYPE_SIGN_IN_VIEW, "sign_out_button");
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
    g_signal_emit_by_name (button, "clicked");
  }
  g_assert_cmpint (pqs_sign_in_view_get_mode (view (fixture)), ==, PQS_SIGN_IN_MODE_SIGN_IN);
  g_assert_null (pqs_window_get_session (fixture->window));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'auth.logout'"), ==, 2);
}

static void
test_forced_change (Fixture       *fixture,
                    gconstpointer  data)
{
  create_admin (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);
  g_assert_true (pqs_store_exec (pqs_window_get_store (fixture->window),
                                 "UPDATE users SET password_reset_required = 1", NULL));

  set_row (fixture, "username_row", "admin");
  set_row (fixture, "password_row", PASSWORD);
  submit (fixture);
  g_assert_cmpstr (page (fixture), ==, "sign-in");
  g_assert_cmpint (pqs_sign_in_view_get_mode (view (fixture)), ==,
                   PQS_SIGN_IN_MODE_CHANGE_PASSWORD);

  set_row (fixture, "current_password_row", PASSWORD);
  set_row (fixture, "new_password_row", "my own new password");
  set_row (fixture, "new_confirm_row", "my own new password");
  submit (fixture);
  g_assert_cmpstr (page (fixture), ==, "workspace");
  g_assert_cmpint (query_int (fixture, "SELECT password_reset_required FROM users"), ==, 0);
  g_assert_false (pqs_session_get_password_change_required (pqs_window_get_session (fixture->window)));
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

  g_test_add ("/sign-in/first-admin", Fixture, NULL, fixture_set_up, test_first_admin,
              fixture_tear_down);
  g_test_add ("/sign-in/lock-and-sign-out", Fixture, NULL, fixture_set_up,
              test_sign_in_lock_and_sign_out, fixture_tear_down);
  g_test_add ("/sign-in/forced-change", Fixture, NULL, fixture_set_up, test_forced_change,
              fixture_tear_down);

  return pqs_ui_test_run ();
}
