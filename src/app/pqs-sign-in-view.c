/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-session.h"
#include "pqs-sign-in-view.h"
#include "pqs-store.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/**
 * PqsSignInView:
 *
 * Who is at the keyboard: creating the first administrator on a new
 * workstation, signing in, unlocking an idle-locked session, and choosing
 * a new password when an administrator asked for one. The rules (policy,
 * lockout, messages that never say whether a name exists) are the model's;
 * this view shows its sentences.
 *
 * Signals: "signed-in" (with the new #PqsSession), "unlocked",
 * "password-changed" and "sign-out-requested".
 */

struct _PqsSignInView
{
  GtkWidget         parent_instance;

  GtkImage         *icon;
  GtkLabel         *title_label;
  GtkLabel         *description_label;
  GtkStack         *stack;
  AdwEntryRow      *admin_username_row;
  AdwEntryRow      *admin_full_name_row;
  AdwEntryRow      *admin_rank_row;
  AdwEntryRow      *admin_email_row;
  AdwEntryRow      *admin_password_row;
  AdwEntryRow      *admin_confirm_row;
  AdwEntryRow      *username_row;
  AdwEntryRow      *password_row;
  AdwEntryRow      *unlock_password_row;
  AdwEntryRow      *current_password_row;
  AdwEntryRow      *new_password_row;
  AdwEntryRow      *new_confirm_row;
  GtkLabel         *error_label;
  GtkButton        *submit_button;
  GtkButton        *sign_out_button;

  PqsStore         *store;
  PqsSession       *session;
  PqsSignInMode     mode;
};

G_DEFINE_FINAL_TYPE (PqsSignInView, pqs_sign_in_view, GTK_TYPE_WIDGET)

enum {
  SIGNED_IN,
  UNLOCKED,
  PASSWORD_CHANGED,
  SIGN_OUT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
clear_row (AdwEntryRow *row)
{
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static void
show_error (PqsSignInView *self,
            const char    *message,
            AdwEntryRow   *focus)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (focus != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (focus));
}

/* A button with a text label is named by it: a second, accessible label
 * would make screen readers say it twice. */
static void
set_button (PqsSignInView *self,
            const char    *label)
{
  gtk_button_set_label (self->submit_button, label);
}

static void
update_texts (PqsSignInView *self)
{
  g_autofree char *who = NULL;
  g_autofree char *description = NULL;

  if (self->session != NULL)
    who = pqs_user_dup_display_name (pqs_session_get_user (self->session));

  switch (self->mode)
    {
    case PQS_SIGN_IN_MODE_FIRST_ADMIN:
      gtk_label_set_text (self->title_label, _("Create the Administrator"));
      gtk_label_set_text (self->description_label,
                          _("This workstation has no accounts yet. The first account is an "
                            "administrator, who creates the others and looks after the "
                            "database."));
      set_button (self, _("_Create Administrator"));
      break;

    case PQS_SIGN_IN_MODE_SIGN_IN:
      gtk_label_set_text (self->title_label, _("Sign In"));
      gtk_label_set_text (self->description_label,
                          _("Sign in to write, review and approve PQS documents."));
      set_button (self, _("_Sign In"));
      break;

    case PQS_SIGN_IN_MODE_UNLOCK:
      gtk_label_set_text (self->title_label, _("Locked"));
      /* Translators: %s is the signed-in person, e.g. "LT Jane Doe" */
      description = g_strdup_printf (_("PQS Desk is locked. %s, enter your password to go on."),
                                     who ? who : "");
      gtk_label_set_text (self->description_label, description);
      set_button (self, _("_Unlock"));
      break;

    case PQS_SIGN_IN_MODE_CHANGE_PASSWORD:
    default:
      gtk_label_set_text (self->title_label, _("Choose a New Password"));
      gtk_label_set_text (self->description_label,
                          _("Your password must be changed before you go on. Choose one of at "
                            "least 10 characters that is not your username."));
      set_button (self, _("_Change Password"));
      break;
    }

  /* The longest form needs the room. */
  gtk_widget_set_visible (GTK_WIDGET (self->icon), self->mode != PQS_SIGN_IN_MODE_FIRST_ADMIN);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button),
                          self->mode == PQS_SIGN_IN_MODE_UNLOCK ||
                          self->mode == PQS_SIGN_IN_MODE_CHANGE_PASSWORD);
}

