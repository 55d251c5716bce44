/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "pqs-audit.h"
#include "pqs-auth.h"
#include "pqs-template-catalog.h"
#include "pqs-template-field.h"
#include "pqs-template-list.h"
#include "pqs-template.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* Templates: the JSON field list and its validation, the checks of field
 * values, the system templates migration 009 ships, the catalog (create,
 * edit, copy, deactivate, delete) with its permissions for every role and
 * its audit rows, the list model, and `pqs-admin template list`. */

#define PASSWORD "a long enough password"

/* Fields and values --------------------------------------------------------- */

static GPtrArray *
parse_fields_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = pqs_template_fields_parse (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fields);
  return fields;
}

static void
assert_fields_refused (const char *json,
                       const char *prefix,
                       const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = pqs_template_fields_parse (json, &error);

  g_assert_null (fields);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("“%s” does not hold “%s”", error->message, part);
}

#define ALL_TYPES \
  "[{\"key\": \"references\", \"label\": \"References\", \"type\": \"multiline\", " \
  "   \"required\": true, \"help\": \"One per line.\"}," \
  " {\"key\": \"unit\", \"label\": \"Unit\", \"type\": \"text\"}," \
  " {\"key\": \"estimated_hours\", \"label\": \"Estimated hours\", \"type\": \"number\", " \
  "   \"required\": false}," \
  " {\"key\": \"effective\", \"label\": \"Effective date\", \"type\": \"date\", " \
  "   \"required\": true}," \
  " {\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\", \"required\": true, " \
  "   \"options\": [\"Basic\", \"Advanced\"]}," \
  " {\"key\": \"final_signature\", \"label\": \"Final signature\", \"type\": \"signature\", " \
  "   \"required\": true, \"help\": null, \"options\": null}]"

static void
test_fields_parse (void)
{
  g_autoptr(GPtrArray) fields = parse_fields_ok (ALL_TYPES);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) empty = parse_fields_ok (" [ ] ");
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  PqsTemplateField *field;
  PqsFieldType type;

  g_assert_cmpuint (fields->len, ==, 6);
  g_assert_cmpuint (empty->len, ==, 0);

  field = g_ptr_array_index (fields, 0);
  g_assert_cmpstr (pqs_template_field_get_key (field), ==, "references");
  g_assert_cmpstr (pqs_template_field_get_label (field), ==, "References");
  g_assert_cmpint (pqs_template_field_get_field_type (field), ==, PQS_FIELD_MULTILINE);
  g_assert_true (pqs_template_field_get_required (field));
  g_assert_cmpstr (pqs_template_field_get_help (field), ==, "One per line.");
  g_assert_null (pqs_template_field_get_options (field));

  field = g_ptr_array_index (fields, 1);
  g_assert_false (pqs_template_field_get_required (field));
  g_assert_null (pqs_template_field_get_help (field));

  field = pqs_template_fields_find (fields, "level");
  g_assert_nonnull (field);
  g_assert_cmpint (pqs_template_field_get_field_type (field), ==, PQS_FIELD_CHOICE);
  g_assert_cmpstrv (pqs_template_field_get_options (field),
                    ((const char * const[]) { "Basic", "Advanced", NULL }));
  g_assert_null (pqs_template_fields_find (fields, "nope"));

  /* Properties, for bindings. */
  g_object_get (field, "field-type", &type, NULL);
  g_assert_cmpint (type, ==, PQS_FIELD_CHOICE);

  /* The JSON form reads back to the same list. */
  json = pqs_template_fields_to_json_string (fields);
  g_test_message ("%s", json);
  again = parse_fields_ok (json);
  g_assert_cmpuint (again->len, ==, fields->len);
  for (guint i = 0; i < fields->len; i++)
    g_assert_true (pqs_template_field_equal (g_ptr_array_index (fields, i),
                                             g_ptr_array_index (again, i)));
  json_again = pqs_template_fields_to_json_string (again);
  g_assert_cmpstr (json, ==, json_again);

  for (int t = PQS_FIELD_TEXT; t <= PQS_FIELD_SIGNATURE; t++)
    {
      g_assert_true (pqs_field_type_from_string (pqs_field_type_to_string (t), &type));
      g_assert_cmpint (type, ==, t);
      g_assert_nonnull (pqs_field_type_get_label (t));
    }
  g_assert_false (pqs_field_type_from_string ("Text", &type));
}

