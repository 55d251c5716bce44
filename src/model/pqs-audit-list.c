/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-audit-entry-private.h"
#include "pqs-audit-list.h"
#include "pqs-pager.h"
#include "pqs-store.h"

/**
 * PqsAuditList:
 *
 * The audit trail as a #GListModel of #PqsAuditEntry, newest (highest id)
 * first, narrowed by optional filters: a user, an activity type, a resource,
 * a time range (since ≤ created_at < until).
 *
 * Nothing is loaded up front: the length is a COUNT with the filters' WHERE,
 * and items are read from SQL a page at a time, keeping a few pages (a
 * #PqsPager). A page next to a cached one, or to one seen before, is read by
 * key (ids below or above it); so is any page of the unfiltered trail while
 * its ids have no gaps, which is what an intact chain looks like. Only a
 * jump into the middle of a filtered list skips rows with an OFFSET. The list counts the rows up to the highest id it has seen and
 * reads nothing above it, so its length and its items always agree; new rows
 * join at the top when the store announces them.
 */

#define PAGE_SIZE 100
#define MAX_PAGES 8

/* A filter matching at least 1/ROWID_SCAN_SHARE of the table is read in id
 * order, row by row; a narrower one through its index, sorted. */
#define ROWID_SCAN_SHARE 16

struct _PqsAuditList
{
  GObject    parent_instance;

  PqsStore  *store;

  /* Filters. */
  gint64     user_id;
  char      *activity_type;
  char      *resource_type;
  gint64     resource_id;
  GDateTime *since;
  char      *since_text;
  GDateTime *until;
  char      *until_text;

  /* What the last count saw. */
  gint64     max_id;       /* the highest id of the table; rows above are not listed yet */
  gint64     table_rows;   /* rows of the whole table */
  gboolean   contiguous;   /* the table's ids have no gaps */

