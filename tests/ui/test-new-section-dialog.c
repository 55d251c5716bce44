/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-new-section-dialog"

#include "config.h"

#include <adwaita.h>

#include "pqs-library.h"
#include "pqs-new-section-dialog.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"

/* "Add Section" on a temporary database: the title the template proposes
 * is selected whole when the person clicks into it, so that typing replaces
 * it; a title they wrote themselves is left as it is. */

typedef struct
{
  char                *tmpdir;
  PqsStore            *store;
  PqsSession          *session;
  PqsStandard         *standard;
  PqsNewSectionDialog *dialog;
} Fixture;

static gpointer
dialog_child (Fixture    *fixture,
              const char *name)
{
  return pqs_ui_test_template_child (fixture->dialog, PQS_TYPE_NEW_SECTION_DIALOG, name);
}

/* The GtkText inside an entry row, where the focus and the cursor are. */
static GtkText *
find_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget))
    return GTK_TEXT (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkText *text = find_text (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* What a click into the row's text does: the focus, without selecting,
 * then the cursor where the pointer is (past the end of the text). */
static void
click_into (GtkWidget *row)
{
  GtkText *text = find_text (row);

  g_assert_nonnull (text);
  g_assert_true (gtk_text_grab_focus_without_selecting (text));
  gtk_editable_set_position (GTK_EDITABLE (text), -1);
  pqs_ui_test_drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsLibrary) library = NULL;
  PqsStandardFields fields = { "Main Propulsion Assistant", "USS Example",
                               PQS_CLASSIFICATION_UNCLASSIFIED, NULL, "1", NULL };

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-new-section-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", FALSE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", NULL, PQS_ROLE_ADMIN);
  library = pqs_library_new (fixture->store);
  fixture->standard = pqs_library_create_standard (library, admin, &fields, &error);
  g_assert_no_error (error);
  fixture->session = pqs_ui_test_sign_in (fixture->store, "admin");

  /* The 200 series: its template, "System section", names the section. */
  fixture->dialog = g_object_ref (pqs_new_section_dialog_new (fixture->session,
                                                              fixture->standard, 200));
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  pqs_ui_test_drain ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  pqs_ui_test_drain ();
  g_assert_finalize_object (fixture->dialog);
  g_assert_finalize_object (fixture->standard);
  g_assert_finalize_object (fixture->session);
  pqs_store_close (fixture->store);
  g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
}

/* Tests ---------------------------------------------------------------------------------- */

static void
test_default_title_selected (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkEditable *title = dialog_child (fixture, "title_row");
  const char *proposed;
  int start = -1, end = -1;

  proposed = gtk_editable_get_text (title);
  g_assert_cmpstr (proposed, ==, "System section");
  g_assert_cmpint (pqs_new_section_dialog_get_template_id (fixture->dialog), >, 0);

  /* Focus elsewhere first, as when the dialog opens. */
  g_assert_true (gtk_widget_grab_focus (dialog_child (fixture, "number_row")));
  pqs_ui_test_drain ();

  click_into (GTK_WIDGET (title));
  g_assert_true (gtk_editable_get_selection_bounds (title, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, g_utf8_strlen (proposed, -1));

  /* Away and back: no selection was left behind for the click to land in
   * (which would clear it), and the proposal is selected again. */
  g_assert_true (gtk_widget_grab_focus (dialog_child (fixture, "number_row")));
  pqs_ui_test_drain ();
  g_assert_false (gtk_editable_get_selection_bounds (title, &start, &end));
  click_into (GTK_WIDGET (title));
  g_assert_true (gtk_editable_get_selection_bounds (title, &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, g_utf8_strlen (proposed, -1));

  /* Typing replaces the selection: the person's own title, kept whole. */
  gtk_editable_delete_selection (title);
  {
    int position = gtk_editable_get_position (title);

    gtk_editable_insert_text (title, "Lube Oil System", -1, &position);
  }
  g_assert_cmpstr (gtk_editable_get_text (title), ==, "Lube Oil System");
}

static void
test_own_title_not_selected (Fixture       *fixture,
                             gconstpointer  data)
{
  GtkEditable *title = dialog_child (fixture, "title_row");
  int start = -1, end = -1;

  /* The person wrote a title: clicking into it again puts the cursor
   * where they clicked, to go on writing. */
  gtk_editable_set_text (title, "Main Feed System");
  g_assert_true (gtk_widget_grab_focus (dialog_child (fixture, "number_row")));
  pqs_ui_test_drain ();

  click_into (GTK_WIDGET (title));
  g_assert_false (gtk_editable_get_selection_bounds (title, &start, &end));
  g_assert_cmpint (gtk_editable_get_position (title), ==, g_utf8_strlen ("Main Feed System", -1));

  /* Another template does not take it over either. */
  adw_combo_row_set_selected (dialog_child (fixture, "template_row"),
                              g_list_model_get_n_items (adw_combo_row_get_model (
                                dialog_child (fixture, "template_row"))) - 1);
  g_assert_cmpstr (gtk_editable_get_text (title), ==, "Main Feed System");
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

#define ADD(path, func) \
  g_test_add ("/new-section-dialog/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("default-title-selected", test_default_title_selected);
  ADD ("own-title-not-selected", test_own_title_not_selected);
#undef ADD

  return pqs_ui_test_run ();
}
