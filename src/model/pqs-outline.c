/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-json-input.h"
#include "pqs-outline.h"

/**
 * SECTION:pqs-outline
 *
 * The outline of a section document: its line items in document order, as
 * a flat #GPtrArray of #PqsOutlineItem with a depth each, and its JSON form
 * (a tree with "children"), which templates, exports and packages share.
 *
 * JSON read here may come from a file someone else wrote, so every reader
 * checks it as hostile: the text must be UTF-8, its nesting is bounded
 * before json-glib sees it, every member has the right type, and the rules
 * of pqs-outline.h hold. The first problem found, in document order, is
 * the error, and it names the item.
 */

G_DEFINE_QUARK (pqs-outline-error-quark, pqs_outline_error)

/* Brackets deeper than this are refused before parsing: a valid outline
 * needs 2 per level (array, object) and has 3 levels. */
#define MAX_JSON_NESTING 16

/* Shown in messages, so a hostile name cannot flood them. */
#define SHOWN_CHARS 40

/* The kind of an item's parent; none for the top level. */
#define KIND_NONE ((PqsItemKind) -1)

static const char * const kind_names[] = {
  [PQS_ITEM_QUESTION] = "question",
  [PQS_ITEM_SUB_QUESTION] = "sub_question",
  [PQS_ITEM_SECOND_LEVEL] = "second_level",
  [PQS_ITEM_TEXT] = "text",
  [PQS_ITEM_SIGNATURE] = "signature",
};

static gboolean
kind_is_valid (PqsItemKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names);
}

/**
 * pqs_item_kind_to_string:
 * @kind: a #PqsItemKind
 *
 * Returns: (transfer none): the name document_items.kind and the JSON form
 *   use ("sub_question")
 */
const char *
pqs_item_kind_to_string (PqsItemKind kind)
{
  g_return_val_if_fail (kind_is_valid (kind), NULL);

  return kind_names[kind];
}

/**
 * pqs_item_kind_from_string:
 * @text: a name such as "question"
 * @out_kind: (out): the kind
 *
 * Returns: %TRUE if @text names a kind
 */
gboolean
pqs_item_kind_from_string (const char  *text,
                           PqsItemKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (text, kind_names[i]) == 0)
      {
        *out_kind = (PqsItemKind) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * pqs_item_kind_get_label:
 * @kind: a #PqsItemKind
 *
 * Returns: (transfer none): a translated name for people ("Sub-question")
 */
const char *
pqs_item_kind_get_label (PqsItemKind kind)
{
  switch (kind)
    {
    case PQS_ITEM_QUESTION:
      return _("Question");
    case PQS_ITEM_SUB_QUESTION:
      return _("Sub-question");
    case PQS_ITEM_SECOND_LEVEL:
      return _("Second-level sub-question");
    case PQS_ITEM_TEXT:
      return _("Text");
    case PQS_ITEM_SIGNATURE:
      return _("Signature line");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* "a sub-question", for the error messages. */
static const char *
kind_in_sentence (PqsItemKind kind)
{
  switch (kind)
    {
    case PQS_ITEM_QUESTION:
      return _("a question");
    case PQS_ITEM_SUB_QUESTION:
      return _("a sub-question");
    case PQS_ITEM_SECOND_LEVEL:
      return _("a second-level sub-question");
    case PQS_ITEM_TEXT:
      return _("a text block");
    case PQS_ITEM_SIGNATURE:
      return _("a signature line");
    default:
      return NULL;
    }
}

/* Items --------------------------------------------------------------------- */

/**
 * pqs_outline_item_new:
 * @kind: what the item is
 * @depth: 0 at the top level, 1 under a question, 2 under a sub-question
 * @text: the question or text; %NULL reads as ""
 * @answer: (nullable): the expected answer or guidance
 * @criteria: (nullable): the scoring criteria
 *
 * Returns: (transfer full): a new item, to free with pqs_outline_item_free()
 */
PqsOutlineItem *
pqs_outline_item_new (PqsItemKind  kind,
                      guint        depth,
                      const char  *text,
                      const char  *answer,
                      const char  *criteria)
{
  PqsOutlineItem *item = g_new0 (PqsOutlineItem, 1);

  item->kind = kind;
  item->depth = depth;
  item->text = g_strdup (text != NULL ? text : "");
  item->answer = g_strdup (answer);
  item->criteria = g_strdup (criteria);

  return item;
}

PqsOutlineItem *
pqs_outline_item_copy (const PqsOutlineItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);

  return pqs_outline_item_new (item->kind, item->depth, item->text, item->answer,
                               item->criteria);
}

void
pqs_outline_item_free (PqsOutlineItem *item)
{
  if (item == NULL)
    return;

  g_free (item->text);
  g_free (item->answer);
  g_free (item->criteria);
  g_free (item);
}

/**
 * pqs_outline_item_equal:
 * @a: an item
 * @b: another item
 *
 * Returns: %TRUE when both have the same kind, depth and texts (a missing
 *   answer or criteria equals an empty one)
 */
gboolean
pqs_outline_item_equal (const PqsOutlineItem *a,
                        const PqsOutlineItem *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind && a->depth == b->depth &&
         g_strcmp0 (a->text, b->text) == 0 &&
         g_strcmp0 (a->answer != NULL ? a->answer : "", b->answer != NULL ? b->answer : "") == 0 &&
         g_strcmp0 (a->criteria != NULL ? a->criteria : "",
                    b->criteria != NULL ? b->criteria : "") == 0;
}

/* Outlines ------------------------------------------------------------------ */

/**
 * pqs_outline_new:
 *
 * Returns: (transfer full) (element-type PqsOutlineItem): an empty outline
 */
GPtrArray *
pqs_outline_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pqs_outline_item_free);
}

