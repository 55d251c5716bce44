/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-document-editor.h"
#include "pqs-export-dialog.h"
#include "pqs-field-editor.h"
#include "pqs-history-pane.h"
#include "pqs-library.h"
#include "pqs-outline-editor.h"
#include "pqs-preview-pane.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-template.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/**
 * PqsDocumentEditor:
 *
 * One section document of a standard, whole: its form fields (from its
 * template), its line items (#PqsOutlineEditor) and its body, under the
 * standard's classification marking; a preview of its trainee and
 * qualifier editions and its history beside the editing page; the
 * workflow buttons the signed-in user may use (submit, approve, request
 * changes, archive, new revision, comment); export to PDF and JSON.
 *
 * Saving (Ctrl+S) writes a new version from what the widgets hold, with
 * the edit count the document was loaded at: when someone else saved in
 * between, the user chooses to reload (dropping their changes), overwrite
 * (the other text stays in the history) or cancel. A document the user
 * may not change (in review, approved, archived, or not theirs) is shown
 * read-only with a banner saying why, and "New Revision" when allowed.
 *
 * The embedder runs pqs_document_editor_close_async() before leaving the
 * document: it asks to save unsaved changes.
 *
 * Signals: "add-toast" (an #AdwToast with a result).
 */

struct _PqsDocumentEditor
{
  GtkWidget          parent_instance;

  /* Template children */
  AdwHeaderBar      *header_bar;
  GtkButton         *back_button;
  AdwWindowTitle    *window_title;
  GtkMenuButton     *export_button;
  GtkButton         *save_button;
  GtkLabel          *classification_label;
  GtkInfoBar        *readonly_bar;
  GtkLabel          *readonly_label;
  GtkButton         *readonly_revise_button;
  GtkInfoBar        *error_bar;
  GtkLabel          *error_label;
  GtkStack          *main_stack;
  GtkWidget         *workflow_bar;
  GtkButton         *comment_button;
  GtkButton         *archive_button;
  GtkButton         *request_changes_button;
  GtkButton         *approve_button;
  GtkButton         *revise_button;
  GtkButton         *submit_button;
  AdwViewStack      *view_stack;
  GtkScrolledWindow *edit_scroller;
  AdwEntryRow       *title_row;
  GtkWidget         *fields_section;
  PqsFieldEditor    *field_editor;
  PqsOutlineEditor  *outline_editor;
  GtkTextView       *body_view;
  PqsPreviewPane    *preview_pane;
  PqsHistoryPane    *history_pane;
  AdwViewSwitcherBar *switcher_bar;

  PqsSession        *session;
  PqsLibrary        *library;
  PqsWorkflow       *workflow;

  PqsDocument       *document;       /* as stored: loaded, or saved */
  PqsStandard       *standard;
  PqsTemplate       *template;
  char              *stored_text;    /* its canonical rendering */
  PqsDocumentAccess  access;
  gboolean           has_access;

  char              *error;
  GCancellable      *cancellable;
  guint              refresh_id;
  guint              loading;
  gboolean           modified;
  gboolean           editable;
  gboolean           saving;
  gboolean           show_back;
};

G_DEFINE_FINAL_TYPE (PqsDocumentEditor, pqs_document_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_BACK,
  PROP_DOCUMENT,
  PROP_MODIFIED,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void save_async  (PqsDocumentEditor   *self,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data);
static void update_state (PqsDocumentEditor  *self);

/* Helpers ---------------------------------------------------------------------------- */

static PqsUser *
actor (PqsDocumentEditor *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

static gint64
document_id (PqsDocumentEditor *self)
{
  return self->document != NULL ? pqs_document_get_id (self->document) : 0;
}

static void
toast (PqsDocumentEditor *self,
       const char        *title)
{
  g_autoptr(AdwToast) result = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, result);
}

static void
show_error (PqsDocumentEditor *self,
            const char        *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_info_bar_set_revealed (self->error_bar, message != NULL);
}

static void
error_bar_response_cb (PqsDocumentEditor *self)
{
  show_error (self, NULL);
}

static void
child_toast_cb (PqsDocumentEditor *self,
                AdwToast          *child_toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, child_toast);
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static GtkWindow *
parent_window (PqsDocumentEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static AdwMessageDialog *
message_dialog_new (PqsDocumentEditor *self,
                    const char        *heading,
                    const char        *body)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self), heading, body));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  return dialog;
}

/* Also when the response came without a click (tests, AT). GTK 4.8 does
 * not forget a destroyed window's parent, so it is forgotten here. */
