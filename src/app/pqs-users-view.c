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
#include "pqs-users-view.h"

/**
 * PqsUsersView:
 *
 * The accounts of the workstation for administrators: a searchable list
 * bound to the model's #PqsUserList (the rows follow every change, made
 * here or by pqs-admin) and a #PqsUserEditor to create and edit them.
 * Other roles are not offered this view; if they see it anyway, nothing in
 * it writes, and the model refuses on its own.
 *
 * Signals: "add-toast" (an #AdwToast with the result of an action).
 */

struct _PqsUsersView
{
  GtkWidget           parent_instance;

  /* Template children */
  GtkButton          *back_button;
  AdwHeaderBar       *header_bar;
  AdwWindowTitle     *window_title;
  GtkButton          *new_button;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListBox         *list_box;
  AdwStatusPage      *empty_page;

  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *search;      /* casefolded, NULL when empty */

  PqsSession         *session;
  PqsUserList        *users;
  PqsUserDirectory   *directory;
  PqsUserEditor      *editor;      /* the open editor, until it is destroyed */

  gboolean            show_back;
};

G_DEFINE_FINAL_TYPE (PqsUsersView, pqs_users_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_BACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows ---------------------------------------------------------------------- */

/* What a row shows of its user; the row owns it. */
typedef struct
{
  PqsUser          *user;
  PqsUserDirectory *directory;
  AdwAvatar        *avatar;
  GtkWidget        *deactivated_label;
  GtkWidget        *locked_label;
  GtkWidget        *reset_label;
} RowData;

static void
row_data_free (RowData *data)
{
  g_clear_object (&data->user);
  g_clear_object (&data->directory);
  g_free (data);
}

static RowData *
row_get_data (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "pqs-row-data");
}

static void
row_update_avatar (GtkWidget *row)
{
  RowData *data = row_get_data (row);
  g_autoptr(GdkTexture) texture = pqs_user_avatar_texture_new (data->directory, data->user);

  adw_avatar_set_custom_image (data->avatar, GDK_PAINTABLE (texture));
}

