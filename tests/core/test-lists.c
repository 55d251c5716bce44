/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-demo-seeder.h"
#include "pqs-document-list.h"
#include "pqs-document-summary.h"
#include "pqs-standard-list.h"
#include "pqs-test-util.h"
#include "pqs-user-list.h"
#include "pqs-user.h"

/* The paged list models: every filter and order of PqsDocumentList against
 * a plain SQL query on a few thousand demo documents, read forwards,
 * backwards and by jumps; the query plans of the usual orders; the bounded
 * page cache; items-changed on inserts, updates and deletes; and the
 * standard list with its per-status counts. */

#define N_DOCUMENTS    3000
#define REFERENCE_TIME G_GINT64_CONSTANT (1700000000)
#define PASSWORD       "correct horse battery staple"

static char *template_dir;
static char *template_path;

/* One seeded database for the whole run; each test works on a copy. */
static const char *
ensure_template (void)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  g_autoptr(GError) error = NULL;

  if (template_path != NULL)
    return template_path;

  template_dir = pqs_test_tmpdir_new ();
  template_path = g_build_filename (template_dir, "template.db", NULL);
  store = pqs_test_open_migrated_store (template_path);
  seeder = pqs_demo_seeder_new (store);
  pqs_demo_seeder_set_documents (seeder, N_DOCUMENTS);
  pqs_demo_seeder_set_reference_time (seeder, REFERENCE_TIME);
  pqs_demo_seeder_set_password (seeder, PASSWORD);
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  /* Demo accounts must choose a password first, and until then may do
   * nothing (pqs_auth_allows()): these have done so. */
  pqs_store_exec (store, "UPDATE users SET password_reset_required = 0", &error);
  g_assert_no_error (error);

  return template_path;
}

typedef struct
{
  char        *dir;
  char        *path;
  PqsStore    *store;
  sqlite3     *db;
  PqsUserList *users;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->path = g_build_filename (fixture->dir, "pqs.db", NULL);
  pqs_test_copy_file (ensure_template (), fixture->path);
  fixture->store = pqs_test_open_migrated_store (fixture->path);
  fixture->db = pqs_store_get_handle (fixture->store);
  fixture->users = pqs_user_list_new (fixture->store);
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

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  return pqs_test_query_int (fixture->db, sql);
}

static void
exec (Fixture    *fixture,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  /* Through the store, so that it announces the change. */
  pqs_store_exec (fixture->store, sql, &error);
  g_assert_no_error (error);
}

static GArray *
query_ids (Fixture    *fixture,
           const char *sql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return ids;
}

static PqsUser *
user_with_role (Fixture    *fixture,
                const char *role)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce((SELECT u.id FROM users AS u "
                                          "WHERE u.role = '%s' AND EXISTS (SELECT 1 FROM "
                                          "documents WHERE created_by = u.id) "
                                          "ORDER BY u.id LIMIT 1), 0)", role);
  gint64 id = query_int (fixture, sql);
  PqsUser *user;

  if (id == 0)
    {
      g_free (sql);
      sql = g_strdup_printf ("SELECT id FROM users WHERE role = '%s' ORDER BY id LIMIT 1", role);
      id = query_int (fixture, sql);
    }
  g_assert_cmpint (id, >, 0);
  user = pqs_user_list_find (fixture->users, id);
  g_assert_nonnull (user);
  return user;
}

static gint64
document_id_at (GListModel *model,
                guint       position)
{
  g_autoptr(PqsDocumentSummary) summary = g_list_model_get_item (model, position);

  g_assert_nonnull (summary);
  return pqs_document_summary_get_id (summary);
}

/* Reads @list forwards, backwards from the end, and by jumps, each time from
 * an empty cache, and compares every position with @expected. */
