/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <pango/pango.h>

#include "pqs-demo-seeder.h"
#include "pqs-diagnostics.h"
#include "pqs-search.h"
#include "pqs-test-util.h"
#include "pqs-user-list.h"
#include "pqs-user.h"

/* Full-text search: the query sanitiser against hostile input, ranking,
 * snippets, line items, filters and read permission, paging, the list model
 * following the store, the search indexes' maintenance (drift, missing
 * triggers, rebuild) and `pqs-admin search`. */

#define REFERENCE_TIME G_GINT64_CONSTANT (1700000000)
#define PASSWORD       "correct horse battery staple"

typedef struct
{
  char        *dir;
  char        *path;
  PqsStore    *store;
  sqlite3     *db;
  PqsUserList *users;
  gint64       standard;      /* the hand-written documents' standard */
  gint64       author;        /* a user who wrote the narwhal draft */
  gint64       other_author;  /* a user who wrote the in-review document */
  gint64       doc_a, doc_b, doc_c, doc_d, doc_e, doc_f;
  gint64       narwhal_item;
} Fixture;

static void
exec (Fixture    *fixture,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  pqs_store_exec (fixture->store, sql, &error);
  g_assert_no_error (error);
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_test_query_int (fixture->db, sql);
}

static gint64
add_document (Fixture    *fixture,
              guint       number,
              const char *status,
              gint64      author,
              const char *title,
              const char *content)
{
  char *sql = sqlite3_mprintf ("INSERT INTO documents (standard_id, title, section, "
                               "document_number, content, status, created_by, approved_by, "
                               "approved_at) VALUES (%lld, %Q, %u, %u, %Q, %Q, %lld, %s, %s)",
                               (long long) fixture->standard, title, number / 100 * 100,
                               number, content, status, (long long) author,
                               g_str_equal (status, "approved") ? "1" : "NULL",
                               g_str_equal (status, "approved")
                                 ? "'2023-11-14T00:00:00.000Z'" : "NULL");

  exec (fixture, sql);
  sqlite3_free (sql);
  return sqlite3_last_insert_rowid (fixture->db);
}

static gint64
add_item (Fixture    *fixture,
          gint64      document,
          guint       position,
          const char *text,
          const char *answer,
          const char *criteria)
{
  char *sql = sqlite3_mprintf ("INSERT INTO document_items (document_id, position, kind, text, "
                               "answer, criteria) VALUES (%lld, %u, 'question', %Q, %Q, %Q)",
                               (long long) document, position, text, answer, criteria);

  exec (fixture, sql);
  sqlite3_free (sql);
  return sqlite3_last_insert_rowid (fixture->db);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  g_autoptr(GError) error = NULL;

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (fixture->path);
  fixture->db = pqs_store_get_handle (fixture->store);

  seeder = pqs_demo_seeder_new (fixture->store);
  pqs_demo_seeder_set_documents (seeder, 600);
  pqs_demo_seeder_set_reference_time (seeder, REFERENCE_TIME);
  pqs_demo_seeder_set_password (seeder, PASSWORD);
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  exec (fixture, "UPDATE users SET password_reset_required = 0");
  fixture->users = pqs_user_list_new (fixture->store);

  fixture->author = query_int (fixture, "SELECT id FROM users WHERE role = 'user' "
                                        "ORDER BY id LIMIT 1");
  fixture->other_author = query_int (fixture, "SELECT id FROM users WHERE role = 'user' "
                                              "ORDER BY id LIMIT 1 OFFSET 1");

  /* Words the demo data does not use, in a standard of their own. */
  exec (fixture, "INSERT INTO standards (title) VALUES ('Search Test Standard')");
  fixture->standard = sqlite3_last_insert_rowid (fixture->db);
  fixture->doc_a = add_document (fixture, 201, "approved", fixture->author,
                                 "Quokka Pump Operation",
                                 "The quokka pump moves water. Every quokka valve is checked.");
  fixture->doc_b = add_document (fixture, 202, "approved", fixture->author, "Bilge System",
                                 "A quokka once visited the bilge, then left for good.");
  fixture->doc_c = add_document (fixture, 203, "draft", fixture->author, "Ballast",
                                 "Nothing to see in the body of this one.");
  fixture->narwhal_item = add_item (fixture, fixture->doc_c, 0, "Where is the narwhal valve?",
                                    "Below the narwhal deck, near frame 12.",
                                    "Must point at the valve.");
  add_item (fixture, fixture->doc_c, 1, "What does the narwhal gauge read?",
            "Between two marks.", "Must read it aloud, like a wombatcheck.");
  fixture->doc_d = add_document (fixture, 301, "in_review", fixture->other_author,
                                 "Sounding Watch", "A narwhal appears only in this body.");
  fixture->doc_e = add_document (fixture, 302, "approved", fixture->other_author,
                                 "État des lieux", "L'éléphant est dans la salle des machines.");
  fixture->doc_f = add_document (fixture, 303, "approved", fixture->other_author,
                                 "Markup Hazards",
                                 "Write <b>&amp;</b> carefully, then tapir & <i>friends</i>.");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->users);
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
  g_free (fixture->path);
}

