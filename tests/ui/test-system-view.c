/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-system-view"

#include "config.h"

#include <adwaita.h>

#include "pqs-audit-entry.h"
#include "pqs-audit-log-view.h"
#include "pqs-backup-service.h"
#include "pqs-backups-page.h"
#include "pqs-migrator.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-system-view.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"

/* The System view on a temporary database: the overview and the migrations
 * as the database has them, a backup made, cancelled and restored (and
 * what that wrote), the checks and maintenance, the audit log with its
 * filters and a chain broken by hand, and what a supervisor and a plain
 * user are shown. */

typedef struct
{
  char          *tmpdir;
  char          *db_path;
  PqsStore      *store;
  PqsUser       *admin;
  PqsUser       *supervisor;
  PqsSession    *session;
  GtkWindow     *window;
  PqsSystemView *view;
  GPtrArray     *toasts;
} Fixture;

typedef enum
{
  AS_ADMIN,
  AS_SUPERVISOR,
  AS_USER,
  AS_ADMIN_ONE_PENDING,
} Who;

/* Helpers --------------------------------------------------------------------- */

static gpointer
view_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->view, PQS_TYPE_SYSTEM_VIEW, name);
}

static gpointer
backups_child (Fixture    *fixture,
               const char *name)
{
  return pqs_ui_test_template_child (view_child (fixture, "backups_page"), PQS_TYPE_BACKUPS_PAGE,
                                     name);
}

static gpointer
audit_child (Fixture    *fixture,
             const char *name)
{
  return pqs_ui_test_template_child (view_child (fixture, "audit_view"), PQS_TYPE_AUDIT_LOG_VIEW,
                                     name);
}

/* Runs the main loop until the view has no work under way. */
static void
wait_idle (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  pqs_ui_test_drain ();
  while (pqs_system_view_get_busy (fixture->view))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  pqs_ui_test_drain ();
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

static gboolean
has_toast (Fixture    *fixture,
           const char *prefix)
{
  for (guint i = 0; i < fixture->toasts->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (fixture->toasts, i), prefix))
      return TRUE;
  return FALSE;
}

static void
add_toast_cb (PqsSystemView *view,
              AdwToast      *toast,
              Fixture       *fixture)
{
  g_assert_true (ADW_IS_TOAST (toast));
  g_ptr_array_add (fixture->toasts, g_strdup (adw_toast_get_title (toast)));
  g_object_ref_sink (toast);
  g_object_unref (toast);
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static AdwActionRow *
find_row (GtkListBox *list,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
      return ADW_ACTION_ROW (child);
  return NULL;
}

static const char *
row_subtitle (Fixture    *fixture,
              const char *row)
{
  return adw_action_row_get_subtitle (view_child (fixture, row));
}

static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  /* What a click on the response's button does: the response, then the
   * dialog goes. */
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  pqs_ui_test_drain ();
  g_assert_finalize_object (dialog);
}

/* Backup files (not partial ones) in the backup folder. */
static guint
count_backup_files (void)
{
  g_autofree char *dir_path = g_build_filename (g_get_user_data_dir (), PQS_DATA_FOLDER,
                                                "backups", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pqsbak") || g_str_has_suffix (name, ".db"))
      n++;
  return n;
}

static void
back_up (Fixture *fixture)
{
  GtkWidget *button = backups_child (fixture, "backup_button");

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gtk_widget_get_visible (backups_child (fixture, "progress_box")));
  g_assert_false (gtk_widget_get_visible (button));
  wait_idle (fixture);
  g_assert_false (gtk_widget_get_visible (backups_child (fixture, "progress_box")));
  g_assert_null (pqs_backups_page_get_error (view_child (fixture, "backups_page")));
}

/* Fixture --------------------------------------------------------------------- */

