/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PqsStore     PqsStore;
typedef struct _PqsMigration PqsMigration;
typedef struct _PqsMigrator  PqsMigrator;

G_END_DECLS
