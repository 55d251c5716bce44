/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-user-directory.h"
#include "pqs-user-editor.h"
#include "pqs-user-list.h"
#include "pqs-user.h"

/**
 * PqsUserEditor:
 *
 * A modal window that creates an account or edits one: the profile and
 * role (saved together with Save), and actions that take effect at once
 * with their own confirmation: the picture, unlocking, resetting the
 * password, deactivating and deleting. Every rule is the model's; the
 * editor shows its sentences inline.
 *
 * What the signed-in user may touch follows pqs_auth_allows(): an
 * administrator everything, anyone else only their own name, rank, address
 * and picture, and nothing at all of other accounts.
 *
 * Signals: "add-toast" (an #AdwToast) for the results that close the
 * editor (created, saved, deleted); the others show in the editor itself.
 */

struct _PqsUserEditor
{
  AdwWindow             parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  AdwWindowTitle       *window_title;
  GtkButton            *save_button;
  GtkScrolledWindow    *scrolled_window;
  AdwAvatar            *avatar;
  GtkButton            *choose_picture_button;
  GtkButton            *remove_picture_button;
  GtkLabel             *error_label;
  AdwEntryRow          *username_row;
  AdwEntryRow          *full_name_row;
  AdwEntryRow          *rank_row;
  AdwEntryRow          *email_row;
  AdwComboRow          *role_row;
  AdwPreferencesGroup  *password_group;
  AdwEntryRow          *password_row;
  AdwEntryRow          *confirm_row;
  AdwPreferencesGroup  *status_group;
  AdwActionRow         *status_row;
  AdwActionRow         *last_sign_in_row;
  AdwActionRow         *locked_row;
  GtkButton            *unlock_button;
  AdwActionRow         *reset_password_row;
  GtkWidget            *actions_box;
  GtkButton            *active_button;
  GtkButton            *delete_button;
  GtkButton            *reset_button;
  GtkLabel             *reset_description_label;
  GtkLabel             *reset_error_label;
  AdwEntryRow          *new_password_row;
  AdwEntryRow          *new_confirm_row;
  GtkSwitch            *require_change_switch;

  PqsSession           *session;
  PqsUserList          *users;
  PqsUserDirectory     *directory;
  PqsUser              *user;          /* NULL while creating */

