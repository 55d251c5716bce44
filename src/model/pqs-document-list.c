/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-auth.h"
#include "pqs-document-list.h"
#include "pqs-document-summary-private.h"
#include "pqs-pager.h"
#include "pqs-store.h"
#include "pqs-user.h"

/**
 * PqsDocumentList:
 *
 * Section documents as a #GListModel of #PqsDocumentSummary, narrowed by
 * optional filters (a standard, a series, a status, an author, "waiting for
 * my review", and what a viewer may read) in one of three orders (book
 * order, most recently changed first, by title).
 *
 * Nothing is loaded up front: the length is a COUNT with the filters, and
 * rows are read a page (%PQS_DOCUMENT_LIST_PAGE_SIZE rows) at a time when a
 * view asks for them; a #PqsPager keeps the %PQS_DOCUMENT_LIST_MAX_PAGES
 * pages used last. Each order has an index that gives it (migrations 005
 * and 011), so a page is read by key: after the last row of the page
 * before, before the first row of the page after, or from the nearest row
 * whose place is known. Skipping rows to get there walks the index without
 * reading rows. The filters that the order's index cannot serve are written
 * so that SQLite filters the index walk instead of sorting.
 *
 * When the store reports a change to documents, standards, users or
 * collaborators, the list counts again, reads the rows a view shows once
 * more and announces only the rows that differ (pqs_pager_refresh()).
 * Changing a filter or the order announces that every item changed.
 */

G_DEFINE_ENUM_TYPE (PqsDocumentSort, pqs_document_sort,
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_SORT_NUMBER, "number"),
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_SORT_UPDATED, "updated"),
                    G_DEFINE_ENUM_VALUE (PQS_DOCUMENT_SORT_TITLE, "title"))

/* What a user may see, worked out from pqs_auth_allows(). */
typedef enum
{
  ACCESS_ALL,
  ACCESS_SOME,   /* approved and archived documents, their own, shared with them */
  ACCESS_NONE,
} Access;

/* Where rows start, relative to a key in the list's order. */
typedef enum
{
  SEEK_NONE,
  SEEK_FROM,      /* the key's row and after */
  SEEK_AFTER,
  SEEK_BEFORE,
  SEEK_UP_TO,     /* before, and the key's row */
} Seek;

/* A row's place in the order. */
typedef struct
{
  gint64  a;      /* standard_id, or id */
  gint64  b;      /* section */
  gint64  c;      /* document_number */
  char   *text;   /* updated_at or title */
} Key;

struct _PqsDocumentList
{
  GObject          parent_instance;

  PqsStore        *store;

  /* Filters and order. */
  gint64           standard_id;
  guint            series;
  char            *status;
  gint64           author_id;
  PqsUser         *reviewer;
  PqsUser         *viewer;
  PqsDocumentSort  sort;

