/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "pqs-audit.h"
#include "pqs-password.h"
#include "pqs-store.h"
#include "pqs-user-directory.h"
#include "pqs-user-private.h"

/**
 * PqsUserDirectory:
 *
 * Every change to accounts goes through here: creating the first
 * administrator, creating and editing accounts, roles, deactivation,
 * passwords, lockouts and pictures. Each method checks the actor's
 * permission against the database's current state (not the possibly stale
 * #PqsUser the caller holds), validates its input, and writes the change
 * and its audit row in one transaction, so neither exists without the
 * other.
 *
 * A %NULL actor is the workstation's operator at the command line
 * (pqs-admin); the audit row then names the system account that ran it.
 */

#define USERNAME_MIN 3
#define USERNAME_MAX 32
#define EMAIL_MAX 254
#define FULL_NAME_MAX 100
#define RANK_MAX 32

struct _PqsUserDirectory
{
  GObject   parent_instance;

  PqsStore *store;
};

G_DEFINE_FINAL_TYPE (PqsUserDirectory, pqs_user_directory, G_TYPE_OBJECT)

/* Validation --------------------------------------------------------------- */

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_INVALID, message);
  return FALSE;
}

gboolean
pqs_user_validate_username (const char  *username,
                            GError     **error)
{
  gsize len;

  if (username == NULL || *username == '\0')
    return invalid (error, _("Enter a username."));

  len = strlen (username);
  if (len < USERNAME_MIN || len > USERNAME_MAX)
    return invalid (error, _("A username is 3 to 32 characters long."));

  if (!g_ascii_islower (username[0]) && !g_ascii_isdigit (username[0]))
    return invalid (error, _("A username starts with a lower-case letter or a digit."));

  for (const char *p = username; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '_' && *p != '-')
      return invalid (error, _("A username may only hold lower-case letters, digits, "
                               "dots, hyphens and underscores."));

  return TRUE;
}

gboolean
pqs_user_validate_email (const char  *email,
                         GError     **error)
{
  const char *at;
  const char *domain;

  if (email == NULL || *email == '\0')
    return invalid (error, _("Enter an email address."));

  if (!g_utf8_validate (email, -1, NULL) || strlen (email) > EMAIL_MAX)
    return invalid (error, _("The email address is too long or not valid text."));

  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return invalid (error, _("An email address cannot hold spaces."));

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return invalid (error, _("An email address looks like name@example.org."));

  domain = at + 1;
  if (*domain == '\0' || *domain == '.' || strchr (domain, '.') == NULL ||
      g_str_has_suffix (domain, ".") || strstr (domain, "..") != NULL)
    return invalid (error, _("An email address looks like name@example.org."));

  return TRUE;
}

static gboolean
validate_text (const char  *text,
               gboolean     required,
               glong        max_chars,
               const char  *missing,
               const char  *too_long,
               GError     **error)
{
  g_autofree char *copy = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return required ? invalid (error, missing) : (text == NULL);

  copy = g_strstrip (g_strdup (text));
  if (required && *copy == '\0')
    return invalid (error, missing);
  if (g_utf8_strlen (copy, -1) > max_chars)
    return invalid (error, too_long);
  for (const char *p = copy; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p))
      return invalid (error, _("Names cannot hold line breaks or control characters."));

  return TRUE;
}

static gboolean
validate_fields (const PqsUserFields *fields,
                 gboolean             creating,
                 GError             **error)
{
  if ((creating || fields->username != NULL) &&
      !pqs_user_validate_username (fields->username, error))
    return FALSE;

  if ((creating || fields->email != NULL) && !pqs_user_validate_email (fields->email, error))
    return FALSE;

  if ((creating || fields->full_name != NULL) &&
      !validate_text (fields->full_name, TRUE, FULL_NAME_MAX,
                      _("Enter the person’s full name."),
                      _("A full name is at most 100 characters long."), error))
    return FALSE;

  if (fields->rank != NULL &&
      !validate_text (fields->rank, FALSE, RANK_MAX, NULL,
                      _("A rank is at most 32 characters long."), error))
    return FALSE;

  return TRUE;
}

/**
 * pqs_avatar_sniff_mime:
 * @image: the picture's bytes
 *
 * Returns: (nullable): "image/png" or "image/jpeg" from the magic bytes
 */
