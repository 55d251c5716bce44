/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-audit.h"
#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-standard.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* Standards and section documents: creating a standard with its 101,
 * the numbering rules, creating from templates, saving with the outline,
 * the change row and the audit row in one transaction, conflicts between
 * two editors, collaborators, deletion and imports. Every outcome is read
 * back from the database with SQL. */

#define PASSWORD "a long enough password"

typedef struct
{
  char             *dir;
  PqsStore         *store;
  sqlite3          *db;
  PqsUserDirectory *directory;
  PqsLibrary       *library;
  PqsUser          *admin;
  PqsUser          *supervisor;
  PqsUser          *author;
  PqsUser          *other;
  PqsUser          *visitor;
} Fixture;

static PqsUser *
add_user (Fixture    *fixture,
          const char *username,
          PqsRole     role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, "Some Body", NULL };
  PqsUser *user = pqs_user_directory_create (fixture->directory, fixture->admin, &fields, role,
                                             PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PqsUserFields fields = { "admin", "admin@example.org", "Ada Admin", "CDR" };

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_test_clock_install (fixture->store, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  fixture->directory = pqs_user_directory_new (fixture->store);
  fixture->library = pqs_library_new (fixture->store);

  fixture->admin = pqs_user_directory_create_first_admin (fixture->directory, &fields, PASSWORD,
                                                          &error);
  g_assert_no_error (error);
  fixture->supervisor = add_user (fixture, "chief", PQS_ROLE_SUPERVISOR);
  fixture->author = add_user (fixture, "writer", PQS_ROLE_USER);
  fixture->other = add_user (fixture, "other", PQS_ROLE_USER);
  fixture->visitor = add_user (fixture, "guest", PQS_ROLE_VISITOR);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->supervisor);
  g_clear_object (&fixture->author);
  g_clear_object (&fixture->other);
  g_clear_object (&fixture->visitor);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->directory);
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
}

static gint64 G_GNUC_PRINTF (2, 3)
count (Fixture    *fixture,
       const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return pqs_test_query_int (fixture->db, sql);
}

static char * G_GNUC_PRINTF (2, 3)
text (Fixture    *fixture,
      const char *format,
      ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return pqs_test_query_text (fixture->db, sql);
}

static void
assert_chain_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad = 0;

  g_assert_true (pqs_audit_verify (fixture->store, NULL, NULL, NULL, &rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, count (fixture, "SELECT count(*) FROM user_activities"));
}

static PqsStandard *
make_standard (Fixture    *fixture,
               PqsUser    *actor,
               const char *title)
{
  g_autoptr(GError) error = NULL;
  PqsStandardFields fields = { title, "USS Example", PQS_CLASSIFICATION_RESTRICTED,
                               "Engineering department", "1", NULL };
  PqsStandard *standard = pqs_library_create_standard (fixture->library, actor, &fields, &error);

  g_assert_no_error (error);
  g_assert_nonnull (standard);
  return standard;
}

static PqsDocument *
make_document (Fixture     *fixture,
               PqsUser     *actor,
               PqsStandard *standard,
               guint        series,
               guint        number)
{
  g_autoptr(GError) error = NULL;
  PqsDocument *document = pqs_library_create_document (fixture->library, actor,
                                                       pqs_standard_get_id (standard), series,
                                                       number, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

/* The stored document, as the operator sees it. */
static PqsDocument *
load_as_operator (Fixture *fixture,
                  gint64   id)
{
  g_autoptr(GError) error = NULL;
  PqsDocument *document = pqs_library_load_document (fixture->library, NULL, id, &error);

  g_assert_no_error (error);
  return document;
}

static PqsStandard *
make_standard_or_null (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PqsStandardFields fields = { "Never", NULL, PQS_CLASSIFICATION_UNCLASSIFIED, NULL, NULL, NULL };
  PqsStandard *standard = pqs_library_create_standard (fixture->library, fixture->author,
                                                       &fields, &error);

  g_assert_true ((standard == NULL) == (error != NULL));
  return standard;
}

/* @n items: questions with two sub-questions each, a second level under
 * every other sub-question, texts and a final signature. */
static GPtrArray *
make_outline (guint        n,
              const char  *tag)
{
  GPtrArray *outline = pqs_outline_new ();
  guint q = 0;

  while (outline->len < n)
    {
      g_autofree char *question = g_strdup_printf ("%s question %u?", tag, ++q);
      g_autofree char *answer = g_strdup_printf ("Answer %u", q);

      g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, question, answer,
                                                      "Full marks when complete"));
      for (guint s = 1; s <= 2 && outline->len < n; s++)
        {
          g_autofree char *sub = g_strdup_printf ("Sub-question %u.%u", q, s);

          g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, sub,
                                                          "Sub answer", NULL));
          if (s == 1 && outline->len < n)
            g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SECOND_LEVEL, 2,
                                                            "Second level", NULL, NULL));
        }
      if (outline->len < n - 1 && q % 3 == 0)
        g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_TEXT, 1, "A note.", NULL, NULL));
    }
  if (n > 0)
    {
      pqs_outline_item_free (g_ptr_array_index (outline, outline->len - 1));
      outline->pdata[outline->len - 1] = pqs_outline_item_new (PQS_ITEM_SIGNATURE, 0,
                                                               "Qualifier", NULL, NULL);
    }
  return outline;
}