/**
 * pqs_outline_copy:
 * @outline: (element-type PqsOutlineItem): an outline
 *
 * Returns: (transfer full) (element-type PqsOutlineItem): a deep copy
 */
GPtrArray *
pqs_outline_copy (GPtrArray *outline)
{
  GPtrArray *copy;

  g_return_val_if_fail (outline != NULL, NULL);

  copy = g_ptr_array_new_full (outline->len, (GDestroyNotify) pqs_outline_item_free);
  for (guint i = 0; i < outline->len; i++)
    g_ptr_array_add (copy, pqs_outline_item_copy (g_ptr_array_index (outline, i)));

  return copy;
}

/**
 * pqs_outline_equal:
 * @a: (element-type PqsOutlineItem): an outline
 * @b: (element-type PqsOutlineItem): another outline
 *
 * Returns: %TRUE when both hold equal items in the same order
 */
gboolean
pqs_outline_equal (GPtrArray *a,
                   GPtrArray *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    if (!pqs_outline_item_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;

  return TRUE;
}

/* Validation ---------------------------------------------------------------- */

/* Sets "Item N (a question): REASON" (or "Item N: REASON" when the kind is
 * not known yet) and returns FALSE. */
static gboolean G_GNUC_PRINTF (4, 5)
item_error (GError      **error,
            guint         number,
            PqsItemKind   kind,
            const char   *format,
            ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (kind_is_valid (kind))
    /* Translators: "Item 12 (a sub-question): it has no text." */
    g_set_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
                 _("Item %u (%s): %s"), number, kind_in_sentence (kind), reason);
  else
    /* Translators: "Item 12: it is not a JSON object." */
    g_set_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
                 _("Item %u: %s"), number, reason);

  return FALSE;
}

static gboolean
too_many_items (GError **error)
{
  g_set_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
               _("An outline has at most %u items."), (guint) PQS_OUTLINE_MAX_ITEMS);
  return FALSE;
}

/* Checks one of the item's texts: valid UTF-8, not too long, no control
 * characters but tab and line breaks. */
static gboolean
check_text (const char   *value,
            const char   *what,
            guint         number,
            PqsItemKind   kind,
            GError      **error)
{
  glong n_chars = 0;

  if (value == NULL)
    return TRUE;

  if (!g_utf8_validate (value, -1, NULL))
    return item_error (error, number, kind, _("its %s is not valid UTF-8 text."), what);

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++n_chars > PQS_OUTLINE_MAX_TEXT)
        return item_error (error, number, kind, _("its %s is longer than %u characters."),
                           what, (guint) PQS_OUTLINE_MAX_TEXT);
      if (c != '\t' && c != '\n' && c != '\r' && (g_unichar_iscntrl (c) || c == 0x2028 ||
                                                   c == 0x2029))
        return item_error (error, number, kind,
                           _("its %s holds a control character (U+%04X)."), what, c);
    }

  return TRUE;
}

