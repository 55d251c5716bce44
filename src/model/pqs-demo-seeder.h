/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pqs-store.h"

G_BEGIN_DECLS

#define PQS_DEMO_SEEDER_ERROR (pqs_demo_seeder_error_quark ())

typedef enum
{
  PQS_DEMO_SEEDER_ERROR_FAILED,
  /* The database holds documents already and force is off. */
  PQS_DEMO_SEEDER_ERROR_NOT_EMPTY,
  /* A demo user's name or address belongs to a different account. */
  PQS_DEMO_SEEDER_ERROR_CONFLICT,
  PQS_DEMO_SEEDER_ERROR_PASSWORD,
} PqsDemoSeederError;

/* The word that only a few documents contain, for search demos and tests:
 * document k (0-based, in seeding order) contains it when
 * k % PQS_DEMO_SEEDER_RARE_EVERY == PQS_DEMO_SEEDER_RARE_OFFSET. */
#define PQS_DEMO_SEEDER_RARE_WORD   "xylophone"
#define PQS_DEMO_SEEDER_RARE_EVERY  500
#define PQS_DEMO_SEEDER_RARE_OFFSET 250

#define PQS_DEMO_SEEDER_MAX_DOCUMENTS 5000000
#define PQS_DEMO_SEEDER_DEFAULT_SEED  1

/* Called with the number of documents written so far (from the calling thread). */
typedef void (*PqsDemoSeederProgressFunc) (guint    done,
                                           guint    total,
                                           gpointer user_data);

#define PQS_TYPE_DEMO_SEEDER (pqs_demo_seeder_get_type ())
G_DECLARE_FINAL_TYPE (PqsDemoSeeder, pqs_demo_seeder, PQS, DEMO_SEEDER, GObject)

GQuark         pqs_demo_seeder_error_quark         (void);

PqsDemoSeeder *pqs_demo_seeder_new                 (PqsStore        *store);

PqsStore      *pqs_demo_seeder_get_store           (PqsDemoSeeder   *self);
guint          pqs_demo_seeder_get_documents       (PqsDemoSeeder   *self);
void           pqs_demo_seeder_set_documents       (PqsDemoSeeder   *self,
                                                    guint            documents);
guint          pqs_demo_seeder_get_seed            (PqsDemoSeeder   *self);
void           pqs_demo_seeder_set_seed            (PqsDemoSeeder   *self,
                                                    guint            seed);
gboolean       pqs_demo_seeder_get_force           (PqsDemoSeeder   *self);
void           pqs_demo_seeder_set_force           (PqsDemoSeeder   *self,
                                                    gboolean         force);
gint64         pqs_demo_seeder_get_reference_time  (PqsDemoSeeder   *self);
void           pqs_demo_seeder_set_reference_time  (PqsDemoSeeder   *self,
                                                    gint64           unix_seconds);
void           pqs_demo_seeder_set_password        (PqsDemoSeeder   *self,
                                                    const char      *password);
gboolean       pqs_demo_seeder_get_password_generated (PqsDemoSeeder *self);
const char    *pqs_demo_seeder_get_password        (PqsDemoSeeder   *self);
void           pqs_demo_seeder_set_progress_func   (PqsDemoSeeder   *self,
                                                    PqsDemoSeederProgressFunc func,
                                                    gpointer         user_data,
                                                    GDestroyNotify   destroy);

gboolean       pqs_demo_seeder_run                 (PqsDemoSeeder   *self,
                                                    GCancellable    *cancellable,
                                                    GError         **error);

/* What the last successful run wrote. */
guint          pqs_demo_seeder_get_n_users         (PqsDemoSeeder   *self,
                                                    const char      *role);
guint          pqs_demo_seeder_get_n_templates     (PqsDemoSeeder   *self);
guint          pqs_demo_seeder_get_n_standards     (PqsDemoSeeder   *self);
guint          pqs_demo_seeder_get_n_documents     (PqsDemoSeeder   *self,
                                                    const char      *status);
guint64        pqs_demo_seeder_get_n_items         (PqsDemoSeeder   *self);
guint64        pqs_demo_seeder_get_n_changes       (PqsDemoSeeder   *self);
guint64        pqs_demo_seeder_get_n_reviews       (PqsDemoSeeder   *self);
guint64        pqs_demo_seeder_get_n_activities    (PqsDemoSeeder   *self);
GArray        *pqs_demo_seeder_get_rare_document_ids (PqsDemoSeeder *self);

G_END_DECLS
