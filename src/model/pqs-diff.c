/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>

#include "pqs-diff.h"

/**
 * SECTION:pqs-diff
 *
 * A line diff for the history view: Myers' O(ND) algorithm in linear
 * space (the "middle snake" bisection), on lines interned to integers, with
 * the common head and tail trimmed at every level. Documents of a few
 * thousand lines compare in well under a millisecond, and memory stays
 * proportional to the texts whatever the distance.
 */

typedef struct
{
  const guint *a;
  const guint *b;
  GArray      *ops;     /* guint8 PqsDiffOp, in order */
  int         *vf;
  int         *vb;
  int          v_size;
} Differ;

static void
emit (Differ    *differ,
      PqsDiffOp  op,
      int        count)
{
  guint8 value = (guint8) op;

  for (int i = 0; i < count; i++)
    g_array_append_val (differ->ops, value);
}

/* Finds a point on an optimal edit path of a[a0..a0+n) → b[b0..b0+m) about
 * half-way, walking forward from the start and backward from the end until
 * the two paths overlap (after diff-match-patch's diff_bisect). Returns
 * FALSE when the texts share no line at all. */
static gboolean
bisect (Differ *differ,
        int     a0,
        int     n,
        int     b0,
        int     m,
        int    *out_x,
        int    *out_y)
{
  const guint *a = differ->a + a0;
  const guint *b = differ->b + b0;
  int max_d = (n + m + 1) / 2;
  int v_offset = max_d;
  int v_length = 2 * max_d + 2;
  int delta = n - m;
  gboolean front = (delta % 2) != 0;
  int k1start = 0, k1end = 0, k2start = 0, k2end = 0;
  int *v1 = differ->vf;
  int *v2 = differ->vb;

  g_assert (v_length <= differ->v_size);

  for (int i = 0; i < v_length; i++)
    v1[i] = v2[i] = -1;
  v1[v_offset + 1] = 0;
  v2[v_offset + 1] = 0;

  for (int d = 0; d < max_d; d++)
    {
      for (int k1 = -d + k1start; k1 <= d - k1end; k1 += 2)
        {
          int k1_offset = v_offset + k1;
          int x1, y1;

          if (k1 == -d || (k1 != d && v1[k1_offset - 1] < v1[k1_offset + 1]))
            x1 = v1[k1_offset + 1];
          else
            x1 = v1[k1_offset - 1] + 1;
          y1 = x1 - k1;
          while (x1 < n && y1 < m && a[x1] == b[y1])
            {
              x1++;
              y1++;
            }
          v1[k1_offset] = x1;
          if (x1 > n)
            k1end += 2;             /* ran off the right */
          else if (y1 > m)
            k1start += 2;           /* ran off the bottom */
          else if (front)
            {
              int k2_offset = v_offset + delta - k1;

              if (k2_offset >= 0 && k2_offset < v_length && v2[k2_offset] != -1 &&
                  x1 >= n - v2[k2_offset])
                {
                  *out_x = x1;
                  *out_y = y1;
                  return TRUE;
                }
            }
        }

      /* Backward, in reversed coordinates: x2 lines from the end. */
      for (int k2 = -d + k2start; k2 <= d - k2end; k2 += 2)
        {
          int k2_offset = v_offset + k2;
          int x2, y2;

          if (k2 == -d || (k2 != d && v2[k2_offset - 1] < v2[k2_offset + 1]))
            x2 = v2[k2_offset + 1];
          else
            x2 = v2[k2_offset - 1] + 1;
          y2 = x2 - k2;
          while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1])
            {
              x2++;
              y2++;
            }
          v2[k2_offset] = x2;
          if (x2 > n)
            k2end += 2;
          else if (y2 > m)
            k2start += 2;
          else if (!front)
            {
              int k1_offset = v_offset + delta - k2;

              if (k1_offset >= 0 && k1_offset < v_length && v1[k1_offset] != -1)
                {
                  int x1 = v1[k1_offset];
                  int y1 = v_offset + x1 - k1_offset;

                  if (x1 >= n - x2)
                    {
                      *out_x = x1;
                      *out_y = y1;
                      return TRUE;
                    }
                }
            }
        }
    }

  return FALSE;
}

