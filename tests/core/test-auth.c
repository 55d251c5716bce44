/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "pqs-auth.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/* The permission check, exhaustively: every role, every action, with and
 * without a document, every document state and every relation of the actor
 * to the document, for active, deactivated and must-change-password
 * accounts. The oracle below restates DESIGN.md's table on its own terms,
 * so a change to either shows up here. */

#define PASSWORD "a long enough password"

typedef enum
{
  REL_STRANGER,
  REL_AUTHOR,
  REL_VIEWER,
  REL_EDITOR,
  REL_OWNER,
  N_RELATIONS
} Relation;

typedef struct
{
  char             *dir;
  PqsStore         *store;
  PqsUserDirectory *directory;
  PqsUser          *users[PQS_N_ROLES];
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  pqs_test_use_fast_passwords ();
  fixture->dir = pqs_test_tmpdir_new ();
  path = g_build_filename (fixture->dir, "pqs.db", NULL);
  fixture->store = pqs_test_open_migrated_store (path);
  fixture->directory = pqs_user_directory_new (fixture->store);

  for (PqsRole role = 0; role < PQS_N_ROLES; role++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *username = g_strdup_printf ("%s1", pqs_role_to_string (role));
      g_autofree char *email = g_strdup_printf ("%s@example.org", username);
      PqsUserFields fields = { username, email, "Test Person", NULL };

      fixture->users[role] = pqs_user_directory_create (fixture->directory, NULL, &fields, role,
                                                        PASSWORD, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pqs_user_get_role (fixture->users[role]), ==, role);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < PQS_N_ROLES; i++)
    g_clear_object (&fixture->users[i]);
  g_clear_object (&fixture->directory);
  g_clear_object (&fixture->store);
  pqs_test_tmpdir_free (fixture->dir);
}

static gboolean
is_document_action (PqsAction action)
{
  return action == PQS_ACTION_READ_DOCUMENT || action == PQS_ACTION_EDIT_DOCUMENT ||
         action == PQS_ACTION_SUBMIT_DOCUMENT || action == PQS_ACTION_REVISE_DOCUMENT ||
         action == PQS_ACTION_REVIEW_DOCUMENT || action == PQS_ACTION_ARCHIVE_DOCUMENT ||
         action == PQS_ACTION_MANAGE_COLLABORATORS;
}

/* DESIGN.md's table, without a document: may the role ever do this? */
static gboolean
expect_role (PqsRole   role,
             PqsAction action)
{
  switch (action)
    {
    case PQS_ACTION_READ_DOCUMENT:
    case PQS_ACTION_READ_TEMPLATES:
    case PQS_ACTION_CHANGE_OWN_PASSWORD:
      return TRUE;
    case PQS_ACTION_CREATE_DOCUMENT:
    case PQS_ACTION_EDIT_DOCUMENT:
    case PQS_ACTION_SUBMIT_DOCUMENT:
    case PQS_ACTION_REVISE_DOCUMENT:
    case PQS_ACTION_MANAGE_COLLABORATORS:
    case PQS_ACTION_MANAGE_STANDARDS:
      return role != PQS_ROLE_VISITOR;
    case PQS_ACTION_REVIEW_DOCUMENT:
    case PQS_ACTION_ARCHIVE_DOCUMENT:
    case PQS_ACTION_MANAGE_TEMPLATES:
    case PQS_ACTION_READ_SYSTEM:
      return role == PQS_ROLE_SUPERVISOR || role == PQS_ROLE_ADMIN;
    case PQS_ACTION_MANAGE_USERS:
    case PQS_ACTION_MANAGE_BACKUPS:
    case PQS_ACTION_RESTORE:
    case PQS_ACTION_MIGRATE:
    case PQS_ACTION_MAINTAIN:
      return role == PQS_ROLE_ADMIN;
    default:
      g_assert_not_reached ();
    }
}

