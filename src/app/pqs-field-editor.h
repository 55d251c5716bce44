/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "pqs-template-field.h"

G_BEGIN_DECLS

#define PQS_TYPE_FIELD_EDITOR (pqs_field_editor_get_type ())
G_DECLARE_FINAL_TYPE (PqsFieldEditor, pqs_field_editor, PQS, FIELD_EDITOR, GtkWidget)

PqsFieldEditor *pqs_field_editor_new           (void);
void            pqs_field_editor_set_fields    (PqsFieldEditor *self,
                                                GPtrArray      *fields,
                                                JsonObject     *metadata);
guint           pqs_field_editor_get_n_fields  (PqsFieldEditor *self);
JsonObject     *pqs_field_editor_dup_metadata  (PqsFieldEditor *self);
gboolean        pqs_field_editor_validate      (PqsFieldEditor *self,
                                                gboolean        require);
gboolean        pqs_field_editor_get_editable  (PqsFieldEditor *self);
void            pqs_field_editor_set_editable  (PqsFieldEditor *self,
                                                gboolean        editable);
GtkWidget      *pqs_field_editor_get_widget    (PqsFieldEditor *self,
                                                const char     *key,
                                                const char     *part);
const char     *pqs_field_editor_get_message   (PqsFieldEditor *self,
                                                const char     *key);

G_END_DECLS
