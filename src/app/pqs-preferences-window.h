/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PQS_TYPE_PREFERENCES_WINDOW (pqs_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PqsPreferencesWindow, pqs_preferences_window, PQS, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

PqsPreferencesWindow *pqs_preferences_window_new (GtkWindow *parent);

G_END_DECLS
