/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-audit-entry.h"
#include "pqs-audit-list.h"
#include "pqs-audit.h"
#include "pqs-auth.h"
#include "pqs-audit-log-view.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-user-list.h"
#include "pqs-user.h"

/**
 * PqsAuditLogView:
 *
 * The audit trail of the System view: the model's paged #PqsAuditList,
 * newest first, narrowed by a user, an action and a range of days, and
 * "Verify Chain", which walks the hash chain on the store's worker
 * connection and names the first row that was tampered with.
 *
 * Signal: "add-toast" (#AdwToast) for results.
 */

struct _PqsAuditLogView
{
  GtkWidget        parent_instance;

  /* Template children */
  GtkDropDown     *user_dropdown;
  GtkEntry        *action_entry;
  GtkEntry        *since_entry;
  GtkEntry        *until_entry;
  GtkLabel        *date_error_label;
  GtkRevealer     *result_revealer;
  GtkBox          *result_box;
  GtkImage        *result_icon;
  GtkLabel        *result_label;
  GtkStack        *list_stack;
  GtkListView     *list_view;
  GtkLabel        *count_label;
  GtkButton       *clear_button;
  GtkButton       *verify_button;
  GtkButton       *cancel_button;
  GtkProgressBar  *progress_bar;

  PqsSession      *session;
  PqsAuditList    *list;
  PqsUserList     *users;
  GtkStringList   *user_names;
  GArray          *user_ids;      /* gint64, parallel to user_names; 0 is everyone */
  GCancellable    *cancellable;   /* set while the chain is verified */
  char            *result;
  gboolean         updating_users;
};

G_DEFINE_FINAL_TYPE (PqsAuditLogView, pqs_audit_log_view, GTK_TYPE_WIDGET)

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add_toast (PqsAuditLogView *self,
           const char      *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static PqsUser *
current_user (PqsAuditLogView *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

/* Rows ---------------------------------------------------------------------- */

static char *
format_local (GDateTime  *time,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, format);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);
  GtkWidget *id = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_valign (id, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (id, "dim-label");
  gtk_widget_add_css_class (id, "caption");
  gtk_widget_add_css_class (id, "numeric");

  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), id);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  PqsAuditEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *texts = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (texts);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  GtkWidget *id = gtk_widget_get_next_sibling (texts);
  g_autofree char *when = NULL;
  g_autofree char *who = NULL;
  g_autofree char *line = NULL;
  g_autofree char *id_text = NULL;
  const char *details;

  /* Translators: how a time shows in the audit log; see g_date_time_format(). */
  when = format_local (pqs_audit_entry_get_created_at (entry), _("%Y-%m-%d %H:%M:%S"));

  if (pqs_audit_entry_get_user_id (entry) <= 0)
    who = g_strdup (_("System"));
  else if (pqs_audit_entry_get_full_name (entry) != NULL &&
           *pqs_audit_entry_get_full_name (entry) != '\0')
    /* Translators: a user in the audit log: full name (username). */
    who = g_strdup_printf (_("%s (%s)"), pqs_audit_entry_get_full_name (entry),
                           pqs_audit_entry_get_username (entry));
  else
    who = g_strdup (pqs_audit_entry_get_username (entry) != NULL
                    ? pqs_audit_entry_get_username (entry) : _("Unknown user"));

  if (pqs_audit_entry_get_resource_type (entry) != NULL &&
      pqs_audit_entry_get_resource_id (entry) > 0)
    {
      char resource[32];

      g_snprintf (resource, sizeof resource, "%" G_GINT64_FORMAT,
                  pqs_audit_entry_get_resource_id (entry));
      /* Translators: who · when · what it concerns, e.g. "user 4". */
      line = g_strdup_printf (_("%s · %s · %s %s"), who, when,
                              pqs_audit_entry_get_resource_type (entry), resource);
    }
  else
    /* Translators: who · when, in the audit log. */
    line = g_strdup_printf (_("%s · %s"), who, when);

  id_text = g_strdup_printf ("#%" G_GINT64_FORMAT, pqs_audit_entry_get_id (entry));

  gtk_label_set_text (GTK_LABEL (title), pqs_audit_entry_get_description (entry));
  gtk_label_set_text (GTK_LABEL (subtitle), line);
  gtk_label_set_text (GTK_LABEL (id), id_text);

  details = pqs_audit_entry_get_details (entry);
  if (details != NULL && *details != '\0' && g_strcmp0 (details, "{}") != 0)
    {
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s",
                                                  pqs_audit_entry_get_activity_type (entry),
                                                  details);
      gtk_widget_set_tooltip_text (box, tooltip);
    }
  else
    {
      gtk_widget_set_tooltip_text (box, pqs_audit_entry_get_activity_type (entry));
    }
}