static void
close_dialog (AdwMessageDialog *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The classification marking --------------------------------------------------------- */

static void
ensure_style (void)
{
  static GtkCssProvider *provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (provider != NULL || display == NULL)
    return;

  /* The usual colours of the markings; white text reads on each, in light
   * and dark styles alike. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
    ".pqs-classification { padding: 3px 12px; font-weight: 800; letter-spacing: 2px;"
    "  font-size: smaller; color: white; background-color: #007a33; }\n"
    ".pqs-classification.restricted { background-color: #a34f00; }\n"
    ".pqs-classification.confidential { background-color: #0033a0; }\n"
    ".pqs-classification.secret { background-color: #c8102e; }\n",
    -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
update_classification (PqsDocumentEditor *self)
{
  static const char * const classes[] = { "unclassified", "restricted", "confidential", "secret" };
  GtkWidget *label = GTK_WIDGET (self->classification_label);
  PqsClassification classification;
  g_autofree char *accessible = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);

  if (self->document == NULL)
    {
      gtk_widget_set_visible (label, FALSE);
      return;
    }

  classification = self->standard != NULL ? pqs_standard_get_classification (self->standard)
                                          : PQS_CLASSIFICATION_UNCLASSIFIED;
  if ((guint) classification >= G_N_ELEMENTS (classes))
    classification = PQS_CLASSIFICATION_UNCLASSIFIED;
  gtk_label_set_text (self->classification_label, pqs_classification_get_marking (classification));
  gtk_widget_add_css_class (label, classes[classification]);
  /* Translators: what a screen reader says of the marking banner */
  accessible = g_strdup_printf (_("Classification: %s"),
                                pqs_classification_get_label (classification));
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_widget_set_visible (label, TRUE);
}

/* Title, status and what may be done --------------------------------------------------- */

static void
update_title (PqsDocumentEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *text = NULL;
  PqsDocumentStatus status;

  if (self->document == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Section Document"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  /* The title as typed, so the header follows the entry. */
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  if (*text == '\0')
    {
      g_free (text);
      text = g_strdup (pqs_document_get_title (self->document));
    }
  /* Translators: a section's number and title, "201 Lube Oil System" */
  title = g_strdup_printf (_("%u %s"), pqs_document_get_number (self->document), text);
  adw_window_title_set_title (self->window_title, title);

  status = pqs_document_get_status (self->document);
  if (pqs_document_get_version (self->document) > 1)
    /* Translators: the status of a document and its version, "Draft · Version 2" */
    subtitle = g_strdup_printf (_("%s · Version %u"), pqs_document_status_get_label (status),
                                pqs_document_get_version (self->document));
  else
    subtitle = g_strdup (pqs_document_status_get_label (status));
  if (self->modified)
    {
      /* Translators: after the status when there are unsaved changes */
      char *with = g_strdup_printf (_("%s · Unsaved"), subtitle);

      g_free (subtitle);
      subtitle = with;
    }
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static gboolean
allows (PqsDocumentEditor *self,
        PqsAction          action)
{
  return self->has_access && pqs_auth_allows (actor (self), action, &self->access);
}

/* As pqs_workflow_comment() decides: readers who work on documents. */
static gboolean
may_comment (PqsDocumentEditor *self)
{
  PqsUser *user = actor (self);

  return allows (self, PQS_ACTION_READ_DOCUMENT) &&
         (pqs_user_get_role (user) >= PQS_ROLE_USER ||
          self->access.collaboration != PQS_COLLABORATOR_NONE);
}

static const char *
read_only_reason (PqsDocumentEditor *self)
{
  switch (pqs_document_get_status (self->document))
    {
    case PQS_DOCUMENT_IN_REVIEW:
      return _("This document is in review. It cannot be changed until a reviewer approves it "
               "or asks for changes.");
    case PQS_DOCUMENT_APPROVED:
      if (allows (self, PQS_ACTION_REVISE_DOCUMENT))
        return _("This document is approved. Start a new revision to change it; the approved "
                 "text stays in the history.");
      return _("This document is approved and cannot be changed.");
    case PQS_DOCUMENT_ARCHIVED:
      return _("This document is archived and cannot be changed.");
    case PQS_DOCUMENT_DRAFT:
    default:
      return _("You may read this document but not change it.");
    }
}

static void
set_button (GtkButton *button,
            gboolean   visible)
{
  gtk_widget_set_visible (GTK_WIDGET (button), visible);
}

/* The one function that says what the signed-in user may do with the document. */
static void
update_state (PqsDocumentEditor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean have = self->document != NULL && self->library != NULL;
  gboolean editable, submit, review, archive, revise, comment;

  self->has_access = have &&
                     pqs_library_get_access (self->library, actor (self), document_id (self),
                                             &self->access, NULL);
  editable = allows (self, PQS_ACTION_EDIT_DOCUMENT);
  submit = allows (self, PQS_ACTION_SUBMIT_DOCUMENT);
  review = allows (self, PQS_ACTION_REVIEW_DOCUMENT);
  archive = allows (self, PQS_ACTION_ARCHIVE_DOCUMENT);
  revise = allows (self, PQS_ACTION_REVISE_DOCUMENT);
  comment = may_comment (self);

  gtk_stack_set_visible_child_name (self->main_stack, have ? "document" : "empty");

  /* A text entry losing its sensitivity with the focus in it keeps a
   * blinking cursor that GTK complains about: the focus goes first. */
  if (!editable && self->editable)
    {
      GtkRoot *root = gtk_widget_get_root (widget);
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->edit_scroller)))
        gtk_root_set_focus (root, NULL);
    }

  /* Read-only: the fields do not take input; the outline still opens to be read. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->title_row), editable);
  pqs_field_editor_set_editable (self->field_editor, editable);
  pqs_outline_editor_set_editable (self->outline_editor, editable);
  gtk_text_view_set_editable (self->body_view, editable);
  gtk_text_view_set_cursor_visible (self->body_view, editable);

  /* Save stays in its place, insensitive while there is nothing to save. */
  gtk_widget_set_visible (GTK_WIDGET (self->save_button), have);
  gtk_widget_set_visible (GTK_WIDGET (self->export_button),
                          have && allows (self, PQS_ACTION_READ_DOCUMENT));
  set_button (self->submit_button, submit);
  set_button (self->approve_button, review);
  set_button (self->request_changes_button, review);
  set_button (self->archive_button, archive);
  /* Read-only, the banner offers it: once is enough. */
  set_button (self->revise_button, revise && editable);
  set_button (self->comment_button, comment);
  gtk_widget_set_visible (self->workflow_bar,
                          submit || review || archive || revise || comment);

  gtk_widget_action_set_enabled (widget, "editor.save",
                                 editable && self->modified && !self->saving);
  gtk_widget_action_set_enabled (widget, "editor.submit", submit && !self->saving);
  gtk_widget_action_set_enabled (widget, "editor.approve", review);
  gtk_widget_action_set_enabled (widget, "editor.request-changes", review);
  gtk_widget_action_set_enabled (widget, "editor.archive", archive);
  gtk_widget_action_set_enabled (widget, "editor.revise", revise);
  gtk_widget_action_set_enabled (widget, "editor.comment", comment);
  gtk_widget_action_set_enabled (widget, "editor.export",
                                 have && allows (self, PQS_ACTION_READ_DOCUMENT));

  if (have && !editable)
    {
      gtk_label_set_text (self->readonly_label, read_only_reason (self));
      gtk_widget_set_visible (GTK_WIDGET (self->readonly_revise_button), revise);
      gtk_info_bar_set_message_type (self->readonly_bar, GTK_MESSAGE_INFO);
    }
  gtk_info_bar_set_revealed (self->readonly_bar, have && !editable);

  if (editable != self->editable)
    {
      self->editable = editable;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
    }
  update_title (self);
  update_classification (self);
}

