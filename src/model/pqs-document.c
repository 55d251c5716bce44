/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-document-private.h"
#include "pqs-standard.h"
#include "pqs-store.h"

/**
 * PqsDocument:
 *
 * One section document of a standard: its row in `documents` and its
 * outline from `document_items`. The title, field values (metadata), body
 * and outline are editable in memory; pqs_library_save_document() writes
 * them, carrying the edit count the document was loaded at, so a save over
 * someone else's fails with %PQS_LIBRARY_ERROR_CONFLICT instead of losing
 * their work. Everything else is read-only and set from the database.
 *
 * pqs_document_new() makes content that is not stored yet (for imports).
 */

G_DEFINE_ENUM_TYPE (PqsDocumentStatus, pqs_document_status,
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_DRAFT, "draft"),
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_IN_REVIEW, "in-review"),
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_APPROVED, "approved"),
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_ARCHIVED, "archived"))

/**
 * pqs_document_status_get_label:
 * @status: a #PqsDocumentStatus
 *
 * Returns: the status as people read it ("In review"), translated
 */
const char *
pqs_document_status_get_label (PqsDocumentStatus status)
{
  switch (status)
    {
    case PQS_DOCUMENT_DRAFT:
      return C_("document status", "Draft");
    case PQS_DOCUMENT_IN_REVIEW:
      return C_("document status", "In review");
    case PQS_DOCUMENT_APPROVED:
      return C_("document status", "Approved");
    case PQS_DOCUMENT_ARCHIVED:
      return C_("document status", "Archived");
    default:
      g_return_val_if_reached (NULL);
    }
}

struct _PqsDocument
{
  GObject            parent_instance;

  gint64             id;
  gint64             standard_id;
  char              *title;
  guint              section;
  guint              number;
  gint64             template_id;
  JsonObject        *metadata;
  char              *body;
  GPtrArray         *outline;
  GArray            *item_ids;   /* document_items ids of the stored outline, or NULL */
  PqsDocumentStatus  status;
  guint              version;
  gint64             edit_count;
  char              *content_hash;
  gint64             created_by;
  gint64             updated_by;
  gint64             reviewed_by;
  gint64             approved_by;
  GDateTime         *created_at;
  GDateTime         *updated_at;
  GDateTime         *reviewed_at;
  GDateTime         *approved_at;
};

G_DEFINE_FINAL_TYPE (PqsDocument, pqs_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STANDARD_ID,
  PROP_TITLE,
  PROP_SECTION,
  PROP_NUMBER,
  PROP_TEMPLATE_ID,
  PROP_METADATA,
  PROP_BODY,
  PROP_OUTLINE,
  PROP_STATUS,
  PROP_VERSION,
  PROP_EDIT_COUNT,
  PROP_CONTENT_HASH,
  PROP_CREATED_BY,
  PROP_UPDATED_BY,
  PROP_REVIEWED_BY,
  PROP_APPROVED_BY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_REVIEWED_AT,
  PROP_APPROVED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pqs_document_finalize (GObject *object)
{
  PqsDocument *self = (PqsDocument *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->metadata, json_object_unref);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->outline, g_ptr_array_unref);
  g_clear_pointer (&self->item_ids, g_array_unref);
  g_clear_pointer (&self->content_hash, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->reviewed_at, g_date_time_unref);
  g_clear_pointer (&self->approved_at, g_date_time_unref);

  G_OBJECT_CLASS (pqs_document_parent_class)->finalize (object);
}

