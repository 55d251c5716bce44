/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pqs-audit.h"
#include "pqs-backup-service.h"
#include "pqs-document.h"
#include "pqs-fault-vfs.h"
#include "pqs-library.h"
#include "pqs-migrator.h"
#include "pqs-standard.h"
#include "pqs-store.h"
#include "pqs-test-util.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"
#include "pqs-workflow.h"

/* I/O faults: the services run on a disk that fails. pqs-fault-vfs wraps
 * SQLite's default VFS in this process and makes the Nth write (or sync)
 * fail, and every one after it (a broken or full disk), or only the Nth (a
 * passing error). Each operation is first run without faults to count its
 * calls, then again from the same starting file with the fault at N = 1, 2,
 * … (every N up to DENSE_FAULTS, then a spread up to its last call).
 *
 * Each failing call must return a GError of the service's domain whose
 * message is a sentence (not SQLite's own text where the store maps it),
 * and leave no partial change: the database holds exactly what it held
 * before (or, for a migration, exactly the schema of a version it names).
 * Once the fault is gone, the same objects do the same work successfully,
 * and a fresh connection finds a sound database (integrity_check,
 * foreign_key_check, the audit chain) holding the change once. */

#define PASSWORD      "a long enough password"
#define DENSE_FAULTS  16
#define SPREAD_FAULTS 10
#define OLD_VERSION   5

typedef struct
{
  char      *dir;
  char      *template;        /* at the newest schema, with users and documents */
  char      *old_template;    /* the same rolled back to OLD_VERSION */
  char      *backup;          /* a plain backup of the old template, for restores */
  GPtrArray *schemas;         /* [v]: the schema at v, from OLD_VERSION on */
  guint      latest;
  gint64     document_id;     /* a draft by the author, ready to submit */
} World;

static World *world;

/* One run: a fresh copy of a template, open, with the objects the
 * operations need. */
typedef struct
{
  char             *dir;
  char             *path;
  char             *backups;
  PqsStore         *store;
  PqsUserDirectory *directory;
  PqsLibrary       *library;
  PqsWorkflow      *workflow;
  PqsBackupService *service;
  PqsMigrator      *migrator;
  PqsUser          *author;
  PqsDocument      *document;
  guint             attempt;   /* how many times the operation ran in this run */
  gint64            audit_rows;
  const char       *failure;   /* the error of the faulty attempt */
  guint             leftovers; /* finished backups that attempt left (a known bug) */
} Run;

typedef struct
{
  const char *name;
  gboolean    old;                              /* starts from the old template */
  gboolean  (*run)      (Run *run, GError **error);
  /* What the database must hold: before the operation (@done FALSE) or
   * after it (@done TRUE); NULL compares the whole database. */
  void      (*check)    (Run *run, gboolean done, const char *before);
  /* It records backups (a restore point, a safety copy, a failed
   * attempt): backup_history and the audit trail may change either way. */
  gboolean    records_backups;
} Operation;

typedef struct
{
  guint runs;
  guint failed;                 /* the operation returned an error */
  guint absorbed;               /* a fault was injected, yet the operation succeeded */
  guint beyond;                 /* N was past the operation's calls */
} Tally;

/* The database as rows ---------------------------------------------------------- */

/* Every row of every table (virtual tables through their shadow tables),
 * in key order; @skip_history leaves out the tables where a backup is
 * recorded (backup_history and the audit trail). */
static char *
database_digest (sqlite3  *db,
                 gboolean  skip_history)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                           "AND name NOT LIKE 'sqlite_%' "
                                           "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autofree char *count_sql = NULL;
      g_autoptr(GString) sql = g_string_new (NULL);
      gint64 columns;
      int rc;

      if (skip_history &&
          (g_str_equal (table, "backup_history") || g_str_equal (table, "user_activities")))
        continue;

      count_sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info('%s')", table);
      columns = pqs_test_query_int (db, count_sql);
      g_string_append_printf (sql, "SELECT * FROM \"%s\" ORDER BY ", table);
      for (gint64 c = 1; c <= columns; c++)
        g_string_append_printf (sql, c > 1 ? ", %" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, c);

      g_checksum_update (checksum, (const guchar *) table, -1);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL), ==, SQLITE_OK);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const void *blob = sqlite3_column_blob (stmt, c);
            int len = sqlite3_column_bytes (stmt, c);

            if (blob != NULL)
              g_checksum_update (checksum, blob, len);
            g_checksum_update (checksum, (const guchar *) (blob != NULL ? "\x02" : "\x01"), 1);
          }
      g_assert_cmpint (rc, ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
    }

  return g_strdup (g_checksum_get_string (checksum));
}

