/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <adwaita.h>

#include "pqs-demo-seeder.h"
#include "pqs-document.h"
#include "pqs-document-list.h"
#include "pqs-document-summary.h"
#include "pqs-library.h"
#include "pqs-new-section-dialog.h"
#include "pqs-new-standard-dialog.h"
#include "pqs-search-result.h"
#include "pqs-search.h"
#include "pqs-section-row.h"
#include "pqs-session.h"
#include "pqs-standard-list.h"
#include "pqs-standard-view.h"
#include "pqs-standards-view.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"

/* The Standards view on a temporary database: the list of section
 * documents under a band per standard, "New Standard" writing a standard
 * and its 101, a standard's page with its series and "Add Section" (the
 * next free number proposed, the range enforced as it is typed), search
 * as you type with snippets over demo data, the status filter, the sample
 * standard that fills an empty database, and a visitor who may create
 * nothing. Each step is checked in what the view shows and in what the
 * database holds. */

typedef struct
{
  char             *tmpdir;
  PqsStore         *store;
  PqsSession       *session;
  GtkWindow        *window;
  PqsStandardsView *view;
  guint             n_toasts;
  char             *last_toast;
  gint64            opened_id;
  guint             n_opened;
} Fixture;

/* Runs the main loop (frames, the search delay) until @cond holds. */
static void
wait_until (PqsUiTestCondition cond,
            gpointer           data)
{
  g_assert_true (pqs_ui_test_wait_until (cond, data, 5000));
  pqs_ui_test_drain ();
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_ui_test_query_int (fixture->store, sql);
}

static PqsStandard *
add_standard (Fixture           *fixture,
              const char        *username,
              const char        *title,
              PqsClassification  classification)
{
  g_autoptr(PqsLibrary) library = pqs_library_new (fixture->store);
  g_autoptr(PqsUser) actor = pqs_ui_test_lookup_user (fixture->store, username);
  g_autoptr(GError) error = NULL;
  PqsStandardFields fields = { title, "USS Test (DDG 1)", classification, NULL, "1", NULL };
  PqsStandard *standard;

  standard = pqs_library_create_standard (library, actor, &fields, &error);
  g_assert_no_error (error);
  return standard;
}

static void
open_document_cb (PqsStandardsView *view,
                  gint64            id,
                  Fixture          *fixture)
{
  fixture->opened_id = id;
  fixture->n_opened++;
}

static void
show_view (Fixture    *fixture,
           const char *username)
{
  g_clear_object (&fixture->session);
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->view = g_object_ref (pqs_standards_view_new ());
  pqs_ui_test_watch_toasts (fixture->view, &fixture->n_toasts, &fixture->last_toast);
  g_signal_connect (fixture->view, "open-document", G_CALLBACK (open_document_cb), fixture);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->view), 900, 700);
  pqs_standards_view_set_session (fixture->view, fixture->session);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  PqsStore *store;
  g_autoptr(PqsUser) admin = NULL;

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-standards-view-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  store = fixture->store;
  admin = pqs_ui_test_add_user (store, NULL, "admin", "Ada Admin", NULL, PQS_ROLE_ADMIN);
  g_object_unref (pqs_ui_test_add_user (store, admin, "uma", "Uma User", NULL, PQS_ROLE_USER));
  g_object_unref (pqs_ui_test_add_user (store, admin, "sam", "Sam Supervisor", NULL,
                                        PQS_ROLE_SUPERVISOR));
  g_object_unref (pqs_ui_test_add_user (store, admin, "vic", "Vic Visitor", NULL,
                                        PQS_ROLE_VISITOR));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    pqs_ui_test_close_window (fixture->window, fixture->view);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
  g_free (fixture->last_toast);
}

/* Looking into the widgets -------------------------------------------------------------- */

static gpointer
view_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->view, PQS_TYPE_STANDARDS_VIEW, name);
}

static gpointer
standard_child (Fixture    *fixture,
                const char *name)
{
  PqsStandardView *page = pqs_standards_view_get_standard_view (fixture->view);

  return pqs_ui_test_template_child (page, PQS_TYPE_STANDARD_VIEW, name);
}

static gpointer
dialog_child (gpointer    dialog,
              GType       type,
              const char *name)
{
  return pqs_ui_test_template_child (dialog, type, name);
}

static const char *
visible_child (Fixture    *fixture,
               const char *stack)
{
  return gtk_stack_get_visible_child_name (view_child (fixture, stack));
}

static const char *
subtitle (Fixture *fixture)
{
  return adw_window_title_get_subtitle (view_child (fixture, "window_title"));
}

static const char *
widget_text (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : NULL;
}

