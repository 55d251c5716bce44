/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-audit.h"
#include "pqs-document-private.h"
#include "pqs-library-private.h"
#include "pqs-standard-private.h"
#include "pqs-store.h"
#include "pqs-template-field.h"
#include "pqs-user-private.h"

/**
 * PqsLibrary:
 *
 * The standards and their section documents: creating, editing, saving,
 * numbering, deleting, sharing and importing them. Like
 * #PqsUserDirectory, each method checks the actor's permission against the
 * database's current state, validates its input and writes the change, its
 * `document_changes` row and its audit row in one transaction, so none
 * exists without the others.
 *
 * Saving carries the document's edit count (documents.edit_count, which
 * every write of the row moves): when it moved since the document was
 * loaded, the save fails with %PQS_LIBRARY_ERROR_CONFLICT and writes
 * nothing, so nobody's work is silently lost.
 *
 * A standard whose section documents are all approved has its revision
 * frozen; its documents are not changed until
 * pqs_library_start_standard_revision().
 *
 * Documents are always written under an account (documents.created_by and
 * document_changes.user_id name one): those methods refuse a %NULL actor.
 * Methods that only touch standards or collaborations accept %NULL, the
 * operator at the command line.
 */

struct _PqsLibrary
{
  GObject     parent_instance;

  PqsStore   *store;
  GHashTable *field_lists;   /* template id → FieldList: parsed field lists */
};

G_DEFINE_FINAL_TYPE (PqsLibrary, pqs_library, G_TYPE_OBJECT)

G_DEFINE_QUARK (pqs-library-error-quark, pqs_library_error)

typedef struct
{
  char      *json;
  GPtrArray *fields;
} FieldList;

static void
field_list_free (FieldList *list)
{
  g_free (list->json);
  g_clear_pointer (&list->fields, g_ptr_array_unref);
  g_free (list);
}

void
pqs_collaborator_free (PqsCollaborator *collaborator)
{
  if (collaborator == NULL)
    return;

  g_free (collaborator->username);
  g_free (collaborator->display_name);
  g_clear_pointer (&collaborator->invited_at, g_date_time_unref);
  g_free (collaborator);
}

/* Small helpers ------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;

  va_start (args, format);
  *error = g_error_new_valist (PQS_LIBRARY_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
sql_failed (PqsLibrary  *self,
            int          rc,
            GError     **error)
{
  return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, NULL);
}

char *
pqs_library_now_text (PqsLibrary *self)
{
  return pqs_store_format_time (pqs_store_now (self->store));
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static JsonBuilder *
details_new (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  return builder;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* Closes @builder's object and appends the audit row. A NULL actor (the
 * operator) is named in the details. */
static gboolean
audit (PqsLibrary   *self,
       gint64        actor_id,
       const char   *activity,
       const char   *resource_type,
       gint64        resource_id,
       JsonBuilder  *builder,
       GError      **error)
{
  g_autoptr(JsonNode) details = NULL;

  if (actor_id <= 0)
    add_string (builder, "operator", g_get_user_name ());
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return pqs_audit_append (self->store, MAX (actor_id, 0), activity, resource_type,
                           resource_id, details, NULL, error);
}

static char *
strip_or_null (const char *text)
{
  char *copy;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    g_clear_pointer (&copy, g_free);
  return copy;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Valid UTF-8, at most @max_chars characters, no control characters (line
 * breaks and tabs only when @multiline). */
static gboolean
check_text (const char  *text,
            glong        max_chars,
            gboolean     multiline,
            const char  *too_long,
            const char  *bad_chars,
            GError     **error)
{
  glong n = 0;

  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, PQS_LIBRARY_ERROR_INVALID, "%s", bad_chars);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++n > max_chars)
        return fail (error, PQS_LIBRARY_ERROR_INVALID, "%s", too_long);
      if (multiline && (c == '\n' || c == '\t' || c == '\r'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return fail (error, PQS_LIBRARY_ERROR_INVALID, "%s", bad_chars);
    }

  return TRUE;
}

/* Reading -------------------------------------------------------------------- */

static PqsStandard *
get_standard (PqsLibrary  *self,
              const char  *where,
              gint64       id,
              const char  *uid,
              GError     **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " PQS_STANDARD_COLUMNS " FROM standards AS s WHERE ",
                                      where, NULL);
  sqlite3_stmt *stmt = pqs_store_prepare (self->store, sql, error);
  PqsStandard *standard = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  if (uid != NULL)
    sqlite3_bind_text (stmt, 1, uid, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    standard = pqs_standard_new_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
          _("The standard does not exist any more. Someone may have deleted it."));
  else if (rc != SQLITE_ROW)
    sql_failed (self, rc, error);

  return standard;
}

/**
 * pqs_library_list_standards:
 * @self: a #PqsLibrary
 * @error: return location for a #GError
 *
 * Every standard, by title. (Views use #PqsStandardList, which pages.)
 *
 * Returns: (transfer full) (element-type PqsStandard): the standards
 */
GPtrArray *
pqs_library_list_standards (PqsLibrary  *self,
                            GError     **error)
{
  g_autoptr(GPtrArray) standards = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);

  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_STANDARD_COLUMNS " FROM standards AS s "
                            "ORDER BY s.title COLLATE NOCASE, s.id",
                            error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (standards, pqs_standard_new_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_failed (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&standards);
}

PqsStandard *
pqs_library_load_standard (PqsLibrary  *self,
                           gint64       id,
                           GError     **error)
{
  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);

  return get_standard (self, "s.id = ?1", id, NULL, error);
}

/**
 * pqs_library_find_standard_by_uid:
 * @self: a #PqsLibrary
 * @uid: the identity a standard keeps across workstations
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the standard, or %NULL with
 *   %PQS_LIBRARY_ERROR_NOT_FOUND
 */
PqsStandard *
pqs_library_find_standard_by_uid (PqsLibrary  *self,
                                  const char  *uid,
                                  GError     **error)
{
  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  return get_standard (self, "s.uid = ?1", 0, uid, error);
}

typedef struct
{
  gint64       id;
  gint64       parent_id;
  PqsItemKind  kind;
  char        *text;
  char        *answer;
  char        *criteria;
  GArray      *children;   /* row indexes */
} ItemRow;

static void
item_row_clear (ItemRow *row)
{
  g_free (row->text);
  g_free (row->answer);
  g_free (row->criteria);
  g_clear_pointer (&row->children, g_array_unref);
}

static void
add_subtree (GPtrArray *outline,
             GArray    *ids,
             GArray    *rows,
             guint      index,
             guint      depth)
{
  ItemRow *row = &g_array_index (rows, ItemRow, index);

  g_ptr_array_add (outline, pqs_outline_item_new (row->kind, depth, row->text, row->answer,
                                                  row->criteria));
  g_array_append_val (ids, row->id);
  if (row->children != NULL)
    for (guint i = 0; i < row->children->len; i++)
      add_subtree (outline, ids, rows, g_array_index (row->children, guint, i), depth + 1);
}

/* The outline of a document in document order (depth first, by position),
 * and the items' ids in the same order. */
static GPtrArray *
load_outline (PqsLibrary  *self,
              gint64       document_id,
              GArray     **out_ids,
              GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (ItemRow));
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) top = g_array_new (FALSE, FALSE, sizeof (guint));
  GPtrArray *outline;
  sqlite3_stmt *stmt;
  int rc;

  g_array_set_clear_func (rows, (GDestroyNotify) item_row_clear);

  stmt = pqs_store_prepare (self->store,
                            "SELECT id, parent_id, kind, text, answer, criteria "
                            "FROM document_items WHERE document_id = ?1 ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ItemRow row = { 0, };

      row.id = sqlite3_column_int64 (stmt, 0);
      row.parent_id = sqlite3_column_int64 (stmt, 1);
      /* The schema's CHECK keeps the kind to the five names. */
      pqs_item_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &row.kind);
      row.text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      row.answer = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      row.criteria = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_failed (self, rc, error);
      return NULL;
    }

  /* Row pointers are stable from here on. */
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_insert (by_id, &g_array_index (rows, ItemRow, i).id, GUINT_TO_POINTER (i));

  for (guint i = 0; i < rows->len; i++)
    {
      ItemRow *row = &g_array_index (rows, ItemRow, i);
      gpointer parent_index;

      if (row->parent_id != 0 &&
          g_hash_table_lookup_extended (by_id, &row->parent_id, NULL, &parent_index))
        {
          ItemRow *parent = &g_array_index (rows, ItemRow, GPOINTER_TO_UINT (parent_index));

          if (parent->children == NULL)
            parent->children = g_array_new (FALSE, FALSE, sizeof (guint));
          g_array_append_val (parent->children, i);
        }
      else
        g_array_append_val (top, i);
    }

  outline = g_ptr_array_new_full (rows->len, (GDestroyNotify) pqs_outline_item_free);
  for (guint i = 0; i < top->len; i++)
    add_subtree (outline, ids, rows, g_array_index (top, guint, i), 0);

  if (out_ids != NULL)
    *out_ids = g_steal_pointer (&ids);
  return outline;
}

/**
 * pqs_library_get_row: (skip)
 * @self: a #PqsLibrary
 * @id: a document
 * @with_outline: whether to load its outline too
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the document as stored, without permission
 *   checks, or %NULL with %PQS_LIBRARY_ERROR_NOT_FOUND
 */
PqsDocument *
pqs_library_get_row (PqsLibrary  *self,
                     gint64       id,
                     gboolean     with_outline,
                     GError     **error)
{
  g_autoptr(PqsDocument) document = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_DOCUMENT_COLUMNS " FROM documents AS d WHERE d.id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    document = pqs_document_new_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
            _("The document does not exist any more. Someone may have deleted it."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sql_failed (self, rc, error);
      return NULL;
    }

  if (with_outline)
    {
      GArray *ids = NULL;
      GPtrArray *outline = load_outline (self, id, &ids, error);

      if (outline == NULL)
        return NULL;
      pqs_document_take_outline (document, outline);
      pqs_document_set_item_ids (document, ids);
    }

  return g_steal_pointer (&document);
}