static void
assert_audit_chain (PqsStore *store)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gint64 bad = 0;

  if (!pqs_audit_verify (store, NULL, NULL, NULL, &rows, &bad, &error))
    g_error ("the audit chain is broken at row %" G_GINT64_FORMAT ": %s", bad,
             error != NULL ? error->message : "?");
  g_assert_cmpuint (rows, ==, pqs_test_query_int (pqs_store_get_handle (store),
                                                  "SELECT count(*) FROM user_activities"));
}

/* A message a person can read: a capitalised sentence ending in a full stop,
 * and, where the store maps SQLite's code, its sentence rather than SQLite's
 * own words. */
static void
assert_clear_error (const GError *error,
                    PqsFaultKind  kind)
{
  static const char *raw[] = { "disk I/O error", "database or disk is full",
                               "unable to open database file", "database is locked",
                               "SQL logic error", "not an error" };
  const char *message = error->message;
  gunichar first = g_utf8_get_char (message);

  if (!(g_unichar_isupper (first) || first == 0x201c /* “ */) ||
      !g_str_has_suffix (message, "."))
    g_error ("not a sentence: %s", message);
  for (guint i = 0; i < G_N_ELEMENTS (raw); i++)
    if (g_str_has_prefix (message, raw[i]))
      g_error ("SQLite's own words: %s", message);

  if (error->domain == PQS_STORE_ERROR)
    {
      if (kind == PQS_FAULT_FULL)
        {
          g_assert_cmpint (error->code, ==, PQS_STORE_ERROR_DISK_FULL);
          g_assert_nonnull (strstr (message, "The disk is full."));
        }
      else
        {
          g_assert_cmpint (error->code, ==, PQS_STORE_ERROR_IO);
          g_assert_nonnull (strstr (message, "The disk reported an error"));
        }
    }
}

/* The world ------------------------------------------------------------------- */

static PqsUser *
add_user (PqsUserDirectory *directory,
          PqsUser          *admin,
          const char       *username,
          PqsRole           role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", username);
  PqsUserFields fields = { username, email, "Some Body", NULL };
  PqsUser *user = pqs_user_directory_create (directory, admin, &fields, role, PASSWORD, &error);

  g_assert_no_error (error);
  return user;
}

static void
world_free (World *self)
{
  if (self == NULL)
    return;

  pqs_test_tmpdir_free (self->dir);
  g_free (self->template);
  g_free (self->old_template);
  g_free (self->backup);
  g_clear_pointer (&self->schemas, g_ptr_array_unref);
  g_free (self);
}

