/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-audit.h"
#include "pqs-store.h"

/**
 * SECTION:pqs-audit
 *
 * The audit trail: one `user_activities` row per change, written by
 * pqs_audit_append() inside the transaction that makes the change, so that
 * neither can exist without the other.
 *
 * The rows form a SHA-256 hash chain in id order. The canonical form of a
 * row is the concatenation, for each column in this order:
 *
 *   id, user_id, activity_type, resource_type, resource_id, details,
 *   ip_address, user_agent, created_at, prev_hash
 *
 * of "-" for NULL, else "<byte length>:<bytes>" with integers in decimal
 * (a value always starts with a digit, so NULL and "" differ). row_hash is
 * the lower-case hex SHA-256 of that string; prev_hash is the row_hash of the
 * row before (NULL for the very first row). pqs_audit_verify() walks the
 * chain and names the first row that does not match.
 *
 * Ids are part of the chain: they are given explicitly, one above both the
 * highest id and the table's AUTOINCREMENT counter, so that a removed tail
 * is never filled in again and the counter itself witnesses the removal.
 */

#define VERIFY_PROGRESS_EVERY 10000

G_DEFINE_QUARK (pqs-audit-error-quark, pqs_audit_error)

/* Labels --------------------------------------------------------------------- */

static const struct
{
  const char *activity_type;
  const char *label;
} activity_labels[] = {
  { PQS_AUDIT_SIGN_IN, N_("Signed in") },
  { PQS_AUDIT_SIGN_IN_FAILED, N_("Failed sign-in") },
  { PQS_AUDIT_LOCKOUT, N_("Locked out after failed sign-ins") },
  { PQS_AUDIT_SIGN_OUT, N_("Signed out") },
  { PQS_AUDIT_SESSION_LOCK, N_("Locked the session") },
  { PQS_AUDIT_SESSION_UNLOCK, N_("Unlocked the session") },
  { PQS_AUDIT_PASSWORD_CHANGE, N_("Changed their password") },
  { PQS_AUDIT_USER_CREATE, N_("Created a user") },
  { PQS_AUDIT_USER_UPDATE, N_("Changed a user’s details") },
  { PQS_AUDIT_USER_ROLE, N_("Changed a user’s role") },
  { PQS_AUDIT_USER_DEACTIVATE, N_("Deactivated a user") },
  { PQS_AUDIT_USER_REACTIVATE, N_("Reactivated a user") },
  { PQS_AUDIT_USER_PASSWORD_RESET, N_("Reset a user’s password") },
  { PQS_AUDIT_USER_UNLOCK, N_("Unlocked a user") },
  { PQS_AUDIT_USER_AVATAR, N_("Changed a user’s picture") },
  { PQS_AUDIT_USER_DELETE, N_("Deleted a user") },
  { PQS_AUDIT_STANDARD_CREATE, N_("Created a standard") },
  { PQS_AUDIT_DOCUMENT_CREATE, N_("Created a document") },
  { PQS_AUDIT_DOCUMENT_UPDATE, N_("Changed a document") },
  { PQS_AUDIT_DOCUMENT_SUBMIT, N_("Submitted a document for review") },
  { PQS_AUDIT_DOCUMENT_COMMENT, N_("Commented on a document") },
  { PQS_AUDIT_DOCUMENT_REQUEST_CHANGES, N_("Requested changes") },
  { PQS_AUDIT_DOCUMENT_APPROVE, N_("Approved a document") },
  { PQS_AUDIT_DOCUMENT_ARCHIVE, N_("Archived a document") },
  { PQS_AUDIT_SEED_DEMO, N_("Added demo data") },
  { PQS_AUDIT_STANDARD_UPDATE, N_("Changed a standard") },
  { PQS_AUDIT_STANDARD_DELETE, N_("Deleted a standard") },
  { PQS_AUDIT_STANDARD_REVISE, N_("Started a new revision of a standard") },
  { PQS_AUDIT_STANDARD_IMPORT, N_("Imported a standard") },
  { PQS_AUDIT_STANDARD_EXPORT, N_("Exported a standard") },
  { PQS_AUDIT_DOCUMENT_REVISE, N_("Started a new revision") },
  { PQS_AUDIT_DOCUMENT_RESTORE, N_("Restored an earlier version") },
  { PQS_AUDIT_DOCUMENT_DELETE, N_("Deleted a document") },
  { PQS_AUDIT_DOCUMENT_IMPORT, N_("Imported a document") },
  { PQS_AUDIT_DOCUMENT_EXPORT, N_("Exported a document") },
  { PQS_AUDIT_DOCUMENT_RENUMBER, N_("Renumbered a document") },
  { PQS_AUDIT_DOCUMENT_COLLABORATOR, N_("Changed who works on a document") },
  { "template.create", N_("Created a template") },
  { "template.update", N_("Changed a template") },
  { "template.copy", N_("Copied a template") },
  { "template.deactivate", N_("Deactivated a template") },
  { "template.activate", N_("Activated a template") },
  { "template.delete", N_("Deleted a template") },
  { PQS_AUDIT_DATABASE_MIGRATE, N_("Updated the database") },
  { PQS_AUDIT_DATABASE_ROLLBACK, N_("Rolled the database back") },
  { PQS_AUDIT_BACKUP_CREATE, N_("Backed the database up") },
  { PQS_AUDIT_BACKUP_FAILED, N_("A backup failed") },
  { PQS_AUDIT_BACKUP_RESTORE, N_("Restored a backup") },
};

