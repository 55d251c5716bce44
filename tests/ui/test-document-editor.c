/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <adwaita.h>

#include "pqs-document-editor.h"
#include "pqs-field-editor.h"
#include "pqs-history-pane.h"
#include "pqs-library.h"
#include "pqs-outline-editor.h"
#include "pqs-preview-pane.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"

/* The section document editor on a temporary database: an author (a
 * user), a supervisor and an administrator; a standard and a 300-series
 * section made from its system template. Each test drives the editor as a
 * person would (entries, actions, dialog responses) and checks what it
 * shows and what the database holds afterwards. */

#define TITLE    "Main Engine Watch"

typedef struct
{
  char              *tmpdir;
  PqsStore          *store;
  PqsLibrary        *library;
  gint64             standard_id;
  gint64             document_id;
  gint64             template_id;
  PqsSession        *session;
  GtkWindow         *window;
  PqsDocumentEditor *editor;
  guint              n_toasts;
  AdwToast          *last_toast;
} Fixture;

static gint64
query_int (Fixture    *fixture,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gint64
query_int (Fixture    *fixture,
           const char *format,
           ...)
{
  gint64 value;
  char *sql;
  va_list args;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  value = pqs_ui_test_query_int (fixture->store, sql);
  sqlite3_free (sql);
  return value;
}

/* One text value; %q and %Q as sqlite3_mprintf() has them. */
static char *
query_text (Fixture    *fixture,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static char *
query_text (Fixture    *fixture,
            const char *format,
            ...)
{
  char *result;
  char *sql;
  va_list args;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  result = pqs_ui_test_query_text (fixture->store, sql);
  sqlite3_free (sql);
  return result;
}

static void
toast_cb (PqsDocumentEditor *editor,
          AdwToast          *toast,
          Fixture           *fixture)
{
  fixture->n_toasts++;
  g_set_object (&fixture->last_toast, toast);
}

static const char *
last_toast (Fixture *fixture)
{
  return fixture->last_toast != NULL ? adw_toast_get_title (fixture->last_toast) : NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) author = NULL;
  g_autoptr(PqsUser) supervisor = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(PqsDocument) document = NULL;
  PqsStandardFields fields = {
    .title = "Main Propulsion Assistant",
    .owning_unit = "USS Example (DDG 0)",
    .classification = PQS_CLASSIFICATION_CONFIDENTIAL,
    .revision = "A",
  };

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-document-editor-XXXXXX");
  fixture->store = pqs_ui_test_open_migrated_store (fixture->tmpdir, "pqs.db", TRUE);

  admin = pqs_ui_test_add_user (fixture->store, NULL, "admin", "Ada Admin", "CDR", PQS_ROLE_ADMIN);
  author = pqs_ui_test_add_user (fixture->store, admin, "jdoe", "Jane Doe", "LT", PQS_ROLE_USER);
  supervisor = pqs_ui_test_add_user (fixture->store, admin, "carol", "Carol Clark", "LCDR",
                                     PQS_ROLE_SUPERVISOR);

  fixture->library = pqs_library_new (fixture->store);
  standard = pqs_library_create_standard (fixture->library, author, &fields, &error);
  g_assert_no_error (error);
  fixture->standard_id = pqs_standard_get_id (standard);
  fixture->template_id = query_int (fixture, "SELECT id FROM templates WHERE is_system = 1 "
                                             "AND section = 300 ORDER BY id LIMIT 1");
  g_assert_cmpint (fixture->template_id, >, 0);
  document = pqs_library_create_document (fixture->library, author, fixture->standard_id, 300,
                                          0, fixture->template_id, TITLE, &error);
  g_assert_no_error (error);
  fixture->document_id = pqs_document_get_id (document);
  g_assert_cmpuint (pqs_document_get_number (document), ==, 301);
}

static void
close_window (Fixture *fixture)
{
  if (fixture->window == NULL)
    return;
  pqs_ui_test_close_window (fixture->window, fixture->editor);
  fixture->window = NULL;
  fixture->editor = NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_window (fixture);
  g_clear_object (&fixture->last_toast);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->library);
  g_assert_finalize_object (fixture->store);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
}

/* The editor in a window, signed in as @username, the document loaded. */
static void
show_editor (Fixture    *fixture,
             const char *username)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);

  fixture->editor = g_object_ref (pqs_document_editor_new ());
  g_signal_connect (fixture->editor, "add-toast", G_CALLBACK (toast_cb), fixture);
  fixture->window = pqs_ui_test_window_new (GTK_WIDGET (fixture->editor), 900, 800);
  pqs_document_editor_set_session (fixture->editor, fixture->session);
  g_assert_true (pqs_document_editor_load (fixture->editor, fixture->document_id, &error));
  g_assert_no_error (error);
  gtk_window_present (fixture->window);
  pqs_ui_test_drain ();
}

/* The same editor, another person signed in. */
static void
switch_user (Fixture    *fixture,
             const char *username)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  fixture->session = pqs_ui_test_sign_in (fixture->store, username);
  pqs_document_editor_set_session (fixture->editor, fixture->session);
  g_assert_null (pqs_document_editor_get_document (fixture->editor));
  g_assert_true (pqs_document_editor_load (fixture->editor, fixture->document_id, &error));
  g_assert_no_error (error);
  pqs_ui_test_drain ();
}

/* Looking into the widgets -------------------------------------------------------------- */

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return pqs_ui_test_template_child (fixture->editor, PQS_TYPE_DOCUMENT_EDITOR, name);
}

static PqsOutlineEditor *
outline (Fixture *fixture)
{
  return PQS_OUTLINE_EDITOR (child (fixture, "outline_editor"));
}

