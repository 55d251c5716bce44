/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-auth.h"
#include "pqs-document-editor.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_MAIN_VIEW (pqs_main_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsMainView, pqs_main_view, PQS, MAIN_VIEW, GtkWidget)

/* The views a role needs no permission for take this as their action. */
#define PQS_MAIN_VIEW_ANYONE ((int) -1)

PqsMainView *pqs_main_view_new            (void);
void         pqs_main_view_add_view       (PqsMainView  *self,
                                           const char   *name,
                                           const char   *title,
                                           const char   *icon_name,
                                           GtkWidget    *view,
                                           int           required_action);
void         pqs_main_view_set_session    (PqsMainView  *self,
                                           PqsSession   *session);
void         pqs_main_view_set_menu_model (PqsMainView  *self,
                                           GMenuModel   *menu);
const char  *pqs_main_view_get_visible_view (PqsMainView *self);
gboolean     pqs_main_view_show_view      (PqsMainView  *self,
                                           const char   *name);
gboolean     pqs_main_view_is_view_available (PqsMainView *self,
                                              const char  *name);
void         pqs_main_view_open_document  (PqsMainView  *self,
                                           gint64        document_id);
PqsDocumentEditor *pqs_main_view_get_editor (PqsMainView *self);

G_END_DECLS
