/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pqs-audit.h"
#include "pqs-document-private.h"
#include "pqs-library-private.h"
#include "pqs-store.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/**
 * PqsWorkflow:
 *
 * Moves section documents through `draft → in_review → approved →
 * archived`, and back from review to draft when a reviewer asks for
 * changes; starts the next draft revision of an approved document. Each
 * step is one transaction with the document's new state, a
 * `document_changes` row, a `document_reviews` row for review decisions,
 * and an audit row.
 *
 * Only permitted roles move a document (pqs_auth_check()), and nobody
 * approves a document they wrote, edit as a collaborator, or changed in
 * its current version. The approval that leaves every section of a
 * standard approved freezes the standard's revision.
 */

struct _PqsWorkflow
{
  GObject     parent_instance;

  PqsLibrary *library;
};

G_DEFINE_FINAL_TYPE (PqsWorkflow, pqs_workflow, G_TYPE_OBJECT)

typedef enum
{
  STEP_SUBMIT,
  STEP_APPROVE,
  STEP_REQUEST_CHANGES,
  STEP_ARCHIVE,
  STEP_REVISE,
  STEP_COMMENT,
} Step;

typedef struct
{
  PqsWorkflow *self;
  PqsUser     *actor;
  PqsUser     *fresh;
  gint64       id;
  Step         step;
  const char  *comment;
} Op;

static void
op_clear (Op *op)
{
  g_clear_object (&op->fresh);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Op, op_clear)

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;

  va_start (args, format);
  *error = g_error_new_valist (PQS_LIBRARY_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

/* Refuses a step from the wrong status, in words that say what to do. */
static gboolean
check_status (Op           *op,
              PqsDocument  *document,
              GError      **error)
{
  PqsDocumentStatus status = pqs_document_get_status (document);
  const char *title = pqs_document_get_title (document);

  switch (op->step)
    {
    case STEP_SUBMIT:
      if (status == PQS_DOCUMENT_DRAFT)
        return TRUE;
      if (status == PQS_DOCUMENT_IN_REVIEW)
        return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                     _("“%s” is in review already."), title);
      if (status == PQS_DOCUMENT_APPROVED)
        return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                     _("“%s” is approved. Start a new revision to change it."), title);
      return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                   _("“%s” is archived and is not reviewed again."), title);

    case STEP_APPROVE:
    case STEP_REQUEST_CHANGES:
      if (status == PQS_DOCUMENT_IN_REVIEW)
        return TRUE;
      if (status == PQS_DOCUMENT_DRAFT)
        return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                     _("“%s” is a draft: its author submits it for review first."), title);
      if (status == PQS_DOCUMENT_APPROVED)
        return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                     _("“%s” is approved already."), title);
      return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                   _("“%s” is archived and is not reviewed again."), title);

    case STEP_ARCHIVE:
      if (status == PQS_DOCUMENT_APPROVED)
        return TRUE;
      return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                   /* Translators: the second %s is a status, e.g. "Draft" */
                   _("Only an approved document is archived; “%s” is “%s”."), title,
                   pqs_document_status_get_label (status));

    case STEP_REVISE:
      if (status == PQS_DOCUMENT_APPROVED)
        return TRUE;
      return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                   /* Translators: the second %s is a status, e.g. "Draft" */
                   _("Only an approved document starts a new revision; “%s” is “%s”."), title,
                   pqs_document_status_get_label (status));

    case STEP_COMMENT:
    default:
      return TRUE;
    }
}

static char *
clean_comment (const char  *comment,
               gboolean     required,
               GError     **error)
{
  g_autofree char *copy = comment != NULL ? g_strstrip (g_strdup (comment)) : NULL;

  if (copy == NULL || *copy == '\0')
    {
      if (required)
        fail (error, PQS_LIBRARY_ERROR_COMMENT_REQUIRED,
              _("Write a comment that tells the author what to change."));
      return NULL;
    }
  if (!g_utf8_validate (copy, -1, NULL) || g_utf8_strlen (copy, -1) > PQS_REVIEW_COMMENT_MAX)
    {
      fail (error, PQS_LIBRARY_ERROR_INVALID,
            _("A comment is at most 10,000 characters of text."));
      return NULL;
    }
  for (const char *p = copy; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) && *p != '\n' && *p != '\t' && *p != '\r')
      {
        fail (error, PQS_LIBRARY_ERROR_INVALID,
              _("A comment cannot hold control characters."));
        return NULL;
      }

  return g_steal_pointer (&copy);
}

