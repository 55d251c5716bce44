/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-json-input.h"
#include "pqs-template-field.h"

/**
 * PqsTemplateField:
 *
 * One field of a template's form: a key (how documents.metadata names the
 * value), a label, a type, whether it must be filled before the document
 * is submitted, a help text and, for a choice, its options. Fields are
 * immutable: a template's field list is replaced as a whole.
 *
 * The field list is JSON that people write (a template editor shows it), so
 * pqs_template_fields_parse() explains every problem as a sentence naming
 * the field by its number and key: "Field 3 (“rank”): …". It also reads
 * files from elsewhere (packages), so nothing in it is trusted: sizes and
 * nesting are bounded before json-glib parses it.
 *
 * pqs_template_fields_check_values() checks a document's field values
 * (documents.metadata, a JSON object key → value) against the list.
 */

struct _PqsTemplateField
{
  GObject       parent_instance;

  char         *key;
  char         *label;
  PqsFieldType  type;
  gboolean      required;
  char         *help;
  char        **options;   /* NULL unless given; a choice field needs some */
};

G_DEFINE_FINAL_TYPE (PqsTemplateField, pqs_template_field, G_TYPE_OBJECT)

G_DEFINE_QUARK (pqs-template-error-quark, pqs_template_error)

G_DEFINE_ENUM_TYPE (PqsFieldType, pqs_field_type,
                    G_DEFINE_ENUM_VALUE (PQS_FIELD_TEXT, "text"),
                    G_DEFINE_ENUM_VALUE (PQS_FIELD_MULTILINE, "multiline"),
                    G_DEFINE_ENUM_VALUE (PQS_FIELD_NUMBER, "number"),
                    G_DEFINE_ENUM_VALUE (PQS_FIELD_DATE, "date"),
                    G_DEFINE_ENUM_VALUE (PQS_FIELD_CHOICE, "choice"),
                    G_DEFINE_ENUM_VALUE (PQS_FIELD_SIGNATURE, "signature"))

enum {
  PROP_0,
  PROP_KEY,
  PROP_LABEL,
  PROP_FIELD_TYPE,
  PROP_REQUIRED,
  PROP_HELP,
  PROP_OPTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Brackets deeper than this are refused before parsing: a field list needs
 * three (the list, a field, its options). */
#define MAX_JSON_NESTING 8

/* Shown in messages, so a hostile name cannot flood them. */
#define SHOWN_CHARS 40

static const char * const type_names[] = {
  [PQS_FIELD_TEXT] = "text",
  [PQS_FIELD_MULTILINE] = "multiline",
  [PQS_FIELD_NUMBER] = "number",
  [PQS_FIELD_DATE] = "date",
  [PQS_FIELD_CHOICE] = "choice",
  [PQS_FIELD_SIGNATURE] = "signature",
};

/* Field types --------------------------------------------------------------- */

/**
 * pqs_field_type_to_string:
 * @type: a #PqsFieldType
 *
 * Returns: (transfer none): the name the JSON field list uses ("multiline")
 */
const char *
pqs_field_type_to_string (PqsFieldType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);

  return type_names[type];
}

/**
 * pqs_field_type_from_string:
 * @text: a name such as "date"
 * @out_type: (out): the type
 *
 * Returns: %TRUE if @text names a field type
 */
