/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-admin"

#include "config.h"

#include <inttypes.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "pqs-admin-private.h"
#include "pqs-demo-seeder.h"

static const char * const roles[] = { "admin", "supervisor", "user", "visitor" };
static const char * const statuses[] = { "draft", "in_review", "approved", "archived" };

static gboolean
parse_count (const char  *option,
             const char  *text,
             guint64      max,
             guint64     *out_value,
             int         *out_exit)
{
  if (!g_ascii_string_to_unsigned (text, 10, 0, max, out_value, NULL))
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("%s needs a whole number from 0 to %" PRIu64
                                    ", not “%s”."), option, max, text);
      return FALSE;
    }

  return TRUE;
}

/* One line from stdin, without its line end; the terminal does not echo it
 * only when the caller arranged that (this reads pipes and files). */
static char *
read_password (int *out_exit)
{
  char buffer[1024];
  gsize length;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                                  _("--password-stdin needs the password on standard input."));
      return NULL;
    }

  length = strcspn (buffer, "\r\n");
  buffer[length] = '\0';
  if (length == 0)
    {
      *out_exit = pqs_admin_fail (PQS_ADMIN_EXIT_USAGE, _("The demo password is empty."));
      return NULL;
    }

  return g_strdup (buffer);
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  g_printerr (_("\rSeeding… %u of %u documents"), done, total);
}

static void
print_json (PqsAdminGlobals *globals,
            PqsDemoSeeder   *seeder,
            gint64           elapsed_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GArray *rare = pqs_demo_seeder_get_rare_document_ids (seeder);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, globals->db_path);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_seed (seeder));
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, elapsed_us / 1000);

  json_builder_set_member_name (builder, "users");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_users (seeder, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      json_builder_set_member_name (builder, roles[i]);
      json_builder_add_int_value (builder, pqs_demo_seeder_get_n_users (seeder, roles[i]));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "templates");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_templates (seeder));
  json_builder_set_member_name (builder, "standards");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_standards (seeder));

  json_builder_set_member_name (builder, "documents");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_documents (seeder, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      json_builder_set_member_name (builder, statuses[i]);
      json_builder_add_int_value (builder,
                                  pqs_demo_seeder_get_n_documents (seeder, statuses[i]));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "line_items");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_items (seeder));
  json_builder_set_member_name (builder, "changes");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_changes (seeder));
  json_builder_set_member_name (builder, "reviews");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_reviews (seeder));
  json_builder_set_member_name (builder, "audit_rows");
  json_builder_add_int_value (builder, pqs_demo_seeder_get_n_activities (seeder));

  json_builder_set_member_name (builder, "rare_word");
  json_builder_add_string_value (builder, PQS_DEMO_SEEDER_RARE_WORD);
  json_builder_set_member_name (builder, "rare_word_documents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rare->len; i++)
    json_builder_add_int_value (builder, g_array_index (rare, gint64, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "password_reset_required");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "generated_password");
  if (pqs_demo_seeder_get_password_generated (seeder))
    json_builder_add_string_value (builder, pqs_demo_seeder_get_password (seeder));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  pqs_admin_print_json (root);
}

static void
print_summary (PqsAdminGlobals *globals,
               PqsDemoSeeder   *seeder,
               gint64           elapsed_us)
{
  guint n_documents = pqs_demo_seeder_get_n_documents (seeder, NULL);
  GArray *rare = pqs_demo_seeder_get_rare_document_ids (seeder);

  g_print (_("Seeded %s in %.1f s (seed %u).\n"), globals->db_path, elapsed_us / 1e6,
           pqs_demo_seeder_get_seed (seeder));
  g_print (_("  Users:       %u new (%u admin, %u supervisor, %u user, %u visitor)\n"),
           pqs_demo_seeder_get_n_users (seeder, NULL),
           pqs_demo_seeder_get_n_users (seeder, "admin"),
           pqs_demo_seeder_get_n_users (seeder, "supervisor"),
           pqs_demo_seeder_get_n_users (seeder, "user"),
           pqs_demo_seeder_get_n_users (seeder, "visitor"));
  g_print (_("  Templates:   %u new system templates\n"),
           pqs_demo_seeder_get_n_templates (seeder));
  g_print (_("  Standards:   %u\n"), pqs_demo_seeder_get_n_standards (seeder));
  g_print (_("  Documents:   %u (%u draft, %u in review, %u approved, %u archived)\n"),
           n_documents,
           pqs_demo_seeder_get_n_documents (seeder, "draft"),
           pqs_demo_seeder_get_n_documents (seeder, "in_review"),
           pqs_demo_seeder_get_n_documents (seeder, "approved"),
           pqs_demo_seeder_get_n_documents (seeder, "archived"));
  g_print (_("  Line items:  %" PRIu64 "\n"), pqs_demo_seeder_get_n_items (seeder));
  g_print (_("  History:     %" PRIu64 " changes, %" PRIu64 " reviews, %"
             PRIu64 " audit rows\n"),
           pqs_demo_seeder_get_n_changes (seeder), pqs_demo_seeder_get_n_reviews (seeder),
           pqs_demo_seeder_get_n_activities (seeder));
  g_print (_("  Search demo: “%s” is in %u documents\n"), PQS_DEMO_SEEDER_RARE_WORD, rare->len);

  if (pqs_demo_seeder_get_n_users (seeder, NULL) == 0)
    g_print (_("The demo users of an earlier run were reused; their passwords did not "
               "change.\n"));
  else if (pqs_demo_seeder_get_password_generated (seeder))
    g_print (_("All demo users share the password %s (shown only now).\n"),
             pqs_demo_seeder_get_password (seeder));
  else
    g_print (_("All demo users share the password you gave.\n"));
}