static void
ensure_world (void)
{
  g_autoptr(PqsStore) store = NULL;
  g_autoptr(PqsUserDirectory) directory = NULL;
  g_autoptr(PqsLibrary) library = NULL;
  g_autoptr(PqsUser) admin = NULL;
  g_autoptr(PqsUser) author = NULL;
  g_autoptr(PqsUser) supervisor = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(PqsMigrator) migrator = NULL;
  g_autoptr(PqsBackupService) service = NULL;
  g_autoptr(PqsBackupInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *reference = NULL;
  PqsUserFields fields = { "admin", "admin@example.org", "Ada Admin", "CDR" };
  PqsStandardFields standard_fields = { "Main Propulsion", "USS Example",
                                        PQS_CLASSIFICATION_RESTRICTED, NULL, "1", NULL };
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, FALSE, NULL, NULL, "test",
                               PQS_BACKUP_KDF_INTERACTIVE };
  sqlite3 *db;
  gint64 template_id;

  if (world != NULL)
    return;

  pqs_test_use_fast_passwords ();
  world = g_new0 (World, 1);
  world->dir = pqs_test_tmpdir_new ();
  world->template = g_build_filename (world->dir, "template.db", NULL);
  world->old_template = g_build_filename (world->dir, "old.db", NULL);
  world->backup = g_build_filename (world->dir, "old-backup.db", NULL);
  backups = g_build_filename (world->dir, "template-backups", NULL);

  store = pqs_test_open_migrated_store (world->template);
  db = pqs_store_get_handle (store);
  directory = pqs_user_directory_new (store);
  library = pqs_library_new (store);
  admin = pqs_user_directory_create_first_admin (directory, &fields, PASSWORD, &error);
  g_assert_no_error (error);
  author = add_user (directory, admin, "writer", PQS_ROLE_USER);
  supervisor = add_user (directory, admin, "chief", PQS_ROLE_SUPERVISOR);
  standard = pqs_library_create_standard (library, author, &standard_fields, &error);
  g_assert_no_error (error);
  template_id = pqs_test_query_int (db, "SELECT id FROM templates WHERE is_system = 1 "
                                        "AND section = 200 ORDER BY id LIMIT 1");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PqsDocument) document = NULL;

      document = pqs_library_create_document (library, author, pqs_standard_get_id (standard),
                                              200, 0, template_id, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (pqs_document_set_metadata_json (document,
                                                     "{\"references\": \"NAVSEA S9086\", "
                                                     "\"components\": \"Pumps, coolers\", "
                                                     "\"difficulty\": \"Basic\"}", &error));
      g_assert_true (pqs_library_save_document (library, author, document, NULL,
                                                PQS_SAVE_DEFAULT, &error));
      g_assert_no_error (error);
      world->document_id = pqs_document_get_id (document);
    }

  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_no_error (error);
  world->latest = pqs_migrator_get_latest_version (migrator);
  g_clear_object (&migrator);
  g_clear_object (&standard);
  g_clear_object (&supervisor);
  g_clear_object (&author);
  g_clear_object (&admin);
  g_clear_object (&library);
  g_clear_object (&directory);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* The old template, and the schema at each version above it. */
  pqs_test_copy_file (world->template, world->old_template);
  store = pqs_test_open_store (world->old_template);
  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  g_assert_true (pqs_migrator_rollback (migrator, OLD_VERSION, NULL, &error));
  g_assert_no_error (error);

  /* A backup of it, which a restore brings forward. */
  options.output_path = world->backup;
  service = pqs_backup_service_new (store, backups);
  info = pqs_backup_service_create (service, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&service);
  g_clear_object (&migrator);
  g_assert_finalize_object (g_steal_pointer (&store));

  reference = g_build_filename (world->dir, "reference.db", NULL);
  pqs_test_copy_file (world->old_template, reference);
  store = pqs_test_open_store (reference);
  db = pqs_store_get_handle (store);
  migrator = pqs_migrator_new (store);
  pqs_migrator_set_backup_dir (migrator, backups);
  g_assert_true (pqs_migrator_load (migrator, NULL, &error));
  world->schemas = g_ptr_array_new_with_free_func (g_free);
  for (guint v = 0; v <= world->latest; v++)
    {
      if (v > OLD_VERSION)
        {
          g_assert_true (pqs_migrator_migrate (migrator, v, NULL, &error));
          g_assert_no_error (error);
        }
      g_ptr_array_add (world->schemas, v >= OLD_VERSION ? pqs_test_schema_dump (db) : NULL);
    }
  g_clear_object (&migrator);
  g_assert_finalize_object (g_steal_pointer (&store));
  pqs_test_rm_rf (backups);
}

/* Runs ---------------------------------------------------------------------------- */

static void
run_open (Run       *run,
          gboolean   old,
          guint      index)
{
  g_autoptr(GError) error = NULL;

  memset (run, 0, sizeof *run);
  run->dir = g_strdup_printf ("%s/run-%04u", world->dir, index);
  g_assert_cmpint (g_mkdir_with_parents (run->dir, 0700), ==, 0);
  run->path = g_build_filename (run->dir, "pqs.db", NULL);
  run->backups = g_build_filename (run->dir, "backups", NULL);
  pqs_test_copy_file (old ? world->old_template : world->template, run->path);

  run->store = pqs_test_open_store (run->path);
  run->audit_rows = pqs_test_query_int (pqs_store_get_handle (run->store),
                                        "SELECT count(*) FROM user_activities");
  run->directory = pqs_user_directory_new (run->store);
  run->library = pqs_library_new (run->store);
  run->workflow = pqs_workflow_new (run->library);
  run->service = pqs_backup_service_new (run->store, run->backups);
  run->migrator = pqs_migrator_new (run->store);
  pqs_migrator_set_backup_dir (run->migrator, run->backups);
  g_assert_true (pqs_migrator_load (run->migrator, NULL, &error));
  g_assert_no_error (error);
  if (!old)
    {
      run->author = pqs_user_directory_lookup_by_username (run->directory, "writer", &error);
      g_assert_no_error (error);
      run->document = pqs_library_load_document (run->library, run->author,
                                                 world->document_id, &error);
      g_assert_no_error (error);
    }
}

