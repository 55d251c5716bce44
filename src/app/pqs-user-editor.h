/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_USER_EDITOR (pqs_user_editor_get_type ())
G_DECLARE_FINAL_TYPE (PqsUserEditor, pqs_user_editor, PQS, USER_EDITOR, AdwWindow)

PqsUserEditor *pqs_user_editor_new              (PqsSession    *session,
                                                 PqsUserList   *users,
                                                 PqsUser       *user);
PqsUser       *pqs_user_editor_get_user         (PqsUserEditor *self);
const char    *pqs_user_editor_get_error        (PqsUserEditor *self);
gboolean       pqs_user_editor_get_busy         (PqsUserEditor *self);
void           pqs_user_editor_load_picture     (PqsUserEditor *self,
                                                 GFile         *file);

GdkTexture    *pqs_user_avatar_texture_new      (PqsUserDirectory *directory,
                                                 PqsUser          *user);

G_END_DECLS
