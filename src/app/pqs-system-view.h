/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_SYSTEM_VIEW (pqs_system_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsSystemView, pqs_system_view, PQS, SYSTEM_VIEW, GtkWidget)

PqsSystemView *pqs_system_view_new         (void);
PqsSession    *pqs_system_view_get_session (PqsSystemView *self);
void           pqs_system_view_set_session (PqsSystemView *self,
                                            PqsSession    *session);
gboolean       pqs_system_view_get_show_back (PqsSystemView *self);
void           pqs_system_view_set_show_back (PqsSystemView *self,
                                              gboolean       show_back);
gboolean       pqs_system_view_get_busy    (PqsSystemView *self);
void           pqs_system_view_refresh     (PqsSystemView *self);

G_END_DECLS
