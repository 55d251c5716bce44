/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"

G_BEGIN_DECLS

/* The history of one section document: its changes (saves, workflow steps,
 * restores, imports) and its reviews, newest first, with a line diff of the
 * selected version against the one before it, against a second selected
 * version, or against the current text, and "Restore This Version".
 *
 * Signals:
 *   "add-toast" (AdwToast *toast)   a result to show ("Version 3 restored")
 *   "restored"  (gint64 change_id)  a version was restored: the document in
 *                                   the database changed (a new change was
 *                                   written); the embedder reloads it.
 *
 * Nothing is loaded until both a session and a document id are set; a
 * document id of 0 empties the pane. */

#define PQS_TYPE_HISTORY_PANE (pqs_history_pane_get_type ())
G_DECLARE_FINAL_TYPE (PqsHistoryPane, pqs_history_pane, PQS, HISTORY_PANE, GtkWidget)

PqsHistoryPane *pqs_history_pane_new              (void);

PqsSession     *pqs_history_pane_get_session      (PqsHistoryPane *self);
void            pqs_history_pane_set_session      (PqsHistoryPane *self,
                                                   PqsSession     *session);
gint64          pqs_history_pane_get_document_id  (PqsHistoryPane *self);
void            pqs_history_pane_set_document_id  (PqsHistoryPane *self,
                                                   gint64          document_id);

/* Reads the history again (call it after a save or a workflow step). */
void            pqs_history_pane_reload           (PqsHistoryPane *self);

/* The number of entries listed (changes and reviews). */
guint           pqs_history_pane_get_n_entries    (PqsHistoryPane *self);

/* Shows the diff of @new_change_id against @old_change_id, as if the user
 * had selected both rows (0 for @new_change_id: the current text; 0 for
 * @old_change_id: the version before @new_change_id). Returns FALSE when a
 * change is not listed or cannot be compared. */
gboolean        pqs_history_pane_compare          (PqsHistoryPane *self,
                                                   gint64          old_change_id,
                                                   gint64          new_change_id);

/* The diff's summary as shown and given to assistive technologies
 * ("3 lines added, 1 removed"), NULL when no diff is shown. */
const char     *pqs_history_pane_get_diff_summary (PqsHistoryPane *self);

G_END_DECLS