gboolean
pqs_field_type_from_string (const char   *text,
                            PqsFieldType *out_type)
{
  g_return_val_if_fail (out_type != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (strcmp (text, type_names[i]) == 0)
      {
        *out_type = (PqsFieldType) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * pqs_field_type_get_label:
 * @type: a #PqsFieldType
 *
 * Returns: (transfer none): a translated name for people ("Date")
 */
const char *
pqs_field_type_get_label (PqsFieldType type)
{
  switch (type)
    {
    case PQS_FIELD_TEXT:
      return _("Text");
    case PQS_FIELD_MULTILINE:
      return _("Several lines of text");
    case PQS_FIELD_NUMBER:
      return _("Number");
    case PQS_FIELD_DATE:
      return _("Date");
    case PQS_FIELD_CHOICE:
      return _("Choice");
    case PQS_FIELD_SIGNATURE:
      return _("Signature");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The object ---------------------------------------------------------------- */

static void
pqs_template_field_finalize (GObject *object)
{
  PqsTemplateField *self = PQS_TEMPLATE_FIELD (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->help, g_free);
  g_clear_pointer (&self->options, g_strfreev);

  G_OBJECT_CLASS (pqs_template_field_parent_class)->finalize (object);
}

static void
pqs_template_field_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PqsTemplateField *self = PQS_TEMPLATE_FIELD (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_FIELD_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_REQUIRED:
      g_value_set_boolean (value, self->required);
      break;
    case PROP_HELP:
      g_value_set_string (value, self->help);
      break;
    case PROP_OPTIONS:
      g_value_set_boxed (value, self->options);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_template_field_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PqsTemplateField *self = PQS_TEMPLATE_FIELD (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      self->label = g_value_dup_string (value);
      break;
    case PROP_FIELD_TYPE:
      self->type = g_value_get_enum (value);
      break;
    case PROP_REQUIRED:
      self->required = g_value_get_boolean (value);
      break;
    case PROP_HELP:
      self->help = g_value_dup_string (value);
      break;
    case PROP_OPTIONS:
      self->options = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_template_field_class_init (PqsTemplateFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                            G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pqs_template_field_finalize;
  object_class->get_property = pqs_template_field_get_property;
  object_class->set_property = pqs_template_field_set_property;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_FIELD_TYPE] =
    g_param_spec_enum ("field-type", NULL, NULL, PQS_TYPE_FIELD_TYPE, PQS_FIELD_TEXT, flags);
  properties[PROP_REQUIRED] = g_param_spec_boolean ("required", NULL, NULL, FALSE, flags);
  properties[PROP_HELP] = g_param_spec_string ("help", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONS] = g_param_spec_boxed ("options", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_template_field_init (PqsTemplateField *self)
{
}

/**
 * pqs_template_field_new:
 * @key: how documents.metadata names the value
 * @label: what the form shows
 * @type: the value's type
 * @required: whether it must be filled before submitting
 * @help: (nullable): a help text
 * @options: (nullable) (array zero-terminated=1): a choice's options
 *
 * Nothing is checked here; pqs_template_fields_validate() checks a list.
 *
 * Returns: (transfer full): a new field
 */
PqsTemplateField *
pqs_template_field_new (const char         *key,
                        const char         *label,
                        PqsFieldType        type,
                        gboolean            required,
                        const char         *help,
                        const char * const *options)
{
  return g_object_new (PQS_TYPE_TEMPLATE_FIELD,
                       "key", key,
                       "label", label,
                       "field-type", type,
                       "required", required,
                       "help", help,
                       "options", options,
                       NULL);
}

const char *
pqs_template_field_get_key (PqsTemplateField *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), NULL);

  return self->key;
}

const char *
pqs_template_field_get_label (PqsTemplateField *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), NULL);

  return self->label;
}

PqsFieldType
pqs_template_field_get_field_type (PqsTemplateField *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), PQS_FIELD_TEXT);

  return self->type;
}

gboolean
pqs_template_field_get_required (PqsTemplateField *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), FALSE);

  return self->required;
}

/**
 * pqs_template_field_get_help:
 * @self: a #PqsTemplateField
 *
 * Returns: (transfer none) (nullable): the help text
 */
const char *
pqs_template_field_get_help (PqsTemplateField *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), NULL);

  return self->help;
}

/**
 * pqs_template_field_get_options:
 * @self: a #PqsTemplateField
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): a choice's options
 */
const char * const *
pqs_template_field_get_options (PqsTemplateField *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), NULL);

  return (const char * const *) self->options;
}

static gboolean
strv_equal (char **a,
            char **b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

/**
 * pqs_template_field_equal:
 * @a: a field
 * @b: another field
 *
 * Returns: %TRUE when both say the same
 */
gboolean
pqs_template_field_equal (PqsTemplateField *a,
                          PqsTemplateField *b)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (a) && PQS_IS_TEMPLATE_FIELD (b), FALSE);

  return g_strcmp0 (a->key, b->key) == 0 && g_strcmp0 (a->label, b->label) == 0 &&
         a->type == b->type && a->required == b->required &&
         g_strcmp0 (a->help, b->help) == 0 && strv_equal (a->options, b->options);
}