/* The actor's role on a document among its collaborators. */
static gboolean
collaboration_of (PqsLibrary           *self,
                  gint64                document_id,
                  gint64                user_id,
                  PqsCollaboratorRole  *out_role,
                  GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_role = PQS_COLLABORATOR_NONE;
  if (user_id <= 0)
    return TRUE;

  stmt = pqs_store_prepare (self->store,
                            "SELECT role FROM document_collaborators "
                            "WHERE document_id = ?1 AND user_id = ?2 AND is_active = 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    pqs_collaborator_role_from_string ((const char *) sqlite3_column_text (stmt, 0), out_role);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_failed (self, rc, error);
  return TRUE;
}

/**
 * pqs_library_access_for: (skip)
 *
 * Fills the facts pqs_auth_check() needs about @document for @actor: its
 * author, its status, and @actor's collaboration on it.
 */
gboolean
pqs_library_access_for (PqsLibrary         *self,
                        PqsUser            *actor,
                        PqsDocument        *document,
                        PqsDocumentAccess  *out_access,
                        GError            **error)
{
  out_access->created_by = pqs_document_get_created_by (document);
  out_access->status = pqs_document_get_status (document);
  return collaboration_of (self, pqs_document_get_id (document),
                           actor != NULL ? pqs_user_get_id (actor) : 0,
                           &out_access->collaboration, error);
}

/**
 * pqs_library_fresh_actor: (skip)
 * @required: whether the work needs an account (anything that writes a
 *   document does)
 * @out_fresh: (out) (transfer full) (nullable): @actor as the database holds
 *   it now, %NULL for the operator
 *
 * Returns: %FALSE when the account is gone, or none was given but one is
 *   required
 */
gboolean
pqs_library_fresh_actor (PqsLibrary  *self,
                         PqsUser     *actor,
                         gboolean     required,
                         PqsUser    **out_fresh,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_fresh = NULL;
  if (actor == NULL)
    {
      if (required)
        return fail (error, PQS_LIBRARY_ERROR_INVALID,
                     _("Documents are written under a person’s account. Name the account "
                       "to act as (for example with --as USERNAME)."));
      return TRUE;
    }

  stmt = pqs_store_prepare (self->store, "SELECT " PQS_USER_COLUMNS " FROM users WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_user_get_id (actor));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_fresh = pqs_user_new_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("Your account no longer exists."));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);
  return TRUE;
}

/**
 * pqs_library_check_action: (skip)
 *
 * pqs_auth_check() for @document's current facts.
 */
gboolean
pqs_library_check_action (PqsLibrary   *self,
                          PqsUser      *fresh_actor,
                          PqsAction     action,
                          PqsDocument  *document,
                          GError      **error)
{
  PqsDocumentAccess access;

  if (fresh_actor == NULL)
    return TRUE;
  if (!pqs_library_access_for (self, fresh_actor, document, &access, error))
    return FALSE;
  return pqs_auth_check (fresh_actor, action, &access, error);
}

/* Role-only actions (no document). */
static gboolean
check_role_action (PqsUser    *fresh_actor,
                   PqsAction   action,
                   GError    **error)
{
  return pqs_auth_check (fresh_actor, action, NULL, error);
}

gboolean
pqs_library_check_unfrozen (PqsLibrary  *self,
                            gint64       standard_id,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *title = NULL;
  g_autofree char *revision = NULL;
  gboolean frozen = FALSE;
  int rc;

  stmt = pqs_store_prepare (self->store,
                            "SELECT frozen_at IS NOT NULL, title, revision FROM standards "
                            "WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      frozen = sqlite3_column_int (stmt, 0) != 0;
      title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      revision = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    return fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
                 _("The standard does not exist any more. Someone may have deleted it."));
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);

  if (frozen)
    {
      if (revision != NULL)
        return fail (error, PQS_LIBRARY_ERROR_FROZEN,
                     _("“%s” is approved and revision %s is frozen. Start a new revision of "
                       "the standard to change its documents."), title, revision);
      return fail (error, PQS_LIBRARY_ERROR_FROZEN,
                   _("“%s” is approved and its revision is frozen. Start a new revision of "
                     "the standard to change its documents."), title);
    }

  return TRUE;
}

/**
 * pqs_library_refresh_standard: (skip)
 * @out_frozen: (out) (optional): whether this froze the standard
 *
 * Freezes the standard's revision when all its section documents that
 * are not archived are approved (and it is not frozen yet).
 */
gboolean
pqs_library_refresh_standard (PqsLibrary  *self,
                              gint64       standard_id,
                              gint64       actor_id,
                              gboolean    *out_frozen,
                              GError     **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  gint64 active = 0, approved = 0;
  gboolean frozen = FALSE;
  int rc;

  if (out_frozen != NULL)
    *out_frozen = FALSE;

  stmt = pqs_store_prepare (self->store,
                            "SELECT count(*) FILTER (WHERE d.status <> 'archived'), "
                            "       count(*) FILTER (WHERE d.status = 'approved'), "
                            "       (SELECT frozen_at IS NOT NULL FROM standards WHERE id = ?1) "
                            "FROM documents AS d WHERE d.standard_id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      active = sqlite3_column_int64 (stmt, 0);
      approved = sqlite3_column_int64 (stmt, 1);
      frozen = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);

  if (frozen || active == 0 || approved != active)
    return TRUE;

  now = pqs_library_now_text (self);
  stmt = pqs_store_prepare (self->store,
                            "UPDATE standards SET frozen_at = ?2, frozen_by = ?3, "
                            "status = 'active', updated_at = ?2 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  bind_id_or_null (stmt, 3, actor_id);
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  if (out_frozen != NULL)
    *out_frozen = TRUE;
  return TRUE;
}

/**
 * pqs_library_dup_user_name: (skip)
 *
 * Returns: (transfer full): "Rank Full Name" of an account, for messages
 */
char *
pqs_library_dup_user_name (PqsLibrary *self,
                           gint64      user_id)
{
  sqlite3_stmt *stmt;
  char *name = NULL;

  stmt = pqs_store_prepare (self->store, "SELECT " PQS_USER_COLUMNS " FROM users WHERE id = ?1",
                            NULL);
  if (stmt == NULL)
    return g_strdup (_("someone"));
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(PqsUser) user = pqs_user_new_from_stmt (stmt);

      name = pqs_user_dup_display_name (user);
    }
  sqlite3_reset (stmt);

  return name != NULL ? name : g_strdup (_("someone"));
}

/**
 * pqs_library_edited_version: (skip)
 * @out_edited: (out): whether @user_id changed the text of @document's
 *   current version (created, saved, restored or imported it)
 *
 * Someone who wrote part of a version does not approve it either.
 */
gboolean
pqs_library_edited_version (PqsLibrary   *self,
                            PqsDocument  *document,
                            gint64        user_id,
                            gboolean     *out_edited,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_edited = FALSE;
  stmt = pqs_store_prepare (self->store,
                            "SELECT EXISTS (SELECT 1 FROM document_changes "
                            "  WHERE document_id = ?1 AND version = ?2 AND user_id = ?3 "
                            "    AND old_content IS NOT new_content)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_document_get_id (document));
  sqlite3_bind_int64 (stmt, 2, pqs_document_get_version (document));
  sqlite3_bind_int64 (stmt, 3, user_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_edited = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);
  return TRUE;
}

/* Validation ------------------------------------------------------------------ */

/* The field list of a template, parsed once while its JSON stays the same.
 * *out_fields is NULL when there is none to check against: the template
 * went, or its stored list is broken (which must not lock the document). */
static gboolean
template_fields (PqsLibrary  *self,
                 gint64       template_id,
                 GPtrArray  **out_fields,
                 GError     **error)
{
  FieldList *list = g_hash_table_lookup (self->field_lists, &template_id);
  sqlite3_stmt *stmt;
  g_autofree char *json = NULL;
  gint64 *key;
  int rc;

  *out_fields = NULL;
  stmt = pqs_store_prepare (self->store, "SELECT fields FROM templates WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, template_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (list != NULL && g_strcmp0 (list->json, text) == 0)
        {
          sqlite3_reset (stmt);
          if (list->fields != NULL)
            *out_fields = g_ptr_array_ref (list->fields);
          return TRUE;
        }
      json = g_strdup (text != NULL ? text : "[]");
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);

  list = g_new0 (FieldList, 1);
  list->fields = pqs_template_fields_parse (json, NULL);
  list->json = g_steal_pointer (&json);
  key = g_new (gint64, 1);
  *key = template_id;
  g_hash_table_replace (self->field_lists, key, list);

  if (list->fields != NULL)
    *out_fields = g_ptr_array_ref (list->fields);
  return TRUE;
}

/* Field values of a document without a template: keys like a template's,
 * values a form could have produced. */
static gboolean
check_free_metadata (JsonObject  *metadata,
                     GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (metadata);
  guint n = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (metadata, key);
      gboolean key_ok = g_ascii_islower (key[0]) && strlen (key) <= PQS_TEMPLATE_FIELD_KEY_MAX;

      for (const char *p = key; key_ok && *p != '\0'; p++)
        key_ok = g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_';
      if (!key_ok)
        return fail (error, PQS_LIBRARY_ERROR_INVALID,
                     _("The field name “%s” is not valid: use lower-case letters, digits and "
                       "underscores, starting with a letter."), key);
      if (++n > PQS_TEMPLATE_MAX_FIELDS)
        return fail (error, PQS_LIBRARY_ERROR_INVALID,
                     _("A document has at most %u field values."), PQS_TEMPLATE_MAX_FIELDS);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          if (!check_text (json_node_get_string (value), PQS_TEMPLATE_VALUE_MULTILINE_MAX, TRUE,
                           _("A field value is longer than 20,000 characters."),
                           _("A field value holds characters that are not allowed."), error))
            return FALSE;
        }
      else if (JSON_NODE_HOLDS_ARRAY (value))
        return fail (error, PQS_LIBRARY_ERROR_INVALID,
                     _("The field “%s” holds a list, which no field type allows."), key);
      else if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *object = json_node_get_object (value);
          g_autoptr(GList) parts = json_object_get_members (object);

          /* A signature: name, rank and date, all text. */
          for (GList *p = parts; p != NULL; p = p->next)
            {
              JsonNode *part = json_object_get_member (object, p->data);

              if (!g_str_equal (p->data, "name") && !g_str_equal (p->data, "rank") &&
                  !g_str_equal (p->data, "date"))
                return fail (error, PQS_LIBRARY_ERROR_INVALID,
                             _("The signature “%s” holds “%s”; a signature has only a name, "
                               "a rank and a date."), key, (const char *) p->data);
              if (!JSON_NODE_HOLDS_NULL (part) &&
                  !(JSON_NODE_HOLDS_VALUE (part) &&
                    json_node_get_value_type (part) == G_TYPE_STRING))
                return fail (error, PQS_LIBRARY_ERROR_INVALID,
                             _("The signature “%s” must hold text."), key);
              if (!JSON_NODE_HOLDS_NULL (part) &&
                  !check_text (json_node_get_string (part), PQS_TEMPLATE_VALUE_TEXT_MAX, FALSE,
                               _("A signature is longer than 1,000 characters."),
                               _("A signature holds characters that are not allowed."), error))
                return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
validate_title (const char  *title,
                GError     **error)
{
  g_autofree char *stripped = strip_or_null (title);

  if (stripped == NULL)
    return fail (error, PQS_LIBRARY_ERROR_INVALID, _("Enter a title for the document."));
  return check_text (stripped, PQS_DOCUMENT_TITLE_MAX, FALSE,
                     _("A document title is at most 200 characters long."),
                     _("A title cannot hold line breaks or control characters."), error);
}

/**
 * pqs_library_validate_content: (skip)
 *
 * The checks of a save (@require_all %FALSE) or a submission (%TRUE).
 */
gboolean
pqs_library_validate_content (PqsLibrary   *self,
                              PqsDocument  *content,
                              gboolean      require_all,
                              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *metadata = pqs_document_get_metadata (content);
  gint64 template_id = pqs_document_get_template_id (content);

  if (!validate_title (pqs_document_get_title (content), error))
    return FALSE;

  if (!check_text (pqs_document_get_body (content), PQS_DOCUMENT_BODY_MAX, TRUE,
                   _("The document’s text is longer than 200,000 characters."),
                   _("The document’s text holds control characters that are not allowed."),
                   error))
    return FALSE;

  if (!pqs_outline_validate (pqs_document_get_outline (content), &local_error))
    return fail (error, PQS_LIBRARY_ERROR_INVALID, "%s", local_error->message);

  if (template_id > 0)
    {
      g_autoptr(GPtrArray) fields = NULL;

      if (!template_fields (self, template_id, &fields, error))
        return FALSE;
      if (fields == NULL)
        return check_free_metadata (metadata, error);
      if (!pqs_template_fields_check_values (fields, metadata, FALSE, &local_error))
        return fail (error, PQS_LIBRARY_ERROR_INVALID, "%s", local_error->message);
      if (require_all && !pqs_template_fields_check_values (fields, metadata, TRUE, &local_error))
        return fail (error, PQS_LIBRARY_ERROR_REQUIRED_FIELDS, "%s", local_error->message);
      return TRUE;
    }

  return check_free_metadata (metadata, error);
}

/**
 * pqs_library_check_document:
 * @self: a #PqsLibrary
 * @document: content to check (stored or not)
 * @require_all: %TRUE for the checks of a submission: every required
 *   field of the template filled (%PQS_LIBRARY_ERROR_REQUIRED_FIELDS)
 * @error: return location for a #GError
 *
 * Checks what a save checks, without writing: a title, the text's length,
 * the outline's rules, and the field values against the template's field
 * list. Importers check everything first with it.
 *
 * Returns: %TRUE when @document could be saved (or submitted)
 */
gboolean
pqs_library_check_document (PqsLibrary   *self,
                            PqsDocument  *document,
                            gboolean      require_all,
                            GError      **error)
{
  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (PQS_IS_DOCUMENT (document), FALSE);

  if (pqs_series_of_number (pqs_document_get_number (document)) == 0)
    return fail (error, PQS_LIBRARY_ERROR_OUT_OF_RANGE,
                 _("Section numbers are 101–199, 201–299 or 301–399; %u is none of them."),
                 pqs_document_get_number (document));

  return pqs_library_validate_content (self, document, require_all, error);
}

/* Writing a document ------------------------------------------------------------ */

/* Where the next item of an outline goes: the last item id at each depth
 * (the parent of the next one a level deeper) and the next position at
 * each depth under the current parent. */
typedef struct
{
  gint64 parents[PQS_OUTLINE_MAX_DEPTH + 1];
  guint  positions[PQS_OUTLINE_MAX_DEPTH + 2];
} Placement;

static void
placement_add (Placement *placement,
               guint      depth,
               gint64     id)
{
  placement->positions[depth]++;
  placement->parents[depth] = id;
  placement->positions[depth + 1] = 0;
}

/* Appends @text to @json as a JSON string, or null when @null_if_empty and
 * it is empty or missing. */
static void
json_append_string (GString    *json,
                    const char *text,
                    gboolean    null_if_empty)
{
  static const char hex[] = "0123456789abcdef";
  const char *p;

  if (text == NULL || *text == '\0')
    {
      g_string_append (json, null_if_empty ? "null" : "\"\"");
      return;
    }

  g_string_append_c (json, '"');
  for (p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, (char) c);
        }
      else if (c < 0x20)
        {
          g_string_append (json, "\\u00");
          g_string_append_c (json, hex[c >> 4]);
          g_string_append_c (json, hex[c & 0xf]);
        }
      else
        g_string_append_c (json, (char) c);
    }
  g_string_append_c (json, '"');
}

/* Runs @stmt with @json (bound without a copy) as ?1 and @document_id as ?2
 * when it has one. */
static gboolean
step_with_json (PqsLibrary    *self,
                sqlite3_stmt  *stmt,
                GString       *json,
                gint64         document_id,
                GError       **error)
{
  gboolean ok;

  sqlite3_bind_text (stmt, 1, json->str, (int) json->len, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, document_id);
  ok = pqs_store_step_done (self->store, stmt, error);
  sqlite3_clear_bindings (stmt);
  return ok;
}

/* Inserts the items of @outline from @start on, placed after @placement,
 * in one statement: each item is written by a statement of its own
 * otherwise, and the search index (011's triggers) writes a segment per
 * statement. The ids are the ones the rows would get one by one (the table
 * is AUTOINCREMENT: after the largest id it ever held), so the children can
 * name their parents. */
static gboolean
insert_items (PqsLibrary  *self,
              gint64       document_id,
              GPtrArray   *outline,
              guint        start,
              Placement   *placement,
              GError     **error)
{
  g_autoptr(GString) json = NULL;
  sqlite3_stmt *stmt;
  gint64 next_id = 0;

  if (start >= outline->len)
    return TRUE;

  if (!pqs_store_query_int64 (self->store,
                              "SELECT max(coalesce((SELECT max(id) FROM document_items), 0), "
                              "coalesce((SELECT seq FROM sqlite_sequence "
                              "WHERE name = 'document_items'), 0))",
                              &next_id, error))
    return FALSE;
  next_id++;

  json = g_string_sized_new (256 * (outline->len - start));
  g_string_append_c (json, '[');
  for (guint i = start; i < outline->len; i++, next_id++)
    {
      const PqsOutlineItem *item = g_ptr_array_index (outline, i);
      guint depth = item->depth;
      gint64 parent_id;

      /* Validated before: at most one level below the item before. */
      g_assert (depth <= PQS_OUTLINE_MAX_DEPTH);
      parent_id = depth > 0 ? placement->parents[depth - 1] : 0;

      if (i > start)
        g_string_append_c (json, ',');
      g_string_append_printf (json, "[%" G_GINT64_FORMAT ",", next_id);
      if (parent_id > 0)
        g_string_append_printf (json, "%" G_GINT64_FORMAT ",", parent_id);
      else
        g_string_append (json, "null,");
      g_string_append_printf (json, "%u,\"%s\",", placement->positions[depth],
                              pqs_item_kind_to_string (item->kind));
      json_append_string (json, item->text, FALSE);
      g_string_append_c (json, ',');
      json_append_string (json, item->answer, TRUE);
      g_string_append_c (json, ',');
      json_append_string (json, item->criteria, TRUE);
      g_string_append_c (json, ']');

      placement_add (placement, depth, next_id);
    }
  g_string_append_c (json, ']');

  stmt = pqs_store_prepare (self->store,
                            "INSERT INTO document_items (id, document_id, parent_id, position, "
                            "kind, text, answer, criteria) "
                            "SELECT json_extract (value, '$[0]'), ?2, "
                            "json_extract (value, '$[1]'), json_extract (value, '$[2]'), "
                            "json_extract (value, '$[3]'), json_extract (value, '$[4]'), "
                            "json_extract (value, '$[5]'), json_extract (value, '$[6]') "
                            "FROM json_each (?1) ORDER BY key",
                            error);
  if (stmt == NULL)
    return FALSE;
  return step_with_json (self, stmt, json, document_id, error);
}

static gboolean
same_text (const char *a,
           const char *b)
{
  return g_strcmp0 (a != NULL && *a != '\0' ? a : NULL, b != NULL && *b != '\0' ? b : NULL) == 0;
}

/* Writes @outline over the stored one (@before, with its item ids). The
 * items of the longest leading run with the same shape (kinds and depths,
 * hence the same parents and positions) keep their rows and are updated
 * only where their texts changed; the rest is deleted and inserted again.
 * An edit of a few texts, or items added at the end, touch only those rows
 * (and their entries in the search index). Each of the three steps is one
 * statement, whatever the number of items. */
static gboolean
write_items (PqsLibrary   *self,
             gint64        document_id,
             PqsDocument  *before,
             GPtrArray    *outline,
             GError      **error)
{
  GPtrArray *old = pqs_document_get_outline (before);
  GArray *ids = pqs_document_get_item_ids (before);
  Placement placement = { { 0, }, { 0, } };
  g_autoptr(GString) json = NULL;
  sqlite3_stmt *stmt;
  guint changed = 0;
  guint k = 0;

  if (ids == NULL || ids->len != old->len)
    {
      stmt = pqs_store_prepare (self->store, "DELETE FROM document_items WHERE document_id = ?1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, document_id);
      if (!pqs_store_step_done (self->store, stmt, error))
        return FALSE;
      return insert_items (self, document_id, outline, 0, &placement, error);
    }

  while (k < old->len && k < outline->len)
    {
      const PqsOutlineItem *a = g_ptr_array_index (old, k);
      const PqsOutlineItem *b = g_ptr_array_index (outline, k);

      if (a->kind != b->kind || a->depth != b->depth || b->depth > PQS_OUTLINE_MAX_DEPTH)
        break;
      k++;
    }

  /* The kept items whose texts changed: [[id, text, answer, criteria], …]. */
  json = g_string_new ("[");
  for (guint i = 0; i < k; i++)
    {
      const PqsOutlineItem *a = g_ptr_array_index (old, i);
      const PqsOutlineItem *b = g_ptr_array_index (outline, i);
      gint64 id = g_array_index (ids, gint64, i);

      placement_add (&placement, b->depth, id);
      if (same_text (a->text, b->text) && same_text (a->answer, b->answer) &&
          same_text (a->criteria, b->criteria))
        continue;

      if (changed++ > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json, "[%" G_GINT64_FORMAT ",", id);
      json_append_string (json, b->text, FALSE);
      g_string_append_c (json, ',');
      json_append_string (json, b->answer, TRUE);
      g_string_append_c (json, ',');
      json_append_string (json, b->criteria, TRUE);
      g_string_append_c (json, ']');
    }
  g_string_append_c (json, ']');

  if (changed > 0)
    {
      stmt = pqs_store_prepare (self->store,
                                "UPDATE document_items SET text = json_extract (j.value, '$[1]'), "
                                "answer = json_extract (j.value, '$[2]'), "
                                "criteria = json_extract (j.value, '$[3]') "
                                "FROM json_each (?1) AS j "
                                "WHERE document_items.id = json_extract (j.value, '$[0]') "
                                "AND document_items.document_id = ?2",
                                error);
      if (stmt == NULL || !step_with_json (self, stmt, json, document_id, error))
        return FALSE;
    }

  /* The old tail goes (children with their parents: a tail in document
   * order holds the whole subtree of each of its items), then the new tail
   * comes. */
  if (k < old->len)
    {
      g_string_truncate (json, 0);
      g_string_append_c (json, '[');
      for (guint i = k; i < old->len; i++)
        g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > k ? "," : "",
                                g_array_index (ids, gint64, i));
      g_string_append_c (json, ']');

      stmt = pqs_store_prepare (self->store,
                                "DELETE FROM document_items WHERE document_id = ?2 "
                                "AND id IN (SELECT value FROM json_each (?1))",
                                error);
      if (stmt == NULL || !step_with_json (self, stmt, json, document_id, error))
        return FALSE;
    }

  return insert_items (self, document_id, outline, k, &placement, error);
}

static gboolean
insert_change (PqsLibrary         *self,
               gint64              document_id,
               gint64              actor_id,
               const char         *change_type,
               const char         *old_content,
               const char         *new_content,
               const char         *summary,
               guint               version,
               const char         *now,
               const char         *action,
               PqsDocumentStatus   status,
               const char         *snapshot,
               gint64             *out_id,
               GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (self->store,
                            "INSERT INTO document_changes (document_id, user_id, change_type, "
                            "old_content, new_content, change_summary, version, created_at, "
                            "action, status, snapshot) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, actor_id);
  sqlite3_bind_text (stmt, 3, change_type, -1, SQLITE_STATIC);
  if (old_content != NULL)
    sqlite3_bind_text (stmt, 4, old_content, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, new_content, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 6, summary);
  sqlite3_bind_int64 (stmt, 7, version);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, pqs_document_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, snapshot, -1, SQLITE_STATIC);
  if (!pqs_store_step_done (self->store, stmt, error))
    {
      sqlite3_clear_bindings (stmt);
      return FALSE;
    }
  sqlite3_clear_bindings (stmt);

  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (pqs_store_get_handle (self->store));
  return TRUE;
}

static char *
clean_summary (const char *summary)
{
  g_autofree char *stripped = strip_or_null (summary);

  if (stripped == NULL)
    return NULL;
  if (g_utf8_strlen (stripped, -1) > PQS_CHANGE_SUMMARY_MAX)
    {
      char *end = g_utf8_offset_to_pointer (stripped, PQS_CHANGE_SUMMARY_MAX);

      *end = '\0';
    }
  return g_steal_pointer (&stripped);
}

/**
 * pqs_library_write: (skip)
 *
 * Writes @write->content and the new state over @write->before (whose edit
 * count must still be the stored one), replaces the outline when it
 * changed, and adds the change row and the audit row.
 */
gboolean
pqs_library_write (PqsLibrary  *self,
                   PqsWrite    *write,
                   GError     **error)
{
  PqsDocument *before = write->before;
  PqsDocument *content = write->content;
  g_autofree char *old_text = write->old_text != NULL ? g_strdup (write->old_text)
                                                     : pqs_document_render_canonical (before);
  g_autofree char *new_text = write->new_text != NULL ? g_strdup (write->new_text)
                              : content == before ? g_strdup (old_text)
                              : pqs_document_render_canonical (content);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, new_text, -1);
  g_autofree char *snapshot = pqs_document_dup_snapshot (content);
  g_autofree char *metadata = pqs_document_dup_metadata_json (content);
  g_autofree char *now = pqs_library_now_text (self);
  g_autofree char *summary = clean_summary (write->summary);
  g_autofree char *title = strip_or_null (pqs_document_get_title (content));
  g_autoptr(JsonBuilder) own_details = NULL;
  JsonBuilder *details;
  gboolean text_changed = g_strcmp0 (old_text, new_text) != 0;
  gboolean outline_changed = content != before &&
                             !pqs_outline_equal (pqs_document_get_outline (before),
                                                 pqs_document_get_outline (content));
  gint64 id = pqs_document_get_id (before);
  sqlite3_stmt *stmt;
  const char *sql;
  int rc;

  /* The two updates differ in whether they touch the text: an update that
   * names title or content re-indexes the document for search. */
  if (text_changed || content != before)
    sql = "UPDATE documents SET title = ?2, document_number = ?3, template_id = ?4, "
          "content = ?5, content_hash = ?6, metadata = ?7, status = ?8, version = ?9, "
          "edit_count = ?10 + 1, updated_by = ?11, updated_at = ?12, "
          "reviewed_by = CASE ?13 WHEN 0 THEN reviewed_by WHEN 1 THEN ?11 ELSE NULL END, "
          "reviewed_at = CASE ?13 WHEN 0 THEN reviewed_at WHEN 1 THEN ?12 ELSE NULL END, "
          "approved_by = CASE ?14 WHEN 0 THEN approved_by WHEN 1 THEN ?11 ELSE NULL END, "
          "approved_at = CASE ?14 WHEN 0 THEN approved_at WHEN 1 THEN ?12 ELSE NULL END "
          "WHERE id = ?1 AND edit_count = ?10";
  else
    sql = "UPDATE documents SET content_hash = ?6, status = ?8, version = ?9, "
          "edit_count = ?10 + 1, updated_by = ?11, updated_at = ?12, "
          "reviewed_by = CASE ?13 WHEN 0 THEN reviewed_by WHEN 1 THEN ?11 ELSE NULL END, "
          "reviewed_at = CASE ?13 WHEN 0 THEN reviewed_at WHEN 1 THEN ?12 ELSE NULL END, "
          "approved_by = CASE ?14 WHEN 0 THEN approved_by WHEN 1 THEN ?11 ELSE NULL END, "
          "approved_at = CASE ?14 WHEN 0 THEN approved_at WHEN 1 THEN ?12 ELSE NULL END "
          "WHERE id = ?1 AND edit_count = ?10";

  stmt = pqs_store_prepare (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_text_or_null (stmt, 2, title);
  sqlite3_bind_int (stmt, 3, (int) pqs_document_get_number (content));
  bind_id_or_null (stmt, 4, pqs_document_get_template_id (content));
  sqlite3_bind_text (stmt, 5, pqs_document_get_body (content), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, hash, -1, SQLITE_TRANSIENT);
  if (json_object_get_size (pqs_document_get_metadata (content)) > 0)
    sqlite3_bind_text (stmt, 7, metadata, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_text (stmt, 8, pqs_document_status_to_string (write->status), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, write->version);
  sqlite3_bind_int64 (stmt, 10, pqs_document_get_edit_count (before));
  bind_id_or_null (stmt, 11, write->actor_id);
  sqlite3_bind_text (stmt, 12, now, -1, SQLITE_TRANSIENT);
  /* The CASEs read PqsMark: 0 keep, 1 set, 2 clear. */
  sqlite3_bind_int (stmt, 13, write->review);
  sqlite3_bind_int (stmt, 14, write->approval);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (self, rc, error);
  if (sqlite3_changes (pqs_store_get_handle (self->store)) != 1)
    return fail (error, PQS_LIBRARY_ERROR_CONFLICT,
                 _("“%s” was changed by someone else in the meantime. Reload it and try "
                   "again."), pqs_document_get_title (before));

  if (outline_changed &&
      !write_items (self, id, before, pqs_document_get_outline (content), error))
    return FALSE;

  if (!insert_change (self, id, write->actor_id, write->change_type, old_text, new_text, summary,
                      write->version, now, write->action, write->status, snapshot,
                      &write->out_change_id, error))
    return FALSE;

  details = write->details;
  if (details == NULL)
    details = own_details = details_new ();
  add_int (details, "standard_id", pqs_document_get_standard_id (before));
  add_int (details, "number", pqs_document_get_number (content));
  add_string (details, "title", title);
  add_int (details, "version", write->version);
  add_string (details, "status", pqs_document_status_to_string (write->status));
  if (write->status != pqs_document_get_status (before))
    add_string (details, "from_status",
                pqs_document_status_to_string (pqs_document_get_status (before)));
  add_int (details, "change_id", write->out_change_id);
  add_string (details, "content_hash", hash);
  if (summary != NULL)
    add_string (details, "summary", summary);

  if (write->refresh_standard)
    {
      if (!pqs_library_refresh_standard (self, pqs_document_get_standard_id (before),
                                         write->actor_id, &write->out_frozen, error))
        return FALSE;
      if (write->out_frozen)
        {
          json_builder_set_member_name (details, "standard_frozen");
          json_builder_add_boolean_value (details, TRUE);
        }
    }

  return audit (self, write->actor_id, write->activity, "document", id, details, error);
}

/* Inserts a new draft (version 1) of @content, its outline, its "create"
 * change and its audit row. */
static gboolean
insert_document (PqsLibrary   *self,
                 gint64        actor_id,
                 gint64        standard_id,
                 PqsDocument  *content,
                 const char   *action,
                 const char   *activity,
                 JsonBuilder  *extra,
                 gint64       *out_id,
                 GError      **error)
{
  g_autofree char *title = strip_or_null (pqs_document_get_title (content));
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *metadata = pqs_document_dup_metadata_json (content);
  g_autofree char *now = pqs_library_now_text (self);
  g_autoptr(JsonBuilder) own_details = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonBuilder *details;
  Placement placement = { { 0, }, { 0, } };
  sqlite3_stmt *stmt;
  gint64 id, change_id = 0;
  guint number = pqs_document_get_number (content);

  pqs_document_set_title (content, title);
  text = pqs_document_render_canonical (content);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  snapshot = pqs_document_dup_snapshot (content);

  stmt = pqs_store_prepare (self->store,
                            "INSERT INTO documents (standard_id, title, section, document_number, "
                            "template_id, content, content_hash, metadata, status, version, "
                            "edit_count, created_by, updated_by, created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'draft', 1, 0, ?9, ?9, "
                            "?10, ?10)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int) pqs_series_of_number (number));
  sqlite3_bind_int (stmt, 4, (int) number);
  bind_id_or_null (stmt, 5, pqs_document_get_template_id (content));
  sqlite3_bind_text (stmt, 6, pqs_document_get_body (content), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, hash, -1, SQLITE_TRANSIENT);
  if (json_object_get_size (pqs_document_get_metadata (content)) > 0)
    sqlite3_bind_text (stmt, 8, metadata, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 8);
  sqlite3_bind_int64 (stmt, 9, actor_id);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (self->store, stmt, &local_error))
    {
      if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT))
        return fail (error, PQS_LIBRARY_ERROR_NUMBER_TAKEN,
                     _("The standard already has a section %u. Choose another number."),
                     number);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  id = sqlite3_last_insert_rowid (pqs_store_get_handle (self->store));

  if (!insert_items (self, id, pqs_document_get_outline (content), 0, &placement, error) ||
      !insert_change (self, id, actor_id, "create", NULL, text, NULL, 1, now, action,
                      PQS_DOCUMENT_DRAFT, snapshot, &change_id, error))
    return FALSE;

  details = extra;
  if (details == NULL)
    details = own_details = details_new ();
  add_int (details, "standard_id", standard_id);
  add_int (details, "number", number);
  add_string (details, "title", title);
  add_int (details, "version", 1);
  add_string (details, "status", "draft");
  if (pqs_document_get_template_id (content) > 0)
    add_int (details, "template_id", pqs_document_get_template_id (content));
  add_int (details, "change_id", change_id);
  add_string (details, "content_hash", hash);
  if (!audit (self, actor_id, activity, "document", id, details, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

/* Numbers ----------------------------------------------------------------------- */

static gboolean
series_range_error (guint    series,
                    guint    number,
                    GError **error)
{
  if (!pqs_series_is_valid (series))
    return fail (error, PQS_LIBRARY_ERROR_OUT_OF_RANGE,
                 _("A section belongs to the 100, 200 or 300 series."));
  return fail (error, PQS_LIBRARY_ERROR_OUT_OF_RANGE,
               _("Section %u is not in the %u series. Its numbers are %u to %u."),
               number, series, PQS_SERIES_FIRST (series), PQS_SERIES_LAST (series));
}

/* The next free number: after the highest one used, else the first gap. */
static gboolean
next_free_number (PqsLibrary  *self,
                  gint64       standard_id,
                  guint        series,
                  guint       *out_number,
                  GError     **error)
{
  gboolean used[100] = { FALSE, };
  guint highest = 0;
  sqlite3_stmt *stmt;
  int rc;

  if (!pqs_series_is_valid (series))
    return series_range_error (series, 0, error);

  stmt = pqs_store_prepare (self->store,
                            "SELECT document_number FROM documents "
                            "WHERE standard_id = ?1 AND section = ?2",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_int (stmt, 2, (int) series);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint number = (guint) sqlite3_column_int (stmt, 0);

      if (number > series && number - series < 100)
        {
          used[number - series] = TRUE;
          highest = MAX (highest, number - series);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (self, rc, error);

  if (highest < 99)
    {
      *out_number = series + highest + 1;
      return TRUE;
    }
  for (guint i = 1; i < 100; i++)
    if (!used[i])
      {
        *out_number = series + i;
        return TRUE;
      }

  return fail (error, PQS_LIBRARY_ERROR_NUMBER_TAKEN,
               _("All numbers of the %u series (%u to %u) are in use in this standard."),
               series, PQS_SERIES_FIRST (series), PQS_SERIES_LAST (series));
}

static gboolean
number_taken (PqsLibrary  *self,
              gint64       standard_id,
              guint        number,
              gint64       except_id,
              gboolean    *out_taken,
              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (self->store,
                            "SELECT EXISTS (SELECT 1 FROM documents WHERE standard_id = ?1 "
                            "AND section = ?2 AND document_number = ?3 AND id <> ?4)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_int (stmt, 2, (int) pqs_series_of_number (number));
  sqlite3_bind_int (stmt, 3, (int) number);
  sqlite3_bind_int64 (stmt, 4, except_id);
  rc = sqlite3_step (stmt);
  *out_taken = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);
  return TRUE;
}

/* Checks that @number may be used for a new (or renumbered) section of
 * @series in the standard. */
static gboolean
check_number (PqsLibrary  *self,
              gint64       standard_id,
              guint        series,
              guint        number,
              gint64       except_id,
              GError     **error)
{
  gboolean taken = FALSE;

  if (!pqs_series_is_valid (series) || pqs_series_of_number (number) != series)
    return series_range_error (series, number, error);

  if (!number_taken (self, standard_id, number, except_id, &taken, error))
    return FALSE;
  if (taken)
    {
      if (number == PQS_PRECAUTIONS_NUMBER)
        return fail (error, PQS_LIBRARY_ERROR_NUMBER_TAKEN,
                     _("Section 101 is “Precautions” in every standard. Choose another "
                       "number."));
      return fail (error, PQS_LIBRARY_ERROR_NUMBER_TAKEN,
                   _("The standard already has a section %u. Choose another number."), number);
    }

  return TRUE;
}

/**
 * pqs_library_next_free_number:
 * @self: a #PqsLibrary
 * @standard_id: the standard
 * @series: 100, 200 or 300
 * @out_number: (out): the number to propose for a new section
 * @error: return location for a #GError
 *
 * The number after the highest one used in the series, or the first gap
 * when the series is used up to its end.
 *
 * Returns: %FALSE with %PQS_LIBRARY_ERROR_NUMBER_TAKEN when every number
 *   is used, %PQS_LIBRARY_ERROR_OUT_OF_RANGE for a series that is not one
 */
gboolean
pqs_library_next_free_number (PqsLibrary  *self,
                              gint64       standard_id,
                              guint        series,
                              guint       *out_number,
                              GError     **error)
{
  g_autoptr(PqsStandard) standard = NULL;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (out_number != NULL, FALSE);

  standard = get_standard (self, "s.id = ?1", standard_id, NULL, error);
  if (standard == NULL)
    return FALSE;

  return next_free_number (self, standard_id, series, out_number, error);
}

/* Standards ---------------------------------------------------------------------- */

typedef struct
{
  char              *title;
  char              *owning_unit;
  PqsClassification  classification;
  char              *applicability;
  char              *revision;
  char              *uid;
} CleanFields;

static void
clean_fields_clear (CleanFields *fields)
{
  g_free (fields->title);
  g_free (fields->owning_unit);
  g_free (fields->applicability);
  g_free (fields->revision);
  g_free (fields->uid);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CleanFields, clean_fields_clear)

static gboolean
validate_uid (const char  *uid,
              GError     **error)
{
  gsize len = strlen (uid);

  if (len == 0 || len > 64)
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("A standard’s identifier is 1 to 64 characters long."));
  for (const char *p = uid; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return fail (error, PQS_LIBRARY_ERROR_INVALID,
                   _("A standard’s identifier holds only letters, digits, dots, hyphens and "
                     "underscores."));
  return TRUE;
}

static gboolean
clean_standard_fields (const PqsStandardFields  *in,
                       CleanFields              *out,
                       GError                  **error)
{
  out->title = strip_or_null (in->title);
  out->owning_unit = strip_or_null (in->owning_unit);
  out->applicability = strip_or_null (in->applicability);
  out->revision = strip_or_null (in->revision);
  out->uid = strip_or_null (in->uid);
  out->classification = in->classification;

  if (out->title == NULL)
    return fail (error, PQS_LIBRARY_ERROR_INVALID, _("Enter a title for the standard."));
  if (!check_text (out->title, PQS_STANDARD_TITLE_MAX, FALSE,
                   _("A standard’s title is at most 200 characters long."),
                   _("A title cannot hold line breaks or control characters."), error) ||
      !check_text (out->owning_unit, PQS_STANDARD_OWNING_UNIT_MAX, FALSE,
                   _("The owning unit is at most 200 characters long."),
                   _("The owning unit cannot hold line breaks or control characters."), error) ||
      !check_text (out->applicability, PQS_STANDARD_APPLICABILITY_MAX, TRUE,
                   _("The applicability note is at most 4,000 characters long."),
                   _("The applicability note holds control characters that are not allowed."),
                   error) ||
      !check_text (out->revision, PQS_STANDARD_REVISION_MAX, FALSE,
                   _("A revision is at most 32 characters long."),
                   _("A revision cannot hold line breaks or control characters."), error))
    return FALSE;
  if ((guint) out->classification >= PQS_N_CLASSIFICATIONS)
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("Choose a classification: unclassified, restricted, confidential or "
                   "secret."));
  if (out->uid != NULL && !validate_uid (out->uid, error))
    return FALSE;

  return TRUE;
}

typedef struct
{
  PqsLibrary              *self;
  PqsUser                 *actor;
  PqsUser                 *fresh;
  gint64                   id;
  const PqsStandardFields *fields;
  const char              *text;
  guint                    number;
  gint64                   template_id;
  guint                    series;
  PqsDocument             *document;
  GPtrArray               *documents;
  PqsImportMode            mode;
  PqsSaveFlags             flags;
  PqsCollaboratorRole      role;
  gint64                   result_id;
} Op;

static void
op_clear (Op *op)
{
  g_clear_object (&op->fresh);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Op, op_clear)

static gint64
op_actor_id (Op *op)
{
  return op->fresh != NULL ? pqs_user_get_id (op->fresh) : 0;
}

/* A new section document's content from a template (or blank). */
static PqsDocument *
content_from_template (PqsLibrary  *self,
                       gint64       template_id,
                       guint        series,
                       guint        number,
                       const char  *title,
                       GError     **error)
{
  g_autoptr(PqsDocument) content = pqs_document_new (number, title);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) outline = NULL;
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;
  g_autofree char *outline_json = NULL;
  sqlite3_stmt *stmt;
  gboolean active = FALSE;
  guint section = 0;
  int rc;

  if (template_id <= 0)
    {
      if (is_blank (title))
        {
          g_autofree char *fallback = g_strdup_printf (_("Section %u"), number);

          pqs_document_set_title (content, fallback);
        }
      return g_steal_pointer (&content);
    }

  stmt = pqs_store_prepare (self->store,
                            "SELECT name, section, template_content, outline, is_active "
                            "FROM templates WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, template_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      section = (guint) sqlite3_column_int (stmt, 1);
      body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      outline_json = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      active = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
            _("The template does not exist any more. Choose another one."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sql_failed (self, rc, error);
      return NULL;
    }
  if (!active)
    {
      fail (error, PQS_LIBRARY_ERROR_INVALID,
            _("The template “%s” is no longer in use. Choose another one."), name);
      return NULL;
    }
  if (section != series)
    {
      fail (error, PQS_LIBRARY_ERROR_INVALID,
            _("The template “%s” is for the %u series, not the %u series."), name, section,
            series);
      return NULL;
    }

  outline = outline_json != NULL && *outline_json != '\0'
            ? pqs_outline_from_json_string (outline_json, &local_error)
            : pqs_outline_new ();
  if (outline == NULL)
    {
      fail (error, PQS_LIBRARY_ERROR_INVALID,
            _("The template “%s” has an outline that cannot be read (%s). Ask a supervisor "
              "to fix it."), name, local_error->message);
      return NULL;
    }

  if (is_blank (title))
    pqs_document_set_title (content, name);
  pqs_document_set_template_id (content, template_id);
  pqs_document_set_body (content, body);
  pqs_document_take_outline (content, g_steal_pointer (&outline));

  return g_steal_pointer (&content);
}

/* The active system template of the 100 series, for 101 "Precautions". */
static gboolean
precautions_template (PqsLibrary  *self,
                      gint64      *out_id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_id = 0;
  stmt = pqs_store_prepare (self->store,
                            "SELECT id FROM templates WHERE section = 100 AND is_active = 1 "
                            "AND is_system = 1 ORDER BY id LIMIT 1",
                            error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_failed (self, rc, error);
  return TRUE;
}

static gboolean
insert_precautions (PqsLibrary  *self,
                    gint64       actor_id,
                    gint64       standard_id,
                    const char  *action,
                    const char  *activity,
                    GError     **error)
{
  g_autoptr(PqsDocument) content = NULL;
  gint64 template_id = 0;

  if (!precautions_template (self, &template_id, error))
    return FALSE;
  content = content_from_template (self, template_id, 100, PQS_PRECAUTIONS_NUMBER,
                                   _("Precautions"), error);
  if (content == NULL)
    return FALSE;

  return insert_document (self, actor_id, standard_id, content, action, activity, NULL, NULL,
                          error);
}

static gboolean
insert_standard (Op                 *op,
                 const CleanFields  *fields,
                 gboolean            fresh_uid,
                 const char         *activity,
                 GError            **error)
{
  PqsLibrary *self = op->self;
  g_autofree char *now = pqs_library_now_text (self);
  g_autofree char *uid = fields->uid != NULL && !fresh_uid ? g_strdup (fields->uid)
                                                           : g_uuid_string_random ();
  g_autoptr(JsonBuilder) details = details_new ();
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (self->store,
                            "INSERT INTO standards (uid, title, owning_unit, classification, "
                            "applicability, revision, status, created_by, updated_by, "
                            "created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7, ?7, ?8, ?8)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, fields->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, fields->owning_unit);
  sqlite3_bind_text (stmt, 4, pqs_classification_to_string (fields->classification), -1,
                     SQLITE_STATIC);
  bind_text_or_null (stmt, 5, fields->applicability);
  bind_text_or_null (stmt, 6, fields->revision);
  bind_id_or_null (stmt, 7, op_actor_id (op));
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (self->store, stmt, &local_error))
    {
      if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT))
        return fail (error, PQS_LIBRARY_ERROR_CONFLICT,
                     _("A standard with the identifier “%s” exists already."), uid);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  op->result_id = sqlite3_last_insert_rowid (pqs_store_get_handle (self->store));

  add_string (details, "title", fields->title);
  add_string (details, "uid", uid);
  add_string (details, "revision", fields->revision);
  add_string (details, "classification", pqs_classification_to_string (fields->classification));
  return audit (self, op_actor_id (op), activity, "standard", op->result_id, details, error);
}

static gboolean
create_standard_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  g_auto(CleanFields) fields = { 0, };

  if (!pqs_library_fresh_actor (op->self, op->actor, TRUE, &op->fresh, error) ||
      !check_role_action (op->fresh, PQS_ACTION_MANAGE_STANDARDS, error) ||
      !check_role_action (op->fresh, PQS_ACTION_CREATE_DOCUMENT, error) ||
      !clean_standard_fields (op->fields, &fields, error))
    return FALSE;

  /* A new standard always gets its own identity; imports pass theirs. */
  return insert_standard (op, &fields, TRUE, PQS_AUDIT_STANDARD_CREATE, error) &&
         insert_precautions (op->self, op_actor_id (op), op->result_id, "create",
                             PQS_AUDIT_DOCUMENT_CREATE, error);
}

/**
 * pqs_library_create_standard:
 * @self: a #PqsLibrary
 * @actor: who creates it (users and up)
 * @fields: title (required), owning unit, classification, applicability, revision
 * @error: return location for a #GError
 *
 * Creates a standard and its section 101 "Precautions", from the active
 * system template of the 100 series when there is one, else blank.
 *
 * Returns: (transfer full): the new standard
 */
PqsStandard *
pqs_library_create_standard (PqsLibrary               *self,
                             PqsUser                  *actor,
                             const PqsStandardFields  *fields,
                             GError                  **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .fields = fields };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!pqs_store_transaction (self->store, create_standard_cb, &op, error))
    return NULL;
  return get_standard (self, "s.id = ?1", op.result_id, NULL, error);
}

static void
add_field_change (JsonBuilder *changes,
                  const char  *field,
                  const char  *before,
                  const char  *after,
                  guint       *n_changes)
{
  if (g_strcmp0 (before, after) == 0)
    return;

  json_builder_set_member_name (changes, field);
  json_builder_begin_object (changes);
  add_string (changes, "from", before);
  add_string (changes, "to", after);
  json_builder_end_object (changes);
  (*n_changes)++;
}

static gboolean
update_standard_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_auto(CleanFields) fields = { 0, };
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  g_autofree char *now = pqs_library_now_text (self);
  sqlite3_stmt *stmt;
  guint n_changes = 0;

  if (!pqs_library_fresh_actor (self, op->actor, FALSE, &op->fresh, error) ||
      !check_role_action (op->fresh, PQS_ACTION_MANAGE_STANDARDS, error))
    return FALSE;
  standard = get_standard (self, "s.id = ?1", op->id, NULL, error);
  if (standard == NULL || !clean_standard_fields (op->fields, &fields, error) ||
      !pqs_library_check_unfrozen (self, op->id, error))
    return FALSE;

  json_builder_set_member_name (details, "changes");
  json_builder_begin_object (details);
  add_field_change (details, "title", pqs_standard_get_title (standard), fields.title,
                    &n_changes);
  add_field_change (details, "owning_unit", pqs_standard_get_owning_unit (standard),
                    fields.owning_unit, &n_changes);
  add_field_change (details, "classification",
                    pqs_classification_to_string (pqs_standard_get_classification (standard)),
                    pqs_classification_to_string (fields.classification), &n_changes);
  add_field_change (details, "applicability", pqs_standard_get_applicability (standard),
                    fields.applicability, &n_changes);
  add_field_change (details, "revision", pqs_standard_get_revision (standard), fields.revision,
                    &n_changes);
  json_builder_end_object (details);
  if (n_changes == 0)
    return TRUE;

  stmt = pqs_store_prepare (self->store,
                            "UPDATE standards SET title = ?2, owning_unit = ?3, "
                            "classification = ?4, applicability = ?5, revision = ?6, "
                            "updated_by = ?7, updated_at = ?8 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_text (stmt, 2, fields.title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, fields.owning_unit);
  sqlite3_bind_text (stmt, 4, pqs_classification_to_string (fields.classification), -1,
                     SQLITE_STATIC);
  bind_text_or_null (stmt, 5, fields.applicability);
  bind_text_or_null (stmt, 6, fields.revision);
  bind_id_or_null (stmt, 7, op_actor_id (op));
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  return audit (self, op_actor_id (op), PQS_AUDIT_STANDARD_UPDATE, "standard", op->id, details,
                error);
}

/**
 * pqs_library_update_standard:
 * @self: a #PqsLibrary
 * @actor: (nullable): users and up; %NULL for the operator
 * @id: the standard
 * @fields: every field's new value (@uid is not changed)
 * @error: return location for a #GError
 *
 * Refused with %PQS_LIBRARY_ERROR_FROZEN while the revision is frozen.
 *
 * Returns: %TRUE on success (also when nothing changed)
 */
gboolean
pqs_library_update_standard (PqsLibrary               *self,
                             PqsUser                  *actor,
                             gint64                    id,
                             const PqsStandardFields  *fields,
                             GError                  **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = id, .fields = fields };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  return pqs_store_transaction (self->store, update_standard_cb, &op, error);
}

static gboolean
delete_standard_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  sqlite3_stmt *stmt;

  if (!pqs_library_fresh_actor (self, op->actor, FALSE, &op->fresh, error) ||
      !check_role_action (op->fresh, PQS_ACTION_MANAGE_STANDARDS, error))
    return FALSE;
  if (op->fresh != NULL && pqs_user_get_role (op->fresh) < PQS_ROLE_SUPERVISOR)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("Only supervisors and administrators may delete a standard."));
      return FALSE;
    }

  standard = get_standard (self, "s.id = ?1", op->id, NULL, error);
  if (standard == NULL)
    return FALSE;
  if (pqs_standard_get_frozen (standard))
    return fail (error, PQS_LIBRARY_ERROR_FROZEN,
                 _("“%s” is approved and its revision is frozen, so it is not deleted. Start "
                   "a new revision first if it really must go."),
                 pqs_standard_get_title (standard));

  add_string (details, "title", pqs_standard_get_title (standard));
  add_string (details, "uid", pqs_standard_get_uid (standard));
  add_string (details, "revision", pqs_standard_get_revision (standard));
  {
    gint64 n = 0;

    stmt = pqs_store_prepare (self->store,
                              "SELECT count(*) FROM documents WHERE standard_id = ?1", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, op->id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      n = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    add_int (details, "documents", n);
  }

  /* Its documents, their outlines, changes, reviews and collaborations go
   * with it (ON DELETE CASCADE); the audit trail keeps the record. */
  stmt = pqs_store_prepare (self->store, "DELETE FROM standards WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  return audit (self, op_actor_id (op), PQS_AUDIT_STANDARD_DELETE, "standard", op->id, details,
                error);
}