const char *
pqs_avatar_sniff_mime (GBytes *image)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (image != NULL, NULL);

  data = g_bytes_get_data (image, &size);
  if (size >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  if (size >= sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0)
    return "image/jpeg";
  return NULL;
}

/* Reading ------------------------------------------------------------------ */

static PqsUser *
load_user (PqsStore    *store,
           const char  *where,
           gint64       id,
           const char  *username,
           GError     **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " PQS_USER_COLUMNS " FROM users WHERE ",
                                      where, NULL);
  sqlite3_stmt *stmt = pqs_store_prepare (store, sql, error);
  PqsUser *user = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  if (username != NULL)
    sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = pqs_user_new_from_stmt (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_NOT_FOUND,
                         _("There is no such account."));
  else
    pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, "users");
  sqlite3_reset (stmt);

  return user;
}

PqsUser *
pqs_user_directory_lookup (PqsUserDirectory  *self,
                           gint64             id,
                           GError           **error)
{
  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), NULL);

  return load_user (self->store, "id = ?1", id, NULL, error);
}

/**
 * pqs_user_directory_lookup_by_username:
 * @self: a #PqsUserDirectory
 * @username: the name to look for; an exact match wins, else the one
 *   account whose name matches ignoring case
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account, or %NULL with %PQS_AUTH_ERROR_NOT_FOUND
 */
PqsUser *
pqs_user_directory_lookup_by_username (PqsUserDirectory  *self,
                                       const char        *username,
                                       GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  PqsUser *user;

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  user = load_user (self->store, "username = ?1", 0, username, &local_error);
  if (user != NULL)
    return user;
  if (!g_error_matches (local_error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Legacy names may differ in case only; then no guess is made. */
  return load_user (self->store,
                    "username = ?1 COLLATE NOCASE AND "
                    "(SELECT count(*) FROM users WHERE username = ?1 COLLATE NOCASE) = 1",
                    0, username, error);
}

/* Writing ------------------------------------------------------------------ */

typedef struct
{
  PqsUserDirectory    *self;
  PqsUser             *actor;         /* as the caller holds it */
  PqsUser             *fresh_actor;   /* as the database holds it now */
  gint64               id;
  const PqsUserFields *fields;
  PqsRole              role;
  gboolean             flag;
  const char          *password;
  GBytes              *image;
  PqsUser             *result;
} Op;

static void
op_clear (Op *op)
{
  g_clear_object (&op->fresh_actor);
  g_clear_object (&op->result);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Op, op_clear)

/* Checks @action for the actor as the database holds it now. */
static gboolean
op_check (Op        *op,
          PqsAction  action,
          GError   **error)
{
  if (op->actor == NULL)
    return TRUE;

  g_clear_object (&op->fresh_actor);
  op->fresh_actor = load_user (op->self->store, "id = ?1", pqs_user_get_id (op->actor),
                               NULL, NULL);
  if (op->fresh_actor == NULL)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("Your account no longer exists."));
      return FALSE;
    }

  return pqs_auth_check (op->fresh_actor, action, NULL, error);
}

static gint64
op_actor_id (Op *op)
{
  return op->actor != NULL ? pqs_user_get_id (op->actor) : 0;
}

static char *
now_text (PqsStore *store)
{
  return pqs_store_format_time (pqs_store_now (store));
}

/* Writes the audit row of a change to account @id. @builder holds the
 * details object, still open. */
static gboolean
op_audit (Op          *op,
          const char  *activity,
          gint64       id,
          JsonBuilder *builder,
          GError     **error)
{
  g_autoptr(JsonNode) details = NULL;

  if (op->actor == NULL)
    {
      json_builder_set_member_name (builder, "operator");
      json_builder_add_string_value (builder, g_get_user_name ());
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return pqs_audit_append (op->self->store, op_actor_id (op), activity, "user", id,
                           details, NULL, error);
}

static JsonBuilder *
details_new (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  return builder;
}

static gboolean
step (PqsStore      *store,
      sqlite3_stmt  *stmt,
      GError       **error)
{
  return pqs_store_step_done (store, stmt, error);
}

static gboolean
check_unique (PqsStore    *store,
              const char  *column,
              const char  *value,
              gint64       except_id,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM users WHERE %s = ?1 "
                                          "COLLATE NOCASE AND id <> ?2)", column);
  sqlite3_stmt *stmt = pqs_store_prepare (store, sql, error);
  gboolean taken;
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, except_id);
  rc = sqlite3_step (stmt);
  taken = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, "users");

  if (taken)
    {
      if (g_str_equal (column, "username"))
        g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_EXISTS,
                     _("The username “%s” is taken. Choose another one."), value);
      else
        g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_EXISTS,
                     _("Another account already uses the address “%s”."), value);
      return FALSE;
    }

  return TRUE;
}