/* Checking strings ---------------------------------------------------------- */

typedef enum
{
  TEXT_OK,
  TEXT_NOT_UTF8,
  TEXT_TOO_LONG,
  TEXT_CONTROL,     /* a control character; line breaks count unless allowed */
} TextProblem;

static TextProblem
check_string (const char *text,
              glong       max_chars,
              gboolean    allow_line_breaks)
{
  glong n_chars = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return TEXT_NOT_UTF8;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean line_break = c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;

      if (++n_chars > max_chars)
        return TEXT_TOO_LONG;
      if (line_break ? !allow_line_breaks : (c != '\t' && g_unichar_iscntrl (c)))
        return TEXT_CONTROL;
    }

  return TEXT_OK;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Whether @key is [a-z][a-z0-9_]* and not too long. */
static gboolean
key_is_valid (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > PQS_TEMPLATE_FIELD_KEY_MAX || !g_ascii_islower (key[0]))
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

/* The field list ------------------------------------------------------------ */

/* Sets "Field N (“key”): REASON", or "Field N: REASON" without a key. */
static gboolean G_GNUC_PRINTF (4, 5)
field_error (GError      **error,
             guint         number,
             const char   *key,
             const char   *format,
             ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  if (key != NULL)
    {
      g_autofree char *shown = pqs_json_input_quote (key, -1, SHOWN_CHARS);

      /* Translators: "Field 3 (“rank”): the label is empty." */
      g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                   _("Field %u (“%s”): %s"), number, shown, reason);
    }
  else
    /* Translators: "Field 3: it is not a JSON object." */
    g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                 _("Field %u: %s"), number, reason);

  return FALSE;
}

static gboolean
text_error (GError      **error,
            guint         number,
            const char   *key,
            const char   *what,
            TextProblem   problem,
            glong         max_chars)
{
  switch (problem)
    {
    case TEXT_NOT_UTF8:
      return field_error (error, number, key, _("the %s is not valid UTF-8 text."), what);
    case TEXT_TOO_LONG:
      return field_error (error, number, key, _("the %s is longer than %ld characters."),
                          what, max_chars);
    case TEXT_CONTROL:
      return field_error (error, number, key,
                          _("the %s holds a line break or a control character."), what);
    case TEXT_OK:
    default:
      return TRUE;
    }
}

/* Everything about one field, with @seen the keys of the fields before it
 * (key → field number). */
