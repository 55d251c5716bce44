/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-audit-log-view.h"
#include "pqs-auth.h"
#include "pqs-backup-service.h"
#include "pqs-backups-page.h"
#include "pqs-diagnostics.h"
#include "pqs-migrator.h"
#include "pqs-session.h"
#include "pqs-settings.h"
#include "pqs-store.h"
#include "pqs-system-view.h"
#include "pqs-user.h"

/**
 * PqsSystemView:
 *
 * The state of the database, for supervisors and administrators: an
 * overview (file, size, schema, integrity, backups, table statistics), the
 * migrations with their checksums, backups (#PqsBackupsPage), diagnostics
 * (check, checkpoint, optimize, slow queries) and the audit log
 * (#PqsAuditLogView). Supervisors read; administrators also back up,
 * restore, migrate and maintain.
 *
 * Nothing is read until the view is first shown: a session that never
 * opens System costs nothing, not even the quick check that fills the
 * overview's table statistics.
 *
 * Signals: "add-toast" (#AdwToast) for results, "database-replaced" after a
 * restore or a migration, so that other views read the database again.
 */

typedef enum
{
  DIAG_NONE,
  DIAG_QUICK_CHECK,   /* started by the view itself, for the overview */
  DIAG_CHECK,
  DIAG_CHECKPOINT,
  DIAG_OPTIMIZE,
  DIAG_MIGRATE,
} DiagJob;

struct _PqsSystemView
{
  GtkWidget             parent_instance;

  /* Template children */
  AdwHeaderBar         *header_bar;
  GtkButton            *back_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkStack             *main_stack;
  AdwViewStack         *stack;
  AdwViewStackPage     *overview_stack_page;
  AdwViewStackPage     *migrations_stack_page;
  AdwViewStackPage     *backups_stack_page;
  AdwViewStackPage     *diagnostics_stack_page;
  AdwViewStackPage     *audit_stack_page;
  AdwActionRow         *path_row;
  GtkLabel             *size_label;
  GtkLabel             *schema_label;
  GtkLabel             *journal_label;
  GtkLabel             *sqlite_label;
  AdwActionRow         *integrity_row;
  GtkImage             *integrity_icon;
  GtkSpinner           *integrity_spinner;
  AdwActionRow         *last_backup_row;
  AdwActionRow         *schedule_row;
  AdwPreferencesGroup  *tables_group;
  GtkListBox           *tables_list;
  AdwPreferencesGroup  *migrations_group;
  GtkButton            *migrate_button;
  GtkListBox           *migrations_list;
  GtkLabel             *migrations_error_label;
  PqsBackupsPage       *backups_page;
  AdwPreferencesGroup  *check_group;
  GtkBox               *check_progress_box;
  GtkProgressBar       *check_progress;
  GtkListBox           *results_list;
  GtkLabel             *diagnostics_error_label;
  AdwPreferencesGroup  *maintenance_group;
  GtkBox               *maintenance_progress_box;
  GtkProgressBar       *maintenance_progress;
  AdwPreferencesGroup  *slow_group;
  GtkButton            *clear_slow_button;
  GtkSwitch            *record_slow_switch;
  GtkListBox           *slow_list;
  PqsAuditLogView      *audit_view;

  PqsSession           *session;
  PqsStore             *store;
  PqsDiagnostics       *diagnostics;
  PqsBackupService     *backup_service;
  GSettings            *settings;       /* NULL without the schema */

  DiagJob               job;
  GCancellable         *cancellable;
  guint                 pulse_id;
  guint                 pending_migrations;
  guint                 latest_version;
  GDateTime            *last_check;
  gboolean              needs_refresh;
  gboolean              children_bound;
  gboolean              full_check_shown;
  gboolean              show_back;
};

