/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-diagnostics-private.h"

void
pqs_violation_clear (gpointer data)
{
  Violation *violation = data;

  g_clear_pointer (&violation->table, g_free);
  g_clear_pointer (&violation->parent, g_free);
  g_clear_pointer (&violation->column, g_free);
}

void
pqs_fts_result_clear (gpointer data)
{
  FtsResult *result = data;

  g_clear_pointer (&result->table, g_free);
  g_clear_pointer (&result->message, g_free);
}

G_DEFINE_FINAL_TYPE (PqsDiagnosticsReport, pqs_diagnostics_report, G_TYPE_OBJECT)

enum {
  REPORT_PROP_0,
  REPORT_PROP_OK,
  REPORT_PROP_PROBLEMS,
  REPORT_PROP_LEVEL,
  REPORT_PROP_HEALTH,
  REPORT_PROP_INTEGRITY_OK,
  REPORT_PROP_INTEGRITY_MESSAGES,
  REPORT_PROP_FOREIGN_KEY_VIOLATIONS,
  REPORT_PROP_FTS_OK,
  REPORT_PROP_MIGRATIONS_OK,
  REPORT_PROP_TABLES,
  REPORT_PROP_DURATION,
  REPORT_N_PROPS
};

static GParamSpec *report_properties[REPORT_N_PROPS];

static void
pqs_diagnostics_report_finalize (GObject *object)
{
  PqsDiagnosticsReport *self = (PqsDiagnosticsReport *) object;

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->health);
  g_clear_pointer (&self->integrity_messages, g_ptr_array_unref);
  g_clear_pointer (&self->violations, g_array_unref);
  g_clear_pointer (&self->fts, g_array_unref);
  g_clear_object (&self->tables);

  G_OBJECT_CLASS (pqs_diagnostics_report_parent_class)->finalize (object);
}

