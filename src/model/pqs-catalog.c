/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-catalog.h"
#include "pqs-store.h"

/**
 * pqs_catalog_count:
 * @store: a migrated #PqsStore
 * @out_standards: (out): how many PQS standards the workstation holds
 * @out_documents: (out): how many section documents they have in all
 * @error: return location for a #GError
 *
 * The size of the workstation's library, for summaries and empty states.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_catalog_count (PqsStore  *store,
                   guint     *out_standards,
                   guint     *out_documents,
                   GError   **error)
{
  gint64 standards = 0;
  gint64 documents = 0;

  g_return_val_if_fail (PQS_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_standards != NULL, FALSE);
  g_return_val_if_fail (out_documents != NULL, FALSE);

  if (!pqs_store_query_int64 (store, "SELECT count(*) FROM standards", &standards, error) ||
      !pqs_store_query_int64 (store, "SELECT count(*) FROM documents", &documents, error))
    return FALSE;

  *out_standards = (guint) standards;
  *out_documents = (guint) documents;
  return TRUE;
}
