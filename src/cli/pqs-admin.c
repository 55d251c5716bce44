/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-paths.h"

int pqs_admin_main (int argc, char **argv);

static const PqsAdminCommand commands[] = {
  { "migrate",  pqs_admin_cmd_migrate,  N_("Apply pending migrations") },
  { "status",   pqs_admin_cmd_status,   N_("Show applied and pending migrations") },
  { "validate", pqs_admin_cmd_validate, N_("Check migration files against the database") },
  { "rollback", pqs_admin_cmd_rollback, N_("Roll the schema back to a version") },
  { "backup",   pqs_admin_cmd_backup,   N_("Create, list, verify, restore and prune backups") },
  { "check",    pqs_admin_cmd_check,    N_("Check the database’s health and integrity") },
  { "optimize", pqs_admin_cmd_optimize, N_("Optimize, analyze and vacuum the database") },
  { "checkpoint", pqs_admin_cmd_checkpoint, N_("Fold the write-ahead log into the database") },
  { "seed-demo", pqs_admin_cmd_seed_demo, N_("Fill the database with realistic demo data") },
  { "user",     pqs_admin_cmd_user,     N_("Add, list and manage accounts") },
  { "audit",    pqs_admin_cmd_audit,    N_("List and verify the audit trail") },
  { "template", pqs_admin_cmd_template, N_("List document templates") },
  { "standard", pqs_admin_cmd_standard, N_("List, export and import PQS standards") },
  { "doc",      pqs_admin_cmd_doc,      N_("Export and import section documents") },
  { "search",   pqs_admin_cmd_search,   N_("Search the documents") },
};

/* Errors are one line on stderr, so scripts can read them. */
static char *
one_line (const char *text)
{
  g_autofree char *copy = g_strdup (text);

  g_strdelimit (copy, "\r\n", ' ');
  return g_strdup (g_strstrip (copy));
}

int
pqs_admin_fail (int         exit_code,
                const char *format,
                ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  line = one_line (message);
  g_printerr ("pqs-admin: %s\n", line);

  return exit_code;
}

/**
 * pqs_admin_dispatch:
 * @globals: the global options
 * @group: a command with subcommands ("backup", "user", …)
 * @argc: the group's arguments, argv[0] being the group's name
 * @argv: (array length=argc): the arguments
 *
 * Runs the subcommand argv[1] names, with --help for the group, and one
 * clear line for a missing or unknown subcommand. The subcommand sees its
 * own name as argv[0], and GOptionContext shows "pqs-admin GROUP SUB" in
 * its --help.
 *
 * Returns: the exit status
 */
int
pqs_admin_dispatch (PqsAdminGlobals       *globals,
                    const PqsAdminGroup   *group,
                    int                    argc,
                    char                 **argv)
{
  g_autoptr(GString) names = g_string_new (NULL);
  int width = 0;

  for (guint i = 0; i < group->n_subcommands; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, group->subcommands[i].name);
      width = MAX (width, (int) strlen (group->subcommands[i].name));
    }

  if (argc < 2)
    /* Translators: the first %s is a command ("backup"), the second the list of
     * its subcommands, the third the command again. */
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("%s needs a subcommand (%s). Try “pqs-admin %s --help”."),
                           group->name, names->str, group->name);

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_autofree char *usage = g_strdup_printf (_("Usage: pqs-admin %s SUBCOMMAND [OPTIONS…]"),
                                                group->name);
      g_autofree char *more = g_strdup_printf (_("Run “pqs-admin %s SUBCOMMAND --help” for its "
                                                 "options."), group->name);

      g_print ("%s\n\n%s\n", usage, _("Subcommands:"));
      for (guint i = 0; i < group->n_subcommands; i++)
        g_print ("  %-*s %s\n", width, group->subcommands[i].name,
                 _(group->subcommands[i].summary));
      g_print ("\n%s", more);
      if (group->footer != NULL)
        g_print (" %s", _(group->footer));
      g_print ("\n");
      return PQS_ADMIN_EXIT_OK;
    }

  for (guint i = 0; i < group->n_subcommands; i++)
    if (g_str_equal (argv[1], group->subcommands[i].name))
      {
        g_autofree char *name = g_strdup_printf ("pqs-admin %s %s", group->name,
                                                 group->subcommands[i].name);
        int exit_code;

        g_set_prgname (name);
        exit_code = group->subcommands[i].func (globals, argc - 1, argv + 1);
        g_set_prgname ("pqs-admin");
        return exit_code;
      }

  return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                         /* Translators: the first and last %s are a command ("backup"), the
                          * second what was typed as its subcommand. */
                         _("unknown %s subcommand “%s”. Try “pqs-admin %s --help”."),
                         group->name, argv[1], group->name);
}

int
pqs_admin_fail_error (const GError *error)
{
  return pqs_admin_fail (PQS_ADMIN_EXIT_FAILED, "%s", error->message);
}