static PqsFieldEditor *
fields (Fixture *fixture)
{
  return PQS_FIELD_EDITOR (child (fixture, "field_editor"));
}

static gboolean
shown (Fixture    *fixture,
       const char *name)
{
  return gtk_widget_get_visible (child (fixture, name));
}

static const char *
header_title (Fixture *fixture)
{
  return adw_window_title_get_title (ADW_WINDOW_TITLE (child (fixture, "window_title")));
}

static const char *
header_subtitle (Fixture *fixture)
{
  return adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child (fixture, "window_title")));
}

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
  pqs_ui_test_drain ();
}

static void
set_title (Fixture    *fixture,
           const char *text)
{
  set_text (child (fixture, "title_row"), text);
}

static void
set_buffer (GtkWidget  *view,
            const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  pqs_ui_test_drain ();
}

static GtkWidget *
item_part (Fixture    *fixture,
           guint       index,
           const char *part)
{
  GtkWidget *widget = pqs_outline_editor_get_row_part (outline (fixture), index, part);

  g_assert_nonnull (widget);
  return widget;
}

static char *
number (Fixture *fixture,
        guint    index)
{
  return pqs_outline_editor_dup_number (outline (fixture), index);
}

static gboolean
activate (Fixture    *fixture,
          const char *action,
          GVariant   *parameter)
{
  gboolean done = gtk_widget_activate_action_variant (GTK_WIDGET (fixture->editor), action,
                                                      parameter);
  pqs_ui_test_drain ();
  return done;
}

/* The outline's actions live on the outline editor. */
static gboolean
activate_outline (Fixture    *fixture,
                  const char *action)
{
  gboolean done = gtk_widget_activate_action (GTK_WIDGET (outline (fixture)), action, NULL);

  pqs_ui_test_drain ();
  return done;
}

static gboolean
activate_item (Fixture    *fixture,
               const char *action,
               guint       index)
{
  gboolean done = gtk_widget_activate_action (GTK_WIDGET (outline (fixture)), action, "i",
                                              (gint32) index);
  pqs_ui_test_drain ();
  return done;
}

static void
respond (const char *heading,
         const char *response)
{
  AdwMessageDialog *dialog = pqs_ui_test_find_message_dialog ();

  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, response);
  pqs_ui_test_drain ();
  g_assert_null (pqs_ui_test_find_message_dialog ());
}

static void
type_comment (const char *text)
{
  AdwMessageDialog *dialog = pqs_ui_test_find_message_dialog ();
  GtkWidget *view;

  g_assert_nonnull (dialog);
  view = g_object_get_data (G_OBJECT (dialog), "pqs-comment-view");
  g_assert_true (GTK_IS_TEXT_VIEW (view));
  set_buffer (view, text);
}

static char *
status_of (Fixture *fixture)
{
  return query_text (fixture, "SELECT status FROM documents WHERE id = %lld",
                     (long long) fixture->document_id);
}

static gint64
n_changes (Fixture *fixture)
{
  return query_int (fixture, "SELECT count(*) FROM document_changes WHERE document_id = %lld",
                    (long long) fixture->document_id);
}

/* Fills the template's required fields (prerequisites, tasks, signature). */
static void
fill_required (Fixture *fixture)
{
  PqsFieldEditor *form = fields (fixture);

  set_text (pqs_field_editor_get_widget (form, "prerequisites", NULL), "101, 201");
  set_buffer (pqs_field_editor_get_widget (form, "tasks", NULL), "Start the lube oil pump.");
  set_text (pqs_field_editor_get_widget (form, "final_signature", "name"), "A. Smith");
  set_text (pqs_field_editor_get_widget (form, "final_signature", "rank"), "LT");
  set_text (pqs_field_editor_get_widget (form, "final_signature", "date"), "2031-05-01");
}

/* Tests -------------------------------------------------------------------------------- */