G_DEFINE_FINAL_TYPE (PqsSystemView, pqs_system_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_BACK,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  DATABASE_REPLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_quick_check (PqsSystemView *self);

static void
add_toast (PqsSystemView *self,
           const char    *title)
{
  AdwToast *toast = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static void
child_add_toast_cb (PqsSystemView *self,
                    AdwToast      *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static PqsUser *
current_user (PqsSystemView *self)
{
  return self->session != NULL ? pqs_session_get_user (self->session) : NULL;
}

static gboolean
allows (PqsSystemView *self,
        PqsAction      action)
{
  PqsUser *user = current_user (self);

  return user != NULL && self->store != NULL && pqs_auth_allows (user, action, NULL);
}

static void
show_label_error (GtkLabel   *label,
                  const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static char *
format_local (GDateTime  *time,
              const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;
  local = g_date_time_to_local (time);
  return g_date_time_format (local, format);
}

static char *
format_iso (const char *iso8601)
{
  g_autoptr(GDateTime) time = iso8601 != NULL ? pqs_store_parse_time (iso8601) : NULL;

  /* Translators: a date and time in the System view; see g_date_time_format(). */
  return format_local (time, _("%Y-%m-%d %H:%M"));
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* A row with a title and a value on its end. */
static GtkWidget *
value_row_new (const char *title,
               const char *subtitle,
               const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  if (value != NULL)
    {
      GtkWidget *label = gtk_label_new (value);

      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  return row;
}

static GtkWidget *
status_icon_new (gboolean good)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (good ? "emblem-ok-symbolic"
                                                       : "dialog-warning-symbolic");

  gtk_widget_add_css_class (icon, good ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, good ? _("Good") : _("Problem"),
                                  -1);
  return icon;
}

/* Permissions --------------------------------------------------------------- */

static void
update_switcher_bar (PqsSystemView *self)
{
  gboolean content = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack),
                                "content") == 0;

  gboolean narrow = adw_view_switcher_title_get_title_visible (self->switcher_title);

  adw_view_switcher_bar_set_reveal (self->switcher_bar, content && narrow);
}

static void
update_actions (PqsSystemView *self)
{
  gboolean idle = self->job == DIAG_NONE || self->job == DIAG_QUICK_CHECK;
  gboolean read = allows (self, PQS_ACTION_READ_SYSTEM);
  gboolean maintain = allows (self, PQS_ACTION_MAINTAIN);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.refresh", read);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.check", read && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.cancel",
                                 self->job != DIAG_NONE && self->job != DIAG_MIGRATE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.checkpoint", maintain && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.optimize", maintain && idle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.clear-slow-queries", maintain);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.migrate",
                                 allows (self, PQS_ACTION_MIGRATE) && idle &&
                                 self->pending_migrations > 0);
}

static void
update_permissions (PqsSystemView *self)
{
  gboolean read = allows (self, PQS_ACTION_READ_SYSTEM);

  gtk_stack_set_visible_child_name (self->main_stack, read ? "content" : "denied");
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, read);

  adw_view_stack_page_set_visible (self->overview_stack_page, read);
  adw_view_stack_page_set_visible (self->diagnostics_stack_page, read);
  adw_view_stack_page_set_visible (self->audit_stack_page, read);
  adw_view_stack_page_set_visible (self->migrations_stack_page,
                                   allows (self, PQS_ACTION_MIGRATE));
  adw_view_stack_page_set_visible (self->backups_stack_page,
                                   allows (self, PQS_ACTION_MANAGE_BACKUPS));
  gtk_widget_set_visible (GTK_WIDGET (self->maintenance_group),
                          allows (self, PQS_ACTION_MAINTAIN));
  gtk_widget_set_visible (GTK_WIDGET (self->migrate_button),
                          allows (self, PQS_ACTION_MIGRATE) && self->pending_migrations > 0);

  if (read && !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->stack,
                                                  adw_view_stack_get_visible_child (self->stack))))
    adw_view_stack_set_visible_child_name (self->stack, "overview");

  update_switcher_bar (self);
  update_actions (self);
}

/* Overview ------------------------------------------------------------------- */

static void
update_integrity (PqsSystemView *self)
{
  PqsDiagnosticsReport *report = NULL;
  gboolean checking = self->job == DIAG_QUICK_CHECK || self->job == DIAG_CHECK;
  g_autofree char *subtitle = NULL;
  const char *icon = "content-loading-symbolic";
  const char *style = NULL;

  if (self->diagnostics != NULL)
    report = pqs_diagnostics_get_last_report (self->diagnostics);

  gtk_widget_set_visible (GTK_WIDGET (self->integrity_spinner), checking);
  gtk_spinner_set_spinning (self->integrity_spinner, checking);

  if (report == NULL)
    {
      subtitle = g_strdup (checking ? _("Checking…") : _("Not checked yet"));
    }
  else
    {
      gboolean full = pqs_diagnostics_report_get_level (report) == PQS_CHECK_FULL;
      /* Translators: when the last check ran; see g_date_time_format(). */
      g_autofree char *when = format_local (self->last_check, _("%H:%M"));

      if (pqs_diagnostics_report_get_ok (report))
        {
          icon = "emblem-ok-symbolic";
          style = "success";
          subtitle = g_strdup_printf (full ? _("No problems found by the full check at %s")
                                           : _("No problems found by the quick check at %s"),
                                      when != NULL ? when : "");
        }
      else
        {
          const char * const *problems = pqs_diagnostics_report_get_problems (report);

          icon = "dialog-warning-symbolic";
          style = "error";
          /* Translators: %s is the first problem a check found, a sentence. */
          subtitle = g_strdup_printf (_("Problems found: %s See Diagnostics."),
                                      problems != NULL && problems[0] != NULL
                                        ? problems[0] : "");
        }
    }

  adw_action_row_set_subtitle (self->integrity_row, subtitle);
  gtk_image_set_from_icon_name (self->integrity_icon, icon);
  gtk_widget_remove_css_class (GTK_WIDGET (self->integrity_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->integrity_icon), "error");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->integrity_icon), style);
}

static void
show_tables (PqsSystemView        *self,
             PqsDiagnosticsReport *report)
{
  GListModel *tables = report != NULL ? pqs_diagnostics_report_get_tables (report) : NULL;
  guint n = tables != NULL ? g_list_model_get_n_items (tables) : 0;
  guint shown = 0;

  clear_list (self->tables_list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PqsTableStats) stats = g_list_model_get_item (tables, i);
      const char *kind = pqs_table_stats_get_kind (stats);
      gint64 rows = pqs_table_stats_get_row_count (stats);
      g_autofree char *value = NULL;
      const char *subtitle = NULL;

      if (g_strcmp0 (kind, "table") != 0 && g_strcmp0 (kind, "fts") != 0)
        continue;

      if (rows >= 0)
        {
          char number[32];

          g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, rows);
          /* Translators: %s is a number of rows in a table. */
          value = g_strdup_printf (ngettext ("%s row", "%s rows", (gulong) rows), number);
        }
      else
        value = g_strdup (_("not counted"));
      if (g_strcmp0 (kind, "fts") == 0)
        subtitle = _("Full-text index");

      gtk_list_box_append (self->tables_list,
                           value_row_new (pqs_table_stats_get_name (stats), subtitle, value));
      shown++;
    }

  if (shown == 0)
    {
      GtkWidget *row = value_row_new (self->job == DIAG_QUICK_CHECK ? _("Counting…")
                                                                    : _("Not counted yet"),
                                      NULL, NULL);

      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->tables_list, row);
    }
}

