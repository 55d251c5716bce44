/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_AUDIT_LIST (pqs_audit_list_get_type ())
G_DECLARE_FINAL_TYPE (PqsAuditList, pqs_audit_list, PQS, AUDIT_LIST, GObject)

PqsAuditList *pqs_audit_list_new               (PqsStore     *store);

PqsStore     *pqs_audit_list_get_store         (PqsAuditList *self);

gint64        pqs_audit_list_get_user_id       (PqsAuditList *self);
void          pqs_audit_list_set_user_id       (PqsAuditList *self,
                                                gint64        user_id);
const char   *pqs_audit_list_get_activity_type (PqsAuditList *self);
void          pqs_audit_list_set_activity_type (PqsAuditList *self,
                                                const char   *activity_type);
const char   *pqs_audit_list_get_resource_type (PqsAuditList *self);
gint64        pqs_audit_list_get_resource_id   (PqsAuditList *self);
void          pqs_audit_list_set_resource      (PqsAuditList *self,
                                                const char   *resource_type,
                                                gint64        resource_id);
GDateTime    *pqs_audit_list_get_since         (PqsAuditList *self);
void          pqs_audit_list_set_since         (PqsAuditList *self,
                                                GDateTime    *since);
GDateTime    *pqs_audit_list_get_until         (PqsAuditList *self);
void          pqs_audit_list_set_until         (PqsAuditList *self,
                                                GDateTime    *until);

void          pqs_audit_list_reload            (PqsAuditList *self);

G_END_DECLS
