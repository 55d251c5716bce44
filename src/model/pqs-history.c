/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pqs-audit.h"
#include "pqs-document-private.h"
#include "pqs-history.h"
#include "pqs-library-private.h"
#include "pqs-store.h"
#include "pqs-user.h"

/**
 * PqsHistory:
 *
 * A document's history: every change (`document_changes`: saves,
 * workflow steps, restores, imports) and every review decision and comment
 * (`document_reviews`), in time order. Any version can be shown, compared
 * with another (a line diff of the canonical renderings) and restored.
 * Restoring writes a new change of type "restore" on top of the history;
 * nothing is ever rewritten.
 */

struct _PqsHistory
{
  GObject     parent_instance;

  PqsLibrary *library;
};

G_DEFINE_FINAL_TYPE (PqsHistory, pqs_history, G_TYPE_OBJECT)

void
pqs_history_entry_free (PqsHistoryEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->user_name);
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry->change_type);
  g_free (entry->action);
  g_free (entry->summary);
  g_free (entry->decision);
  g_free (entry->comment);
  g_free (entry);
}

/**
 * pqs_history_entry_get_label:
 * @entry: a #PqsHistoryEntry
 *
 * Returns: what happened, in a few words ("Submitted for review"), translated
 */
const char *
pqs_history_entry_get_label (const PqsHistoryEntry *entry)
{
  const char *action;

  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->kind == PQS_HISTORY_REVIEW)
    {
      if (g_strcmp0 (entry->decision, "approved") == 0)
        return C_("history", "Approved");
      if (g_strcmp0 (entry->decision, "changes_requested") == 0)
        return C_("history", "Changes requested");
      return C_("history", "Comment");
    }

  action = entry->action != NULL ? entry->action : entry->change_type;
  if (g_strcmp0 (action, "create") == 0)
    return C_("history", "Created");
  if (g_strcmp0 (action, "submit") == 0)
    return C_("history", "Submitted for review");
  if (g_strcmp0 (action, "approve") == 0)
    return C_("history", "Approved");
  if (g_strcmp0 (action, "request_changes") == 0)
    return C_("history", "Sent back for changes");
  if (g_strcmp0 (action, "archive") == 0)
    return C_("history", "Archived");
  if (g_strcmp0 (action, "revise") == 0)
    return C_("history", "New revision started");
  if (g_strcmp0 (action, "restore") == 0)
    return C_("history", "Earlier version restored");
  if (g_strcmp0 (action, "import") == 0)
    return C_("history", "Imported");
  if (g_strcmp0 (action, "renumber") == 0)
    return C_("history", "Renumbered");
  if (g_strcmp0 (action, "delete") == 0)
    return C_("history", "Deleted");
  return C_("history", "Saved");
}

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

static PqsStore *
store_of (PqsHistory *self)
{
  return pqs_library_get_store (self->library);
}

/* The document, if @actor may read it. */
static PqsDocument *
readable_document (PqsHistory  *self,
                   PqsUser     *actor,
                   gint64       document_id,
                   gboolean     with_outline,
                   GError     **error)
{
  g_autoptr(PqsDocument) document = pqs_library_get_row (self->library, document_id,
                                                         with_outline, error);

  if (document == NULL)
    return NULL;
  if (actor != NULL &&
      !pqs_library_check_action (self->library, actor, PQS_ACTION_READ_DOCUMENT, document, error))
    return NULL;
  return g_steal_pointer (&document);
}

static char *
display_name (sqlite3_stmt *stmt,
              int           first)
{
  const char *username = (const char *) sqlite3_column_text (stmt, first);
  const char *full_name = (const char *) sqlite3_column_text (stmt, first + 1);
  const char *rank = (const char *) sqlite3_column_text (stmt, first + 2);

  if (username == NULL)
    return g_strdup (_("a deleted account"));
  /* As pqs_user_dup_display_name() puts it. */
  if (rank != NULL && *rank != '\0')
    return g_strdup_printf ("%s %s", rank, full_name != NULL ? full_name : "");
  return g_strdup (full_name != NULL ? full_name : username);
}

/**
 * pqs_history_list:
 * @self: a #PqsHistory
 * @actor: (nullable): who reads it (permission checked); %NULL for the operator
 * @document_id: the document
 * @error: return location for a #GError
 *
 * The changes and the reviews of a document, oldest first (a change and a
 * review of the same moment: the change first).
 *
 * Returns: (transfer full) (element-type PqsHistoryEntry): the history
 */
