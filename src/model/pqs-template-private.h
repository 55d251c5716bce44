/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-template.h"

G_BEGIN_DECLS

/* The columns pqs_template_new_from_stmt() reads, in this order, from
 * column 0, of "templates AS t". The last is the number of documents made
 * from the template. */
#define PQS_TEMPLATE_COLUMNS \
  "t.id, t.name, t.description, t.section, t.template_content, t.template_hash, t.fields, " \
  "t.outline, t.is_active, t.is_system, t.created_by, t.updated_by, t.created_at, " \
  "t.updated_at, (SELECT count(*) FROM documents AS d WHERE d.template_id = t.id)"

PqsTemplate *pqs_template_new_from_stmt    (sqlite3_stmt *stmt);
void         pqs_template_update_from_stmt (PqsTemplate  *self,
                                            sqlite3_stmt *stmt);

G_END_DECLS
