/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-util.h"
#include "pqs-backup-format.h"
#include "pqs-backup-service.h"
#include "pqs-backup-service-private.h"

/* The manifest beside a backup (NAME.manifest.json), which `backup list`,
 * `backup verify` and the Backups page read from the backup folder, or from
 * wherever a backup was copied from, with pqs_backup_manifest_read().
 * Input: the manifest's bytes.
 *
 * Besides not crashing: a manifest is either read (a checksum and table
 * counts, every table with a name) or refused with
 * PQS_BACKUP_ERROR_VERIFY_FAILED. */

static char *backup_path;
static char *manifest_path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  pqs_fuzz_init ();
  backup_path = g_build_filename (pqs_fuzz_tmpdir (), "pqs-backup.pqsbak", NULL);
  manifest_path = g_strconcat (backup_path, ".manifest.json", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PqsBackupInfo) info = pqs_backup_info_new_for_path (backup_path);
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  int fd;

  fd = open (manifest_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, (gssize) size);
  g_assert_cmpint (close (fd), ==, 0);

  if (pqs_backup_manifest_read (info, &found, &error))
    {
      g_assert_no_error (error);
      pqs_fuzz_say ("read: %u tables", info->tables != NULL ? info->tables->len : 0);
      g_assert_true (found);
      g_assert_true (info->has_manifest);
      g_assert_nonnull (info->checksum_sha256);
      g_assert_nonnull (info->tables);
      for (guint i = 0; i < info->tables->len; i++)
        g_assert_nonnull (g_array_index (info->tables, PqsBackupTableCount, i).name);
    }
  else
    {
      pqs_fuzz_say ("refused: %s", error->message);
      g_assert_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_VERIFY_FAILED);
      pqs_fuzz_check_message (error);
      g_assert_false (found);
    }

  return 0;
}