static gboolean
insert_review (PqsLibrary   *library,
               PqsDocument  *document,
               gint64        reviewer_id,
               const char   *decision,
               const char   *comment,
               gint64       *out_id,
               GError      **error)
{
  PqsStore *store = pqs_library_get_store (library);
  g_autofree char *now = pqs_library_now_text (library);
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (store,
                            "INSERT INTO document_reviews (document_id, reviewer_id, decision, "
                            "comment, document_version, created_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_document_get_id (document));
  sqlite3_bind_int64 (stmt, 2, reviewer_id);
  sqlite3_bind_text (stmt, 3, decision, -1, SQLITE_STATIC);
  if (comment != NULL)
    sqlite3_bind_text (stmt, 4, comment, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_int64 (stmt, 5, pqs_document_get_version (document));
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  *out_id = sqlite3_last_insert_rowid (pqs_store_get_handle (store));
  return TRUE;
}

static PqsAction
step_action (Step step)
{
  switch (step)
    {
    case STEP_SUBMIT:
      return PQS_ACTION_SUBMIT_DOCUMENT;
    case STEP_APPROVE:
    case STEP_REQUEST_CHANGES:
      return PQS_ACTION_REVIEW_DOCUMENT;
    case STEP_ARCHIVE:
      return PQS_ACTION_ARCHIVE_DOCUMENT;
    case STEP_REVISE:
      return PQS_ACTION_REVISE_DOCUMENT;
    case STEP_COMMENT:
    default:
      return PQS_ACTION_READ_DOCUMENT;
    }
}

/* A comment comes from someone who works on documents or reviews them. */
static gboolean
check_may_comment (PqsLibrary   *library,
                   PqsUser      *fresh,
                   PqsDocument  *document,
                   GError      **error)
{
  PqsDocumentAccess access;

  if (!pqs_library_check_action (library, fresh, PQS_ACTION_READ_DOCUMENT, document, error) ||
      !pqs_library_access_for (library, fresh, document, &access, error))
    return FALSE;
  if (pqs_user_get_role (fresh) >= PQS_ROLE_USER || access.collaboration != PQS_COLLABORATOR_NONE)
    return TRUE;

  g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                       _("Visitors read documents but do not comment on them."));
  return FALSE;
}

static gboolean
step_cb (PqsStore  *store,
         gpointer   data,
         GError   **error)
{
  Op *op = data;
  PqsLibrary *library = op->self->library;
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autofree char *comment = NULL;
  g_autoptr(GError) comment_error = NULL;
  PqsWrite write = { 0, };
  gint64 review_id = 0;

  if (!pqs_library_fresh_actor (library, op->actor, TRUE, &op->fresh, error))
    return FALSE;
  document = pqs_library_get_row (library, op->id, TRUE, error);
  if (document == NULL || !check_status (op, document, error))
    return FALSE;

  if ((op->step == STEP_ARCHIVE || op->step == STEP_REVISE || op->step == STEP_SUBMIT) &&
      !pqs_library_check_unfrozen (library, pqs_document_get_standard_id (document), error))
    return FALSE;

  if (op->step == STEP_COMMENT)
    {
      if (!check_may_comment (library, op->fresh, document, error))
        return FALSE;
    }
  else if (!pqs_library_check_action (library, op->fresh, step_action (op->step), document,
                                      error))
    return FALSE;

  if (op->step == STEP_APPROVE || op->step == STEP_REQUEST_CHANGES)
    {
      gboolean edited = FALSE;

      if (!pqs_library_edited_version (library, document, pqs_user_get_id (op->fresh), &edited,
                                       error))
        return FALSE;
      if (edited)
        {
          g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                               _("You cannot review a document you wrote or edit: another "
                                 "supervisor must approve it."));
          return FALSE;
        }
    }

  comment = clean_comment (op->comment,
                           op->step == STEP_REQUEST_CHANGES || op->step == STEP_COMMENT,
                           &comment_error);
  if (comment_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&comment_error));
      return FALSE;
    }

  if (op->step == STEP_SUBMIT &&
      !pqs_library_validate_content (library, document, TRUE, error))
    return FALSE;

  json_builder_begin_object (details);

  switch (op->step)
    {
    case STEP_APPROVE:
      if (!insert_review (library, document, pqs_user_get_id (op->fresh), "approved", comment,
                          &review_id, error))
        return FALSE;
      break;
    case STEP_REQUEST_CHANGES:
      if (!insert_review (library, document, pqs_user_get_id (op->fresh), "changes_requested",
                          comment, &review_id, error))
        return FALSE;
      break;
    case STEP_COMMENT:
      {
        g_autoptr(JsonNode) root = NULL;

        if (!insert_review (library, document, pqs_user_get_id (op->fresh), "comment", comment,
                            &review_id, error))
          return FALSE;
        json_builder_set_member_name (details, "review_id");
        json_builder_add_int_value (details, review_id);
        json_builder_set_member_name (details, "version");
        json_builder_add_int_value (details, pqs_document_get_version (document));
        json_builder_set_member_name (details, "status");
        json_builder_add_string_value (details, pqs_document_status_to_string (
                                                  pqs_document_get_status (document)));
        json_builder_end_object (details);
        root = json_builder_get_root (details);
        return pqs_audit_append (store, pqs_user_get_id (op->fresh), PQS_AUDIT_DOCUMENT_COMMENT,
                                 "document", op->id, root, NULL, error);
      }
    case STEP_SUBMIT:
    case STEP_ARCHIVE:
    case STEP_REVISE:
    default:
      break;
    }

  if (review_id != 0)
    {
      json_builder_set_member_name (details, "review_id");
      json_builder_add_int_value (details, review_id);
    }

  write.before = document;
  write.content = document;
  write.actor_id = pqs_user_get_id (op->fresh);
  write.version = pqs_document_get_version (document);
  write.change_type = "update";
  write.summary = comment;
  write.details = details;

  switch (op->step)
    {
    case STEP_SUBMIT:
      write.status = PQS_DOCUMENT_IN_REVIEW;
      write.action = "submit";
      write.activity = PQS_AUDIT_DOCUMENT_SUBMIT;
      break;
    case STEP_APPROVE:
      write.status = PQS_DOCUMENT_APPROVED;
      write.review = PQS_MARK_SET;
      write.approval = PQS_MARK_SET;
      write.action = "approve";
      write.activity = PQS_AUDIT_DOCUMENT_APPROVE;
      break;
    case STEP_REQUEST_CHANGES:
      write.status = PQS_DOCUMENT_DRAFT;
      write.review = PQS_MARK_SET;
      write.action = "request_changes";
      write.activity = PQS_AUDIT_DOCUMENT_REQUEST_CHANGES;
      break;
    case STEP_ARCHIVE:
      write.status = PQS_DOCUMENT_ARCHIVED;
      write.action = "archive";
      write.activity = PQS_AUDIT_DOCUMENT_ARCHIVE;
      break;
    case STEP_REVISE:
      write.status = PQS_DOCUMENT_DRAFT;
      write.version = pqs_document_get_version (document) + 1;
      write.review = PQS_MARK_CLEAR;
      write.approval = PQS_MARK_CLEAR;
      write.action = "revise";
      write.activity = PQS_AUDIT_DOCUMENT_REVISE;
      break;
    case STEP_COMMENT:
    default:
      g_assert_not_reached ();
    }

  /* Approving the last section (or archiving the last one that was not)
   * freezes the standard's revision, said in the same audit row. */
  write.refresh_standard = op->step == STEP_APPROVE || op->step == STEP_ARCHIVE;

  return pqs_library_write (library, &write, error);
}

