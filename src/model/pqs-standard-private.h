/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-standard.h"

G_BEGIN_DECLS

/* The columns pqs_standard_new_from_stmt() reads, in this order, from
 * column 0, for a query "FROM standards AS s". The two counts are of the
 * standard's section documents that are not archived, and of those that
 * are approved (the standard is approved when they are equal and not 0). */
#define PQS_STANDARD_COLUMNS \
  "s.id, s.uid, s.title, s.owning_unit, s.classification, s.applicability, s.revision, " \
  "s.status, s.frozen_at, s.frozen_by, s.created_by, s.updated_by, s.created_at, " \
  "s.updated_at, " \
  "(SELECT count(*) FROM documents AS d WHERE d.standard_id = s.id " \
  "   AND d.status <> 'archived'), " \
  "(SELECT count(*) FROM documents AS d WHERE d.standard_id = s.id " \
  "   AND d.status = 'approved')"

PqsStandard *pqs_standard_new_from_stmt    (sqlite3_stmt *stmt);
void         pqs_standard_update_from_stmt (PqsStandard  *self,
                                            sqlite3_stmt *stmt);

G_END_DECLS
