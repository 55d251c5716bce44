/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pqs-audit.h"
#include "pqs-auth.h"
#include "pqs-store.h"
#include "pqs-template-catalog.h"
#include "pqs-template-private.h"
#include "pqs-user-private.h"

/**
 * PqsTemplateCatalog:
 *
 * Every change to templates goes through here: creating, editing, copying,
 * deactivating, activating and deleting them. Managing templates is for
 * supervisors and administrators (%PQS_ACTION_MANAGE_TEMPLATES); reading
 * active templates is for everyone (%PQS_ACTION_READ_TEMPLATES).
 *
 * Each change checks the actor's permission against the database's current
 * state (not the possibly stale #PqsUser the caller holds), validates its
 * input (the field list and the outline with the rules of
 * pqs-template-field.h and pqs-outline.h), and writes the template, its
 * template_hash and its audit row in one transaction.
 *
 * System templates (shipped by migration 009) are not edited nor deleted:
 * they are copied, and the copy is edited. A template that documents were
 * made from is not deleted (deactivate it instead), nor moved to another
 * series. Names are unique within a series, ignoring case.
 *
 * A %NULL actor is the workstation's operator at the command line
 * (pqs-admin); the audit row then names the operating-system account.
 */

struct _PqsTemplateCatalog
{
  GObject   parent_instance;

  PqsStore *store;
};

G_DEFINE_FINAL_TYPE (PqsTemplateCatalog, pqs_template_catalog, G_TYPE_OBJECT)

/* Validation ---------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (2, 3)
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID, message);
  return FALSE;
}

/* Whether @text is valid UTF-8 of at most @max_chars characters without
 * control characters (line breaks and tabs allowed when @multiline). */
static gboolean
text_is_clean (const char *text,
               glong       max_chars,
               gboolean    multiline)
{
  glong n_chars = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++n_chars > max_chars)
        return FALSE;
      if ((c == '\n' || c == '\r' || c == '\t') ? !multiline : g_unichar_iscntrl (c))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_name (const char  *name,
               GError     **error)
{
  if (name == NULL || *name == '\0')
    return invalid (error, _("Give the template a name."));
  if (!text_is_clean (name, PQS_TEMPLATE_NAME_MAX, FALSE))
    return invalid (error, _("A template name is one line of at most %d characters."),
                    PQS_TEMPLATE_NAME_MAX);
  return TRUE;
}

static gboolean
validate_section (int       section,
                  GError  **error)
{
  if (section != 100 && section != 200 && section != 300)
    return invalid (error, _("A template belongs to the 100, 200 or 300 series."));
  return TRUE;
}

/* The template's content, checked and in the forms the row stores. */
typedef struct
{
  char      *name;
  char      *description;   /* NULL for none */
  int        section;
  char      *body;
  GPtrArray *fields;
  char      *fields_json;
  GPtrArray *outline;
  char      *outline_json;
} Content;

