/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <nettle/sha2.h>

#include "pqs-hash-vfs.h"

/* A VFS that wraps the default one and, for a main database file that a
 * #PqsHashStream is attached to, follows the writes: as long as they land one
 * after the other from the start of the file, a second thread checksums the
 * bytes already written while the copy goes on. Any other write, a truncation
 * elsewhere or a size at close that is not the end of the stream makes the
 * stream "broken", and pqs_hash_stream_finish() then returns %NULL: the
 * caller checksums the file itself. The digest is never a guess.
 *
 * The pager writes page 1 last (it stays pinned while the other pages are
 * spilled), so the stream may start from an expected image of page 1: it is
 * checksummed first, and the real write of page 1 must then match it byte
 * for byte, once.
 *
 * The thread also asks the kernel to start writing out what it has read
 * (sync_file_range()), so that the caller's fsync() has little left to do. */

#define PQS_HASH_VFS_FCNTL_ATTACH 0x70710051
#define READ_CHUNK (1024 * 1024)

struct _PqsHashStream
{
  GMutex      mutex;
  GCond       cond;
  char       *path;
  guint8     *page1;          /* expected page 1, or NULL */
  gsize       page1_len;
  gboolean    page1_pending;  /* the real page 1 has not been written yet */
  gint64      written;        /* bytes written one after the other */
  gint64      wake_at;        /* the thread waits for this many, or 0 */
  gboolean    broken;
  gboolean    closed;
  gboolean    attached;
  GThread    *thread;
  char       *hex;
};

typedef struct
{
  sqlite3_file   base;
  PqsHashStream *stream;
  sqlite3_file  *real;
  gboolean       main_db;
} HashFile;

static sqlite3_vfs hash_vfs;

static void
stream_break (PqsHashStream *stream)
{
  stream->broken = TRUE;
  g_cond_broadcast (&stream->cond);
}

static gpointer
hash_thread (gpointer data)
{
  PqsHashStream *stream = data;
  struct sha256_ctx ctx;
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK);
  guint8 digest[SHA256_DIGEST_SIZE];
  gint64 hashed = 0;
  int fd = -1;

  sha256_init (&ctx);
  if (stream->page1 != NULL)
    {
      sha256_update (&ctx, stream->page1_len, stream->page1);
      hashed = stream->page1_len;
    }

  for (;;)
    {
      gint64 limit;
      gboolean closed;

      /* Woken for a whole chunk at a time, not for every page. */
      g_mutex_lock (&stream->mutex);
      stream->wake_at = hashed + READ_CHUNK;
      while (!stream->broken && !stream->closed && stream->written < stream->wake_at)
        g_cond_wait (&stream->cond, &stream->mutex);
      stream->wake_at = 0;
      limit = stream->written;
      closed = stream->closed;
      if (stream->broken)
        {
          g_mutex_unlock (&stream->mutex);
          goto out;
        }
      g_mutex_unlock (&stream->mutex);

      if (hashed >= limit && closed)
        break;

      if (fd < 0)
        {
          fd = g_open (stream->path, O_RDONLY | O_CLOEXEC, 0);
          if (fd < 0)
            goto failed;
        }

      while (hashed < limit)
        {
          gssize n = pread (fd, buffer, MIN (limit - hashed, READ_CHUNK), hashed);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            goto failed;
          sha256_update (&ctx, n, buffer);
#ifdef SYNC_FILE_RANGE_WRITE
          /* Starts writing the pages out, so that the caller's fsync()
           * has less left to do. Only a hint. */
          sync_file_range (fd, hashed, n, SYNC_FILE_RANGE_WRITE);
#endif
          hashed += n;
        }
    }

  sha256_digest (&ctx, sizeof digest, digest);
  stream->hex = g_malloc (SHA256_DIGEST_SIZE * 2 + 1);
  for (gsize i = 0; i < sizeof digest; i++)
    {
      static const char digits[] = "0123456789abcdef";

      stream->hex[2 * i] = digits[digest[i] >> 4];
      stream->hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  stream->hex[SHA256_DIGEST_SIZE * 2] = '\0';
  goto out;

failed:
  g_mutex_lock (&stream->mutex);
  stream_break (stream);
  g_mutex_unlock (&stream->mutex);
out:
  if (fd >= 0)
    close (fd);
  return NULL;
}