/* Content ------------------------------------------------------------------------------ */

/**
 * pqs_document_editor_build_document:
 * @self: a #PqsDocumentEditor
 *
 * Returns: (transfer full) (nullable): the document as the widgets hold
 *   it: the stored document (with its edit count) with the edited title,
 *   field values, outline and body
 */
PqsDocument *
pqs_document_editor_build_document (PqsDocumentEditor *self)
{
  PqsDocument *document;
  g_autoptr(JsonObject) metadata = NULL;
  g_autoptr(GPtrArray) outline = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), NULL);

  if (self->document == NULL)
    return NULL;

  document = pqs_document_copy (self->document);
  pqs_document_set_title (document, gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  metadata = pqs_field_editor_dup_metadata (self->field_editor);
  pqs_document_set_metadata (document, metadata);
  body = buffer_text (self->body_view);
  pqs_document_set_body (document, body);
  outline = pqs_outline_editor_dup_outline (self->outline_editor);
  pqs_document_set_outline (document, outline);
  return document;
}

static void
set_modified (PqsDocumentEditor *self,
              gboolean           modified)
{
  modified = !!modified;
  if (self->modified == modified)
    return;
  self->modified = modified;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Modified means: what a save would write differs from what is stored. */
static void
content_changed_cb (PqsDocumentEditor *self)
{
  g_autoptr(PqsDocument) edited = NULL;
  g_autofree char *text = NULL;

  if (self->loading > 0 || self->document == NULL)
    return;

  edited = pqs_document_editor_build_document (self);
  text = pqs_document_render_canonical (edited);
  set_modified (self, g_strcmp0 (text, self->stored_text) != 0);
  update_title (self);
}

static void
body_changed_cb (GtkTextBuffer     *buffer,
                 PqsDocumentEditor *self)
{
  content_changed_cb (self);
}

static void
update_preview (PqsDocumentEditor *self)
{
  g_autoptr(PqsDocument) edited = NULL;

  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "preview") != 0)
    return;
  edited = pqs_document_editor_build_document (self);
  pqs_preview_pane_set_standard (self->preview_pane, self->standard);
  pqs_preview_pane_set_document (self->preview_pane, edited);
}

static void
visible_page_cb (PqsDocumentEditor *self)
{
  update_preview (self);
}

