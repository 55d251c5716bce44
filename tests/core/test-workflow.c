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
#include "pqs-workflow.h"

/* The review workflow: every step for every role, the forbidden ones
 * included; nobody approves their own work; comments where required;
 * new revisions; the frozen standard; one change row and one audit row per
 * step, in the same transaction. */

#define PASSWORD "a long enough password"

typedef struct
{
  char             *dir;
  PqsStore         *store;
  sqlite3          *db;
  PqsUserDirectory *directory;
  PqsLibrary       *library;
  PqsWorkflow      *workflow;
  PqsUser          *admin;
  PqsUser          *supervisor;
  PqsUser          *supervisor2;
  PqsUser          *author;
  PqsUser          *other;
  PqsUser          *visitor;
  PqsStandard      *standard;
  gint64            system_200;
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
  return user;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PqsUserFields fields = { "admin", "admin@example.org", "Ada Admin", "CDR" };
  PqsStandardFields standard = { "Main Propulsion", "USS Example", PQS_CLASSIFICATION_RESTRICTED,
                                 NULL, "1", NULL };

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->db = pqs_store_get_handle (fixture->store);
  pqs_test_clock_install (fixture->store, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  fixture->directory = pqs_user_directory_new (fixture->store);
  fixture->library = pqs_library_new (fixture->store);
  fixture->workflow = pqs_workflow_new (fixture->library);

  fixture->admin = pqs_user_directory_create_first_admin (fixture->directory, &fields, PASSWORD,
                                                          &error);
  g_assert_no_error (error);
  fixture->supervisor = add_user (fixture, "chief", PQS_ROLE_SUPERVISOR);
  fixture->supervisor2 = add_user (fixture, "deputy", PQS_ROLE_SUPERVISOR);
  fixture->author = add_user (fixture, "writer", PQS_ROLE_USER);
  fixture->other = add_user (fixture, "other", PQS_ROLE_USER);
  fixture->visitor = add_user (fixture, "guest", PQS_ROLE_VISITOR);

  fixture->standard = pqs_library_create_standard (fixture->library, fixture->author, &standard,
                                                   &error);
  g_assert_no_error (error);
  fixture->system_200 = pqs_test_query_int (fixture->db, "SELECT id FROM templates WHERE "
                                                         "is_system = 1 AND section = 200 "
                                                         "ORDER BY id LIMIT 1");
  g_assert_cmpint (fixture->system_200, >, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->standard);
  g_clear_object (&fixture->admin);
  g_clear_object (&fixture->supervisor);
  g_clear_object (&fixture->supervisor2);
  g_clear_object (&fixture->author);
  g_clear_object (&fixture->other);
  g_clear_object (&fixture->visitor);
  g_clear_object (&fixture->workflow);
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

static char *
status_of (Fixture *fixture,
           gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT status FROM documents WHERE id = %"
                                          G_GINT64_FORMAT, id);

  return pqs_test_query_text (fixture->db, sql);
}

static void
assert_status (Fixture    *fixture,
               gint64      id,
               const char *status)
{
  g_autofree char *actual = status_of (fixture, id);

  g_assert_cmpstr (actual, ==, status);
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

/* The number of change, review and audit rows, to compare before and after. */
typedef struct
{
  gint64 changes;
  gint64 reviews;
  gint64 audit;
} Counts;

static Counts
counts (Fixture *fixture)
{
  Counts c = {
    count (fixture, "SELECT count(*) FROM document_changes"),
    count (fixture, "SELECT count(*) FROM document_reviews"),
    count (fixture, "SELECT count(*) FROM user_activities"),
  };

  return c;
}

static void
assert_counts (Fixture *fixture,
               Counts   before,
               gint64   changes,
               gint64   reviews,
               gint64   audit)
{
  Counts now = counts (fixture);

  g_assert_cmpint (now.changes - before.changes, ==, changes);
  g_assert_cmpint (now.reviews - before.reviews, ==, reviews);
  g_assert_cmpint (now.audit - before.audit, ==, audit);
}

/* A section of the 200 series from its system template, with its
 * required fields filled. */
static gint64
new_draft (Fixture *fixture,
           PqsUser *author,
           gboolean filled)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsDocument) document = NULL;

  document = pqs_library_create_document (fixture->library, author,
                                          pqs_standard_get_id (fixture->standard), 200, 0,
                                          fixture->system_200, NULL, &error);
  g_assert_no_error (error);
  if (filled)
    {
      g_assert_true (pqs_document_set_metadata_json (document,
                                                     "{\"references\": \"NAVSEA S9086\", "
                                                     "\"components\": \"Pumps, coolers\", "
                                                     "\"difficulty\": \"Basic\"}", &error));
      g_assert_true (pqs_library_save_document (fixture->library, author, document, NULL,
                                                PQS_SAVE_DEFAULT, &error));
      g_assert_no_error (error);
    }
  return pqs_document_get_id (document);
}

