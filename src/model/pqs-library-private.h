/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "pqs-library.h"

G_BEGIN_DECLS

/* What #PqsLibrary shares with #PqsWorkflow and #PqsHistory: the checks
 * and the one function that writes a document's new state with its
 * change row and audit row. All of them run inside a transaction. */

/* Audit activities ("domain.verb") beyond those pqs-audit.h names. */
#ifndef PQS_AUDIT_STANDARD_UPDATE
#define PQS_AUDIT_STANDARD_UPDATE        "standard.update"
#endif
#ifndef PQS_AUDIT_STANDARD_DELETE
#define PQS_AUDIT_STANDARD_DELETE        "standard.delete"
#endif
#ifndef PQS_AUDIT_STANDARD_REVISE
#define PQS_AUDIT_STANDARD_REVISE        "standard.revise"
#endif
#ifndef PQS_AUDIT_STANDARD_IMPORT
#define PQS_AUDIT_STANDARD_IMPORT        "standard.import"
#endif
#ifndef PQS_AUDIT_DOCUMENT_REVISE
#define PQS_AUDIT_DOCUMENT_REVISE        "document.revise"
#endif
#ifndef PQS_AUDIT_DOCUMENT_RESTORE
#define PQS_AUDIT_DOCUMENT_RESTORE       "document.restore"
#endif
#ifndef PQS_AUDIT_DOCUMENT_DELETE
#define PQS_AUDIT_DOCUMENT_DELETE        "document.delete"
#endif
#ifndef PQS_AUDIT_DOCUMENT_IMPORT
#define PQS_AUDIT_DOCUMENT_IMPORT        "document.import"
#endif
#ifndef PQS_AUDIT_DOCUMENT_RENUMBER
#define PQS_AUDIT_DOCUMENT_RENUMBER      "document.renumber"
#endif
#ifndef PQS_AUDIT_DOCUMENT_COLLABORATOR
#define PQS_AUDIT_DOCUMENT_COLLABORATOR  "document.collaborator"
#endif

/* How a write treats reviewed_by/at and approved_by/at. */
typedef enum
{
  PQS_MARK_KEEP  = 0,
  PQS_MARK_SET   = 1,   /* the actor, now */
  PQS_MARK_CLEAR = 2,
} PqsMark;

/* One write of a document: its new content and state, the change row and
 * the audit row. */
typedef struct
{
  PqsDocument       *before;       /* as stored, loaded in this transaction with its outline */
  PqsDocument       *content;      /* what to store (title, number, metadata, body, outline);
                                    * @before itself for a transition */
  gint64             actor_id;
  PqsDocumentStatus  status;       /* after the write */
  guint              version;      /* after the write */
  PqsMark            review;
  PqsMark            approval;
  const char        *change_type;  /* document_changes.change_type: "update", "restore" */
  const char        *action;       /* document_changes.action: "save", "submit", … */
  const char        *summary;      /* nullable */
  const char        *activity;     /* the audit row's activity */
  JsonBuilder       *details;      /* nullable: an open object with extra audit details */
  gboolean           refresh_standard; /* freeze the standard if this completes it */
  const char        *old_text;     /* nullable: the canonical texts, when the caller has them */
  const char        *new_text;
  gint64             out_change_id;
  gboolean           out_frozen;
} PqsWrite;

gboolean     pqs_library_fresh_actor       (PqsLibrary         *self,
                                            PqsUser            *actor,
                                            gboolean            required,
                                            PqsUser           **out_fresh,
                                            GError            **error);
PqsDocument *pqs_library_get_row           (PqsLibrary         *self,
                                            gint64              id,
                                            gboolean            with_outline,
                                            GError            **error);
gboolean     pqs_library_access_for        (PqsLibrary         *self,
                                            PqsUser            *actor,
                                            PqsDocument        *document,
                                            PqsDocumentAccess  *out_access,
                                            GError            **error);
gboolean     pqs_library_check_action      (PqsLibrary         *self,
                                            PqsUser            *fresh_actor,
                                            PqsAction           action,
                                            PqsDocument        *document,
                                            GError            **error);
gboolean     pqs_library_check_unfrozen    (PqsLibrary         *self,
                                            gint64              standard_id,
                                            GError            **error);
gboolean     pqs_library_refresh_standard  (PqsLibrary         *self,
                                            gint64              standard_id,
                                            gint64              actor_id,
                                            gboolean           *out_frozen,
                                            GError            **error);
gboolean     pqs_library_validate_content  (PqsLibrary         *self,
                                            PqsDocument        *content,
                                            gboolean            require_all,
                                            GError            **error);
gboolean     pqs_library_prepare_content_write (PqsLibrary     *self,
                                                PqsUser        *fresh_actor,
                                                PqsDocument    *before,
                                                PqsWrite       *write,
                                                GError        **error);
gboolean     pqs_library_write             (PqsLibrary         *self,
                                            PqsWrite           *write,
                                            GError            **error);
char        *pqs_library_now_text          (PqsLibrary         *self);
char        *pqs_library_dup_user_name     (PqsLibrary         *self,
                                            gint64              user_id);
gboolean     pqs_library_edited_version    (PqsLibrary         *self,
                                            PqsDocument        *document,
                                            gint64              user_id,
                                            gboolean           *out_edited,
                                            GError            **error);

G_END_DECLS
