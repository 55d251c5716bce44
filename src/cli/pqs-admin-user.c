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
#include "pqs-auth.h"
#include "pqs-migrator.h"
#include "pqs-password.h"
#include "pqs-user.h"
#include "pqs-user-directory.h"
#include "pqs-user-list.h"

/* Opening ------------------------------------------------------------------ */

/**
 * pqs_admin_open_migrated:
 * @globals: the global options
 * @flags: how to open the file; %PQS_STORE_OPEN_EXISTING unless the command
 *   may create the database
 * @out_exit: the exit code when %NULL is returned
 *
 * Opens the database and brings its schema up to date, as the application
 * does at start-up, so that the model's queries meet the schema they know. A
 * database newer than this program, or one whose applied migrations changed,
 * is refused by the migrator with nothing written.
 *
 * Returns: (transfer full) (nullable): the store, named as pqs-admin in audit rows
 */
PqsStore *
pqs_admin_open_migrated (PqsAdminGlobals   *globals,
                         PqsStoreOpenFlags  flags,
                         int               *out_exit)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = pqs_admin_actor ();

  store = pqs_store_open (globals->db_path, flags, &error);
  if (store == NULL)
    {
      *out_exit = pqs_admin_fail_error (error);
      return NULL;
    }
  pqs_store_set_client_name (store, "pqs-admin/" PACKAGE_VERSION);

  migrator = pqs_migrator_new (store);
  pqs_migrator_set_applied_by (migrator, actor);
  if (!pqs_migrator_load (migrator, NULL, &error) ||
      !pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error))
    {
      *out_exit = pqs_admin_fail_error (error);
      return NULL;
    }

  return g_steal_pointer (&store);
}

/* Passwords ------------------------------------------------------------------ */

static void
password_free (char *password)
{
  if (password != NULL)
    sodium_memzero (password, strlen (password));
  g_free (password);
}

typedef char SecretText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretText, password_free)

/* One line from standard input without its line end, or a prompt without
 * echo on a terminal; never from the command line. A longer line than the
 * policy allows is cut to a length the policy still refuses. At the end of
 * the input the password is empty, which the policy refuses too. */
static char *
read_password (void)
{
  char buffer[PQS_PASSWORD_MAX_LENGTH + 3];
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  char *password;
  gsize length = 0;

  if (isatty (STDIN_FILENO))
    {
      fprintf (stderr, "%s", _("Password: "));
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
      length = strlen (buffer);
      if (length > 0 && buffer[length - 1] == '\n')
        {
          buffer[--length] = '\0';
          if (length > 0 && buffer[length - 1] == '\r')
            buffer[--length] = '\0';
        }
    }
  else
    buffer[0] = '\0';

  password = g_strndup (buffer, length);
  sodium_memzero (buffer, sizeof buffer);

  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }

  return password;
}

static int
require_password_stdin (gboolean password_stdin)
{
  if (password_stdin)
    return PQS_ADMIN_EXIT_OK;

  return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                         _("--password-stdin is required: the password is read from standard "
                           "input, never from the command line."));
}

/* Arguments ------------------------------------------------------------------ */

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

  /* The extra argument is not repeated: it may be a password typed by mistake. */
  if (*argc > positional + 1)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("too many arguments. Passwords are read from standard "
                                    "input, never from the command line. Try “pqs-admin user "
                                    "%s --help”."),
                                  (*argv)[0]);
      return FALSE;
    }
  if (*argc < positional + 1)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("an argument is missing. Try “pqs-admin user %s --help”."),
                                  (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_role (const char *text,
            PqsRole    *out_role,
            int        *out_exit)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (pqs_role_from_string (text, out_role))
    return TRUE;

  for (int role = PQS_N_ROLES - 1; role >= 0; role--)
    g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                            pqs_role_to_string ((PqsRole) role));
  *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                              _("unknown role “%s”. The roles are: %s."), text, names->str);
  return FALSE;
}

/* The account named @username, or NULL after printing why (exit 1). */
PqsUser *
pqs_admin_find_user (PqsUserDirectory *directory,
           const char       *username,
           int              *out_exit)
{
  g_autoptr(GError) error = NULL;
  PqsUser *user = pqs_user_directory_lookup_by_username (directory, username, &error);

  if (user != NULL)
    return user;

  if (g_error_matches (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_NOT_FOUND))
    *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_FAILED, _("There is no account “%s”."), username);
  else
    *out_exit = pqs_admin_fail_error (error);
  return NULL;
}

/* Output -------------------------------------------------------------------- */

