/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-auth.h"
#include "pqs-search.h"
#include "pqs-search-result-private.h"
#include "pqs-store.h"
#include "pqs-user.h"

/**
 * PqsSearch:
 *
 * Full-text search over the section documents: their titles and bodies
 * (documents_fts, migration 007) and their line items — question, answer and
 * criteria (document_items_fts, migration 011) — ranked with bm25 and
 * grouped per document, as a #GListModel of #PqsSearchResult for the text
 * being typed, narrowed by standard, series, status and what the viewer may
 * read.
 *
 * What a person types never reaches FTS5 as query syntax:
 * pqs_search_build_query() keeps the words and quotes each as a string, so
 * quotes, parentheses, `AND`/`OR`/`NOT`/`NEAR`, `*`, `^`, `-` and column
 * filters are plain separators or plain words, and no input can make the
 * query fail. All words must match, either in the document's title and body
 * or together in one line item; the last word matches as a prefix while it
 * is being typed.
 *
 * Ranking every match of a common word costs about half a second on 100,000
 * documents (bm25 scores each match, then they are sorted), far too slow
 * for a search that runs at every key press. So each index gives its newest
 * #PqsSearch:candidates matching rows (0: all of them), and those are ranked
 * and grouped; #PqsSearch:truncated says when there were more. Below that
 * many matches, which is where a query becomes useful, the ranking is exact.
 * (bm25 still counts every match of each word once, for its weights: a
 * common word costs a few milliseconds either way.) A document's score is
 * the sum of its body's bm25 and its best line item's.
 */

struct _PqsSearch
{
  GObject     parent_instance;

  PqsStore   *store;
  char       *text;
  gint64      standard_id;
  guint       series;
  char       *status;
  PqsUser    *viewer;
  guint       limit;
  guint       candidates;
  gboolean    prefix;

  GPtrArray  *items;       /* PqsSearchResult */
  gboolean    truncated;

  /* The model's queries run on a thread of their own, on a read-only
   * connection of their own, one at a time; a newer query cancels the one
   * running and only the newest one's results are delivered. */
  GMainContext *context;
  GThreadPool  *pool;
  GCancellable *cancellable; /* the newest query's: cancelled once superseded */
  gboolean      busy;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsSearch, pqs_search, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_TEXT,
  PROP_STANDARD_ID,
  PROP_SERIES,
  PROP_STATUS,
  PROP_VIEWER,
  PROP_LIMIT,
  PROP_CANDIDATES,
  PROP_PREFIX,
  PROP_TRUNCATED,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The query ------------------------------------------------------------------ */

/* Letters, digits and the marks that belong to them: roughly what FTS5's
 * unicode61 tokenizer keeps as token characters. It does not have to agree
 * exactly, since each word goes to FTS5 as a quoted string that its own
 * tokenizer splits; this only decides where words end. The private-use
 * characters are separators, so a pasted match marker searches for nothing. */
static gboolean
is_word_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK ||
         type == G_UNICODE_NON_SPACING_MARK;
}

static void
append_word (GString    *query,
             GString    *word,
             gboolean    prefix)
{
  if (query->len > 0)
    g_string_append_c (query, ' ');

  /* Words hold no quotes, but a doubled quote is how FTS5 would read one. */
  g_string_append_c (query, '"');
  for (gsize i = 0; i < word->len; i++)
    {
      if (word->str[i] == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, word->str[i]);
    }
  g_string_append_c (query, '"');
  if (prefix)
    g_string_append_c (query, '*');
}

/**
 * pqs_search_build_query:
 * @text: (nullable): what the person typed, any bytes
 * @length: the length of @text in bytes, or -1 if it ends with a NUL byte
 * @prefix: whether the word being typed matches as a prefix
 *
 * Turns any text into an FTS5 query that cannot fail: the words (runs of
 * letters and digits; anything else separates them, invalid UTF-8 and NUL
 * bytes included), each as a quoted string, all of them required. With
 * @prefix, when @text ends inside a word of at least
 * %PQS_SEARCH_MIN_PREFIX_CHARS characters, that word matches as a prefix
 * (`"purif"*`), for search as you type; shorter prefixes would match half
 * the vocabulary. At most
 * %PQS_SEARCH_MAX_TOKENS words of at most %PQS_SEARCH_MAX_TOKEN_CHARS
 * characters are kept.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when @text holds
 *   no word to search for
 */
