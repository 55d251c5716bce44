/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-audit.h"
#include "pqs-audit-entry.h"
#include "pqs-audit-list.h"
#include "pqs-user.h"
#include "pqs-user-directory.h"

#define DEFAULT_LIMIT 50

/* ISO 8601 with a zone, or a bare date meaning midnight UTC. */
static GDateTime *
parse_since (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *full = NULL;

  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    full = g_strconcat (text, "T00:00:00Z", NULL);

  return g_date_time_new_from_iso8601 (full != NULL ? full : text, utc);
}

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

/* The stored details as JSON; text that does not parse stays a string. */
static void
add_details (JsonBuilder *builder,
             const char  *details)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (builder, "details");
  if (details == NULL || *details == '\0')
    json_builder_add_null_value (builder);
  else if (json_parser_load_from_data (parser, details, -1, NULL) &&
           json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_string_value (builder, details);
}

static void
add_entry (JsonBuilder   *builder,
           PqsAuditEntry *entry)
{
  g_autofree char *created_at = format_time (pqs_audit_entry_get_created_at (entry));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pqs_audit_entry_get_id (entry));
  add_string (builder, "created_at", created_at);
  json_builder_set_member_name (builder, "user_id");
  if (pqs_audit_entry_get_user_id (entry) > 0)
    json_builder_add_int_value (builder, pqs_audit_entry_get_user_id (entry));
  else
    json_builder_add_null_value (builder);
  add_string (builder, "username", pqs_audit_entry_get_username (entry));
  add_string (builder, "activity_type", pqs_audit_entry_get_activity_type (entry));
  add_string (builder, "resource_type", pqs_audit_entry_get_resource_type (entry));
  json_builder_set_member_name (builder, "resource_id");
  if (pqs_audit_entry_get_resource_id (entry) > 0)
    json_builder_add_int_value (builder, pqs_audit_entry_get_resource_id (entry));
  else
    json_builder_add_null_value (builder);
  add_details (builder, pqs_audit_entry_get_details (entry));
  add_string (builder, "row_hash", pqs_audit_entry_get_row_hash (entry));
  json_builder_end_object (builder);
}

static char **
entry_row (PqsAuditEntry *entry)
{
  GDateTime *created_at = pqs_audit_entry_get_created_at (entry);
  const char *username = pqs_audit_entry_get_username (entry);
  const char *resource_type = pqs_audit_entry_get_resource_type (entry);
  const char *details = pqs_audit_entry_get_details (entry);
  char **row = g_new0 (char *, 6);

  if (created_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (created_at);

      row[0] = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
    }
  else
    row[0] = g_strdup ("—");
  row[1] = g_strdup (username != NULL ? username : "—");
  row[2] = g_strdup (pqs_audit_entry_get_activity_type (entry));
  if (resource_type == NULL)
    row[3] = g_strdup ("—");
  else if (pqs_audit_entry_get_resource_id (entry) > 0)
    row[3] = g_strdup_printf ("%s %" PRId64, resource_type,
                              pqs_audit_entry_get_resource_id (entry));
  else
    row[3] = g_strdup (resource_type);
  /* Details are JSON on one line; keep the table one row per entry. */
  row[4] = g_strdelimit (g_strdup (details != NULL ? details : ""), "\r\n\t", ' ');

  return row;
}