  /* A picture chosen before the account exists, set once it does. */
  GBytes               *pending_picture;

  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (PqsUserEditor, pqs_user_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers ------------------------------------------------------------------- */

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row (AdwEntryRow *row,
         const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
show_error (PqsUserEditor *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  /* The message sits under the picture: scrolled into sight. */
  if (message != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

static void
show_reset_error (PqsUserEditor *self,
                  const char    *message)
{
  gtk_label_set_text (self->reset_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->reset_error_label), message != NULL);
}

static void
toast (PqsUserEditor *self,
       const char    *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
emit_toast (PqsUserEditor *self,
            const char    *title)
{
  g_autoptr(AdwToast) result = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, result);
}

static PqsUser *
actor (PqsUserEditor *self)
{
  return pqs_session_get_user (self->session);
}

static gboolean
can_manage (PqsUserEditor *self)
{
  return pqs_auth_allows (actor (self), PQS_ACTION_MANAGE_USERS, NULL);
}

static gboolean
is_self (PqsUserEditor *self)
{
  return self->user != NULL && pqs_user_get_id (self->user) == pqs_user_get_id (actor (self));
}

/* People may keep their own profile; administrators everyone's. */
static gboolean
can_edit_profile (PqsUserEditor *self)
{
  return can_manage (self) ||
         (is_self (self) && pqs_auth_allows (actor (self), PQS_ACTION_CHANGE_OWN_PASSWORD, NULL));
}

/**
 * pqs_user_avatar_texture_new:
 * @directory: a #PqsUserDirectory
 * @user: an account
 *
 * Returns: (transfer full) (nullable): @user's stored picture, or %NULL
 *   when there is none or it cannot be read as an image
 */
GdkTexture *
pqs_user_avatar_texture_new (PqsUserDirectory *directory,
                             PqsUser          *user)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (directory), NULL);
  g_return_val_if_fail (PQS_IS_USER (user), NULL);

  if (pqs_user_get_avatar_mime (user) == NULL)
    return NULL;

  image = pqs_user_directory_get_avatar (directory, pqs_user_get_id (user), NULL, &error);
  if (image == NULL)
    {
      if (error != NULL)
        g_debug ("No picture for %s: %s", pqs_user_get_username (user), error->message);
      return NULL;
    }

  texture = gdk_texture_new_from_bytes (image, &error);
  if (texture == NULL)
    g_debug ("The picture of %s is not an image: %s", pqs_user_get_username (user),
             error->message);
  return texture;
}

/* Showing ------------------------------------------------------------------- */

static void
update_avatar (PqsUserEditor *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  gboolean has_picture;

  if (self->user != NULL)
    {
      texture = pqs_user_avatar_texture_new (self->directory, self->user);
      has_picture = pqs_user_get_avatar_mime (self->user) != NULL;
    }
  else
    {
      if (self->pending_picture != NULL)
        texture = gdk_texture_new_from_bytes (self->pending_picture, NULL);
      has_picture = self->pending_picture != NULL;
    }

  adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (self->remove_picture_button), has_picture);
}

static void
update_avatar_text (PqsUserEditor *self)
{
  const char *full_name = row_text (self->full_name_row);

  adw_avatar_set_text (self->avatar,
                       *full_name != '\0' ? full_name : row_text (self->username_row));
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* Translators: a date and time, as in strftime(3): "3 March 2026, 14:05" */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

/* The parts that follow the account as it changes: status, lockout, the
 * labels of the actions. The form is the person's to type in and is only
 * filled when the editor opens. */
static void
update_status (PqsUserEditor *self)
{
  PqsStore *store = pqs_user_directory_get_store (self->directory);
  gboolean creating = self->user == NULL;
  gboolean manage = can_manage (self);
  gboolean locked;
  GDateTime *last;
  g_autofree char *last_text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->password_group), creating);
  gtk_widget_set_visible (GTK_WIDGET (self->status_group), !creating);
  gtk_widget_set_visible (self->actions_box, !creating);
  gtk_button_set_label (self->save_button, creating ? _("_Create") : _("_Save"));

  if (creating)
    {
      adw_window_title_set_title (self->window_title, _("New User"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  adw_window_title_set_title (self->window_title, _("Edit User"));
  adw_window_title_set_subtitle (self->window_title, pqs_user_get_username (self->user));

  if (!pqs_user_get_active (self->user))
    adw_action_row_set_subtitle (self->status_row, _("Deactivated: cannot sign in"));
  else if (pqs_user_get_password_reset_required (self->user))
    adw_action_row_set_subtitle (self->status_row, _("Active, must change password"));
  else
    adw_action_row_set_subtitle (self->status_row, _("Active"));

  last = pqs_user_get_last_login_at (self->user);
  if (last != NULL)
    last_text = format_time (last);
  adw_action_row_set_subtitle (self->last_sign_in_row, last_text != NULL ? last_text : _("Never"));

  locked = pqs_user_is_locked_at (self->user, pqs_store_now (store));
  gtk_widget_set_visible (GTK_WIDGET (self->locked_row), locked);
  if (locked)
    {
      g_autofree char *until = format_time (pqs_user_get_locked_until (self->user));
      g_autofree char *subtitle = NULL;

      guint failures = pqs_user_get_failed_login_attempts (self->user);

      /* Translators: %u is a number of failed sign-ins, %s a date and time */
      subtitle = g_strdup_printf (ngettext ("%u failed sign-in; locked until %s",
                                            "%u failed sign-ins; locked until %s", failures),
                                  failures, until);
      adw_action_row_set_subtitle (self->locked_row, subtitle);
    }

  gtk_button_set_label (self->active_button, pqs_user_get_active (self->user)
                                             ? _("_Deactivate…") : _("Re_activate"));

  if (is_self (self))
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->active_button),
                                   _("You cannot deactivate your own account."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->delete_button),
                                   _("You cannot delete your own account."));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.toggle-active",
                                 manage && !is_self (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", manage && !is_self (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.unlock", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.show-reset-password", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.reset-password", manage);
}

/* The one function that says what the signed-in user may change. */
static void
update_permissions (PqsUserEditor *self)
{
  gboolean manage = can_manage (self);
  gboolean profile = can_edit_profile (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), manage);
  gtk_widget_set_sensitive (GTK_WIDGET (self->role_row), manage);
  gtk_widget_set_sensitive (GTK_WIDGET (self->full_name_row), profile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rank_row), profile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), profile);
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), profile);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", profile && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.choose-picture",
                                 profile && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.remove-picture",
                                 profile && !self->busy);

  update_status (self);
}

