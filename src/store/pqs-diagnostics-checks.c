/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pqs-migrator.h"
#include "pqs-diagnostics-private.h"

/* The checks and the maintenance work of PqsDiagnostics, on whichever
 * connection runs them: the store's own (synchronous calls) or its worker
 * connection (asynchronous ones). */

/* Enough to say what is wrong without printing a whole broken file. */
#define MAX_INTEGRITY_MESSAGES 100
#define MAX_RECORDED_VIOLATIONS 100
#define MAX_PROBLEMS_PER_CHECK 10

/* The SQLite virtual machine calls the progress handler every so many
 * instructions: often enough to stop a long VACUUM within milliseconds. */
#define PROGRESS_INSTRUCTIONS 10000

static gint64
file_size (const char *path)
{
  GStatBuf buf;

  if (path == NULL || g_stat (path, &buf) != 0)
    return 0;

  return buf.st_size;
}

static gint64
wal_size (PqsStore *store)
{
  g_autofree char *wal = g_strconcat (pqs_store_get_path (store), "-wal", NULL);

  return file_size (wal);
}

static char *
quote_identifier (const char *name)
{
  g_autoptr(GString) quoted = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* Stops a statement when @cancellable is cancelled; see watch_cancellable(). */
static int
progress_cb (void *data)
{
  return g_cancellable_is_cancelled (data) ? 1 : 0;
}

static void
watch_cancellable (PqsStore     *store,
                   GCancellable *cancellable)
{
  if (cancellable != NULL)
    sqlite3_progress_handler (pqs_store_get_handle (store), PROGRESS_INSTRUCTIONS,
                              progress_cb, cancellable);
}

static void
unwatch_cancellable (PqsStore     *store,
                     GCancellable *cancellable)
{
  if (cancellable != NULL)
    sqlite3_progress_handler (pqs_store_get_handle (store), 0, NULL, NULL);
}

/* Runs @sql, handing each row's first column to @row_func; an interrupted
 * statement becomes G_IO_ERROR_CANCELLED. */
typedef gboolean (*RowFunc) (sqlite3_stmt *stmt,
                             gpointer      user_data);

static gboolean
for_each_row (PqsStore      *store,
              const char    *sql,
              RowFunc        row_func,
              gpointer       user_data,
              GCancellable  *cancellable,
              GError       **error)
{
  sqlite3 *db = pqs_store_get_handle (store);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (row_func != NULL && !row_func (stmt, user_data))
          {
            rc = SQLITE_DONE;
            break;
          }
    }
  if (rc != SQLITE_DONE)
    {
      g_autofree char *message = g_strdup (sqlite3_errmsg (db));

      sqlite3_finalize (stmt);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* Some errors (SQLITE_CORRUPT…) say more in the message than in the code. */
      pqs_store_set_error_from_sqlite (error, NULL, rc, message);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
int64_row_cb (sqlite3_stmt *stmt,
              gpointer      user_data)
{
  *(gint64 *) user_data = sqlite3_column_int64 (stmt, 0);
  return FALSE;
}

static gboolean
query_int64 (PqsStore      *store,
             const char    *sql,
             gint64        *out_value,
             GError       **error)
{
  *out_value = 0;
  return for_each_row (store, sql, int64_row_cb, out_value, NULL, error);
}

static gboolean
text_row_cb (sqlite3_stmt *stmt,
             gpointer      user_data)
{
  char **out = user_data;

  g_free (*out);
  *out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  return FALSE;
}

static void
health_problem (PqsDiagnosticsReport *report,
                const char           *what,
                GError               *error)
{
  g_autofree char *problem = g_strdup_printf (_("Reading %s failed: %s"), what, error->message);

  if (report != NULL)
    pqs_diagnostics_report_append_problem (report, problem);
  else
    g_debug ("%s", problem);
}

/* Fills @health; what cannot be read becomes a problem of @report (when given). */
void
pqs_diagnostics_read_health (PqsStore             *store,
             PqsHealthReport      *health,
             PqsDiagnosticsReport *report)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;
  gint64 start;

  g_clear_pointer (&health->path, g_free);
  health->path = g_strdup (pqs_store_get_path (store));
  health->opened = pqs_store_is_open (store);
  if (!health->opened)
    return;

  start = g_get_monotonic_time ();
  if (!query_int64 (store, "SELECT count(*) FROM sqlite_schema", &value, &error))
    {
      health->opened = FALSE;
      health_problem (report, _("the schema"), error);
      return;
    }
  health->response_time = g_get_monotonic_time () - start;

  g_clear_pointer (&health->journal_mode, g_free);
  if (!for_each_row (store, "PRAGMA journal_mode", text_row_cb, &health->journal_mode, NULL,
                     &error))
    health_problem (report, _("the journal mode"), error);
  g_clear_error (&error);

  if (query_int64 (store, "PRAGMA foreign_keys", &value, &error))
    health->foreign_keys = value != 0;
  else
    health_problem (report, _("the foreign key setting"), error);
  g_clear_error (&error);

  if (query_int64 (store, "PRAGMA busy_timeout", &value, &error))
    health->busy_timeout = (int) value;
  else
    health_problem (report, _("the busy timeout"), error);
  g_clear_error (&error);

  if (!query_int64 (store, "PRAGMA page_size", &health->page_size, &error))
    health_problem (report, _("the page size"), error);
  g_clear_error (&error);

  if (!query_int64 (store, "PRAGMA page_count", &health->page_count, &error))
    health_problem (report, _("the page count"), error);
  g_clear_error (&error);

  if (!query_int64 (store, "PRAGMA freelist_count", &health->freelist_count, &error))
    health_problem (report, _("the free page count"), error);
  g_clear_error (&error);

  /* A database from before migration_history is at version 0. */
  if (query_int64 (store, "SELECT count(*) FROM sqlite_schema "
                          "WHERE type = 'table' AND name = 'migration_history'", &value, &error) &&
      value == 1 &&
      query_int64 (store, "SELECT coalesce(max(version), 0) FROM migration_history",
                   &value, &error))
    health->schema_version = (guint) value;
  if (error != NULL)
    health_problem (report, _("the schema version"), error);
  g_clear_error (&error);

  health->file_size = file_size (health->path);
  health->wal_size = wal_size (store);
}

typedef struct
{
  PqsDiagnosticsReport *report;
  guint                 n_rows;
} IntegrityRows;

static gboolean
integrity_row_cb (sqlite3_stmt *stmt,
                  gpointer      user_data)
{
  IntegrityRows *rows = user_data;
  const char *text = (const char *) sqlite3_column_text (stmt, 0);
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  /* One row may hold several lines, led by a "*** in database main ***" heading. */
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0' && !g_str_has_prefix (lines[i], "*** "))
      g_ptr_array_add (rows->report->integrity_messages, g_strdup (lines[i]));
  rows->n_rows++;
  return TRUE;
}

static gboolean
check_integrity (PqsStore              *store,
                 PqsDiagnosticsReport  *report,
                 GCancellable          *cancellable,
                 GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = NULL;
  IntegrityRows rows = { report, 0 };
  GPtrArray *messages = report->integrity_messages;

  sql = g_strdup_printf ("PRAGMA %s(%d)",
                         report->level == PQS_CHECK_QUICK ? "quick_check" : "integrity_check",
                         MAX_INTEGRITY_MESSAGES);

  if (!for_each_row (store, sql, integrity_row_cb, &rows, cancellable, &local_error))
    {
      g_autofree char *problem = NULL;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* The check itself stumbled on the damage. */
      if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT))
        problem = g_strdup_printf (_("The database file is damaged: the integrity check "
                                     "stopped at the damage (%s)."),
                                   sqlite3_errstr (SQLITE_CORRUPT));
      else
        problem = g_strdup_printf (_("The integrity check could not finish: %s"),
                                   local_error->message);
      g_ptr_array_add (messages, g_strdup (local_error->message));
      pqs_diagnostics_report_append_problem (report, problem);
      report->integrity_ok = FALSE;
      return TRUE;
    }

  report->integrity_ok = messages->len == 1 &&
                         g_str_equal (g_ptr_array_index (messages, 0), "ok");
  if (!report->integrity_ok)
    {
      for (guint i = 0; i < messages->len && i < MAX_PROBLEMS_PER_CHECK; i++)
        {
          g_autofree char *problem =
            g_strdup_printf (_("The database file is damaged: %s"),
                             (const char *) g_ptr_array_index (messages, i));

          pqs_diagnostics_report_append_problem (report, problem);
        }
      if (messages->len > MAX_PROBLEMS_PER_CHECK)
        {
          g_autofree char *problem =
            g_strdup_printf (_("The integrity check found more damage (%u messages in all)."),
                             messages->len);

          pqs_diagnostics_report_append_problem (report, problem);
        }
    }

  return TRUE;
}

