/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "pqs-migrator.h"
#include "pqs-test-util.h"

static void
test_file_names (void)
{
  static const char *good[] = { "001_init.sql", "012_add_reviews.sql", "999_x9_y.sql",
                                "003_documents.down.sql", NULL };
  static const char *bad[] = { "1_init.sql", "0001_init.sql", "001-init.sql", "001_Init.sql",
                               "001_.sql", "001_init.SQL", "001_init.sql.bak", "000_zero.sql",
                               "001_init__x.sql", "001_init.up.sql", "init.sql", "", NULL };

  for (guint i = 0; good[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;
      gboolean is_down = FALSE;
      guint version = 0;

      g_assert_true (pqs_migration_parse_file_name (good[i], &version, &name, &is_down,
                                                    &error));
      g_assert_no_error (error);
      g_assert_cmpuint (version, >, 0);
      g_assert_nonnull (name);
      g_assert_cmpint (is_down, ==, g_str_has_suffix (good[i], ".down.sql"));
    }

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (pqs_migration_parse_file_name (bad[i], NULL, NULL, NULL, &error));
      g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME);
      /* The message names the file, so that the developer can find it. */
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

static void
test_checksum_line_endings (void)
{
  g_autofree char *lf = pqs_migration_checksum ("CREATE TABLE t (x);\nCREATE TABLE u (y);\n");
  g_autofree char *crlf = pqs_migration_checksum ("CREATE TABLE t (x);\r\nCREATE TABLE u (y);\r\n");
  g_autofree char *cr = pqs_migration_checksum ("CREATE TABLE t (x);\rCREATE TABLE u (y);\r");
  g_autofree char *bom = pqs_migration_checksum ("\xEF\xBB\xBF" "CREATE TABLE t (x);\nCREATE TABLE u (y);\n");
  g_autofree char *other = pqs_migration_checksum ("CREATE TABLE t (x);\nCREATE TABLE u (z);\n");
  g_autofree char *reference = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                              "CREATE TABLE t (x);\n"
                                                              "CREATE TABLE u (y);\n", -1);

  g_assert_cmpuint (strlen (lf), ==, 64);
  g_assert_cmpstr (lf, ==, reference);
  g_assert_cmpstr (lf, ==, crlf);
  g_assert_cmpstr (lf, ==, cr);
  g_assert_cmpstr (lf, ==, bom);
  g_assert_cmpstr (lf, !=, other);
}

static void
test_empty_files (void)
{
  static const char *empty[] = { "", "   \n\t\n", "-- only a comment\n", "/* block */\n-- x",
                                 "-- pqs:foreign-keys=off\n", NULL };

  for (guint i = 0; empty[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqsMigration) migration = NULL;

      migration = pqs_migration_new_from_text ("004_nothing.sql", empty[i], NULL, &error);
      g_assert_null (migration);
      g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_EMPTY_FILE);
      g_assert_nonnull (strstr (error->message, "004_nothing.sql"));
    }
}

static void
test_directives (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsMigration) plain = NULL;
  g_autoptr(PqsMigration) rebuild = NULL;
  g_autoptr(PqsMigration) unknown = NULL;

  plain = pqs_migration_new_from_text ("002_plain.sql", "CREATE TABLE t (x);", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (pqs_migration_get_foreign_keys_off (plain));
  g_assert_null (pqs_migration_get_down_sql (plain));

  rebuild = pqs_migration_new_from_text ("003_rebuild.sql",
                                         "-- Rebuild t.\n-- pqs:foreign-keys=off\n"
                                         "CREATE TABLE new_t (x);\n",
                                         "-- pqs: foreign-keys=off\nDROP TABLE new_t;\n",
                                         &error);
  g_assert_no_error (error);
  g_assert_true (pqs_migration_get_foreign_keys_off (rebuild));
  g_assert_true (pqs_migration_get_down_foreign_keys_off (rebuild));
  g_assert_cmpuint (pqs_migration_get_version (rebuild), ==, 3);
  g_assert_cmpstr (pqs_migration_get_name (rebuild), ==, "rebuild");

  unknown = pqs_migration_new_from_text ("004_typo.sql",
                                         "-- pqs:foreign-keys=of\nCREATE TABLE t (x);",
                                         NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_DIRECTIVE);
  g_assert_nonnull (strstr (error->message, "line 1"));
}

static void
test_down_must_match (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsMigration) migration = NULL;

  migration = pqs_migration_new_from_text ("005_reviews.sql", "CREATE TABLE r (x);", NULL,
                                           &error);
  g_assert_no_error (error);

  g_assert_false (pqs_migration_set_down_sql (migration, "005_other.down.sql",
                                              "DROP TABLE r;", &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_BAD_FILE_NAME);
  g_clear_error (&error);

  g_assert_false (pqs_migration_set_down_sql (migration, "005_reviews.down.sql", "  ", &error));
  g_assert_error (error, PQS_MIGRATION_ERROR, PQS_MIGRATION_ERROR_EMPTY_FILE);
  g_clear_error (&error);

  g_assert_true (pqs_migration_set_down_sql (migration, "005_reviews.down.sql",
                                             "DROP TABLE r;", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_migration_get_down_sql (migration), ==, "DROP TABLE r;");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/migration/file-names", test_file_names);
  g_test_add_func ("/migration/checksum-line-endings", test_checksum_line_endings);
  g_test_add_func ("/migration/empty-files", test_empty_files);
  g_test_add_func ("/migration/directives", test_directives);
  g_test_add_func ("/migration/down-must-match", test_down_must_match);

  return g_test_run ();
}