static void
fill_form (PqsUserEditor *self)
{
  if (self->user == NULL)
    {
      adw_combo_row_set_selected (self->role_row, PQS_ROLE_USER);
      update_avatar_text (self);
      return;
    }

  set_row (self->username_row, pqs_user_get_username (self->user));
  set_row (self->full_name_row, pqs_user_get_full_name (self->user));
  set_row (self->rank_row, pqs_user_get_rank (self->user));
  set_row (self->email_row, pqs_user_get_email (self->user));
  adw_combo_row_set_selected (self->role_row, pqs_user_get_role (self->user));
  update_avatar_text (self);
}

static void
user_notify_cb (PqsUserEditor *self,
                GParamSpec    *pspec)
{
  if (g_str_equal (pspec->name, "avatar-updated-at") ||
      g_str_equal (pspec->name, "avatar-mime"))
    update_avatar (self);
  else
    update_status (self);
}

/* Switches the editor to @user (the list's object, which follows changes). */
static void
set_user (PqsUserEditor *self,
          PqsUser       *user)
{
  if (self->user != NULL)
    g_signal_handlers_disconnect_by_func (self->user, user_notify_cb, self);
  g_set_object (&self->user, user);
  if (user != NULL)
    g_signal_connect_object (user, "notify", G_CALLBACK (user_notify_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
set_busy (PqsUserEditor *self,
          gboolean       busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  update_permissions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Saving -------------------------------------------------------------------- */

static gboolean
apply_picture (PqsUserEditor  *self,
               GBytes         *picture,
               GError        **error)
{
  return pqs_user_directory_set_avatar (self->directory, actor (self),
                                        pqs_user_get_id (self->user), picture, error);
}

static void
create_user (PqsUserEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) created = NULL;
  g_autofree char *password = g_strdup (row_text (self->password_row));
  PqsUser *listed;
  PqsUserFields fields = {
    row_text (self->username_row),
    row_text (self->email_row),
    row_text (self->full_name_row),
    row_text (self->rank_row),
  };

  if (g_strcmp0 (password, row_text (self->confirm_row)) != 0)
    {
      set_row (self->confirm_row, NULL);
      show_error (self, _("The two passwords differ. Type the same password twice."));
      gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
      return;
    }

  created = pqs_user_directory_create (self->directory, actor (self), &fields,
                                       adw_combo_row_get_selected (self->role_row),
                                       password, &error);
  if (created == NULL)
    {
      show_error (self, error->message);
      return;
    }

  set_row (self->password_row, NULL);
  set_row (self->confirm_row, NULL);

  /* The list heard of the new row already; its object follows changes. */
  listed = pqs_user_list_find (self->users, pqs_user_get_id (created));
  set_user (self, listed != NULL ? listed : created);

  if (self->pending_picture != NULL)
    {
      g_autoptr(GBytes) picture = g_steal_pointer (&self->pending_picture);

      if (!apply_picture (self, picture, &error))
        {
          /* The account exists: the editor goes on as its editor. */
          emit_toast (self, _("User created"));
          update_permissions (self);
          update_avatar (self);
          show_error (self, error->message);
          return;
        }
    }

  emit_toast (self, _("User created"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
differs (const char *typed,
         const char *stored)
{
  g_autofree char *clean = g_strstrip (g_strdup (typed));

  return g_strcmp0 (clean, stored != NULL ? stored : "") != 0;
}

static void
save_user (PqsUserEditor *self)
{
  g_autoptr(GError) error = NULL;
  PqsRole role = adw_combo_row_get_selected (self->role_row);
  gboolean manage = can_manage (self);
  gboolean role_changed = manage && role != pqs_user_get_role (self->user);
  gboolean changed;
  PqsUserFields fields = {
    manage ? row_text (self->username_row) : NULL,
    row_text (self->email_row),
    row_text (self->full_name_row),
    row_text (self->rank_row),
  };

  changed = role_changed ||
            (manage && differs (fields.username, pqs_user_get_username (self->user))) ||
            differs (fields.email, pqs_user_get_email (self->user)) ||
            differs (fields.full_name, pqs_user_get_full_name (self->user)) ||
            differs (fields.rank, pqs_user_get_rank (self->user));
  if (!changed)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (!pqs_user_directory_update (self->directory, actor (self), pqs_user_get_id (self->user),
                                  &fields, &error) ||
      (role_changed &&
       !pqs_user_directory_set_role (self->directory, actor (self),
                                     pqs_user_get_id (self->user), role, &error)))
    {
      show_error (self, error->message);
      return;
    }

  /* One's own role or name may have changed: the window shows them. */
  if (is_self (self) && !pqs_session_refresh_user (self->session, &error))
    g_warning ("Could not read the account again: %s", error->message);

  emit_toast (self, _("Changes saved"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);

  show_error (self, NULL);
  if (self->user == NULL)
    create_user (self);
  else
    save_user (self);
}

static void
entry_activated_cb (PqsUserEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.save", NULL);
}

/* The picture ----------------------------------------------------------------- */

typedef struct
{
  PqsUserEditor *self;
  guint8        *buffer;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_free (data->buffer);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
picture_loaded (PqsUserEditor *self,
                GBytes        *picture)
{
  g_autoptr(GError) error = NULL;

  if (self->user == NULL)
    {
      /* Set once the account exists; the model judges it then. */
      g_clear_pointer (&self->pending_picture, g_bytes_unref);
      self->pending_picture = g_bytes_ref (picture);
      update_avatar (self);
      return;
    }

  if (!apply_picture (self, picture, &error))
    {
      show_error (self, error->message);
      return;
    }
  toast (self, _("Picture changed"));
}

static void
read_all_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) picture = NULL;
  gsize n_read = 0;

  /* Closed meanwhile: nothing left to show it in. */
  if (g_cancellable_is_cancelled (data->self->cancellable))
    return;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n_read, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (data->self, FALSE);
          show_error (data->self, error->message);
        }
      return;
    }

  set_busy (data->self, FALSE);
  picture = g_bytes_new_take (g_steal_pointer (&data->buffer), n_read);
  picture_loaded (data->self, picture);
}

static void
file_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  guint8 *buffer;

  if (g_cancellable_is_cancelled (data->self->cancellable))
    return;

  stream = g_file_read_finish (G_FILE (source), result, &error);
  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (data->self, FALSE);
          show_error (data->self, error->message);
        }
      return;
    }

  /* One byte more than the model takes is enough for it to say "too large". */
  buffer = data->buffer = g_malloc (PQS_AVATAR_MAX_SIZE + 1);
  cancellable = data->self->cancellable;
  g_input_stream_read_all_async (G_INPUT_STREAM (stream), buffer, PQS_AVATAR_MAX_SIZE + 1,
                                 G_PRIORITY_DEFAULT, cancellable, read_all_cb,
                                 g_steal_pointer (&data));
}

/**
 * pqs_user_editor_load_picture:
 * @self: a #PqsUserEditor
 * @file: a picture file
 *
 * Reads @file without blocking and makes it the account's picture (or,
 * while creating, the picture it will have). The model's judgement (type,
 * size) shows inline; #PqsUserEditor:busy is %TRUE while reading.
 */
void
pqs_user_editor_load_picture (PqsUserEditor *self,
                              GFile         *file)
{
  LoadData *data;

  g_return_if_fail (PQS_IS_USER_EDITOR (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!can_edit_profile (self))
    return;

  show_error (self, NULL);
  set_busy (self, TRUE);
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  g_file_read_async (file, G_PRIORITY_DEFAULT, self->cancellable, file_read_cb, data);
}

static void
chooser_response_cb (PqsUserEditor        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        pqs_user_editor_load_picture (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_picture_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  gtk_file_filter_set_name (filter, _("Pictures (PNG, JPEG)"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "jpg");
  gtk_file_filter_add_suffix (filter, "jpeg");

  self->chooser = gtk_file_chooser_native_new (_("Choose a Picture"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
remove_picture_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  show_error (self, NULL);
  if (self->user == NULL)
    {
      g_clear_pointer (&self->pending_picture, g_bytes_unref);
      update_avatar (self);
      return;
    }

  if (!apply_picture (self, NULL, &error))
    {
      show_error (self, error->message);
      return;
    }
  toast (self, _("Picture removed"));
}

/* Account actions --------------------------------------------------------------- */

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  show_error (self, NULL);
  if (!pqs_user_directory_unlock (self->directory, actor (self), pqs_user_get_id (self->user),
                                  &error))
    {
      show_error (self, error->message);
      return;
    }
  toast (self, _("Account unlocked"));
}

static void
show_reset_password_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  g_autofree char *name = pqs_user_dup_display_name (self->user);
  g_autofree char *description = NULL;

  /* Translators: %s is a person, e.g. "LT Jane Doe" */
  description = g_strdup_printf (_("Choose a new password for %s: at least 10 characters, and "
                                   "not the username. A lockout ends with it."), name);
  gtk_label_set_text (self->reset_description_label, description);
  set_row (self->new_password_row, NULL);
  set_row (self->new_confirm_row, NULL);
  gtk_switch_set_active (self->require_change_switch, TRUE);
  show_reset_error (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "password");
  gtk_widget_grab_focus (GTK_WIDGET (self->new_password_row));
}

static void
hide_reset_password_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);

  set_row (self->new_password_row, NULL);
  set_row (self->new_confirm_row, NULL);
  gtk_stack_set_visible_child_name (self->stack, "main");
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strdup (row_text (self->new_password_row));

  if (g_strcmp0 (password, row_text (self->new_confirm_row)) != 0)
    {
      set_row (self->new_confirm_row, NULL);
      show_reset_error (self, _("The two passwords differ. Type the same password twice."));
      gtk_widget_grab_focus (GTK_WIDGET (self->new_confirm_row));
      return;
    }

  if (!pqs_user_directory_reset_password (self->directory, actor (self),
                                          pqs_user_get_id (self->user), password,
                                          gtk_switch_get_active (self->require_change_switch),
                                          &error))
    {
      show_reset_error (self, error->message);
      return;
    }

  gtk_widget_activate_action (widget, "editor.hide-reset-password", NULL);
  toast (self, _("Password reset"));
}

/* Escape leaves the password page first, then the editor. */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);

  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "password"))
    gtk_widget_activate_action (widget, "editor.hide-reset-password", NULL);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