static void
row_update (GtkWidget *row)
{
  RowData *data = row_get_data (row);
  PqsUser *user = data->user;
  PqsStore *store = pqs_user_directory_get_store (data->directory);
  g_autofree char *name = pqs_user_dup_display_name (user);
  g_autofree char *subtitle = NULL;
  gboolean active = pqs_user_get_active (user);

  /* Translators: a user's row: "username · Role", e.g. "jdoe · Supervisor" */
  subtitle = g_strdup_printf (_("%s · %s"), pqs_user_get_username (user),
                              pqs_role_get_label (pqs_user_get_role (user)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Initials of the person, not of the rank. */
  adw_avatar_set_text (data->avatar, pqs_user_get_full_name (user) != NULL
                                     ? pqs_user_get_full_name (user)
                                     : pqs_user_get_username (user));

  gtk_widget_set_visible (data->deactivated_label, !active);
  gtk_widget_set_visible (data->locked_label,
                          pqs_user_is_locked_at (user, pqs_store_now (store)));
  gtk_widget_set_visible (data->reset_label, pqs_user_get_password_reset_required (user));

  /* A deactivated account reads as such at a glance. */
  gtk_widget_set_opacity (GTK_WIDGET (data->avatar), active ? 1.0 : 0.5);
}

static void
user_notify_cb (PqsUser    *user,
                GParamSpec *pspec,
                GtkWidget  *row)
{
  if (g_str_equal (pspec->name, "avatar-updated-at") ||
      g_str_equal (pspec->name, "avatar-mime"))
    row_update_avatar (row);
  else
    row_update (row);
}

static GtkWidget *
badge_new (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  /* In a narrow window a long badge wraps rather than hide the name. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_set_halign (label, GTK_ALIGN_END);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, style);
  return label;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  PqsUsersView *self = user_data;
  PqsUser *user = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badges = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  RowData *data = g_new0 (RowData, 1);

  data->user = g_object_ref (user);
  data->directory = g_object_ref (self->directory);
  data->avatar = ADW_AVATAR (adw_avatar_new (40, NULL, TRUE));
  data->deactivated_label = badge_new (_("Deactivated"), "dim-label");
  data->locked_label = badge_new (_("Locked"), "error");
  data->reset_label = badge_new (_("Must change password"), "warning");
  g_object_set_data_full (G_OBJECT (row), "pqs-row-data", data, (GDestroyNotify) row_data_free);

  /* The badges take the room the name leaves, wrapping when it is short. */
  gtk_widget_set_valign (badges, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (badges, TRUE);
  gtk_box_append (GTK_BOX (badges), data->deactivated_label);
  gtk_box_append (GTK_BOX (badges), data->locked_label);
  gtk_box_append (GTK_BOX (badges), data->reset_label);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (data->avatar));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badges);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  row_update (row);
  row_update_avatar (row);
  g_signal_connect_object (user, "notify", G_CALLBACK (user_notify_cb), row, 0);

  return row;
}

/* Searching ----------------------------------------------------------------- */

static gboolean
contains (const char *text,
          const char *needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  PqsUsersView *self = user_data;
  PqsUser *user = item;

  if (self->search == NULL)
    return TRUE;

  return contains (pqs_user_get_username (user), self->search) ||
         contains (pqs_user_get_full_name (user), self->search) ||
         contains (pqs_user_get_rank (user), self->search) ||
         contains (pqs_user_get_email (user), self->search);
}

static void
update_stack (PqsUsersView *self)
{
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint n_users = self->users != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->users)) : 0;
  g_autofree char *subtitle = NULL;

  if (n_shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      if (self->search != NULL)
        {
          adw_status_page_set_title (self->empty_page, _("No Users Found"));
          adw_status_page_set_description (self->empty_page, _("Try a different search."));
          adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Users"));
          adw_status_page_set_description (self->empty_page, NULL);
          adw_status_page_set_icon_name (self->empty_page, "system-users-symbolic");
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (self->users != NULL)
    /* Translators: under the "Users" title */
    subtitle = g_strdup_printf (ngettext ("%u account", "%u accounts", n_users), n_users);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
search_changed_cb (PqsUsersView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_stack (self);
}

static void
stop_search_cb (PqsUsersView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Permissions and the editor --------------------------------------------------- */

static gboolean
can_manage (PqsUsersView *self)
{
  return self->session != NULL &&
         pqs_auth_allows (pqs_session_get_user (self->session), PQS_ACTION_MANAGE_USERS, NULL);
}

/* The one function that says which controls a session may use. */
static void
update_actions (PqsUsersView *self)
{
  gboolean manage = can_manage (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.new", manage);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), manage);
}

static void
editor_destroy_cb (PqsUsersView *self)
{
  self->editor = NULL;
}

static void
editor_add_toast_cb (PqsUsersView *self,
                     AdwToast     *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

/**
 * pqs_users_view_open_editor:
 * @self: a #PqsUsersView
 * @user: (nullable): the account to edit, or %NULL for a new one
 *
 * Opens the editor in a modal window, or presents the one already open.
 *
 * Returns: (transfer none) (nullable): the editor, or %NULL without a
 *   session (or, for a new account, without the permission)
 */
PqsUserEditor *
pqs_users_view_open_editor (PqsUsersView *self,
                            PqsUser      *user)
{
  GtkRoot *root;

  g_return_val_if_fail (PQS_IS_USERS_VIEW (self), NULL);
  g_return_val_if_fail (user == NULL || PQS_IS_USER (user), NULL);

  if (self->session == NULL || (user == NULL && !can_manage (self)))
    return NULL;

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return self->editor;
    }

  self->editor = pqs_user_editor_new (self->session, self->users, user);
  g_signal_connect_object (self->editor, "destroy", G_CALLBACK (editor_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "add-toast", G_CALLBACK (editor_add_toast_cb), self,
                           G_CONNECT_SWAPPED);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->editor), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->editor), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->editor));

  return self->editor;
}

/**
 * pqs_users_view_get_editor:
 * @self: a #PqsUsersView
 *
 * Returns: (transfer none) (nullable): the open editor
 */
PqsUserEditor *
pqs_users_view_get_editor (PqsUsersView *self)
{
  g_return_val_if_fail (PQS_IS_USERS_VIEW (self), NULL);

  return self->editor;
}

static void
row_activated_cb (PqsUsersView  *self,
                  GtkListBoxRow *row)
{
  RowData *data = row_get_data (GTK_WIDGET (row));

  if (data != NULL)
    pqs_users_view_open_editor (self, data->user);
}

static void
new_user_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  pqs_users_view_open_editor (PQS_USERS_VIEW (widget), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsUsersView *self = PQS_USERS_VIEW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Session ------------------------------------------------------------------- */

static void
session_user_notify_cb (PqsUsersView *self)
{
  update_actions (self);
}

PqsSession *
pqs_users_view_get_session (PqsUsersView *self)
{
  g_return_val_if_fail (PQS_IS_USERS_VIEW (self), NULL);

  return self->session;
}

/**
 * pqs_users_view_set_session:
 * @self: a #PqsUsersView
 * @session: (nullable): who is signed in
 *
 * Shows the accounts of @session's database, with the controls its user
 * may use. A %NULL session empties the view and closes the editor.
 */
void
pqs_users_view_set_session (PqsUsersView *self,
                            PqsSession   *session)
{
  g_return_if_fail (PQS_IS_USERS_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  /* The rows hold the directory: the model goes before it changes. */
  gtk_filter_list_model_set_model (self->filtered, NULL);
  g_clear_object (&self->users);
  g_clear_object (&self->directory);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      PqsStore *store = pqs_session_get_store (session);

      self->directory = pqs_user_directory_new (store);
      self->users = pqs_user_list_new (store);
      g_signal_connect_object (pqs_session_get_user (session), "notify::role",
                               G_CALLBACK (session_user_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pqs_session_get_user (session), "notify::active",
                               G_CALLBACK (session_user_notify_cb), self, G_CONNECT_SWAPPED);
      gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (self->users));
    }

  update_actions (self);
  update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
pqs_users_view_get_show_back (PqsUsersView *self)
{
  g_return_val_if_fail (PQS_IS_USERS_VIEW (self), FALSE);

  return self->show_back;
}

/**
 * pqs_users_view_set_show_back:
 * @self: a #PqsUsersView
 * @show_back: whether the view is alone in a folded leaflet
 *
 * Shows the back button (main.back) and the window buttons at the start.
 */
void
pqs_users_view_set_show_back (PqsUsersView *self,
                              gboolean      show_back)
{
  g_return_if_fail (PQS_IS_USERS_VIEW (self));

  show_back = !!show_back;
  if (self->show_back == show_back)
    return;

  self->show_back = show_back;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), show_back);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, show_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

PqsUsersView *
pqs_users_view_new (void)
{
  return g_object_new (PQS_TYPE_USERS_VIEW, NULL);
}

/* GObject ------------------------------------------------------------------- */

static gboolean
pqs_users_view_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PQS_USERS_VIEW (widget)->search_entry));
}

