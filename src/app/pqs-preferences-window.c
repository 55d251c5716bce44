/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-preferences-window.h"
#include "pqs-settings.h"

/**
 * PqsPreferencesWindow:
 *
 * The settings a person may change, bound to GSettings: when PQS Desk
 * locks itself, and the automatic backups' schedule and retention. Every
 * change applies at once (the backup scheduler and the session follow the
 * keys).
 */

struct _PqsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSpinButton        *idle_lock_spin;
  AdwComboRow          *schedule_row;
  AdwActionRow         *hour_row;
  GtkSpinButton        *hour_spin;
  GtkSpinButton        *keep_count_spin;
  GtkSpinButton        *keep_days_spin;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (PqsPreferencesWindow, pqs_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const schedules[] = { "off", "daily", "weekly" };

static gboolean
schedule_get_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  data)
{
  const char *schedule = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (schedules); i++)
    if (g_str_equal (schedule, schedules[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
schedule_set_mapping (const GValue       *value,
                      const GVariantType *type,
                      gpointer            data)
{
  guint index = g_value_get_uint (value);

  return g_variant_new_string (schedules[MIN (index, G_N_ELEMENTS (schedules) - 1)]);
}

static void
schedule_changed_cb (PqsPreferencesWindow *self)
{
  /* The hour means nothing while backups are off. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->hour_row),
                            adw_combo_row_get_selected (self->schedule_row) != 0);
}

static void
pqs_preferences_window_dispose (GObject *object)
{
  PqsPreferencesWindow *self = PQS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pqs_preferences_window_parent_class)->dispose (object);
}

static void
pqs_preferences_window_class_init (PqsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PqsPreferencesWindow, idle_lock_spin);
  gtk_widget_class_bind_template_child (widget_class, PqsPreferencesWindow, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, PqsPreferencesWindow, hour_row);
  gtk_widget_class_bind_template_child (widget_class, PqsPreferencesWindow, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, PqsPreferencesWindow, keep_count_spin);
  gtk_widget_class_bind_template_child (widget_class, PqsPreferencesWindow, keep_days_spin);
}

static void
pqs_preferences_window_init (PqsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = pqs_settings_new ();
  if (self->settings == NULL)
    {
      /* Run from a folder without the schema: nothing to bind, nothing to save. */
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return;
    }

  g_settings_bind (self->settings, "idle-lock-minutes", self->idle_lock_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "backup-hour", self->hour_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "backup-retention-count", self->keep_count_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "backup-retention-days", self->keep_days_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "backup-schedule", self->schedule_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, schedule_get_mapping,
                                schedule_set_mapping, NULL, NULL);
  g_signal_connect_object (self->schedule_row, "notify::selected",
                           G_CALLBACK (schedule_changed_cb), self, G_CONNECT_SWAPPED);
  schedule_changed_cb (self);
}

PqsPreferencesWindow *
pqs_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (PQS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