static void
content_clear (Content *content)
{
  g_clear_pointer (&content->name, g_free);
  g_clear_pointer (&content->description, g_free);
  g_clear_pointer (&content->body, g_free);
  g_clear_pointer (&content->fields, g_ptr_array_unref);
  g_clear_pointer (&content->fields_json, g_free);
  g_clear_pointer (&content->outline, g_ptr_array_unref);
  g_clear_pointer (&content->outline_json, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Content, content_clear)

static gboolean
set_name (Content     *content,
          const char  *name,
          GError     **error)
{
  g_autofree char *clean = name != NULL ? g_strstrip (g_strdup (name)) : NULL;

  if (!validate_name (clean, error))
    return FALSE;
  g_free (content->name);
  content->name = g_steal_pointer (&clean);
  return TRUE;
}

static gboolean
set_description (Content     *content,
                 const char  *description,
                 GError     **error)
{
  g_autofree char *clean = description != NULL ? g_strstrip (g_strdup (description)) : NULL;

  if (clean != NULL && !text_is_clean (clean, PQS_TEMPLATE_DESCRIPTION_MAX, TRUE))
    return invalid (error, _("A description is text of at most %d characters."),
                    PQS_TEMPLATE_DESCRIPTION_MAX);
  g_free (content->description);
  content->description = clean != NULL && *clean != '\0' ? g_steal_pointer (&clean) : NULL;
  return TRUE;
}

static gboolean
set_body (Content     *content,
          const char  *body,
          GError     **error)
{
  if (body == NULL)
    body = "";
  if (!text_is_clean (body, PQS_TEMPLATE_BODY_MAX, TRUE))
    return invalid (error, _("The body is text of at most %d characters, without control "
                             "characters."), PQS_TEMPLATE_BODY_MAX);
  g_free (content->body);
  content->body = g_strdup (body);
  return TRUE;
}

static gboolean
set_fields (Content     *content,
            const char  *fields_json,
            GError     **error)
{
  g_autoptr(GPtrArray) fields = pqs_template_fields_parse (fields_json != NULL
                                                             ? fields_json : "[]", error);

  if (fields == NULL)
    return FALSE;

  g_clear_pointer (&content->fields, g_ptr_array_unref);
  g_free (content->fields_json);
  content->fields_json = pqs_template_fields_to_json_string (fields);
  content->fields = g_steal_pointer (&fields);
  return TRUE;
}

static gboolean
set_outline (Content     *content,
             GPtrArray   *outline,
             GError     **error)
{
  g_autoptr(GError) outline_error = NULL;
  g_autoptr(GPtrArray) copy = outline != NULL ? pqs_outline_copy (outline) : pqs_outline_new ();

  /* One error domain for the catalog; the message names the item. */
  if (!pqs_outline_validate (copy, &outline_error))
    return invalid (error, "%s", outline_error->message);

  g_clear_pointer (&content->outline, g_ptr_array_unref);
  g_free (content->outline_json);
  content->outline_json = pqs_outline_to_json_string (copy);
  content->outline = g_steal_pointer (&copy);
  return TRUE;
}

static char *
content_hash (Content *content)
{
  return pqs_template_compute_hash (content->body, content->fields, content->outline);
}

/* Operations ---------------------------------------------------------------- */

typedef struct
{
  PqsTemplateCatalog    *self;
  PqsUser               *actor;         /* as the caller holds it */
  PqsUser               *fresh_actor;   /* as the database holds it now */
  gint64                 id;
  const PqsTemplateSpec *spec;
  gboolean               flag;
  PqsTemplate           *result;
} Op;

static void
op_clear (Op *op)
{
  g_clear_object (&op->fresh_actor);
  g_clear_object (&op->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Op, op_clear)

static PqsUser *
load_user (PqsStore *store,
           gint64    id)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT " PQS_USER_COLUMNS " FROM users WHERE id = ?1",
                                          NULL);
  PqsUser *user = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user = pqs_user_new_from_stmt (stmt);
  sqlite3_reset (stmt);

  return user;
}

/* Checks @action for the actor as the database holds it now. */
static gboolean
op_check (Op        *op,
          PqsAction  action,
          GError   **error)
{
  if (op->actor == NULL)
    return TRUE;

  g_clear_object (&op->fresh_actor);
  op->fresh_actor = load_user (op->self->store, pqs_user_get_id (op->actor));
  if (op->fresh_actor == NULL)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("Your account no longer exists."));
      return FALSE;
    }

  return pqs_auth_check (op->fresh_actor, action, NULL, error);
}

static gint64
op_actor_id (Op *op)
{
  return op->actor != NULL ? pqs_user_get_id (op->actor) : 0;
}