/* Filters ------------------------------------------------------------------- */

static void
update_count (PqsAuditLogView *self)
{
  guint n = self->list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  g_autofree char *text = NULL;

  text = g_strdup_printf (ngettext ("%u entry", "%u entries", n), n);
  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static void
items_changed_cb (PqsAuditLogView *self)
{
  update_count (self);
}

/* A day written as YYYY-MM-DD, as local midnight; "" is no bound. */
static gboolean
parse_day (const char  *text,
           GDateTime  **out_day)
{
  int year, month, day;

  *out_day = NULL;
  if (*text == '\0')
    return TRUE;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = atoi (text);
  month = atoi (text + 5);
  day = atoi (text + 8);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return FALSE;

  *out_day = g_date_time_new_local (year, month, day, 0, 0, 0);
  return *out_day != NULL;
}

static void
mark_invalid (GtkEntry *entry,
              gboolean  invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static gint64
selected_user_id (PqsAuditLogView *self)
{
  guint selected = gtk_drop_down_get_selected (self->user_dropdown);

  if (self->user_ids == NULL || selected == GTK_INVALID_LIST_POSITION ||
      selected >= self->user_ids->len)
    return 0;
  return g_array_index (self->user_ids, gint64, selected);
}

/* Applies what the filter controls say. A date that is not (yet) a valid
 * day is not applied; @complain says whether to say so now (the person
 * pressed Enter or finished typing ten characters) or wait. */
static void
apply_filters (PqsAuditLogView *self,
               gboolean         complain)
{
  g_autoptr(GDateTime) since = NULL;
  g_autoptr(GDateTime) until_day = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *action = NULL;
  const char *since_text = gtk_editable_get_text (GTK_EDITABLE (self->since_entry));
  const char *until_text = gtk_editable_get_text (GTK_EDITABLE (self->until_entry));
  gboolean since_ok, until_ok;
  const char *message = NULL;

  if (self->list == NULL)
    return;

  action = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->action_entry))));

  since_ok = parse_day (since_text, &since);
  until_ok = parse_day (until_text, &until_day);
  if (until_day != NULL)
    until = g_date_time_add_days (until_day, 1);   /* the day itself is included */

  if (!since_ok || !until_ok)
    message = _("Write a date as YYYY-MM-DD, for example 2025-03-31.");
  else if (since != NULL && until != NULL && g_date_time_compare (since, until) >= 0)
    {
      message = _("The “until” day is before the “since” day.");
      until_ok = FALSE;
      g_clear_pointer (&until, g_date_time_unref);
    }

  mark_invalid (self->since_entry, !since_ok && (complain || strlen (since_text) >= 10));
  mark_invalid (self->until_entry, !until_ok && (complain || strlen (until_text) >= 10));
  gtk_label_set_text (self->date_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->date_error_label),
                          message != NULL &&
                          (complain ||
                           gtk_widget_has_css_class (GTK_WIDGET (self->since_entry), "error") ||
                           gtk_widget_has_css_class (GTK_WIDGET (self->until_entry), "error")));

  g_object_freeze_notify (G_OBJECT (self->list));
  pqs_audit_list_set_user_id (self->list, selected_user_id (self));
  pqs_audit_list_set_activity_type (self->list, *action != '\0' ? action : NULL);
  pqs_audit_list_set_since (self->list, since_ok ? since : NULL);
  pqs_audit_list_set_until (self->list, until_ok ? until : NULL);
  g_object_thaw_notify (G_OBJECT (self->list));

  gtk_widget_set_visible (GTK_WIDGET (self->clear_button),
                          selected_user_id (self) != 0 || *action != '\0' ||
                          *since_text != '\0' || *until_text != '\0');
  update_count (self);
}

static void
filter_changed_cb (PqsAuditLogView *self)
{
  if (!self->updating_users)
    apply_filters (self, FALSE);
}

static void
filter_activate_cb (PqsAuditLogView *self)
{
  apply_filters (self, TRUE);
}

static void
clear_filters_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PqsAuditLogView *self = PQS_AUDIT_LOG_VIEW (widget);

  self->updating_users = TRUE;
  gtk_drop_down_set_selected (self->user_dropdown, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->action_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->since_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->until_entry), "");
  self->updating_users = FALSE;
  apply_filters (self, FALSE);
}