static PqsUser *
create_user (Fixture    *fixture,
             const char *username,
             const char *full_name,
             PqsRole     role)
{
  return pqs_ui_test_add_user (fixture->store, fixture->admin, username, full_name, "LT", role);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  Who who = GPOINTER_TO_INT (data);
  g_autoptr(PqsSession) supervisor_session = NULL;
  g_autoptr(GError) error = NULL;
  const char *username;

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-system-view-XXXXXX");
  fixture->db_path = g_build_filename (fixture->tmpdir, "pqs.db", NULL);
  fixture->toasts = g_ptr_array_new_with_free_func (g_free);

  fixture->store = pqs_ui_test_open_store (fixture->db_path, FALSE);
  pqs_ui_test_migrate (fixture->store, who == AS_ADMIN_ONE_PENDING ? 1 : 0);

  fixture->admin = create_user (fixture, "admin", "Ada Admin", PQS_ROLE_ADMIN);
  fixture->supervisor = create_user (fixture, "super", "Sam Supervisor", PQS_ROLE_SUPERVISOR);
  g_object_unref (create_user (fixture, "plain", "Pat User", PQS_ROLE_USER));

  /* The supervisor has been here too: the audit log has their rows. */
  supervisor_session = pqs_ui_test_sign_in (fixture->store, "super");
  g_assert_true (pqs_session_sign_out (supervisor_session, &error));

  username = who == AS_SUPERVISOR ? "super" : who == AS_USER ? "plain" : "admin";
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->view = g_object_ref (pqs_system_view_new ());
  g_signal_connect (fixture->view, "add-toast", G_CALLBACK (add_toast_cb), fixture);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->view), 1000, 760);
  pqs_system_view_set_session (fixture->view, fixture->session);
  gtk_window_present (fixture->window);

  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->view)))
    g_main_context_iteration (NULL, TRUE);
  wait_idle (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  wait_idle (fixture);
  g_assert_null (pqs_ui_test_find_message_dialog ());
  while ((dialog = pqs_ui_test_find_message_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->view);

  g_clear_object (&fixture->session);
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->supervisor);
  pqs_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);

  g_free (fixture->db_path);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
  g_ptr_array_unref (fixture->toasts);
}

/* Tests ------------------------------------------------------------------------ */

static void
test_overview (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (fixture->store);
  g_autofree char *schema = NULL;
  GtkListBox *tables = view_child (fixture, "tables_list");
  AdwActionRow *users;

  g_assert_true (pqs_migrator_load (migrator, NULL, NULL));
  schema = g_strdup_printf ("%u, up to date", pqs_migrator_get_latest_version (migrator));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "main_stack")), ==,
                   "content");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_child (fixture, "stack")), ==,
                   "overview");
  g_assert_cmpstr (row_subtitle (fixture, "path_row"), ==, pqs_store_get_path (fixture->store));
  g_assert_cmpstr (gtk_label_get_text (view_child (fixture, "schema_label")), ==, schema);
  g_assert_cmpstr (gtk_label_get_text (view_child (fixture, "journal_label")), ==, "WAL");
  g_assert_true (g_str_has_prefix (row_subtitle (fixture, "integrity_row"),
                                   "No problems found by the quick check"));
  g_assert_cmpstr (row_subtitle (fixture, "last_backup_row"), ==, "None yet");
  g_assert_true (g_str_has_prefix (row_subtitle (fixture, "schedule_row"), "Daily at 02:00"));

  /* The quick check counted the rows of each table. */
  g_assert_cmpuint (count_rows (tables), >, 5);
  users = find_row (tables, "users");
  g_assert_nonnull (users);
  g_assert_nonnull (find_row (tables, "user_activities"));
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (users)));

  /* Nothing was shown as a failure, and no toast for the automatic check. */
  g_assert_cmpuint (fixture->toasts->len, ==, 0);
}

static void
test_migrations (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (fixture->store);
  GtkListBox *list = view_child (fixture, "migrations_list");
  GtkWidget *first;
  guint n;

  g_assert_true (pqs_migrator_load (migrator, NULL, NULL));
  n = pqs_migrator_get_migrations (migrator)->len;

  g_assert_true (adw_view_stack_page_get_visible (view_child (fixture, "migrations_stack_page")));
  g_assert_cmpuint (count_rows (list), ==, n);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM migration_history"), ==, n);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                     "Applied "));
  first = gtk_widget_get_first_child (GTK_WIDGET (list));
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)),
                                   "001  "));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "migrate_button")));
}

