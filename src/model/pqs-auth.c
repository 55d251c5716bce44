/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <glib-object.h>
#include <glib/gi18n-lib.h>

#include "pqs-auth.h"
#include "pqs-user.h"

/**
 * SECTION:pqs-auth
 *
 * The one answer to "may this user do this action on this object". It
 * follows the permission table of DESIGN.md:
 *
 * | action                                             | visitor | user | supervisor | admin |
 * | read approved documents and active templates       | yes     | yes  | yes        | yes   |
 * | create documents, edit own drafts, submit          |         | yes  | yes        | yes   |
 * | review: approve / request changes (not one's own)  |         |      | yes        | yes   |
 * | archive documents, manage templates                |         |      | yes        | yes   |
 * | read system statistics and diagnostics             |         |      | yes        | yes   |
 * | manage users, backups, restore, migrations, upkeep |         |      |            | yes   |
 *
 * Document collaborators widen access to one document: a viewer may read
 * it, an editor may also edit its drafts and start a new revision, an owner
 * may also submit it and manage its collaborators. Nothing widens review:
 * the author and the document's owners and editors never approve it.
 *
 * A deactivated account may do nothing. An account that must choose a new
 * password may only do that. A %NULL actor is the workstation's operator
 * at the command line (pqs-admin), who holds the database file itself.
 */

G_DEFINE_QUARK (pqs-auth-error-quark, pqs_auth_error)

G_DEFINE_ENUM_TYPE (PqsRole, pqs_role,
                    G_DEFINE_ENUM_VALUE (PQS_ROLE_VISITOR, "visitor"),
                    G_DEFINE_ENUM_VALUE (PQS_ROLE_USER, "user"),
                    G_DEFINE_ENUM_VALUE (PQS_ROLE_SUPERVISOR, "supervisor"),
                    G_DEFINE_ENUM_VALUE (PQS_ROLE_ADMIN, "admin"))

static const char *role_names[PQS_N_ROLES] = {
  [PQS_ROLE_VISITOR] = "visitor",
  [PQS_ROLE_USER] = "user",
  [PQS_ROLE_SUPERVISOR] = "supervisor",
  [PQS_ROLE_ADMIN] = "admin",
};

static const char *action_names[PQS_N_ACTIONS] = {
  [PQS_ACTION_READ_DOCUMENT] = "read-document",
  [PQS_ACTION_READ_TEMPLATES] = "read-templates",
  [PQS_ACTION_CREATE_DOCUMENT] = "create-document",
  [PQS_ACTION_EDIT_DOCUMENT] = "edit-document",
  [PQS_ACTION_SUBMIT_DOCUMENT] = "submit-document",
  [PQS_ACTION_REVISE_DOCUMENT] = "revise-document",
  [PQS_ACTION_REVIEW_DOCUMENT] = "review-document",
  [PQS_ACTION_ARCHIVE_DOCUMENT] = "archive-document",
  [PQS_ACTION_MANAGE_COLLABORATORS] = "manage-collaborators",
  [PQS_ACTION_MANAGE_STANDARDS] = "manage-standards",
  [PQS_ACTION_MANAGE_TEMPLATES] = "manage-templates",
  [PQS_ACTION_READ_SYSTEM] = "read-system",
  [PQS_ACTION_MANAGE_USERS] = "manage-users",
  [PQS_ACTION_MANAGE_BACKUPS] = "manage-backups",
  [PQS_ACTION_RESTORE] = "restore",
  [PQS_ACTION_MIGRATE] = "migrate",
  [PQS_ACTION_MAINTAIN] = "maintain",
  [PQS_ACTION_CHANGE_OWN_PASSWORD] = "change-own-password",
};

static const char *status_names[] = {
  [PQS_DOCUMENT_DRAFT] = "draft",
  [PQS_DOCUMENT_IN_REVIEW] = "in_review",
  [PQS_DOCUMENT_APPROVED] = "approved",
  [PQS_DOCUMENT_ARCHIVED] = "archived",
};

static const char *collaborator_names[] = {
  [PQS_COLLABORATOR_NONE] = "none",
  [PQS_COLLABORATOR_VIEWER] = "viewer",
  [PQS_COLLABORATOR_EDITOR] = "editor",
  [PQS_COLLABORATOR_OWNER] = "owner",
};

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *out_index)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], text) == 0)
      {
        *out_index = i;
        return TRUE;
      }

  return FALSE;
}

const char *
pqs_role_to_string (PqsRole role)
{
  g_return_val_if_fail (role < PQS_N_ROLES, NULL);

  return role_names[role];
}

