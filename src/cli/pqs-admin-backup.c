/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <inttypes.h>

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "pqs-admin-private.h"
#include "pqs-backup-service.h"
#include "pqs-settings.h"

#define DEFAULT_KEEP_COUNT   10
#define DEFAULT_MAX_AGE_DAYS 30
#define MAX_PASSPHRASE       1024

/* Passphrases ------------------------------------------------------------- */

static char *
read_line (const char *prompt,
           gboolean    tty)
{
  char buffer[MAX_PASSPHRASE + 2];
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  char *line = NULL;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      fflush (stderr);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  if (fgets (buffer, sizeof buffer, stdin) != NULL)
    {
      buffer[strcspn (buffer, "\r\n")] = '\0';
      line = g_strdup (buffer);
    }
  sodium_memzero (buffer, sizeof buffer);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }

  return line;
}

static void
passphrase_free (char *passphrase)
{
  if (passphrase != NULL)
    sodium_memzero (passphrase, strlen (passphrase));
  g_free (passphrase);
}

/* One line from standard input, or a prompt without echo on a terminal;
 * never from the command line. */
static char *
read_passphrase (gboolean  confirm,
                 int      *out_exit)
{
  gboolean tty = isatty (STDIN_FILENO);
  char *passphrase = read_line (_("Passphrase: "), tty);

  if (passphrase == NULL || *passphrase == '\0')
    {
      passphrase_free (passphrase);
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("a passphrase is needed on standard input (one line)."));
      return NULL;
    }

  if (confirm && tty)
    {
      char *again = read_line (_("Passphrase again: "), tty);
      gboolean same = again != NULL && g_str_equal (again, passphrase);

      passphrase_free (again);
      if (!same)
        {
          passphrase_free (passphrase);
          *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("the passphrases differ."));
          return NULL;
        }
    }

  return passphrase;
}

/* Whether @path is an encrypted backup (then a passphrase is asked for). */
static gboolean
is_encrypted (const char *path)
{
  guint8 start[PQS_BACKUP_HEADER_SIZE];
  PqsBackupHeader header;
  gsize len = 0;
  FILE *file = fopen (path, "rb");

  if (file == NULL)
    return FALSE;
  len = fread (start, 1, sizeof start, file);
  fclose (file);

  return pqs_backup_format_read_header (start, len, &header, NULL) &&
         (header.flags & PQS_BACKUP_FLAG_ENCRYPTED) != 0;
}

