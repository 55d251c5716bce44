/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PqsStore     PqsStore;
typedef struct _PqsMigration PqsMigration;
typedef struct _PqsMigrator  PqsMigrator;

/* The model layer (src/model). */
typedef struct _PqsUser          PqsUser;
typedef struct _PqsUserList      PqsUserList;
typedef struct _PqsUserDirectory PqsUserDirectory;
typedef struct _PqsSession       PqsSession;
typedef struct _PqsAuditEntry    PqsAuditEntry;
typedef struct _PqsAuditList     PqsAuditList;

G_END_DECLS
