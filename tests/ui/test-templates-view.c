/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "pqs-library.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-template-catalog.h"
#include "pqs-template-editor.h"
#include "pqs-template.h"
#include "pqs-templates-view.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"

/* The Templates view on a temporary database: the three system templates
 * by series, the editor creating a template (field rows, JSON, outline),
 * checking what is typed with the model's sentences naming the field or
 * item at fault, "Copy to Edit" of a system template, deactivation, and
 * deletion refused while documents use a template; a plain user reads
 * only. Each step is checked in what the view shows and in what the
 * database holds. */

typedef struct
{
  char             *tmpdir;
  PqsStore         *store;
  PqsSession       *session;
  GtkWindow        *window;
  PqsTemplatesView *view;
  guint             n_toasts;
  char             *last_toast;
} Fixture;

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_ui_test_query_int (fixture->store, sql);
}

/* A template made through the model, as another supervisor would. */
static gint64
add_template (Fixture    *fixture,
              const char *name,
              int         section)
{
  g_autoptr(PqsTemplateCatalog) catalog = pqs_template_catalog_new (fixture->store);
  g_autoptr(PqsUser) carol = pqs_ui_test_lookup_user (fixture->store, "carol");
  g_autoptr(PqsTemplate) template = NULL;
  g_autoptr(GError) error = NULL;
  PqsTemplateSpec spec = {
    name, "Made for the tests.", section, "Body text.",
    "[{\"key\": \"station\", \"label\": \"Station\", \"type\": \"text\", \"required\": true}]",
    NULL,
  };

  template = pqs_template_catalog_create (catalog, carol, &spec, &error);
  g_assert_no_error (error);
  return pqs_template_get_id (template);
}

/* A section document made from @template_id, through the model. */
static void
add_document (Fixture *fixture,
              gint64   template_id,
              int      section)
{
  g_autoptr(PqsLibrary) library = pqs_library_new (fixture->store);
  g_autoptr(PqsUser) admin = pqs_ui_test_lookup_user (fixture->store, "admin");
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  PqsStandardFields fields = { "Engineering watch standard", "USS Example",
                               PQS_CLASSIFICATION_UNCLASSIFIED, NULL, NULL, NULL };

  standard = pqs_library_create_standard (library, admin, &fields, &error);
  g_assert_no_error (error);
  document = pqs_library_create_document (library, admin, pqs_standard_get_id (standard),
                                          section, section + 2, template_id,
                                          "Lube oil system", &error);
  g_assert_no_error (error);
}

static void
show_view (Fixture    *fixture,
           const char *username)
{
  g_clear_object (&fixture->session);
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->view = g_object_ref (pqs_templates_view_new ());
  pqs_ui_test_watch_toasts (fixture->view, &fixture->n_toasts, &fixture->last_toast);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->view), 720, 600);
  pqs_templates_view_set_session (fixture->view, fixture->session);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) bob = NULL;
  g_autoptr(PqsUser) carol = NULL;

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-templates-view-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", NULL, PQS_ROLE_ADMIN);
  bob = pqs_ui_test_add_user (fixture->store, admin, "bob", "Bob Baker", NULL, PQS_ROLE_USER);
  carol = pqs_ui_test_add_user (fixture->store, admin, "carol", "Carol Clark", NULL,
                                PQS_ROLE_SUPERVISOR);
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

/* Looking into the widgets ----------------------------------------------------------- */

static GtkWidget *
view_child (Fixture    *fixture,
            const char *name)
{
  return pqs_ui_test_template_child (fixture->view, PQS_TYPE_TEMPLATES_VIEW, name);
}

static GtkWidget *
editor_child (PqsTemplateEditor *editor,
              const char        *name)
{
  return pqs_ui_test_template_child (editor, PQS_TYPE_TEMPLATE_EDITOR, name);
}

static const char *const lists[] = { "list_100", "list_200", "list_300" };

static guint
n_rows_in (Fixture    *fixture,
           const char *list)
{
  return pqs_ui_test_count_rows (GTK_LIST_BOX (view_child (fixture, list)));
}

/* The rows shown, in every visible series. */
static guint
n_rows (Fixture *fixture)
{
  guint n = 0;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      GtkWidget *list_box = view_child (fixture, lists[l]);

      if (gtk_widget_is_visible (list_box))
        n += n_rows_in (fixture, lists[l]);
    }
  return n;
}