static void
test_pending_migration (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (fixture->store);
  GtkListBox *list = view_child (fixture, "migrations_list");
  GtkWidget *last;
  guint latest;

  g_assert_true (pqs_migrator_load (migrator, NULL, NULL));
  latest = pqs_migrator_get_latest_version (migrator);

  last = gtk_widget_get_last_child (GTK_WIDGET (list));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (last)), ==, "Not applied yet");
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "migrate_button")));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (view_child (fixture, "schema_label")),
                                   "1 update pending"));

  g_signal_emit_by_name (view_child (fixture, "migrate_button"), "clicked");
  wait_idle (fixture);
  g_assert_true (has_toast (fixture, "1 migration applied"));
  g_assert_cmpint (query_int (fixture, "SELECT max(version) FROM migration_history"), ==, latest);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM migration_history WHERE "
                                       "applied_by = 'admin'"), ==, 1);
  last = gtk_widget_get_last_child (GTK_WIDGET (list));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (last)),
                                   "Applied "));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "migrate_button")));
}

static void
test_backup (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  guint files = count_backup_files ();

  g_assert_true (adw_view_stack_page_get_visible (view_child (fixture, "backups_stack_page")));
  back_up (fixture);

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM backup_history WHERE "
                                       "backup_status = 'completed' AND backup_type = 'manual' "
                                       "AND created_by = 'admin' AND is_compressed = 1"), ==, 1);
  path = query_text (fixture, "SELECT backup_path FROM backup_history WHERE "
                              "backup_status = 'completed'");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_suffix (path, ".pqsbak"));
  g_assert_cmpuint (count_backup_files (), ==, files + 1);
  g_assert_true (has_toast (fixture, "Backup finished"));

  /* Listed, and the overview knows it. */
  g_assert_cmpuint (count_rows (backups_child (fixture, "list_box")), >=, 1);
  g_assert_cmpstr (row_subtitle (fixture, "last_backup_row"), !=, "None yet");

  /* Verifying it from its row. */
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.verify", "s", path);
  wait_idle (fixture);
  g_assert_true (has_toast (fixture, "The backup is intact"));
}

static void
test_backup_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  guint files = count_backup_files ();

  g_signal_emit_by_name (backups_child (fixture, "backup_button"), "clicked");
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.cancel", NULL);
  wait_idle (fixture);

  g_assert_true (has_toast (fixture, "Backup cancelled"));
  g_assert_false (has_toast (fixture, "Backup finished"));
  g_assert_null (pqs_backups_page_get_error (view_child (fixture, "backups_page")));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM backup_history WHERE "
                                       "backup_status = 'completed'"), ==, 0);
  g_assert_cmpuint (count_backup_files (), ==, files);
  g_assert_cmpstr (row_subtitle (fixture, "last_backup_row"), ==, "None yet");

  /* The page works again after a cancel. */
  back_up (fixture);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM backup_history WHERE "
                                       "backup_status = 'completed'"), ==, 1);
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = NULL;
  AdwMessageDialog *dialog;
  guint n_replaced = 0;
  guint n_toasts;

  back_up (fixture);
  g_signal_connect_swapped (fixture->view, "database-replaced", G_CALLBACK (count_cb),
                            &n_replaced);
  path = query_text (fixture, "SELECT backup_path FROM backup_history WHERE "
                              "backup_status = 'completed'");

  /* Written after the backup: the restore takes it away. */
  g_object_unref (create_user (fixture, "later", "Lee Later", PQS_ROLE_USER));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'later'"),
                   ==, 1);

  /* Cancelling the confirmation changes nothing. */
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.restore", "s", path);
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "restore point"));
  respond (dialog, "cancel");
  wait_idle (fixture);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'later'"),
                   ==, 1);

  g_assert_cmpuint (n_replaced, ==, 0);

  n_toasts = fixture->toasts->len;
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.restore", "s", path);
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  respond (dialog, "restore");
  wait_idle (fixture);

  /* One toast says so, and "database-replaced" has everyone sign in again
   * (the window adds no toast of its own). */
  g_assert_null (pqs_backups_page_get_error (view_child (fixture, "backups_page")));
  g_assert_cmpuint (n_replaced, ==, 1);
  g_assert_cmpuint (fixture->toasts->len, ==, n_toasts + 1);
  g_assert_true (has_toast (fixture, "Backup restored"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM users WHERE username = 'later'"),
                   ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM backup_history WHERE "
                                       "backup_type = 'pre-restore' AND "
                                       "backup_status = 'completed'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'backup.restore'"), ==, 1);
  {
    g_autofree char *restore_point = query_text (fixture, "SELECT backup_path FROM backup_history "
                                                          "WHERE backup_type = 'pre-restore'");
    g_assert_true (g_file_test (restore_point, G_FILE_TEST_IS_REGULAR));
  }

  /* The view reads the restored database: the restore is in its audit log. */
  {
    GListModel *model = pqs_audit_log_view_get_model (view_child (fixture, "audit_view"));
    g_autoptr(PqsAuditEntry) newest = g_list_model_get_item (model, 0);

    g_assert_cmpstr (pqs_audit_entry_get_activity_type (newest), ==, "backup.restore");
  }
}

