/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-application.h"
#include "pqs-preferences-window.h"
#include "pqs-store.h"
#include "pqs-window.h"

struct _PqsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (PqsApplication, pqs_application, ADW_TYPE_APPLICATION)

/**
 * pqs_application_new:
 *
 * Returns: (transfer full): a new #PqsApplication
 */
PqsApplication *
pqs_application_new (void)
{
  return g_object_new (PQS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       /* The Devel profile has another id but the same resources. */
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

static void
pqs_application_activate (GApplication *app)
{
  GtkWindow *window;

  g_assert (PQS_IS_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (pqs_window_new (PQS_APPLICATION (app)));

  gtk_window_present (window);
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  PqsApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  g_assert (PQS_IS_APPLICATION (self));

  /* Close rather than quit, so that every window saves its state; the
   * application then ends when its last window is gone (and no migration
   * still holds it). */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PqsApplication *self = user_data;
  static const char *developers[] = {
    "The PQS Desk developers",
    NULL
  };
  GtkWindow *parent;
  GtkWidget *about;
  g_autoptr(GString) debug = g_string_new (NULL);

  g_assert (PQS_IS_APPLICATION (self));

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* What a bug report needs: versions, and the database in use. */
  g_string_append_printf (debug, "PQS Desk %s (%s)\n", PACKAGE_VERSION, APPLICATION_ID);
  g_string_append_printf (debug, "GLib %u.%u.%u\n", glib_major_version, glib_minor_version,
                          glib_micro_version);
  g_string_append_printf (debug, "GTK %u.%u.%u\n", gtk_get_major_version (),
                          gtk_get_minor_version (), gtk_get_micro_version ());
  g_string_append_printf (debug, "libadwaita %u.%u.%u\n", adw_get_major_version (),
                          adw_get_minor_version (), adw_get_micro_version ());
  g_string_append_printf (debug, "SQLite %s\n", sqlite3_libversion ());
  if (PQS_IS_WINDOW (parent))
    {
      g_string_append_printf (debug, "Database: %s\n",
                              pqs_window_get_database_path (PQS_WINDOW (parent)));
      g_string_append_printf (debug, "Schema version: %u\n",
                              pqs_window_get_schema_version (PQS_WINDOW (parent)));
    }
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("PQS Desk"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The PQS Desk Developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Write, review and approve Personnel Qualification "
                                      "Standards on your workstation."),
                        "website", "https://pqsdesk.org",
                        "issue-url", "https://pqsdesk.org/issues",
                        "copyright", _("© 2026 The PQS Desk Developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one a line. */
                        "translator-credits", _("translator-credits"),
                        "debug-info", debug->str,
                        "debug-info-filename", "pqs-desk-debug.txt",
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  PqsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (pqs_preferences_window_new (parent)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb },
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
};

static void
pqs_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (pqs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

static void
pqs_application_class_init (PqsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = pqs_application_activate;
  app_class->startup = pqs_application_startup;
}

static void
pqs_application_init (PqsApplication *self)
{
}