static void
test_load (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *marking;
  guint n_items;

  show_editor (fixture, "jdoe");

  g_assert_cmpstr (header_title (fixture), ==, "301 " TITLE);
  g_assert_cmpstr (header_subtitle (fixture), ==, "Draft");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "title_row"))), ==,
                   TITLE);
  g_assert_true (pqs_document_editor_get_editable (fixture->editor));
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));

  /* The standard's marking, always in sight. */
  marking = child (fixture, "classification_label");
  g_assert_true (gtk_widget_get_visible (marking));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (marking)), ==, "CONFIDENTIAL");
  g_assert_true (gtk_widget_has_css_class (marking, "confidential"));

  /* The template's form: five fields of their types, required ones marked. */
  g_assert_cmpuint (pqs_field_editor_get_n_fields (fields (fixture)), ==, 5);
  g_assert_true (ADW_IS_ENTRY_ROW (pqs_field_editor_get_widget (fields (fixture),
                                                                "prerequisites", NULL)));
  g_assert_true (GTK_IS_TEXT_VIEW (pqs_field_editor_get_widget (fields (fixture), "tasks",
                                                                NULL)));
  g_assert_true (GTK_IS_SPIN_BUTTON (pqs_field_editor_get_widget (fields (fixture),
                                                                  "watches_under_instruction",
                                                                  NULL)));
  g_assert_true (ADW_IS_ENTRY_ROW (pqs_field_editor_get_widget (fields (fixture),
                                                                "qualification_date", NULL)));
  g_assert_true (ADW_IS_EXPANDER_ROW (pqs_field_editor_get_widget (fields (fixture),
                                                                   "final_signature", NULL)));
  g_assert_null (pqs_field_editor_get_message (fields (fixture), "prerequisites"));

  /* The template's outline, numbered as the book is. */
  n_items = pqs_outline_editor_get_n_items (outline (fixture));
  g_assert_cmpint (n_items, ==, query_int (fixture, "SELECT count(*) FROM document_items "
                                                    "WHERE document_id = %lld",
                                           (long long) fixture->document_id));
  g_assert_cmpint (pqs_outline_editor_get_item (outline (fixture), 0)->kind, ==, PQS_ITEM_TEXT);
  {
    g_autofree char *n0 = number (fixture, 0);
    g_autofree char *n1 = number (fixture, 1);
    g_autofree char *n2 = number (fixture, 2);

    g_assert_cmpstr (n0, ==, "");
    g_assert_cmpstr (n1, ==, "1.");
    g_assert_cmpstr (n2, ==, "1.a");
  }

  /* Save: shown, insensitive until something changes. Workflow: the
   * author's own. */
  g_assert_true (shown (fixture, "save_button"));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "save_button")));
  g_assert_true (shown (fixture, "submit_button"));
  g_assert_true (shown (fixture, "comment_button"));
  g_assert_false (shown (fixture, "approve_button"));
  g_assert_false (shown (fixture, "request_changes_button"));
  g_assert_false (shown (fixture, "archive_button"));
  g_assert_false (shown (fixture, "revise_button"));
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "readonly_bar"))));
  g_assert_true (shown (fixture, "export_button"));

  /* The back button follows the leaflet. */
  g_assert_false (shown (fixture, "back_button"));
  g_object_set (fixture->editor, "show-back", TRUE, NULL);
  g_assert_true (shown (fixture, "back_button"));
  g_assert_true (adw_header_bar_get_show_start_title_buttons (
                   ADW_HEADER_BAR (child (fixture, "header_bar"))));

  /* Typing, then typing it back: not modified. */
  set_title (fixture, "Something else");
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));
  g_assert_cmpstr (header_title (fixture), ==, "301 Something else");
  g_assert_true (gtk_widget_is_sensitive (child (fixture, "save_button")));
  set_title (fixture, TITLE);
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "save_button")));
}

