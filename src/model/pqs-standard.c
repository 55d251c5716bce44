/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pqs-standard-private.h"
#include "pqs-store.h"

/**
 * PqsStandard:
 *
 * One PQS standard (a qualification book), as the `standards` table holds
 * it, with two counts of its section documents from which "approved" is
 * computed: every section document that is not archived is approved. A
 * read-only snapshot; changes go through #PqsLibrary.
 */

G_DEFINE_ENUM_TYPE (PqsClassification, pqs_classification,
                    G_DEFINE_ENUM_VALUE (PQS_CLASSIFICATION_UNCLASSIFIED, "unclassified"),
                    G_DEFINE_ENUM_VALUE (PQS_CLASSIFICATION_RESTRICTED, "restricted"),
                    G_DEFINE_ENUM_VALUE (PQS_CLASSIFICATION_CONFIDENTIAL, "confidential"),
                    G_DEFINE_ENUM_VALUE (PQS_CLASSIFICATION_SECRET, "secret"))

G_DEFINE_ENUM_TYPE (PqsStandardStatus, pqs_standard_status,
                    G_DEFINE_ENUM_VALUE (PQS_STANDARD_DRAFT, "draft"),
                    G_DEFINE_ENUM_VALUE (PQS_STANDARD_ACTIVE, "active"),
                    G_DEFINE_ENUM_VALUE (PQS_STANDARD_ARCHIVED, "archived"))

static const char *classification_names[PQS_N_CLASSIFICATIONS] = {
  [PQS_CLASSIFICATION_UNCLASSIFIED] = "unclassified",
  [PQS_CLASSIFICATION_RESTRICTED] = "restricted",
  [PQS_CLASSIFICATION_CONFIDENTIAL] = "confidential",
  [PQS_CLASSIFICATION_SECRET] = "secret",
};

static const char *standard_status_names[] = {
  [PQS_STANDARD_DRAFT] = "draft",
  [PQS_STANDARD_ACTIVE] = "active",
  [PQS_STANDARD_ARCHIVED] = "archived",
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
    if (g_str_equal (names[i], text))
      {
        *out_index = i;
        return TRUE;
      }

  return FALSE;
}

/**
 * pqs_classification_to_string:
 * @classification: a #PqsClassification
 *
 * Returns: the name standards.classification stores ("restricted")
 */
const char *
pqs_classification_to_string (PqsClassification classification)
{
  g_return_val_if_fail (classification < PQS_N_CLASSIFICATIONS, NULL);

  return classification_names[classification];
}

gboolean
pqs_classification_from_string (const char        *text,
                                PqsClassification *out_classification)
{
  guint index;

  if (!lookup_name (classification_names, G_N_ELEMENTS (classification_names), text, &index))
    return FALSE;
  if (out_classification != NULL)
    *out_classification = index;
  return TRUE;
}

/**
 * pqs_classification_get_label:
 * @classification: a #PqsClassification
 *
 * Returns: the classification as people read it in a form ("Confidential"), translated
 */