static void
test_fields_invalid_json (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autofree char *big = NULL;

  assert_fields_refused ("[{\"key\": \"a\",, }]", "The field list is not valid JSON: line 1, column",
                         NULL);
  assert_fields_refused ("[\n  {\"key\": \"rank\",\n   \"label\": Rank}\n]",
                         "The field list is not valid JSON: line 3, column", NULL);
  assert_fields_refused ("[{\"key\": \"a\"}", "The field list is not valid JSON: ", NULL);
  assert_fields_refused ("", "The field list is empty", NULL);
  assert_fields_refused ("   ", "The field list is empty", NULL);
  assert_fields_refused (NULL, "The field list is missing", NULL);
  assert_fields_refused ("[{\"key\": \"a\xff\"}]", "The field list is not valid UTF-8", NULL);
  assert_fields_refused (deep, "The field list is nested too deeply", NULL);
  assert_fields_refused ("[{\"key\": \"a\", \"label\": \"A\", \"type\": \"choice\", "
                         "\"options\": [[[[[[[[\"x\"]]]]]]]]}]",
                         "The field list is nested too deeply", NULL);
  big = g_strnfill (PQS_TEMPLATE_FIELDS_MAX_BYTES + 1, ' ');
  assert_fields_refused (big, "The field list is too big", NULL);
  assert_fields_refused ("{\"key\": \"a\"}", "A field list is a JSON array", NULL);
  assert_fields_refused ("\"fields\"", "A field list is a JSON array", NULL);
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

#define OK_FIELD "{\"key\": \"unit\", \"label\": \"Unit\", \"type\": \"text\"}"

static void
test_fields_invalid (void)
{
  static const struct
  {
    const char *json;
    const char *prefix;
    const char *part;
  } cases[] = {
    { "[" OK_FIELD ", 3]", "Field 2: ", "JSON object" },
    { "[[]]", "Field 1: ", "JSON object" },
    { "[{\"label\": \"Rank\", \"type\": \"text\"}]", "Field 1: “key” is missing.", NULL },
    { "[{\"key\": 3, \"label\": \"Rank\", \"type\": \"text\"}]", "Field 1: “key” must be a string",
      NULL },
    { "[{\"key\": \"\", \"label\": \"Rank\", \"type\": \"text\"}]", "Field 1: the key is empty",
      NULL },
    { "[" OK_FIELD ", {\"key\": \"Rank\", \"label\": \"Rank\", \"type\": \"text\"}]",
      "Field 2 (“Rank”): a key starts with a lower-case letter", NULL },
    { "[{\"key\": \"2nd\", \"label\": \"Second\", \"type\": \"text\"}]", "Field 1 (“2nd”): ",
      "lower-case" },
    { "[{\"key\": \"home-port\", \"label\": \"Home port\", \"type\": \"text\"}]",
      "Field 1 (“home-port”): ", "lower-case" },
    { "[{\"key\": \"_x\", \"label\": \"X\", \"type\": \"text\"}]", "Field 1 (“_x”): ", NULL },
    { "[{\"key\": \"caf\xc3\xa9\", \"label\": \"X\", \"type\": \"text\"}]", "Field 1 (“café”): ",
      NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\"}, " OK_FIELD ", "
      "{\"key\": \"rank\", \"label\": \"Rate\", \"type\": \"text\"}]",
      "Field 3 (“rank”): field 1 has the same key.", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\"}]", "Field 1 (“rank”): “type” is missing.", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": 1}]",
      "Field 1 (“rank”): “type” must be a string.", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"date_time\"}]",
      "Field 1 (“rank”): “date_time” is not a field type", "text, multiline, number" },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"Text\"}]",
      "Field 1 (“rank”): “Text” is not a field type", NULL },
    { "[{\"key\": \"rank\", \"type\": \"text\"}]", "Field 1 (“rank”): “label” is missing.", NULL },
    { "[{\"key\": \"rank\", \"label\": \" \\t \", \"type\": \"text\"}]",
      "Field 1 (“rank”): the label is empty.", NULL },
    { "[{\"key\": \"rank\", \"label\": [\"Rank\"], \"type\": \"text\"}]",
      "Field 1 (“rank”): “label” must be a string.", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\\nRate\", \"type\": \"text\"}]",
      "Field 1 (“rank”): the label holds a line break", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\", \"required\": \"yes\"}]",
      "Field 1 (“rank”): “required” must be true or false.", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\", \"required\": 1}]",
      "Field 1 (“rank”): “required” must be true or false.", NULL },
    { "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\", \"help\": 7}]",
      "Field 1 (“rank”): “help” must be a string.", NULL },
    { "[{\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\"}]",
      "Field 1 (“level”): a choice field needs at least one option.", NULL },
    { "[{\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\", \"options\": []}]",
      "Field 1 (“level”): a choice field needs at least one option.", NULL },
    { "[{\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\", \"options\": \"A, B\"}]",
      "Field 1 (“level”): “options” must be an array of strings.", NULL },
    { "[{\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\", \"options\": [\"A\", 2]}]",
      "Field 1 (“level”): option 2 must be a string.", NULL },
    { "[{\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\", \"options\": [\"A\", \" \"]}]",
      "Field 1 (“level”): option 2 is empty.", NULL },
    { "[{\"key\": \"level\", \"label\": \"Level\", \"type\": \"choice\", "
      "\"options\": [\"A\", \"B\", \"A\"]}]",
      "Field 1 (“level”): the option “A” is listed twice.", NULL },
    { "[{\"key\": \"unit\", \"label\": \"Unit\", \"type\": \"text\", \"options\": [\"A\"]}]",
      "Field 1 (“unit”): only a choice field has options", "“text”" },
    { "[{\"key\": \"unit\", \"label\": \"Unit\", \"type\": \"number\", \"options\": []}]",
      "Field 1 (“unit”): only a choice field has options", NULL },
    { "[{\"key\": \"unit\", \"label\": \"Unit\", \"type\": \"text\", \"default\": \"x\"}]",
      "Field 1 (“unit”): “default” is not a member of a field", NULL },
    { "[{\"key\": \"unit\", \"label\": \"Unit\", \"type\": \"text\", \"Label\": \"x\"}]",
      "Field 1 (“unit”): “Label” is not a member", NULL },
  };
  g_autofree char *long_key = repeat ("k", PQS_TEMPLATE_FIELD_KEY_MAX + 1);
  g_autofree char *long_label = repeat ("é", PQS_TEMPLATE_FIELD_LABEL_MAX + 1);
  g_autofree char *huge_label = repeat ("x", 2 * 1024 * 1024);
  g_autofree char *long_help = repeat ("h", PQS_TEMPLATE_FIELD_HELP_MAX + 1);
  g_autofree char *long_option = repeat ("o", PQS_TEMPLATE_FIELD_OPTION_MAX + 1);
  g_autofree char *json = NULL;
  g_autoptr(GString) many = g_string_new ("[");
  g_autoptr(GString) options = g_string_new ("[");
  g_autoptr(GPtrArray) most = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_fields_refused (cases[i].json, cases[i].prefix, cases[i].part);

  json = g_strdup_printf ("[{\"key\": \"%s\", \"label\": \"K\", \"type\": \"text\"}]", long_key);
  assert_fields_refused (json, "Field 1 (“kkkk", "at most 64 characters");
  g_free (json);
  json = g_strdup_printf ("[{\"key\": \"l\", \"label\": \"%s\", \"type\": \"text\"}]", long_label);
  assert_fields_refused (json, "Field 1 (“l”): the label is longer than 200 characters", NULL);
  g_free (json);
  json = g_strdup_printf ("[{\"key\": \"l\", \"label\": \"%s\", \"type\": \"text\"}]", huge_label);
  assert_fields_refused (json, "Field 1 (“l”): the label is longer than 200 characters", NULL);
  g_free (json);
  json = g_strdup_printf ("[{\"key\": \"h\", \"label\": \"H\", \"type\": \"text\", "
                          "\"help\": \"%s\"}]", long_help);
  assert_fields_refused (json, "Field 1 (“h”): the help text is longer than 2000", NULL);
  g_free (json);
  json = g_strdup_printf ("[{\"key\": \"c\", \"label\": \"C\", \"type\": \"choice\", "
                          "\"options\": [\"a\", \"%s\"]}]", long_option);
  assert_fields_refused (json, "Field 1 (“c”): the option 2 is longer than 200", NULL);

  /* A huge key is cut short in the message. */
  g_free (json);
  json = g_strdup_printf ("[{\"key\": \"%s\", \"label\": \"K\", \"type\": \"text\"}]",
                          huge_label);
  assert_fields_refused (json, "Field 1 (“xxxx", NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (pqs_template_fields_parse (json, &error));
    g_assert_cmpuint (strlen (error->message), <, 400);
  }

  /* 200 fields is the most; 201 are refused as a whole. */
  for (guint i = 0; i < PQS_TEMPLATE_MAX_FIELDS; i++)
    g_string_append_printf (many, "%s{\"key\": \"f%u\", \"label\": \"Field %u\", "
                            "\"type\": \"text\"}", i > 0 ? ", " : "", i, i);
  g_free (json);
  json = g_strconcat (many->str, "]", NULL);
  most = parse_fields_ok (json);
  g_assert_cmpuint (most->len, ==, PQS_TEMPLATE_MAX_FIELDS);
  g_string_append (many, ", {\"key\": \"one_more\", \"label\": \"X\", \"type\": \"text\"}]");
  assert_fields_refused (many->str, "A template has at most 200 fields; this list has 201.",
                         NULL);

  for (guint i = 0; i <= PQS_TEMPLATE_FIELD_MAX_OPTIONS; i++)
    g_string_append_printf (options, "%s\"o%u\"", i > 0 ? ", " : "", i);
  g_string_append (options, "]");
  g_free (json);
  json = g_strdup_printf ("[{\"key\": \"c\", \"label\": \"C\", \"type\": \"choice\", "
                          "\"options\": %s}]", options->str);
  assert_fields_refused (json, "Field 1 (“c”): a choice field has at most 100 options.", NULL);
}