static char *
format_time (GDateTime *time)
{
  if (time == NULL)
    return NULL;

  return pqs_store_format_time (g_date_time_to_unix (time) * G_USEC_PER_SEC +
                                g_date_time_get_microsecond (time));
}

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
add_time (JsonBuilder *builder,
          const char  *name,
          GDateTime   *time)
{
  g_autofree char *text = format_time (time);

  add_string (builder, name, text);
}

static void
add_user (JsonBuilder *builder,
          PqsUser     *user,
          gint64       now)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pqs_user_get_id (user));
  add_string (builder, "username", pqs_user_get_username (user));
  add_string (builder, "email", pqs_user_get_email (user));
  add_string (builder, "full_name", pqs_user_get_full_name (user));
  add_string (builder, "rank", pqs_user_get_rank (user));
  add_string (builder, "role", pqs_role_to_string (pqs_user_get_role (user)));
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, pqs_user_get_active (user));
  json_builder_set_member_name (builder, "locked");
  json_builder_add_boolean_value (builder, pqs_user_is_locked_at (user, now));
  add_time (builder, "locked_until", pqs_user_get_locked_until (user));
  json_builder_set_member_name (builder, "failed_login_attempts");
  json_builder_add_int_value (builder, pqs_user_get_failed_login_attempts (user));
  add_time (builder, "last_login_at", pqs_user_get_last_login_at (user));
  json_builder_set_member_name (builder, "login_count");
  json_builder_add_int_value (builder, pqs_user_get_login_count (user));
  json_builder_set_member_name (builder, "password_reset_required");
  json_builder_add_boolean_value (builder, pqs_user_get_password_reset_required (user));
  add_time (builder, "created_at", pqs_user_get_created_at (user));
  json_builder_end_object (builder);
}

static void
print_users_json (GListModel *users,
                  gint64      now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (users);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsUser) user = g_list_model_get_item (users, i);

      add_user (builder, user, now);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

/* Pads by characters, not bytes, so names with accents line up. */
static void
print_cell (const char *text,
            guint       width,
            gboolean    last)
{
  g_print ("%s", text);
  if (last)
    {
      g_print ("\n");
      return;
    }
  for (glong pad = (glong) width - g_utf8_strlen (text, -1) + 2; pad > 0; pad--)
    g_print (" ");
}

/**
 * pqs_admin_print_table:
 * @rows: (element-type GStrv): the header, then the rows, all of as many cells
 *
 * Prints an aligned table, two spaces between columns.
 */
void
pqs_admin_print_table (GPtrArray *rows)
{
  g_autofree guint *widths = NULL;
  guint n_columns;

  if (rows->len == 0)
    return;

  n_columns = g_strv_length (g_ptr_array_index (rows, 0));
  widths = g_new0 (guint, n_columns);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < n_columns; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < n_columns; c++)
        print_cell (row[c], widths[c], c == n_columns - 1);
    }
}

enum { COL_USERNAME, COL_FULL_NAME, COL_ROLE, COL_ACTIVE, COL_LOCKED, COL_LAST, N_COLUMNS };

static void
print_users_table (GListModel *users,
                   gint64      now)
{
  guint n = g_list_model_get_n_items (users);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  char **header = g_new0 (char *, N_COLUMNS + 1);

  header[COL_USERNAME] = g_strdup (_("USERNAME"));
  header[COL_FULL_NAME] = g_strdup (_("FULL NAME"));
  header[COL_ROLE] = g_strdup (_("ROLE"));
  header[COL_ACTIVE] = g_strdup (_("ACTIVE"));
  header[COL_LOCKED] = g_strdup (_("LOCKED"));
  header[COL_LAST] = g_strdup (_("LAST SIGN-IN"));
  g_ptr_array_add (rows, header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsUser) user = g_list_model_get_item (users, i);
      GDateTime *last = pqs_user_get_last_login_at (user);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COL_USERNAME] = g_strdup (pqs_user_get_username (user));
      row[COL_FULL_NAME] = g_strdup (pqs_user_get_full_name (user) != NULL
                                       ? pqs_user_get_full_name (user) : "");
      row[COL_ROLE] = g_strdup (pqs_role_to_string (pqs_user_get_role (user)));
      row[COL_ACTIVE] = g_strdup (pqs_user_get_active (user) ? _("yes") : _("no"));
      row[COL_LOCKED] = g_strdup (pqs_user_is_locked_at (user, now) ? _("yes") : _("no"));
      if (last != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (last);

          row[COL_LAST] = g_date_time_format (local, "%Y-%m-%d %H:%M");
        }
      else
        row[COL_LAST] = g_strdup (_("never"));
      g_ptr_array_add (rows, row);
    }

  pqs_admin_print_table (rows);
}

/* Subcommands ------------------------------------------------------------- */