static void
test_edit_and_save (Fixture       *fixture,
                    gconstpointer  data)
{
  PqsFieldEditor *form;
  PqsOutlineEditor *items;
  GtkWidget *spin;
  gint64 changes_before = n_changes (fixture);
  guint n0, question, target;
  const PqsOutlineItem *item;
  g_autofree char *metadata = NULL;
  g_autoptr(PqsDocument) previewed = NULL;
  AdwViewStack *stack;

  show_editor (fixture, "jdoe");
  form = fields (fixture);
  items = outline (fixture);

  set_title (fixture, "Main Engine Lube Oil Watch");
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));
  g_assert_cmpstr (header_title (fixture), ==, "301 Main Engine Lube Oil Watch");
  g_assert_cmpstr (header_subtitle (fixture), ==, "Draft · Unsaved");

  /* Fields, with the model's sentence inline for a bad date. */
  set_text (pqs_field_editor_get_widget (form, "prerequisites", NULL), "101, 201");
  set_text (pqs_field_editor_get_widget (form, "qualification_date", NULL), "2031-02-30");
  g_assert_cmpstr (pqs_field_editor_get_message (form, "qualification_date"), ==,
                   "“Date qualified” must be a day written YYYY-MM-DD.");
  g_assert_true (gtk_widget_has_css_class (pqs_field_editor_get_widget (form,
                                                                        "qualification_date",
                                                                        "container"),
                                           "error"));
  set_text (pqs_field_editor_get_widget (form, "qualification_date", NULL), "2031-02-28");
  g_assert_null (pqs_field_editor_get_message (form, "qualification_date"));
  spin = pqs_field_editor_get_widget (form, "watches_under_instruction", NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 4);
  pqs_ui_test_drain ();
  set_buffer (pqs_field_editor_get_widget (form, "tasks", NULL),
              "Start the lube oil pump.\nShift the strainers.");
  set_text (pqs_field_editor_get_widget (form, "final_signature", "name"), "A. Smith");
  set_text (pqs_field_editor_get_widget (form, "final_signature", "date"), "2031-03-01");

  /* A question with its answer, at the end. */
  n0 = pqs_outline_editor_get_n_items (items);
  pqs_outline_editor_set_current (items, -1);
  g_assert_true (activate_outline (fixture, "outline.add-question"));
  g_assert_cmpuint (pqs_outline_editor_get_n_items (items), ==, n0 + 1);
  question = n0;
  set_text (item_part (fixture, question, "text"), "Check the sump level.");
  set_text (item_part (fixture, question, "answer"), "Reads the sight glass between the marks.");
  set_text (item_part (fixture, question, "criteria"), "Level read correctly.");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     pqs_outline_editor_get_row (items, question))), ==,
                   "Check the sump level.");

  /* Two sub-questions under it; the second indented to the second level. */
  g_assert_true (activate_outline (fixture, "outline.add-sub-question"));
  set_text (item_part (fixture, question + 1, "text"), "Where is the sight glass?");
  g_assert_true (activate_outline (fixture, "outline.add-sub-question"));
  set_text (item_part (fixture, question + 2, "text"), "Which marks?");
  g_assert_cmpint (pqs_outline_editor_get_item (items, question + 2)->kind, ==,
                   PQS_ITEM_SUB_QUESTION);
  g_assert_true (activate_item (fixture, "outline.indent", question + 2));
  item = pqs_outline_editor_get_item (items, question + 2);
  g_assert_cmpint (item->kind, ==, PQS_ITEM_SECOND_LEVEL);
  g_assert_cmpuint (item->depth, ==, 2);
  {
    g_autofree char *q = number (fixture, question);
    g_autofree char *sub = number (fixture, question + 1);
    g_autofree char *second = number (fixture, question + 2);

    g_assert_true (g_str_has_suffix (sub, ".a"));
    g_assert_true (g_str_has_prefix (sub, q));
    g_assert_cmpstr (second + strlen (sub), ==, ".(1)");
  }

  /* Moved up by the keyboard's action: before the question that was last. */
  for (target = question - 1; pqs_outline_editor_get_item (items, target)->depth > 0; target--)
    ;
  g_assert_true (activate_item (fixture, "outline.move-up", question));
  item = pqs_outline_editor_get_item (items, target);
  g_assert_cmpstr (item->text, ==, "Check the sump level.");
  g_assert_cmpstr (pqs_outline_editor_get_item (items, target + 1)->text, ==,
                   "Where is the sight glass?");
  g_assert_cmpstr (pqs_outline_editor_get_item (items, target + 2)->text, ==, "Which marks?");
  g_assert_cmpint (pqs_outline_editor_get_current (items), ==, (int) target);

  /* Ctrl+S. */
  g_assert_true (activate (fixture, "editor.save", NULL));
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));
  g_assert_cmpstr (last_toast (fixture), ==, "Document saved");
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "save_button")));
  g_assert_cmpint (n_changes (fixture), ==, changes_before + 1);

  /* What the database holds. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM documents WHERE id = %lld AND "
                                       "title = 'Main Engine Lube Oil Watch'",
                              (long long) fixture->document_id), ==, 1);
  metadata = query_text (fixture, "SELECT metadata FROM documents WHERE id = %lld",
                         (long long) fixture->document_id);
  g_test_message ("metadata: %s", metadata);
  g_assert_cmpint (query_int (fixture,
                              "SELECT json_extract(metadata, '$.prerequisites') = '101, 201' "
                              "AND json_extract(metadata, '$.qualification_date') = '2031-02-28' "
                              "AND json_extract(metadata, '$.watches_under_instruction') = 4 "
                              "AND json_extract(metadata, '$.tasks') = "
                              "'Start the lube oil pump.' || char(10) || 'Shift the strainers.' "
                              "AND json_extract(metadata, '$.final_signature.name') = 'A. Smith' "
                              "AND json_extract(metadata, '$.final_signature.date') = "
                              "'2031-03-01' FROM documents WHERE id = %lld",
                              (long long) fixture->document_id), ==, 1);

  /* The new question is the top-level item before the last one, with its
   * answer; its sub-question and second-level one hang under it. */
  g_assert_cmpint (query_int (fixture,
                              "SELECT q.position = (SELECT max(position) FROM document_items "
                              "  WHERE document_id = q.document_id AND parent_id IS NULL) - 1 "
                              "FROM document_items AS q WHERE q.document_id = %lld AND "
                              "q.kind = 'question' AND q.parent_id IS NULL AND "
                              "q.text = 'Check the sump level.' AND "
                              "q.answer = 'Reads the sight glass between the marks.' AND "
                              "q.criteria = 'Level read correctly.'",
                              (long long) fixture->document_id), ==, 1);
  g_assert_cmpint (query_int (fixture,
                              "SELECT count(*) FROM document_items AS s "
                              "JOIN document_items AS q ON q.id = s.parent_id "
                              "JOIN document_items AS l ON l.parent_id = s.id "
                              "WHERE s.document_id = %lld AND s.kind = 'sub_question' AND "
                              "s.position = 0 AND s.text = 'Where is the sight glass?' AND "
                              "q.text = 'Check the sump level.' AND l.kind = 'second_level' AND "
                              "l.position = 0 AND l.text = 'Which marks?'",
                              (long long) fixture->document_id), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_items WHERE "
                                       "document_id = %lld",
                              (long long) fixture->document_id), ==, n0 + 3);

  /* The editor now holds what was saved. */
  g_assert_cmpstr (pqs_document_get_title (pqs_document_editor_get_document (fixture->editor)),
                   ==, "Main Engine Lube Oil Watch");
  g_assert_cmpstr (header_subtitle (fixture), ==, "Draft");

  /* Beside the editing page: the history with the save, and the preview of
   * what is being edited, saved or not. */
  stack = ADW_VIEW_STACK (child (fixture, "view_stack"));
  adw_view_stack_set_visible_child_name (stack, "history");
  pqs_ui_test_drain ();
  g_assert_cmpuint (pqs_history_pane_get_n_entries (PQS_HISTORY_PANE (child (fixture,
                                                                             "history_pane"))),
                    >=, 2);
  adw_view_stack_set_visible_child_name (stack, "edit");
  set_title (fixture, "Previewed before saving");
  adw_view_stack_set_visible_child_name (stack, "preview");
  pqs_ui_test_drain ();
  g_object_get (child (fixture, "preview_pane"), "document", &previewed, NULL);
  g_assert_nonnull (previewed);
  g_assert_cmpstr (pqs_document_get_title (previewed), ==, "Previewed before saving");
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));
}