GPtrArray *
pqs_history_list (PqsHistory  *self,
                  PqsUser     *actor,
                  gint64       document_id,
                  GError     **error)
{
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), NULL);

  document = readable_document (self, actor, document_id, FALSE, error);
  if (document == NULL)
    return NULL;

  stmt = pqs_store_prepare (store_of (self),
                            "SELECT 0, c.id, c.user_id, c.created_at, c.version, c.change_type, "
                            "  c.action, c.status, c.change_summary, NULL, NULL, "
                            "  c.new_content IS NOT NULL, c.snapshot IS NOT NULL, "
                            "  u.username, u.full_name, u.rank "
                            "FROM document_changes AS c LEFT JOIN users AS u ON u.id = c.user_id "
                            "WHERE c.document_id = ?1 "
                            "UNION ALL "
                            "SELECT 1, r.id, r.reviewer_id, r.created_at, r.document_version, "
                            "  NULL, NULL, NULL, NULL, r.decision, r.comment, 0, 0, "
                            "  u.username, u.full_name, u.rank "
                            "FROM document_reviews AS r LEFT JOIN users AS u "
                            "  ON u.id = r.reviewer_id "
                            "WHERE r.document_id = ?1 "
                            "ORDER BY 4, 1, 2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_history_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PqsHistoryEntry *entry = g_new0 (PqsHistoryEntry, 1);
      const char *status = (const char *) sqlite3_column_text (stmt, 7);

      entry->kind = sqlite3_column_int (stmt, 0) == 0 ? PQS_HISTORY_CHANGE : PQS_HISTORY_REVIEW;
      entry->id = sqlite3_column_int64 (stmt, 1);
      entry->document_id = document_id;
      entry->user_id = sqlite3_column_int64 (stmt, 2);
      entry->time = pqs_store_parse_time ((const char *) sqlite3_column_text (stmt, 3));
      entry->version = (guint) sqlite3_column_int64 (stmt, 4);
      entry->change_type = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      entry->has_status = pqs_document_status_from_string (status, &entry->status);
      entry->summary = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      entry->decision = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      entry->comment = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
      entry->has_text = sqlite3_column_int (stmt, 11) != 0;
      entry->restorable = sqlite3_column_int (stmt, 12) != 0;
      entry->user_name = display_name (stmt, 13);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store_of (self)), rc, NULL);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

typedef struct
{
  gint64             document_id;
  guint              version;
  PqsDocumentStatus  status;
  char              *text;       /* new_content */
  char              *snapshot;
} ChangeRow;

static void
change_row_clear (ChangeRow *row)
{
  g_free (row->text);
  g_free (row->snapshot);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChangeRow, change_row_clear)

static gboolean
get_change (PqsHistory  *self,
            gint64       change_id,
            ChangeRow   *out,
            GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (store_of (self),
                            "SELECT document_id, version, status, new_content, snapshot "
                            "FROM document_changes WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->document_id = sqlite3_column_int64 (stmt, 0);
      out->version = (guint) sqlite3_column_int64 (stmt, 1);
      out->status = PQS_DOCUMENT_DRAFT;
      pqs_document_status_from_string ((const char *) sqlite3_column_text (stmt, 2),
                                       &out->status);
      out->text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      out->snapshot = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    return fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
                 _("That version is not in the document’s history."));
  if (rc != SQLITE_ROW)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store_of (self)), rc,
                                            NULL);
  return TRUE;
}

/* The change, if @actor may read its document. */
static gboolean
get_readable_change (PqsHistory  *self,
                     PqsUser     *actor,
                     gint64       change_id,
                     ChangeRow   *out,
                     GError     **error)
{
  g_autoptr(PqsDocument) document = NULL;

  if (!get_change (self, change_id, out, error))
    return FALSE;
  document = readable_document (self, actor, out->document_id, FALSE, error);
  return document != NULL;
}

/**
 * pqs_history_get_text:
 * @self: a #PqsHistory
 * @actor: (nullable): who reads it (permission checked); %NULL for the operator
 * @change_id: a change of the history
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the canonical text of the document after the
 *   change (pqs_document_render_canonical())
 */
