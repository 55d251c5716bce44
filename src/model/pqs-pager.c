/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-pager.h"

/**
 * PqsPager:
 *
 * The paging behind the long list models (#PqsDocumentList,
 * #PqsStandardList, #PqsAuditList): the length is a count, rows are read a
 * page at a time when a view asks for them, and the pages used last are
 * kept. The owner supplies the SQL through #PqsPagerFuncs; the pager decides
 * how to reach a page and what to announce when the table changes.
 *
 * Reaching a page: from the page before or after it when either is cached
 * (by key, no counting), else from the nearest row whose place is known —
 * the first row of every page read since the last change is kept as an
 * anchor, and the ends of the list are anchors too — skipping the rows in
 * between. A jump back to a place seen before costs one page read.
 *
 * Counting waits until someone asks: a list whose filters are set one after
 * the other before a view reads it counts once, when the view does. Until
 * then a change has nothing to announce.
 *
 * Keeping current (pqs_pager_refresh()): the list counts again and reads
 * the rows of the cached pages around the one used last (the rows a view
 * shows) once more, compares them with what it held, and announces only the
 * span that differs: one row changed, inserted or deleted there is one
 * items-changed of that row. A change of length outside those rows is
 * announced at their edge, where no view holds a row; nothing is announced
 * when neither the length nor those rows changed.
 */

typedef struct
{
  guint      index;
  GPtrArray *items;
  guint64    last_used;
} Page;

struct _PqsPager
{
  GListModel    *model;          /* unowned: the model owns the pager */
  GParamSpec    *n_items_pspec;
  PqsPagerFuncs  funcs;
  guint          page_size;
  guint          max_pages;

  guint          n_items;
  gboolean       counted;        /* n_items is known */
  gboolean       exposed;        /* someone saw n_items: changes must be announced */
  Page          *pages;
  guint          n_pages;
  guint64        clock;
  GPtrArray     *anchors;        /* by page index: its first row, or NULL */
};

static GQuark
pager_quark (void)
{
  static GQuark quark;

  /* Lists are made on the main thread; a race would store the same value. */
  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("pqs-pager");
  return quark;
}

static void
unref_anchor (gpointer anchor)
{
  if (anchor != NULL)
    g_object_unref (anchor);
}

/**
 * pqs_pager_new:
 * @model: the list model that owns the pager, and announces through it
 * @n_items_pspec: @model's "n-items" property
 * @funcs: how to count and read rows
 * @page_size: rows a page
 * @max_pages: pages kept
 *
 * Returns: (transfer full): a pager with no rows; call pqs_pager_reset()
 */
PqsPager *
pqs_pager_new (GListModel          *model,
               GParamSpec          *n_items_pspec,
               const PqsPagerFuncs *funcs,
               guint                page_size,
               guint                max_pages)
{
  PqsPager *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (funcs != NULL && funcs->count != NULL && funcs->fetch != NULL, NULL);
  g_return_val_if_fail (page_size > 0 && max_pages > 0, NULL);

  self = g_new0 (PqsPager, 1);
  self->model = model;
  self->n_items_pspec = n_items_pspec;
  self->funcs = *funcs;
  self->page_size = page_size;
  self->max_pages = max_pages;
  self->pages = g_new0 (Page, max_pages);
  self->anchors = g_ptr_array_new_with_free_func (unref_anchor);
  g_object_set_qdata (G_OBJECT (model), pager_quark (), self);

  return self;
}

static void
drop_pages (PqsPager *self)
{
  for (guint i = 0; i < self->n_pages; i++)
    g_clear_pointer (&self->pages[i].items, g_ptr_array_unref);
  self->n_pages = 0;
  /* Rows may have moved: no place is known any more. */
  g_ptr_array_set_size (self->anchors, 0);
}

void
pqs_pager_free (PqsPager *self)
{
  if (self == NULL)
    return;

  g_object_set_qdata (G_OBJECT (self->model), pager_quark (), NULL);
  drop_pages (self);
  g_ptr_array_unref (self->anchors);
  g_free (self->pages);
  g_free (self);
}

static gboolean
count (PqsPager *self)
{
  g_autoptr(GError) error = NULL;

  self->counted = TRUE;
  if (!self->funcs.count (self->model, &self->n_items, &error))
    {
      g_warning ("Cannot count %s: %s", self->funcs.what, error->message);
      self->n_items = 0;
      return FALSE;
    }

  return TRUE;
}

static void
expose (PqsPager *self)
{
  if (!self->counted)
    count (self);
  self->exposed = TRUE;
}

