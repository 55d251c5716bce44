/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-test-util.h"
#include "pqs-user.h"

/* The plumbing the widget tests share: start-up, a temporary database with
 * its people, the main loop, and looking into widgets. Everything asserts
 * rather than returning errors. The temporary folders are removed with
 * pqs_test_rm_rf() or pqs_test_tmpdir_free() from tests/core. */

G_BEGIN_DECLS

/* The password of every account pqs_ui_test_add_user() makes. */
#define PQS_UI_TEST_PASSWORD "a long enough password"
/* Where the tests' clock (pqs_test_clock_*() of tests/core) starts, in µs since the epoch. */
#define PQS_UI_TEST_START_TIME (G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC)

typedef gboolean (*PqsUiTestCondition) (gpointer data);
typedef GtkWidget *(*PqsUiTestFindFunc) (GtkWidget *widget, const char *text);

/* g_test_init(), cheap argon2id hashing, a fresh XDG_DATA_HOME and GTK; FALSE without a display. */
gboolean          pqs_ui_test_init                (int                 *argc,
                                                   char              ***argv);
/* g_test_run(), then removes the XDG_DATA_HOME of pqs_ui_test_init(). */
int               pqs_ui_test_run                 (void);
/* A fresh folder under the system's temporary folder, named after @tmpl ("name-XXXXXX"). */
char             *pqs_ui_test_make_tmpdir         (const char          *tmpl);

/* The database at @path; with @fake_clock, on the tests' clock, set to PQS_UI_TEST_START_TIME. */
PqsStore         *pqs_ui_test_open_store          (const char          *path,
                                                   gboolean             fake_clock);
/* Applies the compiled-in migrations to @store, all but the last @n_pending. */
void              pqs_ui_test_migrate             (PqsStore            *store,
                                                   guint                n_pending);
/* pqs_ui_test_open_store() on @dir/@name, migrated to the newest schema. */
PqsStore         *pqs_ui_test_open_migrated_store (const char          *dir,
                                                   const char          *name,
                                                   gboolean             fake_clock);
/* A new account made by @actor, or the first administrator when @actor is NULL. */
PqsUser          *pqs_ui_test_add_user            (PqsStore            *store,
                                                   PqsUser             *actor,
                                                   const char          *username,
                                                   const char          *full_name,
                                                   const char          *rank,
                                                   PqsRole              role);
/* The account named @username, which must exist. */
PqsUser          *pqs_ui_test_lookup_user         (PqsStore            *store,
                                                   const char          *username);
/* A session for @username, signed in with PQS_UI_TEST_PASSWORD. */
PqsSession       *pqs_ui_test_sign_in             (PqsStore            *store,
                                                   const char          *username);
/* The integer in the first column of @sql's first row (0 without a row). */
gint64            pqs_ui_test_query_int           (PqsStore            *store,
                                                   const char          *sql);
/* The text in the first column of @sql's first row, or NULL. */
char             *pqs_ui_test_query_text          (PqsStore            *store,
                                                   const char          *sql);
/* Runs the SQL statements in @sql. */
void              pqs_ui_test_exec                (PqsStore            *store,
                                                   const char          *sql);

/* Iterates the default main context until nothing is pending. */
void              pqs_ui_test_drain               (void);
/* Iterates the main context until @condition holds or @timeout_ms pass; says if it holds. */
gboolean          pqs_ui_test_wait_until          (PqsUiTestCondition   condition,
                                                   gpointer             data,
                                                   guint                timeout_ms);
/* Iterates the main context until @widget is mapped or @timeout_ms pass; says if it is. */
gboolean          pqs_ui_test_wait_until_mapped   (GtkWidget           *widget,
                                                   guint                timeout_ms);

/* Iterates the main context until @find finds @text under @widget or @timeout_ms pass. */
GtkWidget        *pqs_ui_test_wait_for_label      (GtkWidget           *widget,
                                                   const char          *text,
                                                   PqsUiTestFindFunc    find,
                                                   guint                timeout_ms);

/* A new window (a reference the caller owns) of @width × @height around @child. */
GtkWindow        *pqs_ui_test_window_new          (GtkWidget           *child,
                                                   int                  width,
                                                   int                  height);
/* Destroys @window, then checks that it and @child, the test's references, are finalized. */
void              pqs_ui_test_close_window        (GtkWindow           *window,
                                                   gpointer             child);
/* Counts @widget's "add-toast" signals in @n_toasts and keeps the last title in @last_toast. */
void              pqs_ui_test_watch_toasts        (gpointer             widget,
                                                   guint               *n_toasts,
                                                   char               **last_toast);
/* The template child @name of @widget's class @type, which must exist. */
gpointer          pqs_ui_test_template_child      (gpointer             widget,
                                                   GType                type,
                                                   const char          *name);
/* The label reading @text in @widget or under it, or NULL. */
GtkWidget        *pqs_ui_test_find_label          (GtkWidget           *widget,
                                                   const char          *text);
/* The same, looking only at widgets that are visible, and under them. */
GtkWidget        *pqs_ui_test_find_visible_label  (GtkWidget           *widget,
                                                   const char          *text);
/* The row of @list_box whose AdwPreferencesRow title is @title, or NULL. */
GtkWidget        *pqs_ui_test_find_row            (GtkListBox          *list_box,
                                                   const char          *title);
/* The number of rows in @list_box. */
guint             pqs_ui_test_count_rows          (GtkListBox          *list_box);
/* Whether the label reading @text in @row, which must both exist, is visible. */
gboolean          pqs_ui_test_label_visible       (GtkWidget           *row,
                                                   const char          *text);
/* Clicks @button, which must be shown and sensitive, and drains the main loop. */
void              pqs_ui_test_click               (gpointer             button);
/* The AdwMessageDialog on screen, or NULL (transfer none). */
AdwMessageDialog *pqs_ui_test_find_message_dialog (void);

G_END_DECLS
