/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-outline.h"

/* The outline of a section document and its JSON form: valid outlines
 * round-trip, every invalid structure is refused naming the item, the
 * limits hold, and hostile JSON (deep nesting, wrong types, huge strings,
 * text that is not UTF-8) is refused cleanly. */

static GPtrArray *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *outline = pqs_outline_from_json_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (outline);
  return outline;
}

/* Parses @json, expects it refused with a message starting with @prefix
 * (and holding @part when not NULL). */
static void
assert_refused (const char *json,
                const char *prefix,
                const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outline = pqs_outline_from_json_string (json, &error);

  g_assert_null (outline);
  g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("“%s” does not hold “%s”", error->message, part);
}

static void
assert_flat_refused (GPtrArray  *outline,
                     const char *prefix)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (pqs_outline_validate (outline, &error));
  g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
}

static void
add (GPtrArray   *outline,
     PqsItemKind  kind,
     guint        depth,
     const char  *text,
     const char  *answer,
     const char  *criteria)
{
  g_ptr_array_add (outline, pqs_outline_item_new (kind, depth, text, answer, criteria));
}

/* A realistic outline with every kind at every place it may stand. */
static GPtrArray *
sample_outline (void)
{
  GPtrArray *outline = pqs_outline_new ();

  add (outline, PQS_ITEM_TEXT, 0, "Answer from the references.", NULL, NULL);
  add (outline, PQS_ITEM_QUESTION, 0, "State the purpose of the lube oil system.",
       "Supplies clean, cool oil to the bearings.", "Purpose in own words.");
  add (outline, PQS_ITEM_SUB_QUESTION, 1, "Name the components.", "Sump, pump, cooler.", NULL);
  add (outline, PQS_ITEM_SECOND_LEVEL, 2, "Purifier", "Removes water.", "Located.");
  add (outline, PQS_ITEM_TEXT, 2, "See drawing 12-3.", NULL, NULL);
  add (outline, PQS_ITEM_SIGNATURE, 2, "", NULL, NULL);
  add (outline, PQS_ITEM_TEXT, 1, "Ask the qualifier about alarms.", NULL, NULL);
  add (outline, PQS_ITEM_SIGNATURE, 1, "Qualifier", NULL, NULL);
  add (outline, PQS_ITEM_QUESTION, 0, "Ünïcödé — “quotes”, tabs\tand\nlines 🚢", NULL,
       "Multi\nline");
  add (outline, PQS_ITEM_SIGNATURE, 0, "Qualifier's signature and date", NULL, NULL);

  return outline;
}

/* Tests ------------------------------------------------------------------ */

static void
test_kinds (void)
{
  static const char * const names[] = { "question", "sub_question", "second_level", "text",
                                        "signature" };
  PqsItemKind kind;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (pqs_item_kind_from_string (names[i], &kind));
      g_assert_cmpint (kind, ==, (PqsItemKind) i);
      g_assert_cmpstr (pqs_item_kind_to_string (kind), ==, names[i]);
      g_assert_nonnull (pqs_item_kind_get_label (kind));
    }
  g_assert_false (pqs_item_kind_from_string ("Question", &kind));
  g_assert_false (pqs_item_kind_from_string ("", &kind));
  g_assert_false (pqs_item_kind_from_string (NULL, &kind));
}

static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) outline = sample_outline ();
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) copy = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree char *empty_json = NULL;

  g_assert_true (pqs_outline_validate (outline, &error));
  g_assert_no_error (error);

  json = pqs_outline_to_json_string (outline);
  g_test_message ("%s", json);
  again = parse_ok (json);
  g_assert_true (pqs_outline_equal (outline, again));
  json_again = pqs_outline_to_json_string (again);
  g_assert_cmpstr (json, ==, json_again);

  copy = pqs_outline_copy (outline);
  g_assert_true (pqs_outline_equal (outline, copy));
  g_free (((PqsOutlineItem *) g_ptr_array_index (copy, 3))->text);
  ((PqsOutlineItem *) g_ptr_array_index (copy, 3))->text = g_strdup ("Cooler");
  g_assert_false (pqs_outline_equal (outline, copy));

  /* The tree: children only where there are some, empty answers left out. */
  g_assert_null (strstr (json, "\"children\":[]"));
  g_assert_nonnull (strstr (json, "{\"kind\":\"text\",\"text\":\"Answer from the references.\"}"));

  empty = parse_ok ("[]");
  g_assert_cmpuint (empty->len, ==, 0);
  empty_json = pqs_outline_to_json_string (empty);
  g_assert_cmpstr (empty_json, ==, "[]");
}