/* Nobody knows the length: count when asked, announce nothing. */
static gboolean
forget_unseen (PqsPager *self)
{
  if (self->exposed)
    return FALSE;

  drop_pages (self);
  self->counted = FALSE;
  return TRUE;
}

guint
pqs_pager_get_n_items (PqsPager *self)
{
  expose (self);
  return self->n_items;
}

/**
 * pqs_pager_get_n_cached_pages:
 * @self: a #PqsPager
 *
 * Returns: how many pages of rows are held now
 */
guint
pqs_pager_get_n_cached_pages (PqsPager *self)
{
  return self->n_pages;
}

/* Reading ----------------------------------------------------------------------- */

static Page *
find_page (PqsPager *self,
           guint     index)
{
  for (guint i = 0; i < self->n_pages; i++)
    {
      if (self->pages[i].index == index)
        return &self->pages[i];
    }

  return NULL;
}

static gpointer
anchor_at (PqsPager *self,
           guint     index)
{
  return index < self->anchors->len ? g_ptr_array_index (self->anchors, index) : NULL;
}

static Page *
keep_page (PqsPager  *self,
           guint      index,
           GPtrArray *items)
{
  Page *page;

  if (self->n_pages < self->max_pages)
    page = &self->pages[self->n_pages++];
  else
    {
      page = &self->pages[0];
      for (guint i = 1; i < self->n_pages; i++)
        {
          if (self->pages[i].last_used < page->last_used)
            page = &self->pages[i];
        }
      g_ptr_array_unref (page->items);
    }

  page->index = index;
  page->items = items;
  page->last_used = ++self->clock;

  if (items->len > 0 && anchor_at (self, index) == NULL)
    {
      if (index >= self->anchors->len)
        g_ptr_array_set_size (self->anchors, index + 1);
      self->anchors->pdata[index] = g_object_ref (g_ptr_array_index (items, 0));
    }

  return page;
}

typedef struct
{
  PqsPagerSeek seek;
  gpointer     anchor;
  guint        skip;
} Route;

/* The cheapest way to rows [@start, @start + @limit): the fewest rows to
 * skip, from an end of the list or from a known place. */
static Route
find_route (PqsPager *self,
            guint     start,
            guint     limit,
            gboolean  use_anchors)
{
  Route best = { PQS_PAGER_FROM_START, NULL, start };
  guint end = start + limit;
  guint index = start / self->page_size;

  if (!self->funcs.keyset)
    return best;

  if (self->n_items - end < best.skip)
    best = (Route) { PQS_PAGER_FROM_END, NULL, self->n_items - end };

  if (!use_anchors || best.skip == 0 || start % self->page_size != 0)
    return best;

  /* Next to a cached page: read on from its edge. */
  {
    Page *before = index > 0 ? find_page (self, index - 1) : NULL;

    if (before != NULL && before->items->len == self->page_size)
      return (Route) { PQS_PAGER_AFTER_ANCHOR,
                       g_ptr_array_index (before->items, self->page_size - 1), 0 };
  }

  /* From the nearest page start seen before, on either side. */
  for (guint d = 0; (guint64) d * self->page_size < best.skip; d++)
    {
      gpointer anchor;

      if (d <= index && (anchor = anchor_at (self, index - d)) != NULL)
        return (Route) { PQS_PAGER_FROM_ANCHOR, anchor, d * self->page_size };
      if (d > 0 && (anchor = anchor_at (self, index + d)) != NULL &&
          (index + d) * self->page_size >= end)
        return (Route) { PQS_PAGER_BEFORE_ANCHOR, anchor, (index + d) * self->page_size - end };
    }

  return best;
}

static GPtrArray *
read_rows (PqsPager  *self,
           guint      start,
           guint      limit,
           gboolean   use_anchors,
           GError   **error)
{
  Route route = find_route (self, start, limit, use_anchors);

  return self->funcs.fetch (self->model, route.seek, route.anchor, route.skip, limit, error);
}

/**
 * pqs_pager_get_item:
 * @self: a #PqsPager
 * @position: a row
 *
 * Returns: (transfer full) (nullable): the row at @position, read with its
 *   page if it is not held
 */
gpointer
pqs_pager_get_item (PqsPager *self,
                    guint     position)
{
  g_autoptr(GError) error = NULL;
  guint index = position / self->page_size;
  guint offset = position % self->page_size;
  Page *page;

  expose (self);
  if (position >= self->n_items)
    return NULL;

  page = find_page (self, index);
  if (page == NULL)
    {
      guint start = index * self->page_size;
      GPtrArray *items;

      items = read_rows (self, start, MIN (self->page_size, self->n_items - start), TRUE, &error);
      if (items == NULL)
        {
          g_warning ("Cannot read %s: %s", self->funcs.what, error->message);
          return NULL;
        }
      page = keep_page (self, index, items);
    }
  page->last_used = ++self->clock;

  /* Another program may have removed rows since the count. */
  if (offset >= page->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->items, offset));
}