static char *
clean (const char *text)
{
  return text != NULL ? g_strstrip (g_strdup (text)) : NULL;
}

static gboolean
insert_user (Op          *op,
             PqsRole      role,
             GError     **error)
{
  PqsStore *store = op->self->store;
  g_autofree char *hash = NULL;
  g_autofree char *now = now_text (store);
  g_autofree char *full_name = clean (op->fields->full_name);
  g_autofree char *rank = clean (op->fields->rank);
  g_autofree char *email = clean (op->fields->email);
  g_autoptr(JsonBuilder) details = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!validate_fields (op->fields, TRUE, error))
    return FALSE;
  if (!pqs_password_check_policy (op->password, op->fields->username, error))
    return FALSE;
  if (!check_unique (store, "username", op->fields->username, 0, error) ||
      !check_unique (store, "email", email, 0, error))
    return FALSE;

  hash = pqs_password_hash (op->password, error);
  if (hash == NULL)
    return FALSE;

  stmt = pqs_store_prepare (store,
                            "INSERT INTO users (username, email, password_hash, full_name, rank, "
                            "role, is_active, created_at, updated_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, op->fields->username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, full_name, -1, SQLITE_TRANSIENT);
  if (rank != NULL && *rank != '\0')
    sqlite3_bind_text (stmt, 5, rank, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, pqs_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_TRANSIENT);
  if (!step (store, stmt, error))
    return FALSE;

  id = sqlite3_last_insert_rowid (pqs_store_get_handle (store));

  details = details_new ();
  json_builder_set_member_name (details, "username");
  json_builder_add_string_value (details, op->fields->username);
  json_builder_set_member_name (details, "role");
  json_builder_add_string_value (details, pqs_role_to_string (role));
  if (op->actor == NULL && op->flag)
    {
      json_builder_set_member_name (details, "first_admin");
      json_builder_add_boolean_value (details, TRUE);
    }

  /* The first administrator creates their own account. */
  if (op->flag && op->actor == NULL)
    {
      g_autoptr(JsonNode) node = NULL;

      json_builder_end_object (details);
      node = json_builder_get_root (details);
      if (!pqs_audit_append (store, id, PQS_AUDIT_USER_CREATE, "user", id, node, NULL, error))
        return FALSE;
    }
  else if (!op_audit (op, PQS_AUDIT_USER_CREATE, id, details, error))
    return FALSE;

  op->result = load_user (store, "id = ?1", id, NULL, error);
  return op->result != NULL;
}

static gboolean
needs_first_admin (PqsStore  *store,
                   gboolean  *out_needed,
                   GError   **error)
{
  gint64 count = 0;

  if (!pqs_store_query_int64 (store, "SELECT count(*) FROM users", &count, error))
    return FALSE;
  *out_needed = count == 0;
  return TRUE;
}

/**
 * pqs_user_directory_needs_first_admin:
 * @self: a #PqsUserDirectory
 * @out_needed: (out): %TRUE when the database has no account at all
 * @error: return location for a #GError
 *
 * A new workstation has no accounts and no default password: the first
 * person to start it creates the administrator.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_user_directory_needs_first_admin (PqsUserDirectory  *self,
                                      gboolean          *out_needed,
                                      GError           **error)
{
  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);
  g_return_val_if_fail (out_needed != NULL, FALSE);

  return needs_first_admin (self->store, out_needed, error);
}

static gboolean
create_first_admin_cb (PqsStore  *store,
                       gpointer   data,
                       GError   **error)
{
  Op *op = data;
  gboolean needed = FALSE;

  if (!needs_first_admin (store, &needed, error))
    return FALSE;
  if (!needed)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_CONFLICT,
                           _("This workstation already has accounts. Sign in, or ask an "
                             "administrator for one."));
      return FALSE;
    }

  return insert_user (op, PQS_ROLE_ADMIN, error);
}

/**
 * pqs_user_directory_create_first_admin:
 * @self: a #PqsUserDirectory
 * @fields: the administrator's username, email, full name and rank
 * @password: their password, which must meet the policy
 * @error: return location for a #GError
 *
 * Creates the first account, an administrator, on a database that has
 * none. Fails with %PQS_AUTH_ERROR_CONFLICT once any account exists.
 *
 * Returns: (transfer full): the new administrator
 */
