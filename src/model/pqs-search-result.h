/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-types.h"

G_BEGIN_DECLS

/* A snippet marks each match with these private-use characters, U+E000
 * before and U+E001 after, which no tokenizer treats as text and no markup
 * language gives a meaning: the UI turns them into bold
 * (pqs_search_result_dup_snippet_markup()), the command line into its own
 * emphasis, JSON carries them as they are. */
#define PQS_SEARCH_MATCH_START "\xee\x80\x80"
#define PQS_SEARCH_MATCH_END   "\xee\x80\x81"
#define PQS_SEARCH_MATCH_START_CHAR 0xE000
#define PQS_SEARCH_MATCH_END_CHAR   0xE001

#define PQS_TYPE_SEARCH_RESULT (pqs_search_result_get_type ())
G_DECLARE_FINAL_TYPE (PqsSearchResult, pqs_search_result, PQS, SEARCH_RESULT, GObject)

gint64      pqs_search_result_get_document_id    (PqsSearchResult *self);
gint64      pqs_search_result_get_standard_id    (PqsSearchResult *self);
const char *pqs_search_result_get_standard_title (PqsSearchResult *self);
guint       pqs_search_result_get_section        (PqsSearchResult *self);
guint       pqs_search_result_get_number         (PqsSearchResult *self);
const char *pqs_search_result_get_title          (PqsSearchResult *self);
const char *pqs_search_result_get_status         (PqsSearchResult *self);
const char *pqs_search_result_get_snippet        (PqsSearchResult *self);
gint64      pqs_search_result_get_item_id        (PqsSearchResult *self);
double      pqs_search_result_get_rank           (PqsSearchResult *self);

char       *pqs_search_result_dup_snippet_markup (PqsSearchResult *self);

char       *pqs_search_snippet_to_markup         (const char      *snippet);
char       *pqs_search_snippet_replace_markers   (const char      *snippet,
                                                  const char      *start,
                                                  const char      *end);

G_END_DECLS