char *
pqs_search_build_query (const char *text,
                        gssize      length,
                        gboolean    prefix)
{
  g_autoptr(GString) query = NULL;
  g_autoptr(GString) word = NULL;
  const char *p;
  const char *end;
  guint n_words = 0;
  guint word_chars = 0;
  gboolean word_has_base = FALSE;

  if (text == NULL)
    return NULL;
  if (length < 0)
    length = strlen (text);

  query = g_string_new (NULL);
  word = g_string_new (NULL);
  p = text;
  end = text + length;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gsize size;

      /* Invalid or truncated UTF-8 and NUL bytes: a separator, one byte long. */
      if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0)
        {
          c = 0;
          size = 1;
        }
      else
        size = g_utf8_next_char (p) - p;

      if (c != 0 && is_word_char (c))
        {
          if (word_chars < PQS_SEARCH_MAX_TOKEN_CHARS)
            {
              g_string_append_len (word, p, size);
              word_chars++;
              word_has_base = word_has_base || !is_mark (c);
            }
        }
      else if (word->len > 0)
        {
          if (word_has_base)
            {
              append_word (query, word, FALSE);
              n_words++;
            }
          g_string_truncate (word, 0);
          word_chars = 0;
          word_has_base = FALSE;
          if (n_words == PQS_SEARCH_MAX_TOKENS)
            break;
        }

      p += size;
    }

  /* The text ends inside this word: it is being typed. */
  if (word->len > 0 && word_has_base)
    {
      append_word (query, word, prefix && word_chars >= PQS_SEARCH_MIN_PREFIX_CHARS);
      n_words++;
    }

  if (n_words == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* SQL ------------------------------------------------------------------------ */

typedef enum
{
  ACCESS_ALL,
  ACCESS_SOME,
  ACCESS_NONE,
} Access;

static Access
viewer_access (PqsUser *viewer)
{
  PqsDocumentAccess draft = { 0, PQS_DOCUMENT_DRAFT, PQS_COLLABORATOR_NONE };
  PqsDocumentAccess approved = { 0, PQS_DOCUMENT_APPROVED, PQS_COLLABORATOR_NONE };

  if (viewer == NULL || pqs_auth_allows (viewer, PQS_ACTION_READ_DOCUMENT, &draft))
    return ACCESS_ALL;
  if (pqs_auth_allows (viewer, PQS_ACTION_READ_DOCUMENT, &approved))
    return ACCESS_SOME;
  return ACCESS_NONE;
}

/* What one query needs, copied from the search so that a worker thread
 * reads nothing the main thread may change; conn is the connection it runs
 * on. */
typedef struct
{
  PqsStore   *conn;
  Access      access;
  gint64      standard_id;
  guint       series;
  char       *status;
  gint64      viewer_id;
  guint       candidates;
} Params;

static gboolean
is_filtered (const Params *p,
             Access        access)
{
  return p->standard_id > 0 || p->series > 0 || p->status != NULL ||
         access != ACCESS_ALL;
}

/* The filters on "d", the document of a hit. Only the standard may pick an
 * index (at most 297 documents, each then looked up in the search index);
 * the others carry a unary + so that SQLite walks the search index newest
 * first and checks them on the way, instead of visiting thousands of
 * documents of one status. */
static void
append_filters (const Params *p,
                Access        access,
                GString      *sql)
{
  if (p->standard_id > 0)
    g_string_append (sql, " AND d.standard_id = :standard");
  if (p->series > 0)
    g_string_append (sql, " AND +d.section = :series");
  if (p->status != NULL)
    g_string_append (sql, " AND +d.status = :status");
  if (access == ACCESS_SOME)
    g_string_append (sql, " AND (+d.status IN ('approved', 'archived')"
                          " OR +d.created_by = :viewer"
                          " OR +d.id IN (SELECT c.document_id FROM document_collaborators AS c"
                          " WHERE c.user_id = :viewer AND c.is_active = 1))");
  else if (access == ACCESS_NONE)
    g_string_append (sql, " AND 0");
}

/* The ranking, in one statement (one snapshot, and what the benchmark hands
 * to the sqlite3 shell):
 *   doc_hits   the newest matches of the title and body index
 *   item_hits  the newest matching line items, with their document
 *   per_document / ranked   both grouped per document: the body's score
 *              plus the best item's (bm25 is negative, lower is better)
 * then the page asked for, with the line item to take the snippet from
 * when one matched better than the body (else NULL), and whether either
 * index had more matches than were ranked. :window is one more than the
 * candidates, to tell "exactly that many" from "more". */
static char *
build_rank_sql (const Params *p,
                Access        access)
{
  gboolean filtered = is_filtered (p, access);
  GString *sql = g_string_new (NULL);

  g_string_append (sql,
                   "WITH doc_hits (document_id, score) AS MATERIALIZED ("
                   "SELECT f.rowid, bm25(documents_fts, 10.0, 1.0) FROM documents_fts AS f");
  if (filtered)
    g_string_append (sql, " JOIN documents AS d ON d.id = f.rowid");
  g_string_append (sql, " WHERE documents_fts MATCH :query");
  if (filtered)
    append_filters (p, access, sql);
  g_string_append (sql,
                   " ORDER BY f.rowid DESC LIMIT :window), "
                   "item_hits (document_id, item_id, score) AS MATERIALIZED ("
                   "SELECT i.document_id, f.rowid, bm25(document_items_fts, 4.0, 2.0, 1.0)"
                   " FROM document_items_fts AS f JOIN document_items AS i ON i.id = f.rowid");
  if (filtered)
    g_string_append (sql, " JOIN documents AS d ON d.id = i.document_id");
  g_string_append (sql, " WHERE document_items_fts MATCH :query");
  if (filtered)
    append_filters (p, access, sql);
  g_string_append (sql,
                   " ORDER BY f.rowid DESC LIMIT :window), "
                   "per_document (document_id, doc_score, item_id, item_score) AS ("
                   "SELECT document_id, score, NULL, NULL FROM doc_hits"
                   " UNION ALL "
                   /* A bare column next to min() comes from the row of the minimum. */
                   "SELECT document_id, NULL, item_id, min(score) FROM item_hits"
                   " GROUP BY document_id), "
                   "ranked (document_id, doc_score, item_id, item_score, score) AS ("
                   "SELECT document_id, min(doc_score), max(item_id), min(item_score),"
                   " coalesce(min(doc_score), 0.0) + coalesce(min(item_score), 0.0)"
                   " FROM per_document GROUP BY document_id) "
                   "SELECT d.id, d.standard_id, s.title, d.section, d.document_number, d.title,"
                   " d.status, r.score,"
                   " CASE WHEN r.doc_score IS NULL OR r.item_score < r.doc_score"
                   " THEN r.item_id END,"
                   " (SELECT count(*) FROM doc_hits) > :candidates"
                   " OR (SELECT count(*) FROM item_hits) > :candidates "
                   "FROM ranked AS r JOIN documents AS d ON d.id = r.document_id"
                   " JOIN standards AS s ON s.id = d.standard_id "
                   "ORDER BY r.score, d.id LIMIT :limit OFFSET :offset");

  return g_string_free (sql, FALSE);
}

/* Snippets, for one page of results, from one index: one pass over the
 * index for all of them. A snippet needs a cursor on the index positioned by
 * the query, and opening one per row would parse the query and, for a
 * prefix, merge the doclists of every matching word once per row. The rowid
 * range keeps the pass short (the page's rows are among the newest
 * matches); the unary + keeps SQLite from turning the IN list into one
 * cursor per row. */
static const char *snippet_sql[] = {
  "SELECT f.rowid, snippet(documents_fts, -1, char(57344), char(57345), '…', 16)"
  " FROM documents_fts AS f WHERE documents_fts MATCH :query"
  " AND f.rowid BETWEEN :low AND :high AND +f.rowid IN (SELECT value FROM json_each(:ids))",
  "SELECT f.rowid, snippet(document_items_fts, -1, char(57344), char(57345), '…', 16)"
  " FROM document_items_fts AS f WHERE document_items_fts MATCH :query"
  " AND f.rowid BETWEEN :low AND :high AND +f.rowid IN (SELECT value FROM json_each(:ids))",
};

static void
bind_int64 (sqlite3_stmt *stmt,
            const char   *name,
            gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_text (sqlite3_stmt *stmt,
           const char   *name,
           const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static gboolean
add_snippets (const Params *p,
              const char   *query,
              GPtrArray    *results,
              gboolean      from_items,
              GError      **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                       g_free, NULL);
  g_autoptr(GString) ids = g_string_new ("[");
  gint64 low = G_MAXINT64;
  gint64 high = 0;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < results->len; i++)
    {
      PqsSearchResult *result = g_ptr_array_index (results, i);
      gint64 item_id = pqs_search_result_get_item_id (result);
      gint64 *id;

      if ((item_id > 0) != from_items)
        continue;

      id = g_new (gint64, 1);
      *id = from_items ? item_id : pqs_search_result_get_document_id (result);
      low = MIN (low, *id);
      high = MAX (high, *id);
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 1 ? "," : "", *id);
      g_hash_table_insert (by_id, id, result);
    }
  if (g_hash_table_size (by_id) == 0)
    return TRUE;
  g_string_append_c (ids, ']');

  stmt = pqs_store_prepare (p->conn, snippet_sql[from_items ? 1 : 0], error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":query", query);
  bind_int64 (stmt, ":low", low);
  bind_int64 (stmt, ":high", high);
  bind_text (stmt, ":ids", ids->str);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      PqsSearchResult *result = g_hash_table_lookup (by_id, &id);

      if (result != NULL)
        pqs_search_result_take_snippet (result,
                                        g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (p->conn), rc,
                                            _("Cannot search the documents"));
  return TRUE;
}

