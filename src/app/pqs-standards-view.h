/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-new-standard-dialog.h"
#include "pqs-standard-view.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_STANDARDS_VIEW (pqs_standards_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsStandardsView, pqs_standards_view, PQS, STANDARDS_VIEW, GtkWidget)

PqsStandardsView     *pqs_standards_view_new                 (void);
PqsSession           *pqs_standards_view_get_session         (PqsStandardsView  *self);
void                  pqs_standards_view_set_session         (PqsStandardsView  *self,
                                                              PqsSession        *session);
gboolean              pqs_standards_view_get_show_back       (PqsStandardsView  *self);
void                  pqs_standards_view_set_show_back       (PqsStandardsView  *self,
                                                              gboolean           show_back);

gboolean              pqs_standards_view_open_standard       (PqsStandardsView  *self,
                                                              gint64             standard_id);
void                  pqs_standards_view_show_list           (PqsStandardsView  *self);
PqsStandardView      *pqs_standards_view_get_standard_view   (PqsStandardsView  *self);
PqsNewStandardDialog *pqs_standards_view_open_new_standard   (PqsStandardsView  *self);
PqsNewStandardDialog *pqs_standards_view_get_new_standard_dialog (PqsStandardsView *self);
gboolean              pqs_standards_view_open_sample         (PqsStandardsView  *self,
                                                              GError           **error);

GListModel           *pqs_standards_view_get_documents       (PqsStandardsView  *self);
GListModel           *pqs_standards_view_get_results         (PqsStandardsView  *self);
GListModel           *pqs_standards_view_get_standards       (PqsStandardsView  *self);

/* The sample book of "Open a Sample Standard", written through the model. */
PqsStandard          *pqs_standards_view_create_sample       (PqsStore          *store,
                                                              PqsUser           *actor,
                                                              GError           **error);

G_END_DECLS