/**
 * pqs_hash_stream_new:
 * @path: the database file that will be attached
 * @page1: (nullable): the bytes page 1 is expected to hold at the end
 * @page1_len: the length of @page1
 *
 * Returns: (transfer full): a stream; give it back to pqs_hash_stream_finish()
 */
PqsHashStream *
pqs_hash_stream_new (const char   *path,
                     const guint8 *page1,
                     gsize         page1_len)
{
  PqsHashStream *stream = g_new0 (PqsHashStream, 1);

  g_mutex_init (&stream->mutex);
  g_cond_init (&stream->cond);
  stream->path = g_strdup (path);
  if (page1 != NULL && page1_len > 0)
    {
      stream->page1 = g_memdup2 (page1, page1_len);
      stream->page1_len = page1_len;
      stream->page1_pending = TRUE;
      stream->written = page1_len;
    }
  return stream;
}

/* Attaches @stream to the main database file of @db, which must be open with
 * the "pqs-hash" VFS and still empty. */
gboolean
pqs_hash_stream_attach (PqsHashStream *stream,
                        sqlite3       *db)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (!stream->attached, FALSE);

  if (sqlite3_file_control (db, "main", PQS_HASH_VFS_FCNTL_ATTACH, stream) != SQLITE_OK)
    return FALSE;
  stream->attached = TRUE;
  stream->thread = g_thread_try_new ("pqs-copy-sha256", hash_thread, stream, NULL);
  if (stream->thread == NULL)
    {
      g_mutex_lock (&stream->mutex);
      stream_break (stream);
      g_mutex_unlock (&stream->mutex);
    }
  return TRUE;
}

/**
 * pqs_hash_stream_finish:
 * @stream: (transfer full): a stream whose database has been closed
 *
 * Returns: (transfer full) (nullable): the SHA-256 of the whole file in
 *   lower-case hex, or %NULL when the writes did not allow it
 */
char *
pqs_hash_stream_finish (PqsHashStream *stream)
{
  char *hex = NULL;

  g_return_val_if_fail (stream != NULL, NULL);

  g_mutex_lock (&stream->mutex);
  if (!stream->closed)
    stream_break (stream);
  g_mutex_unlock (&stream->mutex);

  if (stream->thread != NULL)
    g_thread_join (stream->thread);

  if (!stream->broken && stream->attached)
    hex = g_steal_pointer (&stream->hex);

  g_free (stream->hex);
  g_free (stream->page1);
  g_free (stream->path);
  g_cond_clear (&stream->cond);
  g_mutex_clear (&stream->mutex);
  g_free (stream);
  return hex;
}

/* I/O methods ------------------------------------------------------------- */

static int
hash_close (sqlite3_file *file)
{
  HashFile *self = (HashFile *) file;
  int rc;

  if (self->stream != NULL)
    {
      sqlite3_int64 size = -1;

      g_mutex_lock (&self->stream->mutex);
      if (self->real->pMethods->xFileSize (self->real, &size) != SQLITE_OK ||
          size != self->stream->written || self->stream->page1_pending)
        stream_break (self->stream);
      self->stream->closed = TRUE;
      g_cond_broadcast (&self->stream->cond);
      g_mutex_unlock (&self->stream->mutex);
      self->stream = NULL;
    }

  rc = self->real->pMethods->xClose (self->real);
  return rc;
}

static int
hash_read (sqlite3_file  *file,
           void          *buf,
           int            amt,
           sqlite3_int64  offset)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xRead (self->real, buf, amt, offset);
}

static int
hash_write (sqlite3_file  *file,
            const void    *buf,
            int            amt,
            sqlite3_int64  offset)
{
  HashFile *self = (HashFile *) file;
  PqsHashStream *stream = self->stream;
  int rc;

  rc = self->real->pMethods->xWrite (self->real, buf, amt, offset);
  if (stream == NULL)
    return rc;

  g_mutex_lock (&stream->mutex);
  if (rc != SQLITE_OK || stream->broken)
    stream_break (stream);
  else if (stream->page1_pending && offset == 0)
    {
      if ((gsize) amt == stream->page1_len && memcmp (buf, stream->page1, amt) == 0)
        stream->page1_pending = FALSE;
      else
        stream_break (stream);
    }
  else if (offset == stream->written && amt > 0)
    {
      stream->written += amt;
      if (stream->wake_at > 0 && stream->written >= stream->wake_at)
        g_cond_broadcast (&stream->cond);
    }
  else
    stream_break (stream);
  g_mutex_unlock (&stream->mutex);

  return rc;
}

