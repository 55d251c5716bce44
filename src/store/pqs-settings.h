/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One schema for every profile: the Devel build only changes the application id. */
#define PQS_SETTINGS_SCHEMA_ID "org.pqsdesk.PqsDesk"

GSettings *pqs_settings_new (void);

G_END_DECLS