/* A standard: its fields, its 101 from the system template, the rows. */
static void
test_standard_create (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Main Propulsion");
  g_autoptr(PqsDocument) precautions = NULL;
  g_autoptr(PqsStandard) again = NULL;
  gint64 id = pqs_standard_get_id (standard);
  gint64 template_id = count (fixture, "SELECT id FROM templates WHERE is_system = 1 "
                                       "AND section = 100 ORDER BY id LIMIT 1");
  gint64 template_items = count (fixture, "SELECT json_array_length(outline) FROM templates "
                                          "WHERE id = %" G_GINT64_FORMAT, template_id);

  g_assert_cmpstr (pqs_standard_get_title (standard), ==, "Main Propulsion");
  g_assert_cmpint (pqs_standard_get_classification (standard), ==, PQS_CLASSIFICATION_RESTRICTED);
  g_assert_cmpstr (pqs_standard_get_revision (standard), ==, "1");
  g_assert_nonnull (pqs_standard_get_uid (standard));
  g_assert_false (pqs_standard_get_frozen (standard));
  g_assert_false (pqs_standard_get_approved (standard));
  g_assert_cmpuint (pqs_standard_get_document_count (standard), ==, 1);
  g_assert_cmpint (pqs_standard_get_created_by (standard), ==, pqs_user_get_id (fixture->author));

  /* 101 "Precautions", from the 100 series system template. */
  g_assert_cmpint (template_id, >, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE standard_id = %"
                                   G_GINT64_FORMAT, id), ==, 1);
  precautions = pqs_library_find_document (fixture->library, fixture->author, id, 101, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_document_get_title (precautions), ==, "Precautions");
  g_assert_cmpuint (pqs_document_get_section (precautions), ==, 100);
  g_assert_cmpint (pqs_document_get_template_id (precautions), ==, template_id);
  g_assert_cmpint (pqs_document_get_status (precautions), ==, PQS_DOCUMENT_DRAFT);
  g_assert_cmpuint (pqs_document_get_version (precautions), ==, 1);
  g_assert_cmpint (template_items, >, 0);
  g_assert_cmpuint (pqs_document_get_outline (precautions)->len, >=, template_items);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT, pqs_document_get_id (precautions)),
                   ==, pqs_document_get_outline (precautions)->len);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE change_type = "
                                   "'create' AND action = 'create' AND old_content IS NULL AND "
                                   "snapshot IS NOT NULL AND document_id = %" G_GINT64_FORMAT,
                                   pqs_document_get_id (precautions)), ==, 1);
  {
    g_autofree char *hash = pqs_document_compute_hash (precautions);

    g_assert_cmpstr (pqs_document_get_content_hash (precautions), ==, hash);
  }

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'standard.create' AND resource_id = %" G_GINT64_FORMAT, id),
                   ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.create'"), ==, 1);

  /* Visitors create nothing; documents need an account. */
  {
    PqsStandardFields fields = { "Radar", NULL, PQS_CLASSIFICATION_UNCLASSIFIED, NULL, NULL,
                                 NULL };

    again = pqs_library_create_standard (fixture->library, fixture->visitor, &fields, &error);
    g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
    g_assert_null (again);
    g_clear_error (&error);
    again = pqs_library_create_standard (fixture->library, NULL, &fields, &error);
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
    g_assert_null (again);
    g_clear_error (&error);
  }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standards"), ==, 1);

  /* Without an active system template of the 100 series, 101 is blank. */
  pqs_test_exec (fixture->db, "UPDATE templates SET is_active = 0 WHERE section = 100");
  again = make_standard (fixture, fixture->author, "Radar Operator");
  g_clear_object (&precautions);
  precautions = pqs_library_find_document (fixture->library, NULL,
                                           pqs_standard_get_id (again), 101, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_document_get_template_id (precautions), ==, 0);
  g_assert_cmpuint (pqs_document_get_outline (precautions)->len, ==, 0);
  g_assert_cmpstr (pqs_document_get_title (precautions), ==, "Precautions");
  assert_chain_ok (fixture);
}

static void
test_standard_validation (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *long_title = g_strnfill (201, 'x');
  const PqsStandardFields cases[] = {
    { NULL, NULL, 0, NULL, NULL, NULL },
    { "   ", NULL, 0, NULL, NULL, NULL },
    { long_title, NULL, 0, NULL, NULL, NULL },
    { "Two\nlines", NULL, 0, NULL, NULL, NULL },
    { "Fine", "Unit\x01", 0, NULL, NULL, NULL },
    { "Fine", NULL, 7, NULL, NULL, NULL },
    { "Fine", NULL, 0, NULL, "Rev\n2", NULL },
    { "Fine", NULL, 0, NULL, "\xff\xfe", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqsStandard) standard = pqs_library_create_standard (fixture->library,
                                                                     fixture->author, &cases[i],
                                                                     &error);

      g_assert_null (standard);
      g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
      g_assert_cmpstr (error->message, !=, "");
    }

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standards"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type "
                                   "LIKE 'standard.%%'"), ==, 0);
}

