/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-document.h"

G_BEGIN_DECLS

/* The columns pqs_document_new_from_stmt() reads, in this order, from
 * column 0, for a query "FROM documents AS d". The outline is loaded apart
 * (document_items). */
#define PQS_DOCUMENT_COLUMNS \
  "d.id, d.standard_id, d.title, d.section, d.document_number, d.template_id, d.content, " \
  "d.content_hash, d.metadata, d.status, d.version, d.edit_count, d.created_by, " \
  "d.updated_by, d.reviewed_by, d.approved_by, d.created_at, d.updated_at, " \
  "d.reviewed_at, d.approved_at"

PqsDocument *pqs_document_new_from_stmt    (sqlite3_stmt *stmt);
void         pqs_document_update_from_stmt (PqsDocument  *self,
                                            sqlite3_stmt *stmt);
void         pqs_document_take_outline     (PqsDocument  *self,
                                            GPtrArray    *outline);
void         pqs_document_set_item_ids     (PqsDocument  *self,
                                            GArray       *ids);
GArray      *pqs_document_get_item_ids     (PqsDocument  *self);

/* The whole content as JSON (title, number, template_id, metadata, body,
 * outline): what document_changes.snapshot keeps of every version. */
char        *pqs_document_dup_snapshot     (PqsDocument  *self);
PqsDocument *pqs_document_new_from_snapshot (const char  *json,
                                             GError     **error);

/* Sets the row facts of a document made from a snapshot. */
void         pqs_document_set_row          (PqsDocument        *self,
                                            gint64              id,
                                            gint64              standard_id,
                                            PqsDocumentStatus   status,
                                            guint               version);

G_END_DECLS
