/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-standard.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_NEW_STANDARD_DIALOG (pqs_new_standard_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PqsNewStandardDialog, pqs_new_standard_dialog, PQS, NEW_STANDARD_DIALOG,
                      AdwWindow)

PqsNewStandardDialog *pqs_new_standard_dialog_new    (PqsSession           *session);
PqsStandard          *pqs_new_standard_dialog_create (PqsNewStandardDialog *self);

G_END_DECLS