static void
test_standard_update_delete (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Old title");
  g_autoptr(PqsStandard) reloaded = NULL;
  g_autoptr(PqsDocument) document = make_document (fixture, fixture->author, standard, 200, 0);
  gint64 id = pqs_standard_get_id (standard);
  PqsStandardFields fields = { "New title", NULL, PQS_CLASSIFICATION_CONFIDENTIAL,
                               "All hands", "2", NULL };

  g_assert_true (pqs_library_update_standard (fixture->library, fixture->author, id, &fields,
                                              &error));
  g_assert_no_error (error);
  reloaded = pqs_library_load_standard (fixture->library, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_standard_get_title (reloaded), ==, "New title");
  g_assert_null (pqs_standard_get_owning_unit (reloaded));
  g_assert_cmpint (pqs_standard_get_classification (reloaded), ==,
                   PQS_CLASSIFICATION_CONFIDENTIAL);
  g_assert_cmpstr (pqs_standard_get_uid (reloaded), ==, pqs_standard_get_uid (standard));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'standard.update' AND json_extract(details, "
                                   "'$.changes.title.to') = 'New title'"), ==, 1);

  /* The same again changes nothing and writes nothing. */
  g_assert_true (pqs_library_update_standard (fixture->library, fixture->author, id, &fields,
                                              &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'standard.update'"), ==, 1);

  /* Users do not delete standards; supervisors do, with everything in them. */
  g_assert_false (pqs_library_delete_standard (fixture->library, fixture->author, id, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standards"), ==, 1);

  g_assert_true (pqs_library_delete_standard (fixture->library, fixture->supervisor, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standards"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'standard.delete' AND json_extract(details, '$.documents') "
                                   "= 2"), ==, 1);

  g_assert_false (pqs_library_delete_standard (fixture->library, fixture->supervisor, id, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND);
  assert_chain_ok (fixture);
}

/* Ranges, uniqueness, the next free number, a full series. */
static void
test_numbering (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Numbers");
  gint64 id = pqs_standard_get_id (standard);
  guint number = 0;
  struct { guint series; guint number; int code; } bad[] = {
    { 200, 200, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 200, 300, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 200, 199, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 100, 100, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 300, 400, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 400, 401, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 0, 0, PQS_LIBRARY_ERROR_OUT_OF_RANGE },
    { 100, 101, PQS_LIBRARY_ERROR_NUMBER_TAKEN },
    { 200, 201, PQS_LIBRARY_ERROR_NUMBER_TAKEN },
  };
  gint64 documents, changes, audit;

  g_assert_true (pqs_library_next_free_number (fixture->library, id, 100, &number, &error));
  g_assert_cmpuint (number, ==, 102);
  g_assert_true (pqs_library_next_free_number (fixture->library, id, 200, &number, &error));
  g_assert_cmpuint (number, ==, 201);
  g_assert_true (pqs_library_next_free_number (fixture->library, id, 300, &number, &error));
  g_assert_cmpuint (number, ==, 301);
  g_assert_false (pqs_library_next_free_number (fixture->library, id, 250, &number, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_false (pqs_library_next_free_number (fixture->library, id + 99, 200, &number, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_object_unref (make_document (fixture, fixture->author, standard, 200, 0));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE document_number = 201"),
                   ==, 1);
  g_object_unref (make_document (fixture, fixture->author, standard, 200, 250));
  g_assert_true (pqs_library_next_free_number (fixture->library, id, 200, &number, &error));
  g_assert_cmpuint (number, ==, 251);
  g_object_unref (make_document (fixture, fixture->author, standard, 200, 299));
  /* After the last number, the first gap. */
  g_assert_true (pqs_library_next_free_number (fixture->library, id, 200, &number, &error));
  g_assert_cmpuint (number, ==, 202);

  documents = count (fixture, "SELECT count(*) FROM documents");
  changes = count (fixture, "SELECT count(*) FROM document_changes");
  audit = count (fixture, "SELECT count(*) FROM user_activities");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PqsDocument) document = NULL;

      document = pqs_library_create_document (fixture->library, fixture->author, id,
                                              bad[i].series, bad[i].number, 0, "Bad", &error);
      g_assert_null (document);
      if (!g_error_matches (error, PQS_LIBRARY_ERROR, bad[i].code))
        g_error ("case %u (%u in %u): %s", i, bad[i].number, bad[i].series,
                 error != NULL ? error->message : "no error");
      g_clear_error (&error);
    }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, documents);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit);

  /* Numbers are per standard. */
  {
    g_autoptr(PqsStandard) second = make_standard (fixture, fixture->author, "Second");

    g_object_unref (make_document (fixture, fixture->author, second, 200, 201));
  }

  /* A full series has no next number. */
  for (guint n = 203; n <= 298; n++)
    if (n != 250)
      g_object_unref (make_document (fixture, fixture->author, standard, 200, n));
  g_assert_true (pqs_library_next_free_number (fixture->library, id, 200, &number, &error));
  g_assert_cmpuint (number, ==, 202);
  g_object_unref (make_document (fixture, fixture->author, standard, 200, 0));
  g_assert_false (pqs_library_next_free_number (fixture->library, id, 200, &number, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NUMBER_TAKEN);
  g_clear_error (&error);
  g_assert_null (pqs_library_create_document (fixture->library, fixture->author, id, 200, 0, 0,
                                              NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NUMBER_TAKEN);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE standard_id = %"
                                   G_GINT64_FORMAT " AND section = 200", id), ==, 99);
}

/* 101 is neither deleted nor renumbered; others are renumbered within
 * their series. */
static void
test_protected_101 (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Protected");
  gint64 id = pqs_standard_get_id (standard);
  g_autoptr(PqsDocument) precautions = pqs_library_find_document (fixture->library, NULL, id, 101,
                                                                  NULL);
  g_autoptr(PqsDocument) fundamentals = make_document (fixture, fixture->author, standard, 100, 0);
  gint64 p_id = pqs_document_get_id (precautions);
  gint64 f_id = pqs_document_get_id (fundamentals);
  gint64 audit = count (fixture, "SELECT count(*) FROM user_activities");

  g_assert_false (pqs_library_delete_document (fixture->library, fixture->supervisor, p_id,
                                               &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_PROTECTED);
  g_clear_error (&error);
  g_assert_false (pqs_library_delete_document (fixture->library, NULL, p_id, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_PROTECTED);
  g_clear_error (&error);
  g_assert_false (pqs_library_renumber_document (fixture->library, fixture->author, p_id, 150,
                                                 &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_PROTECTED);
  g_clear_error (&error);
  g_assert_false (pqs_library_renumber_document (fixture->library, fixture->author, f_id, 101,
                                                 &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NUMBER_TAKEN);
  g_clear_error (&error);
  g_assert_false (pqs_library_renumber_document (fixture->library, fixture->author, f_id, 205,
                                                 &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit);
  g_assert_cmpint (count (fixture, "SELECT document_number FROM documents WHERE id = %"
                                   G_GINT64_FORMAT, p_id), ==, 101);

  /* Another section moves within its series, with a change and an audit row. */
  g_assert_true (pqs_library_renumber_document (fixture->library, fixture->author, f_id, 110,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT document_number FROM documents WHERE id = %"
                                   G_GINT64_FORMAT, f_id), ==, 110);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE action = "
                                   "'renumber' AND document_id = %" G_GINT64_FORMAT
                                   " AND new_content LIKE '%%Number: 110%%'", f_id), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.renumber' AND json_extract(details, "
                                   "'$.from_number') = 102"), ==, 1);

  /* Deleting the other section is fine. */
  g_assert_true (pqs_library_delete_document (fixture->library, fixture->author, f_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, 1);
  assert_chain_ok (fixture);
}

static void
test_create_from_template (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Templates");
  g_autoptr(PqsDocument) document = NULL;
  gint64 id = pqs_standard_get_id (standard);
  gint64 systems = count (fixture, "SELECT id FROM templates WHERE is_system = 1 AND "
                                   "section = 200 ORDER BY id LIMIT 1");
  g_autofree char *name = text (fixture, "SELECT name FROM templates WHERE id = %"
                                         G_GINT64_FORMAT, systems);
  g_autofree char *body = text (fixture, "SELECT template_content FROM templates WHERE id = %"
                                         G_GINT64_FORMAT, systems);
  gint64 n_items = count (fixture, "SELECT count(*) FROM templates, json_tree(templates.outline) "
                                   "WHERE templates.id = %" G_GINT64_FORMAT " AND json_tree.key "
                                   "= 'kind'", systems);

  document = pqs_library_create_document (fixture->library, fixture->author, id, 200, 0, systems,
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_document_get_title (document), ==, name);
  g_assert_cmpstr (pqs_document_get_body (document), ==, body);
  g_assert_cmpuint (pqs_document_get_number (document), ==, 201);
  g_assert_cmpint (pqs_document_get_template_id (document), ==, systems);
  g_assert_cmpint (pqs_document_get_outline (document)->len, ==, n_items);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT, pqs_document_get_id (document)), ==, n_items);
  g_clear_object (&document);

  /* A template of another series, an inactive one, one that is not there. */
  document = pqs_library_create_document (fixture->library, fixture->author, id, 300, 0, systems,
                                          NULL, &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);
  pqs_test_exec (fixture->db, "UPDATE templates SET is_active = 0 WHERE section = 200");
  document = pqs_library_create_document (fixture->library, fixture->author, id, 200, 0, systems,
                                          "Title", &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);
  document = pqs_library_create_document (fixture->library, fixture->author, id, 200, 0, 99999,
                                          "Title", &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Blank, with a title of its own, and visitors create none. */
  document = pqs_library_create_document (fixture->library, fixture->author, id, 300, 0, 0,
                                          "  Lookout  ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_document_get_title (document), ==, "Lookout");
  g_assert_cmpuint (pqs_document_get_outline (document)->len, ==, 0);
  g_clear_object (&document);
  document = pqs_library_create_document (fixture->library, fixture->visitor, id, 300, 0, 0,
                                          "No", &error);
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, 3);
}

/* A save: the row, the outline, the change and the audit row. */
static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Saving");
  g_autoptr(PqsDocument) document = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(PqsDocument) reloaded = NULL;
  g_autoptr(GPtrArray) outline = make_outline (50, "Lube oil");
  g_autofree char *before_text = pqs_document_render_canonical (document);
  g_autofree char *after_text = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  gint64 id = pqs_document_get_id (document);
  gint64 edit_count = pqs_document_get_edit_count (document);
  gint64 changes = count (fixture, "SELECT count(*) FROM document_changes");
  gint64 audit = count (fixture, "SELECT count(*) FROM user_activities");

  json_object_set_string_member (metadata, "owner", "A division");
  json_object_set_int_member (metadata, "hours", 12);
  pqs_document_set_title (document, "Lube Oil System");
  pqs_document_set_body (document, "Line one.\nLine two.");
  pqs_document_set_metadata (document, metadata);
  pqs_document_set_outline (document, outline);

  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document,
                                            "First content", PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  after_text = pqs_document_render_canonical (document);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, after_text, -1);

  g_assert_cmpint (pqs_document_get_edit_count (document), ==, edit_count + 1);
  g_assert_cmpstr (pqs_document_get_content_hash (document), ==, hash);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes + 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit + 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.update' AND resource_type = 'document' AND "
                                   "resource_id = %" G_GINT64_FORMAT " AND json_extract(details, "
                                   "'$.summary') = 'First content'", id), ==, 1);
  {
    g_autofree char *old_content = text (fixture, "SELECT old_content FROM document_changes "
                                                  "ORDER BY id DESC LIMIT 1");
    g_autofree char *new_content = text (fixture, "SELECT new_content FROM document_changes "
                                                  "ORDER BY id DESC LIMIT 1");
    g_autofree char *stored_hash = text (fixture, "SELECT content_hash FROM documents WHERE id = %"
                                                  G_GINT64_FORMAT, id);

    g_assert_cmpstr (old_content, ==, before_text);
    g_assert_cmpstr (new_content, ==, after_text);
    g_assert_cmpstr (stored_hash, ==, hash);
  }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE change_type = "
                                   "'update' AND action = 'save' AND status = 'draft' AND "
                                   "user_id = %" G_GINT64_FORMAT " AND change_summary = "
                                   "'First content'", pqs_user_get_id (fixture->author)), ==, 1);

  /* The outline in its own table: 50 rows, positions from 0 among siblings,
   * children under their parents. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT, id), ==, 50);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items AS c JOIN document_items "
                                   "AS p ON p.id = c.parent_id WHERE c.kind = 'sub_question' AND "
                                   "p.kind <> 'question'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items AS c JOIN document_items "
                                   "AS p ON p.id = c.parent_id WHERE c.kind = 'second_level' AND "
                                   "p.kind <> 'sub_question'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT max(position) + 1 - count(*) FROM document_items "
                                   "WHERE document_id = %" G_GINT64_FORMAT " AND parent_id IS "
                                   "NULL", id), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT " AND parent_id IS NULL", id), ==,
                   count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT " AND kind IN ('question', 'signature') "
                                   "AND parent_id IS NULL", id));

  reloaded = pqs_library_load_document (fixture->library, fixture->author, id, &error);
  g_assert_no_error (error);
  g_assert_true (pqs_outline_equal (pqs_document_get_outline (reloaded), outline));
  g_assert_cmpstr (pqs_document_get_title (reloaded), ==, "Lube Oil System");
  g_assert_cmpstr (pqs_document_get_body (reloaded), ==, "Line one.\nLine two.");
  g_assert_cmpint (json_object_get_int_member (pqs_document_get_metadata (reloaded), "hours"),
                   ==, 12);
  {
    g_autofree char *reloaded_text = pqs_document_render_canonical (reloaded);

    g_assert_cmpstr (reloaded_text, ==, after_text);
  }

  /* Saving what is stored writes nothing. */
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, reloaded, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes + 1);
  g_assert_cmpint (pqs_document_get_edit_count (reloaded), ==, edit_count + 1);

  /* A smaller outline replaces the old one; a title edit alone keeps it. */
  {
    g_autoptr(GPtrArray) small = make_outline (5, "Small");

    pqs_document_set_outline (reloaded, small);
    g_assert_true (pqs_library_save_document (fixture->library, fixture->author, reloaded, NULL,
                                              PQS_SAVE_DEFAULT, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                     G_GINT64_FORMAT, id), ==, 5);
    pqs_document_set_title (reloaded, "Renamed");
    g_assert_true (pqs_library_save_document (fixture->library, fixture->author, reloaded, NULL,
                                              PQS_SAVE_DEFAULT, &error));
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                     G_GINT64_FORMAT, id), ==, 5);
  }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes + 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit + 3);
  assert_chain_ok (fixture);
}

