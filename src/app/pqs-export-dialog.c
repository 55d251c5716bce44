/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-document.h"
#include "pqs-export-dialog.h"
#include "pqs-library.h"
#include "pqs-package.h"
#include "pqs-pdf-export.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* Export and import for the document editor and the standards view.
 *
 * Each operation is one GTask the caller gets back; inside, the native
 * chooser (GtkFileChooserNative: a portal when sandboxed), then the model's
 * export or import in a worker thread on a secondary connection of the
 * session's store (a connection belongs to one thread), and for an import
 * that collides, a question on the main thread between two runs of the
 * import (the first with PQS_PACKAGE_CONFLICT_FAIL writes nothing). */

typedef struct
{
  /* Given */
  GtkWindow          *parent;          /* (nullable) */
  PqsStore           *store;           /* the session's, until the worker is open */
  PqsStore           *worker;          /* the thread's connection */
  gint64              user_id;
  gint64              id;              /* document or standard; the target standard of an import */
  gboolean            whole_standard;
  PqsExportKind       kind;
  GFile              *file;
  PqsImportResolver   resolver;
  gpointer            resolver_data;

  /* Import */
  PqsPackageConflict  conflict;
  gboolean            is_standard;
  char               *title;           /* what the file holds, for the question */
  char               *collision;       /* the model's sentence, when the first run collided */
  GtkFileChooserNative *chooser;
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->parent);
  g_clear_object (&op->store);
  if (op->worker != NULL)
    pqs_store_close (op->worker);
  g_clear_object (&op->worker);
  g_clear_object (&op->file);
  g_clear_object (&op->chooser);
  g_free (op->title);
  g_free (op->collision);
  g_free (op);
}

static Op *
op_new (GtkWindow  *parent,
        PqsSession *session,
        gint64      id)
{
  Op *op = g_new0 (Op, 1);

  op->parent = parent != NULL ? g_object_ref (parent) : NULL;
  op->store = g_object_ref (pqs_session_get_store (session));
  op->user_id = pqs_user_get_id (pqs_session_get_user (session));
  op->id = id;
  return op;
}

void
pqs_import_result_free (PqsImportResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->document_ids, g_array_unref);
  g_free (result->message);
  g_free (result);
}

/* The account as the worker's connection reads it. */
static PqsUser *
worker_actor (Op      *op,
              GError **error)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (op->worker);

  return pqs_user_directory_lookup (directory, op->user_id, error);
}

/* The thread's connection. The operation lets the session's store go
 * then: a task can end (and free its data) in its worker thread, where the
 * last reference to a main-thread object must not be dropped. */
static gboolean
open_worker (Op      *op,
             GError **error)
{
  if (op->worker == NULL)
    op->worker = pqs_store_open_secondary (op->store, error);
  if (op->worker != NULL)
    g_clear_object (&op->store);
  return op->worker != NULL;
}

/* File names ------------------------------------------------------------------- */

/**
 * pqs_export_suggest_file_name:
 * @title: the document's or the standard's title
 * @number: the section number, or 0 for a standard
 * @kind: what is exported
 *
 * Returns: (transfer full): a file name to propose, without a folder
 */
