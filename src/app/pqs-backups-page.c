/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-backup-scheduler.h"
#include "pqs-backup-service.h"
#include "pqs-backups-page.h"
#include "pqs-session.h"
#include "pqs-settings.h"
#include "pqs-store.h"
#include "pqs-user.h"

/**
 * PqsBackupsPage:
 *
 * The Backups page of the System view: "Back Up Now" with its progress
 * and Cancel, the list of backups (date, type, size, status, compressed or
 * encrypted) with Verify and Restore on each, verifying or restoring a file
 * picked with the native file chooser, and a summary of the automatic
 * backups that Preferences sets. Every long step runs in the backup
 * service's threads; a restore is confirmed first and asks for the
 * passphrase of an encrypted backup.
 *
 * Signals: "add-toast" (#AdwToast) for results, "changed" when the list of
 * backups may have changed, "database-replaced" after a restore.
 */

typedef enum
{
  JOB_NONE,
  JOB_CREATE,
  JOB_VERIFY,
  JOB_RESTORE,
} Job;

struct _PqsBackupsPage
{
  GtkWidget             parent_instance;

  /* Template children */
  AdwPreferencesPage   *page;
  AdwPreferencesGroup  *create_group;
  AdwPreferencesGroup  *list_group;
  GtkSwitch            *compress_switch;
  AdwExpanderRow       *encrypt_row;
  AdwPasswordEntryRow  *passphrase_row;
  AdwPasswordEntryRow  *confirm_row;
  GtkButton            *backup_button;
  GtkBox               *progress_box;
  GtkProgressBar       *progress_bar;
  GtkButton            *cancel_button;
  GtkLabel             *error_label;
  AdwActionRow         *schedule_row;
  GtkListBox           *list_box;
  AdwActionRow         *verify_file_row;
  AdwActionRow         *restore_file_row;

  PqsSession           *session;
  PqsBackupService     *service;
  PqsBackupScheduler   *scheduler;   /* never started: it only computes the next time */
  GSettings            *settings;
  GPtrArray            *backups;     /* PqsBackupInfo, newest first */
  GtkFileChooserNative *chooser;

  Job                   job;
  GCancellable         *cancellable;
  guint                 pulse_id;
  char                 *job_path;    /* the file being verified or restored */
  char                 *error;
};

G_DEFINE_FINAL_TYPE (PqsBackupsPage, pqs_backups_page, GTK_TYPE_WIDGET)

enum {
  ADD_TOAST,
  CHANGED,
  DATABASE_REPLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_actions (PqsBackupsPage *self);

static void
add_toast (PqsBackupsPage *self,
           const char     *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static void
set_error (PqsBackupsPage *self,
           const char     *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static PqsUser *
current_user (PqsBackupsPage *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

static gboolean
allows (PqsBackupsPage *self,
        PqsAction       action)
{
  PqsUser *user = current_user (self);

  return user != NULL && self->service != NULL && pqs_auth_allows (user, action, NULL);
}

/* The model re-checks nothing for the store's services: this is the check. */
static gboolean
check_allowed (PqsBackupsPage *self,
               PqsAction       action)
{
  g_autoptr(GError) error = NULL;

  if (self->service == NULL)
    return FALSE;
  if (pqs_auth_check (current_user (self), action, NULL, &error))
    return TRUE;

  set_error (self, error->message);
  return FALSE;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED);
}

static GtkWindow *
parent_window (PqsBackupsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static char *
format_time (const char *iso8601)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL || (time = pqs_store_parse_time (iso8601)) == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  /* Translators: when a backup was made; see g_date_time_format(). */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static const char *
type_label (PqsBackupType type)
{
  switch (type)
    {
    case PQS_BACKUP_TYPE_MANUAL:
      return _("Manual");
    case PQS_BACKUP_TYPE_SCHEDULED:
      return _("Scheduled");
    case PQS_BACKUP_TYPE_PRE_MIGRATION:
      return _("Before an update");
    case PQS_BACKUP_TYPE_PRE_RESTORE:
      return _("Restore point");
    case PQS_BACKUP_TYPE_PRE_ROLLBACK:
      return _("Before a rollback");
    default:
      return _("Backup");
    }
}

/* Jobs ----------------------------------------------------------------------- */

static gboolean
pulse_cb (gpointer user_data)
{
  PqsBackupsPage *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
start_job (PqsBackupsPage *self,
           Job             job,
           const char     *stage)
{
  g_assert (self->job == JOB_NONE);

  self->job = job;
  self->cancellable = g_cancellable_new ();
  set_error (self, NULL);

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, stage);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_button), FALSE);

  /* Only a backup reports how far it is; verifying and restoring pulse. */
  if (job != JOB_CREATE)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);

  update_actions (self);
}

static void
end_job (PqsBackupsPage *self)
{
  self->job = JOB_NONE;
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_button), TRUE);
  update_actions (self);
}

