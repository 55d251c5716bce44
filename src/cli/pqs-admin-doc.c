/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-auth.h"
#include "pqs-package.h"
#include "pqs-pdf-export.h"
#include "pqs-user.h"
#include "pqs-user-directory.h"

/* `pqs-admin doc export|import` and the work behind `pqs-admin standard
 * export|import` (whose entries live in pqs-admin-standard.c):
 *
 *   doc export ID --output FILE [--format pdf|json] [--edition trainee|qualifier]
 *              [--paper letter|a4] [--history] [--as USERNAME]
 *   doc import FILE --as USERNAME [--standard ID] [--on-conflict fail|overwrite|new]
 *   standard export ID --output FILE [--format json|pdf] [--edition …] [--paper …]
 *                   [--history] [--as USERNAME]
 *   standard import FILE --as USERNAME [--on-conflict fail|overwrite|new]
 *
 * The output file is only ever the one given with --output; what is read
 * never chooses where anything is written. */

int pqs_admin_standard_export (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_standard_import (PqsAdminGlobals *globals, int argc, char **argv);

typedef enum
{
  WHAT_DOCUMENT,
  WHAT_STANDARD,
} What;

typedef enum
{
  FORMAT_JSON,
  FORMAT_PDF,
} Format;

static const char *
what_name (What what)
{
  return what == WHAT_DOCUMENT ? "doc" : "standard";
}

static gboolean
parse_positional (PqsAdminGlobals    *globals,
                  int                *argc,
                  char             ***argv,
                  What                what,
                  const char         *parameter,
                  const char         *summary,
                  const GOptionEntry *entries,
                  int                *out_exit)
{
  g_autoptr(GOptionContext) context = pqs_admin_option_context (globals, parameter, summary,
                                                                entries);

  if (!pqs_admin_parse (context, argc, argv, out_exit))
    return FALSE;

  if (*argc != 2)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  *argc < 2
                                    ? _("%s is missing. Try “pqs-admin %s %s --help”.")
                                    : _("%s is expected once. Try “pqs-admin %s %s --help”."),
                                  parameter, what_name (what), (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_id (const char *text,
          gint64     *out_id,
          int        *out_exit)
{
  char *end = NULL;
  gint64 value;

  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (text[0] == '\0' || !g_ascii_isdigit (text[0]) || *end != '\0' || errno != 0 || value <= 0)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("“%s” is not an id; an id is a whole number above 0."), text);
      return FALSE;
    }

  *out_id = value;
  return TRUE;
}

static gboolean
parse_conflict (const char         *text,
                PqsPackageConflict *out_conflict,
                int                *out_exit)
{
  if (text == NULL)
    {
      *out_conflict = PQS_PACKAGE_CONFLICT_FAIL;
      return TRUE;
    }
  if (pqs_package_conflict_from_string (text, out_conflict))
    return TRUE;

  *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                              _("unknown --on-conflict “%s”. It is fail, overwrite or new."),
                              text);
  return FALSE;
}

/* The account named by --as, or NULL (the operator) when none is named. */
static gboolean
find_actor (PqsStore    *store,
            const char  *username,
            PqsUser    **out_actor,
            int         *out_exit)
{
  g_autoptr(PqsUserDirectory) directory = NULL;

  *out_actor = NULL;
  if (username == NULL)
    return TRUE;

  directory = pqs_user_directory_new (store);
  *out_actor = pqs_admin_find_user (directory, username, out_exit);
  return *out_actor != NULL;
}

/* Export ------------------------------------------------------------------ */