static GPtrArray *
run_query (const Params  *p,
           const char    *query,
           guint          offset,
           guint          limit,
           gboolean      *out_truncated,
           GError       **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *sql = NULL;
  gboolean truncated = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  *out_truncated = FALSE;
  if (query == NULL || limit == 0 || p->access == ACCESS_NONE)
    return g_steal_pointer (&results);

  sql = build_rank_sql (p, p->access);
  stmt = pqs_store_prepare (p->conn, sql, error);
  if (stmt == NULL)
    return NULL;

  bind_text (stmt, ":query", query);
  bind_int64 (stmt, ":window", p->candidates > 0 ? (gint64) p->candidates + 1 : -1);
  bind_int64 (stmt, ":candidates", p->candidates > 0 ? (gint64) p->candidates : G_MAXINT64);
  bind_int64 (stmt, ":limit", limit);
  bind_int64 (stmt, ":offset", offset);
  bind_int64 (stmt, ":standard", p->standard_id);
  bind_int64 (stmt, ":series", p->series);
  bind_text (stmt, ":status", p->status);
  bind_int64 (stmt, ":viewer", p->viewer_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (results, pqs_search_result_new_from_stmt (stmt));
      truncated = sqlite3_column_int (stmt, 9) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (p->conn), rc,
                                       _("Cannot search the documents"));
      return NULL;
    }

  if (!add_snippets (p, query, results, FALSE, error) ||
      !add_snippets (p, query, results, TRUE, error))
    return NULL;

  *out_truncated = truncated;
  return g_steal_pointer (&results);
}