static gboolean
has_text (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* Whether @kind may stand under @parent (KIND_NONE: at the top level);
 * otherwise sets why. @parent_number is the parent's item number. */
static gboolean
check_placement (PqsItemKind   kind,
                 PqsItemKind   parent,
                 guint         parent_number,
                 guint         number,
                 GError      **error)
{
  switch (parent)
    {
    case PQS_ITEM_SECOND_LEVEL:
      return item_error (error, number, kind,
                         _("nothing goes under a second-level sub-question (item %u)."),
                         parent_number);
    case PQS_ITEM_TEXT:
      return item_error (error, number, kind, _("nothing goes under a text block (item %u)."),
                         parent_number);
    case PQS_ITEM_SIGNATURE:
      return item_error (error, number, kind,
                         _("nothing goes under a signature line (item %u)."), parent_number);
    case PQS_ITEM_QUESTION:
    case PQS_ITEM_SUB_QUESTION:
    default:
      break;
    }

  switch (kind)
    {
    case PQS_ITEM_QUESTION:
      if (parent != KIND_NONE)
        return item_error (error, number, kind,
                           _("a question stands at the top level of the outline."));
      return TRUE;
    case PQS_ITEM_SUB_QUESTION:
      if (parent != PQS_ITEM_QUESTION)
        return item_error (error, number, kind,
                           _("a sub-question goes directly under a question."));
      return TRUE;
    case PQS_ITEM_SECOND_LEVEL:
      if (parent != PQS_ITEM_SUB_QUESTION)
        return item_error (error, number, kind,
                           _("a second-level sub-question goes directly under a "
                             "sub-question."));
      return TRUE;
    case PQS_ITEM_TEXT:
    case PQS_ITEM_SIGNATURE:
      /* At the top level, or under a question or sub-question (the parents
       * that can hold anything were let through above). */
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* Everything about one item but its placement. */
static gboolean
check_content (const PqsOutlineItem  *item,
               guint                  number,
               GError               **error)
{
  gboolean question_like = item->kind == PQS_ITEM_QUESTION ||
                           item->kind == PQS_ITEM_SUB_QUESTION ||
                           item->kind == PQS_ITEM_SECOND_LEVEL;

  if (!check_text (item->text, _("text"), number, item->kind, error) ||
      !check_text (item->answer, _("answer"), number, item->kind, error) ||
      !check_text (item->criteria, _("criteria"), number, item->kind, error))
    return FALSE;

  if (item->kind != PQS_ITEM_SIGNATURE && !has_text (item->text))
    return item_error (error, number, item->kind, _("it has no text."));

  if (!question_like && ((item->answer != NULL && *item->answer != '\0') ||
                         (item->criteria != NULL && *item->criteria != '\0')))
    return item_error (error, number, item->kind,
                       _("only questions and sub-questions have an answer and criteria."));

  return TRUE;
}

/**
 * pqs_outline_validate:
 * @outline: (element-type PqsOutlineItem): an outline in document order
 * @error: return location for a #GError
 *
 * Checks the rules of pqs-outline.h: placement of each kind, depths that
 * go down one level at a time, texts, answers and limits. The error
 * (%PQS_OUTLINE_ERROR_INVALID) names the first item at fault.
 *
 * Returns: %TRUE if @outline is valid
 */
gboolean
pqs_outline_validate (GPtrArray  *outline,
                      GError    **error)
{
  PqsItemKind parents[PQS_OUTLINE_MAX_DEPTH + 1];
  guint parent_numbers[PQS_OUTLINE_MAX_DEPTH + 1];
  guint previous_depth = 0;

  g_return_val_if_fail (outline != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (outline->len > PQS_OUTLINE_MAX_ITEMS)
    return too_many_items (error);

  for (guint i = 0; i < outline->len; i++)
    {
      const PqsOutlineItem *item = g_ptr_array_index (outline, i);
      guint number = i + 1;
      PqsItemKind parent;

      if (item == NULL)
        return item_error (error, number, KIND_NONE, _("the item is missing."));
      if (!kind_is_valid (item->kind))
        return item_error (error, number, KIND_NONE, _("its kind is not known."));

      if ((i == 0 && item->depth != 0) || (i > 0 && item->depth > previous_depth + 1))
        return item_error (error, number, item->kind,
                           _("it is indented more than one level below the item before it."));

      /* previous_depth <= PQS_OUTLINE_MAX_DEPTH here, so the parent is known;
       * an item below the deepest level fails its placement. */
      parent = item->depth == 0 ? KIND_NONE : parents[item->depth - 1];
      if (!check_placement (item->kind, parent,
                            item->depth == 0 ? 0 : parent_numbers[item->depth - 1],
                            number, error) ||
          !check_content (item, number, error))
        return FALSE;

      g_assert (item->depth <= PQS_OUTLINE_MAX_DEPTH);
      parents[item->depth] = item->kind;
      parent_numbers[item->depth] = number;
      previous_depth = item->depth;
    }

  return TRUE;
}

/* Reading JSON -------------------------------------------------------------- */

typedef struct
{
  GPtrArray *items;
  GError   **error;
} Reader;

/* A string member that may be missing or null (then *out is NULL). */
static gboolean
read_optional_string (JsonObject  *object,
                      const char  *member,
                      const char **out,
                      guint        number,
                      PqsItemKind  kind,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return item_error (error, number, kind, _("“%s” must be a string."), member);

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean read_items (Reader      *reader,
                            JsonArray   *array,
                            guint        depth,
                            PqsItemKind  parent,
                            guint        parent_number);

static gboolean
read_item (Reader      *reader,
           JsonNode    *node,
           guint        depth,
           PqsItemKind  parent,
           guint        parent_number)
{
  GError **error = reader->error;
  guint number = reader->items->len + 1;
  g_autoptr(PqsOutlineItem) item = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *kind_node;
  JsonNode *children;
  const char *kind_text;
  const char *text = NULL;
  const char *answer = NULL;
  const char *criteria = NULL;
  PqsItemKind kind;

  if (number > PQS_OUTLINE_MAX_ITEMS)
    return too_many_items (error);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return item_error (error, number, KIND_NONE,
                       _("an item is a JSON object with a “kind” and a “text”."));
  object = json_node_get_object (node);

  kind_node = json_object_get_member (object, "kind");
  if (kind_node == NULL || !JSON_NODE_HOLDS_VALUE (kind_node) ||
      json_node_get_value_type (kind_node) != G_TYPE_STRING)
    return item_error (error, number, KIND_NONE, _("“kind” is missing or not a string."));
  kind_text = json_node_get_string (kind_node);
  if (!pqs_item_kind_from_string (kind_text, &kind))
    {
      g_autofree char *shown = pqs_json_input_quote (kind_text, -1, SHOWN_CHARS);

      return item_error (error, number, KIND_NONE,
                         _("“%s” is not a kind of item (the kinds are question, "
                           "sub_question, second_level, text and signature)."), shown);
    }

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_str_equal (name, "kind") && !g_str_equal (name, "text") &&
          !g_str_equal (name, "answer") && !g_str_equal (name, "criteria") &&
          !g_str_equal (name, "children"))
        {
          g_autofree char *shown = pqs_json_input_quote (name, -1, SHOWN_CHARS);

          return item_error (error, number, kind, _("“%s” is not a member of an item."), shown);
        }
    }

  if (!json_object_has_member (object, "text") ||
      JSON_NODE_HOLDS_NULL (json_object_get_member (object, "text")))
    return item_error (error, number, kind, _("“text” is missing."));
  if (!read_optional_string (object, "text", &text, number, kind, error) ||
      !read_optional_string (object, "answer", &answer, number, kind, error) ||
      !read_optional_string (object, "criteria", &criteria, number, kind, error))
    return FALSE;

  if (!check_placement (kind, parent, parent_number, number, error))
    return FALSE;

  /* Placement held, so depth <= PQS_OUTLINE_MAX_DEPTH. */
  item = pqs_outline_item_new (kind, depth, text,
                               answer != NULL && *answer != '\0' ? answer : NULL,
                               criteria != NULL && *criteria != '\0' ? criteria : NULL);
  if (!check_content (item, number, error))
    return FALSE;
  g_ptr_array_add (reader->items, g_steal_pointer (&item));

  children = json_object_get_member (object, "children");
  if (children == NULL || JSON_NODE_HOLDS_NULL (children))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (children))
    return item_error (error, number, kind, _("“children” must be an array of items."));

  return read_items (reader, json_node_get_array (children), depth + 1, kind, number);
}

static gboolean
read_items (Reader      *reader,
            JsonArray   *array,
            guint        depth,
            PqsItemKind  parent,
            guint        parent_number)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    if (!read_item (reader, json_array_get_element (array, i), depth, parent, parent_number))
      return FALSE;

  return TRUE;
}

/**
 * pqs_outline_from_json:
 * @node: the JSON form: an array of items
 * @error: return location for a #GError
 *
 * Reads and checks an outline (the rules of pqs-outline.h). Nothing is
 * trusted: a wrong type, an unknown member, a misplaced item, a text too
 * long or too many items is %PQS_OUTLINE_ERROR_INVALID naming the item.
 *
 * Returns: (transfer full) (element-type PqsOutlineItem): the outline in
 *   document order, or %NULL with @error set
 */
GPtrArray *
pqs_outline_from_json (JsonNode  *node,
                       GError   **error)
{
  g_autoptr(GPtrArray) items = pqs_outline_new ();
  Reader reader = { items, error };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
                           _("An outline is a JSON array of items."));
      return NULL;
    }

  if (!read_items (&reader, json_node_get_array (node), 0, KIND_NONE, 0))
    return NULL;

  return g_steal_pointer (&items);
}