static gboolean
validate_field (PqsTemplateField  *field,
                guint              number,
                GHashTable        *seen,
                GError           **error)
{
  const char *key = field->key;
  TextProblem problem;
  guint other;

  if (key == NULL || *key == '\0')
    return field_error (error, number, NULL, _("the key is empty."));
  if (!key_is_valid (key))
    return field_error (error, number, key,
                        _("a key starts with a lower-case letter and holds only lower-case "
                          "letters, digits and underscores, at most %d characters."),
                        PQS_TEMPLATE_FIELD_KEY_MAX);
  other = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
  if (other != 0)
    return field_error (error, number, key, _("field %u has the same key."), other);

  if ((guint) field->type >= G_N_ELEMENTS (type_names))
    return field_error (error, number, key, _("the type is not known."));

  if (is_blank (field->label))
    return field_error (error, number, key, _("the label is empty."));
  problem = check_string (field->label, PQS_TEMPLATE_FIELD_LABEL_MAX, FALSE);
  if (problem != TEXT_OK)
    return text_error (error, number, key, _("label"), problem, PQS_TEMPLATE_FIELD_LABEL_MAX);

  if (field->help != NULL)
    {
      problem = check_string (field->help, PQS_TEMPLATE_FIELD_HELP_MAX, TRUE);
      if (problem != TEXT_OK)
        return text_error (error, number, key, _("help text"), problem,
                           PQS_TEMPLATE_FIELD_HELP_MAX);
    }

  if (field->type != PQS_FIELD_CHOICE)
    {
      if (field->options != NULL)
        return field_error (error, number, key,
                            _("only a choice field has options; this one is of type “%s”."),
                            type_names[field->type]);
      return TRUE;
    }

  if (field->options == NULL || field->options[0] == NULL)
    return field_error (error, number, key, _("a choice field needs at least one option."));
  if (g_strv_length (field->options) > PQS_TEMPLATE_FIELD_MAX_OPTIONS)
    return field_error (error, number, key, _("a choice field has at most %d options."),
                        PQS_TEMPLATE_FIELD_MAX_OPTIONS);

  for (guint i = 0; field->options[i] != NULL; i++)
    {
      const char *option = field->options[i];

      if (is_blank (option))
        return field_error (error, number, key, _("option %u is empty."), i + 1);
      problem = check_string (option, PQS_TEMPLATE_FIELD_OPTION_MAX, FALSE);
      if (problem != TEXT_OK)
        {
          g_autofree char *what = g_strdup_printf (_("option %u"), i + 1);

          return text_error (error, number, key, what, problem, PQS_TEMPLATE_FIELD_OPTION_MAX);
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (field->options[j], option))
          {
            g_autofree char *shown = pqs_json_input_quote (option, -1, SHOWN_CHARS);

            return field_error (error, number, key, _("the option “%s” is listed twice."),
                                shown);
          }
    }

  return TRUE;
}

/**
 * pqs_template_fields_validate:
 * @fields: (element-type PqsTemplateField): a field list
 * @error: return location for a #GError
 *
 * Checks a field list built in code with the rules the JSON reader applies:
 * keys ([a-z][a-z0-9_]*, unique), labels, help, options (required and
 * unique for a choice, refused otherwise), limits. The error
 * (%PQS_TEMPLATE_ERROR_INVALID) names the first field at fault.
 *
 * Returns: %TRUE if @fields is valid
 */
gboolean
pqs_template_fields_validate (GPtrArray  *fields,
                              GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (fields->len > PQS_TEMPLATE_MAX_FIELDS)
    {
      g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                   _("A template has at most %d fields; this list has %u."),
                   PQS_TEMPLATE_MAX_FIELDS, fields->len);
      return FALSE;
    }

  for (guint i = 0; i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);

      if (!PQS_IS_TEMPLATE_FIELD (field))
        return field_error (error, i + 1, NULL, _("the field is missing."));
      if (!validate_field (field, i + 1, seen, error))
        return FALSE;
      g_hash_table_insert (seen, field->key, GUINT_TO_POINTER (i + 1));
    }

  return TRUE;
}

