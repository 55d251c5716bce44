/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-standard.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_NEW_SECTION_DIALOG (pqs_new_section_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PqsNewSectionDialog, pqs_new_section_dialog, PQS, NEW_SECTION_DIALOG,
                      AdwWindow)

PqsNewSectionDialog *pqs_new_section_dialog_new             (PqsSession          *session,
                                                             PqsStandard         *standard,
                                                             guint                series);
guint                pqs_new_section_dialog_get_series      (PqsNewSectionDialog *self);
guint                pqs_new_section_dialog_get_proposed_number (PqsNewSectionDialog *self);
gboolean             pqs_new_section_dialog_get_number_valid (PqsNewSectionDialog *self);
gint64               pqs_new_section_dialog_get_template_id (PqsNewSectionDialog *self);
gboolean             pqs_new_section_dialog_add             (PqsNewSectionDialog *self);

G_END_DECLS
