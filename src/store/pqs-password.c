/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <crypt.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "pqs-password.h"

/* A bcrypt hash is "$2b$" + two cost digits + "$" + 22 salt and 31 hash
 * characters. */
#define BCRYPT_HASH_LENGTH 60
#define BCRYPT_MIN_COST    4
/* Each step doubles the work: cost 12 (the legacy default) takes about a
 * quarter of a second, 16 about four. A higher cost in the database is
 * treated as damaged rather than letting one row stall sign-in or a
 * migration for minutes. */
#define BCRYPT_MAX_COST    16

static const char bcrypt_alphabet[] =
  "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/* Process-wide hashing limits and the dummy hash made with them. */
static GMutex   limits_lock;
static guint64  limits_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static gsize    limits_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char    *dummy_hash;

G_DEFINE_QUARK (pqs-password-error-quark, pqs_password_error)

/* A copy of (part of) a password: wiped before it is freed. */
typedef char PqsSecretString;

static void
secret_string_free (PqsSecretString *secret)
{
  if (secret == NULL)
    return;

  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PqsSecretString, secret_string_free)

static void
ensure_sodium (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      if (sodium_init () < 0)
        g_error ("libsodium cannot be initialised");
      g_once_init_leave (&done, 1);
    }
}

/**
 * pqs_password_set_limits:
 * @opslimit: the argon2id operations limit of new hashes
 * @memlimit: the argon2id memory limit of new hashes, in bytes
 *
 * Changes the cost of the hashes pqs_password_hash() makes, for the whole
 * process. Stored hashes made with other limits still verify, as
 * %PQS_PASSWORD_MATCH_NEEDS_REHASH. The defaults are libsodium's
 * interactive limits.
 */
void
pqs_password_set_limits (guint64 opslimit,
                         gsize   memlimit)
{
  g_return_if_fail (opslimit >= crypto_pwhash_OPSLIMIT_MIN);
  g_return_if_fail (opslimit <= crypto_pwhash_OPSLIMIT_MAX);
  g_return_if_fail (memlimit >= crypto_pwhash_MEMLIMIT_MIN);
  g_return_if_fail (memlimit <= crypto_pwhash_MEMLIMIT_MAX);

  g_mutex_lock (&limits_lock);
  if (opslimit != limits_opslimit || memlimit != limits_memlimit)
    {
      limits_opslimit = opslimit;
      limits_memlimit = memlimit;
      g_clear_pointer (&dummy_hash, g_free);
    }
  g_mutex_unlock (&limits_lock);
}

void
pqs_password_get_limits (guint64 *opslimit,
                         gsize   *memlimit)
{
  g_mutex_lock (&limits_lock);
  if (opslimit != NULL)
    *opslimit = limits_opslimit;
  if (memlimit != NULL)
    *memlimit = limits_memlimit;
  g_mutex_unlock (&limits_lock);
}