static void
pqs_document_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PqsDocument *self = PQS_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STANDARD_ID:
      g_value_set_int64 (value, self->standard_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SECTION:
      g_value_set_uint (value, self->section);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_TEMPLATE_ID:
      g_value_set_int64 (value, self->template_id);
      break;
    case PROP_METADATA:
      g_value_set_boxed (value, self->metadata);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_OUTLINE:
      g_value_set_boxed (value, self->outline);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;
    case PROP_EDIT_COUNT:
      g_value_set_int64 (value, self->edit_count);
      break;
    case PROP_CONTENT_HASH:
      g_value_set_string (value, self->content_hash);
      break;
    case PROP_CREATED_BY:
      g_value_set_int64 (value, self->created_by);
      break;
    case PROP_UPDATED_BY:
      g_value_set_int64 (value, self->updated_by);
      break;
    case PROP_REVIEWED_BY:
      g_value_set_int64 (value, self->reviewed_by);
      break;
    case PROP_APPROVED_BY:
      g_value_set_int64 (value, self->approved_by);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_REVIEWED_AT:
      g_value_set_boxed (value, self->reviewed_at);
      break;
    case PROP_APPROVED_AT:
      g_value_set_boxed (value, self->approved_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_document_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PqsDocument *self = PQS_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      pqs_document_set_title (self, g_value_get_string (value));
      break;
    case PROP_METADATA:
      pqs_document_set_metadata (self, g_value_get_boxed (value));
      break;
    case PROP_BODY:
      pqs_document_set_body (self, g_value_get_string (value));
      break;
    case PROP_OUTLINE:
      pqs_document_set_outline (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define READ_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)
#define RW_FLAGS   (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static GParamSpec *
id_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0, READ_FLAGS);
}

static GParamSpec *
time_property (const char *name)
{
  return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME, READ_FLAGS);
}

static void
pqs_document_class_init (PqsDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_document_finalize;
  object_class->get_property = pqs_document_get_property;
  object_class->set_property = pqs_document_set_property;

  properties[PROP_ID] = id_property ("id");
  properties[PROP_STANDARD_ID] = id_property ("standard-id");
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, RW_FLAGS);
  /* 100, 200 or 300. */
  properties[PROP_SECTION] = g_param_spec_uint ("section", NULL, NULL, 0, 300, 0, READ_FLAGS);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, 399, 0, READ_FLAGS);
  properties[PROP_TEMPLATE_ID] = id_property ("template-id");
  /* The field values, key → value (documents.metadata). */
  properties[PROP_METADATA] = g_param_spec_boxed ("metadata", NULL, NULL, JSON_TYPE_OBJECT,
                                                  RW_FLAGS);
  /* The free text of the document (documents.content). */
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, RW_FLAGS);
  /* The line items, a GPtrArray of PqsOutlineItem in document order. */
  properties[PROP_OUTLINE] = g_param_spec_boxed ("outline", NULL, NULL, G_TYPE_PTR_ARRAY,
                                                 RW_FLAGS);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, PQS_TYPE_DOCUMENT_STATUS,
                                               PQS_DOCUMENT_DRAFT, READ_FLAGS);
  properties[PROP_VERSION] = g_param_spec_uint ("version", NULL, NULL, 1, G_MAXUINT, 1,
                                                READ_FLAGS);
  /* Moves with every write of the row: the token a save carries. */
  properties[PROP_EDIT_COUNT] = g_param_spec_int64 ("edit-count", NULL, NULL, 0, G_MAXINT64, 0,
                                                    READ_FLAGS);
  properties[PROP_CONTENT_HASH] = g_param_spec_string ("content-hash", NULL, NULL, NULL,
                                                       READ_FLAGS);
  properties[PROP_CREATED_BY] = id_property ("created-by");
  properties[PROP_UPDATED_BY] = id_property ("updated-by");
  properties[PROP_REVIEWED_BY] = id_property ("reviewed-by");
  properties[PROP_APPROVED_BY] = id_property ("approved-by");
  properties[PROP_CREATED_AT] = time_property ("created-at");
  properties[PROP_UPDATED_AT] = time_property ("updated-at");
  properties[PROP_REVIEWED_AT] = time_property ("reviewed-at");
  properties[PROP_APPROVED_AT] = time_property ("approved-at");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_document_init (PqsDocument *self)
{
  self->title = g_strdup ("");
  self->body = g_strdup ("");
  self->metadata = json_object_new ();
  self->outline = pqs_outline_new ();
  self->version = 1;
}

/**
 * pqs_document_new:
 * @number: the section number (101–399)
 * @title: (nullable): the title
 *
 * Content that is not stored yet, for imports: give it metadata, a body and
 * an outline, then hand it to pqs_library_import_standard() or
 * pqs_library_import_document().
 *
 * Returns: (transfer full): a new document with no id
 */
PqsDocument *
pqs_document_new (guint       number,
                  const char *title)
{
  PqsDocument *self = g_object_new (PQS_TYPE_DOCUMENT, NULL);

  self->number = number;
  self->section = pqs_series_of_number (number);
  pqs_document_set_title (self, title);
  return self;
}