static gboolean
timed_out_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The model searches in a thread: spins the main context until its newest
 * query has delivered. */
static void
wait_idle (PqsSearch *search)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while (pqs_search_get_busy (search) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static GPtrArray *
run (PqsSearch  *search,
     const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = pqs_search_run (search, text, 0, 100, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static PqsSearchResult *
find_result (GPtrArray *results,
             gint64     document_id)
{
  for (guint i = 0; i < results->len; i++)
    {
      PqsSearchResult *result = g_ptr_array_index (results, i);

      if (pqs_search_result_get_document_id (result) == document_id)
        return result;
    }
  return NULL;
}

static gboolean
snippet_marks (PqsSearchResult *result,
               const char      *word)
{
  g_autofree char *lower = g_utf8_strdown (pqs_search_result_get_snippet (result), -1);
  g_autofree char *marked = g_strconcat (PQS_SEARCH_MATCH_START, word, PQS_SEARCH_MATCH_END, NULL);

  return strstr (lower, marked) != NULL;
}

/* The sanitiser -------------------------------------------------------------- */

static void
test_build_query (void)
{
  static const struct {
    const char *text;
    gboolean    prefix;
    const char *query;
  } cases[] = {
    { "fuel", FALSE, "\"fuel\"" },
    { "fuel", TRUE, "\"fuel\"*" },
    { "fuel ", TRUE, "\"fuel\"" },
    { "fuel oil pump", TRUE, "\"fuel\" \"oil\" \"pump\"*" },
    { "fu", TRUE, "\"fu\"" },
    { "lube oi", TRUE, "\"lube\" \"oi\"" },
    { "AND", FALSE, "\"AND\"" },
    { "fuel AND oil OR NOT pump", FALSE, "\"fuel\" \"AND\" \"oil\" \"OR\" \"NOT\" \"pump\"" },
    { "\"unbalanced", TRUE, "\"unbalanced\"*" },
    { "say \"hi\" \"", FALSE, "\"say\" \"hi\"" },
    { "title:pump", FALSE, "\"title\" \"pump\"" },
    { "{title content}: pump", FALSE, "\"title\" \"content\" \"pump\"" },
    { "NEAR(fuel pump, 3)", FALSE, "\"NEAR\" \"fuel\" \"pump\" \"3\"" },
    { "-pump +valve ^start", FALSE, "\"pump\" \"valve\" \"start\"" },
    { "fu*", TRUE, "\"fu\"" },
    { "É t a t", FALSE, "\"É\" \"t\" \"a\" \"t\"" },
    { "l'éléphant", FALSE, "\"l\" \"éléphant\"" },
    { "\xe5\x8e\x9f\xe5\xad\x90\xe7\x82\x89", FALSE, "\"\xe5\x8e\x9f\xe5\xad\x90\xe7\x82\x89\"" },
    { "", TRUE, NULL },
    { "   ", TRUE, NULL },
    { "*", TRUE, NULL },
    { "\"", TRUE, NULL },
    { "()", TRUE, NULL },
    { "-", TRUE, NULL },
    { "\xf0\x9f\x98\x80\xf0\x9f\x94\xa5", TRUE, NULL },   /* emoji only */
    { PQS_SEARCH_MATCH_START "x" PQS_SEARCH_MATCH_END, FALSE, "\"x\"" },
    { "\xff\xfe" "pump" "\xc3", FALSE, "\"pump\"" },       /* invalid UTF-8 */
  };

  g_assert_null (pqs_search_build_query (NULL, -1, TRUE));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = pqs_search_build_query (cases[i].text, -1, cases[i].prefix);
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("%u: %s", i, shown);
      g_assert_cmpstr (query, ==, cases[i].query);
    }

  /* NUL bytes separate words when the length is given. */
  {
    static const char with_nul[] = "fuel\0oil";
    g_autofree char *query = pqs_search_build_query (with_nul, sizeof with_nul - 1, FALSE);

    g_assert_cmpstr (query, ==, "\"fuel\" \"oil\"");
  }

  /* Long input: at most so many words of at most so many characters. */
  {
    g_autoptr(GString) many = g_string_new (NULL);
    g_autofree char *long_word = g_strnfill (10 * 1024, 'a');
    g_autofree char *query = NULL;
    g_autofree char *long_query = NULL;
    g_auto(GStrv) words = NULL;

    for (guint i = 0; i < 100; i++)
      g_string_append_printf (many, "word%u ", i);
    query = pqs_search_build_query (many->str, -1, TRUE);
    words = g_strsplit (query, " ", -1);
    g_assert_cmpuint (g_strv_length (words), ==, PQS_SEARCH_MAX_TOKENS);
    g_assert_cmpstr (words[PQS_SEARCH_MAX_TOKENS - 1], ==, "\"word15\"");

    long_query = pqs_search_build_query (long_word, -1, TRUE);
    g_assert_cmpuint (strlen (long_query), ==, PQS_SEARCH_MAX_TOKEN_CHARS + 3);
  }
}

static const char *hostile[] = {
  "\"", "\"\"", "\"\"\"", "'", "*", "**", "\"*", "AND", "OR", "NOT", "NEAR", "NEAR(",
  "NEAR(a b", "NEAR/2", "a AND", "AND a", "a OR OR b", "NOT NOT", "(", ")", "((a)", "a)",
  "-", "--", "- a", "+", "^", "^a", ":", "title:", "title:x", "{title}:", "{", "}", "{}",
  "col:*", "a*b", "*a", "\"a\" * \"b\"", "a NEAR/3 b", "rank:1", "rowid:1", "documents_fts",
  "'); DROP TABLE documents; --", "\\", "\\\"", "%", "_", "\t\n\r", "\xc3\x28", "\xa0\xa1",
  "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xef\xbf\xbf", "\xee\x80\x80", "\xee\x80\x81",
  "\xf0\x9f\x98\x80", "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x94\xac", "\xcc\x81",
  "e\xcc\x81", "\xe2\x80\x8b", "\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9",
  "fuel \"oil", "fuel) OR (pump", "quokka*", "quok", "q", "qu", "NULL", "0", "1=1",
};

static void
assert_query_runs (Fixture    *fixture,
                   const char *fts_query)
{
  static const char *tables[] = { "documents_fts", "document_items_fts" };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s MATCH ?1",
                                              tables[t], tables[t]);
      sqlite3_stmt *stmt = NULL;
      int rc;

      g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, fts_query, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        g_test_message ("%s: %s", fts_query, sqlite3_errmsg (fixture->db));
      g_assert_cmpint (rc, ==, SQLITE_ROW);
      sqlite3_finalize (stmt);
    }
}

