/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "pqs-document.h"
#include "pqs-export-dialog.h"
#include "pqs-library.h"
#include "pqs-outline.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-ui-test-util.h"
#include "pqs-user.h"

/* Export and import helpers on temporary databases: the file names they
 * propose; both PDF editions, the JSON export of a document, the package
 * and the PDF of a whole standard written in a thread; a package imported
 * into a second database, then again, where the collision goes to the
 * (injected, then the real) resolver: new revision, cancel, overwrite;
 * a document imported under a new number; bad files and refusals as
 * sentences with nothing written; and the native chooser's own path. */

#define ANSWER   "Forty to fifty pounds per square inch"

typedef struct
{
  PqsStore   *store;
  PqsSession *session;
} Workstation;

typedef struct
{
  char        *tmpdir;
  Workstation  one;
  Workstation  two;
  gint64       standard_id;
  gint64       document_id;

  /* The injected resolver */
  guint               n_asked;
  gboolean            asked_standard;
  char               *asked_title;
  PqsPackageConflict  answer;
} Fixture;

/* A migrated database with an administrator and a writer, signed in as @username. */
static void
workstation_open (Workstation *workstation,
                  const char  *dir,
                  const char  *name,
                  const char  *username)
{
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) writer = NULL;

  workstation->store = pqs_ui_test_open_migrated_store (dir, name, TRUE);

  admin = pqs_ui_test_add_user (workstation->store, NULL, "admin", "Ada Admin", "CDR",
                                PQS_ROLE_ADMIN);
  writer = pqs_ui_test_add_user (workstation->store, admin, "writer", "Wes Writer", "PO1",
                                 PQS_ROLE_USER);
  g_object_unref (pqs_ui_test_add_user (workstation->store, admin, "reader", "Rita Reader", NULL,
                                        PQS_ROLE_USER));
  workstation->session = pqs_ui_test_sign_in (workstation->store, username);
}

static void
workstation_close (Workstation *workstation)
{
  g_clear_object (&workstation->session);
  if (workstation->store != NULL)
    g_assert_finalize_object (workstation->store);
  workstation->store = NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GPtrArray) outline = pqs_outline_new ();
  PqsUser *writer;
  PqsStandardFields fields = { "Main Propulsion Assistant", "USS Example (DDG 999)",
                               PQS_CLASSIFICATION_UNCLASSIFIED, NULL, "A", NULL };

  fixture->tmpdir = pqs_ui_test_make_tmpdir ("pqs-export-dialog-XXXXXX");
  workstation_open (&fixture->one, fixture->tmpdir, "one.db", "writer");
  workstation_open (&fixture->two, fixture->tmpdir, "two.db", "writer");

  writer = pqs_session_get_user (fixture->one.session);
  library = pqs_library_new (fixture->one.store);
  standard = pqs_library_create_standard (library, writer, &fields, &error);
  g_assert_no_error (error);
  fixture->standard_id = pqs_standard_get_id (standard);
  document = pqs_library_create_document (library, writer, fixture->standard_id, 200, 201, 0,
                                          "Lube Oil System", &error);
  g_assert_no_error (error);
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0,
                                                  "What is the normal lube oil pressure?",
                                                  ANSWER, "Within 5 psi"));
  pqs_document_set_outline (document, outline);
  pqs_document_set_body (document, "Trace the oil from the sump to the bearings.");
  g_assert_true (pqs_library_save_document (library, writer, document, NULL, PQS_SAVE_DEFAULT,
                                            &error));
  g_assert_no_error (error);
  fixture->document_id = pqs_document_get_id (document);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  pqs_ui_test_drain ();
  workstation_close (&fixture->one);
  workstation_close (&fixture->two);
  g_clear_pointer (&fixture->tmpdir, pqs_test_tmpdir_free);
  g_free (fixture->asked_title);
}

/* Waiting for results ------------------------------------------------------------- */

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static GFile *
export_document (Fixture       *fixture,
                 PqsSession    *session,
                 PqsExportKind  kind,
                 const char    *name,
                 GError       **error)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  pqs_export_document_to_file_async (session, fixture->document_id, kind, file, NULL, result_cb,
                                     &result);
  return pqs_export_document_to_file_finish (wait_for (&result), error);
}

static GFile *
export_standard (Fixture       *fixture,
                 PqsExportKind  kind,
                 const char    *name)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GFile *written;

  pqs_export_standard_to_file_async (fixture->one.session, fixture->standard_id, kind, file, NULL,
                                     result_cb, &result);
  written = pqs_export_standard_to_file_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  return written;
}

static void
resolver_cb (GtkWindow                *parent,
             const PqsImportCollision *collision,
             PqsImportReplyFunc        reply,
             gpointer                  reply_data,
             gpointer                  user_data)
{
  Fixture *fixture = user_data;

  fixture->n_asked++;
  fixture->asked_standard = collision->is_standard;
  g_free (fixture->asked_title);
  fixture->asked_title = g_strdup (collision->title);
  g_assert_nonnull (collision->message);
  reply (fixture->answer, reply_data);
}