/**
 * pqs_audit_describe_activity:
 * @activity_type: an activity type, such as %PQS_AUDIT_SIGN_IN
 *
 * Returns: (transfer none): a short translated label ("Signed in"), or
 *   @activity_type itself when it is not a known type
 */
const char *
pqs_audit_describe_activity (const char *activity_type)
{
  g_return_val_if_fail (activity_type != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (activity_labels); i++)
    {
      if (strcmp (activity_labels[i].activity_type, activity_type) == 0)
        return _(activity_labels[i].label);
    }

  return activity_type;
}

/* The canonical form -------------------------------------------------------- */

/* Writes @value in decimal at the end of @buffer (24 bytes); returns its start. */
static char *
format_int64 (char   *buffer,
              gint64  value)
{
  char *p = buffer + 23;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;

  *p = '\0';
  do
    {
      *--p = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';

  return p;
}

static void
canonical_append (GString    *out,
                  const char *value)
{
  char buffer[24];
  gsize length;

  if (value == NULL)
    {
      g_string_append_c (out, '-');
      return;
    }

  length = strlen (value);
  g_string_append (out, format_int64 (buffer, (gint64) length));
  g_string_append_c (out, ':');
  g_string_append_len (out, value, length);
}

static void
canonical_append_int (GString  *out,
                      gboolean  present,
                      gint64    value)
{
  char buffer[24];

  canonical_append (out, present ? format_int64 (buffer, value) : NULL);
}

/* The hash of @row, with @scratch and @checksum reused between rows. The
 * string belongs to @checksum until it is reset. */
static const char *
row_hash_with (const PqsAuditRow *row,
               GString           *scratch,
               GChecksum         *checksum)
{
  g_string_truncate (scratch, 0);
  canonical_append_int (scratch, TRUE, row->id);
  canonical_append_int (scratch, row->has_user, row->user_id);
  canonical_append (scratch, row->activity_type);
  canonical_append (scratch, row->resource_type);
  canonical_append_int (scratch, row->has_resource, row->resource_id);
  canonical_append (scratch, row->details);
  canonical_append (scratch, row->ip_address);
  canonical_append (scratch, row->user_agent);
  canonical_append (scratch, row->created_at);
  canonical_append (scratch, row->prev_hash);

  g_checksum_reset (checksum);
  g_checksum_update (checksum, (const guchar *) scratch->str, scratch->len);
  return g_checksum_get_string (checksum);
}

/**
 * pqs_audit_row_hash:
 * @row: an audit row's content
 *
 * Computes the row_hash of @row in the canonical form described above: the
 * one implementation of the chain, used by pqs_audit_append(),
 * pqs_audit_verify() and the demo seeder.
 *
 * Returns: (transfer full): the lower-case hex SHA-256
 */
char *
pqs_audit_row_hash (const PqsAuditRow *row)
{
  g_autoptr(GString) scratch = NULL;
  g_autoptr(GChecksum) checksum = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  scratch = g_string_sized_new (256);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  return g_strdup (row_hash_with (row, scratch, checksum));
}

/* Appending ------------------------------------------------------------------ */

/**
 * pqs_audit_append:
 * @store: a migrated #PqsStore, inside a transaction
 * @user_id: the actor, or 0 for none (the system, an unknown name)
 * @activity_type: what happened, such as %PQS_AUDIT_USER_CREATE
 * @resource_type: (nullable): the kind of thing it happened to ("user", "document")
 * @resource_id: its id, or 0 for none
 * @details: (nullable): a JSON object with the particulars
 * @out_id: (out) (optional): the id of the new row
 * @error: return location for a #GError
 *
 * Appends a row to the audit trail, chained to the row before it. The
 * caller's transaction makes the change and its audit row one unit: when the
 * transaction rolls back, the row goes with it. The time comes from the
 * store's clock and the user agent from its client name.
 *
 * Returns: %TRUE on success; %PQS_AUDIT_ERROR_INVALID for details that are
 *   not an object, or a #PQS_STORE_ERROR (an unknown @user_id breaks a
 *   foreign key)
 */
gboolean
pqs_audit_append (PqsStore    *store,
                  gint64       user_id,
                  const char  *activity_type,
                  const char  *resource_type,
                  gint64       resource_id,
                  JsonNode    *details,
                  gint64      *out_id,
                  GError     **error)
{
  g_autofree char *details_text = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *row_hash = NULL;
  sqlite3_stmt *stmt;
  PqsAuditRow row = { 0 };
  gint64 id;
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (store), FALSE);
  g_return_val_if_fail (pqs_store_in_transaction (store), FALSE);
  g_return_val_if_fail (activity_type != NULL, FALSE);
  g_return_val_if_fail (user_id >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_id != NULL)
    *out_id = 0;

  if (*activity_type == '\0')
    {
      g_set_error_literal (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_INVALID,
                           _("An audit entry needs an activity type."));
      return FALSE;
    }

  if (details != NULL && !JSON_NODE_HOLDS_OBJECT (details))
    {
      g_set_error_literal (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_INVALID,
                           _("The details of an audit entry must be a JSON object."));
      return FALSE;
    }
  if (details != NULL)
    details_text = json_to_string (details, FALSE);

  /* The counter as well as the last row: an id is never used twice, not even
   * after the tail of the trail was removed. */
  stmt = pqs_store_prepare (store,
                            "SELECT max(coalesce((SELECT max(id) FROM user_activities), 0), "
                            "  coalesce((SELECT seq FROM sqlite_sequence "
                            "            WHERE name = 'user_activities'), 0)), "
                            "  (SELECT row_hash FROM user_activities ORDER BY id DESC LIMIT 1)",
                            error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);
    }
  id = sqlite3_column_int64 (stmt, 0) + 1;
  prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);

  created_at = pqs_store_format_time (pqs_store_now (store));

  row.id = id;
  row.has_user = user_id > 0;
  row.user_id = user_id;
  row.activity_type = activity_type;
  row.resource_type = resource_type;
  row.has_resource = resource_id > 0;
  row.resource_id = resource_id;
  row.details = details_text;
  row.ip_address = NULL;
  row.user_agent = pqs_store_get_client_name (store);
  row.created_at = created_at;
  row.prev_hash = prev_hash;
  row_hash = pqs_audit_row_hash (&row);

  stmt = pqs_store_prepare (store,
                            "INSERT INTO user_activities (id, user_id, activity_type, "
                            "resource_type, resource_id, details, ip_address, user_agent, "
                            "created_at, prev_hash, row_hash) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10)",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, row.id);
  if (row.has_user)
    sqlite3_bind_int64 (stmt, 2, row.user_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, row.activity_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, row.resource_type, -1, SQLITE_TRANSIENT);
  if (row.has_resource)
    sqlite3_bind_int64 (stmt, 5, row.resource_id);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, row.details, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, row.user_agent, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, row.created_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, row.prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, row_hash, -1, SQLITE_TRANSIENT);

  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  if (out_id != NULL)
    *out_id = id;

  return TRUE;
}