/* The parts of a search result's snippet shown in bold, joined with "|". */
static char *
dup_bold_text (PqsSectionRow *row)
{
  const char *text = pqs_section_row_get_subtitle (row);
  PangoAttrList *attributes = pqs_section_row_get_subtitle_attributes (row);
  g_autoptr(GString) bold = g_string_new (NULL);
  GSList *list;

  g_assert_nonnull (text);
  if (attributes == NULL)
    return g_string_free (g_steal_pointer (&bold), FALSE);
  list = pango_attr_list_get_attributes (attributes);
  for (GSList *l = list; l != NULL; l = l->next)
    {
      PangoAttribute *attribute = l->data;

      if (attribute->klass->type == PANGO_ATTR_WEIGHT &&
          ((PangoAttrInt *) attribute)->value >= PANGO_WEIGHT_BOLD)
        {
          if (bold->len > 0)
            g_string_append_c (bold, '|');
          g_string_append_len (bold, text + attribute->start_index,
                               MIN (attribute->end_index, strlen (text)) - attribute->start_index);
        }
    }
  g_slist_free_full (list, (GDestroyNotify) pango_attribute_destroy);
  return g_string_free (g_steal_pointer (&bold), FALSE);
}

/* A section row draws its number, title and subtitle (and a result's line
 * above the title). */
static gboolean
row_shows (GtkWidget  *widget,
           const char *text)
{
  return PQS_IS_SECTION_ROW (widget) &&
         (g_strcmp0 (pqs_section_row_get_number (PQS_SECTION_ROW (widget)), text) == 0 ||
          g_strcmp0 (pqs_section_row_get_overline (PQS_SECTION_ROW (widget)), text) == 0 ||
          g_strcmp0 (pqs_section_row_get_title (PQS_SECTION_ROW (widget)), text) == 0 ||
          g_strcmp0 (pqs_section_row_get_subtitle (PQS_SECTION_ROW (widget)), text) == 0);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (g_strcmp0 (widget_text (widget), text) == 0 || row_shows (widget, text))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_labels (GtkWidget  *widget,
              const char *text)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget))
    return 0;
  if (g_strcmp0 (widget_text (widget), text) == 0 || row_shows (widget, text))
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child, text);
  return n;
}

/* Waits for the list to lay out a row showing @text. */
static GtkWidget *
wait_for_label (gpointer    widget,
                const char *text)
{
  g_assert_nonnull (pqs_ui_test_wait_for_label (widget, text, find_label, 5000));
  pqs_ui_test_drain ();
  return find_label (widget, text);
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static gboolean
search_done_cb (gpointer data)
{
  Fixture *fixture = data;
  GListModel *results = pqs_standards_view_get_results (fixture->view);

  return results == NULL || !pqs_search_get_busy (PQS_SEARCH (results));
}

/* Without waiting for the entry's typing delay; then until the search,
 * which runs in a thread, has delivered its results. */
static void
search (Fixture    *fixture,
        const char *text)
{
  GtkWidget *entry = view_child (fixture, "search_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  wait_until (search_done_cb, fixture);
}

static gboolean
searching_cb (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (visible_child (fixture, "stack"), "results") == 0;
}

/* Returns the ids of the documents with the rare word. */
static GArray *
seed_demo (Fixture *fixture,
           guint    documents)
{
  g_autoptr(PqsDemoSeeder) seeder = pqs_demo_seeder_new (fixture->store);
  g_autoptr(GError) error = NULL;

  pqs_demo_seeder_set_documents (seeder, documents);
  pqs_demo_seeder_set_password (seeder, "demo password for tests");
  pqs_demo_seeder_set_reference_time (seeder, pqs_test_clock_now () / G_USEC_PER_SEC);
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  return g_array_ref (pqs_demo_seeder_get_rare_document_ids (seeder));
}

/* A section whose line items, and only they, hold @word. */
static gint64
add_section_with_item (Fixture    *fixture,
                       const char *word)
{
  g_autoptr(PqsStandard) standard = add_standard (fixture, "admin", "Quartermaster of the Watch",
                                                  PQS_CLASSIFICATION_UNCLASSIFIED);
  g_autoptr(PqsLibrary) library = pqs_library_new (fixture->store);
  g_autoptr(PqsUser) admin = pqs_ui_test_lookup_user (fixture->store, "admin");
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GPtrArray) outline = pqs_outline_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *question = g_strdup_printf ("Explain how the %s is read and logged.", word);

  document = pqs_library_create_document (library, admin, pqs_standard_get_id (standard), 200,
                                          0, 0, "Navigation Instruments", &error);
  g_assert_no_error (error);
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, question,
                                                  "Every hour, in the deck log.", NULL));
  pqs_document_set_outline (document, outline);
  pqs_library_save_document (library, admin, document, NULL, PQS_SAVE_DEFAULT, &error);
  g_assert_no_error (error);
  return pqs_document_get_id (document);
}

/* The row of the @index-th search result shown. */
static PqsSectionRow *
result_row (GtkWidget *results_view,
            guint      index)
{
  guint i = 0;

  /* list item widget > section row */
  for (GtkWidget *w = gtk_widget_get_first_child (results_view); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *row = gtk_widget_get_first_child (w);

      if (row == NULL || !PQS_IS_SECTION_ROW (row) || !gtk_widget_get_child_visible (w))
        continue;
      if (i++ == index)
        return PQS_SECTION_ROW (row);
    }
  return NULL;
}

