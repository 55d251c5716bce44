/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-outline.h"
#include "pqs-preview-pane.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* The preview pane on a temporary database: the printed edition of a
 * section document drawn with labels — the marking of its standard, the
 * title block, the numbered outline — with the answers and criteria in the
 * qualifier edition only and ruled space in the trainee edition; following
 * the unsaved document as it is edited, rebuilding once per idle and only
 * the rows that changed. */

#define ANSWER   "Forty to fifty pounds per square inch"
#define CRITERIA "States the range within 5 psi"

typedef struct
{
  char           *tmpdir;
  PqsStore       *store;
  PqsLibrary     *library;
  PqsUser        *author;
  PqsUser        *chief;
  PqsStandard    *standard;
  PqsDocument    *document;
  PqsSession     *session;
  GtkWindow      *window;
  PqsPreviewPane *pane;
} Fixture;

static GPtrArray *
sample_outline (void)
{
  GPtrArray *outline = pqs_outline_new ();

  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_TEXT, 0,
                                                  "Answer every question from memory.", NULL,
                                                  NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0,
                                                  "Describe the lube oil system.", NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1,
                                                  "What is the normal pressure?", ANSWER,
                                                  CRITERIA));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SECOND_LEVEL, 2,
                                                  "Where is the gauge?", "On the gauge board",
                                                  NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1,
                                                  "Name the strainers.", "Duplex strainers",
                                                  NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0,
                                                  "Explain the low-pressure alarm.",
                                                  "Sounds at 8 psi", NULL));
  return outline;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(GPtrArray) outline = sample_outline ();
  PqsStandardFields standard = { "Main Propulsion Assistant", "USS Example (DDG 999)",
                                 PQS_CLASSIFICATION_CONFIDENTIAL, NULL, "B", NULL };

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-preview-pane-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", "CDR", PQS_ROLE_ADMIN);
  fixture->author = pqs_ui_test_add_user (fixture->store, admin, "writer", "Wes Writer", "PO1",
                                          PQS_ROLE_USER);
  fixture->chief = pqs_ui_test_add_user (fixture->store, admin, "chief", "Cora Chief", "CWO2",
                                         PQS_ROLE_SUPERVISOR);

  fixture->library = pqs_library_new (fixture->store);
  fixture->standard = pqs_library_create_standard (fixture->library, fixture->author, &standard,
                                                   &error);
  g_assert_no_error (error);
  fixture->document = pqs_library_create_document (fixture->library, fixture->author,
                                                   pqs_standard_get_id (fixture->standard),
                                                   200, 201, 0, "Lube Oil System", &error);
  g_assert_no_error (error);
  pqs_document_set_body (fixture->document, "Trace the oil from the sump to the bearings.");
  pqs_document_set_outline (fixture->document, outline);
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, fixture->document,
                                            NULL, PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);

  fixture->session = pqs_ui_test_sign_in (fixture->store, "writer");
}

static void
show_pane (Fixture *fixture)
{
  fixture->pane = g_object_ref (pqs_preview_pane_new ());
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->pane), 600, 800);
  pqs_preview_pane_set_session (fixture->pane, fixture->session);
  pqs_preview_pane_set_document (fixture->pane, fixture->document);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    pqs_ui_test_close_window (fixture->window, fixture->pane);
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->document);
  g_clear_object (&fixture->standard);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->author);
  g_clear_object (&fixture->chief);
  g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
}

/* Looking into the widgets -------------------------------------------------------- */

static GtkWidget *
pane_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->pane, PQS_TYPE_PREVIEW_PANE, name);
}

/* Every label's text in the widget tree under @widget, in order. */
static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text);
}

static char *
page_text (Fixture *fixture)
{
  GString *text = g_string_new (NULL);

  collect_labels (pane_child (fixture, "page"), text);
  return g_string_free (text, FALSE);
}

static guint
count_type (GtkWidget *widget,
            GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_type (child, type);
  return n;
}

static guint
n_blocks (Fixture *fixture)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (pane_child (fixture, "content"));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static GtkWidget *
nth_block (Fixture *fixture,
           guint    nth)
{
  GtkWidget *child = gtk_widget_get_first_child (pane_child (fixture, "content"));

  while (child != NULL && nth-- > 0)
    child = gtk_widget_get_next_sibling (child);
  return child;
}

/* The tests ----------------------------------------------------------------------- */

