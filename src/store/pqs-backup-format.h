/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define PQS_BACKUP_ERROR (pqs_backup_error_quark ())

typedef enum
{
  PQS_BACKUP_ERROR_FAILED,
  PQS_BACKUP_ERROR_NOT_A_BACKUP,
  PQS_BACKUP_ERROR_DAMAGED,
  PQS_BACKUP_ERROR_UNSUPPORTED,
  PQS_BACKUP_ERROR_NEEDS_PASSPHRASE,
  PQS_BACKUP_ERROR_WRONG_PASSPHRASE,
  PQS_BACKUP_ERROR_NEWER_SCHEMA,
  PQS_BACKUP_ERROR_VERIFY_FAILED,
  PQS_BACKUP_ERROR_CANCELLED,
  PQS_BACKUP_ERROR_IN_USE,
} PqsBackupError;

/* The magic of compressed or encrypted backups; a plain backup is a bare
 * SQLite file that the sqlite3 command line can open. */
#define PQS_BACKUP_MAGIC          "PQSBKP\0\1"
#define PQS_BACKUP_MAGIC_LEN      8
#define PQS_BACKUP_FORMAT_VERSION 1
#define PQS_BACKUP_HEADER_SIZE    128
#define PQS_BACKUP_SALT_SIZE      16
#define PQS_BACKUP_STREAM_HEADER_SIZE 24
#define PQS_BACKUP_KEY_CHECK_SIZE 16
#define PQS_BACKUP_CHUNK_SIZE     (64 * 1024)

typedef enum
{
  PQS_BACKUP_FLAG_COMPRESSED = 1 << 0,
  PQS_BACKUP_FLAG_ENCRYPTED  = 1 << 1,
} PqsBackupFlags;

/* How hard the passphrase is made to guess: libsodium's presets. */
typedef enum
{
  PQS_BACKUP_KDF_MODERATE,
  PQS_BACKUP_KDF_INTERACTIVE,
} PqsBackupKdf;

typedef struct
{
  guint16 format_version;
  guint16 flags;             /* PqsBackupFlags */
  guint32 chunk_size;        /* plaintext bytes per encrypted chunk; 0 when not encrypted */
  guint32 kdf_algorithm;     /* crypto_pwhash_ALG_ARGON2ID13; 0 when not encrypted */
  guint64 opslimit;
  guint64 memlimit;
  guint8  salt[PQS_BACKUP_SALT_SIZE];
  guint8  stream_header[PQS_BACKUP_STREAM_HEADER_SIZE];
  guint8  key_check[PQS_BACKUP_KEY_CHECK_SIZE];
} PqsBackupHeader;

/* Called with the bytes done so far and the total (0 when unknown). */
typedef void (*PqsBackupByteProgressFunc) (guint64  done,
                                           guint64  total,
                                           gpointer user_data);

GQuark    pqs_backup_error_quark           (void);

gboolean  pqs_backup_format_read_header    (const guint8      *data,
                                            gsize              len,
                                            PqsBackupHeader   *out,
                                            GError           **error);
gboolean  pqs_backup_format_is_sqlite      (const guint8      *data,
                                            gsize              len);

gboolean  pqs_backup_format_encode         (const char                *plain_path,
                                            GOutputStream             *dest,
                                            gboolean                   compress,
                                            const char                *passphrase,
                                            PqsBackupKdf               kdf,
                                            PqsBackupByteProgressFunc  progress,
                                            gpointer                   progress_data,
                                            GCancellable              *cancellable,
                                            GError                   **error);
gboolean  pqs_backup_format_decode         (const char                *backup_path,
                                            const char                *passphrase,
                                            GOutputStream             *dest,
                                            PqsBackupByteProgressFunc  progress,
                                            gpointer                   progress_data,
                                            GCancellable              *cancellable,
                                            GError                   **error);
gboolean  pqs_backup_format_decode_bounded (const char                *backup_path,
                                            const char                *passphrase,
                                            guint64                    max_size,
                                            GOutputStream             *dest,
                                            PqsBackupByteProgressFunc  progress,
                                            gpointer                   progress_data,
                                            GCancellable              *cancellable,
                                            GError                   **error);
gboolean  pqs_backup_format_sha256_file    (const char                *path,
                                            GCancellable              *cancellable,
                                            char                     **out_hex,
                                            GError                   **error);

/* Helpers shared by the backup service's files; not for other callers. */
GArray   *pqs_backup_table_counts_new      (void);
void      pqs_backup_table_counts_add      (GArray       *tables,
                                            const char   *name,
                                            gint64        rows);
gboolean  pqs_backup_set_io_error          (GError      **error,
                                            int           saved_errno,
                                            const char   *format,
                                            const char   *path);
gboolean  pqs_backup_fsync_path            (const char   *path,
                                            gboolean      is_folder,
                                            GError      **error);
char     *pqs_backup_partial_name          (const char   *path,
                                            const char   *tag,
                                            gboolean      keep_file,
                                            int          *out_fd,
                                            GError      **error);
void      pqs_backup_unlink_quietly        (const char   *path);
sqlite3  *pqs_backup_open_immutable        (const char   *path,
                                            GError      **error);
gboolean  pqs_backup_read_db_facts         (sqlite3      *db,
                                            gint         *out_version,
                                            GArray      **out_tables,
                                            GError      **error);
gboolean  pqs_backup_check_integrity       (sqlite3      *db,
                                            GError      **error);

G_END_DECLS