char *
pqs_history_get_text (PqsHistory  *self,
                      PqsUser     *actor,
                      gint64       change_id,
                      GError     **error)
{
  g_auto(ChangeRow) row = { 0, };

  g_return_val_if_fail (PQS_IS_HISTORY (self), NULL);

  if (!get_readable_change (self, actor, change_id, &row, error))
    return NULL;
  if (row.text == NULL)
    {
      fail (error, PQS_LIBRARY_ERROR_NOT_FOUND, _("That change kept no text to show."));
      return NULL;
    }
  return g_steal_pointer (&row.text);
}

static PqsDocument *
version_from_row (ChangeRow  *row,
                  GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  PqsDocument *document;

  if (row->snapshot == NULL)
    {
      fail (error, PQS_LIBRARY_ERROR_NOT_FOUND,
            _("That version was saved before PQS Desk kept whole versions: it can be compared, "
              "but not shown or restored."));
      return NULL;
    }

  document = pqs_document_new_from_snapshot (row->snapshot, &local_error);
  if (document == NULL)
    {
      fail (error, PQS_LIBRARY_ERROR_FAILED,
            _("That version cannot be read (%s)."), local_error->message);
      return NULL;
    }
  return document;
}

/**
 * pqs_history_load_version:
 * @self: a #PqsHistory
 * @actor: (nullable): who reads it (permission checked); %NULL for the operator
 * @change_id: a change of the history
 * @error: return location for a #GError
 *
 * The document as it was after the change: its title, field values, body
 * and outline, with the version and status it then had. It is a picture:
 * saving it is refused; restore it with pqs_history_restore().
 *
 * Returns: (transfer full): the version
 */
PqsDocument *
pqs_history_load_version (PqsHistory  *self,
                          PqsUser     *actor,
                          gint64       change_id,
                          GError     **error)
{
  g_auto(ChangeRow) row = { 0, };
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(PqsDocument) current = NULL;

  g_return_val_if_fail (PQS_IS_HISTORY (self), NULL);

  if (!get_readable_change (self, actor, change_id, &row, error))
    return NULL;
  document = version_from_row (&row, error);
  if (document == NULL)
    return NULL;

  current = pqs_library_get_row (self->library, row.document_id, FALSE, error);
  if (current == NULL)
    return NULL;
  /* Id 0: not the stored document, so a save cannot mistake it for one. */
  pqs_document_set_row (document, 0, pqs_document_get_standard_id (current), row.status,
                        row.version);
  return g_steal_pointer (&document);
}

/**
 * pqs_history_compare:
 * @self: a #PqsHistory
 * @actor: (nullable): who reads it (permission checked); %NULL for the operator
 * @old_change_id: the earlier version (a change of the history)
 * @new_change_id: the later version, of the same document; 0 for the
 *   document as it is now
 * @context: unchanged lines to show around each change
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type PqsDiffHunk): the line diff of the
 *   two canonical texts; empty when they are the same
 */
GPtrArray *
pqs_history_compare (PqsHistory  *self,
                     PqsUser     *actor,
                     gint64       old_change_id,
                     gint64       new_change_id,
                     guint        context,
                     GError     **error)
{
  g_auto(ChangeRow) old_row = { 0, };
  g_auto(ChangeRow) new_row = { 0, };

  g_return_val_if_fail (PQS_IS_HISTORY (self), NULL);

  if (!get_readable_change (self, actor, old_change_id, &old_row, error))
    return NULL;

  if (new_change_id == 0)
    {
      g_autoptr(PqsDocument) current = readable_document (self, actor, old_row.document_id, TRUE,
                                                          error);

      if (current == NULL)
        return NULL;
      new_row.document_id = old_row.document_id;
      new_row.text = pqs_document_render_canonical (current);
    }
  else if (!get_readable_change (self, actor, new_change_id, &new_row, error))
    return NULL;

  if (old_row.document_id != new_row.document_id)
    {
      fail (error, PQS_LIBRARY_ERROR_INVALID,
            _("Those two versions belong to different documents."));
      return NULL;
    }

  return pqs_diff_lines (old_row.text, new_row.text, context);
}

typedef struct
{
  PqsHistory  *self;
  PqsUser     *actor;
  PqsUser     *fresh;
  gint64       change_id;
  gint64       edit_count;
  const char  *summary;
} RestoreOp;