  PqsPager        *pager;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsDocumentList, pqs_document_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STANDARD_ID,
  PROP_SERIES,
  PROP_STATUS,
  PROP_AUTHOR_ID,
  PROP_REVIEWER,
  PROP_VIEWER,
  PROP_SORT,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
key_clear (Key *key)
{
  g_clear_pointer (&key->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Key, key_clear)

/* SQL ------------------------------------------------------------------------ */

static Access
viewer_access (PqsUser *viewer)
{
  PqsDocumentAccess draft = { 0, PQS_DOCUMENT_DRAFT, PQS_COLLABORATOR_NONE };
  PqsDocumentAccess approved = { 0, PQS_DOCUMENT_APPROVED, PQS_COLLABORATOR_NONE };

  if (pqs_auth_allows (viewer, PQS_ACTION_READ_DOCUMENT, &draft))
    return ACCESS_ALL;
  if (pqs_auth_allows (viewer, PQS_ACTION_READ_DOCUMENT, &approved))
    return ACCESS_SOME;
  return ACCESS_NONE;
}

static gboolean
may_review (PqsUser *reviewer)
{
  PqsDocumentAccess other = { 0, PQS_DOCUMENT_IN_REVIEW, PQS_COLLABORATOR_NONE };

  return pqs_auth_allows (reviewer, PQS_ACTION_REVIEW_DOCUMENT, &other);
}

/* The filters as " AND …" terms with named parameters (bind_filters()).
 * With @for_order, a filter the order's index cannot serve gets a unary +,
 * which keeps SQLite from choosing that filter's index and sorting
 * everything it finds: the order's index is walked and the filter checked
 * on the way. Counting has no order, so there every index may serve.
 * The viewer's access is left to the callers. */
static void
append_filters_full (PqsDocumentList *self,
                     GString         *sql,
                     gboolean         for_order,
                     gboolean         without_reviewer)
{
  gboolean number = for_order && self->sort == PQS_DOCUMENT_SORT_NUMBER;
  gboolean updated = for_order && self->sort == PQS_DOCUMENT_SORT_UPDATED;
  const char *plus = for_order ? "+" : "";

  /* A standard holds at most 297 documents: sorting them costs nothing. */
  if (self->standard_id > 0)
    g_string_append (sql, " AND d.standard_id = :standard");
  if (self->series > 0)
    g_string_append_printf (sql, " AND %sd.section = :series", number ? "" : plus);
  if (self->status != NULL)
    g_string_append_printf (sql, " AND %sd.status = :status",
                            number || updated ? "" : plus);
  if (self->author_id > 0)
    g_string_append_printf (sql, " AND %sd.created_by = :author", updated ? "" : plus);
  if (self->reviewer != NULL && !without_reviewer)
    {
      if (!may_review (self->reviewer))
        g_string_append (sql, " AND 0");
      else
        g_string_append_printf (sql,
                                " AND %sd.status = 'in_review' AND d.created_by <> :reviewer"
                                " AND d.id NOT IN (SELECT c.document_id"
                                " FROM document_collaborators AS c"
                                " WHERE c.user_id = :reviewer AND c.is_active = 1"
                                " AND c.role IN ('owner', 'editor'))",
                                number || updated ? "" : plus);
    }
}

static void
append_filters (PqsDocumentList *self,
                GString         *sql,
                gboolean         for_order)
{
  append_filters_full (self, sql, for_order, FALSE);
}

#define SHARED_WITH_VIEWER \
  "(SELECT c.document_id FROM document_collaborators AS c " \
  "WHERE c.user_id = :viewer AND c.is_active = 1)"

/* What the viewer may read, for reading rows in order: the terms carry a
 * unary + so that SQLite cannot turn the OR into a union of index searches
 * (which would have to be sorted). */
static void
append_access (PqsDocumentList *self,
               GString         *sql)
{
  switch (self->viewer != NULL ? viewer_access (self->viewer) : ACCESS_ALL)
    {
    case ACCESS_ALL:
      break;
    case ACCESS_SOME:
      g_string_append (sql,
                       " AND (+d.status IN ('approved', 'archived') OR +d.created_by = :viewer"
                       " OR +d.id IN " SHARED_WITH_VIEWER ")");
      break;
    case ACCESS_NONE:
    default:
      g_string_append (sql, " AND 0");
      break;
    }
}

static const char *
order_by (PqsDocumentSort sort,
          gboolean        reverse)
{
  switch (sort)
    {
    case PQS_DOCUMENT_SORT_UPDATED:
      return reverse ? " ORDER BY d.updated_at ASC, d.id ASC"
                     : " ORDER BY d.updated_at DESC, d.id DESC";
    case PQS_DOCUMENT_SORT_TITLE:
      return reverse ? " ORDER BY d.title COLLATE NOCASE DESC, d.id DESC"
                     : " ORDER BY d.title COLLATE NOCASE, d.id";
    case PQS_DOCUMENT_SORT_NUMBER:
    default:
      return reverse ? " ORDER BY d.standard_id DESC, d.section DESC, d.document_number DESC"
                     : " ORDER BY d.standard_id, d.section, d.document_number";
    }
}

/* The key columns, as read back by read_key(). */
static const char *
key_columns (PqsDocumentSort sort)
{
  switch (sort)
    {
    case PQS_DOCUMENT_SORT_UPDATED:
      return "d.id, 0, 0, d.updated_at";
    case PQS_DOCUMENT_SORT_TITLE:
      return "d.id, 0, 0, d.title";
    case PQS_DOCUMENT_SORT_NUMBER:
    default:
      return "d.standard_id, d.section, d.document_number, NULL";
    }
}

/* Rows from (after, before, up to) :ka, :kb, :kc, :kt in the list's order. */
static void
append_seek (PqsDocumentSort  sort,
             Seek             seek,
             GString         *sql)
{
  /* The comparison in list order, and mirrored for a descending index. */
  static const char *in_order[] = { NULL, ">=", ">", "<", "<=" };
  static const char *mirrored[] = { NULL, "<=", "<", ">", ">=" };

  if (seek == SEEK_NONE)
    return;

  switch (sort)
    {
    case PQS_DOCUMENT_SORT_UPDATED:
      /* Newest first: "after" is older. */
      g_string_append_printf (sql, " AND (d.updated_at, d.id) %s (:kt, :ka)", mirrored[seek]);
      break;
    case PQS_DOCUMENT_SORT_TITLE:
      /* A row value with a collation is not used for an index range, so the
       * title bound is spelt out for the index, the id decides ties. */
      g_string_append_printf (sql,
                              " AND d.title COLLATE NOCASE %c= :kt"
                              " AND (d.title COLLATE NOCASE %c :kt OR d.id %s :ka)",
                              in_order[seek][0], in_order[seek][0], in_order[seek]);
      break;
    case PQS_DOCUMENT_SORT_NUMBER:
    default:
      g_string_append_printf (sql,
                              " AND (d.standard_id, d.section, d.document_number) %s"
                              " (:ka, :kb, :kc)", in_order[seek]);
      break;
    }
}

static void
bind_int64 (sqlite3_stmt *stmt,
            const char   *name,
            gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_filters (PqsDocumentList *self,
              sqlite3_stmt    *stmt)
{
  bind_int64 (stmt, ":standard", self->standard_id);
  bind_int64 (stmt, ":series", self->series);
  bind_text (stmt, ":status", self->status);
  bind_int64 (stmt, ":author", self->author_id);
  bind_int64 (stmt, ":reviewer", self->reviewer != NULL ? pqs_user_get_id (self->reviewer) : 0);
  bind_int64 (stmt, ":viewer", self->viewer != NULL ? pqs_user_get_id (self->viewer) : 0);
}

static void
bind_key (sqlite3_stmt *stmt,
          const Key    *key)
{
  bind_int64 (stmt, ":ka", key->a);
  bind_int64 (stmt, ":kb", key->b);
  bind_int64 (stmt, ":kc", key->c);
  bind_text (stmt, ":kt", key->text);
}

static void
read_key (sqlite3_stmt *stmt,
          Key          *key)
{
  key_clear (key);
  key->a = sqlite3_column_int64 (stmt, 0);
  key->b = sqlite3_column_int64 (stmt, 1);
  key->c = sqlite3_column_int64 (stmt, 2);
  key->text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
}

static void
summary_key (PqsDocumentList    *self,
             PqsDocumentSummary *summary,
             Key                *key)
{
  key_clear (key);
  switch (self->sort)
    {
    case PQS_DOCUMENT_SORT_UPDATED:
      key->a = pqs_document_summary_get_id (summary);
      key->text = g_strdup (pqs_document_summary_get_updated_at_text (summary));
      break;
    case PQS_DOCUMENT_SORT_TITLE:
      key->a = pqs_document_summary_get_id (summary);
      key->text = g_strdup (pqs_document_summary_get_title (summary));
      break;
    case PQS_DOCUMENT_SORT_NUMBER:
    default:
      key->a = pqs_document_summary_get_standard_id (summary);
      key->b = pqs_document_summary_get_section (summary);
      key->c = pqs_document_summary_get_number (summary);
      break;
    }
}

static gboolean
fail_step (PqsDocumentList  *self,
           sqlite3_stmt     *stmt,
           int               rc,
           GError          **error)
{
  sqlite3_reset (stmt);
  return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, NULL);
}

/* Counting ------------------------------------------------------------------- */

static gboolean
count_items (gpointer   owner,
             guint     *out_count,
             GError   **error)
{
  PqsDocumentList *self = owner;
  g_autoptr(GString) sql = g_string_new (NULL);
  Access access = self->viewer != NULL ? viewer_access (self->viewer) : ACCESS_ALL;
  sqlite3_stmt *stmt;
  gint64 count;
  int rc;

  if (access == ACCESS_ALL && self->reviewer != NULL && may_review (self->reviewer))
    {
      g_autoptr(GString) where = g_string_new (NULL);

      /* Those in review, less the reviewer's own, less those they edit:
       * three counts that walk indexes, where the filter as written looks
       * up every document in review to read its author. */
      append_filters_full (self, where, FALSE, TRUE);
      g_string_append_printf (sql,
                              "SELECT (SELECT count(*) FROM documents AS d"
                              " WHERE d.status = 'in_review'%s)"
                              " - (SELECT count(*) FROM documents AS d"
                              " WHERE d.created_by = :reviewer AND +d.status = 'in_review'%s)"
                              " - (SELECT count(*) FROM document_collaborators AS c"
                              " JOIN documents AS d ON d.id = c.document_id"
                              " WHERE c.user_id = :reviewer AND c.is_active = 1"
                              " AND c.role IN ('owner', 'editor') AND d.status = 'in_review'"
                              " AND d.created_by <> :reviewer%s)",
                              where->str, where->str, where->str);
    }
  else if (access == ACCESS_SOME)
    {
      /* Two counts that each have an index, rather than one OR that has none. */
      g_string_append (sql, "SELECT (SELECT count(*) FROM documents AS d WHERE 1");
      append_filters (self, sql, FALSE);
      g_string_append (sql, " AND d.status IN ('approved', 'archived'))"
                            " + (SELECT count(*) FROM documents AS d WHERE 1");
      append_filters (self, sql, FALSE);
      g_string_append (sql, " AND d.status IN ('draft', 'in_review')"
                            " AND (d.created_by = :viewer OR d.id IN " SHARED_WITH_VIEWER "))");
    }
  else
    {
      g_autoptr(GString) where = g_string_new (NULL);

      append_filters (self, where, FALSE);
      if (access == ACCESS_NONE)
        g_string_append (where, " AND 0");

      /* Without a WHERE clause SQLite counts the cells of the smallest
       * index page by page (microseconds); "WHERE 1" would visit every row. */
      g_string_append (sql, "SELECT count(*) FROM documents AS d");
      if (where->len > 0)
        g_string_append_printf (sql, " WHERE 1%s", where->str);
    }

  stmt = pqs_store_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (self, stmt);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return fail_step (self, stmt, rc, error);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  *out_count = (guint) CLAMP (count, 0, G_MAXUINT);
  return TRUE;
}

/* Pages ------------------------------------------------------------------------ */

/* The key of the row @skip rows on from where @seek puts the start (walking
 * the order's index, backwards with @reverse). */
static gboolean
key_at (PqsDocumentList  *self,
        Seek              seek,
        gboolean          reverse,
        guint             skip,
        gboolean         *out_found,
        Key              *key,
        GError          **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_string_append_printf (sql, "SELECT %s FROM documents AS d WHERE 1",
                          key_columns (self->sort));
  append_filters (self, sql, TRUE);
  append_access (self, sql);
  append_seek (self->sort, seek, sql);
  g_string_append (sql, order_by (self->sort, reverse));
  g_string_append (sql, " LIMIT 1 OFFSET :offset");

  stmt = pqs_store_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (self, stmt);
  bind_key (stmt, key);
  bind_int64 (stmt, ":offset", skip);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail_step (self, stmt, rc, error);
  *out_found = rc == SQLITE_ROW;
  if (*out_found)
    read_key (stmt, key);
  sqlite3_reset (stmt);

  return TRUE;
}

static GPtrArray *
read_rows (PqsDocumentList  *self,
           Seek              seek,
           gboolean          reverse,
           const Key        *key,
           guint             limit,
           GError          **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (limit, g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_string_append (sql, "SELECT " PQS_DOCUMENT_SUMMARY_COLUMNS " FROM documents AS d "
                        PQS_DOCUMENT_SUMMARY_JOIN " WHERE 1");
  append_filters (self, sql, TRUE);
  append_access (self, sql);
  append_seek (self->sort, seek, sql);
  g_string_append (sql, order_by (self->sort, reverse));
  g_string_append (sql, " LIMIT :limit");

  stmt = pqs_store_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_filters (self, stmt);
  bind_key (stmt, key);
  bind_int64 (stmt, ":limit", limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, pqs_document_summary_new_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      fail_step (self, stmt, rc, error);
      return NULL;
    }
  sqlite3_reset (stmt);

  /* Read backwards: turn it round. */
  if (reverse)
    {
      for (guint i = 0, j = items->len; i + 1 < j; i++, j--)
        {
          gpointer swap = items->pdata[i];

          items->pdata[i] = items->pdata[j - 1];
          items->pdata[j - 1] = swap;
        }
    }

  return g_steal_pointer (&items);
}

static GPtrArray *
fetch_cb (gpointer       owner,
          PqsPagerSeek   where,
          gpointer       anchor,
          guint          skip,
          guint          limit,
          GError       **error)
{
  PqsDocumentList *self = owner;
  static const Seek seeks[] = {
    [PQS_PAGER_FROM_START] = SEEK_NONE,
    [PQS_PAGER_FROM_END] = SEEK_NONE,
    [PQS_PAGER_FROM_ANCHOR] = SEEK_FROM,
    [PQS_PAGER_AFTER_ANCHOR] = SEEK_AFTER,
    [PQS_PAGER_BEFORE_ANCHOR] = SEEK_BEFORE,
  };
  gboolean reverse = where == PQS_PAGER_FROM_END || where == PQS_PAGER_BEFORE_ANCHOR;
  Seek seek = seeks[where];
  g_auto(Key) key = { 0, };

  if (anchor != NULL)
    summary_key (self, anchor, &key);

  /* Skipping walks the index for the first row's key, then reads from it. */
  if (skip > 0)
    {
      gboolean found = FALSE;

      if (!key_at (self, seek, reverse, skip, &found, &key, error))
        return NULL;
      if (!found)
        return g_ptr_array_new_with_free_func (g_object_unref);
      seek = reverse ? SEEK_UP_TO : SEEK_FROM;
    }

  return read_rows (self, seek, reverse, &key, limit, error);
}

static gboolean
summary_equal (gconstpointer a,
               gconstpointer b)
{
  PqsDocumentSummary *x = (PqsDocumentSummary *) a;
  PqsDocumentSummary *y = (PqsDocumentSummary *) b;

  return pqs_document_summary_get_id (x) == pqs_document_summary_get_id (y) &&
         pqs_document_summary_get_version (x) == pqs_document_summary_get_version (y) &&
         pqs_document_summary_get_section (x) == pqs_document_summary_get_section (y) &&
         pqs_document_summary_get_number (x) == pqs_document_summary_get_number (y) &&
         pqs_document_summary_get_standard_id (x) == pqs_document_summary_get_standard_id (y) &&
         pqs_document_summary_get_author_id (x) == pqs_document_summary_get_author_id (y) &&
         g_strcmp0 (pqs_document_summary_get_updated_at_text (x),
                    pqs_document_summary_get_updated_at_text (y)) == 0 &&
         g_strcmp0 (pqs_document_summary_get_title (x),
                    pqs_document_summary_get_title (y)) == 0 &&
         g_strcmp0 (pqs_document_summary_get_status (x),
                    pqs_document_summary_get_status (y)) == 0 &&
         g_strcmp0 (pqs_document_summary_get_standard_title (x),
                    pqs_document_summary_get_standard_title (y)) == 0 &&
         g_strcmp0 (pqs_document_summary_get_classification (x),
                    pqs_document_summary_get_classification (y)) == 0 &&
         g_strcmp0 (pqs_document_summary_get_author_name (x),
                    pqs_document_summary_get_author_name (y)) == 0;
}

static const PqsPagerFuncs pager_funcs = {
  .count = count_items,
  .fetch = fetch_cb,
  .equal = summary_equal,
  .keyset = TRUE,
  .what = "the documents",
};

/* Keeping current -------------------------------------------------------------- */

static void
store_changed_cb (PqsStore        *store,
                  const char      *table,
                  GArray          *rowids,
                  PqsDocumentList *self)
{
  pqs_pager_refresh (self->pager);
}

/* GListModel ------------------------------------------------------------------- */

static GType
pqs_document_list_get_item_type (GListModel *model)
{
  return PQS_TYPE_DOCUMENT_SUMMARY;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pqs_document_list_get_item_type;
  pqs_pager_implement_list_model (iface);
}

/* GObject ---------------------------------------------------------------------- */

static void
pqs_document_list_constructed (GObject *object)
{
  PqsDocumentList *self = (PqsDocumentList *) object;
  static const char *tables[] = {
    "changed::documents", "changed::standards", "changed::users",
    "changed::document_collaborators",
  };

  G_OBJECT_CLASS (pqs_document_list_parent_class)->constructed (object);

  g_assert (PQS_IS_STORE (self->store));

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_signal_connect_object (self->store, tables[i], G_CALLBACK (store_changed_cb), self, 0);

  self->pager = pqs_pager_new (G_LIST_MODEL (self), properties[PROP_N_ITEMS], &pager_funcs,
                               PQS_DOCUMENT_LIST_PAGE_SIZE, PQS_DOCUMENT_LIST_MAX_PAGES);
  pqs_pager_reset (self->pager);
}

static void
pqs_document_list_dispose (GObject *object)
{
  PqsDocumentList *self = (PqsDocumentList *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->reviewer);
  g_clear_object (&self->viewer);

  G_OBJECT_CLASS (pqs_document_list_parent_class)->dispose (object);
}

static void
pqs_document_list_finalize (GObject *object)
{
  PqsDocumentList *self = (PqsDocumentList *) object;

  g_clear_pointer (&self->pager, pqs_pager_free);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (pqs_document_list_parent_class)->finalize (object);
}

static void
pqs_document_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PqsDocumentList *self = PQS_DOCUMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STANDARD_ID:
      g_value_set_int64 (value, self->standard_id);
      break;
    case PROP_SERIES:
      g_value_set_uint (value, self->series);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_AUTHOR_ID:
      g_value_set_int64 (value, self->author_id);
      break;
    case PROP_REVIEWER:
      g_value_set_object (value, self->reviewer);
      break;
    case PROP_VIEWER:
      g_value_set_object (value, self->viewer);
      break;
    case PROP_SORT:
      g_value_set_enum (value, self->sort);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, PQS_TYPE_DOCUMENT_SUMMARY);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->pager != NULL ? pqs_pager_get_n_items (self->pager) : 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_document_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PqsDocumentList *self = PQS_DOCUMENT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_STANDARD_ID:
      pqs_document_list_set_standard_id (self, g_value_get_int64 (value));
      break;
    case PROP_SERIES:
      pqs_document_list_set_series (self, g_value_get_uint (value));
      break;
    case PROP_STATUS:
      pqs_document_list_set_status (self, g_value_get_string (value));
      break;
    case PROP_AUTHOR_ID:
      pqs_document_list_set_author_id (self, g_value_get_int64 (value));
      break;
    case PROP_REVIEWER:
      pqs_document_list_set_reviewer (self, g_value_get_object (value));
      break;
    case PROP_VIEWER:
      pqs_document_list_set_viewer (self, g_value_get_object (value));
      break;
    case PROP_SORT:
      pqs_document_list_set_sort (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_document_list_class_init (PqsDocumentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = pqs_document_list_constructed;
  object_class->dispose = pqs_document_list_dispose;
  object_class->finalize = pqs_document_list_finalize;
  object_class->get_property = pqs_document_list_get_property;
  object_class->set_property = pqs_document_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* 0: every standard. */
  properties[PROP_STANDARD_ID] =
    g_param_spec_int64 ("standard-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* 0: every series; else 100, 200 or 300. */
  properties[PROP_SERIES] = g_param_spec_uint ("series", NULL, NULL, 0, 300, 0, flags);
  /* NULL: every status. */
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  /* 0: everyone's. */
  properties[PROP_AUTHOR_ID] =
    g_param_spec_int64 ("author-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* "Waiting for my review": documents in review that this supervisor or
   * administrator may approve (not their own, not one they edit). */
  properties[PROP_REVIEWER] =
    g_param_spec_object ("reviewer", NULL, NULL, PQS_TYPE_USER, flags);
  /* Only what this user may read; NULL: everything (the operator). */
  properties[PROP_VIEWER] = g_param_spec_object ("viewer", NULL, NULL, PQS_TYPE_USER, flags);
  properties[PROP_SORT] =
    g_param_spec_enum ("sort", NULL, NULL, PQS_TYPE_DOCUMENT_SORT, PQS_DOCUMENT_SORT_NUMBER,
                       flags);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_document_list_init (PqsDocumentList *self)
{
  self->sort = PQS_DOCUMENT_SORT_NUMBER;
}

/* Public ----------------------------------------------------------------------- */

/**
 * pqs_document_list_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): every section document, in book order, kept current
 */
PqsDocumentList *
pqs_document_list_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_DOCUMENT_LIST, "store", store, NULL);
}

/**
 * pqs_document_list_get_store:
 * @self: a #PqsDocumentList
 *
 * Returns: (transfer none): the store
 */
PqsStore *
pqs_document_list_get_store (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), NULL);

  return self->store;
}

static void
changed (PqsDocumentList *self,
         guint            prop)
{
  /* Set before construction ends: constructed() counts. */
  if (self->pager != NULL)
    pqs_pager_reset (self->pager);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

gint64
pqs_document_list_get_standard_id (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), 0);

  return self->standard_id;
}

/**
 * pqs_document_list_set_standard_id:
 * @self: a #PqsDocumentList
 * @standard_id: the standard whose documents to list, or 0 for all
 */
void
pqs_document_list_set_standard_id (PqsDocumentList *self,
                                   gint64           standard_id)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));

  standard_id = MAX (standard_id, 0);
  if (self->standard_id == standard_id)
    return;

  self->standard_id = standard_id;
  changed (self, PROP_STANDARD_ID);
}

