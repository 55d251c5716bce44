/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <stdlib.h>
#include <glib/gi18n.h>

#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-new-section-dialog.h"
#include "pqs-session.h"
#include "pqs-template-list.h"
#include "pqs-template.h"

/**
 * PqsNewSectionDialog:
 *
 * "Add Section" for one series of a standard: the number (the next free one
 * proposed, editable, checked against the series' range as it is typed),
 * a template of that series or a blank section, and a title (the
 * template's name until the person writes their own). The model checks
 * everything again when the section is written; what it refuses shows
 * under the field it concerns.
 *
 * Signals: "created" (gint64 document id, guint number), then the dialog
 * closes.
 */

struct _PqsNewSectionDialog
{
  AdwWindow        parent_instance;

  /* Template children */
  AdwWindowTitle  *window_title;
  GtkButton       *add_button;
  AdwEntryRow     *number_row;
  GtkLabel        *number_error_label;
  AdwComboRow     *template_row;
  AdwEntryRow     *title_row;
  GtkLabel        *error_label;

  PqsSession      *session;
  PqsStandard     *standard;
  PqsLibrary      *library;
  PqsTemplateList *templates;
  GArray          *template_ids;   /* gint64 per combo position; 0: blank */
  guint            series;
  guint            proposed;
  gboolean         number_valid;
  gboolean         title_edited;
  gboolean         setting_title;
  guint            select_title_id;
};

G_DEFINE_FINAL_TYPE (PqsNewSectionDialog, pqs_new_section_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

/* Reads the number field; FALSE (and a sentence) when it cannot be a
 * section of this series. */
static gboolean
parse_number (PqsNewSectionDialog  *self,
              guint                *out_number,
              char                **out_message)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->number_row));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  guint64 value = 0;

  *out_number = 0;
  *out_message = NULL;

  if (*text == '\0')
    {
      *out_message = g_strdup (_("Enter the section number."));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      {
        /* Translators: %u and %u: the first and last numbers of a series */
        *out_message = g_strdup_printf (_("Use digits only: a number from %u to %u."),
                                        PQS_SERIES_FIRST (self->series),
                                        PQS_SERIES_LAST (self->series));
        return FALSE;
      }

  value = g_ascii_strtoull (text, NULL, 10);
  if (strlen (text) > 3 || value < PQS_SERIES_FIRST (self->series) ||
      value > PQS_SERIES_LAST (self->series))
    {
      /* Translators: %u: the series (200); then its first and last numbers */
      *out_message = g_strdup_printf (_("A %u series section is numbered from %u to %u."),
                                      self->series, PQS_SERIES_FIRST (self->series),
                                      PQS_SERIES_LAST (self->series));
      return FALSE;
    }

  *out_number = (guint) value;
  return TRUE;
}

static void
validate (PqsNewSectionDialog *self)
{
  g_autofree char *message = NULL;
  guint number;

  self->number_valid = parse_number (self, &number, &message);
  show_error (self->number_error_label, message);
  if (self->number_valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->number_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->number_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->number_row), GTK_ACCESSIBLE_STATE_INVALID,
                               self->number_valid ? GTK_ACCESSIBLE_INVALID_FALSE
                                                  : GTK_ACCESSIBLE_INVALID_TRUE, -1);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            self->number_valid && self->proposed > 0);
}

static void
number_changed_cb (PqsNewSectionDialog *self)
{
  show_error (self->error_label, NULL);
  validate (self);
}

static void
title_changed_cb (PqsNewSectionDialog *self)
{
  if (!self->setting_title)
    self->title_edited = *gtk_editable_get_text (GTK_EDITABLE (self->title_row)) != '\0';
}

static gboolean
select_title_cb (gpointer data)
{
  PqsNewSectionDialog *self = data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  self->select_title_id = 0;
  if (!self->title_edited && focus != NULL &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->title_row)))
    gtk_editable_select_region (GTK_EDITABLE (self->title_row), 0, -1);
  return G_SOURCE_REMOVE;
}

/* The template's name is a proposal: focused, it is selected whole, so that
 * typing replaces it. A click puts the cursor where it lands after the
 * focus moves, hence the selection just after, before the next event. */