/* A callback that comes back after the page was disposed finds no widgets. */
static gboolean
is_disposed (PqsBackupsPage *self)
{
  return self->progress_bar == NULL;
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsBackupsPage *self = PQS_BACKUPS_PAGE (widget);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_progress_bar_set_text (self->progress_bar, _("Cancelling…"));
    }
}

/* Back up ------------------------------------------------------------------ */

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Called in our main context; the page may be gone by then. */
static void
create_progress_cb (const char *stage,
                    double      fraction,
                    gpointer    user_data)
{
  g_autoptr(PqsBackupsPage) self = g_weak_ref_get (user_data);

  if (self == NULL || is_disposed (self) || self->job != JOB_CREATE)
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (stage != NULL && !g_cancellable_is_cancelled (self->cancellable))
    gtk_progress_bar_set_text (self->progress_bar, stage);
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PqsBackupsPage) self = user_data;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = pqs_backup_service_create_finish (PQS_BACKUP_SERVICE (object), result, &error);
  if (is_disposed (self))
    return;

  end_job (self);

  if (info != NULL)
    {
      g_autofree char *size = g_format_size (MAX (info->size, 0));
      g_autofree char *title = NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), "");
      /* Translators: %s is the size of the backup file, e.g. "1.2 MB". */
      title = g_strdup_printf (_("Backup finished (%s)"), size);
      add_toast (self, title);
    }
  else if (is_cancelled (error))
    {
      add_toast (self, _("Backup cancelled"));
    }
  else
    {
      set_error (self, error->message);
    }

  pqs_backups_page_reload (self);
}

static void
create_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsBackupsPage *self = PQS_BACKUPS_PAGE (widget);
  PqsBackupOptions options = { 0, };
  const char *passphrase = NULL;
  GWeakRef *ref;

  if (self->job != JOB_NONE || !check_allowed (self, PQS_ACTION_MANAGE_BACKUPS))
    return;

  if (adw_expander_row_get_enable_expansion (self->encrypt_row))
    {
      passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));
      if (*passphrase == '\0')
        {
          set_error (self, _("Choose a passphrase to encrypt the backup with, or turn "
                             "encryption off."));
          adw_expander_row_set_expanded (self->encrypt_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
          return;
        }
      if (g_strcmp0 (passphrase, gtk_editable_get_text (GTK_EDITABLE (self->confirm_row))) != 0)
        {
          set_error (self, _("The two passphrases differ."));
          adw_expander_row_set_expanded (self->encrypt_row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
          return;
        }
    }

  options.type = PQS_BACKUP_TYPE_MANUAL;
  options.compress = gtk_switch_get_active (self->compress_switch);
  options.passphrase = passphrase;
  options.created_by = pqs_user_get_username (current_user (self));
  options.kdf = PQS_BACKUP_KDF_MODERATE;

  start_job (self, JOB_CREATE, _("Starting the backup…"));

  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  pqs_backup_service_create_async (self->service, &options,
                                   create_progress_cb, ref, weak_ref_free,
                                   self->cancellable, create_cb, g_object_ref (self));
}

/* Passphrases ----------------------------------------------------------------- */

static void verify_path (PqsBackupsPage *self, const char *path, const char *passphrase);
static void restore_path (PqsBackupsPage *self, const char *path, const char *passphrase);

/* The response a passphrase entry enables once it holds something. */
static void
passphrase_changed_cb (GtkEditable      *entry,
                       AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (entry), "response");

  adw_message_dialog_set_response_enabled (dialog, response,
                                           *gtk_editable_get_text (entry) != '\0');
}

/* Enter in the passphrase means its response, even where the dialog's
 * default is Cancel (a restore). */
