/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-document-list.h"
#include "pqs-document-summary.h"
#include "pqs-library.h"
#include "pqs-new-standard-dialog.h"
#include "pqs-search.h"
#include "pqs-search-result.h"
#include "pqs-section-row.h"
#include "pqs-session.h"
#include "pqs-standard-list.h"
#include "pqs-standard-view.h"
#include "pqs-standards-view.h"
#include "pqs-store.h"
#include "pqs-template-list.h"
#include "pqs-template.h"
#include "pqs-user.h"

/**
 * PqsStandardsView:
 *
 * The library of the workstation: every section document the signed-in
 * user may read, in book order under a band for each standard (or most
 * recently changed first, or by title), narrowed by status. Typing
 * searches everything (titles, bodies, line items) and shows the best
 * matches with their snippets. A standard's band opens its page, a
 * #PqsStandardView pushed inside this pane; a section opens in the editor
 * through "open-document".
 *
 * The list is a #GtkListView over #PqsDocumentList, which counts first and
 * reads 64 rows at a time as rows are bound, so 100,000 documents cost a
 * COUNT and one page. Nothing here walks the model: a row looks at the row
 * before it only, to know whether a standard starts there.
 *
 * With no standard yet, the view offers "New Standard" and "Open a Sample
 * Standard" (a small real book written by the model as the signed-in user).
 *
 * Signals: "open-document" (gint64 document id; the window shows the
 * editor), "add-toast" (an #AdwToast).
 */

struct _PqsStandardsView
{
  GtkWidget             parent_instance;

  /* Template children */
  GtkButton            *back_button;
  GtkButton            *list_back_button;
  AdwHeaderBar         *header_bar;
  AdwWindowTitle       *window_title;
  GtkButton            *new_button;
  GtkStack             *pages;
  GtkWidget            *list_page;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkSpinner           *search_spinner;
  GtkDropDown          *status_dropdown;
  GtkDropDown          *sort_dropdown;
  GtkStack             *stack;
  GtkListView          *documents_view;
  GtkListView          *results_view;
  AdwStatusPage        *welcome_page;
  GtkWidget            *welcome_buttons;
  AdwStatusPage        *empty_page;
  PqsStandardView      *standard_view;

  PqsSession           *session;
  PqsStandardList      *standards;
  PqsDocumentList      *documents;
  PqsSearch            *search;
  GtkNoSelection       *documents_selection;
  GtkNoSelection       *results_selection;
  PqsNewStandardDialog *new_dialog;

  char                 *search_text;   /* stripped; NULL when not searching */
  gboolean              show_back;
};

G_DEFINE_FINAL_TYPE (PqsStandardsView, pqs_standards_view, GTK_TYPE_WIDGET)

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

/* The status filter's items, in the drop-down's order. */
static const char * const status_filters[] = { NULL, "draft", "in_review", "approved", "archived" };
/* The sort drop-down's items. */
static const PqsDocumentSort sorts[] = {
  PQS_DOCUMENT_SORT_NUMBER, PQS_DOCUMENT_SORT_UPDATED, PQS_DOCUMENT_SORT_TITLE,
};

static void update_stack (PqsStandardsView *self);

