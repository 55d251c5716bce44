/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-backup-scheduler.h"
#include "pqs-backup-service.h"
#include "pqs-migrator.h"
#include "pqs-main-view.h"
#include "pqs-paths.h"
#include "pqs-session.h"
#include "pqs-review-view.h"
#include "pqs-sign-in-view.h"
#include "pqs-standards-view.h"
#include "pqs-user-directory.h"
#include "pqs-users-view.h"
#include "pqs-user.h"
#include "pqs-settings.h"
#include "pqs-store.h"
#include "pqs-system-view.h"
#include "pqs-templates-view.h"
#include "pqs-window.h"

struct _PqsWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  GtkMenuButton        *primary_menu_button;
  GtkStack             *stack;
  AdwStatusPage        *loading_page;
  AdwHeaderBar         *header_bar;
  AdwToastOverlay      *toast_overlay;
  PqsMainView          *main_view;
  AdwStatusPage        *error_page;
  GtkButton            *retry_button;
  PqsSignInView        *sign_in_view;
  GtkLabel             *user_label;

  GSettings            *settings;
  char                 *database_path;
  PqsStore             *store;
  /* Set while a migration runs; a finished migration that is no longer
   * ours (window closed or reloaded) is ignored. */
  PqsMigrator          *migrator;
  GCancellable         *cancellable;
  GApplication         *held_application;
  /* Scheduled backups run while the window has a ready database; they
   * start after the first frame (a missed backup is caught up at once). */
  PqsBackupScheduler   *backup_scheduler;
  gboolean              backup_scheduler_pending;

  PqsWindowState        state;
  guint                 schema_version;

  /* Who is signed in; NULL on the sign-in page. */
  PqsSession           *session;

  /* The workspace's views, built after the first frame. */
  gboolean              first_frame_done;
  gboolean              views_added;
  gulong                first_frame_id;
  guint                 views_idle_id;

  /* The first view, owned by main_view; its "map" handler while it waits
   * to take the focus. */
  GtkWidget            *standards_view;
  gulong                standards_map_id;
};

G_DEFINE_FINAL_TYPE (PqsWindow, pqs_window, ADW_TYPE_APPLICATION_WINDOW)