static void
passphrase_activate_cb (GtkEditable      *entry,
                        AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (entry), "response");

  if (adw_message_dialog_get_response_enabled (dialog, response))
    {
      adw_message_dialog_response (dialog, response);
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

/* GTK 4.8 warns about an invalid GtkPasswordEntry when a window is
 * finalized with the focus still in the entry: move it away first. */
static void
unfocus_cb (AdwMessageDialog *dialog)
{
  gtk_window_set_focus (GTK_WINDOW (dialog), NULL);
}

static GtkWidget *
passphrase_entry_new (AdwMessageDialog *dialog,
                      const char       *response)
{
  GtkWidget *entry = gtk_password_entry_new ();

  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "placeholder-text", _("Passphrase"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Passphrase"),
                                  -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_set_response_enabled (dialog, response, FALSE);
  g_object_set_data_full (G_OBJECT (entry), "response", g_strdup (response), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (passphrase_changed_cb), dialog, 0);
  g_signal_connect_object (entry, "activate", G_CALLBACK (passphrase_activate_cb), dialog, 0);
  g_signal_connect (dialog, "response", G_CALLBACK (unfocus_cb), NULL);
  return entry;
}

static const char *
dialog_passphrase (AdwMessageDialog *dialog)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  if (entry == NULL)
    return NULL;
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static void
passphrase_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        PqsBackupsPage   *self)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");

  if (g_str_equal (response, "verify"))
    verify_path (self, path, dialog_passphrase (dialog));
  else if (g_str_equal (response, "restore"))
    restore_path (self, path, dialog_passphrase (dialog));
}

/* Asks for the passphrase of an encrypted backup, then verifies or restores
 * it; @wrong says the last one did not unlock it. */
static void
ask_passphrase (PqsBackupsPage *self,
                const char     *path,
                gboolean        restore,
                gboolean        wrong)
{
  g_autofree char *name = g_path_get_basename (path);
  const char *response = restore ? "restore" : "verify";
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Passphrase Needed"), NULL));
  if (wrong)
    /* Translators: %s is the name of a backup file. */
    adw_message_dialog_format_body (dialog, _("That passphrase does not unlock “%s”. Enter "
                                              "the passphrase the backup was made with."),
                                    name);
  else
    adw_message_dialog_format_body (dialog, _("“%s” is encrypted. Enter the passphrase it "
                                              "was made with."), name);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    response, restore ? _("_Restore") : _("_Verify"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, response,
                                              restore ? ADW_RESPONSE_DESTRUCTIVE
                                                      : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");

  passphrase_entry_new (dialog, response);

  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (passphrase_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Verify ---------------------------------------------------------------------- */

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PqsBackupsPage) self = user_data;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = pqs_backup_service_verify_finish (PQS_BACKUP_SERVICE (object), result, &error);
  if (is_disposed (self))
    return;

  end_job (self);

  if (info != NULL)
    {
      g_autofree char *title = NULL;

      if (info->schema_version >= 0)
        /* Translators: %d is the schema version of the database in the backup. */
        title = g_strdup_printf (_("The backup is intact (schema version %d)"),
                                 info->schema_version);
      else
        title = g_strdup (_("The backup is intact"));
      add_toast (self, title);
    }
  else if (is_cancelled (error))
    {
      add_toast (self, _("Verification cancelled"));
    }
  else if (g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NEEDS_PASSPHRASE) ||
           g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_WRONG_PASSPHRASE))
    {
      ask_passphrase (self, self->job_path, FALSE,
                      g_error_matches (error, PQS_BACKUP_ERROR,
                                       PQS_BACKUP_ERROR_WRONG_PASSPHRASE));
    }
  else
    {
      set_error (self, error->message);
    }
}

static void
verify_path (PqsBackupsPage *self,
             const char     *path,
             const char     *passphrase)
{
  if (self->job != JOB_NONE || !check_allowed (self, PQS_ACTION_MANAGE_BACKUPS))
    return;

  g_free (self->job_path);
  self->job_path = g_strdup (path);
  start_job (self, JOB_VERIFY, _("Verifying the backup…"));
  pqs_backup_service_verify_async (self->service, path, passphrase, self->cancellable,
                                   verify_cb, g_object_ref (self));
}