/* A document by the author, brought to @status by the author and the
 * supervisor. */
static gint64
document_in (Fixture           *fixture,
             PqsDocumentStatus  status)
{
  g_autoptr(GError) error = NULL;
  gint64 id = new_draft (fixture, fixture->author, TRUE);

  if (status >= PQS_DOCUMENT_IN_REVIEW)
    g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  if (status >= PQS_DOCUMENT_APPROVED)
    g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, id, NULL,
                                         &error));
  if (status >= PQS_DOCUMENT_ARCHIVED)
    g_assert_true (pqs_workflow_archive (fixture->workflow, fixture->supervisor, id, &error));
  g_assert_no_error (error);
  return id;
}

typedef enum
{
  STEP_SUBMIT,
  STEP_APPROVE,
  STEP_REQUEST_CHANGES,
  STEP_ARCHIVE,
  STEP_REVISE,
  N_STEPS
} Step;

static gboolean
do_step (Fixture  *fixture,
         Step      step,
         PqsUser  *actor,
         gint64    id,
         GError  **error)
{
  switch (step)
    {
    case STEP_SUBMIT:
      return pqs_workflow_submit (fixture->workflow, actor, id, "Ready", error);
    case STEP_APPROVE:
      return pqs_workflow_approve (fixture->workflow, actor, id, NULL, error);
    case STEP_REQUEST_CHANGES:
      return pqs_workflow_request_changes (fixture->workflow, actor, id, "Fix item 2", error);
    case STEP_ARCHIVE:
      return pqs_workflow_archive (fixture->workflow, actor, id, error);
    case STEP_REVISE:
      return pqs_workflow_revise (fixture->workflow, actor, id, error);
    case N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

/* Every step for every role: who may, who may not, and what it leaves. */
static void
test_role_matrix (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct
  {
    PqsDocumentStatus from;
    const char       *to;
    int               reviews;
  } steps[N_STEPS] = {
    [STEP_SUBMIT] = { PQS_DOCUMENT_DRAFT, "in_review", 0 },
    [STEP_APPROVE] = { PQS_DOCUMENT_IN_REVIEW, "approved", 1 },
    [STEP_REQUEST_CHANGES] = { PQS_DOCUMENT_IN_REVIEW, "draft", 1 },
    [STEP_ARCHIVE] = { PQS_DOCUMENT_APPROVED, "archived", 0 },
    [STEP_REVISE] = { PQS_DOCUMENT_APPROVED, "draft", 0 },
  };
  /* visitor, author (user), other user, supervisor, admin */
  static const gboolean allowed[N_STEPS][5] = {
    [STEP_SUBMIT] =          { FALSE, TRUE,  FALSE, TRUE, TRUE },
    [STEP_APPROVE] =         { FALSE, FALSE, FALSE, TRUE, TRUE },
    [STEP_REQUEST_CHANGES] = { FALSE, FALSE, FALSE, TRUE, TRUE },
    [STEP_ARCHIVE] =         { FALSE, FALSE, FALSE, TRUE, TRUE },
    [STEP_REVISE] =          { FALSE, TRUE,  FALSE, TRUE, TRUE },
  };
  PqsUser *actors[5] = { fixture->visitor, fixture->author, fixture->other,
                         fixture->supervisor2, fixture->admin };

  for (guint step = 0; step < N_STEPS; step++)
    for (guint a = 0; a < G_N_ELEMENTS (actors); a++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *status_before = NULL;
        gint64 id = document_in (fixture, steps[step].from);
        Counts before = counts (fixture);
        gboolean ok;

        status_before = status_of (fixture, id);
        ok = do_step (fixture, step, actors[a], id, &error);
        if (allowed[step][a])
          {
            if (!ok)
              g_error ("step %u by %s: %s", step, pqs_user_get_username (actors[a]),
                       error->message);
            assert_status (fixture, id, steps[step].to);
            assert_counts (fixture, before, 1, steps[step].reviews, 1);
          }
        else
          {
            if (ok)
              g_error ("step %u by %s was allowed", step, pqs_user_get_username (actors[a]));
            g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
            assert_status (fixture, id, status_before);
            assert_counts (fixture, before, 0, 0, 0);
          }
      }

  /* The version moves only with a new revision. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE version = 2"), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE action = "
                                   "'revise' AND version = 2 AND status = 'draft'"), ==, 3);
  assert_chain_ok (fixture);
}

/* Steps from the wrong status, whoever asks. */
static void
test_invalid_transitions (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct { Step step; PqsDocumentStatus from; } cases[] = {
    { STEP_SUBMIT, PQS_DOCUMENT_IN_REVIEW },
    { STEP_SUBMIT, PQS_DOCUMENT_APPROVED },
    { STEP_SUBMIT, PQS_DOCUMENT_ARCHIVED },
    { STEP_APPROVE, PQS_DOCUMENT_DRAFT },
    { STEP_APPROVE, PQS_DOCUMENT_APPROVED },
    { STEP_APPROVE, PQS_DOCUMENT_ARCHIVED },
    { STEP_REQUEST_CHANGES, PQS_DOCUMENT_DRAFT },
    { STEP_REQUEST_CHANGES, PQS_DOCUMENT_APPROVED },
    { STEP_ARCHIVE, PQS_DOCUMENT_DRAFT },
    { STEP_ARCHIVE, PQS_DOCUMENT_IN_REVIEW },
    { STEP_ARCHIVE, PQS_DOCUMENT_ARCHIVED },
    { STEP_REVISE, PQS_DOCUMENT_DRAFT },
    { STEP_REVISE, PQS_DOCUMENT_IN_REVIEW },
    { STEP_REVISE, PQS_DOCUMENT_ARCHIVED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = document_in (fixture, cases[i].from);
      Counts before = counts (fixture);

      g_assert_false (do_step (fixture, cases[i].step, fixture->admin, id, &error));
      if (!g_error_matches (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID_TRANSITION))
        g_error ("case %u: %s", i, error != NULL ? error->message : "no error");
      g_assert_cmpstr (error->message, !=, "");
      assert_counts (fixture, before, 0, 0, 0);
    }

  /* Saving: a document in review or archived is not edited. */
  {
    g_autoptr(GError) error = NULL;
    gint64 id = document_in (fixture, PQS_DOCUMENT_IN_REVIEW);
    g_autoptr(PqsDocument) document = pqs_library_load_document (fixture->library, NULL, id,
                                                                 NULL);

    pqs_document_set_body (document, "Changed while in review");
    g_assert_false (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                               PQS_SAVE_DEFAULT, &error));
    g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID_TRANSITION);
  }
}

/* Required fields before submitting; the note goes to the history. */
static void
test_submit_required_fields (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = new_draft (fixture, fixture->author, FALSE);
  g_autoptr(PqsDocument) document = pqs_library_load_document (fixture->library, NULL, id, NULL);
  Counts before = counts (fixture);

  g_assert_false (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_REQUIRED_FIELDS);
  g_assert_nonnull (strstr (error->message, "References"));
  g_clear_error (&error);
  assert_status (fixture, id, "draft");
  assert_counts (fixture, before, 0, 0, 0);

  /* One of the two: still refused, naming the other. */
  g_assert_true (pqs_document_set_metadata_json (document, "{\"references\": \"NAVSEA\"}",
                                                 &error));
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_false (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_REQUIRED_FIELDS);
  g_assert_nonnull (strstr (error->message, "Components"));
  g_clear_error (&error);

  g_assert_true (pqs_document_set_metadata_json (document, "{\"references\": \"NAVSEA\", "
                                                 "\"components\": \"Pump\"}", &error));
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  before = counts (fixture);
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id,
                                      "  Ready for review  ", &error));
  g_assert_no_error (error);
  assert_status (fixture, id, "in_review");
  assert_counts (fixture, before, 1, 0, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_changes WHERE action = "
                                   "'submit' AND status = 'in_review' AND change_summary = "
                                   "'Ready for review' AND old_content = new_content"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.submit' AND json_extract(details, '$.from_status') "
                                   "= 'draft'"), ==, 1);

  /* An owner collaborator submits; an editor does not. */
  {
    gint64 second = new_draft (fixture, fixture->author, TRUE);

    g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, second,
                                                 pqs_user_get_id (fixture->other),
                                                 PQS_COLLABORATOR_EDITOR, &error));
    g_assert_false (pqs_workflow_submit (fixture->workflow, fixture->other, second, NULL,
                                         &error));
    g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
    g_clear_error (&error);
    g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, second,
                                                 pqs_user_get_id (fixture->other),
                                                 PQS_COLLABORATOR_OWNER, &error));
    g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->other, second, NULL,
                                        &error));
    g_assert_no_error (error);
  }
  assert_chain_ok (fixture);
}