/* Shows the stored document in the widgets, dropping any edit. */
static void
show_document (PqsDocumentEditor *self)
{
  PqsDocument *document = self->document;
  GPtrArray *fields = self->template != NULL ? pqs_template_get_fields (self->template) : NULL;

  self->loading++;
  gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                         document != NULL ? pqs_document_get_title (document) : "");
  pqs_field_editor_set_fields (self->field_editor, fields,
                               document != NULL ? pqs_document_get_metadata (document) : NULL);
  gtk_widget_set_visible (self->fields_section, fields != NULL && fields->len > 0);
  pqs_outline_editor_set_outline (self->outline_editor,
                                  document != NULL ? pqs_document_get_outline (document) : NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view),
                            document != NULL ? pqs_document_get_body (document) : "", -1);
  self->loading--;

  g_clear_pointer (&self->stored_text, g_free);
  if (document != NULL)
    self->stored_text = pqs_document_render_canonical (document);

  self->modified = FALSE;
  update_state (self);
  update_preview (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Takes @document as the stored one, with its standard and template. */
static void
take_document (PqsDocumentEditor *self,
               PqsDocument       *document)
{
  gint64 standard_id = document != NULL ? pqs_document_get_standard_id (document) : 0;
  gint64 template_id = document != NULL ? pqs_document_get_template_id (document) : 0;

  if (standard_id == 0 || self->standard == NULL ||
      pqs_standard_get_id (self->standard) != standard_id)
    g_clear_object (&self->standard);
  if (standard_id != 0)
    {
      /* Reloaded each time: its marking or frozen state may change. */
      g_autoptr(PqsStandard) standard = pqs_library_load_standard (self->library, standard_id,
                                                                   NULL);
      if (standard != NULL)
        g_set_object (&self->standard, standard);
    }

  if (template_id == 0 || self->template == NULL ||
      pqs_template_get_id (self->template) != template_id)
    {
      g_clear_object (&self->template);
      if (template_id != 0)
        self->template = pqs_template_load (pqs_session_get_store (self->session), template_id,
                                            NULL);
    }

  if (self->document != document)
    {
      g_clear_object (&self->document);
      self->document = document != NULL ? g_object_ref (document) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
    }

  pqs_history_pane_set_document_id (self->history_pane, document_id (self));
  pqs_preview_pane_set_standard (self->preview_pane, self->standard);
  show_document (self);
}

static gboolean
reload (PqsDocumentEditor  *self,
        GError            **error)
{
  g_autoptr(PqsDocument) fresh = NULL;

  fresh = pqs_library_load_document (self->library, actor (self), document_id (self), error);
  if (fresh == NULL)
    return FALSE;
  take_document (self, fresh);
  pqs_history_pane_reload (self->history_pane);
  return TRUE;
}

static void
reload_or_show_error (PqsDocumentEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!reload (self, &error))
    show_error (self, error->message);
}

/**
 * pqs_document_editor_load:
 * @self: a #PqsDocumentEditor
 * @document_id: a section document
 * @error: return location for a #GError
 *
 * Shows the document, dropping unsaved changes of the one shown before
 * (run pqs_document_editor_close_async() first to ask).
 *
 * Returns: %TRUE if the document could be read
 */
gboolean
pqs_document_editor_load (PqsDocumentEditor  *self,
                          gint64              id,
                          GError            **error)
{
  g_autoptr(PqsDocument) document = NULL;

  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->session == NULL)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INACTIVE,
                           _("Sign in to open a document."));
      return FALSE;
    }

  document = pqs_library_load_document (self->library, actor (self), id, error);
  if (document == NULL)
    return FALSE;

  show_error (self, NULL);
  adw_view_stack_set_visible_child_name (self->view_stack, "edit");
  take_document (self, document);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->edit_scroller), 0);
  return TRUE;
}

