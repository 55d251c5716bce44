/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pqs-library.h"

G_BEGIN_DECLS

#define PQS_TYPE_WORKFLOW (pqs_workflow_get_type ())
G_DECLARE_FINAL_TYPE (PqsWorkflow, pqs_workflow, PQS, WORKFLOW, GObject)

PqsWorkflow *pqs_workflow_new             (PqsLibrary  *library);
PqsLibrary  *pqs_workflow_get_library     (PqsWorkflow *self);

gboolean     pqs_workflow_submit          (PqsWorkflow *self,
                                           PqsUser     *actor,
                                           gint64       document_id,
                                           const char  *note,
                                           GError     **error);
gboolean     pqs_workflow_approve         (PqsWorkflow *self,
                                           PqsUser     *actor,
                                           gint64       document_id,
                                           const char  *comment,
                                           GError     **error);
gboolean     pqs_workflow_request_changes (PqsWorkflow *self,
                                           PqsUser     *actor,
                                           gint64       document_id,
                                           const char  *comment,
                                           GError     **error);
gboolean     pqs_workflow_archive         (PqsWorkflow *self,
                                           PqsUser     *actor,
                                           gint64       document_id,
                                           GError     **error);
gboolean     pqs_workflow_revise          (PqsWorkflow *self,
                                           PqsUser     *actor,
                                           gint64       document_id,
                                           GError     **error);
gboolean     pqs_workflow_comment         (PqsWorkflow *self,
                                           PqsUser     *actor,
                                           gint64       document_id,
                                           const char  *comment,
                                           GError     **error);

G_END_DECLS