static void
test_encrypted (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsBackupService) service = pqs_backup_service_new (fixture->store, NULL);
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, TRUE, "the right passphrase", NULL,
                               "admin", PQS_BACKUP_KDF_INTERACTIVE };
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  info = pqs_backup_service_create (service, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  pqs_backups_page_reload (view_child (fixture, "backups_page"));

  /* The list knows it is encrypted: the passphrase is asked for first. */
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.verify", "s",
                              info->path);
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "verify"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "not the passphrase");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "verify"));
  respond (dialog, "verify");
  wait_idle (fixture);

  /* A wrong one asks again, and says so. */
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "does not unlock"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "the right passphrase");
  respond (dialog, "verify");
  wait_idle (fixture);
  g_assert_true (has_toast (fixture, "The backup is intact"));
  g_assert_null (pqs_backups_page_get_error (view_child (fixture, "backups_page")));

  /* The form refuses two different passphrases before anything runs. */
  adw_expander_row_set_enable_expansion (backups_child (fixture, "encrypt_row"), TRUE);
  gtk_editable_set_text (backups_child (fixture, "passphrase_row"), "one passphrase");
  gtk_editable_set_text (backups_child (fixture, "confirm_row"), "another passphrase");
  g_signal_emit_by_name (backups_child (fixture, "backup_button"), "clicked");
  g_assert_cmpstr (pqs_backups_page_get_error (view_child (fixture, "backups_page")), ==,
                   "The two passphrases differ.");
  g_assert_false (pqs_system_view_get_busy (fixture->view));
}

static void
test_diagnostics (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "maintenance_group")));

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.check", NULL);
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "check_progress_box")));
  wait_idle (fixture);
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "check_progress_box")));
  g_assert_true (has_toast (fixture, "Check finished: no problems"));
  g_assert_true (g_str_has_prefix (row_subtitle (fixture, "integrity_row"),
                                   "No problems found by the full check"));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "results_list")));
  g_assert_nonnull (find_row (view_child (fixture, "results_list"), "Foreign Keys"));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "diagnostics_error_label")));

  /* A check cancelled at once says so and leaves the last result. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.check", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.cancel", NULL);
  wait_idle (fixture);
  g_assert_cmpuint (fixture->toasts->len, ==, 2);
  g_assert_true (has_toast (fixture, "Check cancelled") ||
                 g_str_equal (g_ptr_array_index (fixture->toasts, 1),
                              "Check finished: no problems") /* it was done first */);
  g_test_message ("second toast: %s", (char *) g_ptr_array_index (fixture->toasts, 1));

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.checkpoint", NULL);
  wait_idle (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.optimize", NULL);
  wait_idle (fixture);
  g_assert_true (has_toast (fixture, "Optimized: "));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "diagnostics_error_label")));
}

