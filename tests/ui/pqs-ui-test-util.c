/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-ui-test"

#include "config.h"

#include "pqs-migrator.h"
#include "pqs-ui-test-util.h"
#include "pqs-user-directory.h"

/* Start-up ------------------------------------------------------------------------------ */

static char *data_home;

gboolean
pqs_ui_test_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  /* Correct argon2id hashes, made with the cheapest parameters. */
  pqs_test_use_fast_passwords ();

  /* GLib keeps the first user data folder it is asked for (GTK asks during
   * start-up), so point it at a folder of this run before anything else:
   * nothing a test does may reach the real user's data, backups included. */
  data_home = g_dir_make_tmp ("pqs-ui-data-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: skipping the widget tests\n");
      g_clear_pointer (&data_home, pqs_test_tmpdir_free);
      return FALSE;
    }
  adw_init ();
  return TRUE;
}

int
pqs_ui_test_run (void)
{
  int ret = g_test_run ();

  g_clear_pointer (&data_home, pqs_test_tmpdir_free);
  return ret;
}

char *
pqs_ui_test_make_tmpdir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

/* The database --------------------------------------------------------------------------- */

PqsStore *
pqs_ui_test_open_store (const char *path,
                        gboolean    fake_clock)
{
  PqsStore *store = pqs_test_open_store (path);

  if (fake_clock)
    pqs_test_clock_install (store, PQS_UI_TEST_START_TIME);
  return store;
}

void
pqs_ui_test_migrate (PqsStore *store,
                     guint     n_pending)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
  g_autoptr(GError) error = NULL;
  guint target;

  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);
  target = n_pending == 0 ? PQS_MIGRATOR_LATEST
                          : pqs_migrator_get_latest_version (migrator) - n_pending;
  g_assert_true (pqs_migrator_migrate (migrator, target, NULL, &error));
  g_assert_no_error (error);
}

PqsStore *
pqs_ui_test_open_migrated_store (const char *dir,
                                 const char *name,
                                 gboolean    fake_clock)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  PqsStore *store = pqs_ui_test_open_store (path, fake_clock);

  pqs_ui_test_migrate (store, 0);
  return store;
}

PqsUser *
pqs_ui_test_add_user (PqsStore   *store,
                      PqsUser    *actor,
                      const char *username,
                      const char *full_name,
                      const char *rank,
                      PqsRole     role)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (store);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, full_name, rank };
  PqsUser *user;

  if (actor == NULL)
    user = pqs_user_directory_create_first_admin (directory, &fields, PQS_UI_TEST_PASSWORD,
                                                  &error);
  else
    user = pqs_user_directory_create (directory, actor, &fields, role, PQS_UI_TEST_PASSWORD,
                                      &error);
  g_assert_no_error (error);
  return user;
}

PqsUser *
pqs_ui_test_lookup_user (PqsStore   *store,
                         const char *username)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (store);
  PqsUser *user = pqs_user_directory_lookup_by_username (directory, username, NULL);

  g_assert_nonnull (user);
  return user;
}

PqsSession *
pqs_ui_test_sign_in (PqsStore   *store,
                     const char *username)
{
  g_autoptr(GError) error = NULL;
  PqsSession *session = pqs_session_sign_in (store, username, PQS_UI_TEST_PASSWORD, &error);

  g_assert_no_error (error);
  return session;
}

gint64
pqs_ui_test_query_int (PqsStore   *store,
                       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (pqs_store_query_int64 (store, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

char *
pqs_ui_test_query_text (PqsStore   *store,
                        const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pqs_store_prepare (store, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

void
pqs_ui_test_exec (PqsStore   *store,
                  const char *sql)
{
  g_autoptr(GError) error = NULL;

  pqs_store_exec (store, sql, &error);
  g_assert_no_error (error);
}

/* The main loop ------------------------------------------------------------------------- */

void
pqs_ui_test_drain (void)
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

gboolean
pqs_ui_test_wait_until (PqsUiTestCondition condition,
                        gpointer           data,
                        guint              timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static gboolean
mapped_cb (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

gboolean
pqs_ui_test_wait_until_mapped (GtkWidget *widget,
                               guint      timeout_ms)
{
  return pqs_ui_test_wait_until (mapped_cb, widget, timeout_ms);
}

typedef struct
{
  GtkWidget         *widget;
  const char        *text;
  PqsUiTestFindFunc  find;
} LabelWait;

static gboolean
label_found_cb (gpointer data)
{
  LabelWait *wait = data;

  return wait->find (wait->widget, wait->text) != NULL;
}

GtkWidget *
pqs_ui_test_wait_for_label (GtkWidget         *widget,
                            const char        *text,
                            PqsUiTestFindFunc  find,
                            guint              timeout_ms)
{
  LabelWait wait = { widget, text, find };

  pqs_ui_test_wait_until (label_found_cb, &wait, timeout_ms);
  return find (widget, text);
}

/* Widgets ------------------------------------------------------------------------------- */

GtkWindow *
pqs_ui_test_window_new (GtkWidget *child,
                        int        width,
                        int        height)
{
  GtkWindow *window = g_object_ref (GTK_WINDOW (gtk_window_new ()));

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  return window;
}

void
pqs_ui_test_close_window (GtkWindow *window,
                          gpointer   child)
{
  gtk_window_destroy (window);
  pqs_ui_test_drain ();
  /* The window lets its child go when it is finalized. */
  g_assert_finalize_object (window);
  g_assert_finalize_object (child);
}

typedef struct
{
  guint  *n_toasts;
  char  **last_toast;
} ToastWatch;

static void
toast_cb (GtkWidget  *widget,
          AdwToast   *toast,
          ToastWatch *watch)
{
  (*watch->n_toasts)++;
  g_free (*watch->last_toast);
  *watch->last_toast = g_strdup (adw_toast_get_title (toast));
}

static void
toast_watch_free (gpointer  data,
                  GClosure *closure)
{
  g_free (data);
}

void
pqs_ui_test_watch_toasts (gpointer   widget,
                          guint     *n_toasts,
                          char     **last_toast)
{
  ToastWatch *watch = g_new (ToastWatch, 1);

  watch->n_toasts = n_toasts;
  watch->last_toast = last_toast;
  g_signal_connect_data (widget, "add-toast", G_CALLBACK (toast_cb), watch, toast_watch_free, 0);
}

gpointer
pqs_ui_test_template_child (gpointer    widget,
                            GType       type,
                            const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text,
            gboolean    visible_only)
{
  if (visible_only && !gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text, visible_only);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
pqs_ui_test_find_label (GtkWidget  *widget,
                        const char *text)
{
  return find_label (widget, text, FALSE);
}

GtkWidget *
pqs_ui_test_find_visible_label (GtkWidget  *widget,
                                const char *text)
{
  return find_label (widget, text, TRUE);
}

GtkWidget *
pqs_ui_test_find_row (GtkListBox *list_box,
                      const char *title)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return GTK_WIDGET (row);
  return NULL;
}

guint
pqs_ui_test_count_rows (GtkListBox *list_box)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list_box, n) != NULL)
    n++;
  return n;
}

gboolean
pqs_ui_test_label_visible (GtkWidget  *row,
                           const char *text)
{
  GtkWidget *label;

  g_assert_nonnull (row);
  label = pqs_ui_test_find_label (row, text);
  g_assert_nonnull (label);
  return gtk_widget_get_visible (label);
}

void
pqs_ui_test_click (gpointer button)
{
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  pqs_ui_test_drain ();
}

AdwMessageDialog *
pqs_ui_test_find_message_dialog (void)
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
