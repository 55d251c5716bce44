/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_AUTH_ERROR (pqs_auth_error_quark ())

typedef enum
{
  PQS_AUTH_ERROR_FAILED,
  PQS_AUTH_ERROR_DENIED,                /* the actor may not do this */
  PQS_AUTH_ERROR_INVALID_CREDENTIALS,   /* wrong username or password (never says which) */
  PQS_AUTH_ERROR_LOCKED,                /* too many failed attempts */
  PQS_AUTH_ERROR_PASSWORD_RESET_REQUIRED, /* the stored hash is unusable */
  PQS_AUTH_ERROR_PASSWORD_CHANGE_REQUIRED, /* signed in, but must choose a new password first */
  PQS_AUTH_ERROR_INACTIVE,              /* the session was signed out or expired */
  PQS_AUTH_ERROR_INVALID,               /* bad input: a field is empty, too long, malformed */
  PQS_AUTH_ERROR_EXISTS,                /* username or email taken */
  PQS_AUTH_ERROR_NOT_FOUND,
  PQS_AUTH_ERROR_IN_USE,                /* cannot delete: the user has documents or audit rows */
  PQS_AUTH_ERROR_LAST_ADMIN,            /* would leave no active administrator */
  PQS_AUTH_ERROR_CONFLICT,              /* the first administrator exists already */
} PqsAuthError;

typedef enum
{
  PQS_ROLE_VISITOR,
  PQS_ROLE_USER,
  PQS_ROLE_SUPERVISOR,
  PQS_ROLE_ADMIN,
} PqsRole;

#define PQS_N_ROLES 4
#define PQS_TYPE_ROLE (pqs_role_get_type ())

/* The actions of DESIGN.md's permission table. Document actions take the
 * document's facts (PqsDocumentAccess); the others take none. */
typedef enum
{
  PQS_ACTION_READ_DOCUMENT,       /* approved/archived: everyone; others: author, collaborators, reviewers */
  PQS_ACTION_READ_TEMPLATES,      /* active templates */
  PQS_ACTION_CREATE_DOCUMENT,
  PQS_ACTION_EDIT_DOCUMENT,       /* a draft: its author, owner/editor collaborators, supervisors, admins */
  PQS_ACTION_SUBMIT_DOCUMENT,     /* a draft: its author or owner collaborator, supervisors, admins */
  PQS_ACTION_REVISE_DOCUMENT,     /* start a new draft revision of an approved document */
  PQS_ACTION_REVIEW_DOCUMENT,     /* approve / request changes: supervisors and admins, never their own */
  PQS_ACTION_ARCHIVE_DOCUMENT,
  PQS_ACTION_MANAGE_COLLABORATORS,
  PQS_ACTION_MANAGE_STANDARDS,    /* create and edit standards (users and up), delete (supervisors) */
  PQS_ACTION_MANAGE_TEMPLATES,
  PQS_ACTION_READ_SYSTEM,         /* statistics, diagnostics, the audit trail */
  PQS_ACTION_MANAGE_USERS,
  PQS_ACTION_MANAGE_BACKUPS,
  PQS_ACTION_RESTORE,
  PQS_ACTION_MIGRATE,
  PQS_ACTION_MAINTAIN,            /* check, optimize, checkpoint */
  PQS_ACTION_CHANGE_OWN_PASSWORD,
} PqsAction;

#define PQS_N_ACTIONS (PQS_ACTION_CHANGE_OWN_PASSWORD + 1)

typedef enum
{
  PQS_COLLABORATOR_NONE,
  PQS_COLLABORATOR_VIEWER,
  PQS_COLLABORATOR_EDITOR,
  PQS_COLLABORATOR_OWNER,
} PqsCollaboratorRole;

typedef enum
{
  PQS_DOCUMENT_DRAFT,
  PQS_DOCUMENT_IN_REVIEW,
  PQS_DOCUMENT_APPROVED,
  PQS_DOCUMENT_ARCHIVED,
} PqsDocumentStatus;

/* What the permission check needs to know about one document. */
typedef struct
{
  gint64              created_by;
  PqsDocumentStatus   status;
  PqsCollaboratorRole collaboration;  /* the actor's collaboration on it */
} PqsDocumentAccess;

GQuark      pqs_auth_error_quark   (void);
GType       pqs_role_get_type      (void);

const char *pqs_role_to_string     (PqsRole     role);
gboolean    pqs_role_from_string   (const char *text,
                                    PqsRole    *out_role);
const char *pqs_role_get_label     (PqsRole     role);
const char *pqs_action_to_string   (PqsAction   action);
const char *pqs_document_status_to_string   (PqsDocumentStatus  status);
gboolean    pqs_document_status_from_string (const char        *text,
                                             PqsDocumentStatus *out_status);
const char *pqs_collaborator_role_to_string   (PqsCollaboratorRole  role);
gboolean    pqs_collaborator_role_from_string (const char          *text,
                                               PqsCollaboratorRole *out_role);

gboolean    pqs_auth_allows        (PqsUser                 *actor,
                                    PqsAction                action,
                                    const PqsDocumentAccess *document);
gboolean    pqs_auth_check         (PqsUser                 *actor,
                                    PqsAction                action,
                                    const PqsDocumentAccess *document,
                                    GError                 **error);

G_END_DECLS
