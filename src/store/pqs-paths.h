/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *pqs_paths_default_database   (void);
char *pqs_paths_default_backup_dir (void);

G_END_DECLS