static void
params_init (Params    *p,
             PqsSearch *self,
             PqsStore  *conn)
{
  p->conn = conn;
  p->access = viewer_access (self->viewer);
  p->standard_id = self->standard_id;
  p->series = self->series;
  p->status = g_strdup (self->status);
  p->viewer_id = self->viewer != NULL ? pqs_user_get_id (self->viewer) : 0;
  p->candidates = self->candidates;
}

static void
params_clear (Params *p)
{
  g_clear_pointer (&p->status, g_free);
}

/**
 * pqs_search_run:
 * @self: a #PqsSearch
 * @text: (nullable): what the person typed; any text is safe
 * @offset: how many of the best results to skip
 * @limit: how many results to return at most
 * @out_truncated: (out) (optional): set to whether more rows matched than
 *   were ranked (see #PqsSearch:candidates)
 * @error: return location for a #GError
 *
 * Searches once, synchronously on the store's own connection, with the
 * search's filters and #PqsSearch:prefix, outside the list model (the
 * command line, paging further than #PqsSearch:limit, tests).
 *
 * Returns: (transfer full) (element-type PqsSearchResult): the results, best
 *   first (empty when @text holds no word), or %NULL on a database error
 */
GPtrArray *
pqs_search_run (PqsSearch   *self,
                const char  *text,
                guint        offset,
                guint        limit,
                gboolean    *out_truncated,
                GError     **error)
{
  g_autofree char *query = NULL;
  gboolean truncated = FALSE;
  GPtrArray *results;
  Params p;

  g_return_val_if_fail (PQS_IS_SEARCH (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_truncated != NULL)
    *out_truncated = FALSE;

  query = pqs_search_build_query (text, -1, self->prefix);
  params_init (&p, self, self->store);
  results = run_query (&p, query, offset, limit, &truncated, error);
  params_clear (&p);

  if (results != NULL && out_truncated != NULL)
    *out_truncated = truncated;
  return results;
}

/* The list model ---------------------------------------------------------------- */

/* One query of the model, from the main thread to the pool's and back. */
typedef struct
{
  GWeakRef      search;
  GMainContext *context;
  GCancellable *cancellable;
  char         *query;
  guint         limit;
  Params        params;
  GPtrArray    *results;
  gboolean      truncated;
  GError       *error;
} Job;

static void
job_free (Job *job)
{
  g_weak_ref_clear (&job->search);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->query, g_free);
  params_clear (&job->params);
  g_clear_pointer (&job->results, g_ptr_array_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void
set_busy (PqsSearch *self,
          gboolean   busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
replace_items (PqsSearch *self,
               GPtrArray *fresh,
               gboolean   truncated)
{
  guint old_n_items = self->items->len;
  gboolean old_truncated = self->truncated;

  g_ptr_array_unref (self->items);
  self->items = fresh;
  self->truncated = truncated;

  if (old_n_items > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->items->len);
  if (old_n_items != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (old_truncated != self->truncated)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRUNCATED]);
}

/* In the main context: only the newest query's results count. */
static gboolean
deliver_cb (gpointer data)
{
  Job *job = data;
  g_autoptr(PqsSearch) self = g_weak_ref_get (&job->search);

  /* A newer query (or dispose) cancelled this one's cancellable. */
  if (self == NULL || self->pool == NULL || g_cancellable_is_cancelled (job->cancellable))
    return G_SOURCE_REMOVE;

  if (job->error != NULL)
    {
      g_warning ("%s", job->error->message);
      replace_items (self, g_ptr_array_new_with_free_func (g_object_unref), FALSE);
    }
  else
    replace_items (self, g_steal_pointer (&job->results), job->truncated);

  set_busy (self, FALSE);
  return G_SOURCE_REMOVE;
}

static int
progress_cb (void *data)
{
  /* Non-zero interrupts the statement: a newer query or dispose. */
  return g_cancellable_is_cancelled (data);
}

/* In the pool's thread. */
static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  PqsSearch *self = user_data;
  g_autoptr(PqsStore) reader = NULL;
  GSource *source;

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      job_free (job);
      return;
    }

  /* self and its store outlive this: dispose waits for the pool. The
   * reader lives for one query only: an open connection would keep the
   * database busy for a restore or a migration between searches. */
  reader = pqs_store_open_reader (self->store, &job->error);
  if (reader != NULL)
    {
      sqlite3 *db = pqs_store_get_handle (reader);

      job->params.conn = reader;
      sqlite3_progress_handler (db, 1000, progress_cb, job->cancellable);
      job->results = run_query (&job->params, job->query, 0, job->limit, &job->truncated,
                                &job->error);
      sqlite3_progress_handler (db, 0, NULL, NULL);
      job->params.conn = NULL;
      g_clear_object (&reader);
    }

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      job_free (job);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, job, (GDestroyNotify) job_free);
  g_source_set_static_name (source, "[pqs-search] deliver");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static void
