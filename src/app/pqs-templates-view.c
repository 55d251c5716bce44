/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-session.h"
#include "pqs-template-editor.h"
#include "pqs-template-list.h"
#include "pqs-template.h"
#include "pqs-templates-view.h"
#include "pqs-user.h"

/**
 * PqsTemplatesView:
 *
 * The templates of section documents, grouped by series (100
 * Fundamentals, 200 Systems, 300 Watchstations) or showing one series,
 * bound to the model's #PqsTemplateList: each row shows the name, the
 * description, "System" and "Inactive" badges, the number of form fields
 * and how many documents were made from it. A #PqsTemplateEditor opens on
 * a row, and on "New Template" for supervisors and administrators
 * (%PQS_ACTION_MANAGE_TEMPLATES); everyone else sees the active templates
 * and reads them.
 *
 * Signals: "add-toast" (an #AdwToast with the result of an action).
 */

#define N_SERIES 3

struct _PqsTemplatesView
{
  GtkWidget           parent_instance;

  /* Template children */
  GtkButton          *back_button;
  AdwHeaderBar       *header_bar;
  AdwWindowTitle     *window_title;
  GtkButton          *new_button;
  GtkDropDown        *series_dropdown;
  GtkStack           *stack;
  GtkWidget          *group_100;
  GtkWidget          *group_200;
  GtkWidget          *group_300;
  GtkListBox         *list_100;
  GtkListBox         *list_200;
  GtkListBox         *list_300;
  AdwStatusPage      *empty_page;

  /* One filtered model per series, over the one list. */
  GtkFilterListModel *series_models[N_SERIES];
  GtkWidget          *groups[N_SERIES];

  PqsSession         *session;
  PqsTemplateList    *templates;
  PqsTemplateEditor  *editor;      /* the open editor, until it is destroyed */

  gboolean            show_back;
};

G_DEFINE_FINAL_TYPE (PqsTemplatesView, pqs_templates_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_BACK,
  PROP_SECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const int series_sections[N_SERIES] = { 100, 200, 300 };

/* Rows ---------------------------------------------------------------------- */

/* Long descriptions are cut in the list; the editor shows them whole. */
#define DESCRIPTION_SHOWN 160

static PqsTemplate *
row_get_template (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "pqs-template");
}

static char *
usage_text (guint n_documents)
{
  if (n_documents == 0)
    return g_strdup (_("Not used yet"));
  /* Translators: how many section documents were made from a template */
  return g_strdup_printf (ngettext ("Used by %u document", "Used by %u documents", n_documents),
                          n_documents);
}

static void
row_update (GtkWidget *row)
{
  PqsTemplate *template = row_get_template (row);
  GtkWidget *system_label = g_object_get_data (G_OBJECT (row), "pqs-system-label");
  GtkWidget *inactive_label = g_object_get_data (G_OBJECT (row), "pqs-inactive-label");
  const char *description = pqs_template_get_description (template);
  guint n_fields = pqs_template_get_fields (template)->len;
  g_autofree char *name = g_markup_escape_text (pqs_template_get_name (template), -1);
  g_autofree char *usage = usage_text (pqs_template_get_usage_count (template));
  g_autofree char *counts = NULL;
  g_autofree char *counts_markup = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: a template's row: "7 fields · Used by 2 documents" */
  counts = g_strdup_printf (ngettext ("%u field · %s", "%u fields · %s", n_fields),
                            n_fields, usage);
  counts_markup = g_markup_printf_escaped ("<small>%s</small>", counts);

  if (description != NULL && *description != '\0')
    {
      g_autofree char *shown = NULL;
      g_autofree char *escaped = NULL;

      if (g_utf8_strlen (description, -1) > DESCRIPTION_SHOWN)
        {
          g_autofree char *cut = g_utf8_substring (description, 0, DESCRIPTION_SHOWN - 1);

          shown = g_strconcat (g_strchomp (cut), "…", NULL);
        }
      else
        shown = g_strdup (description);
      /* One paragraph in the list. */
      g_strdelimit (shown, "\r\n\t", ' ');
      escaped = g_markup_escape_text (shown, -1);
      subtitle = g_strconcat (escaped, "\n", counts_markup, NULL);
    }
  else
    subtitle = g_steal_pointer (&counts_markup);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_visible (system_label, pqs_template_get_system (template));
  gtk_widget_set_visible (inactive_label, !pqs_template_get_active (template));
}