static guint
user_position (Fixture    *fixture,
               const char *name)
{
  GListModel *names = gtk_drop_down_get_model (audit_child (fixture, "user_dropdown"));

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), name) == 0)
      return i;
  g_assert_not_reached ();
}

static void
test_audit_log (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *model = pqs_audit_log_view_get_model (view_child (fixture, "audit_view"));
  GtkEditable *since = audit_child (fixture, "since_entry");
  GtkEditable *until = audit_child (fixture, "until_entry");
  g_autofree char *intact = NULL;
  guint all, n;

  /* Everything, newest first. */
  all = g_list_model_get_n_items (model);
  g_assert_cmpint (all, ==, query_int (fixture, "SELECT count(*) FROM user_activities"));
  g_assert_cmpuint (all, >, 3);
  for (guint i = 1; i < all; i++)
    {
      g_autoptr(PqsAuditEntry) newer = g_list_model_get_item (model, i - 1);
      g_autoptr(PqsAuditEntry) older = g_list_model_get_item (model, i);

      g_assert_cmpint (pqs_audit_entry_get_id (newer), >, pqs_audit_entry_get_id (older));
    }

  /* One user's rows only. */
  gtk_drop_down_set_selected (audit_child (fixture, "user_dropdown"),
                              user_position (fixture, "LT Sam Supervisor"));
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, all);
  g_assert_cmpint (n, ==, query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                              "user_id = (SELECT id FROM users WHERE "
                                              "username = 'super')"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsAuditEntry) entry = g_list_model_get_item (model, i);

      g_assert_cmpint (pqs_audit_entry_get_user_id (entry), ==,
                       pqs_user_get_id (fixture->supervisor));
    }

  /* And one action of theirs. */
  gtk_editable_set_text (audit_child (fixture, "action_entry"), "auth.login");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Dates: a wrong one is said and not applied; a range with nothing in it. */
  gtk_editable_set_text (since, "2000-13-01");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (since), "error"));
  g_assert_true (gtk_widget_get_visible (audit_child (fixture, "date_error_label")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  gtk_editable_set_text (since, "2000-01-01");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (since), "error"));
  g_assert_false (gtk_widget_get_visible (audit_child (fixture, "date_error_label")));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  gtk_editable_set_text (until, "2000-01-31");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (audit_child (fixture, "list_stack")), ==,
                   "empty");

  gtk_widget_activate_action (view_child (fixture, "audit_view"), "audit.clear-filters", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, all);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (audit_child (fixture, "list_stack")), ==,
                   "list");

  /* The chain, intact. */
  gtk_widget_activate_action (view_child (fixture, "audit_view"), "audit.verify", NULL);
  wait_idle (fixture);
  intact = g_strdup_printf ("%u rows, intact", all);
  g_assert_cmpstr (pqs_audit_log_view_get_result (view_child (fixture, "audit_view")), ==, intact);
  g_assert_true (has_toast (fixture, "The audit chain is intact"));

  /* Tampered with by hand: the first bad row is named. */
  g_assert_true (pqs_store_exec (fixture->store,
                                 "DROP TRIGGER user_activities_no_update; "
                                 "UPDATE user_activities SET details = '{\"forged\":true}' "
                                 "WHERE id = 2", NULL));
  gtk_widget_activate_action (view_child (fixture, "audit_view"), "audit.verify", NULL);
  wait_idle (fixture);
  g_assert_nonnull (strstr (pqs_audit_log_view_get_result (view_child (fixture, "audit_view")),
                            "row 2 "));
}