/* Case-insensitive and normalised, for comparing a password with a name. */
static PqsSecretString *
fold (const char *text)
{
  g_autoptr(PqsSecretString) folded = g_utf8_casefold (text, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
}

/**
 * pqs_password_check_policy:
 * @password: (nullable): the password a user chose
 * @username: (nullable): the account's user name
 * @error: return location for a #GError
 *
 * Checks a new password against the policy: valid UTF-8 of at most
 * %PQS_PASSWORD_MAX_LENGTH bytes, at least %PQS_PASSWORD_MIN_LENGTH
 * characters, and not the user name (ignoring case and surrounding space).
 *
 * Returns: %TRUE when @password may be used
 */
gboolean
pqs_password_check_policy (const char  *password,
                           const char  *username,
                           GError     **error)
{
  if (password == NULL)
    {
      g_set_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_INVALID,
                   _("Type a password."));
      return FALSE;
    }

  if (strlen (password) > PQS_PASSWORD_MAX_LENGTH)
    {
      g_set_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_INVALID,
                   _("The password must be at most %u bytes long."),
                   (guint) PQS_PASSWORD_MAX_LENGTH);
      return FALSE;
    }

  if (!g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_INVALID,
                   _("The password contains characters that are not valid text. Type it "
                     "again."));
      return FALSE;
    }

  if (g_utf8_strlen (password, -1) < PQS_PASSWORD_MIN_LENGTH)
    {
      g_set_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_TOO_SHORT,
                   ngettext ("The password must be at least %u character long.",
                             "The password must be at least %u characters long.",
                             PQS_PASSWORD_MIN_LENGTH),
                   (guint) PQS_PASSWORD_MIN_LENGTH);
      return FALSE;
    }

  if (username != NULL && g_utf8_validate (username, -1, NULL))
    {
      g_autoptr(PqsSecretString) stripped = g_strstrip (g_strdup (password));
      g_autoptr(PqsSecretString) folded = fold (password);
      g_autoptr(PqsSecretString) folded_stripped = fold (stripped);
      g_autofree char *name = g_strstrip (g_strdup (username));
      g_autofree char *folded_name = fold (name);

      if (g_strcmp0 (folded, folded_name) == 0 ||
          g_strcmp0 (folded_stripped, folded_name) == 0)
        {
          g_set_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_MATCHES_USERNAME,
                       _("The password must not be the user name. Choose another one."));
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * pqs_password_hash:
 * @password: a password
 * @error: return location for a #GError
 *
 * Hashes @password with argon2id (libsodium's crypto_pwhash_str) and the
 * current limits, with a fresh random salt.
 *
 * Returns: (transfer full): the hash to store, or %NULL on failure
 */
char *
pqs_password_hash (const char  *password,
                   GError     **error)
{
  char out[crypto_pwhash_STRBYTES];
  guint64 opslimit;
  gsize memlimit;

  g_return_val_if_fail (password != NULL, NULL);

  ensure_sodium ();
  pqs_password_get_limits (&opslimit, &memlimit);

  if (crypto_pwhash_str_alg (out, password, strlen (password), opslimit, memlimit,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_FAILED,
                   _("The password could not be protected because the computer is short of "
                     "memory. Close other programs and try again."));
      return NULL;
    }

  return g_strdup (out);
}

/**
 * pqs_password_hash_kind:
 * @hash: (nullable): a stored password hash
 *
 * Returns: which scheme made @hash, judged by its prefix only
 */
PqsPasswordHashKind
pqs_password_hash_kind (const char *hash)
{
  if (hash == NULL)
    return PQS_PASSWORD_HASH_UNKNOWN;

  if (g_str_has_prefix (hash, "$argon2id$"))
    return PQS_PASSWORD_HASH_ARGON2ID;

  if (g_str_has_prefix (hash, "$2b$") ||
      g_str_has_prefix (hash, "$2a$") ||
      g_str_has_prefix (hash, "$2y$"))
    return PQS_PASSWORD_HASH_BCRYPT;

  return PQS_PASSWORD_HASH_UNKNOWN;
}

/* argon2id verifications run by this process, real and dummy. */
static gint n_verifications;

/**
 * pqs_password_get_verification_count:
 *
 * For tests: how many argon2id verifications this process has run, real
 * and dummy, so that a test can show that two sign-in paths do the same
 * hashing work without timing them.
 *
 * Returns: the count
 */
guint
pqs_password_get_verification_count (void)
{
  return (guint) g_atomic_int_get (&n_verifications);
}

static PqsPasswordVerdict
verify_argon2id (const char *hash,
                 const char *password)
{
  guint64 opslimit;
  gsize memlimit;

  /* libsodium reads the hash as a buffer of crypto_pwhash_STRBYTES. */
  if (strnlen (hash, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
    return PQS_PASSWORD_UNUSABLE;

  ensure_sodium ();
  g_atomic_int_inc (&n_verifications);
  if (crypto_pwhash_str_verify (hash, password, strlen (password)) != 0)
    return PQS_PASSWORD_MISMATCH;

  pqs_password_get_limits (&opslimit, &memlimit);
  if (crypto_pwhash_str_needs_rehash (hash, opslimit, memlimit) != 0)
    return PQS_PASSWORD_MATCH_NEEDS_REHASH;

  return PQS_PASSWORD_MATCH;
}

static gboolean
bcrypt_well_formed (const char *hash)
{
  guint cost;

  if (strnlen (hash, BCRYPT_HASH_LENGTH + 1) != BCRYPT_HASH_LENGTH)
    return FALSE;

  if (!g_ascii_isdigit (hash[4]) || !g_ascii_isdigit (hash[5]) || hash[6] != '$')
    return FALSE;

  cost = (guint) (hash[4] - '0') * 10 + (guint) (hash[5] - '0');
  if (cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST)
    return FALSE;

  for (guint i = 7; i < BCRYPT_HASH_LENGTH; i++)
    if (strchr (bcrypt_alphabet, hash[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* Legacy hashes: the system's libcrypt knows $2a$, $2b$ and $2y$. A match
 * always asks for a new argon2id hash. */
static PqsPasswordVerdict
verify_bcrypt (const char *hash,
               const char *password)
{
  struct crypt_data *data;
  const char *computed;
  gboolean match;

  /* Checked first so that a damaged string costs nothing and never reaches
   * crypt_r() with an absurd cost. No password can match it: the account
   * needs a reset, like one whose hash is of no known kind. */
  if (!bcrypt_well_formed (hash))
    return PQS_PASSWORD_UNUSABLE;

  /* struct crypt_data is tens of kilobytes: not for the stack. */
  data = g_new0 (struct crypt_data, 1);
  computed = crypt_r (password, hash, data);
  match = computed != NULL &&
          computed[0] != '*' &&
          strlen (computed) == BCRYPT_HASH_LENGTH &&
          sodium_memcmp (computed, hash, BCRYPT_HASH_LENGTH) == 0;
  sodium_memzero (data, sizeof *data);
  g_free (data);

  return match ? PQS_PASSWORD_MATCH_NEEDS_REHASH : PQS_PASSWORD_MISMATCH;
}

/**
 * pqs_password_verify:
 * @hash: (nullable): a stored password hash
 * @password: (nullable): the password given at sign-in
 *
 * Checks @password against @hash in constant time. A hash of an unknown
 * kind, or one of a known kind that is plainly damaged (a bcrypt string of
 * the wrong length or alphabet, an oversized argon2id string), cannot be
 * checked at all and needs a password reset.
 *
 * Returns: the verdict
 */
PqsPasswordVerdict
pqs_password_verify (const char *hash,
                     const char *password)
{
  PqsPasswordHashKind kind = pqs_password_hash_kind (hash);

  if (kind == PQS_PASSWORD_HASH_UNKNOWN)
    return PQS_PASSWORD_UNUSABLE;

  if (password == NULL)
    return PQS_PASSWORD_MISMATCH;

  switch (kind)
    {
    case PQS_PASSWORD_HASH_ARGON2ID:
      return verify_argon2id (hash, password);

    case PQS_PASSWORD_HASH_BCRYPT:
      return verify_bcrypt (hash, password);

    case PQS_PASSWORD_HASH_UNKNOWN:
    default:
      return PQS_PASSWORD_UNUSABLE;
    }
}

/**
 * pqs_password_verify_dummy:
 * @password: (nullable): the password given at sign-in
 *
 * Does the work of verifying @password against an argon2id hash made with
 * the current limits, and throws the result away: a sign-in for a user name
 * that does not exist takes as long as a wrong password for one that does.
 */
void
pqs_password_verify_dummy (const char *password)
{
  g_autofree char *hash = NULL;
  guint64 opslimit;
  gsize memlimit;
  int outcome;

  g_mutex_lock (&limits_lock);
  hash = g_strdup (dummy_hash);
  opslimit = limits_opslimit;
  memlimit = limits_memlimit;
  g_mutex_unlock (&limits_lock);

  if (hash == NULL)
    {
      char secret[33];
      guint8 bytes[16];

      ensure_sodium ();
      randombytes_buf (bytes, sizeof bytes);
      sodium_bin2hex (secret, sizeof secret, bytes, sizeof bytes);
      hash = pqs_password_hash (secret, NULL);
      sodium_memzero (secret, sizeof secret);
      sodium_memzero (bytes, sizeof bytes);
      if (hash == NULL)
        return;

      /* Kept only if the limits did not change while it was made. */
      g_mutex_lock (&limits_lock);
      if (dummy_hash == NULL && opslimit == limits_opslimit && memlimit == limits_memlimit)
        dummy_hash = g_strdup (hash);
      g_mutex_unlock (&limits_lock);
    }

  /* Only the work matters, not the outcome. */
  g_atomic_int_inc (&n_verifications);
  outcome = crypto_pwhash_str_verify (hash, password != NULL ? password : "",
                                      password != NULL ? strlen (password) : 0);
  (void) outcome;
}