/* Tests ---------------------------------------------------------------------------------- */

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(PqsStandard) alpha = add_standard (fixture, "uma", "Alpha Watchstander",
                                               PQS_CLASSIFICATION_CONFIDENTIAL);
  g_autoptr(PqsStandard) bravo = add_standard (fixture, "uma", "Bravo Engineer",
                                               PQS_CLASSIFICATION_UNCLASSIFIED);
  GtkWidget *documents_view;
  GtkWidget *band_title;
  GtkWidget *band;
  g_autoptr(PqsDocumentSummary) first = NULL;
  GListModel *sections;
  g_autofree char *sql = NULL;

  show_view (fixture, "admin");

  /* The standards from the library, each under its band, with its 101. */
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standards_view_get_standards (fixture->view)),
                    ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standards_view_get_documents (fixture->view)),
                    ==, 2);
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "documents");
  g_assert_cmpstr (subtitle (fixture), ==, "2 standards · 2 sections");
  documents_view = view_child (fixture, "documents_view");
  band_title = wait_for_label (documents_view, "Alpha Watchstander");
  g_assert_nonnull (wait_for_label (documents_view, "Bravo Engineer"));
  g_assert_cmpuint (count_labels (documents_view, "Precautions"), ==, 2);
  g_assert_cmpuint (count_labels (documents_view, "101"), ==, 2);
  g_assert_nonnull (find_label (documents_view, "CONFIDENTIAL"));
  g_assert_nonnull (find_label (documents_view, "UNCLASSIFIED"));
  g_assert_cmpuint (count_labels (documents_view, "Draft"), ==, 2);

  /* The New Standard button is there for a user who may create one. */
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "new_button")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "list_back_button")));

  /* A row opens its document in the editor (the window's part). */
  first = g_list_model_get_item (pqs_standards_view_get_documents (fixture->view), 0);
  g_signal_emit_by_name (documents_view, "activate", 0);
  g_assert_cmpuint (fixture->n_opened, ==, 1);
  g_assert_cmpint (fixture->opened_id, ==, pqs_document_summary_get_id (first));
  sql = g_strdup_printf ("SELECT document_number FROM documents WHERE id = %" G_GINT64_FORMAT,
                         fixture->opened_id);
  g_assert_cmpint (query_int (fixture, sql), ==, 101);

  /* The band opens the standard's page: marking, title, its sections. */
  band = gtk_widget_get_ancestor (band_title, GTK_TYPE_BUTTON);
  g_assert_nonnull (band);
  pqs_ui_test_click (band);
  g_assert_cmpstr (visible_child (fixture, "pages"), ==, "standard");
  g_assert_cmpstr (adw_window_title_get_title (view_child (fixture, "window_title")), ==,
                   "Alpha Watchstander");
  g_assert_cmpstr (gtk_label_get_text (standard_child (fixture, "marking_label")), ==,
                   "CONFIDENTIAL");
  g_assert_true (gtk_widget_get_visible (standard_child (fixture, "marking_label")));
  g_assert_true (gtk_widget_has_css_class (standard_child (fixture, "marking_label"),
                                           "confidential"));
  g_assert_cmpstr (gtk_label_get_text (standard_child (fixture, "progress_label")), ==,
                   "0 of 1 section approved");
  sections = pqs_standard_view_get_sections (pqs_standards_view_get_standard_view (fixture->view),
                                             100);
  g_assert_cmpuint (g_list_model_get_n_items (sections), ==, 1);
  g_assert_nonnull (find_label (standard_child (fixture, "list_100"), "101"));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "list_back_button")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "new_button")));

  /* Activating a section opens it too. */
  g_signal_emit_by_name (standard_child (fixture, "list_100"), "row-activated",
                         gtk_list_box_get_row_at_index (standard_child (fixture, "list_100"), 0));
  g_assert_cmpuint (fixture->n_opened, ==, 2);

  /* And back to the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "standards.show-list",
                                             NULL));
  g_assert_cmpstr (visible_child (fixture, "pages"), ==, "list");
  g_assert_cmpstr (adw_window_title_get_title (view_child (fixture, "window_title")), ==,
                   "Standards");

  /* Another sort: no bands, the standard in each row. */
  gtk_drop_down_set_selected (view_child (fixture, "sort_dropdown"), 2);
  pqs_ui_test_drain ();
  g_assert_null (find_label (documents_view, "CONFIDENTIAL"));
  (void) bravo;
}

