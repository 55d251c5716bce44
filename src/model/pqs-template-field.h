/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One error domain for templates: field lists, template content and the
 * catalog (pqs-template-catalog.h). Permission refusals are
 * PQS_AUTH_ERROR_DENIED. */
#define PQS_TEMPLATE_ERROR (pqs_template_error_quark ())

typedef enum
{
  PQS_TEMPLATE_ERROR_INVALID,    /* bad input: JSON, a field, a value, a name, an outline */
  PQS_TEMPLATE_ERROR_NOT_FOUND,  /* no such template */
  PQS_TEMPLATE_ERROR_SYSTEM,     /* a system template cannot be edited or deleted */
  PQS_TEMPLATE_ERROR_IN_USE,     /* documents use the template */
} PqsTemplateError;

/* The field types of a template's form, as the JSON field list names them. */
typedef enum
{
  PQS_FIELD_TEXT,        /* "text": one line */
  PQS_FIELD_MULTILINE,   /* "multiline" */
  PQS_FIELD_NUMBER,      /* "number": a JSON number */
  PQS_FIELD_DATE,        /* "date": "YYYY-MM-DD" */
  PQS_FIELD_CHOICE,      /* "choice": one of the field's options */
  PQS_FIELD_SIGNATURE,   /* "signature": {"name": …, "rank": …, "date": "YYYY-MM-DD"} */
} PqsFieldType;

#define PQS_TYPE_FIELD_TYPE (pqs_field_type_get_type ())

/* Limits of a field list (characters, not bytes). */
#define PQS_TEMPLATE_MAX_FIELDS        200
#define PQS_TEMPLATE_FIELD_KEY_MAX     64
#define PQS_TEMPLATE_FIELD_LABEL_MAX   200
#define PQS_TEMPLATE_FIELD_HELP_MAX    2000
#define PQS_TEMPLATE_FIELD_MAX_OPTIONS 100
#define PQS_TEMPLATE_FIELD_OPTION_MAX  200
/* The JSON text of a field list, in bytes. */
#define PQS_TEMPLATE_FIELDS_MAX_BYTES  (4 * 1024 * 1024)

/* Limits of the values in documents.metadata (characters). */
#define PQS_TEMPLATE_VALUE_TEXT_MAX      1000
#define PQS_TEMPLATE_VALUE_MULTILINE_MAX 20000

#define PQS_TYPE_TEMPLATE_FIELD (pqs_template_field_get_type ())
G_DECLARE_FINAL_TYPE (PqsTemplateField, pqs_template_field, PQS, TEMPLATE_FIELD, GObject)

GQuark            pqs_template_error_quark       (void);
GType             pqs_field_type_get_type        (void);

const char       *pqs_field_type_to_string       (PqsFieldType       type);
gboolean          pqs_field_type_from_string     (const char        *text,
                                                  PqsFieldType      *out_type);
const char       *pqs_field_type_get_label       (PqsFieldType       type);

PqsTemplateField *pqs_template_field_new         (const char        *key,
                                                  const char        *label,
                                                  PqsFieldType       type,
                                                  gboolean           required,
                                                  const char        *help,
                                                  const char * const *options);

const char       *pqs_template_field_get_key     (PqsTemplateField  *self);
const char       *pqs_template_field_get_label   (PqsTemplateField  *self);
PqsFieldType      pqs_template_field_get_field_type (PqsTemplateField *self);
gboolean          pqs_template_field_get_required (PqsTemplateField *self);
const char       *pqs_template_field_get_help    (PqsTemplateField  *self);
const char * const *pqs_template_field_get_options (PqsTemplateField *self);
gboolean          pqs_template_field_equal       (PqsTemplateField  *a,
                                                  PqsTemplateField  *b);

/* One value of documents.metadata for this field. @value may be NULL
 * (absent). With @require, a required field must be filled. */
gboolean          pqs_template_field_check_value (PqsTemplateField  *self,
                                                  JsonNode          *value,
                                                  gboolean           require,
                                                  GError           **error);
gboolean          pqs_template_field_value_is_empty (PqsTemplateField *self,
                                                     JsonNode         *value);

/* Field lists: GPtrArray of PqsTemplateField (freeing them), in form order. */
GPtrArray        *pqs_template_fields_parse      (const char        *json,
                                                  GError           **error);
GPtrArray        *pqs_template_fields_from_json  (JsonNode          *node,
                                                  GError           **error);
gboolean          pqs_template_fields_validate   (GPtrArray         *fields,
                                                  GError           **error);
JsonNode         *pqs_template_fields_to_json    (GPtrArray         *fields);
char             *pqs_template_fields_to_json_string (GPtrArray     *fields);
PqsTemplateField *pqs_template_fields_find       (GPtrArray         *fields,
                                                  const char        *key);
gboolean          pqs_template_fields_check_values (GPtrArray       *fields,
                                                    JsonObject      *metadata,
                                                    gboolean         require_all,
                                                    GError         **error);

G_END_DECLS