/* With a document: its state and the actor's relation to it decide. */
static gboolean
expect_document (PqsRole           role,
                 PqsAction         action,
                 PqsDocumentStatus status,
                 Relation          relation)
{
  gboolean reviewer = role == PQS_ROLE_SUPERVISOR || role == PQS_ROLE_ADMIN;
  gboolean writes = role != PQS_ROLE_VISITOR;
  gboolean own = relation == REL_AUTHOR && writes;
  gboolean published = status == PQS_DOCUMENT_APPROVED || status == PQS_DOCUMENT_ARCHIVED;

  switch (action)
    {
    case PQS_ACTION_READ_DOCUMENT:
      /* Approved text is for everyone; work in progress for its people. */
      return published || reviewer || relation != REL_STRANGER;
    case PQS_ACTION_EDIT_DOCUMENT:
      return status == PQS_DOCUMENT_DRAFT &&
             (reviewer || own || relation == REL_EDITOR || relation == REL_OWNER);
    case PQS_ACTION_SUBMIT_DOCUMENT:
      return status == PQS_DOCUMENT_DRAFT && (reviewer || own || relation == REL_OWNER);
    case PQS_ACTION_REVISE_DOCUMENT:
      return status == PQS_DOCUMENT_APPROVED &&
             (reviewer || own || relation == REL_EDITOR || relation == REL_OWNER);
    case PQS_ACTION_REVIEW_DOCUMENT:
      /* Nobody reviews what they wrote or edit. */
      return reviewer && status == PQS_DOCUMENT_IN_REVIEW &&
             relation != REL_AUTHOR && relation != REL_EDITOR && relation != REL_OWNER;
    case PQS_ACTION_ARCHIVE_DOCUMENT:
      return reviewer && status == PQS_DOCUMENT_APPROVED;
    case PQS_ACTION_MANAGE_COLLABORATORS:
      return reviewer || own || relation == REL_OWNER;
    default:
      g_assert_not_reached ();
    }
}

static PqsDocumentAccess
make_access (PqsUser           *actor,
             PqsUser           *other,
             PqsDocumentStatus  status,
             Relation           relation)
{
  PqsDocumentAccess access = { pqs_user_get_id (other), status, PQS_COLLABORATOR_NONE };

  switch (relation)
    {
    case REL_AUTHOR:
      access.created_by = pqs_user_get_id (actor);
      break;
    case REL_VIEWER:
      access.collaboration = PQS_COLLABORATOR_VIEWER;
      break;
    case REL_EDITOR:
      access.collaboration = PQS_COLLABORATOR_EDITOR;
      break;
    case REL_OWNER:
      access.collaboration = PQS_COLLABORATOR_OWNER;
      break;
    case REL_STRANGER:
    default:
      break;
    }
  return access;
}

static void
test_matrix (Fixture       *fixture,
             gconstpointer  data)
{
  guint checked = 0;

  for (PqsRole role = 0; role < PQS_N_ROLES; role++)
    {
      PqsUser *actor = fixture->users[role];
      PqsUser *other = fixture->users[(role + 1) % PQS_N_ROLES];

      for (PqsAction action = 0; action < PQS_N_ACTIONS; action++)
        {
          g_autoptr(GError) error = NULL;
          gboolean expected = expect_role (role, action);
          gboolean allowed = pqs_auth_allows (actor, action, NULL);

          if (allowed != expected)
            g_error ("role %s, action %s: allowed %d, expected %d", pqs_role_to_string (role),
                     pqs_action_to_string (action), allowed, expected);
          g_assert_cmpint (pqs_auth_check (actor, action, NULL, &error), ==, expected);
          if (expected)
            g_assert_no_error (error);
          else
            g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
          checked++;

          if (!is_document_action (action))
            continue;

          for (PqsDocumentStatus status = 0; status <= PQS_DOCUMENT_ARCHIVED; status++)
            for (Relation relation = 0; relation < N_RELATIONS; relation++)
              {
                PqsDocumentAccess access = make_access (actor, other, status, relation);
                gboolean want = expect_document (role, action, status, relation);
                g_autoptr(GError) doc_error = NULL;

                if (pqs_auth_allows (actor, action, &access) != want)
                  g_error ("role %s, action %s, status %s, relation %d: expected %d",
                           pqs_role_to_string (role), pqs_action_to_string (action),
                           pqs_document_status_to_string (status), relation, want);
                g_assert_cmpint (pqs_auth_check (actor, action, &access, &doc_error), ==, want);
                if (!want)
                  {
                    g_assert_error (doc_error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
                    g_assert_cmpstr (doc_error->message, !=, "");
                  }
                checked++;
              }
        }
    }

  g_test_message ("%u decisions checked", checked);
  g_assert_cmpuint (checked, ==, PQS_N_ROLES * (PQS_N_ACTIONS + 7 * 4 * N_RELATIONS));
}

/* A supervisor or an admin never approves their own document, whatever
 * else is true. */
static void
test_no_self_review (Fixture       *fixture,
                     gconstpointer  data)
{
  for (PqsRole role = PQS_ROLE_SUPERVISOR; role <= PQS_ROLE_ADMIN; role++)
    {
      PqsUser *actor = fixture->users[role];
      PqsDocumentAccess own = { pqs_user_get_id (actor), PQS_DOCUMENT_IN_REVIEW,
                                PQS_COLLABORATOR_NONE };
      PqsDocumentAccess theirs = { pqs_user_get_id (fixture->users[PQS_ROLE_USER]),
                                   PQS_DOCUMENT_IN_REVIEW, PQS_COLLABORATOR_NONE };
      g_autoptr(GError) error = NULL;

      g_assert_false (pqs_auth_check (actor, PQS_ACTION_REVIEW_DOCUMENT, &own, &error));
      g_assert_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);
      g_assert_nonnull (strstr (error->message, "review"));
      g_assert_true (pqs_auth_allows (actor, PQS_ACTION_REVIEW_DOCUMENT, &theirs));
    }
}

