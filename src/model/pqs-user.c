/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-store.h"
#include "pqs-user-private.h"

/**
 * PqsUser:
 *
 * One account, as the `users` table holds it: a read-only snapshot the
 * views bind to. Changes go through #PqsUserDirectory (which checks
 * permissions and writes the audit trail); #PqsUserList refreshes the
 * objects it hands out in place, so a bound label follows an edit made
 * anywhere, by this program or by pqs-admin.
 */

struct _PqsUser
{
  GObject    parent_instance;

  gint64     id;
  char      *username;
  char      *email;
  char      *full_name;
  char      *rank;
  PqsRole    role;
  gboolean   active;
  char      *avatar_mime;
  gint64     avatar_size;
  GDateTime *avatar_updated_at;
  GDateTime *last_login_at;
  guint      login_count;
  guint      failed_login_attempts;
  GDateTime *locked_until;
  gboolean   password_reset_required;
  GDateTime *created_at;
  GDateTime *updated_at;
};

G_DEFINE_FINAL_TYPE (PqsUser, pqs_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_EMAIL,
  PROP_FULL_NAME,
  PROP_RANK,
  PROP_DISPLAY_NAME,
  PROP_ROLE,
  PROP_ACTIVE,
  PROP_AVATAR_MIME,
  PROP_AVATAR_SIZE,
  PROP_AVATAR_UPDATED_AT,
  PROP_LAST_LOGIN_AT,
  PROP_LOGIN_COUNT,
  PROP_FAILED_LOGIN_ATTEMPTS,
  PROP_LOCKED_UNTIL,
  PROP_PASSWORD_RESET_REQUIRED,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pqs_user_finalize (GObject *object)
{
  PqsUser *self = (PqsUser *) object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->rank, g_free);
  g_clear_pointer (&self->avatar_mime, g_free);
  g_clear_pointer (&self->avatar_updated_at, g_date_time_unref);
  g_clear_pointer (&self->last_login_at, g_date_time_unref);
  g_clear_pointer (&self->locked_until, g_date_time_unref);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (pqs_user_parent_class)->finalize (object);
}

static void
pqs_user_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PqsUser *self = PQS_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;
    case PROP_RANK:
      g_value_set_string (value, self->rank);
      break;
    case PROP_DISPLAY_NAME:
      g_value_take_string (value, pqs_user_dup_display_name (self));
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_AVATAR_MIME:
      g_value_set_string (value, self->avatar_mime);
      break;
    case PROP_AVATAR_SIZE:
      g_value_set_int64 (value, self->avatar_size);
      break;
    case PROP_AVATAR_UPDATED_AT:
      g_value_set_boxed (value, self->avatar_updated_at);
      break;
    case PROP_LAST_LOGIN_AT:
      g_value_set_boxed (value, self->last_login_at);
      break;
    case PROP_LOGIN_COUNT:
      g_value_set_uint (value, self->login_count);
      break;
    case PROP_FAILED_LOGIN_ATTEMPTS:
      g_value_set_uint (value, self->failed_login_attempts);
      break;
    case PROP_LOCKED_UNTIL:
      g_value_set_boxed (value, self->locked_until);
      break;
    case PROP_PASSWORD_RESET_REQUIRED:
      g_value_set_boolean (value, self->password_reset_required);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
time_property (const char *name)
{
  return g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
pqs_user_class_init (PqsUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pqs_user_finalize;
  object_class->get_property = pqs_user_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_USERNAME] = string_property ("username");
  properties[PROP_EMAIL] = string_property ("email");
  properties[PROP_FULL_NAME] = string_property ("full-name");
  properties[PROP_RANK] = string_property ("rank");
  /* "Lt Jane Doe": rank and full name, for headers and lists. */
  properties[PROP_DISPLAY_NAME] = string_property ("display-name");
  properties[PROP_ROLE] = g_param_spec_enum ("role", NULL, NULL, PQS_TYPE_ROLE,
                                             PQS_ROLE_VISITOR, flags);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, TRUE, flags);
  properties[PROP_AVATAR_MIME] = string_property ("avatar-mime");
  properties[PROP_AVATAR_SIZE] = g_param_spec_int64 ("avatar-size", NULL, NULL,
                                                     0, G_MAXINT64, 0, flags);
  properties[PROP_AVATAR_UPDATED_AT] = time_property ("avatar-updated-at");
  properties[PROP_LAST_LOGIN_AT] = time_property ("last-login-at");
  properties[PROP_LOGIN_COUNT] = g_param_spec_uint ("login-count", NULL, NULL,
                                                    0, G_MAXUINT, 0, flags);
  properties[PROP_FAILED_LOGIN_ATTEMPTS] = g_param_spec_uint ("failed-login-attempts", NULL, NULL,
                                                              0, G_MAXUINT, 0, flags);
  properties[PROP_LOCKED_UNTIL] = time_property ("locked-until");
  properties[PROP_PASSWORD_RESET_REQUIRED] = g_param_spec_boolean ("password-reset-required",
                                                                   NULL, NULL, FALSE, flags);
  properties[PROP_CREATED_AT] = time_property ("created-at");
  properties[PROP_UPDATED_AT] = time_property ("updated-at");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_user_init (PqsUser *self)
{
  self->active = TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
set_string (PqsUser    *self,
            char      **field,
            const char *value,
            guint       prop,
            gboolean   *display_changed)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  if (display_changed != NULL && (prop == PROP_FULL_NAME || prop == PROP_RANK))
    *display_changed = TRUE;
}

