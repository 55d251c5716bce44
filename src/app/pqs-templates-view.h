/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-template-editor.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_TEMPLATES_VIEW (pqs_templates_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsTemplatesView, pqs_templates_view, PQS, TEMPLATES_VIEW, GtkWidget)

PqsTemplatesView  *pqs_templates_view_new           (void);
PqsSession        *pqs_templates_view_get_session   (PqsTemplatesView *self);
void               pqs_templates_view_set_session   (PqsTemplatesView *self,
                                                     PqsSession       *session);
gboolean           pqs_templates_view_get_show_back (PqsTemplatesView *self);
void               pqs_templates_view_set_show_back (PqsTemplatesView *self,
                                                     gboolean          show_back);
int                pqs_templates_view_get_section   (PqsTemplatesView *self);
void               pqs_templates_view_set_section   (PqsTemplatesView *self,
                                                     int               section);
PqsTemplateEditor *pqs_templates_view_open_editor   (PqsTemplatesView *self,
                                                     PqsTemplate      *template);
PqsTemplateEditor *pqs_templates_view_get_editor    (PqsTemplatesView *self);

G_END_DECLS