static void
test_new_standard (Fixture       *fixture,
                   gconstpointer  data)
{
  PqsNewStandardDialog *dialog;
  GtkWidget *create;
  GtkTextBuffer *buffer;
  gpointer weak;

  show_view (fixture, "uma");

  /* An empty database: the first empty state, with both offers. */
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "welcome");
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "welcome_buttons")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "search_bar")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "standards.new", NULL));
  dialog = pqs_standards_view_get_new_standard_dialog (fixture->view);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == fixture->window);
  create = dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG, "create_button");

  /* No title, no standard. */
  g_assert_false (gtk_widget_get_sensitive (create));
  gtk_editable_set_text (dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG, "title_row"), "   ");
  g_assert_false (gtk_widget_get_sensitive (create));

  gtk_editable_set_text (dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG, "title_row"),
                         "Main Propulsion Assistant");
  gtk_editable_set_text (dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG, "unit_row"),
                         "USS Example");
  gtk_editable_set_text (dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG, "revision_row"),
                         "2");
  adw_combo_row_set_selected (dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG,
                                            "classification_row"),
                              PQS_CLASSIFICATION_SECRET);
  buffer = gtk_text_view_get_buffer (dialog_child (dialog, PQS_TYPE_NEW_STANDARD_DIALOG,
                                                   "applicability_view"));
  gtk_text_buffer_set_text (buffer, "Engineering watchstanders.", -1);

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  pqs_ui_test_click (create);
  g_assert_null (weak);
  g_assert_null (pqs_standards_view_get_new_standard_dialog (fixture->view));

  /* What it wrote: the standard and its 101 "Precautions". */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM standards"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM standards WHERE "
                                       "title = 'Main Propulsion Assistant' AND "
                                       "owning_unit = 'USS Example' AND revision = '2' AND "
                                       "classification = 'secret' AND "
                                       "applicability = 'Engineering watchstanders.' AND "
                                       "created_by = (SELECT id FROM users "
                                       "WHERE username = 'uma')"),
                   ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents WHERE "
                                       "document_number = 101 AND section = 100 AND "
                                       "standard_id = (SELECT id FROM standards)"), ==, 1);

  /* The new standard opens with its 101. */
  g_assert_cmpstr (fixture->last_toast, ==, "Standard created");
  g_assert_cmpstr (visible_child (fixture, "pages"), ==, "standard");
  g_assert_cmpstr (gtk_label_get_text (standard_child (fixture, "marking_label")), ==, "SECRET");
  g_assert_nonnull (find_label (standard_child (fixture, "list_100"), "101"));

  /* Back in the list, the welcome has gone. */
  pqs_standards_view_show_list (fixture->view);
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "documents");
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "search_bar")));
}