guint
pqs_document_list_get_series (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), 0);

  return self->series;
}

/**
 * pqs_document_list_set_series:
 * @self: a #PqsDocumentList
 * @series: 100, 200 or 300, or 0 for every series
 */
void
pqs_document_list_set_series (PqsDocumentList *self,
                              guint            series)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));
  g_return_if_fail (series == 0 || series == 100 || series == 200 || series == 300);

  if (self->series == series)
    return;

  self->series = series;
  changed (self, PROP_SERIES);
}

const char *
pqs_document_list_get_status (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), NULL);

  return self->status;
}

/**
 * pqs_document_list_set_status:
 * @self: a #PqsDocumentList
 * @status: (nullable): "draft", "in_review", "approved" or "archived", or
 *   %NULL for every status
 */
void
pqs_document_list_set_status (PqsDocumentList *self,
                              const char      *status)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));
  g_return_if_fail (status == NULL || pqs_document_status_from_string (status, NULL));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  changed (self, PROP_STATUS);
}

gint64
pqs_document_list_get_author_id (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), 0);

  return self->author_id;
}

/**
 * pqs_document_list_set_author_id:
 * @self: a #PqsDocumentList
 * @author_id: list only the documents this user created, or 0 for all
 */
void
pqs_document_list_set_author_id (PqsDocumentList *self,
                                 gint64           author_id)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));

  author_id = MAX (author_id, 0);
  if (self->author_id == author_id)
    return;

  self->author_id = author_id;
  changed (self, PROP_AUTHOR_ID);
}

