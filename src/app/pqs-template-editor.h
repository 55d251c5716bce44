/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-template-list.h"
#include "pqs-template.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_TEMPLATE_EDITOR (pqs_template_editor_get_type ())
G_DECLARE_FINAL_TYPE (PqsTemplateEditor, pqs_template_editor, PQS, TEMPLATE_EDITOR, AdwWindow)

PqsTemplateEditor *pqs_template_editor_new            (PqsSession        *session,
                                                       PqsTemplateList   *templates,
                                                       PqsTemplate       *template);
PqsTemplate       *pqs_template_editor_get_template   (PqsTemplateEditor *self);
void               pqs_template_editor_set_section    (PqsTemplateEditor *self,
                                                       int                section);
gboolean           pqs_template_editor_get_read_only  (PqsTemplateEditor *self);
gboolean           pqs_template_editor_get_valid      (PqsTemplateEditor *self);
gboolean           pqs_template_editor_check          (PqsTemplateEditor *self);
const char        *pqs_template_editor_get_error      (PqsTemplateEditor *self);
const char        *pqs_template_editor_get_fields_error  (PqsTemplateEditor *self);
const char        *pqs_template_editor_get_outline_error (PqsTemplateEditor *self);

G_END_DECLS