static GtkWidget *
find_row (Fixture    *fixture,
          const char *title)
{
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      GtkWidget *row = pqs_ui_test_find_row (GTK_LIST_BOX (view_child (fixture, lists[l])),
                                             title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
row_shows (Fixture    *fixture,
           const char *title,
           const char *badge)
{
  return pqs_ui_test_label_visible (find_row (fixture, title), badge);
}

static void
set_row (PqsTemplateEditor *editor,
         const char        *name,
         const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editor_child (editor, name)), text);
}

static void
set_view (PqsTemplateEditor *editor,
          const char        *name,
          const char        *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (editor_child (editor, name));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static char *
get_view (PqsTemplateEditor *editor,
          const char        *name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor_child (editor, name)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static PqsTemplateEditor *
open_editor (Fixture    *fixture,
             const char *title)
{
  GtkWidget *row = find_row (fixture, title);
  PqsTemplateEditor *editor;

  g_assert_nonnull (row);
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  pqs_ui_test_drain ();
  editor = pqs_templates_view_get_editor (fixture->view);
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == fixture->window);
  return editor;
}

static PqsTemplateEditor *
new_editor (Fixture *fixture)
{
  PqsTemplateEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "templates.new", NULL));
  pqs_ui_test_drain ();
  editor = pqs_templates_view_get_editor (fixture->view);
  g_assert_nonnull (editor);
  g_assert_null (pqs_template_editor_get_template (editor));
  return editor;
}

/* Closes @editor and checks that nothing kept it alive. */
static void
close_editor (Fixture           *fixture,
              PqsTemplateEditor *editor)
{
  gpointer weak = editor;

  g_object_add_weak_pointer (G_OBJECT (editor), &weak);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.escape", NULL);
  pqs_ui_test_drain ();
  g_assert_null (weak);
  g_assert_null (pqs_templates_view_get_editor (fixture->view));
}

/* The field rows of the editor: the expander rows of fields_list. */
static GtkWidget *
field_row (PqsTemplateEditor *editor,
           int                index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (editor_child (editor,
                                                                            "fields_list")),
                                                      index);

  g_assert_nonnull (row);
  return GTK_WIDGET (row);
}

/* The descendant of @widget of @type whose title (a preferences row) is
 * @title, or the first of @type when @title is NULL. */
static GtkWidget *
find_in (GtkWidget  *widget,
         GType       type,
         const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (title == NULL ||
       (ADW_IS_PREFERENCES_ROW (widget) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_in (child, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
field_part (PqsTemplateEditor *editor,
            int                index,
            GType              type,
            const char        *title)
{
  GtkWidget *found = find_in (field_row (editor, index), type, title);

  g_assert_nonnull (found);
  return found;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A field row's button, by its tooltip ("Move Up", "Move Down", "Remove Field"). */
static GtkWidget *
field_button (PqsTemplateEditor *editor,
              int                index,
              const char        *label)
{
  GtkWidget *found = find_button (field_row (editor, index), label);

  g_assert_nonnull (found);
  return found;
}

static void
set_field (PqsTemplateEditor *editor,
           int                index,
           const char        *title,
           const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field_part (editor, index, ADW_TYPE_ENTRY_ROW, title)),
                         text);
}

static const char *
field_text (PqsTemplateEditor *editor,
            int                index,
            const char        *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (field_part (editor, index, ADW_TYPE_ENTRY_ROW,
                                                          title)));
}

static void
set_field_type (PqsTemplateEditor *editor,
                int                index,
                PqsFieldType       type)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_part (editor, index, ADW_TYPE_COMBO_ROW,
                                                         "Type")), type);
}

static void
set_field_options (PqsTemplateEditor *editor,
                   int                index,
                   const char        *text)
{
  GtkWidget *view = field_part (editor, index, GTK_TYPE_TEXT_VIEW, NULL);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static void
add_field (PqsTemplateEditor *editor,
           const char        *label)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (GTK_LIST_BOX (editor_child (editor, "fields_list")), n))
    n++;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-field", NULL));
  set_field (editor, n, "Label", label);
}

static gboolean
save_sensitive (PqsTemplateEditor *editor)
{
  return gtk_widget_get_visible (editor_child (editor, "save_button")) &&
         gtk_widget_is_sensitive (editor_child (editor, "save_button"));
}

