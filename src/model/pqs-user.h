/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-auth.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_USER (pqs_user_get_type ())
G_DECLARE_FINAL_TYPE (PqsUser, pqs_user, PQS, USER, GObject)

gint64      pqs_user_get_id                    (PqsUser *self);
const char *pqs_user_get_username              (PqsUser *self);
const char *pqs_user_get_email                 (PqsUser *self);
const char *pqs_user_get_full_name             (PqsUser *self);
const char *pqs_user_get_rank                  (PqsUser *self);
char       *pqs_user_dup_display_name          (PqsUser *self);
PqsRole     pqs_user_get_role                  (PqsUser *self);
gboolean    pqs_user_get_active                (PqsUser *self);
const char *pqs_user_get_avatar_mime           (PqsUser *self);
gint64      pqs_user_get_avatar_size           (PqsUser *self);
GDateTime  *pqs_user_get_avatar_updated_at     (PqsUser *self);
GDateTime  *pqs_user_get_last_login_at         (PqsUser *self);
guint       pqs_user_get_login_count           (PqsUser *self);
guint       pqs_user_get_failed_login_attempts (PqsUser *self);
GDateTime  *pqs_user_get_locked_until          (PqsUser *self);
gboolean    pqs_user_is_locked_at              (PqsUser *self,
                                                gint64   now_us);
gboolean    pqs_user_get_password_reset_required (PqsUser *self);
GDateTime  *pqs_user_get_created_at            (PqsUser *self);
GDateTime  *pqs_user_get_updated_at            (PqsUser *self);

G_END_DECLS
