/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"
#include "pqs-backup-format.h"

G_BEGIN_DECLS

typedef enum
{
  PQS_BACKUP_TYPE_MANUAL,
  PQS_BACKUP_TYPE_SCHEDULED,
  PQS_BACKUP_TYPE_PRE_MIGRATION,
  PQS_BACKUP_TYPE_PRE_RESTORE,
  PQS_BACKUP_TYPE_PRE_ROLLBACK,
} PqsBackupType;

/* What pqs_backup_service_create() makes. */
typedef struct
{
  PqsBackupType  type;
  gboolean       compress;
  const char    *passphrase;   /* nullable: not encrypted */
  const char    *output_path;  /* nullable: a time-stamped name in the backup folder */
  const char    *created_by;   /* nullable */
  PqsBackupKdf   kdf;          /* cost of the passphrase's key derivation */
} PqsBackupOptions;

typedef struct
{
  char   *name;
  gint64  rows;
} PqsBackupTableCount;

/* One backup: made, verified or listed. Fields that are unknown are NULL, 0 or -1. */
typedef struct
{
  char          *path;
  PqsBackupType  type;
  char          *status;          /* backup_history status; NULL for a file the history does not know */
  gint64         history_id;      /* 0 when not in backup_history */
  gint64         size;            /* -1 when unknown */
  gint64         database_size;   /* bytes of the SQLite file it holds; -1 when unknown */
  char          *checksum_sha256;
  gint           schema_version;  /* -1 when unknown */
  gboolean       compressed;
  gboolean       encrypted;
  gboolean       file_exists;
  gboolean       has_manifest;
  char          *created_at;      /* ISO 8601 UTC */
  char          *completed_at;
  char          *created_by;
  char          *error_message;
  GArray        *tables;          /* PqsBackupTableCount, by name; NULL when unknown */
} PqsBackupInfo;

/* @stage is a short translated sentence; @fraction goes from 0 to 1. */
typedef void (*PqsBackupProgressFunc) (const char *stage,
                                       double      fraction,
                                       gpointer    user_data);

#define PQS_TYPE_BACKUP_INFO (pqs_backup_info_get_type ())
GType           pqs_backup_info_get_type        (void) G_GNUC_CONST;
PqsBackupInfo  *pqs_backup_info_copy            (const PqsBackupInfo *info);
void            pqs_backup_info_free            (PqsBackupInfo       *info);
gint64          pqs_backup_info_get_rows        (const PqsBackupInfo *info,
                                                 const char          *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsBackupInfo, pqs_backup_info_free)

const char     *pqs_backup_type_to_string       (PqsBackupType  type);
gboolean        pqs_backup_type_from_string     (const char    *text,
                                                 PqsBackupType *out_type);

#define PQS_TYPE_BACKUP_SERVICE (pqs_backup_service_get_type ())
G_DECLARE_FINAL_TYPE (PqsBackupService, pqs_backup_service, PQS, BACKUP_SERVICE, GObject)

PqsBackupService *pqs_backup_service_new        (PqsStore      *store,
                                                 const char    *backup_dir);
PqsStore       *pqs_backup_service_get_store    (PqsBackupService *self);
const char     *pqs_backup_service_get_backup_dir (PqsBackupService *self);
void            pqs_backup_service_set_migrations_dir (PqsBackupService *self,
                                                       const char       *dir);

PqsBackupInfo  *pqs_backup_service_create       (PqsBackupService        *self,
                                                 const PqsBackupOptions  *options,
                                                 PqsBackupProgressFunc    progress,
                                                 gpointer                 progress_data,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);
void            pqs_backup_service_create_async (PqsBackupService        *self,
                                                 const PqsBackupOptions  *options,
                                                 PqsBackupProgressFunc    progress,
                                                 gpointer                 progress_data,
                                                 GDestroyNotify           progress_data_free,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
PqsBackupInfo  *pqs_backup_service_create_finish (PqsBackupService       *self,
                                                  GAsyncResult           *result,
                                                  GError                **error);

PqsBackupInfo  *pqs_backup_service_verify       (PqsBackupService        *self,
                                                 const char              *path,
                                                 const char              *passphrase,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);
void            pqs_backup_service_verify_async (PqsBackupService        *self,
                                                 const char              *path,
                                                 const char              *passphrase,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
PqsBackupInfo  *pqs_backup_service_verify_finish (PqsBackupService       *self,
                                                  GAsyncResult           *result,
                                                  GError                **error);

GPtrArray      *pqs_backup_service_list         (PqsBackupService        *self,
                                                 GError                 **error);
GPtrArray      *pqs_backup_service_prune        (PqsBackupService        *self,
                                                 guint                    keep_count,
                                                 guint                    max_age_days,
                                                 GError                 **error);

gboolean        pqs_backup_service_restore      (PqsBackupService        *self,
                                                 const char              *path,
                                                 const char              *passphrase,
                                                 PqsBackupInfo          **out_restore_point,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);
void            pqs_backup_service_restore_async (PqsBackupService       *self,
                                                  const char             *path,
                                                  const char             *passphrase,
                                                  GCancellable           *cancellable,
                                                  GAsyncReadyCallback     callback,
                                                  gpointer                user_data);
gboolean        pqs_backup_service_restore_finish (PqsBackupService      *self,
                                                   GAsyncResult          *result,
                                                   PqsBackupInfo        **out_restore_point,
                                                   GError               **error);

G_END_DECLS