/* The column(s) of foreign key @fkid of @table, for a readable message. */
static char *
foreign_key_columns (PqsStore   *store,
                     const char *table,
                     int         fkid)
{
  static const char *sql = "SELECT \"from\" FROM pragma_foreign_key_list(?1) "
                          "WHERE id = ?2 ORDER BY seq";
  sqlite3 *db = pqs_store_get_handle (store);
  g_autoptr(GString) columns = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;

  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, fkid);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (columns->len > 0)
        g_string_append (columns, ", ");
      g_string_append (columns, (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);

  return columns->len > 0 ? g_string_free (g_steal_pointer (&columns), FALSE) : NULL;
}

typedef struct
{
  PqsStore             *store;
  PqsDiagnosticsReport *report;
} ViolationRows;

static gboolean
violation_row_cb (sqlite3_stmt *stmt,
                  gpointer      user_data)
{
  ViolationRows *rows = user_data;
  PqsDiagnosticsReport *report = rows->report;
  Violation violation = { NULL, };

  report->n_violations++;
  if (report->violations->len >= MAX_RECORDED_VIOLATIONS)
    return TRUE;

  violation.table = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  violation.rowid = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                      ? -1 : sqlite3_column_int64 (stmt, 1);
  violation.parent = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  violation.column = foreign_key_columns (rows->store, violation.table,
                                          sqlite3_column_int (stmt, 3));
  g_array_append_val (report->violations, violation);

  return TRUE;
}