static PqsImportResult *
import_file (Fixture      *fixture,
             GFile        *file,
             gint64        standard_id,
             gboolean      default_resolver,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pqs_import_package_from_file_async (NULL, fixture->two.session, standard_id, file,
                                      default_resolver ? NULL : resolver_cb, fixture, NULL,
                                      result_cb, &result);
  return pqs_import_package_from_file_finish (wait_for (&result), error);
}

static char *
read_text (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_load_contents (file, NULL, &contents, NULL, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static const char *
json_format (GFile *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  static char format[64];

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  g_strlcpy (format, json_object_get_string_member (json_node_get_object (
                       json_parser_get_root (parser)), "format"), sizeof format);
  return format;
}

static GtkWindow *
find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static GtkWindow *
wait_for_window (GType type)
{
  GtkWindow *window;

  for (guint i = 0; i < 200 && (window = find_window (type)) == NULL; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (window);
  return window;
}

/* Waits until the chooser shows @folder (NULL: any folder). */
static void
wait_for_folder (GtkWindow *chooser,
                 GFile     *folder)
{
  for (guint i = 0; i < 250; i++)
    {
      g_autoptr(GFile) current = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));

      if (current != NULL && (folder == NULL || g_file_equal (current, folder)))
        return;
      g_usleep (10000);
      pqs_ui_test_drain ();
    }
  g_assert_not_reached ();
}

/* The tests ----------------------------------------------------------------------- */

static void
test_file_names (void)
{
  const struct
  {
    const char    *title;
    guint          number;
    PqsExportKind  kind;
    const char    *name;
  } cases[] = {
    { "Lube Oil System", 201, PQS_EXPORT_PDF_QUALIFIER, "201 Lube Oil System (qualifier).pdf" },
    { "Lube Oil System", 201, PQS_EXPORT_PDF_TRAINEE, "201 Lube Oil System (trainee).pdf" },
    { "Lube Oil System", 201, PQS_EXPORT_JSON, "201 Lube Oil System.json" },
    { "Main Propulsion Assistant", 0, PQS_EXPORT_JSON, "Main Propulsion Assistant.pqspkg" },
    { "Main Propulsion Assistant", 0, PQS_EXPORT_PDF_TRAINEE,
      "Main Propulsion Assistant (trainee).pdf" },
    { "Fuel/Oil: \"Purifier\" <A|B>?", 202, PQS_EXPORT_JSON,
      "202 Fuel-Oil- -Purifier- -A-B--.json" },
    { "../../etc/passwd", 0, PQS_EXPORT_JSON, "-..-etc-passwd.pqspkg" },
    { "", 0, PQS_EXPORT_JSON, "Untitled.pqspkg" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = pqs_export_suggest_file_name (cases[i].title, cases[i].number,
                                                            cases[i].kind);

      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) trainee = NULL;
  g_autoptr(GFile) qualifier = NULL;
  g_autoptr(GFile) json = NULL;
  g_autoptr(GFile) package = NULL;
  g_autoptr(GFile) book = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PqsSession) reader = NULL;

  trainee = export_document (fixture, fixture->one.session, PQS_EXPORT_PDF_TRAINEE,
                             "trainee.pdf", &error);
  g_assert_no_error (error);
  qualifier = export_document (fixture, fixture->one.session, PQS_EXPORT_PDF_QUALIFIER,
                               "qualifier.pdf", &error);
  g_assert_no_error (error);
  text = read_text (trainee);
  g_assert_true (g_str_has_prefix (text, "%PDF"));
  g_clear_pointer (&text, g_free);
  text = read_text (qualifier);
  g_assert_true (g_str_has_prefix (text, "%PDF"));
  g_clear_pointer (&text, g_free);

  json = export_document (fixture, fixture->one.session, PQS_EXPORT_JSON, "doc.json", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_format (json), ==, "pqs-desk/document");
  text = read_text (json);
  g_assert_nonnull (strstr (text, ANSWER));

  package = export_standard (fixture, PQS_EXPORT_JSON, "book.pqspkg");
  g_assert_cmpstr (json_format (package), ==, "pqs-desk/package");
  book = export_standard (fixture, PQS_EXPORT_PDF_QUALIFIER, "book.pdf");
  g_clear_pointer (&text, g_free);
  text = read_text (book);
  g_assert_true (g_str_has_prefix (text, "%PDF"));

  /* The export was audited by the thread's connection, as the writer. */
  g_assert_cmpint (pqs_ui_test_query_int (fixture->one.store,
                                          "SELECT count(*) FROM user_activities AS a "
                                          "JOIN users AS u ON u.id = a.user_id "
                                          "WHERE u.username = 'writer' AND "
                                          "a.activity_type LIKE '%export%'"),
                   >=, 1);

  /* Someone else's draft: a sentence, and no file. */
  reader = pqs_ui_test_sign_in (fixture->one.store, "reader");
  g_assert_null (export_document (fixture, reader, PQS_EXPORT_PDF_TRAINEE, "refused.pdf",
                                  &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  {
    g_autofree char *path = g_build_filename (fixture->tmpdir, "refused.pdf", NULL);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

static void
test_import_package (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) package = export_standard (fixture, PQS_EXPORT_JSON, "book.pqspkg");
  g_autoptr(PqsImportResult) first = NULL;
  g_autoptr(PqsImportResult) again = NULL;
  g_autoptr(PqsImportResult) over = NULL;
  const char *count_sql = "SELECT count(*) FROM standards "
                          "WHERE title = 'Main Propulsion Assistant'";

  /* A new standard on the second workstation: nothing to ask. */
  first = import_file (fixture, package, 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_asked, ==, 0);
  g_assert_true (first->is_standard);
  g_assert_true (first->standard_created);
  g_assert_cmpuint (first->n_created, ==, 2);   /* 101 Precautions and 201 */
  g_assert_cmpstr (first->message, ==, "Imported “Main Propulsion Assistant” with 2 documents");
  g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store, count_sql), ==, 1);
  g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store,
                                          "SELECT count(*) FROM documents "
                                          "WHERE title = 'Lube Oil System'"),
                   ==, 1);

  /* Again: it collides; cancelled, nothing is written. */
  fixture->answer = PQS_PACKAGE_CONFLICT_FAIL;
  g_assert_null (import_file (fixture, package, 0, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (fixture->n_asked, ==, 1);
  g_assert_true (fixture->asked_standard);
  g_assert_cmpstr (fixture->asked_title, ==, "Main Propulsion Assistant");
  g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store, count_sql), ==, 1);

  /* As a new revision. */
  fixture->answer = PQS_PACKAGE_CONFLICT_NEW;
  again = import_file (fixture, package, 0, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_asked, ==, 2);
  g_assert_true (again->standard_created);
  g_assert_cmpint (again->standard_id, !=, first->standard_id);
  g_assert_true (g_str_has_prefix (again->message, "Imported “Main Propulsion Assistant” as revision "));
  g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store, count_sql), ==, 2);

  /* Overwrite, through the real question. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    GtkWindow *parent = GTK_WINDOW (gtk_window_new ());
    AdwMessageDialog *dialog;

    gtk_window_present (parent);
    pqs_import_package_from_file_async (parent, fixture->two.session, 0, package, NULL, NULL,
                                        NULL, result_cb, &result);
    dialog = ADW_MESSAGE_DIALOG (wait_for_window (ADW_TYPE_MESSAGE_DIALOG));
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == parent);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                     "“Main Propulsion Assistant” Is Already Here");
    g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
    g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "new"), ==,
                     "Import as _New Revision");
    g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "overwrite"), ==,
                     "_Overwrite");
    adw_message_dialog_response (dialog, "overwrite");
    gtk_window_destroy (GTK_WINDOW (dialog));
    over = pqs_import_package_from_file_finish (wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_false (over->standard_created);
    g_assert_cmpuint (over->n_unchanged, ==, 2);
    g_assert_true (g_str_has_prefix (over->message, "Updated “Main Propulsion Assistant”: "));
    g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store, count_sql), ==, 2);
    g_clear_object (&result);
    g_object_ref (parent);
    gtk_window_destroy (parent);
    pqs_ui_test_drain ();
    g_assert_finalize_object (parent);
  }
}

static void
test_import_document (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) package = export_standard (fixture, PQS_EXPORT_JSON, "book.pqspkg");
  g_autoptr(GFile) json = NULL;
  g_autoptr(PqsImportResult) standard = NULL;
  g_autoptr(PqsImportResult) renumbered = NULL;
  g_autoptr(PqsImportResult) same = NULL;
  g_autofree char *sql = NULL;

  json = export_document (fixture, fixture->one.session, PQS_EXPORT_JSON, "doc.json", &error);
  g_assert_no_error (error);
  standard = import_file (fixture, package, 0, FALSE, &error);
  g_assert_no_error (error);

  /* Section 201 is there: a new number, 202. */
  fixture->answer = PQS_PACKAGE_CONFLICT_NEW;
  renumbered = import_file (fixture, json, standard->standard_id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->n_asked, ==, 1);
  g_assert_false (fixture->asked_standard);
  g_assert_cmpstr (fixture->asked_title, ==, "201 Lube Oil System");
  g_assert_false (renumbered->is_standard);
  g_assert_cmpuint (renumbered->n_created, ==, 1);
  g_assert_cmpstr (renumbered->message, ==, "Imported section 202 Lube Oil System as a new draft");
  sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE standard_id = %" G_GINT64_FORMAT
                         " AND title = 'Lube Oil System' AND document_number IN (201, 202)",
                         standard->standard_id);
  g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store, sql), ==, 2);

  /* Overwriting 201 with what it holds writes nothing. */
  fixture->answer = PQS_PACKAGE_CONFLICT_OVERWRITE;
  same = import_file (fixture, json, standard->standard_id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (same->n_unchanged, ==, 1);
  g_assert_nonnull (strstr (same->message, "nothing was changed"));
}