static void
test_supervisor (Fixture       *fixture,
                 gconstpointer  data)
{
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "main_stack")), ==,
                   "content");
  g_assert_true (adw_view_stack_page_get_visible (view_child (fixture, "overview_stack_page")));
  g_assert_true (adw_view_stack_page_get_visible (view_child (fixture, "diagnostics_stack_page")));
  g_assert_true (adw_view_stack_page_get_visible (view_child (fixture, "audit_stack_page")));
  g_assert_false (adw_view_stack_page_get_visible (view_child (fixture, "backups_stack_page")));
  g_assert_false (adw_view_stack_page_get_visible (view_child (fixture, "migrations_stack_page")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "maintenance_group")));

  /* Read-only: the check runs, optimizing and backing up do not. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.check", NULL);
  wait_idle (fixture);
  g_assert_true (has_toast (fixture, "Check finished: no problems"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.optimize", NULL);
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.create", NULL);
  wait_idle (fixture);
  g_assert_false (has_toast (fixture, "Optimized"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM backup_history"), ==, 0);

  /* The audit log is theirs to read and verify. */
  g_assert_cmpuint (g_list_model_get_n_items (
                      pqs_audit_log_view_get_model (view_child (fixture, "audit_view"))), >, 0);
  gtk_widget_activate_action (view_child (fixture, "audit_view"), "audit.verify", NULL);
  wait_idle (fixture);
  g_assert_true (g_str_has_suffix (pqs_audit_log_view_get_result (view_child (fixture,
                                                                             "audit_view")),
                                   " rows, intact"));
}

static void
test_plain_user (Fixture       *fixture,
                 gconstpointer  data)
{
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "main_stack")), ==,
                   "denied");
  g_assert_null (pqs_audit_log_view_get_model (view_child (fixture, "audit_view")));

  /* Signing out empties the view too. */
  pqs_system_view_set_session (fixture->view, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (view_child (fixture, "main_stack")), ==,
                   "denied");
}

static void
test_show_back (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *back = view_child (fixture, "back_button");
  AdwHeaderBar *header = view_child (fixture, "header_bar");

  g_assert_false (gtk_widget_get_visible (back));
  g_assert_false (adw_header_bar_get_show_start_title_buttons (header));
  g_object_set (fixture->view, "show-back", TRUE, NULL);
  g_assert_true (gtk_widget_get_visible (back));
  g_assert_true (adw_header_bar_get_show_start_title_buttons (header));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (back)), ==, "main.back");
  pqs_system_view_set_show_back (fixture->view, FALSE);
  g_assert_false (gtk_widget_get_visible (back));
}

/* Screenshots (only with PQS_SCREENSHOTS=folder): every page, wide and
 * narrow, light and dark, to look at. */