static void
update_backup_summary (PqsSystemView *self)
{
  const PqsBackupInfo *last = pqs_backups_page_get_last_backup (self->backups_page);
  g_autofree char *schedule = pqs_backups_page_dup_schedule_summary (self->backups_page);

  if (last != NULL)
    {
      g_autofree char *made = format_iso (last->created_at);
      g_autofree char *size = g_format_size (MAX (last->size, 0));
      g_autofree char *subtitle = NULL;

      /* Translators: the last backup: when · how big. */
      subtitle = g_strdup_printf (_("%s · %s"), made != NULL ? made : "?", size);
      adw_action_row_set_subtitle (self->last_backup_row, subtitle);
    }
  else
    {
      adw_action_row_set_subtitle (self->last_backup_row, _("None yet"));
    }

  adw_action_row_set_subtitle (self->schedule_row, schedule);
}

static void
backups_changed_cb (PqsSystemView *self)
{
  update_backup_summary (self);
}

static void
refresh_health (PqsSystemView *self)
{
  g_autoptr(PqsHealthReport) health = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sizes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *schema = NULL;
  g_autofree char *size_text = NULL;
  guint version;
  gint64 unused;

  if (self->diagnostics == NULL)
    return;

  health = pqs_diagnostics_get_health (self->diagnostics, &error);
  if (health == NULL)
    {
      adw_action_row_set_subtitle (self->path_row, error->message);
      return;
    }

  adw_action_row_set_subtitle (self->path_row, pqs_health_report_get_path (health));

  g_ptr_array_add (sizes, g_format_size (MAX (pqs_health_report_get_file_size (health), 0)));
  if (pqs_health_report_get_wal_size (health) > 0)
    {
      g_autofree char *wal = g_format_size (pqs_health_report_get_wal_size (health));

      /* Translators: the size of the write-ahead log, e.g. "log 120 kB". */
      g_ptr_array_add (sizes, g_strdup_printf (_("log %s"), wal));
    }
  unused = pqs_health_report_get_freelist_count (health) * pqs_health_report_get_page_size (health);
  if (unused > 0)
    {
      g_autofree char *text = g_format_size (unused);

      /* Translators: space in the file that Optimize can free, e.g. "80 kB unused". */
      g_ptr_array_add (sizes, g_strdup_printf (_("%s unused"), text));
    }
  g_ptr_array_add (sizes, NULL);
  size_text = g_strjoinv (" · ", (char **) sizes->pdata);
  gtk_label_set_text (self->size_label, size_text);

  version = pqs_health_report_get_schema_version (health);
  if (self->latest_version > 0 && version > self->latest_version)
    /* Translators: %u is the schema version of the database. */
    schema = g_strdup_printf (_("%u, newer than this program"), version);
  else if (self->pending_migrations > 0)
    schema = g_strdup_printf (ngettext ("%u, %u update pending", "%u, %u updates pending",
                                        self->pending_migrations),
                              version, self->pending_migrations);
  else
    /* Translators: %u is the schema version of the database. */
    schema = g_strdup_printf (_("%u, up to date"), version);
  gtk_label_set_text (self->schema_label, schema);

  {
    const char *mode = pqs_health_report_get_journal_mode (health);
    g_autofree char *journal = g_ascii_strup (mode != NULL ? mode : "", -1);

    gtk_label_set_text (self->journal_label, journal);
  }
  gtk_label_set_text (self->sqlite_label, pqs_health_report_get_sqlite_version (health));
}

/* Migrations ------------------------------------------------------------------- */

static char *
migration_title (const PqsMigrationStatus *status)
{
  g_autofree char *name = g_strdup (status->name != NULL ? status->name : "");

  g_strdelimit (name, "_-", ' ');
  if (*name != '\0')
    name[0] = g_ascii_toupper (name[0]);
  return g_strdup_printf ("%03u  %s", status->version, name);
}