G_DEFINE_ENUM_TYPE (PqsWindowState, pqs_window_state,
  G_DEFINE_ENUM_VALUE (PQS_WINDOW_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (PQS_WINDOW_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (PQS_WINDOW_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_STATE,
  PROP_SCHEMA_VERSION,
  PROP_STORE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * pqs_window_new:
 * @application: (nullable): the application
 *
 * Creates a window on the default database (see pqs_paths_default_database()).
 * Opening and migrating start at once; watch #PqsWindow:state.
 *
 * Returns: (transfer full): a new #PqsWindow
 */
PqsWindow *
pqs_window_new (PqsApplication *application)
{
  g_return_val_if_fail (application == NULL || PQS_IS_APPLICATION (application), NULL);

  return g_object_new (PQS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
set_state (PqsWindow      *self,
           PqsWindowState  state)
{
  static const char * const pages[] = { "loading", "sign-in", "error" };

  g_assert (PQS_IS_WINDOW (self));
  g_assert (state < G_N_ELEMENTS (pages));

  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), TRUE);
  gtk_stack_set_visible_child_name (self->stack, pages[state]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload",
                                 state == PQS_WINDOW_STATE_FAILED);

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
release_application (PqsWindow *self)
{
  if (self->held_application != NULL)
    {
      g_application_release (self->held_application);
      g_clear_object (&self->held_application);
    }
}

static void
show_error (PqsWindow    *self,
            const char   *title,
            const GError *error)
{
  g_autofree char *description = NULL;
  g_autofree char *markup = NULL;

  g_assert (PQS_IS_WINDOW (self));
  g_assert (error != NULL);

  g_message ("%s: %s (%s)", title, error->message, self->database_path);

  if (strstr (error->message, self->database_path) != NULL)
    {
      markup = g_markup_escape_text (error->message, -1);
    }
  else
    {
      /* Translators: %s is the path of the database file. */
      description = g_strdup_printf (_("Database file: %s"), self->database_path);
      markup = g_markup_printf_escaped ("%s\n\n<small>%s</small>", error->message, description);
    }

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, markup);
  set_state (self, PQS_WINDOW_STATE_FAILED);
}

/* Sessions ----------------------------------------------------------------- */

static void
update_session_actions (PqsWindow *self)
{
  gboolean signed_in = self->session != NULL && pqs_session_get_active (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock",
                                 signed_in && !pqs_session_get_locked (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
}

static void
update_user_label (PqsWindow *self)
{
  g_autofree char *name = NULL;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->user_label), FALSE);
      return;
    }

  name = pqs_user_dup_display_name (pqs_session_get_user (self->session));
  gtk_label_set_text (self->user_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->user_label),
                               pqs_role_get_label (pqs_user_get_role (pqs_session_get_user (self->session))));
  gtk_widget_set_visible (GTK_WIDGET (self->user_label), TRUE);
}

static void add_views (PqsWindow *self);
static void start_backup_scheduler (PqsWindow *self);

/* The sign-in page needs none of the workspace's views: they are built once
 * the window has shown its first frame (or at once, when someone signs in
 * before that), which keeps them out of the launch. */
static void
ensure_views (PqsWindow *self)
{
  g_clear_handle_id (&self->views_idle_id, g_source_remove);
  if (self->views_added)
    return;

  self->views_added = TRUE;
  add_views (self);
}

static gboolean
add_views_idle_cb (gpointer user_data)
{
  PqsWindow *self = user_data;

  self->views_idle_id = 0;
  ensure_views (self);
  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (GdkFrameClock *frame_clock,
                PqsWindow     *self)
{
  g_clear_signal_handler (&self->first_frame_id, frame_clock);
  self->first_frame_done = TRUE;
  if (self->backup_scheduler_pending)
    start_backup_scheduler (self);
  if (!self->views_added && self->views_idle_id == 0)
    self->views_idle_id = g_idle_add_full (G_PRIORITY_LOW, add_views_idle_cb, self, NULL);
}

static void
pqs_window_map (GtkWidget *widget)
{
  PqsWindow *self = PQS_WINDOW (widget);

  GTK_WIDGET_CLASS (pqs_window_parent_class)->map (widget);

  if (!self->first_frame_done && self->first_frame_id == 0)
    self->first_frame_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                             G_CALLBACK (first_frame_cb), self);
}

static void
pqs_window_unmap (GtkWidget *widget)
{
  PqsWindow *self = PQS_WINDOW (widget);

  g_clear_signal_handler (&self->first_frame_id, gtk_widget_get_frame_clock (widget));

  GTK_WIDGET_CLASS (pqs_window_parent_class)->unmap (widget);
}

static void
set_session (PqsWindow  *self,
             PqsSession *session)
{
  if (self->session == session)
    return;

  if (session != NULL)
    ensure_views (self);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);

  pqs_sign_in_view_set_session (self->sign_in_view, session);
  pqs_main_view_set_session (self->main_view, session);
  update_user_label (self);
  update_session_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
show_page (PqsWindow  *self,
           const char *name)
{
  /* The workspace's panes bring their own header bars. */
  gtk_widget_set_visible (GTK_WIDGET (self->header_bar), g_strcmp0 (name, "workspace") != 0);
  if (self->standards_view != NULL)
    g_clear_signal_handler (&self->standards_map_id, self->standards_view);
  gtk_stack_set_visible_child_name (self->stack, name);
}

/* The sign-in page in the mode the database calls for. */
static void
show_sign_in (PqsWindow *self)
{
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(GError) error = NULL;
  gboolean needs_admin = FALSE;

  set_session (self, NULL);
  pqs_sign_in_view_set_store (self->sign_in_view, self->store);

  directory = pqs_user_directory_new (self->store);
  if (!pqs_user_directory_needs_first_admin (directory, &needs_admin, &error))
    {
      show_error (self, _("Could Not Read the Database"), error);
      return;
    }

  pqs_sign_in_view_set_mode (self->sign_in_view, needs_admin ? PQS_SIGN_IN_MODE_FIRST_ADMIN
                                                             : PQS_SIGN_IN_MODE_SIGN_IN);
  show_page (self, "sign-in");
  gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_view));
}