static void
run_close (Run *run)
{
  g_clear_object (&run->document);
  g_clear_object (&run->author);
  g_clear_object (&run->migrator);
  g_clear_object (&run->service);
  g_clear_object (&run->workflow);
  g_clear_object (&run->library);
  g_clear_object (&run->directory);
  if (run->store != NULL)
    {
      pqs_store_close (run->store);
      g_assert_finalize_object (g_steal_pointer (&run->store));
    }
  pqs_test_rm_rf (run->dir);
  g_clear_pointer (&run->dir, g_free);
  g_clear_pointer (&run->path, g_free);
  g_clear_pointer (&run->backups, g_free);
}

/* Every file in the backup folder is a manifest beside its backup or a
 * backup that verifies; returns how many backups there are. */
static guint
check_backups (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(PqsBackupService) service = NULL;
  const char *name;
  guint count = 0;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(PqsBackupInfo) info = NULL;
      g_autoptr(GError) error = NULL;

      if (g_str_has_suffix (name, ".manifest.json"))
        {
          g_autofree char *file = g_strndup (path, strlen (path) - strlen (".manifest.json"));

          g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
          continue;
        }
      if (strstr (name, ".partial") != NULL)
        g_error ("a failed operation left %s behind", path);
      if (service == NULL)
        service = pqs_backup_service_new (NULL, dir);
      info = pqs_backup_service_verify (service, path, NULL, NULL, &error);
      if (info == NULL)
        g_error ("%s does not verify: %s", path, error->message);
      count++;
    }

  return count;
}

/* Operations ------------------------------------------------------------------------ */

static gboolean
op_save (Run     *run,
         GError **error)
{
  g_autofree char *body = pqs_test_fault_body (world->document_id, 1);

  pqs_document_set_body (run->document, body);
  return pqs_library_save_document (run->library, run->author, run->document, "faulty disk",
                                    PQS_SAVE_DEFAULT, error);
}

static void
check_save (Run        *run,
            gboolean    done,
            const char *before)
{
  g_autofree char *sql = g_strdup_printf ("SELECT content FROM documents WHERE id = %"
                                          G_GINT64_FORMAT, world->document_id);
  g_autofree char *content = pqs_test_query_text (pqs_store_get_handle (run->store), sql);
  g_autofree char *body = pqs_test_fault_body (world->document_id, 1);

  g_assert_cmpint (g_str_equal (content, body), ==, done);
  if (!done)
    {
      g_autofree char *now = database_digest (pqs_store_get_handle (run->store), FALSE);

      g_assert_cmpstr (now, ==, before);
    }
}

static gboolean
op_submit (Run     *run,
           GError **error)
{
  return pqs_workflow_submit (run->workflow, run->author, world->document_id, "Ready", error);
}

static void
check_submit (Run        *run,
              gboolean    done,
              const char *before)
{
  sqlite3 *db = pqs_store_get_handle (run->store);
  g_autofree char *sql = g_strdup_printf ("SELECT status FROM documents WHERE id = %"
                                          G_GINT64_FORMAT, world->document_id);
  g_autofree char *status = pqs_test_query_text (db, sql);

  g_assert_cmpstr (status, ==, done ? "in_review" : "draft");
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM user_activities"), ==,
                   run->audit_rows + (done ? 1 : 0));
  if (!done)
    {
      g_autofree char *now = database_digest (db, FALSE);

      g_assert_cmpstr (now, ==, before);
    }
}

static gboolean
append_audit_cb (PqsStore  *store,
                 gpointer   data,
                 GError   **error)
{
  return pqs_audit_append_system (store, PQS_AUDIT_DATABASE_MIGRATE, "database", NULL, error);
}

