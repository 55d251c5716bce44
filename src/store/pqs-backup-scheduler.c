/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pqs-backup-scheduler.h"
#include "pqs-store.h"

/* Scheduled backups run while the app runs; one missed while it was closed
 * runs at the next start (catch-up). The timer sleeps at most an hour at a
 * time, so a changed clock or a suspended laptop is noticed soon. */
#define MAX_SLEEP_SECONDS 3600

struct _PqsBackupScheduler
{
  GObject            parent_instance;

  PqsBackupService  *service;
  PqsBackupSchedule  schedule;
  int                hour;
  guint              keep_count;
  guint              max_age_days;
  GDateTime         *last_backup;
  guint              timeout_id;
  GCancellable      *cancellable;
  gboolean           running;

  PqsBackupSchedulerNowFunc now_func;
  gpointer           now_data;
  GDestroyNotify     now_destroy;
};

G_DEFINE_FINAL_TYPE (PqsBackupScheduler, pqs_backup_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVICE,
  PROP_SCHEDULE,
  PROP_HOUR,
  PROP_LAST_BACKUP,
  PROP_RUNNING,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *schedule_names[] = { "off", "daily", "weekly" };

gboolean
pqs_backup_schedule_from_string (const char        *text,
                                 PqsBackupSchedule *out_schedule)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (schedule_names); i++)
    if (g_str_equal (text, schedule_names[i]))
      {
        *out_schedule = (PqsBackupSchedule) i;
        return TRUE;
      }

  return FALSE;
}

const char *
pqs_backup_schedule_to_string (PqsBackupSchedule schedule)
{
  g_return_val_if_fail ((guint) schedule < G_N_ELEMENTS (schedule_names), "off");

  return schedule_names[schedule];
}

static GDateTime *
slot_on (GDateTime *day,
         int        days_later,
         int        hour)
{
  g_autoptr(GDateTime) later = g_date_time_add_days (day, days_later);

  return g_date_time_new_local (g_date_time_get_year (later), g_date_time_get_month (later),
                                g_date_time_get_day_of_month (later), hour, 0, 0);
}

/**
 * pqs_backup_scheduler_compute_next_due:
 * @schedule: how often
 * @hour: the local hour (0–23) backups run at
 * @last_backup: (nullable): when the last backup was made
 *
 * Daily: the first @hour o'clock after @last_backup. Weekly: @hour o'clock
 * seven days after the day of @last_backup. With no backup yet, a backup is
 * due at once (pqs_backup_scheduler_is_due() waits for a database with
 * somebody in it). A due time in the past means a backup was missed.
 *
 * Returns: (transfer full) (nullable): the due time, %NULL when off
 */
GDateTime *
pqs_backup_scheduler_compute_next_due (PqsBackupSchedule  schedule,
                                       int                hour,
                                       GDateTime         *last_backup)
{
  g_autoptr(GDateTime) last = NULL;
  GDateTime *slot;

  g_return_val_if_fail (hour >= 0 && hour <= 23, NULL);

  if (schedule == PQS_BACKUP_SCHEDULE_OFF)
    return NULL;
  if (last_backup == NULL)
    return g_date_time_new_from_unix_utc (0);

  last = g_date_time_to_local (last_backup);
  if (schedule == PQS_BACKUP_SCHEDULE_WEEKLY)
    return slot_on (last, 7, hour);

  slot = slot_on (last, 0, hour);
  if (g_date_time_compare (slot, last) <= 0)
    {
      g_date_time_unref (slot);
      slot = slot_on (last, 1, hour);
    }
  return slot;
}

static GDateTime *
now (PqsBackupScheduler *self)
{
  if (self->now_func != NULL)
    return self->now_func (self->now_data);
  return g_date_time_new_now_local ();
}

