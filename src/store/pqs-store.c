/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pqs-hash-vfs.h"
#include "pqs-store.h"

/* The busy timeout covers a writer in another process (pqs-admin, a second
 * window) holding the lock for a normal transaction. */
#define DEFAULT_BUSY_TIMEOUT_MS 5000

typedef struct
{
  char   *table;
  gint64  rowid;
} PendingChange;

struct _PqsStore
{
  GObject            parent_instance;

  char              *path;
  PqsStoreOpenFlags  flags;
  sqlite3           *db;
  GHashTable        *statements;     /* SQL text → sqlite3_stmt */
  guint              depth;          /* 0: no transaction; 1: BEGIN; >1: savepoints */
  GArray            *pending;        /* PendingChange, recorded by the update hook */
  GArray            *savepoint_marks;/* pending->len at each savepoint */
  int                busy_timeout;
  GMainContext      *context;

  /* A secondary store forwards its change notifications here. */
  GWeakRef           primary;

  /* The worker connection used by pqs_store_run_in_thread(). */
  GMutex             worker_lock;
  PqsStore          *worker;

  /* Time as the model sees it (sessions, lockouts, audit rows); tests inject it. */
  PqsStoreClockFunc  clock_func;
  gpointer           clock_data;
  char              *client_name;
};

G_DEFINE_FINAL_TYPE (PqsStore, pqs_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (pqs-store-error-quark, pqs_store_error)

static void
pending_change_clear (gpointer data)
{
  PendingChange *change = data;

  g_clear_pointer (&change->table, g_free);
}

/**
 * pqs_store_set_error_from_sqlite:
 * @error: the error to set
 * @db: (nullable): the connection, for its message
 * @rc: the (extended) SQLite result code
 * @context: (nullable): what was being done, as a sentence fragment
 *
 * Maps a SQLite failure to %PQS_STORE_ERROR with a message a person can act on.
 *
 * Returns: %FALSE, so that callers can `return pqs_store_set_error_from_sqlite (…)`.
 */
gboolean
pqs_store_set_error_from_sqlite (GError     **error,
                                 sqlite3     *db,
                                 int          rc,
                                 const char  *context)
{
  PqsStoreError code;
  g_autofree char *sentence = NULL;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_NOTADB:
      code = PQS_STORE_ERROR_NOT_A_DATABASE;
      sentence = g_strdup (_("The file is not a PQS Desk database, or it is damaged. "
                             "Open another file or restore a backup."));
      break;

    case SQLITE_CORRUPT:
      code = PQS_STORE_ERROR_CORRUPT;
      sentence = g_strdup (_("The database file is damaged. Restore it from a backup."));
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = PQS_STORE_ERROR_READ_ONLY;
      sentence = g_strdup (_("The database cannot be written: the file or its folder is "
                             "read-only. Check its permissions."));
      break;

    case SQLITE_FULL:
      code = PQS_STORE_ERROR_DISK_FULL;
      sentence = g_strdup (_("The disk is full. Free some space and try again; "
                             "nothing was saved."));
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = PQS_STORE_ERROR_LOCKED;
      sentence = g_strdup (_("The database is busy in another program (another PQS Desk "
                             "window or pqs-admin). Try again in a moment."));
      break;

    case SQLITE_CANTOPEN:
      code = PQS_STORE_ERROR_CANT_OPEN;
      sentence = g_strdup (_("The database file cannot be opened. Check that it exists "
                             "and that you may read its folder."));
      break;

    case SQLITE_CONSTRAINT:
      code = PQS_STORE_ERROR_CONSTRAINT;
      sentence = g_strdup_printf (_("The change breaks a rule of the database (%s)."), detail);
      break;

    case SQLITE_IOERR:
      code = PQS_STORE_ERROR_IO;
      sentence = g_strdup_printf (_("The disk reported an error while reading or writing "
                                    "the database (%s)."), detail);
      break;

    default:
      code = PQS_STORE_ERROR_FAILED;
      sentence = g_strdup_printf (_("Database error: %s."), detail);
      break;
    }

  if (context != NULL)
    g_set_error (error, PQS_STORE_ERROR, code, "%s: %s", context, sentence);
  else
    g_set_error_literal (error, PQS_STORE_ERROR, code, sentence);

  return FALSE;
}

static gboolean
set_error_for (PqsStore    *self,
               GError     **error,
               int          rc,
               const char  *context)
{
  return pqs_store_set_error_from_sqlite (error, self->db, rc, context);
}

