/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_AUDIT_ENTRY (pqs_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (PqsAuditEntry, pqs_audit_entry, PQS, AUDIT_ENTRY, GObject)

gint64      pqs_audit_entry_get_id            (PqsAuditEntry *self);
gint64      pqs_audit_entry_get_user_id       (PqsAuditEntry *self);
const char *pqs_audit_entry_get_username      (PqsAuditEntry *self);
const char *pqs_audit_entry_get_full_name     (PqsAuditEntry *self);
const char *pqs_audit_entry_get_activity_type (PqsAuditEntry *self);
const char *pqs_audit_entry_get_description   (PqsAuditEntry *self);
const char *pqs_audit_entry_get_resource_type (PqsAuditEntry *self);
gint64      pqs_audit_entry_get_resource_id   (PqsAuditEntry *self);
const char *pqs_audit_entry_get_details       (PqsAuditEntry *self);
const char *pqs_audit_entry_get_ip_address    (PqsAuditEntry *self);
const char *pqs_audit_entry_get_user_agent    (PqsAuditEntry *self);
GDateTime  *pqs_audit_entry_get_created_at    (PqsAuditEntry *self);
const char *pqs_audit_entry_get_row_hash      (PqsAuditEntry *self);

G_END_DECLS
