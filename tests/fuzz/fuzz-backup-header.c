/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>
#include <sodium.h>

#include "fuzz-util.h"
#include "pqs-backup-format.h"

/* The backup header reader: the first bytes of a file someone chose to
 * restore or verify (pqs_backup_format_is_sqlite(),
 * pqs_backup_format_read_header()), and what follows the header
 * (pqs_backup_format_decode_bounded()). Input: the file's bytes.
 *
 * The header ends with a check sum (the first 8 bytes of the SHA-256 of
 * bytes 0–119), which mutations almost never keep right; so each input is
 * read twice, as it is and with the check sum made right, and the second
 * form is unpacked when its header is valid (an encrypted one only when its
 * key derivation is cheap, with the passphrase "fuzz": two seeds were
 * made with it, other keys reach the wrong-passphrase path).
 *
 * Besides not crashing: a refusal is a PQS_BACKUP_ERROR with a readable
 * message (pqs_fuzz_check_message()); an accepted header carries exactly
 * what the format allows (pqs-backup-format.c); unpacking stops at
 * MAX_UNPACKED bytes. */

#define HEADER_CHECK_OFFSET 120
#define HEADER_CHECK_SIZE   8
#define MAX_UNPACKED        (1024 * 1024)
#define CHEAP_OPSLIMIT      2
#define CHEAP_MEMLIMIT      (64 * 1024)

/* A file of this process's own, unlinked at once: unpacking reads a path,
 * and /proc/self/fd/N opens it afresh for every input. */
static int backup_fd = -1;
static char *backup_path;

static void
check_header (const PqsBackupHeader *header)
{
  g_assert_cmpuint (header->format_version, ==, PQS_BACKUP_FORMAT_VERSION);
  g_assert_cmpuint (header->flags, !=, 0);
  g_assert_cmpuint (header->flags & ~(PQS_BACKUP_FLAG_COMPRESSED | PQS_BACKUP_FLAG_ENCRYPTED),
                    ==, 0);
  if (header->flags & PQS_BACKUP_FLAG_ENCRYPTED)
    {
      g_assert_cmpuint (header->chunk_size, ==, PQS_BACKUP_CHUNK_SIZE);
      g_assert_cmpuint (header->kdf_algorithm, ==, crypto_pwhash_ALG_ARGON2ID13);
      g_assert_cmpuint (header->opslimit, >=, crypto_pwhash_OPSLIMIT_MIN);
      g_assert_cmpuint (header->memlimit, >=, crypto_pwhash_MEMLIMIT_MIN);
      g_assert_cmpuint (header->memlimit, <=, (guint64) 1024 * 1024 * 1024);
    }
  else
    {
      g_assert_cmpuint (header->chunk_size, ==, 0);
      g_assert_cmpuint (header->opslimit, ==, 0);
      g_assert_cmpuint (header->memlimit, ==, 0);
    }
}

static gboolean
read_header (const guint8    *data,
             gsize            size,
             PqsBackupHeader *header)
{
  g_autoptr(GError) error = NULL;

  if (pqs_backup_format_read_header (data, size, header, &error))
    {
      g_assert_no_error (error);
      pqs_fuzz_say ("header: flags %u", header->flags);
      check_header (header);
      return TRUE;
    }

  g_assert_nonnull (error);
  pqs_fuzz_say ("header refused: %s", error->message);
  g_assert_true (error->domain == PQS_BACKUP_ERROR);
  g_assert_true (error->code == PQS_BACKUP_ERROR_NOT_A_BACKUP ||
                 error->code == PQS_BACKUP_ERROR_DAMAGED ||
                 error->code == PQS_BACKUP_ERROR_UNSUPPORTED);
  pqs_fuzz_check_message (error);
  return FALSE;
}

static void
unpack (const guint8          *data,
        gsize                  size,
        const PqsBackupHeader *header)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  const char *passphrase = NULL;

  if (header->flags & PQS_BACKUP_FLAG_ENCRYPTED)
    {
      if (header->opslimit > CHEAP_OPSLIMIT || header->memlimit > CHEAP_MEMLIMIT)
        return;
      passphrase = "fuzz";
    }

  g_assert_cmpint (ftruncate (backup_fd, 0), ==, 0);
  g_assert_cmpint (pwrite (backup_fd, data, size, 0), ==, (gssize) size);

  if (pqs_backup_format_decode_bounded (backup_path, passphrase, MAX_UNPACKED, out, NULL, NULL,
                                        NULL, &error))
    {
      g_assert_no_error (error);
      pqs_fuzz_say ("unpacked %" G_GSIZE_FORMAT " bytes",
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), <=,
                        MAX_UNPACKED);
    }
  else
    {
      g_assert_nonnull (error);
      pqs_fuzz_say ("unpacking refused: %s", error->message);
      pqs_fuzz_check_message (error);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *template_path = g_build_filename (pqs_fuzz_tmpdir (), "backup-XXXXXX", NULL);

  pqs_fuzz_init ();
  g_assert_cmpint (sodium_init (), >=, 0);

  backup_fd = g_mkstemp (template_path);
  g_assert_cmpint (backup_fd, >=, 0);
  g_assert_cmpint (unlink (template_path), ==, 0);
  backup_path = g_strdup_printf ("/proc/self/fd/%d", backup_fd);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  PqsBackupHeader header;
  g_autofree guint8 *fixed = NULL;

  pqs_backup_format_is_sqlite (data, size);
  read_header (data, size, &header);

  if (size < PQS_BACKUP_HEADER_SIZE || memcmp (data, PQS_BACKUP_MAGIC, PQS_BACKUP_MAGIC_LEN) != 0)
    return 0;

  /* The same file with a header check sum that matches. */
  fixed = g_memdup2 (data, size);
  {
    guint8 digest[crypto_hash_sha256_BYTES];

    crypto_hash_sha256 (digest, fixed, HEADER_CHECK_OFFSET);
    memcpy (fixed + HEADER_CHECK_OFFSET, digest, HEADER_CHECK_SIZE);
  }
  if (read_header (fixed, size, &header))
    unpack (fixed, size, &header);

  return 0;
}
