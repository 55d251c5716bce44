/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-backup-service.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_BACKUPS_PAGE (pqs_backups_page_get_type ())
G_DECLARE_FINAL_TYPE (PqsBackupsPage, pqs_backups_page, PQS, BACKUPS_PAGE, GtkWidget)

PqsBackupsPage      *pqs_backups_page_new             (void);
void                 pqs_backups_page_set_session     (PqsBackupsPage   *self,
                                                       PqsSession       *session,
                                                       PqsBackupService *service);
void                 pqs_backups_page_reload          (PqsBackupsPage   *self);
const PqsBackupInfo *pqs_backups_page_get_last_backup (PqsBackupsPage   *self);
char                *pqs_backups_page_dup_schedule_summary (PqsBackupsPage *self);
gboolean             pqs_backups_page_get_busy        (PqsBackupsPage   *self);
const char          *pqs_backups_page_get_error       (PqsBackupsPage   *self);

G_END_DECLS