static gboolean
ensure_open (PqsStore  *self,
             GError   **error)
{
  if (self->db != NULL)
    return TRUE;

  g_set_error_literal (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CLOSED,
                       _("The database is closed."));
  return FALSE;
}

/* Change notification ---------------------------------------------------- */

typedef struct
{
  PqsStore   *store;
  GHashTable *by_table;   /* table → GArray of gint64 */
} Emission;

static void
emission_free (Emission *emission)
{
  g_clear_object (&emission->store);
  g_clear_pointer (&emission->by_table, g_hash_table_unref);
  g_free (emission);
}

static gboolean
emit_changes_cb (gpointer data)
{
  Emission *emission = data;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, emission->by_table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_signal_emit (emission->store, signals[CHANGED], g_quark_from_string (key), key, value);

  return G_SOURCE_REMOVE;
}

static void
flush_pending (PqsStore *self)
{
  g_autoptr(PqsStore) primary = NULL;
  Emission *emission;

  if (self->pending->len == 0)
    return;

  emission = g_new0 (Emission, 1);
  emission->by_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < self->pending->len; i++)
    {
      PendingChange *change = &g_array_index (self->pending, PendingChange, i);
      GArray *rowids = g_hash_table_lookup (emission->by_table, change->table);

      if (rowids == NULL)
        {
          rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (emission->by_table, g_strdup (change->table), rowids);
        }
      g_array_append_val (rowids, change->rowid);
    }
  g_array_set_size (self->pending, 0);

  /* A secondary connection (a worker thread) announces its commits on the
   * primary store, in the primary's main context. */
  primary = g_weak_ref_get (&self->primary);
  if (primary != NULL)
    {
      emission->store = g_object_ref (primary);
      g_main_context_invoke_full (primary->context, G_PRIORITY_DEFAULT,
                                  emit_changes_cb, emission,
                                  (GDestroyNotify) emission_free);
    }
  else
    {
      emission->store = g_object_ref (self);
      emit_changes_cb (emission);
      emission_free (emission);
    }
}

static void
update_hook_cb (void          *data,
                int            op,
                const char    *database,
                const char    *table,
                sqlite3_int64  rowid)
{
  PqsStore *self = data;
  PendingChange change;

  /* FTS shadow tables change with their content table; nobody lists them. */
  if (g_str_has_prefix (table, "sqlite_") || strstr (table, "_fts") != NULL)
    return;

  change.table = g_strdup (table);
  change.rowid = rowid;
  g_array_append_val (self->pending, change);
}

/* Only work done outside any transaction of ours commits statement by statement. */
static void
flush_if_autocommit (PqsStore *self)
{
  if (self->depth == 0 && self->db != NULL && sqlite3_get_autocommit (self->db))
    flush_pending (self);
}

/* Opening ----------------------------------------------------------------- */