char *
pqs_export_suggest_file_name (const char    *title,
                              guint          number,
                              PqsExportKind  kind)
{
  g_autoptr(GString) name = g_string_new (NULL);

  if (number > 0)
    g_string_append_printf (name, "%u ", number);
  g_string_append (name, title != NULL && *title != '\0' ? title : _("Untitled"));

  /* What a file system or a portal would refuse or misread. */
  for (gsize i = 0; i < name->len; i++)
    if (strchr ("/\\:*?\"<>|", name->str[i]) != NULL || (guchar) name->str[i] < 0x20)
      name->str[i] = '-';
  while (name->len > 0 && (name->str[0] == '.' || name->str[0] == ' '))
    g_string_erase (name, 0, 1);
  /* A long title stays readable and under the usual 255 bytes. */
  if (name->len > 180)
    {
      const char *end = g_utf8_find_prev_char (name->str, name->str + 180);

      g_string_truncate (name, end - name->str);
    }

  switch (kind)
    {
    case PQS_EXPORT_PDF_TRAINEE:
      /* Translators: the edition in an exported file's name: "201 Lube Oil System (trainee).pdf" */
      g_string_append_printf (name, " (%s).pdf", C_("file name", "trainee"));
      break;
    case PQS_EXPORT_PDF_QUALIFIER:
      g_string_append_printf (name, " (%s).pdf", C_("file name", "qualifier"));
      break;
    case PQS_EXPORT_JSON:
    default:
      g_string_append (name, number > 0 ? ".json" : ".pqspkg");
      break;
    }
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Export: the core ----------------------------------------------------------------- */

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) actor = NULL;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  actor = worker_actor (op, &error);
  if (actor == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op->kind == PQS_EXPORT_JSON)
    {
      g_autoptr(PqsPackage) package = pqs_package_new (op->worker);

      ok = op->whole_standard
           ? pqs_package_export_standard_to_file (package, actor, op->id, op->file, &error)
           : pqs_package_export_document_to_file (package, actor, op->id, op->file, &error);
    }
  else
    {
      g_autoptr(PqsPdfExport) pdf = pqs_pdf_export_new (op->worker);

      pqs_pdf_export_set_edition (pdf, op->kind == PQS_EXPORT_PDF_QUALIFIER
                                         ? PQS_PDF_EDITION_QUALIFIER : PQS_PDF_EDITION_TRAINEE);
      ok = op->whole_standard
           ? pqs_pdf_export_standard (pdf, actor, op->id, op->file, &error)
           : pqs_pdf_export_document (pdf, actor, op->id, op->file, &error);
    }

  /* The connection ends with its thread's work. */
  pqs_store_close (op->worker);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (op->file), g_object_unref);
}

static void
export_to_file_async (PqsSession          *session,
                      gint64               id,
                      gboolean             whole_standard,
                      PqsExportKind        kind,
                      GFile               *file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Op *op = op_new (NULL, session, id);

  op->whole_standard = whole_standard;
  op->kind = kind;
  op->file = g_object_ref (file);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  if (!open_worker (op, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, export_thread);
}

/**
 * pqs_export_document_to_file_async:
 * @session: who exports (the permission is checked)
 * @document_id: the section document
 * @kind: a PDF edition, or the JSON export
 * @file: where to write it (replaced if it exists)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main context when done
 * @user_data: for @callback
 *
 * Exports without asking anything, in a thread.
 */
void
pqs_export_document_to_file_async (PqsSession          *session,
                                   gint64               document_id,
                                   PqsExportKind        kind,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PQS_IS_SESSION (session));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (kind <= PQS_EXPORT_JSON);

  export_to_file_async (session, document_id, FALSE, kind, file, cancellable, callback, user_data,
                        pqs_export_document_to_file_async);
}

GFile *
pqs_export_document_to_file_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
pqs_export_standard_to_file_async (PqsSession          *session,
                                   gint64               standard_id,
                                   PqsExportKind        kind,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PQS_IS_SESSION (session));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (kind <= PQS_EXPORT_JSON);

  export_to_file_async (session, standard_id, TRUE, kind, file, cancellable, callback, user_data,
                        pqs_export_standard_to_file_async);
}

GFile *
pqs_export_standard_to_file_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Choosers ---------------------------------------------------------------------------- */

static GtkFileFilter *
filter_new (const char *name,
            const char *mime_type,
            ...)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  const char *pattern;
  va_list args;

  gtk_file_filter_set_name (filter, name);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  va_start (args, mime_type);
  while ((pattern = va_arg (args, const char *)) != NULL)
    gtk_file_filter_add_pattern (filter, pattern);
  va_end (args);
  return filter;
}

static void
add_filter (GtkFileChooser *chooser,
            GtkFileFilter  *filter)   /* (transfer full) */
{
  gtk_file_chooser_add_filter (chooser, filter);
  g_object_unref (filter);
}

static void
set_start_folder (GtkFileChooser *chooser)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autoptr(GFile) folder = g_file_new_for_path (documents != NULL &&
                                                 g_file_test (documents, G_FILE_TEST_IS_DIR)
                                                 ? documents : g_get_home_dir ());

  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static void
chooser_done (Op *op)
{
  if (op->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (op->chooser));
  g_clear_object (&op->chooser);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GFile *file = g_task_propagate_pointer (G_TASK (result), &error);

  if (file == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, file, g_object_unref);
}