static void
assert_safe (Fixture    *fixture,
             PqsSearch  *search,
             const char *text,
             gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  for (guint prefix = 0; prefix <= 1; prefix++)
    {
      g_autofree char *query = pqs_search_build_query (text, length, prefix);

      if (query != NULL)
        {
          g_assert_true (g_utf8_validate (query, -1, NULL));
          assert_query_runs (fixture, query);
        }
    }

  if (length < 0)
    {
      results = pqs_search_run (search, text, 0, 20, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (results);
      /* The model too: a warning would end the test (fatal-warnings). */
      pqs_search_set_text (search, text);
      wait_idle (search);
    }
}

static void
test_hostile_input (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  g_autofree char *huge = NULL;
  g_autoptr(GString) mixed = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (20261123);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *padded = g_strdup_printf ("pump %s valve", hostile[i]);
      g_autofree char *suffixed = g_strdup_printf ("pump %s", hostile[i]);

      assert_safe (fixture, search, hostile[i], -1);
      assert_safe (fixture, search, padded, -1);
      assert_safe (fixture, search, suffixed, -1);
    }

  /* 10 KB of one word, of operators, of quotes. */
  huge = g_strnfill (10 * 1024, 'x');
  assert_safe (fixture, search, huge, -1);
  for (guint i = 0; mixed->len < 10 * 1024; i++)
    g_string_append (mixed, hostile[i % G_N_ELEMENTS (hostile)]);
  assert_safe (fixture, search, mixed->str, -1);
  g_free (huge);
  huge = g_strnfill (10 * 1024, '"');
  assert_safe (fixture, search, huge, -1);

  /* NUL bytes inside. */
  assert_safe (fixture, search, "pump\0\"\0AND\0(", 12);

  /* Random bytes. */
  for (guint i = 0; i < 300; i++)
    {
      guint length = g_rand_int_range (rand, 1, 64);
      g_autofree char *bytes = g_malloc (length + 1);

      for (guint j = 0; j < length; j++)
        bytes[j] = (char) g_rand_int_range (rand, 0, 256);
      bytes[length] = '\0';
      assert_safe (fixture, search, bytes, length);
      assert_safe (fixture, search, bytes, -1);
    }
  g_rand_free (rand);
}

