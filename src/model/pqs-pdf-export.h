/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_EXPORT_ERROR (pqs_export_error_quark ())

typedef enum
{
  PQS_EXPORT_ERROR_FAILED,
  PQS_EXPORT_ERROR_INVALID,   /* the data to print is not a document or a package */
  PQS_EXPORT_ERROR_IO,        /* the PDF could not be made or written */
} PqsExportError;

typedef enum
{
  PQS_PDF_EDITION_TRAINEE,    /* questions with ruled space to answer */
  PQS_PDF_EDITION_QUALIFIER,  /* questions with the expected answers and scoring criteria */
} PqsPdfEdition;

typedef enum
{
  PQS_PAPER_LETTER,           /* US Letter, 8.5 × 11 in (the default) */
  PQS_PAPER_A4,               /* ISO A4, 210 × 297 mm */
} PqsPaperSize;

#define PQS_TYPE_PDF_EXPORT (pqs_pdf_export_get_type ())
G_DECLARE_FINAL_TYPE (PqsPdfExport, pqs_pdf_export, PQS, PDF_EXPORT, GObject)

GQuark         pqs_export_error_quark           (void);

const char    *pqs_pdf_edition_to_string        (PqsPdfEdition  edition);
gboolean       pqs_pdf_edition_from_string      (const char    *text,
                                                 PqsPdfEdition *out_edition);
const char    *pqs_paper_size_to_string         (PqsPaperSize   paper);
gboolean       pqs_paper_size_from_string       (const char    *text,
                                                 PqsPaperSize  *out_paper);

PqsPdfExport  *pqs_pdf_export_new               (PqsStore      *store);
PqsStore      *pqs_pdf_export_get_store         (PqsPdfExport  *self);
PqsPdfEdition  pqs_pdf_export_get_edition       (PqsPdfExport  *self);
void           pqs_pdf_export_set_edition       (PqsPdfExport  *self,
                                                 PqsPdfEdition  edition);
PqsPaperSize   pqs_pdf_export_get_paper_size    (PqsPdfExport  *self);
void           pqs_pdf_export_set_paper_size    (PqsPdfExport  *self,
                                                 PqsPaperSize   paper);

/* From the database (the store given to pqs_pdf_export_new()). */
gboolean       pqs_pdf_export_document          (PqsPdfExport  *self,
                                                 PqsUser       *actor,
                                                 gint64         document_id,
                                                 GFile         *file,
                                                 GError       **error);
gboolean       pqs_pdf_export_standard          (PqsPdfExport  *self,
                                                 PqsUser       *actor,
                                                 gint64         standard_id,
                                                 GFile         *file,
                                                 GError       **error);

/* From data: a document export ("pqs-desk/document") or a package
 * ("pqs-desk/package"), as pqs_package_export_document() and
 * pqs_package_export_standard() make them. */
GBytes        *pqs_pdf_export_render            (PqsPdfExport  *self,
                                                 JsonNode      *root,
                                                 GError       **error);
gboolean       pqs_pdf_export_write             (PqsPdfExport  *self,
                                                 JsonNode      *root,
                                                 GFile         *file,
                                                 GError       **error);

G_END_DECLS