static void
test_outline_rules (Fixture       *fixture,
                    gconstpointer  data)
{
  PqsOutlineEditor *items;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_question = NULL;
  guint n0, n_children;
  AdwToast *undo;

  show_editor (fixture, "jdoe");
  items = outline (fixture);
  n0 = pqs_outline_editor_get_n_items (items);
  first_question = g_strdup (pqs_outline_editor_get_item (items, 1)->text);

  /* The rules hold: a first item has nothing to go under, a question does
   * not go under a text, the top level does not outdent. */
  g_assert_false (pqs_outline_editor_indent (items, 0, &error));
  g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pqs_outline_editor_indent (items, 1, &error));
  g_assert_cmpstr (error->message, ==, "Nothing goes under a text, a signature line or a "
                                       "second-level sub-question.");
  g_clear_error (&error);
  g_assert_false (pqs_outline_editor_outdent (items, 1, &error));
  g_clear_error (&error);
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));

  /* The action says it with a toast. */
  fixture->n_toasts = 0;
  activate_item (fixture, "outline.indent", 1);
  g_assert_cmpuint (fixture->n_toasts, ==, 1);

  /* A sub-question outdented becomes a question after its parent. */
  g_assert_cmpint (pqs_outline_editor_get_item (items, 2)->kind, ==, PQS_ITEM_SUB_QUESTION);
  g_assert_true (pqs_outline_editor_outdent (items, 2, &error));
  g_assert_no_error (error);
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));
  {
    /* Question 1 keeps its other sub-question; the outdented one is 2. */
    g_autofree char *n = NULL;
    guint i;

    for (i = 2; i < n0 && pqs_outline_editor_get_item (items, i)->depth > 0; i++)
      ;
    g_assert_cmpint (pqs_outline_editor_get_item (items, i)->kind, ==, PQS_ITEM_QUESTION);
    g_assert_cmpstr (pqs_outline_editor_get_item (items, i)->text, ==,
                     "Review the logs and round sheets.");
    n = number (fixture, i);
    g_assert_cmpstr (n, ==, "2.");
    /* And indented back. */
    g_assert_true (pqs_outline_editor_indent (items, i, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pqs_outline_editor_get_item (items, i)->kind, ==, PQS_ITEM_SUB_QUESTION);
  }

  /* Dropped before the text: question 1 (with its children) goes first. */
  n_children = 0;
  while (pqs_outline_editor_get_item (items, 2 + n_children)->depth > 0)
    n_children++;
  g_assert_true (pqs_outline_editor_move_to (items, 1, 0, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_outline_editor_get_item (items, 0)->text, ==, first_question);
  g_assert_cmpint (pqs_outline_editor_get_item (items, n_children + 1)->kind, ==, PQS_ITEM_TEXT);
  /* Not into itself. */
  g_assert_false (pqs_outline_editor_move_to (items, 0, 1, TRUE, &error));
  g_clear_error (&error);

  /* Deleted with its children, and put back from the toast. */
  fixture->n_toasts = 0;
  g_assert_true (activate_item (fixture, "outline.delete", 0));
  g_assert_cmpuint (pqs_outline_editor_get_n_items (items), ==, n0 - 1 - n_children);
  g_assert_cmpuint (fixture->n_toasts, ==, 1);
  undo = fixture->last_toast;
  g_assert_nonnull (adw_toast_get_button_label (undo));
  g_signal_emit_by_name (undo, "button-clicked");
  pqs_ui_test_drain ();
  g_assert_cmpuint (pqs_outline_editor_get_n_items (items), ==, n0);
  g_assert_cmpstr (pqs_outline_editor_get_item (items, 0)->text, ==, first_question);
  g_assert_cmpint (pqs_outline_editor_get_item (items, 1)->kind, ==, PQS_ITEM_SUB_QUESTION);

  /* A sub-question needs a question: none in an empty outline. */
  while (pqs_outline_editor_get_n_items (items) > 0)
    g_assert_true (pqs_outline_editor_delete_item (items, 0, NULL));
  g_assert_false (pqs_outline_editor_add_item (items, PQS_ITEM_SUB_QUESTION, &error));
  g_clear_error (&error);
  g_assert_true (pqs_outline_editor_add_item (items, PQS_ITEM_SIGNATURE, &error));
  g_assert_cmpint (pqs_outline_editor_get_item (items, 0)->kind, ==, PQS_ITEM_SIGNATURE);
  {
    g_autofree char *n = number (fixture, 0);

    g_assert_cmpstr (n, ==, "");
  }
}

static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(PqsUser) carol = NULL;
  gint64 changes;
  g_autofree char *title = NULL;

  show_editor (fixture, "jdoe");
  carol = pqs_ui_test_lookup_user (fixture->store, "carol");

  /* Someone saves between the load and the save. */
  set_title (fixture, "Mine");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsDocument) theirs = pqs_library_load_document (fixture->library, carol,
                                                               fixture->document_id, &error);

    g_assert_no_error (error);
    pqs_document_set_title (theirs, "Theirs");
    g_assert_true (pqs_library_save_document (fixture->library, carol, theirs, NULL,
                                              PQS_SAVE_DEFAULT, &error));
    g_assert_no_error (error);
  }
  pqs_ui_test_drain ();
  changes = n_changes (fixture);
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));

  /* Cancel: nothing written, still modified. */
  activate (fixture, "editor.save", NULL);
  respond ("Someone Else Saved This Document", "cancel");
  g_assert_cmpint (n_changes (fixture), ==, changes);
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));

  /* Overwrite: mine, theirs in the history. */
  activate (fixture, "editor.save", NULL);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (pqs_ui_test_find_message_dialog ()),
                            "Carol Clark"));
  respond ("Someone Else Saved This Document", "overwrite");
  title = query_text (fixture, "SELECT title FROM documents WHERE id = %lld",
                      (long long) fixture->document_id);
  g_assert_cmpstr (title, ==, "Mine");
  g_assert_cmpint (n_changes (fixture), ==, changes + 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_changes WHERE "
                                       "document_id = %lld AND new_content LIKE "
                                       "'Title: Theirs%%'",
                              (long long) fixture->document_id), ==, 1);
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));

  /* Reload: theirs, mine dropped. */
  set_title (fixture, "Mine again");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsDocument) theirs = pqs_library_load_document (fixture->library, carol,
                                                               fixture->document_id, &error);

    pqs_document_set_title (theirs, "Theirs again");
    g_assert_true (pqs_library_save_document (fixture->library, carol, theirs, NULL,
                                              PQS_SAVE_DEFAULT, &error));
    g_assert_no_error (error);
  }
  pqs_ui_test_drain ();
  changes = n_changes (fixture);
  activate (fixture, "editor.save", NULL);
  respond ("Someone Else Saved This Document", "reload");
  g_assert_cmpint (n_changes (fixture), ==, changes);
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "title_row"))), ==,
                   "Theirs again");
  g_assert_cmpstr (header_title (fixture), ==, "301 Theirs again");

  /* An unmodified editor follows others' saves by itself. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsDocument) theirs = pqs_library_load_document (fixture->library, carol,
                                                               fixture->document_id, &error);

    pqs_document_set_title (theirs, "Theirs once more");
    g_assert_true (pqs_library_save_document (fixture->library, carol, theirs, NULL,
                                              PQS_SAVE_DEFAULT, &error));
  }
  pqs_ui_test_drain ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "title_row"))), ==,
                   "Theirs once more");
}

static void
test_workflow (Fixture       *fixture,
               gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autofree char *status = NULL;

  show_editor (fixture, "jdoe");
  g_assert_true (shown (fixture, "submit_button"));
  g_assert_false (shown (fixture, "approve_button"));
  g_assert_false (shown (fixture, "request_changes_button"));

  /* Required fields missing: refused in words, each field marked. */
  activate (fixture, "editor.submit", NULL);
  g_assert_nonnull (pqs_document_editor_get_error (fixture->editor));
  g_test_message ("submit refused: %s", pqs_document_editor_get_error (fixture->editor));
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "error_bar"))));
  g_assert_cmpstr (pqs_field_editor_get_message (fields (fixture), "prerequisites"), ==,
                   "“Prerequisites” is required: fill it in.");
  g_assert_nonnull (pqs_field_editor_get_message (fields (fixture), "final_signature"));
  status = status_of (fixture);
  g_assert_cmpstr (status, ==, "draft");

  /* Filled in, then submitted: saved first. */
  fill_required (fixture);
  g_assert_null (pqs_field_editor_get_message (fields (fixture), "prerequisites"));
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));
  activate (fixture, "editor.submit", NULL);
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  g_free (status);
  status = status_of (fixture);
  g_assert_cmpstr (status, ==, "in_review");
  g_assert_cmpstr (last_toast (fixture), ==, "Submitted for review");
  g_assert_cmpint (query_int (fixture, "SELECT json_extract(metadata, '$.prerequisites') = "
                                       "'101, 201' FROM documents WHERE id = %lld",
                              (long long) fixture->document_id), ==, 1);

  /* In review: the author reads it only. */
  g_assert_false (pqs_document_editor_get_editable (fixture->editor));
  g_assert_cmpstr (header_subtitle (fixture), ==, "In review");
  g_assert_false (shown (fixture, "submit_button"));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "save_button")));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "title_row")));
  g_assert_false (gtk_widget_is_sensitive (pqs_field_editor_get_widget (fields (fixture),
                                                                        "prerequisites", NULL)));
  g_assert_false (pqs_outline_editor_get_editable (outline (fixture)));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (item_part (fixture, 1, "text"))));
  g_assert_false (activate_outline (fixture, "outline.add-question") &&
                  pqs_document_editor_get_modified (fixture->editor));
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "readonly_bar"))));
  g_assert_false (shown (fixture, "readonly_revise_button"));

  /* The supervisor reviews. */
  switch_user (fixture, "carol");
  g_assert_true (shown (fixture, "approve_button"));
  g_assert_true (shown (fixture, "request_changes_button"));
  g_assert_false (shown (fixture, "submit_button"));

  /* Changes requested without a comment: refused. */
  activate (fixture, "editor.request-changes", NULL);
  dialog = pqs_ui_test_find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "request"));
  respond ("Request Changes", "request");
  g_assert_cmpstr (pqs_document_editor_get_error (fixture->editor), ==,
                   "Write a comment that tells the author what to change.");
  g_free (status);
  status = status_of (fixture);
  g_assert_cmpstr (status, ==, "in_review");

  /* With one: back to the author as a draft. */
  activate (fixture, "editor.request-changes", NULL);
  type_comment ("Add the strainer shift to the tasks.");
  g_assert_true (adw_message_dialog_get_response_enabled (pqs_ui_test_find_message_dialog (),
                                                         "request"));
  respond ("Request Changes", "request");
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  g_free (status);
  status = status_of (fixture);
  g_assert_cmpstr (status, ==, "draft");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_reviews WHERE "
                                       "document_id = %lld AND comment = "
                                       "'Add the strainer shift to the tasks.'",
                              (long long) fixture->document_id), ==, 1);
  g_assert_false (shown (fixture, "approve_button"));

  /* The author submits again; the supervisor approves. */
  switch_user (fixture, "jdoe");
  activate (fixture, "editor.submit", NULL);
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  switch_user (fixture, "carol");
  activate (fixture, "editor.approve", NULL);
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  g_free (status);
  status = status_of (fixture);
  g_assert_cmpstr (status, ==, "approved");
  g_assert_cmpstr (last_toast (fixture), ==, "Document approved");

  /* Approved: read-only, with New Revision offered. */
  g_assert_false (pqs_document_editor_get_editable (fixture->editor));
  g_assert_cmpstr (header_subtitle (fixture), ==, "Approved");
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "readonly_bar"))));
  g_assert_true (shown (fixture, "readonly_revise_button"));
  g_assert_false (shown (fixture, "revise_button"));
  g_assert_true (shown (fixture, "archive_button"));
  g_assert_false (shown (fixture, "approve_button"));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "title_row")));

  /* The author sees it approved, may start a revision, not archive it. */
  switch_user (fixture, "jdoe");
  g_assert_false (pqs_document_editor_get_editable (fixture->editor));
  g_assert_true (shown (fixture, "readonly_revise_button"));
  g_assert_false (shown (fixture, "archive_button"));
  activate (fixture, "editor.revise", NULL);
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  g_free (status);
  status = status_of (fixture);
  g_assert_cmpstr (status, ==, "draft");
  g_assert_cmpint (query_int (fixture, "SELECT version FROM documents WHERE id = %lld",
                              (long long) fixture->document_id), ==, 2);
  g_assert_true (pqs_document_editor_get_editable (fixture->editor));
  g_assert_cmpstr (header_subtitle (fixture), ==, "Draft · Version 2");
  g_assert_false (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "readonly_bar"))));

  /* A comment, kept with the reviews. */
  activate (fixture, "editor.comment", NULL);
  type_comment ("Started revision 2 for the new pump.");
  respond ("Add a Comment", "comment");
  g_assert_cmpstr (last_toast (fixture), ==, "Comment added");
}