/**
 * pqs_library_delete_standard:
 * @self: a #PqsLibrary
 * @actor: (nullable): a supervisor or administrator; %NULL for the operator
 * @id: the standard
 * @error: return location for a #GError
 *
 * Deletes a standard with all its section documents and their history.
 * A frozen (approved) standard is refused with %PQS_LIBRARY_ERROR_FROZEN.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_delete_standard (PqsLibrary  *self,
                             PqsUser     *actor,
                             gint64       id,
                             GError     **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = id };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);

  return pqs_store_transaction (self->store, delete_standard_cb, &op, error);
}

/* "Rev 3" → "Rev 4", "7" → "8", NULL → "2"; NULL when it ends in no number. */
static char *
next_revision (const char *revision)
{
  const char *end, *digits;
  guint64 value;

  if (revision == NULL || *revision == '\0')
    return g_strdup ("2");

  end = revision + strlen (revision);
  digits = end;
  while (digits > revision && g_ascii_isdigit (digits[-1]))
    digits--;
  if (digits == end || end - digits > 9)
    return NULL;

  value = g_ascii_strtoull (digits, NULL, 10);
  return g_strdup_printf ("%.*s%" G_GUINT64_FORMAT, (int) (digits - revision), revision,
                          value + 1);
}

static gboolean
start_revision_cb (PqsStore  *store,
                   gpointer   data,
                   GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  g_autofree char *now = pqs_library_now_text (self);
  g_autofree char *revision = strip_or_null (op->text);
  sqlite3_stmt *stmt;

  if (!pqs_library_fresh_actor (self, op->actor, FALSE, &op->fresh, error) ||
      !check_role_action (op->fresh, PQS_ACTION_MANAGE_STANDARDS, error))
    return FALSE;
  standard = get_standard (self, "s.id = ?1", op->id, NULL, error);
  if (standard == NULL)
    return FALSE;
  if (!pqs_standard_get_frozen (standard))
    return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                 _("“%s” is not frozen: its documents can be changed already."),
                 pqs_standard_get_title (standard));

  if (revision == NULL)
    {
      revision = next_revision (pqs_standard_get_revision (standard));
      if (revision == NULL)
        return fail (error, PQS_LIBRARY_ERROR_INVALID,
                     _("Enter the new revision: “%s” does not end in a number to count on "
                       "from."), pqs_standard_get_revision (standard));
    }
  if (!check_text (revision, PQS_STANDARD_REVISION_MAX, FALSE,
                   _("A revision is at most 32 characters long."),
                   _("A revision cannot hold line breaks or control characters."), error))
    return FALSE;
  if (g_strcmp0 (revision, pqs_standard_get_revision (standard)) == 0)
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("The new revision needs a name of its own, not “%s” again."), revision);

  stmt = pqs_store_prepare (self->store,
                            "UPDATE standards SET revision = ?2, frozen_at = NULL, "
                            "frozen_by = NULL, status = 'draft', updated_by = ?3, "
                            "updated_at = ?4 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_text (stmt, 2, revision, -1, SQLITE_TRANSIENT);
  bind_id_or_null (stmt, 3, op_actor_id (op));
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  add_string (details, "title", pqs_standard_get_title (standard));
  add_string (details, "from_revision", pqs_standard_get_revision (standard));
  add_string (details, "revision", revision);
  return audit (self, op_actor_id (op), PQS_AUDIT_STANDARD_REVISE, "standard", op->id, details,
                error);
}

