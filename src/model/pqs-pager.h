/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where a page read starts (see PqsPagerFuncs.fetch). */
typedef enum
{
  PQS_PAGER_FROM_START,     /* rows from the first, after skipping @skip */
  PQS_PAGER_FROM_END,       /* the @limit rows that end @skip rows before the last one */
  PQS_PAGER_FROM_ANCHOR,    /* rows from @anchor's place (inclusive), after skipping @skip */
  PQS_PAGER_AFTER_ANCHOR,   /* rows after @anchor, after skipping @skip */
  PQS_PAGER_BEFORE_ANCHOR,  /* the @limit rows that end @skip rows before @anchor */
} PqsPagerSeek;

typedef struct
{
  /* How many rows the list has now. */
  gboolean   (*count) (gpointer   owner,
                       guint     *out_n_items,
                       GError   **error);
  /* Up to @limit rows, in list order. @anchor is a row the pager got from
   * an earlier fetch (it may have gone from the table since: then its place
   * in the order counts). Without keyset, only PQS_PAGER_FROM_START. */
  GPtrArray *(*fetch) (gpointer      owner,
                       PqsPagerSeek  seek,
                       gpointer      anchor,
                       guint         skip,
                       guint         limit,
                       GError      **error);
  /* The same row with the same values. */
  gboolean   (*equal) (gconstpointer a,
                       gconstpointer b);
  gboolean     keyset;
  /* For warnings: "the documents". */
  const char  *what;
} PqsPagerFuncs;

typedef struct _PqsPager PqsPager;

PqsPager *pqs_pager_new                  (GListModel          *model,
                                          GParamSpec          *n_items_pspec,
                                          const PqsPagerFuncs *funcs,
                                          guint                page_size,
                                          guint                max_pages);
void      pqs_pager_free                 (PqsPager            *self);

void      pqs_pager_implement_list_model (GListModelInterface *iface);

guint     pqs_pager_get_n_items          (PqsPager            *self);
gpointer  pqs_pager_get_item             (PqsPager            *self,
                                          guint                position);
guint     pqs_pager_get_n_cached_pages   (PqsPager            *self);

void      pqs_pager_reset                (PqsPager            *self);
void      pqs_pager_refresh              (PqsPager            *self);
void      pqs_pager_splice               (PqsPager            *self,
                                          guint                position,
                                          guint                removed,
                                          guint                added);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsPager, pqs_pager_free)

G_END_DECLS
