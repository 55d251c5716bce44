/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PQS_PASSWORD_ERROR (pqs_password_error_quark ())

typedef enum
{
  PQS_PASSWORD_ERROR_FAILED,
  PQS_PASSWORD_ERROR_TOO_SHORT,
  PQS_PASSWORD_ERROR_MATCHES_USERNAME,
  PQS_PASSWORD_ERROR_INVALID,          /* not UTF-8, or longer than the limit */
} PqsPasswordError;

/* What a stored password_hash is. */
typedef enum
{
  PQS_PASSWORD_HASH_UNKNOWN,
  PQS_PASSWORD_HASH_ARGON2ID,          /* $argon2id$… (libsodium crypto_pwhash_str) */
  PQS_PASSWORD_HASH_BCRYPT,            /* $2b$ / $2a$ / $2y$ (legacy databases) */
} PqsPasswordHashKind;

typedef enum
{
  PQS_PASSWORD_MISMATCH,               /* wrong password */
  PQS_PASSWORD_MATCH,                  /* right password, hash is current */
  PQS_PASSWORD_MATCH_NEEDS_REHASH,     /* right password: store pqs_password_hash() anew */
  PQS_PASSWORD_UNUSABLE,               /* unknown hash format: a reset is required */
} PqsPasswordVerdict;

#define PQS_PASSWORD_MIN_LENGTH 10
#define PQS_PASSWORD_MAX_LENGTH 1024

/* The password the legacy application shipped for its admin account. */
#define PQS_PASSWORD_LEGACY_DEFAULT "Admin&21"

GQuark              pqs_password_error_quark  (void);

gboolean            pqs_password_check_policy (const char  *password,
                                               const char  *username,
                                               GError     **error);
char               *pqs_password_hash         (const char  *password,
                                               GError     **error);
PqsPasswordHashKind pqs_password_hash_kind    (const char  *hash);
PqsPasswordVerdict  pqs_password_verify       (const char  *hash,
                                               const char  *password);
void                pqs_password_verify_dummy (const char  *password);

guint               pqs_password_get_verification_count (void);

void                pqs_password_set_limits   (guint64      opslimit,
                                               gsize        memlimit);
void                pqs_password_get_limits   (guint64     *opslimit,
                                               gsize       *memlimit);

G_END_DECLS