/* The list model ---------------------------------------------------------------- */

static guint
list_get_n_items (GListModel *model)
{
  PqsPager *self = g_object_get_qdata (G_OBJECT (model), pager_quark ());

  return self != NULL ? pqs_pager_get_n_items (self) : 0;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  PqsPager *self = g_object_get_qdata (G_OBJECT (model), pager_quark ());

  return self != NULL ? pqs_pager_get_item (self, position) : NULL;
}

/**
 * pqs_pager_implement_list_model:
 * @iface: the #GListModelInterface of a type whose instances own a pager
 *
 * Fills in get_n_items() and get_item() from the instance's #PqsPager; the
 * type gives get_item_type().
 */
void
pqs_pager_implement_list_model (GListModelInterface *iface)
{
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

/* Keeping current --------------------------------------------------------------- */

static void
announce (PqsPager *self,
          guint     old_n_items,
          guint     position,
          guint     removed,
          guint     added)
{
  if (removed > 0 || added > 0)
    g_list_model_items_changed (self->model, position, removed, added);
  if (old_n_items != self->n_items && self->n_items_pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self->model), self->n_items_pspec);
}

/**
 * pqs_pager_reset:
 * @self: a #PqsPager
 *
 * Forgets every row, counts again and announces that every item changed:
 * for a list whose filters or order changed.
 */
void
pqs_pager_reset (PqsPager *self)
{
  guint old_n_items = self->n_items;

  if (forget_unseen (self))
    return;

  drop_pages (self);
  count (self);
  announce (self, old_n_items, 0, old_n_items, self->n_items);
}

/**
 * pqs_pager_splice:
 * @self: a #PqsPager
 * @position: where rows went or came
 * @removed: rows gone from @position
 * @added: rows new at @position
 *
 * For an owner that knows what changed (rows appended to the audit trail):
 * forgets the pages and announces just that.
 */
void
pqs_pager_splice (PqsPager *self,
                  guint     position,
                  guint     removed,
                  guint     added)
{
  guint old_n_items = self->n_items;

  if (forget_unseen (self))
    return;

  g_return_if_fail (position + removed <= self->n_items);

  drop_pages (self);
  self->n_items = self->n_items - removed + added;
  announce (self, old_n_items, position, removed, added);
}

/* The run of cached pages around the one used last, as one array of rows
 * starting at *out_start: the rows a view shows. */
static GPtrArray *
take_window (PqsPager *self,
             guint    *out_start)
{
  GPtrArray *rows;
  Page *last = NULL;
  guint first, end;

  for (guint i = 0; i < self->n_pages; i++)
    {
      if (last == NULL || self->pages[i].last_used > last->last_used)
        last = &self->pages[i];
    }
  if (last == NULL)
    return NULL;

  first = last->index;
  while (first > 0)
    {
      Page *page = find_page (self, first - 1);

      if (page == NULL || page->items->len != self->page_size)
        break;
      first--;
    }

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (end = first;; end++)
    {
      Page *page = find_page (self, end);

      if (page == NULL)
        break;
      for (guint i = 0; i < page->items->len; i++)
        g_ptr_array_add (rows, g_object_ref (g_ptr_array_index (page->items, i)));
      if (page->items->len != self->page_size)
        break;
    }

  *out_start = first * self->page_size;
  return rows;
}

typedef struct
{
  gboolean valid;
  guint    position;
  guint    removed;
  guint    added;
} Change;

static gboolean
equal_rows (PqsPager      *self,
            gconstpointer  a,
            gconstpointer  b)
{
  return self->funcs.equal != NULL ? self->funcs.equal (a, b) : a == b;
}

/* The old window @old at @start against the new rows @fresh at @lo, under
 * the guess that of the change in length @delta, @before rows came or went
 * before the window and @after rows after it (the rest inside). */