/* Others' changes: a document that is not being edited follows them. */
static gboolean
refresh_cb (gpointer data)
{
  PqsDocumentEditor *self = data;
  g_autoptr(PqsDocument) fresh = NULL;

  self->refresh_id = 0;
  if (self->document == NULL || self->saving)
    return G_SOURCE_REMOVE;

  fresh = pqs_library_load_document (self->library, actor (self), document_id (self), NULL);
  if (fresh == NULL)
    {
      update_state (self);
      return G_SOURCE_REMOVE;
    }
  if (pqs_document_get_edit_count (fresh) == pqs_document_get_edit_count (self->document) &&
      pqs_document_get_status (fresh) == pqs_document_get_status (self->document) &&
      pqs_document_get_version (fresh) == pqs_document_get_version (self->document))
    return G_SOURCE_REMOVE;

  if (self->modified)
    /* The save will tell of the conflict; what may be done changes now. */
    update_state (self);
  else
    take_document (self, fresh);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (PqsStore          *store,
                  const char        *table,
                  GArray            *rowids,
                  PqsDocumentEditor *self)
{
  gboolean ours = FALSE;

  if (self->document == NULL || rowids == NULL)
    return;
  for (guint i = 0; i < rowids->len && !ours; i++)
    ours = g_array_index (rowids, gint64, i) == document_id (self);
  if (ours && self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_cb, self);
}

/* Saving ----------------------------------------------------------------------------- */

/* After a save: what is stored now, and the widgets showing it exactly
 * (when the model tidied something, e.g. spaces around the title). */
static void
saved (PqsDocumentEditor *self,
       PqsDocument       *document)
{
  g_autoptr(PqsDocument) fresh = NULL;
  g_autoptr(PqsDocument) edited = NULL;
  g_autofree char *edited_text = NULL;

  fresh = pqs_library_load_document (self->library, actor (self), pqs_document_get_id (document),
                                     NULL);
  if (fresh == NULL)
    fresh = g_object_ref (document);

  g_set_object (&self->document, fresh);
  g_clear_pointer (&self->stored_text, g_free);
  self->stored_text = pqs_document_render_canonical (fresh);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);

  edited = pqs_document_editor_build_document (self);
  edited_text = pqs_document_render_canonical (edited);
  if (!g_str_equal (edited_text, self->stored_text))
    show_document (self);
  else
    {
      self->modified = TRUE;
      set_modified (self, FALSE);
    }
  pqs_history_pane_reload (self->history_pane);
}

static void save_attempt (PqsDocumentEditor *self,
                          GTask             *task,
                          PqsSaveFlags       flags);

static void
finish_save (PqsDocumentEditor *self,
             GTask             *task,
             gboolean           result)
{
  self->saving = FALSE;
  update_state (self);
  g_task_return_boolean (task, result);
  g_object_unref (task);
}

/* A dialog destroyed without an answer (its window went away) answers
 * "no" to whoever waits; the editor itself may be going too. */
static void
unanswered_save (gpointer data)
{
  GTask *task = data;
  PqsDocumentEditor *self = g_task_get_source_object (task);

  self->saving = FALSE;
  g_task_return_boolean (task, FALSE);
  g_object_unref (task);
}

static void
unanswered_close (gpointer data)
{
  GTask *task = data;

  g_task_return_boolean (task, FALSE);
  g_object_unref (task);
}

static void
conflict_response_cb (AdwMessageDialog  *dialog,
                      const char        *response,
                      PqsDocumentEditor *self)
{
  GTask *task = g_object_steal_data (G_OBJECT (dialog), "pqs-task");

  close_dialog (dialog);
  if (task == NULL)
    return;

  if (g_str_equal (response, "overwrite"))
    save_attempt (self, task, PQS_SAVE_OVERWRITE);
  else if (g_str_equal (response, "reload"))
    {
      g_autoptr(GError) error = NULL;

      if (!reload (self, &error))
        {
          show_error (self, error->message);
          finish_save (self, task, FALSE);
          return;
        }
      toast (self, _("Reloaded: your changes were dropped"));
      finish_save (self, task, TRUE);
    }
  else
    finish_save (self, task, FALSE);
}

static void
show_conflict (PqsDocumentEditor *self,
               GTask             *task,
               const char        *message)
{
  AdwMessageDialog *dialog;

  dialog = message_dialog_new (self, _("Someone Else Saved This Document"), message);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "reload", _("_Reload"),
                                    "overwrite", _("_Overwrite"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "reload", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "overwrite", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pqs-task", task, unanswered_save);
  g_signal_connect_object (dialog, "response", G_CALLBACK (conflict_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Takes @task. */
static void
save_attempt (PqsDocumentEditor *self,
              GTask             *task,
              PqsSaveFlags       flags)
{
  g_autoptr(PqsDocument) edited = pqs_document_editor_build_document (self);
  g_autoptr(GError) error = NULL;

  if (edited == NULL || !self->editable)
    {
      finish_save (self, task, FALSE);
      return;
    }

  if (!pqs_library_save_document (self->library, actor (self), edited, NULL, flags, &error))
    {
      if (g_error_matches (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_CONFLICT))
        {
          show_conflict (self, task, error->message);
          return;
        }
      show_error (self, error->message);
      finish_save (self, task, FALSE);
      return;
    }

  show_error (self, NULL);
  saved (self, edited);
  toast (self, flags & PQS_SAVE_OVERWRITE ? _("Saved over the other changes")
                                          : _("Document saved"));
  finish_save (self, task, TRUE);
}

static void
save_async (PqsDocumentEditor   *self,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, save_async);
  if (self->saving)
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }
  self->saving = TRUE;
  update_state (self);
  save_attempt (self, task, PQS_SAVE_DEFAULT);
}

static gboolean
save_finish (PqsDocumentEditor  *self,
             GAsyncResult       *result)
{
  return g_task_propagate_boolean (G_TASK (result), NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);

  if (self->modified && self->editable)
    save_async (self, NULL, NULL);
}

/* The unsaved-changes guard ----------------------------------------------------------- */

static void
close_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (object);
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, save_finish (self, result) && !self->modified);
}

