/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-document-summary-private.h"
#include "pqs-store.h"

/**
 * PqsDocumentSummary:
 *
 * One row of a document list: what a list row shows of a section document
 * (its standard, series and number, title, status, version, author and the
 * time of its last change) and nothing more — no body, no outline. A
 * read-only snapshot; #PqsDocumentList makes new ones when the documents
 * change.
 */

struct _PqsDocumentSummary
{
  GObject    parent_instance;

  gint64     id;
  gint64     standard_id;
  char      *standard_title;
  char      *classification;
  guint      section;
  guint      number;
  char      *title;
  char      *status;
  guint      version;
  gint64     author_id;
  char      *author_name;
  char      *updated_at_text;
  GDateTime *updated_at;      /* parsed on first use */
};

G_DEFINE_FINAL_TYPE (PqsDocumentSummary, pqs_document_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STANDARD_ID,
  PROP_STANDARD_TITLE,
  PROP_CLASSIFICATION,
  PROP_SECTION,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_STATUS,
  PROP_VERSION,
  PROP_AUTHOR_ID,
  PROP_AUTHOR_NAME,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pqs_document_summary_finalize (GObject *object)
{
  PqsDocumentSummary *self = (PqsDocumentSummary *) object;

  g_clear_pointer (&self->standard_title, g_free);
  g_clear_pointer (&self->classification, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->author_name, g_free);
  g_clear_pointer (&self->updated_at_text, g_free);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (pqs_document_summary_parent_class)->finalize (object);
}

static void
pqs_document_summary_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PqsDocumentSummary *self = PQS_DOCUMENT_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STANDARD_ID:
      g_value_set_int64 (value, self->standard_id);
      break;
    case PROP_STANDARD_TITLE:
      g_value_set_string (value, self->standard_title);
      break;
    case PROP_CLASSIFICATION:
      g_value_set_string (value, self->classification);
      break;
    case PROP_SECTION:
      g_value_set_uint (value, self->section);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;
    case PROP_AUTHOR_ID:
      g_value_set_int64 (value, self->author_id);
      break;
    case PROP_AUTHOR_NAME:
      g_value_set_string (value, self->author_name);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, pqs_document_summary_get_updated_at (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                              G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
id_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                             G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
uint_property (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY);
}

static void
pqs_document_summary_class_init (PqsDocumentSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_document_summary_finalize;
  object_class->get_property = pqs_document_summary_get_property;

  properties[PROP_ID] = id_property ("id");
  properties[PROP_STANDARD_ID] = id_property ("standard-id");
  properties[PROP_STANDARD_TITLE] = string_property ("standard-title");
  /* unclassified, restricted, confidential or secret */
  properties[PROP_CLASSIFICATION] = string_property ("classification");
  /* The series: 100, 200 or 300. */
  properties[PROP_SECTION] = uint_property ("section");
  properties[PROP_NUMBER] = uint_property ("number");
  properties[PROP_TITLE] = string_property ("title");
  /* draft, in_review, approved or archived */
  properties[PROP_STATUS] = string_property ("status");
  properties[PROP_VERSION] = uint_property ("version");
  properties[PROP_AUTHOR_ID] = id_property ("author-id");
  /* "Rank Full Name", as pqs_user_dup_display_name() writes it. */
  properties[PROP_AUTHOR_NAME] = string_property ("author-name");
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_document_summary_init (PqsDocumentSummary *self)
{
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * pqs_document_summary_new_from_stmt:
 * @stmt: a statement positioned on a row of %PQS_DOCUMENT_SUMMARY_COLUMNS
 *
 * Returns: (transfer full): the row's summary
 */
PqsDocumentSummary *
pqs_document_summary_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsDocumentSummary *self = g_object_new (PQS_TYPE_DOCUMENT_SUMMARY, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->standard_id = sqlite3_column_int64 (stmt, 1);
  self->standard_title = dup_column (stmt, 2);
  self->classification = dup_column (stmt, 3);
  self->section = (guint) sqlite3_column_int (stmt, 4);
  self->number = (guint) sqlite3_column_int (stmt, 5);
  self->title = dup_column (stmt, 6);
  self->status = dup_column (stmt, 7);
  self->version = (guint) sqlite3_column_int (stmt, 8);
  self->author_id = sqlite3_column_int64 (stmt, 9);
  self->author_name = dup_column (stmt, 10);
  self->updated_at_text = dup_column (stmt, 11);

  return self;
}

gint64
pqs_document_summary_get_id (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), 0);
  return self->id;
}

gint64
pqs_document_summary_get_standard_id (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), 0);
  return self->standard_id;
}

const char *
pqs_document_summary_get_standard_title (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);
  return self->standard_title;
}

const char *
pqs_document_summary_get_classification (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);
  return self->classification;
}

guint
pqs_document_summary_get_section (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), 0);
  return self->section;
}

guint
pqs_document_summary_get_number (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), 0);
  return self->number;
}

const char *
pqs_document_summary_get_title (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);
  return self->title;
}

/**
 * pqs_document_summary_get_status:
 * @self: a #PqsDocumentSummary
 *
 * Returns: the status as stored ("draft", "in_review", "approved",
 *   "archived"); pqs_document_status_from_string() reads it
 */
const char *
pqs_document_summary_get_status (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);
  return self->status;
}

guint
pqs_document_summary_get_version (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), 0);
  return self->version;
}

gint64
pqs_document_summary_get_author_id (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), 0);
  return self->author_id;
}

const char *
pqs_document_summary_get_author_name (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);
  return self->author_name;
}

/**
 * pqs_document_summary_get_updated_at:
 * @self: a #PqsDocumentSummary
 *
 * Returns: (transfer none) (nullable): when the document last changed
 */
GDateTime *
pqs_document_summary_get_updated_at (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);

  /* Most rows of a list are never looked at this closely. */
  if (self->updated_at == NULL && self->updated_at_text != NULL)
    self->updated_at = pqs_store_parse_time (self->updated_at_text);
  return self->updated_at;
}

const char *
pqs_document_summary_get_updated_at_text (PqsDocumentSummary *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_SUMMARY (self), NULL);
  return self->updated_at_text;
}