/* JSON written by hand: spacing, nulls, empty answers and empty children. */
static void
test_parse_forms (void)
{
  g_autoptr(GPtrArray) outline = parse_ok (
    "[\n"
    "  {\"kind\": \"question\", \"text\": \"Q1\", \"answer\": null, \"criteria\": \"\",\n"
    "   \"children\": [\n"
    "     {\"kind\": \"sub_question\", \"text\": \"S1\", \"children\": [\n"
    "        {\"kind\": \"second_level\", \"text\": \"L1\", \"answer\": \"A\"}]},\n"
    "     {\"kind\": \"sub_question\", \"text\": \"S2\", \"children\": []}]},\n"
    "  {\"kind\": \"signature\", \"text\": \"\", \"children\": null}\n"
    "]");
  const PqsOutlineItem *item;

  g_assert_cmpuint (outline->len, ==, 5);
  item = g_ptr_array_index (outline, 0);
  g_assert_cmpint (item->kind, ==, PQS_ITEM_QUESTION);
  g_assert_cmpuint (item->depth, ==, 0);
  g_assert_null (item->answer);
  g_assert_null (item->criteria);
  item = g_ptr_array_index (outline, 2);
  g_assert_cmpint (item->kind, ==, PQS_ITEM_SECOND_LEVEL);
  g_assert_cmpuint (item->depth, ==, 2);
  g_assert_cmpstr (item->answer, ==, "A");
  item = g_ptr_array_index (outline, 3);
  g_assert_cmpint (item->kind, ==, PQS_ITEM_SUB_QUESTION);
  g_assert_cmpuint (item->depth, ==, 1);
  item = g_ptr_array_index (outline, 4);
  g_assert_cmpint (item->kind, ==, PQS_ITEM_SIGNATURE);
  g_assert_cmpuint (item->depth, ==, 0);
  g_assert_cmpstr (item->text, ==, "");
}

