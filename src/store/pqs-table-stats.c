/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-diagnostics-private.h"

G_DEFINE_FINAL_TYPE (PqsTableStats, pqs_table_stats, G_TYPE_OBJECT)

enum {
  TABLE_PROP_0,
  TABLE_PROP_NAME,
  TABLE_PROP_KIND,
  TABLE_PROP_ROW_COUNT,
  TABLE_PROP_INDEX_COUNT,
  TABLE_N_PROPS
};

static GParamSpec *table_properties[TABLE_N_PROPS];

static void
pqs_table_stats_finalize (GObject *object)
{
  PqsTableStats *self = (PqsTableStats *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (pqs_table_stats_parent_class)->finalize (object);
}

static void
pqs_table_stats_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsTableStats *self = PQS_TABLE_STATS (object);

  switch (prop_id)
    {
    case TABLE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case TABLE_PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case TABLE_PROP_ROW_COUNT:
      g_value_set_int64 (value, self->row_count);
      break;
    case TABLE_PROP_INDEX_COUNT:
      g_value_set_uint (value, self->index_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_table_stats_class_init (PqsTableStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_table_stats_finalize;
  object_class->get_property = pqs_table_stats_get_property;

  table_properties[TABLE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, RO_FLAGS);
  table_properties[TABLE_PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, RO_FLAGS);
  table_properties[TABLE_PROP_ROW_COUNT] = int64_pspec ("row-count");
  table_properties[TABLE_PROP_INDEX_COUNT] =
    g_param_spec_uint ("index-count", NULL, NULL, 0, G_MAXUINT, 0, RO_FLAGS);

  g_object_class_install_properties (object_class, TABLE_N_PROPS, table_properties);
}

static void
pqs_table_stats_init (PqsTableStats *self)
{
  self->row_count = -1;
}

const char *
pqs_table_stats_get_name (PqsTableStats *self)
{
  g_return_val_if_fail (PQS_IS_TABLE_STATS (self), NULL);
  return self->name;
}

/**
 * pqs_table_stats_get_kind:
 * @self: a #PqsTableStats
 *
 * Returns: "table", "fts" (a full-text index), "fts-shadow" (one of the
 *   tables SQLite keeps an index in) or "internal" (sqlite_sequence…)
 */
const char *
pqs_table_stats_get_kind (PqsTableStats *self)
{
  g_return_val_if_fail (PQS_IS_TABLE_STATS (self), NULL);
  return self->kind;
}

/**
 * pqs_table_stats_get_row_count:
 * @self: a #PqsTableStats
 *
 * Returns: the number of rows, or -1 for a full-text index (its rows are
 *   those of its content table) or a table that could not be read
 */
gint64
pqs_table_stats_get_row_count (PqsTableStats *self)
{
  g_return_val_if_fail (PQS_IS_TABLE_STATS (self), -1);
  return self->row_count;
}

guint
pqs_table_stats_get_index_count (PqsTableStats *self)
{
  g_return_val_if_fail (PQS_IS_TABLE_STATS (self), 0);
  return self->index_count;
}

/**
 * pqs_table_stats_to_json:
 * @self: a #PqsTableStats
 *
 * Returns: (transfer full): `{ "name", "kind", "rows", "indexes" }`, rows null when unknown
 */
JsonNode *
pqs_table_stats_to_json (PqsTableStats *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (PQS_IS_TABLE_STATS (self), NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "name", self->name);
  add_nullable_string (builder, "kind", self->kind);
  json_builder_set_member_name (builder, "rows");
  if (self->row_count >= 0)
    json_builder_add_int_value (builder, self->row_count);
  else
    json_builder_add_null_value (builder);
  add_int (builder, "indexes", self->index_count);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
