/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-diagnostics-private.h"

G_DEFINE_FINAL_TYPE (PqsHealthReport, pqs_health_report, G_TYPE_OBJECT)

enum {
  HEALTH_PROP_0,
  HEALTH_PROP_PATH,
  HEALTH_PROP_OPENED,
  HEALTH_PROP_RESPONSE_TIME,
  HEALTH_PROP_JOURNAL_MODE,
  HEALTH_PROP_FOREIGN_KEYS,
  HEALTH_PROP_BUSY_TIMEOUT,
  HEALTH_PROP_WAL_SIZE,
  HEALTH_PROP_PAGE_SIZE,
  HEALTH_PROP_PAGE_COUNT,
  HEALTH_PROP_FREELIST_COUNT,
  HEALTH_PROP_FILE_SIZE,
  HEALTH_PROP_SCHEMA_VERSION,
  HEALTH_N_PROPS
};

static GParamSpec *health_properties[HEALTH_N_PROPS];

static void
pqs_health_report_finalize (GObject *object)
{
  PqsHealthReport *self = (PqsHealthReport *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->journal_mode, g_free);

  G_OBJECT_CLASS (pqs_health_report_parent_class)->finalize (object);
}

static void
pqs_health_report_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PqsHealthReport *self = PQS_HEALTH_REPORT (object);

  switch (prop_id)
    {
    case HEALTH_PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case HEALTH_PROP_OPENED:
      g_value_set_boolean (value, self->opened);
      break;
    case HEALTH_PROP_RESPONSE_TIME:
      g_value_set_int64 (value, self->response_time);
      break;
    case HEALTH_PROP_JOURNAL_MODE:
      g_value_set_string (value, self->journal_mode);
      break;
    case HEALTH_PROP_FOREIGN_KEYS:
      g_value_set_boolean (value, self->foreign_keys);
      break;
    case HEALTH_PROP_BUSY_TIMEOUT:
      g_value_set_int (value, self->busy_timeout);
      break;
    case HEALTH_PROP_WAL_SIZE:
      g_value_set_int64 (value, self->wal_size);
      break;
    case HEALTH_PROP_PAGE_SIZE:
      g_value_set_int64 (value, self->page_size);
      break;
    case HEALTH_PROP_PAGE_COUNT:
      g_value_set_int64 (value, self->page_count);
      break;
    case HEALTH_PROP_FREELIST_COUNT:
      g_value_set_int64 (value, self->freelist_count);
      break;
    case HEALTH_PROP_FILE_SIZE:
      g_value_set_int64 (value, self->file_size);
      break;
    case HEALTH_PROP_SCHEMA_VERSION:
      g_value_set_uint (value, self->schema_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_health_report_class_init (PqsHealthReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_health_report_finalize;
  object_class->get_property = pqs_health_report_get_property;

  health_properties[HEALTH_PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL, RO_FLAGS);
  health_properties[HEALTH_PROP_OPENED] =
    g_param_spec_boolean ("opened", NULL, NULL, FALSE, RO_FLAGS);
  /* Microseconds. */
  health_properties[HEALTH_PROP_RESPONSE_TIME] = int64_pspec ("response-time");
  health_properties[HEALTH_PROP_JOURNAL_MODE] =
    g_param_spec_string ("journal-mode", NULL, NULL, NULL, RO_FLAGS);
  health_properties[HEALTH_PROP_FOREIGN_KEYS] =
    g_param_spec_boolean ("foreign-keys", NULL, NULL, FALSE, RO_FLAGS);
  /* Milliseconds. */
  health_properties[HEALTH_PROP_BUSY_TIMEOUT] =
    g_param_spec_int ("busy-timeout", NULL, NULL, 0, G_MAXINT, 0, RO_FLAGS);
  health_properties[HEALTH_PROP_WAL_SIZE] = int64_pspec ("wal-size");
  health_properties[HEALTH_PROP_PAGE_SIZE] = int64_pspec ("page-size");
  health_properties[HEALTH_PROP_PAGE_COUNT] = int64_pspec ("page-count");
  health_properties[HEALTH_PROP_FREELIST_COUNT] = int64_pspec ("freelist-count");
  health_properties[HEALTH_PROP_FILE_SIZE] = int64_pspec ("file-size");
  health_properties[HEALTH_PROP_SCHEMA_VERSION] =
    g_param_spec_uint ("schema-version", NULL, NULL, 0, G_MAXUINT, 0, RO_FLAGS);

  g_object_class_install_properties (object_class, HEALTH_N_PROPS, health_properties);
}

static void
pqs_health_report_init (PqsHealthReport *self)
{
}

const char *
pqs_health_report_get_path (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), NULL);
  return self->path;
}

gboolean
pqs_health_report_get_opened (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), FALSE);
  return self->opened;
}

/**
 * pqs_health_report_get_response_time:
 * @self: a #PqsHealthReport
 *
 * Returns: how long a trivial query on the schema took, in microseconds
 */
gint64
pqs_health_report_get_response_time (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->response_time;
}

const char *
pqs_health_report_get_journal_mode (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), NULL);
  return self->journal_mode;
}

gboolean
pqs_health_report_get_foreign_keys (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), FALSE);
  return self->foreign_keys;
}

int
pqs_health_report_get_busy_timeout (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->busy_timeout;
}

gint64
pqs_health_report_get_wal_size (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->wal_size;
}

gint64
pqs_health_report_get_page_size (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->page_size;
}

gint64
pqs_health_report_get_page_count (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->page_count;
}

gint64
pqs_health_report_get_freelist_count (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->freelist_count;
}

gint64
pqs_health_report_get_file_size (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->file_size;
}

guint
pqs_health_report_get_schema_version (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), 0);
  return self->schema_version;
}

const char *
pqs_health_report_get_sqlite_version (PqsHealthReport *self)
{
  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), NULL);
  return sqlite3_libversion ();
}

/**
 * pqs_health_report_to_json:
 * @self: a #PqsHealthReport
 *
 * Returns: (transfer full): the values as a JSON object; sizes in bytes,
 *   `response_time_us` in microseconds, `busy_timeout_ms` in milliseconds
 */
JsonNode *
pqs_health_report_to_json (PqsHealthReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (PQS_IS_HEALTH_REPORT (self), NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "path", self->path);
  add_boolean (builder, "opened", self->opened);
  add_int (builder, "response_time_us", self->response_time);
  add_nullable_string (builder, "journal_mode", self->journal_mode);
  add_boolean (builder, "foreign_keys", self->foreign_keys);
  add_int (builder, "busy_timeout_ms", self->busy_timeout);
  add_int (builder, "wal_size", self->wal_size);
  add_int (builder, "page_size", self->page_size);
  add_int (builder, "page_count", self->page_count);
  add_int (builder, "freelist_count", self->freelist_count);
  add_int (builder, "file_size", self->file_size);
  add_int (builder, "schema_version", self->schema_version);
  add_nullable_string (builder, "sqlite_version", sqlite3_libversion ());
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