static gboolean
apply_pragmas (PqsStore  *self,
               GError   **error)
{
  static const char *pragmas =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA cache_size = -16384;"      /* 16 MiB */
    "PRAGMA mmap_size = 268435456;";   /* 256 MiB */
  gboolean read_only = (self->flags & PQS_STORE_OPEN_READ_ONLY) != 0;
  g_autofree char *context = g_strdup_printf (_("Cannot open “%s”"), self->path);
  sqlite3_stmt *stmt = NULL;
  int rc;

  sqlite3_busy_timeout (self->db, self->busy_timeout);

  /* Reading the schema is the first thing that touches the file: this is
   * where a file that is not a database shows itself. */
  rc = sqlite3_exec (self->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_error_for (self, error, rc, context);

  if (!read_only && sqlite3_db_readonly (self->db, "main") == 1)
    return set_error_for (self, error, SQLITE_READONLY, context);

  rc = sqlite3_exec (self->db, pragmas, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_error_for (self, error, rc, context);

  if (read_only)
    return TRUE;

  /* Switching to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY
   * at once instead of calling the busy handler (two processes opening a new
   * file at the same moment): retry for as long as the busy timeout. */
  {
    gint64 deadline = g_get_monotonic_time () + (gint64) self->busy_timeout * 1000;

    for (;;)
      {
        rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
        if (rc == SQLITE_OK)
          rc = sqlite3_step (stmt);
        if ((rc & 0xff) != SQLITE_BUSY || g_get_monotonic_time () >= deadline)
          break;
        g_clear_pointer (&stmt, sqlite3_finalize);
        g_usleep (10 * 1000);
      }
  }
  if (rc == SQLITE_ROW &&
      g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    {
      sqlite3_finalize (stmt);
      g_set_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_FAILED,
                   _("%s: the database cannot use write-ahead logging on this file system."),
                   context);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return set_error_for (self, error, rc, context);

  /* NORMAL is durable in WAL mode except for the last commits before a power
   * cut; it never corrupts the file. */
  rc = sqlite3_exec (self->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_error_for (self, error, rc, context);

  return TRUE;
}

static gboolean
open_connection (PqsStore  *self,
                 GError   **error)
{
  gboolean read_only = (self->flags & PQS_STORE_OPEN_READ_ONLY) != 0;
  gboolean existing = read_only || (self->flags & PQS_STORE_OPEN_EXISTING) != 0;
  g_autofree char *context = g_strdup_printf (_("Cannot open “%s”"), self->path);
  int open_flags;
  int rc;

  g_assert (self->db == NULL);

  if (existing && !g_file_test (self->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CANT_OPEN,
                   _("%s: the file does not exist."), context);
      return FALSE;
    }

  if (!existing)
    {
      g_autofree char *folder = g_path_get_dirname (self->path);

      if (g_mkdir_with_parents (folder, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, PQS_STORE_ERROR,
                       saved_errno == EACCES || saved_errno == EROFS
                         ? PQS_STORE_ERROR_READ_ONLY : PQS_STORE_ERROR_CANT_OPEN,
                       _("%s: its folder cannot be created (%s)."),
                       context, g_strerror (saved_errno));
          return FALSE;
        }
    }

  open_flags = SQLITE_OPEN_FULLMUTEX;
  open_flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!existing)
    open_flags |= SQLITE_OPEN_CREATE;

  rc = sqlite3_open_v2 (self->path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_for (self, error, rc, context);
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return FALSE;
    }

  sqlite3_extended_result_codes (self->db, 1);

  if (!apply_pragmas (self, error))
    {
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return FALSE;
    }

  sqlite3_update_hook (self->db, update_hook_cb, self);

  return TRUE;
}

/**
 * pqs_store_open:
 * @path: the database file
 * @flags: how to open it
 * @error: return location for a #GError
 *
 * Opens (and unless told otherwise creates) the database at @path with the
 * pragmas every PQS Desk connection uses: foreign keys on, WAL,
 * `synchronous=NORMAL`, a busy timeout, an in-memory temp store and sensible
 * cache and mmap sizes.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
PqsStore *
pqs_store_open (const char         *path,
                PqsStoreOpenFlags   flags,
                GError            **error)
{
  g_autoptr(PqsStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PQS_TYPE_STORE, "path", path, NULL);
  self->flags = flags;

  if (!open_connection (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * pqs_store_open_secondary:
 * @self: a #PqsStore
 * @error: return location for a #GError
 *
 * Opens another connection to the same file, for one worker thread at a time.
 * Its commits are announced by @self's #PqsStore::changed, in the main
 * context @self was created in.
 *
 * Returns: (transfer full): the new connection, or %NULL with @error set.
 */
PqsStore *
pqs_store_open_secondary (PqsStore  *self,
                          GError   **error)
{
  g_autoptr(PqsStore) secondary = NULL;

  g_return_val_if_fail (PQS_IS_STORE (self), NULL);

  secondary = pqs_store_open (self->path,
                              self->flags | PQS_STORE_OPEN_EXISTING,
                              error);
  if (secondary == NULL)
    return NULL;

  g_weak_ref_set (&secondary->primary, self);
  pqs_store_set_busy_timeout (secondary, self->busy_timeout);
  pqs_store_set_clock (secondary, self->clock_func, self->clock_data);
  pqs_store_set_client_name (secondary, self->client_name);

  return g_steal_pointer (&secondary);
}

/**
 * pqs_store_open_reader:
 * @self: a #PqsStore
 * @error: return location for a #GError
 *
 * Opens a read-only connection to the same file with the same pragmas, for
 * one thread at a time to read beside the main connection (WAL lets readers
 * run while it writes). It never writes, so it announces nothing.
 *
 * Returns: (transfer full): the new connection, or %NULL with @error set.
 */
PqsStore *
pqs_store_open_reader (PqsStore  *self,
                       GError   **error)
{
  g_autoptr(PqsStore) reader = NULL;

  g_return_val_if_fail (PQS_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = pqs_store_open (self->path, PQS_STORE_OPEN_READ_ONLY, error);
  if (reader == NULL)
    return NULL;

  pqs_store_set_busy_timeout (reader, self->busy_timeout);
  pqs_store_set_client_name (reader, self->client_name);

  return g_steal_pointer (&reader);
}

static void
close_worker (PqsStore *self)
{
  g_mutex_lock (&self->worker_lock);
  if (self->worker != NULL)
    pqs_store_close (self->worker);
  g_clear_object (&self->worker);
  g_mutex_unlock (&self->worker_lock);
}

/**
 * pqs_store_close:
 * @self: a #PqsStore
 *
 * Closes the connections (also the worker's). Any open transaction is rolled
 * back. pqs_store_reopen() opens them again, for example around a restore.
 */
void
pqs_store_close (PqsStore *self)
{
  g_return_if_fail (PQS_IS_STORE (self));

  close_worker (self);

  if (self->db == NULL)
    return;

  if (self->depth > 0 || !sqlite3_get_autocommit (self->db))
    pqs_store_rollback (self);

  g_hash_table_remove_all (self->statements);
  sqlite3_update_hook (self->db, NULL, NULL);
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

gboolean
pqs_store_reopen (PqsStore  *self,
                  GError   **error)
{
  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);

  if (self->db != NULL)
    return TRUE;

  return open_connection (self, error);
}

gboolean
pqs_store_is_open (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);

  return self->db != NULL;
}

const char *
pqs_store_get_path (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
pqs_store_get_handle (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), NULL);

  return self->db;
}

gboolean
pqs_store_is_read_only (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), TRUE);

  return (self->flags & PQS_STORE_OPEN_READ_ONLY) != 0;
}