static PqsUser *
get_user (PqsStandardsView *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

static void
add_toast (PqsStandardsView *self,
           const char       *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

/* Document rows --------------------------------------------------------------------- */

/* What a row shows; its widgets belong to the row. The band is made the
 * first time the row starts a standard: most rows never do, and fewer
 * widgets per row make the list quicker to fill and to scroll. */
typedef struct
{
  GtkWidget  *root;             /* a PqsSectionRow, the band its header */
  GtkWidget  *band;
  GtkWidget  *band_title;
  GtkWidget  *band_marking;
  GtkWidget  *badge;
  const char *status;           /* interned: the badge changes only when it does */
} DocumentRow;

static GtkWidget *
row_label_new (const char *style)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static void
ensure_band (DocumentRow *row)
{
  GtkWidget *band_box;

  if (row->band != NULL)
    return;

  band_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  row->band = gtk_button_new ();
  row->band_title = row_label_new ("heading");
  gtk_label_set_ellipsize (GTK_LABEL (row->band_title), PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (GTK_LABEL (row->band_title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->band_title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (row->band_title, TRUE);
  row->band_marking = gtk_label_new (NULL);
  gtk_widget_add_css_class (row->band_marking, "chip");
  gtk_widget_set_valign (row->band_marking, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (band_box), row->band_title);
  gtk_box_append (GTK_BOX (band_box), row->band_marking);
  gtk_box_append (GTK_BOX (band_box), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_button_set_child (GTK_BUTTON (row->band), band_box);
  gtk_widget_add_css_class (row->band, "flat");
  gtk_widget_add_css_class (row->band, "pqs-standard-band");
  /* The target before the name: the action takes a standard's id. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row->band), "x", (gint64) 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->band), "standards.open-standard");
  pqs_section_row_set_header (PQS_SECTION_ROW (row->root), row->band);
}

static void
setup_document_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   PqsStandardsView         *self)
{
  DocumentRow *row = g_new0 (DocumentRow, 1);

  row->root = pqs_section_row_new ();
  row->badge = GTK_WIDGET (pqs_section_row_get_badge (PQS_SECTION_ROW (row->root)));
  g_object_set_data_full (G_OBJECT (row->root), "pqs-row", row, g_free);
  gtk_list_item_set_child (item, row->root);
}

static void
row_set_status (DocumentRow *row,
                const char  *status)
{
  status = g_intern_string (status);
  if (row->status == status && status != NULL)
    return;

  row->status = status;
  pqs_status_badge_update (GTK_LABEL (row->badge), status);
}

static gboolean
starts_standard (PqsStandardsView   *self,
                 guint               position,
                 PqsDocumentSummary *summary)
{
  g_autoptr(PqsDocumentSummary) before = NULL;

  if (pqs_document_list_get_sort (self->documents) != PQS_DOCUMENT_SORT_NUMBER)
    return FALSE;
  if (position == 0)
    return TRUE;

  /* The row before is on the same page or the one before: cached. */
  before = g_list_model_get_item (G_LIST_MODEL (self->documents), position - 1);
  return before == NULL ||
         pqs_document_summary_get_standard_id (before) !=
         pqs_document_summary_get_standard_id (summary);
}

static void
bind_document_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  PqsStandardsView         *self)
{
  PqsDocumentSummary *summary = gtk_list_item_get_item (item);
  DocumentRow *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "pqs-row");
  g_autofree char *number = NULL;
  g_autofree char *date = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  const char *author;
  const char *context;
  gboolean band;

  /* Another program removed rows since the list counted: an empty row
   * until the store's change notification recounts. */
  if (summary == NULL)
    {
      if (row->band != NULL)
        gtk_widget_set_visible (row->band, FALSE);
      pqs_section_row_set_texts (PQS_SECTION_ROW (row->root), NULL, NULL, NULL);
      row_set_status (row, NULL);
      return;
    }

  band = starts_standard (self, gtk_list_item_get_position (item), summary);
  if (band)
    ensure_band (row);
  if (row->band != NULL)
    gtk_widget_set_visible (row->band, band);
  if (band)
    {
      PqsClassification classification = PQS_CLASSIFICATION_UNCLASSIFIED;
      g_autofree char *name = NULL;

      pqs_classification_from_string (pqs_document_summary_get_classification (summary),
                                      &classification);
      gtk_label_set_text (GTK_LABEL (row->band_title),
                          pqs_document_summary_get_standard_title (summary));
      pqs_marking_label_update (GTK_LABEL (row->band_marking), classification);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row->band), "x",
                                        pqs_document_summary_get_standard_id (summary));
      /* Translators: a standard's band in the list, read by a screen
       * reader: "Open standard Main Propulsion Assistant, UNCLASSIFIED" */
      name = g_strdup_printf (_("Open standard %s, %s"),
                              pqs_document_summary_get_standard_title (summary),
                              pqs_classification_get_marking (classification));
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->band), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
    }

  number = g_strdup_printf ("%u", pqs_document_summary_get_number (summary));
  row_set_status (row, pqs_document_summary_get_status (summary));

  /* In book order the band names the standard; otherwise the row does. */
  date = pqs_format_date (pqs_document_summary_get_updated_at (summary));
  author = pqs_document_summary_get_author_name (summary);
  context = pqs_document_list_get_sort (self->documents) == PQS_DOCUMENT_SORT_NUMBER
            ? NULL : pqs_document_summary_get_standard_title (summary);
  if (context != NULL)
    /* Translators: a section's row: standard · author · date of the last change */
    subtitle = g_strdup_printf (_("%s · %s · %s"), context, author != NULL ? author : "", date);
  else
    /* Translators: a section's row: version · author · date of the last change */
    subtitle = g_strdup_printf (_("Version %u · %s · %s"),
                                pqs_document_summary_get_version (summary),
                                author != NULL ? author : "", date);
  pqs_section_row_set_texts (PQS_SECTION_ROW (row->root), number,
                             pqs_document_summary_get_title (summary), subtitle);

  /* The row draws its texts: it says them all at once to a screen reader. */
  /* Translators: a section's row read by a screen reader: the number, the
   * title, the status, then the line under the title */
  accessible = g_strdup_printf (_("%s %s, %s, %s"), number,
                                pqs_document_summary_get_title (summary),
                                gtk_label_get_text (GTK_LABEL (row->badge)), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* Search result rows ---------------------------------------------------------------- */

typedef struct
{
  GtkWidget *root;
  GtkWidget *badge;
} ResultRow;

static void
setup_result_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 PqsStandardsView         *self)
{
  ResultRow *row = g_new0 (ResultRow, 1);

  row->root = pqs_section_row_new ();
  row->badge = GTK_WIDGET (pqs_section_row_get_badge (PQS_SECTION_ROW (row->root)));
  g_object_set_data_full (G_OBJECT (row->root), "pqs-row", row, g_free);
  gtk_list_item_set_child (item, row->root);
}

/* A snippet shows on one line: it starts a few words before the first hit,
 * so that the hit is in sight even in a narrow window. */
#define SNIPPET_LEAD_CHARS 24

static char *
dup_snippet_markup (PqsSearchResult *result)
{
  const char *snippet = pqs_search_result_get_snippet (result);
  const char *hit;
  const char *start;
  g_autofree char *trimmed = NULL;
  g_autofree char *markup = NULL;

  if (snippet == NULL || *snippet == '\0')
    return NULL;

  hit = strstr (snippet, PQS_SEARCH_MATCH_START);
  if (hit == NULL || g_utf8_strlen (snippet, hit - snippet) <= SNIPPET_LEAD_CHARS)
    return pqs_search_result_dup_snippet_markup (result);

  start = g_utf8_offset_to_pointer (hit, -SNIPPET_LEAD_CHARS);
  /* From the start of a word. */
  while (start < hit && !g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (start < hit && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  trimmed = g_strconcat ("…", start, NULL);
  markup = pqs_search_snippet_to_markup (trimmed);
  return g_steal_pointer (&markup);
}

static void
bind_result_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                PqsStandardsView         *self)
{
  PqsSearchResult *result = gtk_list_item_get_item (item);
  ResultRow *row = g_object_get_data (G_OBJECT (gtk_list_item_get_child (item)), "pqs-row");
  g_autofree char *context = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *accessible = NULL;

  /* Translators: above a search result: the standard · the section number */
  context = g_strdup_printf (_("%s · %u"), pqs_search_result_get_standard_title (result),
                             pqs_search_result_get_number (result));
  pqs_status_badge_update (GTK_LABEL (row->badge), pqs_search_result_get_status (result));

  /* One line of words around the hit, the hit in bold; the model escapes
   * the rest. */
  markup = dup_snippet_markup (result);
  pqs_section_row_set_result (PQS_SECTION_ROW (row->root), context,
                              pqs_search_result_get_title (result), markup);

  /* Translators: a search result read by a screen reader: the standard and
   * section number, the title, the status, then the words around the hit */
  accessible = g_strdup_printf (_("%s, %s, %s, %s"), context,
                                pqs_search_result_get_title (result),
                                gtk_label_get_text (GTK_LABEL (row->badge)),
                                pqs_section_row_get_subtitle (PQS_SECTION_ROW (row->root)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* Activation ------------------------------------------------------------------------ */

static void
documents_activate_cb (PqsStandardsView *self,
                       guint             position)
{
  g_autoptr(PqsDocumentSummary) summary =
    g_list_model_get_item (G_LIST_MODEL (self->documents_selection), position);

  if (summary != NULL)
    g_signal_emit (self, signals[OPEN_DOCUMENT], 0, pqs_document_summary_get_id (summary));
}

static void
results_activate_cb (PqsStandardsView *self,
                     guint             position)
{
  g_autoptr(PqsSearchResult) result =
    g_list_model_get_item (G_LIST_MODEL (self->results_selection), position);

  if (result != NULL)
    g_signal_emit (self, signals[OPEN_DOCUMENT], 0, pqs_search_result_get_document_id (result));
}

static void
standard_open_document_cb (PqsStandardsView *self,
                           gint64            document_id)
{
  g_signal_emit (self, signals[OPEN_DOCUMENT], 0, document_id);
}

static void
standard_add_toast_cb (PqsStandardsView *self,
                       AdwToast         *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

/* What the pane shows --------------------------------------------------------------- */

static gboolean
can_manage (PqsStandardsView *self)
{
  return self->session != NULL &&
         pqs_auth_allows (get_user (self), PQS_ACTION_MANAGE_STANDARDS, NULL);
}

static gboolean
on_standard_page (PqsStandardsView *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "standard") == 0;
}

static void
update_header (PqsStandardsView *self)
{
  gboolean standard_page = on_standard_page (self);

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->show_back && !standard_page);
  gtk_widget_set_visible (GTK_WIDGET (self->list_back_button), standard_page);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), can_manage (self) && !standard_page);

  if (standard_page)
    {
      PqsStandard *standard = pqs_standard_view_get_standard (self->standard_view);

      adw_window_title_set_title (self->window_title,
                                  standard != NULL ? pqs_standard_get_title (standard)
                                                   : _("Standard"));
      adw_window_title_set_subtitle (self->window_title,
                                     standard != NULL
                                     ? pqs_standard_get_owning_unit (standard) : NULL);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Standards"));
      update_stack (self);
    }
}

static void
set_subtitle (PqsStandardsView *self,
              const char       *subtitle)
{
  if (!on_standard_page (self))
    adw_window_title_set_subtitle (self->window_title, subtitle);
}

static const char *
selected_status (PqsStandardsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  return selected < G_N_ELEMENTS (status_filters) ? status_filters[selected] : NULL;
}

static void
update_stack (PqsStandardsView *self)
{
  guint n_standards = self->standards != NULL
                      ? g_list_model_get_n_items (G_LIST_MODEL (self->standards)) : 0;
  gboolean manage = can_manage (self);
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->search_bar), n_standards > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sort_dropdown), self->search_text == NULL);
  if (self->search_text == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->search_spinner), FALSE);
      gtk_spinner_set_spinning (self->search_spinner, FALSE);
    }

  if (self->session == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      set_subtitle (self, NULL);
      return;
    }

  if (self->search_text != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->search));
      gboolean busy = pqs_search_get_busy (self->search);

      gtk_widget_set_visible (GTK_WIDGET (self->search_spinner), busy);
      gtk_spinner_set_spinning (self->search_spinner, busy);

      /* The search runs in the background: what shows (the previous
       * results, or the list) stays until its results arrive. */
      if (busy && n == 0)
        {
          set_subtitle (self, _("Searching…"));
          return;
        }

      if (n > 0)
        gtk_stack_set_visible_child_name (self->stack, "results");
      else
        {
          adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
          adw_status_page_set_title (self->empty_page, _("No Results"));
          adw_status_page_set_description (self->empty_page,
                                           selected_status (self) != NULL
                                           ? _("Try other words, or all statuses.")
                                           : _("Try other words."));
          gtk_stack_set_visible_child_name (self->stack, "empty");
        }

      if (pqs_search_get_truncated (self->search))
        /* Translators: under the title while searching, when more matched */
        subtitle = g_strdup_printf (ngettext ("Best %u result", "Best %u results", n), n);
      else
        /* Translators: under the title while searching */
        subtitle = g_strdup_printf (ngettext ("%u result", "%u results", n), n);
      set_subtitle (self, subtitle);
      return;
    }

  if (n_standards == 0)
    {
      adw_status_page_set_description (self->welcome_page, manage
                                       ? _("A standard is a qualification book: 100 series "
                                           "fundamentals, 200 series systems and 300 series "
                                           "watchstations. Start one, or open a sample to see "
                                           "how a finished book reads.")
                                       : _("Standards appear here when someone adds them."));
      gtk_widget_set_visible (self->welcome_buttons, manage);
      gtk_stack_set_visible_child_name (self->stack, "welcome");
      set_subtitle (self, NULL);
      return;
    }

  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (self->documents));
    g_autofree char *standards = NULL;
    g_autofree char *sections = NULL;

    if (n > 0)
      gtk_stack_set_visible_child_name (self->stack, "documents");
    else
      {
        adw_status_page_set_icon_name (self->empty_page, "accessories-dictionary-symbolic");
        adw_status_page_set_title (self->empty_page, _("No Sections"));
        adw_status_page_set_description (self->empty_page,
                                         selected_status (self) != NULL
                                         ? _("No section you may read has this status.")
                                         : _("No section you may read yet: sections show here "
                                             "once they are approved or shared with you."));
        gtk_stack_set_visible_child_name (self->stack, "empty");
      }

    /* Translators: the first part of "3 standards · 450 sections" */
    standards = g_strdup_printf (ngettext ("%u standard", "%u standards", n_standards),
                                 n_standards);
    /* Translators: the second part of "3 standards · 450 sections" */
    sections = g_strdup_printf (ngettext ("%u section", "%u sections", n), n);
    /* Translators: under the "Standards" title: "3 standards · 450 sections" */
    subtitle = g_strdup_printf (_("%s · %s"), standards, sections);
    set_subtitle (self, subtitle);
  }
}

