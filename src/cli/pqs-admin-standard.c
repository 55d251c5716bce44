/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-library.h"
#include "pqs-standard.h"

/* pqs-admin standard list [--json]
 * (export and import: see the dispatch table below) */

/* Output ----------------------------------------------------------------------- */

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
add_standard_json (JsonBuilder *builder,
                   PqsStandard *standard)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pqs_standard_get_id (standard));
  add_string (builder, "uid", pqs_standard_get_uid (standard));
  add_string (builder, "title", pqs_standard_get_title (standard));
  add_string (builder, "owning_unit", pqs_standard_get_owning_unit (standard));
  add_string (builder, "classification",
              pqs_classification_to_string (pqs_standard_get_classification (standard)));
  add_string (builder, "applicability", pqs_standard_get_applicability (standard));
  add_string (builder, "revision", pqs_standard_get_revision (standard));
  add_string (builder, "status", pqs_standard_status_to_string (pqs_standard_get_status (standard)));
  json_builder_set_member_name (builder, "approved");
  json_builder_add_boolean_value (builder, pqs_standard_get_approved (standard));
  json_builder_set_member_name (builder, "frozen");
  json_builder_add_boolean_value (builder, pqs_standard_get_frozen (standard));
  add_time (builder, "frozen_at", pqs_standard_get_frozen_at (standard));
  json_builder_set_member_name (builder, "document_count");
  json_builder_add_int_value (builder, pqs_standard_get_document_count (standard));
  json_builder_set_member_name (builder, "approved_count");
  json_builder_add_int_value (builder, pqs_standard_get_approved_count (standard));
  add_time (builder, "created_at", pqs_standard_get_created_at (standard));
  add_time (builder, "updated_at", pqs_standard_get_updated_at (standard));
  json_builder_end_object (builder);
}

static void
print_standards_json (GPtrArray *standards)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < standards->len; i++)
    add_standard_json (builder, g_ptr_array_index (standards, i));
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

static const char *
state_of (PqsStandard *standard)
{
  if (pqs_standard_get_status (standard) == PQS_STANDARD_ARCHIVED)
    return _("archived");
  if (pqs_standard_get_frozen (standard))
    return _("approved, frozen");
  if (pqs_standard_get_approved (standard))
    return _("approved");
  return _("draft");
}

enum { COL_ID, COL_TITLE, COL_REVISION, COL_CLASSIFICATION, COL_SECTIONS, COL_STATE, N_COLUMNS };

static void
print_standards_table (GPtrArray *standards)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  char **header = g_new0 (char *, N_COLUMNS + 1);

  header[COL_ID] = g_strdup (_("ID"));
  header[COL_TITLE] = g_strdup (_("TITLE"));
  header[COL_REVISION] = g_strdup (_("REVISION"));
  header[COL_CLASSIFICATION] = g_strdup (_("CLASSIFICATION"));
  /* Translators: approved sections out of all sections that are not archived */
  header[COL_SECTIONS] = g_strdup (_("APPROVED"));
  header[COL_STATE] = g_strdup (_("STATE"));
  g_ptr_array_add (rows, header);

  for (guint i = 0; i < standards->len; i++)
    {
      PqsStandard *standard = g_ptr_array_index (standards, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COL_ID] = g_strdup_printf ("%" G_GINT64_FORMAT, pqs_standard_get_id (standard));
      row[COL_TITLE] = g_strdup (pqs_standard_get_title (standard));
      row[COL_REVISION] = g_strdup (pqs_standard_get_revision (standard) != NULL
                                      ? pqs_standard_get_revision (standard) : "—");
      row[COL_CLASSIFICATION] = g_strdup (pqs_classification_to_string (
                                            pqs_standard_get_classification (standard)));
      row[COL_SECTIONS] = g_strdup_printf ("%u/%u", pqs_standard_get_approved_count (standard),
                                           pqs_standard_get_document_count (standard));
      row[COL_STATE] = g_strdup (state_of (standard));
      g_ptr_array_add (rows, row);
    }

  pqs_admin_print_table (rows);
}

/* Subcommands ------------------------------------------------------------------- */

static int
cmd_list (PqsAdminGlobals *globals,
          int              argc,
          char           **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(GPtrArray) standards = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;

  context = pqs_admin_option_context (globals, NULL,
                                      _("List the PQS standards by title, with their revision, "
                                        "classification and how many sections are approved."),
                                      NULL);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  library = pqs_library_new (store);
  standards = pqs_library_list_standards (library, &error);
  if (standards == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_standards_json (standards);
  else if (standards->len == 0)
    g_print ("%s\n", _("There are no standards yet."));
  else
    print_standards_table (standards);

  return PQS_ADMIN_EXIT_OK;
}

/* Dispatch --------------------------------------------------------------------------
 * The subcommands of "pqs-admin standard". To add one: declare its function
 * here, add a row to the table, and define the function at the end of this
 * file. (export and import are added this way.) */

static int cmd_export (PqsAdminGlobals *globals, int argc, char **argv);
static int cmd_import (PqsAdminGlobals *globals, int argc, char **argv);

static const PqsAdminCommand subcommands[] = {
  { "list", cmd_list, N_("List the standards") },
  { "export", cmd_export, N_("Export a standard as a package (JSON) or a PDF") },
  { "import", cmd_import, N_("Import the package of a standard") },
};

/* End of the dispatch table. */

int
pqs_admin_cmd_standard (PqsAdminGlobals  *globals,
                       int               argc,
                       char            **argv)
{
  static const PqsAdminGroup group = {
    "standard", subcommands, G_N_ELEMENTS (subcommands), NULL
  };

  return pqs_admin_dispatch (globals, &group, argc, argv);
}

/* Subcommands added to the dispatch table above are defined below. */

/* export and import (helper E): the work is in pqs-admin-doc.c, shared with
 * `doc export|import`. */

int pqs_admin_standard_export (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_standard_import (PqsAdminGlobals *globals, int argc, char **argv);

static int
cmd_export (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  return pqs_admin_standard_export (globals, argc, argv);
}

static int
cmd_import (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  return pqs_admin_standard_import (globals, argc, argv);
}
