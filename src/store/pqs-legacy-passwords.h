/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pqs-types.h"

G_BEGIN_DECLS

gboolean pqs_legacy_passwords_flag_default (PqsStore  *store,
                                            guint     *out_flagged,
                                            GError   **error);

G_END_DECLS