static Change
compare_window (PqsPager  *self,
                GPtrArray *old,
                guint      start,
                GPtrArray *fresh,
                guint      lo,
                gint64     delta,
                gint64     before,
                gint64     after)
{
  Change change = { FALSE, };
  gint64 new_start = (gint64) start + before;
  gint64 new_len = (gint64) old->len + delta - before - after;
  guint len = old->len;
  guint common, prefix = 0, suffix = 0;
  gboolean window_changed;
  gint64 from, to;

  if (new_start < lo || new_len < 0 || new_start + new_len > (gint64) lo + fresh->len)
    return change;

  common = MIN (len, (guint) new_len);
  while (prefix < common &&
         equal_rows (self, old->pdata[prefix], fresh->pdata[new_start - lo + prefix]))
    prefix++;
  while (suffix < common - prefix &&
         equal_rows (self, old->pdata[len - 1 - suffix],
                     fresh->pdata[new_start - lo + new_len - 1 - suffix]))
    suffix++;
  window_changed = !(new_len == len && prefix == len);

  /* The span in old positions: [from, to). */
  from = G_MAXINT64;
  to = G_MININT64;
  if (before != 0)
    {
      from = start + MIN (before, 0);
      to = start;
    }
  if (window_changed)
    {
      from = MIN (from, start + prefix);
      to = MAX (to, start + len - suffix);
    }
  if (after != 0)
    {
      from = MIN (from, start + len);
      to = MAX (to, start + len - MIN (after, 0));
    }

  change.valid = TRUE;
  if (from <= to)
    {
      change.position = (guint) from;
      change.removed = (guint) (to - from);
      change.added = (guint) (to - from + delta);
    }
  return change;
}

/**
 * pqs_pager_refresh:
 * @self: a #PqsPager
 *
 * Counts again after the table changed, reads the rows a view shows once
 * more and announces what differs (see #PqsPager).
 */
void
pqs_pager_refresh (PqsPager *self)
{
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  guint old_n_items = self->n_items;
  guint start = 0;
  gint64 delta, guesses[3][2];
  guint n_guesses = 0;
  guint lo, hi;
  Change best = { FALSE, };

  if (forget_unseen (self))
    return;

  old = take_window (self, &start);
  drop_pages (self);
  if (!count (self))
    {
      announce (self, old_n_items, 0, old_n_items, 0);
      return;
    }

  delta = (gint64) self->n_items - old_n_items;
  if (old == NULL || old->len == 0 || ABS (delta) > (gint64) old->len)
    {
      /* Nothing shown, or too much changed to say where: a view holding no
       * rows only needs the length. */
      if (old == NULL || old->len == 0)
        {
          guint common = MIN (old_n_items, self->n_items);

          announce (self, old_n_items, common, old_n_items - common, self->n_items - common);
        }
      else
        announce (self, old_n_items, 0, old_n_items, self->n_items);
      return;
    }

  lo = (guint) MAX (0, (gint64) start + MIN (delta, 0));
  hi = (guint) MIN ((gint64) self->n_items, (gint64) start + old->len + MAX (delta, 0));
  if (lo < hi)
    {
      fresh = read_rows (self, lo, hi - lo, FALSE, &error);
      if (fresh == NULL)
        {
          g_warning ("Cannot read %s: %s", self->funcs.what, error->message);
          announce (self, old_n_items, 0, old_n_items, self->n_items);
          return;
        }
    }
  else
    fresh = g_ptr_array_new_with_free_func (g_object_unref);

  /* Where the change in length happened: before the window, after it or
   * inside; the guess that explains the rows with the smallest change wins,
   * and on a tie the one that keeps the rows shown as they are. */
  if (delta != 0)
    {
      guesses[n_guesses][0] = delta, guesses[n_guesses++][1] = 0;
      guesses[n_guesses][0] = 0, guesses[n_guesses++][1] = delta;
    }
  guesses[n_guesses][0] = 0, guesses[n_guesses++][1] = 0;
  for (guint i = 0; i < n_guesses; i++)
    {
      Change change = compare_window (self, old, start, fresh, lo, delta,
                                      guesses[i][0], guesses[i][1]);

      if (change.valid &&
          (!best.valid || change.removed + change.added < best.removed + best.added))
        best = change;
    }

  /* Keep the pages that were read whole. */
  for (guint index = (lo + self->page_size - 1) / self->page_size;; index++)
    {
      guint page_start = index * self->page_size;
      guint page_end = MIN (page_start + self->page_size, self->n_items);
      GPtrArray *items;

      if (page_start >= page_end || page_end > lo + fresh->len ||
          self->n_pages == self->max_pages)
        break;
      items = g_ptr_array_new_full (page_end - page_start, g_object_unref);
      for (guint i = page_start; i < page_end; i++)
        g_ptr_array_add (items, g_object_ref (g_ptr_array_index (fresh, i - lo)));
      keep_page (self, index, items);
    }

  if (!best.valid)
    announce (self, old_n_items, 0, old_n_items, self->n_items);
  else
    announce (self, old_n_items, best.position, best.removed, best.added);
}