static void
diff_range (Differ *differ,
            int     a0,
            int     n,
            int     b0,
            int     m)
{
  int head = 0;
  int tail = 0;
  int x, y;

  while (head < n && head < m && differ->a[a0 + head] == differ->b[b0 + head])
    head++;
  emit (differ, PQS_DIFF_SAME, head);
  a0 += head;
  b0 += head;
  n -= head;
  m -= head;

  while (tail < n && tail < m &&
         differ->a[a0 + n - 1 - tail] == differ->b[b0 + m - 1 - tail])
    tail++;
  n -= tail;
  m -= tail;

  if (n == 0 || m == 0)
    {
      emit (differ, PQS_DIFF_REMOVED, n);
      emit (differ, PQS_DIFF_ADDED, m);
    }
  else
    {
      if (bisect (differ, a0, n, b0, m, &x, &y) &&
          x >= 0 && x <= n && y >= 0 && y <= m && (x > 0 || y > 0) && (x < n || y < m))
        {
          diff_range (differ, a0, x, b0, y);
          diff_range (differ, a0 + x, n - x, b0 + y, m - y);
        }
      else
        {
          emit (differ, PQS_DIFF_REMOVED, n);
          emit (differ, PQS_DIFF_ADDED, m);
        }
    }

  emit (differ, PQS_DIFF_SAME, tail);
}

/* Splits @text into lines (a final line end adds no empty line). */
static char **
split_lines (const char *text,
             guint      *out_n)
{
  char **lines;
  guint n;

  if (text == NULL || *text == '\0')
    {
      *out_n = 0;
      return g_new0 (char *, 1);
    }

  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  if (n > 0 && g_str_has_suffix (text, "\n"))
    {
      g_free (lines[n - 1]);
      lines[--n] = NULL;
    }
  *out_n = n;
  return lines;
}

static guint *
intern_lines (GHashTable  *ids,
              char       **lines,
              guint        n)
{
  guint *out = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      gpointer id;

      if (!g_hash_table_lookup_extended (ids, lines[i], NULL, &id))
        {
          id = GUINT_TO_POINTER (g_hash_table_size (ids) + 1);
          g_hash_table_insert (ids, lines[i], id);
        }
      out[i] = GPOINTER_TO_UINT (id);
    }
  return out;
}

static PqsDiffLine *
line_new (PqsDiffOp   op,
          const char *text)
{
  PqsDiffLine *line = g_new (PqsDiffLine, 1);

  line->op = op;
  line->text = g_strdup (text);
  return line;
}

static void
line_free (PqsDiffLine *line)
{
  g_free (line->text);
  g_free (line);
}

void
pqs_diff_hunk_free (PqsDiffHunk *hunk)
{
  if (hunk == NULL)
    return;
  g_ptr_array_unref (hunk->lines);
  g_free (hunk);
}

/**
 * pqs_diff_lines:
 * @old_text: (nullable): the earlier text
 * @new_text: (nullable): the later text
 * @context: unchanged lines to keep around each change (3 is usual)
 *
 * Compares two texts line by line with a shortest edit script.
 *
 * Returns: (transfer full) (element-type PqsDiffHunk): the hunks, in
 *   order; empty when the texts have the same lines
 */