/* Output -------------------------------------------------------------------- */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_info (JsonBuilder         *builder,
          const PqsBackupInfo *info)
{
  json_builder_begin_object (builder);
  add_string (builder, "path", info->path);
  add_string (builder, "type", pqs_backup_type_to_string (info->type));
  add_string (builder, "status", info->status);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, info->history_id);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, info->size);
  add_string (builder, "sha256", info->checksum_sha256);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, info->schema_version);
  json_builder_set_member_name (builder, "compressed");
  json_builder_add_boolean_value (builder, info->compressed);
  json_builder_set_member_name (builder, "encrypted");
  json_builder_add_boolean_value (builder, info->encrypted);
  json_builder_set_member_name (builder, "file_exists");
  json_builder_add_boolean_value (builder, info->file_exists);
  json_builder_set_member_name (builder, "has_manifest");
  json_builder_add_boolean_value (builder, info->has_manifest);
  add_string (builder, "created_at", info->created_at);
  add_string (builder, "completed_at", info->completed_at);
  add_string (builder, "created_by", info->created_by);
  add_string (builder, "error_message", info->error_message);
  if (info->tables != NULL)
    {
      json_builder_set_member_name (builder, "tables");
      json_builder_begin_object (builder);
      for (guint i = 0; i < info->tables->len; i++)
        {
          const PqsBackupTableCount *count = &g_array_index (info->tables,
                                                             PqsBackupTableCount, i);

          json_builder_set_member_name (builder, count->name);
          json_builder_add_int_value (builder, count->rows);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
print_info_json (const PqsBackupInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  add_info (builder, info);
  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

static void
print_list_json (GPtrArray *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    add_info (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

static gint64
total_rows (const PqsBackupInfo *info)
{
  gint64 total = 0;

  for (guint i = 0; info->tables != NULL && i < info->tables->len; i++)
    total += g_array_index (info->tables, PqsBackupTableCount, i).rows;
  return total;
}

/* Subcommands ----------------------------------------------------------------- */

static gboolean
parse_args (PqsAdminGlobals    *globals,
            int                *argc,
            char             ***argv,
            const char         *parameter,
            const char         *summary,
            const GOptionEntry *entries,
            int                 positional,
            int                *out_exit)
{
  g_autoptr(GOptionContext) context = pqs_admin_option_context (globals, parameter, summary,
                                                                entries);

  if (!pqs_admin_parse (context, argc, argv, out_exit))
    return FALSE;

  if (*argc != positional + 1)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  *argc > positional + 1
                                    ? _("unexpected argument “%s”. Try “pqs-admin backup %s --help”.")
                                    : _("a file name is missing. Try “pqs-admin backup %s --help”."),
                                  *argc > positional + 1 ? (*argv)[positional + 1] : (*argv)[0],
                                  (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

static PqsBackupService *
open_service (PqsAdminGlobals  *globals,
              const char       *backup_dir,
              PqsStoreOpenFlags flags,
              gboolean          need_store,
              int              *out_exit)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (need_store || g_file_test (globals->db_path, G_FILE_TEST_EXISTS))
    {
      store = pqs_store_open (globals->db_path, flags, &error);
      if (store == NULL)
        {
          *out_exit = pqs_admin_fail_error (error);
          return NULL;
        }
    }

  return pqs_backup_service_new (store, backup_dir);
}

static int
cmd_create (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *actor = pqs_admin_actor ();
  g_autofree char *passphrase = NULL;
  gboolean compress = FALSE;
  gboolean encrypt = FALSE;
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, FALSE, NULL, NULL, NULL,
                               PQS_BACKUP_KDF_MODERATE };
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the backup to FILE (default: a dated name in the backup folder)"), N_("FILE") },
    { "compress", 0, 0, G_OPTION_ARG_NONE, &compress, N_("Compress the backup"), NULL },
    { "encrypt", 0, 0, G_OPTION_ARG_NONE, &encrypt,
      N_("Encrypt the backup with a passphrase read from standard input"), NULL },
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("The backup folder (default: the user’s data folder)"), N_("DIR") },
    { NULL }
  };

  if (!parse_args (globals, &argc, &argv, NULL,
                   _("Back the database up: a consistent copy taken while it is in use."),
                   entries, 0, &exit_code))
    return exit_code;

  if (encrypt && (passphrase = read_passphrase (TRUE, &exit_code)) == NULL)
    return exit_code;

  service = open_service (globals, backup_dir, PQS_STORE_OPEN_EXISTING, TRUE, &exit_code);
  if (service == NULL)
    {
      passphrase_free (g_steal_pointer (&passphrase));
      return exit_code;
    }

  options.compress = compress;
  options.passphrase = passphrase;
  options.output_path = output;
  options.created_by = actor;
  info = pqs_backup_service_create (service, &options, NULL, NULL, NULL, &error);
  passphrase_free (g_steal_pointer (&passphrase));
  if (info == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_info_json (info);
  else
    g_print (_("Backup written to %s (%" PRId64 " bytes, schema %03d).\n"),
             info->path, info->size, info->schema_version);

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_list (PqsAdminGlobals *globals,
          int              argc,
          char           **argv)
{
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup_dir = NULL;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("The backup folder (default: the user’s data folder)"), N_("DIR") },
    { NULL }
  };

  if (!parse_args (globals, &argc, &argv, NULL,
                   _("List the backups the database knows and those in the backup folder."),
                   entries, 0, &exit_code))
    return exit_code;

  service = open_service (globals, backup_dir, PQS_STORE_OPEN_EXISTING, FALSE, &exit_code);
  if (service == NULL)
    return exit_code;

  list = pqs_backup_service_list (service, &error);
  if (list == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      print_list_json (list);
      return PQS_ADMIN_EXIT_OK;
    }

  if (list->len == 0)
    g_print (_("No backups.\n"));
  for (guint i = 0; i < list->len; i++)
    {
      const PqsBackupInfo *info = g_ptr_array_index (list, i);

      g_print ("%-24s  %-13s  %-9s  %12" PRId64 "  %s%s\n",
               info->created_at != NULL ? info->created_at : "?",
               pqs_backup_type_to_string (info->type),
               info->status != NULL ? info->status : _("untracked"),
               info->size, info->path,
               info->file_exists ? "" : _(" (file missing)"));
    }

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_verify (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  char *passphrase = NULL;
  int exit_code = 0;

  if (!parse_args (globals, &argc, &argv, _("FILE"),
                   _("Check a backup: checksum, integrity and row counts against its manifest."),
                   NULL, 1, &exit_code))
    return exit_code;

  if (is_encrypted (argv[1]) && (passphrase = read_passphrase (FALSE, &exit_code)) == NULL)
    return exit_code;

  service = pqs_backup_service_new (NULL, NULL);
  info = pqs_backup_service_verify (service, argv[1], passphrase, NULL, &error);
  passphrase_free (passphrase);
  if (info == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_info_json (info);
  else
    g_print (_("%s is good: schema %03d, %u tables, %" PRId64 " rows%s.\n"),
             info->path, info->schema_version, info->tables != NULL ? info->tables->len : 0,
             total_rows (info),
             info->has_manifest ? _(", as its manifest says") : "");

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_restore (PqsAdminGlobals *globals,
             int              argc,
             char           **argv)
{
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(PqsBackupInfo) restore_point = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *migrations_dir = NULL;
  char *passphrase = NULL;
  int exit_code = 0;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("Where the restore point goes (default: the user’s data folder)"), N_("DIR") },
    { "migrations-dir", 0, 0, G_OPTION_ARG_FILENAME, &migrations_dir,
      N_("Also read migrations from DIR (for development)"), N_("DIR") },
    { NULL }
  };

  if (!parse_args (globals, &argc, &argv, _("FILE"),
                   _("Replace the database with a backup, after taking a restore point."),
                   entries, 1, &exit_code))
    return exit_code;

  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    return pqs_admin_fail (PQS_ADMIN_EXIT_FAILED, _("“%s” does not exist."), argv[1]);

  if (is_encrypted (argv[1]) && (passphrase = read_passphrase (FALSE, &exit_code)) == NULL)
    return exit_code;

  service = open_service (globals, backup_dir, PQS_STORE_OPEN_DEFAULT, TRUE, &exit_code);
  if (service == NULL)
    {
      passphrase_free (passphrase);
      return exit_code;
    }
  pqs_backup_service_set_migrations_dir (service, migrations_dir);

  ok = pqs_backup_service_restore (service, argv[1], passphrase, &restore_point, NULL, &error);
  passphrase_free (passphrase);
  if (!ok)
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_info_json (restore_point);
  else
    g_print (_("Restored %s into %s. The previous database is kept in %s.\n"),
             argv[1], globals->db_path, restore_point->path);

  return PQS_ADMIN_EXIT_OK;
}

static gboolean
parse_count (const char  *text,
             const char  *option,
             guint        max,
             guint       *out_value,
             int         *out_exit)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("%s needs a number from 1 to %u, not “%s”."),
                                  option, max, text);
      return FALSE;
    }

  *out_value = (guint) value;
  return TRUE;
}

static int
cmd_prune (PqsAdminGlobals *globals,
           int              argc,
           char           **argv)
{
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GSettings) settings = pqs_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *backup_dir = NULL;
  g_autofree char *keep_text = NULL;
  g_autofree char *age_text = NULL;
  guint keep = DEFAULT_KEEP_COUNT;
  guint max_age = DEFAULT_MAX_AGE_DAYS;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_STRING, &keep_text,
      N_("Keep the newest N backups (default: the backup-retention-count setting, 10)"),
      N_("N") },
    { "max-age", 0, 0, G_OPTION_ARG_STRING, &age_text,
      N_("Keep backups younger than DAYS (default: the backup-retention-days setting, 30)"),
      N_("DAYS") },
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("The backup folder (default: the user’s data folder)"), N_("DIR") },
    { NULL }
  };

  if (!parse_args (globals, &argc, &argv, NULL,
                   _("Delete old backups: those beyond the newest N and older than DAYS. "
                     "The newest good backup is always kept."),
                   entries, 0, &exit_code))
    return exit_code;

  if (settings != NULL)
    {
      keep = (guint) g_settings_get_int (settings, "backup-retention-count");
      max_age = (guint) g_settings_get_int (settings, "backup-retention-days");
    }
  if (keep_text != NULL && !parse_count (keep_text, "--keep", 100000, &keep, &exit_code))
    return exit_code;
  if (age_text != NULL && !parse_count (age_text, "--max-age", 36500, &max_age, &exit_code))
    return exit_code;
  /* Given alone, one rule applies alone. */
  if (keep_text != NULL && age_text == NULL)
    max_age = 0;
  else if (age_text != NULL && keep_text == NULL)
    keep = 0;

  service = open_service (globals, backup_dir, PQS_STORE_OPEN_EXISTING, TRUE, &exit_code);
  if (service == NULL)
    return exit_code;

  removed = pqs_backup_service_prune (service, keep, max_age, &error);
  if (removed == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_list_json (removed);
  else
    {
      for (guint i = 0; i < removed->len; i++)
        g_print (_("Deleted %s\n"), ((PqsBackupInfo *) g_ptr_array_index (removed, i))->path);
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u backup deleted.\n", "%u backups deleted.\n",
                            removed->len), removed->len);
    }

  return PQS_ADMIN_EXIT_OK;
}

static const PqsAdminCommand subcommands[] = {
  { "create",  cmd_create,  N_("Back the database up") },
  { "list",    cmd_list,    N_("List backups") },
  { "verify",  cmd_verify,  N_("Check a backup") },
  { "restore", cmd_restore, N_("Replace the database with a backup") },
  { "prune",   cmd_prune,   N_("Delete old backups by the retention rules") },
};

int
pqs_admin_cmd_backup (PqsAdminGlobals  *globals,
                     int               argc,
                     char            **argv)
{
  static const PqsAdminGroup group = {
    "backup", subcommands, G_N_ELEMENTS (subcommands), N_("Passphrases are read from standard input, never from the command line.")
  };

  return pqs_admin_dispatch (globals, &group, argc, argv);
}
