/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-diagnostics.h"

/* An existing database only: checking or vacuuming a file that is not there
 * must not create it. */
static PqsStore *
open_existing (PqsAdminGlobals  *globals,
               GError          **error)
{
  return pqs_store_open (globals->db_path, PQS_STORE_OPEN_EXISTING, error);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("yes") : _("no");
}

static void
print_health (PqsHealthReport *health)
{
  g_autofree char *file_size = g_format_size (pqs_health_report_get_file_size (health));
  g_autofree char *wal_size = g_format_size (pqs_health_report_get_wal_size (health));

  g_print ("%s\n", _("Health"));
  g_print ("  %-22s %s\n", _("Opened:"), yes_no (pqs_health_report_get_opened (health)));
  if (!pqs_health_report_get_opened (health))
    return;
  g_print ("  %-22s %.2f ms\n", _("Response time:"),
           pqs_health_report_get_response_time (health) / 1000.0);
  g_print ("  %-22s %s\n", _("Journal mode:"),
           pqs_health_report_get_journal_mode (health) != NULL
             ? pqs_health_report_get_journal_mode (health) : "?");
  g_print ("  %-22s %s\n", _("Foreign keys on:"),
           yes_no (pqs_health_report_get_foreign_keys (health)));
  g_print ("  %-22s %d ms\n", _("Busy timeout:"), pqs_health_report_get_busy_timeout (health));
  g_print ("  %-22s %s\n", _("File size:"), file_size);
  g_print ("  %-22s %s\n", _("Write-ahead log:"), wal_size);
  g_print ("  %-22s %" PRId64 " × %" PRId64 " bytes, %" PRId64
           " free\n", _("Pages:"),
           pqs_health_report_get_page_count (health), pqs_health_report_get_page_size (health),
           pqs_health_report_get_freelist_count (health));
  g_print ("  %-22s %u\n", _("Schema version:"), pqs_health_report_get_schema_version (health));
  g_print ("  %-22s %s\n", _("SQLite:"), pqs_health_report_get_sqlite_version (health));
}

static void
print_report (PqsDiagnosticsReport *report)
{
  PqsHealthReport *health = pqs_diagnostics_report_get_health (report);
  const char * const *problems = pqs_diagnostics_report_get_problems (report);
  GListModel *tables = pqs_diagnostics_report_get_tables (report);
  guint n_tables = g_list_model_get_n_items (tables);
  guint n_problems = g_strv_length ((char **) problems);

  g_print (_("Database %s\n\n"), pqs_health_report_get_path (health));
  print_health (health);

  if (pqs_health_report_get_opened (health))
    {
      g_print ("\n%s\n", _("Checks"));
      g_print ("  %-22s %s\n",
               pqs_diagnostics_report_get_level (report) == PQS_CHECK_QUICK
                 ? _("Quick check:") : _("Integrity check:"),
               pqs_diagnostics_report_get_integrity_ok (report) ? _("ok") : _("FAILED"));
      g_print ("  %-22s ", _("Foreign keys:"));
      if (pqs_diagnostics_report_get_foreign_key_violations (report) == 0)
        g_print ("%s\n", _("ok"));
      else
        g_print (_("%u violations\n"), pqs_diagnostics_report_get_foreign_key_violations (report));
      g_print ("  %-22s %s\n", _("Search indexes:"),
               pqs_diagnostics_report_get_fts_ok (report) ? _("ok") : _("FAILED"));
      g_print ("  %-22s %s\n", _("Migrations:"),
               pqs_diagnostics_report_get_migrations_ok (report) ? _("ok") : _("FAILED"));
    }

  if (n_tables > 0)
    {
      g_print ("\n%-36s %12s %8s\n", _("Table"), _("Rows"), _("Indexes"));
      for (guint i = 0; i < n_tables; i++)
        {
          g_autoptr(PqsTableStats) table = g_list_model_get_item (tables, i);
          const char *kind = pqs_table_stats_get_kind (table);
          g_autofree char *name = NULL;
          g_autofree char *rows = NULL;

          /* Full-text shadow tables are SQLite's own; say so rather than hide them. */
          if (g_str_equal (kind, "table"))
            name = g_strdup (pqs_table_stats_get_name (table));
          else
            name = g_strdup_printf ("%s (%s)", pqs_table_stats_get_name (table), kind);
          if (pqs_table_stats_get_row_count (table) >= 0)
            rows = g_strdup_printf ("%" PRId64, pqs_table_stats_get_row_count (table));
          else
            rows = g_strdup ("-");
          g_print ("%-36s %12s %8u\n", name, rows, pqs_table_stats_get_index_count (table));
        }
    }

  g_print ("\n");
  if (n_problems == 0)
    g_print (_("No problems found (%.1f s).\n"),
             pqs_diagnostics_report_get_duration (report) / (double) G_USEC_PER_SEC);
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u problem:\n", "%u problems:\n", n_problems),
               n_problems);
      for (guint i = 0; problems[i] != NULL; i++)
        g_print ("  - %s\n", problems[i]);
    }
}

