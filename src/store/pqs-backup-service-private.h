/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by pqs-backup-service.c (create), pqs-backup-restore.c (verify,
 * restore) and pqs-backup-manifest.c (manifests, history, list, prune). */

#include <gio/gio.h>

#include "pqs-backup-service.h"
#include "pqs-store.h"

G_BEGIN_DECLS

#define MANIFEST_SUFFIX  ".manifest.json"
#define PLAIN_EXTENSION  ".db"
#define PACKED_EXTENSION ".pqsbak"

struct _PqsBackupService
{
  GObject   parent_instance;

  PqsStore *store;
  char     *backup_dir;
  char     *migrations_dir;
};

typedef struct
{
  PqsBackupProgressFunc  func;
  gpointer               data;
  GMainContext          *context;   /* NULL: call directly */
  double                 base;
  double                 span;
  int                    last_percent;
} PqsBackupProgress;

/* pqs-backup-service.c */
PqsBackupInfo *pqs_backup_info_new_for_path      (const char              *path);
gboolean       pqs_backup_check_cancelled        (GCancellable            *cancellable,
                                                  GError                 **error);
void           pqs_backup_map_cancelled          (GError                 **error);
gboolean       pqs_backup_file_size              (const char              *path,
                                                  gint64                  *out_size,
                                                  GError                 **error);
void           pqs_backup_free_passphrase        (char                    *passphrase);
PqsBackupInfo *pqs_backup_service_create_internal (PqsBackupService       *self,
                                                   PqsStore               *conn,
                                                   const PqsBackupOptions *options,
                                                   PqsBackupProgress      *progress,
                                                   GCancellable           *cancellable,
                                                   GError                **error);

/* pqs-backup-manifest.c */
char          *pqs_backup_now_iso8601            (void);
gboolean       pqs_backup_manifest_write         (const PqsBackupInfo     *info,
                                                  GError                 **error);
gboolean       pqs_backup_manifest_read          (PqsBackupInfo           *info,
                                                  gboolean                *out_found,
                                                  GError                 **error);
char          *pqs_backup_tables_to_json         (GArray                  *tables);
gboolean       pqs_backup_history_exists         (PqsStore                *store);
gint64         pqs_backup_history_insert_running (PqsStore                *store,
                                                  const PqsBackupInfo     *info,
                                                  GError                 **error);
gboolean       pqs_backup_history_finish         (PqsStore                *store,
                                                  const PqsBackupInfo     *info,
                                                  const char              *error_message,
                                                  GError                 **error);
int            pqs_backup_running_lock           (PqsBackupService        *self);
void           pqs_backup_running_unlock         (int                      fd);
void           pqs_backup_history_mark_interrupted (PqsBackupService      *self);

G_END_DECLS