static GtkWidget *
migration_row_new (const PqsMigrationStatus *status)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = migration_title (status);
  g_autofree char *subtitle = NULL;
  const char *checksum = status->file_checksum != NULL ? status->file_checksum
                                                       : status->applied_checksum;
  const char *state = NULL;
  const char *style = NULL;
  GtkWidget *label;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  if (status->applied_at != NULL)
    {
      g_autofree char *when = format_iso (status->applied_at);

      if (status->applied_by != NULL && *status->applied_by != '\0')
        /* Translators: when a migration was applied, and by whom. */
        subtitle = g_strdup_printf (_("Applied %s by %s"), when != NULL ? when : "?",
                                    status->applied_by);
      else
        subtitle = g_strdup_printf (_("Applied %s"), when != NULL ? when : "?");
    }
  else
    {
      subtitle = g_strdup (_("Not applied yet"));
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  switch (status->state)
    {
    case PQS_MIGRATION_STATE_PENDING:
      state = _("Pending");
      style = "accent";
      break;
    case PQS_MIGRATION_STATE_APPLIED:
      state = _("Applied");
      style = "success";
      break;
    case PQS_MIGRATION_STATE_BASELINED:
      state = _("Baselined");
      style = "dim-label";
      break;
    case PQS_MIGRATION_STATE_CHECKSUM_MISMATCH:
      state = _("Checksum differs");
      style = "error";
      break;
    case PQS_MIGRATION_STATE_MISSING_FILE:
    default:
      state = _("File missing");
      style = "error";
      break;
    }

  if (checksum != NULL)
    {
      g_autofree char *tooltip = NULL;
      g_autofree char *shortened = g_strndup (checksum, 8);

      label = gtk_label_new (shortened);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      if (status->state == PQS_MIGRATION_STATE_CHECKSUM_MISMATCH)
        /* Translators: the two SHA-256 checksums of a migration that differ. */
        tooltip = g_strdup_printf (_("File: %s\nApplied: %s"),
                                   status->file_checksum, status->applied_checksum);
      else
        /* Translators: %s is a SHA-256 checksum. */
        tooltip = g_strdup_printf (_("Checksum: %s"), checksum);
      gtk_widget_set_tooltip_text (label, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }

  label = gtk_label_new (state);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, style);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static PqsMigrator *
new_migrator (PqsSystemView  *self,
              GError        **error)
{
  g_autoptr(PqsMigrator) migrator = pqs_migrator_new (self->store);

  if (!pqs_migrator_load (migrator, NULL, error))
    return NULL;
  return g_steal_pointer (&migrator);
}

static void
refresh_migrations (PqsSystemView *self)
{
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GPtrArray) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  guint applied = 0;

  clear_list (self->migrations_list);
  self->pending_migrations = 0;

  migrator = new_migrator (self, &error);
  if (migrator != NULL)
    status = pqs_migrator_status (migrator, &error);
  if (status == NULL)
    {
      show_label_error (self->migrations_error_label, error->message);
      adw_preferences_group_set_description (self->migrations_group, NULL);
      update_permissions (self);
      return;
    }

  self->latest_version = pqs_migrator_get_latest_version (migrator);
  for (guint i = 0; i < status->len; i++)
    {
      const PqsMigrationStatus *line = g_ptr_array_index (status, i);

      if (line->state == PQS_MIGRATION_STATE_PENDING)
        self->pending_migrations++;
      else
        applied++;
      gtk_list_box_append (self->migrations_list, migration_row_new (line));
    }

  if (self->pending_migrations > 0)
    description = g_strdup_printf (ngettext ("%u applied, %u waiting to be applied.",
                                             "%u applied, %u waiting to be applied.",
                                             self->pending_migrations),
                                   applied, self->pending_migrations);
  else
    description = g_strdup_printf (ngettext ("The %u migration is applied.",
                                             "All %u migrations are applied.", applied),
                                   applied);
  adw_preferences_group_set_description (self->migrations_group, description);
  show_label_error (self->migrations_error_label, NULL);
  update_permissions (self);
}

/* Diagnostics ------------------------------------------------------------------ */

typedef struct
{
  PqsSystemView *self;
  GCancellable  *cancellable;
} JobData;

static void
job_data_free (JobData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobData, job_data_free)

static GtkProgressBar *
job_progress (PqsSystemView *self)
{
  switch (self->job)
    {
    case DIAG_CHECK:
      return self->check_progress;
    case DIAG_CHECKPOINT:
    case DIAG_OPTIMIZE:
      return self->maintenance_progress;
    case DIAG_NONE:
    case DIAG_QUICK_CHECK:
    case DIAG_MIGRATE:
    default:
      return NULL;
    }
}

static gboolean
pulse_cb (gpointer user_data)
{
  PqsSystemView *self = user_data;
  GtkProgressBar *bar = job_progress (self);

  if (bar != NULL)
    gtk_progress_bar_pulse (bar);
  return G_SOURCE_CONTINUE;
}

/* The store's services report no fraction for these: the bar pulses. */
static JobData *
start_job (PqsSystemView *self,
           DiagJob        job,
           const char    *text)
{
  JobData *data;
  GtkProgressBar *bar;

  g_clear_object (&self->cancellable);
  self->job = job;
  self->cancellable = g_cancellable_new ();

  bar = job_progress (self);
  if (bar != NULL)
    {
      gtk_progress_bar_set_text (bar, text);
      gtk_progress_bar_set_fraction (bar, 0.0);
      gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (bar)), TRUE);
      if (self->pulse_id == 0)
        self->pulse_id = g_timeout_add (100, pulse_cb, self);
    }
  show_label_error (self->diagnostics_error_label, NULL);

  update_integrity (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  data = g_new0 (JobData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->cancellable);
  return data;
}

/* Whether @data's job is still the one running: a quick check replaced by a
 * full one comes back later, cancelled, and is ignored. */
static gboolean
job_is_current (JobData *data)
{
  return data->self->check_progress != NULL && data->cancellable == data->self->cancellable;
}

static void
end_job (PqsSystemView *self)
{
  self->job = DIAG_NONE;
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->check_progress_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->maintenance_progress_box), FALSE);

  update_integrity (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
add_result_row (PqsSystemView *self,
                const char    *title,
                const char    *subtitle,
                gboolean       good)
{
  GtkWidget *row = value_row_new (title, subtitle, NULL);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), status_icon_new (good));
  gtk_list_box_append (self->results_list, row);
}

