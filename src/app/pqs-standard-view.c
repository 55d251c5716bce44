/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-document-list.h"
#include "pqs-document-summary.h"
#include "pqs-library.h"
#include "pqs-new-section-dialog.h"
#include "pqs-session.h"
#include "pqs-standard-view.h"
#include "pqs-store.h"
#include "pqs-user.h"

/**
 * PqsStandardView:
 *
 * One standard as its printed book reads: the classification marking on a
 * banner that never scrolls away, the title block, and the section
 * documents grouped 100 / 200 / 300 in book order, each with its number,
 * title and status. "Add Section" per series opens a #PqsNewSectionDialog
 * with the next free number proposed.
 *
 * Each series is a #PqsDocumentList narrowed to the standard and the series
 * (at most 99 rows, so a #GtkListBox holds them all), kept current by the
 * model. The standard itself is read again when the store reports a change
 * to standards or documents (its approval and freeze follow its sections).
 *
 * The view is content, not a pane: #PqsStandardsView hosts it under its
 * header bar.
 *
 * Signals: "open-document" (gint64 id, a section was activated or added),
 * "add-toast" (an #AdwToast).
 */

#define N_SERIES 3

struct _PqsStandardView
{
  GtkWidget            parent_instance;

  /* Template children */
  GtkLabel            *marking_label;
  GtkStack            *stack;
  GtkLabel            *title_label;
  GtkLabel            *details_label;
  GtkLabel            *progress_label;
  GtkLabel            *frozen_label;
  GtkLabel            *applicability_label;
  AdwStatusPage       *missing_page;
  GtkListBox          *lists[N_SERIES];
  GtkButton           *add_buttons[N_SERIES];

  PqsSession          *session;
  PqsLibrary          *library;
  PqsStandard         *standard;
  gint64               standard_id;
  PqsDocumentList     *sections[N_SERIES];
  PqsNewSectionDialog *section_dialog;
  guint                reload_id;
};

G_DEFINE_FINAL_TYPE (PqsStandardView, pqs_standard_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STANDARD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_DOCUMENT,
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const guint series_of_index[N_SERIES] = { 100, 200, 300 };

/* Shared look ------------------------------------------------------------------ */

static const char style_css[] =
  ".pqs-marking { font-weight: bold; letter-spacing: 2px; padding: 3px 12px;"
  "  color: white; }\n"
  ".pqs-marking.chip { letter-spacing: 1px; padding: 1px 6px; border-radius: 4px;"
  "  font-size: smaller; }\n"
  ".pqs-marking.unclassified { background-color: #26a269; }\n"
  ".pqs-marking.restricted { background-color: #c64600; }\n"
  ".pqs-marking.confidential { background-color: #1c71d8; }\n"
  ".pqs-marking.secret { background-color: #c01c28; }\n"
  ".pqs-status { border-radius: 999px; padding: 2px 9px; font-size: smaller;"
  "  font-weight: bold; }\n"
  ".pqs-status.draft { background-color: alpha(currentColor, 0.1); }\n"
  ".pqs-status.in-review { color: @accent_color;"
  "  background-color: alpha(@accent_bg_color, 0.15); }\n"
  ".pqs-status.approved { color: @success_color;"
  "  background-color: alpha(@success_bg_color, 0.15); }\n"
  ".pqs-status.archived { color: alpha(currentColor, 0.7);"
  "  background-color: alpha(currentColor, 0.06); }\n"
  ".pqs-section-number { font-weight: bold; font-feature-settings: \"tnum\"; min-width: 3em; }\n"
  ".pqs-standard-band { padding: 12px 12px 6px 12px; border-radius: 0; }\n";

/**
 * pqs_standard_view_ensure_style:
 * @widget: a widget on the display to style
 *
 * Loads the look of markings and status badges for @widget's display, once.
 */
void
pqs_standard_view_ensure_style (GtkWidget *widget)
{
  static GtkCssProvider *provider;
  GdkDisplay *display = gtk_widget_get_display (widget);

  if (display == NULL)
    return;

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_css_provider_load_from_data (provider, style_css, -1);
    }
  if (g_object_get_data (G_OBJECT (display), "pqs-standard-style") == NULL)
    {
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_object_set_data (G_OBJECT (display), "pqs-standard-style", provider);
    }
}