int
pqs_admin_cmd_seed_demo (PqsAdminGlobals  *globals,
                         int               argc,
                         char            **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *documents_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *password = NULL;
  gboolean force = FALSE;
  gboolean password_stdin = FALSE;
  guint64 documents = 0;
  guint64 seed = PQS_DEMO_SEEDER_DEFAULT_SEED;
  gint64 started;
  int exit_code = 0;
  const GOptionEntry entries[] = {
    { "documents", 0, 0, G_OPTION_ARG_STRING, &documents_text,
      N_("How many section documents to write (required)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the pseudo-random data; the same seed gives the same data (default: 1)"),
      N_("S") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Add demo data even though the database holds documents"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the demo users’ password from standard input (default: a random one, "
         "printed once)"), NULL },
    { NULL }
  };

  context = pqs_admin_option_context (globals, _("seed-demo --documents N — fill the database "
                                                 "with demo data"),
                                      _("Writes realistic demo and benchmark data in one "
                                        "transaction: 24 users of every role, the system "
                                        "templates of each series, about one standard per "
                                        "150 documents, and N section documents over every "
                                        "workflow state with their line items, reviews, "
                                        "change history and audit trail. The database is "
                                        "migrated first. A database that holds documents is "
                                        "refused unless --force is given; then the demo data "
                                        "is added in new standards. Demo users share one "
                                        "password, shown once; a demo database is for trying "
                                        "PQS Desk, never for real work."),
                                      entries);
  if (!pqs_admin_parse (context, &argc, &argv, &exit_code))
    return exit_code;

  if (argc > 1)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("unexpected argument “%s”. Try “pqs-admin %s --help”."),
                           argv[1], argv[0]);

  if (documents_text == NULL)
    return pqs_admin_fail (PQS_ADMIN_EXIT_USAGE,
                           _("seed-demo needs --documents N. Try “pqs-admin seed-demo --help”."));
  if (!parse_count ("--documents", documents_text, PQS_DEMO_SEEDER_MAX_DOCUMENTS, &documents,
                    &exit_code))
    return exit_code;
  if (seed_text != NULL && !parse_count ("--seed", seed_text, G_MAXUINT32, &seed, &exit_code))
    return exit_code;

  if (password_stdin && (password = read_password (&exit_code)) == NULL)
    return exit_code;

  store = pqs_store_open (globals->db_path, PQS_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return pqs_admin_fail_error (error);

  seeder = pqs_demo_seeder_new (store);
  pqs_demo_seeder_set_documents (seeder, (guint) documents);
  pqs_demo_seeder_set_seed (seeder, (guint) seed);
  pqs_demo_seeder_set_force (seeder, force);
  if (password != NULL)
    {
      pqs_demo_seeder_set_password (seeder, password);
      memset (password, 0, strlen (password));
    }
  if (!globals->json && isatty (STDERR_FILENO))
    pqs_demo_seeder_set_progress_func (seeder, progress_cb, NULL, NULL);

  started = g_get_monotonic_time ();
  if (!pqs_demo_seeder_run (seeder, NULL, &error))
    {
      if (!globals->json && isatty (STDERR_FILENO))
        g_printerr ("\n");
      if (g_error_matches (error, PQS_DEMO_SEEDER_ERROR, PQS_DEMO_SEEDER_ERROR_NOT_EMPTY))
        return pqs_admin_fail (PQS_ADMIN_EXIT_FAILED, _("%s Add --force to seed it anyway."),
                               error->message);
      return pqs_admin_fail_error (error);
    }

  if (!globals->json && isatty (STDERR_FILENO))
    g_printerr ("\n");

  if (globals->json)
    print_json (globals, seeder, g_get_monotonic_time () - started);
  else
    print_summary (globals, seeder, g_get_monotonic_time () - started);

  return PQS_ADMIN_EXIT_OK;
}