/* Nobody approves what they wrote, edit as a collaborator, or changed. */
static void
test_no_self_approval (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 own = new_draft (fixture, fixture->supervisor, TRUE);
  gint64 edited = new_draft (fixture, fixture->author, TRUE);
  gint64 shared = new_draft (fixture, fixture->author, TRUE);
  g_autoptr(PqsDocument) document = pqs_library_load_document (fixture->library, NULL, edited,
                                                               NULL);
  Counts before;

  /* A supervisor's own document. */
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->supervisor, own, NULL, &error));
  before = counts (fixture);
  g_assert_false (pqs_workflow_approve (fixture->workflow, fixture->supervisor, own, NULL,
                                        &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (pqs_workflow_request_changes (fixture->workflow, fixture->supervisor, own,
                                                "Mine", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  assert_counts (fixture, before, 0, 0, 0);
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor2, own, NULL,
                                       &error));
  g_assert_no_error (error);

  /* A supervisor who edited the author's draft in this version. */
  pqs_document_set_body (document, "The chief's improvement.");
  g_assert_true (pqs_library_save_document (fixture->library, fixture->supervisor, document,
                                            NULL, PQS_SAVE_DEFAULT, &error));
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, edited, NULL, &error));
  g_assert_false (pqs_workflow_approve (fixture->workflow, fixture->supervisor, edited, NULL,
                                        &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor2, edited,
                                       "Good work", &error));
  g_assert_no_error (error);

  /* A supervisor who is an editor collaborator. */
  g_assert_true (pqs_library_set_collaborator (fixture->library, fixture->author, shared,
                                               pqs_user_get_id (fixture->supervisor2),
                                               PQS_COLLABORATOR_EDITOR, &error));
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, shared, NULL, &error));
  g_assert_false (pqs_workflow_approve (fixture->workflow, fixture->supervisor2, shared, NULL,
                                        &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, shared, NULL,
                                       &error));
  g_assert_no_error (error);

  /* Every approval names someone other than the author. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE status = 'approved' "
                                   "AND approved_by = created_by"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_reviews AS r JOIN documents "
                                   "AS d ON d.id = r.document_id WHERE r.reviewer_id = "
                                   "d.created_by"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM documents WHERE status = 'approved' "
                                   "AND approved_at IS NOT NULL AND reviewed_by = approved_by"),
                   ==, 3);
  assert_chain_ok (fixture);
}

static void
test_request_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = document_in (fixture, PQS_DOCUMENT_IN_REVIEW);
  Counts before = counts (fixture);
  const char *empty[] = { NULL, "", "   \n\t " };

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_assert_false (pqs_workflow_request_changes (fixture->workflow, fixture->supervisor, id,
                                                    empty[i], &error));
      g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_COMMENT_REQUIRED);
      g_clear_error (&error);
    }
  assert_counts (fixture, before, 0, 0, 0);
  assert_status (fixture, id, "in_review");

  g_assert_true (pqs_workflow_request_changes (fixture->workflow, fixture->supervisor, id,
                                               "Item 3 needs the pressure limits.", &error));
  g_assert_no_error (error);
  assert_status (fixture, id, "draft");
  assert_counts (fixture, before, 1, 1, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_reviews WHERE decision = "
                                   "'changes_requested' AND comment = 'Item 3 needs the "
                                   "pressure limits.' AND document_version = 1 AND reviewer_id "
                                   "= %" G_GINT64_FORMAT, pqs_user_get_id (fixture->supervisor)),
                   ==, 1);
  g_assert_cmpint (count (fixture, "SELECT reviewed_by FROM documents WHERE id = %"
                                   G_GINT64_FORMAT, id), ==, pqs_user_get_id (fixture->supervisor));
  g_assert_cmpint (count (fixture, "SELECT version FROM documents WHERE id = %" G_GINT64_FORMAT,
                          id), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.request_changes'"), ==, 1);

  /* The author works on it again and resubmits; the same reviewer approves. */
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, id, NULL, &error));
  g_assert_no_error (error);
  assert_status (fixture, id, "approved");
  assert_chain_ok (fixture);
}

