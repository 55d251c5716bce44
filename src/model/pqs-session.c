/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "pqs-audit.h"
#include "pqs-auth.h"
#include "pqs-password.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-user-private.h"

/**
 * PqsSession:
 *
 * A signed-in person. pqs_session_sign_in() checks the password, counts
 * failures (five lock the account for fifteen minutes), upgrades legacy
 * bcrypt hashes and hashes made with weaker parameters to argon2id, opens a
 * `user_sessions` row with a random token, and writes the audit row: all in
 * one transaction, whose failure-counting part commits even when the
 * sign-in fails.
 *
 * Whether a name has an account never shows: an unknown name costs the
 * same password hashing as a wrong password, fails with the same message,
 * and locks after the same number of tries (counted in sign_in_throttle).
 *
 * The session locks itself after an idle time and asks for the password
 * again (pqs_session_unlock(), counted like a sign-in). Times come from the
 * store's clock, so tests move time with pqs_store_set_clock().
 */

#define TOUCH_WRITE_USEC (60 * G_USEC_PER_SEC)
#define THROTTLE_KEEP_USEC ((gint64) 24 * 60 * 60 * G_USEC_PER_SEC)
#define NAME_KEY_MAX 256

struct _PqsSession
{
  GObject   parent_instance;

  PqsStore *store;
  PqsUser  *user;
  gint64    id;
  char     *token;
  gboolean  active;
  gboolean  locked;

  guint     idle_timeout;     /* seconds; 0: never lock */
  guint     idle_source;
  gint64    last_activity;    /* store clock, µs */
  gint64    last_touch_write;
};

G_DEFINE_FINAL_TYPE (PqsSession, pqs_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USER,
  PROP_ACTIVE,
  PROP_LOCKED,
  PROP_IDLE_TIMEOUT,
  PROP_PASSWORD_CHANGE_REQUIRED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One attempt to prove who one is ----------------------------------------- */

typedef enum
{
  ATTEMPT_SIGN_IN,          /* a new session */
  ATTEMPT_UNLOCK,           /* the idle-locked session's owner returns */
  ATTEMPT_VERIFY,           /* the current password, before changing it */
} AttemptKind;

typedef enum
{
  OUTCOME_OK,
  OUTCOME_WRONG,
  OUTCOME_LOCKED,
  OUTCOME_RESET_REQUIRED,
  OUTCOME_INACTIVE,
} Outcome;

typedef struct
{
  AttemptKind  kind;
  const char  *username;
  const char  *password;
  gint64       user_id;     /* for UNLOCK and VERIFY */
  gint64       session_id;  /* for UNLOCK */

  Outcome      outcome;
  gint64       found_id;
  gint64       new_session_id;
  char        *token;
  PqsUser     *user;
} Attempt;

static void
attempt_clear (Attempt *attempt)
{
  if (attempt->token != NULL)
    sodium_memzero (attempt->token, strlen (attempt->token));
  g_clear_pointer (&attempt->token, g_free);
  g_clear_object (&attempt->user);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Attempt, attempt_clear)

static gboolean
audit (PqsStore    *store,
       gint64       user_id,
       const char  *activity,
       JsonBuilder *details,
       GError     **error)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_end_object (details);
  node = json_builder_get_root (details);
  return pqs_audit_append (store, user_id, activity, "user", user_id, node, NULL, error);
}

static JsonBuilder *
details_new (const char *username)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (username != NULL)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, username);
    }
  return builder;
}