static void
assert_list_matches (PqsDocumentList *list,
                     GArray          *expected)
{
  GListModel *model = G_LIST_MODEL (list);
  guint n = expected->len;
  guint position;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_null (g_list_model_get_item (model, n));

  for (guint i = 0; i < n; i++)
    g_assert_cmpint (document_id_at (model, i), ==, g_array_index (expected, gint64, i));
  g_assert_cmpuint (pqs_document_list_get_n_cached_pages (list), <=,
                    PQS_DOCUMENT_LIST_MAX_PAGES);

  pqs_document_list_reload (list);
  g_assert_cmpuint (pqs_document_list_get_n_cached_pages (list), ==, 0);
  for (guint i = n; i > 0; i--)
    g_assert_cmpint (document_id_at (model, i - 1), ==, g_array_index (expected, gint64, i - 1));

  /* Jumps: every page far from the cached ones is found by counting. */
  pqs_document_list_reload (list);
  position = 7;
  for (guint i = 0; n > 0 && i < 40; i++)
    {
      position = (position * 7919 + 104729) % n;
      g_assert_cmpint (document_id_at (model, position), ==,
                       g_array_index (expected, gint64, position));
      if (position + 1 < n)
        g_assert_cmpint (document_id_at (model, position + 1), ==,
                         g_array_index (expected, gint64, position + 1));
      if (position > 0)
        g_assert_cmpint (document_id_at (model, position - 1), ==,
                         g_array_index (expected, gint64, position - 1));
    }
}

static const char *
reference_order (PqsDocumentSort sort)
{
  switch (sort)
    {
    case PQS_DOCUMENT_SORT_UPDATED:
      return "ORDER BY updated_at DESC, id DESC";
    case PQS_DOCUMENT_SORT_TITLE:
      return "ORDER BY title COLLATE NOCASE, id";
    case PQS_DOCUMENT_SORT_NUMBER:
    default:
      return "ORDER BY standard_id, document_number";
    }
}

typedef struct
{
  const char *name;
  gint64      standard_id;   /* -1: the standard of the middle document */
  guint       series;
  const char *status;
  const char *author_role;   /* the first such user with documents */
  const char *reviewer_role;
  const char *viewer_role;
} Filter;

static const Filter filters[] = {
  { "none", 0, 0, NULL, NULL, NULL, NULL },
  { "standard", -1, 0, NULL, NULL, NULL, NULL },
  { "series", 0, 200, NULL, NULL, NULL, NULL },
  { "draft", 0, 0, "draft", NULL, NULL, NULL },
  { "in_review", 0, 0, "in_review", NULL, NULL, NULL },
  { "approved", 0, 0, "approved", NULL, NULL, NULL },
  { "archived", 0, 0, "archived", NULL, NULL, NULL },
  { "author", 0, 0, NULL, "user", NULL, NULL },
  { "waiting for a supervisor", 0, 0, NULL, NULL, "supervisor", NULL },
  { "waiting for an admin", 0, 0, NULL, NULL, "admin", NULL },
  { "waiting for a user (nothing)", 0, 0, NULL, NULL, "user", NULL },
  { "viewer user", 0, 0, NULL, NULL, NULL, "user" },
  { "viewer visitor", 0, 0, NULL, NULL, NULL, "visitor" },
  { "viewer supervisor", 0, 0, NULL, NULL, NULL, "supervisor" },
  { "standard and series", -1, 300, NULL, NULL, NULL, NULL },
  { "standard and status", -1, 0, "approved", NULL, NULL, NULL },
  { "series and status", 0, 100, "draft", NULL, NULL, NULL },
  { "author and status", 0, 0, "approved", "user", NULL, NULL },
  { "viewer user and draft", 0, 0, "draft", NULL, NULL, "user" },
  { "viewer user and standard", -1, 0, NULL, NULL, NULL, "user" },
};