/* Restore --------------------------------------------------------------------- */

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PqsBackupsPage) self = user_data;
  g_autoptr(PqsBackupInfo) restore_point = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = pqs_backup_service_restore_finish (PQS_BACKUP_SERVICE (object), result, &restore_point,
                                          &error);
  if (is_disposed (self))
    return;

  end_job (self);

  if (ok)
    {
      add_toast (self, _("Backup restored. The database as it was is kept as a restore point."));
      pqs_backups_page_reload (self);
      g_signal_emit (self, signals[DATABASE_REPLACED], 0);
      return;
    }

  if (is_cancelled (error))
    add_toast (self, _("Restore cancelled; nothing was changed"));
  else if (g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NEEDS_PASSPHRASE) ||
           g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_WRONG_PASSPHRASE))
    ask_passphrase (self, self->job_path, TRUE,
                    g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_WRONG_PASSPHRASE));
  else
    set_error (self, error->message);

  pqs_backups_page_reload (self);
}

static void
restore_path (PqsBackupsPage *self,
              const char     *path,
              const char     *passphrase)
{
  if (self->job != JOB_NONE || !check_allowed (self, PQS_ACTION_RESTORE))
    return;

  g_free (self->job_path);
  self->job_path = g_strdup (path);
  start_job (self, JOB_RESTORE, _("Checking the backup and taking a restore point…"));
  pqs_backup_service_restore_async (self->service, path, passphrase, self->cancellable,
                                    restore_cb, g_object_ref (self));
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PqsBackupsPage   *self)
{
  if (g_str_equal (response, "restore"))
    restore_path (self, g_object_get_data (G_OBJECT (dialog), "path"),
                  dialog_passphrase (dialog));
}

/* The confirmation a restore needs; @encrypted asks for the passphrase in
 * the same dialog (a file picked from disk is asked for when it needs one). */
static void
confirm_restore (PqsBackupsPage *self,
                 const char     *path,
                 const char     *made,
                 gboolean        encrypted)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (self->job != JOB_NONE || !check_allowed (self, PQS_ACTION_RESTORE))
    return;

  /* Translators: %s is when the backup was made, or the name of its file. */
  body = g_strdup_printf (_("The database is replaced by the backup of %s. A restore point of "
                            "the database as it is now is taken first, so nothing is lost.\n\n"
                            "Everyone else using this database must close PQS Desk first."),
                          made);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Restore This Backup?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  if (encrypted)
    passphrase_entry_new (dialog, "restore");

  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const PqsBackupInfo *
find_backup (PqsBackupsPage *self,
             const char     *path)
{
  for (guint i = 0; self->backups != NULL && i < self->backups->len; i++)
    {
      const PqsBackupInfo *info = g_ptr_array_index (self->backups, i);

      if (g_strcmp0 (info->path, path) == 0)
        return info;
    }
  return NULL;
}

static void
verify_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsBackupsPage *self = PQS_BACKUPS_PAGE (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  const PqsBackupInfo *info = find_backup (self, path);

  if (info != NULL && info->encrypted)
    ask_passphrase (self, path, FALSE, FALSE);
  else
    verify_path (self, path, NULL);
}

static void
restore_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PqsBackupsPage *self = PQS_BACKUPS_PAGE (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  const PqsBackupInfo *info = find_backup (self, path);
  g_autofree char *made = info != NULL ? format_time (info->created_at) : NULL;

  if (made == NULL)
    made = g_path_get_basename (path);
  confirm_restore (self, path, made, info != NULL && info->encrypted);
}

/* Files ----------------------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     PqsBackupsPage  *self)
{
  gboolean restore = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "restore"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);

  g_clear_object (&self->chooser);

  if (path == NULL)
    return;

  if (restore)
    {
      g_autofree char *name = g_path_get_basename (path);

      confirm_restore (self, path, name, FALSE);
    }
  else
    {
      verify_path (self, path, NULL);
    }
}

static void
choose_file (PqsBackupsPage *self,
             gboolean        restore)
{
  g_autoptr(GFile) folder = NULL;
  GtkFileFilter *filter;

  if (self->chooser != NULL || self->job != JOB_NONE ||
      !check_allowed (self, restore ? PQS_ACTION_RESTORE : PQS_ACTION_MANAGE_BACKUPS))
    return;

  self->chooser = gtk_file_chooser_native_new (restore ? _("Restore a Backup")
                                                       : _("Verify a Backup"),
                                               parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               restore ? _("_Restore…") : _("_Verify"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data (G_OBJECT (self->chooser), "restore", GINT_TO_POINTER (restore));

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PQS Desk Backups"));
  gtk_file_filter_add_pattern (filter, "*.pqsbak");
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All Files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);

  folder = g_file_new_for_path (pqs_backup_service_get_backup_dir (self->service));
  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
verify_file_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  choose_file (PQS_BACKUPS_PAGE (widget), FALSE);
}

static void
restore_file_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  choose_file (PQS_BACKUPS_PAGE (widget), TRUE);
}

/* The list --------------------------------------------------------------------- */