static gboolean
check_foreign_keys (PqsStore              *store,
                    PqsDiagnosticsReport  *report,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  ViolationRows rows = { store, report };

  if (!for_each_row (store, "PRAGMA foreign_key_check", violation_row_cb, &rows, cancellable,
                     &local_error))
    {
      g_autofree char *problem = NULL;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT))
        problem = g_strdup (_("The foreign key check could not finish: the file is damaged."));
      else
        problem = g_strdup_printf (_("The foreign key check could not finish: %s"),
                                   local_error->message);
      pqs_diagnostics_report_append_problem (report, problem);
      return TRUE;
    }

  report->foreign_keys_ok = report->n_violations == 0;

  for (guint i = 0; i < report->violations->len && i < MAX_PROBLEMS_PER_CHECK; i++)
    {
      Violation *violation = &g_array_index (report->violations, Violation, i);
      g_autofree char *problem = NULL;

      problem = g_strdup_printf (_("Row %" PRId64 " of “%s” refers to a row of “%s” "
                                   "that does not exist (%s)."),
                                 violation->rowid, violation->table, violation->parent,
                                 violation->column != NULL ? violation->column : "?");
      pqs_diagnostics_report_append_problem (report, problem);
    }
  if (report->n_violations > MAX_PROBLEMS_PER_CHECK)
    {
      g_autofree char *problem =
        g_strdup_printf (_("%u rows in all refer to rows that do not exist."),
                         report->n_violations);

      pqs_diagnostics_report_append_problem (report, problem);
    }

  return TRUE;
}