/**
 * pqs_library_start_standard_revision:
 * @self: a #PqsLibrary
 * @actor: (nullable): users and up; %NULL for the operator
 * @id: a frozen standard
 * @revision: (nullable): the new revision's name; %NULL counts on from the
 *   current one ("Rev 3" → "Rev 4")
 * @error: return location for a #GError
 *
 * Unfreezes an approved standard under a new revision, so that its
 * documents can be revised again (each document's approved text stays in
 * its history). Refused with %PQS_LIBRARY_ERROR_INVALID_TRANSITION when
 * the standard is not frozen.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_start_standard_revision (PqsLibrary  *self,
                                     PqsUser     *actor,
                                     gint64       id,
                                     const char  *revision,
                                     GError     **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = id, .text = revision };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);

  return pqs_store_transaction (self->store, start_revision_cb, &op, error);
}

/* Section documents ----------------------------------------------------------- */

/**
 * pqs_library_list_documents:
 * @self: a #PqsLibrary
 * @actor: (nullable): only the documents this person may read; %NULL for all
 * @standard_id: the standard
 * @with_outlines: whether to load every outline too (exports do)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type PqsDocument): the section
 *   documents, by number
 */
GPtrArray *
pqs_library_list_documents (PqsLibrary  *self,
                            PqsUser     *actor,
                            gint64       standard_id,
                            gboolean     with_outlines,
                            GError     **error)
{
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PqsStandard) standard = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);

  standard = get_standard (self, "s.id = ?1", standard_id, NULL, error);
  if (standard == NULL)
    return NULL;

  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_DOCUMENT_COLUMNS ", "
                            "  (SELECT c.role FROM document_collaborators AS c "
                            "   WHERE c.document_id = d.id AND c.user_id = ?2 AND c.is_active = 1) "
                            "FROM documents AS d WHERE d.standard_id = ?1 "
                            "ORDER BY d.section, d.document_number",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_int64 (stmt, 2, actor != NULL ? pqs_user_get_id (actor) : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(PqsDocument) document = pqs_document_new_from_stmt (stmt);
      PqsDocumentAccess access = {
        pqs_document_get_created_by (document), pqs_document_get_status (document),
        PQS_COLLABORATOR_NONE
      };

      pqs_collaborator_role_from_string ((const char *) sqlite3_column_text (stmt, 20),
                                         &access.collaboration);
      if (actor == NULL || pqs_auth_allows (actor, PQS_ACTION_READ_DOCUMENT, &access))
        g_ptr_array_add (documents, g_steal_pointer (&document));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_failed (self, rc, error);
      return NULL;
    }

  if (with_outlines)
    for (guint i = 0; i < documents->len; i++)
      {
        PqsDocument *document = g_ptr_array_index (documents, i);
        GPtrArray *outline = load_outline (self, pqs_document_get_id (document), NULL, error);

        if (outline == NULL)
          return NULL;
        pqs_document_take_outline (document, outline);
      }

  return g_steal_pointer (&documents);
}