PqsUser *
pqs_user_directory_create_first_admin (PqsUserDirectory     *self,
                                       const PqsUserFields  *fields,
                                       const char           *password,
                                       GError              **error)
{
  g_auto(Op) op = { self, NULL, NULL, 0, fields, PQS_ROLE_ADMIN, TRUE, password, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  if (!pqs_store_transaction (self->store, create_first_admin_cb, &op, error))
    return NULL;
  return g_steal_pointer (&op.result);
}

static gboolean
create_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;

  return op_check (op, PQS_ACTION_MANAGE_USERS, error) && insert_user (op, op->role, error);
}

/**
 * pqs_user_directory_create:
 * @self: a #PqsUserDirectory
 * @actor: (nullable): who creates the account: an administrator
 * @fields: username, email, full name and rank
 * @role: the new account's role
 * @password: its first password, which must meet the policy
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new account
 */
PqsUser *
pqs_user_directory_create (PqsUserDirectory     *self,
                           PqsUser              *actor,
                           const PqsUserFields  *fields,
                           PqsRole               role,
                           const char           *password,
                           GError              **error)
{
  g_auto(Op) op = { self, actor, NULL, 0, fields, role, FALSE, password, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (role < PQS_N_ROLES, NULL);

  if (!pqs_store_transaction (self->store, create_cb, &op, error))
    return NULL;
  return g_steal_pointer (&op.result);
}

/* Loads the target account of @op inside the transaction. */
static PqsUser *
op_target (Op      *op,
           GError **error)
{
  return load_user (op->self->store, "id = ?1", op->id, NULL, error);
}

static gboolean
is_self (Op *op)
{
  return op->actor != NULL && pqs_user_get_id (op->actor) == op->id;
}

/* Would removing @id from the active administrators leave none? */
static gboolean
check_not_last_admin (PqsStore  *store,
                      PqsUser   *target,
                      GError   **error)
{
  gint64 others = 0;
  sqlite3_stmt *stmt;
  int rc;

  if (pqs_user_get_role (target) != PQS_ROLE_ADMIN || !pqs_user_get_active (target))
    return TRUE;

  stmt = pqs_store_prepare (store,
                            "SELECT count(*) FROM users "
                            "WHERE role = 'admin' AND is_active = 1 AND id <> ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, pqs_user_get_id (target));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    others = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, "users");

  if (others == 0)
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_LAST_ADMIN,
                           _("This is the last active administrator. Make someone else an "
                             "administrator first."));
      return FALSE;
    }

  return TRUE;
}

static void
add_change (JsonBuilder *changes,
            const char  *field,
            const char  *before,
            const char  *after)
{
  json_builder_set_member_name (changes, field);
  json_builder_begin_object (changes);
  json_builder_set_member_name (changes, "from");
  json_builder_add_string_value (changes, before);
  json_builder_set_member_name (changes, "to");
  json_builder_add_string_value (changes, after);
  json_builder_end_object (changes);
}