static void
close_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   PqsDocumentEditor *self)
{
  g_autoptr(GTask) task = g_object_steal_data (G_OBJECT (dialog), "pqs-task");

  close_dialog (dialog);
  if (task == NULL)
    return;

  if (g_str_equal (response, "save"))
    save_async (self, close_saved_cb, g_steal_pointer (&task));
  else if (g_str_equal (response, "discard"))
    {
      show_document (self);
      g_task_return_boolean (task, TRUE);
    }
  else
    g_task_return_boolean (task, FALSE);
}

/**
 * pqs_document_editor_close_async:
 * @self: a #PqsDocumentEditor
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: for @callback
 *
 * Asks what to do with unsaved changes, if any: save them, discard them
 * (the widgets show the stored document again) or cancel.
 */
void
pqs_document_editor_close_async (PqsDocumentEditor   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  g_return_if_fail (PQS_IS_DOCUMENT_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_document_editor_close_async);

  if (self->document == NULL || !self->modified)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Translators: %s is a section's number and title */
  body = g_strdup_printf (_("“%s” has unsaved changes. Changes which are not saved will be "
                            "lost."), adw_window_title_get_title (self->window_title));
  dialog = message_dialog_new (self, _("Save Changes?"), body);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pqs-task", g_steal_pointer (&task),
                          unanswered_close);
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * pqs_document_editor_close_finish:
 * @self: a #PqsDocumentEditor
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the editor may be closed, %FALSE when the user
 *   cancelled or the save failed (its sentence shows in the editor)
 */
gboolean
pqs_document_editor_close_finish (PqsDocumentEditor  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Workflow ----------------------------------------------------------------------------- */

/* After a step: the document as stored now. */
static void
step_done (PqsDocumentEditor *self,
           gboolean           ok,
           GError            *error,
           const char        *result)
{
  if (!ok)
    {
      show_error (self, error->message);
      update_state (self);
      return;
    }
  show_error (self, NULL);
  reload_or_show_error (self);
  toast (self, result);
}

static void
submit_now (PqsDocumentEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = pqs_workflow_submit (self->workflow, actor (self), document_id (self), NULL, &error);
  if (!ok && g_error_matches (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_REQUIRED_FIELDS))
    {
      /* Every empty required field says so, the first one in sight. */
      pqs_field_editor_validate (self->field_editor, TRUE);
      adw_view_stack_set_visible_child_name (self->view_stack, "edit");
    }
  step_done (self, ok, error, _("Submitted for review"));
}

static void
submit_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (object);

  if (save_finish (self, result) && !self->modified)
    submit_now (self);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);

  /* What is submitted is what the user sees: saved first. */
  if (self->modified && self->editable)
    save_async (self, submit_saved_cb, NULL);
  else
    submit_now (self);
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = pqs_workflow_approve (self->workflow, actor (self), document_id (self), NULL, &error);
  step_done (self, ok, error, _("Document approved"));
}

static void
revise_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = pqs_workflow_revise (self->workflow, actor (self), document_id (self), &error);
  step_done (self, ok, error, _("New revision started"));
}

static void
archive_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     PqsDocumentEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  close_dialog (dialog);
  if (!g_str_equal (response, "archive") || self->document == NULL)
    return;
  ok = pqs_workflow_archive (self->workflow, actor (self), document_id (self), &error);
  step_done (self, ok, error, _("Document archived"));
}