static AdwEntryRow *
first_row (PqsSignInView *self)
{
  switch (self->mode)
    {
    case PQS_SIGN_IN_MODE_FIRST_ADMIN:
      return self->admin_username_row;
    case PQS_SIGN_IN_MODE_SIGN_IN:
      return *row_text (self->username_row) != '\0' ? self->password_row : self->username_row;
    case PQS_SIGN_IN_MODE_UNLOCK:
      return self->unlock_password_row;
    case PQS_SIGN_IN_MODE_CHANGE_PASSWORD:
    default:
      return self->current_password_row;
    }
}

static const char *const stack_pages[] = {
  [PQS_SIGN_IN_MODE_FIRST_ADMIN] = "first-admin",
  [PQS_SIGN_IN_MODE_SIGN_IN] = "sign-in",
  [PQS_SIGN_IN_MODE_UNLOCK] = "unlock",
  [PQS_SIGN_IN_MODE_CHANGE_PASSWORD] = "change-password",
};

/**
 * pqs_sign_in_view_set_mode:
 * @self: a #PqsSignInView
 * @mode: what the view asks for
 *
 * Switches the form, clearing every password and the last error.
 */
void
pqs_sign_in_view_set_mode (PqsSignInView *self,
                           PqsSignInMode  mode)
{
  AdwEntryRow *passwords[] = {
    self->admin_password_row, self->admin_confirm_row, self->password_row,
    self->unlock_password_row, self->current_password_row, self->new_password_row,
    self->new_confirm_row,
  };

  g_return_if_fail (PQS_IS_SIGN_IN_VIEW (self));
  g_return_if_fail (mode <= PQS_SIGN_IN_MODE_CHANGE_PASSWORD);

  self->mode = mode;
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    clear_row (passwords[i]);

  gtk_stack_set_visible_child_name (self->stack, stack_pages[mode]);
  update_texts (self);
  show_error (self, NULL, NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (first_row (self)));
}

PqsSignInMode
pqs_sign_in_view_get_mode (PqsSignInView *self)
{
  g_return_val_if_fail (PQS_IS_SIGN_IN_VIEW (self), PQS_SIGN_IN_MODE_SIGN_IN);

  return self->mode;
}

/**
 * pqs_sign_in_view_get_error:
 * @self: a #PqsSignInView
 *
 * Returns: (nullable): the message shown, if any
 */
const char *
pqs_sign_in_view_get_error (PqsSignInView *self)
{
  g_return_val_if_fail (PQS_IS_SIGN_IN_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

static void
sign_in (PqsSignInView *self,
         const char    *username,
         const char    *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;

  session = pqs_session_sign_in (self->store, username, password, &error);
  if (session == NULL)
    {
      clear_row (self->password_row);
      show_error (self, error->message, self->password_row);
      return;
    }

  clear_row (self->password_row);
  clear_row (self->username_row);
  show_error (self, NULL, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, session);
}

static void
create_first_admin (PqsSignInView *self)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (self->store);
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strdup (row_text (self->admin_password_row));
  g_autofree char *username = g_strdup (row_text (self->admin_username_row));
  PqsUserFields fields = {
    username,
    row_text (self->admin_email_row),
    row_text (self->admin_full_name_row),
    row_text (self->admin_rank_row),
  };

  if (g_strcmp0 (password, row_text (self->admin_confirm_row)) != 0)
    {
      clear_row (self->admin_confirm_row);
      show_error (self, _("The two passwords differ. Type the same password twice."),
                  self->admin_confirm_row);
      return;
    }

  admin = pqs_user_directory_create_first_admin (directory, &fields, password, &error);
  if (admin == NULL)
    {
      show_error (self, error->message, NULL);
      return;
    }

  clear_row (self->admin_password_row);
  clear_row (self->admin_confirm_row);
  sign_in (self, username, password);
}

static void
unlock (PqsSignInView *self)
{
  g_autoptr(GError) error = NULL;

  if (!pqs_session_unlock (self->session, row_text (self->unlock_password_row), &error))
    {
      clear_row (self->unlock_password_row);
      show_error (self, error->message, self->unlock_password_row);
      return;
    }

  clear_row (self->unlock_password_row);
  show_error (self, NULL, NULL);
  g_signal_emit (self, signals[UNLOCKED], 0);
}

static void
change_password (PqsSignInView *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (row_text (self->new_password_row), row_text (self->new_confirm_row)) != 0)
    {
      clear_row (self->new_confirm_row);
      show_error (self, _("The two new passwords differ. Type the same password twice."),
                  self->new_confirm_row);
      return;
    }

  if (!pqs_session_change_password (self->session, row_text (self->current_password_row),
                                    row_text (self->new_password_row), &error))
    {
      clear_row (self->current_password_row);
      show_error (self, error->message, self->current_password_row);
      return;
    }

  pqs_sign_in_view_set_mode (self, PQS_SIGN_IN_MODE_SIGN_IN);
  g_signal_emit (self, signals[PASSWORD_CHANGED], 0);
}