static void
test_documents_paging (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 middle_standard = query_int (fixture, "SELECT standard_id FROM documents "
                                               "ORDER BY id LIMIT 1 OFFSET 1500");

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    for (PqsDocumentSort sort = PQS_DOCUMENT_SORT_NUMBER; sort <= PQS_DOCUMENT_SORT_TITLE; sort++)
      {
        const Filter *filter = &filters[f];
        g_autoptr(PqsDocumentList) list = pqs_document_list_new (fixture->store);
        g_autoptr(GString) sql = g_string_new ("SELECT id FROM documents WHERE 1");
        g_autoptr(GArray) expected = NULL;

        g_test_message ("filter %s, sort %d", filter->name, sort);
        pqs_document_list_set_sort (list, sort);

        if (filter->standard_id != 0)
          {
            pqs_document_list_set_standard_id (list, middle_standard);
            g_string_append_printf (sql, " AND standard_id = %" G_GINT64_FORMAT, middle_standard);
          }
        if (filter->series != 0)
          {
            pqs_document_list_set_series (list, filter->series);
            g_string_append_printf (sql, " AND section = %u", filter->series);
          }
        if (filter->status != NULL)
          {
            pqs_document_list_set_status (list, filter->status);
            g_string_append_printf (sql, " AND status = '%s'", filter->status);
          }
        if (filter->author_role != NULL)
          {
            PqsUser *author = user_with_role (fixture, filter->author_role);

            pqs_document_list_set_author_id (list, pqs_user_get_id (author));
            g_string_append_printf (sql, " AND created_by = %" G_GINT64_FORMAT,
                                    pqs_user_get_id (author));
          }
        if (filter->reviewer_role != NULL)
          {
            PqsUser *reviewer = user_with_role (fixture, filter->reviewer_role);
            gint64 id = pqs_user_get_id (reviewer);

            pqs_document_list_set_reviewer (list, reviewer);
            if (pqs_user_get_role (reviewer) >= PQS_ROLE_SUPERVISOR)
              g_string_append_printf (sql,
                                      " AND status = 'in_review'"
                                      " AND created_by <> %" G_GINT64_FORMAT
                                      " AND id NOT IN (SELECT document_id"
                                      " FROM document_collaborators"
                                      " WHERE user_id = %" G_GINT64_FORMAT " AND is_active = 1"
                                      " AND role IN ('owner', 'editor'))", id, id);
            else
              g_string_append (sql, " AND 0");
          }
        if (filter->viewer_role != NULL)
          {
            PqsUser *viewer = user_with_role (fixture, filter->viewer_role);
            gint64 id = pqs_user_get_id (viewer);

            pqs_document_list_set_viewer (list, viewer);
            if (pqs_user_get_role (viewer) < PQS_ROLE_SUPERVISOR)
              g_string_append_printf (sql,
                                      " AND (status IN ('approved', 'archived')"
                                      " OR created_by = %" G_GINT64_FORMAT
                                      " OR id IN (SELECT document_id FROM document_collaborators"
                                      " WHERE user_id = %" G_GINT64_FORMAT " AND is_active = 1))",
                                      id, id);
          }

        g_string_append_printf (sql, " %s", reference_order (sort));
        expected = query_ids (fixture, sql->str);
        /* The filters must leave something to page through, mostly. */
        if (filter->reviewer_role == NULL || g_str_equal (filter->reviewer_role, "supervisor"))
          g_assert_cmpuint (expected->len, >, 0);

        assert_list_matches (list, expected);
      }
}

/* Query plans --------------------------------------------------------------- */

static int
trace_cb (unsigned  type,
          void     *context,
          void     *p,
          void     *x)
{
  GPtrArray *statements = context;
  const char *sql = x;

  if (type == SQLITE_TRACE_STMT && strstr (sql, "FROM documents AS d") != NULL &&
      strstr (sql, "ORDER BY") != NULL && strncmp (sql, "--", 2) != 0)
    g_ptr_array_add (statements, g_strdup (sql));
  return 0;
}

static char *
query_plan (sqlite3    *db,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);

  return g_string_free (plan, FALSE);
}

static void
assert_plans (Fixture         *fixture,
              PqsDocumentSort  sort,
              const char      *status,
              gint64           author_id,
              PqsUser         *reviewer,
              gint64           standard_id)
{
  g_autoptr(PqsDocumentList) list = pqs_document_list_new (fixture->store);
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (g_free);
  GListModel *model = G_LIST_MODEL (list);
  guint n;

  pqs_document_list_set_sort (list, sort);
  pqs_document_list_set_status (list, status);
  pqs_document_list_set_author_id (list, author_id);
  pqs_document_list_set_reviewer (list, reviewer);
  pqs_document_list_set_standard_id (list, standard_id);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);

  /* The first page, the next one (by key), a jump (by count) and the page
   * before it (by key, backwards). */
  sqlite3_trace_v2 (fixture->db, SQLITE_TRACE_STMT, trace_cb, statements);
  g_object_unref (g_list_model_get_item (model, 0));
  if (n > PQS_DOCUMENT_LIST_PAGE_SIZE)
    g_object_unref (g_list_model_get_item (model, PQS_DOCUMENT_LIST_PAGE_SIZE));
  if (n > 4 * PQS_DOCUMENT_LIST_PAGE_SIZE)
    {
      g_object_unref (g_list_model_get_item (model, n - 1));
      g_object_unref (g_list_model_get_item (model, n - 1 - PQS_DOCUMENT_LIST_PAGE_SIZE));
    }
  sqlite3_trace_v2 (fixture->db, 0, NULL, NULL);

  g_assert_cmpuint (statements->len, >, 0);
  for (guint i = 0; i < statements->len; i++)
    {
      g_autofree char *plan = query_plan (fixture->db, g_ptr_array_index (statements, i));
      gboolean ok = strstr (plan, "TEMP B-TREE") == NULL &&
                    (strstr (plan, "SEARCH d USING") != NULL ||
                     strstr (plan, "SCAN d USING") != NULL) &&
                    strstr (plan, "INDEX") != NULL;

      if (!ok)
        g_test_message ("%s\n%s", (char *) g_ptr_array_index (statements, i), plan);
      g_assert_true (ok);
    }
}