static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 600 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *folder = g_getenv ("PQS_SCREENSHOTS");
  const char *pages[] = { "overview", "migrations", "backups", "diagnostics", "audit" };
  const struct { const char *name; int width; int height; } sizes[] = {
    { "wide", 1000, 760 }, { "narrow", 360, 720 },
  };
  g_autoptr(PqsBackupService) service = pqs_backup_service_new (fixture->store, NULL);
  PqsBackupOptions options = { PQS_BACKUP_TYPE_SCHEDULED, TRUE, "secret passphrase", NULL,
                               "scheduler", PQS_BACKUP_KDF_INTERACTIVE };
  g_autoptr(PqsBackupInfo) info = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();

  gboolean admin = pqs_user_get_role (pqs_session_get_user (fixture->session)) == PQS_ROLE_ADMIN;

  g_mkdir_with_parents (folder, 0755);
  info = pqs_backup_service_create (service, &options, NULL, NULL, NULL, NULL);
  if (!admin)
    {
      /* A supervisor: the pages they have, then done. */
      pages[1] = pages[2] = "overview";
      gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.check", NULL);
      wait_idle (fixture);
      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          g_autofree char *name = g_strdup_printf ("system-supervisor-%s.png", pages[p]);
          g_autofree char *path = g_build_filename (folder, name, NULL);

          adw_view_stack_set_visible_child_name (view_child (fixture, "stack"), pages[p]);
          settle ();
          save_png (GTK_WIDGET (fixture->window), path);
        }
      return;
    }
  back_up (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "system.check", NULL);
  wait_idle (fixture);
  pqs_system_view_refresh (fixture->view);
  wait_idle (fixture);

  for (guint dark = 0; dark < 2; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          gtk_window_set_default_size (fixture->window, sizes[s].width, sizes[s].height);
          settle ();
          for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
            {
              g_autofree char *name = g_strdup_printf ("system-%s-%s-%s.png", pages[p],
                                                       sizes[s].name, dark ? "dark" : "light");
              g_autofree char *path = g_build_filename (folder, name, NULL);

              adw_view_stack_set_visible_child_name (view_child (fixture, "stack"), pages[p]);
              settle ();
              save_png (GTK_WIDGET (fixture->window), path);
            }
        }
    }

  /* A backup under way, and a broken chain. */
  gtk_window_set_default_size (fixture->window, 1000, 760);
  adw_view_stack_set_visible_child_name (view_child (fixture, "stack"), "backups");
  settle ();
  g_signal_emit_by_name (backups_child (fixture, "backup_button"), "clicked");
  for (guint i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  {
    g_autofree char *path = g_build_filename (folder, "system-backup-running-dark.png", NULL);

    save_png (GTK_WIDGET (fixture->window), path);
  }
  wait_idle (fixture);
  g_assert_true (pqs_store_exec (fixture->store,
                                 "DROP TRIGGER user_activities_no_update; "
                                 "UPDATE user_activities SET details = '{}' WHERE id = 3", NULL));
  adw_view_stack_set_visible_child_name (view_child (fixture, "stack"), "audit");
  gtk_widget_activate_action (view_child (fixture, "audit_view"), "audit.verify", NULL);
  wait_idle (fixture);
  gtk_drop_down_set_selected (audit_child (fixture, "user_dropdown"), 1);
  gtk_editable_set_text (audit_child (fixture, "since_entry"), "2025-02-30");
  gtk_widget_activate (audit_child (fixture, "since_entry"));
  settle ();
  {
    g_autofree char *path = g_build_filename (folder, "system-audit-broken-dark.png", NULL);

    save_png (GTK_WIDGET (fixture->window), path);
  }

  /* The restore confirmation and the passphrase prompt. */
  adw_view_stack_set_visible_child_name (view_child (fixture, "stack"), "backups");
  gtk_widget_activate_action (view_child (fixture, "backups_page"), "backups.restore", "s",
                              info->path);
  settle ();
  {
    AdwMessageDialog *dialog = pqs_ui_test_find_message_dialog ();
    g_autofree char *path = g_build_filename (folder, "system-restore-dialog-dark.png", NULL);

    save_png (GTK_WIDGET (dialog), path);
    respond (dialog, "cancel");
  }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, who, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (who), fixture_set_up, func, fixture_tear_down)

  ADD ("/system-view/overview", AS_ADMIN, test_overview);
  ADD ("/system-view/migrations", AS_ADMIN, test_migrations);
  ADD ("/system-view/pending-migration", AS_ADMIN_ONE_PENDING, test_pending_migration);
  ADD ("/system-view/backup", AS_ADMIN, test_backup);
  ADD ("/system-view/backup-cancel", AS_ADMIN, test_backup_cancel);
  ADD ("/system-view/restore", AS_ADMIN, test_restore);
  ADD ("/system-view/encrypted", AS_ADMIN, test_encrypted);
  ADD ("/system-view/diagnostics", AS_ADMIN, test_diagnostics);
  ADD ("/system-view/audit-log", AS_ADMIN, test_audit_log);
  ADD ("/system-view/supervisor", AS_SUPERVISOR, test_supervisor);
  ADD ("/system-view/plain-user", AS_USER, test_plain_user);
  ADD ("/system-view/show-back", AS_ADMIN, test_show_back);

  if (g_getenv ("PQS_SCREENSHOTS") != NULL)
    {
      ADD ("/system-view/screenshots", AS_ADMIN, test_screenshots);
      ADD ("/system-view/screenshots-supervisor", AS_SUPERVISOR, test_screenshots);
    }

#undef ADD

  return pqs_ui_test_run ();
}