static gboolean
update_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;
  const PqsUserFields *fields = op->fields;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_autofree char *email = clean (fields->email);
  g_autofree char *full_name = clean (fields->full_name);
  g_autofree char *rank = clean (fields->rank);
  g_autofree char *now = now_text (store);
  const char *username;
  sqlite3_stmt *stmt;
  guint n_changes = 0;

  /* People may edit their own name, rank and address; the username is an
   * administrator's to change. */
  if (!is_self (op) || fields->username != NULL)
    {
      if (!op_check (op, PQS_ACTION_MANAGE_USERS, error))
        return FALSE;
    }
  else if (!op_check (op, PQS_ACTION_CHANGE_OWN_PASSWORD, error))
    return FALSE;

  target = op_target (op, error);
  if (target == NULL || !validate_fields (fields, FALSE, error))
    return FALSE;

  username = fields->username != NULL ? fields->username : pqs_user_get_username (target);
  if ((fields->username != NULL && !check_unique (store, "username", username, op->id, error)) ||
      (email != NULL && !check_unique (store, "email", email, op->id, error)))
    return FALSE;

  details = details_new ();
  json_builder_set_member_name (details, "changes");
  json_builder_begin_object (details);
  if (fields->username != NULL && g_strcmp0 (username, pqs_user_get_username (target)) != 0)
    n_changes++, add_change (details, "username", pqs_user_get_username (target), username);
  if (email != NULL && g_strcmp0 (email, pqs_user_get_email (target)) != 0)
    n_changes++, add_change (details, "email", pqs_user_get_email (target), email);
  if (full_name != NULL && g_strcmp0 (full_name, pqs_user_get_full_name (target)) != 0)
    n_changes++, add_change (details, "full_name", pqs_user_get_full_name (target), full_name);
  if (rank != NULL && g_strcmp0 (*rank ? rank : NULL, pqs_user_get_rank (target)) != 0)
    n_changes++, add_change (details, "rank", pqs_user_get_rank (target), *rank ? rank : NULL);
  json_builder_end_object (details);

  if (n_changes == 0)
    return TRUE;

  stmt = pqs_store_prepare (store,
                            "UPDATE users SET username = ?2, "
                            "email = coalesce(?3, email), full_name = coalesce(?4, full_name), "
                            "rank = CASE WHEN ?5 IS NULL THEN rank "
                            "            WHEN ?5 = '' THEN NULL ELSE ?5 END, "
                            "updated_at = ?6 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, full_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, rank, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);

  return step (store, stmt, error) &&
         op_audit (op, PQS_AUDIT_USER_UPDATE, op->id, details, error);
}

/**
 * pqs_user_directory_update:
 * @self: a #PqsUserDirectory
 * @actor: (nullable): an administrator, or the account's owner (who may
 *   change everything but the username)
 * @id: the account
 * @fields: the new values; %NULL fields stay as they are, a rank of ""
 *   clears it
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success (also when nothing changed)
 */
gboolean
pqs_user_directory_update (PqsUserDirectory     *self,
                           PqsUser              *actor,
                           gint64                id,
                           const PqsUserFields  *fields,
                           GError              **error)
{
  g_auto(Op) op = { self, actor, NULL, id, fields, 0, FALSE, NULL, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  return pqs_store_transaction (self->store, update_cb, &op, error);
}

/* Runs one UPDATE of the target's row with ?1 = id and ?2 = now. */
static gboolean
update_row (Op          *op,
            const char  *sql,
            GError     **error)
{
  PqsStore *store = op->self->store;
  g_autofree char *now = now_text (store);
  sqlite3_stmt *stmt = pqs_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  return step (store, stmt, error);
}

static gboolean
set_role_cb (PqsStore  *store,
             gpointer   data,
             GError   **error)
{
  Op *op = data;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  sqlite3_stmt *stmt;

  if (!op_check (op, PQS_ACTION_MANAGE_USERS, error))
    return FALSE;
  target = op_target (op, error);
  if (target == NULL)
    return FALSE;
  if (pqs_user_get_role (target) == op->role)
    return TRUE;
  if (op->role != PQS_ROLE_ADMIN && !check_not_last_admin (store, target, error))
    return FALSE;

  stmt = pqs_store_prepare (store, "UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autofree char *now = now_text (store);

    sqlite3_bind_int64 (stmt, 1, op->id);
    sqlite3_bind_text (stmt, 2, pqs_role_to_string (op->role), -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
    if (!step (store, stmt, error))
      return FALSE;
  }

  details = details_new ();
  json_builder_set_member_name (details, "from");
  json_builder_add_string_value (details, pqs_role_to_string (pqs_user_get_role (target)));
  json_builder_set_member_name (details, "to");
  json_builder_add_string_value (details, pqs_role_to_string (op->role));
  return op_audit (op, PQS_AUDIT_USER_ROLE, op->id, details, error);
}

gboolean
pqs_user_directory_set_role (PqsUserDirectory  *self,
                             PqsUser           *actor,
                             gint64             id,
                             PqsRole            role,
                             GError           **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, role, FALSE, NULL, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);
  g_return_val_if_fail (role < PQS_N_ROLES, FALSE);

  return pqs_store_transaction (self->store, set_role_cb, &op, error);
}

static gboolean
set_active_cb (PqsStore  *store,
               gpointer   data,
               GError   **error)
{
  Op *op = data;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;

  if (!op_check (op, PQS_ACTION_MANAGE_USERS, error))
    return FALSE;
  target = op_target (op, error);
  if (target == NULL)
    return FALSE;
  if (pqs_user_get_active (target) == op->flag)
    return TRUE;

  if (!op->flag)
    {
      if (is_self (op))
        {
          g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                               _("You cannot deactivate your own account."));
          return FALSE;
        }
      if (!check_not_last_admin (store, target, error))
        return FALSE;
      /* A deactivated account is signed out everywhere. */
      if (!update_row (op, "UPDATE user_sessions SET is_active = 0 "
                           "WHERE user_id = ?1 AND is_active = 1 AND ?2 IS NOT NULL", error))
        return FALSE;
    }

  if (!update_row (op, op->flag ? "UPDATE users SET is_active = 1, updated_at = ?2 WHERE id = ?1"
                                : "UPDATE users SET is_active = 0, updated_at = ?2 WHERE id = ?1",
                   error))
    return FALSE;

  details = details_new ();
  json_builder_set_member_name (details, "username");
  json_builder_add_string_value (details, pqs_user_get_username (target));
  return op_audit (op, op->flag ? PQS_AUDIT_USER_REACTIVATE : PQS_AUDIT_USER_DEACTIVATE,
                   op->id, details, error);
}