static void
check_plans (Fixture *fixture)
{
  gint64 standard = query_int (fixture, "SELECT standard_id FROM documents LIMIT 1");
  gint64 author = pqs_user_get_id (user_with_role (fixture, "user"));
  PqsUser *supervisor = user_with_role (fixture, "supervisor");

  /* A standard in book order: what the library view shows. */
  assert_plans (fixture, PQS_DOCUMENT_SORT_NUMBER, NULL, 0, NULL, standard);
  assert_plans (fixture, PQS_DOCUMENT_SORT_NUMBER, "draft", 0, NULL, standard);
  assert_plans (fixture, PQS_DOCUMENT_SORT_NUMBER, NULL, 0, NULL, 0);
  assert_plans (fixture, PQS_DOCUMENT_SORT_NUMBER, "approved", 0, NULL, 0);
  assert_plans (fixture, PQS_DOCUMENT_SORT_NUMBER, NULL, author, NULL, 0);
  /* Recently changed, everyone's, one status, one author, the review queue. */
  assert_plans (fixture, PQS_DOCUMENT_SORT_UPDATED, NULL, 0, NULL, 0);
  assert_plans (fixture, PQS_DOCUMENT_SORT_UPDATED, "in_review", 0, NULL, 0);
  assert_plans (fixture, PQS_DOCUMENT_SORT_UPDATED, NULL, author, NULL, 0);
  assert_plans (fixture, PQS_DOCUMENT_SORT_UPDATED, NULL, 0, supervisor, 0);
  /* By title. */
  assert_plans (fixture, PQS_DOCUMENT_SORT_TITLE, NULL, 0, NULL, 0);
  assert_plans (fixture, PQS_DOCUMENT_SORT_TITLE, "approved", 0, NULL, 0);
}

static void
test_documents_plans (Fixture       *fixture,
                      gconstpointer  data)
{
  /* A new database has no statistics; one that was optimized has them. */
  check_plans (fixture);
  exec (fixture, "ANALYZE");
  check_plans (fixture);
}

/* Keeping current ----------------------------------------------------------- */

typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *changed)
{
  changed->calls++;
  changed->position = position;
  changed->removed = removed;
  changed->added = added;
}

static void
expect_change (ItemsChanged *changed,
               guint         position,
               guint         removed,
               guint         added)
{
  g_assert_cmpuint (changed->calls, ==, 1);
  g_assert_cmpuint (changed->position, ==, position);
  g_assert_cmpuint (changed->removed, ==, removed);
  g_assert_cmpuint (changed->added, ==, added);
  memset (changed, 0, sizeof *changed);
}

/* The lists announce only what differs among the rows a view holds (see
 * PqsPager; test-pager checks the spans): at most one announcement, which
 * changes the length by @delta, and none when nothing held changed. */
static void
expect_delta (ItemsChanged *changed,
              gint          delta)
{
  g_assert_cmpuint (changed->calls, <=, 1);
  if (changed->calls == 0)
    g_assert_cmpint (delta, ==, 0);
  else
    g_assert_cmpint ((gint) changed->added - (gint) changed->removed, ==, delta);
  memset (changed, 0, sizeof *changed);
}

static guint
position_of (GListModel *model,
             gint64      id)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    if (document_id_at (model, i) == id)
      return i;
  g_assert_not_reached ();
}