/**
 * pqs_backup_scheduler_refresh:
 * @self: a #PqsBackupScheduler
 * @error: return location for a #GError
 *
 * Reads the time of the last completed manual or scheduled backup from
 * `backup_history`.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_backup_scheduler_refresh (PqsBackupScheduler  *self,
                              GError             **error)
{
  PqsStore *store;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;
  g_autoptr(GDateTime) last = NULL;
  int rc;

  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), FALSE);

  store = pqs_backup_service_get_store (self->service);
  if (store == NULL || !pqs_store_table_exists (store, "backup_history", &exists, error))
    return FALSE;

  if (exists)
    {
      stmt = pqs_store_prepare (store,
                                "SELECT max(created_at) FROM backup_history "
                                "WHERE backup_status IN ('completed', 'pruned') "
                                "AND backup_type IN ('manual', 'scheduled')",
                                error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        last = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 0), NULL);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);
    }

  g_clear_pointer (&self->last_backup, g_date_time_unref);
  self->last_backup = g_steal_pointer (&last);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_BACKUP]);
  return TRUE;
}

GDateTime *
pqs_backup_scheduler_get_last_backup (PqsBackupScheduler *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), NULL);

  return self->last_backup;
}

/**
 * pqs_backup_scheduler_get_next_due:
 * @self: a #PqsBackupScheduler
 *
 * Returns: (transfer full) (nullable): when the next backup is due, %NULL when off
 */
GDateTime *
pqs_backup_scheduler_get_next_due (PqsBackupScheduler *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), NULL);

  return pqs_backup_scheduler_compute_next_due (self->schedule, self->hour, self->last_backup);
}

/* A database nobody has signed up in yet (a first start, before the first
 * administrator) has nothing to save. */
static gboolean
has_people (PqsBackupScheduler *self)
{
  PqsStore *store = pqs_backup_service_get_store (self->service);
  gboolean exists = FALSE;
  gint64 any = 0;

  if (store == NULL || !pqs_store_table_exists (store, "users", &exists, NULL))
    return TRUE;
  if (!exists)
    return FALSE;
  return !pqs_store_query_int64 (store, "SELECT EXISTS (SELECT 1 FROM users)", &any, NULL) ||
         any != 0;
}

/**
 * pqs_backup_scheduler_is_due:
 * @self: a #PqsBackupScheduler
 *
 * Returns: %TRUE when a scheduled backup is due or was missed; never for a
 *   database without any account and no backup yet
 */
gboolean
pqs_backup_scheduler_is_due (PqsBackupScheduler *self)
{
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), FALSE);

  due = pqs_backup_scheduler_get_next_due (self);
  if (due == NULL)
    return FALSE;
  if (self->last_backup == NULL && !has_people (self))
    return FALSE;
  current = now (self);
  return g_date_time_compare (due, current) <= 0;
}

gboolean
pqs_backup_scheduler_is_running (PqsBackupScheduler *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), FALSE);

  return self->running;
}

static void arm (PqsBackupScheduler *self);

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PqsBackupScheduler) self = user_data;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = pqs_backup_service_create_finish (PQS_BACKUP_SERVICE (object), result, &error);
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (info != NULL)
    {
      g_autoptr(GPtrArray) removed = NULL;
      g_autoptr(GError) prune_error = NULL;

      g_clear_pointer (&self->last_backup, g_date_time_unref);
      self->last_backup = g_date_time_new_from_iso8601 (info->created_at, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_BACKUP]);

      if (self->keep_count > 0 || self->max_age_days > 0)
        {
          removed = pqs_backup_service_prune (self->service, self->keep_count,
                                              self->max_age_days, &prune_error);
          if (removed == NULL)
            g_message ("Pruning old backups failed: %s", prune_error->message);
        }
    }
  else if (!g_error_matches (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_CANCELLED))
    g_message ("The scheduled backup failed: %s", error->message);

  g_signal_emit (self, signals[FINISHED], 0, info, error);

  if (self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    arm (self);
}