static gboolean
restore_cb (PqsStore  *store,
            gpointer   data,
            GError   **error)
{
  RestoreOp *op = data;
  PqsLibrary *library = op->self->library;
  g_auto(ChangeRow) row = { 0, };
  g_autoptr(PqsDocument) before = NULL;
  g_autoptr(PqsDocument) content = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *summary = NULL;
  PqsWrite write = { 0, };

  if (!pqs_library_fresh_actor (library, op->actor, TRUE, &op->fresh, error) ||
      !get_change (op->self, op->change_id, &row, error))
    return FALSE;
  before = pqs_library_get_row (library, row.document_id, TRUE, error);
  if (before == NULL ||
      !pqs_library_check_action (library, op->fresh, PQS_ACTION_READ_DOCUMENT, before, error))
    return FALSE;

  if (op->edit_count >= 0 && op->edit_count != pqs_document_get_edit_count (before))
    return fail (error, PQS_LIBRARY_ERROR_CONFLICT,
                 _("“%s” was changed by someone else since you opened its history. Look at "
                   "the latest version before you restore an earlier one."),
                 pqs_document_get_title (before));

  if (!pqs_library_check_unfrozen (library, pqs_document_get_standard_id (before), error) ||
      !pqs_library_prepare_content_write (library, op->fresh, before, &write, error))
    return FALSE;

  content = version_from_row (&row, error);
  if (content == NULL)
    return FALSE;
  /* The number and the template are the document's own now. */
  pqs_document_set_number (content, pqs_document_get_number (before));
  pqs_document_set_template_id (content, pqs_document_get_template_id (before));
  if (!pqs_library_validate_content (library, content, FALSE, error))
    return FALSE;

  old_text = pqs_document_render_canonical (before);
  new_text = pqs_document_render_canonical (content);
  if (g_str_equal (old_text, new_text))
    return TRUE;   /* it is that version already */

  summary = op->summary != NULL && *op->summary != '\0'
            ? g_strdup (op->summary)
            : g_strdup_printf (_("Restored version %u"), row.version);

  json_builder_begin_object (details);
  json_builder_set_member_name (details, "restored_change_id");
  json_builder_add_int_value (details, op->change_id);
  json_builder_set_member_name (details, "restored_version");
  json_builder_add_int_value (details, row.version);

  write.before = before;
  write.content = content;
  write.actor_id = pqs_user_get_id (op->fresh);
  write.change_type = "restore";
  write.action = "restore";
  write.activity = PQS_AUDIT_DOCUMENT_RESTORE;
  write.summary = summary;
  write.details = details;
  write.old_text = old_text;
  write.new_text = new_text;
  return pqs_library_write (library, &write, error);
}

/**
 * pqs_history_restore:
 * @self: a #PqsHistory
 * @actor: who may edit the document (or revise it, when it is approved)
 * @change_id: the version to bring back (a change of the history)
 * @edit_count: the document's edit count when its history was shown, or
 *   -1 not to check (%PQS_LIBRARY_ERROR_CONFLICT when it moved)
 * @summary: (nullable): a note; %NULL says which version was restored
 * @error: return location for a #GError
 *
 * Writes that version's title, field values, body and outline as a new
 * change of type "restore", on top of the history. A draft is restored in
 * place; an approved document starts its next draft revision.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_history_restore (PqsHistory  *self,
                     PqsUser     *actor,
                     gint64       change_id,
                     gint64       edit_count,
                     const char  *summary,
                     GError     **error)
{
  RestoreOp op = { self, actor, NULL, change_id, edit_count, summary };
  gboolean ok;

  g_return_val_if_fail (PQS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (actor == NULL || PQS_IS_USER (actor), FALSE);

  ok = pqs_store_transaction (store_of (self), restore_cb, &op, error);
  g_clear_object (&op.fresh);
  return ok;
}

static void
pqs_history_dispose (GObject *object)
{
  PqsHistory *self = PQS_HISTORY (object);

  g_clear_object (&self->library);

  G_OBJECT_CLASS (pqs_history_parent_class)->dispose (object);
}

static void
pqs_history_class_init (PqsHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pqs_history_dispose;
}

static void
pqs_history_init (PqsHistory *self)
{
}

PqsHistory *
pqs_history_new (PqsLibrary *library)
{
  PqsHistory *self;

  g_return_val_if_fail (PQS_IS_LIBRARY (library), NULL);

  self = g_object_new (PQS_TYPE_HISTORY, NULL);
  self->library = g_object_ref (library);
  return self;
}
