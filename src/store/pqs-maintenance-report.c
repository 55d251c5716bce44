/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-diagnostics-private.h"

G_DEFINE_FINAL_TYPE (PqsMaintenanceReport, pqs_maintenance_report, G_TYPE_OBJECT)

enum {
  MAINT_PROP_0,
  MAINT_PROP_OPERATION,
  MAINT_PROP_OK,
  MAINT_PROP_SIZE_BEFORE,
  MAINT_PROP_SIZE_AFTER,
  MAINT_PROP_BYTES_SAVED,
  MAINT_PROP_WAL_FRAMES,
  MAINT_PROP_CHECKPOINTED_FRAMES,
  MAINT_PROP_WAL_SIZE_AFTER,
  MAINT_PROP_DURATION,
  MAINT_N_PROPS
};

static GParamSpec *maint_properties[MAINT_N_PROPS];

static void
pqs_maintenance_report_finalize (GObject *object)
{
  PqsMaintenanceReport *self = (PqsMaintenanceReport *) object;

  g_clear_pointer (&self->operation, g_free);

  G_OBJECT_CLASS (pqs_maintenance_report_parent_class)->finalize (object);
}

static void
pqs_maintenance_report_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  PqsMaintenanceReport *self = PQS_MAINTENANCE_REPORT (object);

  switch (prop_id)
    {
    case MAINT_PROP_OPERATION:
      g_value_set_string (value, self->operation);
      break;
    case MAINT_PROP_OK:
      g_value_set_boolean (value, self->ok);
      break;
    case MAINT_PROP_SIZE_BEFORE:
      g_value_set_int64 (value, self->size_before);
      break;
    case MAINT_PROP_SIZE_AFTER:
      g_value_set_int64 (value, self->size_after);
      break;
    case MAINT_PROP_BYTES_SAVED:
      g_value_set_int64 (value, pqs_maintenance_report_get_bytes_saved (self));
      break;
    case MAINT_PROP_WAL_FRAMES:
      g_value_set_int64 (value, self->wal_frames);
      break;
    case MAINT_PROP_CHECKPOINTED_FRAMES:
      g_value_set_int64 (value, self->checkpointed_frames);
      break;
    case MAINT_PROP_WAL_SIZE_AFTER:
      g_value_set_int64 (value, self->wal_size_after);
      break;
    case MAINT_PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_maintenance_report_class_init (PqsMaintenanceReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_maintenance_report_finalize;
  object_class->get_property = pqs_maintenance_report_get_property;

  maint_properties[MAINT_PROP_OPERATION] =
    g_param_spec_string ("operation", NULL, NULL, NULL, RO_FLAGS);
  maint_properties[MAINT_PROP_OK] =
    g_param_spec_boolean ("ok", NULL, NULL, FALSE, RO_FLAGS);
  maint_properties[MAINT_PROP_SIZE_BEFORE] = int64_pspec ("size-before");
  maint_properties[MAINT_PROP_SIZE_AFTER] = int64_pspec ("size-after");
  maint_properties[MAINT_PROP_BYTES_SAVED] =
    g_param_spec_int64 ("bytes-saved", NULL, NULL, G_MININT64, G_MAXINT64, 0, RO_FLAGS);
  maint_properties[MAINT_PROP_WAL_FRAMES] = int64_pspec ("wal-frames");
  maint_properties[MAINT_PROP_CHECKPOINTED_FRAMES] = int64_pspec ("checkpointed-frames");
  maint_properties[MAINT_PROP_WAL_SIZE_AFTER] = int64_pspec ("wal-size-after");
  maint_properties[MAINT_PROP_DURATION] = int64_pspec ("duration");

  g_object_class_install_properties (object_class, MAINT_N_PROPS, maint_properties);
}

static void
pqs_maintenance_report_init (PqsMaintenanceReport *self)
{
  self->wal_frames = -1;
  self->checkpointed_frames = -1;
}

PqsMaintenanceReport *
pqs_maintenance_report_new (const char *operation)
{
  PqsMaintenanceReport *self = g_object_new (PQS_TYPE_MAINTENANCE_REPORT, NULL);

  self->operation = g_strdup (operation);
  return self;
}

/**
 * pqs_maintenance_report_get_operation:
 * @self: a #PqsMaintenanceReport
 *
 * Returns: "checkpoint", "optimize", "rebuild-fts" or "optimize-fts"
 */
const char *
pqs_maintenance_report_get_operation (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), NULL);
  return self->operation;
}

gboolean
pqs_maintenance_report_get_ok (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), FALSE);
  return self->ok;
}

/**
 * pqs_maintenance_report_get_size_before:
 * @self: a #PqsMaintenanceReport
 *
 * Returns: the database's size before the work (page count × page size,
 *   which counts pages still in the write-ahead log), in bytes
 */
gint64
pqs_maintenance_report_get_size_before (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), 0);
  return self->size_before;
}

gint64
pqs_maintenance_report_get_size_after (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), 0);
  return self->size_after;
}

/**
 * pqs_maintenance_report_get_bytes_saved:
 * @self: a #PqsMaintenanceReport
 *
 * Returns: size before − size after; negative when the work grew the file
 *   (ANALYZE's statistics on a file with nothing to reclaim)
 */
gint64
pqs_maintenance_report_get_bytes_saved (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), 0);
  return self->size_before - self->size_after;
}

/**
 * pqs_maintenance_report_get_wal_frames:
 * @self: a #PqsMaintenanceReport
 *
 * Returns: the frames the write-ahead log held at the checkpoint, or -1
 */
gint64
pqs_maintenance_report_get_wal_frames (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), -1);
  return self->wal_frames;
}

gint64
pqs_maintenance_report_get_checkpointed_frames (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), -1);
  return self->checkpointed_frames;
}

gint64
pqs_maintenance_report_get_wal_size_after (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), 0);
  return self->wal_size_after;
}

gint64
pqs_maintenance_report_get_duration (PqsMaintenanceReport *self)
{
  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), 0);
  return self->duration;
}

/**
 * pqs_maintenance_report_to_json:
 * @self: a #PqsMaintenanceReport
 *
 * Returns: (transfer full): the result as a JSON object
 */
JsonNode *
pqs_maintenance_report_to_json (PqsMaintenanceReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (PQS_IS_MAINTENANCE_REPORT (self), NULL);

  json_builder_begin_object (builder);
  add_nullable_string (builder, "operation", self->operation);
  add_boolean (builder, "ok", self->ok);
  add_int (builder, "size_before", self->size_before);
  add_int (builder, "size_after", self->size_after);
  add_int (builder, "bytes_saved", pqs_maintenance_report_get_bytes_saved (self));
  add_int (builder, "wal_frames", self->wal_frames);
  add_int (builder, "checkpointed_frames", self->checkpointed_frames);
  add_int (builder, "wal_size_after", self->wal_size_after);
  add_int (builder, "duration_us", self->duration);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