/**
 * pqs_user_directory_set_active:
 * @self: a #PqsUserDirectory
 * @actor: (nullable): an administrator
 * @id: the account
 * @active: %FALSE to deactivate (and sign out), %TRUE to reactivate
 * @error: return location for a #GError
 *
 * Accounts are deactivated, not deleted, so that the documents and audit
 * rows that name them stay true. Nobody deactivates themselves or the last
 * active administrator.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_user_directory_set_active (PqsUserDirectory  *self,
                               PqsUser           *actor,
                               gint64             id,
                               gboolean           active,
                               GError           **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, 0, !!active, NULL, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);

  return pqs_store_transaction (self->store, set_active_cb, &op, error);
}

static gboolean
reset_password_cb (PqsStore  *store,
                   gpointer   data,
                   GError   **error)
{
  Op *op = data;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = now_text (store);
  sqlite3_stmt *stmt;

  if (!op_check (op, PQS_ACTION_MANAGE_USERS, error))
    return FALSE;
  target = op_target (op, error);
  if (target == NULL ||
      !pqs_password_check_policy (op->password, pqs_user_get_username (target), error))
    return FALSE;

  hash = pqs_password_hash (op->password, error);
  if (hash == NULL)
    return FALSE;

  stmt = pqs_store_prepare (store,
                            "UPDATE users SET password_hash = ?2, password_reset_required = ?3, "
                            "failed_login_attempts = 0, locked_until = NULL, updated_at = ?4 "
                            "WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, op->flag);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!step (store, stmt, error))
    return FALSE;

  details = details_new ();
  json_builder_set_member_name (details, "require_change");
  json_builder_add_boolean_value (details, op->flag);
  return op_audit (op, PQS_AUDIT_USER_PASSWORD_RESET, op->id, details, error);
}

/**
 * pqs_user_directory_reset_password:
 * @self: a #PqsUserDirectory
 * @actor: (nullable): an administrator
 * @id: the account
 * @password: the new password, which must meet the policy
 * @require_change: whether its owner must choose another at the next sign-in
 * @error: return location for a #GError
 *
 * Also lifts a lockout.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_user_directory_reset_password (PqsUserDirectory  *self,
                                   PqsUser           *actor,
                                   gint64             id,
                                   const char        *password,
                                   gboolean           require_change,
                                   GError           **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, 0, !!require_change, password, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);

  return pqs_store_transaction (self->store, reset_password_cb, &op, error);
}

static gboolean
unlock_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;

  if (!op_check (op, PQS_ACTION_MANAGE_USERS, error))
    return FALSE;
  target = op_target (op, error);
  if (target == NULL)
    return FALSE;
  if (pqs_user_get_failed_login_attempts (target) == 0 && pqs_user_get_locked_until (target) == NULL)
    return TRUE;

  if (!update_row (op, "UPDATE users SET failed_login_attempts = 0, locked_until = NULL, "
                       "updated_at = ?2 WHERE id = ?1", error))
    return FALSE;

  details = details_new ();
  json_builder_set_member_name (details, "failed_attempts");
  json_builder_add_int_value (details, pqs_user_get_failed_login_attempts (target));
  return op_audit (op, PQS_AUDIT_USER_UNLOCK, op->id, details, error);
}

gboolean
pqs_user_directory_unlock (PqsUserDirectory  *self,
                           PqsUser           *actor,
                           gint64             id,
                           GError           **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, 0, FALSE, NULL, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);

  return pqs_store_transaction (self->store, unlock_cb, &op, error);
}

static gboolean
set_avatar_cb (PqsStore  *store,
               gpointer   data,
               GError   **error)
{
  Op *op = data;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_autofree char *now = now_text (store);
  const char *mime = NULL;
  gsize size = 0;
  sqlite3_stmt *stmt;

  if (!op_check (op, is_self (op) ? PQS_ACTION_CHANGE_OWN_PASSWORD : PQS_ACTION_MANAGE_USERS,
                 error))
    return FALSE;
  target = op_target (op, error);
  if (target == NULL)
    return FALSE;

  if (op->image != NULL)
    {
      size = g_bytes_get_size (op->image);
      if (size == 0)
        return invalid (error, _("The picture is empty."));
      if (size > PQS_AVATAR_MAX_SIZE)
        return invalid (error, _("The picture is larger than 1 MiB. Choose a smaller one."));
      mime = pqs_avatar_sniff_mime (op->image);
      if (mime == NULL)
        return invalid (error, _("The picture is not a PNG or JPEG image."));
    }

  stmt = pqs_store_prepare (store, "DELETE FROM avatars WHERE user_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (!step (store, stmt, error))
    return FALSE;

  if (op->image != NULL)
    {
      stmt = pqs_store_prepare (store,
                                "INSERT INTO avatars (user_id, avatar_data, mime_type, file_size, "
                                "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, op->id);
      sqlite3_bind_blob64 (stmt, 2, g_bytes_get_data (op->image, NULL), size, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, mime, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, size);
      sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
      if (!step (store, stmt, error))
        return FALSE;
    }

  stmt = pqs_store_prepare (store,
                            "UPDATE users SET avatar_mime = ?2, avatar_size = ?3, avatar_path = NULL, "
                            "avatar_updated_at = ?4, updated_at = ?4 WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (mime != NULL)
    {
      sqlite3_bind_text (stmt, 2, mime, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, size);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
    }
  else
    {
      sqlite3_bind_null (stmt, 2);
      sqlite3_bind_null (stmt, 3);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
    }
  if (!step (store, stmt, error))
    return FALSE;

  details = details_new ();
  json_builder_set_member_name (details, "mime_type");
  if (mime != NULL)
    json_builder_add_string_value (details, mime);
  else
    json_builder_add_null_value (details);
  json_builder_set_member_name (details, "size");
  json_builder_add_int_value (details, size);
  return op_audit (op, PQS_AUDIT_USER_AVATAR, op->id, details, error);
}

/**
 * pqs_user_directory_set_avatar:
 * @self: a #PqsUserDirectory
 * @actor: (nullable): an administrator, or the account's owner
 * @id: the account
 * @image: (nullable): a PNG or JPEG picture of at most 1 MiB, or %NULL to
 *   remove the picture
 * @error: return location for a #GError
 *
 * The type is read from the picture's first bytes, never from a file name.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_user_directory_set_avatar (PqsUserDirectory  *self,
                               PqsUser           *actor,
                               gint64             id,
                               GBytes            *image,
                               GError           **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, 0, FALSE, NULL, image, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);

  return pqs_store_transaction (self->store, set_avatar_cb, &op, error);
}

/**
 * pqs_user_directory_get_avatar:
 * @self: a #PqsUserDirectory
 * @id: the account
 * @out_mime: (out) (optional): the picture's type
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the picture, or %NULL without an
 *   error when the account has none
 */
