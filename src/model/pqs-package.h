/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_PACKAGE_ERROR (pqs_package_error_quark ())

typedef enum
{
  PQS_PACKAGE_ERROR_FAILED,
  PQS_PACKAGE_ERROR_IO,               /* the file cannot be read or written */
  PQS_PACKAGE_ERROR_TOO_LARGE,        /* over PQS_PACKAGE_MAX_FILE_SIZE */
  PQS_PACKAGE_ERROR_MALFORMED,        /* not JSON, NUL bytes, nested too deeply */
  PQS_PACKAGE_ERROR_UNSUPPORTED,      /* another format or a newer version */
  PQS_PACKAGE_ERROR_INVALID,          /* a member is missing, of the wrong type or out of range */
  PQS_PACKAGE_ERROR_TAMPERED,         /* the content does not match its content_hash */
  PQS_PACKAGE_ERROR_UNKNOWN_TEMPLATE, /* the named template is not on this workstation */
  PQS_PACKAGE_ERROR_EXISTS,           /* a collision, and the caller chose to fail */
  PQS_PACKAGE_ERROR_NOT_FOUND,        /* the document, standard or target does not exist */
  PQS_PACKAGE_ERROR_BUSY,             /* the document to overwrite is in review or archived */
} PqsPackageError;

/* What an import does when the standard (same title and owning unit) or a
 * document number exists already. */
typedef enum
{
  PQS_PACKAGE_CONFLICT_FAIL,       /* refuse, nothing written */
  PQS_PACKAGE_CONFLICT_OVERWRITE,  /* replace the existing standard's fields / document */
  PQS_PACKAGE_CONFLICT_NEW,        /* a new revision of the standard / the next free number */
} PqsPackageConflict;

#define PQS_PACKAGE_FORMAT_DOCUMENT  "pqs-desk/document"
#define PQS_PACKAGE_FORMAT_STANDARD  "pqs-desk/package"
#define PQS_PACKAGE_FORMAT_VERSION   1

/* Limits an imported file must keep. */
#define PQS_PACKAGE_MAX_FILE_SIZE    (64 * 1024 * 1024)
#define PQS_PACKAGE_MAX_DOCUMENTS    300
#define PQS_PACKAGE_MAX_DEPTH        16
#define PQS_PACKAGE_MAX_HISTORY      1000
#define PQS_PACKAGE_MAX_VALUES       1000000   /* JSON values in one file */

#define PQS_TYPE_PACKAGE (pqs_package_get_type ())
G_DECLARE_FINAL_TYPE (PqsPackage, pqs_package, PQS, PACKAGE, GObject)

GQuark       pqs_package_error_quark        (void);

const char  *pqs_package_conflict_to_string   (PqsPackageConflict  conflict);
gboolean     pqs_package_conflict_from_string (const char         *text,
                                               PqsPackageConflict *out_conflict);

PqsPackage  *pqs_package_new                (PqsStore      *store);
PqsStore    *pqs_package_get_store          (PqsPackage    *self);
gboolean     pqs_package_get_include_history (PqsPackage   *self);
void         pqs_package_set_include_history (PqsPackage   *self,
                                              gboolean      include_history);

/* Export ------------------------------------------------------------------ */

JsonNode    *pqs_package_export_document    (PqsPackage    *self,
                                             PqsUser       *actor,
                                             gint64         document_id,
                                             GError       **error);
JsonNode    *pqs_package_export_standard    (PqsPackage    *self,
                                             PqsUser       *actor,
                                             gint64         standard_id,
                                             GError       **error);
gboolean     pqs_package_export_document_to_file (PqsPackage *self,
                                                  PqsUser    *actor,
                                                  gint64      document_id,
                                                  GFile      *file,
                                                  GError    **error);
gboolean     pqs_package_export_standard_to_file (PqsPackage *self,
                                                  PqsUser    *actor,
                                                  gint64      standard_id,
                                                  GFile      *file,
                                                  GError    **error);

/* Turns the export JSON into a file's bytes (JSON text, a PDF). */
typedef GBytes *(*PqsPackageRenderFunc) (JsonNode  *root,
                                         gpointer   user_data,
                                         GError   **error);

gboolean     pqs_package_export_to_file     (PqsPackage            *self,
                                             PqsUser               *actor,
                                             gboolean               whole_standard,
                                             gint64                 id,
                                             const char            *format_label,
                                             PqsPackageRenderFunc   render,
                                             gpointer               render_data,
                                             GFile                 *file,
                                             GError               **error);

/* Import ------------------------------------------------------------------ */

JsonNode    *pqs_package_read_file          (GFile         *file,
                                             GError       **error);
JsonNode    *pqs_package_parse              (const char    *data,
                                             gsize          length,
                                             GError       **error);
gboolean     pqs_package_check              (PqsPackage    *self,
                                             JsonNode      *root,
                                             GError       **error);

gboolean     pqs_package_import_document    (PqsPackage         *self,
                                             PqsUser            *actor,
                                             GFile              *file,
                                             gint64              standard_id,
                                             PqsPackageConflict  on_conflict,
                                             GError            **error);
gboolean     pqs_package_import_document_data (PqsPackage         *self,
                                               PqsUser            *actor,
                                               const char         *data,
                                               gsize               length,
                                               gint64              standard_id,
                                               PqsPackageConflict  on_conflict,
                                               GError            **error);
gboolean     pqs_package_import_standard    (PqsPackage         *self,
                                             PqsUser            *actor,
                                             GFile              *file,
                                             PqsPackageConflict  on_conflict,
                                             GError            **error);
gboolean     pqs_package_import_standard_data (PqsPackage         *self,
                                               PqsUser            *actor,
                                               const char         *data,
                                               gsize               length,
                                               PqsPackageConflict  on_conflict,
                                               GError            **error);

/* What the last successful import wrote. */
gint64       pqs_package_get_standard_id    (PqsPackage    *self);
gboolean     pqs_package_get_standard_created (PqsPackage  *self);
guint        pqs_package_get_n_created      (PqsPackage    *self);
guint        pqs_package_get_n_updated      (PqsPackage    *self);
guint        pqs_package_get_n_unchanged    (PqsPackage    *self);
GArray      *pqs_package_get_document_ids   (PqsPackage    *self);

/* The content_hash a document object of an export must carry. */
char        *pqs_package_document_hash      (JsonObject    *document,
                                             GError       **error);

/* Helpers shared with the PDF export. */
gboolean     pqs_package_write_file         (GFile         *file,
                                             const void    *data,
                                             gsize          length,
                                             GError       **error);
char        *pqs_package_outline_number     (guint          depth,
                                             const guint   *counters);

G_END_DECLS