/* Ranking, snippets, line items ----------------------------------------------- */

static void
test_ranked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  g_autoptr(GPtrArray) quokka = NULL;
  g_autoptr(GPtrArray) narwhal = NULL;
  g_autoptr(GPtrArray) both = NULL;
  g_autoptr(GPtrArray) criteria = NULL;
  g_autoptr(GPtrArray) etat = NULL;
  g_autoptr(GPtrArray) elephant = NULL;
  PqsSearchResult *first;
  PqsSearchResult *second;
  PqsSearchResult *c;
  PqsSearchResult *d;

  pqs_search_set_prefix (search, FALSE);

  /* In the title and twice in the body beats once in the body. */
  quokka = run (search, "quokka");
  g_assert_cmpuint (quokka->len, ==, 2);
  first = g_ptr_array_index (quokka, 0);
  second = g_ptr_array_index (quokka, 1);
  g_assert_cmpint (pqs_search_result_get_document_id (first), ==, fixture->doc_a);
  g_assert_cmpint (pqs_search_result_get_document_id (second), ==, fixture->doc_b);
  g_assert_cmpfloat (pqs_search_result_get_rank (first), <, pqs_search_result_get_rank (second));
  g_assert_cmpfloat (pqs_search_result_get_rank (second), <, 0.0);
  g_assert_true (snippet_marks (first, "quokka"));
  g_assert_true (snippet_marks (second, "quokka"));
  g_assert_cmpint (pqs_search_result_get_item_id (first), ==, 0);
  g_assert_cmpstr (pqs_search_result_get_title (first), ==, "Quokka Pump Operation");
  g_assert_cmpstr (pqs_search_result_get_status (first), ==, "approved");
  g_assert_cmpuint (pqs_search_result_get_number (first), ==, 201);
  g_assert_cmpuint (pqs_search_result_get_section (first), ==, 200);
  g_assert_cmpint (pqs_search_result_get_standard_id (first), ==, fixture->standard);
  g_assert_cmpstr (pqs_search_result_get_standard_title (first), ==, "Search Test Standard");

  /* Line items are found, once per document, with the item's snippet. */
  narwhal = run (search, "narwhal");
  g_assert_cmpuint (narwhal->len, ==, 2);
  c = find_result (narwhal, fixture->doc_c);
  d = find_result (narwhal, fixture->doc_d);
  g_assert_nonnull (c);
  g_assert_nonnull (d);
  g_assert_cmpint (pqs_search_result_get_item_id (c), >, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM document_items WHERE document_id = "
                                       "(SELECT max(id) FROM documents WHERE title = 'Ballast')"),
                   ==, 2);
  g_assert_true (snippet_marks (c, "narwhal"));
  g_assert_true (snippet_marks (d, "narwhal"));
  g_assert_cmpint (pqs_search_result_get_item_id (d), ==, 0);

  /* All words, together in one line item. */
  both = run (search, "narwhal valve");
  g_assert_cmpuint (both->len, ==, 1);
  g_assert_cmpint (pqs_search_result_get_document_id (g_ptr_array_index (both, 0)), ==,
                   fixture->doc_c);
  g_assert_cmpint (pqs_search_result_get_item_id (g_ptr_array_index (both, 0)), ==,
                   fixture->narwhal_item);

  /* The scoring criteria are searched too. */
  criteria = run (search, "wombatcheck");
  g_assert_cmpuint (criteria->len, ==, 1);
  g_assert_true (snippet_marks (g_ptr_array_index (criteria, 0), "wombatcheck"));

  /* Case and accents fold, as the tokenizer folds them. */
  etat = run (search, "ETAT");
  g_assert_nonnull (find_result (etat, fixture->doc_e));
  elephant = run (search, "elephant");
  g_assert_nonnull (find_result (elephant, fixture->doc_e));

  /* Nothing to search for, nothing found. */
  {
    g_autoptr(GPtrArray) none = run (search, " \"()* ");

    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_snippet_markup (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GError) error = NULL;
  PangoAttrList *attributes = NULL;

  g_assert_cmpstr ((plain = pqs_search_snippet_to_markup ("a " PQS_SEARCH_MATCH_START "<b>"
                                                          PQS_SEARCH_MATCH_END " & "
                                                          PQS_SEARCH_MATCH_START "x")),
                   ==, "a <b>&lt;b&gt;</b> &amp; <b>x</b>");
  g_clear_pointer (&plain, g_free);
  g_assert_cmpstr ((plain = pqs_search_snippet_to_markup (PQS_SEARCH_MATCH_END "y")), ==, "y");
  g_clear_pointer (&plain, g_free);
  plain = pqs_search_snippet_replace_markers ("a " PQS_SEARCH_MATCH_START "b"
                                              PQS_SEARCH_MATCH_END, "[", "]");
  g_assert_cmpstr (plain, ==, "a [b]");

  pqs_search_set_prefix (search, FALSE);
  results = run (search, "tapir");
  g_assert_cmpuint (results->len, ==, 1);
  markup = pqs_search_result_dup_snippet_markup (g_ptr_array_index (results, 0));
  g_assert_nonnull (strstr (markup, "<b>tapir</b>"));
  g_assert_nonnull (strstr (markup, "&lt;b&gt;&amp;amp;&lt;/b&gt;"));
  g_assert_true (pango_parse_markup (markup, -1, 0, &attributes, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "<b>&amp;</b>"));
  pango_attr_list_unref (attributes);
}