static void
show_report (PqsSystemView        *self,
             PqsDiagnosticsReport *report)
{
  const char * const *problems = pqs_diagnostics_report_get_problems (report);
  const char * const *messages = pqs_diagnostics_report_get_integrity_messages (report);
  guint violations = pqs_diagnostics_report_get_foreign_key_violations (report);
  gboolean full = pqs_diagnostics_report_get_level (report) == PQS_CHECK_FULL;
  g_autofree char *integrity = NULL;
  g_autofree char *references = NULL;
  g_autofree char *when = NULL;
  g_autofree char *checked = NULL;
  gint64 duration = pqs_diagnostics_report_get_duration (report);
  g_autofree char *took = NULL;

  clear_list (self->results_list);

  if (pqs_diagnostics_report_get_integrity_ok (report))
    integrity = g_strdup (full ? _("Every page and index is sound")
                               : _("The file's structure is sound"));
  else if (messages != NULL && messages[0] != NULL)
    integrity = g_strjoinv ("\n", (char **) messages);
  else
    integrity = g_strdup (_("The check could not read the whole file"));
  add_result_row (self, _("Integrity"), integrity,
                  pqs_diagnostics_report_get_integrity_ok (report));

  if (violations == 0)
    references = g_strdup (_("Every reference between rows is valid"));
  else
    references = g_strdup_printf (ngettext ("%u row refers to a row that does not exist",
                                            "%u rows refer to rows that do not exist",
                                            violations), violations);
  add_result_row (self, _("Foreign Keys"), references, violations == 0);

  add_result_row (self, _("Full-Text Index"),
                  pqs_diagnostics_report_get_fts_ok (report)
                    ? _("In step with the documents")
                    : _("Out of step with the documents: search may miss or invent results"),
                  pqs_diagnostics_report_get_fts_ok (report));

  add_result_row (self, _("Migrations"),
                  pqs_diagnostics_report_get_migrations_ok (report)
                    ? _("The applied migrations match this program's")
                    : _("The applied migrations differ from this program's"),
                  pqs_diagnostics_report_get_migrations_ok (report));

  if (problems != NULL && problems[0] != NULL)
    {
      g_autofree char *all = g_strjoinv ("\n", (char **) problems);

      add_result_row (self, _("Problems"), all, FALSE);
    }

  if (duration < G_USEC_PER_SEC)
    /* Translators: how long a check took, in milliseconds. */
    took = g_strdup_printf (_("%u ms"), (guint) (duration / 1000));
  else
    /* Translators: how long a check took, in seconds. */
    took = g_strdup_printf (_("%.1f s"), duration / (double) G_USEC_PER_SEC);
  when = format_local (self->last_check, _("%H:%M"));
  /* Translators: "Full check at 14:03, took 1.2 s". */
  checked = g_strdup_printf (full ? _("Full check at %s, took %s")
                                  : _("Quick check at %s, took %s"),
                             when != NULL ? when : "", took);
  {
    GtkWidget *row = value_row_new (_("Checked"), checked, NULL);
    GtkWidget *icon = gtk_image_new_from_icon_name ("preferences-system-time-symbolic");

    gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("When"), -1);
    adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    gtk_list_box_append (self->results_list, row);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->results_list), TRUE);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JobData) data = user_data;
  PqsSystemView *self = data->self;
  g_autoptr(PqsDiagnosticsReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean quick;

  report = pqs_diagnostics_check_finish (PQS_DIAGNOSTICS (object), result, &error);
  if (!job_is_current (data))
    return;

  quick = self->job == DIAG_QUICK_CHECK;
  if (report != NULL)
    {
      g_clear_pointer (&self->last_check, g_date_time_unref);
      self->last_check = g_date_time_new_now_local ();
    }
  end_job (self);

  if (report != NULL)
    {
      /* The Checks page keeps the full check someone ran over later quick ones. */
      if (!quick || !self->full_check_shown)
        show_report (self, report);
      self->full_check_shown |= !quick;
      show_tables (self, report);
      if (!quick)
        add_toast (self, pqs_diagnostics_report_get_ok (report) ? _("Check finished: no problems")
                                                                : _("The check found problems"));
    }
  else if (g_cancellable_is_cancelled (data->cancellable))
    {
      show_tables (self, pqs_diagnostics_get_last_report (PQS_DIAGNOSTICS (object)));
      if (!quick)
        add_toast (self, _("Check cancelled"));
    }
  else
    {
      show_tables (self, NULL);
      show_label_error (self->diagnostics_error_label, error->message);
    }
}

static void
start_quick_check (PqsSystemView *self)
{
  if (self->diagnostics == NULL || self->job != DIAG_NONE)
    return;

  pqs_diagnostics_check_async (self->diagnostics, PQS_CHECK_QUICK, NULL, check_cb,
                               start_job (self, DIAG_QUICK_CHECK, NULL));
  show_tables (self, pqs_diagnostics_get_last_report (self->diagnostics));
}

static gboolean
check_maintain (PqsSystemView *self,
                PqsAction      action)
{
  g_autoptr(GError) error = NULL;

  if (self->diagnostics == NULL)
    return FALSE;
  if (pqs_auth_check (current_user (self), action, NULL, &error))
    return TRUE;

  show_label_error (self->diagnostics_error_label, error->message);
  return FALSE;
}

static void
check_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);
  JobData *data;

  if (!check_maintain (self, PQS_ACTION_READ_SYSTEM))
    return;

  /* The check the person asked for replaces the overview's quick one. */
  if (self->job == DIAG_QUICK_CHECK)
    g_cancellable_cancel (self->cancellable);
  else if (self->job != DIAG_NONE)
    return;

  data = start_job (self, DIAG_CHECK, _("Checking the database…"));
  pqs_diagnostics_check_async (self->diagnostics, PQS_CHECK_FULL, data->cancellable, check_cb,
                               data);
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);
  GtkProgressBar *bar = job_progress (self);

  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  if (bar != NULL)
    gtk_progress_bar_set_text (bar, _("Cancelling…"));
}