static GtkWidget *
icon_button_new (const char *icon_name,
                 const char *label,
                 const char *action_name,
                 const char *path)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

static GtkWidget *
status_label_new (const char *text,
                  const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, style);
  return label;
}

static GtkWidget *
backup_row_new (PqsBackupsPage      *self,
                const PqsBackupInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *made = format_time (info->created_at);
  g_autofree char *name = g_path_get_basename (info->path);
  g_autoptr(GString) subtitle = g_string_new (type_label (info->type));
  gboolean usable = info->file_exists &&
                    (info->status == NULL || g_str_equal (info->status, "completed"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), made != NULL ? made : name);
  gtk_widget_set_tooltip_text (row, info->path);

  if (info->size >= 0)
    {
      g_autofree char *size = g_format_size (info->size);

      g_string_append_printf (subtitle, " · %s", size);
    }
  if (info->compressed)
    g_string_append_printf (subtitle, " · %s", _("compressed"));
  if (info->encrypted)
    g_string_append_printf (subtitle, " · %s", _("encrypted"));
  if (info->created_by != NULL && *info->created_by != '\0')
    /* Translators: who made a backup: a username, or "restore", "scheduler". */
    g_string_append_printf (subtitle, " · %s", info->created_by);
  if (info->error_message != NULL && g_strcmp0 (info->status, "failed") == 0)
    g_string_append_printf (subtitle, "\n%s", info->error_message);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  if (info->encrypted)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("channel-secure-symbolic");

      gtk_widget_set_tooltip_text (icon, _("Encrypted"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Encrypted"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("drive-harddisk-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not encrypted"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }

  if (g_strcmp0 (info->status, "failed") == 0)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_label_new (_("Failed"), "error"));
  else if (g_strcmp0 (info->status, "running") == 0)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_label_new (_("Running"), "accent"));
  else if (g_strcmp0 (info->status, "pruned") == 0)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_label_new (_("Removed"), "dim-label"));
  else if (!info->file_exists)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               status_label_new (_("File missing"), "warning"));
  else if (info->status == NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               status_label_new (_("Not in the history"), "dim-label"));

  if (usable)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button_new ("emblem-ok-symbolic", _("Verify"),
                                                  "backups.verify", info->path));
      if (allows (self, PQS_ACTION_RESTORE))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   icon_button_new ("document-revert-symbolic",
                                                    _("Restore…"), "backups.restore",
                                                    info->path));
    }

  return row;
}

static void
rebuild_list (PqsBackupsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; self->backups != NULL && i < self->backups->len; i++)
    gtk_list_box_append (self->list_box,
                         backup_row_new (self, g_ptr_array_index (self->backups, i)));

  if (self->backups == NULL || self->backups->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No backups yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->list_box, row);
    }
}

static void
update_schedule (PqsBackupsPage *self)
{
  g_autofree char *summary = pqs_backups_page_dup_schedule_summary (self);

  adw_action_row_set_subtitle (self->schedule_row, summary);
}

static void
update_actions (PqsBackupsPage *self)
{
  gboolean idle = self->job == JOB_NONE;
  gboolean manage = allows (self, PQS_ACTION_MANAGE_BACKUPS);
  gboolean restore = allows (self, PQS_ACTION_RESTORE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.create", idle && manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.cancel", !idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.verify", idle && manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.verify-file", idle && manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.restore", idle && restore);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backups.restore-file", idle && restore);

  gtk_widget_set_visible (GTK_WIDGET (self->restore_file_row), restore);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compress_switch), idle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->encrypt_row), idle);
}

/* Public ------------------------------------------------------------------------ */

