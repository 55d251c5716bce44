/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-audit-entry.h"

G_BEGIN_DECLS

/* The columns pqs_audit_entry_new_from_stmt() reads, in this order, from
 * column 0, and the tables they come from ("a" is the audit row). */
#define PQS_AUDIT_ENTRY_COLUMNS \
  "a.id, a.user_id, u.username, u.full_name, a.activity_type, a.resource_type, " \
  "a.resource_id, a.details, a.ip_address, a.user_agent, a.created_at, a.row_hash"
#define PQS_AUDIT_ENTRY_JOIN \
  "LEFT JOIN users AS u ON u.id = a.user_id"

PqsAuditEntry *pqs_audit_entry_new_from_stmt (sqlite3_stmt *stmt);

G_END_DECLS
