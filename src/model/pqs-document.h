/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "pqs-auth.h"
#include "pqs-outline.h"

G_BEGIN_DECLS

#define PQS_TYPE_DOCUMENT_STATUS (pqs_document_status_get_type ())

GType       pqs_document_status_get_type  (void);
const char *pqs_document_status_get_label (PqsDocumentStatus status);

#define PQS_DOCUMENT_TITLE_MAX 200
#define PQS_DOCUMENT_BODY_MAX  200000

#define PQS_TYPE_DOCUMENT (pqs_document_get_type ())
G_DECLARE_FINAL_TYPE (PqsDocument, pqs_document, PQS, DOCUMENT, GObject)

PqsDocument      *pqs_document_new                (guint         number,
                                                   const char   *title);
PqsDocument      *pqs_document_copy               (PqsDocument  *self);

gint64            pqs_document_get_id             (PqsDocument  *self);
gint64            pqs_document_get_standard_id    (PqsDocument  *self);
const char       *pqs_document_get_title          (PqsDocument  *self);
guint             pqs_document_get_section        (PqsDocument  *self);
guint             pqs_document_get_number         (PqsDocument  *self);
gint64            pqs_document_get_template_id    (PqsDocument  *self);
JsonObject       *pqs_document_get_metadata       (PqsDocument  *self);
char             *pqs_document_dup_metadata_json  (PqsDocument  *self);
const char       *pqs_document_get_body           (PqsDocument  *self);
GPtrArray        *pqs_document_get_outline        (PqsDocument  *self);
PqsDocumentStatus pqs_document_get_status         (PqsDocument  *self);
guint             pqs_document_get_version        (PqsDocument  *self);
gint64            pqs_document_get_edit_count     (PqsDocument  *self);
const char       *pqs_document_get_content_hash   (PqsDocument  *self);
gint64            pqs_document_get_created_by     (PqsDocument  *self);
gint64            pqs_document_get_updated_by     (PqsDocument  *self);
gint64            pqs_document_get_reviewed_by    (PqsDocument  *self);
gint64            pqs_document_get_approved_by    (PqsDocument  *self);
GDateTime        *pqs_document_get_created_at     (PqsDocument  *self);
GDateTime        *pqs_document_get_updated_at     (PqsDocument  *self);
GDateTime        *pqs_document_get_reviewed_at    (PqsDocument  *self);
GDateTime        *pqs_document_get_approved_at    (PqsDocument  *self);

/* The editable content. A save (pqs_library_save_document()) writes it. */
void              pqs_document_set_title          (PqsDocument  *self,
                                                   const char   *title);
void              pqs_document_set_body           (PqsDocument  *self,
                                                   const char   *body);
void              pqs_document_set_metadata       (PqsDocument  *self,
                                                   JsonObject   *metadata);
gboolean          pqs_document_set_metadata_json  (PqsDocument  *self,
                                                   const char   *json,
                                                   GError      **error);
void              pqs_document_set_outline        (PqsDocument  *self,
                                                   GPtrArray    *outline);
/* Only for content that is not in the database yet (pqs_document_new(),
 * imports): a stored document is renumbered with pqs_library_renumber_document(). */
void              pqs_document_set_number         (PqsDocument  *self,
                                                   guint         number);
void              pqs_document_set_template_id    (PqsDocument  *self,
                                                   gint64        template_id);

char             *pqs_document_render_canonical   (PqsDocument  *self);
char             *pqs_document_compute_hash       (PqsDocument  *self);

G_END_DECLS