static void
submit_cb (PqsSignInView *self)
{
  if (self->store == NULL)
    return;

  switch (self->mode)
    {
    case PQS_SIGN_IN_MODE_FIRST_ADMIN:
      create_first_admin (self);
      break;
    case PQS_SIGN_IN_MODE_SIGN_IN:
      sign_in (self, row_text (self->username_row), row_text (self->password_row));
      break;
    case PQS_SIGN_IN_MODE_UNLOCK:
      if (self->session != NULL)
        unlock (self);
      break;
    case PQS_SIGN_IN_MODE_CHANGE_PASSWORD:
    default:
      if (self->session != NULL)
        change_password (self);
      break;
    }
}

static void
username_activated_cb (PqsSignInView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
sign_out_cb (PqsSignInView *self)
{
  g_signal_emit (self, signals[SIGN_OUT_REQUESTED], 0);
}

void
pqs_sign_in_view_set_store (PqsSignInView *self,
                            PqsStore      *store)
{
  g_return_if_fail (PQS_IS_SIGN_IN_VIEW (self));
  g_return_if_fail (store == NULL || PQS_IS_STORE (store));

  g_set_object (&self->store, store);
}

void
pqs_sign_in_view_set_session (PqsSignInView *self,
                              PqsSession    *session)
{
  g_return_if_fail (PQS_IS_SIGN_IN_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  g_set_object (&self->session, session);
  update_texts (self);
}

static gboolean
pqs_sign_in_view_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (first_row (PQS_SIGN_IN_VIEW (widget))));
}

static void
pqs_sign_in_view_dispose (GObject *object)
{
  PqsSignInView *self = PQS_SIGN_IN_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_SIGN_IN_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_sign_in_view_parent_class)->dispose (object);
}

static void
pqs_sign_in_view_class_init (PqsSignInViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_sign_in_view_dispose;
  widget_class->grab_focus = pqs_sign_in_view_grab_focus;

  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, PQS_TYPE_SESSION);
  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PASSWORD_CHANGED] = g_signal_new ("password-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
  signals[SIGN_OUT_REQUESTED] = g_signal_new ("sign-out-requested", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-sign-in-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsSignInView, name)
  BIND (icon);
  BIND (title_label);
  BIND (description_label);
  BIND (stack);
  BIND (admin_username_row);
  BIND (admin_full_name_row);
  BIND (admin_rank_row);
  BIND (admin_email_row);
  BIND (admin_password_row);
  BIND (admin_confirm_row);
  BIND (username_row);
  BIND (password_row);
  BIND (unlock_password_row);
  BIND (current_password_row);
  BIND (new_password_row);
  BIND (new_confirm_row);
  BIND (error_label);
  BIND (submit_button);
  BIND (sign_out_button);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, submit_cb);
  gtk_widget_class_bind_template_callback (widget_class, username_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_cb);
}

static void
pqs_sign_in_view_init (PqsSignInView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->mode = PQS_SIGN_IN_MODE_SIGN_IN;
  update_texts (self);
}

PqsSignInView *
pqs_sign_in_view_new (void)
{
  return g_object_new (PQS_TYPE_SIGN_IN_VIEW, NULL);
}