/* Filters, permission, paging ----------------------------------------------- */

static guint
count_results (PqsSearch  *search,
               const char *text)
{
  g_autoptr(GPtrArray) results = run (search, text);

  return results->len;
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  PqsUser *author = pqs_user_list_find (fixture->users, fixture->author);
  PqsUser *other = pqs_user_list_find (fixture->users,
                                       query_int (fixture, "SELECT id FROM users WHERE role = "
                                                           "'user' ORDER BY id LIMIT 1 OFFSET 2"));
  PqsUser *supervisor = pqs_user_list_find (fixture->users,
                                            query_int (fixture, "SELECT id FROM users WHERE "
                                                                "role = 'supervisor' LIMIT 1"));
  PqsUser *visitor = pqs_user_list_find (fixture->users,
                                         query_int (fixture, "SELECT id FROM users WHERE "
                                                             "role = 'visitor' LIMIT 1"));
  guint everywhere;

  pqs_search_set_prefix (search, FALSE);
  everywhere = count_results (search, "pump");
  g_assert_cmpuint (everywhere, >, 1);

  pqs_search_set_standard_id (search, fixture->standard);
  g_assert_cmpuint (count_results (search, "pump"), ==, 1);
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 2);
  pqs_search_set_series (search, 300);
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 1);
  pqs_search_set_series (search, 0);
  pqs_search_set_status (search, "draft");
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 1);
  g_assert_cmpuint (count_results (search, "quokka"), ==, 0);
  pqs_search_set_status (search, "approved");
  g_assert_cmpuint (count_results (search, "quokka"), ==, 2);
  pqs_search_set_status (search, NULL);

  /* What each may read: the author their draft, others neither the draft nor
   * the document in review, supervisors both. */
  g_assert_nonnull (author);
  g_assert_nonnull (other);
  pqs_search_set_viewer (search, author);
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 1);
  g_assert_cmpuint (count_results (search, "quokka"), ==, 2);
  pqs_search_set_viewer (search, other);
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 0);
  g_assert_cmpuint (count_results (search, "quokka"), ==, 2);
  pqs_search_set_viewer (search, visitor);
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 0);
  g_assert_cmpuint (count_results (search, "quokka"), ==, 2);
  pqs_search_set_viewer (search, supervisor);
  g_assert_cmpuint (count_results (search, "narwhal"), ==, 2);

  /* A collaborator reads the draft. */
  {
    g_autofree char *share = g_strdup_printf ("INSERT INTO document_collaborators (document_id, "
                                              "user_id, role) VALUES (%" G_GINT64_FORMAT ", %"
                                              G_GINT64_FORMAT ", 'viewer')", fixture->doc_c,
                                              pqs_user_get_id (other));

    exec (fixture, share);
    pqs_search_set_viewer (search, other);
    g_assert_cmpuint (count_results (search, "narwhal"), ==, 1);
  }

  /* Without the standard, everywhere again. */
  pqs_search_set_viewer (search, NULL);
  pqs_search_set_standard_id (search, 0);
  g_assert_cmpuint (count_results (search, "pump"), ==, everywhere);
}