static void
details_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static gint64
parse_usec (const char *text)
{
  g_autoptr(GDateTime) time = pqs_store_parse_time (text);

  if (time == NULL)
    return 0;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static char *
format_usec (gint64 usec)
{
  return pqs_store_format_time (usec);
}

/* Failure counting: one more failure at @now, given the stored counter and
 * lock. A lock that has run out starts the count afresh. Returns the new
 * count and sets @out_lock_until when this failure locks. */
static gint64
count_failure (gint64  failed,
               gint64  locked_until,
               gint64  now,
               gint64 *out_lock_until)
{
  if (locked_until != 0 && locked_until <= now)
    failed = 0;
  failed++;
  *out_lock_until = failed >= PQS_SIGN_IN_MAX_FAILURES ? now + PQS_SIGN_IN_LOCKOUT_USEC : 0;
  return failed;
}

/* A name without an account: counted in sign_in_throttle. */
static gboolean
fail_unknown_name (PqsStore  *store,
                   Attempt   *attempt,
                   gint64     now,
                   GError   **error)
{
  g_autofree char *folded = g_utf8_casefold (attempt->username, -1);
  g_autofree char *key = NULL;
  g_autofree char *now_text = format_usec (now);
  g_autofree char *lock_text = NULL;
  g_autofree char *stale_text = format_usec (now - THROTTLE_KEEP_USEC);
  g_autoptr(JsonBuilder) details = details_new (attempt->username);
  sqlite3_stmt *stmt;
  gint64 failed = 0;
  gint64 locked_until = 0;
  gint64 lock_until = 0;
  int rc;

  key = g_utf8_make_valid (folded, MIN (strlen (folded), NAME_KEY_MAX));
  if (*key == '\0')
    {
      g_free (key);
      key = g_strdup (" ");
    }

  stmt = pqs_store_prepare (store,
                            "SELECT failed_attempts, locked_until FROM sign_in_throttle "
                            "WHERE name_key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      failed = sqlite3_column_int64 (stmt, 0);
      locked_until = parse_usec ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc,
                                            "sign_in_throttle");

  if (locked_until > now)
    {
      attempt->outcome = OUTCOME_LOCKED;
      details_add_string (details, "reason", "locked");
      return audit (store, 0, PQS_AUDIT_SIGN_IN_FAILED, details, error);
    }

  failed = count_failure (failed, locked_until, now, &lock_until);
  if (lock_until != 0)
    lock_text = format_usec (lock_until);

  stmt = pqs_store_prepare (store,
                            "INSERT INTO sign_in_throttle (name_key, failed_attempts, "
                            "locked_until, updated_at) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (name_key) DO UPDATE SET "
                            "failed_attempts = excluded.failed_attempts, "
                            "locked_until = excluded.locked_until, "
                            "updated_at = excluded.updated_at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, failed);
  sqlite3_bind_text (stmt, 3, lock_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now_text, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  /* Names tried once a day ago need no counter any more. */
  stmt = pqs_store_prepare (store,
                            "DELETE FROM sign_in_throttle WHERE updated_at < ?1 "
                            "AND (locked_until IS NULL OR locked_until < ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, stale_text, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  details_add_string (details, "reason", "unknown-user");
  if (!audit (store, 0, PQS_AUDIT_SIGN_IN_FAILED, details, error))
    return FALSE;

  attempt->outcome = lock_until != 0 ? OUTCOME_LOCKED : OUTCOME_WRONG;
  if (lock_until != 0)
    {
      g_autoptr(JsonBuilder) lock = details_new (attempt->username);

      return audit (store, 0, PQS_AUDIT_LOCKOUT, lock, error);
    }
  return TRUE;
}

static gboolean
fail_known_user (PqsStore    *store,
                 Attempt     *attempt,
                 const char  *username,
                 gint64       failed,
                 gint64       locked_until,
                 gint64       now,
                 GError     **error)
{
  g_autofree char *lock_text = NULL;
  g_autoptr(JsonBuilder) details = details_new (username);
  sqlite3_stmt *stmt;
  gint64 lock_until = 0;

  failed = count_failure (failed, locked_until, now, &lock_until);
  if (lock_until != 0)
    lock_text = format_usec (lock_until);

  stmt = pqs_store_prepare (store,
                            "UPDATE users SET failed_login_attempts = ?2, locked_until = ?3 "
                            "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, attempt->found_id);
  sqlite3_bind_int64 (stmt, 2, failed);
  sqlite3_bind_text (stmt, 3, lock_text, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  details_add_string (details, "reason", "wrong-password");
  json_builder_set_member_name (details, "failed_attempts");
  json_builder_add_int_value (details, failed);
  if (!audit (store, attempt->found_id, PQS_AUDIT_SIGN_IN_FAILED, details, error))
    return FALSE;

  attempt->outcome = lock_until != 0 ? OUTCOME_LOCKED : OUTCOME_WRONG;
  if (lock_until != 0)
    {
      g_autoptr(JsonBuilder) lock = details_new (username);

      details_add_string (lock, "locked_until", lock_text);
      return audit (store, attempt->found_id, PQS_AUDIT_LOCKOUT, lock, error);
    }

  return TRUE;
}

static gboolean
open_session_row (PqsStore  *store,
                  Attempt   *attempt,
                  gint64     now,
                  GError   **error)
{
  guint8 raw[32];
  char token[sizeof raw * 2 + 1];
  g_autofree char *digest = NULL;
  g_autofree char *now_text = format_usec (now);
  g_autofree char *expires_text = format_usec (now + PQS_SESSION_LIFETIME_USEC);
  sqlite3_stmt *stmt;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (token, sizeof token, raw, sizeof raw);
  sodium_memzero (raw, sizeof raw);
  /* The table holds a digest: a copy of the database opens no session. */
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);

  stmt = pqs_store_prepare (store,
                            "INSERT INTO user_sessions (user_id, session_token, user_agent, "
                            "is_active, last_activity_at, expires_at, created_at) "
                            "VALUES (?1, ?2, ?3, 1, ?4, ?5, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, attempt->found_id);
  sqlite3_bind_text (stmt, 2, digest, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, pqs_store_get_client_name (store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, expires_text, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  attempt->new_session_id = sqlite3_last_insert_rowid (pqs_store_get_handle (store));
  attempt->token = g_strdup (token);
  sodium_memzero (token, sizeof token);
  return TRUE;
}

static gboolean
succeed (PqsStore            *store,
         Attempt             *attempt,
         const char          *username,
         PqsPasswordVerdict   verdict,
         PqsPasswordHashKind  kind,
         gint64               now,
         GError             **error)
{
  g_autofree char *now_text = format_usec (now);
  g_autofree char *new_hash = NULL;
  g_autoptr(JsonBuilder) details = details_new (username);
  sqlite3_stmt *stmt;
  const char *activity;

  /* A legacy bcrypt hash, or argon2id made with weaker parameters, is
   * replaced now that the password is known: in this transaction. */
  if (verdict == PQS_PASSWORD_MATCH_NEEDS_REHASH)
    {
      new_hash = pqs_password_hash (attempt->password, error);
      if (new_hash == NULL)
        return FALSE;
      stmt = pqs_store_prepare (store, "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, attempt->found_id);
      sqlite3_bind_text (stmt, 2, new_hash, -1, SQLITE_TRANSIENT);
      if (!pqs_store_step_done (store, stmt, error))
        return FALSE;
      details_add_string (details, "rehashed_from",
                          kind == PQS_PASSWORD_HASH_BCRYPT ? "bcrypt" : "argon2id");
    }

  if (attempt->kind == ATTEMPT_SIGN_IN)
    stmt = pqs_store_prepare (store,
                              "UPDATE users SET failed_login_attempts = 0, locked_until = NULL, "
                              "last_login_at = ?2, login_count = login_count + 1 WHERE id = ?1",
                              error);
  else
    stmt = pqs_store_prepare (store,
                              "UPDATE users SET failed_login_attempts = 0, locked_until = NULL "
                              "WHERE id = ?1 AND ?2 IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, attempt->found_id);
  sqlite3_bind_text (stmt, 2, now_text, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  switch (attempt->kind)
    {
    case ATTEMPT_SIGN_IN:
      if (!open_session_row (store, attempt, now, error))
        return FALSE;
      json_builder_set_member_name (details, "session_id");
      json_builder_add_int_value (details, attempt->new_session_id);
      activity = PQS_AUDIT_SIGN_IN;
      break;
    case ATTEMPT_UNLOCK:
      json_builder_set_member_name (details, "session_id");
      json_builder_add_int_value (details, attempt->session_id);
      activity = PQS_AUDIT_SESSION_UNLOCK;
      break;
    case ATTEMPT_VERIFY:
    default:
      /* The caller writes its own row (a password change). */
      activity = NULL;
      break;
    }

  if (activity != NULL && !audit (store, attempt->found_id, activity, details, error))
    return FALSE;

  attempt->outcome = OUTCOME_OK;
  return TRUE;
}

static gboolean
attempt_cb (PqsStore  *store,
            gpointer   data,
            GError   **error)
{
  Attempt *attempt = data;
  gint64 now = pqs_store_now (store);
  g_autofree char *username = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gboolean active = FALSE;
  gint64 failed = 0;
  gint64 locked_until = 0;
  PqsPasswordVerdict verdict;
  int rc;

  if (attempt->kind == ATTEMPT_SIGN_IN)
    {
      /* An exact match wins; legacy names differing in case only do not guess. */
      stmt = pqs_store_prepare (store,
                                "SELECT id, username, password_hash, is_active, "
                                "failed_login_attempts, locked_until FROM users "
                                "WHERE username = ?1 OR (username = ?1 COLLATE NOCASE AND "
                                "NOT EXISTS (SELECT 1 FROM users WHERE username = ?1) AND "
                                "(SELECT count(*) FROM users WHERE username = ?1 COLLATE NOCASE) = 1)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, attempt->username, -1, SQLITE_TRANSIENT);
    }
  else
    {
      stmt = pqs_store_prepare (store,
                                "SELECT id, username, password_hash, is_active, "
                                "failed_login_attempts, locked_until FROM users WHERE id = ?1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, attempt->user_id);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      attempt->found_id = sqlite3_column_int64 (stmt, 0);
      username = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      active = sqlite3_column_int (stmt, 3) != 0;
      failed = sqlite3_column_int64 (stmt, 4);
      locked_until = parse_usec ((const char *) sqlite3_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, "users");

  if (rc == SQLITE_DONE)
    {
      if (attempt->kind != ATTEMPT_SIGN_IN)
        {
          g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INACTIVE,
                               _("Your account no longer exists. Sign in again."));
          return FALSE;
        }
      /* The same hashing work as a wrong password for a real account. */
      pqs_password_verify_dummy (attempt->password);
      return fail_unknown_name (store, attempt, now, error);
    }

  if (locked_until > now)
    {
      g_autoptr(JsonBuilder) details = details_new (username);

      pqs_password_verify_dummy (attempt->password);
      attempt->outcome = OUTCOME_LOCKED;
      details_add_string (details, "reason", "locked");
      return audit (store, attempt->found_id, PQS_AUDIT_SIGN_IN_FAILED, details, error);
    }

  verdict = pqs_password_verify (hash, attempt->password);
  switch (verdict)
    {
    case PQS_PASSWORD_UNUSABLE:
      {
        g_autoptr(JsonBuilder) details = details_new (username);

        pqs_password_verify_dummy (attempt->password);
        stmt = pqs_store_prepare (store,
                                  "UPDATE users SET password_reset_required = 1 WHERE id = ?1",
                                  error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, attempt->found_id);
        if (!pqs_store_step_done (store, stmt, error))
          return FALSE;
        attempt->outcome = OUTCOME_RESET_REQUIRED;
        details_add_string (details, "reason", "unusable-password-hash");
        return audit (store, attempt->found_id, PQS_AUDIT_SIGN_IN_FAILED, details, error);
      }

    case PQS_PASSWORD_MISMATCH:
      return fail_known_user (store, attempt, username, failed, locked_until, now, error);

    case PQS_PASSWORD_MATCH:
    case PQS_PASSWORD_MATCH_NEEDS_REHASH:
    default:
      if (!active)
        {
          g_autoptr(JsonBuilder) details = details_new (username);

          attempt->outcome = OUTCOME_INACTIVE;
          details_add_string (details, "reason", "inactive");
          return audit (store, attempt->found_id, PQS_AUDIT_SIGN_IN_FAILED, details, error);
        }
      if (!succeed (store, attempt, username, verdict, pqs_password_hash_kind (hash), now, error))
        return FALSE;
      stmt = pqs_store_prepare (store, "SELECT " PQS_USER_COLUMNS " FROM users WHERE id = ?1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, attempt->found_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        attempt->user = pqs_user_new_from_stmt (stmt);
      sqlite3_reset (stmt);
      return attempt->user != NULL;
    }
}

/* Runs @attempt; the counting commits, then the outcome becomes an error. */
static gboolean
run_attempt (PqsStore  *store,
             Attempt   *attempt,
             GError   **error)
{
  if (!pqs_store_transaction (store, attempt_cb, attempt, error))
    return FALSE;

  switch (attempt->outcome)
    {
    case OUTCOME_OK:
      return TRUE;
    case OUTCOME_LOCKED:
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LOCKED,
                           _("Too many failed attempts. Wait 15 minutes and try again, or ask "
                             "an administrator to unlock the account."));
      return FALSE;
    case OUTCOME_RESET_REQUIRED:
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_PASSWORD_RESET_REQUIRED,
                           _("This account’s password must be reset by an administrator "
                             "before it can be used."));
      return FALSE;
    case OUTCOME_INACTIVE:
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("This account is deactivated. Ask an administrator to "
                             "reactivate it."));
      return FALSE;
    case OUTCOME_WRONG:
    default:
      if (attempt->kind == ATTEMPT_SIGN_IN)
        g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS,
                             _("The username or password is not right."));
      else
        g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID_CREDENTIALS,
                             _("The password is not right."));
      return FALSE;
    }
}

/* Public API -------------------------------------------------------------- */

static gboolean
idle_cb (gpointer data)
{
  pqs_session_check_idle (PQS_SESSION (data));
  return G_SOURCE_CONTINUE;
}

static void
update_idle_source (PqsSession *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);

  if (self->idle_timeout > 0 && self->active)
    self->idle_source = g_timeout_add_seconds (MAX (1, MIN (15, self->idle_timeout)),
                                               idle_cb, self);
}

/**
 * pqs_session_sign_in:
 * @store: a migrated #PqsStore
 * @username: the account's name
 * @password: its password
 * @error: return location for a #GError
 *
 * Fails with %PQS_AUTH_ERROR_INVALID_CREDENTIALS (the same for an unknown
 * name and a wrong password), %PQS_AUTH_ERROR_LOCKED,
 * %PQS_AUTH_ERROR_PASSWORD_RESET_REQUIRED or %PQS_AUTH_ERROR_DENIED (a
 * deactivated account, said only to someone who knows its password).
 *
 * A session whose user must choose a new password is returned all the
 * same, with #PqsSession:password-change-required set: the permission
 * check lets it do nothing else until pqs_session_change_password().
 *
 * Returns: (transfer full): the session
 */
PqsSession *
pqs_session_sign_in (PqsStore    *store,
                     const char  *username,
                     const char  *password,
                     GError     **error)
{
  g_auto(Attempt) attempt = { ATTEMPT_SIGN_IN, username, password, 0, 0, 0, 0, 0, NULL, NULL };
  PqsSession *self;

  g_return_val_if_fail (PQS_IS_STORE (store), NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (!run_attempt (store, &attempt, error))
    return NULL;

  self = g_object_new (PQS_TYPE_SESSION, NULL);
  self->store = g_object_ref (store);
  self->user = g_steal_pointer (&attempt.user);
  self->id = attempt.new_session_id;
  self->token = g_steal_pointer (&attempt.token);
  self->active = TRUE;
  self->last_activity = pqs_store_now (store);
  self->last_touch_write = self->last_activity;

  return self;
}

PqsStore *
pqs_session_get_store (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), NULL);
  return self->store;
}

/**
 * pqs_session_get_user:
 * @self: a #PqsSession
 *
 * Returns: (transfer none): the signed-in account, as of the sign-in or
 *   the last pqs_session_refresh_user()
 */
PqsUser *
pqs_session_get_user (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), NULL);
  return self->user;
}

gint64
pqs_session_get_id (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), 0);
  return self->id;
}

/**
 * pqs_session_get_token:
 * @self: a #PqsSession
 *
 * Returns: the session's secret token; the database holds only its SHA-256
 */
const char *
pqs_session_get_token (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), NULL);
  return self->token;
}

gboolean
pqs_session_get_active (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);
  return self->active;
}

