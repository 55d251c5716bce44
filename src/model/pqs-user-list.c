/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-store.h"
#include "pqs-user-list.h"
#include "pqs-user-private.h"

/**
 * PqsUserList:
 *
 * Every account of the workstation, by username, as a #GListModel of
 * #PqsUser. A workstation has tens or hundreds of accounts, so the list
 * holds them all; it reloads when the store reports a change to `users`,
 * updates the objects it already handed out in place (a bound view follows
 * an edit without losing its selection) and emits `items-changed` only for
 * the span that really changed.
 */

struct _PqsUserList
{
  GObject    parent_instance;

  PqsStore  *store;
  GPtrArray *items;       /* PqsUser, by username */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsUserList, pqs_user_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return PQS_TYPE_USER;
}

static guint
get_n_items (GListModel *model)
{
  return PQS_USER_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PqsUserList *self = PQS_USER_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/**
 * pqs_user_list_reload:
 * @self: a #PqsUserList
 * @error: return location for a #GError
 *
 * Reads the accounts again. Called by itself on every change the store
 * reports; call it after another process may have written.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_user_list_reload (PqsUserList  *self,
                      GError      **error)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->items->len);
  sqlite3_stmt *stmt;
  guint old_len = self->items->len;
  guint prefix = 0;
  guint suffix = 0;
  int rc;

  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_USER_COLUMNS " FROM users "
                            "ORDER BY username COLLATE NOCASE, id",
                            error);
  if (stmt == NULL)
    return FALSE;

  /* Sized once, so the keys' addresses stay put. */
  g_array_set_size (ids, self->items->len);
  for (guint i = 0; i < self->items->len; i++)
    {
      PqsUser *user = g_ptr_array_index (self->items, i);

      g_array_index (ids, gint64, i) = pqs_user_get_id (user);
      g_hash_table_insert (by_id, &g_array_index (ids, gint64, i), user);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      PqsUser *user = g_hash_table_lookup (by_id, &id);

      if (user != NULL)
        {
          pqs_user_update_from_stmt (user, stmt);
          g_ptr_array_add (fresh, g_object_ref (user));
        }
      else
        g_ptr_array_add (fresh, pqs_user_new_from_stmt (stmt));
    }
  if (rc != SQLITE_DONE)
    {
      pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc,
                                       "users");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  /* Only the span between an unchanged head and an unchanged tail changed. */
  while (prefix < old_len && prefix < fresh->len &&
         g_ptr_array_index (self->items, prefix) == g_ptr_array_index (fresh, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < fresh->len - prefix &&
         g_ptr_array_index (self->items, old_len - 1 - suffix) ==
         g_ptr_array_index (fresh, fresh->len - 1 - suffix))
    suffix++;

  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&fresh);

  if (prefix != old_len || old_len != self->items->len)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                  old_len - prefix - suffix,
                                  self->items->len - prefix - suffix);
      if (old_len != self->items->len)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  return TRUE;
}

static void
store_changed_cb (PqsUserList *self,
                  const char  *table,
                  GArray      *rowids,
                  PqsStore    *store)
{
  g_autoptr(GError) error = NULL;

  if (!pqs_user_list_reload (self, &error))
    g_warning ("Could not reload the users: %s", error->message);
}

/**
 * pqs_user_list_find:
 * @self: a #PqsUserList
 * @id: a user id
 *
 * Returns: (transfer none) (nullable): the list's object for @id
 */
PqsUser *
pqs_user_list_find (PqsUserList *self,
                    gint64       id)
{
  g_return_val_if_fail (PQS_IS_USER_LIST (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    if (pqs_user_get_id (g_ptr_array_index (self->items, i)) == id)
      return g_ptr_array_index (self->items, i);
  return NULL;
}

static void
pqs_user_list_constructed (GObject *object)
{
  PqsUserList *self = PQS_USER_LIST (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (pqs_user_list_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "changed::users",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  if (!pqs_user_list_reload (self, &error))
    g_warning ("Could not load the users: %s", error->message);
}

static void
pqs_user_list_dispose (GObject *object)
{
  PqsUserList *self = PQS_USER_LIST (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_user_list_parent_class)->dispose (object);
}

static void
pqs_user_list_finalize (GObject *object)
{
  PqsUserList *self = PQS_USER_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (pqs_user_list_parent_class)->finalize (object);
}

static void
pqs_user_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PqsUserList *self = PQS_USER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_user_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PqsUserList *self = PQS_USER_LIST (object);

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
pqs_user_list_class_init (PqsUserListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pqs_user_list_constructed;
  object_class->dispose = pqs_user_list_dispose;
  object_class->finalize = pqs_user_list_finalize;
  object_class->get_property = pqs_user_list_get_property;
  object_class->set_property = pqs_user_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_user_list_init (PqsUserList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * pqs_user_list_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): the accounts of @store, kept current
 */
PqsUserList *
pqs_user_list_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_USER_LIST, "store", store, NULL);
}