static void
test_add_section (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(PqsStandard) standard = add_standard (fixture, "uma", "Alpha Watchstander",
                                                  PQS_CLASSIFICATION_RESTRICTED);
  PqsStandardView *page;
  PqsNewSectionDialog *dialog;
  GtkWidget *number;
  GtkWidget *error_label;
  GtkWidget *add;
  g_autofree char *sql = NULL;
  gpointer weak;

  show_view (fixture, "uma");
  g_assert_true (pqs_standards_view_open_standard (fixture->view, pqs_standard_get_id (standard)));
  page = pqs_standards_view_get_standard_view (fixture->view);
  g_assert_true (gtk_widget_get_visible (standard_child (fixture, "add_200_button")));
  g_assert_true (gtk_widget_is_sensitive (standard_child (fixture, "add_200_button")));

  /* The 200 series is empty: 201 is proposed, with its template. */
  g_assert_true (gtk_widget_activate_action (standard_child (fixture, "add_200_button"),
                                             "standard.add-section", "u", 200));
  dialog = pqs_standard_view_get_section_dialog (page);
  g_assert_nonnull (dialog);
  g_assert_cmpuint (pqs_new_section_dialog_get_proposed_number (dialog), ==, 201);
  number = dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "number_row");
  error_label = dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "number_error_label");
  add = dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "add_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (number)), ==, "201");
  g_assert_true (pqs_new_section_dialog_get_number_valid (dialog));
  g_assert_cmpint (pqs_new_section_dialog_get_template_id (dialog), >, 0);
  g_assert_cmpstr (gtk_editable_get_text (dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG,
                                                        "title_row")), ==, "System section");
  g_assert_false (gtk_widget_get_visible (error_label));

  /* Out of the series: refused inline, as it is typed. */
  gtk_editable_set_text (GTK_EDITABLE (number), "305");
  g_assert_false (pqs_new_section_dialog_get_number_valid (dialog));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "A 200 series section is numbered from 201 to 299.");
  g_assert_true (gtk_widget_has_css_class (number, "error"));
  g_assert_false (gtk_widget_get_sensitive (add));
  g_assert_false (pqs_new_section_dialog_add (dialog));

  gtk_editable_set_text (GTK_EDITABLE (number), "2a1");
  g_assert_false (pqs_new_section_dialog_get_number_valid (dialog));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "Use digits only: a number from 201 to 299.");
  gtk_editable_set_text (GTK_EDITABLE (number), "200");
  g_assert_false (gtk_widget_get_sensitive (add));
  gtk_editable_set_text (GTK_EDITABLE (number), "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "Enter the section number.");

  /* A number of the series is taken: it writes. */
  gtk_editable_set_text (GTK_EDITABLE (number), "250");
  g_assert_true (pqs_new_section_dialog_get_number_valid (dialog));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (number, "error"));
  gtk_editable_set_text (dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "title_row"),
                         "Main Feed System");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  pqs_ui_test_click (add);
  g_assert_null (weak);

  sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE standard_id = %" G_GINT64_FORMAT
                         " AND section = 200 AND document_number = 250 AND "
                         "title = 'Main Feed System' AND template_id IS NOT NULL",
                         pqs_standard_get_id (standard));
  g_assert_cmpint (query_int (fixture, sql), ==, 1);
  g_assert_cmpstr (fixture->last_toast, ==, "Section 250 added");
  /* The new section opens in the editor. */
  g_assert_cmpuint (fixture->n_opened, ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT document_number FROM documents WHERE id = %" G_GINT64_FORMAT,
                         fixture->opened_id);
  g_assert_cmpint (query_int (fixture, sql), ==, 250);
  pqs_ui_test_drain ();
  g_assert_nonnull (find_label (standard_child (fixture, "list_200"), "Main Feed System"));

  /* Next time, the number after the highest one. */
  dialog = pqs_standard_view_add_section (page, 200);
  g_assert_cmpuint (pqs_new_section_dialog_get_proposed_number (dialog), ==, 251);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* In the 100 series: 102, since 101 is Precautions. A taken number is
   * in range but refused by the model, under the field. */
  dialog = pqs_standard_view_add_section (page, 100);
  g_assert_cmpuint (pqs_new_section_dialog_get_proposed_number (dialog), ==, 102);
  number = dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "number_row");
  error_label = dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "number_error_label");
  gtk_editable_set_text (GTK_EDITABLE (number), "101");
  g_assert_true (pqs_new_section_dialog_get_number_valid (dialog));
  g_assert_false (pqs_new_section_dialog_add (dialog));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Precautions"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents"), ==, 2);

  /* A blank section: the model names it. */
  adw_combo_row_set_selected (dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "template_row"),
                              g_list_model_get_n_items (adw_combo_row_get_model (
                                dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG,
                                              "template_row"))) - 1);
  g_assert_cmpint (pqs_new_section_dialog_get_template_id (dialog), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (number), "110");
  g_assert_true (pqs_new_section_dialog_add (dialog));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents WHERE "
                                       "document_number = 110 AND template_id IS NULL"), ==, 1);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GArray) rare_ids = seed_demo (fixture, 300);
  gint64 item_document = add_section_with_item (fixture, "bathythermograph");
  GtkWidget *results_view;
  GtkWidget *entry;
  PqsSectionRow *row;
  char *bold = NULL;
  g_autoptr(PqsSearchResult) result = NULL;
  g_autoptr(PqsSearchResult) item_result = NULL;
  g_autofree char *prefix = NULL;
  GListModel *results;

  show_view (fixture, "admin");
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "documents");
  results = pqs_standards_view_get_results (fixture->view);
  entry = view_child (fixture, "search_entry");
  results_view = view_child (fixture, "results_view");

  /* Typing searches once the typing pauses, not at each key: half a word
   * is matched as a prefix. */
  g_assert_cmpuint (gtk_search_entry_get_search_delay (GTK_SEARCH_ENTRY (entry)), ==, 150);
  gtk_editable_set_text (GTK_EDITABLE (entry), "bathythermo");
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "documents");
  wait_until (searching_cb, fixture);

  /* A word of a line item finds its document, the snippet taken from the
   * item with the hit in bold. */
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  item_result = g_list_model_get_item (results, 0);
  g_assert_cmpint (pqs_search_result_get_document_id (item_result), ==, item_document);
  g_assert_cmpint (pqs_search_result_get_item_id (item_result), >, 0);
  g_assert_cmpstr (subtitle (fixture), ==, "1 result");
  wait_for_label (results_view, "Navigation Instruments");
  g_assert_nonnull (find_label (results_view, "Quartermaster of the Watch · 201"));
  row = result_row (results_view, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (pqs_section_row_get_title (row), ==, "Navigation Instruments");
  bold = dup_bold_text (row);
  g_assert_cmpstr (bold, ==, "bathythermograph");
  g_clear_pointer (&bold, g_free);
  g_assert_nonnull (strstr (pqs_section_row_get_subtitle (row),
                            "Explain how the bathythermograph is read"));

  g_assert_false (gtk_widget_get_visible (view_child (fixture, "search_spinner")));

  /* The search runs in the background: the results shown stay, with a
   * spinner, until the new ones arrive; only the newest query's do. */
  {
    int position = -1;
    guint n_changes = 0;

    g_signal_connect_swapped (results, "items-changed", G_CALLBACK (count_cb), &n_changes);
    /* Typed on (no replacing, which empties the entry first): a word that
     * finds nothing, superseded before it could say so. */
    gtk_editable_insert_text (GTK_EDITABLE (entry), "zz", -1, &position);
    g_signal_emit_by_name (entry, "search-changed");
    gtk_editable_delete_text (GTK_EDITABLE (entry), strlen ("bathythermo"), -1);
    position = -1;
    gtk_editable_insert_text (GTK_EDITABLE (entry), "graph", -1, &position);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "bathythermograph");
    g_signal_emit_by_name (entry, "search-changed");
    g_assert_true (pqs_search_get_busy (PQS_SEARCH (results)));
    g_assert_true (gtk_widget_get_visible (view_child (fixture, "search_spinner")));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (view_child (fixture, "search_spinner")), ==,
                     "Searching…");
    g_assert_cmpstr (visible_child (fixture, "stack"), ==, "results");
    g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
    wait_until (search_done_cb, fixture);
    g_assert_cmpuint (n_changes, ==, 1);
    g_signal_handlers_disconnect_by_func (results, count_cb, &n_changes);
  }
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "search_spinner")));
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "results");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 1);
  g_assert_cmpstr (subtitle (fixture), ==, "1 result");

  /* Enter opens the best match. */
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpuint (fixture->n_opened, ==, 1);
  g_assert_cmpint (fixture->opened_id, ==, item_document);

  /* The seeder's rare word: the documents that have it, and only them. */
  prefix = g_strndup (PQS_DEMO_SEEDER_RARE_WORD, 5);
  search (fixture, prefix);
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, rare_ids->len);
  g_assert_cmpuint (rare_ids->len, >, 0);
  result = g_list_model_get_item (results, 0);
  g_assert_cmpint (pqs_search_result_get_document_id (result), ==,
                   g_array_index (rare_ids, gint64, 0));
  wait_for_label (results_view, pqs_search_result_get_title (result));
  row = result_row (results_view, 0);
  g_assert_nonnull (row);
  bold = dup_bold_text (row);
  g_assert_nonnull (strstr (bold, PQS_DEMO_SEEDER_RARE_WORD));
  g_clear_pointer (&bold, g_free);

  /* Nothing typed is query syntax: no error, no warning, just no result. */
  search (fixture, "\"xylo* AND (NEAR OR ^ -col:\"");
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (view_child (fixture, "empty_page")), ==,
                   "No Results");
  search (fixture, "zzzqqq");
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (view_child (fixture, "sort_dropdown")));

  /* Clearing the search shows the list again. */
  search (fixture, "");
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "documents");
  g_assert_true (gtk_widget_get_sensitive (view_child (fixture, "sort_dropdown")));
}