static void
model_changed_cb (PqsStandardsView *self)
{
  update_stack (self);
}

/* Searching and filtering ----------------------------------------------------------- */

static void
search_changed_cb (PqsStandardsView *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *text = g_strstrip (g_strdup (typed));

  g_clear_pointer (&self->search_text, g_free);
  if (*text != '\0')
    self->search_text = g_steal_pointer (&text);

  /* The model keeps the words only, quoted: nothing typed is FTS syntax. */
  if (self->search != NULL)
    pqs_search_set_text (self->search, self->search_text);
  update_stack (self);
}

static void
stop_search_cb (PqsStandardsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
search_activate_cb (PqsStandardsView *self)
{
  /* Enter opens the best match. */
  if (self->search_text != NULL && self->search != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->search)) > 0)
    results_activate_cb (self, 0);
}

static gboolean
search_key_pressed_cb (PqsStandardsView      *self,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       GtkEventControllerKey *controller)
{
  const char *visible = gtk_stack_get_visible_child_name (self->stack);

  /* Down from the search goes to the list. */
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  if (g_strcmp0 (visible, "results") == 0)
    return gtk_widget_child_focus (GTK_WIDGET (self->results_view), GTK_DIR_TAB_FORWARD);
  if (g_strcmp0 (visible, "documents") == 0)
    return gtk_widget_child_focus (GTK_WIDGET (self->documents_view), GTK_DIR_TAB_FORWARD);
  return FALSE;
}