static void
standards_mapped_cb (PqsWindow *self)
{
  g_clear_signal_handler (&self->standards_map_id, self->standards_view);
  gtk_widget_grab_focus (self->standards_view);
}

/* Someone who starts typing in the standards searches them: the page switch
 * would give the focus to the workspace's first button (the Main Menu).
 * The view may map after the switch (a folded leaflet shows the sidebar
 * first): it takes the focus when it does. */
static void
focus_standards (PqsWindow *self)
{
  if (self->standards_view == NULL ||
      g_strcmp0 (pqs_main_view_get_visible_view (self->main_view), "standards") != 0)
    return;

  if (gtk_widget_get_mapped (self->standards_view))
    gtk_widget_grab_focus (self->standards_view);
  else
    self->standards_map_id = g_signal_connect_swapped (self->standards_view, "map",
                                                       G_CALLBACK (standards_mapped_cb), self);
}

static void
show_workspace (PqsWindow *self)
{
  show_page (self, "workspace");
  focus_standards (self);
}

static void
add_toast_cb (PqsWindow *self,
              AdwToast  *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

static void
session_locked_cb (PqsWindow  *self,
                   GParamSpec *pspec,
                   PqsSession *session)
{
  update_session_actions (self);

  if (pqs_session_get_locked (session))
    {
      pqs_sign_in_view_set_mode (self->sign_in_view, PQS_SIGN_IN_MODE_UNLOCK);
      show_page (self, "sign-in");
      gtk_widget_grab_focus (GTK_WIDGET (self->sign_in_view));
    }
}

static void
session_active_cb (PqsWindow  *self,
                   GParamSpec *pspec,
                   PqsSession *session)
{
  if (!pqs_session_get_active (session) && self->state == PQS_WINDOW_STATE_READY)
    show_sign_in (self);
}

static void
bind_idle_lock (PqsWindow *self)
{
  guint minutes = 15;

  if (self->settings != NULL)
    minutes = (guint) MAX (0, g_settings_get_int (self->settings, "idle-lock-minutes"));
  pqs_session_set_idle_timeout (self->session, minutes * 60);
}

static void
idle_lock_changed_cb (PqsWindow *self)
{
  if (self->session != NULL)
    bind_idle_lock (self);
}

static void
signed_in_cb (PqsWindow  *self,
              PqsSession *session)
{
  set_session (self, session);
  bind_idle_lock (self);
  /* A database that never had a backup is only backed up once somebody is
   * in it: the first administrator's sign-in is that moment. */
  if (self->backup_scheduler != NULL)
    pqs_backup_scheduler_check_now (self->backup_scheduler);
  g_signal_connect_object (session, "notify::locked", G_CALLBACK (session_locked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::active", G_CALLBACK (session_active_cb), self,
                           G_CONNECT_SWAPPED);

  if (pqs_session_get_password_change_required (session))
    {
      pqs_sign_in_view_set_mode (self->sign_in_view, PQS_SIGN_IN_MODE_CHANGE_PASSWORD);
      return;
    }

  show_workspace (self);
}

static void
unlocked_cb (PqsWindow *self)
{
  update_session_actions (self);
  show_workspace (self);
}

static void
password_changed_cb (PqsWindow *self)
{
  update_user_label (self);
  show_workspace (self);
}

static void
sign_out (PqsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsSession) session = NULL;

  if (self->session == NULL)
    return;

  session = g_object_ref (self->session);
  g_signal_handlers_disconnect_by_data (session, self);
  if (!pqs_session_sign_out (session, &error))
    g_warning ("Could not record the sign-out: %s", error->message);
  show_sign_in (self);
}

static void
sign_out_requested_cb (PqsWindow *self)
{
  sign_out (self);
}

static void
sign_out_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sign_out (PQS_WINDOW (widget));
}

static void
lock_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PqsWindow *self = PQS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->session != NULL && !pqs_session_lock (self->session, &error))
    g_warning ("Could not record the lock: %s", error->message);
}