static void
pqs_diagnostics_report_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PqsDiagnosticsReport *self = PQS_DIAGNOSTICS_REPORT (object);

  switch (prop_id)
    {
    case REPORT_PROP_OK:
      g_value_set_boolean (value, pqs_diagnostics_report_get_ok (self));
      break;
    case REPORT_PROP_PROBLEMS:
      g_value_set_boxed (value, self->problems->pdata);
      break;
    case REPORT_PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    case REPORT_PROP_HEALTH:
      g_value_set_object (value, self->health);
      break;
    case REPORT_PROP_INTEGRITY_OK:
      g_value_set_boolean (value, self->integrity_ok);
      break;
    case REPORT_PROP_INTEGRITY_MESSAGES:
      g_value_set_boxed (value, self->integrity_messages->pdata);
      break;
    case REPORT_PROP_FOREIGN_KEY_VIOLATIONS:
      g_value_set_uint (value, self->n_violations);
      break;
    case REPORT_PROP_FTS_OK:
      g_value_set_boolean (value, self->fts_ok);
      break;
    case REPORT_PROP_MIGRATIONS_OK:
      g_value_set_boolean (value, self->migrations_ok);
      break;
    case REPORT_PROP_TABLES:
      g_value_set_object (value, self->tables);
      break;
    case REPORT_PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_diagnostics_report_class_init (PqsDiagnosticsReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_diagnostics_report_finalize;
  object_class->get_property = pqs_diagnostics_report_get_property;

  /* "ok" and "problems" change when pqs_diagnostics_report_add_problem() is called. */
  report_properties[REPORT_PROP_OK] =
    g_param_spec_boolean ("ok", NULL, NULL, FALSE, RO_FLAGS);
  report_properties[REPORT_PROP_PROBLEMS] =
    g_param_spec_boxed ("problems", NULL, NULL, G_TYPE_STRV, RO_FLAGS);
  report_properties[REPORT_PROP_LEVEL] =
    g_param_spec_int ("level", NULL, NULL, PQS_CHECK_QUICK, PQS_CHECK_FULL, PQS_CHECK_FULL,
                      RO_FLAGS);
  report_properties[REPORT_PROP_HEALTH] =
    g_param_spec_object ("health", NULL, NULL, PQS_TYPE_HEALTH_REPORT, RO_FLAGS);
  report_properties[REPORT_PROP_INTEGRITY_OK] =
    g_param_spec_boolean ("integrity-ok", NULL, NULL, FALSE, RO_FLAGS);
  report_properties[REPORT_PROP_INTEGRITY_MESSAGES] =
    g_param_spec_boxed ("integrity-messages", NULL, NULL, G_TYPE_STRV, RO_FLAGS);
  report_properties[REPORT_PROP_FOREIGN_KEY_VIOLATIONS] =
    g_param_spec_uint ("foreign-key-violations", NULL, NULL, 0, G_MAXUINT, 0, RO_FLAGS);
  report_properties[REPORT_PROP_FTS_OK] =
    g_param_spec_boolean ("fts-ok", NULL, NULL, FALSE, RO_FLAGS);
  report_properties[REPORT_PROP_MIGRATIONS_OK] =
    g_param_spec_boolean ("migrations-ok", NULL, NULL, FALSE, RO_FLAGS);
  report_properties[REPORT_PROP_TABLES] =
    g_param_spec_object ("tables", NULL, NULL, G_TYPE_LIST_MODEL, RO_FLAGS);
  report_properties[REPORT_PROP_DURATION] = int64_pspec ("duration");

  g_object_class_install_properties (object_class, REPORT_N_PROPS, report_properties);
}

static void
pqs_diagnostics_report_init (PqsDiagnosticsReport *self)
{
  self->level = PQS_CHECK_FULL;
  self->problems = strv_array_new ();
  self->integrity_messages = strv_array_new ();
  self->violations = g_array_new (FALSE, TRUE, sizeof (Violation));
  g_array_set_clear_func (self->violations, pqs_violation_clear);
  self->fts = g_array_new (FALSE, TRUE, sizeof (FtsResult));
  g_array_set_clear_func (self->fts, pqs_fts_result_clear);
  self->tables = g_list_store_new (PQS_TYPE_TABLE_STATS);
  self->health = g_object_new (PQS_TYPE_HEALTH_REPORT, NULL);
}

/* Used while the report is built, before anyone can watch it. */
void
pqs_diagnostics_report_append_problem (PqsDiagnosticsReport *self,
                    const char           *problem)
{
  g_ptr_array_add (self->problems, g_strdup (problem));
}

/**
 * pqs_diagnostics_report_new_for_error:
 * @path: the database file
 * @error: why it could not be opened
 *
 * A report for a file that cannot even be opened (not a database, a damaged
 * header): not ok, with @error's message as its problem.
 *
 * Returns: (transfer full): the report
 */
PqsDiagnosticsReport *
pqs_diagnostics_report_new_for_error (const char   *path,
                                      const GError *error)
{
  PqsDiagnosticsReport *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (PQS_TYPE_DIAGNOSTICS_REPORT, NULL);
  self->health->path = g_strdup (path);
  pqs_diagnostics_report_append_problem (self, error->message);

  return self;
}

/**
 * pqs_diagnostics_report_get_ok:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: %TRUE when nothing is wrong (the list of problems is empty)
 */
gboolean
pqs_diagnostics_report_get_ok (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), FALSE);
  return self->problems->len == 0;
}

/**
 * pqs_diagnostics_report_get_problems:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: (transfer none) (array zero-terminated=1): what is wrong, one
 *   sentence each; empty when the database is healthy
 */
const char * const *
pqs_diagnostics_report_get_problems (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), NULL);
  return (const char * const *) self->problems->pdata;
}

PqsCheckLevel
pqs_diagnostics_report_get_level (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), PQS_CHECK_FULL);
  return self->level;
}

/**
 * pqs_diagnostics_report_get_health:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: (transfer none): the health values taken at the start of the check
 */
PqsHealthReport *
pqs_diagnostics_report_get_health (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), NULL);
  return self->health;
}

gboolean
pqs_diagnostics_report_get_integrity_ok (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), FALSE);
  return self->integrity_ok;
}

/**
 * pqs_diagnostics_report_get_integrity_messages:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: (transfer none) (array zero-terminated=1): what `integrity_check`
 *   (or `quick_check`) said, at most 100 lines; `ok` when all is well
 */
const char * const *
pqs_diagnostics_report_get_integrity_messages (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), NULL);
  return (const char * const *) self->integrity_messages->pdata;
}

/**
 * pqs_diagnostics_report_get_foreign_key_violations:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: the number of rows whose foreign key points at a missing row
 */
guint
pqs_diagnostics_report_get_foreign_key_violations (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), 0);
  return self->n_violations;
}

gboolean
pqs_diagnostics_report_get_fts_ok (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), FALSE);
  return self->fts_ok;
}