static void
status_changed_cb (PqsStandardsView *self)
{
  const char *status = selected_status (self);

  if (self->documents != NULL)
    pqs_document_list_set_status (self->documents, status);
  if (self->search != NULL)
    pqs_search_set_status (self->search, status);
  update_stack (self);
}

static void
sort_changed_cb (PqsStandardsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->sort_dropdown);

  if (self->documents != NULL && selected < G_N_ELEMENTS (sorts))
    pqs_document_list_set_sort (self->documents, sorts[selected]);
  update_stack (self);
}

/* Pages ----------------------------------------------------------------------------- */

/**
 * pqs_standards_view_open_standard:
 * @self: a #PqsStandardsView
 * @standard_id: a standard
 *
 * Shows the standard's page; a toast says why when it cannot be read.
 *
 * Returns: %TRUE if the standard is shown
 */
gboolean
pqs_standards_view_open_standard (PqsStandardsView *self,
                                  gint64            standard_id)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), FALSE);

  if (self->session == NULL)
    return FALSE;

  if (!pqs_standard_view_load (self->standard_view, standard_id, &error))
    {
      add_toast (self, error != NULL ? error->message : _("The standard cannot be read."));
      return FALSE;
    }

  gtk_stack_set_visible_child_name (self->pages, "standard");
  update_header (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_back_button));
  return TRUE;
}