/* Tests ------------------------------------------------------------------------------ */

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  const char *const system[] = {
    "Fundamentals section", "System section", "Watchstation section",
  };
  GtkWidget *row;

  show_view (fixture, "carol");

  g_assert_true (gtk_widget_get_visible (view_child (fixture, "new_button")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "back_button")));
  g_assert_cmpuint (n_rows (fixture), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (system); i++)
    {
      g_assert_true (row_shows (fixture, system[i], "System"));
      g_assert_false (row_shows (fixture, system[i], "Inactive"));
    }
  g_assert_cmpuint (n_rows_in (fixture, "list_100"), ==, 1);
  g_assert_cmpuint (n_rows_in (fixture, "list_200"), ==, 1);
  g_assert_cmpuint (n_rows_in (fixture, "list_300"), ==, 1);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (view_child (fixture,
                                                                      "window_title"))),
                   ==, "3 templates");

  /* The counts: the 200 series' template has 5 fields. */
  row = find_row (fixture, "System section");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "5 fields · Not used yet"));

  /* A template of our own shows among the 300 series, without a badge. */
  add_template (fixture, "Main engine watch", 300);
  pqs_ui_test_drain ();
  g_assert_cmpuint (n_rows_in (fixture, "list_300"), ==, 2);
  g_assert_false (row_shows (fixture, "Main engine watch", "System"));

  /* One series at a time. */
  pqs_templates_view_set_section (fixture->view, 300);
  pqs_ui_test_drain ();
  g_assert_cmpint (pqs_templates_view_get_section (fixture->view), ==, 300);
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "group_100")));
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "group_200")));
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "group_300")));
  g_assert_cmpuint (n_rows (fixture), ==, 2);
  g_assert_null (find_row (fixture, "Fundamentals section"));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (view_child (fixture, "series_dropdown")), 0);
  pqs_ui_test_drain ();
  g_assert_cmpuint (n_rows (fixture), ==, 4);

  pqs_templates_view_set_show_back (fixture->view, TRUE);
  g_assert_true (gtk_widget_get_visible (view_child (fixture, "back_button")));
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  PqsTemplateEditor *editor;
  g_autofree char *json = NULL;

  show_view (fixture, "carol");
  pqs_templates_view_set_section (fixture->view, 200);
  editor = new_editor (fixture);
  g_assert_false (pqs_template_editor_get_read_only (editor));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "status_group")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "copy_button")));
  /* The series shown is proposed; nothing is valid without a name. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (editor_child (editor,
                                                                          "series_row"))),
                    ==, 1);
  g_assert_false (save_sensitive (editor));
  g_assert_null (pqs_template_editor_get_error (editor));

  set_row (editor, "name_row", "Lube oil system");
  set_row (editor, "description_row", "Purifiers, coolers and the sump.");
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (editor, "series_row")), 2);
  set_view (editor, "body_view", "3XX LUBE OIL\n\nReferences:\n");

  /* The key follows the label until it is typed. */
  add_field (editor, "Watch station");
  g_assert_cmpstr (field_text (editor, 0, "Key"), ==, "watch_station");
  set_field (editor, 0, "Help (Optional)", "Where the trainee stands the watch.");
  gtk_switch_set_active (GTK_SWITCH (find_in (field_part (editor, 0, ADW_TYPE_ACTION_ROW,
                                                          "Required"),
                                              GTK_TYPE_SWITCH, NULL)), TRUE);

  add_field (editor, "Difficulty");
  set_field (editor, 1, "Key", "level");
  set_field (editor, 1, "Label", "Difficulty level");
  g_assert_cmpstr (field_text (editor, 1, "Key"), ==, "level");
  set_field_type (editor, 1, PQS_FIELD_CHOICE);
  set_field_options (editor, 1, "Basic\n\nAdvanced\n");

  add_field (editor, "Date qualified");
  set_field_type (editor, 2, PQS_FIELD_DATE);
  /* Moved up above the choice, then removed. */
  pqs_ui_test_click (field_button (editor, 2, "Move Up"));
  g_assert_cmpstr (field_text (editor, 1, "Key"), ==, "date_qualified");
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (field_row (editor,
                                                                                       1))),
                            "Field 2 · date_qualified · Date · Optional"));
  g_assert_false (gtk_widget_is_sensitive (field_button (editor, 0, "Move Up")));
  g_assert_false (gtk_widget_is_sensitive (field_button (editor, 2, "Move Down")));
  pqs_ui_test_click (field_button (editor, 1, "Remove Field"));
  g_assert_cmpstr (field_text (editor, 1, "Key"), ==, "level");
  g_assert_false (gtk_widget_is_sensitive (field_button (editor, 1, "Move Down")));

  set_view (editor, "outline_view",
            "[{\"kind\": \"question\", \"text\": \"State the purpose of the lube oil system.\","
            " \"answer\": \"To cool and lubricate the bearings.\","
            " \"children\": [{\"kind\": \"sub_question\", \"text\": \"Name the pumps.\"}]}]");

  g_assert_true (pqs_template_editor_check (editor));
  g_assert_null (pqs_template_editor_get_fields_error (editor));
  g_assert_null (pqs_template_editor_get_outline_error (editor));
  g_assert_true (save_sensitive (editor));
  pqs_ui_test_click (editor_child (editor, "save_button"));

  g_assert_null (pqs_templates_view_get_editor (fixture->view));
  g_assert_cmpstr (fixture->last_toast, ==, "Template created");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Lube oil system' AND section = 300 AND "
                                       "is_system = 0 AND is_active = 1 AND "
                                       "description = 'Purifiers, coolers and the sump.' AND "
                                       "template_content = '3XX LUBE OIL\n\nReferences:\n'"),
                   ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT json_array_length(fields) FROM templates WHERE "
                                       "name = 'Lube oil system'"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Lube oil system' AND "
                                       "json_extract(fields, '$[0].key') = 'watch_station' AND "
                                       "json_extract(fields, '$[0].required') = 1 AND "
                                       "json_extract(fields, '$[1].type') = 'choice' AND "
                                       "json_extract(fields, '$[1].options[1]') = 'Advanced' AND "
                                       "json_array_length(fields, '$[1].options') = 2"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Lube oil system' AND "
                                       "json_extract(outline, '$[0].children[0].kind') = "
                                       "'sub_question'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities AS a "
                                       "JOIN users AS u ON u.id = a.user_id WHERE "
                                       "a.activity_type = 'template.create' AND "
                                       "u.username = 'carol'"), ==, 1);

  /* The list was on the 200 series; the new one is in the 300. */
  pqs_templates_view_set_section (fixture->view, 0);
  pqs_ui_test_drain ();
  g_assert_nonnull (find_row (fixture, "Lube oil system"));

  /* Edited through the JSON text, and saved. */
  editor = open_editor (fixture, "Lube oil system");
  g_assert_false (pqs_template_editor_get_read_only (editor));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor_child (editor, "json_button")), TRUE);
  json = get_view (editor, "fields_json_view");
  g_assert_nonnull (strstr (json, "\"watch_station\""));
  set_view (editor, "fields_json_view",
            "[{\"key\": \"station\", \"label\": \"Station\", \"type\": \"text\"}]");
  g_assert_true (pqs_template_editor_check (editor));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor_child (editor, "json_button")), FALSE);
  g_assert_cmpstr (field_text (editor, 0, "Key"), ==, "station");
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_cmpstr (fixture->last_toast, ==, "Changes saved");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Lube oil system' AND "
                                       "json_array_length(fields) = 1 AND "
                                       "json_extract(fields, '$[0].key') = 'station'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'template.update'"), ==, 1);
  g_assert_true (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (fixture,
                                                                      "Lube oil system"))),
                         "1 field · Not used yet") != NULL);

  /* The model's refusal in its words: the name is taken in the series. */
  editor = new_editor (fixture);
  set_row (editor, "name_row", "lube oil SYSTEM");
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_child (editor, "series_row")), 2);
  g_assert_true (pqs_template_editor_check (editor));
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_nonnull (strstr (pqs_template_editor_get_error (editor),
                            "already has a template named"));
  g_assert_true (pqs_templates_view_get_editor (fixture->view) == editor);
  close_editor (fixture, editor);
}

