/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "pqs-search-result.h"

G_BEGIN_DECLS

/* Reads, from column 0: document id, standard id, standard title, section,
 * number, title, status, rank, item id (NULL: the snippet is from the
 * document's body). The snippet is set afterwards. */
PqsSearchResult *pqs_search_result_new_from_stmt (sqlite3_stmt    *stmt);
void             pqs_search_result_take_snippet  (PqsSearchResult *self,
                                                  char            *snippet);

G_END_DECLS