/* Lists built in code go through the same rules. */
static void
test_fields_validate (void)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  const char * const options[] = { "Day", "Night", NULL };

  g_ptr_array_add (fields, pqs_template_field_new ("shift", "Shift", PQS_FIELD_CHOICE, TRUE,
                                                   "When", options));
  g_ptr_array_add (fields, pqs_template_field_new ("notes", "Notes", PQS_FIELD_MULTILINE, FALSE,
                                                   NULL, NULL));
  g_assert_true (pqs_template_fields_validate (fields, &error));
  g_assert_no_error (error);

  g_ptr_array_add (fields, pqs_template_field_new ("shift", "Shift again", PQS_FIELD_TEXT, FALSE,
                                                   NULL, NULL));
  g_assert_false (pqs_template_fields_validate (fields, &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Field 3 (“shift”): field 1 has the same key.");
  g_clear_error (&error);

  g_ptr_array_set_size (fields, 2);
  g_ptr_array_add (fields, pqs_template_field_new ("date", "Date", PQS_FIELD_DATE, FALSE,
                                                   NULL, options));
  g_assert_false (pqs_template_fields_validate (fields, &error));
  g_assert_true (g_str_has_prefix (error->message, "Field 3 (“date”): only a choice field"));
}

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_values (GPtrArray  *fields,
               const char *metadata,
               gboolean    require_all,
               const char *message)
{
  g_autoptr(JsonObject) object = object_from (metadata);
  g_autoptr(GError) error = NULL;
  gboolean ok = pqs_template_fields_check_values (fields, object, require_all, &error);

  if (message == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      return;
    }

  g_assert_false (ok);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_test_message ("%s -> %s", metadata, error->message);
  if (!g_str_has_prefix (error->message, message))
    g_error ("“%s” does not start with “%s”", error->message, message);
}

#define FILLED \
  "\"references\": \"NSTM 262\\nNSTM 079\", \"unit\": \"USS Example\", " \
  "\"estimated_hours\": 6.5, \"effective\": \"2024-02-29\", \"level\": \"Basic\", " \
  "\"final_signature\": {\"name\": \"J. Smith\", \"rank\": \"LT\", \"date\": \"2026-11-23\"}"

static void
test_values (void)
{
  g_autoptr(GPtrArray) fields = parse_fields_ok (ALL_TYPES);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) infinite = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonObject) with_infinite = json_object_new ();

  /* Everything filled, on save and on submit. */
  assert_values (fields, "{" FILLED "}", FALSE, NULL);
  assert_values (fields, "{" FILLED "}", TRUE, NULL);
  g_assert_true (pqs_template_fields_check_values (fields, NULL, FALSE, &error));
  g_assert_no_error (error);

  /* A save may leave fields empty; a submit may not leave required ones. */
  assert_values (fields, "{}", FALSE, NULL);
  assert_values (fields, "{\"references\": \"  \", \"effective\": \"\", \"level\": null}", FALSE,
                 NULL);
  assert_values (fields, "{}", TRUE, "“References” is required");
  assert_values (fields, "{" FILLED ", \"references\": \" \\n \"}", TRUE,
                 "“References” is required");
  assert_values (fields, "{" FILLED ", \"effective\": null}", TRUE, "“Effective date” is required");
  assert_values (fields, "{" FILLED ", \"level\": \"\"}", TRUE, "“Level” is required");
  /* Optional fields may stay empty on submit. */
  assert_values (fields, "{" FILLED ", \"unit\": \"\", \"estimated_hours\": null}", TRUE, NULL);

  /* Unknown keys are refused. */
  assert_values (fields, "{\"series\": 100}", FALSE, "The template has no field “series”.");
  assert_values (fields, "{" FILLED ", \"Unit\": \"x\"}", FALSE, "The template has no field “Unit”.");

  /* Types and formats. */
  assert_values (fields, "{\"unit\": 12}", FALSE, "“Unit” must be text.");
  assert_values (fields, "{\"unit\": \"two\\nlines\"}", FALSE, "“Unit” is one line of text");
  assert_values (fields, "{\"unit\": [\"x\"]}", FALSE, "“Unit” must be text.");
  assert_values (fields, "{\"references\": \"a\\tb\\nc\"}", FALSE, NULL);
  assert_values (fields, "{\"references\": \"bell\\u0007\"}", FALSE,
                 "“References” holds a control character.");
  assert_values (fields, "{\"estimated_hours\": \"6\"}", FALSE, "“Estimated hours” must be a number.");
  assert_values (fields, "{\"estimated_hours\": true}", FALSE, "“Estimated hours” must be a number.");
  assert_values (fields, "{\"estimated_hours\": 12}", FALSE, NULL);
  assert_values (fields, "{\"estimated_hours\": -0.25}", FALSE, NULL);
  assert_values (fields, "{\"estimated_hours\": 1e999}", FALSE,
                 "“Estimated hours” must be a finite number.");
  assert_values (fields, "{\"effective\": \"2023-02-29\"}", FALSE, "“Effective date” must be a day");
  assert_values (fields, "{\"effective\": \"2026-13-01\"}", FALSE, "“Effective date” must be a day");
  assert_values (fields, "{\"effective\": \"2026-1-05\"}", FALSE, "“Effective date” must be a day");
  assert_values (fields, "{\"effective\": \"2026-01-05T00:00:00Z\"}", FALSE,
                 "“Effective date” must be a day");
  assert_values (fields, "{\"effective\": \"0000-01-01\"}", FALSE, "“Effective date” must be a day");
  assert_values (fields, "{\"effective\": \"２０２６-01-05\"}", FALSE,
                 "“Effective date” must be a day");
  assert_values (fields, "{\"effective\": 20260105}", FALSE, "“Effective date” must be a date");
  assert_values (fields, "{\"effective\": \"2026-01-05\"}", FALSE, NULL);
  assert_values (fields, "{\"level\": \"Expert\"}", FALSE,
                 "“Expert” is not one of the options of “Level”.");
  assert_values (fields, "{\"level\": \"basic\"}", FALSE, "“basic” is not one of the options");
  assert_values (fields, "{\"level\": 1}", FALSE, "“Level” must be one of its options.");
  assert_values (fields, "{\"level\": \"Advanced\"}", FALSE, NULL);

  /* Signatures. */
  assert_values (fields, "{\"final_signature\": \"J. Smith\"}", FALSE,
                 "“Final signature” is a signature");
  assert_values (fields, "{\"final_signature\": {\"name\": \"J\", \"grade\": \"x\"}}", FALSE,
                 "“Final signature” is a signature with a name, a rank and a date; “grade”");
  assert_values (fields, "{\"final_signature\": {\"name\": 5}}", FALSE,
                 "The name, rank and date in “Final signature” must be text.");
  assert_values (fields, "{\"final_signature\": {\"name\": \"J\", \"date\": \"23/11/2026\"}}",
                 FALSE, "The date in “Final signature” must be a day");
  assert_values (fields, "{\"final_signature\": {\"name\": \"J\\nK\"}}", FALSE,
                 "“Final signature” is one line of text");
  assert_values (fields, "{\"final_signature\": {\"name\": \"J\", \"rank\": null, "
                 "\"date\": \"\"}}", FALSE, NULL);
  assert_values (fields, "{" FILLED ", \"final_signature\": {\"name\": \"J\", \"rank\": \"LT\", "
                 "\"date\": \"\"}}", TRUE, "“Final signature” needs a name and a date.");
  assert_values (fields, "{" FILLED ", \"final_signature\": {\"name\": \"J\", "
                 "\"date\": \"2026-11-23\"}}", TRUE, NULL);

  /* A number that JSON text cannot hold, built in code. */
  json_node_set_double (infinite, NAN);
  json_object_set_member (with_infinite, "estimated_hours", json_node_ref (infinite));
  g_assert_false (pqs_template_fields_check_values (fields, with_infinite, FALSE, &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);

  /* One field at a time, for a form that checks as you type. */
  g_assert_true (pqs_template_field_check_value (g_ptr_array_index (fields, 0), NULL, FALSE,
                                                 &error));
  g_assert_false (pqs_template_field_check_value (g_ptr_array_index (fields, 0), NULL, TRUE,
                                                  &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_true (pqs_template_field_value_is_empty (g_ptr_array_index (fields, 0), NULL));
}

/* The database ------------------------------------------------------------ */

typedef struct
{
  char               *dir;
  char               *path;
  PqsStore           *store;
  sqlite3            *db;
  PqsUserDirectory   *directory;
  PqsTemplateCatalog *catalog;
  PqsUser            *admin;
  PqsUser            *supervisor;
  PqsUser            *user;
  PqsUser            *visitor;
} Fixture;

static PqsUser *
add_user (Fixture    *fixture,
          const char *username,
          PqsRole     role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, "Some Body", "PO1" };
  PqsUser *user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields, role,
                                             PASSWORD, &error);

  g_assert_no_error (error);
  return user;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PqsUserFields fields = { "admin", "admin@example.org", "Ada Admin", "CDR" };

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  fixture->path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (fixture->path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_test_clock_install (fixture->store, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  fixture->directory = pqs_user_directory_new (fixture->store);
  fixture->catalog = pqs_template_catalog_new (fixture->store);

  fixture->admin = pqs_user_directory_create_first_admin (fixture->directory, &fields, PASSWORD,
                                                          &error);
  g_assert_no_error (error);
  fixture->supervisor = add_user (fixture, "boss", PQS_ROLE_SUPERVISOR);
  fixture->user = add_user (fixture, "writer", PQS_ROLE_USER);
  fixture->visitor = add_user (fixture, "guest", PQS_ROLE_VISITOR);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->supervisor);
  g_clear_object (&fixture->user);
  g_clear_object (&fixture->visitor);
  g_clear_object (&fixture->catalog);
  g_clear_object (&fixture->directory);
  g_clear_object (&fixture->store);
  g_free (fixture->path);
  pqs_test_tmpdir_free (fixture->dir);
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return pqs_test_query_int (fixture->db, sql);
}

static gint64
system_id (Fixture *fixture,
           int      section)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM templates WHERE is_system = 1 AND "
                                          "section = %d ORDER BY id LIMIT 1", section);

  return count (fixture, sql);
}

