/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-fault-vfs.h"

/* Modelled on src/store/pqs-hash-vfs.c: every method forwards to the VFS
 * that was the default before; xWrite and xSync first ask fail_now(). */

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;
  char         *path;          /* NULL for a temporary file */
} FaultFile;

static sqlite3_vfs fault_vfs;

static struct
{
  GMutex        mutex;
  PqsFaultKind  kind;
  guint         after;
  gboolean      persistent;
  char         *prefix;
  guint         calls;
  guint         failed;
} state;

const char *
pqs_fault_kind_to_string (PqsFaultKind kind)
{
  switch (kind)
    {
    case PQS_FAULT_WRITE:
      return "write";
    case PQS_FAULT_SYNC:
      return "sync";
    case PQS_FAULT_FULL:
      return "full";
    case PQS_FAULT_NONE:
    default:
      return "none";
    }
}

void
pqs_fault_vfs_arm (PqsFaultKind  kind,
                   guint         after,
                   gboolean      persistent,
                   const char   *path_prefix)
{
  g_mutex_lock (&state.mutex);
  state.kind = kind;
  state.after = after;
  state.persistent = persistent;
  g_free (state.prefix);
  state.prefix = g_strdup (path_prefix);
  state.calls = 0;
  state.failed = 0;
  g_mutex_unlock (&state.mutex);
}

guint
pqs_fault_vfs_disarm (void)
{
  guint failed;

  g_mutex_lock (&state.mutex);
  failed = state.failed;
  state.kind = PQS_FAULT_NONE;
  g_clear_pointer (&state.prefix, g_free);
  g_mutex_unlock (&state.mutex);

  return failed;
}

guint
pqs_fault_vfs_get_calls (void)
{
  guint calls;

  g_mutex_lock (&state.mutex);
  calls = state.calls;
  g_mutex_unlock (&state.mutex);

  return calls;
}

guint
pqs_fault_vfs_get_failed (void)
{
  guint failed;

  g_mutex_lock (&state.mutex);
  failed = state.failed;
  g_mutex_unlock (&state.mutex);

  return failed;
}

/* Whether this call of @kind on @file fails: counted first, then failed
 * once the first state.after calls have gone through. */
static gboolean
fail_now (FaultFile    *file,
          PqsFaultKind  kind)
{
  gboolean fail = FALSE;
  gboolean is_write = kind == PQS_FAULT_WRITE;

  g_mutex_lock (&state.mutex);
  if (state.kind != PQS_FAULT_NONE &&
      (is_write ? state.kind != PQS_FAULT_SYNC : state.kind == PQS_FAULT_SYNC) &&
      (state.prefix == NULL ||
       (file->path != NULL && g_str_has_prefix (file->path, state.prefix))))
    {
      state.calls++;
      if (state.after != G_MAXUINT && state.calls > state.after &&
          (state.persistent || state.failed == 0))
        {
          state.failed++;
          fail = TRUE;
        }
    }
  g_mutex_unlock (&state.mutex);

  return fail;
}

/* I/O methods ---------------------------------------------------------------- */

static int
fault_close (sqlite3_file *file)
{
  FaultFile *self = (FaultFile *) file;
  int rc = self->real->pMethods->xClose (self->real);

  g_clear_pointer (&self->path, g_free);
  return rc;
}

static int
fault_read (sqlite3_file  *file,
            void          *buf,
            int            amt,
            sqlite3_int64  offset)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xRead (self->real, buf, amt, offset);
}

static int
fault_write (sqlite3_file  *file,
             const void    *buf,
             int            amt,
             sqlite3_int64  offset)
{
  FaultFile *self = (FaultFile *) file;

  if (fail_now (self, PQS_FAULT_WRITE))
    {
      PqsFaultKind kind;

      g_mutex_lock (&state.mutex);
      kind = state.kind;
      g_mutex_unlock (&state.mutex);
      return kind == PQS_FAULT_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    }

  return self->real->pMethods->xWrite (self->real, buf, amt, offset);
}

static int
fault_truncate (sqlite3_file  *file,
                sqlite3_int64  size)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xTruncate (self->real, size);
}

static int
fault_sync (sqlite3_file *file,
            int           flags)
{
  FaultFile *self = (FaultFile *) file;

  if (fail_now (self, PQS_FAULT_SYNC))
    return SQLITE_IOERR_FSYNC;

  return self->real->pMethods->xSync (self->real, flags);
}

static int
fault_file_size (sqlite3_file  *file,
                 sqlite3_int64 *size)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xFileSize (self->real, size);
}

static int
fault_lock (sqlite3_file *file,
            int           level)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xLock (self->real, level);
}

static int
fault_unlock (sqlite3_file *file,
              int           level)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xUnlock (self->real, level);
}

static int
fault_check_reserved_lock (sqlite3_file *file,
                           int          *out)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xCheckReservedLock (self->real, out);
}

static int
fault_file_control (sqlite3_file *file,
                    int           op,
                    void         *arg)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xFileControl (self->real, op, arg);
}

static int
fault_sector_size (sqlite3_file *file)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xSectorSize (self->real);
}

static int
fault_device_characteristics (sqlite3_file *file)
{
  FaultFile *self = (FaultFile *) file;

  return self->real->pMethods->xDeviceCharacteristics (self->real);
}

static int
fault_shm_map (sqlite3_file  *file,
               int            page,
               int            page_size,
               int            extend,
               void volatile **out)
{
  FaultFile *self = (FaultFile *) file;

  if (self->real->pMethods->iVersion < 2)
    return SQLITE_IOERR;
  return self->real->pMethods->xShmMap (self->real, page, page_size, extend, out);
}