static void
test_documents_changes (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(PqsDocumentList) list = pqs_document_list_new (fixture->store);
  g_autoptr(PqsDocumentList) drafts = pqs_document_list_new (fixture->store);
  g_autoptr(PqsDocumentSummary) summary = NULL;
  GListModel *model = G_LIST_MODEL (list);
  ItemsChanged changed = { 0, };
  ItemsChanged drafts_changed = { 0, };
  guint n = g_list_model_get_n_items (model);
  guint n_drafts;
  gint64 standard;
  gint64 id;

  g_assert_cmpuint (n, ==, N_DOCUMENTS);
  pqs_document_list_set_sort (list, PQS_DOCUMENT_SORT_UPDATED);
  pqs_document_list_set_status (drafts, "draft");
  n_drafts = g_list_model_get_n_items (G_LIST_MODEL (drafts));
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changed);
  g_signal_connect (drafts, "items-changed", G_CALLBACK (items_changed_cb), &drafts_changed);

  /* Reading fills the cache; a change keeps the pages a view shows. */
  for (guint i = 0; i < n; i += 97)
    g_object_unref (g_list_model_get_item (model, i));
  g_assert_cmpuint (pqs_document_list_get_n_cached_pages (list), ==,
                    PQS_DOCUMENT_LIST_MAX_PAGES);

  /* Insert: a new standard (no row the list holds changes) with a new
   * draft, changed last. */
  exec (fixture, "INSERT INTO standards (title) VALUES ('Zulu Test Standard')");
  g_assert_cmpuint (changed.calls, ==, 0);
  g_assert_cmpuint (drafts_changed.calls, ==, 0);
  standard = query_int (fixture, "SELECT max(id) FROM standards");
  exec (fixture, "INSERT INTO documents (standard_id, title, section, document_number, created_by, "
                 "updated_at) SELECT max(id), 'Zulu new draft', 200, 201, 1, "
                 "'2999-01-01T00:00:00.000Z' FROM standards");
  expect_delta (&changed, 1);
  expect_delta (&drafts_changed, 1);
  g_assert_cmpuint (pqs_document_list_get_n_cached_pages (list), <=, 1);
  id = query_int (fixture, "SELECT max(id) FROM documents");
  g_assert_cmpint (document_id_at (model, 0), ==, id);

  /* Update: the same length, the new title; the first page was read last,
   * so just its first row is announced. */
  exec (fixture, "UPDATE documents SET title = 'Zulu renamed', "
                 "updated_at = '2999-01-02T00:00:00.000Z' WHERE title = 'Zulu new draft'");
  expect_change (&changed, 0, 1, 1);
  expect_delta (&drafts_changed, 0);
  summary = g_list_model_get_item (model, 0);
  g_assert_cmpstr (pqs_document_summary_get_title (summary), ==, "Zulu renamed");
  g_clear_object (&summary);

  /* An approval leaves the drafts. */
  exec (fixture, "UPDATE documents SET status = 'approved', approved_by = 2, "
                 "approved_at = '2999-01-02T00:00:00.000Z' WHERE title = 'Zulu renamed'");
  expect_delta (&changed, 0);
  expect_delta (&drafts_changed, -1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (drafts)), ==, n_drafts);

  /* A change elsewhere in the middle of the order moves the row. */
  exec (fixture, "UPDATE documents SET updated_at = '2999-02-01T00:00:00.000Z' "
                 "WHERE id = (SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET 1000)");
  expect_delta (&changed, 0);
  memset (&drafts_changed, 0, sizeof drafts_changed);
  g_assert_cmpint (document_id_at (model, 0), ==,
                   query_int (fixture, "SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET 1000"));
  g_assert_cmpuint (position_of (model, id), ==, 1);

  /* Delete. */
  exec (fixture, "DELETE FROM standards WHERE title = 'Zulu Test Standard'");
  g_assert_cmpuint (changed.calls, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  expect_delta (&changed, -1);
  memset (&drafts_changed, 0, sizeof drafts_changed);
  (void) standard;

  /* Unrelated tables leave the list alone. */
  exec (fixture, "INSERT INTO sign_in_throttle (name_key, failed_attempts, updated_at) "
                 "VALUES ('nobody', 1, '2999-01-01T00:00:00.000Z')");
  g_assert_cmpuint (changed.calls, ==, 0);
  g_assert_cmpuint (drafts_changed.calls, ==, 0);

  /* A rolled back transaction announces nothing. */
  g_assert_true (pqs_store_begin_immediate (fixture->store, NULL));
  pqs_store_exec (fixture->store, "DELETE FROM documents WHERE id = 1", NULL);
  pqs_store_rollback (fixture->store);
  g_assert_cmpuint (changed.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
}

static void
test_documents_viewer_changes (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(PqsDocumentList) list = pqs_document_list_new (fixture->store);
  PqsUser *viewer = user_with_role (fixture, "user");
  g_autofree char *deactivate = NULL;
  g_autofree char *share = NULL;
  g_autofree char *sql = NULL;
  guint n;
  gint64 other_draft;

  pqs_document_list_set_viewer (list, viewer);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, N_DOCUMENTS);

  /* Sharing a draft of someone else's shows it. */
  sql = g_strdup_printf ("SELECT id FROM documents WHERE status = 'draft' AND created_by <> %"
                         G_GINT64_FORMAT " AND id NOT IN (SELECT document_id FROM "
                         "document_collaborators WHERE user_id = %" G_GINT64_FORMAT ") LIMIT 1",
                         pqs_user_get_id (viewer), pqs_user_get_id (viewer));
  other_draft = query_int (fixture, sql);
  g_assert_cmpint (other_draft, >, 0);
  share = g_strdup_printf ("INSERT INTO document_collaborators (document_id, user_id, role) "
                           "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'viewer')",
                           other_draft, pqs_user_get_id (viewer));
  exec (fixture, share);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n + 1);

  /* A deactivated account reads nothing. */
  deactivate = g_strdup_printf ("UPDATE users SET is_active = 0 WHERE id = %" G_GINT64_FORMAT,
                                pqs_user_get_id (viewer));
  exec (fixture, deactivate);
  g_assert_false (pqs_user_get_active (viewer));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  pqs_document_list_set_viewer (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_DOCUMENTS);
}

