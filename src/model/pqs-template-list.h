/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-template.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_TEMPLATE_LIST (pqs_template_list_get_type ())
G_DECLARE_FINAL_TYPE (PqsTemplateList, pqs_template_list, PQS, TEMPLATE_LIST, GObject)

PqsTemplateList *pqs_template_list_new             (PqsStore        *store);
gboolean         pqs_template_list_reload          (PqsTemplateList *self,
                                                    GError         **error);
int              pqs_template_list_get_section     (PqsTemplateList *self);
void             pqs_template_list_set_section     (PqsTemplateList *self,
                                                    int              section);
gboolean         pqs_template_list_get_active_only (PqsTemplateList *self);
void             pqs_template_list_set_active_only (PqsTemplateList *self,
                                                    gboolean         active_only);
PqsTemplate     *pqs_template_list_find            (PqsTemplateList *self,
                                                    gint64           id);

G_END_DECLS