/* A member that may be missing or null (then *out is NULL), else a string. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char **out)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *out = json_node_get_string (node);
  return TRUE;
}

static PqsTemplateField *
read_field (JsonNode    *node,
            guint        number,
            GHashTable  *seen,
            GError     **error)
{
  static const char * const members[] = { "key", "label", "type", "required", "help",
                                          "options", NULL };
  g_autoptr(PqsTemplateField) field = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GPtrArray) options = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *key;
  const char *label;
  const char *type_text;
  const char *help;
  gboolean required = FALSE;
  PqsFieldType type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      field_error (error, number, NULL,
                   _("a field is a JSON object with a “key”, a “label” and a “type”."));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!read_string (object, "key", &key))
    {
      field_error (error, number, NULL, _("“key” must be a string."));
      return NULL;
    }
  if (key == NULL)
    {
      field_error (error, number, NULL, _("“key” is missing."));
      return NULL;
    }

  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      {
        g_autofree char *shown = pqs_json_input_quote (l->data, -1, SHOWN_CHARS);

        field_error (error, number, key,
                     _("“%s” is not a member of a field (the members are key, label, type, "
                       "required, help and options)."), shown);
        return NULL;
      }

  if (!read_string (object, "label", &label))
    {
      field_error (error, number, key, _("“label” must be a string."));
      return NULL;
    }
  if (label == NULL)
    {
      field_error (error, number, key, _("“label” is missing."));
      return NULL;
    }

  if (!read_string (object, "type", &type_text))
    {
      field_error (error, number, key, _("“type” must be a string."));
      return NULL;
    }
  if (type_text == NULL)
    {
      field_error (error, number, key, _("“type” is missing."));
      return NULL;
    }
  if (!pqs_field_type_from_string (type_text, &type))
    {
      g_autofree char *shown = pqs_json_input_quote (type_text, -1, SHOWN_CHARS);

      field_error (error, number, key,
                   _("“%s” is not a field type (the types are text, multiline, number, date, "
                     "choice and signature)."), shown);
      return NULL;
    }

  member = json_object_get_member (object, "required");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          field_error (error, number, key, _("“required” must be true or false."));
          return NULL;
        }
      required = json_node_get_boolean (member);
    }

  if (!read_string (object, "help", &help))
    {
      field_error (error, number, key, _("“help” must be a string."));
      return NULL;
    }

  member = json_object_get_member (object, "options");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          field_error (error, number, key, _("“options” must be an array of strings."));
          return NULL;
        }
      array = json_node_get_array (member);
      n = json_array_get_length (array);
      if (n > PQS_TEMPLATE_FIELD_MAX_OPTIONS)
        {
          field_error (error, number, key, _("a choice field has at most %d options."),
                       PQS_TEMPLATE_FIELD_MAX_OPTIONS);
          return NULL;
        }

      options = g_ptr_array_new_full (n + 1, NULL);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            {
              field_error (error, number, key, _("option %u must be a string."), i + 1);
              return NULL;
            }
          g_ptr_array_add (options, (gpointer) json_node_get_string (element));
        }
      g_ptr_array_add (options, NULL);
    }

  field = pqs_template_field_new (key, label, type, required, help,
                                  options != NULL ? (const char * const *) options->pdata : NULL);
  if (!validate_field (field, number, seen, error))
    return NULL;

  return g_steal_pointer (&field);
}

/**
 * pqs_template_fields_from_json:
 * @node: the JSON form: an array of field objects
 * @error: return location for a #GError
 *
 * Reads and checks a field list (see pqs_template_fields_parse()).
 *
 * Returns: (transfer full) (element-type PqsTemplateField): the fields, or
 *   %NULL with @error set
 */
GPtrArray *
pqs_template_fields_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                           _("A field list is a JSON array of fields, such as "
                             "[{\"key\": \"rank\", \"label\": \"Rank\", \"type\": \"text\"}]."));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > PQS_TEMPLATE_MAX_FIELDS)
    {
      g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                   _("A template has at most %d fields; this list has %u."),
                   PQS_TEMPLATE_MAX_FIELDS, n);
      return NULL;
    }

  fields = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      PqsTemplateField *field = read_field (json_array_get_element (array, i), i + 1, seen,
                                            error);

      if (field == NULL)
        return NULL;
      g_ptr_array_add (fields, field);
      g_hash_table_insert (seen, field->key, GUINT_TO_POINTER (i + 1));
    }

  return g_steal_pointer (&fields);
}

/**
 * pqs_template_fields_parse:
 * @json: the JSON text of a field list
 * @error: return location for a #GError
 *
 * Reads a template's field list: a JSON array of
 * `{"key": "[a-z][a-z0-9_]*", "label": "…", "type": "text" | "multiline" |
 * "number" | "date" | "choice" | "signature", "required": bool (default
 * false), "help": "…" (optional), "options": ["…", …] (required, non-empty
 * for a choice, refused otherwise)}` with unique keys and no other members.
 *
 * Every problem is %PQS_TEMPLATE_ERROR_INVALID with a sentence: text that
 * is not JSON gives the line and column; a bad field is named by its
 * number and key ("Field 3 (“rank”): a choice field needs at least one
 * option."). Text that is not UTF-8, too big, too deeply nested, or a list
 * of more than %PQS_TEMPLATE_MAX_FIELDS fields is refused as a whole.
 *
 * Returns: (transfer full) (element-type PqsTemplateField): the fields in
 *   form order, or %NULL with @error set
 */