/**
 * pqs_document_list_get_reviewer:
 * @self: a #PqsDocumentList
 *
 * Returns: (transfer none) (nullable): whose review queue is listed
 */
PqsUser *
pqs_document_list_get_reviewer (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), NULL);

  return self->reviewer;
}

/**
 * pqs_document_list_set_reviewer:
 * @self: a #PqsDocumentList
 * @reviewer: (nullable): list only the documents waiting for this user's
 *   review, or %NULL to turn the filter off
 *
 * "Waiting for my review": documents in review that @reviewer did not write
 * and does not edit or own as a collaborator, which is what
 * pqs_auth_check() lets them approve. A user who may not review at all (a
 * visitor or user, an inactive account) gets an empty list.
 */
void
pqs_document_list_set_reviewer (PqsDocumentList *self,
                                PqsUser         *reviewer)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));
  g_return_if_fail (reviewer == NULL || PQS_IS_USER (reviewer));

  if (!g_set_object (&self->reviewer, reviewer))
    return;

  changed (self, PROP_REVIEWER);
}

/**
 * pqs_document_list_get_viewer:
 * @self: a #PqsDocumentList
 *
 * Returns: (transfer none) (nullable): whose read permission applies
 */
PqsUser *
pqs_document_list_get_viewer (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), NULL);

  return self->viewer;
}