static void
close_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  int *answer = user_data;
  g_autoptr(GError) error = NULL;

  *answer = pqs_document_editor_close_finish (PQS_DOCUMENT_EDITOR (object), result, &error);
  g_assert_no_error (error);
}

static int
ask_to_close (Fixture    *fixture,
              const char *response)
{
  int answer = -1;

  pqs_document_editor_close_async (fixture->editor, NULL, close_done_cb, &answer);
  pqs_ui_test_drain ();
  if (response != NULL)
    respond ("Save Changes?", response);
  else
    g_assert_null (pqs_ui_test_find_message_dialog ());
  while (answer == -1)
    g_main_context_iteration (NULL, TRUE);
  return answer;
}

static void
test_close_guard (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *title = NULL;

  show_editor (fixture, "jdoe");

  /* Nothing to save: closes at once. */
  g_assert_true (ask_to_close (fixture, NULL));

  /* Cancel keeps the changes. */
  set_title (fixture, "Unsaved title");
  g_assert_false (ask_to_close (fixture, "cancel"));
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));

  /* Discard shows the stored document again. */
  g_assert_true (ask_to_close (fixture, "discard"));
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (fixture, "title_row"))), ==,
                   TITLE);

  /* Save writes them. */
  set_title (fixture, "Saved on the way out");
  g_assert_true (ask_to_close (fixture, "save"));
  title = query_text (fixture, "SELECT title FROM documents WHERE id = %lld",
                      (long long) fixture->document_id);
  g_assert_cmpstr (title, ==, "Saved on the way out");
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));
}

