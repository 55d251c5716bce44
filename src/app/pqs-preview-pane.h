/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-document.h"
#include "pqs-pdf-export.h"
#include "pqs-standard.h"
#include "pqs-types.h"

G_BEGIN_DECLS

/* A read-only rendering of a section document as its printed edition will
 * look: the classification marking, the title block (standard, series and
 * number, revision, status, approver and dates), the numbered outline; in
 * the qualifier edition (PQS_PDF_EDITION_QUALIFIER) the expected answers
 * and scoring criteria, in the trainee edition (PQS_PDF_EDITION_TRAINEE)
 * ruled answer space instead; signature lines in both.
 *
 * Cheap to feed: pqs_preview_pane_set_document() only keeps a reference and
 * schedules one rebuild on idle (however often it is called before), so the
 * editor may call it after every edit with its unsaved in-memory document.
 * The rebuild reads the document then, and updates only the rows whose text
 * changed.
 *
 * The standard (title, marking, revision) comes from
 * pqs_preview_pane_set_standard(), or, when none was given, is loaded
 * through the session (once per standard id). Without either, the marking
 * reads "UNCLASSIFIED". */

#define PQS_TYPE_PREVIEW_PANE (pqs_preview_pane_get_type ())
G_DECLARE_FINAL_TYPE (PqsPreviewPane, pqs_preview_pane, PQS, PREVIEW_PANE, GtkWidget)

PqsPreviewPane *pqs_preview_pane_new           (void);

PqsSession     *pqs_preview_pane_get_session   (PqsPreviewPane *self);
void            pqs_preview_pane_set_session   (PqsPreviewPane *self,
                                                PqsSession     *session);
PqsStandard    *pqs_preview_pane_get_standard  (PqsPreviewPane *self);
void            pqs_preview_pane_set_standard  (PqsPreviewPane *self,
                                                PqsStandard    *standard);
/* (nullable) the pane keeps a reference; changes made to @document later
 * show when it is set again (or at the next pending rebuild). */
void            pqs_preview_pane_set_document  (PqsPreviewPane *self,
                                                PqsDocument    *document);
PqsPdfEdition   pqs_preview_pane_get_edition   (PqsPreviewPane *self);
void            pqs_preview_pane_set_edition   (PqsPreviewPane *self,
                                                PqsPdfEdition   edition);

/* Rebuilds now if a rebuild is pending (tests, screenshots). */
void            pqs_preview_pane_flush         (PqsPreviewPane *self);

G_END_DECLS
