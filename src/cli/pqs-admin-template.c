/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-template.h"
#include "pqs-template-list.h"

/* pqs-admin template list [--section N] [--active] [--json] */

static void
add_template_json (JsonBuilder *builder,
                   PqsTemplate *template)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pqs_template_get_id (template));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, pqs_template_get_name (template));
  json_builder_set_member_name (builder, "section");
  json_builder_add_int_value (builder, pqs_template_get_section (template));
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, pqs_template_get_active (template));
  json_builder_set_member_name (builder, "system");
  json_builder_add_boolean_value (builder, pqs_template_get_system (template));
  json_builder_set_member_name (builder, "field_count");
  json_builder_add_int_value (builder, pqs_template_get_fields (template)->len);
  json_builder_set_member_name (builder, "item_count");
  json_builder_add_int_value (builder, pqs_template_get_outline (template)->len);
  json_builder_set_member_name (builder, "document_count");
  json_builder_add_int_value (builder, pqs_template_get_usage_count (template));
  json_builder_set_member_name (builder, "template_hash");
  if (pqs_template_get_template_hash (template) != NULL)
    json_builder_add_string_value (builder, pqs_template_get_template_hash (template));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "problem");
  if (pqs_template_get_problem (template) != NULL)
    json_builder_add_string_value (builder, pqs_template_get_problem (template));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static void
print_templates_json (GListModel *templates)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n = g_list_model_get_n_items (templates);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsTemplate) template = g_list_model_get_item (templates, i);

      add_template_json (builder, template);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

enum { COL_ID, COL_NAME, COL_SERIES, COL_ACTIVE, COL_SYSTEM, COL_FIELDS, COL_DOCUMENTS,
       N_COLUMNS };

static void
print_templates_table (GListModel *templates)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint n = g_list_model_get_n_items (templates);
  char **header = g_new0 (char *, N_COLUMNS + 1);

  header[COL_ID] = g_strdup (_("ID"));
  header[COL_NAME] = g_strdup (_("NAME"));
  header[COL_SERIES] = g_strdup (_("SERIES"));
  header[COL_ACTIVE] = g_strdup (_("ACTIVE"));
  header[COL_SYSTEM] = g_strdup (_("SYSTEM"));
  header[COL_FIELDS] = g_strdup (_("FIELDS"));
  header[COL_DOCUMENTS] = g_strdup (_("DOCUMENTS"));
  g_ptr_array_add (rows, header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsTemplate) template = g_list_model_get_item (templates, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COL_ID] = g_strdup_printf ("%" G_GINT64_FORMAT, pqs_template_get_id (template));
      /* A name is one line (the catalog sees to it); rows written behind
       * its back must not break the table either. */
      row[COL_NAME] = g_strdelimit (g_strdup (pqs_template_get_name (template)), "\t\r\n", ' ');
      row[COL_SERIES] = g_strdup_printf ("%d", pqs_template_get_section (template));
      row[COL_ACTIVE] = g_strdup (pqs_template_get_active (template) ? _("yes") : _("no"));
      row[COL_SYSTEM] = g_strdup (pqs_template_get_system (template) ? _("yes") : _("no"));
      row[COL_FIELDS] = g_strdup_printf ("%u", pqs_template_get_fields (template)->len);
      row[COL_DOCUMENTS] = g_strdup_printf ("%u", pqs_template_get_usage_count (template));
      g_ptr_array_add (rows, row);
    }

  pqs_admin_print_table (rows);
}

static int
cmd_list (PqsAdminGlobals *globals,
          int              argc,
          char           **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsTemplateList) templates = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *section_text = NULL;
  gboolean active_only = FALSE;
  guint64 section = 0;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "section", 0, 0, G_OPTION_ARG_STRING, &section_text,
      N_("Only the templates of one series: 100, 200 or 300"), N_("SERIES") },
    { "active", 0, 0, G_OPTION_ARG_NONE, &active_only,
      N_("Only the active templates, those offered for new documents"), NULL },
    { NULL }
  };

  context = pqs_admin_option_context (globals, NULL,
                                      _("List the document templates by series and name, with "
                                        "how many fields they have and how many documents were "
                                        "made from them."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unexpected argument “%s”. Try “pqs-admin template list --help”."),
                           argv[1]);

  if (section_text != NULL &&
      (!g_ascii_string_to_unsigned (section_text, 10, 100, 300, &section, NULL) ||
       section % 100 != 0))
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--section needs a series: 100, 200 or 300, not “%s”."),
                           section_text);

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  templates = g_object_new (PQS_TYPE_TEMPLATE_LIST,
                            "store", store,
                            "section", (int) section,
                            "active-only", active_only,
                            NULL);
  if (!pqs_template_list_reload (templates, &error))
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_templates_json (G_LIST_MODEL (templates));
  else
    print_templates_table (G_LIST_MODEL (templates));

  return PQS_ADMIN_EXIT_OK;
}

static const PqsAdminCommand subcommands[] = {
  { "list", cmd_list, N_("List the document templates") },
};

int
pqs_admin_cmd_template (PqsAdminGlobals  *globals,
                       int               argc,
                       char            **argv)
{
  static const PqsAdminGroup group = {
    "template", subcommands, G_N_ELEMENTS (subcommands), NULL
  };

  return pqs_admin_dispatch (globals, &group, argc, argv);
}