/* The stored outline follows every kind of edit: texts, items added and
 * removed at the end, in the middle, other shapes. Unchanged leading items
 * keep their rows; sibling positions stay 0, 1, 2… */
static void
assert_items_consistent (Fixture *fixture,
                         gint64   id)
{
  /* Positions among siblings are 0 … n-1. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM (SELECT parent_id, count(*) AS n, "
                                   "max(position) AS top, min(position) AS low FROM "
                                   "document_items WHERE document_id = %" G_GINT64_FORMAT
                                   " GROUP BY parent_id) WHERE top <> n - 1 OR low <> 0", id),
                   ==, 0);
  /* Children hang under the kinds the rules allow. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items AS c JOIN "
                                   "document_items AS p ON p.id = c.parent_id WHERE "
                                   "c.document_id = %" G_GINT64_FORMAT " AND (p.kind NOT IN "
                                   "('question', 'sub_question') OR (c.kind = 'sub_question' "
                                   "AND p.kind <> 'question') OR (c.kind = 'second_level' AND "
                                   "p.kind <> 'sub_question'))", id), ==, 0);
  /* The search index follows the rows (011's triggers, whatever the number
   * of rows a statement writes). */
  g_assert_cmpint (sqlite3_exec (fixture->db, "INSERT INTO document_items_fts "
                                 "(document_items_fts) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
test_outline_edits (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Outlines");
  g_autoptr(PqsDocument) document = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(GPtrArray) base = make_outline (30, "Base");
  g_autofree char *ids_before = NULL;
  g_autofree char *ids_after = NULL;
  gint64 id = pqs_document_get_id (document);
  g_autofree char *ids_sql = g_strdup_printf ("SELECT group_concat(id) FROM (SELECT id FROM "
                                              "document_items WHERE document_id = %"
                                              G_GINT64_FORMAT " ORDER BY id)", id);

  pqs_document_set_outline (document, base);
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  ids_before = pqs_test_query_text (fixture->db, ids_sql);

  for (guint round = 0; round < 9; round++)
    {
      g_autoptr(GPtrArray) outline = NULL;
      g_autoptr(PqsDocument) reloaded = NULL;
      PqsOutlineItem *item;

      switch (round)
        {
        case 0:   /* one text */
          outline = pqs_outline_copy (base);
          item = g_ptr_array_index (outline, 7);
          g_free (item->text);
          item->text = g_strdup ("Edited text");
          break;
        case 1:   /* an answer removed, criteria added */
          outline = pqs_outline_copy (pqs_document_get_outline (document));
          item = g_ptr_array_index (outline, 0);
          g_clear_pointer (&item->answer, g_free);
          item = g_ptr_array_index (outline, 1);
          item->criteria = g_strdup ("New criteria");
          break;
        case 2:   /* items added at the end */
          outline = pqs_outline_copy (pqs_document_get_outline (document));
          g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, "Appended",
                                                          NULL, NULL));
          g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "Its sub",
                                                          NULL, NULL));
          break;
        case 3:   /* a sub-question inserted in the middle */
          outline = pqs_outline_copy (pqs_document_get_outline (document));
          g_ptr_array_insert (outline, 2, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1,
                                                                "Inserted", NULL, NULL));
          break;
        case 4:   /* the first question removed with its children */
          outline = pqs_outline_copy (pqs_document_get_outline (document));
          while (outline->len > 1 &&
                 ((PqsOutlineItem *) g_ptr_array_index (outline, 1))->depth > 0)
            g_ptr_array_remove_index (outline, 1);
          g_ptr_array_remove_index (outline, 0);
          break;
        case 5:   /* cut short */
          outline = pqs_outline_copy (pqs_document_get_outline (document));
          g_ptr_array_set_size (outline, 4);
          break;
        case 6:   /* another shape altogether */
          outline = make_outline (17, "Other");
          break;
        case 7:   /* texts that need escaping on their way to the rows */
          outline = pqs_outline_copy (pqs_document_get_outline (document));
          g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0,
                                                          "Quote \" back\\slash\ttab\nline "
                                                          "\r caf\xc3\xa9 \xe2\x80\x94",
                                                          "{\"a\": [1]}", "\\u0041"));
          g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "\"", "",
                                                          "0"));
          break;
        case 8:   /* empty */
        default:
          outline = pqs_outline_new ();
          break;
        }

      g_assert_true (pqs_outline_validate (outline, NULL));
      pqs_document_set_outline (document, outline);
      g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document,
                                                NULL, PQS_SAVE_DEFAULT, &error));
      g_assert_no_error (error);

      reloaded = load_as_operator (fixture, id);
      if (!pqs_outline_equal (pqs_document_get_outline (reloaded), outline))
        g_error ("round %u: the stored outline differs", round);
      assert_items_consistent (fixture, id);

      if (round <= 1)
        {
          /* A text edit keeps every row. */
          g_clear_pointer (&ids_after, g_free);
          ids_after = pqs_test_query_text (fixture->db, ids_sql);
          g_assert_cmpstr (ids_after, ==, ids_before);
        }
    }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT, id), ==, 0);
  assert_chain_ok (fixture);
}