PqsBackupsPage *
pqs_backups_page_new (void)
{
  return g_object_new (PQS_TYPE_BACKUPS_PAGE, NULL);
}

/**
 * pqs_backups_page_reload:
 * @self: a #PqsBackupsPage
 *
 * Lists the backups again and says when the next automatic one is due.
 */
void
pqs_backups_page_reload (PqsBackupsPage *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PQS_IS_BACKUPS_PAGE (self));

  g_clear_pointer (&self->backups, g_ptr_array_unref);
  if (self->service != NULL && pqs_store_is_open (pqs_backup_service_get_store (self->service)))
    {
      self->backups = pqs_backup_service_list (self->service, &error);
      if (self->backups == NULL)
        set_error (self, error->message);
      if (self->scheduler != NULL && !pqs_backup_scheduler_refresh (self->scheduler, &error))
        g_debug ("Cannot read the last scheduled backup: %s", error->message);
    }

  if (self->service != NULL)
    {
      g_autofree char *description = NULL;

      /* Translators: %s is the folder backups are saved in. */
      description = g_strdup_printf (_("Saved in %s"),
                                     pqs_backup_service_get_backup_dir (self->service));
      adw_preferences_group_set_description (self->list_group, description);
    }

  rebuild_list (self);
  update_schedule (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
settings_changed_cb (PqsBackupsPage *self)
{
  if (self->scheduler != NULL && self->settings != NULL)
    {
      pqs_backup_scheduler_set_schedule (self->scheduler,
                                         g_settings_get_enum (self->settings, "backup-schedule"));
      pqs_backup_scheduler_set_hour (self->scheduler,
                                     g_settings_get_int (self->settings, "backup-hour"));
    }
  update_schedule (self);
}

/**
 * pqs_backups_page_set_session:
 * @self: a #PqsBackupsPage
 * @session: (nullable): who is signed in
 * @service: (nullable): the backup service of @session's store
 *
 * Shows the backups of @service's store, with the controls @session's user
 * may use; pqs_backups_page_reload() reads them.
 */
void
pqs_backups_page_set_session (PqsBackupsPage   *self,
                              PqsSession       *session,
                              PqsBackupService *service)
{
  g_return_if_fail (PQS_IS_BACKUPS_PAGE (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));
  g_return_if_fail (service == NULL || PQS_IS_BACKUP_SERVICE (service));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  g_set_object (&self->session, session);
  if (g_set_object (&self->service, service))
    {
      g_clear_object (&self->scheduler);
      if (service != NULL)
        {
          self->scheduler = pqs_backup_scheduler_new (service);
          settings_changed_cb (self);
        }
    }

  set_error (self, NULL);
  update_actions (self);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  rebuild_list (self);
  update_schedule (self);
}

/**
 * pqs_backups_page_get_last_backup:
 * @self: a #PqsBackupsPage
 *
 * Returns: (nullable) (transfer none): the newest completed backup whose file
 *   is there, as last listed
 */
const PqsBackupInfo *
pqs_backups_page_get_last_backup (PqsBackupsPage *self)
{
  g_return_val_if_fail (PQS_IS_BACKUPS_PAGE (self), NULL);

  for (guint i = 0; self->backups != NULL && i < self->backups->len; i++)
    {
      const PqsBackupInfo *info = g_ptr_array_index (self->backups, i);

      if (g_strcmp0 (info->status, "completed") == 0 && info->file_exists)
        return info;
    }
  return NULL;
}

/**
 * pqs_backups_page_dup_schedule_summary:
 * @self: a #PqsBackupsPage
 *
 * Returns: (transfer full): a sentence on the automatic backups: how often,
 *   how many are kept, when the next is due
 */
char *
pqs_backups_page_dup_schedule_summary (PqsBackupsPage *self)
{
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = NULL;
  g_autofree char *keep = NULL;
  g_autofree char *next_text = NULL;
  PqsBackupSchedule schedule;
  int hour, count, days;

  g_return_val_if_fail (PQS_IS_BACKUPS_PAGE (self), NULL);

  if (self->settings == NULL)
    return g_strdup (_("Automatic backups are not set up on this computer."));

  schedule = g_settings_get_enum (self->settings, "backup-schedule");
  if (schedule == PQS_BACKUP_SCHEDULE_OFF)
    return g_strdup (_("Off. Turn them on in Preferences."));

  hour = g_settings_get_int (self->settings, "backup-hour");
  count = g_settings_get_int (self->settings, "backup-retention-count");
  days = g_settings_get_int (self->settings, "backup-retention-days");

  if (schedule == PQS_BACKUP_SCHEDULE_WEEKLY)
    /* Translators: %02d is an hour of the day, 0–23. */
    when = g_strdup_printf (_("Weekly at %02d:00"), hour);
  else
    when = g_strdup_printf (_("Daily at %02d:00"), hour);

  /* Translators: the first part of "keeps the newest N for M days". */
  keep = g_strdup_printf (ngettext ("keeps the newest %d", "keeps the newest %d", count), count);

  if (self->scheduler != NULL)
    next = pqs_backup_scheduler_get_next_due (self->scheduler);
  if (next != NULL && g_date_time_compare (next, now) <= 0)
    next_text = g_strdup (_("The next one runs now."));
  else if (next != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (next);
      /* Translators: when the next automatic backup runs; see g_date_time_format(). */
      g_autofree char *date = g_date_time_format (local, _("%Y-%m-%d %H:%M"));

      /* Translators: %s is a date and time. */
      next_text = g_strdup_printf (_("Next: %s."), date);
    }

  /* Translators: "Daily at 02:00, keeps the newest 10 for 30 days. Next: …" */
  return g_strdup_printf (ngettext ("%s, %s for %d day. %s", "%s, %s for %d days. %s", days),
                          when, keep, days, next_text != NULL ? next_text : "");
}

gboolean
pqs_backups_page_get_busy (PqsBackupsPage *self)
{
  g_return_val_if_fail (PQS_IS_BACKUPS_PAGE (self), FALSE);

  return self->job != JOB_NONE;
}

/**
 * pqs_backups_page_get_error:
 * @self: a #PqsBackupsPage
 *
 * Returns: (nullable): the sentence the page shows for the last failure
 */
const char *
pqs_backups_page_get_error (PqsBackupsPage *self)
{
  g_return_val_if_fail (PQS_IS_BACKUPS_PAGE (self), NULL);

  return self->error;
}

/* GObject ----------------------------------------------------------------------- */

static void
pqs_backups_page_dispose (GObject *object)
{
  PqsBackupsPage *self = PQS_BACKUPS_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->service);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_BACKUPS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pqs_backups_page_parent_class)->dispose (object);
}