/* Waits for the pause after typing, as a person would. */
static void
wait_for_check (PqsTemplateEditor *editor,
                const char *(*get) (PqsTemplateEditor *))
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (get (editor) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  PqsTemplateEditor *editor;
  GtkWidget *json_button;
  const char *message;

  show_view (fixture, "carol");
  editor = new_editor (fixture);
  set_row (editor, "name_row", "Boiler watch");

  /* A choice without options: said as the person types, after a pause. */
  add_field (editor, "Rank");
  set_field_type (editor, 0, PQS_FIELD_CHOICE);
  g_assert_null (pqs_template_editor_get_fields_error (editor));
  wait_for_check (editor, pqs_template_editor_get_fields_error);
  g_assert_cmpstr (pqs_template_editor_get_fields_error (editor), ==,
                   "Field 1 (“rank”): a choice field needs at least one option.");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "fields_error_label")));
  g_assert_false (save_sensitive (editor));
  g_assert_false (pqs_template_editor_get_valid (editor));
  /* The row at fault is marked. */
  g_assert_true (gtk_widget_get_visible (field_part (editor, 0, GTK_TYPE_IMAGE, NULL)));

  /* Ctrl+S does not save either. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  pqs_ui_test_drain ();
  g_assert_true (pqs_templates_view_get_editor (fixture->view) == editor);

  set_field_options (editor, 0, "Seaman\nPetty officer");
  g_assert_true (pqs_template_editor_check (editor));
  g_assert_null (pqs_template_editor_get_fields_error (editor));
  g_assert_true (save_sensitive (editor));

  /* The same key twice. */
  add_field (editor, "Station");
  set_field (editor, 1, "Key", "rank");
  g_assert_false (pqs_template_editor_check (editor));
  g_assert_cmpstr (pqs_template_editor_get_fields_error (editor), ==,
                   "Field 2 (“rank”): field 1 has the same key.");
  g_assert_false (gtk_widget_get_visible (field_part (editor, 0, GTK_TYPE_IMAGE, NULL)));
  g_assert_true (gtk_widget_get_visible (field_part (editor, 1, GTK_TYPE_IMAGE, NULL)));
  g_assert_false (save_sensitive (editor));

  /* A key that is not one. */
  set_field (editor, 1, "Key", "Station 2");
  g_assert_false (pqs_template_editor_check (editor));
  g_assert_nonnull (strstr (pqs_template_editor_get_fields_error (editor),
                            "Field 2 (“Station 2”): a key starts with a lower-case letter"));
  set_field (editor, 1, "Key", "station");
  g_assert_true (pqs_template_editor_check (editor));

  /* The outline: the item at fault named. */
  set_view (editor, "outline_view",
            "[{\"kind\": \"question\", \"text\": \"Describe the boiler.\"},"
            " {\"kind\": \"sub_question\", \"text\": \"Out of place.\"}]");
  wait_for_check (editor, pqs_template_editor_get_outline_error);
  message = pqs_template_editor_get_outline_error (editor);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Item 2 (a sub-question): "));
  g_assert_false (save_sensitive (editor));
  set_view (editor, "outline_view", "[{\"kind\": \"question\", \"text\": ");
  g_assert_false (pqs_template_editor_check (editor));
  g_assert_nonnull (strstr (pqs_template_editor_get_outline_error (editor), "not valid JSON"));
  set_view (editor, "outline_view", "");
  g_assert_true (pqs_template_editor_check (editor));

  /* The JSON text: not valid JSON, then an invalid field; the rows only
   * come back from a list that reads. */
  json_button = editor_child (editor, "json_button");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (json_button), TRUE);
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "add_field_button")));
  set_view (editor, "fields_json_view", "[{\"key\": \"rank\",");
  g_assert_false (pqs_template_editor_check (editor));
  g_assert_nonnull (strstr (pqs_template_editor_get_fields_error (editor),
                            "The field list is not valid JSON"));
  g_assert_false (gtk_widget_is_sensitive (json_button));
  set_view (editor, "fields_json_view",
            "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"choice\"}]");
  g_assert_false (pqs_template_editor_check (editor));
  g_assert_cmpstr (pqs_template_editor_get_fields_error (editor), ==,
                   "Field 1 (“rank”): a choice field needs at least one option.");
  g_assert_false (save_sensitive (editor));
  set_view (editor, "fields_json_view",
            "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"choice\","
            " \"options\": [\"Seaman\"]}]");
  g_assert_true (pqs_template_editor_check (editor));
  g_assert_true (gtk_widget_is_sensitive (json_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (json_button), FALSE);
  g_assert_cmpstr (field_text (editor, 0, "Label"), ==, "Rank");
  g_assert_true (save_sensitive (editor));

  /* An empty name, once the person has been there. */
  set_row (editor, "name_row", "  ");
  g_assert_false (pqs_template_editor_check (editor));
  g_assert_cmpstr (pqs_template_editor_get_error (editor), ==, "Give the template a name.");
  g_assert_false (save_sensitive (editor));

  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates"), ==, 3);
  close_editor (fixture, editor);
}

