/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PQS_OUTLINE_ERROR (pqs_outline_error_quark ())

typedef enum
{
  PQS_OUTLINE_ERROR_INVALID,
} PqsOutlineError;

/* The kinds of line item, as document_items.kind stores them. */
typedef enum
{
  PQS_ITEM_QUESTION,       /* "question": top level only */
  PQS_ITEM_SUB_QUESTION,   /* "sub_question": under a question */
  PQS_ITEM_SECOND_LEVEL,   /* "second_level": under a sub-question */
  PQS_ITEM_TEXT,           /* "text": free text, at any level */
  PQS_ITEM_SIGNATURE,      /* "signature": a signature line (qualifier name, rank, date) */
} PqsItemKind;

/* One line item of a section document's outline. Items are kept in
 * document order (depth first); depth is 0 for the top level, 1 under a
 * question, 2 under a sub-question. */
typedef struct
{
  PqsItemKind  kind;
  guint        depth;
  char        *text;
  char        *answer;     /* nullable: the expected answer / guidance for the qualifier */
  char        *criteria;   /* nullable: the scoring criteria */
} PqsOutlineItem;

/* The JSON form, shared by templates (templates.outline), document export
 * and packages: an array of objects
 *   { "kind": "question", "text": "…", "answer": "…", "criteria": "…",
 *     "children": [ … ] }
 * where "answer", "criteria" and "children" are optional ("answer" and
 * "criteria" may also be null or ""; both read as absent).
 *
 * The rules (pqs_outline_validate(), and the readers before it):
 * - "question" only at the top level; "sub_question" directly under a
 *   question; "second_level" directly under a sub-question;
 * - "text" and "signature" at the top level or directly under a question or
 *   a sub-question; nothing goes under a text, a signature line or a
 *   second-level sub-question (so the depth is at most 2);
 * - only questions, sub-questions and second-level sub-questions carry an
 *   answer and criteria;
 * - every item has a text, except a signature line, whose text (a caption
 *   such as "Qualifier's signature and date") may be empty;
 * - at most PQS_OUTLINE_MAX_ITEMS items, and each text, answer and criteria
 *   at most PQS_OUTLINE_MAX_TEXT characters of valid UTF-8 without control
 *   characters other than tab and line breaks;
 * - in JSON, no other members, and no deeper nesting than the rules allow.
 * Errors name the item by its number in document order, from 1:
 * "Item 12 (a sub-question): …". */

#define PQS_OUTLINE_MAX_ITEMS 2000
#define PQS_OUTLINE_MAX_TEXT  20000
#define PQS_OUTLINE_MAX_DEPTH 2

GQuark          pqs_outline_error_quark   (void);

const char     *pqs_item_kind_to_string   (PqsItemKind   kind);
const char     *pqs_item_kind_get_label   (PqsItemKind   kind);
gboolean        pqs_item_kind_from_string (const char   *text,
                                           PqsItemKind  *out_kind);

PqsOutlineItem *pqs_outline_item_new      (PqsItemKind   kind,
                                           guint         depth,
                                           const char   *text,
                                           const char   *answer,
                                           const char   *criteria);
PqsOutlineItem *pqs_outline_item_copy     (const PqsOutlineItem *item);
void            pqs_outline_item_free     (PqsOutlineItem *item);

/* A GPtrArray of PqsOutlineItem, freeing its items. */
GPtrArray      *pqs_outline_new           (void);
GPtrArray      *pqs_outline_copy          (GPtrArray    *outline);
gboolean        pqs_outline_validate      (GPtrArray    *outline,
                                           GError      **error);
GPtrArray      *pqs_outline_from_json     (JsonNode     *node,
                                           GError      **error);
GPtrArray      *pqs_outline_from_json_string (const char *json,
                                              GError    **error);
JsonNode       *pqs_outline_to_json       (GPtrArray    *outline);
char           *pqs_outline_to_json_string (GPtrArray   *outline);
gboolean        pqs_outline_item_equal    (const PqsOutlineItem *a,
                                           const PqsOutlineItem *b);
gboolean        pqs_outline_equal         (GPtrArray    *a,
                                           GPtrArray    *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsOutlineItem, pqs_outline_item_free)

G_END_DECLS