gboolean
pqs_role_from_string (const char *text,
                      PqsRole    *out_role)
{
  guint index;

  if (!lookup_name (role_names, G_N_ELEMENTS (role_names), text, &index))
    return FALSE;
  if (out_role != NULL)
    *out_role = index;
  return TRUE;
}

/**
 * pqs_role_get_label:
 * @role: a #PqsRole
 *
 * Returns: the role's name as people read it, translated
 */
const char *
pqs_role_get_label (PqsRole role)
{
  switch (role)
    {
    case PQS_ROLE_VISITOR:
      return C_("role", "Visitor");
    case PQS_ROLE_USER:
      return C_("role", "User");
    case PQS_ROLE_SUPERVISOR:
      return C_("role", "Supervisor");
    case PQS_ROLE_ADMIN:
      return C_("role", "Administrator");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pqs_action_to_string (PqsAction action)
{
  g_return_val_if_fail (action < PQS_N_ACTIONS, NULL);

  return action_names[action];
}

const char *
pqs_document_status_to_string (PqsDocumentStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
pqs_document_status_from_string (const char        *text,
                                 PqsDocumentStatus *out_status)
{
  guint index;

  if (!lookup_name (status_names, G_N_ELEMENTS (status_names), text, &index))
    return FALSE;
  if (out_status != NULL)
    *out_status = index;
  return TRUE;
}

const char *
pqs_collaborator_role_to_string (PqsCollaboratorRole role)
{
  g_return_val_if_fail (role < G_N_ELEMENTS (collaborator_names), NULL);

  return collaborator_names[role];
}

gboolean
pqs_collaborator_role_from_string (const char          *text,
                                   PqsCollaboratorRole *out_role)
{
  guint index;

  if (!lookup_name (collaborator_names, G_N_ELEMENTS (collaborator_names), text, &index))
    return FALSE;
  if (out_role != NULL)
    *out_role = index;
  return TRUE;
}

/* Why a check failed, so pqs_auth_check() can say it in one sentence. */
typedef enum
{
  REASON_NONE,
  REASON_INACTIVE,
  REASON_PASSWORD_CHANGE,
  REASON_ROLE,
  REASON_OWN_DOCUMENT,
  REASON_STATUS,
  REASON_NOT_YOURS,
} Reason;

static gboolean
is_author (PqsUser                 *actor,
           const PqsDocumentAccess *document)
{
  return document->created_by != 0 && document->created_by == pqs_user_get_id (actor);
}

static Reason
decide_document (PqsUser                 *actor,
                 PqsAction                action,
                 const PqsDocumentAccess *document)
{
  PqsRole role = pqs_user_get_role (actor);
  gboolean supervisor = role >= PQS_ROLE_SUPERVISOR;
  gboolean author = is_author (actor, document);
  gboolean writer = (author && role >= PQS_ROLE_USER) ||
                    document->collaboration >= PQS_COLLABORATOR_EDITOR;
  gboolean owner = (author && role >= PQS_ROLE_USER) ||
                   document->collaboration == PQS_COLLABORATOR_OWNER;

  switch (action)
    {
    case PQS_ACTION_READ_DOCUMENT:
      if (document->status == PQS_DOCUMENT_APPROVED ||
          document->status == PQS_DOCUMENT_ARCHIVED ||
          supervisor || author || document->collaboration != PQS_COLLABORATOR_NONE)
        return REASON_NONE;
      return REASON_NOT_YOURS;

    case PQS_ACTION_EDIT_DOCUMENT:
    case PQS_ACTION_SUBMIT_DOCUMENT:
      if (document->status != PQS_DOCUMENT_DRAFT)
        return REASON_STATUS;
      if (supervisor || (action == PQS_ACTION_EDIT_DOCUMENT ? writer : owner))
        return REASON_NONE;
      return role >= PQS_ROLE_USER ? REASON_NOT_YOURS : REASON_ROLE;

    case PQS_ACTION_REVISE_DOCUMENT:
      if (document->status != PQS_DOCUMENT_APPROVED)
        return REASON_STATUS;
      if (supervisor || writer)
        return REASON_NONE;
      return role >= PQS_ROLE_USER ? REASON_NOT_YOURS : REASON_ROLE;

    case PQS_ACTION_REVIEW_DOCUMENT:
      if (!supervisor)
        return REASON_ROLE;
      if (author || document->collaboration >= PQS_COLLABORATOR_EDITOR)
        return REASON_OWN_DOCUMENT;
      if (document->status != PQS_DOCUMENT_IN_REVIEW)
        return REASON_STATUS;
      return REASON_NONE;

    case PQS_ACTION_ARCHIVE_DOCUMENT:
      if (!supervisor)
        return REASON_ROLE;
      if (document->status != PQS_DOCUMENT_APPROVED)
        return REASON_STATUS;
      return REASON_NONE;

    case PQS_ACTION_MANAGE_COLLABORATORS:
      if (supervisor || owner)
        return REASON_NONE;
      return role >= PQS_ROLE_USER ? REASON_NOT_YOURS : REASON_ROLE;

    case PQS_ACTION_READ_TEMPLATES:
    case PQS_ACTION_CREATE_DOCUMENT:
    case PQS_ACTION_MANAGE_STANDARDS:
    case PQS_ACTION_MANAGE_TEMPLATES:
    case PQS_ACTION_READ_SYSTEM:
    case PQS_ACTION_MANAGE_USERS:
    case PQS_ACTION_MANAGE_BACKUPS:
    case PQS_ACTION_RESTORE:
    case PQS_ACTION_MIGRATE:
    case PQS_ACTION_MAINTAIN:
    case PQS_ACTION_CHANGE_OWN_PASSWORD:
    default:
      g_assert_not_reached ();
    }
}

static PqsRole
minimum_role (PqsAction action)
{
  switch (action)
    {
    case PQS_ACTION_READ_DOCUMENT:
    case PQS_ACTION_READ_TEMPLATES:
    case PQS_ACTION_CHANGE_OWN_PASSWORD:
      return PQS_ROLE_VISITOR;

    case PQS_ACTION_CREATE_DOCUMENT:
    case PQS_ACTION_EDIT_DOCUMENT:
    case PQS_ACTION_SUBMIT_DOCUMENT:
    case PQS_ACTION_REVISE_DOCUMENT:
    case PQS_ACTION_MANAGE_COLLABORATORS:
    case PQS_ACTION_MANAGE_STANDARDS:
      return PQS_ROLE_USER;

    case PQS_ACTION_REVIEW_DOCUMENT:
    case PQS_ACTION_ARCHIVE_DOCUMENT:
    case PQS_ACTION_MANAGE_TEMPLATES:
    case PQS_ACTION_READ_SYSTEM:
      return PQS_ROLE_SUPERVISOR;

    case PQS_ACTION_MANAGE_USERS:
    case PQS_ACTION_MANAGE_BACKUPS:
    case PQS_ACTION_RESTORE:
    case PQS_ACTION_MIGRATE:
    case PQS_ACTION_MAINTAIN:
    default:
      return PQS_ROLE_ADMIN;
    }
}

static gboolean
takes_document (PqsAction action)
{
  switch (action)
    {
    case PQS_ACTION_READ_DOCUMENT:
    case PQS_ACTION_EDIT_DOCUMENT:
    case PQS_ACTION_SUBMIT_DOCUMENT:
    case PQS_ACTION_REVISE_DOCUMENT:
    case PQS_ACTION_REVIEW_DOCUMENT:
    case PQS_ACTION_ARCHIVE_DOCUMENT:
    case PQS_ACTION_MANAGE_COLLABORATORS:
      return TRUE;
    case PQS_ACTION_READ_TEMPLATES:
    case PQS_ACTION_CREATE_DOCUMENT:
    case PQS_ACTION_MANAGE_STANDARDS:
    case PQS_ACTION_MANAGE_TEMPLATES:
    case PQS_ACTION_READ_SYSTEM:
    case PQS_ACTION_MANAGE_USERS:
    case PQS_ACTION_MANAGE_BACKUPS:
    case PQS_ACTION_RESTORE:
    case PQS_ACTION_MIGRATE:
    case PQS_ACTION_MAINTAIN:
    case PQS_ACTION_CHANGE_OWN_PASSWORD:
    default:
      return FALSE;
    }
}

static Reason
decide (PqsUser                 *actor,
        PqsAction                action,
        const PqsDocumentAccess *document)
{
  if (actor == NULL)
    return REASON_NONE;

  if (!pqs_user_get_active (actor))
    return REASON_INACTIVE;

  if (pqs_user_get_password_reset_required (actor) && action != PQS_ACTION_CHANGE_OWN_PASSWORD)
    return REASON_PASSWORD_CHANGE;

  /* With a document, its facts decide; without one, the question is
   * whether the role may do this to some document at all (which views and
   * actions to offer). Collaborations may widen that per document. */
  if (document != NULL && takes_document (action))
    return decide_document (actor, action, document);

  return pqs_user_get_role (actor) >= minimum_role (action) ? REASON_NONE : REASON_ROLE;
}

/**
 * pqs_auth_allows:
 * @actor: (nullable): who acts; %NULL for the operator at the command line
 * @action: what they want to do
 * @document: (nullable): the document it concerns, for document actions
 *
 * Returns: %TRUE if @actor may do @action (on @document)
 */
gboolean
pqs_auth_allows (PqsUser                 *actor,
                 PqsAction                action,
                 const PqsDocumentAccess *document)
{
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);
  g_return_val_if_fail (action < PQS_N_ACTIONS, FALSE);

  return decide (actor, action, document) == REASON_NONE;
}

static const char *
describe_action (PqsAction action)
{
  switch (action)
    {
    case PQS_ACTION_READ_DOCUMENT:
      return _("read this document");
    case PQS_ACTION_READ_TEMPLATES:
      return _("read templates");
    case PQS_ACTION_CREATE_DOCUMENT:
      return _("create documents");
    case PQS_ACTION_EDIT_DOCUMENT:
      return _("edit this document");
    case PQS_ACTION_SUBMIT_DOCUMENT:
      return _("submit this document for review");
    case PQS_ACTION_REVISE_DOCUMENT:
      return _("start a new revision of this document");
    case PQS_ACTION_REVIEW_DOCUMENT:
      return _("approve or request changes on documents");
    case PQS_ACTION_ARCHIVE_DOCUMENT:
      return _("archive documents");
    case PQS_ACTION_MANAGE_COLLABORATORS:
      return _("change who works on this document");
    case PQS_ACTION_MANAGE_STANDARDS:
      return _("create or change standards");
    case PQS_ACTION_MANAGE_TEMPLATES:
      return _("manage templates");
    case PQS_ACTION_READ_SYSTEM:
      return _("read system statistics and diagnostics");
    case PQS_ACTION_MANAGE_USERS:
      return _("manage users");
    case PQS_ACTION_MANAGE_BACKUPS:
      return _("manage backups");
    case PQS_ACTION_RESTORE:
      return _("restore backups");
    case PQS_ACTION_MIGRATE:
      return _("migrate the database");
    case PQS_ACTION_MAINTAIN:
      return _("maintain the database");
    case PQS_ACTION_CHANGE_OWN_PASSWORD:
      return _("change your password");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pqs_auth_check:
 * @actor: (nullable): who acts; %NULL for the operator at the command line
 * @action: what they want to do
 * @document: (nullable): the document it concerns, for document actions
 * @error: return location for a #GError
 *
 * Like pqs_auth_allows(), but says why not: %PQS_AUTH_ERROR_DENIED with a
 * sentence, or %PQS_AUTH_ERROR_PASSWORD_CHANGE_REQUIRED.
 *
 * Returns: %TRUE if @actor may do @action
 */
gboolean
pqs_auth_check (PqsUser                 *actor,
                PqsAction                action,
                const PqsDocumentAccess *document,
                GError                 **error)
{
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);
  g_return_val_if_fail (action < PQS_N_ACTIONS, FALSE);

  switch (decide (actor, action, document))
    {
    case REASON_NONE:
      return TRUE;

    case REASON_INACTIVE:
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("This account is deactivated. Ask an administrator to "
                             "reactivate it."));
      return FALSE;

    case REASON_PASSWORD_CHANGE:
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_PASSWORD_CHANGE_REQUIRED,
                           _("Choose a new password before you go on."));
      return FALSE;

    case REASON_OWN_DOCUMENT:
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("You cannot review a document you wrote or edit: another "
                             "supervisor must approve it."));
      return FALSE;

    case REASON_STATUS:
      g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                   /* Translators: %s is an action, e.g. "edit this document" */
                   _("You cannot %s in its current state."), describe_action (action));
      return FALSE;

    case REASON_NOT_YOURS:
      g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                   /* Translators: %s is an action, e.g. "edit this document" */
                   _("Only its author, its collaborators and supervisors may %s."),
                   describe_action (action));
      return FALSE;

    case REASON_ROLE:
    default:
      g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                   /* Translators: the first %s is a role ("Visitor"), the second an
                    * action ("manage users") */
                   _("Your role (%s) does not allow you to %s."),
                   pqs_role_get_label (pqs_user_get_role (actor)), describe_action (action));
      return FALSE;
    }
}