static void
set_time (PqsUser     *self,
          GDateTime  **field,
          const char  *text,
          guint        prop)
{
  g_autoptr(GDateTime) value = pqs_store_parse_time (text);

  if (*field == NULL && value == NULL)
    return;
  if (*field != NULL && value != NULL && g_date_time_equal (*field, value))
    return;

  g_clear_pointer (field, g_date_time_unref);
  *field = g_steal_pointer (&value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define SET_SCALAR(self, field, value, prop) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      } \
  } G_STMT_END

/**
 * pqs_user_update_from_stmt:
 * @self: a #PqsUser
 * @stmt: a statement positioned on a row of %PQS_USER_COLUMNS
 *
 * Refreshes @self from the row, notifying only what changed.
 */
void
pqs_user_update_from_stmt (PqsUser      *self,
                           sqlite3_stmt *stmt)
{
  gboolean display_changed = FALSE;
  PqsRole role = PQS_ROLE_VISITOR;

  g_return_if_fail (PQS_IS_USER (self));

  g_object_freeze_notify (G_OBJECT (self));

  SET_SCALAR (self, id, sqlite3_column_int64 (stmt, 0), PROP_ID);
  set_string (self, &self->username, column_text (stmt, 1), PROP_USERNAME, NULL);
  set_string (self, &self->email, column_text (stmt, 2), PROP_EMAIL, NULL);
  set_string (self, &self->full_name, column_text (stmt, 3), PROP_FULL_NAME, &display_changed);
  set_string (self, &self->rank, column_text (stmt, 4), PROP_RANK, &display_changed);
  /* The schema's CHECK keeps the role to the four names. */
  pqs_role_from_string (column_text (stmt, 5), &role);
  SET_SCALAR (self, role, role, PROP_ROLE);
  SET_SCALAR (self, active, sqlite3_column_int (stmt, 6) != 0, PROP_ACTIVE);
  set_string (self, &self->avatar_mime, column_text (stmt, 7), PROP_AVATAR_MIME, NULL);
  SET_SCALAR (self, avatar_size, sqlite3_column_int64 (stmt, 8), PROP_AVATAR_SIZE);
  set_time (self, &self->avatar_updated_at, column_text (stmt, 9), PROP_AVATAR_UPDATED_AT);
  set_time (self, &self->last_login_at, column_text (stmt, 10), PROP_LAST_LOGIN_AT);
  SET_SCALAR (self, login_count, (guint) sqlite3_column_int64 (stmt, 11), PROP_LOGIN_COUNT);
  SET_SCALAR (self, failed_login_attempts, (guint) sqlite3_column_int64 (stmt, 12),
              PROP_FAILED_LOGIN_ATTEMPTS);
  set_time (self, &self->locked_until, column_text (stmt, 13), PROP_LOCKED_UNTIL);
  SET_SCALAR (self, password_reset_required, sqlite3_column_int (stmt, 14) != 0,
              PROP_PASSWORD_RESET_REQUIRED);
  set_time (self, &self->created_at, column_text (stmt, 15), PROP_CREATED_AT);
  set_time (self, &self->updated_at, column_text (stmt, 16), PROP_UPDATED_AT);

  if (display_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);

  g_object_thaw_notify (G_OBJECT (self));
}

PqsUser *
pqs_user_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsUser *self = g_object_new (PQS_TYPE_USER, NULL);

  pqs_user_update_from_stmt (self, stmt);
  return self;
}

gint64
pqs_user_get_id (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), 0);
  return self->id;
}

const char *
pqs_user_get_username (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->username;
}

const char *
pqs_user_get_email (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->email;
}

const char *
pqs_user_get_full_name (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->full_name;
}

const char *
pqs_user_get_rank (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->rank;
}

/**
 * pqs_user_dup_display_name:
 * @self: a #PqsUser
 *
 * Returns: (transfer full): "Rank Full Name", or the full name alone
 */
char *
pqs_user_dup_display_name (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);

  if (self->rank != NULL && *self->rank != '\0')
    return g_strdup_printf ("%s %s", self->rank, self->full_name ? self->full_name : "");
  return g_strdup (self->full_name ? self->full_name : self->username);
}

PqsRole
pqs_user_get_role (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), PQS_ROLE_VISITOR);
  return self->role;
}

gboolean
pqs_user_get_active (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), FALSE);
  return self->active;
}

const char *
pqs_user_get_avatar_mime (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->avatar_mime;
}

gint64
pqs_user_get_avatar_size (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), 0);
  return self->avatar_size;
}

GDateTime *
pqs_user_get_avatar_updated_at (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->avatar_updated_at;
}

GDateTime *
pqs_user_get_last_login_at (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->last_login_at;
}

guint
pqs_user_get_login_count (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), 0);
  return self->login_count;
}

guint
pqs_user_get_failed_login_attempts (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), 0);
  return self->failed_login_attempts;
}

GDateTime *
pqs_user_get_locked_until (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->locked_until;
}

/**
 * pqs_user_is_locked_at:
 * @self: a #PqsUser
 * @now_us: the time to ask about, in microseconds since the epoch
 *
 * Returns: %TRUE if too many failed sign-ins lock the account at @now_us
 */
gboolean
pqs_user_is_locked_at (PqsUser *self,
                       gint64   now_us)
{
  g_return_val_if_fail (PQS_IS_USER (self), FALSE);

  if (self->locked_until == NULL)
    return FALSE;
  return g_date_time_to_unix (self->locked_until) * G_USEC_PER_SEC +
         g_date_time_get_microsecond (self->locked_until) > now_us;
}

gboolean
pqs_user_get_password_reset_required (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), FALSE);
  return self->password_reset_required;
}

GDateTime *
pqs_user_get_created_at (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->created_at;
}

GDateTime *
pqs_user_get_updated_at (PqsUser *self)
{
  g_return_val_if_fail (PQS_IS_USER (self), NULL);
  return self->updated_at;
}
