/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"
#include "pqs-user-editor.h"

G_BEGIN_DECLS

#define PQS_TYPE_USERS_VIEW (pqs_users_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsUsersView, pqs_users_view, PQS, USERS_VIEW, GtkWidget)

PqsUsersView  *pqs_users_view_new           (void);
PqsSession    *pqs_users_view_get_session   (PqsUsersView *self);
void           pqs_users_view_set_session   (PqsUsersView *self,
                                             PqsSession   *session);
gboolean       pqs_users_view_get_show_back (PqsUsersView *self);
void           pqs_users_view_set_show_back (PqsUsersView *self,
                                             gboolean      show_back);
PqsUserEditor *pqs_users_view_open_editor   (PqsUsersView *self,
                                             PqsUser      *user);
PqsUserEditor *pqs_users_view_get_editor    (PqsUsersView *self);

G_END_DECLS
