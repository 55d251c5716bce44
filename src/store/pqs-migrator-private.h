/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pqs-types.h"

G_BEGIN_DECLS

GPtrArray *pqs_migrator_files_load (gboolean     include_resources,
                                    const char  *dir,
                                    GError     **error);

char      *pqs_migrator_backup_take   (PqsStore    *store,
                                    const char  *backup_dir,
                                    const char  *kind,
                                    guint        schema_version,
                                    const char  *created_by,
                                    GError     **error);
gboolean   pqs_migrator_backup_record (PqsStore    *store,
                                    const char  *kind,
                                    const char  *path,
                                    guint        schema_version,
                                    const char  *created_by,
                                    GError     **error);

G_END_DECLS
