/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "fuzz-util.h"
#include "pqs-template-field.h"

/* A template's field list (templates.fields, what the template editor and
 * packages hand to pqs_template_fields_parse()), and a document's field
 * values checked against it. Input: FIELDS-JSON [NUL METADATA-JSON].
 *
 * Besides not crashing: a refusal is a PQS_TEMPLATE_ERROR_INVALID sentence
 * (pqs_fuzz_check_message()); an accepted list passes
 * pqs_template_fields_validate() and comes back equal from its own JSON. */

/* The metadata is parsed here without the field list's guards; json-glib
 * recurses once per level, and documents.metadata comes from SQLite, whose
 * json_valid() allows 1000 levels. */
#define METADATA_MAX_DEPTH 1000

static void
check_error (const GError *error)
{
  g_assert_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID);
  pqs_fuzz_check_message (error);
}

static gboolean
nests_deeper_than (const char *json,
                   guint       max)
{
  guint depth = 0;

  for (const char *p = json; *p != '\0'; p++)
    if ((*p == '[' || *p == '{') && ++depth > max)
      return TRUE;
  return FALSE;
}

static void
check_round_trip (GPtrArray *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;

  pqs_template_fields_validate (fields, &error);
  g_assert_no_error (error);

  json = pqs_template_fields_to_json_string (fields);
  again = pqs_template_fields_parse (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, fields->len);
  for (guint i = 0; i < fields->len; i++)
    g_assert_true (pqs_template_field_equal (g_ptr_array_index (fields, i),
                                             g_ptr_array_index (again, i)));
}

static void
check_metadata (GPtrArray  *fields,
                const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *metadata;
  JsonNode *root;

  if (nests_deeper_than (text, METADATA_MAX_DEPTH) ||
      !json_parser_load_from_data (parser, text, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  metadata = json_node_get_object (root);

  for (guint require = 0; require < 2; require++)
    {
      g_autoptr(GError) error = NULL;

      if (!pqs_template_fields_check_values (fields, metadata, require, &error))
        {
          pqs_fuzz_say ("values refused: %s", error->message);
          check_error (error);
        }
      else
        pqs_fuzz_say ("values accepted%s", require ? " (all required)" : "");
    }

  for (guint i = 0; i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);
      JsonNode *value = json_object_get_member (metadata, pqs_template_field_get_key (field));
      g_autoptr(GError) error = NULL;

      pqs_template_field_value_is_empty (field, value);
      if (!pqs_template_field_check_value (field, value, TRUE, &error))
        check_error (error);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pqs_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *parts[2];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  pqs_fuzz_init ();
  pqs_fuzz_split (data, size, parts, G_N_ELEMENTS (parts));

  fields = pqs_template_fields_parse (parts[0], &error);
  if (fields == NULL)
    {
      pqs_fuzz_say ("refused: %s", error->message);
      check_error (error);
    }
  else
    {
      pqs_fuzz_say ("%u fields", fields->len);
      g_assert_no_error (error);
      check_round_trip (fields);
      if (parts[1] != NULL)
        check_metadata (fields, parts[1]);
    }

  pqs_fuzz_free_parts (parts, G_N_ELEMENTS (parts));
  return 0;
}