  PqsPager  *pager;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsAuditList, pqs_audit_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_USER_ID,
  PROP_ACTIVITY_TYPE,
  PROP_RESOURCE_TYPE,
  PROP_RESOURCE_ID,
  PROP_SINCE,
  PROP_UNTIL,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* SQL ------------------------------------------------------------------------ */

static gboolean
is_filtered (PqsAuditList *self)
{
  return self->user_id > 0 || self->activity_type != NULL || self->resource_type != NULL ||
         self->resource_id > 0 || self->since != NULL || self->until != NULL;
}

/* Appends " AND …" for each filter, with named parameters for bind_filters(). */
static void
append_filters (PqsAuditList *self,
                GString      *sql)
{
  if (self->user_id > 0)
    g_string_append (sql, " AND user_id = :user");
  if (self->activity_type != NULL)
    g_string_append (sql, " AND activity_type = :type");
  if (self->resource_type != NULL)
    g_string_append (sql, " AND resource_type = :rtype");
  if (self->resource_id > 0)
    g_string_append (sql, " AND resource_id = :rid");
  if (self->since != NULL)
    g_string_append (sql, " AND created_at >= :since");
  if (self->until != NULL)
    g_string_append (sql, " AND created_at < :until");
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
bind_filters (PqsAuditList *self,
              sqlite3_stmt *stmt)
{
  bind_int64 (stmt, ":user", self->user_id);
  bind_text (stmt, ":type", self->activity_type);
  bind_text (stmt, ":rtype", self->resource_type);
  bind_int64 (stmt, ":rid", self->resource_id);
  bind_text (stmt, ":since", self->since_text);
  bind_text (stmt, ":until", self->until_text);
}

static gboolean
step_row (PqsAuditList  *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;

  sqlite3_reset (stmt);
  return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, NULL);
}

/* Counting ------------------------------------------------------------------- */

/* Counts everything again, in one statement so that all of it is one snapshot. */
static gboolean
count_all (PqsAuditList  *self,
           guint         *out_count,
           GError       **error)
{
  g_autoptr(GString) sql = NULL;
  gboolean filtered = is_filtered (self);
  sqlite3_stmt *stmt;
  gint64 min_id;
  gint64 matching;

  /* count(*) alone is answered from the narrowest index without reading rows. */
  sql = g_string_new ("SELECT coalesce((SELECT max(id) FROM user_activities), 0), "
                      "  coalesce((SELECT min(id) FROM user_activities), 0), "
                      "  (SELECT count(*) FROM user_activities)");
  if (filtered)
    {
      g_string_append (sql, ", (SELECT count(*) FROM user_activities WHERE 1");
      append_filters (self, sql);
      g_string_append (sql, ")");
    }

  stmt = pqs_store_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (self, stmt);
  if (!step_row (self, stmt, error))
    return FALSE;

  self->max_id = sqlite3_column_int64 (stmt, 0);
  min_id = sqlite3_column_int64 (stmt, 1);
  self->table_rows = sqlite3_column_int64 (stmt, 2);
  matching = filtered ? sqlite3_column_int64 (stmt, 3) : self->table_rows;
  sqlite3_reset (stmt);

  self->contiguous = self->table_rows == 0 || self->table_rows == self->max_id - min_id + 1;
  *out_count = (guint) CLAMP (matching, 0, G_MAXUINT);

  return TRUE;
}

/* Counts the rows above the highest id seen so far; returns how many match. */
static gboolean
count_new (PqsAuditList  *self,
           guint         *out_added,
           GError       **error)
{
  g_autoptr(GString) sql = NULL;
  gboolean filtered = is_filtered (self);
  sqlite3_stmt *stmt;
  gint64 max_id;
  gint64 added_rows;
  gint64 added;

  sql = g_string_new ("SELECT coalesce((SELECT max(id) FROM user_activities), 0), "
                      "  (SELECT count(*) FROM user_activities WHERE id > :after)");
  if (filtered)
    {
      g_string_append (sql, ", (SELECT count(*) FROM user_activities WHERE id > :after");
      append_filters (self, sql);
      g_string_append (sql, ")");
    }

  stmt = pqs_store_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (self, stmt);
  bind_int64 (stmt, ":after", self->max_id);
  if (!step_row (self, stmt, error))
    return FALSE;

  max_id = sqlite3_column_int64 (stmt, 0);
  added_rows = sqlite3_column_int64 (stmt, 1);
  added = filtered ? sqlite3_column_int64 (stmt, 2) : added_rows;
  sqlite3_reset (stmt);

  self->contiguous = self->contiguous && added_rows == max_id - self->max_id;
  self->max_id = MAX (self->max_id, max_id);
  self->table_rows += added_rows;
  added = CLAMP (added, 0, G_MAXINT);
  *out_added = (guint) added;

  return TRUE;
}

/* Pages ------------------------------------------------------------------------ */

static GPtrArray *
fetch_cb (gpointer       owner,
          PqsPagerSeek   seek,
          gpointer       anchor,
          guint          skip,
          guint          limit,
          GError       **error)
{
  PqsAuditList *self = owner;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gboolean filtered = is_filtered (self);
  gint64 anchor_id = anchor != NULL ? pqs_audit_entry_get_id (anchor) : 0;
  gboolean upwards = seek == PQS_PAGER_FROM_END || seek == PQS_PAGER_BEFORE_ANCHOR;
  gint64 top = self->max_id;
  gint64 above = 0;
  gint64 offset = skip;
  sqlite3_stmt *stmt;
  int rc;

  /* Newest first: the page starts at an id and goes down, or (read
   * upwards) ends above one. */
  if (seek == PQS_PAGER_FROM_ANCHOR)
    top = anchor_id;
  else if (seek == PQS_PAGER_AFTER_ANCHOR)
    top = anchor_id - 1;
  else if (seek == PQS_PAGER_BEFORE_ANCHOR)
    above = anchor_id;

  /* Without gaps, ids are positions: no rows to skip. */
  if (!filtered && self->contiguous)
    {
      if (upwards)
        above = MAX (above, self->max_id - self->table_rows) + offset;
      else
        top -= offset;
      offset = 0;
    }

  sql = g_string_new ("SELECT " PQS_AUDIT_ENTRY_COLUMNS " FROM (SELECT * FROM user_activities");
  if (filtered && (guint64) pqs_pager_get_n_items (self->pager) * ROWID_SCAN_SHARE >=
                  (guint64) self->table_rows)
    g_string_append (sql, " NOT INDEXED");
  g_string_append (sql, " WHERE id <= :top");
  if (above > 0)
    g_string_append (sql, " AND id > :above");
  append_filters (self, sql);
  /* Read upwards, the page comes backwards; the outer ORDER BY turns it round. */
  g_string_append (sql, upwards ? " ORDER BY id ASC" : " ORDER BY id DESC");
  g_string_append (sql, " LIMIT :limit");
  if (offset > 0)
    g_string_append (sql, " OFFSET :offset");
  g_string_append (sql, ") AS a " PQS_AUDIT_ENTRY_JOIN " ORDER BY a.id DESC");

  stmt = pqs_store_prepare (self->store, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_filters (self, stmt);
  bind_int64 (stmt, ":top", top);
  bind_int64 (stmt, ":above", above);
  bind_int64 (stmt, ":limit", limit);
  bind_int64 (stmt, ":offset", offset);

  items = g_ptr_array_new_full (limit, g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, pqs_audit_entry_new_from_stmt (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, NULL);
      return NULL;
    }

  return g_steal_pointer (&items);
}

static gboolean
count_cb (gpointer   owner,
          guint     *out_count,
          GError   **error)
{
  PqsAuditList *self = owner;

  if (count_all (self, out_count, error))
    return TRUE;

  self->max_id = 0;
  self->table_rows = 0;
  self->contiguous = FALSE;
  return FALSE;
}

static const PqsPagerFuncs pager_funcs = {
  .count = count_cb,
  .fetch = fetch_cb,
  .keyset = TRUE,
  .what = "the audit trail",
};

/* Keeping current -------------------------------------------------------------- */

static void
refresh (PqsAuditList *self)
{
  /* Set before construction ends: constructed() counts. */
  if (self->pager != NULL)
    pqs_pager_reset (self->pager);
}

static void
store_changed_cb (PqsStore     *store,
                  const char   *table,
                  GArray       *rowids,
                  PqsAuditList *self)
{
  g_autoptr(GError) error = NULL;
  gboolean appended = self->table_rows > 0;
  guint added;

  /* Rows are only ever appended: new ids above everything counted go on top,
   * whatever the filters. Anything else (a tampered table, rows announced
   * late, a first row) is counted again from scratch. */
  for (guint i = 0; appended && i < rowids->len; i++)
    appended = g_array_index (rowids, gint64, i) > self->max_id;

  if (!appended)
    {
      refresh (self);
      return;
    }

  if (!count_new (self, &added, &error))
    {
      g_warning ("Cannot count the new audit rows: %s", error->message);
      refresh (self);
      return;
    }

  pqs_pager_splice (self->pager, 0, 0, added);
}

/* GListModel ------------------------------------------------------------------- */

static GType
pqs_audit_list_get_item_type (GListModel *model)
{
  return PQS_TYPE_AUDIT_ENTRY;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pqs_audit_list_get_item_type;
  pqs_pager_implement_list_model (iface);
}

/* Filters ---------------------------------------------------------------------- */

/* Like g_set_str(), which is newer than our GLib. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * pqs_audit_list_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): the whole audit trail, newest first
 */
PqsAuditList *
pqs_audit_list_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_AUDIT_LIST, "store", store, NULL);
}