static int
cmd_add (PqsAdminGlobals *globals,
         int              argc,
         char           **argv)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(PqsUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretText) password = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *rank = NULL;
  gboolean password_stdin = FALSE;
  PqsUserFields fields = { NULL, };
  PqsRole role = PQS_ROLE_USER;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text,
      N_("The account’s role: admin, supervisor, user or visitor (required)"), N_("ROLE") },
    { "full-name", 0, 0, G_OPTION_ARG_STRING, &full_name,
      N_("The person’s full name (required)"), N_("NAME") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email,
      N_("The person’s email address (required)"), N_("EMAIL") },
    { "rank", 0, 0, G_OPTION_ARG_STRING, &rank,
      N_("The person’s rank or title"), N_("RANK") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the first password from standard input, one line (required)"), NULL },
    { NULL }
  };

  if (!parse_args (globals, &argc, &argv, _("USERNAME"),
                   _("Create an account. The database is created and migrated when needed. "
                     "The password is read from standard input, never from the command line."),
                   entries, 1, &exit_code))
    return exit_code;

  if (role_text == NULL || full_name == NULL || email == NULL)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("user add needs --role, --full-name and --email. "
                             "Try “pqs-admin user add --help”."));
  if (!parse_role (role_text, &role, &exit_code))
    return exit_code;
  if ((exit_code = require_password_stdin (password_stdin)) != PQS_ADMIN_EXIT_OK)
    return exit_code;

  password = read_password ();

  /* The first administrator of a server is made here, so the file may be new. */
  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_DEFAULT, &exit_code);
  if (store == NULL)
    return exit_code;

  directory = pqs_user_directory_new (store);
  fields.username = argv[1];
  fields.email = email;
  fields.full_name = full_name;
  fields.rank = rank;
  user = pqs_user_directory_create (directory, NULL, &fields, role, password, &error);
  g_clear_pointer (&password, password_free);
  if (user == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_user (builder, user, g_get_real_time ());
      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
    }
  else
    g_print (_("Account “%s” created (%s, id %" PRId64 ").\n"),
             pqs_user_get_username (user), pqs_role_to_string (pqs_user_get_role (user)),
             pqs_user_get_id (user));

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_list (PqsAdminGlobals *globals,
          int              argc,
          char           **argv)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUserList) users = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  int exit_code = 0;

  if (!parse_args (globals, &argc, &argv, NULL,
                   _("List the accounts by username. Password hashes are never shown."),
                   NULL, 0, &exit_code))
    return exit_code;

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  users = pqs_user_list_new (store);
  if (!pqs_user_list_reload (users, &error))
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_users_json (G_LIST_MODEL (users), now);
  else
    print_users_table (G_LIST_MODEL (users), now);

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_passwd (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(PqsUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretText) password = NULL;
  gboolean password_stdin = FALSE;
  gboolean require_change = FALSE;
  gboolean ok;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the new password from standard input, one line (required)"), NULL },
    { "require-change", 0, 0, G_OPTION_ARG_NONE, &require_change,
      N_("Make the person choose another password at the next sign-in"), NULL },
    { NULL }
  };

  if (!parse_args (globals, &argc, &argv, _("USERNAME"),
                   _("Set a new password for an account and lift its lockout. This is how an "
                     "administrator who locked themselves out gets back in."),
                   entries, 1, &exit_code))
    return exit_code;

  if ((exit_code = require_password_stdin (password_stdin)) != PQS_ADMIN_EXIT_OK)
    return exit_code;

  password = read_password ();

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  directory = pqs_user_directory_new (store);
  user = pqs_admin_find_user (directory, argv[1], &exit_code);
  if (user == NULL)
    return exit_code;

  ok = pqs_user_directory_reset_password (directory, NULL, pqs_user_get_id (user), password,
                                          require_change, &error);
  g_clear_pointer (&password, password_free);
  if (!ok)
    return pqs_admin_fail_error (error);

  if (!globals->json)
    g_print (require_change
               ? _("New password set for “%s”; they must choose another at the next sign-in.\n")
               : _("New password set for “%s”.\n"),
             pqs_user_get_username (user));

  return PQS_ADMIN_EXIT_OK;
}

typedef enum
{
  CHANGE_UNLOCK,
  CHANGE_DEACTIVATE,
  CHANGE_ACTIVATE,
  CHANGE_ROLE,
} Change;