static gboolean
name_row_cb (sqlite3_stmt *stmt,
             gpointer      user_data)
{
  g_ptr_array_add (user_data, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  return TRUE;
}

/* The FTS5 tables of the schema. */
static GPtrArray *
list_fts_tables (PqsStore  *store,
                 GError   **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (!for_each_row (store,
                     "SELECT name FROM sqlite_schema WHERE type = 'table' "
                     "AND sql LIKE 'CREATE VIRTUAL TABLE%' "
                     "AND lower(sql) LIKE '%using fts5%' ORDER BY name",
                     name_row_cb, names, NULL, error))
    return NULL;

  return g_steal_pointer (&names);
}

/* Runs an FTS5 command ('integrity-check', 'rebuild', 'optimize') on @table. */
static gboolean
fts_command (PqsStore      *store,
             const char    *table,
             const char    *command,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree char *quoted = quote_identifier (table);
  g_autofree char *sql = NULL;

  /* With rank 1 the check also compares the index with its content table,
   * which is what goes wrong when the triggers were bypassed. */
  if (g_str_equal (command, "integrity-check"))
    sql = g_strdup_printf ("INSERT INTO %s (%s, rank) VALUES ('integrity-check', 1)",
                           quoted, quoted);
  else
    sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES ('%s')", quoted, quoted, command);

  return for_each_row (store, sql, NULL, NULL, cancellable, error);
}

/* Search index triggers --------------------------------------------------------
 *
 * An external-content index (content = 'table') is kept current only by the
 * triggers on its table. integrity-check finds the drift that a missing
 * trigger has caused so far; this finds the missing trigger itself, which
 * will go on causing drift after every rebuild. Each of INSERT, DELETE and
 * UPDATE needs a trigger on the content table that names the index. */

static const char *fts_trigger_events[] = { "insert", "delete", "update" };

typedef struct
{
  GRegex   *event;
  GRegex   *mentions;
  gboolean  found[G_N_ELEMENTS (fts_trigger_events)];
} TriggerScan;

static gboolean
trigger_row_cb (sqlite3_stmt *stmt,
                gpointer      user_data)
{
  TriggerScan *scan = user_data;
  const char *sql = (const char *) sqlite3_column_text (stmt, 0);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *fetched = NULL;
  g_autofree char *event = NULL;

  if (sql == NULL || !g_regex_match (scan->mentions, sql, 0, NULL) ||
      !g_regex_match (scan->event, sql, 0, &match))
    return TRUE;

  fetched = g_match_info_fetch (match, 1);
  event = g_ascii_strdown (fetched, -1);
  for (guint i = 0; i < G_N_ELEMENTS (fts_trigger_events); i++)
    {
      if (g_str_equal (event, fts_trigger_events[i]))
        scan->found[i] = TRUE;
    }

  return TRUE;
}

/* The events of the content table that no trigger passes on to @table, as
 * "insert, update"; NULL when nothing is missing or @table keeps its own
 * content. */
static gboolean
missing_fts_triggers (PqsStore    *store,
                      const char  *table,
                      char       **out_content,
                      char       **out_missing,
                      GError     **error)
{
  g_autoptr(GRegex) content_regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *create_sql = NULL;
  g_autofree char *content = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *query = NULL;
  char *quoted;
  g_autofree char *escaped_table = NULL;
  sqlite3_stmt *stmt;
  TriggerScan scan = { NULL, };
  gboolean done;
  int rc;

  *out_content = NULL;
  *out_missing = NULL;

  stmt = pqs_store_prepare (store, "SELECT sql FROM sqlite_schema WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    create_sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);
  if (create_sql == NULL)
    return TRUE;

  content_regex = g_regex_new ("\\bcontent\\s*=\\s*'((?:[^']|'')*)'", G_REGEX_CASELESS, 0, NULL);
  if (!g_regex_match (content_regex, create_sql, 0, &match))
    return TRUE;
  content = g_match_info_fetch (match, 1);
  if (content == NULL || *content == '\0')
    return TRUE;

  escaped_table = g_regex_escape_string (table, -1);
  pattern = g_strdup_printf ("\\b%s\\b", escaped_table);
  scan.mentions = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  scan.event = g_regex_new ("^\\s*create\\s+(?:temp\\w*\\s+)?trigger\\s+"
                            "(?:if\\s+not\\s+exists\\s+)?(?:\"[^\"]*\"|\\S+)\\s+"
                            "(?:before\\s+|after\\s+|instead\\s+of\\s+)?"
                            "(insert|delete|update)\\b",
                            G_REGEX_CASELESS, 0, NULL);
  g_assert (scan.mentions != NULL && scan.event != NULL);

  /* The table name comes from the schema; quoted as an SQL string. */
  quoted = sqlite3_mprintf ("%Q", content);
  query = g_strdup_printf ("SELECT sql FROM sqlite_schema WHERE type = 'trigger' "
                           "AND tbl_name = %s COLLATE NOCASE", quoted);
  sqlite3_free (quoted);
  done = for_each_row (store, query, trigger_row_cb, &scan, NULL, error);
  g_regex_unref (scan.mentions);
  g_regex_unref (scan.event);
  if (!done)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (fts_trigger_events); i++)
    {
      if (!scan.found[i])
        g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "",
                                fts_trigger_events[i]);
    }

  *out_content = g_steal_pointer (&content);
  if (missing->len > 0)
    *out_missing = g_string_free (g_steal_pointer (&missing), FALSE);
  return TRUE;
}