GBytes *
pqs_user_directory_get_avatar (PqsUserDirectory  *self,
                               gint64             id,
                               char             **out_mime,
                               GError           **error)
{
  sqlite3_stmt *stmt;
  GBytes *image = NULL;
  int rc;

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), NULL);

  stmt = pqs_store_prepare (self->store,
                            "SELECT avatar_data, mime_type FROM avatars WHERE user_id = ?1 "
                            "ORDER BY id DESC LIMIT 1",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      image = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      if (out_mime != NULL)
        *out_mime = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (self->store), rc, "avatars");
  sqlite3_reset (stmt);

  return image;
}

static gboolean
delete_cb (PqsStore  *store,
           gpointer   data,
           GError   **error)
{
  Op *op = data;
  g_autoptr(PqsUser) target = NULL;
  g_autoptr(JsonBuilder) details = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 used = 0;

  if (!op_check (op, PQS_ACTION_MANAGE_USERS, error))
    return FALSE;
  target = op_target (op, error);
  if (target == NULL)
    return FALSE;
  if (is_self (op))
    {
      g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                           _("You cannot delete your own account."));
      return FALSE;
    }
  if (!check_not_last_admin (store, target, error))
    return FALSE;

  stmt = pqs_store_prepare (store,
                            "SELECT EXISTS (SELECT 1 FROM user_activities WHERE user_id = ?1) "
                            "    OR EXISTS (SELECT 1 FROM documents WHERE created_by = ?1 "
                            "               OR updated_by = ?1 OR reviewed_by = ?1 "
                            "               OR approved_by = ?1) "
                            "    OR EXISTS (SELECT 1 FROM document_changes WHERE user_id = ?1) "
                            "    OR EXISTS (SELECT 1 FROM document_reviews WHERE reviewer_id = ?1) "
                            "    OR EXISTS (SELECT 1 FROM standards WHERE created_by = ?1 "
                            "               OR updated_by = ?1)",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    used = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (used)
    {
      g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_IN_USE,
                   _("“%s” has documents or a history in the audit trail, so the account "
                     "can only be deactivated."), pqs_user_get_username (target));
      return FALSE;
    }

  stmt = pqs_store_prepare (store, "DELETE FROM users WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (!step (store, stmt, &local_error))
    {
      /* A reference the query above does not know of (ON DELETE RESTRICT). */
      if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CONSTRAINT))
        g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_IN_USE,
                     _("“%s” has documents or a history in the audit trail, so the account "
                       "can only be deactivated."), pqs_user_get_username (target));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  details = details_new ();
  json_builder_set_member_name (details, "username");
  json_builder_add_string_value (details, pqs_user_get_username (target));
  json_builder_set_member_name (details, "email");
  json_builder_add_string_value (details, pqs_user_get_email (target));
  return op_audit (op, PQS_AUDIT_USER_DELETE, op->id, details, error);
}