/**
 * pqs_standards_view_show_list:
 * @self: a #PqsStandardsView
 *
 * Goes back from a standard's page to the list.
 */
void
pqs_standards_view_show_list (PqsStandardsView *self)
{
  g_return_if_fail (PQS_IS_STANDARDS_VIEW (self));

  gtk_stack_set_visible_child_name (self->pages, "list");
  update_header (self);
}

/**
 * pqs_standards_view_get_standard_view:
 * @self: a #PqsStandardsView
 *
 * Returns: (transfer none): the page of one standard
 */
PqsStandardView *
pqs_standards_view_get_standard_view (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  return self->standard_view;
}

static void
standard_notify_cb (PqsStandardsView *self)
{
  if (on_standard_page (self))
    update_header (self);
}

static void
open_standard_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  pqs_standards_view_open_standard (PQS_STANDARDS_VIEW (widget), g_variant_get_int64 (parameter));
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pqs_standards_view_show_list (PQS_STANDARDS_VIEW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (widget);

  if (on_standard_page (self))
    pqs_standards_view_show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* New standard ---------------------------------------------------------------------- */

static void
new_dialog_destroy_cb (PqsStandardsView *self)
{
  self->new_dialog = NULL;
}

static void
standard_created_cb (PqsStandardsView *self,
                     PqsStandard      *standard)
{
  add_toast (self, _("Standard created"));
  pqs_standards_view_open_standard (self, pqs_standard_get_id (standard));
}

/**
 * pqs_standards_view_open_new_standard:
 * @self: a #PqsStandardsView
 *
 * Opens the "New Standard" dialog, or presents the one already open.
 *
 * Returns: (transfer none) (nullable): the dialog, or %NULL when the
 *   signed-in user may not create standards
 */
PqsNewStandardDialog *
pqs_standards_view_open_new_standard (PqsStandardsView *self)
{
  GtkRoot *root;

  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  if (!can_manage (self))
    return NULL;

  if (self->new_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->new_dialog));
      return self->new_dialog;
    }

  self->new_dialog = pqs_new_standard_dialog_new (self->session);
  g_signal_connect_object (self->new_dialog, "destroy", G_CALLBACK (new_dialog_destroy_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->new_dialog, "created", G_CALLBACK (standard_created_cb), self,
                           G_CONNECT_SWAPPED);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->new_dialog), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->new_dialog), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self->new_dialog));

  return self->new_dialog;
}

/**
 * pqs_standards_view_get_new_standard_dialog:
 * @self: a #PqsStandardsView
 *
 * Returns: (transfer none) (nullable): the open "New Standard" dialog
 */
PqsNewStandardDialog *
pqs_standards_view_get_new_standard_dialog (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  return self->new_dialog;
}

static void
new_standard_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  pqs_standards_view_open_new_standard (PQS_STANDARDS_VIEW (widget));
}

/* The sample standard --------------------------------------------------------------- */

typedef struct
{
  PqsItemKind  kind;
  guint        depth;
  const char  *text;
  const char  *answer;
  const char  *criteria;
} SampleItem;

typedef struct
{
  guint             series;
  guint             number;
  const char       *title;
  const SampleItem *items;    /* NULL: the template's outline */
  guint             n_items;
} SampleSection;

/* Sample content, translated like the interface: a newcomer reads the
 * sample book in their language. */
static const SampleItem lube_oil_items[] = {
  { PQS_ITEM_TEXT, 0,
    N_ ("Trace the system aboard with a qualified watchstander before answering."), NULL, NULL },
  { PQS_ITEM_QUESTION, 0, N_ ("Describe the purpose of the main lubricating oil system."),
    N_ ("Supplies cooled, filtered oil to the reduction gears and the main engine bearings; "
        "carries heat away and keeps the metal surfaces apart."),
    N_ ("Purpose and both functions stated without notes.") },
  { PQS_ITEM_SUB_QUESTION, 1, N_ ("Trace the flow path from the sump to the bearings and back."),
    N_ ("Sump, attached and standby pumps, strainers, coolers, header, bearings and sprays, drains "
        "back to the sump."),
    N_ ("Every component named in order.") },
  { PQS_ITEM_SECOND_LEVEL, 2, N_ ("State the normal header pressure and temperature."),
    N_ ("As posted in the operating procedures for this plant."),
    N_ ("Within the posted ranges.") },
  { PQS_ITEM_SUB_QUESTION, 1, N_ ("Explain what protects the gears when oil pressure is lost."),
    N_ ("The low-pressure alarm, the standby pump's automatic start and the shaft trip at its set "
        "point."),
    N_ ("Alarm, automatic start and trip described.") },
  { PQS_ITEM_QUESTION, 0, N_ ("List the casualties you must be ready to handle on this system."),
    N_ ("Loss of lube oil pressure, high bearing temperature, lube oil fire, water in the oil."),
    N_ ("At least three casualties, with the first action for each.") },
  { PQS_ITEM_SIGNATURE, 0, N_ ("Qualifier's signature and date"), NULL, NULL },
};