/**
 * pqs_marking_label_update:
 * @label: a label with the style class "pqs-marking"
 * @classification: the marking to show
 *
 * Shows the banner marking ("CONFIDENTIAL") in its colour.
 */
void
pqs_marking_label_update (GtkLabel          *label,
                          PqsClassification  classification)
{
  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (classification < PQS_N_CLASSIFICATIONS);

  for (guint i = 0; i < PQS_N_CLASSIFICATIONS; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), pqs_classification_to_string (i));
  gtk_widget_add_css_class (GTK_WIDGET (label), "pqs-marking");
  gtk_widget_add_css_class (GTK_WIDGET (label), pqs_classification_to_string (classification));
  gtk_label_set_text (label, pqs_classification_get_marking (classification));
}

/**
 * pqs_status_badge_update:
 * @label: a label
 * @status: a document status as stored ("draft", "in_review", …)
 *
 * Shows @status as a badge: its translated name in its colour.
 */
void
pqs_status_badge_update (GtkLabel   *label,
                         const char *status)
{
  static const char *classes[] = { "draft", "in-review", "approved", "archived" };
  PqsDocumentStatus value = PQS_DOCUMENT_DRAFT;

  g_return_if_fail (GTK_IS_LABEL (label));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);

  if (status == NULL || !pqs_document_status_from_string (status, &value))
    {
      gtk_label_set_text (label, status);
      return;
    }

  gtk_widget_add_css_class (GTK_WIDGET (label), "pqs-status");
  gtk_widget_add_css_class (GTK_WIDGET (label), classes[value]);
  gtk_label_set_text (label, pqs_document_status_get_label (value));
}

/**
 * pqs_format_date:
 * @time: (nullable): a time
 *
 * Returns: (transfer full): @time's local date as people read it, or "" for %NULL
 */
char *
pqs_format_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (time);
  /* Translators: a date in lists of documents; see g_date_time_format(). */
  return g_date_time_format (local, _("%-d %b %Y"));
}

/* Rows --------------------------------------------------------------------------- */

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  PqsDocumentSummary *summary = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *number = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);
  g_autofree char *number_text = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = NULL;
  const char *author = pqs_document_summary_get_author_name (summary);

  number_text = g_strdup_printf ("%u", pqs_document_summary_get_number (summary));
  gtk_label_set_text (GTK_LABEL (number), number_text);
  gtk_label_set_xalign (GTK_LABEL (number), 0);
  gtk_widget_add_css_class (number, "pqs-section-number");

  pqs_status_badge_update (GTK_LABEL (badge), pqs_document_summary_get_status (summary));
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);

  date = pqs_format_date (pqs_document_summary_get_updated_at (summary));
  if (author != NULL && *author != '\0')
    /* Translators: a section's row: version · author · date of the last change */
    subtitle = g_strdup_printf (_("Version %u · %s · %s"),
                                pqs_document_summary_get_version (summary), author, date);
  else
    /* Translators: a section's row: version · date of the last change */
    subtitle = g_strdup_printf (_("Version %u · %s"),
                                pqs_document_summary_get_version (summary), date);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 pqs_document_summary_get_title (summary));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), number);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  /* Read as "101 Precautions, Draft". */
  name = g_strdup_printf ("%u %s", pqs_document_summary_get_number (summary),
                          pqs_document_summary_get_title (summary));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (GTK_LABEL (badge)), -1);

  g_object_set_data_full (G_OBJECT (row), "pqs-summary", g_object_ref (summary),
                          g_object_unref);
  return row;
}

static void
row_activated_cb (PqsStandardView *self,
                  GtkListBoxRow   *row)
{
  PqsDocumentSummary *summary = g_object_get_data (G_OBJECT (row), "pqs-summary");

  if (summary != NULL)
    g_signal_emit (self, signals[OPEN_DOCUMENT], 0, pqs_document_summary_get_id (summary));
}