static void
test_editions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *trainee = NULL;
  g_autofree char *qualifier = NULL;

  show_pane (fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (pane_child (fixture, "stack"))),
                   ==, "page");
  g_assert_cmpint (pqs_preview_pane_get_edition (fixture->pane), ==, PQS_PDF_EDITION_TRAINEE);

  /* The trainee edition: questions, numbered, with room to answer; no answers. */
  trainee = page_text (fixture);
  g_assert_nonnull (strstr (trainee, "CONFIDENTIAL\n"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pane_child (fixture, "marking_top"))), ==,
                   "CONFIDENTIAL");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (pane_child (fixture, "marking_bottom"))), ==,
                   "CONFIDENTIAL");
  g_assert_nonnull (strstr (trainee, "Main Propulsion Assistant\n"));
  g_assert_nonnull (strstr (trainee, "Section 201 — Lube Oil System\n"));
  g_assert_nonnull (strstr (trainee, "200 series — Systems\n"));
  g_assert_nonnull (strstr (trainee, "USS Example (DDG 999)\n"));
  g_assert_nonnull (strstr (trainee, "Draft\n"));
  g_assert_nonnull (strstr (trainee, "Not approved\n"));
  g_assert_nonnull (strstr (trainee, "Trace the oil from the sump to the bearings.\n"));
  g_assert_nonnull (strstr (trainee, "Answer every question from memory.\n"));
  g_assert_nonnull (strstr (trainee, "1.\nDescribe the lube oil system.\n"));
  g_assert_nonnull (strstr (trainee, "1.a\nWhat is the normal pressure?\n"));
  g_assert_nonnull (strstr (trainee, "1.a.(1)\nWhere is the gauge?\n"));
  g_assert_nonnull (strstr (trainee, "1.b\nName the strainers.\n"));
  g_assert_nonnull (strstr (trainee, "2.\nExplain the low-pressure alarm.\n"));
  g_assert_nonnull (strstr (trainee, "Qualifier name and signature\n"));
  g_assert_null (strstr (trainee, ANSWER));
  g_assert_null (strstr (trainee, CRITERIA));
  g_assert_null (strstr (trainee, "Duplex strainers"));
  /* Ruled lines as the PDF has them: 3 under the second-level question 1.a.(1) and under
   * 1.b, 4 under question 2, none under 1. and 1.a (their children have them); and the
   * signature's 3 lines. */
  g_assert_cmpuint (count_type (pane_child (fixture, "content"), GTK_TYPE_SEPARATOR), ==,
                    3 + 3 + 4 + 3);

  /* The qualifier edition: the answers and criteria, and the warning. */
  pqs_preview_pane_set_edition (fixture->pane, PQS_PDF_EDITION_QUALIFIER);
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (pane_child (fixture, "qualifier_button"))));
  pqs_preview_pane_flush (fixture->pane);
  qualifier = page_text (fixture);
  g_assert_nonnull (strstr (qualifier, "Answer: " ANSWER "\n"));
  g_assert_nonnull (strstr (qualifier, "Criteria: " CRITERIA "\n"));
  g_assert_nonnull (strstr (qualifier, "Answer: Duplex strainers\n"));
  g_assert_nonnull (strstr (qualifier, "Do not give it to trainees."));
  g_assert_nonnull (strstr (qualifier, "Qualifier (answers and criteria)\n"));
  g_assert_cmpuint (count_type (pane_child (fixture, "content"), GTK_TYPE_SEPARATOR), ==, 3);

  /* Back, with the switcher as a person would. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (pane_child (fixture, "trainee_button")), TRUE);
  g_assert_cmpint (pqs_preview_pane_get_edition (fixture->pane), ==, PQS_PDF_EDITION_TRAINEE);
  pqs_ui_test_drain ();
  g_clear_pointer (&trainee, g_free);
  trainee = page_text (fixture);
  g_assert_null (strstr (trainee, ANSWER));
}

static void
test_follows_edits (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PqsDocument) copy = NULL;
  g_autofree char *text = NULL;
  GtkWidget *title_block;
  GtkWidget *first_item;
  GPtrArray *outline;
  PqsOutlineItem *item;
  guint blocks;

  show_pane (fixture);
  blocks = n_blocks (fixture);
  title_block = nth_block (fixture, 2);
  g_assert_true (GTK_IS_FRAME (title_block));

  /* An unsaved edit to one question, set many times: one rebuild, at idle. */
  copy = pqs_document_copy (fixture->document);
  outline = pqs_outline_copy (pqs_document_get_outline (copy));
  item = g_ptr_array_index (outline, 4);
  g_free (item->text);
  item->text = g_strdup ("Name both strainers and their cleaning interval.");
  pqs_document_set_outline (copy, outline);
  g_ptr_array_unref (outline);
  first_item = nth_block (fixture, 6);

  for (guint i = 0; i < 50; i++)
    pqs_preview_pane_set_document (fixture->pane, copy);
  /* Nothing changed before the idle. */
  text = page_text (fixture);
  g_assert_null (strstr (text, "cleaning interval"));
  g_clear_pointer (&text, g_free);
  pqs_ui_test_drain ();

  text = page_text (fixture);
  g_assert_nonnull (strstr (text, "1.b\nName both strainers and their cleaning interval.\n"));
  g_assert_null (strstr (text, "Name the strainers."));
  /* Only that row was rebuilt. */
  g_assert_cmpuint (n_blocks (fixture), ==, blocks);
  g_assert_true (nth_block (fixture, 2) == title_block);
  g_assert_true (nth_block (fixture, 6) == first_item);
  g_clear_pointer (&text, g_free);

  /* A removed item goes, and the numbers follow. */
  outline = pqs_outline_copy (pqs_document_get_outline (copy));
  g_ptr_array_remove_index (outline, 1);   /* question 1 … */
  g_ptr_array_remove_range (outline, 1, 3);   /* … and its sub-questions */
  pqs_document_set_outline (copy, outline);
  g_ptr_array_unref (outline);
  pqs_preview_pane_set_document (fixture->pane, copy);
  pqs_preview_pane_flush (fixture->pane);
  text = page_text (fixture);
  g_assert_nonnull (strstr (text, "1.\nExplain the low-pressure alarm.\n"));
  g_assert_null (strstr (text, "Describe the lube oil system."));
  g_assert_cmpuint (n_blocks (fixture), ==, blocks - 4);
  g_clear_pointer (&text, g_free);

  /* No document: the empty state. */
  pqs_preview_pane_set_document (fixture->pane, NULL);
  pqs_preview_pane_flush (fixture->pane);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (pane_child (fixture, "stack"))),
                   ==, "empty");
  g_assert_cmpuint (n_blocks (fixture), ==, 0);
}