static const SampleItem watch_items[] = {
  { PQS_ITEM_QUESTION, 0, N_ ("Describe the duties of the Main Propulsion Assistant on watch."),
    N_ ("Supervises the engineering watch team, keeps the plant within its limits, reports to the "
        "Engineering Officer of the Watch."),
    N_ ("Duties and reporting chain stated correctly.") },
  { PQS_ITEM_SUB_QUESTION, 1, N_ ("Who relieves you, and what do you pass on at the relief?"),
    N_ ("A qualified MPA; plant status, equipment out of service, evolutions in progress, standing "
        "orders."),
    N_ ("A complete turnover described.") },
  { PQS_ITEM_QUESTION, 0, N_ ("Perform a plant walk-through and report its status."),
    N_ ("Reports pressures, temperatures and levels against their normal ranges, and anything "
        "abnormal."),
    N_ ("Observed by the qualifier: every space visited, readings correct.") },
  { PQS_ITEM_SIGNATURE, 0, N_ ("Qualifier's signature and date"), NULL, NULL },
};

static const SampleSection sample_sections[] = {
  { 100, 102, N_ ("Lubrication Fundamentals"), NULL, 0 },
  { 100, 103, N_ ("Heat Transfer Fundamentals"), NULL, 0 },
  { 200, 201, N_ ("Main Lubricating Oil System"), lube_oil_items, G_N_ELEMENTS (lube_oil_items) },
  { 200, 202, N_ ("Main Feed System"), NULL, 0 },
  { 300, 301, N_ ("Main Propulsion Assistant"), watch_items, G_N_ELEMENTS (watch_items) },
};

typedef struct
{
  PqsLibrary  *library;
  PqsUser     *actor;
  gint64       template_ids[3];
  PqsStandard *result;
} Sample;

static gboolean
write_sample_cb (PqsStore  *store,
                 gpointer   data,
                 GError   **error)
{
  Sample *sample = data;
  PqsStandardFields fields = {
    .title = _("Main Propulsion Assistant (Sample)"),
    .owning_unit = _("USS Example (DDG 0)"),
    .classification = PQS_CLASSIFICATION_UNCLASSIFIED,
    .applicability = _("A sample standard to explore PQS Desk. Its sections are drafts: open "
                       "them, change them, submit them for review, or delete the standard."),
    .revision = "1",
  };
  g_autoptr(PqsStandard) standard = NULL;

  standard = pqs_library_create_standard (sample->library, sample->actor, &fields, error);
  if (standard == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sample_sections); i++)
    {
      const SampleSection *section = &sample_sections[i];
      g_autoptr(PqsDocument) document = NULL;
      g_autoptr(GPtrArray) outline = NULL;

      document = pqs_library_create_document (sample->library, sample->actor,
                                              pqs_standard_get_id (standard), section->series,
                                              section->number,
                                              sample->template_ids[section->series / 100 - 1],
                                              _(section->title), error);
      if (document == NULL)
        return FALSE;
      if (section->items == NULL)
        continue;

      outline = pqs_outline_new ();
      for (guint j = 0; j < section->n_items; j++)
        {
          const SampleItem *item = &section->items[j];

          g_ptr_array_add (outline,
                           pqs_outline_item_new (item->kind, item->depth, _(item->text),
                                                 item->answer != NULL ? _(item->answer) : NULL,
                                                 item->criteria != NULL ? _(item->criteria)
                                                                        : NULL));
        }
      pqs_document_set_outline (document, outline);
      if (!pqs_library_save_document (sample->library, sample->actor, document,
                                      _("Sample line items"), PQS_SAVE_DEFAULT, error))
        return FALSE;
    }

  /* Read again: it counts its sections now. */
  sample->result = pqs_library_load_standard (sample->library, pqs_standard_get_id (standard),
                                              error);
  return sample->result != NULL;
}

/**
 * pqs_standards_view_create_sample:
 * @store: a migrated store
 * @actor: who writes it (users and up)
 * @error: return location for a #GError
 *
 * Writes a small sample standard through the model, as @actor, in one
 * transaction: 101 "Precautions" and five sections of every series from
 * the active templates, two of them with real line items.
 *
 * Returns: (transfer full): the sample standard
 */
PqsStandard *
pqs_standards_view_create_sample (PqsStore  *store,
                                  PqsUser   *actor,
                                  GError   **error)
{
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsTemplateList) templates = NULL;
  Sample sample = { 0, };

  g_return_val_if_fail (PQS_IS_STORE (store), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);

  library = pqs_library_new (store);
  templates = pqs_template_list_new (store);
  pqs_template_list_set_active_only (templates, TRUE);
  /* The first active template of each series (system ones come first by
   * series, then name); a series without one gets blank sections. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (templates)); i++)
    {
      g_autoptr(PqsTemplate) template = g_list_model_get_item (G_LIST_MODEL (templates), i);
      int section = pqs_template_get_section (template);

      if (pqs_series_is_valid (section) && sample.template_ids[section / 100 - 1] == 0)
        sample.template_ids[section / 100 - 1] = pqs_template_get_id (template);
    }

  sample.library = library;
  sample.actor = actor;
  if (!pqs_store_transaction (store, write_sample_cb, &sample, error))
    {
      g_clear_object (&sample.result);
      return NULL;
    }
  return sample.result;
}

/**
 * pqs_standards_view_open_sample:
 * @self: a #PqsStandardsView
 * @error: return location for a #GError
 *
 * Writes the sample standard as the signed-in user and opens it.
 *
 * Returns: %TRUE if the sample was written
 */