reset_entry_activated_cb (PqsUserEditor *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "editor.reset-password", NULL);
}

static void
set_active (PqsUserEditor *self,
            gboolean       active)
{
  g_autoptr(GError) error = NULL;

  show_error (self, NULL);
  if (!pqs_user_directory_set_active (self->directory, actor (self),
                                      pqs_user_get_id (self->user), active, &error))
    {
      show_error (self, error->message);
      return;
    }
  toast (self, active ? _("User reactivated") : _("User deactivated"));
}

/* Also when the response came without a click (tests, AT). The dialog may
 * outlive this emission, and the editor may be gone by then: GTK 4.8 does
 * not forget a destroyed window's parent, so it is forgotten here. */
static void
close_dialog (AdwMessageDialog *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
deactivate_response_cb (PqsUserEditor    *self,
                        const char       *response,
                        AdwMessageDialog *dialog)
{
  close_dialog (dialog);
  if (g_str_equal (response, "deactivate") && self->user != NULL)
    set_active (self, FALSE);
}

static AdwMessageDialog *
confirm_dialog_new (PqsUserEditor *self,
                    const char    *heading,
                    const char    *body,
                    const char    *response,
                    const char    *label)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  return dialog;
}

static void
toggle_active_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (!pqs_user_get_active (self->user))
    {
      set_active (self, TRUE);
      return;
    }

  /* Translators: %s is a username */
  heading = g_strdup_printf (_("Deactivate “%s”?"), pqs_user_get_username (self->user));
  dialog = confirm_dialog_new (self, heading,
                               _("The account is signed out everywhere and can no longer sign "
                                 "in. Its documents and history stay. You can reactivate it "
                                 "later."),
                               "deactivate", _("_Deactivate"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (deactivate_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_response_cb (PqsUserEditor    *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  close_dialog (dialog);
  if (!g_str_equal (response, "delete") || self->user == NULL)
    return;

  show_error (self, NULL);
  if (!pqs_user_directory_delete (self->directory, actor (self), pqs_user_get_id (self->user),
                                  &error))
    {
      show_error (self, error->message);
      return;
    }

  emit_toast (self, _("User deleted"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsUserEditor *self = PQS_USER_EDITOR (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  /* Translators: %s is a username */
  heading = g_strdup_printf (_("Delete “%s”?"), pqs_user_get_username (self->user));
  dialog = confirm_dialog_new (self, heading,
                               _("The account is removed for good. Only accounts that never "
                                 "wrote anything can be deleted; others can be deactivated."),
                               "delete", _("_Delete"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Public ------------------------------------------------------------------------ */

/**
 * pqs_user_editor_get_user:
 * @self: a #PqsUserEditor
 *
 * Returns: (transfer none) (nullable): the account edited; %NULL while a
 *   new one is not yet created
 */
PqsUser *
pqs_user_editor_get_user (PqsUserEditor *self)
{
  g_return_val_if_fail (PQS_IS_USER_EDITOR (self), NULL);

  return self->user;
}

/**
 * pqs_user_editor_get_error:
 * @self: a #PqsUserEditor
 *
 * Returns: (nullable): the message shown, on the main page or the
 *   password page
 */
const char *
pqs_user_editor_get_error (PqsUserEditor *self)
{
  g_return_val_if_fail (PQS_IS_USER_EDITOR (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->reset_error_label)) &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "password"))
    return gtk_label_get_text (self->reset_error_label);
  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return gtk_label_get_text (self->error_label);
  return NULL;
}

gboolean
pqs_user_editor_get_busy (PqsUserEditor *self)
{
  g_return_val_if_fail (PQS_IS_USER_EDITOR (self), FALSE);

  return self->busy;
}

/**
 * pqs_user_editor_new:
 * @session: who is signed in
 * @users: the accounts, to follow the one edited as it changes
 * @user: (nullable): the account to edit, or %NULL to create one
 *
 * Returns: (transfer none): a new editor window, to be presented
 */
PqsUserEditor *
pqs_user_editor_new (PqsSession  *session,
                     PqsUserList *users,
                     PqsUser     *user)
{
  PqsUserEditor *self;

  g_return_val_if_fail (PQS_IS_SESSION (session), NULL);
  g_return_val_if_fail (PQS_IS_USER_LIST (users), NULL);
  g_return_val_if_fail (user == NULL || PQS_IS_USER (user), NULL);

  self = g_object_new (PQS_TYPE_USER_EDITOR, NULL);
  self->session = g_object_ref (session);
  self->users = g_object_ref (users);
  self->directory = pqs_user_directory_new (pqs_session_get_store (session));
  set_user (self, user);

  fill_form (self);
  update_avatar (self);
  update_permissions (self);

  return self;
}

/* GObject ------------------------------------------------------------------------ */

static void
pqs_user_editor_dispose (GObject *object)
{
  PqsUserEditor *self = PQS_USER_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  set_user (self, NULL);
  g_clear_object (&self->directory);
  g_clear_object (&self->users);
  g_clear_object (&self->session);
  g_clear_pointer (&self->pending_picture, g_bytes_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_USER_EDITOR);

  G_OBJECT_CLASS (pqs_user_editor_parent_class)->dispose (object);
}

static void
pqs_user_editor_finalize (GObject *object)
{
  PqsUserEditor *self = PQS_USER_EDITOR (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pqs_user_editor_parent_class)->finalize (object);
}

static void
pqs_user_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsUserEditor *self = PQS_USER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_user_editor_class_init (PqsUserEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_user_editor_dispose;
  object_class->finalize = pqs_user_editor_finalize;
  object_class->get_property = pqs_user_editor_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-user-editor.ui");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsUserEditor, name)
  BIND (toast_overlay);
  BIND (stack);
  BIND (window_title);
  BIND (save_button);
  BIND (scrolled_window);
  BIND (avatar);
  BIND (choose_picture_button);
  BIND (remove_picture_button);
  BIND (error_label);
  BIND (username_row);
  BIND (full_name_row);
  BIND (rank_row);
  BIND (email_row);
  BIND (role_row);
  BIND (password_group);
  BIND (password_row);
  BIND (confirm_row);
  BIND (status_group);
  BIND (status_row);
  BIND (last_sign_in_row);
  BIND (locked_row);
  BIND (unlock_button);
  BIND (reset_password_row);
  BIND (actions_box);
  BIND (active_button);
  BIND (delete_button);
  BIND (reset_button);
  BIND (reset_description_label);
  BIND (reset_error_label);
  BIND (new_password_row);
  BIND (new_confirm_row);
  BIND (require_change_switch);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, reset_entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.choose-picture", NULL,
                                   choose_picture_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-picture", NULL,
                                   remove_picture_action);
  gtk_widget_class_install_action (widget_class, "editor.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "editor.show-reset-password", NULL,
                                   show_reset_password_action);
  gtk_widget_class_install_action (widget_class, "editor.hide-reset-password", NULL,
                                   hide_reset_password_action);
  gtk_widget_class_install_action (widget_class, "editor.reset-password", NULL,
                                   reset_password_action);
  gtk_widget_class_install_action (widget_class, "editor.toggle-active", NULL,
                                   toggle_active_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);

  gtk_widget_class_install_action (widget_class, "editor.escape", NULL, escape_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
pqs_user_editor_init (PqsUserEditor *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The window's own title names it for assistive technologies. */
  g_object_bind_property (self->window_title, "title", self, "title", G_BINDING_SYNC_CREATE);

  self->cancellable = g_cancellable_new ();

  for (PqsRole role = 0; role < PQS_N_ROLES; role++)
    gtk_string_list_append (roles, pqs_role_get_label (role));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));

  g_signal_connect_object (self->full_name_row, "changed", G_CALLBACK (update_avatar_text), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->username_row, "changed", G_CALLBACK (update_avatar_text), self,
                           G_CONNECT_SWAPPED);
}