static GtkWidget *
placeholder_new (void)
{
  GtkWidget *label = gtk_label_new (_("No sections in this series yet"));

  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* The standard ------------------------------------------------------------------ */

static PqsUser *
get_user (PqsStandardView *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

/* The one function that says which controls the session may use. */
static void
update_actions (PqsStandardView *self)
{
  gboolean create = self->session != NULL && self->standard != NULL &&
                    pqs_auth_allows (get_user (self), PQS_ACTION_CREATE_DOCUMENT, NULL);
  gboolean frozen = self->standard != NULL && pqs_standard_get_frozen (self->standard);

  for (guint i = 0; i < N_SERIES; i++)
    {
      GtkWidget *button = GTK_WIDGET (self->add_buttons[i]);

      gtk_widget_set_visible (button, create);
      gtk_widget_set_sensitive (button, !frozen);
      gtk_widget_set_tooltip_text (button, frozen
                                   ? _("The approved revision is frozen: start a new revision "
                                       "to add sections")
                                   : NULL);
    }
}

static void
show_standard (PqsStandardView *self)
{
  PqsStandard *standard = self->standard;
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *progress = NULL;
  const char *unit = pqs_standard_get_owning_unit (standard);
  const char *revision = pqs_standard_get_revision (standard);
  const char *applicability = pqs_standard_get_applicability (standard);
  guint n_documents = pqs_standard_get_document_count (standard);
  guint n_approved = pqs_standard_get_approved_count (standard);

  pqs_marking_label_update (self->marking_label, pqs_standard_get_classification (standard));
  gtk_label_set_text (self->title_label, pqs_standard_get_title (standard));

  if (unit != NULL && *unit != '\0')
    g_string_append (details, unit);
  if (revision != NULL && *revision != '\0')
    {
      if (details->len > 0)
        g_string_append (details, " · ");
      /* Translators: a standard's revision, e.g. "Revision 3" */
      g_string_append_printf (details, _("Revision %s"), revision);
    }
  gtk_label_set_text (self->details_label, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details->len > 0);

  /* Translators: under a standard's title */
  progress = g_strdup_printf (ngettext ("%u of %u section approved",
                                        "%u of %u sections approved", n_documents),
                              n_approved, n_documents);
  gtk_label_set_text (self->progress_label, progress);

  gtk_widget_set_visible (GTK_WIDGET (self->frozen_label), pqs_standard_get_frozen (standard));

  gtk_label_set_text (self->applicability_label, applicability != NULL ? applicability : "");
  gtk_widget_set_visible (GTK_WIDGET (self->applicability_label),
                          applicability != NULL && *applicability != '\0');

  gtk_stack_set_visible_child_name (self->stack, "standard");
  gtk_widget_set_visible (GTK_WIDGET (self->marking_label), TRUE);
}

static void
show_missing (PqsStandardView *self,
              const char      *message)
{
  adw_status_page_set_description (self->missing_page, message);
  gtk_stack_set_visible_child_name (self->stack, "missing");
  gtk_widget_set_visible (GTK_WIDGET (self->marking_label), FALSE);
}

static gboolean
reload (PqsStandardView  *self,
        GError          **error)
{
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->library != NULL && self->standard_id > 0)
    standard = pqs_library_load_standard (self->library, self->standard_id, &local_error);

  g_set_object (&self->standard, standard);
  if (standard != NULL)
    show_standard (self);
  else if (local_error != NULL)
    show_missing (self, local_error->message);
  else
    show_missing (self, NULL);

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STANDARD]);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return standard != NULL;
}

static gboolean
reload_idle_cb (gpointer data)
{
  PqsStandardView *self = data;

  self->reload_id = 0;
  reload (self, NULL);
  return G_SOURCE_REMOVE;
}

/* Saves and approvals come in bursts of changes: one read after them. */
static void
store_changed_cb (PqsStore        *store,
                  const char      *table,
                  GArray          *rowids,
                  PqsStandardView *self)
{
  if (self->standard_id > 0 && self->reload_id == 0)
    self->reload_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle_cb, self, NULL);
}

