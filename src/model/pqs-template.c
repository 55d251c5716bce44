/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-store.h"
#include "pqs-template-private.h"

/**
 * PqsTemplate:
 *
 * A template of section documents, as the database holds it: name,
 * description, series (100, 200 or 300), body text, the field list of the
 * document form, the starting outline, whether it is active, and whether it
 * shipped with the application (system templates are copied, not edited).
 *
 * The field list and the outline are read from their JSON when the row is
 * loaded. Rows written by the catalog always read; should one written
 * behind its back not, the template comes with an empty list or outline
 * and #PqsTemplate:problem says why, rather than failing the whole list.
 *
 * Objects are read-only snapshots; #PqsTemplateList refreshes the ones it
 * hands out in place, notifying what changed. Changes go through
 * #PqsTemplateCatalog.
 */

struct _PqsTemplate
{
  GObject    parent_instance;

  gint64     id;
  char      *name;
  char      *description;
  int        section;
  char      *body;
  char      *template_hash;
  char      *fields_json;
  char      *outline_json;
  GPtrArray *fields;        /* PqsTemplateField */
  GPtrArray *outline;       /* PqsOutlineItem */
  char      *fields_problem;
  char      *outline_problem;
  char      *problem;       /* both, for people */
  gboolean   active;
  gboolean   system;
  gint64     created_by;
  gint64     updated_by;
  GDateTime *created_at;
  GDateTime *updated_at;
  guint      usage_count;
};