/* Adds a problem for each FTS table whose triggers are incomplete. */
static void
check_fts_triggers (PqsStore             *store,
                    PqsDiagnosticsReport *report,
                    const char           *table,
                    FtsResult            *result)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *content = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *problem = NULL;

  if (!missing_fts_triggers (store, table, &content, &missing, &local_error))
    {
      g_debug ("Cannot list the triggers of %s: %s", table, local_error->message);
      return;
    }
  if (missing == NULL)
    return;

  /* TRANSLATORS: the first is the index, the second its table, the third a
   * list of SQL events (insert, delete, update), left untranslated. */
  problem = g_strdup_printf (_("The search index “%s” is not kept up to date: no trigger on "
                               "“%s” passes on its changes (%s). Rebuilding the index repairs "
                               "it only until the next change; restore a backup."),
                             table, content, missing);
  pqs_diagnostics_report_append_problem (report, problem);
  report->fts_ok = FALSE;
  if (result->ok)
    {
      result->ok = FALSE;
      g_free (result->message);
      result->message = g_strdup (problem);
    }
}

/* End of the search index triggers ------------------------------------------- */

gboolean
pqs_diagnostics_run_fts_check (PqsStore              *store,
           PqsDiagnosticsReport  *report,
           GCancellable          *cancellable,
           GError               **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) local_error = NULL;

  report->fts_ok = TRUE;

  tables = list_fts_tables (store, &local_error);
  if (tables == NULL)
    {
      g_autofree char *problem =
        g_strdup_printf (_("The search indexes could not be listed: %s"), local_error->message);

      report->fts_ok = FALSE;
      pqs_diagnostics_report_append_problem (report, problem);
      return TRUE;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      FtsResult result = { g_strdup (table), TRUE, NULL };

      if (!fts_command (store, table, "integrity-check", cancellable, &local_error))
        {
          g_autofree char *problem = NULL;

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              pqs_fts_result_clear (&result);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }

          result.ok = FALSE;
          result.message = g_strdup (local_error->message);
          /* On a damaged file the index's check reads damaged pages too. */
          if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT) &&
              !report->integrity_ok)
            problem = g_strdup_printf (_("The search index “%s” could not be checked: the "
                                         "file is damaged."), table);
          else if (g_error_matches (local_error, PQS_STORE_ERROR, PQS_STORE_ERROR_CORRUPT))
            problem = g_strdup_printf (_("The search index “%s” does not match the documents. "
                                         "Rebuild it (pqs-admin optimize --rebuild-fts)."),
                                       table);
          else
            problem = g_strdup_printf (_("The search index “%s” could not be checked: %s"),
                                       table, local_error->message);
          pqs_diagnostics_report_append_problem (report, problem);
          report->fts_ok = FALSE;
          g_clear_error (&local_error);
        }

      check_fts_triggers (store, report, table, &result);
      g_array_append_val (report->fts, result);
    }

  return TRUE;
}