static void
assert_chain_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad = 0;

  g_assert_true (pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, &bad, &error));
  g_assert_no_error (error);
}

static gint64
audit_count (Fixture    *fixture,
             const char *activity)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM user_activities "
                                          "WHERE activity_type = '%s'", activity);

  return count (fixture, sql);
}

/* A standard and a document made from template @template_id, written with
 * SQL as any writer could. */
static gint64
insert_document (Fixture *fixture,
                 gint64   template_id,
                 int      number)
{
  g_autofree char *sql = NULL;

  if (count (fixture, "SELECT count(*) FROM standards WHERE title = 'Test standard'") == 0)
    pqs_test_exec (fixture->db, "INSERT INTO standards (title, created_by) "
                                "VALUES ('Test standard', 1)");
  sql = g_strdup_printf ("INSERT INTO documents (standard_id, title, section, document_number, "
                         "template_id, created_by) SELECT (SELECT id FROM standards WHERE "
                         "title = 'Test standard'), 'Doc %d', section, %d, id, 1 "
                         "FROM templates WHERE id = %" G_GINT64_FORMAT,
                         number, number, template_id);
  pqs_test_exec (fixture->db, sql);
  return sqlite3_last_insert_rowid (fixture->db);
}

static GPtrArray *
simple_outline (void)
{
  GPtrArray *outline = pqs_outline_new ();

  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, "Why?", "Because.",
                                                  "Complete."));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "How?", NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SIGNATURE, 0, "", NULL, NULL));
  return outline;
}

static PqsTemplate *
create_ok (Fixture    *fixture,
           PqsUser    *actor,
           const char *name,
           int         section)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outline = simple_outline ();
  PqsTemplateSpec spec = { name, "A test template", section, "BODY\n",
                           "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\"}]",
                           outline };
  PqsTemplate *template = pqs_template_catalog_create (fixture->catalog, actor, &spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (template);
  return template;
}

/* The system templates --------------------------------------------------- */

static void
test_system_templates (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PqsTemplateList) list = pqs_template_list_new (fixture->store);
  g_autoptr(GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates WHERE is_system = 1"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates WHERE NOT (json_valid(fields) "
                                   "AND json_valid(outline) AND json_type(fields) = 'array' AND "
                                   "json_type(outline) = 'array')"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);

  for (int section = 100; section <= 300; section += 100)
    {
      PqsTemplate *template = g_list_model_get_item (G_LIST_MODEL (list), section / 100 - 1);
      g_autofree char *hash = NULL;
      GPtrArray *fields;
      GPtrArray *outline;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (pqs_template_get_section (template), ==, section);
      g_assert_cmpint (pqs_template_get_id (template), ==, section);
      g_assert_true (pqs_template_get_system (template));
      g_assert_true (pqs_template_get_active (template));
      g_assert_null (pqs_template_get_problem (template));
      g_assert_cmpint (pqs_template_get_created_by (template), ==, 0);
      g_assert_cmpstr (pqs_template_get_name (template), !=, "");
      g_assert_nonnull (pqs_template_get_description (template));
      g_assert_cmpuint (strlen (pqs_template_get_body (template)), >, 20);
      g_assert_nonnull (pqs_template_get_created_at (template));

      fields = pqs_template_get_fields (template);
      outline = pqs_template_get_outline (template);
      g_assert_cmpuint (fields->len, >=, 4);
      g_assert_cmpuint (outline->len, >=, 5);
      g_assert_true (pqs_outline_validate (outline, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < fields->len; i++)
        {
          PqsTemplateField *field = g_ptr_array_index (fields, i);

          /* Every shipped field explains itself. */
          g_assert_nonnull (pqs_template_field_get_help (field));
          g_hash_table_add (types, (gpointer) pqs_field_type_to_string (
                              pqs_template_field_get_field_type (field)));
        }
      for (guint i = 0; i < outline->len; i++)
        g_hash_table_add (kinds, (gpointer) pqs_item_kind_to_string (
                            ((PqsOutlineItem *) g_ptr_array_index (outline, i))->kind));
      /* Each ends with a signature line. */
      g_assert_cmpint (((PqsOutlineItem *) g_ptr_array_index (outline, outline->len - 1))->kind,
                       ==, PQS_ITEM_SIGNATURE);

      /* The hash in the migration is the one the model computes. */
      hash = pqs_template_compute_hash (pqs_template_get_body (template), fields, outline);
      g_assert_cmpstr (hash, ==, pqs_template_get_template_hash (template));

      g_object_unref (template);
    }

  /* Between them, every field type and every kind of item. */
  g_assert_cmpuint (g_hash_table_size (types), ==, 6);
  g_assert_cmpuint (g_hash_table_size (kinds), ==, 5);
}

/* The hash ignores JSON spacing but not content. */
static void
test_hash (void)
{
  g_autoptr(GPtrArray) fields = parse_fields_ok (ALL_TYPES);
  g_autoptr(GPtrArray) outline = simple_outline ();
  g_autoptr(GPtrArray) fields_again = NULL;
  g_autofree char *json = pqs_template_fields_to_json_string (fields);
  g_autofree char *hash = pqs_template_compute_hash ("Body", fields, outline);
  g_autofree char *hash_again = NULL;
  g_autofree char *other_body = pqs_template_compute_hash ("Body ", fields, outline);
  g_autofree char *other_outline = NULL;

  fields_again = parse_fields_ok (json);
  hash_again = pqs_template_compute_hash ("Body", fields_again, outline);
  g_assert_cmpuint (strlen (hash), ==, 64);
  g_assert_cmpstr (hash, ==, hash_again);
  g_assert_cmpstr (hash, !=, other_body);

  ((PqsOutlineItem *) g_ptr_array_index (outline, 1))->depth = 0;
  ((PqsOutlineItem *) g_ptr_array_index (outline, 1))->kind = PQS_ITEM_QUESTION;
  other_outline = pqs_template_compute_hash ("Body", fields, outline);
  g_assert_cmpstr (hash, !=, other_outline);
}