/**
 * pqs_outline_from_json_string:
 * @json: the JSON text of an outline
 * @error: return location for a #GError
 *
 * Like pqs_outline_from_json() on the text. Text that is not UTF-8, not
 * JSON (the error gives the line and column) or nested deeper than an
 * outline can be is refused before anything else.
 *
 * Returns: (transfer full) (element-type PqsOutlineItem): the outline, or
 *   %NULL with @error set
 */
GPtrArray *
pqs_outline_from_json_string (const char  *json,
                              GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL || !g_utf8_validate (json, -1, NULL))
    {
      g_set_error_literal (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
                           _("The outline is not valid UTF-8 text."));
      return NULL;
    }

  if (!pqs_json_input_parse (json, -1, MAX_JSON_NESTING, &root, &local_error))
    {
      if (g_error_matches (local_error, PQS_JSON_INPUT_ERROR, PQS_JSON_INPUT_ERROR_TOO_DEEP))
        g_set_error_literal (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
                             _("The outline is nested deeper than questions, sub-questions "
                               "and second-level sub-questions can be."));
      else
        g_set_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID,
                     _("The outline is not valid JSON: %s."), local_error->message);
      return NULL;
    }

  return pqs_outline_from_json (root, error);
}

/* Writing JSON -------------------------------------------------------------- */

