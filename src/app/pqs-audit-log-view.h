/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_AUDIT_LOG_VIEW (pqs_audit_log_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsAuditLogView, pqs_audit_log_view, PQS, AUDIT_LOG_VIEW, GtkWidget)

PqsAuditLogView *pqs_audit_log_view_new          (void);
void             pqs_audit_log_view_set_session  (PqsAuditLogView *self,
                                                  PqsSession      *session);
void             pqs_audit_log_view_reload       (PqsAuditLogView *self);
GListModel      *pqs_audit_log_view_get_model    (PqsAuditLogView *self);
gboolean         pqs_audit_log_view_get_busy     (PqsAuditLogView *self);
const char      *pqs_audit_log_view_get_result   (PqsAuditLogView *self);

G_END_DECLS
