/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-template.h"
#include "pqs-types.h"

G_BEGIN_DECLS

/* Audit activity types of template changes (resource "template"). */
#define PQS_AUDIT_TEMPLATE_CREATE     "template.create"
#define PQS_AUDIT_TEMPLATE_UPDATE     "template.update"
#define PQS_AUDIT_TEMPLATE_COPY       "template.copy"
#define PQS_AUDIT_TEMPLATE_DEACTIVATE "template.deactivate"
#define PQS_AUDIT_TEMPLATE_ACTIVATE   "template.activate"
#define PQS_AUDIT_TEMPLATE_DELETE     "template.delete"

/* What a template says. For pqs_template_catalog_create(), name and
 * section are required and NULL members mean empty. For
 * pqs_template_catalog_update(), NULL members (and section 0) are left as
 * they are; "" clears the description or the body. */
typedef struct
{
  const char *name;
  const char *description;
  int         section;        /* 100, 200 or 300 */
  const char *body;           /* templates.template_content */
  const char *fields_json;    /* the JSON field list (pqs_template_fields_parse()) */
  GPtrArray  *outline;        /* (element-type PqsOutlineItem) the starting outline */
} PqsTemplateSpec;

#define PQS_TYPE_TEMPLATE_CATALOG (pqs_template_catalog_get_type ())
G_DECLARE_FINAL_TYPE (PqsTemplateCatalog, pqs_template_catalog, PQS, TEMPLATE_CATALOG, GObject)

PqsTemplateCatalog *pqs_template_catalog_new        (PqsStore              *store);
PqsStore           *pqs_template_catalog_get_store  (PqsTemplateCatalog    *self);

PqsTemplate *pqs_template_catalog_lookup     (PqsTemplateCatalog    *self,
                                              PqsUser               *actor,
                                              gint64                 id,
                                              GError               **error);
PqsTemplate *pqs_template_catalog_create     (PqsTemplateCatalog    *self,
                                              PqsUser               *actor,
                                              const PqsTemplateSpec *spec,
                                              GError               **error);
gboolean     pqs_template_catalog_update     (PqsTemplateCatalog    *self,
                                              PqsUser               *actor,
                                              gint64                 id,
                                              const PqsTemplateSpec *spec,
                                              GError               **error);
PqsTemplate *pqs_template_catalog_copy       (PqsTemplateCatalog    *self,
                                              PqsUser               *actor,
                                              gint64                 id,
                                              GError               **error);
gboolean     pqs_template_catalog_set_active (PqsTemplateCatalog    *self,
                                              PqsUser               *actor,
                                              gint64                 id,
                                              gboolean               active,
                                              GError               **error);
gboolean     pqs_template_catalog_delete     (PqsTemplateCatalog    *self,
                                              PqsUser               *actor,
                                              gint64                 id,
                                              GError               **error);

G_END_DECLS
