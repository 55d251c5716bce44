/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pqs-legacy-passwords.h"
#include "pqs-password.h"
#include "pqs-store.h"

static gboolean
collect_default_users (PqsStore  *store,
                       GArray    *ids,
                       GError   **error)
{
  g_autoptr(GHashTable) verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (store, "SELECT id, password_hash FROM users ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *hash = (const char *) sqlite3_column_text (stmt, 1);
      gpointer verdict;

      if (pqs_password_hash_kind (hash) != PQS_PASSWORD_HASH_BCRYPT)
        continue;

      /* Rows copied from one another share a hash: check each one once. */
      if (!g_hash_table_lookup_extended (verdicts, hash, NULL, &verdict))
        {
          verdict = GINT_TO_POINTER (pqs_password_verify (hash, PQS_PASSWORD_LEGACY_DEFAULT));
          g_hash_table_insert (verdicts, g_strdup (hash), verdict);
        }

      if (GPOINTER_TO_INT (verdict) == PQS_PASSWORD_MATCH_NEEDS_REHASH)
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);

  return TRUE;
}

/**
 * pqs_legacy_passwords_flag_default:
 * @store: a #PqsStore inside a write transaction, whose users table has
 *   password_reset_required
 * @out_flagged: (out) (optional): how many accounts were flagged
 * @error: return location for a #GError
 *
 * The old application shipped a fixed admin password
 * (%PQS_PASSWORD_LEGACY_DEFAULT). Every account whose bcrypt hash still
 * verifies against it must choose a new password at its next sign-in: this
 * sets password_reset_required on them, and changes nothing else.
 *
 * Each bcrypt check is deliberately slow (about a quarter of a second at the
 * legacy cost 12), so this takes that long per distinct legacy hash. Legacy
 * databases hold a handful of accounts, and it runs once, during adoption.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_legacy_passwords_flag_default (PqsStore  *store,
                                   guint     *out_flagged,
                                   GError   **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PQS_IS_STORE (store), FALSE);
  g_return_val_if_fail (pqs_store_in_transaction (store), FALSE);

  if (out_flagged != NULL)
    *out_flagged = 0;

  if (!collect_default_users (store, ids, &local_error))
    goto failed;

  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt;

      stmt = pqs_store_prepare (store,
                                "UPDATE users SET password_reset_required = 1 WHERE id = ?1",
                                &local_error);
      if (stmt == NULL)
        goto failed;

      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (!pqs_store_step_done (store, stmt, &local_error))
        goto failed;
    }

  if (ids->len > 0)
    g_debug ("%u legacy account(s) still use the old default password; each must choose a "
             "new one at the next sign-in", ids->len);

  if (out_flagged != NULL)
    *out_flagged = ids->len;

  return TRUE;

failed:
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                              _("Could not look for accounts that still use the old default "
                                "password: "));
  return FALSE;
}
