/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-store.h"
#include "pqs-template-list.h"
#include "pqs-template-private.h"

/**
 * PqsTemplateList:
 *
 * The templates of the workstation as a #GListModel of #PqsTemplate, by
 * series, then name: all of them, one series (#PqsTemplateList:section),
 * or only the active ones (#PqsTemplateList:active-only, what the
 * new-document dialog offers). A workstation has a handful of templates,
 * so the list holds them all. It reloads when the store reports a change
 * to `templates`, refreshes the objects it handed out in place and emits
 * `items-changed` only for the span that changed.
 *
 * #PqsTemplate:usage-count is as of the last reload: documents made from a
 * template do not reload the list.
 */

struct _PqsTemplateList
{
  GObject    parent_instance;

  PqsStore  *store;
  GPtrArray *items;        /* PqsTemplate */
  int        section;      /* 0: every series */
  gboolean   active_only;
  gboolean   constructed;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsTemplateList, pqs_template_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_SECTION,
  PROP_ACTIVE_ONLY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
get_item_type (GListModel *model)
{
  return PQS_TYPE_TEMPLATE;
}

static guint
get_n_items (GListModel *model)
{
  return PQS_TEMPLATE_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  PqsTemplateList *self = PQS_TEMPLATE_LIST (model);

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
 * pqs_template_list_reload:
 * @self: a #PqsTemplateList
 * @error: return location for a #GError
 *
 * Reads the templates again. Called by itself on every change the store
 * reports and when a filter changes; call it after another process may
 * have written, or to refresh the usage counts.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_template_list_reload (PqsTemplateList  *self,
                          GError          **error)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->items->len);
  sqlite3_stmt *stmt;
  guint old_len = self->items->len;
  guint prefix = 0;
  guint suffix = 0;
  int rc;

  g_return_val_if_fail (PQS_IS_TEMPLATE_LIST (self), FALSE);

  stmt = pqs_store_prepare (self->store,
                            "SELECT " PQS_TEMPLATE_COLUMNS " FROM templates AS t "
                            "WHERE (?1 = 0 OR t.section = ?1) AND (?2 = 0 OR t.is_active = 1) "
                            "ORDER BY t.section, t.name COLLATE NOCASE, t.id",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, self->section);
  sqlite3_bind_int (stmt, 2, self->active_only ? 1 : 0);

  /* Sized once, so the keys' addresses stay put. */
  g_array_set_size (ids, self->items->len);
  for (guint i = 0; i < self->items->len; i++)
    {
      PqsTemplate *template = g_ptr_array_index (self->items, i);

      g_array_index (ids, gint64, i) = pqs_template_get_id (template);
      g_hash_table_insert (by_id, &g_array_index (ids, gint64, i), template);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      PqsTemplate *template = g_hash_table_lookup (by_id, &id);

      if (template != NULL)
        {
          pqs_template_update_from_stmt (template, stmt);
          g_ptr_array_add (fresh, g_object_ref (template));
        }
      else
        g_ptr_array_add (fresh, pqs_template_new_from_stmt (stmt));
    }
  if (rc != SQLITE_DONE)
    {
      pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc,
                                       "templates");
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
reload_or_warn (PqsTemplateList *self)
{
  g_autoptr(GError) error = NULL;

  if (self->constructed && !pqs_template_list_reload (self, &error))
    g_warning ("Could not load the templates: %s", error->message);
}

static void
store_changed_cb (PqsTemplateList *self,
                  const char      *table,
                  GArray          *rowids,
                  PqsStore        *store)
{
  reload_or_warn (self);
}

/**
 * pqs_template_list_find:
 * @self: a #PqsTemplateList
 * @id: a template id
 *
 * Returns: (transfer none) (nullable): the list's object for @id
 */
PqsTemplate *
pqs_template_list_find (PqsTemplateList *self,
                        gint64           id)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_LIST (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    if (pqs_template_get_id (g_ptr_array_index (self->items, i)) == id)
      return g_ptr_array_index (self->items, i);
  return NULL;
}

/**
 * pqs_template_list_get_section:
 * @self: a #PqsTemplateList
 *
 * Returns: the series shown (100, 200 or 300), or 0 for all
 */
int
pqs_template_list_get_section (PqsTemplateList *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_LIST (self), 0);

  return self->section;
}

/**
 * pqs_template_list_set_section:
 * @self: a #PqsTemplateList
 * @section: 100, 200 or 300 for one series, 0 for all
 *
 * Shows one series, or all of them.
 */
void
pqs_template_list_set_section (PqsTemplateList *self,
                               int              section)
{
  g_return_if_fail (PQS_IS_TEMPLATE_LIST (self));
  g_return_if_fail (section == 0 || section == 100 || section == 200 || section == 300);

  if (self->section == section)
    return;

  self->section = section;
  reload_or_warn (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

gboolean
pqs_template_list_get_active_only (PqsTemplateList *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_LIST (self), FALSE);

  return self->active_only;
}

/**
 * pqs_template_list_set_active_only:
 * @self: a #PqsTemplateList
 * @active_only: whether to leave out deactivated templates
 */
void
pqs_template_list_set_active_only (PqsTemplateList *self,
                                   gboolean         active_only)
{
  g_return_if_fail (PQS_IS_TEMPLATE_LIST (self));

  active_only = !!active_only;
  if (self->active_only == active_only)
    return;

  self->active_only = active_only;
  reload_or_warn (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_ONLY]);
}

static void
pqs_template_list_constructed (GObject *object)
{
  PqsTemplateList *self = PQS_TEMPLATE_LIST (object);

  G_OBJECT_CLASS (pqs_template_list_parent_class)->constructed (object);

  self->constructed = TRUE;
  g_signal_connect_object (self->store, "changed::templates",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  reload_or_warn (self);
}

static void
pqs_template_list_dispose (GObject *object)
{
  PqsTemplateList *self = PQS_TEMPLATE_LIST (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_template_list_parent_class)->dispose (object);
}

static void
pqs_template_list_finalize (GObject *object)
{
  PqsTemplateList *self = PQS_TEMPLATE_LIST (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (pqs_template_list_parent_class)->finalize (object);
}

static void
pqs_template_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PqsTemplateList *self = PQS_TEMPLATE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECTION:
      g_value_set_int (value, self->section);
      break;
    case PROP_ACTIVE_ONLY:
      g_value_set_boolean (value, self->active_only);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_template_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PqsTemplateList *self = PQS_TEMPLATE_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECTION:
      pqs_template_list_set_section (self, g_value_get_int (value));
      break;
    case PROP_ACTIVE_ONLY:
      pqs_template_list_set_active_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_template_list_class_init (PqsTemplateListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pqs_template_list_constructed;
  object_class->dispose = pqs_template_list_dispose;
  object_class->finalize = pqs_template_list_finalize;
  object_class->get_property = pqs_template_list_get_property;
  object_class->set_property = pqs_template_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PqsTemplateList:section:
   *
   * The series shown: 100, 200 or 300, or 0 for all.
   */
  properties[PROP_SECTION] =
    g_param_spec_int ("section", NULL, NULL, 0, 300, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * PqsTemplateList:active-only:
   *
   * Whether deactivated templates are left out.
   */
  properties[PROP_ACTIVE_ONLY] =
    g_param_spec_boolean ("active-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_template_list_init (PqsTemplateList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * pqs_template_list_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): every template of @store, kept current
 */
PqsTemplateList *
pqs_template_list_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_TEMPLATE_LIST, "store", store, NULL);
}