static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  gboolean truncated = TRUE;

  pqs_search_set_prefix (search, FALSE);
  pqs_search_set_candidates (search, 0);
  all = pqs_search_run (search, "pump", 0, 10000, &truncated, &error);
  g_assert_no_error (error);
  g_assert_false (truncated);
  g_assert_cmpuint (all->len, >, 30);
  g_assert_cmpuint (all->len, ==,
                    query_int (fixture, "SELECT count(*) FROM (SELECT rowid FROM documents_fts "
                                        "WHERE documents_fts MATCH 'pump' UNION SELECT "
                                        "i.document_id FROM document_items_fts AS f JOIN "
                                        "document_items AS i ON i.id = f.rowid WHERE "
                                        "document_items_fts MATCH 'pump')"));

  for (guint i = 1; i < all->len; i++)
    g_assert_cmpfloat (pqs_search_result_get_rank (g_ptr_array_index (all, i - 1)), <=,
                       pqs_search_result_get_rank (g_ptr_array_index (all, i)));

  for (guint offset = 0; offset < all->len; offset += 7)
    {
      g_autoptr(GPtrArray) page = pqs_search_run (search, "pump", offset, 7, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (7, all->len - offset));
      for (guint i = 0; i < page->len; i++)
        {
          PqsSearchResult *a = g_ptr_array_index (page, i);
          PqsSearchResult *b = g_ptr_array_index (all, offset + i);

          g_assert_cmpint (pqs_search_result_get_document_id (a), ==,
                           pqs_search_result_get_document_id (b));
          g_assert_cmpstr (pqs_search_result_get_snippet (a), ==,
                           pqs_search_result_get_snippet (b));
          g_assert_true (snippet_marks (a, "pump"));
        }
    }

  /* Ranking only the newest few matches says so. */
  pqs_search_set_candidates (search, 1);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = pqs_search_run (search, "quokka", 0, 100, &truncated, &error);
  g_assert_no_error (error);
  g_assert_true (truncated);
  g_assert_cmpuint (all->len, >=, 1);
  pqs_search_set_candidates (search, 2);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = pqs_search_run (search, "quokka", 0, 100, &truncated, &error);
  g_assert_no_error (error);
  g_assert_false (truncated);
  g_assert_cmpuint (all->len, ==, 2);
}

/* The list model ------------------------------------------------------------- */

typedef struct
{
  guint    calls;
  guint    removed;
  guint    added;
  GThread *thread;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *changed)
{
  g_assert_cmpuint (position, ==, 0);
  /* Delivered in the main context's thread, never from the search's. */
  g_assert_true (changed->thread == g_thread_self ());
  changed->calls++;
  changed->removed = removed;
  changed->added = added;
}

static void
set_text (PqsSearch  *search,
          const char *text)
{
  pqs_search_set_text (search, text);
  wait_idle (search);
}

static void
test_model (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  GListModel *model = G_LIST_MODEL (search);
  ItemsChanged changed = { 0, };
  g_autofree char *update = NULL;
  g_autoptr(PqsSearchResult) result = NULL;

  changed.thread = g_thread_self ();
  g_assert_true (g_list_model_get_item_type (model) == PQS_TYPE_SEARCH_RESULT);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_false (pqs_search_get_busy (search));
  g_signal_connect (search, "items-changed", G_CALLBACK (items_changed_cb), &changed);

  /* As the word is typed. */
  set_text (search, "q");
  g_assert_cmpuint (changed.calls, ==, 0);
  pqs_search_set_text (search, "quo");
  /* Nothing changes until the query, in its thread, is done. */
  g_assert_true (pqs_search_get_busy (search));
  g_assert_cmpuint (changed.calls, ==, 0);
  wait_idle (search);
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  set_text (search, "quokka pu");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);   /* "pu" is not a prefix yet */
  set_text (search, "quokka pum");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  result = g_list_model_get_item (model, 0);
  g_assert_cmpint (pqs_search_result_get_document_id (result), ==, fixture->doc_a);
  g_assert_null (g_list_model_get_item (model, 1));
  g_clear_object (&result);

  /* The model follows the documents and their line items, re-running the
   * query in the background. */
  set_text (search, "quokka");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  memset (&changed, 0, sizeof changed);
  changed.thread = g_thread_self ();
  update = g_strdup_printf ("UPDATE document_items SET answer = 'A quokka sits here.' "
                            "WHERE id = %" G_GINT64_FORMAT, fixture->narwhal_item);
  exec (fixture, update);
  g_assert_true (pqs_search_get_busy (search));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  wait_idle (search);
  g_assert_cmpuint (changed.calls, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  exec (fixture, "DELETE FROM documents WHERE title = 'Bilge System'");
  wait_idle (search);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  pqs_search_set_limit (search, 1);
  wait_idle (search);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* No words: no results, at once. */
  pqs_search_set_text (search, NULL);
  g_assert_false (pqs_search_get_busy (search));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_false (pqs_search_get_truncated (search));
}

static void
busy_notify_cb (PqsSearch *search,
                GParamSpec *pspec,
                guint      *n_notifies)
{
  (*n_notifies)++;
}

/* Typed quickly, each query supersedes the one before: only the newest
 * results arrive, once. */
