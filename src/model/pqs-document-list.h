/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"

G_BEGIN_DECLS

/* Rows read from SQL at a time, and how many such pages the list keeps. */
#define PQS_DOCUMENT_LIST_PAGE_SIZE 64
#define PQS_DOCUMENT_LIST_MAX_PAGES 8

typedef enum
{
  PQS_DOCUMENT_SORT_NUMBER,   /* book order: standard, series, number */
  PQS_DOCUMENT_SORT_UPDATED,  /* most recently changed first */
  PQS_DOCUMENT_SORT_TITLE,    /* by title, ignoring ASCII case */
} PqsDocumentSort;

#define PQS_TYPE_DOCUMENT_SORT (pqs_document_sort_get_type ())
GType pqs_document_sort_get_type (void);

#define PQS_TYPE_DOCUMENT_LIST (pqs_document_list_get_type ())
G_DECLARE_FINAL_TYPE (PqsDocumentList, pqs_document_list, PQS, DOCUMENT_LIST, GObject)

PqsDocumentList *pqs_document_list_new             (PqsStore        *store);

PqsStore        *pqs_document_list_get_store       (PqsDocumentList *self);

gint64           pqs_document_list_get_standard_id (PqsDocumentList *self);
void             pqs_document_list_set_standard_id (PqsDocumentList *self,
                                                    gint64           standard_id);
guint            pqs_document_list_get_series      (PqsDocumentList *self);
void             pqs_document_list_set_series      (PqsDocumentList *self,
                                                    guint            series);
const char      *pqs_document_list_get_status      (PqsDocumentList *self);
void             pqs_document_list_set_status      (PqsDocumentList *self,
                                                    const char      *status);
gint64           pqs_document_list_get_author_id   (PqsDocumentList *self);
void             pqs_document_list_set_author_id   (PqsDocumentList *self,
                                                    gint64           author_id);
PqsUser         *pqs_document_list_get_reviewer    (PqsDocumentList *self);
void             pqs_document_list_set_reviewer    (PqsDocumentList *self,
                                                    PqsUser         *reviewer);
PqsUser         *pqs_document_list_get_viewer      (PqsDocumentList *self);
void             pqs_document_list_set_viewer      (PqsDocumentList *self,
                                                    PqsUser         *viewer);
PqsDocumentSort  pqs_document_list_get_sort        (PqsDocumentList *self);
void             pqs_document_list_set_sort        (PqsDocumentList *self,
                                                    PqsDocumentSort  sort);

void             pqs_document_list_reload          (PqsDocumentList *self);
guint            pqs_document_list_get_n_cached_pages (PqsDocumentList *self);

G_END_DECLS
