/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define PQS_HASH_VFS_NAME "pqs-hash"

typedef struct _PqsHashStream PqsHashStream;

gboolean       pqs_hash_vfs_register   (void);
PqsHashStream *pqs_hash_stream_new     (const char    *path,
                                        const guint8  *page1,
                                        gsize          page1_len);
gboolean       pqs_hash_stream_attach  (PqsHashStream *stream,
                                        sqlite3       *db);
char          *pqs_hash_stream_finish  (PqsHashStream *stream);

G_END_DECLS