static void
test_documents_properties (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(PqsDocumentList) list = NULL;
  g_autoptr(PqsDocumentSummary) summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  g_autofree char *author_name = NULL;
  g_autofree char *standard_title = NULL;
  g_autofree char *updated_at = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GDateTime) expected_time = NULL;
  PqsUser *author;
  GDateTime *time = NULL;
  gint64 id;
  guint number = 0;
  guint n_items = 0;
  GType item_type = G_TYPE_INVALID;
  PqsDocumentSort sort;

  list = g_object_new (PQS_TYPE_DOCUMENT_LIST, "store", fixture->store, "sort",
                       PQS_DOCUMENT_SORT_TITLE, "series", 300, NULL);
  g_object_get (list, "n-items", &n_items, "item-type", &item_type, "sort", &sort, NULL);
  g_assert_cmpuint (n_items, ==,
                    query_int (fixture, "SELECT count(*) FROM documents WHERE section = 300"));
  g_assert_true (item_type == PQS_TYPE_DOCUMENT_SUMMARY);
  g_assert_cmpint (sort, ==, PQS_DOCUMENT_SORT_TITLE);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == PQS_TYPE_DOCUMENT_SUMMARY);

  summary = g_list_model_get_item (G_LIST_MODEL (list), 0);
  id = pqs_document_summary_get_id (summary);
  g_object_get (summary, "title", &title, "status", &status, "number", &number,
                "author-name", &author_name, "standard-title", &standard_title,
                "updated-at", &time, NULL);
  g_assert_cmpuint (number, >, 300);
  g_assert_cmpuint (number, <, 400);
  g_assert_cmpuint (pqs_document_summary_get_section (summary), ==, 300);

  author = pqs_user_list_find (fixture->users, pqs_document_summary_get_author_id (summary));
  g_assert_nonnull (author);
  {
    g_autofree char *display = pqs_user_dup_display_name (author);

    g_assert_cmpstr (author_name, ==, display);
  }

  sql = g_strdup_printf ("SELECT updated_at FROM documents WHERE id = %" G_GINT64_FORMAT, id);
  updated_at = pqs_test_query_text (fixture->db, sql);
  expected_time = pqs_store_parse_time (updated_at);
  g_assert_nonnull (time);
  g_assert_true (g_date_time_equal (time, expected_time));
  g_date_time_unref (time);
  g_assert_cmpstr (pqs_document_summary_get_classification (summary), !=, NULL);
  g_assert_cmpuint (pqs_document_summary_get_version (summary), >=, 1);
}