/**
 * pqs_store_set_clock:
 * @self: a #PqsStore
 * @func: (nullable): returns the time in microseconds since the epoch, UTC
 * @user_data: data for @func
 *
 * Replaces the wall clock the model reads through pqs_store_now(): sign-in
 * lockouts, session expiry and audit timestamps. Tests move time forward
 * with it; %NULL restores g_get_real_time().
 */
void
pqs_store_set_clock (PqsStore          *self,
                     PqsStoreClockFunc  func,
                     gpointer           user_data)
{
  g_return_if_fail (PQS_IS_STORE (self));

  self->clock_func = func;
  self->clock_data = user_data;
}

gint64
pqs_store_now (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), g_get_real_time ());

  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);
  return g_get_real_time ();
}

/**
 * pqs_store_format_time:
 * @time_us: microseconds since the epoch, UTC
 *
 * Formats a time the way every table stores it: ISO 8601 UTC with
 * milliseconds ("2026-11-23T08:15:02.123Z"), which sorts as text.
 *
 * Returns: (transfer full): the text
 */
char *
pqs_store_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  g_autofree char *seconds = NULL;
  gint64 ms = (time_us % G_USEC_PER_SEC) / 1000;

  if (time == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  if (ms < 0)
    ms += 1000;
  seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", seconds, (int) ms);
}

/**
 * pqs_store_parse_time:
 * @text: (nullable): a time as stored in the database
 *
 * Reads the stored forms back: ISO 8601 with a zone, or SQLite's
 * CURRENT_TIMESTAMP form ("2026-11-23 08:15:02", UTC) that legacy rows hold.
 *
 * Returns: (transfer full) (nullable): the time, or %NULL
 */
GDateTime *
pqs_store_parse_time (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *copy = NULL;
  GDateTime *time;

  if (text == NULL || *text == '\0')
    return NULL;

  utc = g_time_zone_new_utc ();
  time = g_date_time_new_from_iso8601 (text, utc);
  if (time != NULL)
    return time;

  copy = g_strdup (text);
  if (strlen (copy) > 10 && copy[10] == ' ')
    copy[10] = 'T';
  return g_date_time_new_from_iso8601 (copy, utc);
}

/**
 * pqs_store_set_client_name:
 * @self: a #PqsStore
 * @name: (nullable): the program using the store, e.g. "pqs-desk/0.1.0"
 *
 * What audit rows record as their user agent.
 */
void
pqs_store_set_client_name (PqsStore   *self,
                           const char *name)
{
  g_return_if_fail (PQS_IS_STORE (self));

  if (g_strcmp0 (self->client_name, name) == 0)
    return;
  g_free (self->client_name);
  self->client_name = g_strdup (name);
}

const char *
pqs_store_get_client_name (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), NULL);

  return self->client_name;
}

int
pqs_store_get_busy_timeout (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), 0);

  return self->busy_timeout;
}

void
pqs_store_set_busy_timeout (PqsStore *self,
                            int       msec)
{
  g_return_if_fail (PQS_IS_STORE (self));

  self->busy_timeout = msec;
  if (self->db != NULL)
    sqlite3_busy_timeout (self->db, msec);
}