/* The user filter: everyone, then each account by display name. */
static void
rebuild_users (PqsAuditLogView *self)
{
  gint64 selected = selected_user_id (self);
  guint n = self->users != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->users)) : 0;
  guint position = 0;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gint64 everyone = 0;

  g_array_set_size (self->user_ids, 0);
  gtk_string_list_append (names, _("All Users"));
  g_array_append_val (self->user_ids, everyone);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsUser) user = g_list_model_get_item (G_LIST_MODEL (self->users), i);
      g_autofree char *name = pqs_user_dup_display_name (user);
      gint64 id = pqs_user_get_id (user);

      gtk_string_list_append (names, name);
      g_array_append_val (self->user_ids, id);
      if (id == selected)
        position = i + 1;
    }

  self->updating_users = TRUE;
  g_set_object (&self->user_names, names);
  gtk_drop_down_set_model (self->user_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->user_dropdown, position);
  self->updating_users = FALSE;
}

/* Verify Chain ---------------------------------------------------------------- */

static void
set_verifying (PqsAuditLogView *self,
               gboolean         verifying)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), verifying);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), verifying);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_button), !verifying);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.verify",
                                 !verifying && self->list != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.cancel", verifying);
  if (verifying)
    gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
}

static void
show_result (PqsAuditLogView *self,
             const char      *text,
             gboolean         good)
{
  g_free (self->result);
  self->result = g_strdup (text);

  gtk_label_set_text (self->result_label, text != NULL ? text : "");
  gtk_image_set_from_icon_name (self->result_icon, good ? "emblem-ok-symbolic"
                                                        : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_box), good ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_box), good ? "success" : "error");
  gtk_revealer_set_reveal_child (self->result_revealer, text != NULL);
}

static void
verify_progress_cb (guint64  checked,
                    guint64  total,
                    gpointer user_data)
{
  PqsAuditLogView *self = user_data;

  if (self->progress_bar == NULL)
    return;
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) checked / total));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PqsAuditLogView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad_id = 0;
  gboolean ok;

  ok = pqs_audit_verify_finish (PQS_STORE (object), result, &rows, &bad_id, &error);
  g_clear_object (&self->cancellable);

  /* Disposed meanwhile: nothing to show it in. */
  if (self->progress_bar == NULL)
    return;

  set_verifying (self, FALSE);

  if (ok)
    {
      g_autofree char *text = NULL;
      char number[32];

      g_snprintf (number, sizeof number, "%" G_GUINT64_FORMAT, rows);
      /* Translators: the result of "Verify Chain"; %s is a number of audit rows. */
      text = g_strdup_printf (ngettext ("%s row, intact", "%s rows, intact", (gulong) rows),
                              number);
      show_result (self, text, TRUE);
      add_toast (self, _("The audit chain is intact"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_result (self, NULL, TRUE);
      add_toast (self, _("Verification cancelled"));
    }
  else
    {
      show_result (self, error->message, FALSE);
    }
}

static void
verify_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsAuditLogView *self = PQS_AUDIT_LOG_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || self->cancellable != NULL)
    return;

  if (!pqs_auth_check (current_user (self), PQS_ACTION_READ_SYSTEM, NULL, &error))
    {
      show_result (self, error->message, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  show_result (self, NULL, TRUE);
  set_verifying (self, TRUE);
  pqs_audit_verify_async (pqs_session_get_store (self->session), self->cancellable,
                          verify_progress_cb, self, verify_cb, g_object_ref (self));
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsAuditLogView *self = PQS_AUDIT_LOG_VIEW (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Public ------------------------------------------------------------------------ */

PqsAuditLogView *
pqs_audit_log_view_new (void)
{
  return g_object_new (PQS_TYPE_AUDIT_LOG_VIEW, NULL);
}

static void
clear_models (PqsAuditLogView *self)
{
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->users != NULL)
    g_signal_handlers_disconnect_by_data (self->users, self);
  g_clear_object (&self->list);
  g_clear_object (&self->users);
}

/**
 * pqs_audit_log_view_set_session:
 * @self: a #PqsAuditLogView
 * @session: (nullable): who looks
 *
 * Shows the audit trail of @session's store (nothing without a session or
 * for someone who may not read it).
 */
void
pqs_audit_log_view_set_session (PqsAuditLogView *self,
                                PqsSession      *session)
{
  PqsStore *store;
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PQS_IS_AUDIT_LOG_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  g_set_object (&self->session, session);
  clear_models (self);
  show_result (self, NULL, TRUE);

  store = session != NULL ? pqs_session_get_store (session) : NULL;
  if (store != NULL && pqs_auth_allows (pqs_session_get_user (session), PQS_ACTION_READ_SYSTEM,
                                        NULL))
    {
      self->list = pqs_audit_list_new (store);
      g_signal_connect_object (self->list, "items-changed", G_CALLBACK (items_changed_cb), self,
                               G_CONNECT_SWAPPED);

      self->users = pqs_user_list_new (store);
      if (!pqs_user_list_reload (self->users, &error))
        g_warning ("Cannot list the users for the audit log: %s", error->message);
      g_signal_connect_object (self->users, "items-changed", G_CALLBACK (rebuild_users), self,
                               G_CONNECT_SWAPPED);
    }

  rebuild_users (self);
  if (self->list != NULL)
    selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  apply_filters (self, FALSE);
  set_verifying (self, FALSE);
}

/**
 * pqs_audit_log_view_reload:
 * @self: a #PqsAuditLogView
 *
 * Reads the trail and the users again (after a restore, say).
 */
void
pqs_audit_log_view_reload (PqsAuditLogView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PQS_IS_AUDIT_LOG_VIEW (self));

  if (self->users != NULL && !pqs_user_list_reload (self->users, &error))
    g_warning ("Cannot list the users for the audit log: %s", error->message);
  if (self->list != NULL)
    pqs_audit_list_reload (self->list);
  update_count (self);
}

/**
 * pqs_audit_log_view_get_model:
 * @self: a #PqsAuditLogView
 *
 * Returns: (transfer none) (nullable): the #PqsAuditEntry list shown, filtered
 */
GListModel *
pqs_audit_log_view_get_model (PqsAuditLogView *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LOG_VIEW (self), NULL);

  return self->list != NULL ? G_LIST_MODEL (self->list) : NULL;
}

