/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-search-result.h"
#include "pqs-types.h"

G_BEGIN_DECLS

/* At most this many words of a query are searched for. */
#define PQS_SEARCH_MAX_TOKENS 16
/* A word is cut after this many characters. */
#define PQS_SEARCH_MAX_TOKEN_CHARS 64
/* The word being typed matches as a prefix once it has this many characters. */
#define PQS_SEARCH_MIN_PREFIX_CHARS 3

#define PQS_SEARCH_DEFAULT_LIMIT      50
#define PQS_SEARCH_DEFAULT_CANDIDATES 200

#define PQS_TYPE_SEARCH (pqs_search_get_type ())
G_DECLARE_FINAL_TYPE (PqsSearch, pqs_search, PQS, SEARCH, GObject)

char       *pqs_search_build_query      (const char  *text,
                                         gssize       length,
                                         gboolean     prefix);

PqsSearch  *pqs_search_new              (PqsStore    *store);
PqsStore   *pqs_search_get_store        (PqsSearch   *self);

const char *pqs_search_get_text         (PqsSearch   *self);
void        pqs_search_set_text         (PqsSearch   *self,
                                         const char  *text);
gint64      pqs_search_get_standard_id  (PqsSearch   *self);
void        pqs_search_set_standard_id  (PqsSearch   *self,
                                         gint64       standard_id);
guint       pqs_search_get_series       (PqsSearch   *self);
void        pqs_search_set_series       (PqsSearch   *self,
                                         guint        series);
const char *pqs_search_get_status       (PqsSearch   *self);
void        pqs_search_set_status       (PqsSearch   *self,
                                         const char  *status);
PqsUser    *pqs_search_get_viewer       (PqsSearch   *self);
void        pqs_search_set_viewer       (PqsSearch   *self,
                                         PqsUser     *viewer);
guint       pqs_search_get_limit        (PqsSearch   *self);
void        pqs_search_set_limit        (PqsSearch   *self,
                                         guint        limit);
guint       pqs_search_get_candidates   (PqsSearch   *self);
void        pqs_search_set_candidates   (PqsSearch   *self,
                                         guint        candidates);
gboolean    pqs_search_get_prefix       (PqsSearch   *self);
void        pqs_search_set_prefix       (PqsSearch   *self,
                                         gboolean     prefix);
gboolean    pqs_search_get_truncated    (PqsSearch   *self);
gboolean    pqs_search_get_busy         (PqsSearch   *self);

GPtrArray  *pqs_search_run              (PqsSearch   *self,
                                         const char  *text,
                                         guint        offset,
                                         guint        limit,
                                         gboolean    *out_truncated,
                                         GError     **error);

G_END_DECLS