static void
bind_actor (sqlite3_stmt *stmt,
            int           column,
            Op           *op)
{
  if (op->actor != NULL)
    sqlite3_bind_int64 (stmt, column, pqs_user_get_id (op->actor));
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static char *
now_text (PqsStore *store)
{
  return pqs_store_format_time (pqs_store_now (store));
}

static JsonBuilder *
details_new (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  return builder;
}

static void
details_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
details_add_int (JsonBuilder *builder,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* Writes the audit row of a change to template @id. @builder holds the
 * details object, still open. */
static gboolean
op_audit (Op          *op,
          const char  *activity,
          gint64       id,
          JsonBuilder *builder,
          GError     **error)
{
  g_autoptr(JsonNode) details = NULL;

  if (op->actor == NULL)
    details_add_string (builder, "operator", g_get_user_name ());
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return pqs_audit_append (op->self->store, op_actor_id (op), activity, "template", id,
                           details, NULL, error);
}

/* The template the operation is about, as the database holds it now. */
static PqsTemplate *
op_target (Op      *op,
           GError **error)
{
  return pqs_template_load (op->self->store, op->id, error);
}

static gboolean
name_taken (PqsStore    *store,
            int          section,
            const char  *name,
            gint64       except_id,
            gboolean    *out_taken,
            GError     **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT EXISTS (SELECT 1 FROM templates "
                                          "WHERE section = ?1 AND name = ?2 COLLATE NOCASE "
                                          "AND id <> ?3)",
                                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, section);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, except_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_taken = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc,
                                            "templates");
  return TRUE;
}

static gboolean
check_name_free (PqsStore    *store,
                 int          section,
                 const char  *name,
                 gint64       except_id,
                 GError     **error)
{
  gboolean taken = FALSE;

  if (!name_taken (store, section, name, except_id, &taken, error))
    return FALSE;
  if (taken)
    return invalid (error, _("The %d series already has a template named “%s”. Choose another "
                             "name."), section, name);
  return TRUE;
}

static gboolean
count_documents (PqsStore  *store,
                 gint64     id,
                 gint64    *out_count,
                 GError   **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT count(*) FROM documents WHERE template_id = ?1",
                                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc,
                                            "documents");
  return TRUE;
}

static gboolean
refuse_system (PqsTemplate  *template,
               const char   *message,
               GError      **error)
{
  if (!pqs_template_get_system (template))
    return TRUE;

  g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_SYSTEM, message);
  return FALSE;
}

/* Inserts a template of @content; sets @op->result and returns its id. */
static gint64
insert_template (Op       *op,
                 Content  *content,
                 GError  **error)
{
  PqsStore *store = op->self->store;
  g_autofree char *hash = content_hash (content);
  g_autofree char *now = now_text (store);
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (store,
                            "INSERT INTO templates (name, description, section, "
                            "template_content, template_hash, fields, outline, is_active, "
                            "is_system, created_by, updated_by, created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, 0, ?8, ?8, ?9, ?9)",
                            error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, content->name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, content->description);
  sqlite3_bind_int (stmt, 3, content->section);
  sqlite3_bind_text (stmt, 4, content->body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, content->fields_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, content->outline_json, -1, SQLITE_TRANSIENT);
  bind_actor (stmt, 8, op);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (pqs_store_get_handle (store));
}

/* Reading ------------------------------------------------------------------- */

/**
 * pqs_template_catalog_lookup:
 * @self: a #PqsTemplateCatalog
 * @actor: (nullable): who reads
 * @id: a template id
 * @error: return location for a #GError
 *
 * Reads one template for a person. Everyone may read active templates;
 * a deactivated one is only shown to those who manage templates, others
 * get %PQS_TEMPLATE_ERROR_NOT_FOUND. (The model's own reads, such as the
 * field list of an existing document's template, use pqs_template_load().)
 *
 * Returns: (transfer full): the template
 */
PqsTemplate *
pqs_template_catalog_lookup (PqsTemplateCatalog  *self,
                             PqsUser             *actor,
                             gint64               id,
                             GError             **error)
{
  g_autoptr(PqsTemplate) template = NULL;

  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pqs_auth_check (actor, PQS_ACTION_READ_TEMPLATES, NULL, error))
    return NULL;

  template = pqs_template_load (self->store, id, error);
  if (template == NULL)
    return NULL;

  if (!pqs_template_get_active (template) &&
      !pqs_auth_allows (actor, PQS_ACTION_MANAGE_TEMPLATES, NULL))
    {
      g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND,
                   _("The template “%s” has been deactivated."),
                   pqs_template_get_name (template));
      return NULL;
    }

  return g_steal_pointer (&template);
}

/* Creating ------------------------------------------------------------------ */