gboolean
pqs_session_get_locked (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);
  return self->locked;
}

gboolean
pqs_session_get_password_change_required (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);
  return pqs_user_get_password_reset_required (self->user);
}

static void
end (PqsSession *self)
{
  if (!self->active)
    return;
  self->active = FALSE;
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static gboolean
ended_error (GError **error)
{
  g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INACTIVE,
                       _("Your session has ended. Sign in again."));
  return FALSE;
}

/**
 * pqs_session_refresh_user:
 * @self: a #PqsSession
 * @error: return location for a #GError
 *
 * Reads the account again (an administrator may have changed its role),
 * updating the #PqsUser in place.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_session_refresh_user (PqsSession  *self,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean before;
  int rc;

  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);

  stmt = pqs_store_prepare (self->store, "SELECT " PQS_USER_COLUMNS " FROM users WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_user_get_id (self->user));
  rc = sqlite3_step (stmt);
  before = pqs_user_get_password_reset_required (self->user);
  if (rc == SQLITE_ROW)
    pqs_user_update_from_stmt (self->user, stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      end (self);
      return ended_error (error);
    }
  if (rc != SQLITE_ROW)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, "users");

  if (before != pqs_user_get_password_reset_required (self->user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD_CHANGE_REQUIRED]);
  return TRUE;
}

/**
 * pqs_session_validate:
 * @self: a #PqsSession
 * @error: return location for a #GError
 *
 * Checks that the session is still open in the database, has not expired
 * and that its account is still active, and reads the account again.
 * Fails with %PQS_AUTH_ERROR_INACTIVE, ending the session, otherwise.
 *
 * Returns: %TRUE if the session may go on
 */
