/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* The fault suite's child process: model work that pqs-admin cannot do
 * (saves, workflow steps) or a second program holding the database open.
 * It reports on standard output, one line written with write(2) right after
 * each commit, so that whatever the parent reads after a SIGKILL was
 * committed:
 *
 *   fault-child saves DB USER COUNT DOC…
 *       COUNT saves by USER, round robin over the documents; save n writes
 *       pqs_test_fault_body (doc, n). Prints "saved DOC N" after each. The
 *       saves are numbered from $PQS_FAULT_FIRST (default 1), so that
 *       several children in turn continue one numbering.
 *   fault-child workflow DB AUTHOR REVIEWER COUNT DOC…
 *       COUNT workflow steps, round robin over the documents: each goes
 *       submit (AUTHOR), approve (REVIEWER), revise (AUTHOR), submit…
 *       Prints "step N" after each.
 *   fault-child prepare DB AUTHOR COUNT
 *       Creates a standard by AUTHOR with COUNT drafts of the 200 series
 *       from its system template, their fields filled so that they can be
 *       submitted. Prints "doc ID" for each.
 *   fault-child hold DB open|read|write
 *       Opens the database; "read" also starts a read transaction, "write"
 *       takes the write lock (BEGIN IMMEDIATE). Prints "holding …", waits
 *       for a line on standard input, ends the transaction, reads again and
 *       prints "released …".
 *
 * Any failure prints "error STEP DOMAIN CODE MESSAGE" and exits 1. */

static void G_GNUC_PRINTF (1, 2)
say (const char *format,
     ...)
{
  g_autofree char *line = NULL;
  va_list args;
  gsize done = 0;
  gsize len;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);

  len = strlen (line);
  while (done < len)
    {
      gssize n = write (STDOUT_FILENO, line + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        _exit (3);
      done += n;
    }
}

static int
fail (guint         step,
      const GError *error)
{
  g_autofree char *message = g_strdup (error->message);

  g_strdelimit (message, "\n", ' ');
  say ("error %u %s %d %s\n", step, g_quark_to_string (error->domain), error->code, message);
  return 1;
}

static PqsUser *
lookup_user (PqsStore    *store,
             const char  *username,
             GError     **error)
{
  g_autoptr(PqsUserDirectory) directory = pqs_user_directory_new (store);

  return pqs_user_directory_lookup_by_username (directory, username, error);
}

static GArray *
parse_ids (int    argc,
           char **argv)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (int i = 0; i < argc; i++)
    {
      gint64 id = g_ascii_strtoll (argv[i], NULL, 10);

      g_assert_cmpint (id, >, 0);
      g_array_append_val (ids, id);
    }
  g_assert_cmpuint (ids->len, >, 0);

  return ids;
}

static int
run_saves (PqsStore  *store,
           int        argc,
           char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsLibrary) library = pqs_library_new (store);
  g_autoptr(PqsUser) user = NULL;
  g_autoptr(GArray) ids = NULL;
  const char *first_env = g_getenv ("PQS_FAULT_FIRST");
  guint first = first_env != NULL ? (guint) g_ascii_strtoull (first_env, NULL, 10) : 1;
  guint count;

  g_assert_cmpint (argc, >=, 3);
  g_assert_cmpuint (first, >=, 1);
  user = lookup_user (store, argv[0], &error);
  if (user == NULL)
    return fail (0, error);
  count = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  ids = parse_ids (argc - 2, argv + 2);

  for (guint n = first; n < first + count; n++)
    {
      gint64 id = g_array_index (ids, gint64, n % ids->len);
      g_autoptr(PqsDocument) document = NULL;
      g_autofree char *body = pqs_test_fault_body (id, n);
      g_autofree char *summary = g_strdup_printf ("fault save %u", n);

      document = pqs_library_load_document (library, user, id, &error);
      if (document == NULL)
        return fail (n, error);
      pqs_document_set_body (document, body);
      if (!pqs_library_save_document (library, user, document, summary, PQS_SAVE_DEFAULT,
                                      &error))
        return fail (n, error);
      say ("saved %" G_GINT64_FORMAT " %u\n", id, n);
    }

  say ("done\n");
  return 0;
}

static int
run_workflow (PqsStore  *store,
              int        argc,
              char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsLibrary) library = pqs_library_new (store);
  g_autoptr(PqsWorkflow) workflow = pqs_workflow_new (library);
  g_autoptr(PqsUser) author = NULL;
  g_autoptr(PqsUser) reviewer = NULL;
  g_autoptr(GArray) ids = NULL;
  guint count;

  g_assert_cmpint (argc, >=, 4);
  author = lookup_user (store, argv[0], &error);
  if (author == NULL)
    return fail (0, error);
  reviewer = lookup_user (store, argv[1], &error);
  if (reviewer == NULL)
    return fail (0, error);
  count = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  ids = parse_ids (argc - 3, argv + 3);

  for (guint step = 0; step < count; step++)
    {
      gint64 id = g_array_index (ids, gint64, step % ids->len);
      guint round = step / ids->len;
      gboolean ok;

      switch (round % 3)
        {
        case 0:
          ok = pqs_workflow_submit (workflow, author, id, "Ready for review", &error);
          break;
        case 1:
          ok = pqs_workflow_approve (workflow, reviewer, id, "Looks right", &error);
          break;
        default:
          ok = pqs_workflow_revise (workflow, author, id, &error);
          break;
        }
      if (!ok)
        return fail (step, error);
      say ("step %u\n", step);
    }

  say ("done\n");
  return 0;
}

