/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_AUDIT_ERROR (pqs_audit_error_quark ())

typedef enum
{
  PQS_AUDIT_ERROR_FAILED,
  PQS_AUDIT_ERROR_BROKEN_CHAIN,
  PQS_AUDIT_ERROR_INVALID,
} PqsAuditError;

/* Activity types, "domain.verb". Sign-in and session events. */
#define PQS_AUDIT_SIGN_IN                "auth.login"
#define PQS_AUDIT_SIGN_IN_FAILED         "auth.login_failed"
#define PQS_AUDIT_LOCKOUT                "auth.lockout"
#define PQS_AUDIT_SIGN_OUT               "auth.logout"
#define PQS_AUDIT_SESSION_LOCK           "auth.lock"
#define PQS_AUDIT_SESSION_UNLOCK         "auth.unlock"
#define PQS_AUDIT_PASSWORD_CHANGE        "auth.password_change"

/* An administrator's changes to an account (resource "user"). */
#define PQS_AUDIT_USER_CREATE            "user.create"
#define PQS_AUDIT_USER_UPDATE            "user.update"
#define PQS_AUDIT_USER_ROLE              "user.role_change"
#define PQS_AUDIT_USER_DEACTIVATE        "user.deactivate"
#define PQS_AUDIT_USER_REACTIVATE        "user.reactivate"
#define PQS_AUDIT_USER_PASSWORD_RESET    "user.password_reset"
#define PQS_AUDIT_USER_UNLOCK            "user.unlock"
#define PQS_AUDIT_USER_AVATAR            "user.avatar"
#define PQS_AUDIT_USER_DELETE            "user.delete"

/* Standards and documents (the names the demo seeder writes). */
#define PQS_AUDIT_STANDARD_CREATE        "standard.create"
#define PQS_AUDIT_DOCUMENT_CREATE        "document.create"
#define PQS_AUDIT_DOCUMENT_UPDATE        "document.update"
#define PQS_AUDIT_DOCUMENT_SUBMIT        "document.submit"
#define PQS_AUDIT_DOCUMENT_COMMENT       "document.comment"
#define PQS_AUDIT_DOCUMENT_REQUEST_CHANGES "document.request_changes"
#define PQS_AUDIT_DOCUMENT_APPROVE       "document.approve"
#define PQS_AUDIT_DOCUMENT_ARCHIVE       "document.archive"
#define PQS_AUDIT_SEED_DEMO              "admin.seed_demo"
#define PQS_AUDIT_STANDARD_UPDATE        "standard.update"
#define PQS_AUDIT_STANDARD_DELETE        "standard.delete"
#define PQS_AUDIT_STANDARD_REVISE        "standard.revise"
#define PQS_AUDIT_STANDARD_IMPORT        "standard.import"
#define PQS_AUDIT_STANDARD_EXPORT        "standard.export"
#define PQS_AUDIT_DOCUMENT_REVISE        "document.revise"
#define PQS_AUDIT_DOCUMENT_RESTORE       "document.restore"
#define PQS_AUDIT_DOCUMENT_DELETE        "document.delete"
#define PQS_AUDIT_DOCUMENT_IMPORT        "document.import"
#define PQS_AUDIT_DOCUMENT_EXPORT        "document.export"
#define PQS_AUDIT_DOCUMENT_RENUMBER      "document.renumber"
#define PQS_AUDIT_DOCUMENT_COLLABORATOR  "document.collaborator"
#define PQS_AUDIT_DATABASE_MIGRATE       "database.migrate"
#define PQS_AUDIT_DATABASE_ROLLBACK      "database.rollback"
#define PQS_AUDIT_BACKUP_CREATE          "backup.create"
#define PQS_AUDIT_BACKUP_FAILED          "backup.failed"
#define PQS_AUDIT_BACKUP_RESTORE         "backup.restore"

/* One audit row's content, for pqs_audit_row_hash(). Strings may be NULL
 * (SQL NULL); has_user / has_resource say whether the ids are NULL. */
typedef struct
{
  gint64      id;
  gboolean    has_user;
  gint64      user_id;
  const char *activity_type;
  const char *resource_type;
  gboolean    has_resource;
  gint64      resource_id;
  const char *details;
  const char *ip_address;
  const char *user_agent;
  const char *created_at;
  const char *prev_hash;
} PqsAuditRow;

/* Verification progress: rows checked so far out of about @total. */
typedef void (*PqsAuditProgressFunc) (guint64  checked,
                                      guint64  total,
                                      gpointer user_data);

GQuark      pqs_audit_error_quark        (void);

const char *pqs_audit_describe_activity  (const char *activity_type);

char     *pqs_audit_row_hash    (const PqsAuditRow *row);

gboolean  pqs_audit_append      (PqsStore      *store,
                                 gint64         user_id,
                                 const char    *activity_type,
                                 const char    *resource_type,
                                 gint64         resource_id,
                                 JsonNode      *details,
                                 gint64        *out_id,
                                 GError       **error);

gboolean  pqs_audit_append_system (PqsStore    *store,
                                   const char  *activity_type,
                                   const char  *resource_type,
                                   JsonNode    *details,
                                   GError     **error);

gboolean  pqs_audit_verify      (PqsStore             *store,
                                 GCancellable         *cancellable,
                                 PqsAuditProgressFunc  progress,
                                 gpointer              progress_data,
                                 guint64              *out_rows,
                                 gint64               *out_bad_id,
                                 GError              **error);

void      pqs_audit_verify_async  (PqsStore             *store,
                                   GCancellable         *cancellable,
                                   PqsAuditProgressFunc  progress,
                                   gpointer              progress_data,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean  pqs_audit_verify_finish (PqsStore             *store,
                                   GAsyncResult         *result,
                                   guint64              *out_rows,
                                   gint64               *out_bad_id,
                                   GError              **error);

G_END_DECLS