/**
 * pqs_audit_list_get_store:
 * @self: a #PqsAuditList
 *
 * Returns: (transfer none): the store
 */
PqsStore *
pqs_audit_list_get_store (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), NULL);

  return self->store;
}

gint64
pqs_audit_list_get_user_id (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), 0);

  return self->user_id;
}

/**
 * pqs_audit_list_set_user_id:
 * @self: a #PqsAuditList
 * @user_id: the actor whose rows to list, or 0 for everyone's
 */
void
pqs_audit_list_set_user_id (PqsAuditList *self,
                            gint64        user_id)
{
  g_return_if_fail (PQS_IS_AUDIT_LIST (self));

  user_id = MAX (user_id, 0);
  if (self->user_id == user_id)
    return;

  self->user_id = user_id;
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
}

const char *
pqs_audit_list_get_activity_type (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), NULL);

  return self->activity_type;
}

/**
 * pqs_audit_list_set_activity_type:
 * @self: a #PqsAuditList
 * @activity_type: (nullable): the activity type to list, or %NULL for all
 */
void
pqs_audit_list_set_activity_type (PqsAuditList *self,
                                  const char   *activity_type)
{
  g_return_if_fail (PQS_IS_AUDIT_LIST (self));

  if (!set_str (&self->activity_type, activity_type))
    return;

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVITY_TYPE]);
}