static gboolean
db_option_cb (const char  *option_name,
              const char  *value,
              gpointer     data,
              GError     **error)
{
  PqsAdminGlobals *globals = data;

  g_free (globals->db_path);
  globals->db_path = g_strdup (value);
  return TRUE;
}

static gboolean
json_option_cb (const char  *option_name,
                const char  *value,
                gpointer     data,
                GError     **error)
{
  PqsAdminGlobals *globals = data;

  globals->json = TRUE;
  return TRUE;
}

static GOptionGroup *
global_group (PqsAdminGlobals *globals)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_CALLBACK, db_option_cb,
      N_("The database file (default: $PQS_DB, else the user’s data folder)"), N_("PATH") },
    { "json", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, json_option_cb,
      N_("Print data as JSON"), NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("global", _("Global options"),
                                            _("Show global options"), globals, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

/**
 * pqs_admin_option_context:
 * @globals: where --db and --json go; they are accepted after the command too
 * @parameter: the command and its positional parameters, for --help
 * @summary: one line about the command
 * @entries: the command's own options
 *
 * Returns: (transfer full): a context for one command
 */
GOptionContext *
pqs_admin_option_context (PqsAdminGlobals    *globals,
                          const char         *parameter,
                          const char         *summary,
                          const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameter);
  GOptionGroup *main_group = global_group (globals);

  /* The global options are part of the main group, so --help lists them. */
  g_option_context_set_main_group (context, main_group);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  return context;
}

gboolean
pqs_admin_parse (GOptionContext   *context,
                 int              *argc,
                 char           ***argv,
                 int              *out_exit)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, "%s", error->message);
      return FALSE;
    }

  return TRUE;
}

/* Commands take no positional arguments unless they say so. */
gboolean
pqs_admin_no_extra_arguments (int    argc,
                              char **argv,
                              int   *out_exit)
{
  if (argc <= 1)
    return TRUE;

  *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                              _("unexpected argument “%s”. Try “pqs-admin %s --help”."),
                              argv[1], argv[0]);
  return FALSE;
}

char *
pqs_admin_actor (void)
{
  return g_strdup_printf ("pqs-admin (%s)", g_get_user_name ());
}

void
pqs_admin_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: pqs-admin [--db PATH] [--json] COMMAND [OPTIONS…]"));
  fprintf (stream, "%s\n", _("Administer a PQS Desk database."));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-11s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Global options:"));
  fprintf (stream, "  --db PATH  %s\n",
           _("The database file (default: $PQS_DB, else the user’s data folder)"));
  fprintf (stream, "  --json     %s\n", _("Print data as JSON"));
  fprintf (stream, "\n%s\n", _("Run “pqs-admin COMMAND --help” for a command’s options."));
  fprintf (stream, "%s\n", _("Exit status: 0 success, 1 a failed check or operation, 2 bad usage."));
}

int
pqs_admin_main (int    argc,
                char **argv)
{
  PqsAdminGlobals globals = { NULL, FALSE };
  const PqsAdminCommand *command = NULL;
  int first = 1;
  int exit_code;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("pqs-admin");

  /* Global options may stand before the command. */
  while (first < argc && argv[first][0] == '-')
    {
      const char *arg = argv[first];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_usage (stdout);
          g_free (globals.db_path);
          return PQS_ADMIN_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("pqs-admin %s\n", PACKAGE_VERSION);
          return PQS_ADMIN_EXIT_OK;
        }
      else if (g_str_equal (arg, "--json"))
        globals.json = TRUE;
      else if (g_str_equal (arg, "--db") && first + 1 < argc)
        {
          g_free (globals.db_path);
          globals.db_path = g_strdup (argv[++first]);
        }
      else if (g_str_has_prefix (arg, "--db="))
        {
          g_free (globals.db_path);
          globals.db_path = g_strdup (arg + strlen ("--db="));
        }
      else
        {
          g_free (globals.db_path);
          return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                 _("unknown or incomplete option “%s”. Try “pqs-admin --help”."),
                                 arg);
        }
      first++;
    }

  if (first >= argc)
    {
      g_free (globals.db_path);
      return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                             _("no command given. Try “pqs-admin --help”."));
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      command = &commands[i];

  if (command == NULL)
    {
      exit_code = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("unknown command “%s”. Try “pqs-admin --help”."),
                                  argv[first]);
      g_free (globals.db_path);
      return exit_code;
    }

  if (globals.db_path != NULL && *globals.db_path == '\0')
    {
      g_free (globals.db_path);
      return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("--db needs a file name."));
    }

  if (globals.db_path == NULL)
    globals.db_path = pqs_paths_default_database ();

  /* The command sees its own name as argv[0], as GOptionContext expects. */
  exit_code = command->func (&globals, argc - first, argv + first);
  g_free (globals.db_path);

  return exit_code;
}
