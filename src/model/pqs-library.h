/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-auth.h"
#include "pqs-document.h"
#include "pqs-standard.h"
#include "pqs-types.h"

G_BEGIN_DECLS

/* One error domain for standards, documents, the workflow and the history.
 * Permission refusals are PQS_AUTH_ERROR_DENIED. */
#define PQS_LIBRARY_ERROR (pqs_library_error_quark ())

typedef enum
{
  PQS_LIBRARY_ERROR_FAILED,
  PQS_LIBRARY_ERROR_INVALID,            /* bad input: a title, a field value, an outline */
  PQS_LIBRARY_ERROR_NOT_FOUND,          /* no such standard, document, version or account */
  PQS_LIBRARY_ERROR_CONFLICT,           /* someone saved in between: reload (or overwrite) */
  PQS_LIBRARY_ERROR_NUMBER_TAKEN,       /* the number is used in the standard, or the series is full */
  PQS_LIBRARY_ERROR_OUT_OF_RANGE,       /* the number is not in its series (101–199, …) */
  PQS_LIBRARY_ERROR_PROTECTED,          /* 101 "Precautions" is neither deleted nor renumbered */
  PQS_LIBRARY_ERROR_FROZEN,             /* the standard's revision is frozen */
  PQS_LIBRARY_ERROR_INVALID_TRANSITION, /* not from the document's current status */
  PQS_LIBRARY_ERROR_COMMENT_REQUIRED,   /* requesting changes (or commenting) needs a comment */
  PQS_LIBRARY_ERROR_REQUIRED_FIELDS,    /* a required field is empty: cannot submit */
} PqsLibraryError;

#define PQS_STANDARD_TITLE_MAX         200
#define PQS_STANDARD_OWNING_UNIT_MAX   200
#define PQS_STANDARD_APPLICABILITY_MAX 4000
#define PQS_STANDARD_REVISION_MAX      32
#define PQS_REVIEW_COMMENT_MAX         10000
#define PQS_CHANGE_SUMMARY_MAX         500

/* A standard's fields, for creating and editing (all of them are written:
 * NULL clears an optional one). @uid is read by imports only: the
 * package's identity of the standard (NULL makes a new one). */
typedef struct
{
  const char        *title;
  const char        *owning_unit;
  PqsClassification  classification;
  const char        *applicability;
  const char        *revision;
  const char        *uid;
} PqsStandardFields;

typedef enum
{
  PQS_SAVE_DEFAULT   = 0,
  /* Save even when someone else saved since the document was loaded: the
   * answer to a conflict when the user chooses their text. Theirs stays
   * in the history, so nothing is lost either way. */
  PQS_SAVE_OVERWRITE = 1 << 0,
} PqsSaveFlags;

/* What an import does when the standard (same uid) or a section number is
 * there already. */
typedef enum
{
  PQS_IMPORT_FAIL,        /* refuse: %PQS_LIBRARY_ERROR_CONFLICT / _NUMBER_TAKEN */
  PQS_IMPORT_OVERWRITE,   /* write over it: a new change (a new revision when approved) */
  PQS_IMPORT_NEW,         /* a new standard (new uid) / the next free number of the series */
} PqsImportMode;

/* One person working on a document besides its author. */
typedef struct
{
  gint64               user_id;
  char                *username;
  char                *display_name;
  PqsCollaboratorRole  role;
  gint64               invited_by;    /* 0 when unknown */
  GDateTime           *invited_at;
} PqsCollaborator;

void pqs_collaborator_free (PqsCollaborator *collaborator);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsCollaborator, pqs_collaborator_free)

#define PQS_TYPE_LIBRARY (pqs_library_get_type ())
G_DECLARE_FINAL_TYPE (PqsLibrary, pqs_library, PQS, LIBRARY, GObject)

GQuark       pqs_library_error_quark        (void);

PqsLibrary  *pqs_library_new                (PqsStore                *store);
PqsStore    *pqs_library_get_store          (PqsLibrary              *self);

/* Standards ---------------------------------------------------------------- */

