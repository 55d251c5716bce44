/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* A test-only SQLite VFS that wraps the default one and makes chosen calls
 * fail, the way a failing or full disk does. It is registered as the
 * default VFS of the test process, so every connection the code under test
 * opens (stores, staged copies, the "pqs-hash" VFS of backups, which wraps
 * whatever VFS is the default when it is first used) goes through it. */

#define PQS_FAULT_VFS_NAME "pqs-fault"

typedef enum
{
  PQS_FAULT_NONE,
  PQS_FAULT_WRITE,      /* xWrite fails with SQLITE_IOERR_WRITE */
  PQS_FAULT_SYNC,       /* xSync fails with SQLITE_IOERR_FSYNC */
  PQS_FAULT_FULL,       /* xWrite fails with SQLITE_FULL: the disk is full */
} PqsFaultKind;

/* Registers the VFS as the default one, once. Call it before anything opens
 * a database. */
void         pqs_fault_vfs_install     (void);

/* Counts the calls of @kind (xWrite for WRITE and FULL, xSync for SYNC) on
 * files whose path starts with @path_prefix (NULL: every file); the calls
 * after the first @after ones fail (all of them when @persistent, else only
 * the next one). @after = G_MAXUINT only counts. */
void         pqs_fault_vfs_arm         (PqsFaultKind  kind,
                                        guint         after,
                                        gboolean      persistent,
                                        const char   *path_prefix);
/* Stops failing and counting; returns how many calls failed. */
guint        pqs_fault_vfs_disarm      (void);
/* Calls of the armed kind so far (failed ones included). */
guint        pqs_fault_vfs_get_calls   (void);
guint        pqs_fault_vfs_get_failed  (void);

const char  *pqs_fault_kind_to_string  (PqsFaultKind kind);

G_END_DECLS
