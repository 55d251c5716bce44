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

GQuark    pqs_audit_error_quark (void);

char     *pqs_audit_row_hash    (const PqsAuditRow *row);

gboolean  pqs_audit_append      (PqsStore      *store,
                                 gint64         user_id,
                                 const char    *activity_type,
                                 const char    *resource_type,
                                 gint64         resource_id,
                                 JsonNode      *details,
                                 gint64        *out_id,
                                 GError       **error);

gboolean  pqs_audit_verify      (PqsStore             *store,
                                 GCancellable         *cancellable,
                                 PqsAuditProgressFunc  progress,
                                 gpointer              progress_data,
                                 guint64              *out_rows,
                                 gint64               *out_bad_id,
                                 GError              **error);

G_END_DECLS