GPtrArray *
pqs_template_fields_parse (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL)
    {
      g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                           _("The field list is missing; write [] for a form without fields."));
      return NULL;
    }
  if (strlen (json) > PQS_TEMPLATE_FIELDS_MAX_BYTES)
    {
      g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                   _("The field list is too big (more than %d MiB)."),
                   PQS_TEMPLATE_FIELDS_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_utf8_validate (json, -1, NULL))
    {
      g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                           _("The field list is not valid UTF-8 text."));
      return NULL;
    }
  if (!pqs_json_input_parse (json, -1, MAX_JSON_NESTING, &root, &local_error))
    {
      if (g_error_matches (local_error, PQS_JSON_INPUT_ERROR, PQS_JSON_INPUT_ERROR_TOO_DEEP))
        g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                             _("The field list is nested too deeply: it is an array of field "
                               "objects, whose options are an array of strings."));
      else
        g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                     _("The field list is not valid JSON: %s."), local_error->message);
      return NULL;
    }

  if (root == NULL)
    {
      g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                           _("The field list is empty; write [] for a form without fields."));
      return NULL;
    }

  return pqs_template_fields_from_json (root, error);
}

/**
 * pqs_template_fields_to_json:
 * @fields: (element-type PqsTemplateField): a field list
 *
 * Returns: (transfer full): the JSON form, members in a fixed order,
 *   "required" always written, "help" and "options" when set
 */
JsonNode *
pqs_template_fields_to_json (GPtrArray *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (fields != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, field->key != NULL ? field->key : "");
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, field->label != NULL ? field->label : "");
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, pqs_field_type_to_string (field->type));
      json_builder_set_member_name (builder, "required");
      json_builder_add_boolean_value (builder, field->required);
      if (field->help != NULL)
        {
          json_builder_set_member_name (builder, "help");
          json_builder_add_string_value (builder, field->help);
        }
      if (field->options != NULL)
        {
          json_builder_set_member_name (builder, "options");
          json_builder_begin_array (builder);
          for (guint o = 0; field->options[o] != NULL; o++)
            json_builder_add_string_value (builder, field->options[o]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/**
 * pqs_template_fields_to_json_string:
 * @fields: (element-type PqsTemplateField): a field list
 *
 * Returns: (transfer full): the compact JSON text of pqs_template_fields_to_json()
 */
char *
pqs_template_fields_to_json_string (GPtrArray *fields)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (fields != NULL, NULL);

  root = pqs_template_fields_to_json (fields);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/**
 * pqs_template_fields_find:
 * @fields: (element-type PqsTemplateField): a field list
 * @key: a key
 *
 * Returns: (transfer none) (nullable): the field with @key
 */
PqsTemplateField *
pqs_template_fields_find (GPtrArray  *fields,
                          const char *key)
{
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);

      if (g_strcmp0 (field->key, key) == 0)
        return field;
    }

  return NULL;
}

/* Values -------------------------------------------------------------------- */

static gboolean G_GNUC_PRINTF (2, 3)
value_error (GError    **error,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
holds_string (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;
}

/* Whether @text is "YYYY-MM-DD" and a day of the calendar. */
static gboolean
date_is_valid (const char *text)
{
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = g_ascii_digit_value (text[0]) * 1000 + g_ascii_digit_value (text[1]) * 100 +
         g_ascii_digit_value (text[2]) * 10 + g_ascii_digit_value (text[3]);
  month = g_ascii_digit_value (text[5]) * 10 + g_ascii_digit_value (text[6]);
  day = g_ascii_digit_value (text[8]) * 10 + g_ascii_digit_value (text[9]);
  if (year < 1)
    return FALSE;

  date = g_date_time_new_utc (year, month, day, 0, 0, 0);
  return date != NULL;
}

static const char * const signature_members[] = { "name", "rank", "date", NULL };

/* A signature's member as text: "" when missing or null. */
static const char *
signature_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !holds_string (node))
    return "";
  return json_node_get_string (node);
}