/* Verifying ------------------------------------------------------------------ */

/**
 * pqs_audit_verify:
 * @store: a migrated #PqsStore
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable) (scope call): called every 10,000 rows and at the end
 * @progress_data: data for @progress
 * @out_rows: (out) (optional): how many rows were found sound
 * @out_bad_id: (out) (optional): the id of the first row that does not
 *   match, or 0 when the chain is intact
 * @error: return location for a #GError
 *
 * Walks the whole audit trail in id order, streaming it: recomputes each
 * row's hash, checks that it names the row before it (and that no id is
 * missing), and finally that no rows after the last one were removed.
 *
 * Returns: %TRUE when the chain is intact; %PQS_AUDIT_ERROR_BROKEN_CHAIN
 *   with a sentence naming the first bad row otherwise
 */
gboolean
pqs_audit_verify (PqsStore              *store,
                  GCancellable          *cancellable,
                  PqsAuditProgressFunc   progress,
                  gpointer               progress_data,
                  guint64               *out_rows,
                  gint64                *out_bad_id,
                  GError               **error)
{
  g_autoptr(GString) scratch = NULL;
  g_autoptr(GString) prev_hash = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  char id_text[24];
  char prev_text[24];
  sqlite3_stmt *stmt;
  gboolean has_prev = FALSE;
  gint64 prev_id = 0;
  gint64 sequence;
  guint64 total;
  guint64 checked = 0;
  gint64 bad_id = 0;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_rows != NULL)
    *out_rows = 0;
  if (out_bad_id != NULL)
    *out_bad_id = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  /* The counter is read before the walk: rows appended meanwhile can only
   * raise the last id the walk sees, never make a sound tail look removed. */
  stmt = pqs_store_prepare (store,
                            "SELECT coalesce((SELECT seq FROM sqlite_sequence "
                            "                 WHERE name = 'user_activities'), 0), "
                            "  coalesce((SELECT max(id) FROM user_activities), 0), "
                            "  coalesce((SELECT min(id) FROM user_activities), 1)",
                            error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);
    }
  sequence = sqlite3_column_int64 (stmt, 0);
  total = (guint64) MAX (0, sqlite3_column_int64 (stmt, 1) - sqlite3_column_int64 (stmt, 2) + 1);
  sqlite3_reset (stmt);

  stmt = pqs_store_prepare (store,
                            "SELECT id, user_id, activity_type, resource_type, resource_id, "
                            "details, ip_address, user_agent, created_at, prev_hash, row_hash "
                            "FROM user_activities ORDER BY id",
                            error);
  if (stmt == NULL)
    return FALSE;

  scratch = g_string_sized_new (512);
  prev_hash = g_string_sized_new (65);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PqsAuditRow row;
      const char *stored_hash;

      row.id = sqlite3_column_int64 (stmt, 0);
      row.has_user = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
      row.user_id = sqlite3_column_int64 (stmt, 1);
      row.activity_type = (const char *) sqlite3_column_text (stmt, 2);
      row.resource_type = (const char *) sqlite3_column_text (stmt, 3);
      row.has_resource = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      row.resource_id = sqlite3_column_int64 (stmt, 4);
      row.details = (const char *) sqlite3_column_text (stmt, 5);
      row.ip_address = (const char *) sqlite3_column_text (stmt, 6);
      row.user_agent = (const char *) sqlite3_column_text (stmt, 7);
      row.created_at = (const char *) sqlite3_column_text (stmt, 8);
      row.prev_hash = (const char *) sqlite3_column_text (stmt, 9);
      stored_hash = (const char *) sqlite3_column_text (stmt, 10);

      if (stored_hash == NULL ||
          strcmp (row_hash_with (&row, scratch, checksum), stored_hash) != 0)
        {
          bad_id = row.id;
          g_set_error (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN,
                       _("Audit row %s was changed after it was written: its content "
                         "no longer matches its hash."),
                       format_int64 (id_text, row.id));
          ok = FALSE;
          break;
        }

      if (!has_prev)
        {
          if (row.id != 1 || row.prev_hash != NULL)
            {
              bad_id = row.id;
              g_set_error (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN,
                           _("Audit rows before row %s were removed."),
                           format_int64 (id_text, row.id));
              ok = FALSE;
              break;
            }
        }
      else if (row.id != prev_id + 1 || row.prev_hash == NULL ||
               strcmp (row.prev_hash, prev_hash->str) != 0)
        {
          bad_id = row.id;
          g_set_error (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN,
                       _("Audit row %s does not follow row %s: a row was removed or "
                         "inserted before it."),
                       format_int64 (id_text, row.id), format_int64 (prev_text, prev_id));
          ok = FALSE;
          break;
        }

      has_prev = TRUE;
      prev_id = row.id;
      g_string_assign (prev_hash, stored_hash);
      checked++;

      if (checked % VERIFY_PROGRESS_EVERY == 0)
        {
          if (progress != NULL)
            progress (checked, MAX (checked, total), progress_data);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
        }
    }
  sqlite3_reset (stmt);

  if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);

  /* A removed tail leaves nothing to compare with but the counter. */
  if (ok && sequence > prev_id)
    {
      bad_id = prev_id + 1;
      if (prev_id == 0)
        {
          g_set_error_literal (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN,
                               _("Every audit row was removed."));
          ok = FALSE;
        }
      else
        {
          g_set_error (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN,
                       _("Audit rows after row %s were removed."),
                       format_int64 (id_text, prev_id));
          ok = FALSE;
        }
    }

  if (ok && progress != NULL)
    progress (checked, checked, progress_data);

  if (out_rows != NULL)
    *out_rows = checked;
  if (out_bad_id != NULL)
    *out_bad_id = bad_id;

  return ok;
}