static void
checkpoint_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobData) data = user_data;
  PqsSystemView *self = data->self;
  g_autoptr(PqsMaintenanceReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = pqs_diagnostics_checkpoint_finish (PQS_DIAGNOSTICS (object), result, &error);
  if (!job_is_current (data))
    return;

  end_job (self);
  refresh_health (self);

  if (report != NULL)
    {
      gint64 frames = MAX (pqs_maintenance_report_get_checkpointed_frames (report), 0);
      g_autofree char *title = NULL;
      char number[32];

      g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, frames);
      if (frames > 0)
        /* Translators: %s is a number of database pages. */
        title = g_strdup_printf (ngettext ("%s page written into the database file",
                                           "%s pages written into the database file",
                                           (gulong) frames), number);
      else
        title = g_strdup (_("The write-ahead log was already empty"));
      add_toast (self, title);
    }
  else if (g_cancellable_is_cancelled (data->cancellable))
    add_toast (self, _("Checkpoint cancelled"));
  else
    show_label_error (self->diagnostics_error_label, error->message);
}

static void
checkpoint_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);
  JobData *data;

  if (self->job != DIAG_NONE || !check_maintain (self, PQS_ACTION_MAINTAIN))
    return;

  data = start_job (self, DIAG_CHECKPOINT, _("Folding the write-ahead log into the file…"));
  pqs_diagnostics_checkpoint_async (self->diagnostics, data->cancellable, checkpoint_cb, data);
}

static void
optimize_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(JobData) data = user_data;
  PqsSystemView *self = data->self;
  g_autoptr(PqsMaintenanceReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = pqs_diagnostics_optimize_finish (PQS_DIAGNOSTICS (object), result, &error);
  if (!job_is_current (data))
    return;

  end_job (self);
  refresh_health (self);

  if (report != NULL)
    {
      gint64 saved = pqs_maintenance_report_get_bytes_saved (report);
      g_autofree char *title = NULL;

      if (saved > 0)
        {
          g_autofree char *size = g_format_size (saved);

          /* Translators: %s is an amount of disk space, e.g. "1.2 MB". */
          title = g_strdup_printf (_("Optimized: %s saved"), size);
        }
      else
        {
          title = g_strdup (_("Optimized: there was no unused space to free"));
        }
      add_toast (self, title);
    }
  else if (g_cancellable_is_cancelled (data->cancellable))
    add_toast (self, _("Optimizing cancelled; nothing was changed"));
  else
    show_label_error (self->diagnostics_error_label, error->message);
}

static void
optimize_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);
  JobData *data;

  if (self->job != DIAG_NONE || !check_maintain (self, PQS_ACTION_MAINTAIN))
    return;

  data = start_job (self, DIAG_OPTIMIZE, _("Rewriting the database file…"));
  pqs_diagnostics_optimize_async (self->diagnostics, data->cancellable, optimize_cb, data);
}

static void
refresh_slow_queries (PqsSystemView *self)
{
  g_autoptr(GListModel) queries = NULL;
  g_autofree char *description = NULL;
  guint n;

  clear_list (self->slow_list);
  if (self->diagnostics == NULL)
    return;

  if (gtk_switch_get_active (self->record_slow_switch))
    /* Translators: %u is a number of milliseconds. */
    description = g_strdup_printf (_("Statements that took %u ms or more since you signed in, "
                                     "newest first."),
                                   pqs_diagnostics_get_slow_query_threshold (self->diagnostics));
  else
    /* Translators: %u is a number of milliseconds. */
    description = g_strdup_printf (_("Turn recording on to list the statements that take %u ms "
                                     "or more."),
                                   pqs_diagnostics_get_slow_query_threshold (self->diagnostics));
  adw_preferences_group_set_description (self->slow_group, description);

  queries = pqs_diagnostics_dup_slow_queries (self->diagnostics);
  n = queries != NULL ? g_list_model_get_n_items (queries) : 0;
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(PqsSlowQuery) query = g_list_model_get_item (queries, i - 1);
      g_autofree char *when = format_local (pqs_slow_query_get_time (query), _("%H:%M:%S"));
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      /* Translators: how long a statement took, in milliseconds, and when. */
      subtitle = g_strdup_printf (_("%.1f ms at %s"),
                                  pqs_slow_query_get_duration (query) / 1000.0,
                                  when != NULL ? when : "");
      row = value_row_new (pqs_slow_query_get_sql (query), subtitle, NULL);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_set_tooltip_text (row, pqs_slow_query_get_expanded_sql (query));
      gtk_list_box_append (self->slow_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->clear_slow_button), n > 0);
  if (n == 0)
    {
      GtkWidget *row = value_row_new (_("None so far"), NULL, NULL);

      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->slow_list, row);
    }
}

/* Timing every statement has a cost (sqlite3_trace_v2 on the connection the
 * whole window uses), so the log runs only while the switch is on. */
static void
update_slow_query_log (PqsSystemView *self)
{
  if (self->diagnostics == NULL)
    return;

  if (gtk_switch_get_active (self->record_slow_switch) && pqs_store_is_open (self->store))
    pqs_diagnostics_install_slow_query_log (self->diagnostics, self->store);
  else
    pqs_diagnostics_remove_slow_query_log (self->diagnostics);
}

static void
record_slow_cb (PqsSystemView *self)
{
  update_slow_query_log (self);
  refresh_slow_queries (self);
}

static void
clear_slow_queries_action_cb (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);

  if (self->diagnostics == NULL)
    return;
  pqs_diagnostics_clear_slow_queries (self->diagnostics);
  refresh_slow_queries (self);
}

/* Migrate -------------------------------------------------------------------------- */

