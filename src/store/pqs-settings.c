/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include "pqs-settings.h"

/**
 * pqs_settings_new:
 *
 * Creates the application settings when the schema is installed (or found
 * through `GSETTINGS_SCHEMA_DIR`). g_settings_new() aborts the process on a
 * missing schema; a program run from the build folder must keep working with
 * its built-in defaults instead.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL
 */
GSettings *
pqs_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, PQS_SETTINGS_SCHEMA_ID, TRUE);

  if (schema == NULL)
    {
      g_debug ("GSettings schema %s is not installed; settings will not be saved",
               PQS_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}