static void
test_superseded (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  GListModel *model = G_LIST_MODEL (search);
  ItemsChanged changed = { 0, };
  guint n_notifies = 0;
  const char *typed[] = { "pum", "pump", "quokka", "pump valve", "qu", "narwhal" };

  changed.thread = g_thread_self ();
  pqs_search_set_prefix (search, FALSE);
  g_signal_connect (search, "items-changed", G_CALLBACK (items_changed_cb), &changed);
  g_signal_connect (search, "notify::busy", G_CALLBACK (busy_notify_cb), &n_notifies);

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      pqs_search_set_text (search, typed[i]);
      g_assert_true (pqs_search_get_busy (search));
    }
  g_assert_cmpuint (n_notifies, ==, 1);
  wait_idle (search);
  g_assert_cmpuint (n_notifies, ==, 2);

  /* Only the narwhal results, in one change. */
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (changed.removed, ==, 0);
  g_assert_cmpuint (changed.added, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PqsSearchResult) result = g_list_model_get_item (model, i);
      gint64 id = pqs_search_result_get_document_id (result);

      g_assert_true (id == fixture->doc_c || id == fixture->doc_d);
    }

  /* Nothing late arrives from the superseded queries. */
  for (guint i = 0; i < 20; i++)
    {
      g_usleep (5000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (changed.calls, ==, 1);
  g_assert_cmpuint (n_notifies, ==, 2);

  /* A filter supersedes the text's query too. */
  pqs_search_set_text (search, "quokka");
  pqs_search_set_status (search, "draft");
  wait_idle (search);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (changed.calls, ==, 2);
}

/* Dropped while a query runs: the thread is stopped and waited for, and
 * nothing is delivered to a search that is gone. */
static void
test_dispose_busy (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < 5; i++)
    {
      PqsSearch *search = pqs_search_new (fixture->store);

      pqs_search_set_candidates (search, 0);
      pqs_search_set_text (search, i % 2 == 0 ? "pump" : "the");
      if (i > 2)
        g_usleep (i * 1000);
      g_assert_finalize_object (search);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }

  /* The store goes before the search's thread would: the search holds it. */
  {
    PqsSearch *search = pqs_search_new (fixture->store);

    pqs_search_set_text (search, "valve");
    g_clear_object (&fixture->store);
    wait_idle (search);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (search)), >, 0);
    g_assert_finalize_object (search);
  }
}

/* Maintenance ------------------------------------------------------------------- */