static void
test_save_validation (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Validation");
  gint64 systems = count (fixture, "SELECT id FROM templates WHERE is_system = 1 AND "
                                   "section = 200 ORDER BY id LIMIT 1");
  g_autoptr(PqsDocument) document = pqs_library_create_document (fixture->library,
                                                                 fixture->author,
                                                                 pqs_standard_get_id (standard),
                                                                 200, 0, systems, NULL, NULL);
  g_autofree char *long_title = g_strnfill (201, 't');
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  const char *bad_metadata[] = {
    "{\"no_such_field\": \"x\"}",
    "{\"difficulty\": \"Impossible\"}",
    "{\"references\": 12}",
    "{\"interfaces\": \"two\\nlines\"}",
  };
  const char *sql = "SELECT group_concat(title || content || ifnull(metadata, '') || edit_count) "
                    "FROM documents";
  gint64 changes = count (fixture, "SELECT count(*) FROM document_changes");

  g_assert_nonnull (document);
  dump = pqs_test_query_text (fixture->db, sql);

  for (guint i = 0; i < G_N_ELEMENTS (bad_metadata); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqsDocument) copy = pqs_document_copy (document);

      g_assert_true (pqs_document_set_metadata_json (copy, bad_metadata[i], &error));
      g_assert_false (pqs_library_save_document (fixture->library, fixture->author, copy, NULL,
                                                 PQS_SAVE_DEFAULT, &error));
      if (!g_error_matches (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID))
        g_error ("metadata %s: %s", bad_metadata[i], error ? error->message : "no error");
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsDocument) copy = pqs_document_copy (document);
    g_autoptr(GPtrArray) outline = pqs_outline_new ();

    pqs_document_set_title (copy, long_title);
    g_assert_false (pqs_library_save_document (fixture->library, fixture->author, copy, NULL,
                                               PQS_SAVE_DEFAULT, &error));
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
    g_clear_error (&error);

    pqs_document_set_title (copy, " ");
    g_assert_false (pqs_library_save_document (fixture->library, fixture->author, copy, NULL,
                                               PQS_SAVE_DEFAULT, &error));
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
    g_clear_error (&error);

    /* A sub-question at the top level breaks the outline's rules. */
    pqs_document_set_title (copy, "Fine");
    g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 0, "Orphan", NULL,
                                                    NULL));
    pqs_document_set_outline (copy, outline);
    g_assert_false (pqs_library_save_document (fixture->library, fixture->author, copy, NULL,
                                               PQS_SAVE_DEFAULT, &error));
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "Item 1"));
    g_clear_error (&error);

    /* Required fields may be empty while saving. */
    g_clear_pointer (&outline, g_ptr_array_unref);
    outline = pqs_outline_new ();
    pqs_document_set_outline (copy, outline);
    g_assert_true (pqs_document_set_metadata_json (copy, "{\"difficulty\": \"Basic\"}", &error));
    g_assert_true (pqs_library_save_document (fixture->library, fixture->author, copy, NULL,
                                              PQS_SAVE_DEFAULT, &error));
    g_assert_no_error (error);
  }

  dump_after = pqs_test_query_text (fixture->db, sql);
  g_assert_cmpstr (dump, !=, dump_after);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes + 1);
}

/* Two editors load the same document; the second save is refused and the
 * first one's text is intact. Overwriting keeps theirs in the history. */
