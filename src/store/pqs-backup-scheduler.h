/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-backup-service.h"

G_BEGIN_DECLS

typedef enum
{
  PQS_BACKUP_SCHEDULE_OFF,
  PQS_BACKUP_SCHEDULE_DAILY,
  PQS_BACKUP_SCHEDULE_WEEKLY,
} PqsBackupSchedule;

/* Returns the current time (transfer full); tests replace it. */
typedef GDateTime *(*PqsBackupSchedulerNowFunc) (gpointer user_data);

#define PQS_TYPE_BACKUP_SCHEDULER (pqs_backup_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (PqsBackupScheduler, pqs_backup_scheduler, PQS, BACKUP_SCHEDULER, GObject)

PqsBackupScheduler *pqs_backup_scheduler_new          (PqsBackupService   *service);

gboolean      pqs_backup_schedule_from_string         (const char         *text,
                                                       PqsBackupSchedule  *out_schedule);
const char   *pqs_backup_schedule_to_string           (PqsBackupSchedule   schedule);
GDateTime    *pqs_backup_scheduler_compute_next_due   (PqsBackupSchedule   schedule,
                                                       int                 hour,
                                                       GDateTime          *last_backup);

PqsBackupSchedule pqs_backup_scheduler_get_schedule   (PqsBackupScheduler *self);
void          pqs_backup_scheduler_set_schedule       (PqsBackupScheduler *self,
                                                       PqsBackupSchedule   schedule);
int           pqs_backup_scheduler_get_hour           (PqsBackupScheduler *self);
void          pqs_backup_scheduler_set_hour           (PqsBackupScheduler *self,
                                                       int                 hour);
void          pqs_backup_scheduler_set_retention      (PqsBackupScheduler *self,
                                                       guint               keep_count,
                                                       guint               max_age_days);
void          pqs_backup_scheduler_set_now_func       (PqsBackupScheduler *self,
                                                       PqsBackupSchedulerNowFunc func,
                                                       gpointer            user_data,
                                                       GDestroyNotify      destroy);

gboolean      pqs_backup_scheduler_refresh            (PqsBackupScheduler *self,
                                                       GError            **error);
GDateTime    *pqs_backup_scheduler_get_last_backup    (PqsBackupScheduler *self);
GDateTime    *pqs_backup_scheduler_get_next_due       (PqsBackupScheduler *self);
gboolean      pqs_backup_scheduler_is_due             (PqsBackupScheduler *self);
gboolean      pqs_backup_scheduler_is_running         (PqsBackupScheduler *self);
gboolean      pqs_backup_scheduler_check_now          (PqsBackupScheduler *self);
void          pqs_backup_scheduler_start              (PqsBackupScheduler *self);
void          pqs_backup_scheduler_stop               (PqsBackupScheduler *self);

G_END_DECLS
