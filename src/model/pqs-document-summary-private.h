/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-document-summary.h"

G_BEGIN_DECLS

/* The columns pqs_document_summary_new_from_stmt() reads, in this order, from
 * column 0, and the joins they need ("d" is the document). The author's name
 * is built like pqs_user_dup_display_name(): "Rank Full Name", else the full
 * name, else the username. */
#define PQS_DOCUMENT_SUMMARY_COLUMNS \
  "d.id, d.standard_id, s.title, s.classification, d.section, d.document_number, " \
  "d.title, d.status, d.version, d.created_by, " \
  "CASE WHEN u.id IS NULL THEN NULL " \
  "     WHEN coalesce(u.rank, '') <> '' THEN u.rank || ' ' || coalesce(u.full_name, '') " \
  "     ELSE coalesce(u.full_name, u.username) END, " \
  "d.updated_at"
#define PQS_DOCUMENT_SUMMARY_N_COLUMNS 12
#define PQS_DOCUMENT_SUMMARY_JOIN \
  "JOIN standards AS s ON s.id = d.standard_id " \
  "LEFT JOIN users AS u ON u.id = d.created_by"

PqsDocumentSummary *pqs_document_summary_new_from_stmt (sqlite3_stmt *stmt);

G_END_DECLS

G_BEGIN_DECLS

/* The stored text of updated_at, which the list pages by. */
const char *pqs_document_summary_get_updated_at_text (PqsDocumentSummary *self);

G_END_DECLS
