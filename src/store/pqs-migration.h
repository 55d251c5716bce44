/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_MIGRATION (pqs_migration_get_type ())
G_DECLARE_FINAL_TYPE (PqsMigration, pqs_migration, PQS, MIGRATION, GObject)

PqsMigration *pqs_migration_new_from_text      (const char    *file_name,
                                                const char    *up_sql,
                                                const char    *down_sql,
                                                GError       **error);
guint         pqs_migration_get_version        (PqsMigration  *self);
const char   *pqs_migration_get_name           (PqsMigration  *self);
const char   *pqs_migration_get_file_name      (PqsMigration  *self);
const char   *pqs_migration_get_checksum       (PqsMigration  *self);
const char   *pqs_migration_get_up_sql         (PqsMigration  *self);
const char   *pqs_migration_get_down_sql       (PqsMigration  *self);
gboolean      pqs_migration_set_down_sql       (PqsMigration  *self,
                                                const char    *down_file_name,
                                                const char    *down_sql,
                                                GError       **error);
gboolean      pqs_migration_get_foreign_keys_off (PqsMigration *self);
gboolean      pqs_migration_get_down_foreign_keys_off (PqsMigration *self);

gboolean      pqs_migration_parse_file_name    (const char    *file_name,
                                                guint         *out_version,
                                                char         **out_name,
                                                gboolean      *out_is_down,
                                                GError       **error);
char         *pqs_migration_checksum           (const char    *sql);

G_END_DECLS