G_DEFINE_FINAL_TYPE (PqsTemplate, pqs_template, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_SECTION,
  PROP_BODY,
  PROP_TEMPLATE_HASH,
  PROP_FIELDS,
  PROP_OUTLINE,
  PROP_PROBLEM,
  PROP_ACTIVE,
  PROP_SYSTEM,
  PROP_CREATED_BY,
  PROP_UPDATED_BY,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_USAGE_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pqs_template_finalize (GObject *object)
{
  PqsTemplate *self = PQS_TEMPLATE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->template_hash, g_free);
  g_clear_pointer (&self->fields_json, g_free);
  g_clear_pointer (&self->outline_json, g_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->outline, g_ptr_array_unref);
  g_clear_pointer (&self->fields_problem, g_free);
  g_clear_pointer (&self->outline_problem, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (pqs_template_parent_class)->finalize (object);
}

static void
pqs_template_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PqsTemplate *self = PQS_TEMPLATE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_SECTION:
      g_value_set_int (value, self->section);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_TEMPLATE_HASH:
      g_value_set_string (value, self->template_hash);
      break;
    case PROP_FIELDS:
      g_value_set_boxed (value, self->fields);
      break;
    case PROP_OUTLINE:
      g_value_set_boxed (value, self->outline);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_SYSTEM:
      g_value_set_boolean (value, self->system);
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
    case PROP_USAGE_COUNT:
      g_value_set_uint (value, self->usage_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_template_class_init (PqsTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pqs_template_finalize;
  object_class->get_property = pqs_template_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_SECTION] = g_param_spec_int ("section", NULL, NULL, 0, 300, 100, flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);
  properties[PROP_TEMPLATE_HASH] = g_param_spec_string ("template-hash", NULL, NULL, NULL,
                                                        flags);
  /**
   * PqsTemplate:fields: (type GPtrArray(PqsTemplateField))
   */
  properties[PROP_FIELDS] = g_param_spec_boxed ("fields", NULL, NULL, G_TYPE_PTR_ARRAY, flags);
  /**
   * PqsTemplate:outline: (type GPtrArray(PqsOutlineItem))
   */
  properties[PROP_OUTLINE] = g_param_spec_boxed ("outline", NULL, NULL, G_TYPE_PTR_ARRAY,
                                                 flags);
  /**
   * PqsTemplate:problem:
   *
   * Why the stored field list or outline could not be read, or %NULL.
   */
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);
  properties[PROP_SYSTEM] = g_param_spec_boolean ("system", NULL, NULL, FALSE, flags);
  properties[PROP_CREATED_BY] = g_param_spec_int64 ("created-by", NULL, NULL, 0, G_MAXINT64, 0,
                                                    flags);
  properties[PROP_UPDATED_BY] = g_param_spec_int64 ("updated-by", NULL, NULL, 0, G_MAXINT64, 0,
                                                    flags);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL,
                                                    G_TYPE_DATE_TIME, flags);
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL,
                                                    G_TYPE_DATE_TIME, flags);
  /**
   * PqsTemplate:usage-count:
   *
   * How many documents were made from the template, when it was loaded.
   */
  properties[PROP_USAGE_COUNT] = g_param_spec_uint ("usage-count", NULL, NULL, 0, G_MAXUINT, 0,
                                                    flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_template_init (PqsTemplate *self)
{
  self->active = TRUE;
  self->section = 100;
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
  self->outline = pqs_outline_new ();
}

/* Loading ------------------------------------------------------------------- */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
set_string (PqsTemplate  *self,
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
set_time (PqsTemplate  *self,
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

/* Re-reads the field list and the outline when their JSON changed. */
static void
set_content (PqsTemplate *self,
             const char  *fields_json,
             const char  *outline_json)
{
  g_autofree char *problem = NULL;
  gboolean changed = FALSE;

  if (g_strcmp0 (self->fields_json, fields_json) != 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) fields = pqs_template_fields_parse (fields_json != NULL
                                                                 ? fields_json : "[]",
                                                               &error);

      g_free (self->fields_json);
      self->fields_json = g_strdup (fields_json);
      g_clear_pointer (&self->fields_problem, g_free);
      if (error != NULL)
        self->fields_problem = g_strdup (error->message);
      g_ptr_array_unref (self->fields);
      self->fields = fields != NULL ? g_steal_pointer (&fields)
                                    : g_ptr_array_new_with_free_func (g_object_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIELDS]);
      changed = TRUE;
    }

  if (g_strcmp0 (self->outline_json, outline_json) != 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) outline = pqs_outline_from_json_string (outline_json != NULL
                                                                     ? outline_json : "[]",
                                                                   &error);

      g_free (self->outline_json);
      self->outline_json = g_strdup (outline_json);
      g_clear_pointer (&self->outline_problem, g_free);
      if (error != NULL)
        self->outline_problem = g_strdup (error->message);
      g_ptr_array_unref (self->outline);
      self->outline = outline != NULL ? g_steal_pointer (&outline) : pqs_outline_new ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTLINE]);
      changed = TRUE;
    }

  if (!changed)
    return;

  if (self->fields_problem != NULL && self->outline_problem != NULL)
    problem = g_strdup_printf ("%s %s", self->fields_problem, self->outline_problem);
  else if (self->fields_problem != NULL || self->outline_problem != NULL)
    problem = g_strdup (self->fields_problem != NULL ? self->fields_problem
                                                     : self->outline_problem);
  set_string (self, &self->problem, problem, PROP_PROBLEM);
}

/**
 * pqs_template_update_from_stmt:
 * @self: a #PqsTemplate
 * @stmt: a statement positioned on a row of %PQS_TEMPLATE_COLUMNS
 *
 * Refreshes @self from the row, notifying only what changed.
 */
void
pqs_template_update_from_stmt (PqsTemplate  *self,
                               sqlite3_stmt *stmt)
{
  g_return_if_fail (PQS_IS_TEMPLATE (self));

  g_object_freeze_notify (G_OBJECT (self));

  SET_SCALAR (self, id, sqlite3_column_int64 (stmt, 0), PROP_ID);
  set_string (self, &self->name, column_text (stmt, 1), PROP_NAME);
  set_string (self, &self->description, column_text (stmt, 2), PROP_DESCRIPTION);
  SET_SCALAR (self, section, sqlite3_column_int (stmt, 3), PROP_SECTION);
  set_string (self, &self->body, column_text (stmt, 4) != NULL ? column_text (stmt, 4) : "",
              PROP_BODY);
  set_string (self, &self->template_hash, column_text (stmt, 5), PROP_TEMPLATE_HASH);
  set_content (self, column_text (stmt, 6), column_text (stmt, 7));
  SET_SCALAR (self, active, sqlite3_column_int (stmt, 8) != 0, PROP_ACTIVE);
  SET_SCALAR (self, system, sqlite3_column_int (stmt, 9) != 0, PROP_SYSTEM);
  SET_SCALAR (self, created_by, sqlite3_column_int64 (stmt, 10), PROP_CREATED_BY);
  SET_SCALAR (self, updated_by, sqlite3_column_int64 (stmt, 11), PROP_UPDATED_BY);
  set_time (self, &self->created_at, column_text (stmt, 12), PROP_CREATED_AT);
  set_time (self, &self->updated_at, column_text (stmt, 13), PROP_UPDATED_AT);
  SET_SCALAR (self, usage_count, (guint) CLAMP (sqlite3_column_int64 (stmt, 14), 0, G_MAXUINT),
              PROP_USAGE_COUNT);

  g_object_thaw_notify (G_OBJECT (self));
}

