/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>

#include "pqs-pager.h"
#include "pqs-standard-list.h"
#include "pqs-store.h"

/* PqsStandardSummary ============================================================ */

/**
 * PqsStandardSummary:
 *
 * One row of #PqsStandardList: a standard's title, unit, classification,
 * revision and status, and how many of its section documents are in each
 * workflow state. A read-only snapshot.
 */

enum {
  COUNT_DRAFT,
  COUNT_IN_REVIEW,
  COUNT_APPROVED,
  COUNT_ARCHIVED,
  N_COUNTS
};

static const char *count_statuses[N_COUNTS] = { "draft", "in_review", "approved", "archived" };

struct _PqsStandardSummary
{
  GObject    parent_instance;

  gint64     id;
  char      *title;
  char      *owning_unit;
  char      *classification;
  char      *revision;
  char      *status;
  char      *updated_at_text;
  GDateTime *updated_at;      /* parsed on first use */
  guint      counts[N_COUNTS];
};

G_DEFINE_FINAL_TYPE (PqsStandardSummary, pqs_standard_summary, G_TYPE_OBJECT)

enum {
  SUMMARY_PROP_0,
  SUMMARY_PROP_ID,
  SUMMARY_PROP_TITLE,
  SUMMARY_PROP_OWNING_UNIT,
  SUMMARY_PROP_CLASSIFICATION,
  SUMMARY_PROP_REVISION,
  SUMMARY_PROP_STATUS,
  SUMMARY_PROP_UPDATED_AT,
  SUMMARY_PROP_N_DOCUMENTS,
  SUMMARY_PROP_N_DRAFT,
  SUMMARY_PROP_N_IN_REVIEW,
  SUMMARY_PROP_N_APPROVED,
  SUMMARY_PROP_N_ARCHIVED,
  SUMMARY_PROP_ALL_APPROVED,
  SUMMARY_N_PROPS
};

static GParamSpec *summary_properties[SUMMARY_N_PROPS];

static void
pqs_standard_summary_finalize (GObject *object)
{
  PqsStandardSummary *self = (PqsStandardSummary *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->owning_unit, g_free);
  g_clear_pointer (&self->classification, g_free);
  g_clear_pointer (&self->revision, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->updated_at_text, g_free);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (pqs_standard_summary_parent_class)->finalize (object);
}

