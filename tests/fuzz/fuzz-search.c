/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "pqs-search.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* The FTS query sanitiser: what a person types in the search box, as
 * pqs_search_build_query() turns it into an FTS5 query. Input: the typed
 * bytes (any bytes: NUL, invalid UTF-8).
 *
 * Besides not crashing: the query is NULL or a list of at most
 * PQS_SEARCH_MAX_TOKENS quoted words in valid UTF-8, and SQLite runs it
 * without an error against both real search indexes of a demo database
 * (MATCH with bm25, snippet and highlight), as does pqs_search_run() with
 * the full ranking statement, with and without filters and a viewer of
 * limited rights. */

#define DEMO_DOCUMENTS 12

static PqsStore *store;
static PqsSearch *search_all;
static PqsSearch *search_filtered;
static sqlite3_stmt *match_stmts[2];

/* "word" "word"* …: quoted strings (a quote inside doubled), one space apart. */
static void
check_query (const char *query,
             gboolean    prefix)
{
  const char *p = query;
  guint words = 0;

  g_assert_true (g_utf8_validate (query, -1, NULL));
  while (*p != '\0')
    {
      if (words > 0)
        {
          g_assert_cmpint (*p, ==, ' ');
          p++;
        }
      g_assert_cmpint (*p, ==, '"');
      p++;
      for (;;)
        {
          g_assert_cmpint (*p, !=, '\0');
          if (p[0] == '"' && p[1] == '"')
            p += 2;
          else if (p[0] == '"')
            break;
          else
            p++;
        }
      p++;
      words++;
      if (*p == '*')
        {
          /* Only the word being typed is a prefix. */
          g_assert_true (prefix);
          g_assert_cmpint (p[1], ==, '\0');
          p++;
        }
    }

  g_assert_cmpuint (words, >=, 1);
  g_assert_cmpuint (words, <=, PQS_SEARCH_MAX_TOKENS);
}

static void
run_match (const char *query)
{
  for (guint i = 0; i < G_N_ELEMENTS (match_stmts); i++)
    {
      sqlite3_stmt *stmt = match_stmts[i];
      int rc;

      sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc != SQLITE_DONE)
        g_error ("“%s” fails: %s", query, sqlite3_errmsg (pqs_store_get_handle (store)));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
}

static void
run_search (PqsSearch  *search,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gboolean truncated = FALSE;

  results = pqs_search_run (search, text, 0, 20, &truncated, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  pqs_fuzz_say ("%u results%s", results->len, truncated ? " (truncated)" : "");
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(PqsUser) viewer = NULL;
  g_autoptr(GError) error = NULL;
  const char *match_sql[] = {
    "SELECT rowid, bm25(documents_fts, 10.0, 1.0), "
    "snippet(documents_fts, -1, char(57344), char(57345), '…', 16), "
    "highlight(documents_fts, 0, '[', ']') FROM documents_fts WHERE documents_fts MATCH ?1 "
    "ORDER BY rank",
    "SELECT rowid, bm25(document_items_fts, 4.0, 2.0, 1.0), "
    "snippet(document_items_fts, -1, char(57344), char(57345), '…', 16) "
    "FROM document_items_fts WHERE document_items_fts MATCH ?1 ORDER BY rank",
  };

  pqs_fuzz_init ();
  store = pqs_fuzz_demo_store (DEMO_DOCUMENTS);

  for (guint i = 0; i < G_N_ELEMENTS (match_stmts); i++)
    g_assert_cmpint (sqlite3_prepare_v2 (pqs_store_get_handle (store), match_sql[i], -1,
                                         &match_stmts[i], NULL), ==, SQLITE_OK);

  search_all = pqs_search_new (store);
  pqs_search_set_prefix (search_all, TRUE);
  pqs_search_set_candidates (search_all, 0);

  /* A visitor reads approved documents only: the statement with every filter. */
  directory = pqs_user_directory_new (store);
  viewer = pqs_user_directory_lookup_by_username (directory, "sadeyemi", &error);
  g_assert_no_error (error);
  search_filtered = pqs_search_new (store);
  pqs_search_set_prefix (search_filtered, FALSE);
  pqs_search_set_viewer (search_filtered, viewer);
  pqs_search_set_standard_id (search_filtered, 1);
  pqs_search_set_series (search_filtered, 300);
  pqs_search_set_status (search_filtered, "approved");
  pqs_search_set_candidates (search_filtered, 3);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  for (guint prefix = 0; prefix < 2; prefix++)
    {
      g_autofree char *query = pqs_search_build_query ((const char *) data, size, prefix);

      if (query == NULL)
        continue;
      pqs_fuzz_say ("query: %s", query);
      check_query (query, prefix);
      run_match (query);
    }

  run_search (search_all, text);
  run_search (search_filtered, text);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