static JsonObject *parse_object (const char *json, GError **error);

/**
 * pqs_document_copy:
 * @self: a #PqsDocument
 *
 * Returns: (transfer full): a deep copy, for an editor's working copy
 */
PqsDocument *
pqs_document_copy (PqsDocument *self)
{
  PqsDocument *copy;

  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);

  copy = g_object_new (PQS_TYPE_DOCUMENT, NULL);
  copy->id = self->id;
  copy->standard_id = self->standard_id;
  g_free (copy->title);
  copy->title = g_strdup (self->title);
  copy->section = self->section;
  copy->number = self->number;
  copy->template_id = self->template_id;
  json_object_unref (copy->metadata);
  {
    g_autofree char *json = pqs_document_dup_metadata_json (self);

    /* A deep copy: json_node_copy() would share the object. */
    copy->metadata = parse_object (json, NULL);
    if (copy->metadata == NULL)
      copy->metadata = json_object_new ();
  }
  g_free (copy->body);
  copy->body = g_strdup (self->body);
  g_ptr_array_unref (copy->outline);
  copy->outline = pqs_outline_copy (self->outline);
  copy->status = self->status;
  copy->version = self->version;
  copy->edit_count = self->edit_count;
  copy->content_hash = g_strdup (self->content_hash);
  copy->created_by = self->created_by;
  copy->updated_by = self->updated_by;
  copy->reviewed_by = self->reviewed_by;
  copy->approved_by = self->approved_by;
  copy->created_at = self->created_at ? g_date_time_ref (self->created_at) : NULL;
  copy->updated_at = self->updated_at ? g_date_time_ref (self->updated_at) : NULL;
  copy->reviewed_at = self->reviewed_at ? g_date_time_ref (self->reviewed_at) : NULL;
  copy->approved_at = self->approved_at ? g_date_time_ref (self->approved_at) : NULL;

  return copy;
}

/* Loading ------------------------------------------------------------------- */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
set_string (PqsDocument  *self,
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
set_time (PqsDocument  *self,
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

/* A JSON object from text, or NULL when it is not one. */
static JsonObject *
parse_object (const char  *json,
              GError     **error)
{
  /* Mutable, so an editor may change a copy of the values in place. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("The field values are not a JSON object."));
      return NULL;
    }

  return json_node_dup_object (root);
}

/**
 * pqs_document_update_from_stmt:
 * @self: a #PqsDocument
 * @stmt: a statement positioned on a row of %PQS_DOCUMENT_COLUMNS
 *
 * Refreshes @self from the row (not the outline), notifying only what changed.
 */
void
pqs_document_update_from_stmt (PqsDocument  *self,
                               sqlite3_stmt *stmt)
{
  PqsDocumentStatus status = PQS_DOCUMENT_DRAFT;
  const char *metadata_json;

  g_return_if_fail (PQS_IS_DOCUMENT (self));

  g_object_freeze_notify (G_OBJECT (self));

  SET_SCALAR (self, id, sqlite3_column_int64 (stmt, 0), PROP_ID);
  SET_SCALAR (self, standard_id, sqlite3_column_int64 (stmt, 1), PROP_STANDARD_ID);
  set_string (self, &self->title, column_text (stmt, 2), PROP_TITLE);
  SET_SCALAR (self, section, (guint) sqlite3_column_int (stmt, 3), PROP_SECTION);
  SET_SCALAR (self, number, (guint) sqlite3_column_int (stmt, 4), PROP_NUMBER);
  SET_SCALAR (self, template_id, sqlite3_column_int64 (stmt, 5), PROP_TEMPLATE_ID);
  set_string (self, &self->body, column_text (stmt, 6) ? column_text (stmt, 6) : "", PROP_BODY);
  set_string (self, &self->content_hash, column_text (stmt, 7), PROP_CONTENT_HASH);

  metadata_json = column_text (stmt, 8);
  {
    g_autofree char *current = pqs_document_dup_metadata_json (self);

    if (g_strcmp0 (current, metadata_json != NULL ? metadata_json : "{}") != 0)
      {
        JsonObject *object = metadata_json != NULL ? parse_object (metadata_json, NULL) : NULL;

        g_clear_pointer (&self->metadata, json_object_unref);
        self->metadata = object != NULL ? object : json_object_new ();
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
      }
  }

  /* The schema's CHECK keeps the status to the four names. */
  pqs_document_status_from_string (column_text (stmt, 9), &status);
  SET_SCALAR (self, status, status, PROP_STATUS);
  SET_SCALAR (self, version, (guint) sqlite3_column_int64 (stmt, 10), PROP_VERSION);
  SET_SCALAR (self, edit_count, sqlite3_column_int64 (stmt, 11), PROP_EDIT_COUNT);
  SET_SCALAR (self, created_by, sqlite3_column_int64 (stmt, 12), PROP_CREATED_BY);
  SET_SCALAR (self, updated_by, sqlite3_column_int64 (stmt, 13), PROP_UPDATED_BY);
  SET_SCALAR (self, reviewed_by, sqlite3_column_int64 (stmt, 14), PROP_REVIEWED_BY);
  SET_SCALAR (self, approved_by, sqlite3_column_int64 (stmt, 15), PROP_APPROVED_BY);
  set_time (self, &self->created_at, column_text (stmt, 16), PROP_CREATED_AT);
  set_time (self, &self->updated_at, column_text (stmt, 17), PROP_UPDATED_AT);
  set_time (self, &self->reviewed_at, column_text (stmt, 18), PROP_REVIEWED_AT);
  set_time (self, &self->approved_at, column_text (stmt, 19), PROP_APPROVED_AT);

  g_object_thaw_notify (G_OBJECT (self));
}

PqsDocument *
pqs_document_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsDocument *self = g_object_new (PQS_TYPE_DOCUMENT, NULL);

  pqs_document_update_from_stmt (self, stmt);
  return self;
}

/**
 * pqs_document_take_outline:
 * @self: a #PqsDocument
 * @outline: (transfer full): the outline as stored
 */
void
pqs_document_take_outline (PqsDocument *self,
                           GPtrArray   *outline)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));
  g_return_if_fail (outline != NULL);

  g_clear_pointer (&self->outline, g_ptr_array_unref);
  g_clear_pointer (&self->item_ids, g_array_unref);
  self->outline = outline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLINE]);
}