const char *
pqs_audit_list_get_resource_type (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), NULL);

  return self->resource_type;
}

gint64
pqs_audit_list_get_resource_id (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), 0);

  return self->resource_id;
}

/**
 * pqs_audit_list_set_resource:
 * @self: a #PqsAuditList
 * @resource_type: (nullable): the kind of resource ("user", "document"), or
 *   %NULL for any
 * @resource_id: the resource's id, or 0 for any
 *
 * Lists only the rows about one resource, or one kind of resource.
 */
void
pqs_audit_list_set_resource (PqsAuditList *self,
                             const char   *resource_type,
                             gint64        resource_id)
{
  gboolean type_changed;
  gboolean id_changed;

  g_return_if_fail (PQS_IS_AUDIT_LIST (self));

  resource_id = MAX (resource_id, 0);
  type_changed = set_str (&self->resource_type, resource_type);
  id_changed = self->resource_id != resource_id;
  self->resource_id = resource_id;
  if (!type_changed && !id_changed)
    return;

  refresh (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (type_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOURCE_TYPE]);
  if (id_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOURCE_ID]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
set_time (GDateTime  **field,
          char       **text,
          GDateTime   *value)
{
  gint64 time_us;

  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;

  g_clear_pointer (field, g_date_time_unref);
  g_clear_pointer (text, g_free);
  if (value == NULL)
    return TRUE;

  *field = g_date_time_ref (value);
  time_us = g_date_time_to_unix (value) * G_USEC_PER_SEC + g_date_time_get_microsecond (value);
  *text = pqs_store_format_time (time_us);
  return TRUE;
}

/**
 * pqs_audit_list_get_since:
 * @self: a #PqsAuditList
 *
 * Returns: (transfer none) (nullable): the start of the time range
 */
GDateTime *
pqs_audit_list_get_since (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), NULL);

  return self->since;
}

/**
 * pqs_audit_list_set_since:
 * @self: a #PqsAuditList
 * @since: (nullable): list only rows written at or after this time
 */
void
pqs_audit_list_set_since (PqsAuditList *self,
                          GDateTime    *since)
{
  g_return_if_fail (PQS_IS_AUDIT_LIST (self));

  if (!set_time (&self->since, &self->since_text, since))
    return;

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINCE]);
}

/**
 * pqs_audit_list_get_until:
 * @self: a #PqsAuditList
 *
 * Returns: (transfer none) (nullable): the end of the time range
 */
GDateTime *
pqs_audit_list_get_until (PqsAuditList *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_LIST (self), NULL);

  return self->until;
}

/**
 * pqs_audit_list_set_until:
 * @self: a #PqsAuditList
 * @until: (nullable): list only rows written before this time
 */
void
pqs_audit_list_set_until (PqsAuditList *self,
                          GDateTime    *until)
{
  g_return_if_fail (PQS_IS_AUDIT_LIST (self));

  if (!set_time (&self->until, &self->until_text, until))
    return;

  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNTIL]);
}