static PqsDocument *
load_readable (PqsLibrary   *self,
               PqsUser      *actor,
               PqsDocument  *document,
               GError      **error)
{
  g_autoptr(PqsDocument) owned = document;

  if (owned == NULL)
    return NULL;
  if (actor != NULL && !pqs_library_check_action (self, actor, PQS_ACTION_READ_DOCUMENT, owned,
                                                  error))
    return NULL;
  return g_steal_pointer (&owned);
}

/**
 * pqs_library_load_document:
 * @self: a #PqsLibrary
 * @actor: (nullable): who reads it (permission checked); %NULL for the operator
 * @id: the document
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the document with its outline
 */
PqsDocument *
pqs_library_load_document (PqsLibrary  *self,
                           PqsUser     *actor,
                           gint64       id,
                           GError     **error)
{
  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);

  return load_readable (self, actor, pqs_library_get_row (self, id, TRUE, error), error);
}

/**
 * pqs_library_find_document:
 * @self: a #PqsLibrary
 * @actor: (nullable): who reads it (permission checked); %NULL for the operator
 * @standard_id: the standard
 * @number: the section number
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the document with its outline, or %NULL with
 *   %PQS_LIBRARY_ERROR_NOT_FOUND
 */
PqsDocument *
pqs_library_find_document (PqsLibrary  *self,
                           PqsUser     *actor,
                           gint64       standard_id,
                           guint        number,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);

  stmt = pqs_store_prepare (self->store,
                            "SELECT id FROM documents WHERE standard_id = ?1 AND section = ?2 "
                            "AND document_number = ?3",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_int (stmt, 2, (int) pqs_series_of_number (number));
  sqlite3_bind_int (stmt, 3, (int) number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      fail (error, PQS_LIBRARY_ERROR_NOT_FOUND, _("The standard has no section %u."), number);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sql_failed (self, rc, error);
      return NULL;
    }

  return pqs_library_load_document (self, actor, id, error);
}

