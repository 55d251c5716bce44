/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pqs-types.h"

G_BEGIN_DECLS

gboolean pqs_catalog_count (PqsStore  *store,
                            guint     *out_standards,
                            guint     *out_documents,
                            GError   **error);

G_END_DECLS