static void
migrate_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(JobData) data = user_data;
  PqsSystemView *self = data->self;
  g_autoptr(GError) error = NULL;
  guint applied = 0;
  gboolean ok;

  ok = pqs_migrator_migrate_finish (PQS_MIGRATOR (object), result, &applied, &error);
  if (!job_is_current (data))
    return;

  end_job (self);
  pqs_system_view_refresh (self);

  if (ok)
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u migration applied",
                                                         "%u migrations applied", applied),
                                               applied);
      add_toast (self, title);
      g_signal_emit (self, signals[DATABASE_REPLACED], 0);
    }
  else
    {
      show_label_error (self->migrations_error_label, error->message);
    }
}

static void
migrate_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(GError) error = NULL;
  JobData *data;

  if (self->job != DIAG_NONE || self->store == NULL)
    return;

  if (!pqs_auth_check (current_user (self), PQS_ACTION_MIGRATE, NULL, &error) ||
      (migrator = new_migrator (self, &error)) == NULL)
    {
      show_label_error (self->migrations_error_label, error->message);
      return;
    }

  pqs_migrator_set_applied_by (migrator, pqs_user_get_username (current_user (self)));
  if (self->backup_service != NULL)
    pqs_migrator_set_backup_dir (migrator,
                                 pqs_backup_service_get_backup_dir (self->backup_service));

  data = start_job (self, DIAG_MIGRATE, NULL);
  pqs_migrator_migrate_async (migrator, data->cancellable, migrate_cb, data);
}

/* Refreshing --------------------------------------------------------------------- */

/* The pages get the session (and read) only when the view is shown. */
static void
bind_children (PqsSystemView *self)
{
  gboolean read = allows (self, PQS_ACTION_READ_SYSTEM);

  if (self->children_bound)
    return;
  self->children_bound = TRUE;

  if (read && self->backup_service == NULL)
    self->backup_service = pqs_backup_service_new (self->store, NULL);
  pqs_backups_page_set_session (self->backups_page, read ? self->session : NULL,
                                read ? self->backup_service : NULL);
  pqs_audit_log_view_set_session (self->audit_view, read ? self->session : NULL);
}

/**
 * pqs_system_view_refresh:
 * @self: a #PqsSystemView
 *
 * Reads everything again: health, migrations, backups, the audit log and
 * the slow queries, and starts a quick check for the overview.
 */
void
pqs_system_view_refresh (PqsSystemView *self)
{
  g_return_if_fail (PQS_IS_SYSTEM_VIEW (self));

  gboolean fresh = !self->children_bound;

  self->needs_refresh = FALSE;
  bind_children (self);
  if (!allows (self, PQS_ACTION_READ_SYSTEM) || !pqs_store_is_open (self->store))
    return;

  refresh_migrations (self);
  refresh_health (self);
  pqs_backups_page_reload (self->backups_page);
  if (!fresh)
    pqs_audit_log_view_reload (self->audit_view);
  refresh_slow_queries (self);
  update_integrity (self);
  start_quick_check (self);
}

static void
refresh_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  pqs_system_view_refresh (PQS_SYSTEM_VIEW (widget));
}

/* The restore closed and reopened the store: a new connection to trace. */
static void
database_replaced_cb (PqsSystemView *self)
{
  update_slow_query_log (self);

  pqs_system_view_refresh (self);
  g_signal_emit (self, signals[DATABASE_REPLACED], 0);
}

static void
visible_page_cb (PqsSystemView *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  /* The slow-query log fills as people work: show what it holds now. */
  if (g_strcmp0 (name, "diagnostics") == 0 && !self->needs_refresh)
    refresh_slow_queries (self);
}

/* Public ---------------------------------------------------------------------------- */

PqsSystemView *
pqs_system_view_new (void)
{
  return g_object_new (PQS_TYPE_SYSTEM_VIEW, NULL);
}

PqsSession *
pqs_system_view_get_session (PqsSystemView *self)
{
  g_return_val_if_fail (PQS_IS_SYSTEM_VIEW (self), NULL);

  return self->session;
}

static void
clear_services (PqsSystemView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->diagnostics != NULL)
    pqs_diagnostics_remove_slow_query_log (self->diagnostics);
  g_clear_object (&self->diagnostics);
  g_clear_object (&self->backup_service);
  g_clear_object (&self->store);
  g_clear_pointer (&self->last_check, g_date_time_unref);
}

/**
 * pqs_system_view_set_session:
 * @self: a #PqsSystemView
 * @session: (nullable): who is signed in
 *
 * Shows the database of @session's store with what its user may see and
 * do. The database is read when the view is next shown.
 */
void
pqs_system_view_set_session (PqsSystemView *self,
                             PqsSession    *session)
{
  g_return_if_fail (PQS_IS_SYSTEM_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  clear_services (self);
  if (self->job != DIAG_NONE)
    end_job (self);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      self->store = g_object_ref (pqs_session_get_store (session));
      if (pqs_auth_allows (pqs_session_get_user (session), PQS_ACTION_READ_SYSTEM, NULL))
        {
          self->diagnostics = pqs_diagnostics_new (self->store);
          update_slow_query_log (self);
        }
    }

  self->pending_migrations = 0;
  self->children_bound = FALSE;
  self->full_check_shown = FALSE;
  self->needs_refresh = TRUE;
  clear_list (self->results_list);
  gtk_widget_set_visible (GTK_WIDGET (self->results_list), FALSE);
  show_label_error (self->diagnostics_error_label, NULL);
  show_label_error (self->migrations_error_label, NULL);
  adw_view_stack_set_visible_child_name (self->stack, "overview");
  update_permissions (self);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      pqs_system_view_refresh (self);
    }
  else
    {
      /* Nothing of the last session stays on the pages meanwhile. */
      pqs_backups_page_set_session (self->backups_page, NULL, NULL);
      pqs_audit_log_view_set_session (self->audit_view, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
pqs_system_view_get_show_back (PqsSystemView *self)
{
  g_return_val_if_fail (PQS_IS_SYSTEM_VIEW (self), FALSE);

  return self->show_back;
}

void
pqs_system_view_set_show_back (PqsSystemView *self,
                               gboolean       show_back)
{
  g_return_if_fail (PQS_IS_SYSTEM_VIEW (self));

  show_back = !!show_back;
  if (self->show_back == show_back)
    return;

  self->show_back = show_back;
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), show_back);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, show_back);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BACK]);
}

