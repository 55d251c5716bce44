/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-diagnostics-private.h"

G_DEFINE_FINAL_TYPE (PqsSlowQuery, pqs_slow_query, G_TYPE_OBJECT)

enum {
  SLOW_PROP_0,
  SLOW_PROP_SQL,
  SLOW_PROP_EXPANDED_SQL,
  SLOW_PROP_DURATION,
  SLOW_PROP_TIME,
  SLOW_N_PROPS
};

static GParamSpec *slow_properties[SLOW_N_PROPS];

static void
pqs_slow_query_finalize (GObject *object)
{
  PqsSlowQuery *self = (PqsSlowQuery *) object;

  g_clear_pointer (&self->sql, g_free);
  g_clear_pointer (&self->expanded_sql, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);

  G_OBJECT_CLASS (pqs_slow_query_parent_class)->finalize (object);
}

static void
pqs_slow_query_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PqsSlowQuery *self = PQS_SLOW_QUERY (object);

  switch (prop_id)
    {
    case SLOW_PROP_SQL:
      g_value_set_string (value, self->sql);
      break;
    case SLOW_PROP_EXPANDED_SQL:
      g_value_set_string (value, self->expanded_sql);
      break;
    case SLOW_PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case SLOW_PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_slow_query_class_init (PqsSlowQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_slow_query_finalize;
  object_class->get_property = pqs_slow_query_get_property;

  slow_properties[SLOW_PROP_SQL] =
    g_param_spec_string ("sql", NULL, NULL, NULL, RO_FLAGS);
  slow_properties[SLOW_PROP_EXPANDED_SQL] =
    g_param_spec_string ("expanded-sql", NULL, NULL, NULL, RO_FLAGS);
  /* Microseconds (SQLite measures to the millisecond). */
  slow_properties[SLOW_PROP_DURATION] = int64_pspec ("duration");
  slow_properties[SLOW_PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);

  g_object_class_install_properties (object_class, SLOW_N_PROPS, slow_properties);
}

static void
pqs_slow_query_init (PqsSlowQuery *self)
{
}

/**
 * pqs_slow_query_get_sql:
 * @self: a #PqsSlowQuery
 *
 * Returns: the statement's text as written, with its parameters as `?`
 */
const char *
pqs_slow_query_get_sql (PqsSlowQuery *self)
{
  g_return_val_if_fail (PQS_IS_SLOW_QUERY (self), NULL);
  return self->sql;
}

/**
 * pqs_slow_query_get_expanded_sql:
 * @self: a #PqsSlowQuery
 *
 * The statement with its bound values, cut at 4 KiB. Bound values may be
 * private (session tokens): show it to administrators only.
 *
 * Returns: (nullable): the statement with its bound values
 */
const char *
pqs_slow_query_get_expanded_sql (PqsSlowQuery *self)
{
  g_return_val_if_fail (PQS_IS_SLOW_QUERY (self), NULL);
  return self->expanded_sql;
}

/**
 * pqs_slow_query_get_duration:
 * @self: a #PqsSlowQuery
 *
 * Returns: how long the statement ran, in microseconds
 */
gint64
pqs_slow_query_get_duration (PqsSlowQuery *self)
{
  g_return_val_if_fail (PQS_IS_SLOW_QUERY (self), 0);
  return self->duration;
}

/**
 * pqs_slow_query_get_time:
 * @self: a #PqsSlowQuery
 *
 * Returns: (transfer none): when the statement finished
 */
GDateTime *
pqs_slow_query_get_time (PqsSlowQuery *self)
{
  g_return_val_if_fail (PQS_IS_SLOW_QUERY (self), NULL);
  return self->time;
}

/**
 * pqs_slow_query_to_json:
 * @self: a #PqsSlowQuery
 *
 * Returns: (transfer full): `{ "sql", "expanded_sql", "duration_us", "time" }`
 */
JsonNode *
pqs_slow_query_to_json (PqsSlowQuery *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = NULL;

  g_return_val_if_fail (PQS_IS_SLOW_QUERY (self), NULL);

  time = g_date_time_format_iso8601 (self->time);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "sql", self->sql);
  add_nullable_string (builder, "expanded_sql", self->expanded_sql);
  add_int (builder, "duration_us", self->duration);
  add_nullable_string (builder, "time", time);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