/**
 * pqs_template_field_value_is_empty:
 * @self: a #PqsTemplateField
 * @value: (nullable): a value for it
 *
 * A value is empty when it is missing, null, a string of white space, or a
 * signature without a name and a date. A number is never empty.
 *
 * Returns: %TRUE if @value does not fill the field
 */
gboolean
pqs_template_field_value_is_empty (PqsTemplateField *self,
                                   JsonNode         *value)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), TRUE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;

  if (self->type == PQS_FIELD_SIGNATURE)
    {
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        return FALSE;
      object = json_node_get_object (value);
      return is_blank (signature_member (object, "name")) ||
             is_blank (signature_member (object, "date"));
    }

  if (holds_string (value))
    return is_blank (json_node_get_string (value));

  return FALSE;
}

static gboolean
check_text_value (PqsTemplateField  *self,
                  const char        *text,
                  glong              max_chars,
                  gboolean           multiline,
                  GError           **error)
{
  switch (check_string (text, max_chars, multiline))
    {
    case TEXT_NOT_UTF8:
      return value_error (error, _("“%s” is not valid UTF-8 text."), self->label);
    case TEXT_TOO_LONG:
      return value_error (error, _("“%s” is longer than %ld characters."),
                          self->label, max_chars);
    case TEXT_CONTROL:
      if (multiline)
        return value_error (error, _("“%s” holds a control character."), self->label);
      return value_error (error, _("“%s” is one line of text, without line breaks or control "
                                   "characters."), self->label);
    case TEXT_OK:
    default:
      return TRUE;
    }
}

static gboolean
check_signature (PqsTemplateField  *self,
                 JsonNode          *value,
                 gboolean           require,
                 GError           **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    return value_error (error, _("“%s” is a signature: an object with a name, a rank and a date."),
                        self->label);
  object = json_node_get_object (value);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      if (!g_strv_contains (signature_members, l->data))
        {
          g_autofree char *shown = pqs_json_input_quote (l->data, -1, SHOWN_CHARS);

          return value_error (error, _("“%s” is a signature with a name, a rank and a date; “%s” "
                                "is not one of them."), self->label, shown);
        }
      if (!JSON_NODE_HOLDS_NULL (member) && !holds_string (member))
        return value_error (error, _("The name, rank and date in “%s” must be text."),
                            self->label);
    }

  if (!check_text_value (self, signature_member (object, "name"),
                         PQS_TEMPLATE_FIELD_LABEL_MAX, FALSE, error) ||
      !check_text_value (self, signature_member (object, "rank"),
                         PQS_TEMPLATE_FIELD_LABEL_MAX, FALSE, error))
    return FALSE;

  if (!is_blank (signature_member (object, "date")) &&
      !date_is_valid (signature_member (object, "date")))
    return value_error (error, _("The date in “%s” must be a day written YYYY-MM-DD."), self->label);

  if (require && self->required && pqs_template_field_value_is_empty (self, value))
    return value_error (error, _("“%s” needs a name and a date."), self->label);

  return TRUE;
}

/**
 * pqs_template_field_check_value:
 * @self: a #PqsTemplateField
 * @value: (nullable): its value in documents.metadata; %NULL when absent
 * @require: whether a required field must be filled
 * @error: return location for a #GError
 *
 * Checks the value's JSON type and format for the field's type: text and
 * multiline are strings (text one line), number a finite JSON number, date
 * "YYYY-MM-DD" of a real day, choice one of the options, signature an
 * object {"name", "rank", "date"} of strings (the date as for a date).
 * Null and "" are allowed as "not filled" unless @require and the field is
 * required (a signature is filled with a name and a date).
 *
 * Returns: %TRUE if the value is acceptable
 */