static void
test_status_filter (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GArray) rare_ids = seed_demo (fixture, 300);
  GListModel *documents;
  GListModel *results;
  GtkWidget *documents_view;
  gint64 n_approved;
  gint64 n_draft;

  show_view (fixture, "admin");
  documents = pqs_standards_view_get_documents (fixture->view);
  documents_view = view_child (fixture, "documents_view");

  g_assert_cmpint (g_list_model_get_n_items (documents), ==,
                   query_int (fixture, "SELECT count(*) FROM documents"));
  n_approved = query_int (fixture, "SELECT count(*) FROM documents WHERE status = 'approved'");
  n_draft = query_int (fixture, "SELECT count(*) FROM documents WHERE status = 'draft'");
  g_assert_cmpint (n_approved, >, 0);
  g_assert_cmpint (n_approved, <, 300);

  gtk_drop_down_set_selected (view_child (fixture, "status_dropdown"), 3);
  pqs_ui_test_drain ();
  g_assert_cmpint (g_list_model_get_n_items (documents), ==, n_approved);
  wait_for_label (documents_view, "Approved");
  g_assert_null (find_label (documents_view, "Draft"));
  g_assert_null (find_label (documents_view, "In Review"));

  gtk_drop_down_set_selected (view_child (fixture, "status_dropdown"), 1);
  pqs_ui_test_drain ();
  g_assert_cmpint (g_list_model_get_n_items (documents), ==, n_draft);
  wait_for_label (documents_view, "Draft");
  g_assert_null (find_label (documents_view, "Approved"));

  /* The filter applies to the search too. */
  search (fixture, PQS_DEMO_SEEDER_RARE_WORD);
  results = pqs_standards_view_get_results (fixture->view);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(PqsSearchResult) result = g_list_model_get_item (results, i);

      g_assert_cmpstr (pqs_search_result_get_status (result), ==, "draft");
    }

  gtk_drop_down_set_selected (view_child (fixture, "status_dropdown"), 0);
  search (fixture, "");
  g_assert_cmpint (g_list_model_get_n_items (documents), ==, 300);
}

