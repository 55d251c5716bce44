/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the diagnostics sources only: the result types' fields, which
 * the checks fill in, and the checks themselves. */

#include "pqs-diagnostics.h"

G_BEGIN_DECLS

#define RO_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static inline GParamSpec *
int64_pspec (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, -1, G_MAXINT64, 0, RO_FLAGS);
}

static inline void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static inline void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static inline void
add_boolean (JsonBuilder *builder,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static inline void
add_strv (JsonBuilder *builder,
          const char  *name,
          GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static inline GPtrArray *
strv_array_new (void)
{
  /* Reserving room allocates pdata, so that an empty array is an empty strv. */
  return g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

typedef struct
{
  char   *table;
  gint64  rowid;        /* -1 for a WITHOUT ROWID table */
  char   *parent;
  char   *column;
} Violation;

typedef struct
{
  char     *table;
  gboolean  ok;
  char     *message;
} FtsResult;

struct _PqsHealthReport
{
  GObject   parent_instance;

  char     *path;
  gboolean  opened;
  gint64    response_time;    /* µs */
  char     *journal_mode;
  gboolean  foreign_keys;
  int       busy_timeout;     /* ms */
  gint64    wal_size;
  gint64    page_size;
  gint64    page_count;
  gint64    freelist_count;
  gint64    file_size;
  guint     schema_version;
};

struct _PqsTableStats
{
  GObject  parent_instance;

  char    *name;
  char    *kind;          /* "table", "fts", "fts-shadow", "internal" */
  gint64   row_count;     /* -1 when not counted or unreadable */
  guint    index_count;
};

struct _PqsDiagnosticsReport
{
  GObject          parent_instance;

  PqsCheckLevel    level;
  GPtrArray       *problems;             /* NULL-terminated strings */
  PqsHealthReport *health;
  gboolean         integrity_ok;
  GPtrArray       *integrity_messages;   /* NULL-terminated strings */
  gboolean         foreign_keys_ok;
  guint            n_violations;
  GArray          *violations;           /* Violation, the first ones */
  gboolean         fts_ok;
  GArray          *fts;                  /* FtsResult */
  gboolean         migrations_ok;
  guint            latest_version;
  guint            pending_migrations;
  GListStore      *tables;               /* PqsTableStats */
  gint64           duration;             /* µs */
};

struct _PqsMaintenanceReport
{
  GObject   parent_instance;

  char     *operation;
  gboolean  ok;
  gint64    size_before;
  gint64    size_after;
  gint64    wal_frames;
  gint64    checkpointed_frames;
  gint64    wal_size_after;
  gint64    duration;
};

struct _PqsSlowQuery
{
  GObject    parent_instance;

  char      *sql;
  char      *expanded_sql;
  gint64     duration;    /* µs */
  GDateTime *time;
};

void                  pqs_violation_clear                  (gpointer data);
void                  pqs_fts_result_clear                 (gpointer data);
void                  pqs_diagnostics_report_append_problem (PqsDiagnosticsReport *self,
                                                             const char           *problem);
PqsMaintenanceReport *pqs_maintenance_report_new           (const char           *operation);

void                  pqs_diagnostics_read_health          (PqsStore             *store,
                                                            PqsHealthReport      *health,
                                                            PqsDiagnosticsReport *report);
gboolean              pqs_diagnostics_ensure_autocommit    (PqsStore             *store,
                                                            GError              **error);
gboolean              pqs_diagnostics_run_fts_check        (PqsStore             *store,
                                                            PqsDiagnosticsReport *report,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
PqsDiagnosticsReport *pqs_diagnostics_run_check            (PqsStore             *store,
                                                            PqsCheckLevel         level,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
PqsMaintenanceReport *pqs_diagnostics_run_checkpoint       (PqsStore             *store,
                                                            GError              **error);
PqsMaintenanceReport *pqs_diagnostics_run_optimize         (PqsStore             *store,
                                                            GCancellable         *cancellable,
                                                            GError              **error);
PqsMaintenanceReport *pqs_diagnostics_run_fts_command      (PqsStore             *store,
                                                            const char           *command,
                                                            GCancellable         *cancellable,
                                                            GError              **error);

G_END_DECLS