/* Any key press, click or scroll is the person at work: the idle clock
 * starts again. */
static gboolean
activity_cb (GtkEventControllerLegacy *controller,
             GdkEvent                 *event,
             PqsWindow                *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
      if (self->session != NULL)
        pqs_session_touch (self->session);
      break;
    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
stop_backup_scheduler (PqsWindow *self)
{
  self->backup_scheduler_pending = FALSE;
  if (self->backup_scheduler == NULL)
    return;

  if (self->settings != NULL)
    {
      g_settings_unbind (self->backup_scheduler, "schedule");
      g_settings_unbind (self->backup_scheduler, "hour");
    }
  pqs_backup_scheduler_stop (self->backup_scheduler);
  g_clear_object (&self->backup_scheduler);
}

/* Follows the backup-schedule and backup-hour settings, and catches up at
 * once when a scheduled backup was missed while PQS Desk was not running. */
static void
start_backup_scheduler (PqsWindow *self)
{
  g_autoptr(PqsBackupService) service = NULL;

  stop_backup_scheduler (self);

  if (self->settings == NULL)
    return;

  service = pqs_backup_service_new (self->store, NULL);
  self->backup_scheduler = pqs_backup_scheduler_new (service);
  g_settings_bind (self->settings, "backup-schedule", self->backup_scheduler, "schedule",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "backup-hour", self->backup_scheduler, "hour",
                   G_SETTINGS_BIND_GET);
  pqs_backup_scheduler_set_retention (self->backup_scheduler,
                                      g_settings_get_int (self->settings,
                                                          "backup-retention-count"),
                                      g_settings_get_int (self->settings,
                                                          "backup-retention-days"));
  pqs_backup_scheduler_start (self->backup_scheduler);
}

static void
show_ready (PqsWindow *self,
            guint      version)
{
  g_assert (PQS_IS_WINDOW (self));

  if (self->schema_version != version)
    {
      self->schema_version = version;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCHEMA_VERSION]);
    }

  set_state (self, PQS_WINDOW_STATE_READY);
  /* A catch-up backup reads the whole database in a thread: not while the
   * window paints its first frame. */
  if (!self->first_frame_done)
    self->backup_scheduler_pending = TRUE;
  else
    start_backup_scheduler (self);
  show_sign_in (self);
}

static void
migrate_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PqsMigrator *migrator = PQS_MIGRATOR (object);
  g_autoptr(PqsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_applied = 0;
  guint version = 0;
  gboolean ok;

  g_assert (PQS_IS_WINDOW (self));

  ok = pqs_migrator_migrate_finish (migrator, result, &n_applied, &error);
  release_application (self);

  if (self->migrator != migrator)
    return;

  g_clear_object (&self->migrator);

  if (!ok)
    {
      show_error (self, _("Could Not Update the Database"), error);
      return;
    }

  if (!pqs_migrator_get_current_version (migrator, &version, &error))
    {
      show_error (self, _("Could Not Read the Database"), error);
      return;
    }

  g_debug ("Database %s at schema version %u (%u migrations applied)",
           self->database_path, version, n_applied);
  show_ready (self, version);
}

/**
 * pqs_window_reload:
 * @self: a #PqsWindow
 *
 * Opens the database again and applies pending migrations in a worker
 * thread, showing progress, then the result or the error.
 */