/* The catalog ------------------------------------------------------------ */

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  PqsUser *actors[] = { fixture->visitor, fixture->user, fixture->supervisor, fixture->admin,
                        NULL };
  gint64 system = system_id (fixture, 200);

  for (guint i = 0; i < G_N_ELEMENTS (actors); i++)
    {
      PqsUser *actor = actors[i];
      gboolean allowed = actor == NULL || pqs_user_get_role (actor) >= PQS_ROLE_SUPERVISOR;
      g_autoptr(GError) error = NULL;
      g_autoptr(PqsTemplate) created = NULL;
      g_autoptr(PqsTemplate) copy = NULL;
      g_autoptr(PqsTemplate) read = NULL;
      g_autoptr(GPtrArray) outline = simple_outline ();
      g_autofree char *name = g_strdup_printf ("Template of actor %u", i);
      PqsTemplateSpec spec = { name, NULL, 100, "", "[]", outline };
      PqsTemplateSpec rename = { NULL, "New description", 0, NULL, NULL, NULL };
      gint64 templates = count (fixture, "SELECT count(*) FROM templates");
      gint64 activities = count (fixture, "SELECT count(*) FROM user_activities");
      gint64 last_activity = count (fixture, "SELECT max(id) FROM user_activities");
      gint64 own = 0;

      g_test_message ("actor %s", actor != NULL ? pqs_user_get_username (actor) : "(operator)");

      /* Everyone reads active templates. */
      read = pqs_template_catalog_lookup (fixture->catalog, actor, system, &error);
      g_assert_no_error (error);
      g_assert_nonnull (read);
      g_clear_object (&read);

      created = pqs_template_catalog_create (fixture->catalog, actor, &spec, &error);
      if (!allowed)
        {
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_assert_null (created);
          g_clear_error (&error);
          copy = pqs_template_catalog_copy (fixture->catalog, actor, system, &error);
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_assert_null (copy);
          g_clear_error (&error);

          /* Their attempts on someone else's template fail alike. */
          own = system_id (fixture, 100);
          {
            g_autoptr(PqsTemplate) target = create_ok (fixture, fixture->admin, name, 300);

            own = pqs_template_get_id (target);
          }
          templates = count (fixture, "SELECT count(*) FROM templates");
          activities = count (fixture, "SELECT count(*) FROM user_activities");

          g_assert_false (pqs_template_catalog_update (fixture->catalog, actor, own, &rename,
                                                       &error));
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_clear_error (&error);
          g_assert_false (pqs_template_catalog_set_active (fixture->catalog, actor, own, FALSE,
                                                           &error));
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_clear_error (&error);
          g_assert_false (pqs_template_catalog_delete (fixture->catalog, actor, own, &error));
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_clear_error (&error);
          /* Even a missing template is refused for the role first. */
          g_assert_false (pqs_template_catalog_delete (fixture->catalog, actor, 999999, &error));
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_clear_error (&error);

          /* Nothing was written. */
          g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates"), ==, templates);
          g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==,
                           activities);
          g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates WHERE is_active = 0"),
                           ==, 0);

          /* A deactivated template is hidden from them. */
          g_assert_true (pqs_template_catalog_set_active (fixture->catalog, fixture->admin, own,
                                                          FALSE, &error));
          g_assert_no_error (error);
          read = pqs_template_catalog_lookup (fixture->catalog, actor, own, &error);
          g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND);
          g_assert_null (read);
          g_clear_error (&error);
          g_assert_true (pqs_template_catalog_delete (fixture->catalog, fixture->admin, own,
                                                      &error));
          g_assert_no_error (error);
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (created);
      copy = pqs_template_catalog_copy (fixture->catalog, actor, system, &error);
      g_assert_no_error (error);
      g_assert_nonnull (copy);
      own = pqs_template_get_id (created);
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates"), ==, templates + 2);
      g_assert_cmpint (pqs_template_get_created_by (created), ==,
                       actor != NULL ? pqs_user_get_id (actor) : 0);

      g_assert_true (pqs_template_catalog_update (fixture->catalog, actor, own, &rename, &error));
      g_assert_no_error (error);
      g_assert_true (pqs_template_catalog_set_active (fixture->catalog, actor, own, FALSE,
                                                      &error));
      g_assert_no_error (error);
      read = pqs_template_catalog_lookup (fixture->catalog, actor, own, &error);
      g_assert_no_error (error);
      g_assert_false (pqs_template_get_active (read));
      g_assert_true (pqs_template_catalog_delete (fixture->catalog, actor, own, &error));
      g_assert_no_error (error);
      g_assert_true (pqs_template_catalog_delete (fixture->catalog, actor,
                                                  pqs_template_get_id (copy), &error));
      g_assert_no_error (error);

      /* Each change wrote one audit row, by the actor. */
      g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==,
                       activities + 6);
      if (actor != NULL)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM user_activities WHERE "
                                                  "user_id = %" G_GINT64_FORMAT " AND "
                                                  "resource_type = 'template' AND id > %"
                                                  G_GINT64_FORMAT, pqs_user_get_id (actor),
                                                  last_activity);

          g_assert_cmpint (count (fixture, sql), ==, 6);
        }
    }

  /* A deactivated account may do nothing, however high its role. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsTemplate) read = NULL;
    g_autoptr(PqsTemplate) copy = NULL;

    g_assert_true (pqs_user_directory_set_active (fixture->directory, fixture->admin,
                                                  pqs_user_get_id (fixture->supervisor), FALSE,
                                                  &error));
    g_assert_no_error (error);
    copy = pqs_template_catalog_copy (fixture->catalog, fixture->supervisor, system, &error);
    g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
    g_assert_null (copy);
  }

  assert_chain_ok (fixture);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplate) template = NULL;
  g_autoptr(PqsTemplate) other_series = NULL;
  g_autoptr(PqsTemplate) refused = NULL;
  g_autoptr(GPtrArray) outline = simple_outline ();
  g_autoptr(GPtrArray) bad_outline = pqs_outline_new ();
  g_autofree char *hash = NULL;
  g_autofree char *details = NULL;
  PqsTemplateSpec spec = { "  Damage control  ", "For DC sections", 100, "BODY\n",
                           "[ {\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\", "
                           "\"required\": true} ]", outline };
  gint64 templates, activities;

  template = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_template_get_name (template), ==, "Damage control");
  g_assert_cmpstr (pqs_template_get_description (template), ==, "For DC sections");
  g_assert_cmpint (pqs_template_get_section (template), ==, 100);
  g_assert_cmpstr (pqs_template_get_body (template), ==, "BODY\n");
  g_assert_false (pqs_template_get_system (template));
  g_assert_true (pqs_template_get_active (template));
  g_assert_cmpuint (pqs_template_get_fields (template)->len, ==, 1);
  g_assert_true (pqs_outline_equal (pqs_template_get_outline (template), outline));
  /* Stored in the canonical compact form. */
  g_assert_cmpstr (pqs_template_get_fields_json (template), ==,
                   "[{\"key\":\"rank\",\"label\":\"Rank\",\"type\":\"text\",\"required\":true}]");
  hash = pqs_template_compute_hash ("BODY\n", pqs_template_get_fields (template), outline);
  g_assert_cmpstr (pqs_template_get_template_hash (template), ==, hash);
  g_assert_cmpint (pqs_template_get_created_by (template), ==,
                   pqs_user_get_id (fixture->supervisor));
  g_assert_cmpint (pqs_template_get_updated_by (template), ==,
                   pqs_user_get_id (fixture->supervisor));
  g_assert_cmpint (g_date_time_to_unix (pqs_template_get_created_at (template)), ==, 1795000000);

  /* The audit row names the template. */
  details = pqs_test_query_text (fixture->db,
                                 "SELECT details FROM user_activities "
                                 "WHERE activity_type = 'template.create'");
  g_assert_nonnull (strstr (details, "\"name\":\"Damage control\""));
  g_assert_cmpint (count (fixture, "SELECT resource_id FROM user_activities "
                                   "WHERE activity_type = 'template.create'"), ==,
                   pqs_template_get_id (template));

  templates = count (fixture, "SELECT count(*) FROM templates");
  activities = count (fixture, "SELECT count(*) FROM user_activities");

  /* Names are unique within a series, ignoring case; another series may reuse it. */
  spec.name = "DAMAGE CONTROL";
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already has a template named"));
  g_clear_error (&error);
  spec.section = 200;
  other_series = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec,
                                              &error);
  g_assert_no_error (error);
  templates++;
  activities++;

  /* Each invalid part is refused, with nothing written. */
  spec.section = 300;
  spec.name = "Fresh";
  spec.fields_json = "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\"}, "
                     "{\"key\": \"rank\", \"label\": \"Rate\", \"type\": \"text\"}]";
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Field 2 (“rank”): field 1 has the same key.");
  g_clear_error (&error);

  spec.fields_json = "[{\"key\": \"rank\",";
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "The field list is not valid JSON"));
  g_clear_error (&error);

  spec.fields_json = NULL;
  g_ptr_array_add (bad_outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, "Q", NULL, NULL));
  g_ptr_array_add (bad_outline, pqs_outline_item_new (PQS_ITEM_SECOND_LEVEL, 1, "L", NULL, NULL));
  spec.outline = bad_outline;
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Item 2 (a second-level sub-question): "));
  g_clear_error (&error);
  spec.outline = NULL;

  spec.section = 400;
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  spec.section = 300;

  spec.name = " ";
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  spec.name = "Two\nlines";
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  spec.name = "Fine";
  spec.body = "bell\a";
  refused = pqs_template_catalog_create (fixture->catalog, fixture->supervisor, &spec, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (refused);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates"), ==, templates);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, activities);

  /* The minimum: a name and a series. */
  {
    PqsTemplateSpec minimal = { "Minimal", NULL, 300, NULL, NULL, NULL };
    g_autoptr(PqsTemplate) made = pqs_template_catalog_create (fixture->catalog, NULL, &minimal,
                                                               &error);

    g_assert_no_error (error);
    g_assert_cmpstr (pqs_template_get_fields_json (made), ==, "[]");
    g_assert_cmpstr (pqs_template_get_outline_json (made), ==, "[]");
    g_assert_cmpstr (pqs_template_get_body (made), ==, "");
    g_assert_null (pqs_template_get_description (made));
    g_assert_cmpint (pqs_template_get_created_by (made), ==, 0);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                     "activity_type = 'template.create' AND user_id IS NULL AND "
                                     "json_extract(details, '$.operator') IS NOT NULL"), ==, 1);
  }
  assert_chain_ok (fixture);
}