GPtrArray   *pqs_library_list_standards     (PqsLibrary              *self,
                                             GError                 **error);
PqsStandard *pqs_library_load_standard      (PqsLibrary              *self,
                                             gint64                   id,
                                             GError                 **error);
PqsStandard *pqs_library_find_standard_by_uid (PqsLibrary            *self,
                                               const char            *uid,
                                               GError               **error);
PqsStandard *pqs_library_create_standard    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             const PqsStandardFields *fields,
                                             GError                 **error);
gboolean     pqs_library_update_standard    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   id,
                                             const PqsStandardFields *fields,
                                             GError                 **error);
gboolean     pqs_library_delete_standard    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   id,
                                             GError                 **error);
gboolean     pqs_library_start_standard_revision (PqsLibrary         *self,
                                                  PqsUser            *actor,
                                                  gint64              id,
                                                  const char         *revision,
                                                  GError            **error);
gboolean     pqs_library_next_free_number   (PqsLibrary              *self,
                                             gint64                   standard_id,
                                             guint                    series,
                                             guint                   *out_number,
                                             GError                 **error);

/* Section documents -------------------------------------------------------- */

GPtrArray   *pqs_library_list_documents     (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   standard_id,
                                             gboolean                 with_outlines,
                                             GError                 **error);
PqsDocument *pqs_library_load_document      (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   id,
                                             GError                 **error);
PqsDocument *pqs_library_find_document      (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   standard_id,
                                             guint                    number,
                                             GError                 **error);
gboolean     pqs_library_reload_document    (PqsLibrary              *self,
                                             PqsDocument             *document,
                                             GError                 **error);
PqsDocument *pqs_library_create_document    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   standard_id,
                                             guint                    series,
                                             guint                    number,
                                             gint64                   template_id,
                                             const char              *title,
                                             GError                 **error);
gboolean     pqs_library_save_document      (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             PqsDocument             *document,
                                             const char              *summary,
                                             PqsSaveFlags             flags,
                                             GError                 **error);
gboolean     pqs_library_renumber_document  (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   id,
                                             guint                    number,
                                             GError                 **error);
gboolean     pqs_library_delete_document    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   id,
                                             GError                 **error);
gboolean     pqs_library_check_document     (PqsLibrary              *self,
                                             PqsDocument             *document,
                                             gboolean                 require_all,
                                             GError                 **error);

/* Access and collaborators -------------------------------------------------- */

gboolean     pqs_library_get_access         (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   document_id,
                                             PqsDocumentAccess       *out_access,
                                             GError                 **error);
gboolean     pqs_library_can                (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             PqsAction                action,
                                             gint64                   document_id);
GPtrArray   *pqs_library_list_collaborators (PqsLibrary              *self,
                                             gint64                   document_id,
                                             GError                 **error);
gboolean     pqs_library_set_collaborator   (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   document_id,
                                             gint64                   user_id,
                                             PqsCollaboratorRole      role,
                                             GError                 **error);

/* Imports (packages, JSON documents) ----------------------------------------
 * Both validate everything before writing and run in one transaction, or
 * as a savepoint of the caller's pqs_store_transaction(), so an importer
 * can write several in one go or roll them all back. Imported documents are
 * drafts by @actor (approval is a local act); each writes a change
 * (action "import") and an audit row "document.import"; a standard writes
 * "standard.import". Content is given as pqs_document_new() objects (number,
 * title, metadata, body, outline, and a template id only when this
 * workstation has that template: an unknown one is cleared). The content
 * objects may be changed (template id, number under PQS_IMPORT_NEW).
 * pqs_library_check_document() checks one without writing. */

PqsStandard *pqs_library_import_standard    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             const PqsStandardFields *fields,
                                             GPtrArray               *documents,
                                             PqsImportMode            mode,
                                             GError                 **error);
PqsDocument *pqs_library_import_document    (PqsLibrary              *self,
                                             PqsUser                 *actor,
                                             gint64                   standard_id,
                                             PqsDocument             *content,
                                             PqsImportMode            mode,
                                             GError                 **error);

G_END_DECLS