/**
 * pqs_document_list_set_viewer:
 * @self: a #PqsDocumentList
 * @viewer: (nullable): the signed-in user, or %NULL for the operator at the
 *   command line, who sees everything
 *
 * Lists only what @viewer may read (%PQS_ACTION_READ_DOCUMENT): everything
 * for supervisors and administrators; for others the approved and archived
 * documents, their own, and those shared with them.
 */
void
pqs_document_list_set_viewer (PqsDocumentList *self,
                              PqsUser         *viewer)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));
  g_return_if_fail (viewer == NULL || PQS_IS_USER (viewer));

  if (!g_set_object (&self->viewer, viewer))
    return;

  changed (self, PROP_VIEWER);
}

PqsDocumentSort
pqs_document_list_get_sort (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), PQS_DOCUMENT_SORT_NUMBER);

  return self->sort;
}

void
pqs_document_list_set_sort (PqsDocumentList *self,
                            PqsDocumentSort  sort)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));
  g_return_if_fail (sort <= PQS_DOCUMENT_SORT_TITLE);

  if (self->sort == sort)
    return;

  self->sort = sort;
  changed (self, PROP_SORT);
}

/**
 * pqs_document_list_reload:
 * @self: a #PqsDocumentList
 *
 * Counts and reads everything again, for example after another program
 * changed the database.
 */
void
pqs_document_list_reload (PqsDocumentList *self)
{
  g_return_if_fail (PQS_IS_DOCUMENT_LIST (self));

  pqs_pager_reset (self->pager);
}

/**
 * pqs_document_list_get_n_cached_pages:
 * @self: a #PqsDocumentList
 *
 * Returns: how many pages of rows the list holds now (at most
 *   %PQS_DOCUMENT_LIST_MAX_PAGES)
 */
guint
pqs_document_list_get_n_cached_pages (PqsDocumentList *self)
{
  g_return_val_if_fail (PQS_IS_DOCUMENT_LIST (self), 0);

  return pqs_pager_get_n_cached_pages (self->pager);
}