PqsTemplate *
pqs_template_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsTemplate *self = g_object_new (PQS_TYPE_TEMPLATE, NULL);

  pqs_template_update_from_stmt (self, stmt);
  return self;
}

/**
 * pqs_template_load:
 * @store: a migrated #PqsStore
 * @id: a template id
 * @error: return location for a #GError
 *
 * Reads one template, active or not, without a permission check: for the
 * model's own use, such as the field list of a document's template inside
 * a transaction. People's lookups go through pqs_template_catalog_lookup().
 *
 * Returns: (transfer full): the template, or %NULL with
 *   %PQS_TEMPLATE_ERROR_NOT_FOUND (or a store error)
 */
PqsTemplate *
pqs_template_load (PqsStore  *store,
                   gint64     id,
                   GError   **error)
{
  sqlite3_stmt *stmt;
  PqsTemplate *template = NULL;
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = pqs_store_prepare (store,
                            "SELECT " PQS_TEMPLATE_COLUMNS " FROM templates AS t WHERE t.id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    template = pqs_template_new_from_stmt (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND,
                         _("There is no such template."));
  else
    pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, "templates");
  sqlite3_reset (stmt);

  return template;
}

/* The hash ------------------------------------------------------------------ */

/* "LENGTH:BYTES", or "-" for NULL: unambiguous whatever the text holds. */
static void
canonical_append (GString    *out,
                  const char *value)
{
  if (value == NULL)
    {
      g_string_append_c (out, '-');
      return;
    }

  g_string_append_printf (out, "%" G_GSIZE_FORMAT ":", strlen (value));
  g_string_append (out, value);
}

/**
 * pqs_template_compute_hash:
 * @body: the body text
 * @fields: (element-type PqsTemplateField): the field list
 * @outline: (element-type PqsOutlineItem): the starting outline
 *
 * The template_hash of a template: the SHA-256 (64 hex digits) of a
 * canonical form of its body, fields and outline, in which every value is
 * length-prefixed and members come in a fixed order, so that neither JSON
 * spacing nor member order changes it. Empty answers and criteria count
 * as absent.
 *
 * Returns: (transfer full): the hash
 */
char *
pqs_template_compute_hash (const char *body,
                           GPtrArray  *fields,
                           GPtrArray  *outline)
{
  g_autoptr(GString) canonical = g_string_new ("pqs-template-hash/1\n");

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (outline != NULL, NULL);

  g_string_append (canonical, "body ");
  canonical_append (canonical, body != NULL ? body : "");
  g_string_append_printf (canonical, "\nfields %u\n", fields->len);

  for (guint i = 0; i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);
      const char * const *options = pqs_template_field_get_options (field);

      canonical_append (canonical, pqs_template_field_get_key (field));
      g_string_append_c (canonical, ' ');
      canonical_append (canonical, pqs_template_field_get_label (field));
      g_string_append_c (canonical, ' ');
      canonical_append (canonical,
                        pqs_field_type_to_string (pqs_template_field_get_field_type (field)));
      g_string_append (canonical, pqs_template_field_get_required (field) ? " 1 " : " 0 ");
      canonical_append (canonical, pqs_template_field_get_help (field));
      if (options != NULL)
        {
          g_string_append_printf (canonical, " %u", g_strv_length ((char **) options));
          for (guint o = 0; options[o] != NULL; o++)
            {
              g_string_append_c (canonical, ' ');
              canonical_append (canonical, options[o]);
            }
        }
      else
        g_string_append (canonical, " -");
      g_string_append_c (canonical, '\n');
    }

  g_string_append_printf (canonical, "outline %u\n", outline->len);
  for (guint i = 0; i < outline->len; i++)
    {
      const PqsOutlineItem *item = g_ptr_array_index (outline, i);

      g_string_append_printf (canonical, "%u ", item->depth);
      canonical_append (canonical, pqs_item_kind_to_string (item->kind));
      g_string_append_c (canonical, ' ');
      canonical_append (canonical, item->text);
      g_string_append_c (canonical, ' ');
      canonical_append (canonical, item->answer != NULL && *item->answer != '\0'
                                     ? item->answer : NULL);
      g_string_append_c (canonical, ' ');
      canonical_append (canonical, item->criteria != NULL && *item->criteria != '\0'
                                     ? item->criteria : NULL);
      g_string_append_c (canonical, '\n');
    }

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) canonical->str,
                                      canonical->len);
}

