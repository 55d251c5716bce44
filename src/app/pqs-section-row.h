/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PQS_TYPE_SECTION_ROW (pqs_section_row_get_type ())

G_DECLARE_FINAL_TYPE (PqsSectionRow, pqs_section_row, PQS, SECTION_ROW, GtkWidget)

GtkWidget     *pqs_section_row_new                     (void);
void           pqs_section_row_set_texts               (PqsSectionRow *self,
                                                        const char    *number,
                                                        const char    *title,
                                                        const char    *subtitle);
void           pqs_section_row_set_result              (PqsSectionRow *self,
                                                        const char    *overline,
                                                        const char    *title,
                                                        const char    *snippet_markup);
const char    *pqs_section_row_get_number              (PqsSectionRow *self);
const char    *pqs_section_row_get_title               (PqsSectionRow *self);
const char    *pqs_section_row_get_subtitle            (PqsSectionRow *self);
const char    *pqs_section_row_get_overline            (PqsSectionRow *self);
PangoAttrList *pqs_section_row_get_subtitle_attributes (PqsSectionRow *self);
void           pqs_section_row_set_header              (PqsSectionRow *self,
                                                        GtkWidget     *header);
GtkLabel      *pqs_section_row_get_badge               (PqsSectionRow *self);

G_END_DECLS
