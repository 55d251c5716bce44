/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-diff.h"
#include "pqs-library.h"

G_BEGIN_DECLS

typedef enum
{
  PQS_HISTORY_CHANGE,   /* a row of document_changes: a save, a workflow step, a restore */
  PQS_HISTORY_REVIEW,   /* a row of document_reviews: a decision or a comment */
} PqsHistoryKind;

/* One event in a document's history. */
typedef struct
{
  PqsHistoryKind     kind;
  gint64             id;            /* the change's or the review's id */
  gint64             document_id;
  gint64             user_id;
  char              *user_name;     /* "Rank Full Name" */
  GDateTime         *time;
  guint              version;       /* the document's version after the change / reviewed */
  /* Changes */
  char              *change_type;   /* "create", "update", "restore" */
  char              *action;        /* "create", "save", "submit", "approve", "request_changes",
                                     * "archive", "revise", "restore", "import", "renumber";
                                     * NULL on rows older than PQS Desk's history */
  gboolean           has_status;
  PqsDocumentStatus  status;        /* after the change */
  char              *summary;
  gboolean           has_text;      /* the text after the change is kept: it can be compared */
  gboolean           restorable;    /* the whole document is kept: it can be shown and restored */
  /* Reviews */
  char              *decision;      /* "approved", "changes_requested", "comment" */
  char              *comment;
} PqsHistoryEntry;

void        pqs_history_entry_free      (PqsHistoryEntry *entry);
const char *pqs_history_entry_get_label (const PqsHistoryEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsHistoryEntry, pqs_history_entry_free)

#define PQS_TYPE_HISTORY (pqs_history_get_type ())
G_DECLARE_FINAL_TYPE (PqsHistory, pqs_history, PQS, HISTORY, GObject)

PqsHistory  *pqs_history_new           (PqsLibrary  *library);

GPtrArray   *pqs_history_list          (PqsHistory  *self,
                                        PqsUser     *actor,
                                        gint64       document_id,
                                        GError     **error);
char        *pqs_history_get_text      (PqsHistory  *self,
                                        PqsUser     *actor,
                                        gint64       change_id,
                                        GError     **error);
PqsDocument *pqs_history_load_version  (PqsHistory  *self,
                                        PqsUser     *actor,
                                        gint64       change_id,
                                        GError     **error);
GPtrArray   *pqs_history_compare       (PqsHistory  *self,
                                        PqsUser     *actor,
                                        gint64       old_change_id,
                                        gint64       new_change_id,
                                        guint        context,
                                        GError     **error);
gboolean     pqs_history_restore       (PqsHistory  *self,
                                        PqsUser     *actor,
                                        gint64       change_id,
                                        gint64       edit_count,
                                        const char  *summary,
                                        GError     **error);

G_END_DECLS