/* A new revision keeps the approved text in the history. */
static void
test_revisions (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = document_in (fixture, PQS_DOCUMENT_APPROVED);
  g_autoptr(PqsDocument) document = pqs_library_load_document (fixture->library, NULL, id, NULL);
  g_autofree char *approved_text = pqs_document_render_canonical (document);
  g_autofree char *sql = NULL;
  Counts before;

  g_assert_cmpint (pqs_document_get_status (document), ==, PQS_DOCUMENT_APPROVED);
  g_assert_cmpint (pqs_document_get_approved_by (document), ==,
                   pqs_user_get_id (fixture->supervisor));
  g_assert_nonnull (pqs_document_get_approved_at (document));

  /* Saving an approved document starts version 2 as a draft. */
  before = counts (fixture);
  pqs_document_set_body (document, "Revised text.");
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_no_error (error);
  assert_counts (fixture, before, 1, 0, 1);
  g_assert_cmpuint (pqs_document_get_version (document), ==, 2);
  g_assert_cmpint (pqs_document_get_status (document), ==, PQS_DOCUMENT_DRAFT);
  g_assert_cmpint (pqs_document_get_approved_by (document), ==, 0);
  g_assert_null (pqs_document_get_approved_at (document));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.revise'"), ==, 1);

  /* The approved text is where the history says: version 1, approved. */
  sql = g_strdup_printf ("SELECT new_content FROM document_changes WHERE document_id = %"
                         G_GINT64_FORMAT " AND action = 'approve' AND version = 1", id);
  {
    g_autofree char *kept = pqs_test_query_text (fixture->db, sql);

    g_assert_cmpstr (kept, ==, approved_text);
  }

  /* Through the workflow: version 3. */
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, id, NULL, &error));
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor2, id, NULL, &error));
  g_assert_true (pqs_workflow_revise (fixture->workflow, fixture->author, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT version FROM documents WHERE id = %" G_GINT64_FORMAT,
                          id), ==, 3);
  g_assert_cmpint (count (fixture, "SELECT count(DISTINCT version) FROM document_changes WHERE "
                                   "document_id = %" G_GINT64_FORMAT " AND action = 'approve'",
                          id), ==, 2);
  assert_chain_ok (fixture);
}