static void
export_chooser_response_cb (GtkNativeDialog *chooser,
                            int              response,
                            gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GFile) file = NULL;
  GTask *inner;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  chooser_done (op);

  if (file == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The export was cancelled."));
      return;
    }

  /* The work as the non-interactive core does it; its result becomes ours. */
  inner = g_task_new (NULL, g_task_get_cancellable (task), export_done_cb, g_object_ref (task));
  {
    Op *work = g_new0 (Op, 1);
    g_autoptr(GError) error = NULL;

    work->store = g_object_ref (op->store);
    work->user_id = op->user_id;
    work->id = op->id;
    work->whole_standard = op->whole_standard;
    work->kind = op->kind;
    work->file = g_object_ref (file);
    g_task_set_task_data (inner, work, (GDestroyNotify) op_free);
    if (!open_worker (work, &error))
      g_task_return_error (inner, g_steal_pointer (&error));
    else
      g_task_run_in_thread (inner, export_thread);
  }
  g_object_unref (inner);
}

static void
export_async (GtkWindow           *parent,
              PqsSession          *session,
              gint64               id,
              gboolean             whole_standard,
              PqsExportKind        kind,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(PqsLibrary) library = pqs_library_new (pqs_session_get_store (session));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GtkFileChooser *chooser;
  Op *op = op_new (parent, session, id);

  op->whole_standard = whole_standard;
  op->kind = kind;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  /* The name to propose; reading it also says early if the user may not. */
  if (whole_standard)
    {
      g_autoptr(PqsStandard) standard = pqs_library_load_standard (library, id, &error);

      if (standard != NULL)
        name = pqs_export_suggest_file_name (pqs_standard_get_title (standard), 0, kind);
    }
  else
    {
      g_autoptr(PqsDocument) document =
        pqs_library_load_document (library, pqs_session_get_user (session), id, &error);

      if (document != NULL)
        name = pqs_export_suggest_file_name (pqs_document_get_title (document),
                                             pqs_document_get_number (document), kind);
    }
  if (name == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  op->chooser = gtk_file_chooser_native_new (kind == PQS_EXPORT_JSON
                                               ? (whole_standard ? _("Export Package")
                                                                 : _("Export Document"))
                                               : _("Export PDF"),
                                             parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                             _("_Export"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (op->chooser);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (op->chooser), TRUE);
  if (kind == PQS_EXPORT_JSON && whole_standard)
    add_filter (chooser, filter_new (_("PQS Desk packages"), NULL, "*.pqspkg", "*.json", NULL));
  else if (kind == PQS_EXPORT_JSON)
    add_filter (chooser, filter_new (_("PQS Desk documents (JSON)"), "application/json",
                                     "*.json", NULL));
  else
    add_filter (chooser, filter_new (_("PDF documents"), "application/pdf", "*.pdf", NULL));
  set_start_folder (chooser);
  gtk_file_chooser_set_current_name (chooser, name);

  g_signal_connect (op->chooser, "response", G_CALLBACK (export_chooser_response_cb),
                    g_object_ref (task));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (op->chooser));
}

/**
 * pqs_export_document_async:
 * @parent: (nullable): the window the chooser belongs to
 * @session: who exports
 * @document_id: the section document
 * @kind: a PDF edition, or the JSON export
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written, or the user cancelled
 * @user_data: for @callback
 *
 * Asks where to save ("201 Lube Oil System (qualifier).pdf"), then exports.
 */
void
pqs_export_document_async (GtkWindow           *parent,
                           PqsSession          *session,
                           gint64               document_id,
                           PqsExportKind        kind,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (PQS_IS_SESSION (session));
  g_return_if_fail (kind <= PQS_EXPORT_JSON);

  export_async (parent, session, document_id, FALSE, kind, cancellable, callback, user_data,
                pqs_export_document_async);
}

GFile *
pqs_export_document_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * pqs_export_standard_async:
 * @parent: (nullable): the window the chooser belongs to
 * @session: who exports
 * @standard_id: the standard
 * @kind: a PDF edition of the whole standard, or its package
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written, or the user cancelled
 * @user_data: for @callback
 */
void
pqs_export_standard_async (GtkWindow           *parent,
                           PqsSession          *session,
                           gint64               standard_id,
                           PqsExportKind        kind,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (PQS_IS_SESSION (session));
  g_return_if_fail (kind <= PQS_EXPORT_JSON);

  export_async (parent, session, standard_id, TRUE, kind, cancellable, callback, user_data,
                pqs_export_standard_async);
}

GFile *
pqs_export_standard_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Import: the core -------------------------------------------------------------------------- */

/* What the file holds, read and checked before anything is written. */
static gboolean
read_package (Op      *op,
              GError **error)
{
  g_autoptr(PqsPackage) package = pqs_package_new (op->worker);
  g_autoptr(JsonNode) root = pqs_package_read_file (op->file, error);
  JsonObject *object;
  JsonObject *content;
  const char *format;

  if (root == NULL || !pqs_package_check (package, root, error))
    return FALSE;

  object = json_node_get_object (root);
  format = json_object_get_string_member_with_default (object, "format", "");
  op->is_standard = g_str_equal (format, PQS_PACKAGE_FORMAT_STANDARD);

  content = json_object_get_object_member (object, op->is_standard ? "standard" : "document");
  if (content != NULL && op->is_standard)
    op->title = g_strdup (json_object_get_string_member_with_default (content, "title", ""));
  else if (content != NULL)
    op->title = g_strdup_printf ("%" G_GINT64_FORMAT " %s",
                                 json_object_get_int_member_with_default (content, "number", 0),
                                 json_object_get_string_member_with_default (content, "title",
                                                                             ""));
  return TRUE;
}

static char *
result_message (Op              *op,
                PqsImportResult *result)
{
  g_autoptr(PqsLibrary) library = pqs_library_new (op->worker);

  if (result->is_standard)
    {
      g_autoptr(PqsStandard) standard = pqs_library_load_standard (library, result->standard_id,
                                                                   NULL);
      const char *title = standard != NULL ? pqs_standard_get_title (standard) : op->title;
      guint n = result->n_created;

      if (op->conflict == PQS_PACKAGE_CONFLICT_NEW && result->standard_created)
        return g_strdup_printf (ngettext ("Imported “%s” as revision %s with %u document",
                                          "Imported “%s” as revision %s with %u documents", n),
                                title, standard != NULL ? pqs_standard_get_revision (standard) : "",
                                n);
      if (result->standard_created)
        return g_strdup_printf (ngettext ("Imported “%s” with %u document",
                                          "Imported “%s” with %u documents", n), title, n);
      /* Translators: an import over an existing standard: "Updated “X”: 2 created, 3 updated,
       * 1 unchanged" */
      return g_strdup_printf (_("Updated “%s”: %u created, %u updated, %u unchanged"), title,
                              result->n_created, result->n_updated, result->n_unchanged);
    }
  else
    {
      gint64 id = result->document_ids->len > 0 ? g_array_index (result->document_ids, gint64, 0)
                                                : 0;
      g_autoptr(PqsDocument) document = pqs_library_load_document (library, NULL, id, NULL);
      g_autofree char *name = document != NULL
        ? g_strdup_printf ("%u %s", pqs_document_get_number (document),
                           pqs_document_get_title (document))
        : g_strdup (op->title);

      if (result->n_unchanged > 0)
        return g_strdup_printf (_("Section %s already holds exactly this content: nothing was "
                                  "changed"), name);
      if (result->n_created > 0)
        return g_strdup_printf (_("Imported section %s as a new draft"), name);
      return g_strdup_printf (_("Section %s was overwritten; it is a draft now"), name);
    }
}

/* Runs the import with op->conflict; a collision under FAIL is not an
 * error but a question (op->collision). */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsUser) actor = NULL;
  g_autoptr(PqsPackage) package = NULL;
  PqsImportResult *result;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  if ((op->title == NULL && !read_package (op, &error)) ||
      (actor = worker_actor (op, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  package = pqs_package_new (op->worker);
  ok = op->is_standard
       ? pqs_package_import_standard (package, actor, op->file, op->conflict, &error)
       : pqs_package_import_document (package, actor, op->file, op->id, op->conflict, &error);

  if (!ok && op->conflict == PQS_PACKAGE_CONFLICT_FAIL &&
      g_error_matches (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_EXISTS))
    {
      g_free (op->collision);
      op->collision = g_strdup (error->message);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (PqsImportResult, 1);
  result->is_standard = op->is_standard;
  result->standard_id = pqs_package_get_standard_id (package);
  result->standard_created = pqs_package_get_standard_created (package);
  result->n_created = pqs_package_get_n_created (package);
  result->n_updated = pqs_package_get_n_updated (package);
  result->n_unchanged = pqs_package_get_n_unchanged (package);
  result->document_ids = g_array_ref (pqs_package_get_document_ids (package));
  result->message = result_message (op, result);
  g_task_return_pointer (task, result, (GDestroyNotify) pqs_import_result_free);
}

static void run_import (GTask *task);

typedef struct
{
  GTask   *task;
  gboolean replied;
} Reply;

static void
reply_cb (PqsPackageConflict choice,
          gpointer           reply_data)
{
  Reply *reply = reply_data;
  g_autoptr(GTask) task = g_steal_pointer (&reply->task);
  Op *op;

  g_return_if_fail (task != NULL);   /* the resolver answers once */
  op = g_task_get_task_data (task);

  if (choice != PQS_PACKAGE_CONFLICT_OVERWRITE && choice != PQS_PACKAGE_CONFLICT_NEW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The import was cancelled; nothing was written."));
      g_free (reply);
      return;
    }

  op->conflict = choice;
  g_free (reply);
  run_import (g_steal_pointer (&task));
}

static void
import_step_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PqsImportResult *import_result = g_task_propagate_pointer (G_TASK (result), &error);
  PqsImportCollision collision;
  Reply *reply;

  if (import_result != NULL)
    {
      g_task_return_pointer (task, import_result, (GDestroyNotify) pqs_import_result_free);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A collision: ask, then run again with the answer. */
  collision.is_standard = op->is_standard;
  collision.title = op->title;
  collision.message = op->collision;
  reply = g_new0 (Reply, 1);
  reply->task = g_steal_pointer (&task);
  (op->resolver != NULL ? op->resolver : pqs_import_resolve_with_dialog)
    (op->parent, &collision, reply_cb, reply, op->resolver_data);
}

/* One run of the import in a thread, with op->conflict. Takes @task. */
static void
run_import (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GTask *step = g_task_new (NULL, g_task_get_cancellable (task), import_step_done_cb, task);

  /* The step borrows the operation; @task, which owns it, outlives the step. */
  g_task_set_task_data (step, op, NULL);
  g_task_run_in_thread (step, import_thread);
  g_object_unref (step);
}

/**
 * pqs_import_package_from_file_async:
 * @parent: (nullable): the window a question belongs to
 * @session: who imports (the author of the drafts written)
 * @standard_id: the standard a document goes into, or 0 for the one the file names
 * @file: a package of a standard or a document export
 * @resolver: (nullable): asks what to do on a collision; %NULL for
 *   pqs_import_resolve_with_dialog()
 * @resolver_data: for @resolver
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the import is done, refused or cancelled
 * @user_data: for @callback
 *
 * Validates @file, then imports it in one transaction; on a collision asks
 * @resolver and imports with its answer. Nothing is written when it fails.
 */
void
pqs_import_package_from_file_async (GtkWindow           *parent,
                                    PqsSession          *session,
                                    gint64               standard_id,
                                    GFile               *file,
                                    PqsImportResolver    resolver,
                                    gpointer             resolver_data,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  g_autoptr(GError) error = NULL;
  Op *op;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (PQS_IS_SESSION (session));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (standard_id >= 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_import_package_from_file_async);
  op = op_new (parent, session, standard_id);
  op->file = g_object_ref (file);
  op->resolver = resolver;
  op->resolver_data = resolver_data;
  op->conflict = PQS_PACKAGE_CONFLICT_FAIL;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  if (!open_worker (op, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  run_import (task);
}

PqsImportResult *
pqs_import_package_from_file_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The question --------------------------------------------------------------------------- */

static void
resolve_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  PqsImportReplyFunc reply = (PqsImportReplyFunc) g_object_get_data (G_OBJECT (dialog), "reply");
  gpointer reply_data = g_object_get_data (G_OBJECT (dialog), "reply-data");
  PqsPackageConflict choice = PQS_PACKAGE_CONFLICT_FAIL;

  if (g_strcmp0 (response, "overwrite") == 0)
    choice = PQS_PACKAGE_CONFLICT_OVERWRITE;
  else if (g_strcmp0 (response, "new") == 0)
    choice = PQS_PACKAGE_CONFLICT_NEW;
  reply (choice, reply_data);
}

/**
 * pqs_import_resolve_with_dialog:
 * @parent: (nullable): the window the question belongs to
 * @collision: what collided
 * @reply: called with the choice
 * @reply_data: for @reply
 * @user_data: unused
 *
 * The default #PqsImportResolver: an #AdwMessageDialog.
 */
void
pqs_import_resolve_with_dialog (GtkWindow                *parent,
                                const PqsImportCollision *collision,
                                PqsImportReplyFunc        reply,
                                gpointer                  reply_data,
                                gpointer                  user_data)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (collision->is_standard)
    /* Translators: %s is a standard's title */
    heading = g_strdup_printf (_("“%s” Is Already Here"), collision->title);
  else
    /* Translators: %s is a section's number and title: "201 Lube Oil System" */
    heading = g_strdup_printf (_("Section %s Already Exists"), collision->title);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, NULL));
  adw_message_dialog_set_body (dialog, collision->is_standard
    ? _("Overwrite updates the standard on this workstation with the package: its fields, and "
        "the sections with the same numbers, as new drafts (their earlier text stays in the "
        "history). Import as New Revision keeps it and adds the package beside it as a new "
        "revision.")
    : _("Overwrite replaces the section’s content as a new draft (its earlier text stays in "
        "the history). New Number imports the document under the next free number of its "
        "series."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "new", collision->is_standard ? _("Import as _New Revision")
                                                                  : _("_New Number"),
                                    "overwrite", _("_Overwrite"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "overwrite", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "new");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_object_set_data (G_OBJECT (dialog), "reply", reply);
  g_object_set_data (G_OBJECT (dialog), "reply-data", reply_data);
  g_signal_connect (dialog, "response", G_CALLBACK (resolve_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import through the chooser ----------------------------------------------------------------- */

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PqsImportResult *import_result = pqs_import_package_from_file_finish (result, &error);

  if (import_result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, import_result, (GDestroyNotify) pqs_import_result_free);
}

static void
import_chooser_response_cb (GtkNativeDialog *chooser,
                            int              response,
                            gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  PqsSession *session = g_object_get_data (G_OBJECT (task), "session");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  chooser_done (op);

  if (file == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The import was cancelled."));
      return;
    }

  pqs_import_package_from_file_async (op->parent, session, op->id, file, NULL, NULL,
                                      g_task_get_cancellable (task), import_done_cb,
                                      g_object_ref (task));
}

/**
 * pqs_import_package_async:
 * @parent: (nullable): the window the chooser and the question belong to
 * @session: who imports
 * @standard_id: the standard a document goes into, or 0 for the one the file names
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the import is done, refused or cancelled
 * @user_data: for @callback
 *
 * Asks for a file, then imports it as pqs_import_package_from_file_async() does.
 */
void
pqs_import_package_async (GtkWindow           *parent,
                          PqsSession          *session,
                          gint64               standard_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkFileChooser *chooser;
  Op *op;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (PQS_IS_SESSION (session));
  g_return_if_fail (standard_id >= 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_import_package_async);
  op = op_new (parent, session, standard_id);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  g_object_set_data_full (G_OBJECT (task), "session", g_object_ref (session), g_object_unref);

  op->chooser = gtk_file_chooser_native_new (_("Import Package"), parent,
                                             GTK_FILE_CHOOSER_ACTION_OPEN,
                                             _("_Import"), _("_Cancel"));
  chooser = GTK_FILE_CHOOSER (op->chooser);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (op->chooser), TRUE);
  add_filter (chooser, filter_new (_("PQS Desk packages and documents"), NULL,
                                   "*.pqspkg", "*.json", NULL));
  add_filter (chooser, filter_new (_("All files"), NULL, "*", NULL));
  set_start_folder (chooser);

  g_signal_connect (op->chooser, "response", G_CALLBACK (import_chooser_response_cb),
                    g_object_ref (task));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (op->chooser));
}

PqsImportResult *
pqs_import_package_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