static void
test_update (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplate) template = create_ok (fixture, fixture->supervisor, "Engines", 200);
  g_autoptr(PqsTemplate) after = NULL;
  g_autoptr(PqsTemplate) system = NULL;
  g_autoptr(GPtrArray) outline = simple_outline ();
  g_autofree char *changed = NULL;
  gint64 id = pqs_template_get_id (template);
  gint64 system_200 = system_id (fixture, 200);
  gint64 activities;
  PqsTemplateSpec spec = { "Main engines", NULL, 0, "NEW BODY",
                           "[{\"key\": \"hours\", \"label\": \"Hours\", \"type\": \"number\"}]",
                           NULL };
  PqsTemplateSpec nothing = { NULL, NULL, 0, NULL, NULL, NULL };
  PqsTemplateSpec same = { "Main engines", NULL, 0, "NEW BODY", NULL, NULL };
  PqsTemplateSpec move = { NULL, NULL, 300, NULL, NULL, NULL };

  pqs_test_clock_advance (60 * G_USEC_PER_SEC);
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &spec,
                                              &error));
  g_assert_no_error (error);
  after = pqs_template_load (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_template_get_name (after), ==, "Main engines");
  g_assert_cmpstr (pqs_template_get_body (after), ==, "NEW BODY");
  g_assert_cmpstr (pqs_template_get_description (after), ==, "A test template");
  g_assert_cmpuint (pqs_template_get_fields (after)->len, ==, 1);
  g_assert_true (pqs_outline_equal (pqs_template_get_outline (after),
                                    pqs_template_get_outline (template)));
  g_assert_cmpstr (pqs_template_get_template_hash (after), !=,
                   pqs_template_get_template_hash (template));
  g_assert_cmpint (pqs_template_get_updated_by (after), ==, pqs_user_get_id (fixture->admin));
  g_assert_cmpint (g_date_time_to_unix (pqs_template_get_updated_at (after)), ==, 1795000060);
  changed = pqs_test_query_text (fixture->db,
                                 "SELECT json_extract(details, '$.changed') FROM user_activities "
                                 "WHERE activity_type = 'template.update'");
  g_assert_cmpstr (changed, ==, "[\"name\",\"body\",\"fields\"]");

  /* Nothing to change writes nothing. */
  activities = count (fixture, "SELECT count(*) FROM user_activities");
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &nothing,
                                              &error));
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &same,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, activities);

  /* The outline alone, and an invalid one. */
  spec = nothing;
  spec.outline = outline;
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_TEXT, 0, "The end.", NULL, NULL));
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &spec,
                                              &error));
  g_assert_no_error (error);
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "Lost", NULL, NULL));
  g_assert_false (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &spec,
                                               &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Item 5 (a sub-question): nothing goes under "
                                                   "a text block (item 4)."));
  g_clear_error (&error);
  g_clear_object (&after);
  after = pqs_template_load (fixture->store, id, &error);
  g_assert_cmpuint (pqs_template_get_outline (after)->len, ==, 4);

  /* A template no document uses may move to another series. */
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &move,
                                              &error));
  g_assert_no_error (error);
  insert_document (fixture, id, 301);
  move.section = 100;
  g_assert_false (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &move,
                                               &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_IN_USE);
  g_clear_error (&error);
  /* But its content may change while in use. */
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &same,
                                              &error));
  g_assert_no_error (error);

  /* Another template's name in the same series is taken. */
  {
    g_autoptr(PqsTemplate) other = create_ok (fixture, fixture->admin, "Boilers", 300);
    PqsTemplateSpec rename = { "boilers", NULL, 0, NULL, NULL, NULL };

    g_assert_false (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &rename,
                                                 &error));
    g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* System templates are copied, not edited. */
  activities = count (fixture, "SELECT count(*) FROM user_activities");
  system = pqs_template_load (fixture->store, system_200, &error);
  g_assert_false (pqs_template_catalog_update (fixture->catalog, fixture->admin, system_200,
                                               &same, &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_SYSTEM);
  g_assert_true (g_str_has_prefix (error->message, "System templates can be copied, not edited"));
  g_clear_error (&error);
  g_assert_false (pqs_template_catalog_update (fixture->catalog, NULL, system_200, &nothing,
                                               &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_SYSTEM);
  g_clear_error (&error);
  g_clear_object (&after);
  after = pqs_template_load (fixture->store, system_200, &error);
  g_assert_cmpstr (pqs_template_get_name (after), ==, pqs_template_get_name (system));
  g_assert_cmpstr (pqs_template_get_template_hash (after), ==,
                   pqs_template_get_template_hash (system));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, activities);

  g_assert_false (pqs_template_catalog_update (fixture->catalog, fixture->admin, 999999, &same,
                                               &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND);
  assert_chain_ok (fixture);
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplate) system = NULL;
  g_autoptr(PqsTemplate) copy = NULL;
  g_autoptr(PqsTemplate) second = NULL;
  g_autoptr(PqsTemplate) edited = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_2 = NULL;
  gint64 system_300 = system_id (fixture, 300);
  PqsTemplateSpec spec = { NULL, NULL, 0, "Our own body", NULL, NULL };

  system = pqs_template_load (fixture->store, system_300, &error);
  g_assert_no_error (error);

  copy = pqs_template_catalog_copy (fixture->catalog, fixture->supervisor, system_300, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("%s (copy)", pqs_template_get_name (system));
  g_assert_cmpstr (pqs_template_get_name (copy), ==, expected);
  g_assert_false (pqs_template_get_system (copy));
  g_assert_true (pqs_template_get_active (copy));
  g_assert_cmpint (pqs_template_get_section (copy), ==, 300);
  g_assert_cmpstr (pqs_template_get_body (copy), ==, pqs_template_get_body (system));
  g_assert_cmpstr (pqs_template_get_description (copy), ==,
                   pqs_template_get_description (system));
  g_assert_true (pqs_outline_equal (pqs_template_get_outline (copy),
                                    pqs_template_get_outline (system)));
  g_assert_cmpuint (pqs_template_get_fields (copy)->len, ==,
                    pqs_template_get_fields (system)->len);
  for (guint i = 0; i < pqs_template_get_fields (copy)->len; i++)
    g_assert_true (pqs_template_field_equal (g_ptr_array_index (pqs_template_get_fields (copy), i),
                                             g_ptr_array_index (pqs_template_get_fields (system),
                                                                i)));
  /* Same content, same hash. */
  g_assert_cmpstr (pqs_template_get_template_hash (copy), ==,
                   pqs_template_get_template_hash (system));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE "
                                   "activity_type = 'template.copy' AND resource_type = 'template' "
                                   "AND json_extract(details, '$.source_system') = 1"), ==, 1);

  /* A second copy gets its own name. */
  second = pqs_template_catalog_copy (fixture->catalog, fixture->supervisor, system_300, &error);
  g_assert_no_error (error);
  expected_2 = g_strdup_printf ("%s (copy 2)", pqs_template_get_name (system));
  g_assert_cmpstr (pqs_template_get_name (second), ==, expected_2);

  /* The copy is editable. */
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->supervisor,
                                              pqs_template_get_id (copy), &spec, &error));
  g_assert_no_error (error);
  edited = pqs_template_load (fixture->store, pqs_template_get_id (copy), &error);
  g_assert_cmpstr (pqs_template_get_body (edited), ==, "Our own body");
  g_assert_cmpstr (pqs_template_get_template_hash (edited), !=,
                   pqs_template_get_template_hash (system));

  /* A long name is shortened to fit. */
  {
    g_autofree char *long_name = g_strnfill (PQS_TEMPLATE_NAME_MAX, 'n');
    g_autoptr(PqsTemplate) original = create_ok (fixture, fixture->admin, long_name, 100);
    g_autoptr(PqsTemplate) long_copy = pqs_template_catalog_copy (fixture->catalog,
                                                                  fixture->admin,
                                                                  pqs_template_get_id (original),
                                                                  &error);

    g_assert_no_error (error);
    g_assert_cmpint (g_utf8_strlen (pqs_template_get_name (long_copy), -1), ==,
                     PQS_TEMPLATE_NAME_MAX);
    g_assert_true (g_str_has_suffix (pqs_template_get_name (long_copy), " (copy)"));
  }

  g_assert_null (pqs_template_catalog_copy (fixture->catalog, fixture->admin, 999999, &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND);
  assert_chain_ok (fixture);
}