/**
 * pqs_document_set_item_ids:
 * @self: a #PqsDocument
 * @ids: (transfer full) (nullable): the document_items ids of the outline
 *   just loaded, in its order
 *
 * Lets a save rewrite only the items that changed.
 */
void
pqs_document_set_item_ids (PqsDocument *self,
                           GArray      *ids)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));
  g_return_if_fail (ids == NULL || ids->len == self->outline->len);

  g_clear_pointer (&self->item_ids, g_array_unref);
  self->item_ids = ids;
}

GArray *
pqs_document_get_item_ids (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);

  return self->item_ids;
}

void
pqs_document_set_row (PqsDocument       *self,
                      gint64             id,
                      gint64             standard_id,
                      PqsDocumentStatus  status,
                      guint              version)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  SET_SCALAR (self, id, id, PROP_ID);
  SET_SCALAR (self, standard_id, standard_id, PROP_STANDARD_ID);
  SET_SCALAR (self, status, status, PROP_STATUS);
  SET_SCALAR (self, version, version, PROP_VERSION);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Getters -------------------------------------------------------------------- */

gint64
pqs_document_get_id (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->id;
}

gint64
pqs_document_get_standard_id (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->standard_id;
}

const char *
pqs_document_get_title (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->title;
}

guint
pqs_document_get_section (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->section;
}

guint
pqs_document_get_number (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->number;
}

gint64
pqs_document_get_template_id (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->template_id;
}

/**
 * pqs_document_get_metadata:
 * @self: a #PqsDocument
 *
 * Returns: (transfer none): the field values, never %NULL
 */
JsonObject *
pqs_document_get_metadata (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->metadata;
}

/**
 * pqs_document_dup_metadata_json:
 * @self: a #PqsDocument
 *
 * Returns: (transfer full): the field values as compact JSON ("{}" when empty)
 */
char *
pqs_document_dup_metadata_json (PqsDocument *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);

  if (json_object_get_size (self->metadata) == 0)
    return g_strdup ("{}");

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, self->metadata);
  return json_to_string (node, FALSE);
}

const char *
pqs_document_get_body (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->body;
}