/* unlock, deactivate, activate and role: one account, no password. */
static int
change_user (PqsAdminGlobals *globals,
             int              argc,
             char           **argv,
             Change           change)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(PqsUser) user = NULL;
  g_autoptr(GError) error = NULL;
  PqsRole role = PQS_ROLE_USER;
  gboolean ok = FALSE;
  int exit_code = 0;
  const char *parameter = NULL;
  const char *summary = NULL;

  switch (change)
    {
    case CHANGE_UNLOCK:
      parameter = _("USERNAME");
      summary = _("Lift an account’s lockout after too many failed sign-ins. The password "
                  "stays as it is.");
      break;
    case CHANGE_DEACTIVATE:
      parameter = _("USERNAME");
      summary = _("Deactivate an account: it can no longer sign in and its sessions end. "
                  "Its documents and audit rows stay. The last active administrator cannot "
                  "be deactivated.");
      break;
    case CHANGE_ACTIVATE:
      parameter = _("USERNAME");
      summary = _("Activate a deactivated account again.");
      break;
    case CHANGE_ROLE:
      parameter = _("USERNAME ROLE");
      summary = _("Change an account’s role: admin, supervisor, user or visitor.");
      break;
    default:
      g_assert_not_reached ();
    }

  if (!parse_args (globals, &argc, &argv, parameter, summary, NULL,
                   change == CHANGE_ROLE ? 2 : 1, &exit_code))
    return exit_code;

  if (change == CHANGE_ROLE && !parse_role (argv[2], &role, &exit_code))
    return exit_code;

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  directory = pqs_user_directory_new (store);
  user = pqs_admin_find_user (directory, argv[1], &exit_code);
  if (user == NULL)
    return exit_code;

  switch (change)
    {
    case CHANGE_UNLOCK:
      ok = pqs_user_directory_unlock (directory, NULL, pqs_user_get_id (user), &error);
      break;
    case CHANGE_DEACTIVATE:
    case CHANGE_ACTIVATE:
      ok = pqs_user_directory_set_active (directory, NULL, pqs_user_get_id (user),
                                          change == CHANGE_ACTIVATE, &error);
      break;
    case CHANGE_ROLE:
      ok = pqs_user_directory_set_role (directory, NULL, pqs_user_get_id (user), role, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return pqs_admin_fail_error (error);

  if (globals->json)
    return PQS_ADMIN_EXIT_OK;

  switch (change)
    {
    case CHANGE_UNLOCK:
      g_print (_("Account “%s” unlocked.\n"), pqs_user_get_username (user));
      break;
    case CHANGE_DEACTIVATE:
      g_print (_("Account “%s” deactivated.\n"), pqs_user_get_username (user));
      break;
    case CHANGE_ACTIVATE:
      g_print (_("Account “%s” activated.\n"), pqs_user_get_username (user));
      break;
    case CHANGE_ROLE:
      g_print (_("Account “%s” is now %s.\n"), pqs_user_get_username (user),
               pqs_role_to_string (role));
      break;
    default:
      g_assert_not_reached ();
    }

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_unlock (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  return change_user (globals, argc, argv, CHANGE_UNLOCK);
}

static int
cmd_deactivate (PqsAdminGlobals *globals,
                int              argc,
                char           **argv)
{
  return change_user (globals, argc, argv, CHANGE_DEACTIVATE);
}

static int
cmd_activate (PqsAdminGlobals *globals,
              int              argc,
              char           **argv)
{
  return change_user (globals, argc, argv, CHANGE_ACTIVATE);
}

static int
cmd_role (PqsAdminGlobals *globals,
          int              argc,
          char           **argv)
{
  return change_user (globals, argc, argv, CHANGE_ROLE);
}

static const PqsAdminCommand subcommands[] = {
  { "add",        cmd_add,        N_("Create an account") },
  { "list",       cmd_list,       N_("List the accounts") },
  { "passwd",     cmd_passwd,     N_("Set a new password and lift the lockout") },
  { "unlock",     cmd_unlock,     N_("Lift the lockout after failed sign-ins") },
  { "deactivate", cmd_deactivate, N_("Stop an account from signing in") },
  { "activate",   cmd_activate,   N_("Let a deactivated account sign in again") },
  { "role",       cmd_role,       N_("Change an account’s role") },
};

int
pqs_admin_cmd_user (PqsAdminGlobals  *globals,
                   int               argc,
                   char            **argv)
{
  static const PqsAdminGroup group = {
    "user", subcommands, G_N_ELEMENTS (subcommands), N_("Passwords are read from standard input, never from the command line.")
  };

  /* Refused before GOptionContext would repeat "--password=…" in its error. */
  for (int i = 2; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--password") && !g_str_equal (argv[i], "--password-stdin"))
      return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                             _("passwords are never taken from the command line. Use "
                               "--password-stdin and write the password to standard input."));

  return pqs_admin_dispatch (globals, &group, argc, argv);
}