static gboolean
create_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;
  const PqsTemplateSpec *spec = op->spec;
  g_auto(Content) content = { NULL, };
  g_autoptr(JsonBuilder) details = NULL;
  gint64 id;

  if (!op_check (op, PQS_ACTION_MANAGE_TEMPLATES, error))
    return FALSE;

  content.section = spec->section;
  if (!set_name (&content, spec->name, error) ||
      !validate_section (spec->section, error) ||
      !set_description (&content, spec->description, error) ||
      !set_body (&content, spec->body, error) ||
      !set_fields (&content, spec->fields_json, error) ||
      !set_outline (&content, spec->outline, error) ||
      !check_name_free (store, content.section, content.name, 0, error))
    return FALSE;

  id = insert_template (op, &content, error);
  if (id == 0)
    return FALSE;

  details = details_new ();
  details_add_string (details, "name", content.name);
  details_add_int (details, "section", content.section);
  details_add_int (details, "fields", content.fields->len);
  details_add_int (details, "items", content.outline->len);
  if (!op_audit (op, PQS_AUDIT_TEMPLATE_CREATE, id, details, error))
    return FALSE;

  op->result = pqs_template_load (store, id, error);
  return op->result != NULL;
}

/**
 * pqs_template_catalog_create:
 * @self: a #PqsTemplateCatalog
 * @actor: (nullable): who creates it: a supervisor or an administrator
 * @spec: the template: name and section required
 * @error: return location for a #GError
 *
 * Creates an active, editable template. An invalid name, field list or
 * outline is %PQS_TEMPLATE_ERROR_INVALID naming what is wrong.
 *
 * Returns: (transfer full): the new template
 */
PqsTemplate *
pqs_template_catalog_create (PqsTemplateCatalog     *self,
                             PqsUser                *actor,
                             const PqsTemplateSpec  *spec,
                             GError                **error)
{
  g_auto(Op) op = { self, actor, NULL, 0, spec, FALSE, NULL };

  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pqs_store_transaction (self->store, create_cb, &op, error))
    return NULL;
  return g_steal_pointer (&op.result);
}

/* Editing ------------------------------------------------------------------- */

static void
add_changed (JsonBuilder *changed,
             gboolean     condition,
             const char  *member)
{
  if (condition)
    json_builder_add_string_value (changed, member);
}