gboolean
pqs_template_field_check_value (PqsTemplateField  *self,
                                JsonNode          *value,
                                gboolean           require,
                                GError           **error)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_FIELD (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    goto required;

  switch (self->type)
    {
    case PQS_FIELD_TEXT:
    case PQS_FIELD_MULTILINE:
      {
        gboolean multiline = self->type == PQS_FIELD_MULTILINE;

        if (!holds_string (value))
          return value_error (error, _("“%s” must be text."), self->label);
        if (!check_text_value (self, json_node_get_string (value),
                               multiline ? PQS_TEMPLATE_VALUE_MULTILINE_MAX
                                         : PQS_TEMPLATE_VALUE_TEXT_MAX,
                               multiline, error))
          return FALSE;
      }
      break;

    case PQS_FIELD_NUMBER:
      if (!JSON_NODE_HOLDS_VALUE (value) ||
          (json_node_get_value_type (value) != G_TYPE_INT64 &&
           json_node_get_value_type (value) != G_TYPE_DOUBLE))
        return value_error (error, _("“%s” must be a number."), self->label);
      if (json_node_get_value_type (value) == G_TYPE_DOUBLE &&
          !isfinite (json_node_get_double (value)))
        return value_error (error, _("“%s” must be a finite number."), self->label);
      break;

    case PQS_FIELD_DATE:
      if (!holds_string (value))
        return value_error (error, _("“%s” must be a date written YYYY-MM-DD."),
                            self->label);
      if (!is_blank (json_node_get_string (value)) &&
          !date_is_valid (json_node_get_string (value)))
        return value_error (error, _("“%s” must be a day written YYYY-MM-DD."),
                            self->label);
      break;

    case PQS_FIELD_CHOICE:
      if (!holds_string (value))
        return value_error (error, _("“%s” must be one of its options."), self->label);
      if (!is_blank (json_node_get_string (value)) &&
          (self->options == NULL ||
           !g_strv_contains ((const char * const *) self->options,
                             json_node_get_string (value))))
        {
          g_autofree char *shown = NULL;

          if (!g_utf8_validate (json_node_get_string (value), -1, NULL))
            return value_error (error, _("“%s” is not valid UTF-8 text."), self->label);
          shown = pqs_json_input_quote (json_node_get_string (value), -1, SHOWN_CHARS);
          return value_error (error, _("“%s” is not one of the options of “%s”."),
                              shown, self->label);
        }
      break;

    case PQS_FIELD_SIGNATURE:
      return check_signature (self, value, require, error);

    default:
      g_assert_not_reached ();
    }

required:
  if (require && self->required && pqs_template_field_value_is_empty (self, value))
    return value_error (error, _("“%s” is required: fill it in."), self->label);

  return TRUE;
}

/**
 * pqs_template_fields_check_values:
 * @fields: (element-type PqsTemplateField): the template's field list
 * @metadata: (nullable): a document's values, key → value; %NULL is {}
 * @require_all: whether every required field must be filled (on submit);
 *   %FALSE on save, where fields may still be empty
 * @error: return location for a #GError
 *
 * Checks a document's field values: a key that is not a field of the list
 * is refused, and each value is checked as pqs_template_field_check_value()
 * does. Errors are %PQS_TEMPLATE_ERROR_INVALID sentences naming the field
 * by its label.
 *
 * Returns: %TRUE if the values fit the fields
 */
gboolean
pqs_template_fields_check_values (GPtrArray   *fields,
                                  JsonObject  *metadata,
                                  gboolean     require_all,
                                  GError     **error)
{
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (metadata != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (metadata);

      for (GList *l = members; l != NULL; l = l->next)
        if (pqs_template_fields_find (fields, l->data) == NULL)
          {
            g_autofree char *shown = NULL;

            if (!g_utf8_validate (l->data, -1, NULL))
              {
                g_set_error_literal (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                                     _("A field name is not valid UTF-8 text."));
                return FALSE;
              }
            shown = pqs_json_input_quote (l->data, -1, SHOWN_CHARS);
            g_set_error (error, PQS_TEMPLATE_ERROR, PQS_TEMPLATE_ERROR_INVALID,
                         _("The template has no field “%s”."), shown);
            return FALSE;
          }
    }

  for (guint i = 0; i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);
      JsonNode *value = NULL;

      if (metadata != NULL && field->key != NULL)
        value = json_object_get_member (metadata, field->key);
      if (!pqs_template_field_check_value (field, value, require_all, error))
        return FALSE;
    }

  return TRUE;
}
