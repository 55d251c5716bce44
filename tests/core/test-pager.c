/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pager"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "pqs-pager.h"
#include "pqs-test-util.h"

/* PqsPager over a table in memory: rows sorted by key, each with a value.
 * The pager is told nothing but what its callbacks answer, as with SQL, so
 * this checks what it announces (the smallest span that differs) and how it
 * reaches a page (by key from a known row, never by counting twice), against
 * positions known exactly. test-lists checks the same lists over SQL. */

#define PAGE_SIZE 64
#define MAX_PAGES 8
#define N_ROWS    10000

/* A row ----------------------------------------------------------------------- */

#define TEST_TYPE_ROW (test_row_get_type ())
G_DECLARE_FINAL_TYPE (TestRow, test_row, TEST, ROW, GObject)

struct _TestRow
{
  GObject parent_instance;
  gint64  key;
  gint64  value;
};

G_DEFINE_FINAL_TYPE (TestRow, test_row, G_TYPE_OBJECT)

static void
test_row_class_init (TestRowClass *klass)
{
}

static void
test_row_init (TestRow *self)
{
}

static TestRow *
test_row_new (gint64 key,
              gint64 value)
{
  TestRow *row = g_object_new (TEST_TYPE_ROW, NULL);

  row->key = key;
  row->value = value;
  return row;
}

static gboolean
row_equal (gconstpointer a,
           gconstpointer b)
{
  const TestRow *x = a;
  const TestRow *y = b;

  return x->key == y->key && x->value == y->value;
}

/* The table, as a list model ---------------------------------------------------- */

#define TEST_TYPE_TABLE (test_table_get_type ())
G_DECLARE_FINAL_TYPE (TestTable, test_table, TEST, TABLE, GObject)

struct _TestTable
{
  GObject   parent_instance;
  GArray   *keys;      /* gint64, ascending */
  GArray   *values;    /* gint64 */
  PqsPager *pager;
  guint     fetches;
  guint     skipped;   /* rows the fetches skipped: what an OFFSET walks */
};

static void test_table_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTable, test_table, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, test_table_iface_init))

static GType
test_table_get_item_type (GListModel *model)
{
  return TEST_TYPE_ROW;
}

static void
test_table_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = test_table_get_item_type;
  pqs_pager_implement_list_model (iface);
}

static gint64
key_of (TestTable *self,
        guint      position)
{
  return g_array_index (self->keys, gint64, position);
}