/**
 * pqs_library_reload_document:
 * @self: a #PqsLibrary
 * @document: a stored document
 * @error: return location for a #GError
 *
 * Refreshes @document in place from the database, outline included,
 * dropping unsaved edits (notifying what changed).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_reload_document (PqsLibrary   *self,
                             PqsDocument  *document,
                             GError      **error)
{
  g_autoptr(GPtrArray) outline = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (PQS_IS_DOCUMENT (document), FALSE);

  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_DOCUMENT_COLUMNS " FROM documents AS d WHERE d.id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_document_get_id (document));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    pqs_document_update_from_stmt (document, stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    return fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
                 _("The document does not exist any more. Someone may have deleted it."));
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);

  outline = load_outline (self, pqs_document_get_id (document), NULL, error);
  if (outline == NULL)
    return FALSE;
  if (!pqs_outline_equal (outline, pqs_document_get_outline (document)))
    pqs_document_take_outline (document, g_steal_pointer (&outline));

  return TRUE;
}

static gboolean
create_document_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(PqsDocument) content = NULL;
  guint number = op->number;

  if (!pqs_library_fresh_actor (self, op->actor, TRUE, &op->fresh, error) ||
      !check_role_action (op->fresh, PQS_ACTION_CREATE_DOCUMENT, error))
    return FALSE;
  standard = get_standard (self, "s.id = ?1", op->id, NULL, error);
  if (standard == NULL || !pqs_library_check_unfrozen (self, op->id, error))
    return FALSE;

  if (number == 0 && !next_free_number (self, op->id, op->series, &number, error))
    return FALSE;
  if (!check_number (self, op->id, op->series, number, 0, error))
    return FALSE;

  content = content_from_template (self, op->template_id, op->series, number, op->text, error);
  if (content == NULL || !pqs_library_validate_content (self, content, FALSE, error))
    return FALSE;

  return insert_document (self, op_actor_id (op), op->id, content, "create",
                          PQS_AUDIT_DOCUMENT_CREATE, NULL, &op->result_id, error);
}

/**
 * pqs_library_create_document:
 * @self: a #PqsLibrary
 * @actor: the author (users and up)
 * @standard_id: the standard
 * @series: 100, 200 or 300
 * @number: the section number, or 0 for the next free one of the series
 * @template_id: the template to start from (of the same series, active),
 *   or 0 for a blank document
 * @title: (nullable): the title; %NULL for the template's name
 * @error: return location for a #GError
 *
 * Numbers lie in their series (101–199, 201–299, 301–399:
 * %PQS_LIBRARY_ERROR_OUT_OF_RANGE) and are unique in the standard
 * (%PQS_LIBRARY_ERROR_NUMBER_TAKEN).
 *
 * Returns: (transfer full): the new draft with its outline
 */
PqsDocument *
pqs_library_create_document (PqsLibrary  *self,
                             PqsUser     *actor,
                             gint64       standard_id,
                             guint        series,
                             guint        number,
                             gint64       template_id,
                             const char  *title,
                             GError     **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = standard_id, .series = series,
                    .number = number, .template_id = template_id, .text = title };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);

  if (!pqs_store_transaction (self->store, create_document_cb, &op, error))
    return NULL;
  return pqs_library_get_row (self, op.result_id, TRUE, error);
}

/**
 * pqs_library_prepare_content_write: (skip)
 *
 * Prepares the write of new content over @before (save, restore, import):
 * a draft is edited in place; an approved document starts a new draft
 * revision (version + 1), whose approval is cleared.
 */
gboolean
pqs_library_prepare_content_write (PqsLibrary   *self,
                       PqsUser      *fresh,
                       PqsDocument  *before,
                       PqsWrite     *write,
                       GError      **error)
{
  switch (pqs_document_get_status (before))
    {
    case PQS_DOCUMENT_DRAFT:
      if (!pqs_library_check_action (self, fresh, PQS_ACTION_EDIT_DOCUMENT, before, error))
        return FALSE;
      write->status = PQS_DOCUMENT_DRAFT;
      write->version = pqs_document_get_version (before);
      return TRUE;

    case PQS_DOCUMENT_APPROVED:
      if (!pqs_library_check_action (self, fresh, PQS_ACTION_REVISE_DOCUMENT, before, error))
        return FALSE;
      write->status = PQS_DOCUMENT_DRAFT;
      write->version = pqs_document_get_version (before) + 1;
      write->review = PQS_MARK_CLEAR;
      write->approval = PQS_MARK_CLEAR;
      return TRUE;

    case PQS_DOCUMENT_IN_REVIEW:
      return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                   _("“%s” is in review and cannot be changed until a reviewer approves it or "
                     "asks for changes."), pqs_document_get_title (before));

    case PQS_DOCUMENT_ARCHIVED:
    default:
      return fail (error, PQS_LIBRARY_ERROR_INVALID_TRANSITION,
                   _("“%s” is archived and cannot be changed."),
                   pqs_document_get_title (before));
    }
}

static gboolean
save_document_cb (PqsStore  *store,
                  gpointer   data,
                  GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  PqsDocument *document = op->document;
  g_autoptr(PqsDocument) before = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  PqsWrite write = { 0, };

  if (!pqs_library_fresh_actor (self, op->actor, TRUE, &op->fresh, error))
    return FALSE;
  before = pqs_library_get_row (self, pqs_document_get_id (document), TRUE, error);
  if (before == NULL)
    return FALSE;

  if (pqs_document_get_edit_count (before) != pqs_document_get_edit_count (document) &&
      !(op->flags & PQS_SAVE_OVERWRITE))
    {
      g_autofree char *who = pqs_library_dup_user_name (self,
                                                        pqs_document_get_updated_by (before));
      GDateTime *when_utc = pqs_document_get_updated_at (before);
      g_autoptr(GDateTime) when = when_utc != NULL ? g_date_time_to_local (when_utc) : NULL;
      g_autofree char *time = when != NULL ? g_date_time_format (when, "%H:%M") : g_strdup ("");

      return fail (error, PQS_LIBRARY_ERROR_CONFLICT,
                   /* Translators: "“Title” was changed by Lt Jane Doe at 14:05 since you …" */
                   _("“%s” was changed by %s at %s since you opened it. Reload it to see "
                     "their changes, or save yours over them (theirs stay in the history)."),
                   pqs_document_get_title (before), who, time);
    }

  if (!pqs_library_check_unfrozen (self, pqs_document_get_standard_id (before), error) ||
      !pqs_library_prepare_content_write (self, op->fresh, before, &write, error))
    return FALSE;

  /* The number is changed by renumbering, and the template stays. */
  if (pqs_document_get_number (document) != pqs_document_get_number (before))
    pqs_document_set_number (document, pqs_document_get_number (before));
  if (pqs_document_get_template_id (document) != pqs_document_get_template_id (before))
    pqs_document_set_template_id (document, pqs_document_get_template_id (before));
  if (!pqs_library_validate_content (self, document, FALSE, error))
    return FALSE;

  old_text = pqs_document_render_canonical (before);
  new_text = pqs_document_render_canonical (document);
  if (g_str_equal (old_text, new_text))
    {
      op->result_id = 0;   /* nothing to save */
      return TRUE;
    }

  write.before = before;
  write.content = document;
  write.actor_id = op_actor_id (op);
  write.change_type = "update";
  if (write.version != pqs_document_get_version (before))
    {
      write.action = "revise";
      write.activity = PQS_AUDIT_DOCUMENT_REVISE;
    }
  else
    {
      write.action = "save";
      write.activity = PQS_AUDIT_DOCUMENT_UPDATE;
    }
  write.summary = op->text;
  write.old_text = old_text;
  write.new_text = new_text;
  if (!pqs_library_write (self, &write, error))
    return FALSE;

  op->result_id = write.out_change_id;
  return TRUE;
}

/**
 * pqs_library_save_document:
 * @self: a #PqsLibrary
 * @actor: who saves: the author, an owner or editor collaborator, a supervisor
 * @document: a stored document, with the edits to save (title, metadata,
 *   body, outline), at the edit count it was loaded at
 * @summary: (nullable): a short note for the history
 * @flags: %PQS_SAVE_OVERWRITE to save over a newer version after a conflict
 * @error: return location for a #GError
 *
 * Writes the document, its outline, a `document_changes` row with the
 * canonical text before and after, and an audit row, in one transaction.
 * A draft is saved in place; saving an approved document starts its next
 * draft revision (version + 1), the approved text staying in the history.
 * A document in review or archived is refused with
 * %PQS_LIBRARY_ERROR_INVALID_TRANSITION.
 *
 * When someone else saved since @document was loaded (its edit count
 * moved), fails with %PQS_LIBRARY_ERROR_CONFLICT and writes nothing.
 * Field values are checked against the template's field list; an unchanged
 * document writes nothing. On success @document is refreshed (edit count,
 * content hash, version, times).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_save_document (PqsLibrary    *self,
                           PqsUser       *actor,
                           PqsDocument   *document,
                           const char    *summary,
                           PqsSaveFlags   flags,
                           GError       **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .document = document, .text = summary,
                    .flags = flags };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);
  g_return_val_if_fail (PQS_IS_DOCUMENT (document), FALSE);

  if (pqs_document_get_id (document) <= 0)
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("This document is not stored yet: create or import it first."));

  if (!pqs_store_transaction (self->store, save_document_cb, &op, error))
    return FALSE;

  /* The row's new facts; the content is what was just saved. */
  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_DOCUMENT_COLUMNS " FROM documents AS d WHERE d.id = ?1",
                            NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, pqs_document_get_id (document));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        pqs_document_update_from_stmt (document, stmt);
      sqlite3_reset (stmt);
    }

  return TRUE;
}