/**
 * pqs_system_view_get_busy:
 * @self: a #PqsSystemView
 *
 * Returns: whether a check, maintenance, migration, backup, verification,
 *   restore or chain verification is running
 */
gboolean
pqs_system_view_get_busy (PqsSystemView *self)
{
  g_return_val_if_fail (PQS_IS_SYSTEM_VIEW (self), FALSE);

  return self->job != DIAG_NONE ||
         pqs_backups_page_get_busy (self->backups_page) ||
         pqs_audit_log_view_get_busy (self->audit_view);
}

/* GObject ------------------------------------------------------------------------------- */

static void
pqs_system_view_map (GtkWidget *widget)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (widget);

  GTK_WIDGET_CLASS (pqs_system_view_parent_class)->map (widget);

  if (self->needs_refresh)
    pqs_system_view_refresh (self);
}

static void
pqs_system_view_dispose (GObject *object)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (object);
  GtkWidget *child;

  clear_services (self);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_SYSTEM_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (pqs_system_view_parent_class)->dispose (object);
}

static void
pqs_system_view_finalize (GObject *object)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pqs_system_view_parent_class)->finalize (object);
}

static void
pqs_system_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SHOW_BACK:
      g_value_set_boolean (value, self->show_back);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, pqs_system_view_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_system_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PqsSystemView *self = PQS_SYSTEM_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_system_view_set_session (self, g_value_get_object (value));
      break;

    case PROP_SHOW_BACK:
      pqs_system_view_set_show_back (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_system_view_class_init (PqsSystemViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_system_view_dispose;
  object_class->finalize = pqs_system_view_finalize;
  object_class->get_property = pqs_system_view_get_property;
  object_class->set_property = pqs_system_view_set_property;

  widget_class->map = pqs_system_view_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         PQS_TYPE_SESSION,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * PqsSystemView:show-back:
   *
   * Whether the header shows a back button (and the window buttons at its
   * start): the main view sets it while its leaflet is folded.
   */
  properties[PROP_SHOW_BACK] =
    g_param_spec_boolean ("show-back", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PqsSystemView::add-toast:
   * @self: the view
   * @toast: an #AdwToast with a result
   */
  signals[ADD_TOAST] =
    g_signal_new ("add-toast",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  /**
   * PqsSystemView::database-replaced:
   * @self: the view
   *
   * A restore or a migration changed the whole database: views that hold
   * what they read should read it again.
   */
  signals[DATABASE_REPLACED] =
    g_signal_new ("database-replaced",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-system-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, back_button);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, stack);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, overview_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, migrations_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, backups_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, diagnostics_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, audit_stack_page);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, path_row);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, size_label);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, schema_label);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, journal_label);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, sqlite_label);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, integrity_row);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, integrity_icon);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, integrity_spinner);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, last_backup_row);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, tables_group);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, tables_list);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, migrations_group);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, migrate_button);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, migrations_list);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, migrations_error_label);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, backups_page);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, check_group);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, check_progress_box);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, check_progress);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, results_list);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, diagnostics_error_label);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, maintenance_group);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, maintenance_progress_box);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, maintenance_progress);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, slow_group);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, clear_slow_button);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, record_slow_switch);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, slow_list);
  gtk_widget_class_bind_template_child (widget_class, PqsSystemView, audit_view);
  gtk_widget_class_bind_template_callback (widget_class, child_add_toast_cb);
  gtk_widget_class_bind_template_callback (widget_class, backups_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, database_replaced_cb);
  gtk_widget_class_bind_template_callback (widget_class, record_slow_cb);

  gtk_widget_class_install_action (widget_class, "system.refresh", NULL, refresh_action_cb);
  gtk_widget_class_install_action (widget_class, "system.check", NULL, check_action_cb);
  gtk_widget_class_install_action (widget_class, "system.cancel", NULL, cancel_action_cb);
  gtk_widget_class_install_action (widget_class, "system.checkpoint", NULL,
                                   checkpoint_action_cb);
  gtk_widget_class_install_action (widget_class, "system.optimize", NULL, optimize_action_cb);
  gtk_widget_class_install_action (widget_class, "system.migrate", NULL, migrate_action_cb);
  gtk_widget_class_install_action (widget_class, "system.clear-slow-queries", NULL,
                                   clear_slow_queries_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "system.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "system.refresh", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pqs_system_view_init (PqsSystemView *self)
{
  g_type_ensure (PQS_TYPE_BACKUPS_PAGE);
  g_type_ensure (PQS_TYPE_AUDIT_LOG_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (update_switcher_bar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (visible_page_cb), self, G_CONNECT_SWAPPED);

  self->settings = pqs_settings_new ();
  if (self->settings != NULL)
    g_settings_bind (self->settings, "record-slow-queries",
                     self->record_slow_switch, "active", G_SETTINGS_BIND_DEFAULT);

  update_permissions (self);
  update_integrity (self);
  show_tables (self, NULL);
  refresh_slow_queries (self);
}