/**
 * pqs_user_directory_delete:
 * @self: a #PqsUserDirectory
 * @actor: (nullable): an administrator
 * @id: the account
 * @error: return location for a #GError
 *
 * Deletes an account that was never used: one with documents, reviews or
 * audit rows fails with %PQS_AUTH_ERROR_IN_USE and must be deactivated.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_user_directory_delete (PqsUserDirectory  *self,
                           PqsUser           *actor,
                           gint64             id,
                           GError           **error)
{
  g_auto(Op) op = { self, actor, NULL, id, NULL, 0, FALSE, NULL, NULL, NULL };

  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), FALSE);

  return pqs_store_transaction (self->store, delete_cb, &op, error);
}

/* GObject ------------------------------------------------------------------ */

static void
pqs_user_directory_dispose (GObject *object)
{
  PqsUserDirectory *self = PQS_USER_DIRECTORY (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_user_directory_parent_class)->dispose (object);
}

static void
pqs_user_directory_class_init (PqsUserDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = pqs_user_directory_dispose;
}

static void
pqs_user_directory_init (PqsUserDirectory *self)
{
}

PqsUserDirectory *
pqs_user_directory_new (PqsStore *store)
{
  PqsUserDirectory *self;

  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  self = g_object_new (PQS_TYPE_USER_DIRECTORY, NULL);
  self->store = g_object_ref (store);
  return self;
}

PqsStore *
pqs_user_directory_get_store (PqsUserDirectory *self)
{
  g_return_val_if_fail (PQS_IS_USER_DIRECTORY (self), NULL);

  return self->store;
}
