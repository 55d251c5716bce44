/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-types.h"

G_BEGIN_DECLS

/* One row of the standard list. It lives here, with the only list that
 * makes it, until it needs a file of its own. */
#define PQS_TYPE_STANDARD_SUMMARY (pqs_standard_summary_get_type ())
G_DECLARE_FINAL_TYPE (PqsStandardSummary, pqs_standard_summary, PQS, STANDARD_SUMMARY, GObject)

gint64      pqs_standard_summary_get_id             (PqsStandardSummary *self);
const char *pqs_standard_summary_get_title          (PqsStandardSummary *self);
const char *pqs_standard_summary_get_owning_unit    (PqsStandardSummary *self);
const char *pqs_standard_summary_get_classification (PqsStandardSummary *self);
const char *pqs_standard_summary_get_revision       (PqsStandardSummary *self);
const char *pqs_standard_summary_get_status         (PqsStandardSummary *self);
GDateTime  *pqs_standard_summary_get_updated_at     (PqsStandardSummary *self);
guint       pqs_standard_summary_get_n_documents    (PqsStandardSummary *self);
guint       pqs_standard_summary_get_n_with_status  (PqsStandardSummary *self,
                                                     const char         *status);
gboolean    pqs_standard_summary_get_all_approved   (PqsStandardSummary *self);

#define PQS_STANDARD_LIST_PAGE_SIZE 64
#define PQS_STANDARD_LIST_MAX_PAGES 8

#define PQS_TYPE_STANDARD_LIST (pqs_standard_list_get_type ())
G_DECLARE_FINAL_TYPE (PqsStandardList, pqs_standard_list, PQS, STANDARD_LIST, GObject)

PqsStandardList *pqs_standard_list_new                (PqsStore        *store);
PqsStore        *pqs_standard_list_get_store          (PqsStandardList *self);
void             pqs_standard_list_reload             (PqsStandardList *self);
guint            pqs_standard_list_get_n_cached_pages (PqsStandardList *self);

G_END_DECLS