static void
bind_sections (PqsStandardView *self)
{
  for (guint i = 0; i < N_SERIES; i++)
    {
      g_clear_object (&self->sections[i]);
      if (self->session != NULL && self->standard_id > 0)
        {
          self->sections[i] = pqs_document_list_new (pqs_session_get_store (self->session));
          pqs_document_list_set_viewer (self->sections[i], get_user (self));
          pqs_document_list_set_standard_id (self->sections[i], self->standard_id);
          pqs_document_list_set_series (self->sections[i], series_of_index[i]);
          pqs_document_list_set_sort (self->sections[i], PQS_DOCUMENT_SORT_NUMBER);
        }
      gtk_list_box_bind_model (self->lists[i], G_LIST_MODEL (self->sections[i]),
                               create_row_cb, self, NULL);
    }
}

/**
 * pqs_standard_view_load:
 * @self: a #PqsStandardView
 * @standard_id: the standard to show
 * @error: return location for a #GError
 *
 * Shows the standard and its sections. When it cannot be read, the view
 * says so and @error tells why.
 *
 * Returns: %TRUE if the standard was read
 */
gboolean
pqs_standard_view_load (PqsStandardView  *self,
                        gint64            standard_id,
                        GError          **error)
{
  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->section_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->section_dialog));

  self->standard_id = MAX (standard_id, 0);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  bind_sections (self);
  return reload (self, error);
}

gint64
pqs_standard_view_get_standard_id (PqsStandardView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), 0);

  return self->standard_id;
}

/**
 * pqs_standard_view_get_standard:
 * @self: a #PqsStandardView
 *
 * Returns: (transfer none) (nullable): the standard shown, as last read
 */
PqsStandard *
pqs_standard_view_get_standard (PqsStandardView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), NULL);

  return self->standard;
}

/**
 * pqs_standard_view_get_sections:
 * @self: a #PqsStandardView
 * @series: 100, 200 or 300
 *
 * Returns: (transfer none) (nullable): the sections of @series shown
 */
GListModel *
pqs_standard_view_get_sections (PqsStandardView *self,
                                guint            series)
{
  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), NULL);
  g_return_val_if_fail (pqs_series_is_valid (series), NULL);

  return G_LIST_MODEL (self->sections[series / 100 - 1]);
}

/* Adding a section --------------------------------------------------------------- */

static void
section_dialog_destroy_cb (PqsStandardView *self)
{
  self->section_dialog = NULL;
}

static void
section_created_cb (PqsStandardView     *self,
                    gint64               document_id,
                    guint                number,
                    PqsNewSectionDialog *dialog)
{
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: a toast; %u is the new section's number */
  title = g_strdup_printf (_("Section %u added"), number);
  toast = adw_toast_new (title);
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
  g_signal_emit (self, signals[OPEN_DOCUMENT], 0, document_id);
}

/**
 * pqs_standard_view_add_section:
 * @self: a #PqsStandardView
 * @series: 100, 200 or 300
 *
 * Opens the dialog that adds a section to @series, with the next free
 * number proposed. When the series is full or the revision frozen, a toast
 * says so instead.
 *
 * Returns: (transfer none) (nullable): the dialog
 */
PqsNewSectionDialog *
pqs_standard_view_add_section (PqsStandardView *self,
                               guint            series)
{
  GtkRoot *root;

  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), NULL);
  g_return_val_if_fail (pqs_series_is_valid (series), NULL);

  if (self->session == NULL || self->standard == NULL)
    return NULL;

  if (self->section_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->section_dialog));

  self->section_dialog = pqs_new_section_dialog_new (self->session, self->standard, series);
  g_signal_connect_object (self->section_dialog, "destroy",
                           G_CALLBACK (section_dialog_destroy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->section_dialog, "created", G_CALLBACK (section_created_cb),
                           self, G_CONNECT_SWAPPED);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->section_dialog), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->section_dialog), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->section_dialog));

  return self->section_dialog;
}

/**
 * pqs_standard_view_get_section_dialog:
 * @self: a #PqsStandardView
 *
 * Returns: (transfer none) (nullable): the open "Add Section" dialog
 */
PqsNewSectionDialog *
pqs_standard_view_get_section_dialog (PqsStandardView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), NULL);

  return self->section_dialog;
}