static void
test_fts_maintenance (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PqsDiagnostics) diagnostics = pqs_diagnostics_new (fixture->store);
  g_autoptr(PqsMaintenanceReport) rebuilt = NULL;
  g_autoptr(PqsMaintenanceReport) merged = NULL;
  g_autoptr(PqsSearch) search = pqs_search_new (fixture->store);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *trigger = NULL;
  g_autofree char *update = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "--db", fixture->path, "check", NULL };

  pqs_search_set_prefix (search, FALSE);

  g_assert_true (pqs_diagnostics_check_fts (diagnostics, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_clear_pointer (&problems, g_strfreev);

  /* Change a line item behind the index's back: the old word still "matches",
   * the new one does not. */
  trigger = pqs_test_query_text (fixture->db, "SELECT sql FROM sqlite_schema "
                                              "WHERE name = 'document_items_fts_after_update'");
  g_assert_nonnull (trigger);
  exec (fixture, "DROP TRIGGER document_items_fts_after_update");
  update = g_strdup_printf ("UPDATE document_items SET text = 'The capybara valve.' "
                            "WHERE id = %" G_GINT64_FORMAT, fixture->narwhal_item);
  exec (fixture, update);

  /* Both the drift and the missing trigger are reported. */
  g_assert_false (pqs_diagnostics_check_fts (diagnostics, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 2);
  g_assert_nonnull (strstr (problems[0], "document_items_fts"));
  g_assert_nonnull (strstr (problems[1], "document_items_fts"));
  g_assert_nonnull (strstr (problems[1], "update"));
  g_clear_pointer (&problems, g_strfreev);
  g_assert_cmpint (pqs_test_run_admin (argv, &out, NULL), ==, 1);
  g_assert_nonnull (strstr (out, "document_items_fts"));
  g_clear_pointer (&out, g_free);

  /* The trigger back, the drift stays until a rebuild. */
  exec (fixture, trigger);
  g_assert_false (pqs_diagnostics_check_fts (diagnostics, &problems, &error));
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_clear_pointer (&problems, g_strfreev);
  g_assert_cmpuint (count_results (search, "capybara"), ==, 0);

  rebuilt = pqs_diagnostics_rebuild_fts (diagnostics, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_maintenance_report_get_ok (rebuilt));
  g_assert_true (pqs_diagnostics_check_fts (diagnostics, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_assert_cmpuint (count_results (search, "capybara"), ==, 1);
  g_assert_cmpint (pqs_test_run_admin (argv, &out, NULL), ==, 0);

  /* Merging keeps the index whole. */
  merged = pqs_diagnostics_optimize_fts (diagnostics, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_maintenance_report_get_ok (merged));
  g_assert_true (pqs_diagnostics_check_fts (diagnostics, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_results (search, "capybara"), ==, 1);
}

/* pqs-admin search ------------------------------------------------------------ */

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *object;

  {
    const char *argv[] = { "--db", fixture->path, "search", "quokka", NULL };

    g_assert_cmpint (pqs_test_run_admin (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "Quokka Pump Operation"));
    g_assert_nonnull (strstr (out, "Bilge System"));
    g_assert_nonnull (strstr (out, "[quokka]"));
    g_assert_true (strstr (out, "Quokka Pump Operation") < strstr (out, "Bilge System"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *argv[] = { "--db", fixture->path, "--json", "search", "narwhal", "valve",
                           "--limit", "5", NULL };

    g_assert_cmpint (pqs_test_run_admin (argv, &out, &err), ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    array = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    object = json_array_get_object_element (array, 0);
    g_assert_cmpint (json_object_get_int_member (object, "id"), ==, fixture->doc_c);
    g_assert_cmpint (json_object_get_int_member (object, "standard_id"), ==, fixture->standard);
    g_assert_cmpint (json_object_get_int_member (object, "number"), ==, 203);
    g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Ballast");
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "draft");
    g_assert_nonnull (strstr (json_object_get_string_member (object, "snippet"),
                              PQS_SEARCH_MATCH_START "narwhal" PQS_SEARCH_MATCH_END));
    g_assert_cmpfloat (json_object_get_double_member (object, "rank"), <, 0.0);
    g_assert_cmpint (json_object_get_int_member (object, "item_id"), ==, fixture->narwhal_item);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  {
    const char *argv[] = { "--db", fixture->path, "--json", "search", "pump", "--limit", "3",
                           NULL };

    g_assert_cmpint (pqs_test_run_admin (argv, &out, &err), ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                      ==, 3);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Hostile queries are plain words; nothing found is no failure. */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      const char *argv[] = { "--db", fixture->path, "--json", "search", "--", hostile[i], NULL };

      g_assert_cmpint (pqs_test_run_admin (argv, &out, &err), ==, 0);
      json_parser_load_from_data (parser, out, -1, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }

  /* Bad usage. */
  {
    const char *no_query[] = { "--db", fixture->path, "search", NULL };
    const char *bad_status[] = { "--db", fixture->path, "search", "x", "--status", "bogus", NULL };
    const char *bad_series[] = { "--db", fixture->path, "search", "x", "--series", "150", NULL };
    const char *bad_limit[] = { "--db", fixture->path, "search", "x", "--limit", "0", NULL };

    g_assert_cmpint (pqs_test_run_admin (no_query, NULL, &err), ==, 2);
    g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (pqs_test_run_admin (bad_status, NULL, NULL), ==, 2);
    g_assert_cmpint (pqs_test_run_admin (bad_series, NULL, NULL), ==, 2);
    g_assert_cmpint (pqs_test_run_admin (bad_limit, NULL, NULL), ==, 2);
  }

  /* Filters from the command line. */
  {
    g_autofree char *standard = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->standard);
    const char *argv[] = { "--db", fixture->path, "--json", "search", "narwhal", "--standard",
                           standard, "--series", "300", NULL };

    g_assert_cmpint (pqs_test_run_admin (argv, &out, &err), ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    array = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, 0), "id"),
                     ==, fixture->doc_d);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/build-query", test_build_query);
  g_test_add ("/search/hostile-input", Fixture, NULL,
              fixture_set_up, test_hostile_input, fixture_tear_down);
  g_test_add ("/search/ranked", Fixture, NULL, fixture_set_up, test_ranked, fixture_tear_down);
  g_test_add ("/search/snippet-markup", Fixture, NULL,
              fixture_set_up, test_snippet_markup, fixture_tear_down);
  g_test_add ("/search/filters", Fixture, NULL, fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/search/paging", Fixture, NULL, fixture_set_up, test_paging, fixture_tear_down);
  g_test_add ("/search/model", Fixture, NULL, fixture_set_up, test_model, fixture_tear_down);
  g_test_add ("/search/superseded", Fixture, NULL,
              fixture_set_up, test_superseded, fixture_tear_down);
  g_test_add ("/search/dispose-busy", Fixture, NULL,
              fixture_set_up, test_dispose_busy, fixture_tear_down);
  g_test_add ("/search/fts-maintenance", Fixture, NULL,
              fixture_set_up, test_fts_maintenance, fixture_tear_down);
  g_test_add ("/search/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