/* The first position whose key is >= @key (or > @key with @after). */
static guint
bound (TestTable *self,
       gint64     key,
       gboolean   after)
{
  guint lo = 0, hi = self->keys->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (key_of (self, mid) < key || (after && key_of (self, mid) == key))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
count_cb (gpointer   owner,
          guint     *out_n_items,
          GError   **error)
{
  *out_n_items = TEST_TABLE (owner)->keys->len;
  return TRUE;
}

static GPtrArray *
fetch_cb (gpointer       owner,
          PqsPagerSeek   seek,
          gpointer       anchor,
          guint          skip,
          guint          limit,
          GError       **error)
{
  TestTable *self = TEST_TABLE (owner);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 start = 0;
  gint64 n = self->keys->len;

  self->fetches++;
  self->skipped += skip;

  switch (seek)
    {
    case PQS_PAGER_FROM_START:
      start = skip;
      break;
    case PQS_PAGER_FROM_END:
      start = n - skip - limit;
      break;
    case PQS_PAGER_FROM_ANCHOR:
      start = bound (self, TEST_ROW (anchor)->key, FALSE) + skip;
      break;
    case PQS_PAGER_AFTER_ANCHOR:
      start = bound (self, TEST_ROW (anchor)->key, TRUE) + skip;
      break;
    case PQS_PAGER_BEFORE_ANCHOR:
      start = (gint64) bound (self, TEST_ROW (anchor)->key, FALSE) - skip - limit;
      break;
    default:
      g_assert_not_reached ();
    }

  /* Read backwards past the first row: fewer rows, as SQL would give. */
  if (start < 0)
    {
      limit = (guint) MAX (0, (gint64) limit + start);
      start = 0;
    }
  for (gint64 i = start; i < MIN (n, start + (gint64) limit); i++)
    g_ptr_array_add (rows, test_row_new (key_of (self, (guint) i),
                                         g_array_index (self->values, gint64, i)));
  return rows;
}

static const PqsPagerFuncs table_funcs = {
  .count = count_cb,
  .fetch = fetch_cb,
  .equal = row_equal,
  .keyset = TRUE,
  .what = "the rows",
};

static void
test_table_finalize (GObject *object)
{
  TestTable *self = TEST_TABLE (object);

  g_clear_pointer (&self->pager, pqs_pager_free);
  g_array_unref (self->keys);
  g_array_unref (self->values);

  G_OBJECT_CLASS (test_table_parent_class)->finalize (object);
}

static void
test_table_class_init (TestTableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_table_finalize;
}

static void
test_table_init (TestTable *self)
{
  self->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Keys 0, 10, 20, …: room to insert between any two. */
static TestTable *
test_table_new (guint n_rows)
{
  TestTable *self = g_object_new (TEST_TYPE_TABLE, NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      gint64 key = (gint64) i * 10;
      gint64 value = 0;

      g_array_append_val (self->keys, key);
      g_array_append_val (self->values, value);
    }
  self->pager = pqs_pager_new (G_LIST_MODEL (self), NULL, &table_funcs, PAGE_SIZE, MAX_PAGES);
  pqs_pager_reset (self->pager);
  return self;
}

static void
table_insert (TestTable *self,
              gint64     key)
{
  guint position = bound (self, key, FALSE);
  gint64 value = 0;

  g_array_insert_val (self->keys, position, key);
  g_array_insert_val (self->values, position, value);
}

static void
table_delete (TestTable *self,
              guint      position)
{
  g_array_remove_index (self->keys, position);
  g_array_remove_index (self->values, position);
}

static void
table_touch (TestTable *self,
             guint      position)
{
  g_array_index (self->values, gint64, position)++;
}

/* Announcements ----------------------------------------------------------------- */

typedef PqsTestChanges Changes;

static gint64
row_key (GListModel *model,
         guint       position)
{
  g_autoptr(TestRow) row = g_list_model_get_item (model, position);

  g_assert_nonnull (row);
  return row != NULL ? row->key : -1;
}

/* Every position of the model against the table. */
static void
assert_matches (TestTable *table)
{
  GListModel *model = G_LIST_MODEL (table);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, table->keys->len);
  for (guint i = 0; i < table->keys->len; i++)
    {
      g_autoptr(TestRow) row = g_list_model_get_item (model, i);

      g_assert_nonnull (row);
      g_assert_true (row != NULL && row->key == key_of (table, i));
      g_assert_true (row != NULL && row->value == g_array_index (table->values, gint64, i));
    }
  g_assert_null (g_list_model_get_item (model, table->keys->len));
}

/* The rows a view shows: pages 78 and 79, rows 4992 to 5119. */
#define WINDOW_START (78 * PAGE_SIZE)
#define WINDOW_END   (80 * PAGE_SIZE)

static void
show_window (GListModel *model)
{
  for (guint i = WINDOW_START; i < WINDOW_END; i++)
    g_assert_cmpint (row_key (model, i), >=, 0);
}

/* Tests ------------------------------------------------------------------------- */

static void
test_changes (void)
{
  g_autoptr(TestTable) table = test_table_new (N_ROWS);
  GListModel *model = G_LIST_MODEL (table);
  Changes changes = { 0, };

  pqs_test_changes_watch (G_LIST_MODEL (table), &changes);
  show_window (model);

  /* Nothing changed: nothing to say. */
  pqs_pager_refresh (table->pager);
  g_assert_cmpuint (changes.calls, ==, 0);

  /* One row changed: that row. */
  table_touch (table, 5050);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 5050, 1, 1);
  g_assert_cmpuint (pqs_pager_get_n_cached_pages (table->pager), ==, 2);

  /* Inserted and deleted inside the window: that row. */
  table_insert (table, 50005);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 5001, 0, 1);
  g_assert_cmpint (row_key (model, 5001), ==, 50005);
  g_assert_cmpint (row_key (model, 5002), ==, 50010);
  table_delete (table, 5010);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 5010, 1, 0);

  /* The first and the last row of the window. */
  table_touch (table, WINDOW_START);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, WINDOW_START, 1, 1);
  table_touch (table, WINDOW_END - 1);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, WINDOW_END - 1, 1, 1);

  /* Before the window: announced at its edge, the rows shown stay put. */
  table_insert (table, 5);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, WINDOW_START, 0, 1);
  table_delete (table, 2);
  table_delete (table, 2);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, WINDOW_START - 2, 2, 0);

  /* After it: at its end. */
  table_insert (table, 90005);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, WINDOW_END, 0, 1);
  table_delete (table, N_ROWS - 100);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, WINDOW_END, 1, 0);

  /* A row the view does not show changed: nothing to say. */
  table_touch (table, 100);
  pqs_pager_refresh (table->pager);
  g_assert_cmpuint (changes.calls, ==, 0);

  /* Two rows: the span from one to the other. */
  table_touch (table, 5000);
  table_touch (table, 5003);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 5000, 4, 4);

  /* A row moved within the window: the rows between. */
  {
    gint64 moved = key_of (table, 5011) - 1;

    table_delete (table, 5020);
    table_insert (table, moved);
    pqs_pager_refresh (table->pager);
    pqs_test_assert_change (&changes, 5011, 10, 10);
  }

  /* Everything still reads right (every page again). */
  assert_matches (table);

  /* Nothing shown: only the length, at the end. */
  pqs_pager_reset (table->pager);
  memset (&changes, 0, sizeof changes);
  table_insert (table, 15);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, table->keys->len - 1, 0, 1);
  table_touch (table, 0);
  pqs_pager_refresh (table->pager);
  g_assert_cmpuint (changes.calls, ==, 0);

  /* A reset says everything changed. */
  pqs_pager_reset (table->pager);
  pqs_test_assert_change (&changes, 0, table->keys->len, table->keys->len);

  assert_matches (table);
}