gboolean
pqs_audit_log_view_get_busy (PqsAuditLogView *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LOG_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * pqs_audit_log_view_get_result:
 * @self: a #PqsAuditLogView
 *
 * Returns: (nullable): what the last "Verify Chain" found, as shown
 */
const char *
pqs_audit_log_view_get_result (PqsAuditLogView *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LOG_VIEW (self), NULL);

  return self->result;
}

/* GObject ----------------------------------------------------------------------- */

static void
pqs_audit_log_view_dispose (GObject *object)
{
  PqsAuditLogView *self = PQS_AUDIT_LOG_VIEW (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  clear_models (self);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_AUDIT_LOG_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pqs_audit_log_view_parent_class)->dispose (object);
}

static void
pqs_audit_log_view_finalize (GObject *object)
{
  PqsAuditLogView *self = PQS_AUDIT_LOG_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->user_names);
  g_clear_pointer (&self->user_ids, g_array_unref);
  g_clear_pointer (&self->result, g_free);

  G_OBJECT_CLASS (pqs_audit_log_view_parent_class)->finalize (object);
}

static void
pqs_audit_log_view_class_init (PqsAuditLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_audit_log_view_dispose;
  object_class->finalize = pqs_audit_log_view_finalize;

  /**
   * PqsAuditLogView::add-toast:
   * @self: the view
   * @toast: an #AdwToast with a result
   */
  signals[ADD_TOAST] =
    g_signal_new ("add-toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-audit-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, user_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, action_entry);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, since_entry);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, until_entry);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, date_error_label);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, result_revealer);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, result_box);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, result_icon);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, result_label);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, count_label);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, verify_button);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PqsAuditLogView, progress_bar);

  gtk_widget_class_install_action (widget_class, "audit.verify", NULL, verify_action_cb);
  gtk_widget_class_install_action (widget_class, "audit.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "audit.clear-filters", NULL,
                                   clear_filters_action_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pqs_audit_log_view_init (PqsAuditLogView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->user_ids = g_array_new (FALSE, TRUE, sizeof (gint64));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  g_signal_connect_object (self->user_dropdown, "notify::selected",
                           G_CALLBACK (filter_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->action_entry, "changed", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->since_entry, "changed", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->until_entry, "changed", G_CALLBACK (filter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->since_entry, "activate", G_CALLBACK (filter_activate_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->until_entry, "activate", G_CALLBACK (filter_activate_cb), self,
                           G_CONNECT_SWAPPED);

  rebuild_users (self);
  update_count (self);
  set_verifying (self, FALSE);
}