static void
template_notify_cb (GtkWidget *row)
{
  row_update (row);
}

static GtkWidget *
badge_new (const char *text,
           const char *style)
{
  GtkWidget *label = gtk_label_new (text);

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
  PqsTemplate *template = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *badges = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *system_label = badge_new (_("System"), "accent");
  GtkWidget *inactive_label = badge_new (_("Inactive"), "dim-label");

  g_object_set_data_full (G_OBJECT (row), "pqs-template", g_object_ref (template),
                          g_object_unref);
  g_object_set_data (G_OBJECT (row), "pqs-system-label", system_label);
  g_object_set_data (G_OBJECT (row), "pqs-inactive-label", inactive_label);

  gtk_widget_set_valign (badges, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (badges), system_label);
  gtk_box_append (GTK_BOX (badges), inactive_label);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badges);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  row_update (row);
  g_signal_connect_object (template, "notify", G_CALLBACK (template_notify_cb), row,
                           G_CONNECT_SWAPPED);

  return row;
}

/* Series -------------------------------------------------------------------- */

static gboolean
series_filter_cb (gpointer item,
                  gpointer user_data)
{
  return pqs_template_get_section (item) == GPOINTER_TO_INT (user_data);
}

static int
selected_section (PqsTemplatesView *self)
{
  guint selected = gtk_drop_down_get_selected (self->series_dropdown);

  return selected >= 1 && selected <= N_SERIES ? series_sections[selected - 1] : 0;
}

static gboolean
can_manage (PqsTemplatesView *self)
{
  return self->session != NULL &&
         pqs_auth_allows (pqs_session_get_user (self->session), PQS_ACTION_MANAGE_TEMPLATES,
                          NULL);
}

static void
update_stack (PqsTemplatesView *self)
{
  guint n_shown = self->templates != NULL
                  ? g_list_model_get_n_items (G_LIST_MODEL (self->templates)) : 0;
  g_autofree char *subtitle = NULL;

  /* The drop-down speaks while the template is built. */
  if (self->series_models[0] == NULL)
    return;

  for (guint i = 0; i < N_SERIES; i++)
    gtk_widget_set_visible (self->groups[i],
                            g_list_model_get_n_items (G_LIST_MODEL (self->series_models[i])) > 0);

  if (n_shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      const char *description = NULL;

      if (self->session == NULL)
        description = NULL;
      else if (selected_section (self) != 0)
        description = can_manage (self)
                      ? _("This series has no templates yet. Create one with the + button.")
                      : _("This series has no templates yet.");
      else
        description = can_manage (self)
                      ? _("Create a template with the + button.")
                      : NULL;
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (self->templates != NULL)
    /* Translators: under the "Templates" title */
    subtitle = g_strdup_printf (ngettext ("%u template", "%u templates", n_shown), n_shown);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
series_selected_cb (PqsTemplatesView *self)
{
  if (self->templates != NULL)
    pqs_template_list_set_section (self->templates, selected_section (self));
  update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

int
pqs_templates_view_get_section (PqsTemplatesView *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATES_VIEW (self), 0);

  return selected_section (self);
}

/**
 * pqs_templates_view_set_section:
 * @self: a #PqsTemplatesView
 * @section: 100, 200 or 300 to show one series, 0 for all of them
 */
void
pqs_templates_view_set_section (PqsTemplatesView *self,
                                int               section)
{
  g_return_if_fail (PQS_IS_TEMPLATES_VIEW (self));
  g_return_if_fail (section == 0 || section == 100 || section == 200 || section == 300);

  gtk_drop_down_set_selected (self->series_dropdown, section / 100);
}

/* Permissions and the editor --------------------------------------------------- */

/* The one function that says which controls a session may use. */
static void
update_actions (PqsTemplatesView *self)
{
  gboolean manage = can_manage (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "templates.new", manage);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), manage);

  /* Deactivated templates are for those who manage them. */
  if (self->templates != NULL)
    pqs_template_list_set_active_only (self->templates, !manage);
}