static void
pqs_standard_summary_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PqsStandardSummary *self = PQS_STANDARD_SUMMARY (object);

  switch (prop_id)
    {
    case SUMMARY_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case SUMMARY_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case SUMMARY_PROP_OWNING_UNIT:
      g_value_set_string (value, self->owning_unit);
      break;
    case SUMMARY_PROP_CLASSIFICATION:
      g_value_set_string (value, self->classification);
      break;
    case SUMMARY_PROP_REVISION:
      g_value_set_string (value, self->revision);
      break;
    case SUMMARY_PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case SUMMARY_PROP_UPDATED_AT:
      g_value_set_boxed (value, pqs_standard_summary_get_updated_at (self));
      break;
    case SUMMARY_PROP_N_DOCUMENTS:
      g_value_set_uint (value, pqs_standard_summary_get_n_documents (self));
      break;
    case SUMMARY_PROP_N_DRAFT:
      g_value_set_uint (value, self->counts[COUNT_DRAFT]);
      break;
    case SUMMARY_PROP_N_IN_REVIEW:
      g_value_set_uint (value, self->counts[COUNT_IN_REVIEW]);
      break;
    case SUMMARY_PROP_N_APPROVED:
      g_value_set_uint (value, self->counts[COUNT_APPROVED]);
      break;
    case SUMMARY_PROP_N_ARCHIVED:
      g_value_set_uint (value, self->counts[COUNT_ARCHIVED]);
      break;
    case SUMMARY_PROP_ALL_APPROVED:
      g_value_set_boolean (value, pqs_standard_summary_get_all_approved (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
summary_string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                              G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
summary_count_property (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                            G_PARAM_EXPLICIT_NOTIFY);
}

static void
pqs_standard_summary_class_init (PqsStandardSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pqs_standard_summary_finalize;
  object_class->get_property = pqs_standard_summary_get_property;

  summary_properties[SUMMARY_PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  summary_properties[SUMMARY_PROP_TITLE] = summary_string_property ("title");
  summary_properties[SUMMARY_PROP_OWNING_UNIT] = summary_string_property ("owning-unit");
  summary_properties[SUMMARY_PROP_CLASSIFICATION] = summary_string_property ("classification");
  summary_properties[SUMMARY_PROP_REVISION] = summary_string_property ("revision");
  summary_properties[SUMMARY_PROP_STATUS] = summary_string_property ("status");
  summary_properties[SUMMARY_PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  summary_properties[SUMMARY_PROP_N_DOCUMENTS] = summary_count_property ("n-documents");
  summary_properties[SUMMARY_PROP_N_DRAFT] = summary_count_property ("n-draft");
  summary_properties[SUMMARY_PROP_N_IN_REVIEW] = summary_count_property ("n-in-review");
  summary_properties[SUMMARY_PROP_N_APPROVED] = summary_count_property ("n-approved");
  summary_properties[SUMMARY_PROP_N_ARCHIVED] = summary_count_property ("n-archived");
  /* Every section document is approved (and there is at least one). */
  summary_properties[SUMMARY_PROP_ALL_APPROVED] =
    g_param_spec_boolean ("all-approved", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, SUMMARY_N_PROPS, summary_properties);
}

static void
pqs_standard_summary_init (PqsStandardSummary *self)
{
}

/* The columns standard_summary_new_from_stmt() reads, from column 0. */
#define STANDARD_SUMMARY_COLUMNS \
  "s.id, s.title, s.owning_unit, s.classification, s.revision, s.status, s.updated_at, " \
  "(SELECT count(*) FROM documents AS d WHERE d.status = 'draft' AND d.standard_id = s.id), " \
  "(SELECT count(*) FROM documents AS d WHERE d.status = 'in_review' AND d.standard_id = s.id), " \
  "(SELECT count(*) FROM documents AS d WHERE d.status = 'approved' AND d.standard_id = s.id), " \
  "(SELECT count(*) FROM documents AS d WHERE d.status = 'archived' AND d.standard_id = s.id)"

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static PqsStandardSummary *
standard_summary_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsStandardSummary *self = g_object_new (PQS_TYPE_STANDARD_SUMMARY, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->title = dup_column (stmt, 1);
  self->owning_unit = dup_column (stmt, 2);
  self->classification = dup_column (stmt, 3);
  self->revision = dup_column (stmt, 4);
  self->status = dup_column (stmt, 5);
  self->updated_at_text = dup_column (stmt, 6);
  for (guint i = 0; i < N_COUNTS; i++)
    self->counts[i] = (guint) sqlite3_column_int64 (stmt, 7 + (int) i);

  return self;
}

gint64
pqs_standard_summary_get_id (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), 0);
  return self->id;
}

const char *
pqs_standard_summary_get_title (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), NULL);
  return self->title;
}

const char *
pqs_standard_summary_get_owning_unit (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), NULL);
  return self->owning_unit;
}

/**
 * pqs_standard_summary_get_classification:
 * @self: a #PqsStandardSummary
 *
 * Returns: "unclassified", "restricted", "confidential" or "secret"
 */
const char *
pqs_standard_summary_get_classification (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), NULL);
  return self->classification;
}

const char *
pqs_standard_summary_get_revision (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), NULL);
  return self->revision;
}

const char *
pqs_standard_summary_get_status (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), NULL);
  return self->status;
}

/**
 * pqs_standard_summary_get_updated_at:
 * @self: a #PqsStandardSummary
 *
 * Returns: (transfer none) (nullable): when the standard itself last changed
 */