static int
run_prepare (PqsStore  *store,
             int        argc,
             char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsLibrary) library = pqs_library_new (store);
  g_autoptr(PqsUser) author = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  PqsStandardFields fields = { "Fault Injection Watch", "USS Example",
                               PQS_CLASSIFICATION_UNCLASSIFIED, NULL, "1", NULL };
  gint64 template_id = 0;
  guint count;

  g_assert_cmpint (argc, ==, 2);
  author = lookup_user (store, argv[0], &error);
  if (author == NULL)
    return fail (0, error);
  count = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  standard = pqs_library_create_standard (library, author, &fields, &error);
  if (standard == NULL)
    return fail (0, error);
  if (!pqs_store_query_int64 (store, "SELECT id FROM templates WHERE is_system = 1 "
                                     "AND section = 200 ORDER BY id LIMIT 1",
                              &template_id, &error))
    return fail (0, error);

  for (guint i = 1; i <= count; i++)
    {
      g_autoptr(PqsDocument) document = NULL;

      document = pqs_library_create_document (library, author, pqs_standard_get_id (standard),
                                              200, 0, template_id, NULL, &error);
      if (document == NULL ||
          !pqs_document_set_metadata_json (document,
                                           "{\"references\": \"NAVSEA S9086\", "
                                           "\"components\": \"Pumps, coolers\", "
                                           "\"difficulty\": \"Basic\"}", &error) ||
          !pqs_library_save_document (library, author, document, NULL, PQS_SAVE_DEFAULT,
                                      &error))
        return fail (i, error);
      say ("doc %" G_GINT64_FORMAT "\n", pqs_document_get_id (document));
    }

  return 0;
}

static gint64
count_documents (PqsStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 count = -1;

  if (!pqs_store_query_int64 (store, "SELECT count(*) FROM documents", &count, &error))
    {
      fail (0, error);
      exit (1);
    }
  return count;
}

static int
run_hold (PqsStore   *store,
          const char *how)
{
  g_autoptr(GError) error = NULL;
  char line[64];
  gint64 before;
  gint64 during;
  gint64 version = -1;

  before = count_documents (store);
  if (g_str_equal (how, "read"))
    {
      if (!pqs_store_exec (store, "BEGIN", &error))
        return fail (0, error);
      before = count_documents (store);
    }
  else if (g_str_equal (how, "write"))
    {
      if (!pqs_store_begin_immediate (store, &error))
        return fail (0, error);
    }
  else
    g_assert_cmpstr (how, ==, "open");

  say ("holding %" G_GINT64_FORMAT "\n", before);
  if (fgets (line, sizeof line, stdin) == NULL)
    line[0] = '\0';

  during = count_documents (store);
  if (g_str_equal (how, "read") && !pqs_store_exec (store, "COMMIT", &error))
    return fail (1, error);
  if (g_str_equal (how, "write") && !pqs_store_commit (store, &error))
    return fail (1, error);

  /* The schema may have changed meanwhile: statements prepared before are
   * prepared again. */
  if (!pqs_store_query_int64 (store, "SELECT max(version) FROM migration_history", &version,
                              &error))
    return fail (2, error);
  say ("released %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
       during, count_documents (store), version);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (argc < 3)
    {
      fprintf (stderr, "usage: fault-child saves|workflow|prepare|hold DB …\n");
      return 2;
    }

  store = pqs_store_open (argv[2], PQS_STORE_OPEN_EXISTING, &error);
  if (store == NULL)
    return fail (0, error);
  pqs_store_set_client_name (store, "fault-child");

  if (g_str_equal (argv[1], "saves"))
    status = run_saves (store, argc - 3, argv + 3);
  else if (g_str_equal (argv[1], "prepare"))
    status = run_prepare (store, argc - 3, argv + 3);
  else if (g_str_equal (argv[1], "workflow"))
    status = run_workflow (store, argc - 3, argv + 3);
  else if (g_str_equal (argv[1], "hold") && argc == 4)
    status = run_hold (store, argv[3]);
  else
    {
      fprintf (stderr, "fault-child: unknown mode “%s”\n", argv[1]);
      status = 2;
    }

  pqs_store_close (store);
  return status;
}