static void
test_import_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->tmpdir, "bad.pqspkg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *missing_path = g_build_filename (fixture->tmpdir, "missing.pqspkg", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  gint64 before = pqs_ui_test_query_int (fixture->two.store, "SELECT count(*) FROM standards");

  g_assert_true (g_file_set_contents (path, "{ \"format\": \"pqs-desk/package\", ", -1, NULL));
  g_assert_null (import_file (fixture, file, 0, FALSE, &error));
  g_assert_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_MALFORMED);
  g_assert_true (g_str_has_prefix (error->message, "The file is not valid JSON"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{ \"format\": \"pqs-desk/package\", \"version\": 99 }",
                                      -1, NULL));
  g_assert_null (import_file (fixture, file, 0, FALSE, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == PQS_PACKAGE_ERROR);
  g_clear_error (&error);

  g_assert_null (import_file (fixture, missing, 0, FALSE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpuint (fixture->n_asked, ==, 0);
  g_assert_cmpint (pqs_ui_test_query_int (fixture->two.store, "SELECT count(*) FROM standards"),
                   ==, before);
}

/* The native chooser's path (the GTK dialog without a portal). */
static void
test_chooser (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) import_cancelled = NULL;
  g_autoptr(GFile) written = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->tmpdir);
  g_autofree char *expected = g_build_filename (fixture->tmpdir,
                                                "201 Lube Oil System (qualifier).pdf", NULL);
  GtkWindow *parent = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  GtkWindow *chooser;
  g_autofree char *text = NULL;

  gtk_window_present (parent);
  pqs_ui_test_drain ();
  pqs_export_document_async (parent, fixture->one.session, fixture->document_id,
                             PQS_EXPORT_PDF_QUALIFIER, NULL, result_cb, &result);
  chooser = wait_for_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (chooser) == parent);
  g_assert_true (gtk_window_get_modal (chooser));
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==,
                   "201 Lube Oil System (qualifier).pdf");
  /* The dialog loads its folders in the background: let it finish the first
   * (GTK 4.8 mixes up a folder changed while the previous one loads). */
  wait_for_folder (chooser, NULL);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  wait_for_folder (chooser, folder);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  written = pqs_export_document_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_file_get_path (written);

    g_assert_cmpstr (path, ==, expected);
  }
  text = read_text (written);
  g_assert_true (g_str_has_prefix (text, "%PDF"));

  /* Cancelled: a cancellation, nothing else. */
  pqs_export_standard_async (parent, fixture->one.session, fixture->standard_id,
                             PQS_EXPORT_JSON, NULL, result_cb, &cancelled);
  chooser = wait_for_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==,
                   "Main Propulsion Assistant.pqspkg");
  /* (GTK 4.8 complains in a dialog of its own when closed while loading.) */
  wait_for_folder (chooser, NULL);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_null (pqs_export_standard_finish (wait_for (&cancelled), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  pqs_import_package_async (parent, fixture->two.session, 0, NULL, result_cb, &import_cancelled);
  chooser = wait_for_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (chooser) == parent);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_OPEN);
  /* (GTK 4.8 complains in a dialog of its own when closed while loading.) */
  wait_for_folder (chooser, NULL);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_null (pqs_import_package_finish (wait_for (&import_cancelled), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The results hold their operation, and it its window. */
  g_clear_object (&result);
  g_clear_object (&cancelled);
  g_clear_object (&import_cancelled);
  gtk_window_destroy (parent);
  pqs_ui_test_drain ();
  g_assert_null (find_window (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_assert_null (find_window (GTK_TYPE_MESSAGE_DIALOG));
  /* Nothing kept the window (or a chooser on it) alive. */
  g_assert_finalize_object (parent);
}

int
main (int   argc,
      char *argv[])
{
  if (!pqs_ui_test_init (&argc, &argv))
    return 77;

  g_test_add_func ("/export-dialog/file-names", test_file_names);
#define ADD(path, func) \
  g_test_add ("/export-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("export", test_export);
  ADD ("import-package", test_import_package);
  ADD ("import-document", test_import_document);
  ADD ("import-refused", test_import_refused);
  ADD ("chooser", test_chooser);
#undef ADD

  return pqs_ui_test_run ();
}
