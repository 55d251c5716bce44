/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-migrator.h"

static gboolean
parse_version (const char  *text,
               guint       *out_version,
               int         *out_exit)
{
  guint64 value = 0;

  if (text == NULL ||
      !g_ascii_string_to_unsigned (text, 10, 0, 999, &value, NULL))
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("“%s” is not a schema version (a number from 0 to 999)."),
                                  text != NULL ? text : "");
      return FALSE;
    }

  *out_version = (guint) value;
  return TRUE;
}

/* Opens the database and loads the migrations; on failure prints the error
 * and sets *out_exit. */
static gboolean
open_database (PqsAdminGlobals  *globals,
               PqsStoreOpenFlags flags,
               const char       *backup_dir,
               const char       *migrations_dir,
               PqsStore        **out_store,
               PqsMigrator     **out_migrator,
               int              *out_exit)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = pqs_admin_actor ();

  store = pqs_store_open (globals->db_path, flags, &error);
  if (store == NULL)
    {
      *out_exit = pqs_admin_fail_error (error);
      return FALSE;
    }

  migrator = pqs_migrator_new (store);
  pqs_migrator_set_applied_by (migrator, actor);
  if (backup_dir != NULL)
    pqs_migrator_set_backup_dir (migrator, backup_dir);

  if (!pqs_migrator_load (migrator, migrations_dir, &error))
    {
      *out_exit = pqs_admin_fail_error (error);
      return FALSE;
    }

  *out_store = g_steal_pointer (&store);
  *out_migrator = g_steal_pointer (&migrator);
  return TRUE;
}

static void
progress_cb (PqsMigration *migration,
             gboolean      rolling_back,
             guint         index,
             guint         total,
             gpointer      user_data)
{
  PqsAdminGlobals *globals = user_data;

  if (globals->json)
    return;

  g_print (rolling_back ? _("[%u/%u] Rolling back %s\n") : _("[%u/%u] Applying %s\n"),
           index + 1, total, pqs_migration_get_file_name (migration));
}

static JsonNode *
migration_list_json (GPtrArray *migrations)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < migrations->len; i++)
    {
      PqsMigration *migration = g_ptr_array_index (migrations, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, pqs_migration_get_version (migration));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, pqs_migration_get_name (migration));
      json_builder_set_member_name (builder, "checksum");
      json_builder_add_string_value (builder, pqs_migration_get_checksum (migration));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static int
print_outcome (PqsAdminGlobals *globals,
               PqsMigrator     *migrator,
               const char      *verb,
               guint            count,
               GPtrArray       *migrations,
               gboolean         dry_run)
{
  g_autoptr(GError) error = NULL;
  guint version = 0;

  if (!pqs_migrator_get_current_version (migrator, &version, &error))
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char *backup = pqs_migrator_get_last_backup_path (migrator);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "database");
      json_builder_add_string_value (builder, globals->db_path);
      json_builder_set_member_name (builder, "dry_run");
      json_builder_add_boolean_value (builder, dry_run);
      json_builder_set_member_name (builder, verb);
      json_builder_add_value (builder, migration_list_json (migrations));
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, count);
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, version);
      json_builder_set_member_name (builder, "latest_version");
      json_builder_add_int_value (builder, pqs_migrator_get_latest_version (migrator));
      json_builder_set_member_name (builder, "backup");
      if (backup != NULL)
        json_builder_add_string_value (builder, backup);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
      return PQS_ADMIN_EXIT_OK;
    }

  if (pqs_migrator_get_last_backup_path (migrator) != NULL)
    g_print (_("Safety copy taken first: %s\n"), pqs_migrator_get_last_backup_path (migrator));

  g_print (_("Database %s is at schema version %03u (this program knows %03u).\n"),
           globals->db_path, version, pqs_migrator_get_latest_version (migrator));

  return PQS_ADMIN_EXIT_OK;
}

