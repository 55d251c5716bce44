/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-document.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_DOCUMENT_EDITOR (pqs_document_editor_get_type ())
G_DECLARE_FINAL_TYPE (PqsDocumentEditor, pqs_document_editor, PQS, DOCUMENT_EDITOR, GtkWidget)

PqsDocumentEditor *pqs_document_editor_new            (void);
PqsSession        *pqs_document_editor_get_session    (PqsDocumentEditor    *self);
void               pqs_document_editor_set_session    (PqsDocumentEditor    *self,
                                                       PqsSession           *session);
gboolean           pqs_document_editor_get_show_back  (PqsDocumentEditor    *self);
void               pqs_document_editor_set_show_back  (PqsDocumentEditor    *self,
                                                       gboolean              show_back);

gboolean           pqs_document_editor_load           (PqsDocumentEditor    *self,
                                                       gint64                document_id,
                                                       GError              **error);
PqsDocument       *pqs_document_editor_get_document   (PqsDocumentEditor    *self);
PqsDocument       *pqs_document_editor_build_document (PqsDocumentEditor    *self);
gboolean           pqs_document_editor_get_modified   (PqsDocumentEditor    *self);
gboolean           pqs_document_editor_get_editable   (PqsDocumentEditor    *self);
const char        *pqs_document_editor_get_error      (PqsDocumentEditor    *self);

/* The unsaved-changes guard: asks "Save / Discard / Cancel" when the
 * document is modified. Finishes with TRUE when the editor may be closed
 * (or another document loaded): nothing was unsaved, the changes were
 * saved, or discarded. */
void               pqs_document_editor_close_async    (PqsDocumentEditor    *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           pqs_document_editor_close_finish   (PqsDocumentEditor    *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