gboolean
pqs_session_validate (PqsSession  *self,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);

  if (!self->active)
    return ended_error (error);

  stmt = pqs_store_prepare (self->store,
                            "SELECT s.is_active = 1 AND s.expires_at > ?2 AND u.is_active = 1 "
                            "FROM user_sessions AS s JOIN users AS u ON u.id = s.user_id "
                            "WHERE s.id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autofree char *now = format_usec (pqs_store_now (self->store));

    sqlite3_bind_int64 (stmt, 1, self->id);
    sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
      ok = sqlite3_column_int (stmt, 0) != 0;
    sqlite3_reset (stmt);
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc,
                                            "user_sessions");
  if (!ok)
    {
      end (self);
      return ended_error (error);
    }

  return pqs_session_refresh_user (self, error);
}

typedef struct
{
  PqsSession *self;
  const char *password;
} PasswordChange;

static gboolean
change_password_cb (PqsStore  *store,
                    gpointer   data,
                    GError   **error)
{
  PasswordChange *change = data;
  PqsSession *self = change->self;
  g_autofree char *hash = NULL;
  g_autofree char *now = format_usec (pqs_store_now (store));
  g_autoptr(JsonBuilder) details = details_new (pqs_user_get_username (self->user));
  sqlite3_stmt *stmt;

  hash = pqs_password_hash (change->password, error);
  if (hash == NULL)
    return FALSE;

  stmt = pqs_store_prepare (store,
                            "UPDATE users SET password_hash = ?2, password_reset_required = 0, "
                            "updated_at = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_user_get_id (self->user));
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  json_builder_set_member_name (details, "was_required");
  json_builder_add_boolean_value (details, pqs_user_get_password_reset_required (self->user));
  return audit (store, pqs_user_get_id (self->user), PQS_AUDIT_PASSWORD_CHANGE, details, error);
}

/**
 * pqs_session_change_password:
 * @self: a #PqsSession
 * @current_password: the password now, checked (and counted) like a sign-in
 * @new_password: the new one: it meets the policy and differs from the old
 * @error: return location for a #GError
 *
 * Also how a user flagged for a forced change clears the flag.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_session_change_password (PqsSession  *self,
                             const char  *current_password,
                             const char  *new_password,
                             GError     **error)
{
  g_auto(Attempt) attempt = { ATTEMPT_VERIFY, NULL, current_password, 0, 0, 0, 0, 0, NULL, NULL };
  PasswordChange change = { self, new_password };

  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (current_password != NULL, FALSE);
  g_return_val_if_fail (new_password != NULL, FALSE);

  if (!self->active)
    return ended_error (error);
  if (!pqs_auth_check (self->user, PQS_ACTION_CHANGE_OWN_PASSWORD, NULL, error))
    return FALSE;
  if (!pqs_password_check_policy (new_password, pqs_user_get_username (self->user), error))
    return FALSE;
  if (g_strcmp0 (current_password, new_password) == 0)
    {
      g_set_error_literal (error, PQS_PASSWORD_ERROR, PQS_PASSWORD_ERROR_INVALID,
                           _("Choose a password different from the current one."));
      return FALSE;
    }

  attempt.user_id = pqs_user_get_id (self->user);
  if (!run_attempt (self->store, &attempt, error))
    return FALSE;
  if (!pqs_store_transaction (self->store, change_password_cb, &change, error))
    return FALSE;

  return pqs_session_refresh_user (self, error);
}

static gboolean
sign_out_cb (PqsStore  *store,
             gpointer   data,
             GError   **error)
{
  PqsSession *self = data;
  g_autoptr(JsonBuilder) details = details_new (pqs_user_get_username (self->user));
  sqlite3_stmt *stmt;

  stmt = pqs_store_prepare (store, "UPDATE user_sessions SET is_active = 0 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->id);
  if (!pqs_store_step_done (store, stmt, error))
    return FALSE;

  json_builder_set_member_name (details, "session_id");
  json_builder_add_int_value (details, self->id);
  return audit (store, pqs_user_get_id (self->user), PQS_AUDIT_SIGN_OUT, details, error);
}

/**
 * pqs_session_sign_out:
 * @self: a #PqsSession
 * @error: return location for a #GError
 *
 * Closes the session's row and writes the audit row. The session ends in
 * memory even if the database cannot be written.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_session_sign_out (PqsSession  *self,
                      GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);

  if (!self->active)
    return TRUE;

  ok = pqs_store_transaction (self->store, sign_out_cb, self, error);
  end (self);
  if (self->locked)
    {
      self->locked = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
    }
  return ok;
}

/**
 * pqs_session_set_idle_timeout:
 * @self: a #PqsSession
 * @seconds: lock after this long without pqs_session_touch(); 0 never locks
 *
 * The application binds this to the idle-lock-minutes setting.
 */
void
pqs_session_set_idle_timeout (PqsSession *self,
                              guint       seconds)
{
  g_return_if_fail (PQS_IS_SESSION (self));

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  update_idle_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

guint
pqs_session_get_idle_timeout (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), 0);
  return self->idle_timeout;
}