static int
cmd_list (PqsAdminGlobals *globals,
          int              argc,
          char           **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsAuditList) list = NULL;
  g_autoptr(GDateTime) since = NULL;
  g_autofree char *user_text = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autoptr(GPtrArray) entries_read = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 limit = DEFAULT_LIMIT;
  guint n_items;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user_text,
      N_("Only the rows of this account"), N_("USERNAME") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      N_("Only rows written at or after this time (ISO 8601, e.g. 2026-11-23T08:00:00Z, "
         "or a date: midnight UTC)"), N_("TIME") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &limit_text,
      N_("At most N rows (default: 50; 0 for all)"), N_("N") },
    { NULL }
  };

  context = pqs_admin_option_context (globals, NULL,
                                      _("List the audit trail, newest first."), entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unexpected argument “%s”. Try “pqs-admin audit list --help”."),
                           argv[1]);

  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 0, G_MAXUINT, &limit, NULL))
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--limit needs a whole number (0 for all), not “%s”."), limit_text);
  if (since_text != NULL && (since = parse_since (since_text)) == NULL)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--since needs a time in ISO 8601 such as 2026-11-23T08:00:00Z "
                             "or a date such as 2026-11-23, not “%s”."), since_text);

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  list = pqs_audit_list_new (store);
  if (user_text != NULL)
    {
      g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (store);
      g_autoptr(PqsUser) user = pqs_admin_find_user (directory, user_text, &exit_code);

      if (user == NULL)
        return exit_code;
      pqs_audit_list_set_user_id (list, pqs_user_get_id (user));
    }
  if (since != NULL)
    pqs_audit_list_set_since (list, since);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  if (limit > 0 && limit < n_items)
    n_items = (guint) limit;
  for (guint i = 0; i < n_items; i++)
    {
      PqsAuditEntry *entry = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (entry == NULL)
        return pqs_admin_fail (PQS_ADMIN_EXIT_FAILED, _("The audit trail could not be read."));
      g_ptr_array_add (entries_read, entry);
    }

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries_read->len; i++)
        add_entry (builder, g_ptr_array_index (entries_read, i));
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
    }
  else if (entries_read->len == 0)
    g_print ("%s\n", _("No audit rows match."));
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      char **header = g_new0 (char *, 6);

      header[0] = g_strdup (_("TIME"));
      header[1] = g_strdup (_("USER"));
      header[2] = g_strdup (_("ACTIVITY"));
      header[3] = g_strdup (_("RESOURCE"));
      header[4] = g_strdup (_("DETAILS"));
      g_ptr_array_add (rows, header);
      for (guint i = 0; i < entries_read->len; i++)
        g_ptr_array_add (rows, entry_row (g_ptr_array_index (entries_read, i)));
      pqs_admin_print_table (rows);
    }

  return PQS_ADMIN_EXIT_OK;
}

static int
cmd_verify (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad_id = 0;
  int exit_code = 0;

  context = pqs_admin_option_context (globals, NULL,
                                      _("Check the audit trail’s hash chain: that no row was "
                                        "changed, removed or inserted after it was written. "
                                        "Exits with 1 and names the first bad row when the "
                                        "chain is broken."),
                                      NULL);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unexpected argument “%s”. Try “pqs-admin audit verify --help”."),
                           argv[1]);

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  if (pqs_audit_verify (store, NULL, NULL, NULL, &rows, &bad_id, &error))
    {
      if (globals->json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "ok");
          json_builder_add_boolean_value (builder, TRUE);
          json_builder_set_member_name (builder, "rows");
          json_builder_add_int_value (builder, (gint64) rows);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          pqs_admin_print_json (root);
        }
      else
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "Audit trail verified: %" PRIu64 " row, the chain is "
                              "intact.\n",
                              "Audit trail verified: %" PRIu64 " rows, the chain is "
                              "intact.\n", rows),
                 rows);
      return PQS_ADMIN_EXIT_OK;
    }

  if (globals->json && g_error_matches (error, PQS_AUDIT_ERROR, PQS_AUDIT_ERROR_BROKEN_CHAIN))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, (gint64) rows);
      json_builder_set_member_name (builder, "bad_row");
      json_builder_add_int_value (builder, bad_id);
      add_string (builder, "message", error->message);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
    }

  return pqs_admin_fail_error (error);
}

static const PqsAdminCommand subcommands[] = {
  { "list",   cmd_list,   N_("List the audit trail, newest first") },
  { "verify", cmd_verify, N_("Check the audit trail’s hash chain") },
};

int
pqs_admin_cmd_audit (PqsAdminGlobals  *globals,
                    int               argc,
                    char            **argv)
{
  static const PqsAdminGroup group = {
    "audit", subcommands, G_N_ELEMENTS (subcommands), NULL
  };

  return pqs_admin_dispatch (globals, &group, argc, argv);
}