GDateTime *
pqs_standard_summary_get_updated_at (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), NULL);

  if (self->updated_at == NULL && self->updated_at_text != NULL)
    self->updated_at = pqs_store_parse_time (self->updated_at_text);
  return self->updated_at;
}

guint
pqs_standard_summary_get_n_documents (PqsStandardSummary *self)
{
  guint total = 0;

  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), 0);

  for (guint i = 0; i < N_COUNTS; i++)
    total += self->counts[i];
  return total;
}

/**
 * pqs_standard_summary_get_n_with_status:
 * @self: a #PqsStandardSummary
 * @status: "draft", "in_review", "approved" or "archived"
 *
 * Returns: how many of the standard's section documents have @status
 */
guint
pqs_standard_summary_get_n_with_status (PqsStandardSummary *self,
                                        const char         *status)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), 0);
  g_return_val_if_fail (status != NULL, 0);

  for (guint i = 0; i < N_COUNTS; i++)
    {
      if (g_str_equal (status, count_statuses[i]))
        return self->counts[i];
    }

  g_return_val_if_reached (0);
}

gboolean
pqs_standard_summary_get_all_approved (PqsStandardSummary *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_SUMMARY (self), FALSE);

  return self->counts[COUNT_APPROVED] > 0 &&
         self->counts[COUNT_APPROVED] == pqs_standard_summary_get_n_documents (self);
}

/* PqsStandardList ================================================================ */

/**
 * PqsStandardList:
 *
 * The standards of the workstation by title, as a #GListModel of
 * #PqsStandardSummary, each with its documents counted per status.
 *
 * Like #PqsDocumentList it counts first and reads pages of
 * %PQS_STANDARD_LIST_PAGE_SIZE rows when asked, keeping the last
 * %PQS_STANDARD_LIST_MAX_PAGES (a #PqsPager). A workstation holds hundreds
 * of standards, not hundreds of thousands, so a page is found by OFFSET over
 * the title index (011), which reads no rows on the way; the counts of a
 * page come from idx_documents_status_book without reading documents. When
 * standards or documents change it counts again and announces the rows
 * that differ (a document's change is one standard's counts).
 */

struct _PqsStandardList
{
  GObject   parent_instance;