static void
test_visitor (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PqsUser) admin = pqs_ui_test_lookup_user (fixture->store, "admin");
  g_autoptr(GError) error = NULL;

  /* A supervisor reads the author's draft, may edit it but not review it. */
  show_editor (fixture, "carol");
  g_assert_true (pqs_document_editor_get_editable (fixture->editor));
  g_assert_false (shown (fixture, "approve_button"));

  /* A visitor reads an approved document, and nothing more. */
  g_object_unref (pqs_ui_test_add_user (fixture->store, admin, "victor", "Victor Visitor", NULL,
                                        PQS_ROLE_VISITOR));
  g_assert_true (pqs_store_exec (fixture->store,
                                 "UPDATE documents SET status = 'approved', approved_by = 1, "
                                 "approved_at = '2031-01-01T00:00:00Z'", &error));
  g_assert_no_error (error);
  switch_user (fixture, "victor");
  g_assert_false (pqs_document_editor_get_editable (fixture->editor));
  g_assert_false (shown (fixture, "workflow_bar"));
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (child (fixture, "readonly_bar"))));
  g_assert_false (shown (fixture, "readonly_revise_button"));
  /* A button bound to an action is sensitive when the action is enabled. */
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "save_button")));
}

static void
test_choice_field (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(PqsUser) author = pqs_ui_test_lookup_user (fixture->store, "jdoe");
  g_autoptr(PqsDocument) system = NULL;
  g_autoptr(GError) error = NULL;
  gint64 template_id;
  GtkWidget *combo;
  GtkStringList *options;

  /* A 200-series section: its template has a choice field. */
  template_id = query_int (fixture, "SELECT id FROM templates WHERE is_system = 1 AND "
                                    "section = 200 ORDER BY id LIMIT 1");
  system = pqs_library_create_document (fixture->library, author, fixture->standard_id, 200, 0,
                                        template_id, "Lube Oil System", &error);
  g_assert_no_error (error);
  fixture->document_id = pqs_document_get_id (system);
  show_editor (fixture, "jdoe");
  g_assert_cmpstr (header_title (fixture), ==, "201 Lube Oil System");

  combo = pqs_field_editor_get_widget (fields (fixture), "difficulty", NULL);
  g_assert_true (ADW_IS_COMBO_ROW (combo));
  options = GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (combo)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (options)), ==, 4);
  g_assert_cmpstr (gtk_string_list_get_string (options, 0), ==, "Not chosen");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  g_assert_false (pqs_document_editor_get_modified (fixture->editor));

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  pqs_ui_test_drain ();
  g_assert_true (pqs_document_editor_get_modified (fixture->editor));
  activate (fixture, "editor.save", NULL);
  g_assert_null (pqs_document_editor_get_error (fixture->editor));
  g_assert_cmpint (query_int (fixture, "SELECT json_extract(metadata, '$.difficulty') = "
                                       "'Intermediate' FROM documents WHERE id = %lld",
                              (long long) fixture->document_id), ==, 1);

  /* Back to "Not chosen": the value goes. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  pqs_ui_test_drain ();
  activate (fixture, "editor.save", NULL);
  g_assert_cmpint (query_int (fixture, "SELECT json_type(metadata, '$.difficulty') IS NULL "
                                       "FROM documents WHERE id = %lld",
                              (long long) fixture->document_id), ==, 1);
}

/* A look at the editor, for screenshots: PQS_DOCUMENT_EDITOR_SHOW="900x800"
 * with ",dark", ",as=USER", ",state=edited|conflict|review|approved|error|
 * preview|history|request" shows it until killed. */
