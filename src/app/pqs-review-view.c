/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-document-list.h"
#include "pqs-document-summary.h"
#include "pqs-library.h"
#include "pqs-review-view.h"
#include "pqs-session.h"
#include "pqs-standard-view.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/**
 * PqsReviewView:
 *
 * The review queue: the section documents waiting for the signed-in
 * reviewer (in review, written by someone else, not one they edit), most
 * recently submitted first, each with "Approve" and "Request Changes…"
 * (a comment is required). The queue is a #PqsDocumentList with its
 * reviewer filter, so it follows every change, here or elsewhere; it is
 * read when the view gets its session (#PqsMainView hands a hidden view
 * its session only when it is first shown).
 *
 * Signals: "open-document" (gint64 id, a row was activated), "add-toast"
 * (an #AdwToast).
 */

struct _PqsReviewView
{
  GtkWidget        parent_instance;

  /* Template children */
  GtkButton       *back_button;
  AdwHeaderBar    *header_bar;
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;

  PqsSession      *session;
  PqsLibrary      *library;
  PqsWorkflow     *workflow;
  PqsDocumentList *queue;
  GtkNoSelection  *selection;

  gboolean         show_back;
};

G_DEFINE_FINAL_TYPE (PqsReviewView, pqs_review_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_BACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_DOCUMENT,
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static PqsUser *
get_user (PqsReviewView *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

static void
add_toast (PqsReviewView *self,
           const char    *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

/* Rows ------------------------------------------------------------------------------ */

typedef struct
{
  GtkWidget *number;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *approve;
  GtkWidget *request;
} Row;

static GtkWidget *
label_new (const char *style)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              PqsReviewView            *self)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  row->number = label_new ("pqs-section-number");
  gtk_label_set_wrap (GTK_LABEL (row->number), FALSE);
  gtk_widget_set_valign (row->number, GTK_ALIGN_START);
  row->title = label_new ("heading");
  row->subtitle = label_new ("caption");
  gtk_widget_add_css_class (row->subtitle, "dim-label");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), row->title);
  gtk_box_append (GTK_BOX (texts), row->subtitle);
  gtk_box_append (GTK_BOX (line), row->number);
  gtk_box_append (GTK_BOX (line), texts);

  /* Buttons with their text: no accessible label, a description says which section. */
  row->request = gtk_button_new_with_mnemonic (_("Request _Changes…"));
  /* The targets before the names: the actions take a document's id. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->request), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->request), "review.request-changes");
  row->approve = gtk_button_new_with_mnemonic (_("_Approve"));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->approve), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->approve), "review.approve");
  gtk_widget_add_css_class (row->approve, "suggested-action");
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), row->request);
  gtk_box_append (GTK_BOX (buttons), row->approve);

  gtk_widget_set_margin_top (root, 12);
  gtk_widget_set_margin_bottom (root, 12);
  gtk_widget_set_margin_start (root, 12);
  gtk_widget_set_margin_end (root, 12);
  gtk_box_append (GTK_BOX (root), line);
  gtk_box_append (GTK_BOX (root), buttons);

  g_object_set_data_full (G_OBJECT (root), "pqs-row", row, g_free);
  gtk_list_item_set_child (item, root);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             PqsReviewView            *self)
{
  PqsDocumentSummary *summary = gtk_list_item_get_item (item);
  Row *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "pqs-row");
  g_autofree char *number = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *request = NULL;
  const char *author;
  gint64 id;

  if (summary == NULL)
    {
      gtk_label_set_text (GTK_LABEL (row->title), "");
      gtk_label_set_text (GTK_LABEL (row->subtitle), "");
      gtk_widget_set_sensitive (row->approve, FALSE);
      gtk_widget_set_sensitive (row->request, FALSE);
      return;
    }

  id = pqs_document_summary_get_id (summary);
  author = pqs_document_summary_get_author_name (summary);
  number = g_strdup_printf ("%u", pqs_document_summary_get_number (summary));
  date = pqs_format_date (pqs_document_summary_get_updated_at (summary));
  /* Translators: a row of the review queue: standard · author · date submitted */
  subtitle = g_strdup_printf (_("%s · by %s · %s"),
                              pqs_document_summary_get_standard_title (summary),
                              author != NULL ? author : "", date);
  gtk_label_set_text (GTK_LABEL (row->number), number);
  gtk_label_set_text (GTK_LABEL (row->title), pqs_document_summary_get_title (summary));
  gtk_label_set_text (GTK_LABEL (row->subtitle), subtitle);

  gtk_widget_set_sensitive (row->approve, TRUE);
  gtk_widget_set_sensitive (row->request, TRUE);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->approve), "x", id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->request), "x", id);

  /* Translators: what "Approve" does, for a screen reader: "Approve 203 Lube Oil System" */
  approve = g_strdup_printf (_("Approve %u %s"), pqs_document_summary_get_number (summary),
                             pqs_document_summary_get_title (summary));
  /* Translators: for a screen reader: "Request changes to 203 Lube Oil System" */
  request = g_strdup_printf (_("Request changes to %u %s"),
                             pqs_document_summary_get_number (summary),
                             pqs_document_summary_get_title (summary));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->approve),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, approve, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->request),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, request, -1);
}