static void
add_section_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  guint series = g_variant_get_uint32 (parameter);

  if (pqs_series_is_valid (series))
    pqs_standard_view_add_section (PQS_STANDARD_VIEW (widget), series);
}

/* Session ------------------------------------------------------------------------- */

PqsSession *
pqs_standard_view_get_session (PqsStandardView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_VIEW (self), NULL);

  return self->session;
}

/**
 * pqs_standard_view_set_session:
 * @self: a #PqsStandardView
 * @session: (nullable): who is signed in
 *
 * A new session forgets the standard shown.
 */
void
pqs_standard_view_set_session (PqsStandardView *self,
                               PqsSession      *session)
{
  g_return_if_fail (PQS_IS_STANDARD_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->section_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->section_dialog));

  if (self->library != NULL)
    g_signal_handlers_disconnect_by_func (pqs_library_get_store (self->library),
                                          store_changed_cb, self);
  g_clear_object (&self->library);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      PqsStore *store = pqs_session_get_store (session);

      self->library = pqs_library_new (store);
      g_signal_connect_object (store, "changed::standards", G_CALLBACK (store_changed_cb),
                               self, 0);
      g_signal_connect_object (store, "changed::documents", G_CALLBACK (store_changed_cb),
                               self, 0);
    }

  pqs_standard_view_load (self, 0, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

PqsStandardView *
pqs_standard_view_new (void)
{
  return g_object_new (PQS_TYPE_STANDARD_VIEW, NULL);
}

/* GObject ------------------------------------------------------------------------- */

static void
pqs_standard_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pqs_standard_view_parent_class)->root (widget);

  pqs_standard_view_ensure_style (widget);
}

static void
pqs_standard_view_dispose (GObject *object)
{
  PqsStandardView *self = PQS_STANDARD_VIEW (object);
  GtkWidget *child;

  if (self->section_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->section_dialog));
  g_clear_handle_id (&self->reload_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_STANDARD_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  for (guint i = 0; i < N_SERIES; i++)
    g_clear_object (&self->sections[i]);
  g_clear_object (&self->standard);
  g_clear_object (&self->library);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_standard_view_parent_class)->dispose (object);
}

static void
pqs_standard_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PqsStandardView *self = PQS_STANDARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_STANDARD:
      g_value_set_object (value, self->standard);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_standard_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PqsStandardView *self = PQS_STANDARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_standard_view_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_standard_view_class_init (PqsStandardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_standard_view_dispose;
  object_class->get_property = pqs_standard_view_get_property;
  object_class->set_property = pqs_standard_view_set_property;
  widget_class->root = pqs_standard_view_root;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STANDARD] =
    g_param_spec_object ("standard", NULL, NULL, PQS_TYPE_STANDARD,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_DOCUMENT] = g_signal_new ("open-document", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-standard-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsStandardView, name)
  BIND (marking_label);
  BIND (stack);
  BIND (title_label);
  BIND (details_label);
  BIND (progress_label);
  BIND (frozen_label);
  BIND (applicability_label);
  BIND (missing_page);
#undef BIND
  gtk_widget_class_bind_template_child_full (widget_class, "list_100", FALSE,
                                             G_STRUCT_OFFSET (PqsStandardView, lists[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "list_200", FALSE,
                                             G_STRUCT_OFFSET (PqsStandardView, lists[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "list_300", FALSE,
                                             G_STRUCT_OFFSET (PqsStandardView, lists[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "add_100_button", FALSE,
                                             G_STRUCT_OFFSET (PqsStandardView, add_buttons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "add_200_button", FALSE,
                                             G_STRUCT_OFFSET (PqsStandardView, add_buttons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "add_300_button", FALSE,
                                             G_STRUCT_OFFSET (PqsStandardView, add_buttons[2]));

  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "standard.add-section", "u",
                                   add_section_action);
}

static void
pqs_standard_view_init (PqsStandardView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_SERIES; i++)
    gtk_list_box_set_placeholder (self->lists[i], placeholder_new ());

  update_actions (self);
  show_missing (self, NULL);
}