typedef struct
{
  char  *name;
  gint64 indexes;
  gboolean is_virtual;
} TableRow;

static gboolean
table_row_cb (sqlite3_stmt *stmt,
              gpointer      user_data)
{
  GArray *rows = user_data;
  TableRow row;

  row.name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row.indexes = sqlite3_column_int64 (stmt, 1);
  row.is_virtual = sqlite3_column_int (stmt, 2);
  g_array_append_val (rows, row);

  return TRUE;
}

static void
table_row_clear (gpointer data)
{
  g_free (((TableRow *) data)->name);
}

static gboolean
is_fts_shadow (const char *name,
               GPtrArray  *fts_tables)
{
  static const char *suffixes[] = { "_data", "_idx", "_content", "_docsize", "_config" };

  for (guint i = 0; fts_tables != NULL && i < fts_tables->len; i++)
    {
      const char *fts = g_ptr_array_index (fts_tables, i);
      gsize len = strlen (fts);

      if (strncmp (name, fts, len) != 0)
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
        if (g_str_equal (name + len, suffixes[j]))
          return TRUE;
    }

  return FALSE;
}

static gboolean
collect_tables (PqsStore              *store,
                PqsDiagnosticsReport  *report,
                GCancellable          *cancellable,
                GError               **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (TableRow));
  g_autoptr(GPtrArray) fts_tables = NULL;
  g_autoptr(GError) local_error = NULL;

  g_array_set_clear_func (rows, table_row_clear);

  fts_tables = list_fts_tables (store, NULL);
  if (!for_each_row (store,
                     "SELECT t.name, "
                     "       (SELECT count(*) FROM sqlite_schema AS i "
                     "         WHERE i.type = 'index' AND i.tbl_name = t.name), "
                     "       t.sql LIKE 'CREATE VIRTUAL TABLE%' "
                     "  FROM sqlite_schema AS t WHERE t.type = 'table' ORDER BY t.name",
                     table_row_cb, rows, cancellable, &local_error))
    {
      g_autofree char *problem = NULL;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      problem = g_strdup_printf (_("The tables could not be listed: %s"), local_error->message);
      pqs_diagnostics_report_append_problem (report, problem);
      return TRUE;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      TableRow *row = &g_array_index (rows, TableRow, i);
      g_autoptr(PqsTableStats) stats = g_object_new (PQS_TYPE_TABLE_STATS, NULL);

      stats->name = g_strdup (row->name);
      stats->index_count = (guint) row->indexes;
      if (row->is_virtual)
        stats->kind = g_strdup ("fts");
      else if (is_fts_shadow (row->name, fts_tables))
        stats->kind = g_strdup ("fts-shadow");
      else if (g_str_has_prefix (row->name, "sqlite_"))
        stats->kind = g_strdup ("internal");
      else
        stats->kind = g_strdup ("table");

      if (!row->is_virtual)
        {
          g_autofree char *quoted = quote_identifier (row->name);
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", quoted);

          if (!for_each_row (store, sql, int64_row_cb, &stats->row_count, cancellable,
                             &local_error))
            {
              g_autofree char *problem = NULL;

              stats->row_count = -1;
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
              problem = g_strdup_printf (_("The rows of “%s” could not be counted: %s"),
                                         row->name, local_error->message);
              pqs_diagnostics_report_append_problem (report, problem);
              g_clear_error (&local_error);
            }
        }

      g_list_store_append (report->tables, stats);
    }

  return TRUE;
}

