/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PQS_JSON_INPUT_ERROR (pqs_json_input_error_quark ())

typedef enum
{
  PQS_JSON_INPUT_ERROR_TOO_DEEP,   /* brackets nest deeper than allowed */
  PQS_JSON_INPUT_ERROR_SYNTAX,     /* not JSON; the message says where and why */
} PqsJsonInputError;

GQuark    pqs_json_input_error_quark (void);

gboolean  pqs_json_input_parse       (const char  *data,
                                      gssize       length,
                                      guint        max_depth,
                                      JsonNode   **out_root,
                                      GError     **error);
char     *pqs_json_input_quote       (const char  *raw,
                                      gssize       length,
                                      gsize        max_chars);

G_END_DECLS