static int
show_for_screenshot (const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  Fixture fixture = { 0 };
  const char *user = "jdoe";
  int width = 900, height = 800;

  fixture_set_up (&fixture, NULL);
  sscanf (parts[0], "%dx%d", &width, &height);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "dark"))
        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            ADW_COLOR_SCHEME_FORCE_DARK);
      else if (g_str_has_prefix (parts[i], "as="))
        user = parts[i] + 3;
    }

  show_editor (&fixture, "jdoe");
  gtk_window_set_default_size (fixture.window, width, height);
  gtk_window_set_title (fixture.window, "Document");

  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "state=edited"))
        {
          fill_required (&fixture);
          set_text (pqs_field_editor_get_widget (fields (&fixture), "qualification_date", NULL),
                    "2031-02-30");
          gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (
                                      GTK_SCROLLED_WINDOW (child (&fixture, "edit_scroller"))),
                                    0);
        }
      else if (g_str_equal (parts[i], "state=outline"))
        {
          GtkWidget *row = pqs_outline_editor_get_row (outline (&fixture), 1);

          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
          pqs_ui_test_drain ();
          gtk_widget_grab_focus (pqs_outline_editor_get_row_part (outline (&fixture), 1,
                                                                  "answer"));
          pqs_ui_test_drain ();
          {
            GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (
              GTK_SCROLLED_WINDOW (child (&fixture, "edit_scroller")));
            double x, y;

            GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (outline (&fixture)));

            if (gtk_widget_translate_coordinates (row, box, 0, 0, &x, &y))
              gtk_adjustment_set_value (adj, y - 40);
          }
        }
      else if (g_str_has_prefix (parts[i], "focus="))
        {
          /* The heading of a row, for keys sent from outside (xdotool). */
          guint index = (guint) atoi (parts[i] + strlen ("focus="));
          GtkWidget *row = pqs_outline_editor_get_row (outline (&fixture), index);
          GtkWidget *heading = row;

          while (heading != NULL && !ADW_IS_ACTION_ROW (heading))
            heading = gtk_widget_get_first_child (heading);
          gtk_widget_grab_focus (heading != NULL ? heading : row);
          pqs_ui_test_drain ();
        }
      else if (g_str_equal (parts[i], "state=error"))
        activate (&fixture, "editor.submit", NULL);
      else if (g_str_equal (parts[i], "state=conflict"))
        {
          g_autoptr(PqsUser) carol = pqs_ui_test_lookup_user (fixture.store, "carol");
          g_autoptr(PqsDocument) theirs = pqs_library_load_document (fixture.library, carol,
                                                                     fixture.document_id, NULL);

          set_title (&fixture, "Mine");
          pqs_document_set_title (theirs, "Theirs");
          pqs_library_save_document (fixture.library, carol, theirs, NULL, PQS_SAVE_DEFAULT,
                                     NULL);
          pqs_ui_test_drain ();
          activate (&fixture, "editor.save", NULL);
        }
      else if (g_str_equal (parts[i], "state=close"))
        {
          set_title (&fixture, "Mine");
          pqs_document_editor_close_async (fixture.editor, NULL, NULL, NULL);
        }
      else if (g_str_equal (parts[i], "state=review") || g_str_equal (parts[i], "state=approved") ||
               g_str_equal (parts[i], "state=request"))
        {
          fill_required (&fixture);
          activate (&fixture, "editor.submit", NULL);
          if (!g_str_equal (user, "jdoe"))
            switch_user (&fixture, user);
          if (g_str_equal (parts[i], "state=approved"))
            activate (&fixture, "editor.approve", NULL);
          if (g_str_equal (parts[i], "state=request"))
            {
              activate (&fixture, "editor.request-changes", NULL);
              type_comment ("Add the strainer shift to the tasks.");
            }
        }
      else if (g_str_equal (parts[i], "state=preview") || g_str_equal (parts[i], "state=history"))
        {
          fill_required (&fixture);
          activate (&fixture, "editor.save", NULL);
          adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (&fixture, "view_stack")),
                                                 parts[i] + strlen ("state="));
        }
    }
  if (g_str_equal (user, "jdoe") == FALSE && pqs_document_editor_get_session (fixture.editor) !=
      NULL && g_strcmp0 (pqs_user_get_username (pqs_session_get_user (fixture.session)), user) != 0)
    switch_user (&fixture, user);

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

  if (g_getenv ("PQS_DOCUMENT_EDITOR_SHOW") != NULL)
    return show_for_screenshot (g_getenv ("PQS_DOCUMENT_EDITOR_SHOW"));

#define ADD(path, func) \
  g_test_add ("/document-editor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("load", test_load);
  ADD ("edit-and-save", test_edit_and_save);
  ADD ("outline-rules", test_outline_rules);
  ADD ("conflict", test_conflict);
  ADD ("workflow", test_workflow);
  ADD ("close-guard", test_close_guard);
  ADD ("visitor", test_visitor);
  ADD ("choice-field", test_choice_field);
#undef ADD

  return pqs_ui_test_run ();
}