gboolean
pqs_standards_view_open_sample (PqsStandardsView  *self,
                                GError           **error)
{
  g_autoptr(PqsStandard) standard = NULL;

  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->session == NULL)
    return FALSE;

  standard = pqs_standards_view_create_sample (pqs_session_get_store (self->session),
                                               get_user (self), error);
  if (standard == NULL)
    return FALSE;

  add_toast (self, _("Sample standard added"));
  pqs_standards_view_open_standard (self, pqs_standard_get_id (standard));
  return TRUE;
}

static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!pqs_standards_view_open_sample (self, &error) && error != NULL)
    add_toast (self, error->message);
}

/* Session --------------------------------------------------------------------------- */

/* The one function that says which controls a session may use. */
static void
update_actions (PqsStandardsView *self)
{
  gboolean manage = can_manage (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "standards.new", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "standards.open-sample", manage);
  update_header (self);
}

static void
session_user_notify_cb (PqsStandardsView *self)
{
  update_actions (self);
}

PqsSession *
pqs_standards_view_get_session (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  return self->session;
}

/**
 * pqs_standards_view_set_session:
 * @self: a #PqsStandardsView
 * @session: (nullable): who is signed in
 *
 * Shows what @session's user may read, with the controls they may use. A
 * %NULL session empties the view and closes its dialogs.
 */
void
pqs_standards_view_set_session (PqsStandardsView *self,
                                PqsSession       *session)
{
  g_return_if_fail (PQS_IS_STANDARDS_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->new_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->new_dialog));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  gtk_no_selection_set_model (self->documents_selection, NULL);
  gtk_no_selection_set_model (self->results_selection, NULL);
  g_clear_object (&self->documents);
  g_clear_object (&self->search);
  g_clear_object (&self->standards);
  g_set_object (&self->session, session);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_pointer (&self->search_text, g_free);
  gtk_stack_set_visible_child_name (self->pages, "list");

  if (session != NULL)
    {
      PqsStore *store = pqs_session_get_store (session);
      PqsUser *user = pqs_session_get_user (session);
      guint status = gtk_drop_down_get_selected (self->status_dropdown);
      guint sort = gtk_drop_down_get_selected (self->sort_dropdown);

      self->standards = pqs_standard_list_new (store);
      self->documents = pqs_document_list_new (store);
      pqs_document_list_set_viewer (self->documents, user);
      pqs_document_list_set_status (self->documents,
                                    status < G_N_ELEMENTS (status_filters)
                                    ? status_filters[status] : NULL);
      pqs_document_list_set_sort (self->documents,
                                  sort < G_N_ELEMENTS (sorts) ? sorts[sort]
                                                              : PQS_DOCUMENT_SORT_NUMBER);
      self->search = pqs_search_new (store);
      pqs_search_set_viewer (self->search, user);
      pqs_search_set_status (self->search, pqs_document_list_get_status (self->documents));

      g_signal_connect_object (self->standards, "items-changed", G_CALLBACK (model_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->documents, "items-changed", G_CALLBACK (model_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->search, "items-changed", G_CALLBACK (model_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->search, "notify::busy", G_CALLBACK (model_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (user, "notify::role", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (user, "notify::active", G_CALLBACK (session_user_notify_cb), self,
                               G_CONNECT_SWAPPED);

      gtk_no_selection_set_model (self->documents_selection, G_LIST_MODEL (self->documents));
      gtk_no_selection_set_model (self->results_selection, G_LIST_MODEL (self->search));
    }

  pqs_standard_view_set_session (self->standard_view, session);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * pqs_standards_view_get_documents:
 * @self: a #PqsStandardsView
 *
 * Returns: (transfer none) (nullable): the section documents listed
 */
GListModel *
pqs_standards_view_get_documents (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  return G_LIST_MODEL (self->documents);
}

/**
 * pqs_standards_view_get_results:
 * @self: a #PqsStandardsView
 *
 * Returns: (transfer none) (nullable): the search results listed
 */
GListModel *
pqs_standards_view_get_results (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  return G_LIST_MODEL (self->search);
}

/**
 * pqs_standards_view_get_standards:
 * @self: a #PqsStandardsView
 *
 * Returns: (transfer none) (nullable): the standards of the workstation
 */
GListModel *
pqs_standards_view_get_standards (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), NULL);

  return G_LIST_MODEL (self->standards);
}

gboolean
pqs_standards_view_get_show_back (PqsStandardsView *self)
{
  g_return_val_if_fail (PQS_IS_STANDARDS_VIEW (self), FALSE);

  return self->show_back;
}

/**
 * pqs_standards_view_set_show_back:
 * @self: a #PqsStandardsView
 * @show_back: whether the view is alone in a folded leaflet
 *
 * Shows the back button (main.back) and the window buttons at the start.
 */
void
pqs_standards_view_set_show_back (PqsStandardsView *self,
                                  gboolean          show_back)
{
  g_return_if_fail (PQS_IS_STANDARDS_VIEW (self));

  show_back = !!show_back;
  if (self->show_back == show_back)
    return;

  self->show_back = show_back;
  adw_header_bar_set_show_start_title_buttons (self->header_bar, show_back);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

PqsStandardsView *
pqs_standards_view_new (void)
{
  return g_object_new (PQS_TYPE_STANDARDS_VIEW, NULL);
}

/* GObject --------------------------------------------------------------------------- */

static gboolean
pqs_standards_view_grab_focus (GtkWidget *widget)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (widget);

  if (!on_standard_page (self) && gtk_widget_get_visible (GTK_WIDGET (self->search_bar)))
    return gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return GTK_WIDGET_CLASS (pqs_standards_view_parent_class)->grab_focus (widget);
}

static void
pqs_standards_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (pqs_standards_view_parent_class)->root (widget);

  pqs_standard_view_ensure_style (widget);
}

static void
pqs_standards_view_dispose (GObject *object)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (object);
  GtkWidget *child;

  if (self->new_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->new_dialog));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_user (self->session),
                                          session_user_notify_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_STANDARDS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->documents_selection);
  g_clear_object (&self->results_selection);
  g_clear_object (&self->documents);
  g_clear_object (&self->search);
  g_clear_object (&self->standards);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_standards_view_parent_class)->dispose (object);
}