const char *
pqs_classification_get_label (PqsClassification classification)
{
  switch (classification)
    {
    case PQS_CLASSIFICATION_UNCLASSIFIED:
      return C_("classification", "Unclassified");
    case PQS_CLASSIFICATION_RESTRICTED:
      return C_("classification", "Restricted");
    case PQS_CLASSIFICATION_CONFIDENTIAL:
      return C_("classification", "Confidential");
    case PQS_CLASSIFICATION_SECRET:
      return C_("classification", "Secret");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * pqs_classification_get_marking:
 * @classification: a #PqsClassification
 *
 * Returns: the banner marking printed at the top and bottom of every page
 *   ("CONFIDENTIAL"), translated
 */
const char *
pqs_classification_get_marking (PqsClassification classification)
{
  switch (classification)
    {
    case PQS_CLASSIFICATION_UNCLASSIFIED:
      return C_("marking", "UNCLASSIFIED");
    case PQS_CLASSIFICATION_RESTRICTED:
      return C_("marking", "RESTRICTED");
    case PQS_CLASSIFICATION_CONFIDENTIAL:
      return C_("marking", "CONFIDENTIAL");
    case PQS_CLASSIFICATION_SECRET:
      return C_("marking", "SECRET");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pqs_standard_status_to_string (PqsStandardStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (standard_status_names), NULL);

  return standard_status_names[status];
}

gboolean
pqs_standard_status_from_string (const char        *text,
                                 PqsStandardStatus *out_status)
{
  guint index;

  if (!lookup_name (standard_status_names, G_N_ELEMENTS (standard_status_names), text, &index))
    return FALSE;
  if (out_status != NULL)
    *out_status = index;
  return TRUE;
}

/**
 * pqs_series_is_valid:
 * @series: a series
 *
 * Returns: %TRUE for 100 (fundamentals), 200 (systems) and 300 (watchstations)
 */
gboolean
pqs_series_is_valid (guint series)
{
  return series == 100 || series == 200 || series == 300;
}

/**
 * pqs_series_of_number:
 * @number: a section document's number
 *
 * Returns: the series whose range holds @number (101–199: 100), or 0 when
 *   none does
 */
guint
pqs_series_of_number (guint number)
{
  guint series = (number / 100) * 100;

  if (!pqs_series_is_valid (series) || number < PQS_SERIES_FIRST (series) ||
      number > PQS_SERIES_LAST (series))
    return 0;
  return series;
}

/* PqsStandard ------------------------------------------------------------------ */

struct _PqsStandard
{
  GObject            parent_instance;

  gint64             id;
  char              *uid;
  char              *title;
  char              *owning_unit;
  PqsClassification  classification;
  char              *applicability;
  char              *revision;
  PqsStandardStatus  status;
  GDateTime         *frozen_at;
  gint64             frozen_by;
  guint              document_count;
  guint              approved_count;
  gint64             created_by;
  gint64             updated_by;
  GDateTime         *created_at;
  GDateTime         *updated_at;
};

G_DEFINE_FINAL_TYPE (PqsStandard, pqs_standard, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UID,
  PROP_TITLE,
  PROP_OWNING_UNIT,
  PROP_CLASSIFICATION,
  PROP_APPLICABILITY,
  PROP_REVISION,
  PROP_STATUS,
  PROP_APPROVED,
  PROP_FROZEN,
  PROP_FROZEN_AT,
  PROP_FROZEN_BY,
  PROP_DOCUMENT_COUNT,
  PROP_APPROVED_COUNT,
  PROP_CREATED_BY,
  PROP_UPDATED_BY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pqs_standard_finalize (GObject *object)
{
  PqsStandard *self = (PqsStandard *) object;

  g_clear_pointer (&self->uid, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->owning_unit, g_free);
  g_clear_pointer (&self->applicability, g_free);
  g_clear_pointer (&self->revision, g_free);
  g_clear_pointer (&self->frozen_at, g_date_time_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (pqs_standard_parent_class)->finalize (object);
}

static void
pqs_standard_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PqsStandard *self = PQS_STANDARD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_UID:
      g_value_set_string (value, self->uid);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_OWNING_UNIT:
      g_value_set_string (value, self->owning_unit);
      break;
    case PROP_CLASSIFICATION:
      g_value_set_enum (value, self->classification);
      break;
    case PROP_APPLICABILITY:
      g_value_set_string (value, self->applicability);
      break;
    case PROP_REVISION:
      g_value_set_string (value, self->revision);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_APPROVED:
      g_value_set_boolean (value, pqs_standard_get_approved (self));
      break;
    case PROP_FROZEN:
      g_value_set_boolean (value, self->frozen_at != NULL);
      break;
    case PROP_FROZEN_AT:
      g_value_set_boxed (value, self->frozen_at);
      break;
    case PROP_FROZEN_BY:
      g_value_set_int64 (value, self->frozen_by);
      break;
    case PROP_DOCUMENT_COUNT:
      g_value_set_uint (value, self->document_count);
      break;
    case PROP_APPROVED_COUNT:
      g_value_set_uint (value, self->approved_count);
      break;
    case PROP_CREATED_BY:
      g_value_set_int64 (value, self->created_by);
      break;
    case PROP_UPDATED_BY:
      g_value_set_int64 (value, self->updated_by);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READ_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, READ_FLAGS);
}

static GParamSpec *
time_property (const char *name)
{
  return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME, READ_FLAGS);
}

static GParamSpec *
id_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0, READ_FLAGS);
}