/**
 * pqs_document_get_outline:
 * @self: a #PqsDocument
 *
 * Returns: (transfer none) (element-type PqsOutlineItem): the line items
 */
GPtrArray *
pqs_document_get_outline (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->outline;
}

PqsDocumentStatus
pqs_document_get_status (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), PQS_DOCUMENT_DRAFT);
  return self->status;
}

guint
pqs_document_get_version (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->version;
}

gint64
pqs_document_get_edit_count (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->edit_count;
}

const char *
pqs_document_get_content_hash (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->content_hash;
}

gint64
pqs_document_get_created_by (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->created_by;
}

gint64
pqs_document_get_updated_by (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->updated_by;
}

gint64
pqs_document_get_reviewed_by (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->reviewed_by;
}

gint64
pqs_document_get_approved_by (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), 0);
  return self->approved_by;
}

GDateTime *
pqs_document_get_created_at (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->created_at;
}

GDateTime *
pqs_document_get_updated_at (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->updated_at;
}

GDateTime *
pqs_document_get_reviewed_at (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->reviewed_at;
}

GDateTime *
pqs_document_get_approved_at (PqsDocument *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);
  return self->approved_at;
}

/* Setters -------------------------------------------------------------------- */

void
pqs_document_set_title (PqsDocument *self,
                        const char  *title)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  set_string (self, &self->title, title != NULL ? title : "", PROP_TITLE);
}

void
pqs_document_set_body (PqsDocument *self,
                       const char  *body)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  set_string (self, &self->body, body != NULL ? body : "", PROP_BODY);
}

/**
 * pqs_document_set_metadata:
 * @self: a #PqsDocument
 * @metadata: (nullable): the field values; %NULL for none
 *
 * The document keeps a reference: do not change @metadata afterwards.
 */
void
pqs_document_set_metadata (PqsDocument *self,
                           JsonObject  *metadata)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  if (metadata == self->metadata)
    return;

  g_clear_pointer (&self->metadata, json_object_unref);
  self->metadata = metadata != NULL ? json_object_ref (metadata) : json_object_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METADATA]);
}

/**
 * pqs_document_set_metadata_json:
 * @self: a #PqsDocument
 * @json: a JSON object of field values
 * @error: return location for a #GError
 *
 * Returns: %TRUE when @json was an object; else @self is unchanged
 */
gboolean
pqs_document_set_metadata_json (PqsDocument  *self,
                                const char   *json,
                                GError      **error)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (PQS_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  object = parse_object (json, error);
  if (object == NULL)
    return FALSE;

  pqs_document_set_metadata (self, object);
  return TRUE;
}

/**
 * pqs_document_set_outline:
 * @self: a #PqsDocument
 * @outline: (element-type PqsOutlineItem): the line items in document order
 *
 * The document keeps a reference: do not change @outline afterwards (copy
 * it with pqs_outline_copy() to edit further).
 */
void
pqs_document_set_outline (PqsDocument *self,
                          GPtrArray   *outline)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  if (outline == self->outline)
    return;

  g_clear_pointer (&self->outline, g_ptr_array_unref);
  g_clear_pointer (&self->item_ids, g_array_unref);
  self->outline = outline != NULL ? g_ptr_array_ref (outline) : pqs_outline_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLINE]);
}

void
pqs_document_set_number (PqsDocument *self,
                         guint        number)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  g_object_freeze_notify (G_OBJECT (self));
  SET_SCALAR (self, number, number, PROP_NUMBER);
  SET_SCALAR (self, section, pqs_series_of_number (number), PROP_SECTION);
  g_object_thaw_notify (G_OBJECT (self));
}

void
pqs_document_set_template_id (PqsDocument *self,
                              gint64       template_id)
{
  g_return_if_fail (PQS_IS_DOCUMENT (self));

  SET_SCALAR (self, template_id, MAX (template_id, 0), PROP_TEMPLATE_ID);
}

/* The canonical rendering -------------------------------------------------- */

/* Appends @text after @prefix; the lines after the first are indented by
 * @indent spaces, so that no line of a text can pass for a heading. */