static void
editor_destroy_cb (PqsTemplatesView *self)
{
  self->editor = NULL;
}

static void
editor_add_toast_cb (PqsTemplatesView *self,
                     AdwToast         *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static void
reload (PqsTemplatesView *self)
{
  g_autoptr(GError) error = NULL;

  /* The usage counts are as of the last reload. */
  if (self->templates != NULL && !pqs_template_list_reload (self->templates, &error))
    g_warning ("Could not read the templates: %s", error->message);
}

/**
 * pqs_templates_view_open_editor:
 * @self: a #PqsTemplatesView
 * @template: (nullable): the template to show, or %NULL for a new one
 *
 * Opens the editor in a modal window, or presents the one already open.
 *
 * Returns: (transfer none) (nullable): the editor, or %NULL without a
 *   session (or, for a new template, without the permission)
 */
PqsTemplateEditor *
pqs_templates_view_open_editor (PqsTemplatesView *self,
                                PqsTemplate      *template)
{
  GtkRoot *root;

  g_return_val_if_fail (PQS_IS_TEMPLATES_VIEW (self), NULL);
  g_return_val_if_fail (template == NULL || PQS_IS_TEMPLATE (template), NULL);

  if (self->session == NULL || (template == NULL && !can_manage (self)))
    return NULL;

  if (self->editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return self->editor;
    }

  reload (self);
  self->editor = pqs_template_editor_new (self->session, self->templates, template);
  if (template == NULL && selected_section (self) != 0)
    pqs_template_editor_set_section (self->editor, selected_section (self));
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
 * pqs_templates_view_get_editor:
 * @self: a #PqsTemplatesView
 *
 * Returns: (transfer none) (nullable): the open editor
 */
PqsTemplateEditor *
pqs_templates_view_get_editor (PqsTemplatesView *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATES_VIEW (self), NULL);

  return self->editor;
}

static void
row_activated_cb (PqsTemplatesView *self,
                  GtkListBoxRow    *row)
{
  PqsTemplate *template = row_get_template (GTK_WIDGET (row));

  if (template != NULL)
    pqs_templates_view_open_editor (self, template);
}

static void
new_template_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  pqs_templates_view_open_editor (PQS_TEMPLATES_VIEW (widget), NULL);
}

/* Session ------------------------------------------------------------------- */

static void
session_user_notify_cb (PqsTemplatesView *self)
{
  update_actions (self);
  update_stack (self);
}

PqsSession *
pqs_templates_view_get_session (PqsTemplatesView *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATES_VIEW (self), NULL);

  return self->session;
}

static void
set_models (PqsTemplatesView *self,
            GListModel       *model)
{
  for (guint i = 0; i < N_SERIES; i++)
    gtk_filter_list_model_set_model (self->series_models[i], model);
}

/**
 * pqs_templates_view_set_session:
 * @self: a #PqsTemplatesView
 * @session: (nullable): who is signed in
 *
 * Shows the templates of @session's database, with the controls its user
 * may use. A %NULL session empties the view and closes the editor.
 */
void
pqs_templates_view_set_session (PqsTemplatesView *self,
                                PqsSession       *session)
{
  g_return_if_fail (PQS_IS_TEMPLATES_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  set_models (self, NULL);
  g_clear_object (&self->templates);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      PqsUser *user = pqs_session_get_user (session);

      self->templates = pqs_template_list_new (pqs_session_get_store (session));
      pqs_template_list_set_section (self->templates, selected_section (self));
      g_signal_connect_object (user, "notify::role", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (user, "notify::active", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->templates, "items-changed", G_CALLBACK (update_stack), self,
                               G_CONNECT_SWAPPED);
    }

  update_actions (self);
  if (self->templates != NULL)
    set_models (self, G_LIST_MODEL (self->templates));
  update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
pqs_templates_view_get_show_back (PqsTemplatesView *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATES_VIEW (self), FALSE);

  return self->show_back;
}

/**
 * pqs_templates_view_set_show_back:
 * @self: a #PqsTemplatesView
 * @show_back: whether the view is alone in a folded leaflet
 *
 * Shows the back button (main.back) and the window buttons at the start.
 */
void
pqs_templates_view_set_show_back (PqsTemplatesView *self,
                                  gboolean          show_back)
{
  g_return_if_fail (PQS_IS_TEMPLATES_VIEW (self));

  show_back = !!show_back;
  if (self->show_back == show_back)
    return;

  self->show_back = show_back;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), show_back);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, show_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