static void
archive_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  /* Translators: %s is a section's number and title */
  heading = g_strdup_printf (_("Archive “%s”?"),
                             adw_window_title_get_title (self->window_title));
  dialog = message_dialog_new (self, heading,
                               _("An archived document is retired: it is no longer reviewed or "
                                 "revised. It stays readable, with its history."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "archive", _("_Archive"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "archive", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (archive_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
comment_buffer_changed_cb (GtkTextBuffer    *buffer,
                           AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "pqs-response");
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  adw_message_dialog_set_response_enabled (dialog, response, *text != '\0');
}

/* A message dialog with a comment box; the comment is required for
 * @response to be enabled (the model refuses an empty one anyway). */
static AdwMessageDialog *
comment_dialog_new (PqsDocumentEditor *self,
                    const char        *heading,
                    const char        *body,
                    const char        *response,
                    const char        *label)
{
  AdwMessageDialog *dialog = message_dialog_new (self, heading, body);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Comment"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_size_request (scroller, -1, 120);
  adw_message_dialog_set_extra_child (dialog, scroller);

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, response, FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "pqs-comment-view", view);
  g_object_set_data_full (G_OBJECT (dialog), "pqs-response", g_strdup (response), g_free);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                    G_CALLBACK (comment_buffer_changed_cb), dialog);
  return dialog;
}

static char *
dialog_comment (AdwMessageDialog *dialog)
{
  return buffer_text (g_object_get_data (G_OBJECT (dialog), "pqs-comment-view"));
}

static void
request_changes_response_cb (AdwMessageDialog  *dialog,
                             const char        *response,
                             PqsDocumentEditor *self)
{
  g_autofree char *comment = dialog_comment (dialog);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  close_dialog (dialog);
  if (!g_str_equal (response, "request") || self->document == NULL)
    return;
  ok = pqs_workflow_request_changes (self->workflow, actor (self), document_id (self), comment,
                                     &error);
  step_done (self, ok, error, _("Changes requested"));
}

static void
request_changes_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);
  AdwMessageDialog *dialog;

  dialog = comment_dialog_new (self, _("Request Changes"),
                               _("The document goes back to its author as a draft. Tell them "
                                 "what to change."),
                               "request", _("_Request Changes"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (request_changes_response_cb), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
comment_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     PqsDocumentEditor *self)
{
  g_autofree char *comment = dialog_comment (dialog);
  g_autoptr(GError) error = NULL;

  close_dialog (dialog);
  if (!g_str_equal (response, "comment") || self->document == NULL)
    return;
  if (!pqs_workflow_comment (self->workflow, actor (self), document_id (self), comment, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  pqs_history_pane_reload (self->history_pane);
  toast (self, _("Comment added"));
}

static void
comment_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);
  AdwMessageDialog *dialog;

  dialog = comment_dialog_new (self, _("Add a Comment"),
                               _("The comment is kept in the document's history."),
                               "comment", _("_Add Comment"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (comment_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
history_restored_cb (PqsDocumentEditor *self,
                     gint64             change_id)
{
  /* Unsaved edits are kept: their save then meets the restore as a conflict. */
  if (!self->modified)
    reload_or_show_error (self);
  else
    update_state (self);
}

/* Export ----------------------------------------------------------------------------------- */

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PqsDocumentEditor) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  file = pqs_export_document_finish (result, &error);
  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }

  name = g_file_get_basename (file);
  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Exported “%s”"), name);
  toast (self, message);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);
  const char *what = g_variant_get_string (parameter, NULL);
  PqsExportKind kind;

  if (self->document == NULL || self->session == NULL)
    return;
  if (g_str_equal (what, "trainee"))
    kind = PQS_EXPORT_PDF_TRAINEE;
  else if (g_str_equal (what, "qualifier"))
    kind = PQS_EXPORT_PDF_QUALIFIER;
  else
    kind = PQS_EXPORT_JSON;

  /* The stored version is exported; unsaved changes are not in it. */
  if (self->modified)
    toast (self, _("Unsaved changes are not exported: save first to include them"));
  pqs_export_document_async (parent_window (self), self->session, document_id (self), kind,
                             self->cancellable, export_done_cb, g_object_ref (self));
}

/* Session and properties ------------------------------------------------------------------ */

PqsSession *
pqs_document_editor_get_session (PqsDocumentEditor *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), NULL);

  return self->session;
}

static void
session_user_notify_cb (PqsDocumentEditor *self)
{
  update_state (self);
}

static void
disconnect_session (PqsDocumentEditor *self)
{
  if (self->session == NULL)
    return;
  g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                        session_user_notify_cb, self);
  g_signal_handlers_disconnect_by_func (pqs_session_get_store (self->session),
                                        store_changed_cb, self);
}

/**
 * pqs_document_editor_set_session:
 * @self: a #PqsDocumentEditor
 * @session: (nullable): who is signed in
 *
 * A new session closes the document shown (unsaved changes are dropped:
 * the embedder asks first with pqs_document_editor_close_async()).
 */
void
pqs_document_editor_set_session (PqsDocumentEditor *self,
                                 PqsSession        *session)
{
  g_return_if_fail (PQS_IS_DOCUMENT_EDITOR (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  disconnect_session (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->workflow);
  g_clear_object (&self->library);
  g_clear_object (&self->standard);
  g_clear_object (&self->template);
  if (self->document != NULL)
    {
      g_clear_object (&self->document);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
    }
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      PqsStore *store = pqs_session_get_store (session);
      PqsUser *user = pqs_session_get_user (session);

      self->library = pqs_library_new (store);
      self->workflow = pqs_workflow_new (self->library);
      g_signal_connect_object (user, "notify::role", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (user, "notify::active", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "changed::documents", G_CALLBACK (store_changed_cb), self,
                               0);
    }

  pqs_preview_pane_set_session (self->preview_pane, session);
  pqs_history_pane_set_session (self->history_pane, session);
  pqs_history_pane_set_document_id (self->history_pane, 0);
  pqs_preview_pane_set_document (self->preview_pane, NULL);
  show_error (self, NULL);
  show_document (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
pqs_document_editor_get_show_back (PqsDocumentEditor *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), FALSE);

  return self->show_back;
}

/**
 * pqs_document_editor_set_show_back:
 * @self: a #PqsDocumentEditor
 * @show_back: whether the editor is alone in a folded leaflet
 *
 * Shows the back button (main.back) and the window buttons at the start.
 */
void
pqs_document_editor_set_show_back (PqsDocumentEditor *self,
                                   gboolean           show_back)
{
  g_return_if_fail (PQS_IS_DOCUMENT_EDITOR (self));

  show_back = !!show_back;
  if (self->show_back == show_back)
    return;

  self->show_back = show_back;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), show_back);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, show_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

/**
 * pqs_document_editor_get_document:
 * @self: a #PqsDocumentEditor
 *
 * Returns: (transfer none) (nullable): the document as stored (loaded or
 *   last saved), without unsaved edits
 */
PqsDocument *
pqs_document_editor_get_document (PqsDocumentEditor *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), NULL);

  return self->document;
}