/**
 * pqs_audit_list_reload:
 * @self: a #PqsAuditList
 *
 * Counts and reads everything again, for example after the database was
 * restored from a backup.
 */
void
pqs_audit_list_reload (PqsAuditList *self)
{
  g_return_if_fail (PQS_IS_AUDIT_LIST (self));

  refresh (self);
}

/* GObject ---------------------------------------------------------------------- */

static void
pqs_audit_list_constructed (GObject *object)
{
  PqsAuditList *self = (PqsAuditList *) object;

  G_OBJECT_CLASS (pqs_audit_list_parent_class)->constructed (object);

  g_assert (PQS_IS_STORE (self->store));

  g_signal_connect_object (self->store, "changed::user_activities",
                           G_CALLBACK (store_changed_cb), self, 0);

  self->pager = pqs_pager_new (G_LIST_MODEL (self), properties[PROP_N_ITEMS], &pager_funcs,
                               PAGE_SIZE, MAX_PAGES);
  pqs_pager_reset (self->pager);
}

static void
pqs_audit_list_dispose (GObject *object)
{
  PqsAuditList *self = (PqsAuditList *) object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_audit_list_parent_class)->dispose (object);
}

static void
pqs_audit_list_finalize (GObject *object)
{
  PqsAuditList *self = (PqsAuditList *) object;

  g_clear_pointer (&self->pager, pqs_pager_free);
  g_clear_pointer (&self->activity_type, g_free);
  g_clear_pointer (&self->resource_type, g_free);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->since_text, g_free);
  g_clear_pointer (&self->until, g_date_time_unref);
  g_clear_pointer (&self->until_text, g_free);

  G_OBJECT_CLASS (pqs_audit_list_parent_class)->finalize (object);
}

static void
pqs_audit_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PqsAuditList *self = PQS_AUDIT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;

    case PROP_ACTIVITY_TYPE:
      g_value_set_string (value, self->activity_type);
      break;

    case PROP_RESOURCE_TYPE:
      g_value_set_string (value, self->resource_type);
      break;

    case PROP_RESOURCE_ID:
      g_value_set_int64 (value, self->resource_id);
      break;

    case PROP_SINCE:
      g_value_set_boxed (value, self->since);
      break;

    case PROP_UNTIL:
      g_value_set_boxed (value, self->until);
      break;

    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, PQS_TYPE_AUDIT_ENTRY);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->pager != NULL ? pqs_pager_get_n_items (self->pager) : 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_audit_list_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PqsAuditList *self = PQS_AUDIT_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_USER_ID:
      pqs_audit_list_set_user_id (self, g_value_get_int64 (value));
      break;

    case PROP_ACTIVITY_TYPE:
      pqs_audit_list_set_activity_type (self, g_value_get_string (value));
      break;

    case PROP_RESOURCE_TYPE:
      pqs_audit_list_set_resource (self, g_value_get_string (value), self->resource_id);
      break;

    case PROP_RESOURCE_ID:
      pqs_audit_list_set_resource (self, self->resource_type, g_value_get_int64 (value));
      break;

    case PROP_SINCE:
      pqs_audit_list_set_since (self, g_value_get_boxed (value));
      break;

    case PROP_UNTIL:
      pqs_audit_list_set_until (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_audit_list_class_init (PqsAuditListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pqs_audit_list_constructed;
  object_class->dispose = pqs_audit_list_dispose;
  object_class->finalize = pqs_audit_list_finalize;
  object_class->get_property = pqs_audit_list_get_property;
  object_class->set_property = pqs_audit_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_USER_ID] =
    g_param_spec_int64 ("user-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_ACTIVITY_TYPE] =
    g_param_spec_string ("activity-type", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_RESOURCE_TYPE] =
    g_param_spec_string ("resource-type", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_RESOURCE_ID] =
    g_param_spec_int64 ("resource-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_SINCE] =
    g_param_spec_boxed ("since", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_UNTIL] =
    g_param_spec_boxed ("until", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL,
                        G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_audit_list_init (PqsAuditList *self)
{
}