static void
test_system_copy (Fixture       *fixture,
                  gconstpointer  data)
{
  PqsTemplateEditor *editor;
  PqsTemplate *copy;

  show_view (fixture, "carol");
  editor = open_editor (fixture, "Fundamentals section");

  /* Read-only, with the way to a copy. */
  g_assert_true (pqs_template_editor_get_read_only (editor));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "read_only_box")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "save_button")));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (editor_child (editor, "name_row"))));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (editor_child (editor,
                                                                         "body_view"))));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (editor_child (editor,
                                                                         "outline_view"))));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "series_row")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "add_field_button")));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (field_part (editor, 0,
                                                                       ADW_TYPE_ENTRY_ROW,
                                                                       "Key"))));
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "delete_button")));
  g_assert_cmpstr (field_text (editor, 0, "Key"), ==, "references");
  g_assert_true (pqs_template_editor_get_valid (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-field", NULL);
  pqs_ui_test_drain ();
  g_assert_true (pqs_templates_view_get_editor (fixture->view) == editor);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type LIKE 'template.%'"), ==, 0);

  pqs_ui_test_click (editor_child (editor, "copy_button"));
  g_assert_null (pqs_template_editor_get_error (editor));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Fundamentals section (copy)' AND "
                                       "is_system = 0 AND section = 100"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'template.copy'"), ==, 1);

  /* The editor is now the copy's, to edit. */
  copy = pqs_template_editor_get_template (editor);
  g_assert_nonnull (copy);
  g_assert_false (pqs_template_get_system (copy));
  g_assert_false (pqs_template_editor_get_read_only (editor));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "copy_button")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "read_only_box")));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (editor_child (editor, "name_row"))));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "add_field_button")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (editor, "name_row"))),
                   ==, "Fundamentals section (copy)");
  g_assert_nonnull (find_row (fixture, "Fundamentals section (copy)"));
  g_assert_false (row_shows (fixture, "Fundamentals section (copy)", "System"));

  set_row (editor, "name_row", "Fundamentals of our ship");
  g_assert_true (pqs_template_editor_check (editor));
  pqs_ui_test_click (editor_child (editor, "save_button"));
  g_assert_null (pqs_templates_view_get_editor (fixture->view));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Fundamentals of our ship' AND is_system = 0 AND "
                                       "json_array_length(fields) = 4"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Fundamentals section' AND is_system = 1"), ==, 1);
}