cancel_current (PqsSearch *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* Starts the query for the current text and filters in the background,
 * superseding any query still running. No words: no results, at once. */
static void
refresh (PqsSearch *self)
{
  g_autofree char *query = NULL;
  Job *job;

  if (self->pool == NULL)
    return;

  cancel_current (self);

  query = pqs_search_build_query (self->text, -1, self->prefix);
  if (query == NULL || viewer_access (self->viewer) == ACCESS_NONE)
    {
      replace_items (self, g_ptr_array_new_with_free_func (g_object_unref), FALSE);
      set_busy (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();

  job = g_new0 (Job, 1);
  g_weak_ref_init (&job->search, self);
  job->context = g_main_context_ref (self->context);
  job->cancellable = g_object_ref (self->cancellable);
  job->query = g_steal_pointer (&query);
  job->limit = self->limit;
  params_init (&job->params, self, NULL);

  g_thread_pool_push (self->pool, job, NULL);
  set_busy (self, TRUE);
}

static void
store_changed_cb (PqsStore   *store,
                  const char *table,
                  GArray     *rowids,
                  PqsSearch  *self)
{
  if (self->text != NULL)
    refresh (self);
}

static GType
pqs_search_get_item_type (GListModel *model)
{
  return PQS_TYPE_SEARCH_RESULT;
}

static guint
pqs_search_get_n_items (GListModel *model)
{
  return PQS_SEARCH (model)->items->len;
}

static gpointer
pqs_search_get_item (GListModel *model,
                     guint       position)
{
  PqsSearch *self = PQS_SEARCH (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pqs_search_get_item_type;
  iface->get_n_items = pqs_search_get_n_items;
  iface->get_item = pqs_search_get_item;
}

/* GObject ---------------------------------------------------------------------- */

static void
pqs_search_constructed (GObject *object)
{
  PqsSearch *self = (PqsSearch *) object;
  static const char *tables[] = {
    "changed::documents", "changed::document_items", "changed::standards",
    "changed::document_collaborators",
  };

  G_OBJECT_CLASS (pqs_search_parent_class)->constructed (object);

  g_assert (PQS_IS_STORE (self->store));

  self->context = g_main_context_ref_thread_default ();
  /* One thread: queries run one after another. */
  self->pool = g_thread_pool_new_full (run_job, self, (GDestroyNotify) job_free, 1, FALSE,
                                       NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_signal_connect_object (self->store, tables[i], G_CALLBACK (store_changed_cb), self, 0);
}

static void
pqs_search_dispose (GObject *object)
{
  PqsSearch *self = (PqsSearch *) object;

  /* Interrupt the running query and wait for the thread, so that it never
   * outlives the search or its store. */
  cancel_current (self);
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), TRUE, TRUE);
  set_busy (self, FALSE);

  g_clear_object (&self->store);
  g_clear_object (&self->viewer);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (pqs_search_parent_class)->dispose (object);
}

static void
pqs_search_finalize (GObject *object)
{
  PqsSearch *self = (PqsSearch *) object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (pqs_search_parent_class)->finalize (object);
}

static void
pqs_search_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PqsSearch *self = PQS_SEARCH (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_STANDARD_ID:
      g_value_set_int64 (value, self->standard_id);
      break;
    case PROP_SERIES:
      g_value_set_uint (value, self->series);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_VIEWER:
      g_value_set_object (value, self->viewer);
      break;
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_CANDIDATES:
      g_value_set_uint (value, self->candidates);
      break;
    case PROP_PREFIX:
      g_value_set_boolean (value, self->prefix);
      break;
    case PROP_TRUNCATED:
      g_value_set_boolean (value, self->truncated);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, PQS_TYPE_SEARCH_RESULT);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_search_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PqsSearch *self = PQS_SEARCH (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TEXT:
      pqs_search_set_text (self, g_value_get_string (value));
      break;
    case PROP_STANDARD_ID:
      pqs_search_set_standard_id (self, g_value_get_int64 (value));
      break;
    case PROP_SERIES:
      pqs_search_set_series (self, g_value_get_uint (value));
      break;
    case PROP_STATUS:
      pqs_search_set_status (self, g_value_get_string (value));
      break;
    case PROP_VIEWER:
      pqs_search_set_viewer (self, g_value_get_object (value));
      break;
    case PROP_LIMIT:
      pqs_search_set_limit (self, g_value_get_uint (value));
      break;
    case PROP_CANDIDATES:
      pqs_search_set_candidates (self, g_value_get_uint (value));
      break;
    case PROP_PREFIX:
      pqs_search_set_prefix (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_search_class_init (PqsSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = pqs_search_constructed;
  object_class->dispose = pqs_search_dispose;
  object_class->finalize = pqs_search_finalize;
  object_class->get_property = pqs_search_get_property;
  object_class->set_property = pqs_search_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* What the person typed; NULL or no word: no results. */
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  properties[PROP_STANDARD_ID] =
    g_param_spec_int64 ("standard-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SERIES] = g_param_spec_uint ("series", NULL, NULL, 0, 300, 0, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  /* Only what this user may read; NULL: everything (the operator). */
  properties[PROP_VIEWER] = g_param_spec_object ("viewer", NULL, NULL, PQS_TYPE_USER, flags);
  /* How many results the model holds. */
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, 10000, PQS_SEARCH_DEFAULT_LIMIT, flags);
  /* How many of the newest matching rows of each index are ranked; 0: all. */
  properties[PROP_CANDIDATES] =
    g_param_spec_uint ("candidates", NULL, NULL, 0, G_MAXINT, PQS_SEARCH_DEFAULT_CANDIDATES,
                       flags);
  /* The word being typed (the text does not end with a space) matches as a
   * prefix: search as you type. */
  properties[PROP_PREFIX] = g_param_spec_boolean ("prefix", NULL, NULL, TRUE, flags);
  /* More rows matched than were ranked: the person may want to add a word. */
  properties[PROP_TRUNCATED] =
    g_param_spec_boolean ("truncated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /* A query is running in the background; the results shown are the
   * previous query's until it ends. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_search_init (PqsSearch *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->limit = PQS_SEARCH_DEFAULT_LIMIT;
  self->candidates = PQS_SEARCH_DEFAULT_CANDIDATES;
  self->prefix = TRUE;
}

/* Public ----------------------------------------------------------------------- */

/**
 * pqs_search_new:
 * @store: a migrated #PqsStore
 *
 * Returns: (transfer full): a search with no text yet, kept current
 */
PqsSearch *
pqs_search_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_SEARCH, "store", store, NULL);
}

/**
 * pqs_search_get_store:
 * @self: a #PqsSearch
 *
 * Returns: (transfer none): the store
 */
PqsStore *
pqs_search_get_store (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), NULL);

  return self->store;
}

static void
changed (PqsSearch *self,
         guint      prop)
{
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

const char *
pqs_search_get_text (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), NULL);

  return self->text;
}

/**
 * pqs_search_set_text:
 * @self: a #PqsSearch
 * @text: (nullable): what the person typed
 *
 * Searches for @text and replaces the results. Any text is safe: see
 * pqs_search_build_query().
 */
void
pqs_search_set_text (PqsSearch  *self,
                     const char *text)
{
  g_return_if_fail (PQS_IS_SEARCH (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  changed (self, PROP_TEXT);
}

gint64
pqs_search_get_standard_id (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), 0);

  return self->standard_id;
}

/**
 * pqs_search_set_standard_id:
 * @self: a #PqsSearch
 * @standard_id: search only this standard's documents, or 0 for all
 */
void
pqs_search_set_standard_id (PqsSearch *self,
                            gint64     standard_id)
{
  g_return_if_fail (PQS_IS_SEARCH (self));

  standard_id = MAX (standard_id, 0);
  if (self->standard_id == standard_id)
    return;

  self->standard_id = standard_id;
  changed (self, PROP_STANDARD_ID);
}

guint
pqs_search_get_series (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), 0);

  return self->series;
}