/* The last rows, and a table that empties and fills. */
static void
test_edges (void)
{
  g_autoptr(TestTable) table = test_table_new (100);
  GListModel *model = G_LIST_MODEL (table);
  Changes changes = { 0, };

  pqs_test_changes_watch (G_LIST_MODEL (table), &changes);

  /* The last, partial page. */
  g_assert_cmpint (row_key (model, 99), ==, 990);
  table_insert (table, 995);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 100, 0, 1);
  table_delete (table, 64);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 64, 1, 0);
  assert_matches (table);

  /* Emptied. */
  g_assert_cmpint (row_key (model, 5), ==, 50);
  g_array_set_size (table->keys, 0);
  g_array_set_size (table->values, 0);
  pqs_pager_refresh (table->pager);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  memset (&changes, 0, sizeof changes);

  /* Filled again. */
  table_insert (table, 7);
  pqs_pager_refresh (table->pager);
  pqs_test_assert_change (&changes, 0, 0, 1);
  assert_matches (table);

  /* Spliced by an owner who knows. */
  table_insert (table, 1);
  pqs_pager_splice (table->pager, 0, 0, 1);
  pqs_test_assert_change (&changes, 0, 0, 1);
  assert_matches (table);
}

/* Jumps on 10,000 rows: every position matches the table, a page seen
 * before is read again by key with nothing skipped, and the skipping that
 * is left is at most the distance to the nearest known row. */
static void
test_jumps (void)
{
  g_autoptr(TestTable) table = test_table_new (N_ROWS);
  GListModel *model = G_LIST_MODEL (table);
  guint positions[200];
  guint position = 7;
  guint skipped;

  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      position = (position * 7919 + 104729) % N_ROWS;
      positions[i] = position;

      skipped = table->skipped;
      g_assert_cmpint (row_key (model, position), ==, (gint64) position * 10);
      if (position + 1 < N_ROWS)
        g_assert_cmpint (row_key (model, position + 1), ==, (gint64) (position + 1) * 10);
      if (position > 0)
        g_assert_cmpint (row_key (model, position - 1), ==, (gint64) (position - 1) * 10);
      /* From an end of the list or from a row seen before: never more than
       * half the list. */
      g_assert_cmpuint (table->skipped - skipped, <=, 3 * N_ROWS / 2);
    }

  /* Every page seen is known by its first row: back there, nothing skipped. */
  skipped = table->skipped;
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    g_assert_cmpint (row_key (model, positions[i]), ==, (gint64) positions[i] * 10);
  g_assert_cmpuint (table->skipped, ==, skipped);

  /* Scrolling reads page after page by key. */
  skipped = table->skipped;
  for (guint i = 0; i < N_ROWS; i++)
    g_assert_cmpint (row_key (model, i), ==, (gint64) i * 10);
  for (guint i = N_ROWS; i > 0; i--)
    g_assert_cmpint (row_key (model, i - 1), ==, (gint64) (i - 1) * 10);
  g_assert_cmpuint (table->skipped, ==, skipped);
  g_assert_cmpuint (pqs_pager_get_n_cached_pages (table->pager), ==, MAX_PAGES);

  /* A change forgets every known place: the next jump counts from an end. */
  table_touch (table, 0);
  pqs_pager_refresh (table->pager);
  skipped = table->skipped;
  g_assert_cmpint (row_key (model, N_ROWS / 2), ==, (gint64) (N_ROWS / 2) * 10);
  g_assert_cmpuint (table->skipped - skipped, >, 0);
  g_assert_cmpuint (table->skipped - skipped, <=, N_ROWS / 2);
  assert_matches (table);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pager/changes", test_changes);
  g_test_add_func ("/pager/edges", test_edges);
  g_test_add_func ("/pager/jumps", test_jumps);

  return g_test_run ();
}