PqsTemplatesView *
pqs_templates_view_new (void)
{
  return g_object_new (PQS_TYPE_TEMPLATES_VIEW, NULL);
}

/* GObject ------------------------------------------------------------------- */

static gboolean
pqs_templates_view_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PQS_TEMPLATES_VIEW (widget)->series_dropdown));
}

/* Documents made from a template do not reload the list: each time the
 * view is shown again, the counts are read again. */
static void
pqs_templates_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pqs_templates_view_parent_class)->map (widget);

  reload (PQS_TEMPLATES_VIEW (widget));
}

static void
pqs_templates_view_dispose (GObject *object)
{
  PqsTemplatesView *self = PQS_TEMPLATES_VIEW (object);
  GtkWidget *child;

  if (self->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (self->editor));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_TEMPLATES_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  for (guint i = 0; i < N_SERIES; i++)
    g_clear_object (&self->series_models[i]);
  g_clear_object (&self->templates);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_templates_view_parent_class)->dispose (object);
}

static void
pqs_templates_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PqsTemplatesView *self = PQS_TEMPLATES_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SHOW_BACK:
      g_value_set_boolean (value, self->show_back);
      break;
    case PROP_SECTION:
      g_value_set_int (value, selected_section (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_templates_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PqsTemplatesView *self = PQS_TEMPLATES_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_templates_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_BACK:
      pqs_templates_view_set_show_back (self, g_value_get_boolean (value));
      break;
    case PROP_SECTION:
      pqs_templates_view_set_section (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_templates_view_class_init (PqsTemplatesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_templates_view_dispose;
  object_class->get_property = pqs_templates_view_get_property;
  object_class->set_property = pqs_templates_view_set_property;
  widget_class->grab_focus = pqs_templates_view_grab_focus;
  widget_class->map = pqs_templates_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_BACK] =
    g_param_spec_boolean ("show-back", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PqsTemplatesView:section:
   *
   * The series shown: 100, 200 or 300, or 0 for all of them.
   */
  properties[PROP_SECTION] =
    g_param_spec_int ("section", NULL, NULL, 0, 300, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (PQS_TYPE_TEMPLATE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-templates-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsTemplatesView, name)
  BIND (back_button);
  BIND (header_bar);
  BIND (window_title);
  BIND (new_button);
  BIND (series_dropdown);
  BIND (stack);
  BIND (group_100);
  BIND (group_200);
  BIND (group_300);
  BIND (list_100);
  BIND (list_200);
  BIND (list_300);
  BIND (empty_page);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, series_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "templates.new", NULL, new_template_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "templates.new", NULL);
}

static void
pqs_templates_view_init (PqsTemplatesView *self)
{
  GtkListBox *lists[N_SERIES];

  gtk_widget_init_template (GTK_WIDGET (self));

  lists[0] = self->list_100;
  lists[1] = self->list_200;
  lists[2] = self->list_300;
  self->groups[0] = self->group_100;
  self->groups[1] = self->group_200;
  self->groups[2] = self->group_300;

  for (guint i = 0; i < N_SERIES; i++)
    {
      GtkCustomFilter *filter = gtk_custom_filter_new (series_filter_cb,
                                                       GINT_TO_POINTER (series_sections[i]),
                                                       NULL);

      self->series_models[i] = gtk_filter_list_model_new (NULL, GTK_FILTER (filter));
      g_signal_connect_object (self->series_models[i], "items-changed",
                               G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
      gtk_list_box_bind_model (lists[i], G_LIST_MODEL (self->series_models[i]), create_row_cb,
                               self, NULL);
    }

  update_actions (self);
  update_stack (self);
}
