/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pqs-store.h"

G_BEGIN_DECLS

/* Exit codes of DESIGN.md. */
enum {
  PQS_ADMIN_EXIT_OK = 0,
  PQS_ADMIN_EXIT_FAILED = 1,
  PQS_ADMIN_EXIT_USAGE = 2,
};

typedef struct
{
  char     *db_path;
  gboolean  json;
} PqsAdminGlobals;

typedef int (*PqsAdminCommandFunc) (PqsAdminGlobals *globals,
                                    int              argc,
                                    char           **argv);

typedef struct
{
  const char          *name;
  PqsAdminCommandFunc  func;
  const char          *summary;
} PqsAdminCommand;

/* A command with subcommands. */
typedef struct
{
  const char            *name;
  const PqsAdminCommand *subcommands;
  guint                  n_subcommands;
  const char            *footer;        /* untranslated (N_()), nullable */
} PqsAdminGroup;

int          pqs_admin_dispatch           (PqsAdminGlobals     *globals,
                                           const PqsAdminGroup *group,
                                           int                  argc,
                                           char               **argv);
int          pqs_admin_fail               (int              exit_code,
                                           const char      *format,
                                           ...) G_GNUC_PRINTF (2, 3);
int          pqs_admin_fail_error         (const GError    *error);
GOptionContext *pqs_admin_option_context  (PqsAdminGlobals *globals,
                                           const char      *parameter,
                                           const char      *summary,
                                           const GOptionEntry *entries);
gboolean     pqs_admin_parse              (GOptionContext  *context,
                                           int             *argc,
                                           char          ***argv,
                                           int             *out_exit);
gboolean     pqs_admin_no_extra_arguments (int              argc,
                                           char           **argv,
                                           int             *out_exit);
char        *pqs_admin_actor              (void);
void         pqs_admin_print_json         (JsonNode        *node);

int pqs_admin_cmd_migrate  (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_status   (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_validate (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_rollback (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_backup   (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_check    (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_optimize (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_checkpoint (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_seed_demo (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_template (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_standard (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_doc      (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_search   (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_user     (PqsAdminGlobals *globals, int argc, char **argv);
int pqs_admin_cmd_audit    (PqsAdminGlobals *globals, int argc, char **argv);

/* Shared by the user and audit commands (in pqs-admin-user.c). */
PqsStore    *pqs_admin_open_migrated      (PqsAdminGlobals  *globals,
                                           PqsStoreOpenFlags flags,
                                           int              *out_exit);
PqsUser     *pqs_admin_find_user          (PqsUserDirectory *directory,
                                           const char       *username,
                                           int              *out_exit);
void         pqs_admin_print_table        (GPtrArray        *rows);

G_END_DECLS