/**
 * pqs_backup_scheduler_check_now:
 * @self: a #PqsBackupScheduler
 *
 * Starts a scheduled backup (compressed, in a thread) when one is due or was
 * missed and none is running. #PqsBackupScheduler::finished tells the outcome.
 *
 * Returns: %TRUE when a backup was started
 */
gboolean
pqs_backup_scheduler_check_now (PqsBackupScheduler *self)
{
  PqsBackupOptions options = { PQS_BACKUP_TYPE_SCHEDULED, TRUE, NULL, NULL, "scheduler",
                               PQS_BACKUP_KDF_MODERATE };

  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), FALSE);

  if (self->running || !pqs_backup_scheduler_is_due (self))
    return FALSE;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  pqs_backup_service_create_async (self->service, &options, NULL, NULL, NULL,
                                   self->cancellable, create_cb, g_object_ref (self));
  return TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  PqsBackupScheduler *self = user_data;

  self->timeout_id = 0;
  if (!pqs_backup_scheduler_check_now (self))
    arm (self);

  return G_SOURCE_REMOVE;
}

static void
arm (PqsBackupScheduler *self)
{
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) current = NULL;
  GTimeSpan wait;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  due = pqs_backup_scheduler_get_next_due (self);
  if (due == NULL || self->running)
    return;

  current = now (self);
  wait = g_date_time_difference (due, current) / G_TIME_SPAN_SECOND;
  self->timeout_id = g_timeout_add_seconds ((guint) CLAMP (wait, 1, MAX_SLEEP_SECONDS),
                                            timeout_cb, self);
}

/**
 * pqs_backup_scheduler_start:
 * @self: a #PqsBackupScheduler
 *
 * Reads the last backup time, runs a missed backup now, and arms a timer
 * for the next one.
 */
void
pqs_backup_scheduler_start (PqsBackupScheduler *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PQS_IS_BACKUP_SCHEDULER (self));

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  if (!pqs_backup_scheduler_refresh (self, &error))
    g_message ("Cannot read the backup history: %s", error->message);

  if (!pqs_backup_scheduler_check_now (self))
    arm (self);
}

void
pqs_backup_scheduler_stop (PqsBackupScheduler *self)
{
  g_return_if_fail (PQS_IS_BACKUP_SCHEDULER (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

PqsBackupSchedule
pqs_backup_scheduler_get_schedule (PqsBackupScheduler *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), PQS_BACKUP_SCHEDULE_OFF);

  return self->schedule;
}

void
pqs_backup_scheduler_set_schedule (PqsBackupScheduler *self,
                                   PqsBackupSchedule   schedule)
{
  g_return_if_fail (PQS_IS_BACKUP_SCHEDULER (self));
  g_return_if_fail ((guint) schedule < G_N_ELEMENTS (schedule_names));

  if (self->schedule == schedule)
    return;

  self->schedule = schedule;
  if (self->timeout_id != 0)
    arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEDULE]);
}

int
pqs_backup_scheduler_get_hour (PqsBackupScheduler *self)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SCHEDULER (self), 0);

  return self->hour;
}

void
pqs_backup_scheduler_set_hour (PqsBackupScheduler *self,
                               int                 hour)
{
  g_return_if_fail (PQS_IS_BACKUP_SCHEDULER (self));
  g_return_if_fail (hour >= 0 && hour <= 23);

  if (self->hour == hour)
    return;

  self->hour = hour;
  if (self->timeout_id != 0)
    arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOUR]);
}

/**
 * pqs_backup_scheduler_set_retention:
 * @self: a #PqsBackupScheduler
 * @keep_count: as for pqs_backup_service_prune()
 * @max_age_days: as for pqs_backup_service_prune()
 *
 * After each scheduled backup, old backups are pruned with these rules
 * (both 0, the default: never).
 */
void
pqs_backup_scheduler_set_retention (PqsBackupScheduler *self,
                                    guint               keep_count,
                                    guint               max_age_days)
{
  g_return_if_fail (PQS_IS_BACKUP_SCHEDULER (self));

  self->keep_count = keep_count;
  self->max_age_days = max_age_days;
}