static void
append_block (GString    *out,
              const char *prefix,
              const char *text,
              guint       indent)
{
  const char *line = text != NULL ? text : "";

  g_string_append (out, prefix);
  for (;;)
    {
      const char *end = strchr (line, '\n');
      gsize len = end != NULL ? (gsize) (end - line) : strlen (line);

      /* "\r\n" from a pasted text reads as "\n". */
      if (len > 0 && line[len - 1] == '\r')
        len--;
      g_string_append_len (out, line, len);
      g_string_append_c (out, '\n');
      if (end == NULL)
        break;
      line = end + 1;
      if (*line == '\0')
        break;
      for (guint i = 0; i < indent; i++)
        g_string_append_c (out, ' ');
    }
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void append_json_value (GString *out, JsonNode *node);

/* JSON with the members of every object sorted by name, so the rendering
 * does not depend on the order the values were set in. */
static void
append_json_object (GString    *out,
                    JsonObject *object)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GList *members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (names, l->data);
  g_list_free (members);
  g_ptr_array_sort (names, compare_strings);

  g_string_append_c (out, '{');
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(JsonNode) key = json_node_new (JSON_NODE_VALUE);
      g_autofree char *key_text = NULL;

      json_node_set_string (key, g_ptr_array_index (names, i));
      key_text = json_to_string (key, FALSE);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, key_text);
      g_string_append_c (out, ':');
      append_json_value (out, json_object_get_member (object, g_ptr_array_index (names, i)));
    }
  g_string_append_c (out, '}');
}