/* Verifying in a thread ---------------------------------------------------- */

typedef struct
{
  gatomicrefcount       ref_count;
  GMainContext         *context;
  PqsAuditProgressFunc  progress;
  gpointer              progress_data;
  gboolean              finished;   /* in @context only */
  guint64               rows;       /* written by the thread */
  gint64                bad_id;
} VerifyState;

static VerifyState *
verify_state_ref (VerifyState *state)
{
  g_atomic_ref_count_inc (&state->ref_count);
  return state;
}

static void
verify_state_unref (gpointer data)
{
  VerifyState *state = data;

  if (g_atomic_ref_count_dec (&state->ref_count))
    {
      g_main_context_unref (state->context);
      g_free (state);
    }
}

typedef struct
{
  VerifyState *state;
  guint64      checked;
  guint64      total;
} ProgressCall;

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  verify_state_unref (call->state);
  g_free (call);
}

static gboolean
progress_call_cb (gpointer data)
{
  ProgressCall *call = data;

  /* Progress queued just before the result is dropped once it is known. */
  if (!call->state->finished)
    call->state->progress (call->checked, call->total, call->state->progress_data);

  return G_SOURCE_REMOVE;
}

static void
thread_progress_cb (guint64  checked,
                    guint64  total,
                    gpointer user_data)
{
  VerifyState *state = user_data;
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->state = verify_state_ref (state);
  call->checked = checked;
  call->total = total;
  g_main_context_invoke_full (state->context, G_PRIORITY_DEFAULT,
                              progress_call_cb, call, progress_call_free);
}