static void
test_conflict (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Conflicts");
  g_autoptr(PqsDocument) created = make_document (fixture, fixture->author, standard, 300, 0);
  gint64 id = pqs_document_get_id (created);
  g_autoptr(PqsDocument) mine = NULL;
  g_autoptr(PqsDocument) theirs = NULL;
  g_autofree char *stored = NULL;
  gint64 changes;

  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id,
                                               pqs_user_get_id (fixture->other),
                                               PQS_COLLABORATOR_EDITOR, &error));
  g_assert_no_error (error);

  mine = pqs_library_load_document (fixture->library, fixture->author, id, &error);
  g_assert_no_error (error);
  theirs = pqs_library_load_document (fixture->library, fixture->other, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_document_get_edit_count (mine), ==, pqs_document_get_edit_count (theirs));

  pqs_document_set_body (mine, "The author's text.");
  pqs_document_set_body (theirs, "The editor's text.");

  g_assert_true (pqs_library_save_document (fixture->library, fixture->other, theirs, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  changes = count (fixture, "SELECT count(*) FROM document_changes");

  g_assert_false (pqs_library_save_document (fixture->library, fixture->author, mine, NULL,
                                             PQS_SAVE_DEFAULT, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Some Body"));
  g_clear_error (&error);

  stored = text (fixture, "SELECT content FROM documents WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_cmpstr (stored, ==, "The editor's text.");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes);
  /* The loser's object still holds their edits, for the user to merge. */
  g_assert_cmpstr (pqs_document_get_body (mine), ==, "The author's text.");

  /* Choosing their text: saved over, and the other text stays in the history. */
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, mine,
                                            "Kept my version", PQS_SAVE_OVERWRITE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, g_free);
  stored = text (fixture, "SELECT content FROM documents WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_cmpstr (stored, ==, "The author's text.");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE document_id = %"
                                   G_GINT64_FORMAT " AND old_content LIKE '%%The editor''s "
                                   "text.%%' AND new_content LIKE '%%The author''s text.%%'",
                                   id), ==, 1);

  /* After a reload the editor saves again without a conflict. */
  g_assert_true (pqs_library_reload_document (fixture->library, theirs, &error));
  g_assert_cmpstr (pqs_document_get_body (theirs), ==, "The author's text.");
  pqs_document_set_body (theirs, "Merged text.");
  g_assert_true (pqs_library_save_document (fixture->library, fixture->other, theirs, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);

  /* Any write of the row moves the token, a status change too. */
  pqs_test_exec (fixture->db, "UPDATE documents SET reviewed_at = '2026-01-01T00:00:00.000Z'");
  pqs_document_set_body (theirs, "After an outside change.");
  g_assert_false (pqs_library_save_document (fixture->library, fixture->other, theirs, NULL,
                                             PQS_SAVE_DEFAULT, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_CONFLICT);
  assert_chain_ok (fixture);
}

static void
test_save_permissions (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Who edits");
  g_autoptr(PqsDocument) created = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(PqsUser) viewer = add_user (fixture, "viewer", PQS_ROLE_USER);
  g_autoptr(PqsUser) editor = add_user (fixture, "editor", PQS_ROLE_USER);
  gint64 id = pqs_document_get_id (created);
  struct { PqsUser *actor; gboolean allowed; } cases[] = {
    { fixture->visitor, FALSE },
    { fixture->other, FALSE },
    { viewer, FALSE },
    { editor, TRUE },
    { fixture->author, TRUE },
    { fixture->supervisor, TRUE },
    { fixture->admin, TRUE },
  };

  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id,
                                               pqs_user_get_id (viewer), PQS_COLLABORATOR_VIEWER,
                                               NULL));
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id,
                                               pqs_user_get_id (editor), PQS_COLLABORATOR_EDITOR,
                                               NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PqsDocument) document = load_as_operator (fixture, id);
      g_autofree char *body = g_strdup_printf ("Edit %u", i);
      gint64 changes = count (fixture, "SELECT count(*) FROM document_changes");
      gboolean ok;

      pqs_document_set_body (document, body);
      ok = pqs_library_save_document (fixture->library, cases[i].actor, document, NULL,
                                      PQS_SAVE_DEFAULT, &error);
      if (cases[i].allowed)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==,
                           changes + 1);
        }
      else
        {
          g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          g_assert_false (ok);
          g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes"), ==, changes);
        }
    }

  /* Drafts are read by their author, collaborators and supervisors only. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PqsDocument) document = NULL;
    g_autoptr(GPtrArray) visible = NULL;

    document = pqs_library_load_document (fixture->library, fixture->other, id, &error);
    g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
    g_assert_null (document);
    g_clear_error (&error);
    document = pqs_library_load_document (fixture->library, viewer, id, &error);
    g_assert_no_error (error);
    g_assert_nonnull (document);

    visible = pqs_library_list_documents (fixture->library, fixture->other,
                                          pqs_standard_get_id (standard), FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (visible->len, ==, 0);
    g_clear_pointer (&visible, g_ptr_array_unref);
    visible = pqs_library_list_documents (fixture->library, viewer,
                                          pqs_standard_get_id (standard), TRUE, &error);
    g_assert_cmpuint (visible->len, ==, 1);
    g_clear_pointer (&visible, g_ptr_array_unref);
    visible = pqs_library_list_documents (fixture->library, fixture->author,
                                          pqs_standard_get_id (standard), TRUE, &error);
    g_assert_cmpuint (visible->len, ==, 2);
    g_assert_cmpuint (pqs_document_get_number (g_ptr_array_index (visible, 0)), ==, 101);
    g_assert_cmpuint (pqs_document_get_number (g_ptr_array_index (visible, 1)), ==, 201);
    g_assert_true (pqs_library_can (fixture->library, editor, PQS_ACTION_EDIT_DOCUMENT, id));
    g_assert_false (pqs_library_can (fixture->library, viewer, PQS_ACTION_EDIT_DOCUMENT, id));
  }
}

static void
test_collaborators (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Together");
  g_autoptr(PqsDocument) created = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(PqsUser) helper = add_user (fixture, "helper", PQS_ROLE_USER);
  g_autoptr(GPtrArray) list = NULL;
  gint64 id = pqs_document_get_id (created);
  gint64 helper_id = pqs_user_get_id (helper);
  PqsDocumentAccess access;

  /* Someone who is not on the document cannot share it. */
  g_assert_false (pqs_library_set_collaborator (fixture->library, fixture->other, id, helper_id,
                                                PQS_COLLABORATOR_EDITOR, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id, helper_id,
                                               PQS_COLLABORATOR_VIEWER, &error));
  g_assert_no_error (error);
  g_assert_true (pqs_library_get_access (fixture->library, helper, id, &access, &error));
  g_assert_cmpint (access.collaboration, ==, PQS_COLLABORATOR_VIEWER);
  g_assert_cmpint (access.created_by, ==, pqs_user_get_id (fixture->author));
  g_assert_cmpint (access.status, ==, PQS_DOCUMENT_DRAFT);

  /* Editors do not share; an owner does. */
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id, helper_id,
                                               PQS_COLLABORATOR_EDITOR, &error));
  g_assert_false (pqs_library_set_collaborator (fixture->library, helper, id,
                                                pqs_user_get_id (fixture->other),
                                                PQS_COLLABORATOR_VIEWER, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->supervisor, id,
                                               helper_id, PQS_COLLABORATOR_OWNER, &error));
  g_assert_true (pqs_library_set_collaborator (fixture->library, helper, id,
                                               pqs_user_get_id (fixture->other),
                                               PQS_COLLABORATOR_VIEWER, &error));
  g_assert_no_error (error);

  /* Visitors only view; the author is not a collaborator; no such account. */
  g_assert_false (pqs_library_set_collaborator (fixture->library, fixture->author, id,
                                                pqs_user_get_id (fixture->visitor),
                                                PQS_COLLABORATOR_EDITOR, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id,
                                               pqs_user_get_id (fixture->visitor),
                                               PQS_COLLABORATOR_VIEWER, &error));
  g_assert_false (pqs_library_set_collaborator (fixture->library, fixture->author, id,
                                                pqs_user_get_id (fixture->author),
                                                PQS_COLLABORATOR_VIEWER, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pqs_library_set_collaborator (fixture->library, fixture->author, id, 9999,
                                                PQS_COLLABORATOR_VIEWER, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  list = pqs_library_list_collaborators (fixture->library, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (((PqsCollaborator *) g_ptr_array_index (list, 0))->role, ==,
                   PQS_COLLABORATOR_OWNER);
  g_assert_cmpstr (((PqsCollaborator *) g_ptr_array_index (list, 0))->username, ==, "helper");

  /* Removing, twice: the second time changes nothing. */
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id, helper_id,
                                               PQS_COLLABORATOR_NONE, &error));
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, id, helper_id,
                                               PQS_COLLABORATOR_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_collaborators WHERE user_id = %"
                                   G_GINT64_FORMAT, helper_id), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.collaborator'"), ==, 6);
  assert_chain_ok (fixture);
}