static int
report_outcome (PqsAdminGlobals      *globals,
                PqsDiagnosticsReport *report)
{
  guint n_problems = g_strv_length ((char **) pqs_diagnostics_report_get_problems (report));

  if (globals->json)
    {
      g_autoptr(JsonNode) root = pqs_diagnostics_report_to_json (report);

      json_object_set_string_member (json_node_get_object (root), "database", globals->db_path);
      pqs_admin_print_json (root);
    }
  else
    print_report (report);

  if (n_problems == 0)
    return PQS_ADMIN_EXIT_OK;

  return pqs_admin_fail (PQS_ADMIN_EXIT_FAILED,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "the check of %s found %u problem.",
                                      "the check of %s found %u problems.", n_problems),
                         globals->db_path, n_problems);
}

int
pqs_admin_cmd_check (PqsAdminGlobals  *globals,
                     int               argc,
                     char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDiagnostics) diagnostics = NULL;
  g_autoptr(PqsDiagnosticsReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean quick = FALSE;
  gboolean full = FALSE;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick,
      N_("Run quick_check instead of the full integrity_check (faster, skips indexes)"), NULL },
    { "full", 0, 0, G_OPTION_ARG_NONE, &full,
      N_("Run the full integrity_check (the default)"), NULL },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("check — check the database"),
                                      _("Reports the database’s health (journal mode, foreign "
                                        "keys, sizes, response time), runs SQLite’s "
                                        "integrity_check, the foreign key check and the search "
                                        "index’s own check, validates the migrations and counts "
                                        "the rows of every table. Exits with 1 when anything is "
                                        "wrong."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  if (quick && full)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("--quick and --full exclude each other."));

  store = open_existing (globals, &error);
  if (store == NULL)
    {
      /* A file too damaged to open is what check is for: report it. */
      if (g_error_matches (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT) ||
          g_error_matches (error, PQS_STORE_ERROR, PQS_STORE_ERROR_NOT_A_DATABASE))
        {
          report = pqs_diagnostics_report_new_for_error (globals->db_path, error);
          return report_outcome (globals, report);
        }
      return pqs_admin_fail_error (error);
    }

  diagnostics = pqs_diagnostics_new (store);
  report = pqs_diagnostics_check (diagnostics, quick ? PQS_CHECK_QUICK : PQS_CHECK_FULL, NULL,
                                  &error);
  if (report == NULL)
    return pqs_admin_fail_error (error);

  return report_outcome (globals, report);
}