static void
check_migrations (PqsStore             *store,
                  PqsDiagnosticsReport *report)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (store);
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;

  if (!pqs_migrator_load (migrator, NULL, &error) ||
      !pqs_migrator_validate (migrator, &error) ||
      (pending = pqs_migrator_pending (migrator, PQS_MIGRATOR_LATEST, &error)) == NULL)
    {
      report->migrations_ok = FALSE;
      pqs_diagnostics_report_append_problem (report, error->message);
      return;
    }

  report->migrations_ok = TRUE;
  report->latest_version = pqs_migrator_get_latest_version (migrator);
  report->pending_migrations = pending->len;
}

PqsDiagnosticsReport *
pqs_diagnostics_run_check (PqsStore      *store,
           PqsCheckLevel  level,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(PqsDiagnosticsReport) report = g_object_new (PQS_TYPE_DIAGNOSTICS_REPORT, NULL);
  gint64 start = g_get_monotonic_time ();
  gboolean done;

  if (!pqs_store_is_open (store))
    {
      g_set_error_literal (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CLOSED,
                           _("The database is closed."));
      return NULL;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report->level = level;
  pqs_diagnostics_read_health (store, report->health, report);
  if (!report->health->opened)
    {
      report->duration = g_get_monotonic_time () - start;
      return g_steal_pointer (&report);
    }

  if (report->health->journal_mode != NULL &&
      g_ascii_strcasecmp (report->health->journal_mode, "wal") != 0)
    {
      g_autofree char *problem =
        g_strdup_printf (_("The database does not use write-ahead logging "
                           "(journal mode “%s”)."), report->health->journal_mode);

      pqs_diagnostics_report_append_problem (report, problem);
    }
  if (!report->health->foreign_keys)
    pqs_diagnostics_report_append_problem (report, _("Foreign keys are not enforced on this connection."));

  watch_cancellable (store, cancellable);
  done = check_integrity (store, report, cancellable, error) &&
         check_foreign_keys (store, report, cancellable, error) &&
         pqs_diagnostics_run_fts_check (store, report, cancellable, error) &&
         collect_tables (store, report, cancellable, error);
  unwatch_cancellable (store, cancellable);
  if (!done)
    return NULL;

  check_migrations (store, report);
  report->duration = g_get_monotonic_time () - start;

  return g_steal_pointer (&report);
}

static gboolean
wal_checkpoint (PqsStore              *store,
                PqsMaintenanceReport  *report,
                GError               **error)
{
  sqlite3 *db = pqs_store_get_handle (store);
  int log_frames = -1;
  int checkpointed = -1;
  int rc;

  /* TRUNCATE resets the log and then reports 0 frames; a PASSIVE pass first
   * says how many there were. */
  rc = sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_PASSIVE, &log_frames,
                                  &checkpointed);
  if (rc == SQLITE_OK)
    rc = sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  report->wal_frames = log_frames;
  report->checkpointed_frames = rc == SQLITE_OK ? log_frames : checkpointed;
  report->wal_size_after = wal_size (store);

  if ((rc & 0xff) == SQLITE_BUSY)
    {
      g_set_error_literal (error, PQS_DIAGNOSTICS_ERROR, PQS_DIAGNOSTICS_ERROR_BUSY,
                           _("The write-ahead log could not be folded into the database: "
                             "another program is using it. Try again when it is idle."));
      return FALSE;
    }
  if (rc != SQLITE_OK)
    return pqs_store_set_error_from_sqlite (error, db, rc,
                                            _("Cannot fold the write-ahead log into the "
                                              "database"));

  return TRUE;
}

static gboolean
logical_size (PqsStore  *store,
              gint64    *out_size,
              GError   **error)
{
  gint64 page_size = 0;
  gint64 page_count = 0;

  if (!query_int64 (store, "PRAGMA page_size", &page_size, error) ||
      !query_int64 (store, "PRAGMA page_count", &page_count, error))
    return FALSE;

  *out_size = page_size * page_count;
  return TRUE;
}