/**
 * pqs_session_touch:
 * @self: a #PqsSession
 *
 * Records that the person is at work (a key press, a click): the idle
 * clock starts again, and about once a minute the session's row is
 * extended.
 */
void
pqs_session_touch (PqsSession *self)
{
  gint64 now;

  g_return_if_fail (PQS_IS_SESSION (self));

  if (!self->active || self->locked)
    return;

  now = pqs_store_now (self->store);
  self->last_activity = now;

  if (now - self->last_touch_write >= TOUCH_WRITE_USEC)
    {
      g_autofree char *now_text = format_usec (now);
      g_autofree char *expires = format_usec (now + PQS_SESSION_LIFETIME_USEC);
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt;

      self->last_touch_write = now;
      stmt = pqs_store_prepare (self->store,
                                "UPDATE user_sessions SET last_activity_at = ?2, expires_at = ?3 "
                                "WHERE id = ?1 AND is_active = 1", &error);
      if (stmt != NULL)
        {
          sqlite3_bind_int64 (stmt, 1, self->id);
          sqlite3_bind_text (stmt, 2, now_text, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, expires, -1, SQLITE_TRANSIENT);
          pqs_store_step_done (self->store, stmt, &error);
        }
      /* Busy or read-only: the next touch tries again; nothing is lost. */
      if (error != NULL)
        g_debug ("Could not extend session %" G_GINT64_FORMAT ": %s", self->id, error->message);
    }
}

