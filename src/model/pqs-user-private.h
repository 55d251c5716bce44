/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-user.h"

G_BEGIN_DECLS

/* The columns pqs_user_new_from_stmt() reads, in this order, from column 0. */
#define PQS_USER_COLUMNS \
  "id, username, email, full_name, rank, role, is_active, avatar_mime, avatar_size, " \
  "avatar_updated_at, last_login_at, login_count, failed_login_attempts, locked_until, " \
  "password_reset_required, created_at, updated_at"

PqsUser *pqs_user_new_from_stmt    (sqlite3_stmt *stmt);
void     pqs_user_update_from_stmt (PqsUser      *self,
                                    sqlite3_stmt *stmt);

G_END_DECLS
