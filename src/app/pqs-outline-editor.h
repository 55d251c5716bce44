/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-outline.h"

G_BEGIN_DECLS

#define PQS_TYPE_OUTLINE_EDITOR (pqs_outline_editor_get_type ())
G_DECLARE_FINAL_TYPE (PqsOutlineEditor, pqs_outline_editor, PQS, OUTLINE_EDITOR, GtkWidget)

PqsOutlineEditor     *pqs_outline_editor_new          (void);
void                  pqs_outline_editor_set_outline  (PqsOutlineEditor *self,
                                                       GPtrArray        *outline);
GPtrArray            *pqs_outline_editor_dup_outline  (PqsOutlineEditor *self);
guint                 pqs_outline_editor_get_n_items  (PqsOutlineEditor *self);
const PqsOutlineItem *pqs_outline_editor_get_item     (PqsOutlineEditor *self,
                                                       guint             index);
char                 *pqs_outline_editor_dup_number   (PqsOutlineEditor *self,
                                                       guint             index);
GtkWidget            *pqs_outline_editor_get_row      (PqsOutlineEditor *self,
                                                       guint             index);
GtkWidget            *pqs_outline_editor_get_row_part (PqsOutlineEditor *self,
                                                       guint             index,
                                                       const char       *part);
gboolean              pqs_outline_editor_get_editable (PqsOutlineEditor *self);
void                  pqs_outline_editor_set_editable (PqsOutlineEditor *self,
                                                       gboolean          editable);
int                   pqs_outline_editor_get_current  (PqsOutlineEditor *self);
void                  pqs_outline_editor_set_current  (PqsOutlineEditor *self,
                                                       int               index);

/* The edits, as the buttons, the keys and drag and drop make them. */
gboolean              pqs_outline_editor_add_item     (PqsOutlineEditor *self,
                                                       PqsItemKind       kind,
                                                       GError          **error);
gboolean              pqs_outline_editor_indent       (PqsOutlineEditor *self,
                                                       guint             index,
                                                       GError          **error);
gboolean              pqs_outline_editor_outdent      (PqsOutlineEditor *self,
                                                       guint             index,
                                                       GError          **error);
gboolean              pqs_outline_editor_move_up      (PqsOutlineEditor *self,
                                                       guint             index,
                                                       GError          **error);
gboolean              pqs_outline_editor_move_down    (PqsOutlineEditor *self,
                                                       guint             index,
                                                       GError          **error);
gboolean              pqs_outline_editor_move_to      (PqsOutlineEditor *self,
                                                       guint             index,
                                                       guint             target,
                                                       gboolean          after,
                                                       GError          **error);
gboolean              pqs_outline_editor_delete_item  (PqsOutlineEditor *self,
                                                       guint             index,
                                                       GError          **error);

G_END_DECLS