/**
 * pqs_session_check_idle:
 * @self: a #PqsSession
 *
 * Locks the session if it has been idle for the idle timeout. Runs by
 * itself from a timer; tests call it after moving the store's clock.
 *
 * Returns: %TRUE if the session is locked now
 */
gboolean
pqs_session_check_idle (PqsSession *self)
{
  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);

  if (self->active && !self->locked && self->idle_timeout > 0 &&
      pqs_store_now (self->store) - self->last_activity >=
      (gint64) self->idle_timeout * G_USEC_PER_SEC)
    {
      g_autoptr(GError) error = NULL;

      if (!pqs_session_lock (self, &error))
        g_warning ("Could not record the idle lock: %s", error->message);
    }

  return self->locked;
}

static gboolean
lock_cb (PqsStore  *store,
         gpointer   data,
         GError   **error)
{
  PqsSession *self = data;
  g_autoptr(JsonBuilder) details = details_new (pqs_user_get_username (self->user));

  json_builder_set_member_name (details, "session_id");
  json_builder_add_int_value (details, self->id);
  return audit (store, pqs_user_get_id (self->user), PQS_AUDIT_SESSION_LOCK, details, error);
}

/**
 * pqs_session_lock:
 * @self: a #PqsSession
 * @error: return location for a #GError
 *
 * Locks the session until its owner gives the password again. The session
 * is locked even when the audit row cannot be written.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_session_lock (PqsSession  *self,
                  GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);

  if (!self->active)
    return ended_error (error);
  if (self->locked)
    return TRUE;

  self->locked = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  ok = pqs_store_transaction (self->store, lock_cb, self, error);
  return ok;
}

/**
 * pqs_session_unlock:
 * @self: a #PqsSession
 * @password: the account's password
 * @error: return location for a #GError
 *
 * Failures count towards the lockout like failed sign-ins.
 *
 * Returns: %TRUE if the session is unlocked
 */