/* The standard list --------------------------------------------------------- */

static void
test_standards (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsStandardList) list = pqs_standard_list_new (fixture->store);
  g_autoptr(GArray) expected = NULL;
  GListModel *model = G_LIST_MODEL (list);
  ItemsChanged changed = { 0, };
  guint n = g_list_model_get_n_items (model);
  static const char * const statuses[] = { "draft", "in_review", "approved", "archived" };

  expected = query_ids (fixture, "SELECT id FROM standards ORDER BY title COLLATE NOCASE, id");
  g_assert_cmpuint (n, ==, expected->len);
  g_assert_cmpuint (n, >, 10);
  g_assert_true (g_list_model_get_item_type (model) == PQS_TYPE_STANDARD_SUMMARY);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PqsStandardSummary) summary = g_list_model_get_item (model, i - 1);
      gint64 id = pqs_standard_summary_get_id (summary);
      guint total = 0;

      g_assert_cmpint (id, ==, g_array_index (expected, gint64, i - 1));
      for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM documents WHERE "
                                                  "standard_id = %" G_GINT64_FORMAT
                                                  " AND status = '%s'", id, statuses[s]);
          guint count = pqs_standard_summary_get_n_with_status (summary, statuses[s]);

          g_assert_cmpuint (count, ==, query_int (fixture, sql));
          total += count;
        }
      g_assert_cmpuint (pqs_standard_summary_get_n_documents (summary), ==, total);
      g_assert_nonnull (pqs_standard_summary_get_title (summary));
      g_assert_nonnull (pqs_standard_summary_get_classification (summary));
      g_assert_nonnull (pqs_standard_summary_get_updated_at (summary));
    }
  g_assert_null (g_list_model_get_item (model, n));
  g_assert_cmpuint (pqs_standard_list_get_n_cached_pages (list), <=, PQS_STANDARD_LIST_MAX_PAGES);

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changed);

  /* A new standard, first by title; its first document. */
  exec (fixture, "INSERT INTO standards (title) VALUES ('aaa first standard')");
  expect_change (&changed, 0, 0, 1);
  {
    g_autoptr(PqsStandardSummary) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (pqs_standard_summary_get_title (first), ==, "aaa first standard");
    g_assert_cmpuint (pqs_standard_summary_get_n_documents (first), ==, 0);
    g_assert_false (pqs_standard_summary_get_all_approved (first));
  }

  exec (fixture, "INSERT INTO documents (standard_id, title, section, document_number, created_by, "
                 "status, approved_by, approved_at) SELECT id, 'Precautions', 100, 101, 1, "
                 "'approved', 2, '2999-01-01T00:00:00.000Z' FROM standards "
                 "WHERE title = 'aaa first standard'");
  expect_change (&changed, 0, 1, 1);
  {
    g_autoptr(PqsStandardSummary) first = g_list_model_get_item (model, 0);
    gboolean all_approved = FALSE;
    guint n_approved = 0;

    g_object_get (first, "all-approved", &all_approved, "n-approved", &n_approved, NULL);
    g_assert_true (all_approved);
    g_assert_cmpuint (n_approved, ==, 1);
  }

  exec (fixture, "DELETE FROM standards WHERE title = 'aaa first standard'");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/lists/documents/paging", Fixture, NULL,
              fixture_set_up, test_documents_paging, fixture_tear_down);
  g_test_add ("/lists/documents/plans", Fixture, NULL,
              fixture_set_up, test_documents_plans, fixture_tear_down);
  g_test_add ("/lists/documents/changes", Fixture, NULL,
              fixture_set_up, test_documents_changes, fixture_tear_down);
  g_test_add ("/lists/documents/viewer-changes", Fixture, NULL,
              fixture_set_up, test_documents_viewer_changes, fixture_tear_down);
  g_test_add ("/lists/documents/properties", Fixture, NULL,
              fixture_set_up, test_documents_properties, fixture_tear_down);
  g_test_add ("/lists/standards", Fixture, NULL,
              fixture_set_up, test_standards, fixture_tear_down);

  result = g_test_run ();

  if (template_dir != NULL)
    pqs_test_tmpdir_free (template_dir);
  g_free (template_path);

  return result;
}
