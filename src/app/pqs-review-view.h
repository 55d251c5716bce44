/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"

G_BEGIN_DECLS

#define PQS_TYPE_REVIEW_VIEW (pqs_review_view_get_type ())
G_DECLARE_FINAL_TYPE (PqsReviewView, pqs_review_view, PQS, REVIEW_VIEW, GtkWidget)

PqsReviewView    *pqs_review_view_new             (void);
PqsSession       *pqs_review_view_get_session     (PqsReviewView *self);
void              pqs_review_view_set_session     (PqsReviewView *self,
                                                   PqsSession    *session);
gboolean          pqs_review_view_get_show_back   (PqsReviewView *self);
void              pqs_review_view_set_show_back   (PqsReviewView *self,
                                                   gboolean       show_back);
GListModel       *pqs_review_view_get_model       (PqsReviewView *self);

gboolean          pqs_review_view_approve         (PqsReviewView *self,
                                                   gint64         document_id);
AdwMessageDialog *pqs_review_view_request_changes (PqsReviewView *self,
                                                   gint64         document_id);

G_END_DECLS