/**
 * pqs_search_set_series:
 * @self: a #PqsSearch
 * @series: 100, 200 or 300, or 0 for every series
 */
void
pqs_search_set_series (PqsSearch *self,
                       guint      series)
{
  g_return_if_fail (PQS_IS_SEARCH (self));
  g_return_if_fail (series == 0 || series == 100 || series == 200 || series == 300);

  if (self->series == series)
    return;

  self->series = series;
  changed (self, PROP_SERIES);
}

const char *
pqs_search_get_status (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), NULL);

  return self->status;
}

/**
 * pqs_search_set_status:
 * @self: a #PqsSearch
 * @status: (nullable): "draft", "in_review", "approved" or "archived", or
 *   %NULL for every status
 */
void
pqs_search_set_status (PqsSearch  *self,
                       const char *status)
{
  g_return_if_fail (PQS_IS_SEARCH (self));
  g_return_if_fail (status == NULL || pqs_document_status_from_string (status, NULL));

  if (g_strcmp0 (self->status, status) == 0)
    return;

  g_free (self->status);
  self->status = g_strdup (status);
  changed (self, PROP_STATUS);
}

/**
 * pqs_search_get_viewer:
 * @self: a #PqsSearch
 *
 * Returns: (transfer none) (nullable): whose read permission applies
 */
