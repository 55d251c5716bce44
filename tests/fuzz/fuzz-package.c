/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "fuzz-util.h"
#include "pqs-package.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* Document files and packages ("pqs-desk/document", "pqs-desk/package")
 * from another workstation. Input: the file's bytes.
 *
 * Each input is parsed (pqs_package_parse()) and checked
 * (pqs_package_check()); then, so that the fuzzer gets past the content
 * hashes, every document's "content_hash" is recomputed
 * (pqs_package_document_hash()) and the file is imported into a demo
 * database by an administrator: as a package or a document by its "format",
 * with the collision rule picked by the input's length.
 *
 * Besides not crashing: a refusal is an error with a readable message
 * (pqs_fuzz_check_message()) and writes nothing (the rows of every table
 * the import touches are counted); a successful import names its standard
 * and one document per document of the file. The database is put back
 * after every import that wrote. */

/* The demo database is the one `pqs-admin seed-demo --documents 12` makes
 * (seed 1), so the seed corpus's files collide with its standard and its
 * document numbers. */
#define DEMO_DOCUMENTS 12
#define IMPORTER       "dwhitfield"

static PqsStore *store;
static PqsUser *importer;
static char *pristine_counts;

static char *
count_rows (void)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT (SELECT count(*) FROM standards) || ' ' || "
                                          "(SELECT count(*) FROM documents) || ' ' || "
                                          "(SELECT count(*) FROM document_items) || ' ' || "
                                          "(SELECT count(*) FROM document_changes) || ' ' || "
                                          "(SELECT count(*) FROM user_activities) || ' ' || "
                                          "(SELECT count(*) FROM templates) || ' ' || "
                                          "(SELECT count(*) FROM users) || ' ' || "
                                          "(SELECT coalesce(sum(version), 0) FROM documents)",
                                          &error);
  char *counts;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  counts = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return counts;
}

static void
fix_hash (JsonNode *node)
{
  JsonObject *document;
  g_autofree char *hash = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  document = json_node_get_object (node);
  hash = pqs_package_document_hash (document, NULL);
  if (hash != NULL)
    json_object_set_string_member (document, "content_hash", hash);
}

/* The file with the content hashes that match its content. */
static char *
fix_hashes (JsonNode *root)
{
  JsonObject *object = json_node_get_object (root);
  JsonNode *documents = json_object_get_member (object, "documents");

  fix_hash (json_object_get_member (object, "document"));
  if (documents != NULL && JSON_NODE_HOLDS_ARRAY (documents))
    {
      JsonArray *array = json_node_get_array (documents);

      for (guint i = 0; i < json_array_get_length (array); i++)
        fix_hash (json_array_get_element (array, i));
    }

  return json_to_string (root, FALSE);
}

static void
import (const char *text,
        gboolean    whole_standard,
        guint       rule)
{
  g_autoptr(PqsPackage) package = pqs_package_new (store);
  g_autoptr(GError) error = NULL;
  PqsPackageConflict conflict = (PqsPackageConflict) (rule % 3);
  gboolean ok;

  ok = whole_standard
         ? pqs_package_import_standard_data (package, importer, text, strlen (text), conflict,
                                             &error)
         : pqs_package_import_document_data (package, importer, text, strlen (text), 0, conflict,
                                             &error);
  g_assert_false (pqs_store_in_transaction (store));

  if (ok)
    {
      GArray *ids = pqs_package_get_document_ids (package);

      g_assert_no_error (error);
      g_assert_cmpint (pqs_package_get_standard_id (package), >, 0);
      g_assert_cmpuint (ids->len, >, 0);
      g_assert_true (whole_standard || ids->len == 1);
      for (guint i = 0; i < ids->len; i++)
        g_assert_cmpint (g_array_index (ids, gint64, i), >, 0);
      g_assert_cmpuint (pqs_package_get_n_created (package) + pqs_package_get_n_updated (package) +
                        pqs_package_get_n_unchanged (package), ==, ids->len);
      pqs_fuzz_say ("imported (%s): %u created, %u updated, %u unchanged",
                    pqs_package_conflict_to_string (conflict),
                    pqs_package_get_n_created (package), pqs_package_get_n_updated (package),
                    pqs_package_get_n_unchanged (package));
      pqs_fuzz_demo_store_reset ();
    }
  else
    {
      g_autofree char *counts = count_rows ();

      pqs_fuzz_say ("import refused (%s): %s", pqs_package_conflict_to_string (conflict),
                    error->message);
      pqs_fuzz_check_message (error);
      /* A refusal writes nothing. */
      g_assert_cmpstr (counts, ==, pristine_counts);
    }

  /* What the store announced to the main context. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(GError) error = NULL;

  pqs_fuzz_init ();
  store = pqs_fuzz_demo_store (DEMO_DOCUMENTS);
  directory = pqs_user_directory_new (store);
  importer = pqs_user_directory_lookup_by_username (directory, IMPORTER, &error);
  g_assert_no_error (error);
  pristine_counts = count_rows ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PqsPackage) package = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = NULL;
  JsonNode *format;

  root = pqs_package_parse ((const char *) data, size, &error);
  if (root == NULL)
    {
      pqs_fuzz_say ("not parsed: %s", error->message);
      g_assert_true (error->domain == PQS_PACKAGE_ERROR);
      pqs_fuzz_check_message (error);
      return 0;
    }
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  package = pqs_package_new (store);
  if (!pqs_package_check (package, root, &error))
    {
      pqs_fuzz_say ("check refused: %s", error->message);
      g_assert_true (error->domain == PQS_PACKAGE_ERROR);
      pqs_fuzz_check_message (error);
    }
  g_clear_error (&error);

  fixed = fix_hashes (root);
  format = json_object_get_member (json_node_get_object (root), "format");
  import (fixed,
          format != NULL && JSON_NODE_HOLDS_VALUE (format) &&
          json_node_get_value_type (format) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (format), PQS_PACKAGE_FORMAT_STANDARD) == 0,
          (guint) size);

  return 0;
}