static void
test_delete_document (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Deleting");
  g_autoptr(PqsDocument) first = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(PqsDocument) second = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(GPtrArray) outline = make_outline (10, "Doomed");

  pqs_document_set_outline (first, outline);
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, first, NULL,
                                            PQS_SAVE_DEFAULT, &error));

  g_assert_false (pqs_library_delete_document (fixture->library, fixture->other,
                                               pqs_document_get_id (first), &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (pqs_library_delete_document (fixture->library, fixture->visitor,
                                               pqs_document_get_id (first), &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);

  g_assert_true (pqs_library_delete_document (fixture->library, fixture->author,
                                              pqs_document_get_id (first), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items WHERE document_id = %"
                                   G_GINT64_FORMAT, pqs_document_get_id (first)), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.delete' AND resource_id = %" G_GINT64_FORMAT,
                                   pqs_document_get_id (first)), ==, 1);

  g_assert_true (pqs_library_delete_document (fixture->library, fixture->supervisor,
                                              pqs_document_get_id (second), &error));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, 1);
  assert_chain_ok (fixture);
}

/* The write and its audit row are one transaction: an audit row that
 * cannot be written takes the document change with it. */
static void
test_audit_in_same_transaction (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = make_standard (fixture, fixture->author, "Atomic");
  g_autoptr(PqsDocument) document = make_document (fixture, fixture->author, standard, 200, 0);
  g_autoptr(GPtrArray) outline = make_outline (20, "Atomic");
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  const char *sql = "SELECT (SELECT group_concat(title || content || edit_count || "
                    "ifnull(content_hash, '')) FROM documents) || (SELECT count(*) FROM "
                    "document_items) || (SELECT count(*) FROM document_changes) || (SELECT "
                    "count(*) FROM standards) || (SELECT count(*) FROM user_activities)";

  dump = pqs_test_query_text (fixture->db, sql);
  pqs_test_exec (fixture->db, "CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON "
                              "main.user_activities BEGIN SELECT RAISE(ABORT, 'disk says no'); END");

  pqs_document_set_outline (document, outline);
  pqs_document_set_body (document, "Never stored.");
  g_assert_false (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                             PQS_SAVE_DEFAULT, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "disk says no"));
  g_clear_error (&error);
  g_assert_cmpint (pqs_document_get_edit_count (document), ==, 0);

  g_assert_null (make_standard_or_null (fixture));
  g_assert_null (pqs_library_create_document (fixture->library, fixture->author,
                                              pqs_standard_get_id (standard), 300, 0, 0, "X",
                                              &error));
  g_clear_error (&error);
  g_assert_false (pqs_library_renumber_document (fixture->library, fixture->author,
                                                 pqs_document_get_id (document), 222, &error));
  g_clear_error (&error);

  dump_after = pqs_test_query_text (fixture->db, sql);
  g_assert_cmpstr (dump, ==, dump_after);

  pqs_test_exec (fixture->db, "DROP TRIGGER temp.refuse_audit");
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  assert_chain_ok (fixture);
}

