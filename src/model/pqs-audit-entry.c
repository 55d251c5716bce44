/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include "pqs-audit.h"
#include "pqs-audit-entry-private.h"
#include "pqs-store.h"

/**
 * PqsAuditEntry:
 *
 * One row of the audit trail, read-only: who did what to which resource,
 * when, and the row's hash. Made by #PqsAuditList.
 */

struct _PqsAuditEntry
{
  GObject    parent_instance;

  gint64     id;
  gint64     user_id;
  char      *username;
  char      *full_name;
  char      *activity_type;
  char      *resource_type;
  gint64     resource_id;
  char      *details;
  char      *ip_address;
  char      *user_agent;
  GDateTime *created_at;
  char      *row_hash;
};

G_DEFINE_FINAL_TYPE (PqsAuditEntry, pqs_audit_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USER_ID,
  PROP_USERNAME,
  PROP_FULL_NAME,
  PROP_ACTIVITY_TYPE,
  PROP_DESCRIPTION,
  PROP_RESOURCE_TYPE,
  PROP_RESOURCE_ID,
  PROP_DETAILS,
  PROP_IP_ADDRESS,
  PROP_USER_AGENT,
  PROP_CREATED_AT,
  PROP_ROW_HASH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/*
 * pqs_audit_entry_new_from_stmt:
 * @stmt: a statement on a row of %PQS_AUDIT_ENTRY_COLUMNS
 *
 * Returns: (transfer full): the entry
 */
PqsAuditEntry *
pqs_audit_entry_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsAuditEntry *self;

  g_return_val_if_fail (stmt != NULL, NULL);

  self = g_object_new (PQS_TYPE_AUDIT_ENTRY, NULL);
  self->id = sqlite3_column_int64 (stmt, 0);
  self->user_id = sqlite3_column_int64 (stmt, 1);
  self->username = dup_column (stmt, 2);
  self->full_name = dup_column (stmt, 3);
  self->activity_type = dup_column (stmt, 4);
  self->resource_type = dup_column (stmt, 5);
  self->resource_id = sqlite3_column_int64 (stmt, 6);
  self->details = dup_column (stmt, 7);
  self->ip_address = dup_column (stmt, 8);
  self->user_agent = dup_column (stmt, 9);
  self->created_at = pqs_store_parse_time ((const char *) sqlite3_column_text (stmt, 10));
  self->row_hash = dup_column (stmt, 11);

  if (self->activity_type == NULL)
    self->activity_type = g_strdup ("");

  return self;
}

gint64
pqs_audit_entry_get_id (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), 0);

  return self->id;
}

/* 0 when no user is recorded (the system, or a sign-in with an unknown name). */
gint64
pqs_audit_entry_get_user_id (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), 0);

  return self->user_id;
}

const char *
pqs_audit_entry_get_username (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->username;
}

const char *
pqs_audit_entry_get_full_name (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->full_name;
}

const char *
pqs_audit_entry_get_activity_type (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->activity_type;
}

/* The translated label of the activity type (pqs_audit_describe_activity()). */
const char *
pqs_audit_entry_get_description (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return pqs_audit_describe_activity (self->activity_type);
}

const char *
pqs_audit_entry_get_resource_type (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->resource_type;
}

gint64
pqs_audit_entry_get_resource_id (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), 0);

  return self->resource_id;
}

/* The details as stored: compact JSON text of an object, or NULL. */
const char *
pqs_audit_entry_get_details (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->details;
}

const char *
pqs_audit_entry_get_ip_address (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->ip_address;
}

const char *
pqs_audit_entry_get_user_agent (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->user_agent;
}

/**
 * pqs_audit_entry_get_created_at:
 * @self: a #PqsAuditEntry
 *
 * Returns: (transfer none) (nullable): when the row was written, in UTC
 */
GDateTime *
pqs_audit_entry_get_created_at (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->created_at;
}

const char *
pqs_audit_entry_get_row_hash (PqsAuditEntry *self)
{
  g_return_val_if_fail (PQS_IS_AUDIT_ENTRY (self), NULL);

  return self->row_hash;
}

static void
pqs_audit_entry_finalize (GObject *object)
{
  PqsAuditEntry *self = (PqsAuditEntry *) object;

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->activity_type, g_free);
  g_clear_pointer (&self->resource_type, g_free);
  g_clear_pointer (&self->details, g_free);
  g_clear_pointer (&self->ip_address, g_free);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->row_hash, g_free);

  G_OBJECT_CLASS (pqs_audit_entry_parent_class)->finalize (object);
}

static void
pqs_audit_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsAuditEntry *self = PQS_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_USER_ID:
      g_value_set_int64 (value, self->user_id);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;

    case PROP_ACTIVITY_TYPE:
      g_value_set_string (value, self->activity_type);
      break;

    case PROP_DESCRIPTION:
      g_value_set_string (value, pqs_audit_entry_get_description (self));
      break;

    case PROP_RESOURCE_TYPE:
      g_value_set_string (value, self->resource_type);
      break;

    case PROP_RESOURCE_ID:
      g_value_set_int64 (value, self->resource_id);
      break;

    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;

    case PROP_IP_ADDRESS:
      g_value_set_string (value, self->ip_address);
      break;

    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;

    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;

    case PROP_ROW_HASH:
      g_value_set_string (value, self->row_hash);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_audit_entry_class_init (PqsAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pqs_audit_entry_finalize;
  object_class->get_property = pqs_audit_entry_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_USER_ID] =
    g_param_spec_int64 ("user-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_FULL_NAME] =
    g_param_spec_string ("full-name", NULL, NULL, NULL, flags);
  properties[PROP_ACTIVITY_TYPE] =
    g_param_spec_string ("activity-type", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCE_TYPE] =
    g_param_spec_string ("resource-type", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCE_ID] =
    g_param_spec_int64 ("resource-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL, flags);
  properties[PROP_IP_ADDRESS] =
    g_param_spec_string ("ip-address", NULL, NULL, NULL, flags);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_ROW_HASH] =
    g_param_spec_string ("row-hash", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_audit_entry_init (PqsAuditEntry *self)
{
}