static void
pqs_standard_class_init (PqsStandardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_standard_finalize;
  object_class->get_property = pqs_standard_get_property;

  properties[PROP_ID] = id_property ("id");
  /* Travels with the standard in packages, unlike the id. */
  properties[PROP_UID] = string_property ("uid");
  properties[PROP_TITLE] = string_property ("title");
  properties[PROP_OWNING_UNIT] = string_property ("owning-unit");
  properties[PROP_CLASSIFICATION] = g_param_spec_enum ("classification", NULL, NULL,
                                                       PQS_TYPE_CLASSIFICATION,
                                                       PQS_CLASSIFICATION_UNCLASSIFIED,
                                                       READ_FLAGS);
  properties[PROP_APPLICABILITY] = string_property ("applicability");
  properties[PROP_REVISION] = string_property ("revision");
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, PQS_TYPE_STANDARD_STATUS,
                                               PQS_STANDARD_DRAFT, READ_FLAGS);
  /* Every section document that is not archived is approved. */
  properties[PROP_APPROVED] = g_param_spec_boolean ("approved", NULL, NULL, FALSE, READ_FLAGS);
  /* The revision is frozen: its documents are not edited until a new one starts. */
  properties[PROP_FROZEN] = g_param_spec_boolean ("frozen", NULL, NULL, FALSE, READ_FLAGS);
  properties[PROP_FROZEN_AT] = time_property ("frozen-at");
  properties[PROP_FROZEN_BY] = id_property ("frozen-by");
  properties[PROP_DOCUMENT_COUNT] = g_param_spec_uint ("document-count", NULL, NULL,
                                                       0, G_MAXUINT, 0, READ_FLAGS);
  properties[PROP_APPROVED_COUNT] = g_param_spec_uint ("approved-count", NULL, NULL,
                                                       0, G_MAXUINT, 0, READ_FLAGS);
  properties[PROP_CREATED_BY] = id_property ("created-by");
  properties[PROP_UPDATED_BY] = id_property ("updated-by");
  properties[PROP_CREATED_AT] = time_property ("created-at");
  properties[PROP_UPDATED_AT] = time_property ("updated-at");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_standard_init (PqsStandard *self)
{
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
set_string (PqsStandard  *self,
            char        **field,
            const char   *value,
            guint         prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_time (PqsStandard  *self,
          GDateTime   **field,
          const char   *text,
          guint         prop)
{
  g_autoptr(GDateTime) value = pqs_store_parse_time (text);

  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL && g_date_time_equal (*field, value))
    return;

  g_clear_pointer (field, g_date_time_unref);
  *field = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define SET_SCALAR(self, field, value, prop) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      } \
  } G_STMT_END

/**
 * pqs_standard_update_from_stmt:
 * @self: a #PqsStandard
 * @stmt: a statement positioned on a row of %PQS_STANDARD_COLUMNS
 *
 * Refreshes @self from the row, notifying only what changed.
 */