int
pqs_admin_cmd_migrate (PqsAdminGlobals  *globals,
                       int               argc,
                       char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *migrations_dir = NULL;
  gboolean dry_run = FALSE;
  guint target = PQS_MIGRATOR_LATEST;
  guint applied = 0;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("Stop at this schema version (default: the newest)"), N_("VERSION") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("List what would be applied; change nothing"), NULL },
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("Where the safety copy goes (default: the backups folder beside the user’s data)"),
      N_("DIR") },
    { "migrations-dir", 0, 0, G_OPTION_ARG_FILENAME, &migrations_dir,
      N_("Also read migration files from this folder (development)"), N_("DIR") },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("migrate — apply pending migrations"),
                                      _("Brings the database to the newest (or the given) "
                                        "schema version. A non-empty database is copied to "
                                        "the backup folder first."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  if (to != NULL && !parse_version (to, &target, &exit_code))
    return exit_code;

  /* A dry run on a database that does not exist yet changes nothing either. */
  if (dry_run && !g_file_test (globals->db_path, G_FILE_TEST_EXISTS))
    {
      if (globals->json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "database");
          json_builder_add_string_value (builder, globals->db_path);
          json_builder_set_member_name (builder, "exists");
          json_builder_add_boolean_value (builder, FALSE);
          json_builder_set_member_name (builder, "dry_run");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          pqs_admin_print_json (root);
        }
      else
        g_print (_("%s does not exist yet; migrate would create it and apply every "
                   "migration.\n"), globals->db_path);
      return PQS_ADMIN_EXIT_OK;
    }

  if (!open_database (globals, dry_run ? PQS_STORE_OPEN_READ_ONLY : PQS_STORE_OPEN_DEFAULT,
                      backup_dir, migrations_dir, &store, &migrator,
                      &exit_code))
    return exit_code;

  if (dry_run)
    {
      pending = pqs_migrator_pending (migrator, target, &error);
      if (pending == NULL)
        return pqs_admin_fail_error (error);

      if (!globals->json)
        {
          if (pending->len == 0)
            g_print (_("Nothing to apply.\n"));
          for (guint i = 0; i < pending->len; i++)
            g_print (_("Would apply %s\n"),
                     pqs_migration_get_file_name (g_ptr_array_index (pending, i)));
        }

      return print_outcome (globals, migrator, "pending", pending->len, pending, TRUE);
    }

  pending = pqs_migrator_pending (migrator, target, &error);
  if (pending == NULL)
    return pqs_admin_fail_error (error);

  pqs_migrator_set_progress_func (migrator, progress_cb, globals);
  if (!pqs_migrator_migrate (migrator, target, &applied, &error))
    return pqs_admin_fail_error (error);

  if (!globals->json && applied == 0)
    g_print (_("Nothing to apply.\n"));

  return print_outcome (globals, migrator, "applied", applied, pending, FALSE);
}

int
pqs_admin_cmd_rollback (PqsAdminGlobals  *globals,
                        int               argc,
                        char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *migrations_dir = NULL;
  guint target = 0;
  guint reverted = 0;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("The schema version to go back to (required)"), N_("VERSION") },
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("Where the safety copy goes (default: the backups folder beside the user’s data)"),
      N_("DIR") },
    { "migrations-dir", 0, 0, G_OPTION_ARG_FILENAME, &migrations_dir,
      N_("Also read migration files from this folder (development)"), N_("DIR") },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("rollback --to VERSION — roll the schema back"),
                                      _("Runs the rollback files of the applied migrations "
                                        "above VERSION, newest first. The database is copied "
                                        "to the backup folder first."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  if (to == NULL)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("rollback needs --to VERSION. Try “pqs-admin rollback --help”."));
  if (!parse_version (to, &target, &exit_code))
    return exit_code;

  if (!open_database (globals, PQS_STORE_OPEN_EXISTING, backup_dir, migrations_dir, &store,
                      &migrator, &exit_code))
    return exit_code;

  pqs_migrator_set_progress_func (migrator, progress_cb, globals);
  if (!pqs_migrator_rollback (migrator, target, &reverted, &error))
    return pqs_admin_fail_error (error);

  if (!globals->json && reverted == 0)
    g_print (_("Nothing to roll back.\n"));

  return print_outcome (globals, migrator, "rolled_back", reverted, none, FALSE);
}