GPtrArray *
pqs_diff_lines (const char *old_text,
                const char *new_text,
                guint       context)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) old_lines = NULL;
  g_auto(GStrv) new_lines = NULL;
  g_autofree guint *a = NULL;
  g_autofree guint *b = NULL;
  g_autofree int *vf = NULL;
  g_autofree int *vb = NULL;
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (guint8));
  GPtrArray *hunks = g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_diff_hunk_free);
  Differ differ;
  guint n, m;
  guint i;
  guint oi, ni;   /* line index in each text at ops[i] */

  old_lines = split_lines (old_text, &n);
  new_lines = split_lines (new_text, &m);
  a = intern_lines (ids, old_lines, n);
  b = intern_lines (ids, new_lines, m);

  differ.a = a;
  differ.b = b;
  differ.ops = ops;
  differ.v_size = (int) (n + m) + 4;
  vf = g_new (int, differ.v_size);
  vb = g_new (int, differ.v_size);
  differ.vf = vf;
  differ.vb = vb;
  diff_range (&differ, 0, (int) n, 0, (int) m);

  /* Group the changes into hunks: a change starts one (with @context lines
   * before it); it ends after @context unchanged lines, unless another
   * change comes within 2 × @context. */
  i = 0;
  oi = ni = 0;
  while (i < ops->len)
    {
      PqsDiffHunk *hunk;
      guint start, end, gap;
      guint o, nn;

      if (g_array_index (ops, guint8, i) == PQS_DIFF_SAME)
        {
          i++;
          oi++;
          ni++;
          continue;
        }

      start = i - MIN (i, context);
      /* Walk back the unchanged lines we include. */
      o = oi - (i - start);
      nn = ni - (i - start);

      end = i;
      for (;;)
        {
          while (end < ops->len && g_array_index (ops, guint8, end) != PQS_DIFF_SAME)
            end++;
          gap = 0;
          while (end + gap < ops->len && g_array_index (ops, guint8, end + gap) == PQS_DIFF_SAME)
            gap++;
          if (end + gap < ops->len && gap <= 2 * context)
            {
              end += gap;
              continue;
            }
          end += MIN (gap, context);
          break;
        }

      hunk = g_new0 (PqsDiffHunk, 1);
      hunk->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
      hunk->old_start = o + 1;
      hunk->new_start = nn + 1;
      for (guint j = start; j < end; j++)
        {
          PqsDiffOp op = g_array_index (ops, guint8, j);

          switch (op)
            {
            case PQS_DIFF_SAME:
              g_ptr_array_add (hunk->lines, line_new (op, old_lines[o]));
              o++;
              nn++;
              hunk->old_count++;
              hunk->new_count++;
              break;
            case PQS_DIFF_REMOVED:
              g_ptr_array_add (hunk->lines, line_new (op, old_lines[o]));
              o++;
              hunk->old_count++;
              break;
            case PQS_DIFF_ADDED:
              g_ptr_array_add (hunk->lines, line_new (op, new_lines[nn]));
              nn++;
              hunk->new_count++;
              break;
            default:
              g_assert_not_reached ();
            }
        }
      if (hunk->old_count == 0)
        hunk->old_start--;
      if (hunk->new_count == 0)
        hunk->new_start--;
      g_ptr_array_add (hunks, hunk);

      i = end;
      oi = o;
      ni = nn;
    }

  return hunks;
}

/**
 * pqs_diff_count:
 * @hunks: (element-type PqsDiffHunk): from pqs_diff_lines()
 * @out_added: (out) (optional): lines only in the new text
 * @out_removed: (out) (optional): lines only in the old text
 *
 * Returns: %TRUE when the texts differ
 */
gboolean
pqs_diff_count (GPtrArray *hunks,
                guint     *out_added,
                guint     *out_removed)
{
  guint added = 0;
  guint removed = 0;

  g_return_val_if_fail (hunks != NULL, FALSE);

  for (guint i = 0; i < hunks->len; i++)
    {
      PqsDiffHunk *hunk = g_ptr_array_index (hunks, i);

      for (guint j = 0; j < hunk->lines->len; j++)
        {
          PqsDiffLine *line = g_ptr_array_index (hunk->lines, j);

          if (line->op == PQS_DIFF_ADDED)
            added++;
          else if (line->op == PQS_DIFF_REMOVED)
            removed++;
        }
    }

  if (out_added != NULL)
    *out_added = added;
  if (out_removed != NULL)
    *out_removed = removed;
  return added + removed > 0;
}

/**
 * pqs_diff_to_unified:
 * @hunks: (element-type PqsDiffHunk): from pqs_diff_lines()
 * @old_label: (nullable): names the old text in a "---" header line
 * @new_label: (nullable): names the new text in a "+++" header line
 *
 * Returns: (transfer full): the hunks in unified diff format
 */
char *
pqs_diff_to_unified (GPtrArray  *hunks,
                     const char *old_label,
                     const char *new_label)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (hunks != NULL, NULL);

  if (old_label != NULL && new_label != NULL)
    g_string_append_printf (out, "--- %s\n+++ %s\n", old_label, new_label);

  for (guint i = 0; i < hunks->len; i++)
    {
      PqsDiffHunk *hunk = g_ptr_array_index (hunks, i);

      g_string_append_printf (out, "@@ -%u,%u +%u,%u @@\n", hunk->old_start, hunk->old_count,
                              hunk->new_start, hunk->new_count);
      for (guint j = 0; j < hunk->lines->len; j++)
        {
          PqsDiffLine *line = g_ptr_array_index (hunk->lines, j);

          g_string_append_c (out, (char) line->op);
          g_string_append (out, line->text);
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}