gboolean
pqs_document_editor_get_modified (PqsDocumentEditor *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), FALSE);

  return self->modified;
}

gboolean
pqs_document_editor_get_editable (PqsDocumentEditor *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), FALSE);

  return self->editable;
}

/**
 * pqs_document_editor_get_error:
 * @self: a #PqsDocumentEditor
 *
 * Returns: (nullable): the sentence shown for the last refusal or failure
 */
const char *
pqs_document_editor_get_error (PqsDocumentEditor *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_EDITOR (self), NULL);

  return self->error;
}

PqsDocumentEditor *
pqs_document_editor_new (void)
{
  return g_object_new (PQS_TYPE_DOCUMENT_EDITOR, NULL);
}

/* GObject ------------------------------------------------------------------------------------ */

static gboolean
pqs_document_editor_grab_focus (GtkWidget *widget)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (widget);

  if (self->document != NULL && self->editable)
    return gtk_widget_grab_focus (GTK_WIDGET (self->title_row));
  return GTK_WIDGET_CLASS (pqs_document_editor_parent_class)->grab_focus (widget);
}

static void
pqs_document_editor_dispose (GObject *object)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  disconnect_session (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_DOCUMENT_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->workflow);
  g_clear_object (&self->library);
  g_clear_object (&self->document);
  g_clear_object (&self->standard);
  g_clear_object (&self->template);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pqs_document_editor_parent_class)->dispose (object);
}

static void
pqs_document_editor_finalize (GObject *object)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (object);

  g_free (self->stored_text);
  g_free (self->error);

  G_OBJECT_CLASS (pqs_document_editor_parent_class)->finalize (object);
}

static void
pqs_document_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SHOW_BACK:
      g_value_set_boolean (value, self->show_back);
      break;
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_document_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PqsDocumentEditor *self = PQS_DOCUMENT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_document_editor_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_BACK:
      pqs_document_editor_set_show_back (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_document_editor_class_init (PqsDocumentEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_document_editor_dispose;
  object_class->finalize = pqs_document_editor_finalize;
  object_class->get_property = pqs_document_editor_get_property;
  object_class->set_property = pqs_document_editor_set_property;
  widget_class->grab_focus = pqs_document_editor_grab_focus;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_BACK] =
    g_param_spec_boolean ("show-back", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PQS_TYPE_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  g_type_ensure (PQS_TYPE_FIELD_EDITOR);
  g_type_ensure (PQS_TYPE_OUTLINE_EDITOR);
  g_type_ensure (PQS_TYPE_PREVIEW_PANE);
  g_type_ensure (PQS_TYPE_HISTORY_PANE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-document-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsDocumentEditor, name)
  BIND (header_bar);
  BIND (back_button);
  BIND (window_title);
  BIND (export_button);
  BIND (save_button);
  BIND (classification_label);
  BIND (readonly_bar);
  BIND (readonly_label);
  BIND (readonly_revise_button);
  BIND (error_bar);
  BIND (error_label);
  BIND (main_stack);
  BIND (workflow_bar);
  BIND (comment_button);
  BIND (archive_button);
  BIND (request_changes_button);
  BIND (approve_button);
  BIND (revise_button);
  BIND (submit_button);
  BIND (view_stack);
  BIND (edit_scroller);
  BIND (title_row);
  BIND (fields_section);
  BIND (field_editor);
  BIND (outline_editor);
  BIND (body_view);
  BIND (preview_pane);
  BIND (history_pane);
  BIND (switcher_bar);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, content_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, child_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, error_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, visible_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_restored_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "editor.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "editor.request-changes", NULL,
                                   request_changes_action);
  gtk_widget_class_install_action (widget_class, "editor.archive", NULL, archive_action);
  gtk_widget_class_install_action (widget_class, "editor.revise", NULL, revise_action);
  gtk_widget_class_install_action (widget_class, "editor.comment", NULL, comment_action);
  gtk_widget_class_install_action (widget_class, "editor.export", "s", export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
pqs_document_editor_init (PqsDocumentEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  ensure_style ();
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (body_changed_cb), self, 0);
  pqs_preview_pane_set_edition (self->preview_pane, PQS_PDF_EDITION_TRAINEE);
  update_state (self);
}