PqsUser *
pqs_search_get_viewer (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), NULL);

  return self->viewer;
}

/**
 * pqs_search_set_viewer:
 * @self: a #PqsSearch
 * @viewer: (nullable): the signed-in user, or %NULL for the operator
 *
 * Finds only what @viewer may read, as #PqsDocumentList:viewer lists it:
 * no snippet of a draft reaches someone who may not open it.
 */
void
pqs_search_set_viewer (PqsSearch *self,
                       PqsUser   *viewer)
{
  g_return_if_fail (PQS_IS_SEARCH (self));
  g_return_if_fail (viewer == NULL || PQS_IS_USER (viewer));

  if (!g_set_object (&self->viewer, viewer))
    return;

  changed (self, PROP_VIEWER);
}

guint
pqs_search_get_limit (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), 0);

  return self->limit;
}

/**
 * pqs_search_set_limit:
 * @self: a #PqsSearch
 * @limit: how many results the model holds (at least 1)
 */
void
pqs_search_set_limit (PqsSearch *self,
                      guint      limit)
{
  g_return_if_fail (PQS_IS_SEARCH (self));
  g_return_if_fail (limit > 0);

  if (self->limit == limit)
    return;

  self->limit = limit;
  changed (self, PROP_LIMIT);
}

guint
pqs_search_get_candidates (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), 0);

  return self->candidates;
}