gboolean
pqs_diagnostics_ensure_autocommit (PqsStore  *store,
                   GError   **error)
{
  if (!pqs_store_is_open (store))
    {
      g_set_error_literal (error, PQS_STORE_ERROR, PQS_STORE_ERROR_CLOSED,
                           _("The database is closed."));
      return FALSE;
    }
  if (pqs_store_in_transaction (store))
    {
      g_set_error_literal (error, PQS_DIAGNOSTICS_ERROR, PQS_DIAGNOSTICS_ERROR_BUSY,
                           _("Database maintenance cannot run inside a transaction."));
      return FALSE;
    }

  return TRUE;
}

PqsMaintenanceReport *
pqs_diagnostics_run_checkpoint (PqsStore  *store,
                GError   **error)
{
  g_autoptr(PqsMaintenanceReport) report = pqs_maintenance_report_new ("checkpoint");
  gint64 start = g_get_monotonic_time ();

  if (!pqs_diagnostics_ensure_autocommit (store, error) ||
      !logical_size (store, &report->size_before, error) ||
      !wal_checkpoint (store, report, error))
    return NULL;

  report->size_after = file_size (pqs_store_get_path (store));
  report->ok = TRUE;
  report->duration = g_get_monotonic_time () - start;

  return g_steal_pointer (&report);
}

PqsMaintenanceReport *
pqs_diagnostics_run_optimize (PqsStore      *store,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(PqsMaintenanceReport) report = pqs_maintenance_report_new ("optimize");
  g_autoptr(GError) local_error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean done;

  if (!pqs_diagnostics_ensure_autocommit (store, error) ||
      !logical_size (store, &report->size_before, error))
    return NULL;

  watch_cancellable (store, cancellable);
  done = for_each_row (store, "PRAGMA optimize", NULL, NULL, cancellable, error) &&
         for_each_row (store, "ANALYZE", NULL, NULL, cancellable, error) &&
         for_each_row (store, "VACUUM", NULL, NULL, cancellable, error);
  unwatch_cancellable (store, cancellable);
  if (!done)
    return NULL;

  /* VACUUM writes the new file through the log: fold it in so that the file
   * really shrinks. Readers elsewhere may delay that; the space is saved anyway. */
  if (!logical_size (store, &report->size_after, error))
    return NULL;
  if (!wal_checkpoint (store, report, &local_error))
    g_debug ("Checkpoint after VACUUM: %s", local_error->message);

  report->ok = TRUE;
  report->duration = g_get_monotonic_time () - start;

  return g_steal_pointer (&report);
}

typedef struct
{
  GPtrArray    *tables;
  const char   *command;
  GCancellable *cancellable;
} FtsWork;

static gboolean
fts_transaction_cb (PqsStore  *store,
                    gpointer   user_data,
                    GError   **error)
{
  FtsWork *work = user_data;

  for (guint i = 0; i < work->tables->len; i++)
    if (!fts_command (store, g_ptr_array_index (work->tables, i), work->command,
                      work->cancellable, error))
      return FALSE;

  return TRUE;
}

PqsMaintenanceReport *
pqs_diagnostics_run_fts_command (PqsStore      *store,
                 const char    *command,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(PqsMaintenanceReport) report = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  gint64 start = g_get_monotonic_time ();
  FtsWork work = { NULL, command, cancellable };
  gboolean done;

  report = pqs_maintenance_report_new (g_str_equal (command, "rebuild") ? "rebuild-fts"
                                                                    : "optimize-fts");

  if (!pqs_diagnostics_ensure_autocommit (store, error) ||
      !logical_size (store, &report->size_before, error))
    return NULL;

  tables = list_fts_tables (store, error);
  if (tables == NULL)
    return NULL;

  work.tables = tables;
  watch_cancellable (store, cancellable);
  done = pqs_store_transaction (store, fts_transaction_cb, &work, error);
  unwatch_cancellable (store, cancellable);
  if (!done || !logical_size (store, &report->size_after, error))
    return NULL;

  report->ok = TRUE;
  report->duration = g_get_monotonic_time () - start;

  return g_steal_pointer (&report);
}