static void
test_deactivate (Fixture       *fixture,
                 gconstpointer  data)
{
  PqsTemplateEditor *editor;
  GtkWidget *active_button;

  add_template (fixture, "Main engine watch", 300);
  show_view (fixture, "carol");
  g_assert_false (row_shows (fixture, "Main engine watch", "Inactive"));

  editor = open_editor (fixture, "Main engine watch");
  active_button = editor_child (editor, "active_button");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (active_button)), ==, "_Deactivate");
  pqs_ui_test_click (active_button);
  g_assert_null (pqs_template_editor_get_error (editor));
  g_assert_cmpint (query_int (fixture, "SELECT is_active FROM templates WHERE "
                                       "name = 'Main engine watch'"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'template.deactivate'"), ==, 1);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (active_button)), ==, "_Activate");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (editor,
                                                                              "status_row"))),
                            "Inactive"));
  g_assert_true (row_shows (fixture, "Main engine watch", "Inactive"));

  pqs_ui_test_click (active_button);
  g_assert_cmpint (query_int (fixture, "SELECT is_active FROM templates WHERE "
                                       "name = 'Main engine watch'"), ==, 1);
  g_assert_false (row_shows (fixture, "Main engine watch", "Inactive"));
  close_editor (fixture, editor);

  /* A system template is deactivated too (when a copy replaces it). */
  editor = open_editor (fixture, "Watchstation section");
  pqs_ui_test_click (editor_child (editor, "active_button"));
  g_assert_cmpint (query_int (fixture, "SELECT is_active FROM templates WHERE "
                                       "name = 'Watchstation section'"), ==, 0);
  g_assert_true (row_shows (fixture, "Watchstation section", "Inactive"));
  close_editor (fixture, editor);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  PqsTemplateEditor *editor;
  gint64 used = add_template (fixture, "Main engine watch", 300);

  add_template (fixture, "Spare template", 200);
  add_document (fixture, used, 300);
  show_view (fixture, "carol");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (fixture,
                                                                         "Main engine watch"))),
                            "Used by 1 document"));

  editor = open_editor (fixture, "Main engine watch");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (editor_child (editor,
                                                                             "usage_row"))),
                   ==, "1 document was made from it");
  pqs_ui_test_click (editor_child (editor, "delete_button"));
  g_assert_nonnull (pqs_ui_test_find_message_dialog ());
  adw_message_dialog_response (pqs_ui_test_find_message_dialog (), "delete");
  pqs_ui_test_drain ();
  g_assert_cmpstr (pqs_template_editor_get_error (editor), ==,
                   "“Main engine watch” cannot be deleted: 1 document was made from it. "
                   "Deactivate it instead.");
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "error_label")));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Main engine watch'"), ==, 1);
  g_assert_true (pqs_templates_view_get_editor (fixture->view) == editor);
  close_editor (fixture, editor);

  /* Cancelled: nothing happens. */
  editor = open_editor (fixture, "Spare template");
  pqs_ui_test_click (editor_child (editor, "delete_button"));
  adw_message_dialog_response (pqs_ui_test_find_message_dialog (), "cancel");
  pqs_ui_test_drain ();
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Spare template'"), ==, 1);

  pqs_ui_test_click (editor_child (editor, "delete_button"));
  adw_message_dialog_response (pqs_ui_test_find_message_dialog (), "delete");
  pqs_ui_test_drain ();
  g_assert_null (pqs_templates_view_get_editor (fixture->view));
  g_assert_cmpstr (fixture->last_toast, ==, "Template deleted");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE "
                                       "name = 'Spare template'"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM user_activities WHERE "
                                       "activity_type = 'template.delete'"), ==, 1);
  g_assert_null (find_row (fixture, "Spare template"));

  /* System templates are not deleted at all. */
  editor = open_editor (fixture, "System section");
  g_assert_false (gtk_widget_is_sensitive (editor_child (editor, "delete_button")));
  close_editor (fixture, editor);
}