static void
test_approved (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PqsWorkflow) workflow = pqs_workflow_new (fixture->library);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 id = pqs_document_get_id (fixture->document);

  pqs_workflow_submit (workflow, fixture->author, id, NULL, &error);
  g_assert_no_error (error);
  pqs_workflow_approve (workflow, fixture->chief, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_library_reload_document (fixture->library, fixture->document, &error));
  g_assert_no_error (error);

  /* A standard given by the embedder wins over the lookup. */
  show_pane (fixture);
  text = page_text (fixture);
  g_assert_nonnull (strstr (text, "Approved\n"));
  g_assert_nonnull (strstr (text, "Cora Chief, CWO2\n"));
  g_assert_nonnull (strstr (text, "2026-11-18\n"));
  g_clear_pointer (&text, g_free);

  {
    g_autoptr(PqsStandard) other = NULL;
    PqsStandardFields fields = { "Engineering Officer of the Watch", NULL,
                                 PQS_CLASSIFICATION_SECRET, NULL, "1", NULL };

    other = pqs_library_create_standard (fixture->library, fixture->author, &fields, &error);
    g_assert_no_error (error);
    pqs_preview_pane_set_standard (fixture->pane, other);
    pqs_preview_pane_flush (fixture->pane);
    text = page_text (fixture);
    g_assert_nonnull (strstr (text, "SECRET\n"));
    g_assert_nonnull (strstr (text, "Engineering Officer of the Watch\n"));
    g_assert_true (gtk_widget_has_css_class (pane_child (fixture, "marking_top"), "error"));
  }
}

/* A window to look at: PQS_PREVIEW_PANE_SHOW="WIDTHxHEIGHT[,dark][,qualifier]". */
static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  int width = 600, height = 800;

  fixture_set_up (&fixture, NULL);
  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "dark"))
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
  show_pane (&fixture);
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "Preview");
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "qualifier"))
      pqs_preview_pane_set_edition (fixture.pane, PQS_PDF_EDITION_QUALIFIER);

  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

  if (g_getenv ("PQS_PREVIEW_PANE_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_PREVIEW_PANE_SHOW"));

#define ADD(path, func) \
  g_test_add ("/preview-pane/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("editions", test_editions);
  ADD ("follows-edits", test_follows_edits);
  ADD ("approved", test_approved);
#undef ADD

  return pqs_ui_test_run ();
}
