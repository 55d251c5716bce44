/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-types.h"
#include "pqs-application.h"

G_BEGIN_DECLS

typedef enum
{
  PQS_WINDOW_STATE_LOADING,
  PQS_WINDOW_STATE_READY,
  PQS_WINDOW_STATE_FAILED,
} PqsWindowState;

#define PQS_TYPE_WINDOW_STATE (pqs_window_state_get_type ())
GType pqs_window_state_get_type (void);

#define PQS_TYPE_WINDOW (pqs_window_get_type ())
G_DECLARE_FINAL_TYPE (PqsWindow, pqs_window, PQS, WINDOW, AdwApplicationWindow)

PqsWindow      *pqs_window_new                (PqsApplication *application);
PqsWindowState  pqs_window_get_state          (PqsWindow      *self);
const char     *pqs_window_get_database_path  (PqsWindow      *self);
guint           pqs_window_get_schema_version (PqsWindow      *self);
PqsStore       *pqs_window_get_store          (PqsWindow      *self);
void            pqs_window_reload             (PqsWindow      *self);
PqsSession     *pqs_window_get_session        (PqsWindow      *self);

G_END_DECLS
