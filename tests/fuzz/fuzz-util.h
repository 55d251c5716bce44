/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "pqs-store.h"

G_BEGIN_DECLS

/* libFuzzer's entry points. Every target defines the first and may define
 * the second; fuzz-replay.c provides a main() that calls them on files when
 * the targets are built without libFuzzer. */
int       LLVMFuzzerTestOneInput      (const uint8_t  *data,
                                       size_t          size);
int       LLVMFuzzerInitialize        (int            *argc,
                                       char         ***argv);

/* Makes warnings and criticals fatal (a hostile input must never reach a
 * g_return_if_fail) and keeps debug output quiet. */
void      pqs_fuzz_init               (void);

/* Whether PQS_FUZZ_VERBOSE is set: the targets then say what each input
 * did (accepted, or the refusal's message), to check that a seed reaches
 * the code it is meant for. */
gboolean  pqs_fuzz_verbose            (void);
void      pqs_fuzz_say                (const char     *format,
                                       ...) G_GNUC_PRINTF (1, 2);

/* The contract of every refusal's message: a sentence a person can read,
 * in a label or a toast (not empty, valid UTF-8, one line, no control
 * characters but tabs). With PQS_FUZZ_LAX_MESSAGES set, a message is only
 * checked to be there: to fuzz past a message finding while it is being
 * fixed (README.md). */
void      pqs_fuzz_check_message      (const GError   *error);

/* Splits @data at its first @n_parts - 1 NUL bytes into @parts (each a new
 * string; a part past the end is NULL; the last part stops at the next NUL).
 * Returns how many parts were found. */
guint     pqs_fuzz_split              (const uint8_t  *data,
                                       size_t          size,
                                       char          **parts,
                                       guint           n_parts);
void      pqs_fuzz_free_parts         (char          **parts,
                                       guint           n_parts);

/* A folder of this process's own, removed at exit. */
const char *pqs_fuzz_tmpdir           (void);

/* A database in pqs_fuzz_tmpdir(), migrated and filled by the demo seeder
 * with @documents documents (seed 1, as `pqs-admin seed-demo` makes them;
 * cheap password hashing, a fixed clock), opened once per process; and a
 * copy of it in memory that pqs_fuzz_demo_store_reset() puts back after an
 * input wrote to it, so that every input sees the same database. */
PqsStore *pqs_fuzz_demo_store         (guint           documents);
void      pqs_fuzz_demo_store_reset   (void);

G_END_DECLS
