/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A line of a comparison: in both texts, only in the new one, only in the old one. */
typedef enum
{
  PQS_DIFF_SAME    = ' ',
  PQS_DIFF_ADDED   = '+',
  PQS_DIFF_REMOVED = '-',
} PqsDiffOp;

typedef struct
{
  PqsDiffOp  op;
  char      *text;        /* without its line end */
} PqsDiffLine;

/* A run of changes with up to @context unchanged lines around it, as in a
 * unified diff. Starts are 1-based line numbers (0 when the side has no
 * lines in the hunk, like "@@ -0,0 +1,3 @@"). */
typedef struct
{
  guint      old_start;
  guint      old_count;
  guint      new_start;
  guint      new_count;
  GPtrArray *lines;       /* (element-type PqsDiffLine) */
} PqsDiffHunk;

void        pqs_diff_hunk_free   (PqsDiffHunk *hunk);

GPtrArray  *pqs_diff_lines       (const char  *old_text,
                                  const char  *new_text,
                                  guint        context);
gboolean    pqs_diff_count       (GPtrArray   *hunks,
                                  guint       *out_added,
                                  guint       *out_removed);
char       *pqs_diff_to_unified  (GPtrArray   *hunks,
                                  const char  *old_label,
                                  const char  *new_label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsDiffHunk, pqs_diff_hunk_free)

G_END_DECLS