gboolean
pqs_diagnostics_report_get_migrations_ok (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), FALSE);
  return self->migrations_ok;
}

/**
 * pqs_diagnostics_report_get_tables:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: (transfer none): a list of #PqsTableStats, in name order
 */
GListModel *
pqs_diagnostics_report_get_tables (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), NULL);
  return G_LIST_MODEL (self->tables);
}

/**
 * pqs_diagnostics_report_get_duration:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: how long the check took, in microseconds
 */
gint64
pqs_diagnostics_report_get_duration (PqsDiagnosticsReport *self)
{
  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), 0);
  return self->duration;
}

/**
 * pqs_diagnostics_report_add_problem:
 * @self: a #PqsDiagnosticsReport
 * @problem: a sentence saying what is wrong
 *
 * Adds a problem found by a caller's own check; the report is no longer ok.
 */
void
pqs_diagnostics_report_add_problem (PqsDiagnosticsReport *self,
                                    const char           *problem)
{
  gboolean was_ok;

  g_return_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self));
  g_return_if_fail (problem != NULL);

  was_ok = pqs_diagnostics_report_get_ok (self);
  pqs_diagnostics_report_append_problem (self, problem);
  g_object_notify_by_pspec (G_OBJECT (self), report_properties[REPORT_PROP_PROBLEMS]);
  if (was_ok)
    g_object_notify_by_pspec (G_OBJECT (self), report_properties[REPORT_PROP_OK]);
}

/**
 * pqs_diagnostics_report_to_json:
 * @self: a #PqsDiagnosticsReport
 *
 * Returns: (transfer full): the whole report as a JSON object: `ok`,
 *   `problems`, `health`, `integrity`, `foreign_keys`, `fts`, `migrations`,
 *   `tables` and `duration_us`
 */
JsonNode *
pqs_diagnostics_report_to_json (PqsDiagnosticsReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n_tables;

  g_return_val_if_fail (PQS_IS_DIAGNOSTICS_REPORT (self), NULL);

  json_builder_begin_object (builder);
  add_boolean (builder, "ok", pqs_diagnostics_report_get_ok (self));
  add_strv (builder, "problems", self->problems);
  json_builder_set_member_name (builder, "health");
  json_builder_add_value (builder, pqs_health_report_to_json (self->health));

  json_builder_set_member_name (builder, "integrity");
  json_builder_begin_object (builder);
  add_nullable_string (builder, "check",
                       self->level == PQS_CHECK_QUICK ? "quick_check" : "integrity_check");
  add_boolean (builder, "ok", self->integrity_ok);
  add_strv (builder, "messages", self->integrity_messages);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "foreign_keys");
  json_builder_begin_object (builder);
  add_boolean (builder, "ok", self->foreign_keys_ok);
  add_int (builder, "violations", self->n_violations);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->violations->len; i++)
    {
      Violation *violation = &g_array_index (self->violations, Violation, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "table", violation->table);
      json_builder_set_member_name (builder, "rowid");
      if (violation->rowid >= 0)
        json_builder_add_int_value (builder, violation->rowid);
      else
        json_builder_add_null_value (builder);
      add_nullable_string (builder, "parent", violation->parent);
      add_nullable_string (builder, "column", violation->column);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "fts");
  json_builder_begin_object (builder);
  add_boolean (builder, "ok", self->fts_ok);
  json_builder_set_member_name (builder, "indexes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->fts->len; i++)
    {
      FtsResult *result = &g_array_index (self->fts, FtsResult, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "table", result->table);
      add_boolean (builder, "ok", result->ok);
      add_nullable_string (builder, "message", result->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "migrations");
  json_builder_begin_object (builder);
  add_boolean (builder, "ok", self->migrations_ok);
  add_int (builder, "schema_version", self->health->schema_version);
  add_int (builder, "latest_version", self->latest_version);
  add_int (builder, "pending", self->pending_migrations);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "tables");
  json_builder_begin_array (builder);
  n_tables = g_list_model_get_n_items (G_LIST_MODEL (self->tables));
  for (guint i = 0; i < n_tables; i++)
    {
      g_autoptr(PqsTableStats) table = g_list_model_get_item (G_LIST_MODEL (self->tables), i);

      json_builder_add_value (builder, pqs_table_stats_to_json (table));
    }
  json_builder_end_array (builder);

  add_int (builder, "duration_us", self->duration);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