static void
test_plain_user (Fixture       *fixture,
                 gconstpointer  data)
{
  PqsTemplateEditor *editor;
  gint64 inactive;

  add_template (fixture, "Main engine watch", 300);
  inactive = add_template (fixture, "Old template", 300);
  {
    g_autoptr(PqsTemplateCatalog) catalog = pqs_template_catalog_new (fixture->store);
    g_autoptr(PqsUser) carol = pqs_ui_test_lookup_user (fixture->store, "carol");
    g_autoptr(GError) error = NULL;

    pqs_template_catalog_set_active (catalog, carol, inactive, FALSE, &error);
    g_assert_no_error (error);
  }

  show_view (fixture, "bob");
  g_assert_false (gtk_widget_get_visible (view_child (fixture, "new_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "templates.new", NULL);
  pqs_ui_test_drain ();
  g_assert_null (pqs_templates_view_get_editor (fixture->view));
  g_assert_null (pqs_templates_view_open_editor (fixture->view, NULL));

  /* Only the active templates. */
  g_assert_cmpuint (n_rows (fixture), ==, 4);
  g_assert_null (find_row (fixture, "Old template"));

  editor = open_editor (fixture, "Watchstation section");
  g_assert_true (pqs_template_editor_get_read_only (editor));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "copy_button")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "save_button")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "actions_box")));
  close_editor (fixture, editor);

  editor = open_editor (fixture, "Main engine watch");
  g_assert_true (pqs_template_editor_get_read_only (editor));
  g_assert_true (gtk_widget_get_visible (editor_child (editor, "read_only_box")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "save_button")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "copy_button")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "actions_box")));
  g_assert_false (gtk_widget_get_visible (editor_child (editor, "add_field_button")));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (editor_child (editor, "name_row"))));
  g_assert_false (gtk_widget_is_sensitive (field_part (editor, 0, ADW_TYPE_COMBO_ROW, "Type")));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.toggle-active", NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.delete", NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.copy", NULL);
  pqs_ui_test_drain ();
  g_assert_null (pqs_ui_test_find_message_dialog ());
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates"), ==, 5);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM templates WHERE is_active = 1"),
                   ==, 4);
  close_editor (fixture, editor);
}

