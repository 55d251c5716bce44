/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-library.h"
#include "pqs-new-standard-dialog.h"
#include "pqs-session.h"

/**
 * PqsNewStandardDialog:
 *
 * "New Standard": title, owning unit, classification, applicability and
 * revision. The model writes the standard with its section 101
 * "Precautions" in one transaction; what it refuses shows in the dialog as
 * its sentence.
 *
 * Signals: "created" (the new #PqsStandard), then the dialog closes.
 */

struct _PqsNewStandardDialog
{
  AdwWindow       parent_instance;

  /* Template children */
  GtkButton      *create_button;
  AdwEntryRow    *title_row;
  AdwEntryRow    *unit_row;
  AdwComboRow    *classification_row;
  AdwEntryRow    *revision_row;
  GtkTextView    *applicability_view;
  GtkLabel       *error_label;

  PqsSession     *session;
};

G_DEFINE_FINAL_TYPE (PqsNewStandardDialog, pqs_new_standard_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_stripped (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
fields_changed_cb (PqsNewStandardDialog *self)
{
  g_autofree char *title = dup_stripped (GTK_EDITABLE (self->title_row));

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), *title != '\0');
}

static const char *
or_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/**
 * pqs_new_standard_dialog_create:
 * @self: a #PqsNewStandardDialog
 *
 * Writes the standard as the dialog says; on success emits "created" and
 * closes the dialog, else shows why not.
 *
 * Returns: (transfer full) (nullable): the new standard
 */
PqsStandard *
pqs_new_standard_dialog_create (PqsNewStandardDialog *self)
{
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *revision = NULL;
  g_autofree char *applicability = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  PqsStandardFields fields = { 0, };

  g_return_val_if_fail (PQS_IS_NEW_STANDARD_DIALOG (self), NULL);

  title = dup_stripped (GTK_EDITABLE (self->title_row));
  unit = dup_stripped (GTK_EDITABLE (self->unit_row));
  revision = dup_stripped (GTK_EDITABLE (self->revision_row));
  buffer = gtk_text_view_get_buffer (self->applicability_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  applicability = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  fields.title = title;
  fields.owning_unit = or_null (unit);
  fields.classification = MIN (adw_combo_row_get_selected (self->classification_row),
                               PQS_N_CLASSIFICATIONS - 1);
  fields.applicability = or_null (applicability);
  fields.revision = or_null (revision);

  library = pqs_library_new (pqs_session_get_store (self->session));
  standard = pqs_library_create_standard (library, pqs_session_get_user (self->session),
                                          &fields, &error);
  if (standard == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return NULL;
    }

  g_object_ref (self);
  g_signal_emit (self, signals[CREATED], 0, standard);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
  return g_steal_pointer (&standard);
}

static void
create_clicked_cb (PqsNewStandardDialog *self)
{
  g_autoptr(PqsStandard) standard = pqs_new_standard_dialog_create (self);
}

static void
entry_activated_cb (PqsNewStandardDialog *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)))
    create_clicked_cb (self);
}

/**
 * pqs_new_standard_dialog_new:
 * @session: who creates the standard
 *
 * Returns: (transfer none): a new dialog, not shown yet
 */
PqsNewStandardDialog *
pqs_new_standard_dialog_new (PqsSession *session)
{
  PqsNewStandardDialog *self;

  g_return_val_if_fail (PQS_IS_SESSION (session), NULL);

  self = g_object_new (PQS_TYPE_NEW_STANDARD_DIALOG, NULL);
  self->session = g_object_ref (session);
  return self;
}

/* GObject --------------------------------------------------------------------------- */

static void
pqs_new_standard_dialog_dispose (GObject *object)
{
  PqsNewStandardDialog *self = PQS_NEW_STANDARD_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_NEW_STANDARD_DIALOG);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_new_standard_dialog_parent_class)->dispose (object);
}

static void
pqs_new_standard_dialog_class_init (PqsNewStandardDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_new_standard_dialog_dispose;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, PQS_TYPE_STANDARD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-new-standard-dialog.ui");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsNewStandardDialog, name)
  BIND (create_button);
  BIND (title_row);
  BIND (unit_row);
  BIND (classification_row);
  BIND (revision_row);
  BIND (applicability_view);
  BIND (error_label);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pqs_new_standard_dialog_init (PqsNewStandardDialog *self)
{
  g_autoptr(GtkStringList) classifications = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < PQS_N_CLASSIFICATIONS; i++)
    gtk_string_list_append (classifications, pqs_classification_get_label (i));
  adw_combo_row_set_model (self->classification_row, G_LIST_MODEL (classifications));
  adw_combo_row_set_selected (self->classification_row, PQS_CLASSIFICATION_UNCLASSIFIED);

  fields_changed_cb (self);
}
