/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <inttypes.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-auth.h"
#include "pqs-search.h"

/* pqs-admin search QUERY: the documents' titles, bodies and line items, best
 * matches first, as the application's search finds them (PqsSearch), but
 * ranking every match and with the last word taken whole, since the query
 * was not typed letter by letter. */

#define DEFAULT_LIMIT 20

static void
add_result (JsonBuilder     *builder,
            PqsSearchResult *result)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pqs_search_result_get_document_id (result));
  json_builder_set_member_name (builder, "standard_id");
  json_builder_add_int_value (builder, pqs_search_result_get_standard_id (result));
  json_builder_set_member_name (builder, "standard_title");
  json_builder_add_string_value (builder, pqs_search_result_get_standard_title (result));
  json_builder_set_member_name (builder, "section");
  json_builder_add_int_value (builder, pqs_search_result_get_section (result));
  json_builder_set_member_name (builder, "number");
  json_builder_add_int_value (builder, pqs_search_result_get_number (result));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, pqs_search_result_get_title (result));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, pqs_search_result_get_status (result));
  /* Matches are wrapped in U+E000 and U+E001, as PqsSearchResult documents. */
  json_builder_set_member_name (builder, "snippet");
  json_builder_add_string_value (builder, pqs_search_result_get_snippet (result));
  json_builder_set_member_name (builder, "item_id");
  if (pqs_search_result_get_item_id (result) > 0)
    json_builder_add_int_value (builder, pqs_search_result_get_item_id (result));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "rank");
  json_builder_add_double_value (builder, pqs_search_result_get_rank (result));
  json_builder_end_object (builder);
}

static void
print_json (GPtrArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    add_result (builder, g_ptr_array_index (results, i));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

static void
print_text (GPtrArray *results,
            gboolean   truncated)
{
  gboolean terminal = isatty (STDOUT_FILENO);

  for (guint i = 0; i < results->len; i++)
    {
      PqsSearchResult *result = g_ptr_array_index (results, i);
      g_autofree char *snippet = NULL;

      /* Bold on a terminal, brackets in a pipe. */
      snippet = pqs_search_snippet_replace_markers (pqs_search_result_get_snippet (result),
                                                    terminal ? "\033[1m" : "[",
                                                    terminal ? "\033[0m" : "]");
      /* TRANSLATORS: a search result: document number, title, then the
       * standard it belongs to, its status and its database id. */
      g_print (_("%u  %s  (%s; %s; id %" PRId64 ")\n"),
               pqs_search_result_get_number (result),
               pqs_search_result_get_title (result),
               pqs_search_result_get_standard_title (result),
               pqs_search_result_get_status (result),
               pqs_search_result_get_document_id (result));
      if (*snippet != '\0')
        g_print ("    %s\n", snippet);
    }

  if (results->len == 0)
    g_print ("%s\n", _("No document matches."));
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u document shown.\n", "%u documents shown.\n",
                          results->len),
             results->len);
  if (truncated)
    g_print ("%s\n", _("More rows matched than were ranked; add words to narrow the search."));
}

int
pqs_admin_cmd_search (PqsAdminGlobals *globals,
                      int              argc,
                      char           **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsSearch) search = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  gint64 standard_id = 0;
  int limit = DEFAULT_LIMIT;
  int offset = 0;
  int series = 0;
  gboolean truncated = FALSE;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most N documents (default 20)"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset,
      N_("Skip the N best documents"), N_("N") },
    { "standard", 0, 0, G_OPTION_ARG_INT64, &standard_id,
      N_("Search only the standard with this id"), N_("ID") },
    { "series", 0, 0, G_OPTION_ARG_INT, &series,
      N_("Search only one series: 100, 200 or 300"), N_("SERIES") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Search only documents in this state: draft, in_review, approved or archived"),
      N_("STATUS") },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("search QUERY… — search the documents"),
                                      _("Searches the titles, bodies and line items (questions, "
                                        "answers, criteria) of every section document and "
                                        "prints the best matches first, with a snippet around "
                                        "the match. Every word must match; quotes, operators "
                                        "and other punctuation are plain separators. Put “--” "
                                        "before a query that starts with “-”."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  if (argc < 2)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("search needs a QUERY. Try “pqs-admin search --help”."));
  if (limit < 1 || limit > 10000)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--limit must be between 1 and 10000."));
  if (offset < 0)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("--offset cannot be negative."));
  if (series != 0 && series != 100 && series != 200 && series != 300)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("--series must be 100, 200 or 300."));
  if (standard_id < 0)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("--standard must be a standard’s id."));
  if (status != NULL && !pqs_document_status_from_string (status, NULL))
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unknown status “%s”. The states are: draft, in_review, "
                             "approved, archived."), status);

  /* "pqs-admin search fuel oil" searches for both words. */
  text = g_strjoinv (" ", argv + 1);

  store = pqs_admin_open_migrated (globals, PQS_STORE_OPEN_EXISTING, &exit_code);
  if (store == NULL)
    return exit_code;

  search = pqs_search_new (store);
  pqs_search_set_prefix (search, FALSE);
  pqs_search_set_candidates (search, 0);
  pqs_search_set_standard_id (search, standard_id);
  pqs_search_set_series (search, (guint) series);
  pqs_search_set_status (search, status);

  results = pqs_search_run (search, text, (guint) offset, (guint) limit, &truncated, &error);
  if (results == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    print_json (results);
  else
    print_text (results, truncated);

  return PQS_ADMIN_EXIT_OK;
}