/**
 * pqs_search_set_candidates:
 * @self: a #PqsSearch
 * @candidates: how many of the newest matching rows of each index to rank,
 *   or 0 to rank every match (exact, and slow for common words)
 */
void
pqs_search_set_candidates (PqsSearch *self,
                           guint      candidates)
{
  g_return_if_fail (PQS_IS_SEARCH (self));
  g_return_if_fail (candidates <= G_MAXINT);

  if (self->candidates == candidates)
    return;

  self->candidates = candidates;
  changed (self, PROP_CANDIDATES);
}

gboolean
pqs_search_get_prefix (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), FALSE);

  return self->prefix;
}

/**
 * pqs_search_set_prefix:
 * @self: a #PqsSearch
 * @prefix: whether the last word matches as a prefix when the text ends
 *   inside it (the default, for search as you type)
 */
void
pqs_search_set_prefix (PqsSearch *self,
                       gboolean   prefix)
{
  g_return_if_fail (PQS_IS_SEARCH (self));

  prefix = !!prefix;
  if (self->prefix == prefix)
    return;

  self->prefix = prefix;
  changed (self, PROP_PREFIX);
}

/**
 * pqs_search_get_busy:
 * @self: a #PqsSearch
 *
 * The model searches in a thread: setting the text or a filter, or a change
 * to the documents, starts a query, and its results replace the model's
 * items (with #GListModel::items-changed, in the main context the search was
 * made in) when it ends. A newer query supersedes an older one, whose
 * results never arrive.
 *
 * Returns: whether a query is running, its results not yet in the model
 */
gboolean
pqs_search_get_busy (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), FALSE);

  return self->busy;
}

/**
 * pqs_search_get_truncated:
 * @self: a #PqsSearch
 *
 * Returns: whether more rows matched the text than were ranked, so that
 *   better matches may exist among older documents
 */
gboolean
pqs_search_get_truncated (PqsSearch *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH (self), FALSE);

  return self->truncated;
}