static gboolean
op_audit (Run     *run,
          GError **error)
{
  return pqs_store_transaction (run->store, append_audit_cb, NULL, error);
}

static void
check_audit (Run        *run,
             gboolean    done,
             const char *before)
{
  sqlite3 *db = pqs_store_get_handle (run->store);

  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM user_activities"), ==,
                   run->audit_rows + (done ? 1 : 0));
  if (!done)
    {
      g_autofree char *now = database_digest (db, FALSE);

      g_assert_cmpstr (now, ==, before);
    }
}

static gboolean
op_copy (Run     *run,
         GError **error)
{
  g_autofree char *dest = NULL;
  g_autofree char *sha256 = NULL;

  g_mkdir_with_parents (run->backups, 0700);
  dest = g_strdup_printf ("%s/copy-%u.db", run->backups, run->attempt);
  if (pqs_store_copy_to_file_with_checksum (run->store, dest, &sha256, error))
    return TRUE;

  /* The caller's part: a copy that failed is removed (as the backup
   * service does). */
  g_unlink (dest);
  return FALSE;
}

static void
check_copy (Run        *run,
            gboolean    done,
            const char *before)
{
  g_autoptr(GDir) folder = g_dir_open (run->backups, 0, NULL);
  const char *name;
  guint copies = 0;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (run->backups, name, NULL);
      sqlite3 *db = NULL;

      /* Opening a copy (it is in WAL mode, like its source) makes these. */
      if (g_str_has_suffix (name, "-shm") || g_str_has_suffix (name, "-wal"))
        continue;
      g_assert_true (g_str_has_prefix (name, "copy-"));
      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      pqs_test_assert_integrity (db);
      sqlite3_close (db);
      copies++;
    }
  g_assert_cmpuint (copies, ==, done ? 1 : 0);
}

static gboolean
create_backup (Run      *run,
               gboolean  compress,
               GError  **error)
{
  PqsBackupOptions options = { PQS_BACKUP_TYPE_MANUAL, compress, NULL, NULL, "test",
                               PQS_BACKUP_KDF_INTERACTIVE };
  g_autoptr(PqsBackupInfo) info = NULL;

  info = pqs_backup_service_create (run->service, &options, NULL, NULL, NULL, error);
  return info != NULL;
}

/* The audit rows since the run started are all about backups (the
 * restore point of a restore, a failed attempt). */
static void
assert_only_backup_audit (Run *run)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM user_activities WHERE id > "
                                          "(SELECT id FROM user_activities ORDER BY id "
                                          " LIMIT 1 OFFSET %" G_GINT64_FORMAT ") "
                                          "AND activity_type NOT IN ('backup.create', "
                                          "'backup.failed')", run->audit_rows - 1);

  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (run->store), sql), ==, 0);
}

static gboolean
op_backup (Run     *run,
           GError **error)
{
  return create_backup (run, FALSE, error);
}

static gboolean
op_backup_compressed (Run     *run,
                      GError **error)
{
  return create_backup (run, TRUE, error);
}

/* A failed backup leaves no file (a file with a backup's name verifies and
 * is recorded as completed), and its history row says it failed, at the
 * latest once the next service has started. */
static void
check_backup (Run        *run,
              gboolean    done,
              const char *before)
{
  sqlite3 *db = pqs_store_get_handle (run->store);
  guint files = check_backups (run->backups);

  /* Known to fail (see the report of issue 7): when the history row cannot
   * be finished after the file got its name, the file stays. Marked as a
   * failure without stopping the sweep. */
  if (!done && files > 0)
    {
      g_test_message ("BUG: the backup failed (%s), yet a finished backup is left in %s",
                      run->failure, run->backups);
      g_test_fail_printf ("the backup failed (%s), yet a finished backup is left in %s",
                          run->failure, run->backups);
      run->leftovers = files;
    }
  g_assert_cmpuint (files, ==, (done ? 1 : 0) + run->leftovers);
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(*) FROM backup_history "
                                           "WHERE backup_status = 'completed'"), ==,
                   files - run->leftovers);
  assert_only_backup_audit (run);
}

static gboolean
op_migrate (Run     *run,
            GError **error)
{
  return pqs_migrator_migrate (run->migrator, PQS_MIGRATOR_LATEST, NULL, error);
}