/* Statements ------------------------------------------------------------- */

/**
 * pqs_store_prepare:
 * @self: a #PqsStore
 * @sql: one SQL statement
 * @error: return location for a #GError
 *
 * Returns the cached prepared statement for @sql, reset and with its bindings
 * cleared. The store owns it: reset it (or use pqs_store_step_done()) when
 * done, and never finalize it.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set.
 */
sqlite3_stmt *
pqs_store_prepare (PqsStore    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (!ensure_open (self, error))
    return NULL;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_for (self, error, rc, NULL);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

/**
 * pqs_store_step_done:
 * @self: a #PqsStore
 * @stmt: a statement of @self's that returns no rows
 * @error: return location for a #GError
 *
 * Steps @stmt to completion and resets it.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_step_done (PqsStore      *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (stmt != NULL, FALSE);

  do
    rc = sqlite3_step (stmt);
  while (rc == SQLITE_ROW);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return set_error_for (self, error, rc, NULL);

  flush_if_autocommit (self);

  return TRUE;
}

/**
 * pqs_store_exec:
 * @self: a #PqsStore
 * @sql: one or more SQL statements, without results
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_exec (PqsStore    *self,
                const char  *sql,
                GError     **error)
{
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_error_for (self, error, rc, NULL);

  flush_if_autocommit (self);

  return TRUE;
}

/**
 * pqs_store_query_int64:
 * @self: a #PqsStore
 * @sql: a statement whose first row's first column is read
 * @out_value: (out): the value, 0 when there is no row
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_query_int64 (PqsStore    *self,
                       const char  *sql,
                       gint64      *out_value,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (out_value != NULL, FALSE);

  stmt = pqs_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  *out_value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error_for (self, error, rc, NULL);

  return TRUE;
}

gboolean
pqs_store_table_exists (PqsStore    *self,
                        const char  *table,
                        gboolean    *out_exists,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (out_exists != NULL, FALSE);

  stmt = pqs_store_prepare (self,
                            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  *out_exists = rc == SQLITE_ROW;
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error_for (self, error, rc, NULL);

  return TRUE;
}

/* Transactions ----------------------------------------------------------- */

gboolean
pqs_store_in_transaction (PqsStore *self)
{
  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);

  return self->depth > 0;
}

/**
 * pqs_store_begin_immediate:
 * @self: a #PqsStore
 * @error: return location for a #GError
 *
 * Starts a write transaction, taking the write lock at once so that two
 * writers never both read and then fail to upgrade.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_begin_immediate (PqsStore  *self,
                           GError   **error)
{
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_error_for (self, error, rc, NULL);

  self->depth = 1;
  g_array_set_size (self->pending, 0);

  return TRUE;
}

/**
 * pqs_store_commit:
 * @self: a #PqsStore
 * @error: return location for a #GError
 *
 * Commits the transaction of pqs_store_begin_immediate(), then announces the
 * rows it changed. When the commit fails the transaction is rolled back.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_commit (PqsStore  *self,
                  GError   **error)
{
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 1, FALSE);

  rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_for (self, error, rc, NULL);
      pqs_store_rollback (self);
      return FALSE;
    }

  self->depth = 0;
  flush_pending (self);

  return TRUE;
}

/**
 * pqs_store_rollback:
 * @self: a #PqsStore
 *
 * Rolls the whole transaction back and forgets its changes.
 */
void
pqs_store_rollback (PqsStore *self)
{
  g_return_if_fail (PQS_IS_STORE (self));

  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    {
      int rc = sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

      if (rc != SQLITE_OK)
        g_warning ("Rolling back failed: %s", sqlite3_errmsg (self->db));
    }

  self->depth = 0;
  g_array_set_size (self->pending, 0);
  g_array_set_size (self->savepoint_marks, 0);
}

/**
 * pqs_store_transaction:
 * @self: a #PqsStore
 * @func: the work
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * Runs @func in a write transaction (`BEGIN IMMEDIATE`), or in a savepoint
 * when a transaction is already open, so that work composes. When @func
 * fails, everything it did is rolled back and its error returned; when it
 * succeeds the outermost level commits and announces the changed rows.
 *
 * Returns: %TRUE when @func succeeded and its work committed (or was released
 *   into the enclosing transaction).
 */