/* A deactivated account may do nothing; one that must choose a new
 * password may only do that; the command line's operator (NULL) may do
 * everything. */
static void
test_account_states (Fixture       *fixture,
                     gconstpointer  data)
{
  sqlite3 *db = pqs_store_get_handle (fixture->store);
  g_autoptr(PqsUser) inactive = NULL;
  g_autoptr(PqsUser) must_change = NULL;
  g_autoptr(GError) error = NULL;
  gint64 admin_id = pqs_user_get_id (fixture->users[PQS_ROLE_ADMIN]);
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("UPDATE users SET is_active = 0 WHERE id = %" G_GINT64_FORMAT, admin_id);
  pqs_test_exec (db, sql);
  inactive = pqs_user_directory_lookup (fixture->directory, admin_id, &error);
  g_assert_no_error (error);

  g_free (sql);
  sql = g_strdup_printf ("UPDATE users SET is_active = 1, password_reset_required = 1 "
                         "WHERE id = %" G_GINT64_FORMAT, admin_id);
  pqs_test_exec (db, sql);
  must_change = pqs_user_directory_lookup (fixture->directory, admin_id, &error);
  g_assert_no_error (error);

  for (PqsAction action = 0; action < PQS_N_ACTIONS; action++)
    {
      g_autoptr(GError) inactive_error = NULL;
      g_autoptr(GError) change_error = NULL;

      g_assert_false (pqs_auth_check (inactive, action, NULL, &inactive_error));
      g_assert_error (inactive_error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED);

      if (action == PQS_ACTION_CHANGE_OWN_PASSWORD)
        g_assert_true (pqs_auth_check (must_change, action, NULL, &change_error));
      else
        {
          g_assert_false (pqs_auth_check (must_change, action, NULL, &change_error));
          g_assert_error (change_error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_PASSWORD_CHANGE_REQUIRED);
        }

      g_assert_true (pqs_auth_allows (NULL, action, NULL));
    }
}

static void
test_names (void)
{
  for (PqsRole role = 0; role < PQS_N_ROLES; role++)
    {
      PqsRole back = PQS_N_ROLES;

      g_assert_true (pqs_role_from_string (pqs_role_to_string (role), &back));
      g_assert_cmpint (back, ==, role);
      g_assert_nonnull (pqs_role_get_label (role));
    }
  g_assert_false (pqs_role_from_string ("Admin", NULL));
  g_assert_false (pqs_role_from_string ("root", NULL));
  g_assert_false (pqs_role_from_string (NULL, NULL));

  for (PqsAction action = 0; action < PQS_N_ACTIONS; action++)
    g_assert_nonnull (pqs_action_to_string (action));

  for (PqsDocumentStatus status = 0; status <= PQS_DOCUMENT_ARCHIVED; status++)
    {
      PqsDocumentStatus back;

      g_assert_true (pqs_document_status_from_string (pqs_document_status_to_string (status),
                                                      &back));
      g_assert_cmpint (back, ==, status);
    }
  g_assert_false (pqs_document_status_from_string ("published", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/auth/matrix", Fixture, NULL, fixture_set_up, test_matrix, fixture_tear_down);
  g_test_add ("/auth/no-self-review", Fixture, NULL, fixture_set_up, test_no_self_review,
              fixture_tear_down);
  g_test_add ("/auth/account-states", Fixture, NULL, fixture_set_up, test_account_states,
              fixture_tear_down);
  g_test_add_func ("/auth/names", test_names);

  return g_test_run ();
}