static gpointer
verify_thread_func (PqsStore      *worker,
                    gpointer       user_data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  VerifyState *state = user_data;

  if (!pqs_audit_verify (worker, cancellable,
                         state->progress != NULL ? thread_progress_cb : NULL, state,
                         &state->rows, &state->bad_id, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  state->finished = TRUE;

  if (pqs_store_run_in_thread_finish (PQS_STORE (object), result, &error) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * pqs_audit_verify_async:
 * @store: a migrated #PqsStore
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable): called in the caller's main context, never after
 *   @callback
 * @progress_data: data for @progress, valid until @callback is called
 * @callback: called when the walk is done
 * @user_data: data for @callback
 *
 * Runs pqs_audit_verify() on the store's worker connection in a thread.
 */
void
pqs_audit_verify_async (PqsStore             *store,
                        GCancellable         *cancellable,
                        PqsAuditProgressFunc  progress,
                        gpointer              progress_data,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyState *state;

  g_return_if_fail (PQS_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  state = g_new0 (VerifyState, 1);
  g_atomic_ref_count_init (&state->ref_count);
  state->context = g_main_context_ref_thread_default ();
  state->progress = progress;
  state->progress_data = progress_data;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, pqs_audit_verify_async);
  g_task_set_task_data (task, state, verify_state_unref);

  pqs_store_run_in_thread (store, verify_thread_func,
                           verify_state_ref (state), verify_state_unref,
                           cancellable, verify_done_cb, g_object_ref (task));
}

/**
 * pqs_audit_verify_finish:
 * @store: a #PqsStore
 * @result: the result passed to the callback
 * @out_rows: (out) (optional): as for pqs_audit_verify()
 * @out_bad_id: (out) (optional): as for pqs_audit_verify()
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the chain is intact
 */
gboolean
pqs_audit_verify_finish (PqsStore      *store,
                         GAsyncResult  *result,
                         guint64       *out_rows,
                         gint64        *out_bad_id,
                         GError       **error)
{
  VerifyState *state;

  g_return_val_if_fail (PQS_IS_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pqs_audit_verify_async,
                        FALSE);

  state = g_task_get_task_data (G_TASK (result));
  if (out_rows != NULL)
    *out_rows = state->rows;
  if (out_bad_id != NULL)
    *out_bad_id = state->bad_id;

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * pqs_audit_append_system:
 * @store: a #PqsStore, inside a transaction
 * @activity_type: e.g. "database.migrate", "backup.create"
 * @resource_type: (nullable): what it concerns
 * @details: (nullable): a JSON object
 * @error: return location for a #GError
 *
 * The audit row of a change the store's own services make (migrations,
 * rollbacks, backups, restores), with no user: the details say who ran
 * it. A database from before the audit trail (schema < 4) has no table to
 * write to, and then nothing is written.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_audit_append_system (PqsStore    *store,
                         const char  *activity_type,
                         const char  *resource_type,
                         JsonNode    *details,
                         GError     **error)
{
  gboolean exists = FALSE;

  g_return_val_if_fail (PQS_IS_STORE (store), FALSE);

  if (!pqs_store_table_exists (store, "user_activities", &exists, error))
    return FALSE;
  if (!exists)
    return TRUE;

  return pqs_audit_append (store, 0, activity_type, resource_type, 0, details, NULL, error);
}