static void
pqs_standards_view_finalize (GObject *object)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (object);

  g_free (self->search_text);

  G_OBJECT_CLASS (pqs_standards_view_parent_class)->finalize (object);
}

static void
pqs_standards_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (object);

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
pqs_standards_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PqsStandardsView *self = PQS_STANDARDS_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_standards_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_BACK:
      pqs_standards_view_set_show_back (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_standards_view_class_init (PqsStandardsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_standards_view_dispose;
  object_class->finalize = pqs_standards_view_finalize;
  object_class->get_property = pqs_standards_view_get_property;
  object_class->set_property = pqs_standards_view_set_property;
  widget_class->grab_focus = pqs_standards_view_grab_focus;
  widget_class->root = pqs_standards_view_root;

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

  g_type_ensure (PQS_TYPE_STANDARD_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-standards-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsStandardsView, name)
  BIND (back_button);
  BIND (list_back_button);
  BIND (header_bar);
  BIND (window_title);
  BIND (new_button);
  BIND (pages);
  BIND (list_page);
  BIND (search_bar);
  BIND (search_entry);
  BIND (search_spinner);
  BIND (status_dropdown);
  BIND (sort_dropdown);
  BIND (stack);
  BIND (documents_view);
  BIND (results_view);
  BIND (welcome_page);
  BIND (welcome_buttons);
  BIND (empty_page);
  BIND (standard_view);
#undef BIND
  /* Reachable by name (tests, screenshots), not kept. */
  gtk_widget_class_bind_template_child_full (widget_class, "welcome_new_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "sample_button", FALSE, 0);

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, documents_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, results_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, standard_open_document_cb);
  gtk_widget_class_bind_template_callback (widget_class, standard_add_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, standard_notify_cb);

  gtk_widget_class_install_action (widget_class, "standards.new", NULL, new_standard_action);
  gtk_widget_class_install_action (widget_class, "standards.open-sample", NULL,
                                   open_sample_action);
  gtk_widget_class_install_action (widget_class, "standards.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "standards.open-standard", "x",
                                   open_standard_action);
  gtk_widget_class_install_action (widget_class, "standards.show-list", NULL, show_list_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "standards.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "standards.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "standards.show-list", NULL);
}

static GtkListItemFactory *
factory_new (GCallback         setup,
             GCallback         bind,
             PqsStandardsView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  return factory;
}

static void
pqs_standards_view_init (PqsStandardsView *self)
{
  g_autoptr(GtkListItemFactory) documents_factory = NULL;
  g_autoptr(GtkListItemFactory) results_factory = NULL;
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  documents_factory = factory_new (G_CALLBACK (setup_document_cb),
                                   G_CALLBACK (bind_document_cb), self);
  results_factory = factory_new (G_CALLBACK (setup_result_cb), G_CALLBACK (bind_result_cb), self);
  self->documents_selection = gtk_no_selection_new (NULL);
  self->results_selection = gtk_no_selection_new (NULL);
  gtk_list_view_set_factory (self->documents_view, documents_factory);
  gtk_list_view_set_model (self->documents_view, GTK_SELECTION_MODEL (self->documents_selection));
  gtk_list_view_set_factory (self->results_view, results_factory);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->results_selection));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  /* Typing in the list searches; on a standard's page it does not. */
  gtk_search_bar_set_key_capture_widget (self->search_bar, self->list_page);
  /* Search as you type, once the typing pauses. */
  gtk_search_entry_set_search_delay (self->search_entry, 150);

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (search_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);

  update_actions (self);
}