static void
test_deactivate (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplateList) active = pqs_template_list_new (fixture->store);
  g_autoptr(PqsTemplate) read = NULL;
  gint64 system_100 = system_id (fixture, 100);

  pqs_template_list_set_active_only (active, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, 3);

  /* System templates may be deactivated, when a copy replaces them. */
  g_assert_true (pqs_template_catalog_set_active (fixture->catalog, fixture->supervisor,
                                                  system_100, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_count (fixture, "template.deactivate"), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, 2);

  /* Again: nothing to do, nothing written. */
  g_assert_true (pqs_template_catalog_set_active (fixture->catalog, fixture->supervisor,
                                                  system_100, FALSE, &error));
  g_assert_cmpint (audit_count (fixture, "template.deactivate"), ==, 1);

  /* Only those who manage templates still see it. */
  read = pqs_template_catalog_lookup (fixture->catalog, fixture->user, system_100, &error);
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  read = pqs_template_catalog_lookup (fixture->catalog, fixture->supervisor, system_100, &error);
  g_assert_no_error (error);
  g_assert_false (pqs_template_get_active (read));

  g_assert_true (pqs_template_catalog_set_active (fixture->catalog, fixture->admin, system_100,
                                                  TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_count (fixture, "template.activate"), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, 3);

  g_assert_false (pqs_template_catalog_set_active (fixture->catalog, fixture->admin, 999999,
                                                   FALSE, &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND);
  assert_chain_ok (fixture);
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplate) unused = create_ok (fixture, fixture->supervisor, "Unused", 100);
  g_autoptr(PqsTemplate) used = create_ok (fixture, fixture->supervisor, "Used", 100);
  g_autofree char *details = NULL;
  gint64 templates, activities;

  g_assert_true (pqs_template_catalog_delete (fixture->catalog, fixture->supervisor,
                                              pqs_template_get_id (unused), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates WHERE name = 'Unused'"), ==, 0);
  details = pqs_test_query_text (fixture->db, "SELECT details FROM user_activities "
                                              "WHERE activity_type = 'template.delete'");
  g_assert_nonnull (strstr (details, "\"name\":\"Unused\""));

  /* A document made from it (written with SQL) keeps it. */
  insert_document (fixture, pqs_template_get_id (used), 102);
  insert_document (fixture, pqs_template_get_id (used), 103);
  templates = count (fixture, "SELECT count(*) FROM templates");
  activities = count (fixture, "SELECT count(*) FROM user_activities");
  g_assert_false (pqs_template_catalog_delete (fixture->catalog, fixture->supervisor,
                                               pqs_template_get_id (used), &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "2 documents"));
  g_assert_nonnull (strstr (error->message, "Deactivate it instead"));
  g_clear_error (&error);

  /* System templates are never deleted. */
  g_assert_false (pqs_template_catalog_delete (fixture->catalog, NULL, system_id (fixture, 300),
                                               &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_SYSTEM);
  g_clear_error (&error);

  g_assert_false (pqs_template_catalog_delete (fixture->catalog, NULL, 999999, &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates"), ==, templates);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, activities);

  /* Deactivating is the way. */
  g_assert_true (pqs_template_catalog_set_active (fixture->catalog, fixture->supervisor,
                                                  pqs_template_get_id (used), FALSE, &error));
  g_assert_no_error (error);
  assert_chain_ok (fixture);
}

/* The change and its audit row commit together or not at all. */
static void
test_audit_same_transaction (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplate) template = create_ok (fixture, fixture->admin, "Atomic", 200);
  g_autoptr(PqsTemplate) refused = NULL;
  g_autoptr(PqsTemplate) after = NULL;
  PqsTemplateSpec rename = { "Renamed", NULL, 0, NULL, NULL, NULL };
  PqsTemplateSpec spec = { "Never", NULL, 100, NULL, NULL, NULL };
  gint64 id = pqs_template_get_id (template);
  gint64 templates = count (fixture, "SELECT count(*) FROM templates");

  pqs_test_exec (fixture->db, "CREATE TEMP TRIGGER no_audit BEFORE INSERT ON user_activities "
                              "BEGIN SELECT RAISE(ABORT, 'the audit trail is full'); END");

  refused = pqs_template_catalog_create (fixture->catalog, fixture->admin, &spec, &error);
  g_assert_nonnull (error);
  g_assert_null (refused);
  g_clear_error (&error);
  g_assert_false (pqs_template_catalog_update (fixture->catalog, fixture->admin, id, &rename,
                                               &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  refused = pqs_template_catalog_copy (fixture->catalog, fixture->admin, id, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (pqs_template_catalog_set_active (fixture->catalog, fixture->admin, id, FALSE,
                                                   &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (pqs_template_catalog_delete (fixture->catalog, fixture->admin, id, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  pqs_test_exec (fixture->db, "DROP TRIGGER temp.no_audit");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM templates"), ==, templates);
  after = pqs_template_load (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_template_get_name (after), ==, "Atomic");
  g_assert_true (pqs_template_get_active (after));
  assert_chain_ok (fixture);
}

/* The list model ------------------------------------------------------------ */

typedef PqsTestChanges Changes;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           GString    *names)
{
  g_string_append_printf (names, "%s ", pspec->name);
}

static void
test_list (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplateList) all = pqs_template_list_new (fixture->store);
  g_autoptr(PqsTemplateList) series = pqs_template_list_new (fixture->store);
  g_autoptr(PqsTemplate) created = NULL;
  g_autoptr(GString) notified = g_string_new (NULL);
  PqsTemplate *held;
  Changes changes = { 0, };
  PqsTemplateSpec rename = { "Aardvark", NULL, 0, "Changed body", NULL, NULL };
  int section = 0;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (all)) == PQS_TYPE_TEMPLATE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, 3);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (all), 3));
  pqs_template_list_set_section (series, 200);
  g_object_get (series, "section", &section, NULL);
  g_assert_cmpint (section, ==, 200);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (series)), ==, 1);

  pqs_test_changes_watch (G_LIST_MODEL (all), &changes);

  /* A new template of the 200 series lands after the 100 series, by name. */
  created = create_ok (fixture, fixture->supervisor, "Zulu", 200);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (series)), ==, 2);

  /* An edit updates the object in place and moves it. */
  held = pqs_template_list_find (all, pqs_template_get_id (created));
  g_assert_nonnull (held);
  g_assert_true (held != created);
  g_signal_connect (held, "notify", G_CALLBACK (notify_cb), notified);
  g_assert_true (pqs_template_catalog_update (fixture->catalog, fixture->supervisor,
                                              pqs_template_get_id (created), &rename, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_template_get_name (held), ==, "Aardvark");
  g_assert_cmpstr (pqs_template_get_body (held), ==, "Changed body");
  g_assert_nonnull (strstr (notified->str, "name "));
  g_assert_nonnull (strstr (notified->str, "body "));
  g_assert_nonnull (strstr (notified->str, "template-hash "));
  g_assert_null (strstr (notified->str, "fields "));
  g_assert_null (strstr (notified->str, "outline "));
  g_assert_true (pqs_template_list_find (all, pqs_template_get_id (created)) == held);
  {
    g_autoptr(PqsTemplate) at_1 = g_list_model_get_item (G_LIST_MODEL (all), 1);

    g_assert_true (at_1 == held);
  }

  /* Usage counts come with a reload. */
  insert_document (fixture, pqs_template_get_id (created), 201);
  g_assert_true (pqs_template_list_reload (all, &error));
  g_assert_cmpuint (pqs_template_get_usage_count (held), ==, 1);

  /* A deleted one leaves; a row written behind the catalog's back still lists. */
  changes.calls = 0;
  pqs_test_exec (fixture->db, "INSERT INTO templates (name, section, fields, outline) VALUES "
                              "('Broken', 300, '[{\"name\": \"x\"}]', '{\"kind\": 1}')");
  g_assert_true (pqs_template_list_reload (all, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, 5);
  held = g_list_model_get_item (G_LIST_MODEL (all), 3);  /* "Broken" < "Watchstation" */
  g_assert_cmpstr (pqs_template_get_name (held), ==, "Broken");
  g_assert_nonnull (pqs_template_get_problem (held));
  g_test_message ("%s", pqs_template_get_problem (held));
  g_assert_nonnull (strstr (pqs_template_get_problem (held), "Field 1: "));
  g_assert_nonnull (strstr (pqs_template_get_problem (held), "An outline is a JSON array"));
  g_assert_cmpuint (pqs_template_get_fields (held)->len, ==, 0);
  g_assert_null (pqs_template_catalog_copy (fixture->catalog, NULL, pqs_template_get_id (held),
                                            &error));
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  g_clear_error (&error);
  g_object_unref (held);
}

/* The command line ------------------------------------------------------ */

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsTemplate) made = create_ok (fixture, fixture->supervisor, "Ünïcode names", 100);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonArray *array;
  JsonObject *first;
  gboolean found = FALSE;

  insert_document (fixture, system_id (fixture, 100), 101);
  insert_document (fixture, system_id (fixture, 100), 104);
  g_assert_true (pqs_template_catalog_set_active (fixture->catalog, NULL,
                                                  pqs_template_get_id (made), FALSE, &error));
  g_assert_no_error (error);

  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          "list", NULL }, &out, &err), ==, 0);
  g_test_message ("%s", out);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "ID "));
  g_assert_nonnull (strstr (out, "DOCUMENTS"));
  g_assert_nonnull (strstr (out, "Ünïcode names"));
  g_assert_nonnull (strstr (out, "Fundamentals section"));
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

    /* The header, four templates, and the empty string after the last line end. */
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 4 + 1);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          "list", "--json", NULL },
                                       &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  first = json_array_get_object_element (array, 0);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);

      if (json_object_get_int_member (row, "id") == system_id (fixture, 100))
        {
          g_assert_true (json_object_get_boolean_member (row, "system"));
          g_assert_true (json_object_get_boolean_member (row, "active"));
          g_assert_cmpint (json_object_get_int_member (row, "section"), ==, 100);
          g_assert_cmpint (json_object_get_int_member (row, "field_count"), ==, 4);
          g_assert_cmpint (json_object_get_int_member (row, "document_count"), ==, 2);
          found = TRUE;
        }
      if (json_object_get_int_member (row, "id") == pqs_template_get_id (made))
        {
          g_assert_false (json_object_get_boolean_member (row, "system"));
          g_assert_false (json_object_get_boolean_member (row, "active"));
          g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Ünïcode names");
          g_assert_cmpint (json_object_get_int_member (row, "field_count"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (row, "document_count"), ==, 0);
        }
    }
  g_assert_true (found);
  g_assert_cmpint (json_object_get_int_member (first, "section"), ==, 100);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Filters. */
  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "--json",
                                                          "template", "list", "--section", "300",
                                                          NULL }, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Watchstation section"));
  g_assert_null (strstr (out, "Fundamentals section"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          "list", "--active", NULL },
                                       &out, &err), ==, 0);
  g_assert_null (strstr (out, "Ünïcode names"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad usage: exit 2 and one line on stderr. */
  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          "list", "--section", "150", NULL },
                                       &out, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          "remove", NULL }, &out, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "pqs-admin: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          NULL }, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", fixture->path, "template",
                                                          "list", "extra", NULL }, &out, &err),
                   ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A missing database is not created by a listing. */
  {
    g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);

    g_assert_cmpint (pqs_test_run_admin ((const char *[]) { "--db", missing, "template", "list",
                                                            NULL }, &out, &err), ==, 1);
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/templates/fields/parse", test_fields_parse);
  g_test_add_func ("/templates/fields/invalid-json", test_fields_invalid_json);
  g_test_add_func ("/templates/fields/invalid-field", test_fields_invalid);
  g_test_add_func ("/templates/fields/validate", test_fields_validate);
  g_test_add_func ("/templates/values", test_values);
  g_test_add_func ("/templates/hash", test_hash);
  ADD ("/templates/system", test_system_templates);
  ADD ("/templates/catalog/permissions", test_permissions);
  ADD ("/templates/catalog/create", test_create);
  ADD ("/templates/catalog/update", test_update);
  ADD ("/templates/catalog/copy", test_copy);
  ADD ("/templates/catalog/deactivate", test_deactivate);
  ADD ("/templates/catalog/delete", test_delete);
  ADD ("/templates/catalog/audit-same-transaction", test_audit_same_transaction);
  ADD ("/templates/list", test_list);
  ADD ("/templates/cli", test_cli);

#undef ADD

  return g_test_run ();
}