static gboolean
update_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;
  const PqsTemplateSpec *spec = op->spec;
  g_autoptr(PqsTemplate) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_auto(Content) content = { NULL, };
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  gboolean name_changed, description_changed, section_changed;
  gboolean body_changed, fields_changed, outline_changed;
  sqlite3_stmt *stmt;

  if (!op_check (op, PQS_ACTION_MANAGE_TEMPLATES, error))
    return FALSE;

  target = op_target (op, error);
  if (target == NULL ||
      !refuse_system (target, _("System templates can be copied, not edited. Copy it and edit "
                                "the copy."), error))
    return FALSE;

  /* The template as it would be, starting from what it is. */
  content.section = spec->section != 0 ? spec->section : pqs_template_get_section (target);
  if (!set_name (&content, spec->name != NULL ? spec->name : pqs_template_get_name (target),
                 error) ||
      !validate_section (content.section, error) ||
      !set_description (&content, spec->description != NULL
                                    ? spec->description
                                    : pqs_template_get_description (target), error) ||
      !set_body (&content, spec->body != NULL ? spec->body : pqs_template_get_body (target),
                 error))
    return FALSE;

  if (spec->fields_json != NULL)
    {
      if (!set_fields (&content, spec->fields_json, error))
        return FALSE;
    }
  else
    {
      content.fields = g_ptr_array_ref (pqs_template_get_fields (target));
      content.fields_json = g_strdup (pqs_template_get_fields_json (target));
    }

  if (spec->outline != NULL)
    {
      if (!set_outline (&content, spec->outline, error))
        return FALSE;
    }
  else
    {
      content.outline = g_ptr_array_ref (pqs_template_get_outline (target));
      content.outline_json = g_strdup (pqs_template_get_outline_json (target));
    }

  name_changed = g_strcmp0 (content.name, pqs_template_get_name (target)) != 0;
  description_changed = g_strcmp0 (content.description,
                                   pqs_template_get_description (target)) != 0;
  section_changed = content.section != pqs_template_get_section (target);
  body_changed = g_strcmp0 (content.body, pqs_template_get_body (target)) != 0;
  fields_changed = g_strcmp0 (content.fields_json, pqs_template_get_fields_json (target)) != 0;
  outline_changed = g_strcmp0 (content.outline_json,
                               pqs_template_get_outline_json (target)) != 0;

  if (!name_changed && !description_changed && !section_changed && !body_changed &&
      !fields_changed && !outline_changed)
    {
      op->result = g_steal_pointer (&target);
      return TRUE;
    }

  if (section_changed)
    {
      gint64 used = 0;

      if (!count_documents (store, op->id, &used, error))
        return FALSE;
      if (used > 0)
        {
          g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_IN_USE,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "A document was made from “%s”, so it stays in its "
                                    "series. Copy it to make a template of another series.",
                                    "Documents were made from “%s”, so it stays in its "
                                    "series. Copy it to make a template of another series.",
                                    (gulong) used),
                       pqs_template_get_name (target));
          return FALSE;
        }
    }

  if ((name_changed || section_changed) &&
      !check_name_free (store, content.section, content.name, op->id, error))
    return FALSE;

  hash = content_hash (&content);
  now = now_text (store);
  stmt = pqs_store_prepare (store,
                            "UPDATE templates SET name = ?2, description = ?3, section = ?4, "
                            "template_content = ?5, template_hash = ?6, fields = ?7, "
                            "outline = ?8, updated_by = ?9, updated_at = ?10 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_text (stmt, 2, content.name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, content.description);
  sqlite3_bind_int (stmt, 4, content.section);
  sqlite3_bind_text (stmt, 5, content.body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, content.fields_json != NULL ? content.fields_json : "[]", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, content.outline_json != NULL ? content.outline_json : "[]", -1,
                     SQLITE_TRANSIENT);
  bind_actor (stmt, 9, op);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  details = details_new ();
  details_add_string (details, "name", content.name);
  json_builder_set_member_name (details, "changed");
  json_builder_begin_array (details);
  add_changed (details, name_changed, "name");
  add_changed (details, description_changed, "description");
  add_changed (details, section_changed, "section");
  add_changed (details, body_changed, "body");
  add_changed (details, fields_changed, "fields");
  add_changed (details, outline_changed, "outline");
  json_builder_end_array (details);
  if (name_changed)
    details_add_string (details, "old_name", pqs_template_get_name (target));
  if (!op_audit (op, PQS_AUDIT_TEMPLATE_UPDATE, op->id, details, error))
    return FALSE;

  op->result = pqs_template_load (store, op->id, error);
  return op->result != NULL;
}

/**
 * pqs_template_catalog_update:
 * @self: a #PqsTemplateCatalog
 * @actor: (nullable): who edits it: a supervisor or an administrator
 * @id: the template
 * @spec: what changes; %NULL members (and section 0) stay as they are
 * @error: return location for a #GError
 *
 * Edits a template. System templates are refused with
 * %PQS_TEMPLATE_ERROR_SYSTEM ("System templates can be copied, not
 * edited"); moving a template that documents were made from to another
 * series with %PQS_TEMPLATE_ERROR_IN_USE. Nothing is written when nothing
 * changes.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_template_catalog_update (PqsTemplateCatalog     *self,
                             PqsUser                *actor,
                             gint64                  id,
                             const PqsTemplateSpec  *spec,
                             GError                **error)
{
  g_auto(Op) op = { self, actor, NULL, id, spec, FALSE, NULL };

  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), FALSE);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return pqs_store_transaction (self->store, update_cb, &op, error);
}

/* Copying ------------------------------------------------------------------- */

