/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_USER_LIST (pqs_user_list_get_type ())
G_DECLARE_FINAL_TYPE (PqsUserList, pqs_user_list, PQS, USER_LIST, GObject)

PqsUserList *pqs_user_list_new          (PqsStore     *store);
gboolean     pqs_user_list_reload       (PqsUserList  *self,
                                         GError      **error);
PqsUser     *pqs_user_list_find         (PqsUserList  *self,
                                         gint64        id);

G_END_DECLS