static void
add_item (JsonBuilder          *builder,
          const PqsOutlineItem *item)
{
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, pqs_item_kind_to_string (item->kind));
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, item->text != NULL ? item->text : "");
  if (item->answer != NULL && *item->answer != '\0')
    {
      json_builder_set_member_name (builder, "answer");
      json_builder_add_string_value (builder, item->answer);
    }
  if (item->criteria != NULL && *item->criteria != '\0')
    {
      json_builder_set_member_name (builder, "criteria");
      json_builder_add_string_value (builder, item->criteria);
    }
}

/* Writes the items from *@index on that are at least @depth deep, those at
 * @depth as siblings and deeper ones as their children. */
static void
add_items (JsonBuilder *builder,
           GPtrArray   *outline,
           guint       *index,
           guint        depth)
{
  while (*index < outline->len &&
         ((const PqsOutlineItem *) g_ptr_array_index (outline, *index))->depth >= depth)
    {
      const PqsOutlineItem *item = g_ptr_array_index (outline, *index);

      json_builder_begin_object (builder);
      add_item (builder, item);
      (*index)++;

      if (*index < outline->len &&
          ((const PqsOutlineItem *) g_ptr_array_index (outline, *index))->depth > depth)
        {
          json_builder_set_member_name (builder, "children");
          json_builder_begin_array (builder);
          add_items (builder, outline, index, depth + 1);
          json_builder_end_array (builder);
        }

      json_builder_end_object (builder);
    }
}

/**
 * pqs_outline_to_json:
 * @outline: (element-type PqsOutlineItem): a valid outline
 *
 * The JSON form: a tree, the items following one item one level deeper
 * being its "children". Empty answers and criteria and empty "children"
 * are left out. (An item indented more than one level below the one before
 * it, which pqs_outline_validate() refuses, goes one level below.)
 *
 * Returns: (transfer full): an array node
 */
JsonNode *
pqs_outline_to_json (GPtrArray *outline)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  guint index = 0;

  g_return_val_if_fail (outline != NULL, NULL);

  json_builder_begin_array (builder);
  add_items (builder, outline, &index, 0);
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/**
 * pqs_outline_to_json_string:
 * @outline: (element-type PqsOutlineItem): a valid outline
 *
 * Returns: (transfer full): the compact JSON text of pqs_outline_to_json()
 */
char *
pqs_outline_to_json_string (GPtrArray *outline)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (outline != NULL, NULL);

  root = pqs_outline_to_json (outline);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
