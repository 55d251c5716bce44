/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "pqs-store.h"

G_BEGIN_DECLS

/* A fresh folder under the system's temporary folder, removed by
 * pqs_test_tmpdir_free(). */
char      *pqs_test_tmpdir_new            (void);
void       pqs_test_tmpdir_free           (char        *dir);
void       pqs_test_rm_rf                 (const char  *path);

PqsStore  *pqs_test_open_store            (const char  *path);
char      *pqs_test_schema_dump           (sqlite3     *db);
gint64     pqs_test_query_int             (sqlite3     *db,
                                           const char  *sql);
char      *pqs_test_query_text            (sqlite3     *db,
                                           const char  *sql);
void       pqs_test_exec                  (sqlite3     *db,
                                           const char  *sql);
void       pqs_test_assert_integrity      (sqlite3     *db);

/* The old two-table schema with @n_users users, every other one with an avatar. */
void       pqs_test_make_legacy_database  (const char  *path,
                                           guint        n_users);

/* Copies the compiled-in migrations' source folder into @dir. */
void       pqs_test_copy_migrations       (const char  *dir);
void       pqs_test_write_file            (const char  *dir,
                                           const char  *name,
                                           const char  *contents);

/* Runs pqs-admin with @argv (NULL-terminated, without the program name). */
int        pqs_test_run_admin             (const char * const *argv,
                                           char              **out_stdout,
                                           char              **out_stderr);

/* Like pqs_test_run_admin() with changes to the child's environment: each
 * entry of @env (NULL-terminated, may be NULL) is "NAME=VALUE" to set or
 * "NAME" to unset. */
int        pqs_test_run_admin_env         (const char * const *env,
                                           const char * const *argv,
                                           char              **out_stdout,
                                           char              **out_stderr);

/* Starts pqs-admin with @argv and the environment changes of @env (as for
 * pqs_test_run_admin_env()) without waiting for it. */
GSubprocess *pqs_test_spawn_admin         (const char * const *env,
                                           const char * const *argv,
                                           GSubprocessFlags    flags);
/* The same, but when @start_fd is not -1 the child first waits for a line
 * on @start_fd (the read end of a pipe), so that several children can be
 * started at the same moment by writing one line each. */
GSubprocess *pqs_test_spawn_admin_full    (const char * const *env,
                                           const char * const *argv,
                                           GSubprocessFlags    flags,
                                           int                 start_fd);

void       pqs_test_copy_file             (const char  *from,
                                           const char  *to);
GBytes    *pqs_test_read_file             (const char  *path);

G_END_DECLS

/* Added for test-backup: like pqs_test_run_admin_env() with @input written
 * to the child's standard input (NULL: an empty one). */
G_BEGIN_DECLS
int        pqs_test_run_admin_input       (const char * const *env,
                                           const char * const *argv,
                                           const char         *input,
                                           char              **out_stdout,
                                           char              **out_stderr);
G_END_DECLS

/* Added for the model tests: a store on @path, migrated to the newest
 * schema, with the cheapest argon2id parameters (hashing stays correct,
 * just fast) and a clock the test moves (pqs_test_clock_*). */
G_BEGIN_DECLS
PqsStore  *pqs_test_open_migrated_store   (const char  *path);
void       pqs_test_use_fast_passwords    (void);
void       pqs_test_clock_install         (PqsStore    *store,
                                           gint64       start_us);
void       pqs_test_clock_advance         (gint64       delta_us);
gint64     pqs_test_clock_now             (void);
G_END_DECLS

/* Added for the fault suite (test-fault-*.c and fault-child.c): the body
 * that fault-child's save number @n writes into document @id, rebuilt by
 * the tests to check what landed. */
G_BEGIN_DECLS
char      *pqs_test_fault_body            (gint64       id,
                                           guint        n);
/* Starts the fault-child program (built beside the running test) with
 * @argv (without the program name) and the environment changes of @env,
 * as pqs_test_spawn_admin() does. */
GSubprocess *pqs_test_spawn_fault_child   (const char * const *env,
                                           const char * const *argv,
                                           GSubprocessFlags    flags);

/* What a GListModel announced last (pqs_test_changes_watch()). */
typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
} PqsTestChanges;

void       pqs_test_changes_watch         (GListModel     *model,
                                           PqsTestChanges *changes);
void       pqs_test_assert_change         (PqsTestChanges *changes,
                                           guint           position,
                                           guint           removed,
                                           guint           added);

G_END_DECLS