/* Plain comments: from anyone who works on documents and may read it. */
static void
test_comments (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 draft = new_draft (fixture, fixture->author, TRUE);
  gint64 approved = document_in (fixture, PQS_DOCUMENT_APPROVED);
  Counts before = counts (fixture);

  g_assert_false (pqs_workflow_comment (fixture->workflow, fixture->visitor, approved,
                                        "Looks good", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (pqs_workflow_comment (fixture->workflow, fixture->other, draft,
                                        "Not mine to read", &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_false (pqs_workflow_comment (fixture->workflow, fixture->author, draft, " ", &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_COMMENT_REQUIRED);
  g_clear_error (&error);
  assert_counts (fixture, before, 0, 0, 0);

  g_assert_true (pqs_workflow_comment (fixture->workflow, fixture->other, approved,
                                       "Item 4 has a typo.", &error));
  g_assert_true (pqs_workflow_comment (fixture->workflow, fixture->author, draft,
                                       "Note to self.", &error));
  g_assert_no_error (error);
  /* Comments change no document: a review row and an audit row each. */
  assert_counts (fixture, before, 0, 2, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_reviews WHERE decision = "
                                   "'comment'"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.comment'"), ==, 2);
  assert_chain_ok (fixture);
}

/* All sections approved: the standard's revision freezes until a new one. */
static void
test_frozen_standard (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(PqsDocument) document = NULL;
  gint64 standard_id = pqs_standard_get_id (fixture->standard);
  gint64 precautions = count (fixture, "SELECT id FROM documents WHERE document_number = 101");
  gint64 section = document_in (fixture, PQS_DOCUMENT_APPROVED);
  PqsStandardFields fields = { "Renamed", NULL, PQS_CLASSIFICATION_SECRET, NULL, "1", NULL };
  Counts before;

  standard = pqs_library_load_standard (fixture->library, standard_id, &error);
  g_assert_false (pqs_standard_get_approved (standard));
  g_assert_false (pqs_standard_get_frozen (standard));
  g_clear_object (&standard);

  /* 101 is filled from its template; approving it completes the standard. */
  document = pqs_library_load_document (fixture->library, NULL, precautions, NULL);
  g_assert_true (pqs_document_set_metadata_json (document, "{\"references\": \"OPNAV\"}",
                                                 &error));
  g_assert_true (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                            PQS_SAVE_DEFAULT, &error));
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, precautions, NULL,
                                      &error));
  before = counts (fixture);
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, precautions, NULL,
                                       &error));
  g_assert_no_error (error);
  assert_counts (fixture, before, 1, 1, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'document.approve' AND json_extract(details, "
                                   "'$.standard_frozen') = 1"), ==, 1);

  standard = pqs_library_load_standard (fixture->library, standard_id, &error);
  g_assert_true (pqs_standard_get_approved (standard));
  g_assert_true (pqs_standard_get_frozen (standard));
  g_assert_cmpint (pqs_standard_get_status (standard), ==, PQS_STANDARD_ACTIVE);
  g_assert_cmpint (pqs_standard_get_frozen_by (standard), ==,
                   pqs_user_get_id (fixture->supervisor));
  g_clear_object (&standard);

  /* Frozen: nothing in it changes, comments aside. */
  before = counts (fixture);
  g_clear_object (&document);
  document = pqs_library_load_document (fixture->library, NULL, section, NULL);
  pqs_document_set_body (document, "Too late");
  g_assert_false (pqs_library_save_document (fixture->library, fixture->author, document, NULL,
                                             PQS_SAVE_DEFAULT, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_false (pqs_workflow_revise (fixture->workflow, fixture->author, section, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_false (pqs_workflow_archive (fixture->workflow, fixture->supervisor, section, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_null (pqs_library_create_document (fixture->library, fixture->author, standard_id, 300,
                                              0, 0, "New", &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_false (pqs_library_delete_document (fixture->library, fixture->supervisor, section,
                                               &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_false (pqs_library_update_standard (fixture->library, fixture->author, standard_id,
                                               &fields, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  g_assert_false (pqs_library_delete_standard (fixture->library, fixture->admin, standard_id,
                                               &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_FROZEN);
  g_clear_error (&error);
  assert_counts (fixture, before, 0, 0, 0);
  g_assert_true (pqs_workflow_comment (fixture->workflow, fixture->other, section, "Well done",
                                       &error));
  g_assert_no_error (error);

  /* A new revision unfreezes it: "1" counts on to "2". */
  g_assert_false (pqs_library_start_standard_revision (fixture->library, fixture->visitor,
                                                       standard_id, NULL, &error));
  g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
  g_clear_error (&error);
  g_assert_true (pqs_library_start_standard_revision (fixture->library, fixture->author,
                                                      standard_id, NULL, &error));
  g_assert_no_error (error);
  standard = pqs_library_load_standard (fixture->library, standard_id, &error);
  g_assert_cmpstr (pqs_standard_get_revision (standard), ==, "2");
  g_assert_false (pqs_standard_get_frozen (standard));
  g_assert_true (pqs_standard_get_approved (standard));   /* its documents still are */
  g_assert_cmpint (pqs_standard_get_status (standard), ==, PQS_STANDARD_DRAFT);
  g_clear_object (&standard);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM user_activities WHERE activity_type = "
                                   "'standard.revise' AND json_extract(details, "
                                   "'$.from_revision') = '1'"), ==, 1);
  g_assert_false (pqs_library_start_standard_revision (fixture->library, fixture->author,
                                                      standard_id, NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID_TRANSITION);
  g_clear_error (&error);

  /* Its documents are revised again, and approving them freezes it again. */
  g_assert_true (pqs_workflow_revise (fixture->workflow, fixture->author, section, &error));
  g_assert_no_error (error);
  g_assert_true (pqs_workflow_submit (fixture->workflow, fixture->author, section, NULL, &error));
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor2, section, NULL,
                                       &error));
  g_assert_no_error (error);
  standard = pqs_library_load_standard (fixture->library, standard_id, &error);
  g_assert_true (pqs_standard_get_frozen (standard));
  g_clear_object (&standard);

  /* A revision name without a number to count on must be given. */
  fields.revision = "Rev B";
  pqs_test_exec (fixture->db, "UPDATE standards SET revision = 'Rev B'");
  g_assert_false (pqs_library_start_standard_revision (fixture->library, fixture->author,
                                                       standard_id, NULL, &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (pqs_library_start_standard_revision (fixture->library, fixture->author,
                                                       standard_id, "Rev B", &error));
  g_assert_error (error, PQS_LIBRARY_ERROR, PQS_LIBRARY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (pqs_library_start_standard_revision (fixture->library, fixture->author,
                                                      standard_id, "Rev C", &error));
  g_assert_no_error (error);
  assert_chain_ok (fixture);
}

/* Every step writes its rows in one transaction: when the audit row cannot
 * be written, the document, its change and the review stay as they were. */
static void
test_audit_in_same_transaction (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 in_review = document_in (fixture, PQS_DOCUMENT_IN_REVIEW);
  gint64 draft = document_in (fixture, PQS_DOCUMENT_DRAFT);
  gint64 approved = document_in (fixture, PQS_DOCUMENT_APPROVED);
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  const char *sql = "SELECT (SELECT group_concat(status || version || edit_count || "
                    "ifnull(approved_by, '-') || ifnull(reviewed_by, '-')) FROM documents) || "
                    "(SELECT count(*) FROM document_changes) || (SELECT count(*) FROM "
                    "document_reviews) || (SELECT group_concat(ifnull(frozen_at, '-')) FROM "
                    "standards)";

  dump = pqs_test_query_text (fixture->db, sql);
  pqs_test_exec (fixture->db, "CREATE TEMP TRIGGER refuse_audit BEFORE INSERT ON "
                              "main.user_activities BEGIN SELECT RAISE(ABORT, 'disk says no'); END");

  g_assert_false (pqs_workflow_approve (fixture->workflow, fixture->supervisor, in_review, "OK",
                                        &error));
  g_assert_nonnull (strstr (error->message, "disk says no"));
  g_clear_error (&error);
  g_assert_false (pqs_workflow_request_changes (fixture->workflow, fixture->supervisor,
                                                in_review, "Fix", &error));
  g_clear_error (&error);
  g_assert_false (pqs_workflow_submit (fixture->workflow, fixture->author, draft, NULL, &error));
  g_clear_error (&error);
  g_assert_false (pqs_workflow_revise (fixture->workflow, fixture->author, approved, &error));
  g_clear_error (&error);
  g_assert_false (pqs_workflow_archive (fixture->workflow, fixture->supervisor, approved,
                                        &error));
  g_clear_error (&error);
  g_assert_false (pqs_workflow_comment (fixture->workflow, fixture->author, draft, "Hm",
                                        &error));
  g_clear_error (&error);

  dump_after = pqs_test_query_text (fixture->db, sql);
  g_assert_cmpstr (dump, ==, dump_after);

  pqs_test_exec (fixture->db, "DROP TRIGGER temp.refuse_audit");
  g_assert_true (pqs_workflow_approve (fixture->workflow, fixture->supervisor, in_review, "OK",
                                       &error));
  g_assert_no_error (error);
  assert_chain_ok (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/workflow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("role-matrix", test_role_matrix);
  ADD ("invalid-transitions", test_invalid_transitions);
  ADD ("submit-required-fields", test_submit_required_fields);
  ADD ("no-self-approval", test_no_self_approval);
  ADD ("request-changes", test_request_changes);
  ADD ("revisions", test_revisions);
  ADD ("comments", test_comments);
  ADD ("frozen-standard", test_frozen_standard);
  ADD ("audit-in-same-transaction", test_audit_in_same_transaction);

#undef ADD

  return g_test_run ();
}