static void
pqs_backups_page_finalize (GObject *object)
{
  PqsBackupsPage *self = PQS_BACKUPS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  g_clear_pointer (&self->job_path, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (pqs_backups_page_parent_class)->finalize (object);
}

static void
pqs_backups_page_class_init (PqsBackupsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_backups_page_dispose;
  object_class->finalize = pqs_backups_page_finalize;

  signals[ADD_TOAST] =
    g_signal_new ("add-toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[DATABASE_REPLACED] =
    g_signal_new ("database-replaced",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-backups-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, page);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, create_group);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, list_group);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, compress_switch);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, encrypt_row);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, backup_button);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, verify_file_row);
  gtk_widget_class_bind_template_child (widget_class, PqsBackupsPage, restore_file_row);

  gtk_widget_class_install_action (widget_class, "backups.create", NULL, create_action_cb);
  gtk_widget_class_install_action (widget_class, "backups.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "backups.verify", "s", verify_action_cb);
  gtk_widget_class_install_action (widget_class, "backups.restore", "s", restore_action_cb);
  gtk_widget_class_install_action (widget_class, "backups.verify-file", NULL,
                                   verify_file_action_cb);
  gtk_widget_class_install_action (widget_class, "backups.restore-file", NULL,
                                   restore_file_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "backups.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pqs_backups_page_init (PqsBackupsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = pqs_settings_new ();
  if (self->settings != NULL)
    {
      const char *keys[] = { "backup-schedule", "backup-hour", "backup-retention-count",
                             "backup-retention-days" };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autofree char *signal = g_strconcat ("changed::", keys[i], NULL);

          g_signal_connect_object (self->settings, signal, G_CALLBACK (settings_changed_cb),
                                   self, G_CONNECT_SWAPPED);
        }
    }

  update_actions (self);
  rebuild_list (self);
  update_schedule (self);
}