gboolean
pqs_store_transaction (PqsStore                 *self,
                       PqsStoreTransactionFunc   func,
                       gpointer                  user_data,
                       GError                  **error)
{
  g_autofree char *savepoint = NULL;
  g_autoptr(GError) local_error = NULL;
  guint level;
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->depth == 0)
    {
      if (!pqs_store_begin_immediate (self, error))
        return FALSE;

      if (!func (self, user_data, &local_error))
        {
          pqs_store_rollback (self);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      return pqs_store_commit (self, error);
    }

  level = self->depth++;
  savepoint = g_strdup_printf ("SAVEPOINT pqs_%u", level);
  rc = sqlite3_exec (self->db, savepoint, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      self->depth--;
      return set_error_for (self, error, rc, NULL);
    }
  g_array_append_val (self->savepoint_marks, self->pending->len);

  if (!func (self, user_data, &local_error))
    {
      g_autofree char *undo = g_strdup_printf ("ROLLBACK TO pqs_%u; RELEASE pqs_%u",
                                               level, level);
      guint mark = g_array_index (self->savepoint_marks, guint,
                                  self->savepoint_marks->len - 1);

      rc = sqlite3_exec (self->db, undo, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        g_warning ("Rolling back a savepoint failed: %s", sqlite3_errmsg (self->db));
      g_array_set_size (self->pending, mark);
      g_array_set_size (self->savepoint_marks, self->savepoint_marks->len - 1);
      self->depth--;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_array_set_size (self->savepoint_marks, self->savepoint_marks->len - 1);
  self->depth--;
  g_free (savepoint);
  savepoint = g_strdup_printf ("RELEASE pqs_%u", level);
  rc = sqlite3_exec (self->db, savepoint, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_error_for (self, error, rc, NULL);

  return TRUE;
}

/* Snapshots --------------------------------------------------------------- */

static gboolean
fsync_path (const char  *path,
            gboolean     is_folder,
            GError     **error)
{
  int fd = g_open (path, (is_folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_IO,
                   _("Cannot flush “%s” to disk (%s)."), path, g_strerror (saved_errno));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* The bytes page 1 of a fresh copy of the database is expected to hold once
 * the backup API has written it: the page as it is in the file now, with the
 * header fields that the copy sets (change counter, schema cookie, "version
 * valid for", SQLite version). It is only an expectation: the copy checks it
 * against the page actually written. */
static guint8 *
expected_page1 (PqsStore *self,
                gsize    *out_len)
{
  g_autofree guint8 *page = NULL;
  guint8 header[100];
  gsize page_size;
  sqlite3_file *file = NULL;

  *out_len = 0;
  if (self->db == NULL)
    return NULL;

  /* Through SQLite's own handle: opening and closing another descriptor on
   * the file would drop every POSIX lock this process holds on it, and
   * another process could then fold the log into the file under the copy. */
  if (sqlite3_file_control (self->db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == NULL || file->pMethods == NULL)
    return NULL;

  if (file->pMethods->xRead (file, header, sizeof header, 0) != SQLITE_OK ||
      memcmp (header, "SQLite format 3", 16) != 0)
    return NULL;
  page_size = (header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    return NULL;

  page = g_malloc (page_size);
  if (file->pMethods->xRead (file, page, (int) page_size, 0) != SQLITE_OK)
    return NULL;

  for (guint i = 0; i < 3; i++)
    {
      static const guint offsets[] = { 24, 40, 92 };
      guint8 *field = page + offsets[i];

      field[0] = field[1] = field[2] = 0;
      field[3] = 1;
    }
  page[96] = (sqlite3_libversion_number () >> 24) & 0xff;
  page[97] = (sqlite3_libversion_number () >> 16) & 0xff;
  page[98] = (sqlite3_libversion_number () >> 8) & 0xff;
  page[99] = sqlite3_libversion_number () & 0xff;

  *out_len = page_size;
  return g_steal_pointer (&page);
}

static void
discard_stream (PqsHashStream *stream)
{
  g_free (pqs_hash_stream_finish (stream));
}

/**
 * pqs_store_copy_to_file_with_checksum:
 * @self: a #PqsStore
 * @dest_path: an empty or new file to copy into
 * @out_sha256: (out) (optional) (nullable): the SHA-256 of the copy, in
 *   lower-case hex, or %NULL when it could not be computed during the copy
 * @error: return location for a #GError
 *
 * Copies the database into @dest_path with SQLite's online backup API in
 * one step, so that writers on other connections can neither make it
 * restart nor see a torn copy. Nothing is synced to disk: callers that
 * publish the copy flush it first (see pqs_store_snapshot()).
 *
 * With @out_sha256, the copy is checksummed in a second thread while it is
 * written, as long as the pages reach the file one after the other; when they
 * do not, *@out_sha256 is %NULL and the caller checksums the file itself.
 * A digest that is returned is always that of the whole file.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_copy_to_file_with_checksum (PqsStore    *self,
                                      const char  *dest_path,
                                      char       **out_sha256,
                                      GError     **error)
{
  g_autofree char *context = NULL;
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  PqsHashStream *stream = NULL;
  const char *vfs = NULL;
  int rc;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  if (out_sha256 != NULL)
    *out_sha256 = NULL;

  if (!ensure_open (self, error))
    return FALSE;

  context = g_strdup_printf (_("Cannot copy the database to “%s”"), dest_path);

  if (out_sha256 != NULL && pqs_hash_vfs_register ())
    vfs = PQS_HASH_VFS_NAME;

  rc = sqlite3_open_v2 (dest_path, &dest,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        vfs);
  if (rc != SQLITE_OK)
    goto failed;

  /* The copy is a fresh temporary file: a journal would only leave a
   * "…-journal" behind a crash, and the file is synced before it is named. */
  rc = sqlite3_exec (dest, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
                     NULL);
  if (rc != SQLITE_OK)
    goto failed;

  if (vfs != NULL)
    {
      g_autofree guint8 *page1 = NULL;
      gsize page1_len;

      page1 = expected_page1 (self, &page1_len);
      stream = pqs_hash_stream_new (dest_path, page1, page1_len);
      if (!pqs_hash_stream_attach (stream, dest))
        g_clear_pointer (&stream, discard_stream);
    }

  backup = sqlite3_backup_init (dest, "main", self->db, "main");
  if (backup == NULL)
    {
      rc = sqlite3_errcode (dest);
      goto failed;
    }

  /* All pages in one step: a step-by-step copy restarts whenever another
   * connection writes, and can run for ever on a busy database. */
  do
    {
      rc = sqlite3_backup_step (backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (50);
    }
  while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_OK);

  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    goto failed;

  rc = sqlite3_close (dest);
  dest = NULL;
  if (rc != SQLITE_OK)
    goto failed;

  if (stream != NULL)
    *out_sha256 = pqs_hash_stream_finish (g_steal_pointer (&stream));

  return TRUE;

failed:
  pqs_store_set_error_from_sqlite (error, dest, rc, context);
  g_clear_pointer (&dest, sqlite3_close_v2);
  g_clear_pointer (&stream, discard_stream);
  return FALSE;
}

/**
 * pqs_store_copy_to_file:
 * @self: a #PqsStore
 * @dest_path: an empty or new file to copy into
 * @error: return location for a #GError
 *
 * Like pqs_store_copy_to_file_with_checksum(), without the checksum.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_copy_to_file (PqsStore    *self,
                        const char  *dest_path,
                        GError     **error)
{
  return pqs_store_copy_to_file_with_checksum (self, dest_path, NULL, error);
}

/**
 * pqs_store_snapshot:
 * @self: a #PqsStore
 * @dest_path: where the copy goes; must not be the database itself
 * @error: return location for a #GError
 *
 * Copies the database with SQLite's online backup API in one step, so that
 * writers on other connections can neither make it restart nor see a torn
 * copy. The copy is written to `DEST.XXXXXX.partial`, flushed to disk and only
 * then given the name @dest_path, which must not exist yet
 * (%PQS_STORE_ERROR_EXISTS otherwise): a crash never leaves a file that looks
 * finished, and a copy never replaces another.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_store_snapshot (PqsStore    *self,
                    const char  *dest_path,
                    GError     **error)
{
  g_autofree char *partial = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *context = NULL;

  g_return_val_if_fail (PQS_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  if (!ensure_open (self, error))
    return FALSE;

  context = g_strdup_printf (_("Cannot copy the database to “%s”"), dest_path);
  folder = g_path_get_dirname (dest_path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CANT_OPEN,
                   _("%s: the folder cannot be created (%s)."), context,
                   g_strerror (saved_errno));
      return FALSE;
    }

  /* A temporary name of its own, so that two copies made at once never share one. */
  partial = g_strconcat (dest_path, ".XXXXXX.partial", NULL);
  {
    int fd = g_mkstemp_full (partial, O_RDWR | O_CLOEXEC, 0600);

    if (fd < 0)
      {
        int saved_errno = errno;

        g_set_error (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CANT_OPEN,
                     _("%s: a temporary file cannot be created (%s)."), context,
                     g_strerror (saved_errno));
        return FALSE;
      }
    close (fd);
  }

  if (!pqs_store_copy_to_file (self, partial, error))
    goto failed_with_error;

  if (!fsync_path (partial, FALSE, error))
    goto failed_with_error;

  /* Publish without replacing: link() fails if the name was taken meanwhile. */
  if (link (partial, dest_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, PQS_STORE_ERROR,
                   saved_errno == EEXIST ? PQS_STORE_ERROR_EXISTS : PQS_STORE_ERROR_IO,
                   _("%s: the finished copy cannot be given its name (%s)."), context,
                   g_strerror (saved_errno));
      goto failed_with_error;
    }
  g_unlink (partial);

  return fsync_path (folder, TRUE, error);

failed_with_error:
  g_unlink (partial);
  return FALSE;
}

/* Worker thread ----------------------------------------------------------- */

typedef struct
{
  PqsStoreThreadFunc func;
  gpointer           user_data;
  GDestroyNotify     user_data_free;
} ThreadWork;

static void
thread_work_free (ThreadWork *work)
{
  if (work->user_data_free != NULL)
    work->user_data_free (work->user_data);
  g_free (work);
}

static void
run_in_thread_worker (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PqsStore *self = source_object;
  ThreadWork *work = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* One worker connection, one job at a time: SQLite allows one writer anyway. */
  g_mutex_lock (&self->worker_lock);

  if (self->worker == NULL)
    self->worker = pqs_store_open_secondary (self, &error);

  if (self->worker == NULL)
    {
      g_mutex_unlock (&self->worker_lock);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = work->func (self->worker, work->user_data, cancellable, &error);
  g_mutex_unlock (&self->worker_lock);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, NULL);
}

/**
 * pqs_store_run_in_thread:
 * @self: a #PqsStore
 * @func: the work, run in a thread with the worker connection
 * @user_data: data for @func
 * @user_data_free: (nullable): frees @user_data when the task is done
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context when done
 * @callback_data: data for @callback
 *
 * Runs long work (a backup, an integrity check, a migration) on a connection
 * of its own so that the main loop never waits for it; WAL lets the main
 * connection keep reading and writing meanwhile.
 */
void
pqs_store_run_in_thread (PqsStore            *self,
                         PqsStoreThreadFunc   func,
                         gpointer             user_data,
                         GDestroyNotify       user_data_free,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             callback_data)
{
  g_autoptr(GTask) task = NULL;
  ThreadWork *work;

  g_return_if_fail (PQS_IS_STORE (self));
  g_return_if_fail (func != NULL);

  work = g_new0 (ThreadWork, 1);
  work->func = func;
  work->user_data = user_data;
  work->user_data_free = user_data_free;

  task = g_task_new (self, cancellable, callback, callback_data);
  g_task_set_source_tag (task, pqs_store_run_in_thread);
  g_task_set_task_data (task, work, (GDestroyNotify) thread_work_free);
  g_task_run_in_thread (task, run_in_thread_worker);
}

gpointer
pqs_store_run_in_thread_finish (PqsStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (PQS_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject ------------------------------------------------------------------ */

static void
pqs_store_dispose (GObject *object)
{
  PqsStore *self = (PqsStore *) object;

  pqs_store_close (self);

  G_OBJECT_CLASS (pqs_store_parent_class)->dispose (object);
}

static void
pqs_store_finalize (GObject *object)
{
  PqsStore *self = (PqsStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->savepoint_marks, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->client_name, g_free);
  g_weak_ref_clear (&self->primary);
  g_mutex_clear (&self->worker_lock);

  G_OBJECT_CLASS (pqs_store_parent_class)->finalize (object);
}

static void
pqs_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PqsStore *self = PQS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PqsStore *self = PQS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_store_class_init (PqsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pqs_store_dispose;
  object_class->finalize = pqs_store_finalize;
  object_class->get_property = pqs_store_get_property;
  object_class->set_property = pqs_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PqsStore::changed:
   * @self: the store
   * @table: the table whose rows changed
   * @rowids: (element-type gint64): the row ids inserted, updated or deleted
   *
   * Emitted after a commit, once per table touched, with the table name as
   * the detail (`changed::documents`). List models listen to it.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ARRAY);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pqs_store_init (PqsStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->pending = g_array_new (FALSE, FALSE, sizeof (PendingChange));
  g_array_set_clear_func (self->pending, pending_change_clear);
  self->savepoint_marks = g_array_new (FALSE, FALSE, sizeof (guint));
  self->busy_timeout = DEFAULT_BUSY_TIMEOUT_MS;
  self->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->primary, NULL);
  g_mutex_init (&self->worker_lock);
}