/**
 * pqs_backup_scheduler_set_now_func:
 * @self: a #PqsBackupScheduler
 * @func: (nullable): returns the current time; %NULL for the clock
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Replaces the clock, for tests.
 */
void
pqs_backup_scheduler_set_now_func (PqsBackupScheduler        *self,
                                   PqsBackupSchedulerNowFunc  func,
                                   gpointer                   user_data,
                                   GDestroyNotify             destroy)
{
  g_return_if_fail (PQS_IS_BACKUP_SCHEDULER (self));

  if (self->now_destroy != NULL)
    self->now_destroy (self->now_data);
  self->now_func = func;
  self->now_data = user_data;
  self->now_destroy = destroy;
}

PqsBackupScheduler *
pqs_backup_scheduler_new (PqsBackupService *service)
{
  g_return_val_if_fail (PQS_IS_BACKUP_SERVICE (service), NULL);

  return g_object_new (PQS_TYPE_BACKUP_SCHEDULER, "service", service, NULL);
}

static void
pqs_backup_scheduler_dispose (GObject *object)
{
  PqsBackupScheduler *self = (PqsBackupScheduler *) object;

  pqs_backup_scheduler_stop (self);
  pqs_backup_scheduler_set_now_func (self, NULL, NULL, NULL);

  G_OBJECT_CLASS (pqs_backup_scheduler_parent_class)->dispose (object);
}

static void
pqs_backup_scheduler_finalize (GObject *object)
{
  PqsBackupScheduler *self = (PqsBackupScheduler *) object;

  g_clear_object (&self->service);
  g_clear_pointer (&self->last_backup, g_date_time_unref);

  G_OBJECT_CLASS (pqs_backup_scheduler_parent_class)->finalize (object);
}

static void
pqs_backup_scheduler_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PqsBackupScheduler *self = PQS_BACKUP_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;

    case PROP_SCHEDULE:
      g_value_set_string (value, pqs_backup_schedule_to_string (self->schedule));
      break;

    case PROP_HOUR:
      g_value_set_int (value, self->hour);
      break;

    case PROP_LAST_BACKUP:
      g_value_set_boxed (value, self->last_backup);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_backup_scheduler_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PqsBackupScheduler *self = PQS_BACKUP_SCHEDULER (object);
  PqsBackupSchedule schedule = PQS_BACKUP_SCHEDULE_OFF;

  switch (prop_id)
    {
    case PROP_SERVICE:
      self->service = g_value_dup_object (value);
      break;

    case PROP_SCHEDULE:
      pqs_backup_schedule_from_string (g_value_get_string (value), &schedule);
      pqs_backup_scheduler_set_schedule (self, schedule);
      break;

    case PROP_HOUR:
      pqs_backup_scheduler_set_hour (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_backup_scheduler_class_init (PqsBackupSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pqs_backup_scheduler_dispose;
  object_class->finalize = pqs_backup_scheduler_finalize;
  object_class->get_property = pqs_backup_scheduler_get_property;
  object_class->set_property = pqs_backup_scheduler_set_property;

  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, PQS_TYPE_BACKUP_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A string, so that it binds to the GSettings enum key by nick. */
  properties[PROP_SCHEDULE] =
    g_param_spec_string ("schedule", NULL, NULL, "off",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOUR] =
    g_param_spec_int ("hour", NULL, NULL, 0, 23, 2,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_BACKUP] =
    g_param_spec_boxed ("last-backup", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PqsBackupScheduler::finished:
   * @self: the scheduler
   * @info: (nullable): the backup made
   * @error: (nullable): why it failed
   *
   * Emitted when a scheduled backup is done.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, PQS_TYPE_BACKUP_INFO, G_TYPE_ERROR);
}

static void
pqs_backup_scheduler_init (PqsBackupScheduler *self)
{
  self->schedule = PQS_BACKUP_SCHEDULE_OFF;
  self->hour = 2;
}
