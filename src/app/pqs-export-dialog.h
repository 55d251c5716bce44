/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-package.h"
#include "pqs-types.h"

G_BEGIN_DECLS

/* Export and import through the native file chooser (GtkFileChooserNative),
 * the work itself in a thread on a secondary connection of the session's
 * store. Each *_async shows its chooser transient for @parent (nullable);
 * when the user cancels the chooser, *_finish fails with
 * G_IO_ERROR_CANCELLED, which callers ignore. Other errors are sentences to
 * show (in a toast or a message dialog).
 *
 * The non-interactive cores (*_to_file_async, *_from_file_async) skip the
 * chooser: tests and scripted callers use them. */

typedef enum
{
  PQS_EXPORT_PDF_TRAINEE,    /* PDF, trainee edition */
  PQS_EXPORT_PDF_QUALIFIER,  /* PDF, qualifier edition */
  PQS_EXPORT_JSON,           /* a document: its JSON export (.json);
                              * a standard: its package (.pqspkg) */
} PqsExportKind;

/* The file name proposed in the chooser:
 * "201 Lube Oil System (qualifier).pdf", "201 Lube Oil System.json",
 * "Main Propulsion Assistant (trainee).pdf", "Main Propulsion Assistant.pqspkg".
 * Characters a file name cannot carry ('/', '\\', ':' …) become '-'. */
char  *pqs_export_suggest_file_name       (const char     *title,
                                           guint           number,   /* 0 for a standard */
                                           PqsExportKind   kind);

/* Section documents ------------------------------------------------------- */

void   pqs_export_document_async          (GtkWindow           *parent,
                                           PqsSession          *session,
                                           gint64               document_id,
                                           PqsExportKind        kind,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* Returns (transfer full): the file written. */
GFile *pqs_export_document_finish         (GAsyncResult        *result,
                                           GError             **error);

void   pqs_export_document_to_file_async  (PqsSession          *session,
                                           gint64               document_id,
                                           PqsExportKind        kind,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GFile *pqs_export_document_to_file_finish (GAsyncResult        *result,
                                           GError             **error);

/* Standards (package or whole-standard PDF) --------------------------------- */

void   pqs_export_standard_async          (GtkWindow           *parent,
                                           PqsSession          *session,
                                           gint64               standard_id,
                                           PqsExportKind        kind,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GFile *pqs_export_standard_finish         (GAsyncResult        *result,
                                           GError             **error);

void   pqs_export_standard_to_file_async  (PqsSession          *session,
                                           gint64               standard_id,
                                           PqsExportKind        kind,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GFile *pqs_export_standard_to_file_finish (GAsyncResult        *result,
                                           GError             **error);

/* Import -------------------------------------------------------------------- */

/* What an import wrote. */
typedef struct
{
  gboolean  is_standard;        /* the file was a package of a standard */
  gint64    standard_id;        /* the standard imported, or the one the document went into */
  gboolean  standard_created;
  guint     n_created;          /* documents */
  guint     n_updated;
  guint     n_unchanged;
  GArray   *document_ids;       /* (element-type gint64) the documents written */
  char     *message;            /* a sentence for a toast:
                                 * "Imported “Main Propulsion Assistant”: 4 documents created" */
} PqsImportResult;

void pqs_import_result_free (PqsImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsImportResult, pqs_import_result_free)

/* A collision the user resolves. */
typedef struct
{
  gboolean    is_standard;      /* a standard with this title and unit exists already
                                 * (else: a document with this number in the target standard) */
  const char *title;            /* the standard's title, or "201 Lube Oil System" */
  const char *message;          /* the model's sentence about the collision */
} PqsImportCollision;

/* The answer to a collision: PQS_PACKAGE_CONFLICT_OVERWRITE,
 * PQS_PACKAGE_CONFLICT_NEW (a new revision of the standard / the next free
 * number), or PQS_PACKAGE_CONFLICT_FAIL to cancel. Call it exactly once. */
typedef void (*PqsImportReplyFunc) (PqsPackageConflict choice,
                                    gpointer           reply_data);

/* Asks the user about @collision and calls @reply with the choice, now or
 * later. The default (pqs_import_resolve_with_dialog) is an
 * AdwMessageDialog: "Cancel" / "Import as New Revision" or "New Number" /
 * "Overwrite". */
typedef void (*PqsImportResolver)  (GtkWindow                *parent,
                                    const PqsImportCollision *collision,
                                    PqsImportReplyFunc        reply,
                                    gpointer                  reply_data,
                                    gpointer                  user_data);

void             pqs_import_resolve_with_dialog  (GtkWindow                *parent,
                                                  const PqsImportCollision *collision,
                                                  PqsImportReplyFunc        reply,
                                                  gpointer                  reply_data,
                                                  gpointer                  user_data);

/* Opens a package (.pqspkg / .json): a package of a standard is imported as
 * a standard; a document export goes into @standard_id (0: into the
 * standard the file names, matched by its identity or title and unit). */
void             pqs_import_package_async        (GtkWindow           *parent,
                                                  PqsSession          *session,
                                                  gint64               standard_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
PqsImportResult *pqs_import_package_finish       (GAsyncResult        *result,
                                                  GError             **error);

/* The core, without the chooser: @resolver NULL means
 * pqs_import_resolve_with_dialog. Cancelling at the collision fails with
 * G_IO_ERROR_CANCELLED and writes nothing. */
void             pqs_import_package_from_file_async  (GtkWindow           *parent,
                                                      PqsSession          *session,
                                                      gint64               standard_id,
                                                      GFile               *file,
                                                      PqsImportResolver    resolver,
                                                      gpointer             resolver_data,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
PqsImportResult *pqs_import_package_from_file_finish (GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