static int
hash_truncate (sqlite3_file  *file,
               sqlite3_int64  size)
{
  HashFile *self = (HashFile *) file;

  if (self->stream != NULL)
    {
      g_mutex_lock (&self->stream->mutex);
      if (size != self->stream->written)
        stream_break (self->stream);
      g_mutex_unlock (&self->stream->mutex);
    }
  return self->real->pMethods->xTruncate (self->real, size);
}

static int
hash_sync (sqlite3_file *file,
           int           flags)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xSync (self->real, flags);
}

static int
hash_file_size (sqlite3_file  *file,
                sqlite3_int64 *size)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xFileSize (self->real, size);
}

static int
hash_lock (sqlite3_file *file,
           int           level)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xLock (self->real, level);
}

static int
hash_unlock (sqlite3_file *file,
             int           level)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xUnlock (self->real, level);
}

static int
hash_check_reserved_lock (sqlite3_file *file,
                          int          *out)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xCheckReservedLock (self->real, out);
}

static int
hash_file_control (sqlite3_file *file,
                   int           op,
                   void         *arg)
{
  HashFile *self = (HashFile *) file;

  if (op == PQS_HASH_VFS_FCNTL_ATTACH)
    {
      sqlite3_int64 size = -1;

      if (!self->main_db || self->stream != NULL ||
          self->real->pMethods->xFileSize (self->real, &size) != SQLITE_OK || size != 0)
        return SQLITE_ERROR;
      self->stream = arg;
      return SQLITE_OK;
    }

  return self->real->pMethods->xFileControl (self->real, op, arg);
}

static int
hash_sector_size (sqlite3_file *file)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xSectorSize (self->real);
}

static int
hash_device_characteristics (sqlite3_file *file)
{
  HashFile *self = (HashFile *) file;

  return self->real->pMethods->xDeviceCharacteristics (self->real);
}

static int
hash_shm_map (sqlite3_file  *file,
              int            page,
              int            page_size,
              int            extend,
              void volatile **out)
{
  HashFile *self = (HashFile *) file;

  if (self->real->pMethods->iVersion < 2)
    return SQLITE_IOERR;
  return self->real->pMethods->xShmMap (self->real, page, page_size, extend, out);
}

static int
hash_shm_lock (sqlite3_file *file,
               int           offset,
               int           n,
               int           flags)
{
  HashFile *self = (HashFile *) file;

  if (self->real->pMethods->iVersion < 2)
    return SQLITE_IOERR;
  return self->real->pMethods->xShmLock (self->real, offset, n, flags);
}

static void
hash_shm_barrier (sqlite3_file *file)
{
  HashFile *self = (HashFile *) file;

  if (self->real->pMethods->iVersion >= 2)
    self->real->pMethods->xShmBarrier (self->real);
}

static int
hash_shm_unmap (sqlite3_file *file,
                int           delete_flag)
{
  HashFile *self = (HashFile *) file;

  if (self->real->pMethods->iVersion < 2)
    return SQLITE_OK;
  return self->real->pMethods->xShmUnmap (self->real, delete_flag);
}

static int
hash_fetch (sqlite3_file   *file,
            sqlite3_int64   offset,
            int             amt,
            void          **out)
{
  HashFile *self = (HashFile *) file;

  *out = NULL;
  if (self->real->pMethods->iVersion < 3)
    return SQLITE_OK;
  return self->real->pMethods->xFetch (self->real, offset, amt, out);
}

static int
hash_unfetch (sqlite3_file  *file,
              sqlite3_int64  offset,
              void          *page)
{
  HashFile *self = (HashFile *) file;

  if (self->real->pMethods->iVersion < 3)
    return SQLITE_OK;
  return self->real->pMethods->xUnfetch (self->real, offset, page);
}