void
pqs_window_reload (PqsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  GtkApplication *application;

  g_return_if_fail (PQS_IS_WINDOW (self));

  if (self->migrator != NULL)
    return;

  stop_backup_scheduler (self);

  set_session (self, NULL);
  if (self->store != NULL)
    {
      pqs_store_close (self->store);
      g_clear_object (&self->store);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
    }

  set_state (self, PQS_WINDOW_STATE_LOADING);

  store = pqs_store_open (self->database_path, PQS_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    pqs_store_set_client_name (store, "pqs-desk/" PACKAGE_VERSION);
  if (store == NULL)
    {
      show_error (self, _("Could Not Open the Database"), error);
      return;
    }

  migrator = pqs_migrator_new (store);
  if (!pqs_migrator_load (migrator, NULL, &error))
    {
      show_error (self, _("Could Not Update the Database"), error);
      return;
    }

  self->store = g_steal_pointer (&store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  self->migrator = g_object_ref (migrator);

  /* Keep the process alive until the migration has committed or rolled
   * back, even when the window is closed meanwhile. */
  application = gtk_window_get_application (GTK_WINDOW (self));
  if (application != NULL)
    {
      self->held_application = g_object_ref (G_APPLICATION (application));
      g_application_hold (self->held_application);
    }

  pqs_migrator_migrate_async (migrator,
                              self->cancellable,
                              migrate_cb,
                              g_object_ref (self));
}

static void
reload_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pqs_window_reload (PQS_WINDOW (widget));
}

static void
load_window_state (PqsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (PqsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
pqs_window_close_request (GtkWindow *window)
{
  PqsWindow *self = PQS_WINDOW (window);

  save_window_state (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (pqs_window_parent_class)->close_request (window);
}

static void
pqs_window_constructed (GObject *object)
{
  PqsWindow *self = PQS_WINDOW (object);

  G_OBJECT_CLASS (pqs_window_parent_class)->constructed (object);

  if (self->database_path == NULL)
    self->database_path = pqs_paths_default_database ();

  load_window_state (self);
  pqs_window_reload (self);
}

static void
pqs_window_dispose (GObject *object)
{
  PqsWindow *self = PQS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->migrator);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  stop_backup_scheduler (self);
  release_application (self);
  g_clear_handle_id (&self->views_idle_id, g_source_remove);
  if (self->standards_view != NULL)
    g_clear_signal_handler (&self->standards_map_id, self->standards_view);
  self->standards_view = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_WINDOW);

  G_OBJECT_CLASS (pqs_window_parent_class)->dispose (object);
}

static void
pqs_window_finalize (GObject *object)
{
  PqsWindow *self = PQS_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->database_path, g_free);

  G_OBJECT_CLASS (pqs_window_parent_class)->finalize (object);
}

static void
pqs_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PqsWindow *self = PQS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_SCHEMA_VERSION:
      g_value_set_uint (value, self->schema_version);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PqsWindow *self = PQS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_assert (self->database_path == NULL);
      self->database_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_window_class_init (PqsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pqs_window_constructed;
  object_class->dispose = pqs_window_dispose;
  object_class->finalize = pqs_window_finalize;
  object_class->get_property = pqs_window_get_property;
  object_class->set_property = pqs_window_set_property;

  window_class->close_request = pqs_window_close_request;
  widget_class->map = pqs_window_map;
  widget_class->unmap = pqs_window_unmap;

  /**
   * PqsWindow:database-path:
   *
   * The database file; %NULL at construction means the default database.
   */
  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       PQS_TYPE_WINDOW_STATE,
                       PQS_WINDOW_STATE_LOADING,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_SCHEMA_VERSION] =
    g_param_spec_uint ("schema-version", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         PQS_TYPE_STORE,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * PqsWindow:session:
   *
   * Who is signed in, or %NULL while the sign-in page shows.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         PQS_TYPE_SESSION,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pqs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, main_view);
  gtk_widget_class_bind_template_callback (widget_class, add_toast_cb);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, retry_button);

  gtk_widget_class_bind_template_child (widget_class, PqsWindow, sign_in_view);
  gtk_widget_class_bind_template_child (widget_class, PqsWindow, user_label);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlocked_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_requested_cb);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action_cb);
  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.lock", NULL);
}

static void
open_document_cb (PqsWindow *self,
                  gint64     document_id)
{
  pqs_main_view_open_document (self->main_view, document_id);
}

/* A restore (or a migration) replaced the database under the session,
 * whose row may not exist in it: everyone signs in again, on the new data.
 * The System view has said what it did ("Backup restored…", "1 migration
 * applied"); the sign-in page says the rest, so no second toast. */
static void
database_replaced_cb (PqsWindow *self)
{
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  show_sign_in (self);
}