static int
fault_shm_lock (sqlite3_file *file,
                int           offset,
                int           n,
                int           flags)
{
  FaultFile *self = (FaultFile *) file;

  if (self->real->pMethods->iVersion < 2)
    return SQLITE_IOERR;
  return self->real->pMethods->xShmLock (self->real, offset, n, flags);
}

static void
fault_shm_barrier (sqlite3_file *file)
{
  FaultFile *self = (FaultFile *) file;

  if (self->real->pMethods->iVersion >= 2)
    self->real->pMethods->xShmBarrier (self->real);
}

static int
fault_shm_unmap (sqlite3_file *file,
                 int           delete_flag)
{
  FaultFile *self = (FaultFile *) file;

  if (self->real->pMethods->iVersion < 2)
    return SQLITE_OK;
  return self->real->pMethods->xShmUnmap (self->real, delete_flag);
}

static int
fault_fetch (sqlite3_file   *file,
             sqlite3_int64   offset,
             int             amt,
             void          **out)
{
  FaultFile *self = (FaultFile *) file;

  *out = NULL;
  if (self->real->pMethods->iVersion < 3)
    return SQLITE_OK;
  return self->real->pMethods->xFetch (self->real, offset, amt, out);
}

static int
fault_unfetch (sqlite3_file  *file,
               sqlite3_int64  offset,
               void          *page)
{
  FaultFile *self = (FaultFile *) file;

  if (self->real->pMethods->iVersion < 3)
    return SQLITE_OK;
  return self->real->pMethods->xUnfetch (self->real, offset, page);
}

static const sqlite3_io_methods fault_io_methods = {
  3,
  fault_close,
  fault_read,
  fault_write,
  fault_truncate,
  fault_sync,
  fault_file_size,
  fault_lock,
  fault_unlock,
  fault_check_reserved_lock,
  fault_file_control,
  fault_sector_size,
  fault_device_characteristics,
  fault_shm_map,
  fault_shm_lock,
  fault_shm_barrier,
  fault_shm_unmap,
  fault_fetch,
  fault_unfetch,
};

/* VFS ------------------------------------------------------------------------- */

static int
fault_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;
  FaultFile *self = (FaultFile *) file;
  int rc;

  memset (self, 0, sizeof *self);
  self->real = (sqlite3_file *) (self + 1);
  rc = real_vfs->xOpen (real_vfs, name, self->real, flags, out_flags);
  if (self->real->pMethods != NULL)
    {
      self->base.pMethods = &fault_io_methods;
      self->path = g_strdup (name);
    }
  return rc;
}

static int
fault_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
fault_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
fault_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          n_out,
                     char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xFullPathname (real_vfs, name, n_out, out);
}

static void *
fault_dl_open (sqlite3_vfs *vfs,
               const char  *name)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xDlOpen (real_vfs, name);
}

static void
fault_dl_error (sqlite3_vfs *vfs,
                int          n,
                char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  real_vfs->xDlError (real_vfs, n, out);
}

static void (*fault_dl_sym (sqlite3_vfs *vfs,
                            void        *handle,
                            const char  *symbol)) (void)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
fault_dl_close (sqlite3_vfs *vfs,
                void        *handle)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  real_vfs->xDlClose (real_vfs, handle);
}

static int
fault_randomness (sqlite3_vfs *vfs,
                  int          n,
                  char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
fault_sleep (sqlite3_vfs *vfs,
             int          microseconds)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
fault_current_time (sqlite3_vfs *vfs,
                    double      *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
fault_get_last_error (sqlite3_vfs *vfs,
                      int          n,
                      char        *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
fault_current_time_int64 (sqlite3_vfs   *vfs,
                          sqlite3_int64 *out)
{
  sqlite3_vfs *real_vfs = vfs->pAppData;

  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

void
pqs_fault_vfs_install (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_vfs *real_vfs = sqlite3_vfs_find (NULL);

      g_assert_nonnull (real_vfs);
      g_assert_cmpint (real_vfs->iVersion, >=, 2);
      g_assert_cmpstr (real_vfs->zName, !=, PQS_FAULT_VFS_NAME);

      fault_vfs.iVersion = 2;
      fault_vfs.szOsFile = sizeof (FaultFile) + real_vfs->szOsFile;
      fault_vfs.mxPathname = real_vfs->mxPathname;
      fault_vfs.zName = PQS_FAULT_VFS_NAME;
      fault_vfs.pAppData = real_vfs;
      fault_vfs.xOpen = fault_open;
      fault_vfs.xDelete = fault_delete;
      fault_vfs.xAccess = fault_access;
      fault_vfs.xFullPathname = fault_full_pathname;
      fault_vfs.xDlOpen = fault_dl_open;
      fault_vfs.xDlError = fault_dl_error;
      fault_vfs.xDlSym = fault_dl_sym;
      fault_vfs.xDlClose = fault_dl_close;
      fault_vfs.xRandomness = fault_randomness;
      fault_vfs.xSleep = fault_sleep;
      fault_vfs.xCurrentTime = fault_current_time;
      fault_vfs.xGetLastError = fault_get_last_error;
      fault_vfs.xCurrentTimeInt64 = fault_current_time_int64;
      g_assert_cmpint (sqlite3_vfs_register (&fault_vfs, 1), ==, SQLITE_OK);

      g_once_init_leave (&done, 1);
    }
}