static JsonNode *
status_json (PqsAdminGlobals *globals,
             PqsMigrator     *migrator,
             guint            version,
             GPtrArray       *lines)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, globals->db_path);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, version);
  json_builder_set_member_name (builder, "latest_version");
  json_builder_add_int_value (builder, pqs_migrator_get_latest_version (migrator));
  json_builder_set_member_name (builder, "migrations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < lines->len; i++)
    {
      PqsMigrationStatus *line = g_ptr_array_index (lines, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, line->version);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, line->name);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, pqs_migration_state_to_string (line->state));
      json_builder_set_member_name (builder, "checksum");
      json_builder_add_string_value (builder, line->file_checksum);
      json_builder_set_member_name (builder, "applied_checksum");
      json_builder_add_string_value (builder, line->applied_checksum);
      json_builder_set_member_name (builder, "applied_at");
      json_builder_add_string_value (builder, line->applied_at);
      json_builder_set_member_name (builder, "applied_by");
      json_builder_add_string_value (builder, line->applied_by);
      json_builder_set_member_name (builder, "execution_ms");
      json_builder_add_int_value (builder, line->execution_ms);
      json_builder_set_member_name (builder, "has_rollback");
      json_builder_add_boolean_value (builder, line->has_down);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

int
pqs_admin_cmd_status (PqsAdminGlobals  *globals,
                      int               argc,
                      char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *migrations_dir = NULL;
  guint version = 0;
  guint pending = 0;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "migrations-dir", 0, 0, G_OPTION_ARG_FILENAME, &migrations_dir,
      N_("Also read migration files from this folder (development)"), N_("DIR") },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("status — show the schema’s migrations"),
                                      _("Lists every migration with its state (applied, "
                                        "baselined, pending, checksum-mismatch, missing-file) "
                                        "and checksum. Changes nothing."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  if (!open_database (globals, PQS_STORE_OPEN_READ_ONLY, NULL, migrations_dir, &store,
                      &migrator, &exit_code))
    return exit_code;

  lines = pqs_migrator_status (migrator, &error);
  if (lines == NULL || !pqs_migrator_get_current_version (migrator, &version, &error))
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      g_autoptr(JsonNode) root = status_json (globals, migrator, version, lines);

      pqs_admin_print_json (root);
      return PQS_ADMIN_EXIT_OK;
    }

  g_print (_("Database: %s\n"), globals->db_path);
  g_print ("%-8s %-36s %-18s %-25s %s\n", _("VERSION"), _("NAME"), _("STATE"),
           _("APPLIED AT"), _("CHECKSUM"));
  for (guint i = 0; i < lines->len; i++)
    {
      PqsMigrationStatus *line = g_ptr_array_index (lines, i);
      const char *checksum = line->file_checksum != NULL ? line->file_checksum
                                                         : line->applied_checksum;

      if (line->state == PQS_MIGRATION_STATE_PENDING)
        pending++;
      g_print ("%03u      %-36s %-18s %-25s %.16s\n", line->version,
               line->name != NULL ? line->name : "?",
               pqs_migration_state_to_string (line->state),
               line->applied_at != NULL ? line->applied_at : "—",
               checksum != NULL ? checksum : "—");
    }
  g_print (ngettext ("Schema version %03u of %03u; %u migration pending.\n",
                     "Schema version %03u of %03u; %u migrations pending.\n", pending),
           version, pqs_migrator_get_latest_version (migrator), pending);

  return PQS_ADMIN_EXIT_OK;
}

int
pqs_admin_cmd_validate (PqsAdminGlobals  *globals,
                        int               argc,
                        char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *migrations_dir = NULL;
  guint version = 0;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "migrations-dir", 0, 0, G_OPTION_ARG_FILENAME, &migrations_dir,
      N_("Also read migration files from this folder (development)"), N_("DIR") },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("validate — check migrations against the database"),
                                      _("Exits with 1 when an applied migration changed "
                                        "(checksum mismatch), one is missing, the history has "
                                        "a gap, or the database is newer than this program."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  if (!open_database (globals, PQS_STORE_OPEN_READ_ONLY, NULL, migrations_dir, &store,
                      &migrator, &exit_code))
    return exit_code;

  if (!pqs_migrator_validate (migrator, &error) ||
      !pqs_migrator_get_current_version (migrator, &version, &error))
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, version);
      json_builder_set_member_name (builder, "latest_version");
      json_builder_add_int_value (builder, pqs_migrator_get_latest_version (migrator));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
    }
  else
    g_print (_("Valid: %u applied migrations match their files (schema %03u of %03u).\n"),
             version, version, pqs_migrator_get_latest_version (migrator));

  return PQS_ADMIN_EXIT_OK;
}