/* A clean version: the schema exactly the one its history names. */
static void
check_migrate (Run        *run,
               gboolean    done,
               const char *before)
{
  sqlite3 *db = pqs_store_get_handle (run->store);
  gint64 version = pqs_test_query_int (db, "SELECT max(version) FROM migration_history");
  g_autofree char *schema = pqs_test_schema_dump (db);

  g_assert_cmpint (version, >=, OLD_VERSION);
  g_assert_cmpint (version, <=, world->latest);
  if (done)
    g_assert_cmpint (version, ==, world->latest);
  g_assert_cmpstr (schema, ==, g_ptr_array_index (world->schemas, version));
  g_assert_cmpint (pqs_test_query_int (db, "SELECT count(DISTINCT version) "
                                           "FROM migration_history"), ==, version);
  check_backups (run->backups);
}

static gboolean
op_restore (Run     *run,
            GError **error)
{
  return pqs_backup_service_restore (run->service, world->backup, NULL, NULL, NULL, error);
}

/* The live database is the one it was, or the backup brought forward. */
static void
check_restore (Run        *run,
               gboolean    done,
               const char *before)
{
  sqlite3 *db = pqs_store_get_handle (run->store);
  g_autofree char *schema = pqs_test_schema_dump (db);
  gint64 restores = pqs_test_query_int (db, "SELECT count(*) FROM user_activities "
                                            "WHERE activity_type = 'backup.restore'");

  g_assert_cmpstr (schema, ==, g_ptr_array_index (world->schemas, world->latest));
  g_assert_cmpint (restores, ==, done ? 1 : 0);
  if (!done)
    {
      g_autofree char *now = database_digest (db, TRUE);

      g_assert_cmpstr (now, ==, before);
      assert_only_backup_audit (run);
    }
  check_backups (run->backups);
}

static const Operation operations[] = {
  { "save", FALSE, op_save, check_save, FALSE },
  { "submit", FALSE, op_submit, check_submit, FALSE },
  { "audit", FALSE, op_audit, check_audit, FALSE },
  { "copy", FALSE, op_copy, check_copy, FALSE },
  { "backup", FALSE, op_backup, check_backup, TRUE },
  { "backup-compressed", FALSE, op_backup_compressed, check_backup, TRUE },
  { "migrate", TRUE, op_migrate, check_migrate, TRUE },
  { "restore", FALSE, op_restore, check_restore, TRUE },
};

/* The sweep ------------------------------------------------------------------------- */

/* What the database holds now, compared with @before when @done is FALSE. */
static void
check_state (const Operation *op,
             Run             *run,
             gboolean         done,
             const char      *before)
{
  pqs_test_assert_integrity (pqs_store_get_handle (run->store));
  assert_audit_chain (run->store);

  if (op->check != NULL)
    op->check (run, done, before);
  else if (!done)
    {
      g_autofree char *now = database_digest (pqs_store_get_handle (run->store), FALSE);

      g_assert_cmpstr (now, ==, before);
    }
}

/* A fresh connection, as the next start of the program would open it;
 * the services' objects made again on it. */
static void
reopen (const Operation *op,
        Run             *run)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&run->document);
  g_clear_object (&run->author);
  g_clear_object (&run->migrator);
  g_clear_object (&run->service);
  g_clear_object (&run->workflow);
  g_clear_object (&run->library);
  g_clear_object (&run->directory);
  pqs_store_close (run->store);
  g_assert_finalize_object (g_steal_pointer (&run->store));

  run->store = pqs_store_open (run->path, PQS_STORE_OPEN_EXISTING, &error);
  g_assert_no_error (error);
  /* Backups the failure left 'running' are marked failed here. */
  run->service = pqs_backup_service_new (run->store, run->backups);
  g_assert_cmpint (pqs_test_query_int (pqs_store_get_handle (run->store),
                                       "SELECT count(*) FROM backup_history "
                                       "WHERE backup_status = 'running'"), ==, 0);
}

/* Runs @op on a fresh copy with a fault of @kind after @after good calls
 * (G_MAXUINT: none, only counting). Returns the calls counted. */
