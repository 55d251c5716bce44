/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The classification marking printed on every page of a standard. */
typedef enum
{
  PQS_CLASSIFICATION_UNCLASSIFIED,
  PQS_CLASSIFICATION_RESTRICTED,
  PQS_CLASSIFICATION_CONFIDENTIAL,
  PQS_CLASSIFICATION_SECRET,
} PqsClassification;

#define PQS_N_CLASSIFICATIONS 4
#define PQS_TYPE_CLASSIFICATION (pqs_classification_get_type ())

/* standards.status: being written, in force (its revision frozen), retired. */
typedef enum
{
  PQS_STANDARD_DRAFT,
  PQS_STANDARD_ACTIVE,
  PQS_STANDARD_ARCHIVED,
} PqsStandardStatus;

#define PQS_TYPE_STANDARD_STATUS (pqs_standard_status_get_type ())

GType       pqs_classification_get_type      (void);
const char *pqs_classification_to_string     (PqsClassification  classification);
gboolean    pqs_classification_from_string   (const char        *text,
                                              PqsClassification *out_classification);
const char *pqs_classification_get_label     (PqsClassification  classification);
const char *pqs_classification_get_marking   (PqsClassification  classification);

GType       pqs_standard_status_get_type     (void);
const char *pqs_standard_status_to_string    (PqsStandardStatus  status);
gboolean    pqs_standard_status_from_string  (const char        *text,
                                              PqsStandardStatus *out_status);

/* The series of section documents: 100, 200 or 300, and its numbers. */
#define PQS_SERIES_FIRST(series) ((series) + 1)
#define PQS_SERIES_LAST(series)  ((series) + 99)
#define PQS_PRECAUTIONS_NUMBER   101

gboolean    pqs_series_is_valid              (guint              series);
guint       pqs_series_of_number             (guint              number);

#define PQS_TYPE_STANDARD (pqs_standard_get_type ())
G_DECLARE_FINAL_TYPE (PqsStandard, pqs_standard, PQS, STANDARD, GObject)

gint64            pqs_standard_get_id              (PqsStandard *self);
const char       *pqs_standard_get_uid             (PqsStandard *self);
const char       *pqs_standard_get_title           (PqsStandard *self);
const char       *pqs_standard_get_owning_unit     (PqsStandard *self);
PqsClassification pqs_standard_get_classification  (PqsStandard *self);
const char       *pqs_standard_get_applicability   (PqsStandard *self);
const char       *pqs_standard_get_revision        (PqsStandard *self);
PqsStandardStatus pqs_standard_get_status          (PqsStandard *self);
gboolean          pqs_standard_get_approved        (PqsStandard *self);
gboolean          pqs_standard_get_frozen          (PqsStandard *self);
GDateTime        *pqs_standard_get_frozen_at       (PqsStandard *self);
gint64            pqs_standard_get_frozen_by       (PqsStandard *self);
guint             pqs_standard_get_document_count  (PqsStandard *self);
guint             pqs_standard_get_approved_count  (PqsStandard *self);
gint64            pqs_standard_get_created_by      (PqsStandard *self);
gint64            pqs_standard_get_updated_by      (PqsStandard *self);
GDateTime        *pqs_standard_get_created_at      (PqsStandard *self);
GDateTime        *pqs_standard_get_updated_at      (PqsStandard *self);

G_END_DECLS