static void
add_views (PqsWindow *self)
{
  GtkMenuButton *menu_button = self->primary_menu_button;
  PqsSystemView *system_view;
  GtkWidget *standards_view;
  GtkWidget *review_view;

  standards_view = GTK_WIDGET (pqs_standards_view_new ());
  g_signal_connect_object (standards_view, "open-document", G_CALLBACK (open_document_cb), self,
                           G_CONNECT_SWAPPED);
  pqs_main_view_add_view (self->main_view, "standards", _("Standards"),
                          "accessories-dictionary-symbolic", standards_view,
                          PQS_MAIN_VIEW_ANYONE);
  self->standards_view = standards_view;
  review_view = GTK_WIDGET (pqs_review_view_new ());
  g_signal_connect_object (review_view, "open-document", G_CALLBACK (open_document_cb), self,
                           G_CONNECT_SWAPPED);
  pqs_main_view_add_view (self->main_view, "review", _("Review Queue"),
                          "object-select-symbolic", review_view, PQS_ACTION_REVIEW_DOCUMENT);
  pqs_main_view_add_view (self->main_view, "templates", _("Templates"),
                          "x-office-document-symbolic",
                          GTK_WIDGET (pqs_templates_view_new ()), PQS_ACTION_MANAGE_TEMPLATES);
  pqs_main_view_add_view (self->main_view, "users", _("Users"), "system-users-symbolic",
                          GTK_WIDGET (pqs_users_view_new ()), PQS_ACTION_MANAGE_USERS);
  system_view = pqs_system_view_new ();
  g_signal_connect_object (system_view, "database-replaced", G_CALLBACK (database_replaced_cb),
                           self, G_CONNECT_SWAPPED);
  pqs_main_view_add_view (self->main_view, "system", _("System"), "emblem-system-symbolic",
                          GTK_WIDGET (system_view), PQS_ACTION_READ_SYSTEM);
  pqs_main_view_set_menu_model (self->main_view, gtk_menu_button_get_menu_model (menu_button));

}

static void
pqs_window_init (PqsWindow *self)
{
  GtkEventController *activity;

  g_type_ensure (PQS_TYPE_SIGN_IN_VIEW);
  g_type_ensure (PQS_TYPE_MAIN_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  activity = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (activity, GTK_PHASE_CAPTURE);
  g_signal_connect (activity, "event", G_CALLBACK (activity_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), activity);

  self->cancellable = g_cancellable_new ();
  self->settings = pqs_settings_new ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::idle-lock-minutes",
                             G_CALLBACK (idle_lock_changed_cb), self, G_CONNECT_SWAPPED);
  update_session_actions (self);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

/**
 * pqs_window_get_state:
 * @self: a #PqsWindow
 *
 * Returns: whether the database is being prepared, ready, or failed
 */
PqsWindowState
pqs_window_get_state (PqsWindow *self)
{
  g_return_val_if_fail (PQS_IS_WINDOW (self), PQS_WINDOW_STATE_LOADING);

  return self->state;
}

/**
 * pqs_window_get_database_path:
 * @self: a #PqsWindow
 *
 * Returns: the path of the database file the window shows
 */
const char *
pqs_window_get_database_path (PqsWindow *self)
{
  g_return_val_if_fail (PQS_IS_WINDOW (self), NULL);

  return self->database_path;
}

/**
 * pqs_window_get_schema_version:
 * @self: a #PqsWindow
 *
 * Returns: the schema version of the database once ready, else 0
 */
guint
pqs_window_get_schema_version (PqsWindow *self)
{
  g_return_val_if_fail (PQS_IS_WINDOW (self), 0);

  return self->schema_version;
}

/**
 * pqs_window_get_store:
 * @self: a #PqsWindow
 *
 * Returns: (transfer none) (nullable): the open database, or %NULL
 */
PqsStore *
pqs_window_get_store (PqsWindow *self)
{
  g_return_val_if_fail (PQS_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * pqs_window_get_session:
 * @self: a #PqsWindow
 *
 * Returns: (transfer none) (nullable): who is signed in
 */
PqsSession *
pqs_window_get_session (PqsWindow *self)
{
  g_return_val_if_fail (PQS_IS_WINDOW (self), NULL);

  return self->session;
}