int
pqs_admin_cmd_optimize (PqsAdminGlobals  *globals,
                        int               argc,
                        char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDiagnostics) diagnostics = NULL;
  g_autoptr(PqsMaintenanceReport) fts = NULL;
  g_autoptr(PqsMaintenanceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean rebuild_fts = FALSE;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "rebuild-fts", 0, 0, G_OPTION_ARG_NONE, &rebuild_fts,
      N_("Rebuild the search index from the documents instead of only merging it"), NULL },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("optimize — optimize and compact the database"),
                                      _("Merges (or rebuilds) the search index, runs PRAGMA "
                                        "optimize and ANALYZE, then VACUUM, and prints the "
                                        "space saved. VACUUM needs as much free disk space as "
                                        "the database and blocks other writers while it runs."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  store = open_existing (globals, &error);
  if (store == NULL)
    return pqs_admin_fail_error (error);

  diagnostics = pqs_diagnostics_new (store);
  if (rebuild_fts)
    fts = pqs_diagnostics_rebuild_fts (diagnostics, NULL, &error);
  else
    fts = pqs_diagnostics_optimize_fts (diagnostics, NULL, &error);
  if (fts == NULL)
    return pqs_admin_fail_error (error);

  report = pqs_diagnostics_optimize (diagnostics, NULL, &error);
  if (report == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      g_autoptr(JsonNode) root = pqs_maintenance_report_to_json (report);
      JsonObject *object = json_node_get_object (root);

      json_object_set_string_member (object, "database", globals->db_path);
      json_object_set_member (object, "fts", pqs_maintenance_report_to_json (fts));
      pqs_admin_print_json (root);
    }
  else
    {
      g_autofree char *before = g_format_size (pqs_maintenance_report_get_size_before (report));
      g_autofree char *after = g_format_size (pqs_maintenance_report_get_size_after (report));
      gint64 saved = pqs_maintenance_report_get_bytes_saved (report);
      g_autofree char *saved_text = g_format_size (saved > 0 ? saved : 0);

      g_print (rebuild_fts ? _("Search index rebuilt.\n") : _("Search index merged.\n"));
      g_print (_("Optimized %s: %s before, %s after, %s saved (%.1f s).\n"),
               globals->db_path, before, after, saved_text,
               (pqs_maintenance_report_get_duration (fts) +
                pqs_maintenance_report_get_duration (report)) / (double) G_USEC_PER_SEC);
    }

  return PQS_ADMIN_EXIT_OK;
}

int
pqs_admin_cmd_checkpoint (PqsAdminGlobals  *globals,
                          int               argc,
                          char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDiagnostics) diagnostics = NULL;
  g_autoptr(PqsMaintenanceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;

  context = pqs_admin_option_context (globals,
                                      _("checkpoint — fold the write-ahead log into the database"),
                                      _("Runs wal_checkpoint(TRUNCATE): copies the pages of the "
                                        "write-ahead log into the database file and empties the "
                                        "log. Fails (exit 1) when another program keeps the log "
                                        "busy."),
                                      NULL);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code) ||
      !pqs_admin_no_extra_arguments (argc, argv, &exit_code))
    return exit_code;

  store = open_existing (globals, &error);
  if (store == NULL)
    return pqs_admin_fail_error (error);

  diagnostics = pqs_diagnostics_new (store);
  report = pqs_diagnostics_checkpoint (diagnostics, &error);
  if (report == NULL)
    return pqs_admin_fail_error (error);

  if (globals->json)
    {
      g_autoptr(JsonNode) root = pqs_maintenance_report_to_json (report);

      json_object_set_string_member (json_node_get_object (root), "database", globals->db_path);
      pqs_admin_print_json (root);
    }
  else
    {
      g_autofree char *wal = g_format_size (pqs_maintenance_report_get_wal_size_after (report));

      g_print (_("Checkpoint of %s: %" PRId64 " frames in the log, %" PRId64
                 " copied into the database; the log is now %s.\n"),
               globals->db_path, pqs_maintenance_report_get_wal_frames (report),
               pqs_maintenance_report_get_checkpointed_frames (report), wal);
    }

  return PQS_ADMIN_EXIT_OK;
}
