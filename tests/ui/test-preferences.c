/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <adwaita.h>

#include "pqs-preferences-window.h"
#include "pqs-settings.h"
#include "pqs-ui-test-util.h"

/* The preferences window writes what a person sets into GSettings, and
 * reads back what another window (or gsettings) changed. */

static GtkWidget *
child (PqsPreferencesWindow *window,
       const char           *name)
{
  return pqs_ui_test_template_child (window, PQS_TYPE_PREFERENCES_WINDOW, name);
}

static void
test_bindings (void)
{
  g_autoptr(GSettings) settings = pqs_settings_new ();
  PqsPreferencesWindow *window;
  g_autofree char *schedule = NULL;

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "backup-schedule", "daily");

  window = g_object_ref (pqs_preferences_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (window, "idle_lock_spin")), 5);
  g_assert_cmpint (g_settings_get_int (settings, "idle-lock-minutes"), ==, 5);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (window, "keep_count_spin")), 3);
  g_assert_cmpint (g_settings_get_int (settings, "backup-retention-count"), ==, 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (window, "keep_days_spin")), 90);
  g_assert_cmpint (g_settings_get_int (settings, "backup-retention-days"), ==, 90);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (window, "hour_spin")), 23);
  g_assert_cmpint (g_settings_get_int (settings, "backup-hour"), ==, 23);

  /* Daily shows as the second choice; Weekly is written as its key name. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (window, "schedule_row"))),
                    ==, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (window, "schedule_row")), 2);
  schedule = g_settings_get_string (settings, "backup-schedule");
  g_assert_cmpstr (schedule, ==, "weekly");
  g_assert_true (gtk_widget_get_sensitive (child (window, "hour_row")));

  /* Off: the hour means nothing. A change from outside shows at once. */
  g_settings_set_string (settings, "backup-schedule", "off");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (window, "schedule_row"))),
                    ==, 0);
  g_assert_false (gtk_widget_get_sensitive (child (window, "hour_row")));
  g_settings_set_int (settings, "idle-lock-minutes", 42);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (window, "idle_lock_spin"))),
                     ==, 42);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    return 77;
  adw_init ();

  g_test_add_func ("/preferences/bindings", test_bindings);

  return g_test_run ();
}