static void
activate_cb (PqsReviewView *self,
             guint          position)
{
  g_autoptr(PqsDocumentSummary) summary =
    g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (summary != NULL)
    g_signal_emit (self, signals[OPEN_DOCUMENT], 0, pqs_document_summary_get_id (summary));
}

/* What the pane shows ---------------------------------------------------------------- */

static void
update_stack (PqsReviewView *self)
{
  guint n = self->queue != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->queue)) : 0;
  g_autofree char *subtitle = NULL;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      PqsDocumentAccess other = { 0, PQS_DOCUMENT_IN_REVIEW, PQS_COLLABORATOR_NONE };

      if (self->session != NULL &&
          !pqs_auth_allows (get_user (self), PQS_ACTION_REVIEW_DOCUMENT, &other))
        adw_status_page_set_description (self->empty_page,
                                         _("Supervisors and administrators review sections."));
      else
        adw_status_page_set_description (self->empty_page,
                                         _("Sections that others submit for review show here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (n > 0)
    /* Translators: under the "Review Queue" title */
    subtitle = g_strdup_printf (ngettext ("%u section waiting", "%u sections waiting", n), n);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
queue_changed_cb (PqsReviewView *self)
{
  update_stack (self);
}

/* Approving ---------------------------------------------------------------------------- */

static char *
describe_document (PqsReviewView *self,
                   gint64         document_id)
{
  g_autoptr(PqsDocument) document = NULL;

  document = pqs_library_load_document (self->library, get_user (self), document_id, NULL);
  if (document == NULL)
    return NULL;
  /* Translators: a section named in a sentence: "203 Lube Oil System" */
  return g_strdup_printf (_("%u %s"), pqs_document_get_number (document),
                          pqs_document_get_title (document));
}

/**
 * pqs_review_view_approve:
 * @self: a #PqsReviewView
 * @document_id: a section document in review
 *
 * Approves the document as the signed-in user; a toast tells how it went.
 *
 * Returns: %TRUE if it was approved
 */
gboolean
pqs_review_view_approve (PqsReviewView *self,
                         gint64         document_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (PQS_IS_REVIEW_VIEW (self), FALSE);

  if (self->session == NULL)
    return FALSE;

  name = describe_document (self, document_id);
  if (!pqs_workflow_approve (self->workflow, get_user (self), document_id, NULL, &error))
    {
      add_toast (self, error->message);
      return FALSE;
    }

  /* Translators: a toast: "203 Lube Oil System approved" */
  title = name != NULL ? g_strdup_printf (_("%s approved"), name) : g_strdup (_("Approved"));
  add_toast (self, title);
  return TRUE;
}

static void
approve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  pqs_review_view_approve (PQS_REVIEW_VIEW (widget), g_variant_get_int64 (parameter));
}

/* Requesting changes -------------------------------------------------------------------- */

static char *
dup_comment (AdwMessageDialog *dialog)
{
  GtkWidget *scrolled = adw_message_dialog_get_extra_child (dialog);
  GtkWidget *text_view = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
comment_changed_cb (AdwMessageDialog *dialog)
{
  g_autofree char *comment = dup_comment (dialog);

  /* The author needs to know what to change: no empty request. */
  adw_message_dialog_set_response_enabled (dialog, "request", *comment != '\0');
}

static void
request_response_cb (PqsReviewView    *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "pqs-document-id");
  g_autofree char *comment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (g_strcmp0 (response, "request") != 0 || self->session == NULL)
    return;

  comment = dup_comment (dialog);
  name = describe_document (self, id);
  if (!pqs_workflow_request_changes (self->workflow, get_user (self), id, comment, &error))
    {
      add_toast (self, error->message);
      return;
    }

  /* Translators: a toast: "Changes requested on 203 Lube Oil System" */
  title = name != NULL ? g_strdup_printf (_("Changes requested on %s"), name)
                       : g_strdup (_("Changes requested"));
  add_toast (self, title);
}

/**
 * pqs_review_view_request_changes:
 * @self: a #PqsReviewView
 * @document_id: a section document in review
 *
 * Asks for the comment that goes back to the author; "Request Changes"
 * stays insensitive while the comment is empty.
 *
 * Returns: (transfer none) (nullable): the dialog, presented
 */
AdwMessageDialog *
pqs_review_view_request_changes (PqsReviewView *self,
                                 gint64         document_id)
{
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *text_view;
  GtkRoot *root;
  gint64 *id;

  g_return_val_if_fail (PQS_IS_REVIEW_VIEW (self), NULL);

  if (self->session == NULL)
    return NULL;

  name = describe_document (self, document_id);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Request Changes?"), NULL);
  if (name != NULL)
    /* Translators: %s is a section: "203 Lube Oil System" */
    body = g_strdup_printf (_("Tell the author what to change in “%s”. The section goes back "
                              "to them as a draft."), name);
  else
    body = g_strdup (_("Tell the author what to change. The section goes back to them as a "
                       "draft."));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);

  text_view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (text_view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (text_view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text_view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (text_view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (text_view), 8);
  gtk_widget_add_css_class (text_view, "inline");
  gtk_accessible_update_property (GTK_ACCESSIBLE (text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Comment for the author"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 100);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), text_view);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "request", _("_Request Changes"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "request",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "request", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  id = g_new (gint64, 1);
  *id = document_id;
  g_object_set_data_full (G_OBJECT (dialog), "pqs-document-id", id, g_free);
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view)), "changed",
                           G_CALLBACK (comment_changed_cb), dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (request_response_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (text_view);
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
request_changes_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  pqs_review_view_request_changes (PQS_REVIEW_VIEW (widget), g_variant_get_int64 (parameter));
}

/* Session ------------------------------------------------------------------------------ */

static void
session_user_notify_cb (PqsReviewView *self)
{
  update_stack (self);
}

PqsSession *
pqs_review_view_get_session (PqsReviewView *self)
{
  g_return_val_if_fail (PQS_IS_REVIEW_VIEW (self), NULL);

  return self->session;
}

/**
 * pqs_review_view_set_session:
 * @self: a #PqsReviewView
 * @session: (nullable): who is signed in
 *
 * Lists what waits for @session's user to review. Counting and reading the
 * queue costs a few page reads on a large database: give a hidden view its
 * session when it is first shown, as #PqsMainView does.
 */
void
pqs_review_view_set_session (PqsReviewView *self,
                             PqsSession    *session)
{
  g_return_if_fail (PQS_IS_REVIEW_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  gtk_no_selection_set_model (self->selection, NULL);
  g_clear_object (&self->queue);
  g_clear_object (&self->workflow);
  g_clear_object (&self->library);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      PqsUser *user = pqs_session_get_user (session);

      self->library = pqs_library_new (pqs_session_get_store (session));
      self->workflow = pqs_workflow_new (self->library);
      /* A new role changes what the user may review: the list reads it again. */
      g_signal_connect_object (user, "notify::role", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);

      self->queue = pqs_document_list_new (pqs_session_get_store (session));
      pqs_document_list_set_viewer (self->queue, user);
      pqs_document_list_set_reviewer (self->queue, user);
      pqs_document_list_set_sort (self->queue, PQS_DOCUMENT_SORT_UPDATED);
      g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (queue_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->queue));
    }

  update_stack (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * pqs_review_view_get_model:
 * @self: a #PqsReviewView
 *
 * Returns: (transfer none) (nullable): the documents waiting for review
 */
GListModel *
pqs_review_view_get_model (PqsReviewView *self)
{
  g_return_val_if_fail (PQS_IS_REVIEW_VIEW (self), NULL);

  return G_LIST_MODEL (self->queue);
}

gboolean
pqs_review_view_get_show_back (PqsReviewView *self)
{
  g_return_val_if_fail (PQS_IS_REVIEW_VIEW (self), FALSE);

  return self->show_back;
}

/**
 * pqs_review_view_set_show_back:
 * @self: a #PqsReviewView
 * @show_back: whether the view is alone in a folded leaflet
 *
 * Shows the back button (main.back) and the window buttons at the start.
 */
void
pqs_review_view_set_show_back (PqsReviewView *self,
                               gboolean       show_back)
{
  g_return_if_fail (PQS_IS_REVIEW_VIEW (self));

  show_back = !!show_back;
  if (self->show_back == show_back)
    return;

  self->show_back = show_back;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), show_back);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, show_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

PqsReviewView *
pqs_review_view_new (void)
{
  return g_object_new (PQS_TYPE_REVIEW_VIEW, NULL);
}

/* GObject ------------------------------------------------------------------------------- */

static void
pqs_review_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pqs_review_view_parent_class)->root (widget);

  pqs_standard_view_ensure_style (widget);
}

static void
pqs_review_view_dispose (GObject *object)
{
  PqsReviewView *self = PQS_REVIEW_VIEW (object);
  GtkWidget *child;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_REVIEW_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->queue);
  g_clear_object (&self->workflow);
  g_clear_object (&self->library);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_review_view_parent_class)->dispose (object);
}

static void
pqs_review_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsReviewView *self = PQS_REVIEW_VIEW (object);

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
pqs_review_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PqsReviewView *self = PQS_REVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_review_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_BACK:
      pqs_review_view_set_show_back (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_review_view_class_init (PqsReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_review_view_dispose;
  object_class->get_property = pqs_review_view_get_property;
  object_class->set_property = pqs_review_view_set_property;
  widget_class->root = pqs_review_view_root;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_BACK] =
    g_param_spec_boolean ("show-back", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_DOCUMENT] = g_signal_new ("open-document", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-review-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsReviewView, name)
  BIND (back_button);
  BIND (header_bar);
  BIND (window_title);
  BIND (stack);
  BIND (list_view);
  BIND (empty_page);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_action (widget_class, "review.approve", "x", approve_action);
  gtk_widget_class_install_action (widget_class, "review.request-changes", "x",
                                   request_changes_action);
}

static void
pqs_review_view_init (PqsReviewView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  self->selection = gtk_no_selection_new (NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_stack (self);
}