gboolean
pqs_session_unlock (PqsSession  *self,
                    const char  *password,
                    GError     **error)
{
  g_auto(Attempt) attempt = { ATTEMPT_UNLOCK, NULL, password, 0, 0, 0, 0, 0, NULL, NULL };

  g_return_val_if_fail (PQS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!self->active)
    return ended_error (error);
  if (!self->locked)
    return TRUE;

  attempt.user_id = pqs_user_get_id (self->user);
  attempt.session_id = self->id;
  if (!run_attempt (self->store, &attempt, error))
    return FALSE;

  self->locked = FALSE;
  self->last_activity = pqs_store_now (self->store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  return pqs_session_refresh_user (self, error);
}

/* GObject ------------------------------------------------------------------ */

static void
pqs_session_dispose (GObject *object)
{
  PqsSession *self = PQS_SESSION (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_object (&self->user);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_session_parent_class)->dispose (object);
}

static void
pqs_session_finalize (GObject *object)
{
  PqsSession *self = PQS_SESSION (object);

  if (self->token != NULL)
    sodium_memzero (self->token, strlen (self->token));
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (pqs_session_parent_class)->finalize (object);
}

static void
pqs_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PqsSession *self = PQS_SESSION (object);

  switch (prop_id)
    {
    case PROP_USER:
      g_value_set_object (value, self->user);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_PASSWORD_CHANGE_REQUIRED:
      g_value_set_boolean (value, self->user != NULL &&
                                  pqs_user_get_password_reset_required (self->user));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PqsSession *self = PQS_SESSION (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT:
      pqs_session_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_session_class_init (PqsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = pqs_session_dispose;
  object_class->finalize = pqs_session_finalize;
  object_class->get_property = pqs_session_get_property;
  object_class->set_property = pqs_session_set_property;

  properties[PROP_USER] = g_param_spec_object ("user", NULL, NULL, PQS_TYPE_USER, ro);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, ro);
  properties[PROP_LOCKED] = g_param_spec_boolean ("locked", NULL, NULL, FALSE, ro);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PASSWORD_CHANGE_REQUIRED] =
    g_param_spec_boolean ("password-change-required", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_session_init (PqsSession *self)
{
}