static const sqlite3_io_methods hash_io_methods = {
  3,
  hash_close,
  hash_read,
  hash_write,
  hash_truncate,
  hash_sync,
  hash_file_size,
  hash_lock,
  hash_unlock,
  hash_check_reserved_lock,
  hash_file_control,
  hash_sector_size,
  hash_device_characteristics,
  hash_shm_map,
  hash_shm_lock,
  hash_shm_barrier,
  hash_shm_unmap,
  hash_fetch,
  hash_unfetch,
};

/* VFS --------------------------------------------------------------------- */

static int
hash_open (sqlite3_vfs  *vfs,
           const char   *name,
           sqlite3_file *file,
           int           flags,
           int          *out_flags)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  HashFile *self = (HashFile *) file;
  int rc;

  memset (self, 0, sizeof *self);
  self->real = (sqlite3_file *) (self + 1);
  self->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  rc = real_vfs->xOpen (real_vfs, name, self->real, flags, out_flags);
  if (self->real->pMethods != NULL)
    self->base.pMethods = &hash_io_methods;
  return rc;
}

static int
hash_delete (sqlite3_vfs *vfs,
             const char  *name,
             int          sync_dir)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
hash_access (sqlite3_vfs *vfs,
             const char  *name,
             int          flags,
             int         *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
hash_full_pathname (sqlite3_vfs *vfs,
                    const char  *name,
                    int          n_out,
                    char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xFullPathname (real_vfs, name, n_out, out);
}

static void *
hash_dl_open (sqlite3_vfs *vfs,
              const char  *name)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xDlOpen (real_vfs, name);
}

static void
hash_dl_error (sqlite3_vfs *vfs,
               int          n,
               char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  real_vfs->xDlError (real_vfs, n, out);
}

static void (*hash_dl_sym (sqlite3_vfs *vfs,
                           void        *handle,
                           const char  *symbol)) (void)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
hash_dl_close (sqlite3_vfs *vfs,
               void        *handle)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  real_vfs->xDlClose (real_vfs, handle);
}

static int
hash_randomness (sqlite3_vfs *vfs,
                 int          n,
                 char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
hash_sleep (sqlite3_vfs *vfs,
            int          microseconds)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
hash_current_time (sqlite3_vfs *vfs,
                   double      *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
hash_get_last_error (sqlite3_vfs *vfs,
                     int          n,
                     char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
hash_current_time_int64 (sqlite3_vfs   *vfs,
                         sqlite3_int64 *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

/**
 * pqs_hash_vfs_register:
 *
 * Registers the "pqs-hash" VFS (never as the default) over the default VFS,
 * once.
 *
 * Returns: %TRUE if it can be used
 */
gboolean
pqs_hash_vfs_register (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      sqlite3_vfs *real_vfs = sqlite3_vfs_find (NULL);

      if (real_vfs != NULL && real_vfs->iVersion >= 2)
        {
          hash_vfs.iVersion = 2;
          hash_vfs.szOsFile = sizeof (HashFile) + real_vfs->szOsFile;
          hash_vfs.mxPathname = real_vfs->mxPathname;
          hash_vfs.zName = PQS_HASH_VFS_NAME;
          hash_vfs.pAppData = real_vfs;
          hash_vfs.xOpen = hash_open;
          hash_vfs.xDelete = hash_delete;
          hash_vfs.xAccess = hash_access;
          hash_vfs.xFullPathname = hash_full_pathname;
          hash_vfs.xDlOpen = hash_dl_open;
          hash_vfs.xDlError = hash_dl_error;
          hash_vfs.xDlSym = hash_dl_sym;
          hash_vfs.xDlClose = hash_dl_close;
          hash_vfs.xRandomness = hash_randomness;
          hash_vfs.xSleep = hash_sleep;
          hash_vfs.xCurrentTime = hash_current_time;
          hash_vfs.xGetLastError = hash_get_last_error;
          hash_vfs.xCurrentTimeInt64 = hash_current_time_int64;
          ok = sqlite3_vfs_register (&hash_vfs, 0) == SQLITE_OK;
        }
      g_once_init_leave (&done, 1);
    }

  return ok;
}