void
pqs_standard_update_from_stmt (PqsStandard  *self,
                               sqlite3_stmt *stmt)
{
  PqsClassification classification = PQS_CLASSIFICATION_UNCLASSIFIED;
  PqsStandardStatus status = PQS_STANDARD_DRAFT;
  gboolean was_approved, was_frozen;

  g_return_if_fail (PQS_IS_STANDARD (self));

  g_object_freeze_notify (G_OBJECT (self));
  was_approved = pqs_standard_get_approved (self);
  was_frozen = self->frozen_at != NULL;

  SET_SCALAR (self, id, sqlite3_column_int64 (stmt, 0), PROP_ID);
  set_string (self, &self->uid, column_text (stmt, 1), PROP_UID);
  set_string (self, &self->title, column_text (stmt, 2), PROP_TITLE);
  set_string (self, &self->owning_unit, column_text (stmt, 3), PROP_OWNING_UNIT);
  /* The schema's CHECKs keep both to their names. */
  pqs_classification_from_string (column_text (stmt, 4), &classification);
  SET_SCALAR (self, classification, classification, PROP_CLASSIFICATION);
  set_string (self, &self->applicability, column_text (stmt, 5), PROP_APPLICABILITY);
  set_string (self, &self->revision, column_text (stmt, 6), PROP_REVISION);
  pqs_standard_status_from_string (column_text (stmt, 7), &status);
  SET_SCALAR (self, status, status, PROP_STATUS);
  set_time (self, &self->frozen_at, column_text (stmt, 8), PROP_FROZEN_AT);
  SET_SCALAR (self, frozen_by, sqlite3_column_int64 (stmt, 9), PROP_FROZEN_BY);
  SET_SCALAR (self, created_by, sqlite3_column_int64 (stmt, 10), PROP_CREATED_BY);
  SET_SCALAR (self, updated_by, sqlite3_column_int64 (stmt, 11), PROP_UPDATED_BY);
  set_time (self, &self->created_at, column_text (stmt, 12), PROP_CREATED_AT);
  set_time (self, &self->updated_at, column_text (stmt, 13), PROP_UPDATED_AT);
  SET_SCALAR (self, document_count, (guint) sqlite3_column_int64 (stmt, 14), PROP_DOCUMENT_COUNT);
  SET_SCALAR (self, approved_count, (guint) sqlite3_column_int64 (stmt, 15), PROP_APPROVED_COUNT);

  if (was_approved != pqs_standard_get_approved (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPROVED]);
  if (was_frozen != (self->frozen_at != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROZEN]);

  g_object_thaw_notify (G_OBJECT (self));
}

PqsStandard *
pqs_standard_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsStandard *self = g_object_new (PQS_TYPE_STANDARD, NULL);

  pqs_standard_update_from_stmt (self, stmt);
  return self;
}

gint64
pqs_standard_get_id (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), 0);
  return self->id;
}

const char *
pqs_standard_get_uid (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->uid;
}

const char *
pqs_standard_get_title (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->title;
}

const char *
pqs_standard_get_owning_unit (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->owning_unit;
}

PqsClassification
pqs_standard_get_classification (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), PQS_CLASSIFICATION_UNCLASSIFIED);
  return self->classification;
}

const char *
pqs_standard_get_applicability (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->applicability;
}

const char *
pqs_standard_get_revision (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->revision;
}

PqsStandardStatus
pqs_standard_get_status (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), PQS_STANDARD_DRAFT);
  return self->status;
}

/**
 * pqs_standard_get_approved:
 * @self: a #PqsStandard
 *
 * Returns: %TRUE when the standard has section documents and every one of
 *   them that is not archived is approved
 */
gboolean
pqs_standard_get_approved (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), FALSE);
  return self->document_count > 0 && self->approved_count == self->document_count;
}

/**
 * pqs_standard_get_frozen:
 * @self: a #PqsStandard
 *
 * Returns: %TRUE when the revision is frozen: its documents cannot change
 *   until pqs_library_start_standard_revision()
 */
gboolean
pqs_standard_get_frozen (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), FALSE);
  return self->frozen_at != NULL;
}

GDateTime *
pqs_standard_get_frozen_at (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->frozen_at;
}

gint64
pqs_standard_get_frozen_by (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), 0);
  return self->frozen_by;
}

/**
 * pqs_standard_get_document_count:
 * @self: a #PqsStandard
 *
 * Returns: its section documents that are not archived
 */
guint
pqs_standard_get_document_count (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), 0);
  return self->document_count;
}

guint
pqs_standard_get_approved_count (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), 0);
  return self->approved_count;
}

gint64
pqs_standard_get_created_by (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), 0);
  return self->created_by;
}

gint64
pqs_standard_get_updated_by (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), 0);
  return self->updated_by;
}

GDateTime *
pqs_standard_get_created_at (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->created_at;
}

GDateTime *
pqs_standard_get_updated_at (PqsStandard *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD (self), NULL);
  return self->updated_at;
}