/* "NAME (copy)", or "NAME (copy N)" when taken, within the length limit. */
static char *
copy_name (PqsStore     *store,
           const char   *name,
           int           section,
           GError      **error)
{
  for (guint n = 1; n <= 1000; n++)
    {
      /* Translators: the name of a copy of the template “%s”. */
      g_autofree char *suffix_only = n == 1 ? g_strdup_printf (_("%s (copy)"), "")
                                            : g_strdup_printf (_("%s (copy %u)"), "", n);
      glong room = PQS_TEMPLATE_NAME_MAX - g_utf8_strlen (suffix_only, -1);
      g_autofree char *base = g_utf8_substring (name, 0, MIN (room, g_utf8_strlen (name, -1)));
      g_autofree char *candidate = NULL;
      gboolean taken = FALSE;

      g_strchomp (base);
      candidate = n == 1 ? g_strdup_printf (_("%s (copy)"), base)
                         : g_strdup_printf (_("%s (copy %u)"), base, n);
      if (!name_taken (store, section, candidate, 0, &taken, error))
        return NULL;
      if (!taken)
        return g_steal_pointer (&candidate);
    }

  invalid (error, _("There are too many copies of “%s”. Rename some of them first."), name);
  return NULL;
}

static gboolean
copy_cb (PqsStore  *store,
         gpointer   data,
         GError   **error)
{
  Op *op = data;
  g_autoptr(PqsTemplate) source = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_auto(Content) content = { NULL, };
  gint64 id;

  if (!op_check (op, PQS_ACTION_MANAGE_TEMPLATES, error))
    return FALSE;

  source = op_target (op, error);
  if (source == NULL)
    return FALSE;
  if (pqs_template_get_problem (source) != NULL)
    return invalid (error, _("“%s” cannot be copied: %s"), pqs_template_get_name (source),
                    pqs_template_get_problem (source));

  content.name = copy_name (store, pqs_template_get_name (source),
                            pqs_template_get_section (source), error);
  if (content.name == NULL)
    return FALSE;
  content.description = g_strdup (pqs_template_get_description (source));
  content.section = pqs_template_get_section (source);
  content.body = g_strdup (pqs_template_get_body (source));
  content.fields = g_ptr_array_ref (pqs_template_get_fields (source));
  content.fields_json = pqs_template_fields_to_json_string (content.fields);
  content.outline = g_ptr_array_ref (pqs_template_get_outline (source));
  content.outline_json = pqs_outline_to_json_string (content.outline);

  id = insert_template (op, &content, error);
  if (id == 0)
    return FALSE;

  details = details_new ();
  details_add_string (details, "name", content.name);
  details_add_int (details, "source_id", op->id);
  details_add_string (details, "source_name", pqs_template_get_name (source));
  json_builder_set_member_name (details, "source_system");
  json_builder_add_boolean_value (details, pqs_template_get_system (source));
  if (!op_audit (op, PQS_AUDIT_TEMPLATE_COPY, id, details, error))
    return FALSE;

  op->result = pqs_template_load (store, id, error);
  return op->result != NULL;
}

/**
 * pqs_template_catalog_copy:
 * @self: a #PqsTemplateCatalog
 * @actor: (nullable): who copies it: a supervisor or an administrator
 * @id: the template to copy, a system template or any other
 * @error: return location for a #GError
 *
 * Makes an editable, active copy named “NAME (copy)” (or “NAME (copy 2)”…)
 * in the same series, with the same description, body, fields and outline.
 * This is how a system template is adapted.
 *
 * Returns: (transfer full): the copy
 */
PqsTemplate *
pqs_template_catalog_copy (PqsTemplateCatalog  *self,
                           PqsUser             *actor,
                           gint64               id,
                           GError             **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, FALSE, NULL };

  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!pqs_store_transaction (self->store, copy_cb, &op, error))
    return NULL;
  return g_steal_pointer (&op.result);
}

/* Deactivating -------------------------------------------------------------- */