/* A look at the view, for screenshots: PQS_TEMPLATES_VIEW_SHOW="720x600"
 * with ",dark", ",series=300", ",user" or ",editor=new|system|custom|invalid|json"
 * shows it until killed. */
static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  const char *username = "carol";
  int width = 720, height = 600;
  gint64 used;

  fixture_set_up (&fixture, NULL);
  used = add_template (&fixture, "Main engine watch", 300);
  add_template (&fixture, "Auxiliary machinery space rover with a long name for narrow windows",
                200);
  {
    g_autoptr(PqsTemplateCatalog) catalog = pqs_template_catalog_new (fixture.store);
    g_autoptr(PqsUser) carol = pqs_ui_test_lookup_user (fixture.store, "carol");

    pqs_template_catalog_set_active (catalog, carol, add_template (&fixture, "Old boiler watch",
                                                                   300), FALSE, NULL);
  }
  add_document (&fixture, used, 300);

  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "dark"))
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
    else if (g_str_equal (parts[i], "user"))
      username = "bob";

  show_view (&fixture, username);
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "Templates");

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_has_prefix (parts[i], "series="))
        pqs_templates_view_set_section (fixture.view, atoi (parts[i] + strlen ("series=")));
      else if (g_str_equal (parts[i], "editor=new") || g_str_equal (parts[i], "editor=invalid"))
        {
          PqsTemplateEditor *editor;

          gtk_widget_activate_action (GTK_WIDGET (fixture.view), "templates.new", NULL);
          editor = pqs_templates_view_get_editor (fixture.view);
          gtk_window_set_default_size (GTK_WINDOW (editor), MIN (width, 640), height);
          if (g_str_equal (parts[i], "editor=invalid"))
            {
              set_row (editor, "name_row", "Boiler watch");
              add_field (editor, "Rank");
              set_field_type (editor, 0, PQS_FIELD_CHOICE);
              add_field (editor, "Rank again");
              set_field (editor, 1, "Key", "rank");
              set_view (editor, "outline_view",
                        "[{\"kind\": \"question\", \"text\": \"Describe the boiler.\"},\n"
                        " {\"kind\": \"sub_question\", \"text\": \"Out of place.\"}]");
              pqs_template_editor_check (editor);
            }
        }
      else if (g_str_has_prefix (parts[i], "editor="))
        {
          const char *which = parts[i] + strlen ("editor=");
          PqsTemplateEditor *editor;

          editor = open_editor (&fixture, g_str_equal (which, "system") ? "System section"
                                                                         : "Main engine watch");
          gtk_window_set_default_size (GTK_WINDOW (editor), MIN (width, 640), height);
          if (g_str_equal (which, "json"))
            gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor_child (editor,
                                                                           "json_button")),
                                          TRUE);
          else if (g_str_equal (which, "field"))
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (field_row (editor, 0)), TRUE);
          else if (g_str_equal (which, "delete"))
            {
              g_signal_emit_by_name (editor_child (editor, "delete_button"), "clicked");
              adw_message_dialog_response (pqs_ui_test_find_message_dialog (), "delete");
            }
        }
    }

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

  if (g_getenv ("PQS_TEMPLATES_VIEW_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_TEMPLATES_VIEW_SHOW"));

#define ADD(path, func) \
  g_test_add ("/templates-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list", test_list);
  ADD ("create", test_create);
  ADD ("invalid", test_invalid);
  ADD ("system-copy", test_system_copy);
  ADD ("deactivate", test_deactivate);
  ADD ("delete-in-use", test_delete);
  ADD ("plain-user", test_plain_user);
#undef ADD

  return pqs_ui_test_run ();
}