/* Getters ------------------------------------------------------------------- */

gint64
pqs_template_get_id (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), 0);
  return self->id;
}

const char *
pqs_template_get_name (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->name;
}

/**
 * pqs_template_get_description:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): the description
 */
const char *
pqs_template_get_description (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->description;
}

/**
 * pqs_template_get_section:
 * @self: a #PqsTemplate
 *
 * Returns: the series: 100, 200 or 300
 */
int
pqs_template_get_section (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), 0);
  return self->section;
}

/**
 * pqs_template_get_body:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none): the body text a new document starts with
 *   (templates.template_content)
 */
const char *
pqs_template_get_body (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->body;
}

/**
 * pqs_template_get_template_hash:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): the stored template_hash
 */
const char *
pqs_template_get_template_hash (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->template_hash;
}

/**
 * pqs_template_get_fields:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (element-type PqsTemplateField): the field list
 *   in form order; do not change it
 */
GPtrArray *
pqs_template_get_fields (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->fields;
}

/**
 * pqs_template_get_outline:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (element-type PqsOutlineItem): the starting
 *   outline; copy it with pqs_outline_copy() to change it
 */
GPtrArray *
pqs_template_get_outline (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->outline;
}

/**
 * pqs_template_get_fields_json:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): the stored JSON of the field list
 */
const char *
pqs_template_get_fields_json (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->fields_json;
}

/**
 * pqs_template_get_outline_json:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): the stored JSON of the outline
 */
const char *
pqs_template_get_outline_json (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->outline_json;
}

/**
 * pqs_template_get_problem:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): why the stored field list or outline
 *   could not be read; %NULL when both are fine
 */
const char *
pqs_template_get_problem (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->problem;
}

gboolean
pqs_template_get_active (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), FALSE);
  return self->active;
}

gboolean
pqs_template_get_system (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), FALSE);
  return self->system;
}

/**
 * pqs_template_get_created_by:
 * @self: a #PqsTemplate
 *
 * Returns: the id of the account that created it; 0 for none (shipped
 *   templates, or made at the command line)
 */
gint64
pqs_template_get_created_by (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), 0);
  return self->created_by;
}

/**
 * pqs_template_get_updated_by:
 * @self: a #PqsTemplate
 *
 * Returns: the id of the account that changed it last; 0 for none
 */
gint64
pqs_template_get_updated_by (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), 0);
  return self->updated_by;
}

/**
 * pqs_template_get_created_at:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): when it was created
 */
GDateTime *
pqs_template_get_created_at (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->created_at;
}

/**
 * pqs_template_get_updated_at:
 * @self: a #PqsTemplate
 *
 * Returns: (transfer none) (nullable): when it last changed
 */
GDateTime *
pqs_template_get_updated_at (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), NULL);
  return self->updated_at;
}

/**
 * pqs_template_get_usage_count:
 * @self: a #PqsTemplate
 *
 * Returns: how many documents were made from it, when it was loaded
 */
guint
pqs_template_get_usage_count (PqsTemplate *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE (self), 0);
  return self->usage_count;
}