  PqsStore *store;
  PqsPager *pager;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsStandardList, pqs_standard_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
count_items (gpointer   owner,
             guint     *out_count,
             GError   **error)
{
  PqsStandardList *self = owner;
  gint64 count = 0;

  if (!pqs_store_query_int64 (self->store, "SELECT count(*) FROM standards", &count, error))
    return FALSE;

  *out_count = (guint) CLAMP (count, 0, G_MAXUINT);
  return TRUE;
}

static GPtrArray *
fetch_cb (gpointer       owner,
          PqsPagerSeek   seek,
          gpointer       anchor,
          guint          skip,
          guint          limit,
          GError       **error)
{
  PqsStandardList *self = owner;
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (limit, g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (seek == PQS_PAGER_FROM_START);

  stmt = pqs_store_prepare (self->store,
                            "SELECT " STANDARD_SUMMARY_COLUMNS " FROM standards AS s "
                            "ORDER BY s.title COLLATE NOCASE, s.id LIMIT ?1 OFFSET ?2",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, skip);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, standard_summary_new_from_stmt (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, NULL);
      return NULL;
    }

  return g_steal_pointer (&items);
}

static gboolean
summary_equal (gconstpointer a,
               gconstpointer b)
{
  const PqsStandardSummary *x = a;
  const PqsStandardSummary *y = b;

  return x->id == y->id &&
         memcmp (x->counts, y->counts, sizeof x->counts) == 0 &&
         g_strcmp0 (x->title, y->title) == 0 &&
         g_strcmp0 (x->owning_unit, y->owning_unit) == 0 &&
         g_strcmp0 (x->classification, y->classification) == 0 &&
         g_strcmp0 (x->revision, y->revision) == 0 &&
         g_strcmp0 (x->status, y->status) == 0 &&
         g_strcmp0 (x->updated_at_text, y->updated_at_text) == 0;
}

static const PqsPagerFuncs pager_funcs = {
  .count = count_items,
  .fetch = fetch_cb,
  .equal = summary_equal,
  .keyset = FALSE,
  .what = "the standards",
};

static void
store_changed_cb (PqsStore        *store,
                  const char      *table,
                  GArray          *rowids,
                  PqsStandardList *self)
{
  pqs_pager_refresh (self->pager);
}

static GType
pqs_standard_list_get_item_type (GListModel *model)
{
  return PQS_TYPE_STANDARD_SUMMARY;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pqs_standard_list_get_item_type;
  pqs_pager_implement_list_model (iface);
}

static void
pqs_standard_list_constructed (GObject *object)
{
  PqsStandardList *self = (PqsStandardList *) object;

  G_OBJECT_CLASS (pqs_standard_list_parent_class)->constructed (object);

  g_assert (PQS_IS_STORE (self->store));

  g_signal_connect_object (self->store, "changed::standards",
                           G_CALLBACK (store_changed_cb), self, 0);
  g_signal_connect_object (self->store, "changed::documents",
                           G_CALLBACK (store_changed_cb), self, 0);

  self->pager = pqs_pager_new (G_LIST_MODEL (self), properties[PROP_N_ITEMS], &pager_funcs,
                               PQS_STANDARD_LIST_PAGE_SIZE, PQS_STANDARD_LIST_MAX_PAGES);
  pqs_pager_reset (self->pager);
}

static void
pqs_standard_list_dispose (GObject *object)
{
  PqsStandardList *self = (PqsStandardList *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_standard_list_parent_class)->dispose (object);
}

static void
pqs_standard_list_finalize (GObject *object)
{
  PqsStandardList *self = (PqsStandardList *) object;

  g_clear_pointer (&self->pager, pqs_pager_free);

  G_OBJECT_CLASS (pqs_standard_list_parent_class)->finalize (object);
}

static void
pqs_standard_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PqsStandardList *self = PQS_STANDARD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, PQS_TYPE_STANDARD_SUMMARY);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->pager != NULL ? pqs_pager_get_n_items (self->pager) : 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_standard_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PqsStandardList *self = PQS_STANDARD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_standard_list_class_init (PqsStandardListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pqs_standard_list_constructed;
  object_class->dispose = pqs_standard_list_dispose;
  object_class->finalize = pqs_standard_list_finalize;
  object_class->get_property = pqs_standard_list_get_property;
  object_class->set_property = pqs_standard_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_standard_list_init (PqsStandardList *self)
{
}

/**
 * pqs_standard_list_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): every standard by title, kept current
 */
PqsStandardList *
pqs_standard_list_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_STANDARD_LIST, "store", store, NULL);
}

/**
 * pqs_standard_list_get_store:
 * @self: a #PqsStandardList
 *
 * Returns: (transfer none): the store
 */
PqsStore *
pqs_standard_list_get_store (PqsStandardList *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_LIST (self), NULL);

  return self->store;
}

/**
 * pqs_standard_list_reload:
 * @self: a #PqsStandardList
 *
 * Counts and reads everything again, for example after another program
 * changed the database.
 */
void
pqs_standard_list_reload (PqsStandardList *self)
{
  g_return_if_fail (PQS_IS_STANDARD_LIST (self));

  pqs_pager_reset (self->pager);
}

/**
 * pqs_standard_list_get_n_cached_pages:
 * @self: a #PqsStandardList
 *
 * Returns: how many pages of rows the list holds now
 */
guint
pqs_standard_list_get_n_cached_pages (PqsStandardList *self)
{
  g_return_val_if_fail (PQS_IS_STANDARD_LIST (self), 0);

  return pqs_pager_get_n_cached_pages (self->pager);
}