static void
test_sample (Fixture       *fixture,
             gconstpointer  data)
{
  PqsStandardView *page;

  show_view (fixture, "uma");
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "welcome");
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "sample_button")));

  pqs_ui_test_click (view_child (fixture, "sample_button"));

  /* A small real book, written as the signed-in user. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM standards"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents"), ==, 6);
  g_assert_cmpint (query_int (fixture, "SELECT count(DISTINCT section) FROM documents"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents WHERE created_by <> "
                                       "(SELECT id FROM users WHERE username = 'uma')"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_items AS i "
                                       "JOIN documents AS d ON d.id = i.document_id "
                                       "WHERE d.document_number = 201"), ==, 7);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_items"), >, 20);

  g_assert_cmpstr (fixture->last_toast, ==, "Sample standard added");
  g_assert_cmpstr (visible_child (fixture, "pages"), ==, "standard");
  page = pqs_standards_view_get_standard_view (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standard_view_get_sections (page, 100)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standard_view_get_sections (page, 200)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (pqs_standard_view_get_sections (page, 300)), ==, 1);
  g_assert_nonnull (find_label (standard_child (fixture, "list_200"), "201"));
  g_assert_cmpstr (gtk_label_get_text (standard_child (fixture, "marking_label")), ==,
                   "UNCLASSIFIED");

  pqs_standards_view_show_list (fixture->view);
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "documents");
  g_assert_cmpstr (subtitle (fixture), ==, "1 standard · 6 sections");
}

static void
test_visitor (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PqsStandard) standard = NULL;

  show_view (fixture, "vic");

  /* Nothing to offer on an empty database. */
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "welcome");
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "welcome_buttons")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "new_button")));
  /* The actions are disabled: Ctrl+N and the sample do nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "standards.new", NULL);
  pqs_ui_test_drain ();
  g_assert_null (pqs_standards_view_get_new_standard_dialog (fixture->view));
  g_assert_null (pqs_standards_view_open_new_standard (fixture->view));
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "standards.open-sample", NULL);
  pqs_ui_test_drain ();
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM standards"), ==, 0);

  /* A standard whose only section is a draft: nothing to read yet, and
   * still no New Standard nor Add Section. */
  standard = add_standard (fixture, "uma", "Alpha Watchstander", PQS_CLASSIFICATION_SECRET);
  pqs_ui_test_drain ();
  g_assert_cmpstr (visible_child (fixture, "stack"), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (view_child (fixture, "empty_page")), ==,
                   "No Sections");
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "new_button")));
  g_assert_true (pqs_standards_view_open_standard (fixture->view, pqs_standard_get_id (standard)));
  g_assert_false (gtk_widget_get_visible (standard_child (fixture, "add_100_button")));
  g_assert_false (gtk_widget_get_visible (standard_child (fixture, "add_300_button")));
  g_assert_cmpstr (gtk_label_get_text (standard_child (fixture, "marking_label")), ==, "SECRET");
}

/* Screenshots and the measurement -------------------------------------------------------------- */

static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  int width = 900, height = 700;
  const char *user = "admin";

  fixture_set_up (&fixture, NULL);
  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "dark"))
        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            ADW_COLOR_SCHEME_FORCE_DARK);
      else if (g_str_has_prefix (parts[i], "seed="))
        g_array_unref (seed_demo (&fixture, atoi (parts[i] + strlen ("seed="))));
      else if (g_str_has_prefix (parts[i], "user="))
        user = parts[i] + strlen ("user=");
    }

  show_view (&fixture, user);
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "Standards");

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "search="))
        search (&fixture, parts[i] + strlen ("search="));
      else if (g_str_equal (parts[i], "sample"))
        pqs_standards_view_open_sample (fixture.view, NULL);
      else if (g_str_has_prefix (parts[i], "standard="))
        pqs_standards_view_open_standard (fixture.view, atoi (parts[i] + strlen ("standard=")));
      else if (g_str_equal (parts[i], "new"))
        pqs_standards_view_open_new_standard (fixture.view);
      else if (g_str_has_prefix (parts[i], "status="))
        gtk_drop_down_set_selected (view_child (&fixture, "status_dropdown"),
                                    atoi (parts[i] + strlen ("status=")));
      else if (g_str_has_prefix (parts[i], "add="))
        {
          PqsNewSectionDialog *dialog =
            pqs_standard_view_add_section (pqs_standards_view_get_standard_view (fixture.view),
                                           atoi (parts[i] + strlen ("add=")));
          gtk_editable_set_text (dialog_child (dialog, PQS_TYPE_NEW_SECTION_DIALOG, "number_row"),
                                 "312");
        }
    }

  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* CPU time of the calling thread, in microseconds: the machine may be busy
 * with other work, and this is what the main loop itself spends. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct
{
  gint64   start;
  GArray  *frames;    /* double, ms of main thread CPU per frame */
  gboolean painted;
} Frames;

static void
before_paint_cb (GdkFrameClock *clock,
                 Frames        *frames)
{
  frames->start = thread_cpu_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Frames        *frames)
{
  double ms = (thread_cpu_time () - frames->start) / 1000.0;

  g_array_append_val (frames->frames, ms);
  frames->painted = TRUE;
}

static gboolean
painted_cb (gpointer data)
{
  return ((Frames *) data)->painted;
}

static void
print_frames (const char *what,
              GArray     *frames)
{
  guint n = frames->len;

  g_array_sort (frames, compare_doubles);
  g_print ("%s: %u frames, main thread CPU per frame: median %.2f ms, p95 %.2f ms, "
           "max %.2f ms\n", what, n, g_array_index (frames, double, n / 2),
           g_array_index (frames, double, n * 95 / 100), g_array_index (frames, double, n - 1));
  g_array_set_size (frames, 0);
}

/* Opens the view on a big database and reports how long it takes until the
 * first screen of rows is painted, then how much each frame costs while
 * scrolling and searching. Run it outside the test suite:
 * PQS_STANDARDS_VIEW_MEASURE=DB:USER:PASSWORD. */