static gboolean
run (PqsWorkflow  *self,
     PqsUser      *actor,
     gint64        id,
     Step          step,
     const char   *comment,
     GError      **error)
{
  g_auto(Op) op = { self, actor, NULL, id, step, comment };

  g_return_val_if_fail (PQS_IS_WORKFLOW (self), FALSE);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);

  return pqs_store_transaction (pqs_library_get_store (self->library), step_cb, &op, error);
}

/**
 * pqs_workflow_submit:
 * @self: a #PqsWorkflow
 * @actor: the author, an owner collaborator, or a supervisor
 * @document_id: a draft
 * @note: (nullable): a note for the reviewer, kept in the history
 * @error: return location for a #GError
 *
 * Sends a draft for review. Every required field of its template must be
 * filled (%PQS_LIBRARY_ERROR_REQUIRED_FIELDS names the first empty one).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_workflow_submit (PqsWorkflow  *self,
                     PqsUser      *actor,
                     gint64        document_id,
                     const char   *note,
                     GError      **error)
{
  return run (self, actor, document_id, STEP_SUBMIT, note, error);
}

/**
 * pqs_workflow_approve:
 * @self: a #PqsWorkflow
 * @actor: a supervisor or administrator who neither wrote nor edited it
 * @document_id: a document in review
 * @comment: (nullable): the reviewer's comment
 * @error: return location for a #GError
 *
 * Approves a document and keeps the decision in document_reviews. When
 * every section of the standard is then approved, the standard's revision
 * is frozen.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_workflow_approve (PqsWorkflow  *self,
                      PqsUser      *actor,
                      gint64        document_id,
                      const char   *comment,
                      GError      **error)
{
  return run (self, actor, document_id, STEP_APPROVE, comment, error);
}

/**
 * pqs_workflow_request_changes:
 * @self: a #PqsWorkflow
 * @actor: a supervisor or administrator who neither wrote nor edited it
 * @document_id: a document in review
 * @comment: what to change (required: %PQS_LIBRARY_ERROR_COMMENT_REQUIRED)
 * @error: return location for a #GError
 *
 * Sends the document back to its author as a draft.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_workflow_request_changes (PqsWorkflow  *self,
                              PqsUser      *actor,
                              gint64        document_id,
                              const char   *comment,
                              GError      **error)
{
  return run (self, actor, document_id, STEP_REQUEST_CHANGES, comment, error);
}

/**
 * pqs_workflow_archive:
 * @self: a #PqsWorkflow
 * @actor: a supervisor or administrator
 * @document_id: an approved document of a standard that is not frozen
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_workflow_archive (PqsWorkflow  *self,
                      PqsUser      *actor,
                      gint64        document_id,
                      GError      **error)
{
  return run (self, actor, document_id, STEP_ARCHIVE, NULL, error);
}

/**
 * pqs_workflow_revise:
 * @self: a #PqsWorkflow
 * @actor: who may edit the document
 * @document_id: an approved document of a standard that is not frozen
 * @error: return location for a #GError
 *
 * Starts the next draft revision (version + 1); the approved text stays
 * in the history. (Saving an approved document does this by itself.)
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_workflow_revise (PqsWorkflow  *self,
                     PqsUser      *actor,
                     gint64        document_id,
                     GError      **error)
{
  return run (self, actor, document_id, STEP_REVISE, NULL, error);
}

/**
 * pqs_workflow_comment:
 * @self: a #PqsWorkflow
 * @actor: someone who may read the document and is not a visitor (or
 *   collaborates on it)
 * @document_id: the document, in any status
 * @comment: the comment (required)
 * @error: return location for a #GError
 *
 * A plain comment, kept with the reviews and shown in the history. The
 * document itself does not change.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_workflow_comment (PqsWorkflow  *self,
                      PqsUser      *actor,
                      gint64        document_id,
                      const char   *comment,
                      GError      **error)
{
  return run (self, actor, document_id, STEP_COMMENT, comment, error);
}

static void
pqs_workflow_dispose (GObject *object)
{
  PqsWorkflow *self = PQS_WORKFLOW (object);

  g_clear_object (&self->library);

  G_OBJECT_CLASS (pqs_workflow_parent_class)->dispose (object);
}

static void
pqs_workflow_class_init (PqsWorkflowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pqs_workflow_dispose;
}

static void
pqs_workflow_init (PqsWorkflow *self)
{
}

PqsWorkflow *
pqs_workflow_new (PqsLibrary *library)
{
  PqsWorkflow *self;

  g_return_val_if_fail (PQS_IS_LIBRARY (library), NULL);

  self = g_object_new (PQS_TYPE_WORKFLOW, NULL);
  self->library = g_object_ref (library);
  return self;
}

PqsLibrary *
pqs_workflow_get_library (PqsWorkflow *self)
{
  g_return_val_if_fail (PQS_IS_WORKFLOW (self), NULL);

  return self->library;
}
