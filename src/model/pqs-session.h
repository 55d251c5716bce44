/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_SIGN_IN_MAX_FAILURES   5
#define PQS_SIGN_IN_LOCKOUT_USEC   (15 * 60 * G_USEC_PER_SEC)
#define PQS_SESSION_LIFETIME_USEC  ((gint64) 12 * 60 * 60 * G_USEC_PER_SEC)

#define PQS_TYPE_SESSION (pqs_session_get_type ())
G_DECLARE_FINAL_TYPE (PqsSession, pqs_session, PQS, SESSION, GObject)

PqsSession *pqs_session_sign_in            (PqsStore     *store,
                                            const char   *username,
                                            const char   *password,
                                            GError      **error);
PqsStore   *pqs_session_get_store          (PqsSession   *self);
PqsUser    *pqs_session_get_user           (PqsSession   *self);
gint64      pqs_session_get_id             (PqsSession   *self);
const char *pqs_session_get_token          (PqsSession   *self);
gboolean    pqs_session_get_active         (PqsSession   *self);
gboolean    pqs_session_get_locked         (PqsSession   *self);
gboolean    pqs_session_get_password_change_required (PqsSession *self);

gboolean    pqs_session_validate           (PqsSession   *self,
                                            GError      **error);
gboolean    pqs_session_refresh_user       (PqsSession   *self,
                                            GError      **error);
gboolean    pqs_session_change_password    (PqsSession   *self,
                                            const char   *current_password,
                                            const char   *new_password,
                                            GError      **error);
gboolean    pqs_session_sign_out           (PqsSession   *self,
                                            GError      **error);

void        pqs_session_set_idle_timeout   (PqsSession   *self,
                                            guint         seconds);
guint       pqs_session_get_idle_timeout   (PqsSession   *self);
void        pqs_session_touch              (PqsSession   *self);
gboolean    pqs_session_check_idle         (PqsSession   *self);
gboolean    pqs_session_lock               (PqsSession   *self,
                                            GError      **error);
gboolean    pqs_session_unlock             (PqsSession   *self,
                                            const char   *password,
                                            GError      **error);

G_END_DECLS