static void
append_json_value (GString  *out,
                   JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    append_json_object (out, json_node_get_object (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json_value (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/* A field value as one text: strings as they are, numbers and booleans as
 * JSON writes them, objects (a signature) and arrays as sorted JSON. */
static char *
field_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  if (JSON_NODE_HOLDS_NULL (node))
    ;
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      /* 3.0 and 3 are the same number. */
      if (value == (double) (gint64) value && value > -1e15 && value < 1e15)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      else
        g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
    }
  else
    append_json_value (out, node);

  return g_string_free (out, FALSE);
}

/* 1 → "a", 26 → "z", 27 → "aa". */
static void
append_letters (GString *out,
                guint    n)
{
  char buffer[16];
  int i = sizeof buffer - 1;

  buffer[i] = '\0';
  while (n > 0 && i > 0)
    {
      n--;
      buffer[--i] = (char) ('a' + n % 26);
      n /= 26;
    }
  g_string_append (out, buffer + i);
}

static void
append_indent (GString *out,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_c (out, ' ');
}

/**
 * pqs_document_render_canonical:
 * @self: a #PqsDocument
 *
 * The document as plain UTF-8 text, the same for the same content whatever
 * the locale or the order fields were filled in: the history compares these
 * line by line and content_hash is the SHA-256 of it. Its keywords are not
 * translated. The form:
 *
 * |[
 * Title: Main Engine Lube Oil
 * Number: 201
 * Fields:
 *   qualifier: PO1 Smith
 * Body:
 *   free text, every line indented
 * Outline:
 *   1. What is the normal oil pressure?
 *      Answer: 45 psi
 *      Criteria: within 5 psi
 *     1.a Where is the gauge?
 *       1.a.(1) Which scale?
 *     Text: a note
 *   Signature: Qualifier
 * ]|
 *
 * Field values are sorted by key; lines after the first of a multi-line
 * text are indented under it.
 *
 * Returns: (transfer full): the rendering, ending with a line end
 */
char *
pqs_document_render_canonical (PqsDocument *self)
{
  GString *out;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GList *members;
  guint question = 0;
  guint sub = 0;
  guint second = 0;
  char number[16];

  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);

  out = g_string_sized_new (256 + strlen (self->body) + 128 * self->outline->len);

  append_block (out, "Title: ", self->title, 2);
  g_snprintf (number, sizeof number, "%u", self->number);
  append_block (out, "Number: ", number, 2);

  g_string_append (out, "Fields:\n");
  members = json_object_get_members (self->metadata);
  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (keys, l->data);
  g_list_free (members);
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autofree char *value = field_text (json_object_get_member (self->metadata, key));
      g_autofree char *prefix = g_strdup_printf ("  %s: ", key);

      append_block (out, prefix, value, 4);
    }

  g_string_append (out, "Body:\n");
  if (*self->body != '\0')
    append_block (out, "  ", self->body, 2);

  g_string_append (out, "Outline:\n");
  for (guint i = 0; i < self->outline->len; i++)
    {
      const PqsOutlineItem *item = g_ptr_array_index (self->outline, i);
      guint indent = 2 + 2 * item->depth;
      g_autoptr(GString) prefix = g_string_new (NULL);
      gboolean question_like = FALSE;

      append_indent (prefix, indent);
      switch (item->kind)
        {
        case PQS_ITEM_QUESTION:
          question++;
          sub = second = 0;
          g_string_append_printf (prefix, "%u. ", question);
          question_like = TRUE;
          break;
        case PQS_ITEM_SUB_QUESTION:
          sub++;
          second = 0;
          g_string_append_printf (prefix, "%u.", question);
          append_letters (prefix, sub);
          g_string_append_c (prefix, ' ');
          question_like = TRUE;
          break;
        case PQS_ITEM_SECOND_LEVEL:
          second++;
          g_string_append_printf (prefix, "%u.", question);
          append_letters (prefix, sub);
          g_string_append_printf (prefix, ".(%u) ", second);
          question_like = TRUE;
          break;
        case PQS_ITEM_TEXT:
          g_string_append (prefix, "Text: ");
          break;
        case PQS_ITEM_SIGNATURE:
        default:
          g_string_append (prefix, "Signature: ");
          break;
        }

      append_block (out, prefix->str, item->text, indent + 2);
      if (question_like && item->answer != NULL && *item->answer != '\0')
        {
          g_string_truncate (prefix, 0);
          append_indent (prefix, indent + 3);
          g_string_append (prefix, "Answer: ");
          append_block (out, prefix->str, item->answer, indent + 5);
        }
      if (question_like && item->criteria != NULL && *item->criteria != '\0')
        {
          g_string_truncate (prefix, 0);
          append_indent (prefix, indent + 3);
          g_string_append (prefix, "Criteria: ");
          append_block (out, prefix->str, item->criteria, indent + 5);
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * pqs_document_compute_hash:
 * @self: a #PqsDocument
 *
 * Returns: (transfer full): the SHA-256 of pqs_document_render_canonical(),
 *   in lower-case hex (what documents.content_hash holds)
 */
char *
pqs_document_compute_hash (PqsDocument *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);

  text = pqs_document_render_canonical (self);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Snapshots ---------------------------------------------------------------- */

/**
 * pqs_document_dup_snapshot:
 * @self: a #PqsDocument
 *
 * Returns: (transfer full): the content as compact JSON
 */
char *
pqs_document_dup_snapshot (PqsDocument *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonNode *metadata;

  g_return_val_if_fail (PQS_IS_DOCUMENT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "number");
  json_builder_add_int_value (builder, self->number);
  json_builder_set_member_name (builder, "template_id");
  if (self->template_id > 0)
    json_builder_add_int_value (builder, self->template_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "metadata");
  metadata = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (metadata, self->metadata);
  json_builder_add_value (builder, metadata);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, self->body);
  json_builder_set_member_name (builder, "outline");
  json_builder_add_value (builder, pqs_outline_to_json (self->outline));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * pqs_document_new_from_snapshot:
 * @json: from pqs_document_dup_snapshot()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): content with no id
 */
PqsDocument *
pqs_document_new_from_snapshot (const char  *json,
                                GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(PqsDocument) self = NULL;
  g_autoptr(GPtrArray) outline = NULL;
  JsonNode *member;

  g_return_val_if_fail (json != NULL, NULL);

  object = parse_object (json, error);
  if (object == NULL)
    return NULL;

  member = json_object_get_member (object, "outline");
  outline = member != NULL ? pqs_outline_from_json (member, error) : pqs_outline_new ();
  if (outline == NULL)
    return NULL;

  self = pqs_document_new ((guint) json_object_get_int_member_with_default (object, "number", 0),
                           json_object_get_string_member_with_default (object, "title", ""));
  pqs_document_set_body (self, json_object_get_string_member_with_default (object, "body", ""));
  pqs_document_set_template_id (self,
                                json_object_get_int_member_with_default (object, "template_id",
                                                                         0));
  member = json_object_get_member (object, "metadata");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    pqs_document_set_metadata (self, json_node_get_object (member));
  pqs_document_take_outline (self, g_steal_pointer (&outline));

  return g_steal_pointer (&self);
}