static int
export_command (PqsAdminGlobals *globals,
                int              argc,
                char           **argv,
                What             what)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUser) actor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *edition_text = NULL;
  g_autofree char *paper_text = NULL;
  g_autofree char *as = NULL;
  g_autofree char *shown = NULL;
  gboolean history = FALSE;
  PqsPdfEdition edition = PQS_PDF_EDITION_TRAINEE;
  PqsPaperSize paper = PQS_PAPER_LETTER;
  Format format;
  gint64 id = 0;
  int exit_code = 0;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The file to write (required); replaced only once it is complete"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("pdf or json (default: from the file name’s extension)"), N_("FORMAT") },
    { "edition", 0, 0, G_OPTION_ARG_STRING, &edition_text,
      N_("For PDF: trainee (questions and space to answer, the default) or qualifier "
         "(with answers and criteria)"), N_("EDITION") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text,
      N_("For PDF: letter (the default) or a4"), N_("SIZE") },
    { "history", 0, 0, G_OPTION_ARG_NONE, &history,
      N_("For JSON: list each document’s changes as well"), NULL },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("Export as this account, with its permissions (default: the operator)"),
      N_("USERNAME") },
    { NULL }
  };

  if (!parse_positional (globals, &argc, &argv, what, _("ID"),
                         what == WHAT_DOCUMENT
                           ? _("Export a section document as a PDF (trainee or qualifier "
                               "edition) or as JSON (“pqs-desk/document”, version 1).")
                           : _("Export a whole standard as a package (JSON, “pqs-desk/package”, "
                               "version 1) or as a PDF with a cover, contents and every "
                               "section."),
                         entries, &exit_code) ||
      !parse_id (argv[1], &id, &exit_code))
    return exit_code;

  if (output == NULL || *output == '\0')
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--output is required: the file to write. Try “pqs-admin %s export "
                             "--help”."), what_name (what));

  if (format_text == NULL)
    {
      if (g_str_has_suffix (output, ".pdf") || g_str_has_suffix (output, ".PDF"))
        format = FORMAT_PDF;
      else if (g_str_has_suffix (output, ".json") || g_str_has_suffix (output, ".JSON") ||
               what == WHAT_STANDARD)
        format = FORMAT_JSON;
      else
        return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                               _("choose --format pdf or --format json."));
    }
  else if (g_ascii_strcasecmp (format_text, "pdf") == 0)
    format = FORMAT_PDF;
  else if (g_ascii_strcasecmp (format_text, "json") == 0)
    format = FORMAT_JSON;
  else
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unknown --format “%s”. It is pdf or json."), format_text);

  if (format == FORMAT_JSON && (edition_text != NULL || paper_text != NULL))
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--edition and --paper are for PDF exports."));
  if (format == FORMAT_PDF && history)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("--history is for JSON exports."));
  if (edition_text != NULL && !pqs_pdf_edition_from_string (edition_text, &edition))
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unknown --edition “%s”. It is trainee or qualifier."),
                           edition_text);
  if (paper_text != NULL && !pqs_paper_size_from_string (paper_text, &paper))
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unknown --paper “%s”. It is letter or a4."), paper_text);

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL || !find_actor (store, as, &actor, &exit_code))
    return exit_code;

  file = g_file_new_for_commandline_arg (output);
  if (format == FORMAT_PDF)
    {
      g_autoptr(PqsPdfExport) export = pqs_pdf_export_new (store);

      pqs_pdf_export_set_edition (export, edition);
      pqs_pdf_export_set_paper_size (export, paper);
      ok = what == WHAT_DOCUMENT
             ? pqs_pdf_export_document (export, actor, id, file, &error)
             : pqs_pdf_export_standard (export, actor, id, file, &error);
    }
  else
    {
      g_autoptr(PqsPackage) package = pqs_package_new (store);

      pqs_package_set_include_history (package, history);
      ok = what == WHAT_DOCUMENT
             ? pqs_package_export_document_to_file (package, actor, id, file, &error)
             : pqs_package_export_standard_to_file (package, actor, id, file, &error);
    }
  if (!ok)
    return pqs_admin_fail_error (error);

  shown = g_file_get_parse_name (file);
  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, what == WHAT_DOCUMENT ? "document_id"
                                                                   : "standard_id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, format == FORMAT_PDF ? "pdf" : "json");
      if (format == FORMAT_PDF)
        {
          json_builder_set_member_name (builder, "edition");
          json_builder_add_string_value (builder, pqs_pdf_edition_to_string (edition));
          json_builder_set_member_name (builder, "paper");
          json_builder_add_string_value (builder, pqs_paper_size_to_string (paper));
        }
      json_builder_set_member_name (builder, "output");
      json_builder_add_string_value (builder, shown);
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, info != NULL ? g_file_info_get_size (info) : 0);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
    }
  else if (format == FORMAT_PDF)
    g_print (edition == PQS_PDF_EDITION_QUALIFIER
               ? _("Wrote the qualifier edition to %s.\n")
               : _("Wrote the trainee edition to %s.\n"), shown);
  else
    g_print (_("Wrote %s.\n"), shown);

  return PQS_ADMIN_EXIT_OK;
}

/* Import ------------------------------------------------------------------ */