static guint
run_once (const Operation *op,
          PqsFaultKind     kind,
          gboolean         persistent,
          guint            after,
          guint            index,
          Tally           *tally)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) retry_error = NULL;
  g_autofree char *before = NULL;
  Run run;
  guint calls;
  guint failed;
  gboolean ok;

  run_open (&run, op->old, index);
  before = database_digest (pqs_store_get_handle (run.store), op->records_backups);

  pqs_fault_vfs_arm (kind, after, persistent, run.dir);
  ok = op->run (&run, &error);
  run.attempt++;
  calls = pqs_fault_vfs_get_calls ();
  failed = pqs_fault_vfs_disarm ();

  if (after == G_MAXUINT)
    {
      if (!ok)
        g_error ("%s without faults: %s", op->name, error->message);
      check_state (op, &run, TRUE, before);
      run_close (&run);
      return calls;
    }

  if (failed == 0)
    {
      /* This run made fewer calls than the counting run. */
      g_assert_no_error (error);
      g_assert_true (ok);
      tally->beyond++;
    }
  else if (ok)
    {
      /* A failure SQLite recovered from or did not need (a checkpoint's
       * sync): the work is done, once. */
      tally->absorbed++;
      check_state (op, &run, TRUE, before);
    }
  else
    {
      g_assert_nonnull (error);
      g_test_message ("%s, %s%s fault after %u calls: %s (%s %d)", op->name,
                      persistent ? "" : "one-shot ", pqs_fault_kind_to_string (kind), after,
                      error->message,
                      g_quark_to_string (error->domain), error->code);
      assert_clear_error (error, kind);
      tally->failed++;
      run.failure = error->message;

      /* Nothing partial, on this connection… */
      check_state (op, &run, FALSE, before);

      /* …which, once the disk is back, does the work. */
      if (!op->run (&run, &retry_error))
        g_error ("%s after a %s fault, again without it: %s", op->name,
                 pqs_fault_kind_to_string (kind), retry_error->message);
      run.attempt++;
      check_state (op, &run, TRUE, before);
    }

  /* And the next start finds it sound. */
  reopen (op, &run);
  check_state (op, &run, TRUE, before);
  run_close (&run);
  tally->runs++;

  return calls;
}

static void
sweep (gconstpointer data)
{
  const Operation *op = data;
  static const struct
  {
    PqsFaultKind kind;
    gboolean     persistent;
  } faults[] = {
    { PQS_FAULT_WRITE, TRUE },
    { PQS_FAULT_FULL, TRUE },
    { PQS_FAULT_WRITE, FALSE },
    { PQS_FAULT_SYNC, TRUE },
  };
  guint index = 0;

  ensure_world ();

  for (guint f = 0; f < G_N_ELEMENTS (faults); f++)
    {
      Tally tally = { 0, };
      guint calls;
      g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (guint));

      calls = run_once (op, faults[f].kind, faults[f].persistent, G_MAXUINT, index++, &tally);
      for (guint n = 1; n <= MIN (calls, DENSE_FAULTS); n++)
        g_array_append_val (points, n);
      for (guint k = 1; calls > DENSE_FAULTS && k <= SPREAD_FAULTS; k++)
        {
          guint n = DENSE_FAULTS + (calls - DENSE_FAULTS) * k / SPREAD_FAULTS;

          if (n > g_array_index (points, guint, points->len - 1))
            g_array_append_val (points, n);
        }

      for (guint i = 0; i < points->len; i++)
        run_once (op, faults[f].kind, faults[f].persistent,
                  g_array_index (points, guint, i) - 1, index++, &tally);

      g_test_message ("%s, %s%s faults: %u calls; %u runs: %u failed cleanly, %u succeeded "
                      "despite the fault, %u made fewer calls", op->name,
                      faults[f].persistent ? "" : "one-shot ",
                      pqs_fault_kind_to_string (faults[f].kind), calls, tally.runs,
                      tally.failed, tally.absorbed, tally.beyond);
      if (faults[f].kind != PQS_FAULT_SYNC)
        g_assert_cmpuint (tally.failed, >, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Before anything opens a database: every connection goes through it. */
  pqs_fault_vfs_install ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fault-io/%s", operations[i].name);

      g_test_add_data_func (path, &operations[i], sweep);
    }

  status = g_test_run ();
  g_clear_pointer (&world, world_free);

  return status;
}