static void
title_focus_enter_cb (PqsNewSectionDialog *self)
{
  if (self->title_row == NULL || self->title_edited || self->select_title_id != 0)
    return;

  self->select_title_id = g_idle_add_full (G_PRIORITY_HIGH, select_title_cb, self, NULL);
}

/* A click inside a selection clears it when the button is released: no
 * selection stays behind for the next click into the proposal to land in. */
static void
title_focus_leave_cb (PqsNewSectionDialog *self)
{
  g_clear_handle_id (&self->select_title_id, g_source_remove);
  if (self->title_row != NULL && !self->title_edited)
    gtk_editable_set_position (GTK_EDITABLE (self->title_row), -1);
}

static void
set_title (PqsNewSectionDialog *self,
           const char          *title)
{
  self->setting_title = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title != NULL ? title : "");
  self->setting_title = FALSE;
}

gint64
pqs_new_section_dialog_get_template_id (PqsNewSectionDialog *self)
{
  guint selected;

  g_return_val_if_fail (PQS_IS_NEW_SECTION_DIALOG (self), 0);

  selected = adw_combo_row_get_selected (self->template_row);
  if (selected >= self->template_ids->len)
    return 0;
  return g_array_index (self->template_ids, gint64, selected);
}

static void
template_selected_cb (PqsNewSectionDialog *self)
{
  gint64 id = pqs_new_section_dialog_get_template_id (self);
  PqsTemplate *template = id > 0 ? pqs_template_list_find (self->templates, id) : NULL;

  /* The template names a section until the person does. */
  if (!self->title_edited)
    set_title (self, template != NULL ? pqs_template_get_name (template) : NULL);
}

static void
fill_templates (PqsNewSectionDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GListModel *model = G_LIST_MODEL (self->templates);
  gint64 blank = 0;

  g_array_set_size (self->template_ids, 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(PqsTemplate) template = g_list_model_get_item (model, i);
      gint64 id = pqs_template_get_id (template);

      gtk_string_list_append (names, pqs_template_get_name (template));
      g_array_append_val (self->template_ids, id);
    }
  gtk_string_list_append (names, _("Blank Section"));
  g_array_append_val (self->template_ids, blank);

  adw_combo_row_set_model (self->template_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->template_row, 0);
  template_selected_cb (self);
}

