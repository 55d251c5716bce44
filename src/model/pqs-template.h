/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-outline.h"
#include "pqs-template-field.h"
#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TEMPLATE_NAME_MAX        100
#define PQS_TEMPLATE_DESCRIPTION_MAX 2000
#define PQS_TEMPLATE_BODY_MAX        200000

#define PQS_TYPE_TEMPLATE (pqs_template_get_type ())
G_DECLARE_FINAL_TYPE (PqsTemplate, pqs_template, PQS, TEMPLATE, GObject)

gint64      pqs_template_get_id            (PqsTemplate *self);
const char *pqs_template_get_name          (PqsTemplate *self);
const char *pqs_template_get_description   (PqsTemplate *self);
int         pqs_template_get_section       (PqsTemplate *self);
const char *pqs_template_get_body          (PqsTemplate *self);
const char *pqs_template_get_template_hash (PqsTemplate *self);
GPtrArray  *pqs_template_get_fields        (PqsTemplate *self);
GPtrArray  *pqs_template_get_outline       (PqsTemplate *self);
const char *pqs_template_get_fields_json   (PqsTemplate *self);
const char *pqs_template_get_outline_json  (PqsTemplate *self);
const char *pqs_template_get_problem       (PqsTemplate *self);
gboolean    pqs_template_get_active        (PqsTemplate *self);
gboolean    pqs_template_get_system        (PqsTemplate *self);
gint64      pqs_template_get_created_by    (PqsTemplate *self);
gint64      pqs_template_get_updated_by    (PqsTemplate *self);
GDateTime  *pqs_template_get_created_at    (PqsTemplate *self);
GDateTime  *pqs_template_get_updated_at    (PqsTemplate *self);
guint       pqs_template_get_usage_count   (PqsTemplate *self);

PqsTemplate *pqs_template_load             (PqsStore    *store,
                                            gint64       id,
                                            GError     **error);

char       *pqs_template_compute_hash      (const char  *body,
                                            GPtrArray   *fields,
                                            GPtrArray   *outline);

G_END_DECLS