/* A lockout ends with time, not with a change to the row: each time the
 * view is shown again, the rows look at the clock. */
static void
pqs_users_view_map (GtkWidget *widget)
{
  PqsUsersView *self = PQS_USERS_VIEW (widget);
  GtkListBoxRow *row;

  GTK_WIDGET_CLASS (pqs_users_view_parent_class)->map (widget);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    if (row_get_data (GTK_WIDGET (row)) != NULL)
      row_update (GTK_WIDGET (row));
}

static void
items_changed_cb (PqsUsersView *self)
{
  update_stack (self);
}

static void
pqs_users_view_dispose (GObject *object)
{
  PqsUsersView *self = PQS_USERS_VIEW (object);
  GtkWidget *child;

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_USERS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->users);
  g_clear_object (&self->directory);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_users_view_parent_class)->dispose (object);
}

static void
pqs_users_view_finalize (GObject *object)
{
  PqsUsersView *self = PQS_USERS_VIEW (object);

  g_free (self->search);

  G_OBJECT_CLASS (pqs_users_view_parent_class)->finalize (object);
}

static void
pqs_users_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PqsUsersView *self = PQS_USERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SHOW_BACK:
      g_value_set_boolean (value, self->show_back);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_users_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PqsUsersView *self = PQS_USERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_users_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_BACK:
      pqs_users_view_set_show_back (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_users_view_class_init (PqsUsersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_users_view_dispose;
  object_class->finalize = pqs_users_view_finalize;
  object_class->get_property = pqs_users_view_get_property;
  object_class->set_property = pqs_users_view_set_property;
  widget_class->grab_focus = pqs_users_view_grab_focus;
  widget_class->map = pqs_users_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_BACK] =
    g_param_spec_boolean ("show-back", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (PQS_TYPE_USER_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-users-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsUsersView, name)
  BIND (back_button);
  BIND (header_bar);
  BIND (window_title);
  BIND (new_button);
  BIND (search_bar);
  BIND (search_entry);
  BIND (stack);
  BIND (list_box);
  BIND (empty_page);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "users.new", NULL, new_user_action);
  gtk_widget_class_install_action (widget_class, "users.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "users.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "users.search", NULL);
}

static void
pqs_users_view_init (PqsUsersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered), create_row_cb, self,
                           NULL);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  update_actions (self);
  update_stack (self);
}