static const char *
series_title (guint series)
{
  switch (series)
    {
    case 100:
      return _("100 Series · Fundamentals");
    case 200:
      return _("200 Series · Systems");
    case 300:
      return _("300 Series · Watchstations");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pqs_new_section_dialog_add:
 * @self: a #PqsNewSectionDialog
 *
 * Writes the section as the dialog says; on success emits "created" and
 * closes the dialog, else shows why not.
 *
 * Returns: %TRUE if the section was written
 */
gboolean
pqs_new_section_dialog_add (PqsNewSectionDialog *self)
{
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;
  guint number;
  gint64 id;

  g_return_val_if_fail (PQS_IS_NEW_SECTION_DIALOG (self), FALSE);

  if (!parse_number (self, &number, &message))
    {
      validate (self);
      return FALSE;
    }

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  document = pqs_library_create_document (self->library, pqs_session_get_user (self->session),
                                          pqs_standard_get_id (self->standard), self->series,
                                          number, pqs_new_section_dialog_get_template_id (self),
                                          *title != '\0' ? title : NULL, &error);
  if (document == NULL)
    {
      if (g_error_matches (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NUMBER_TAKEN) ||
          g_error_matches (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_OUT_OF_RANGE))
        {
          show_error (self->number_error_label, error->message);
          gtk_widget_add_css_class (GTK_WIDGET (self->number_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->number_row));
        }
      else
        show_error (self->error_label, error->message);
      return FALSE;
    }

  id = pqs_document_get_id (document);
  g_object_ref (self);
  g_signal_emit (self, signals[CREATED], 0, id, pqs_document_get_number (document));
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
  return TRUE;
}

static void
add_clicked_cb (PqsNewSectionDialog *self)
{
  pqs_new_section_dialog_add (self);
}

static void
entry_activated_cb (PqsNewSectionDialog *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    pqs_new_section_dialog_add (self);
}

guint
pqs_new_section_dialog_get_series (PqsNewSectionDialog *self)
{
  g_return_val_if_fail (PQS_IS_NEW_SECTION_DIALOG (self), 0);

  return self->series;
}

/**
 * pqs_new_section_dialog_get_proposed_number:
 * @self: a #PqsNewSectionDialog
 *
 * Returns: the number proposed when the dialog opened, or 0 when the series
 *   is full
 */
guint
pqs_new_section_dialog_get_proposed_number (PqsNewSectionDialog *self)
{
  g_return_val_if_fail (PQS_IS_NEW_SECTION_DIALOG (self), 0);

  return self->proposed;
}

gboolean
pqs_new_section_dialog_get_number_valid (PqsNewSectionDialog *self)
{
  g_return_val_if_fail (PQS_IS_NEW_SECTION_DIALOG (self), FALSE);

  return self->number_valid;
}

/**
 * pqs_new_section_dialog_new:
 * @session: who adds the section
 * @standard: the standard it goes into
 * @series: 100, 200 or 300
 *
 * Returns: (transfer none): a new dialog, not shown yet
 */
PqsNewSectionDialog *
pqs_new_section_dialog_new (PqsSession  *session,
                            PqsStandard *standard,
                            guint        series)
{
  PqsNewSectionDialog *self;
  g_autoptr(GError) error = NULL;
  PqsStore *store;

  g_return_val_if_fail (PQS_IS_SESSION (session), NULL);
  g_return_val_if_fail (PQS_IS_STANDARD (standard), NULL);
  g_return_val_if_fail (pqs_series_is_valid (series), NULL);

  self = g_object_new (PQS_TYPE_NEW_SECTION_DIALOG, NULL);
  store = pqs_session_get_store (session);
  self->session = g_object_ref (session);
  self->standard = g_object_ref (standard);
  self->series = series;
  self->library = pqs_library_new (store);
  self->templates = pqs_template_list_new (store);
  pqs_template_list_set_active_only (self->templates, TRUE);
  pqs_template_list_set_section (self->templates, (int) series);

  adw_window_title_set_subtitle (self->window_title, series_title (series));

  if (pqs_library_next_free_number (self->library, pqs_standard_get_id (standard), series,
                                    &self->proposed, &error))
    {
      g_autofree char *text = g_strdup_printf ("%u", self->proposed);

      gtk_editable_set_text (GTK_EDITABLE (self->number_row), text);
    }
  else
    {
      self->proposed = 0;
      show_error (self->error_label, error->message);
    }

  fill_templates (self);
  validate (self);
  return self;
}

/* GObject --------------------------------------------------------------------------- */

static void
pqs_new_section_dialog_dispose (GObject *object)
{
  PqsNewSectionDialog *self = PQS_NEW_SECTION_DIALOG (object);

  g_clear_handle_id (&self->select_title_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_NEW_SECTION_DIALOG);

  g_clear_object (&self->templates);
  g_clear_object (&self->library);
  g_clear_object (&self->standard);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_new_section_dialog_parent_class)->dispose (object);
}

static void
pqs_new_section_dialog_finalize (GObject *object)
{
  PqsNewSectionDialog *self = PQS_NEW_SECTION_DIALOG (object);

  g_array_unref (self->template_ids);

  G_OBJECT_CLASS (pqs_new_section_dialog_parent_class)->finalize (object);
}

static void
pqs_new_section_dialog_class_init (PqsNewSectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_new_section_dialog_dispose;
  object_class->finalize = pqs_new_section_dialog_finalize;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-new-section-dialog.ui");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsNewSectionDialog, name)
  BIND (window_title);
  BIND (add_button);
  BIND (number_row);
  BIND (number_error_label);
  BIND (template_row);
  BIND (title_row);
  BIND (error_label);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, number_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_focus_enter_cb);
  gtk_widget_class_bind_template_callback (widget_class, title_focus_leave_cb);
  gtk_widget_class_bind_template_callback (widget_class, template_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pqs_new_section_dialog_init (PqsNewSectionDialog *self)
{
  self->template_ids = g_array_new (FALSE, TRUE, sizeof (gint64));

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A screen reader reads why the number is refused with the field. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->number_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->number_error_label, NULL, -1);
}