static void
test_canonical (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(PqsDocument) a = pqs_document_new (201, "Main Engine Lube Oil");
  g_autoptr(PqsDocument) b = pqs_document_new (201, "Main Engine Lube Oil");
  g_autoptr(GPtrArray) outline = pqs_outline_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rendered = NULL;
  g_autofree char *hash_a = NULL;
  g_autofree char *hash_b = NULL;
  const char *expected =
    "Title: Main Engine Lube Oil\n"
    "Number: 201\n"
    "Fields:\n"
    "  hours: 12\n"
    "  qualifier: {\"date\":\"2026-01-02\",\"name\":\"Smith\",\"rank\":\"PO1\"}\n"
    "  references: NAVSEA 1\n"
    "    NAVSEA 2\n"
    "Body:\n"
    "  First line\n"
    "  second line\n"
    "Outline:\n"
    "  1. What is the normal oil pressure?\n"
    "     Answer: 45 psi\n"
    "     Criteria: within 5 psi\n"
    "    1.a Where is the gauge?\n"
    "      1.a.(1) Which scale?\n"
    "      1.a.(2) Which colour?\n"
    "    1.b Who reads it?\n"
    "    Text: a note\n"
    "  2. Second question\n"
    "    2.a Sub\n"
    "  Signature: Qualifier\n";

  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0,
                                                  "What is the normal oil pressure?",
                                                  "45 psi", "within 5 psi"));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1,
                                                  "Where is the gauge?", "", NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SECOND_LEVEL, 2, "Which scale?",
                                                  NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SECOND_LEVEL, 2, "Which colour?",
                                                  NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "Who reads it?",
                                                  NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_TEXT, 1, "a note", NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_QUESTION, 0, "Second question",
                                                  NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SUB_QUESTION, 1, "Sub", NULL, NULL));
  g_ptr_array_add (outline, pqs_outline_item_new (PQS_ITEM_SIGNATURE, 0, "Qualifier", NULL,
                                                  NULL));
  g_assert_true (pqs_outline_validate (outline, NULL));

  g_assert_true (pqs_document_set_metadata_json (a, "{\"references\": \"NAVSEA 1\\nNAVSEA 2\", "
                                                 "\"hours\": 12.0, \"qualifier\": {\"rank\": "
                                                 "\"PO1\", \"name\": \"Smith\", \"date\": "
                                                 "\"2026-01-02\"}}", &error));
  g_assert_true (pqs_document_set_metadata_json (b, "{\"qualifier\": {\"date\": \"2026-01-02\", "
                                                 "\"name\": \"Smith\", \"rank\": \"PO1\"}, "
                                                 "\"hours\": 12, \"references\": "
                                                 "\"NAVSEA 1\\r\\nNAVSEA 2\"}", &error));
  pqs_document_set_body (a, "First line\nsecond line");
  pqs_document_set_body (b, "First line\r\nsecond line\n");
  pqs_document_set_outline (a, outline);
  pqs_document_set_outline (b, outline);

  rendered = pqs_document_render_canonical (a);
  g_assert_cmpstr (rendered, ==, expected);

  /* The same content in another order, with other line ends: the same hash. */
  hash_a = pqs_document_compute_hash (a);
  hash_b = pqs_document_compute_hash (b);
  g_assert_cmpstr (hash_a, ==, hash_b);
  g_assert_cmpuint (strlen (hash_a), ==, 64);

  /* A body line cannot pass for a heading. */
  pqs_document_set_body (b, "Outline:\n  1. Fake");
  g_clear_pointer (&rendered, g_free);
  rendered = pqs_document_render_canonical (b);
  g_assert_nonnull (strstr (rendered, "Body:\n  Outline:\n    1. Fake\nOutline:\n"));
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PqsStandard) imported = NULL;
  g_autoptr(PqsStandard) again = NULL;
  g_autoptr(GPtrArray) outline = make_outline (12, "Imported");
  PqsStandardFields fields = { "Imported standard", "Elsewhere", PQS_CLASSIFICATION_SECRET,
                               NULL, "4", "4f1c-package-uid" };
  PqsDocument *doc;
  gint64 audit;
  gint64 standards;

  doc = pqs_document_new (201, "Fuel oil");
  pqs_document_set_outline (doc, outline);
  pqs_document_set_body (doc, "From another workstation.");
  g_ptr_array_add (documents, doc);
  doc = pqs_document_new (301, "Watch");
  pqs_document_set_template_id (doc, 987654);   /* not on this workstation */
  g_ptr_array_add (documents, doc);

  imported = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                          PQS_IMPORT_FAIL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pqs_standard_get_uid (imported), ==, "4f1c-package-uid");
  g_assert_cmpstr (pqs_standard_get_revision (imported), ==, "4");
  g_assert_cmpuint (pqs_standard_get_document_count (imported), ==, 3);   /* with a 101 */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE template_id IS NULL "
                                   "AND document_number = 301"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_items AS i JOIN documents AS "
                                   "d ON d.id = i.document_id WHERE d.document_number = 201"),
                   ==, 12);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.import'"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'standard.import'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE action = "
                                   "'import'"), ==, 3);

  /* The same package again: refused, overwritten, or a new standard. */
  audit = count (fixture, "SELECT count(*) FROM user_activities");
  again = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                       PQS_IMPORT_FAIL, &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_CONFLICT);
  g_assert_null (again);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit);

  pqs_document_set_body (g_ptr_array_index (documents, 0), "Updated elsewhere.");
  again = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                       PQS_IMPORT_OVERWRITE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_standard_get_id (again), ==, pqs_standard_get_id (imported));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE content = "
                                   "'Updated elsewhere.'"), ==, 1);
  /* 301 did not change: only 201 has a second import change. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE action = "
                                   "'import'"), ==, 4);
  g_clear_object (&again);

  again = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                       PQS_IMPORT_NEW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pqs_standard_get_id (again), !=, pqs_standard_get_id (imported));
  g_assert_cmpstr (pqs_standard_get_uid (again), !=, "4f1c-package-uid");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standards"), ==, 2);
  g_clear_object (&again);

  /* A bad document anywhere: nothing at all is written. */
  standards = count (fixture, "SELECT count(*) FROM standards");
  audit = count (fixture, "SELECT count(*) FROM user_activities");
  {
    g_autoptr(GPtrArray) bad_outline = pqs_outline_new ();

    doc = pqs_document_new (302, "Broken");
    g_ptr_array_add (bad_outline, pqs_outline_item_new (PQS_ITEM_SECOND_LEVEL, 0, "Lost", NULL,
                                                        NULL));
    pqs_document_set_outline (doc, bad_outline);
    g_ptr_array_add (documents, doc);
  }
  fields.uid = "another-uid";
  again = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                       PQS_IMPORT_FAIL, &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Section 302: "));
  g_clear_error (&error);
  g_ptr_array_remove_index (documents, documents->len - 1);
  doc = pqs_document_new (201, "Twice");
  g_ptr_array_add (documents, doc);
  again = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                       PQS_IMPORT_FAIL, &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NUMBER_TAKEN);
  g_clear_error (&error);
  g_ptr_array_remove_index (documents, documents->len - 1);
  doc = pqs_document_new (420, "Out of range");
  g_ptr_array_add (documents, doc);
  again = pqs_library_import_standard (fixture->library, fixture->author, &fields, documents,
                                       PQS_IMPORT_FAIL, &error);
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_ptr_array_remove_index (documents, documents->len - 1);
  again = pqs_library_import_standard (fixture->library, fixture->visitor, &fields, documents,
                                       PQS_IMPORT_FAIL, &error);
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM standards"), ==, standards);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities"), ==, audit);

  /* One document into a standard: a taken number, the next free one. */
  {
    g_autoptr(PqsDocument) content = pqs_document_new (201, "Lube oil");
    g_autoptr(PqsDocument) stored = NULL;

    stored = pqs_library_import_document (fixture->library, fixture->author,
                                          pqs_standard_get_id (imported), content,
                                          PQS_IMPORT_FAIL, &error);
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_NUMBER_TAKEN);
    g_assert_null (stored);
    g_clear_error (&error);
    stored = pqs_library_import_document (fixture->library, fixture->author,
                                          pqs_standard_get_id (imported), content,
                                          PQS_IMPORT_NEW, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pqs_document_get_number (stored), ==, 202);
    g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                     "'document.import' AND json_extract(details, "
                                     "'$.requested_number') = 201"), ==, 1);
  }
  assert_chain_ok (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/documents/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("standard/create", test_standard_create);
  ADD ("standard/validation", test_standard_validation);
  ADD ("standard/update-delete", test_standard_update_delete);
  ADD ("numbering", test_numbering);
  ADD ("protected-101", test_protected_101);
  ADD ("create-from-template", test_create_from_template);
  ADD ("save", test_save);
  ADD ("outline-edits", test_outline_edits);
  ADD ("save-validation", test_save_validation);
  ADD ("conflict", test_conflict);
  ADD ("save-permissions", test_save_permissions);
  ADD ("collaborators", test_collaborators);
  ADD ("delete-document", test_delete_document);
  ADD ("audit-in-same-transaction", test_audit_in_same_transaction);
  ADD ("canonical", test_canonical);
  ADD ("import", test_import);

#undef ADD

  return g_test_run ();
}