static void
test_invalid_structure (void)
{
  static const struct
  {
    const char *json;
    const char *prefix;
    const char *part;
  } cases[] = {
    { "[{\"kind\":\"sub_question\",\"text\":\"x\"}]",
      "Item 1 (a sub-question): ", "directly under a question" },
    { "[{\"kind\":\"second_level\",\"text\":\"x\"}]",
      "Item 1 (a second-level sub-question): ", "directly under a sub-question" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"children\":"
      "[{\"kind\":\"second_level\",\"text\":\"x\"}]}]",
      "Item 2 (a second-level sub-question): ", "directly under a sub-question" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"children\":"
      "[{\"kind\":\"question\",\"text\":\"x\"}]}]",
      "Item 2 (a question): ", "top level" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"children\":[{\"kind\":\"sub_question\","
      "\"text\":\"s\",\"children\":[{\"kind\":\"sub_question\",\"text\":\"x\"}]}]}]",
      "Item 3 (a sub-question): ", "directly under a question" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"children\":[{\"kind\":\"sub_question\","
      "\"text\":\"s\",\"children\":[{\"kind\":\"second_level\",\"text\":\"l\",\"children\":"
      "[{\"kind\":\"text\",\"text\":\"x\"}]}]}]}]",
      "Item 4 (a text block): ", "nothing goes under a second-level sub-question (item 3)" },
    { "[{\"kind\":\"signature\",\"text\":\"\",\"children\":[{\"kind\":\"text\",\"text\":\"x\"}]}]",
      "Item 2 (a text block): ", "nothing goes under a signature line (item 1)" },
    { "[{\"kind\":\"text\",\"text\":\"t\",\"children\":[{\"kind\":\"signature\",\"text\":\"\"}]}]",
      "Item 2 (a signature line): ", "nothing goes under a text block (item 1)" },
    { "[{\"kind\":\"text\",\"text\":\"t\",\"answer\":\"a\"}]",
      "Item 1 (a text block): ", "answer and criteria" },
    { "[{\"kind\":\"signature\",\"text\":\"\",\"criteria\":\"c\"}]",
      "Item 1 (a signature line): ", "answer and criteria" },
    { "[{\"kind\":\"question\",\"text\":\"  \\n \"}]", "Item 1 (a question): ", "no text" },
    { "[{\"kind\":\"text\",\"text\":\"\"}]", "Item 1 (a text block): ", "no text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].json, cases[i].prefix, cases[i].part);
}

/* "Item 12 (a sub-question): …" counts items in document order. */
static void
test_item_numbers (void)
{
  g_autoptr(GString) json = g_string_new ("[");

  /* Items 1-11: a question with ten sub-questions. */
  g_string_append (json, "{\"kind\":\"question\",\"text\":\"q\",\"children\":[");
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (json, "%s{\"kind\":\"sub_question\",\"text\":\"s%u\"}",
                            i > 0 ? "," : "", i);
  g_string_append (json, "]},");
  /* Item 12: a sub-question at the top level. */
  g_string_append (json, "{\"kind\":\"sub_question\",\"text\":\"lost\"}]");

  assert_refused (json->str, "Item 12 (a sub-question): ", "directly under a question");
}

static void
test_invalid_types (void)
{
  static const struct
  {
    const char *json;
    const char *prefix;
    const char *part;
  } cases[] = {
    { "{}", "An outline is a JSON array", NULL },
    { "\"question\"", "An outline is a JSON array", NULL },
    { "null", "An outline is a JSON array", NULL },
    { "", "An outline is a JSON array", NULL },
    { "[{\"kind\":\"question\",\"text\":\"q\"}, 3]", "Item 2: ", "JSON object" },
    { "[[]]", "Item 1: ", "JSON object" },
    { "[{\"text\":\"q\"}]", "Item 1: ", "“kind” is missing" },
    { "[{\"kind\":1,\"text\":\"q\"}]", "Item 1: ", "“kind” is missing or not a string" },
    { "[{\"kind\":\"chapter\",\"text\":\"q\"}]", "Item 1: ", "“chapter” is not a kind" },
    { "[{\"kind\":\"question\"}]", "Item 1 (a question): ", "“text” is missing" },
    { "[{\"kind\":\"question\",\"text\":null}]", "Item 1 (a question): ", "“text” is missing" },
    { "[{\"kind\":\"question\",\"text\":42}]", "Item 1 (a question): ", "“text” must be" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"answer\":[\"a\"]}]",
      "Item 1 (a question): ", "“answer” must be a string" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"criteria\":true}]",
      "Item 1 (a question): ", "“criteria” must be a string" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"children\":{}}]",
      "Item 1 (a question): ", "“children” must be an array" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"children\":\"x\"}]",
      "Item 1 (a question): ", "“children” must be an array" },
    { "[{\"kind\":\"question\",\"text\":\"q\",\"position\":1}]",
      "Item 1 (a question): ", "“position” is not a member" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].json, cases[i].prefix, cases[i].part);
}

static void
test_validate_flat (void)
{
  g_autoptr(GPtrArray) deep_first = pqs_outline_new ();
  g_autoptr(GPtrArray) jump = pqs_outline_new ();
  g_autoptr(GPtrArray) too_deep = pqs_outline_new ();
  g_autoptr(GPtrArray) misplaced = pqs_outline_new ();
  g_autoptr(GPtrArray) bad_kind = pqs_outline_new ();

  add (deep_first, PQS_ITEM_SUB_QUESTION, 1, "s", NULL, NULL);
  assert_flat_refused (deep_first, "Item 1 (a sub-question): it is indented");

  add (jump, PQS_ITEM_QUESTION, 0, "q", NULL, NULL);
  add (jump, PQS_ITEM_SECOND_LEVEL, 2, "l", NULL, NULL);
  assert_flat_refused (jump, "Item 2 (a second-level sub-question): it is indented");

  add (too_deep, PQS_ITEM_QUESTION, 0, "q", NULL, NULL);
  add (too_deep, PQS_ITEM_SUB_QUESTION, 1, "s", NULL, NULL);
  add (too_deep, PQS_ITEM_SECOND_LEVEL, 2, "l", NULL, NULL);
  add (too_deep, PQS_ITEM_TEXT, 3, "t", NULL, NULL);
  assert_flat_refused (too_deep, "Item 4 (a text block): nothing goes under a second-level");

  add (misplaced, PQS_ITEM_QUESTION, 0, "q", NULL, NULL);
  add (misplaced, PQS_ITEM_TEXT, 1, "t", NULL, NULL);
  add (misplaced, PQS_ITEM_SUB_QUESTION, 1, "s", NULL, NULL);
  add (misplaced, PQS_ITEM_QUESTION, 1, "q2", NULL, NULL);
  assert_flat_refused (misplaced, "Item 4 (a question): a question stands at the top level");

  add (bad_kind, PQS_ITEM_QUESTION, 0, "q", NULL, NULL);
  add (bad_kind, (PqsItemKind) 42, 0, "?", NULL, NULL);
  assert_flat_refused (bad_kind, "Item 2: its kind is not known");
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *text = g_string_sized_new (strlen (unit) * times);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  return g_string_free (text, FALSE);
}

static void
test_limits (void)
{
  g_autoptr(GPtrArray) many = pqs_outline_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *longest = repeat ("é", PQS_OUTLINE_MAX_TEXT);
  g_autofree char *too_long = repeat ("é", PQS_OUTLINE_MAX_TEXT + 1);

  for (guint i = 0; i < PQS_OUTLINE_MAX_ITEMS; i++)
    add (many, i % 2 == 0 ? PQS_ITEM_QUESTION : PQS_ITEM_SUB_QUESTION, i % 2, "q", "a", "c");
  g_assert_true (pqs_outline_validate (many, &error));
  g_assert_no_error (error);
  json = pqs_outline_to_json_string (many);
  parsed = parse_ok (json);
  g_assert_cmpuint (parsed->len, ==, PQS_OUTLINE_MAX_ITEMS);

  /* One more is too many, in either form. */
  add (many, PQS_ITEM_SUB_QUESTION, 1, "q", NULL, NULL);
  g_assert_false (pqs_outline_validate (many, &error));
  g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2000"));
  g_clear_error (&error);
  g_free (json);
  json = pqs_outline_to_json_string (many);
  assert_refused (json, "An outline has at most 2000 items", NULL);

  /* 20,000 characters (not bytes) in each text is the limit. */
  g_ptr_array_set_size (many, 0);
  add (many, PQS_ITEM_QUESTION, 0, longest, longest, longest);
  g_assert_true (pqs_outline_validate (many, &error));
  g_assert_no_error (error);

  for (guint which = 0; which < 3; which++)
    {
      g_ptr_array_set_size (many, 0);
      add (many, PQS_ITEM_QUESTION, 0, which == 0 ? too_long : "q",
           which == 1 ? too_long : NULL, which == 2 ? too_long : NULL);
      assert_flat_refused (many, "Item 1 (a question): its ");
      g_free (json);
      json = pqs_outline_to_json_string (many);
      assert_refused (json, "Item 1 (a question): its ", "longer than 20000 characters");
    }
}

static void
test_hostile (void)
{
  g_autofree char *deep_arrays = NULL;
  g_autofree char *deep_items = NULL;
  g_autofree char *huge = NULL;
  g_autofree char *huge_json = NULL;
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GPtrArray) brackets = NULL;
  g_autoptr(GError) error = NULL;
  const guint depth = 200000;

  /* A hundred thousand nested arrays never reach json-glib's recursion. */
  deep_arrays = g_strnfill (depth, '[');
  assert_refused (deep_arrays, "The outline is nested deeper", NULL);

  /* Items nested by "children" past the levels an outline has. */
  for (guint i = 0; i < 40; i++)
    g_string_append (nested, "[{\"kind\":\"question\",\"text\":\"q\",\"children\":");
  g_string_append (nested, "[]");
  for (guint i = 0; i < 40; i++)
    g_string_append (nested, "}]");
  assert_refused (nested->str, "The outline is nested deeper", NULL);
  deep_items = g_strdup ("[{\"kind\":\"question\",\"text\":\"q\",\"children\":[{\"kind\":"
                         "\"question\",\"text\":\"q\",\"children\":[{\"kind\":\"question\","
                         "\"text\":\"q\"}]}]}]");
  assert_refused (deep_items, "Item 2 (a question): ", "top level");

  /* Brackets inside strings are text, not nesting. */
  brackets = parse_ok ("[{\"kind\":\"question\",\"text\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                       "{{{{{{{{{{{{{{{{{{{{{{{{{{{{\\\"]]]]\"}]");
  g_assert_cmpuint (brackets->len, ==, 1);
  g_assert_true (g_str_has_prefix (((PqsOutlineItem *) g_ptr_array_index (brackets, 0))->text,
                                   "[[[["));

  /* Not UTF-8, as a whole or inside a string. */
  assert_refused ("[{\"kind\":\"question\",\"text\":\"\xff\xfe\"}]", "The outline is not valid UTF-8",
                  NULL);
  assert_refused ("[{\"kind\":\"question\",\"text\":\"caf\xc3\"}]",
                  "The outline is not valid UTF-8", NULL);

  /* Not JSON: the line and column are given. */
  assert_refused ("[\n  {\"kind\": \"question\",, \"text\": \"q\"}\n]",
                  "The outline is not valid JSON: line 2, column", NULL);
  assert_refused ("[{\"kind\": \"question\" \"text\": \"q\"}", "The outline is not valid JSON: ",
                  NULL);

  /* Control characters other than tabs and line breaks. */
  assert_refused ("[{\"kind\":\"question\",\"text\":\"bell\\u0007\"}]", "Item 1 (a question): ",
                  "control character (U+0007)");
  assert_refused ("[{\"kind\":\"question\",\"text\":\"q\",\"answer\":\"esc\\u001b[31m\"}]",
                  "Item 1 (a question): ", "control character");

  /* A megabyte of text in one item. */
  huge = g_strnfill (1024 * 1024, 'x');
  huge_json = g_strdup_printf ("[{\"kind\":\"question\",\"text\":\"%s\"}]", huge);
  assert_refused (huge_json, "Item 1 (a question): ", "longer than 20000 characters");

  /* A kind or member name of a megabyte is cut short in the message. */
  g_free (huge_json);
  huge_json = g_strdup_printf ("[{\"kind\":\"%s\",\"text\":\"q\"}]", huge);
  g_assert_null (pqs_outline_from_json_string (huge_json, &error));
  g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_clear_error (&error);
  g_free (huge_json);
  huge_json = g_strdup_printf ("[{\"kind\":\"question\",\"text\":\"q\",\"%s\":1}]", huge);
  g_assert_null (pqs_outline_from_json_string (huge_json, &error));
  g_assert_error (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_clear_error (&error);

  /* Numbers, booleans and nulls where items go. */
  assert_refused ("[1e999]", "Item 1: ", "JSON object");
  assert_refused ("[null]", "Item 1: ", "JSON object");
  assert_refused ("[true, false]", "Item 1: ", "JSON object");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/outline/kinds", test_kinds);
  g_test_add_func ("/outline/round-trip", test_round_trip);
  g_test_add_func ("/outline/parse-forms", test_parse_forms);
  g_test_add_func ("/outline/invalid-structure", test_invalid_structure);
  g_test_add_func ("/outline/item-numbers", test_item_numbers);
  g_test_add_func ("/outline/invalid-types", test_invalid_types);
  g_test_add_func ("/outline/validate-flat", test_validate_flat);
  g_test_add_func ("/outline/limits", test_limits);
  g_test_add_func ("/outline/hostile", test_hostile);

  return g_test_run ();
}
