/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-new-section-dialog.h"
#include "pqs-standard.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_STANDARD_VIEW (pqs_standard_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsStandardView, pqs_standard_view, PQS, STANDARD_VIEW, GtkWidget)

PqsStandardView     *pqs_standard_view_new             (void);
PqsSession          *pqs_standard_view_get_session     (PqsStandardView  *self);
void                 pqs_standard_view_set_session     (PqsStandardView  *self,
                                                        PqsSession       *session);
gboolean             pqs_standard_view_load            (PqsStandardView  *self,
                                                        gint64            standard_id,
                                                        GError          **error);
gint64               pqs_standard_view_get_standard_id (PqsStandardView  *self);
PqsStandard         *pqs_standard_view_get_standard    (PqsStandardView  *self);
GListModel          *pqs_standard_view_get_sections    (PqsStandardView  *self,
                                                        guint             series);
PqsNewSectionDialog *pqs_standard_view_add_section     (PqsStandardView  *self,
                                                        guint             series);
PqsNewSectionDialog *pqs_standard_view_get_section_dialog (PqsStandardView *self);

/* Shared by the standards views: the classification marking and the
 * status badges look the same everywhere. */
void                 pqs_standard_view_ensure_style    (GtkWidget        *widget);
void                 pqs_marking_label_update          (GtkLabel         *label,
                                                        PqsClassification classification);
void                 pqs_status_badge_update           (GtkLabel         *label,
                                                        const char       *status);
char                *pqs_format_date                   (GDateTime        *time);

G_END_DECLS
