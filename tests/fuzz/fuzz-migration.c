/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fuzz-util.h"
#include "pqs-migration.h"
#include "pqs-migrator.h"

/* The migration file parser: a file name, an up file and an optional down
 * file, as pqs_migration_new_from_text() reads them from a migrations
 * folder. Input: NAME NUL UP-SQL [NUL DOWN-SQL].
 *
 * Besides not crashing: a refusal is a PQS_MIGRATION_ERROR with a message;
 * an accepted migration has a version of 001–999 and the name of its file,
 * and its checksum is the one pqs_migration_checksum() gives, is 64 hex
 * digits, and does not change when the text's line endings become CRLF or
 * CR or a byte-order mark is put in front (a checkout on Windows must not
 * look tampered with). */

static char *
replace_newlines (const char *text,
                  const char *with)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv (with, lines);
}

static void
check_checksum (const char *sql,
                const char *checksum)
{
  g_autofree char *again = pqs_migration_checksum (sql);

  g_assert_cmpstr (checksum, ==, again);
  g_assert_cmpuint (strlen (checksum), ==, 64);
  for (const char *p = checksum; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));

  /* Line endings and a byte-order mark do not count. */
  if (strchr (sql, '\r') == NULL && !g_str_has_prefix (sql, "\xEF\xBB\xBF"))
    {
      g_autofree char *crlf = replace_newlines (sql, "\r\n");
      g_autofree char *cr = replace_newlines (sql, "\r");
      g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", crlf, NULL);
      g_autofree char *crlf_sum = pqs_migration_checksum (crlf);
      g_autofree char *cr_sum = pqs_migration_checksum (cr);
      g_autofree char *bom_sum = pqs_migration_checksum (bom);

      g_assert_cmpstr (crlf_sum, ==, checksum);
      g_assert_cmpstr (cr_sum, ==, checksum);
      g_assert_cmpstr (bom_sum, ==, checksum);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pqs_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *parts[3];
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsMigration) migration = NULL;
  g_autofree char *name = NULL;
  guint n_parts = pqs_fuzz_split (data, size, parts, G_N_ELEMENTS (parts));
  const char *file_name = parts[0];
  const char *up = n_parts > 1 ? parts[1] : "";
  const char *down = parts[2];
  guint version = 0;
  gboolean is_down = FALSE;

  pqs_fuzz_init ();

  if (pqs_migration_parse_file_name (file_name, &version, &name, &is_down, &error))
    {
      g_assert_cmpuint (version, >=, 1);
      g_assert_cmpuint (version, <=, 999);
      g_assert_nonnull (name);
      g_assert_nonnull (strstr (file_name, name));
    }
  else
    {
      g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME);
      g_assert_cmpstr (error->message, !=, "");
    }
  g_clear_error (&error);

  migration = pqs_migration_new_from_text (file_name, up, down, &error);
  if (migration == NULL)
    {
      pqs_fuzz_say ("refused: %s", error->message);
      g_assert_nonnull (error);
      g_assert_true (error->domain == PQS_MIGRATION_ERROR);
      g_assert_cmpstr (error->message, !=, "");
    }
  else
    {
      pqs_fuzz_say ("migration %03u %s", version, name);
      g_assert_no_error (error);
      g_assert_false (is_down);
      g_assert_cmpuint (pqs_migration_get_version (migration), ==, version);
      g_assert_cmpstr (pqs_migration_get_name (migration), ==, name);
      g_assert_cmpstr (pqs_migration_get_file_name (migration), ==, file_name);
      g_assert_cmpstr (pqs_migration_get_up_sql (migration), ==, up);
      g_assert_cmpstr (pqs_migration_get_down_sql (migration), ==, down);
      check_checksum (up, pqs_migration_get_checksum (migration));

      /* The same rollback file under a name that does not match is refused. */
      if (down != NULL)
        {
          g_autofree char *other = g_strdup_printf ("%03u_%s_x.down.sql", version, name);

          g_assert_false (pqs_migration_set_down_sql (migration, other, down, &error));
          g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME);
          g_assert_cmpstr (pqs_migration_get_down_sql (migration), ==, down);
        }
    }

  pqs_fuzz_free_parts (parts, G_N_ELEMENTS (parts));
  return 0;
}