static gboolean
renumber_cb (PqsStore  *store,
             gpointer   data,
             GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_autoptr(PqsDocument) before = NULL;
  g_autoptr(PqsDocument) content = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  PqsWrite write = { 0, };
  guint from;

  if (!pqs_library_fresh_actor (self, op->actor, TRUE, &op->fresh, error))
    return FALSE;
  before = pqs_library_get_row (self, op->id, TRUE, error);
  if (before == NULL)
    return FALSE;
  from = pqs_document_get_number (before);
  if (from == op->number)
    return TRUE;
  if (from == PQS_PRECAUTIONS_NUMBER)
    return fail (error, PQS_LIBRARY_ERROR_PROTECTED,
                 _("Section 101 “Precautions” is part of every standard and keeps its "
                   "number."));
  if (!pqs_library_check_unfrozen (self, pqs_document_get_standard_id (before), error) ||
      !pqs_library_check_action (self, op->fresh, PQS_ACTION_EDIT_DOCUMENT, before, error))
    return FALSE;
  if (pqs_series_of_number (op->number) != pqs_document_get_section (before))
    return fail (error, PQS_LIBRARY_ERROR_OUT_OF_RANGE,
                 _("Section %u stays in the %u series: choose a number from %u to %u."),
                 from, pqs_document_get_section (before),
                 PQS_SERIES_FIRST (pqs_document_get_section (before)),
                 PQS_SERIES_LAST (pqs_document_get_section (before)));
  if (!check_number (self, pqs_document_get_standard_id (before),
                     pqs_document_get_section (before), op->number, op->id, error))
    return FALSE;

  content = pqs_document_copy (before);
  pqs_document_set_number (content, op->number);

  add_int (details, "from_number", from);
  write.before = before;
  write.content = content;
  write.actor_id = op_actor_id (op);
  write.status = pqs_document_get_status (before);
  write.version = pqs_document_get_version (before);
  write.change_type = "update";
  write.action = "renumber";
  write.activity = PQS_AUDIT_DOCUMENT_RENUMBER;
  write.details = details;
  return pqs_library_write (self, &write, error);
}

/**
 * pqs_library_renumber_document:
 * @self: a #PqsLibrary
 * @actor: who may edit the draft
 * @id: the document (a draft)
 * @number: its new number, in the same series and free in the standard
 * @error: return location for a #GError
 *
 * Section 101 keeps its number (%PQS_LIBRARY_ERROR_PROTECTED).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_renumber_document (PqsLibrary  *self,
                               PqsUser     *actor,
                               gint64       id,
                               guint        number,
                               GError     **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = id, .number = number };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);

  return pqs_store_transaction (self->store, renumber_cb, &op, error);
}

static gboolean
delete_document_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_autoptr(PqsDocument) before = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  sqlite3_stmt *stmt;
  gboolean frozen = FALSE;

  if (!pqs_library_fresh_actor (self, op->actor, FALSE, &op->fresh, error))
    return FALSE;
  before = pqs_library_get_row (self, op->id, FALSE, error);
  if (before == NULL)
    return FALSE;
  if (pqs_document_get_number (before) == PQS_PRECAUTIONS_NUMBER)
    return fail (error, PQS_LIBRARY_ERROR_PROTECTED,
                 _("Section 101 “Precautions” is part of every standard and cannot be "
                   "deleted."));
  if (!pqs_library_check_unfrozen (self, pqs_document_get_standard_id (before), error))
    return FALSE;

  /* Supervisors delete any section; its author (or owner) only a first
   * draft that was never approved. */
  if (op->fresh != NULL && pqs_user_get_role (op->fresh) < PQS_ROLE_SUPERVISOR)
    {
      if (!pqs_library_check_action (self, op->fresh, PQS_ACTION_SUBMIT_DOCUMENT, before, error))
        return FALSE;
      if (pqs_document_get_version (before) > 1)
        {
          g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                               _("This document was approved before. Only a supervisor may "
                                 "delete it."));
          return FALSE;
        }
    }

  stmt = pqs_store_prepare (self->store, "DELETE FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  add_int (details, "standard_id", pqs_document_get_standard_id (before));
  add_int (details, "number", pqs_document_get_number (before));
  add_string (details, "title", pqs_document_get_title (before));
  add_int (details, "version", pqs_document_get_version (before));
  add_string (details, "status", pqs_document_status_to_string (pqs_document_get_status (before)));
  add_string (details, "content_hash", pqs_document_get_content_hash (before));
  if (!pqs_library_refresh_standard (self, pqs_document_get_standard_id (before),
                                     op_actor_id (op), &frozen, error))
    return FALSE;
  if (frozen)
    {
      json_builder_set_member_name (details, "standard_frozen");
      json_builder_add_boolean_value (details, TRUE);
    }

  return audit (self, op_actor_id (op), PQS_AUDIT_DOCUMENT_DELETE, "document", op->id, details,
                error);
}

/**
 * pqs_library_delete_document:
 * @self: a #PqsLibrary
 * @actor: (nullable): a supervisor, or the author of a first draft; %NULL
 *   for the operator
 * @id: the document
 * @error: return location for a #GError
 *
 * Deletes a section document with its history (the audit trail keeps the
 * record). Section 101 cannot go (%PQS_LIBRARY_ERROR_PROTECTED).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_delete_document (PqsLibrary  *self,
                             PqsUser     *actor,
                             gint64       id,
                             GError     **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = id };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);

  return pqs_store_transaction (self->store, delete_document_cb, &op, error);
}

/* Access and collaborators ------------------------------------------------------ */

/**
 * pqs_library_get_access:
 * @self: a #PqsLibrary
 * @actor: (nullable): the person
 * @document_id: the document
 * @out_access: (out): its author, status and @actor's collaboration on it
 * @error: return location for a #GError
 *
 * The facts to ask pqs_auth_allows() which actions to offer.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_library_get_access (PqsLibrary         *self,
                        PqsUser            *actor,
                        gint64              document_id,
                        PqsDocumentAccess  *out_access,
                        GError            **error)
{
  g_autoptr(PqsDocument) document = NULL;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (out_access != NULL, FALSE);

  document = pqs_library_get_row (self, document_id, FALSE, error);
  if (document == NULL)
    return FALSE;
  return pqs_library_access_for (self, actor, document, out_access, error);
}

/**
 * pqs_library_can:
 * @self: a #PqsLibrary
 * @actor: (nullable): the person; %NULL (the operator) may do anything
 * @action: a document action
 * @document_id: the document
 *
 * Returns: %TRUE when @actor may do @action on the document now (which
 *   buttons to offer; the methods check again)
 */
gboolean
pqs_library_can (PqsLibrary *self,
                 PqsUser    *actor,
                 PqsAction   action,
                 gint64      document_id)
{
  PqsDocumentAccess access;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);

  if (!pqs_library_get_access (self, actor, document_id, &access, NULL))
    return FALSE;
  return pqs_auth_allows (actor, action, &access);
}

/**
 * pqs_library_list_collaborators:
 * @self: a #PqsLibrary
 * @document_id: the document
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type PqsCollaborator): the active
 *   collaborations, owners first, then by name
 */
GPtrArray *
pqs_library_list_collaborators (PqsLibrary  *self,
                                gint64       document_id,
                                GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              pqs_collaborator_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);

  stmt = pqs_store_prepare (self->store,
                            "SELECT c.role, c.invited_by, c.invited_at, u.id, u.username, "
                            "u.full_name, u.rank "
                            "FROM document_collaborators AS c JOIN users AS u ON u.id = c.user_id "
                            "WHERE c.document_id = ?1 AND c.is_active = 1 "
                            "ORDER BY CASE c.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 "
                            "ELSE 2 END, u.full_name COLLATE NOCASE, u.id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PqsCollaborator *collaborator = g_new0 (PqsCollaborator, 1);
      const char *full_name = (const char *) sqlite3_column_text (stmt, 5);
      const char *rank = (const char *) sqlite3_column_text (stmt, 6);

      pqs_collaborator_role_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                         &collaborator->role);
      collaborator->invited_by = sqlite3_column_int64 (stmt, 1);
      collaborator->invited_at = pqs_store_parse_time ((const char *) sqlite3_column_text (stmt,
                                                                                           2));
      collaborator->user_id = sqlite3_column_int64 (stmt, 3);
      collaborator->username = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      /* As pqs_user_dup_display_name() puts it. */
      if (rank != NULL && *rank != '\0')
        collaborator->display_name = g_strdup_printf ("%s %s", rank,
                                                      full_name != NULL ? full_name : "");
      else
        collaborator->display_name = g_strdup (full_name != NULL ? full_name
                                                                 : collaborator->username);
      g_ptr_array_add (list, collaborator);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_failed (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

static gboolean
set_collaborator_cb (PqsStore  *store,
                     gpointer   data,
                     GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  g_autofree char *username = NULL;
  g_autofree char *now = pqs_library_now_text (self);
  PqsCollaboratorRole current = PQS_COLLABORATOR_NONE;
  PqsRole target_role = PQS_ROLE_VISITOR;
  gboolean target_active = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  if (!pqs_library_fresh_actor (self, op->actor, FALSE, &op->fresh, error))
    return FALSE;
  document = pqs_library_get_row (self, op->id, FALSE, error);
  if (document == NULL ||
      !pqs_library_check_action (self, op->fresh, PQS_ACTION_MANAGE_COLLABORATORS, document,
                                 error))
    return FALSE;

  stmt = pqs_store_prepare (self->store, "SELECT username, role, is_active FROM users "
                                         "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->result_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      username = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      pqs_role_from_string ((const char *) sqlite3_column_text (stmt, 1), &target_role);
      target_active = sqlite3_column_int (stmt, 2) != 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return fail (error, PQS_LIBRARY_ERROR_NOT_FOUND, _("There is no such account."));
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);

  if (op->result_id == pqs_document_get_created_by (document))
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("“%s” wrote this document and may do everything a collaborator could "
                   "already."), username);
  if (op->role != PQS_COLLABORATOR_NONE && !target_active)
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("The account “%s” is deactivated."), username);
  if (op->role > PQS_COLLABORATOR_VIEWER && target_role < PQS_ROLE_USER)
    return fail (error, PQS_LIBRARY_ERROR_INVALID,
                 _("“%s” is a visitor and can only be a viewer."), username);

  if (!collaboration_of (self, op->id, op->result_id, &current, error))
    return FALSE;
  if (current == op->role)
    return TRUE;

  if (op->role == PQS_COLLABORATOR_NONE)
    stmt = pqs_store_prepare (self->store,
                              "DELETE FROM document_collaborators "
                              "WHERE document_id = ?1 AND user_id = ?2",
                              error);
  else
    stmt = pqs_store_prepare (self->store,
                              "INSERT INTO document_collaborators (document_id, user_id, role, "
                              "invited_by, invited_at, is_active) VALUES (?1, ?2, ?3, ?4, ?5, 1) "
                              "ON CONFLICT (document_id, user_id) DO UPDATE SET "
                              "role = excluded.role, invited_by = excluded.invited_by, "
                              "invited_at = excluded.invited_at, is_active = 1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_int64 (stmt, 2, op->result_id);
  if (op->role != PQS_COLLABORATOR_NONE)
    {
      sqlite3_bind_text (stmt, 3, pqs_collaborator_role_to_string (op->role), -1, SQLITE_STATIC);
      bind_id_or_null (stmt, 4, op_actor_id (op));
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
    }
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  add_int (details, "user_id", op->result_id);
  add_string (details, "username", username);
  add_string (details, "role", pqs_collaborator_role_to_string (op->role));
  add_string (details, "from_role", pqs_collaborator_role_to_string (current));
  add_int (details, "standard_id", pqs_document_get_standard_id (document));
  add_int (details, "number", pqs_document_get_number (document));
  return audit (self, op_actor_id (op), PQS_AUDIT_DOCUMENT_COLLABORATOR, "document", op->id,
                details, error);
}

/**
 * pqs_library_set_collaborator:
 * @self: a #PqsLibrary
 * @actor: (nullable): the author, an owner collaborator or a supervisor;
 *   %NULL for the operator
 * @document_id: the document
 * @user_id: the person to work on it
 * @role: owner, editor or viewer; %PQS_COLLABORATOR_NONE ends the collaboration
 * @error: return location for a #GError
 *
 * Visitors can only be viewers, and deactivated accounts are not added.
 *
 * Returns: %TRUE on success (also when nothing changed)
 */
gboolean
pqs_library_set_collaborator (PqsLibrary           *self,
                              PqsUser              *actor,
                              gint64                document_id,
                              gint64                user_id,
                              PqsCollaboratorRole   role,
                              GError              **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = document_id, .result_id = user_id,
                    .role = role };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (role <= PQS_COLLABORATOR_OWNER, FALSE);

  return pqs_store_transaction (self->store, set_collaborator_cb, &op, error);
}

/* Imports --------------------------------------------------------------------- */

