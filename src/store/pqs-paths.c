/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-paths.h"

/**
 * pqs_paths_default_database:
 *
 * Returns: (transfer full): `$PQS_DB` when set, else
 *   `$XDG_DATA_HOME/pqs-desk/pqs.db`.
 */
char *
pqs_paths_default_database (void)
{
  const char *env = g_getenv ("PQS_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), PQS_DATA_FOLDER, "pqs.db", NULL);
}

/**
 * pqs_paths_default_backup_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/pqs-desk/backups`.
 */
char *
pqs_paths_default_backup_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), PQS_DATA_FOLDER, "backups", NULL);
}
