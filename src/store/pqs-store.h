/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_STORE_ERROR (pqs_store_error_quark ())

typedef enum
{
  PQS_STORE_ERROR_FAILED,
  PQS_STORE_ERROR_CANT_OPEN,
  PQS_STORE_ERROR_NOT_A_DATABASE,
  PQS_STORE_ERROR_CORRUPT,
  PQS_STORE_ERROR_READ_ONLY,
  PQS_STORE_ERROR_DISK_FULL,
  PQS_STORE_ERROR_LOCKED,
  PQS_STORE_ERROR_CONSTRAINT,
  PQS_STORE_ERROR_IO,
  PQS_STORE_ERROR_CLOSED,
  PQS_STORE_ERROR_EXISTS,
} PqsStoreError;

typedef enum
{
  PQS_STORE_OPEN_DEFAULT   = 0,
  PQS_STORE_OPEN_READ_ONLY = 1 << 0,
  /* Do not create the file (nor its folder) when it does not exist. */
  PQS_STORE_OPEN_EXISTING  = 1 << 1,
} PqsStoreOpenFlags;

/* Work run inside pqs_store_transaction(): return FALSE and set @error to roll back. */
typedef gboolean (*PqsStoreTransactionFunc) (PqsStore  *store,
                                             gpointer   user_data,
                                             GError   **error);

/* Work run by pqs_store_run_in_thread() on the worker connection. */
typedef gpointer (*PqsStoreThreadFunc) (PqsStore      *worker,
                                        gpointer       user_data,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* The wall clock: microseconds since the epoch, UTC. */
typedef gint64 (*PqsStoreClockFunc) (gpointer user_data);

#define PQS_TYPE_STORE (pqs_store_get_type ())
G_DECLARE_FINAL_TYPE (PqsStore, pqs_store, PQS, STORE, GObject)

GQuark        pqs_store_error_quark        (void);

PqsStore     *pqs_store_open               (const char         *path,
                                            PqsStoreOpenFlags   flags,
                                            GError            **error);
PqsStore     *pqs_store_open_secondary     (PqsStore           *self,
                                            GError            **error);
PqsStore     *pqs_store_open_reader        (PqsStore           *self,
                                            GError            **error);
void          pqs_store_close              (PqsStore           *self);
gboolean      pqs_store_is_open            (PqsStore           *self);
gboolean      pqs_store_reopen             (PqsStore           *self,
                                            GError            **error);
const char   *pqs_store_get_path           (PqsStore           *self);
sqlite3      *pqs_store_get_handle         (PqsStore           *self);
gboolean      pqs_store_is_read_only       (PqsStore           *self);

void          pqs_store_set_clock          (PqsStore           *self,
                                            PqsStoreClockFunc   func,
                                            gpointer            user_data);
gint64        pqs_store_now                (PqsStore           *self);
char         *pqs_store_format_time        (gint64              time_us);
GDateTime    *pqs_store_parse_time         (const char         *text);
void          pqs_store_set_client_name    (PqsStore           *self,
                                            const char         *name);
const char   *pqs_store_get_client_name    (PqsStore           *self);

int           pqs_store_get_busy_timeout   (PqsStore           *self);
void          pqs_store_set_busy_timeout   (PqsStore           *self,
                                            int                 msec);

sqlite3_stmt *pqs_store_prepare            (PqsStore           *self,
                                            const char         *sql,
                                            GError            **error);
gboolean      pqs_store_exec               (PqsStore           *self,
                                            const char         *sql,
                                            GError            **error);
gboolean      pqs_store_step_done          (PqsStore           *self,
                                            sqlite3_stmt       *stmt,
                                            GError            **error);
gboolean      pqs_store_query_int64        (PqsStore           *self,
                                            const char         *sql,
                                            gint64             *out_value,
                                            GError            **error);
gboolean      pqs_store_table_exists       (PqsStore           *self,
                                            const char         *table,
                                            gboolean           *out_exists,
                                            GError            **error);

gboolean      pqs_store_transaction        (PqsStore                *self,
                                            PqsStoreTransactionFunc  func,
                                            gpointer                 user_data,
                                            GError                 **error);
gboolean      pqs_store_begin_immediate    (PqsStore           *self,
                                            GError            **error);
gboolean      pqs_store_commit             (PqsStore           *self,
                                            GError            **error);
void          pqs_store_rollback           (PqsStore           *self);
gboolean      pqs_store_in_transaction     (PqsStore           *self);

void          pqs_store_run_in_thread      (PqsStore           *self,
                                            PqsStoreThreadFunc  func,
                                            gpointer            user_data,
                                            GDestroyNotify      user_data_free,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            callback_data);
gpointer      pqs_store_run_in_thread_finish (PqsStore         *self,
                                              GAsyncResult     *result,
                                              GError          **error);

gboolean      pqs_store_copy_to_file       (PqsStore           *self,
                                            const char         *dest_path,
                                            GError            **error);
gboolean      pqs_store_copy_to_file_with_checksum (PqsStore    *self,
                                                    const char  *dest_path,
                                                    char       **out_sha256,
                                                    GError     **error);
gboolean      pqs_store_snapshot           (PqsStore           *self,
                                            const char         *dest_path,
                                            GError            **error);

gboolean      pqs_store_set_error_from_sqlite (GError         **error,
                                               sqlite3         *db,
                                               int              rc,
                                               const char      *context);

G_END_DECLS