static gboolean
template_exists (PqsLibrary  *self,
                 gint64       template_id,
                 gboolean    *out_exists,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (self->store, "SELECT EXISTS (SELECT 1 FROM templates WHERE id = ?1)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, template_id);
  rc = sqlite3_step (stmt);
  *out_exists = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return sql_failed (self, rc, error);
  return TRUE;
}

/* Checks imported content before anything is written. A template this
 * workstation does not have is dropped: the document keeps its text. */
static gboolean
check_import_content (PqsLibrary   *self,
                      PqsDocument  *content,
                      GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean exists = TRUE;
  guint number = pqs_document_get_number (content);

  if (pqs_document_get_template_id (content) > 0)
    {
      if (!template_exists (self, pqs_document_get_template_id (content), &exists, error))
        return FALSE;
      if (!exists)
        pqs_document_set_template_id (content, 0);
    }

  if (!pqs_library_check_document (self, content, FALSE, &local_error))
    {
      if (local_error->domain == PQS_LIBRARY_ERROR &&
          local_error->code != PQS_LIBRARY_ERROR_OUT_OF_RANGE)
        return fail (error, local_error->code,
                     /* Translators: "Section 201: Item 3 (a question): it has no text." */
                     _("Section %u: %s"), number, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
find_number (PqsLibrary  *self,
             gint64       standard_id,
             guint        number,
             gint64      *out_id,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out_id = 0;
  stmt = pqs_store_prepare (self->store,
                            "SELECT id FROM documents WHERE standard_id = ?1 AND section = ?2 "
                            "AND document_number = ?3",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_int (stmt, 2, (int) pqs_series_of_number (number));
  sqlite3_bind_int (stmt, 3, (int) number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sql_failed (self, rc, error);
  return TRUE;
}

/* Writes one checked document into a standard that is not frozen. */
static gboolean
import_one (Op            *op,
            gint64         standard_id,
            PqsDocument   *content,
            PqsImportMode  mode,
            gint64        *out_id,
            GError       **error)
{
  PqsLibrary *self = op->self;
  g_autoptr(PqsDocument) before = NULL;
  g_autoptr(JsonBuilder) details = details_new ();
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  guint number = pqs_document_get_number (content);
  PqsWrite write = { 0, };
  gint64 existing = 0;

  add_string (details, "mode", mode == PQS_IMPORT_OVERWRITE ? "overwrite"
                               : mode == PQS_IMPORT_NEW ? "new" : "fail");

  if (!find_number (self, standard_id, number, &existing, error))
    return FALSE;

  if (existing != 0 && mode == PQS_IMPORT_NEW)
    {
      if (!next_free_number (self, standard_id, pqs_series_of_number (number), &number, error))
        return FALSE;
      add_int (details, "requested_number", pqs_document_get_number (content));
      pqs_document_set_number (content, number);
      existing = 0;
    }

  if (existing == 0)
    return check_role_action (op->fresh, PQS_ACTION_CREATE_DOCUMENT, error) &&
           insert_document (self, op_actor_id (op), standard_id, content, "import",
                            PQS_AUDIT_DOCUMENT_IMPORT, details,
                            out_id, error);

  if (mode == PQS_IMPORT_FAIL)
    return fail (error, PQS_LIBRARY_ERROR_NUMBER_TAKEN,
                 _("The standard already has a section %u. Choose to overwrite it or to "
                   "import it under the next free number."), number);

  before = pqs_library_get_row (self, existing, TRUE, error);
  if (before == NULL || !pqs_library_prepare_content_write (self, op->fresh, before, &write, error))
    return FALSE;

  *out_id = existing;
  pqs_document_set_template_id (content, pqs_document_get_template_id (content) > 0
                                         ? pqs_document_get_template_id (content)
                                         : pqs_document_get_template_id (before));
  old_text = pqs_document_render_canonical (before);
  new_text = pqs_document_render_canonical (content);
  if (g_str_equal (old_text, new_text))
    return TRUE;   /* the same text: nothing to import */

  write.before = before;
  write.content = content;
  write.actor_id = op_actor_id (op);
  write.change_type = "update";
  write.action = "import";
  write.activity = PQS_AUDIT_DOCUMENT_IMPORT;
  write.details = details;
  write.old_text = old_text;
  write.new_text = new_text;
  return pqs_library_write (self, &write, error);
}

static gboolean
import_document_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  g_autoptr(PqsStandard) standard = NULL;

  if (!pqs_library_fresh_actor (op->self, op->actor, TRUE, &op->fresh, error))
    return FALSE;
  standard = get_standard (op->self, "s.id = ?1", op->id, NULL, error);
  if (standard == NULL || !pqs_library_check_unfrozen (op->self, op->id, error) ||
      !check_import_content (op->self, op->document, error))
    return FALSE;

  return import_one (op, op->id, op->document, op->mode, &op->result_id, error);
}

/**
 * pqs_library_import_document:
 * @self: a #PqsLibrary
 * @actor: who imports (the author of new documents)
 * @standard_id: the standard to import into (not frozen)
 * @content: the document (pqs_document_new(): number, title, metadata,
 *   body, outline, template id if this workstation has the template);
 *   its number may change with %PQS_IMPORT_NEW
 * @mode: what to do when the number is taken
 * @error: return location for a #GError
 *
 * With %PQS_IMPORT_OVERWRITE an existing draft gets the content as a new
 * change, and an approved one starts its next draft revision with it; a
 * document in review or archived is refused
 * (%PQS_LIBRARY_ERROR_INVALID_TRANSITION). Identical content writes nothing.
 *
 * Returns: (transfer full): the document as stored
 */
PqsDocument *
pqs_library_import_document (PqsLibrary     *self,
                             PqsUser        *actor,
                             gint64          standard_id,
                             PqsDocument    *content,
                             PqsImportMode   mode,
                             GError        **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .id = standard_id, .document = content,
                    .mode = mode };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (PQS_IS_DOCUMENT (content), NULL);

  if (!pqs_store_transaction (self->store, import_document_cb, &op, error))
    return NULL;
  return pqs_library_get_row (self, op.result_id, TRUE, error);
}

static gboolean
overwrite_standard (Op                 *op,
                    PqsStandard        *standard,
                    const CleanFields  *fields,
                    guint               n_documents,
                    GError            **error)
{
  PqsLibrary *self = op->self;
  g_autoptr(JsonBuilder) details = details_new ();
  g_autofree char *now = pqs_library_now_text (self);
  sqlite3_stmt *stmt;

  /* Importing over a frozen standard starts its new revision. */
  stmt = pqs_store_prepare (self->store,
                            "UPDATE standards SET title = ?2, owning_unit = ?3, "
                            "classification = ?4, applicability = ?5, revision = ?6, "
                            "frozen_at = NULL, frozen_by = NULL, status = 'draft', "
                            "updated_by = ?7, updated_at = ?8 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_standard_get_id (standard));
  sqlite3_bind_text (stmt, 2, fields->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, fields->owning_unit);
  sqlite3_bind_text (stmt, 4, pqs_classification_to_string (fields->classification), -1,
                     SQLITE_STATIC);
  bind_text_or_null (stmt, 5, fields->applicability);
  bind_text_or_null (stmt, 6, fields->revision);
  bind_id_or_null (stmt, 7, op_actor_id (op));
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (self->store, stmt, error))
    return FALSE;

  op->result_id = pqs_standard_get_id (standard);
  add_string (details, "mode", "overwrite");
  add_string (details, "title", fields->title);
  add_string (details, "uid", pqs_standard_get_uid (standard));
  add_string (details, "revision", fields->revision);
  add_string (details, "from_revision", pqs_standard_get_revision (standard));
  if (pqs_standard_get_frozen (standard))
    {
      json_builder_set_member_name (details, "unfrozen");
      json_builder_add_boolean_value (details, TRUE);
    }
  add_int (details, "documents", n_documents);
  return audit (self, op_actor_id (op), PQS_AUDIT_STANDARD_IMPORT, "standard", op->result_id,
                details, error);
}

static gboolean
import_standard_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Op *op = data;
  PqsLibrary *self = op->self;
  g_auto(CleanFields) fields = { 0, };
  g_autoptr(PqsStandard) existing = NULL;
  g_autoptr(GHashTable) numbers = g_hash_table_new (NULL, NULL);
  gboolean has_precautions = FALSE;
  PqsImportMode document_mode = PQS_IMPORT_FAIL;

  if (!pqs_library_fresh_actor (self, op->actor, TRUE, &op->fresh, error) ||
      !check_role_action (op->fresh, PQS_ACTION_MANAGE_STANDARDS, error) ||
      !check_role_action (op->fresh, PQS_ACTION_CREATE_DOCUMENT, error) ||
      !clean_standard_fields (op->fields, &fields, error))
    return FALSE;

  /* Everything is checked before anything is written. */
  for (guint i = 0; i < op->documents->len; i++)
    {
      PqsDocument *content = g_ptr_array_index (op->documents, i);
      guint number = pqs_document_get_number (content);

      if (!check_import_content (self, content, error))
        return FALSE;
      if (g_hash_table_contains (numbers, GUINT_TO_POINTER (number)))
        return fail (error, PQS_LIBRARY_ERROR_NUMBER_TAKEN,
                     _("Section %u comes twice in the standard being imported."), number);
      g_hash_table_add (numbers, GUINT_TO_POINTER (number));
      has_precautions |= number == PQS_PRECAUTIONS_NUMBER;
    }

  if (fields.uid != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      existing = get_standard (self, "s.uid = ?1", 0, fields.uid, &local_error);
      if (existing == NULL &&
          !g_error_matches (local_error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (existing != NULL && op->mode == PQS_IMPORT_FAIL)
    return fail (error, PQS_LIBRARY_ERROR_CONFLICT,
                 _("This workstation already holds “%s” (the same standard). Choose to "
                   "overwrite it or to import it as a new standard."),
                 pqs_standard_get_title (existing));

  if (existing != NULL && op->mode == PQS_IMPORT_OVERWRITE)
    {
      if (!overwrite_standard (op, existing, &fields, op->documents->len, error))
        return FALSE;
      document_mode = PQS_IMPORT_OVERWRITE;
    }
  else
    {
      /* A new standard: with the package's identity unless it is taken. */
      if (!insert_standard (op, &fields, existing != NULL, PQS_AUDIT_STANDARD_IMPORT, error))
        return FALSE;
      if (!has_precautions &&
          !insert_precautions (self, op_actor_id (op), op->result_id, "import",
                               PQS_AUDIT_DOCUMENT_IMPORT, error))
        return FALSE;
    }

  for (guint i = 0; i < op->documents->len; i++)
    {
      gint64 id = 0;

      if (!import_one (op, op->result_id, g_ptr_array_index (op->documents, i), document_mode,
                       &id, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * pqs_library_import_standard:
 * @self: a #PqsLibrary
 * @actor: who imports (users and up): the author of the new documents
 * @fields: the standard's fields; @uid is its identity from the package
 *   (%NULL: a new one)
 * @documents: (element-type PqsDocument): its section documents (content
 *   from pqs_document_new()), numbers unique; without a 101, a blank or
 *   templated "Precautions" is added as for a new standard
 * @mode: what to do when this workstation holds the same standard (uid):
 *   refuse (%PQS_LIBRARY_ERROR_CONFLICT), overwrite it (its fields, and
 *   each document as pqs_library_import_document() with
 *   %PQS_IMPORT_OVERWRITE; a frozen standard starts its new revision; its
 *   sections not in the package stay), or import a new standard with a new uid
 * @error: return location for a #GError
 *
 * Checks every document first ("Section 201: …" names the one at fault),
 * then writes everything in one transaction: on any error nothing is
 * written.
 *
 * Returns: (transfer full): the standard as stored
 */
PqsStandard *
pqs_library_import_standard (PqsLibrary               *self,
                             PqsUser                  *actor,
                             const PqsStandardFields  *fields,
                             GPtrArray                *documents,
                             PqsImportMode             mode,
                             GError                  **error)
{
  g_auto(Op) op = { .self = self, .actor = actor, .fields = fields, .documents = documents,
                    .mode = mode };

  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (documents != NULL, NULL);

  if (!pqs_store_transaction (self->store, import_standard_cb, &op, error))
    return NULL;
  return get_standard (self, "s.id = ?1", op.result_id, NULL, error);
}

/* GObject ----------------------------------------------------------------------- */

static void
pqs_library_dispose (GObject *object)
{
  PqsLibrary *self = PQS_LIBRARY (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_library_parent_class)->dispose (object);
}

static void
pqs_library_finalize (GObject *object)
{
  PqsLibrary *self = PQS_LIBRARY (object);

  g_clear_pointer (&self->field_lists, g_hash_table_unref);

  G_OBJECT_CLASS (pqs_library_parent_class)->finalize (object);
}

static void
pqs_library_class_init (PqsLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pqs_library_dispose;
  object_class->finalize = pqs_library_finalize;
}

static void
pqs_library_init (PqsLibrary *self)
{
  self->field_lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) field_list_free);
}

PqsLibrary *
pqs_library_new (PqsStore *store)
{
  PqsLibrary *self;

  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  self = g_object_new (PQS_TYPE_LIBRARY, NULL);
  self->store = g_object_ref (store);
  return self;
}

PqsStore *
pqs_library_get_store (PqsLibrary *self)
{
  g_return_val_if_fail (PQS_IS_LIBRARY (self), NULL);

  return self->store;
}
