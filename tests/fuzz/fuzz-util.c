/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "fuzz-util.h"
#include "pqs-demo-seeder.h"
#include "pqs-migrator.h"
#include "pqs-password.h"

/* What the fuzz targets share: input splitting, a strict log handler, and a
 * demo database for the targets that need one (import, search). */

/* Messages are noise in a fuzzer's output; warnings and worse are fatal. */
static void
log_cb (const char     *log_domain,
        GLogLevelFlags  log_level,
        const char     *message,
        gpointer        user_data)
{
  if ((log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE)) != 0)
    return;
  g_log_default_handler (log_domain, log_level, message, user_data);
}

/* A fatal GLib message ends in G_BREAKPOINT(), a SIGTRAP, which libFuzzer
 * does not catch: it would die without saving the input. */
static void
trap_cb (int signum)
{
  abort ();
}

void
pqs_fuzz_init (void)
{
  static gsize initialised = 0;

  if (!g_once_init_enter (&initialised))
    return;

  /* The same strictness as G_DEBUG=fatal-warnings in the tests, whatever the
   * environment says: libFuzzer then reports the input as a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_default_handler (log_cb, NULL);
  signal (SIGTRAP, trap_cb);

  g_once_init_leave (&initialised, 1);
}

gboolean
pqs_fuzz_verbose (void)
{
  static int verbose = -1;

  if (verbose < 0)
    verbose = g_getenv ("PQS_FUZZ_VERBOSE") != NULL;
  return verbose;
}

void
pqs_fuzz_say (const char *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (!pqs_fuzz_verbose ())
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("  %s\n", text);
}

void
pqs_fuzz_check_message (const GError *error)
{
  static int lax = -1;

  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");

  if (lax < 0)
    lax = g_getenv ("PQS_FUZZ_LAX_MESSAGES") != NULL;
  if (lax)
    return;

  if (!g_utf8_validate (error->message, -1, NULL))
    g_error ("The message is not valid UTF-8: %s", error->message);
  /* A tab is white space (a label may hold one); the others are not text. */
  for (const char *p = error->message; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      g_error ("The message holds a line break or a control character (0x%02x): %s",
               (guchar) *p, error->message);
}

guint
pqs_fuzz_split (const uint8_t  *data,
                size_t          size,
                char          **parts,
                guint           n_parts)
{
  const char *p = data != NULL ? (const char *) data : "";
  const char *end = p + (data != NULL ? size : 0);
  guint found = 0;

  for (guint i = 0; i < n_parts; i++)
    parts[i] = NULL;

  while (found < n_parts)
    {
      const char *nul = memchr (p, '\0', end - p);

      parts[found++] = g_strndup (p, (nul != NULL ? nul : end) - p);
      if (nul == NULL)
        break;
      p = nul + 1;
    }

  return found;
}

void
pqs_fuzz_free_parts (char  **parts,
                     guint   n_parts)
{
  for (guint i = 0; i < n_parts; i++)
    g_clear_pointer (&parts[i], g_free);
}

/* Folders ---------------------------------------------------------------------- */

static char *tmpdir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
remove_tmpdir (void)
{
  if (tmpdir != NULL)
    remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

const char *
pqs_fuzz_tmpdir (void)
{
  if (tmpdir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmpdir = g_dir_make_tmp ("pqs-fuzz-XXXXXX", &error);
      g_assert_no_error (error);
      atexit (remove_tmpdir);
    }
  return tmpdir;
}

/* The demo database -------------------------------------------------------------- */

#define REFERENCE_TIME G_GINT64_CONSTANT (1750000000)

static PqsStore *demo_store;
static sqlite3 *pristine;

static gint64
fixed_clock_cb (gpointer user_data)
{
  return REFERENCE_TIME * G_USEC_PER_SEC;
}

static void
copy_database (sqlite3 *from,
               sqlite3 *to)
{
  sqlite3_backup *backup = sqlite3_backup_init (to, "main", from, "main");
  int rc;

  g_assert (backup != NULL);
  rc = sqlite3_backup_step (backup, -1);
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_backup_finish (backup), ==, SQLITE_OK);
}

PqsStore *
pqs_fuzz_demo_store (guint documents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(PqsDemoSeeder) seeder = NULL;
  g_autofree char *path = NULL;

  if (demo_store != NULL)
    return demo_store;

  path = g_build_filename (pqs_fuzz_tmpdir (), "demo.db", NULL);
  pqs_password_set_limits (crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);

  demo_store = pqs_store_open (path, PQS_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  pqs_store_set_clock (demo_store, fixed_clock_cb, NULL);

  migrator = pqs_migrator_new (demo_store);
  pqs_migrator_load (migrator, NULL, &error);
  g_assert_no_error (error);
  pqs_migrator_migrate (migrator, PQS_MIGRATOR_LATEST, NULL, &error);
  g_assert_no_error (error);

  seeder = pqs_demo_seeder_new (demo_store);
  pqs_demo_seeder_set_documents (seeder, documents);
  pqs_demo_seeder_set_seed (seeder, PQS_DEMO_SEEDER_DEFAULT_SEED);
  pqs_demo_seeder_set_reference_time (seeder, REFERENCE_TIME - 86400);
  pqs_demo_seeder_set_password (seeder, "fuzz demo password");
  pqs_demo_seeder_run (seeder, NULL, &error);
  g_assert_no_error (error);
  /* Demo accounts must choose a password at their first sign-in; these act at once. */
  pqs_store_exec (demo_store, "UPDATE users SET password_reset_required = 0", &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (":memory:", &pristine), ==, SQLITE_OK);
  copy_database (pqs_store_get_handle (demo_store), pristine);

  return demo_store;
}

void
pqs_fuzz_demo_store_reset (void)
{
  g_assert (demo_store != NULL);
  g_assert (!pqs_store_in_transaction (demo_store));
  copy_database (pristine, pqs_store_get_handle (demo_store));
}
