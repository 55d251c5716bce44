/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"

G_BEGIN_DECLS

typedef enum
{
  PQS_SIGN_IN_MODE_FIRST_ADMIN,
  PQS_SIGN_IN_MODE_SIGN_IN,
  PQS_SIGN_IN_MODE_UNLOCK,
  PQS_SIGN_IN_MODE_CHANGE_PASSWORD,
} PqsSignInMode;

#define PQS_TYPE_SIGN_IN_VIEW (pqs_sign_in_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsSignInView, pqs_sign_in_view, PQS, SIGN_IN_VIEW, GtkWidget)

PqsSignInView *pqs_sign_in_view_new         (void);
void           pqs_sign_in_view_set_store   (PqsSignInView *self,
                                             PqsStore      *store);
void           pqs_sign_in_view_set_session (PqsSignInView *self,
                                             PqsSession    *session);
PqsSignInMode  pqs_sign_in_view_get_mode    (PqsSignInView *self);
void           pqs_sign_in_view_set_mode    (PqsSignInView *self,
                                             PqsSignInMode  mode);
const char    *pqs_sign_in_view_get_error   (PqsSignInView *self);

G_END_DECLS