static int
import_command (PqsAdminGlobals *globals,
                int              argc,
                char           **argv,
                What             what)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUser) actor = NULL;
  g_autoptr(PqsPackage) package = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *as = NULL;
  g_autofree char *conflict_text = NULL;
  g_autofree char *standard_text = NULL;
  PqsPackageConflict conflict = PQS_PACKAGE_CONFLICT_FAIL;
  gint64 standard_id = 0;
  int exit_code = 0;
  gboolean ok;
  GArray *ids;
  const GOptionEntry document_entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("The account that imports (required); it becomes the author of the drafts"),
      N_("USERNAME") },
    { "standard", 0, 0, G_OPTION_ARG_STRING, &standard_text,
      N_("The id of the standard to import into (default: the one the file names)"), N_("ID") },
    { "on-conflict", 0, 0, G_OPTION_ARG_STRING, &conflict_text,
      N_("When the number is taken: fail (the default), overwrite, or new (the next free "
         "number)"), N_("WHAT") },
    { NULL }
  };
  const GOptionEntry standard_entries[] = {
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      N_("The account that imports (required); it becomes the author of the drafts"),
      N_("USERNAME") },
    { "on-conflict", 0, 0, G_OPTION_ARG_STRING, &conflict_text,
      N_("When the standard is here already: fail (the default), overwrite, or new (a new "
         "revision beside it)"), N_("WHAT") },
    { NULL }
  };

  if (!parse_positional (globals, &argc, &argv, what, _("FILE"),
                         what == WHAT_DOCUMENT
                           ? _("Import a section document (JSON, “pqs-desk/document”). The file "
                               "is validated completely before anything is written; the "
                               "document becomes a draft of the importing account.")
                           : _("Import the package of a whole standard (JSON, "
                               "“pqs-desk/package”). The file is validated completely before "
                               "anything is written, and everything is written in one "
                               "transaction; the documents become drafts of the importing "
                               "account."),
                         what == WHAT_DOCUMENT ? document_entries : standard_entries,
                         &exit_code))
    return exit_code;

  if (as == NULL || *as == '\0')
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--as USERNAME is required: the account that imports the file."));
  if (!parse_conflict (conflict_text, &conflict, &exit_code) ||
      (standard_text != NULL && !parse_id (standard_text, &standard_id, &exit_code)))
    return exit_code;

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL || !find_actor (store, as, &actor, &exit_code))
    return exit_code;

  file = g_file_new_for_commandline_arg (argv[1]);
  package = pqs_package_new (store);
  ok = what == WHAT_DOCUMENT
         ? pqs_package_import_document (package, actor, file, standard_id, conflict, &error)
         : pqs_package_import_standard (package, actor, file, conflict, &error);
  if (!ok)
    return pqs_admin_fail_error (error);

  ids = pqs_package_get_document_ids (package);
  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "standard_id");
      json_builder_add_int_value (builder, pqs_package_get_standard_id (package));
      json_builder_set_member_name (builder, "standard_created");
      json_builder_add_boolean_value (builder, pqs_package_get_standard_created (package));
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, pqs_package_get_n_created (package));
      json_builder_set_member_name (builder, "updated");
      json_builder_add_int_value (builder, pqs_package_get_n_updated (package));
      json_builder_set_member_name (builder, "unchanged");
      json_builder_add_int_value (builder, pqs_package_get_n_unchanged (package));
      json_builder_set_member_name (builder, "document_ids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < ids->len; i++)
        json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      pqs_admin_print_json (root);
    }
  else if (what == WHAT_DOCUMENT && pqs_package_get_n_unchanged (package) > 0)
    g_print (_("Document %" PRId64 " already holds exactly this content; nothing was "
               "written.\n"), ids->len > 0 ? g_array_index (ids, gint64, 0) : 0);
  else if (what == WHAT_DOCUMENT)
    g_print (pqs_package_get_n_created (package) > 0
               ? _("Imported the document as a new draft (id %" PRId64 ") in standard %"
                   PRId64 ".\n")
               : _("Imported the document over document %" PRId64 " in standard %"
                   PRId64 "; it is a draft now.\n"),
             ids->len > 0 ? g_array_index (ids, gint64, 0) : 0,
             pqs_package_get_standard_id (package));
  else
    g_print (pqs_package_get_standard_created (package)
               ? _("Imported the standard as standard %" PRId64 ": %u new drafts, %u "
                   "documents overwritten, %u unchanged.\n")
               : _("Imported the package over standard %" PRId64 ": %u new drafts, %u "
                   "documents overwritten, %u unchanged.\n"),
             pqs_package_get_standard_id (package), pqs_package_get_n_created (package),
             pqs_package_get_n_updated (package), pqs_package_get_n_unchanged (package));

  return PQS_ADMIN_EXIT_OK;
}

/* Entry points ------------------------------------------------------------ */

static int
cmd_export (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  return export_command (globals, argc, argv, WHAT_DOCUMENT);
}

static int
cmd_import (PqsAdminGlobals *globals,
            int              argc,
            char           **argv)
{
  return import_command (globals, argc, argv, WHAT_DOCUMENT);
}

int
pqs_admin_standard_export (PqsAdminGlobals *globals,
                           int              argc,
                           char           **argv)
{
  return export_command (globals, argc, argv, WHAT_STANDARD);
}

int
pqs_admin_standard_import (PqsAdminGlobals *globals,
                           int              argc,
                           char           **argv)
{
  return import_command (globals, argc, argv, WHAT_STANDARD);
}

static const PqsAdminCommand subcommands[] = {
  { "export", cmd_export, N_("Export a section document as PDF or JSON") },
  { "import", cmd_import, N_("Import a section document from JSON") },
};

int
pqs_admin_cmd_doc (PqsAdminGlobals  *globals,
                  int               argc,
                  char            **argv)
{
  static const PqsAdminGroup group = {
    "doc", subcommands, G_N_ELEMENTS (subcommands), NULL
  };

  return pqs_admin_dispatch (globals, &group, argc, argv);
}