static int
measure (const char *path,
         const char *username,
         const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = pqs_store_open (path, PQS_STORE_OPEN_EXISTING, &error);
  g_autoptr(PqsSession) session = NULL;
  GtkWindow *window;
  PqsStandardsView *view;
  GtkWidget *documents_view;
  GtkAdjustment *adjustment;
  GdkFrameClock *clock;
  Frames frames = { 0, };
  gint64 wall, cpu, wall_set, cpu_set;

  g_assert_no_error (error);
  session = pqs_session_sign_in (store, username, password, &error);
  g_assert_no_error (error);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 900, 700);
  gtk_window_present (window);
  pqs_ui_test_drain ();

  /* Opening: the view, the session (the models count), the first screen. */
  wall = g_get_monotonic_time ();
  cpu = thread_cpu_time ();
  view = pqs_standards_view_new ();
  gtk_window_set_child (window, GTK_WIDGET (view));
  pqs_standards_view_set_session (view, session);
  wall_set = g_get_monotonic_time ();
  cpu_set = thread_cpu_time ();
  documents_view = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                PQS_TYPE_STANDARDS_VIEW,
                                                                "documents_view");
  wait_for_label (documents_view, "101");
  g_print ("documents: %u, standards: %u\n",
           g_list_model_get_n_items (pqs_standards_view_get_documents (view)),
           g_list_model_get_n_items (pqs_standards_view_get_standards (view)));
  g_print ("open: view + session %.1f ms wall (%.1f ms CPU); first rows shown %.1f ms wall "
           "(%.1f ms CPU)\n", (wall_set - wall) / 1000.0, (cpu_set - cpu) / 1000.0,
           (g_get_monotonic_time () - wall) / 1000.0, (thread_cpu_time () - cpu) / 1000.0);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  frames.frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &frames);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (documents_view));

  /* Scrolling: a quarter of a screen per frame, 400 frames, from the top
   * and from the middle (after a jump there). */
  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          gint64 jump = thread_cpu_time ();

          frames.painted = FALSE;
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
          wait_until (painted_cb, &frames);
          g_print ("jump to the middle: %.1f ms CPU\n", (thread_cpu_time () - jump) / 1000.0);
          g_array_set_size (frames.frames, 0);
        }
      for (guint i = 0; i < 400; i++)
        {
          frames.painted = FALSE;
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                                gtk_adjustment_get_page_size (adjustment) / 4);
          wait_until (painted_cb, &frames);
        }
      print_frames (pass == 0 ? "scrolling from the top" : "scrolling from the middle",
                    frames.frames);
    }

  /* Searching: as the typing pauses, a common and a rare word. */
  {
    GtkWidget *entry = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                    PQS_TYPE_STANDARDS_VIEW,
                                                                    "search_entry");
    const char *words[] = { "pum", "pump", "pump valve", "xyl", "xylophone", "precautions" };

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      {
        gint64 t0 = thread_cpu_time ();

        gtk_editable_set_text (GTK_EDITABLE (entry), words[i]);
        g_signal_emit_by_name (entry, "search-changed");
        while (pqs_search_get_busy (PQS_SEARCH (pqs_standards_view_get_results (view))))
          g_main_context_iteration (NULL, TRUE);
        frames.painted = FALSE;
        wait_until (painted_cb, &frames);
        g_print ("search \"%s\": %u results, %.1f ms CPU until painted\n", words[i],
                 g_list_model_get_n_items (pqs_standards_view_get_results (view)),
                 (thread_cpu_time () - t0) / 1000.0);
        {
          g_autoptr(PqsSearch) search = pqs_search_new (store);
          g_autoptr(GPtrArray) found = NULL;
          gint64 t1;

          pqs_search_set_viewer (search, pqs_session_get_user (session));
          t1 = thread_cpu_time ();
          found = pqs_search_run (search, words[i], 0, PQS_SEARCH_DEFAULT_LIMIT, NULL, NULL);
          g_print ("  the model alone: %.1f ms CPU\n", (thread_cpu_time () - t1) / 1000.0);
        }
      }
  }

  g_signal_handlers_disconnect_by_data (clock, &frames);
  g_array_unref (frames.frames);
  gtk_window_destroy (window);
  pqs_ui_test_drain ();
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

  if (g_getenv ("PQS_STANDARDS_VIEW_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_STANDARDS_VIEW_SHOW"));
  if (g_getenv ("PQS_STANDARDS_VIEW_MEASURE") != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (g_getenv ("PQS_STANDARDS_VIEW_MEASURE"), ":", 3);

      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      return measure (parts[0], parts[1], parts[2]);
    }

#define ADD(path, func) \
  g_test_add ("/standards-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list", test_list);
  ADD ("new-standard", test_new_standard);
  ADD ("add-section", test_add_section);
  ADD ("search", test_search);
  ADD ("status-filter", test_status_filter);
  ADD ("sample", test_sample);
  ADD ("visitor", test_visitor);
#undef ADD

  return pqs_ui_test_run ();
}
