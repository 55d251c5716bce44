/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_DOCUMENT_SUMMARY (pqs_document_summary_get_type ())
G_DECLARE_FINAL_TYPE (PqsDocumentSummary, pqs_document_summary, PQS, DOCUMENT_SUMMARY, GObject)

gint64      pqs_document_summary_get_id             (PqsDocumentSummary *self);
gint64      pqs_document_summary_get_standard_id    (PqsDocumentSummary *self);
const char *pqs_document_summary_get_standard_title (PqsDocumentSummary *self);
const char *pqs_document_summary_get_classification (PqsDocumentSummary *self);
guint       pqs_document_summary_get_section        (PqsDocumentSummary *self);
guint       pqs_document_summary_get_number         (PqsDocumentSummary *self);
const char *pqs_document_summary_get_title          (PqsDocumentSummary *self);
const char *pqs_document_summary_get_status         (PqsDocumentSummary *self);
guint       pqs_document_summary_get_version        (PqsDocumentSummary *self);
gint64      pqs_document_summary_get_author_id      (PqsDocumentSummary *self);
const char *pqs_document_summary_get_author_name    (PqsDocumentSummary *self);
GDateTime  *pqs_document_summary_get_updated_at     (PqsDocumentSummary *self);

G_END_DECLS