static gboolean
set_active_cb (PqsStore  *store,
               gpointer   data,
               GError   **error)
{
  Op *op = data;
  g_autoptr(PqsTemplate) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;

  if (!op_check (op, PQS_ACTION_MANAGE_TEMPLATES, error))
    return FALSE;

  target = op_target (op, error);
  if (target == NULL)
    return FALSE;
  if (pqs_template_get_active (target) == op->flag)
    return TRUE;

  now = now_text (store);
  stmt = pqs_store_prepare (store,
                            "UPDATE templates SET is_active = ?2, updated_by = ?3, "
                            "updated_at = ?4 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_int (stmt, 2, op->flag ? 1 : 0);
  bind_actor (stmt, 3, op);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  details = details_new ();
  details_add_string (details, "name", pqs_template_get_name (target));
  return op_audit (op, op->flag ? PQS_AUDIT_TEMPLATE_ACTIVATE : PQS_AUDIT_TEMPLATE_DEACTIVATE,
                   op->id, details, error);
}

/**
 * pqs_template_catalog_set_active:
 * @self: a #PqsTemplateCatalog
 * @actor: (nullable): a supervisor or an administrator
 * @id: the template
 * @active: %FALSE to deactivate it, %TRUE to activate it again
 * @error: return location for a #GError
 *
 * A deactivated template is no longer offered for new documents; the
 * documents made from it keep it. System templates may be deactivated too
 * (when a copy replaces them). Nothing is written when @active is already
 * the template's state.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_template_catalog_set_active (PqsTemplateCatalog  *self,
                                 PqsUser             *actor,
                                 gint64               id,
                                 gboolean             active,
                                 GError             **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, !!active, NULL };

  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), FALSE);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return pqs_store_transaction (self->store, set_active_cb, &op, error);
}

/* Deleting ------------------------------------------------------------------ */

static gboolean
delete_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;
  g_autoptr(PqsTemplate) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  sqlite3_stmt *stmt;
  gint64 used = 0;

  if (!op_check (op, PQS_ACTION_MANAGE_TEMPLATES, error))
    return FALSE;

  target = op_target (op, error);
  if (target == NULL ||
      !refuse_system (target, _("System templates cannot be deleted. Deactivate it instead."),
                      error))
    return FALSE;

  if (!count_documents (store, op->id, &used, error))
    return FALSE;
  if (used > 0)
    {
      g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_IN_USE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” cannot be deleted: %u document was "
                                "made from it. Deactivate it instead.",
                                "“%s” cannot be deleted: %u documents were "
                                "made from it. Deactivate it instead.",
                                (gulong) used),
                   pqs_template_get_name (target), (guint) MIN (used, G_MAXUINT));
      return FALSE;
    }

  stmt = pqs_store_prepare (store, "DELETE FROM templates WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  details = details_new ();
  details_add_string (details, "name", pqs_template_get_name (target));
  details_add_int (details, "section", pqs_template_get_section (target));
  if (pqs_template_get_template_hash (target) != NULL)
    details_add_string (details, "template_hash", pqs_template_get_template_hash (target));
  return op_audit (op, PQS_AUDIT_TEMPLATE_DELETE, op->id, details, error);
}

/**
 * pqs_template_catalog_delete:
 * @self: a #PqsTemplateCatalog
 * @actor: (nullable): a supervisor or an administrator
 * @id: the template
 * @error: return location for a #GError
 *
 * Deletes a template no document was made from. System templates are
 * never deleted (%PQS_TEMPLATE_ERROR_SYSTEM); a template in use is
 * refused with %PQS_TEMPLATE_ERROR_IN_USE: deactivate it instead.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_template_catalog_delete (PqsTemplateCatalog  *self,
                             PqsUser             *actor,
                             gint64               id,
                             GError             **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, FALSE, NULL };

  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), FALSE);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return pqs_store_transaction (self->store, delete_cb, &op, error);
}

/* The object ---------------------------------------------------------------- */

static void
pqs_template_catalog_dispose (GObject *object)
{
  PqsTemplateCatalog *self = PQS_TEMPLATE_CATALOG (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_template_catalog_parent_class)->dispose (object);
}

static void
pqs_template_catalog_class_init (PqsTemplateCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pqs_template_catalog_dispose;
}

static void
pqs_template_catalog_init (PqsTemplateCatalog *self)
{
}

/**
 * pqs_template_catalog_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): the catalog of @store's templates
 */
PqsTemplateCatalog *
pqs_template_catalog_new (PqsStore *store)
{
  PqsTemplateCatalog *self;

  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  self = g_object_new (PQS_TYPE_TEMPLATE_CATALOG, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * pqs_template_catalog_get_store:
 * @self: a #PqsTemplateCatalog
 *
 * Returns: (transfer none): the store
 */
PqsStore *
pqs_template_catalog_get_store (PqsTemplateCatalog *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_CATALOG (self), NULL);

  return self->store;
}
