/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"
#include "pqs-migration.h"

G_BEGIN_DECLS

#define PQS_MIGRATION_ERROR (pqs_migration_error_quark ())

typedef enum
{
  PQS_MIGRATION_ERROR_FAILED,
  PQS_MIGRATION_ERROR_BAD_FILE_NAME,
  PQS_MIGRATION_ERROR_EMPTY_FILE,
  PQS_MIGRATION_ERROR_DUPLICATE,
  PQS_MIGRATION_ERROR_GAP,
  PQS_MIGRATION_ERROR_CHECKSUM_MISMATCH,
  PQS_MIGRATION_ERROR_MISSING,
  PQS_MIGRATION_ERROR_NEWER_DATABASE,
  PQS_MIGRATION_ERROR_STATEMENT_FAILED,
  PQS_MIGRATION_ERROR_FOREIGN_KEY_VIOLATION,
  PQS_MIGRATION_ERROR_NO_DOWN_FILE,
  PQS_MIGRATION_ERROR_BAD_TARGET,
  PQS_MIGRATION_ERROR_BACKUP_FAILED,
  PQS_MIGRATION_ERROR_UNKNOWN_SCHEMA,
  PQS_MIGRATION_ERROR_BAD_DIRECTIVE,
} PqsMigrationError;

typedef enum
{
  PQS_MIGRATION_STATE_PENDING,
  PQS_MIGRATION_STATE_APPLIED,
  PQS_MIGRATION_STATE_BASELINED,
  PQS_MIGRATION_STATE_CHECKSUM_MISMATCH,
  PQS_MIGRATION_STATE_MISSING_FILE,
} PqsMigrationState;

/* One line of pqs_migrator_status(). */
typedef struct
{
  guint              version;
  char              *name;
  PqsMigrationState  state;
  char              *file_checksum;     /* NULL when the file is missing */
  char              *applied_checksum;  /* NULL when pending */
  char              *applied_at;        /* ISO 8601 UTC, NULL when pending */
  char              *applied_by;
  gint64             execution_ms;
  gboolean           has_down;
} PqsMigrationStatus;

void pqs_migration_status_free (PqsMigrationStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsMigrationStatus, pqs_migration_status_free)

/* Called before each migration is applied or rolled back (from the calling thread). */
typedef void (*PqsMigratorProgressFunc) (PqsMigration *migration,
                                         gboolean      rolling_back,
                                         guint         index,
                                         guint         total,
                                         gpointer      user_data);

#define PQS_TYPE_MIGRATOR (pqs_migrator_get_type ())
G_DECLARE_FINAL_TYPE (PqsMigrator, pqs_migrator, PQS, MIGRATOR, GObject)

GQuark        pqs_migration_error_quark         (void);
const char   *pqs_migration_state_to_string     (PqsMigrationState state);

PqsMigrator  *pqs_migrator_new                  (PqsStore       *store);
gboolean      pqs_migrator_load                 (PqsMigrator    *self,
                                                 const char     *extra_dir,
                                                 GError        **error);
gboolean      pqs_migrator_load_directory_only  (PqsMigrator    *self,
                                                 const char     *dir,
                                                 GError        **error);
GPtrArray    *pqs_migrator_get_migrations       (PqsMigrator    *self);
guint         pqs_migrator_get_latest_version   (PqsMigrator    *self);

void          pqs_migrator_set_backup_dir       (PqsMigrator    *self,
                                                 const char     *dir);
void          pqs_migrator_set_applied_by       (PqsMigrator    *self,
                                                 const char     *who);
void          pqs_migrator_set_progress_func    (PqsMigrator    *self,
                                                 PqsMigratorProgressFunc func,
                                                 gpointer        user_data);
const char   *pqs_migrator_get_last_backup_path (PqsMigrator    *self);

gboolean      pqs_migrator_get_current_version  (PqsMigrator    *self,
                                                 guint          *out_version,
                                                 GError        **error);
GPtrArray    *pqs_migrator_status               (PqsMigrator    *self,
                                                 GError        **error);
gboolean      pqs_migrator_validate             (PqsMigrator    *self,
                                                 GError        **error);
GPtrArray    *pqs_migrator_pending              (PqsMigrator    *self,
                                                 guint           target,
                                                 GError        **error);
gboolean      pqs_migrator_migrate              (PqsMigrator    *self,
                                                 guint           target,
                                                 guint          *out_applied,
                                                 GError        **error);
gboolean      pqs_migrator_rollback             (PqsMigrator    *self,
                                                 guint           target,
                                                 guint          *out_rolled_back,
                                                 GError        **error);

void          pqs_migrator_migrate_async        (PqsMigrator         *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      pqs_migrator_migrate_finish       (PqsMigrator         *self,
                                                 GAsyncResult        *result,
                                                 guint               *out_applied,
                                                 GError             **error);

#define PQS_MIGRATOR_LATEST G_MAXUINT

G_END_DECLS
