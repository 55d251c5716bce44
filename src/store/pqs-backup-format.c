/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>
#include <nettle/sha2.h>
#include <sodium.h>

#include "pqs-backup-service.h"

/* Large reads keep the SHA instructions fed; 1 MiB stays in the L2 cache. */
#define SHA256_READ_SIZE (1024 * 1024)

/* The file format of compressed or encrypted backups:
 *
 *   0  magic "PQSBKP\0\1"          8 bytes
 *   8  format version              u16 LE
 *  10  flags                       u16 LE (1 compressed, 2 encrypted)
 *  12  header size (128)           u32 LE
 *  16  plaintext chunk size        u32 LE (0 unless encrypted)
 *  20  KDF algorithm               u32 LE (argon2id13, 0 unless encrypted)
 *  24  opslimit                    u64 LE
 *  32  memlimit                    u64 LE
 *  40  salt                        16 bytes
 *  56  secretstream header         24 bytes
 *  80  key check                   16 bytes (BLAKE2b of a constant, keyed with the key)
 *  96  reserved, zero              24 bytes
 * 120  header check                first 8 bytes of SHA-256 of bytes 0-119
 *
 * then the payload: the SQLite file, compressed with zlib when flagged, then
 * cut into chunks of crypto_secretstream_xchacha20poly1305 when encrypted
 * (every chunk but the last holds chunk-size bytes; the last one is tagged
 * FINAL, so a truncated file is noticed; the first one authenticates the
 * whole header as associated data). */

#define HEADER_CHECK_OFFSET 120
#define HEADER_CHECK_SIZE   8
#define RESERVED_OFFSET     96
#define MAX_MEMLIMIT        ((guint64) 1024 * 1024 * 1024)
#define MAX_OPSLIMIT        ((guint64) 64)
#define COPY_BUFFER_SIZE    (256 * 1024)

static const char key_check_message[] = "PQS Desk backup key check v1";

G_DEFINE_QUARK (pqs-backup-error-quark, pqs_backup_error)

static void
ensure_sodium (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
}

static guint16
read_u16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
read_u32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static guint64
read_u64 (const guint8 *p)
{
  return (guint64) read_u32 (p) | ((guint64) read_u32 (p + 4) << 32);
}

static void
write_u16 (guint8  *p,
           guint16  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static void
write_u32 (guint8  *p,
           guint32  v)
{
  for (guint i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

static void
write_u64 (guint8  *p,
           guint64  v)
{
  write_u32 (p, (guint32) (v & 0xffffffff));
  write_u32 (p + 4, (guint32) (v >> 32));
}

static void
header_check (const guint8 *data,
              guint8        out[HEADER_CHECK_SIZE])
{
  guint8 digest[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (digest, data, HEADER_CHECK_OFFSET);
  memcpy (out, digest, HEADER_CHECK_SIZE);
}

static void
header_serialize (const PqsBackupHeader *header,
                  guint8                 out[PQS_BACKUP_HEADER_SIZE])
{
  memset (out, 0, PQS_BACKUP_HEADER_SIZE);
  memcpy (out, PQS_BACKUP_MAGIC, PQS_BACKUP_MAGIC_LEN);
  write_u16 (out + 8, header->format_version);
  write_u16 (out + 10, header->flags);
  write_u32 (out + 12, PQS_BACKUP_HEADER_SIZE);
  write_u32 (out + 16, header->chunk_size);
  write_u32 (out + 20, header->kdf_algorithm);
  write_u64 (out + 24, header->opslimit);
  write_u64 (out + 32, header->memlimit);
  memcpy (out + 40, header->salt, PQS_BACKUP_SALT_SIZE);
  memcpy (out + 56, header->stream_header, PQS_BACKUP_STREAM_HEADER_SIZE);
  memcpy (out + 80, header->key_check, PQS_BACKUP_KEY_CHECK_SIZE);
  header_check (out, out + HEADER_CHECK_OFFSET);
}

static gboolean
all_zero (const guint8 *data,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}

/**
 * pqs_backup_format_is_sqlite:
 * @data: the first bytes of a file
 * @len: how many
 *
 * Returns: whether @data starts like an SQLite database (a plain backup).
 */
gboolean
pqs_backup_format_is_sqlite (const guint8 *data,
                             gsize         len)
{
  return data != NULL && len >= 16 && memcmp (data, "SQLite format 3", 16) == 0;
}

/**
 * pqs_backup_format_read_header:
 * @data: (array length=len) (nullable): the first bytes of a file
 * @len: how many bytes @data holds; any value is safe
 * @out: (out): the header
 * @error: return location for a #GError
 *
 * Parses and checks the header of a compressed or encrypted backup. Any input
 * is safe: a file that is not a backup gives %PQS_BACKUP_ERROR_NOT_A_BACKUP, a
 * damaged header %PQS_BACKUP_ERROR_DAMAGED, a newer format
 * %PQS_BACKUP_ERROR_UNSUPPORTED. Key-derivation limits are bounded, so that a
 * crafted file cannot make the reader allocate unbounded memory.
 *
 * Returns: %TRUE when @out holds a valid header
 */
gboolean
pqs_backup_format_read_header (const guint8     *data,
                               gsize             len,
                               PqsBackupHeader  *out,
                               GError          **error)
{
  guint8 check[HEADER_CHECK_SIZE];
  PqsBackupHeader header = { 0, };

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ensure_sodium ();

  if (data == NULL || len < PQS_BACKUP_MAGIC_LEN ||
      memcmp (data, PQS_BACKUP_MAGIC, PQS_BACKUP_MAGIC_LEN) != 0)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NOT_A_BACKUP,
                           _("The file is not a PQS Desk backup."));
      return FALSE;
    }

  if (len < PQS_BACKUP_HEADER_SIZE)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: it ends inside its header."));
      return FALSE;
    }

  header.format_version = read_u16 (data + 8);
  if (header.format_version > PQS_BACKUP_FORMAT_VERSION)
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_UNSUPPORTED,
                   _("The backup was made by a newer version of PQS Desk (format %u, this "
                     "program reads format %u). Update PQS Desk to read it."),
                   header.format_version, PQS_BACKUP_FORMAT_VERSION);
      return FALSE;
    }

  header_check (data, check);
  if (sodium_memcmp (check, data + HEADER_CHECK_OFFSET, HEADER_CHECK_SIZE) != 0 ||
      header.format_version == 0 ||
      read_u32 (data + 12) != PQS_BACKUP_HEADER_SIZE ||
      !all_zero (data + RESERVED_OFFSET, HEADER_CHECK_OFFSET - RESERVED_OFFSET))
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: its header does not match its check sum."));
      return FALSE;
    }

  header.flags = read_u16 (data + 10);
  header.chunk_size = read_u32 (data + 16);
  header.kdf_algorithm = read_u32 (data + 20);
  header.opslimit = read_u64 (data + 24);
  header.memlimit = read_u64 (data + 32);
  memcpy (header.salt, data + 40, PQS_BACKUP_SALT_SIZE);
  memcpy (header.stream_header, data + 56, PQS_BACKUP_STREAM_HEADER_SIZE);
  memcpy (header.key_check, data + 80, PQS_BACKUP_KEY_CHECK_SIZE);

  if ((header.flags & ~(PQS_BACKUP_FLAG_COMPRESSED | PQS_BACKUP_FLAG_ENCRYPTED)) != 0 ||
      header.flags == 0)
    goto bad_parameters;

  if (header.flags & PQS_BACKUP_FLAG_ENCRYPTED)
    {
      if (header.chunk_size != PQS_BACKUP_CHUNK_SIZE ||
          header.kdf_algorithm != crypto_pwhash_ALG_ARGON2ID13 ||
          header.opslimit < crypto_pwhash_OPSLIMIT_MIN || header.opslimit > MAX_OPSLIMIT ||
          header.memlimit < crypto_pwhash_MEMLIMIT_MIN || header.memlimit > MAX_MEMLIMIT)
        goto bad_parameters;
    }
  else if (header.chunk_size != 0 || header.kdf_algorithm != 0 || header.opslimit != 0 ||
           header.memlimit != 0 || !all_zero (data + 40, RESERVED_OFFSET - 40))
    goto bad_parameters;

  *out = header;
  return TRUE;

bad_parameters:
  g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                       _("The backup is damaged: its header holds parameters PQS Desk never "
                         "writes."));
  return FALSE;
}

/* Key derivation -------------------------------------------------------- */

static gboolean
derive_key (const char             *passphrase,
            const PqsBackupHeader  *header,
            guint8                  key[crypto_secretstream_xchacha20poly1305_KEYBYTES],
            GError                **error)
{
  if (crypto_pwhash (key, crypto_secretstream_xchacha20poly1305_KEYBYTES,
                     passphrase, strlen (passphrase), header->salt,
                     header->opslimit, (size_t) header->memlimit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED,
                           _("There is not enough memory to derive the key from the "
                             "passphrase."));
      return FALSE;
    }

  return TRUE;
}

static void
compute_key_check (const guint8 *key,
                   guint8        out[PQS_BACKUP_KEY_CHECK_SIZE])
{
  crypto_generichash (out, PQS_BACKUP_KEY_CHECK_SIZE,
                      (const guint8 *) key_check_message, sizeof key_check_message - 1,
                      key, crypto_secretstream_xchacha20poly1305_KEYBYTES);
}

/* The secretstream converter --------------------------------------------- */

#define PQS_TYPE_BACKUP_CRYPTER (pqs_backup_crypter_get_type ())
G_DECLARE_FINAL_TYPE (PqsBackupCrypter, pqs_backup_crypter, PQS, BACKUP_CRYPTER, GObject)

struct _PqsBackupCrypter
{
  GObject  parent_instance;

  gboolean decrypt;
  crypto_secretstream_xchacha20poly1305_state state;
  guint8   ad[PQS_BACKUP_HEADER_SIZE];
  gboolean first;        /* the next chunk is the first: it carries the header as AD */
  gboolean final_done;   /* the FINAL chunk was written or read */

  guint8  *in;           /* a chunk being filled */
  gsize    in_len;
  gsize    in_size;      /* a full chunk: plaintext when encrypting, ciphertext when decrypting */
  guint8  *out;          /* a chunk being handed out */
  gsize    out_len;
  gsize    out_pos;
};

static void pqs_backup_crypter_converter_init (GConverterIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PqsBackupCrypter, pqs_backup_crypter, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER,
                                                      pqs_backup_crypter_converter_init))

static gboolean
crypter_seal (PqsBackupCrypter  *self,
              gboolean           final,
              GError           **error)
{
  unsigned long long len = 0;

  crypto_secretstream_xchacha20poly1305_push (&self->state, self->out, &len,
                                              self->in, self->in_len,
                                              self->first ? self->ad : NULL,
                                              self->first ? sizeof self->ad : 0,
                                              final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                                    : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  self->first = FALSE;
  self->final_done = final;
  self->in_len = 0;
  self->out_len = (gsize) len;
  self->out_pos = 0;
  return TRUE;
}

static gboolean
crypter_open (PqsBackupCrypter  *self,
              gboolean           at_end,
              GError           **error)
{
  unsigned long long len = 0;
  unsigned char tag = 0;

  if (self->final_done)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: it has data after its end."));
      return FALSE;
    }

  if (self->in_len == 0)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: it is cut short."));
      return FALSE;
    }

  if (self->in_len < crypto_secretstream_xchacha20poly1305_ABYTES ||
      crypto_secretstream_xchacha20poly1305_pull (&self->state, self->out, &len, &tag,
                                                  self->in, self->in_len,
                                                  self->first ? self->ad : NULL,
                                                  self->first ? sizeof self->ad : 0) != 0)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: part of it fails its authentication "
                             "check."));
      return FALSE;
    }

  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
    self->final_done = TRUE;
  else if (at_end || tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: it is cut short."));
      return FALSE;
    }

  self->first = FALSE;
  self->in_len = 0;
  self->out_len = (gsize) len;
  self->out_pos = 0;
  return TRUE;
}

static GConverterResult
pqs_backup_crypter_convert (GConverter       *converter,
                            const void       *inbuf,
                            gsize             inbuf_size,
                            void             *outbuf,
                            gsize             outbuf_size,
                            GConverterFlags   flags,
                            gsize            *bytes_read,
                            gsize            *bytes_written,
                            GError          **error)
{
  PqsBackupCrypter *self = PQS_BACKUP_CRYPTER (converter);
  gboolean at_end = (flags & G_CONVERTER_INPUT_AT_END) != 0;
  gsize read = 0;
  gsize written = 0;

  for (;;)
    {
      /* Hand out what is ready. */
      if (self->out_pos < self->out_len)
        {
          gsize n = MIN (self->out_len - self->out_pos, outbuf_size - written);

          memcpy ((guint8 *) outbuf + written, self->out + self->out_pos, n);
          self->out_pos += n;
          written += n;
          if (self->out_pos < self->out_len)
            break;
        }

      if (self->decrypt && self->final_done && (read < inbuf_size || self->in_len > 0))
        {
          g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                               _("The backup is damaged: it has data after its end."));
          return G_CONVERTER_ERROR;
        }

      if (self->final_done)
        {
          if (self->decrypt && !at_end)
            break;
          *bytes_read = read;
          *bytes_written = written;
          return at_end ? G_CONVERTER_FINISHED : G_CONVERTER_CONVERTED;
        }

      /* Take input. */
      if (read < inbuf_size && self->in_len < self->in_size)
        {
          gsize n = MIN (self->in_size - self->in_len, inbuf_size - read);

          memcpy (self->in + self->in_len, (const guint8 *) inbuf + read, n);
          self->in_len += n;
          read += n;
        }

      if (self->in_len == self->in_size)
        {
          /* A full chunk. When decrypting it may be the final one only if
           * nothing follows it. */
          gboolean last = self->decrypt && at_end && read == inbuf_size;

          if (!(self->decrypt ? crypter_open (self, last, error) : crypter_seal (self, FALSE, error)))
            return G_CONVERTER_ERROR;
          continue;
        }

      if (read < inbuf_size)
        continue;

      /* All input taken and the chunk is not full. */
      if (at_end && !self->final_done)
        {
          if (!(self->decrypt ? crypter_open (self, TRUE, error) : crypter_seal (self, TRUE, error)))
            return G_CONVERTER_ERROR;
          continue;
        }

      break;
    }

  if (read == 0 && written == 0)
    {
      if (outbuf_size == 0 || self->out_pos < self->out_len)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No space");
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "Need more input");
      return G_CONVERTER_ERROR;
    }

  *bytes_read = read;
  *bytes_written = written;
  if ((flags & G_CONVERTER_FLUSH) && read == inbuf_size && self->out_pos == self->out_len)
    return G_CONVERTER_FLUSHED;
  return G_CONVERTER_CONVERTED;
}

static void
pqs_backup_crypter_reset (GConverter *converter)
{
  /* A secretstream cannot restart; the streams we build never reset. */
  g_warn_if_reached ();
}

static void
pqs_backup_crypter_converter_init (GConverterIface *iface)
{
  iface->convert = pqs_backup_crypter_convert;
  iface->reset = pqs_backup_crypter_reset;
}

static void
pqs_backup_crypter_finalize (GObject *object)
{
  PqsBackupCrypter *self = (PqsBackupCrypter *) object;

  sodium_memzero (&self->state, sizeof self->state);
  if (self->in != NULL)
    sodium_memzero (self->in, self->in_size);
  if (self->out != NULL)
    sodium_memzero (self->out, PQS_BACKUP_CHUNK_SIZE + crypto_secretstream_xchacha20poly1305_ABYTES);
  g_free (self->in);
  g_free (self->out);

  G_OBJECT_CLASS (pqs_backup_crypter_parent_class)->finalize (object);
}

static void
pqs_backup_crypter_class_init (PqsBackupCrypterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pqs_backup_crypter_finalize;
}

static void
pqs_backup_crypter_init (PqsBackupCrypter *self)
{
  self->first = TRUE;
  self->out = g_malloc (PQS_BACKUP_CHUNK_SIZE + crypto_secretstream_xchacha20poly1305_ABYTES);
}

static PqsBackupCrypter *
crypter_new (gboolean      decrypt,
             const guint8 *ad)
{
  PqsBackupCrypter *self = g_object_new (PQS_TYPE_BACKUP_CRYPTER, NULL);

  self->decrypt = decrypt;
  self->in_size = PQS_BACKUP_CHUNK_SIZE +
                  (decrypt ? crypto_secretstream_xchacha20poly1305_ABYTES : 0);
  self->in = g_malloc (self->in_size);
  memcpy (self->ad, ad, sizeof self->ad);
  return self;
}

/* Pipelines ---------------------------------------------------------------- */

/* Errors of the converter chain: ours pass through, zlib's mean damage. */
static void
propagate_stream_error (GError  **error,
                        GError   *local_error)
{
  if (local_error->domain == PQS_BACKUP_ERROR ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local_error);
      return;
    }

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                           _("The backup is damaged: it is cut short."));
      g_error_free (local_error);
      return;
    }

  if (local_error->domain == G_IO_ERROR &&
      (local_error->code == G_IO_ERROR_INVALID_DATA ||
       local_error->code == G_IO_ERROR_FAILED))
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                   _("The backup is damaged: its compressed data cannot be read (%s)."),
                   local_error->message);
      g_error_free (local_error);
      return;
    }

  g_propagate_error (error, local_error);
}

static gboolean
copy_stream (GInputStream               *in,
             GOutputStream              *out,
             guint64                     total,
             guint64                     max_size,
             PqsBackupByteProgressFunc   progress,
             gpointer                    progress_data,
             GCancellable               *cancellable,
             GError                    **error)
{
  g_autofree guint8 *buffer = g_malloc (COPY_BUFFER_SIZE);
  guint64 done = 0;

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, COPY_BUFFER_SIZE, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        return TRUE;
      if (max_size > 0 && done + n > max_size)
        {
          g_autofree char *limit = g_format_size (max_size);

          g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                       _("The backup is damaged: it unpacks to more than %s, more than the "
                         "database it should hold. It was not unpacked further."), limit);
          return FALSE;
        }
      if (!g_output_stream_write_all (out, buffer, n, NULL, cancellable, error))
        return FALSE;
      done += n;
      if (progress != NULL)
        progress (done, total, progress_data);
    }
}

/**
 * pqs_backup_format_encode:
 * @plain_path: the SQLite file to pack
 * @dest: where the header and the payload are written
 * @compress: whether to compress with zlib
 * @passphrase: (nullable): encrypt with a key derived from it
 * @kdf: how costly the key derivation is
 * @progress: (nullable) (scope call): called as bytes are read from @plain_path
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes a backup with the header of this file's format. @dest is flushed but
 * not closed.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_backup_format_encode (const char                *plain_path,
                          GOutputStream             *dest,
                          gboolean                   compress,
                          const char                *passphrase,
                          PqsBackupKdf               kdf,
                          PqsBackupByteProgressFunc  progress,
                          gpointer                   progress_data,
                          GCancellable              *cancellable,
                          GError                   **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (plain_path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GOutputStream) top = NULL;
  g_autoptr(GOutputStream) crypt_stream = NULL;
  g_autoptr(GOutputStream) zlib_stream = NULL;
  g_autoptr(GError) local_error = NULL;
  PqsBackupHeader header = { 0, };
  guint8 raw[PQS_BACKUP_HEADER_SIZE];
  g_autoptr(PqsBackupCrypter) crypter = NULL;
  gboolean encrypt = passphrase != NULL;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (dest), FALSE);
  g_return_val_if_fail (compress || encrypt, FALSE);

  ensure_sodium ();

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return FALSE;

  header.format_version = PQS_BACKUP_FORMAT_VERSION;
  header.flags = (compress ? PQS_BACKUP_FLAG_COMPRESSED : 0) |
                 (encrypt ? PQS_BACKUP_FLAG_ENCRYPTED : 0);

  if (encrypt)
    {
      guint8 key[crypto_secretstream_xchacha20poly1305_KEYBYTES];

      header.chunk_size = PQS_BACKUP_CHUNK_SIZE;
      header.kdf_algorithm = crypto_pwhash_ALG_ARGON2ID13;
      header.opslimit = kdf == PQS_BACKUP_KDF_INTERACTIVE ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                                          : crypto_pwhash_OPSLIMIT_MODERATE;
      header.memlimit = kdf == PQS_BACKUP_KDF_INTERACTIVE ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                                          : crypto_pwhash_MEMLIMIT_MODERATE;
      randombytes_buf (header.salt, sizeof header.salt);
      if (!derive_key (passphrase, &header, key, error))
        return FALSE;
      compute_key_check (key, header.key_check);

      crypter = crypter_new (FALSE, raw);
      crypto_secretstream_xchacha20poly1305_init_push (&crypter->state, header.stream_header,
                                                       key);
      sodium_memzero (key, sizeof key);
    }

  header_serialize (&header, raw);
  if (crypter != NULL)
    memcpy (crypter->ad, raw, sizeof raw);

  if (!g_output_stream_write_all (dest, raw, sizeof raw, NULL, cancellable, error))
    return FALSE;

  top = g_object_ref (dest);
  if (crypter != NULL)
    {
      crypt_stream = g_converter_output_stream_new (top, G_CONVERTER (crypter));
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (crypt_stream), FALSE);
      g_set_object (&top, crypt_stream);
    }
  if (compress)
    {
      g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1);

      zlib_stream = g_converter_output_stream_new (top, G_CONVERTER (zlib));
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (zlib_stream), FALSE);
      g_set_object (&top, zlib_stream);
    }

  if (!copy_stream (G_INPUT_STREAM (in), top, g_file_info_get_size (info), 0,
                    progress, progress_data, cancellable, error))
    return FALSE;

  /* Closing from the top finishes zlib, then writes the FINAL chunk; the
   * base stream stays open for the caller to sync. */
  if ((zlib_stream != NULL && !g_output_stream_close (zlib_stream, cancellable, &local_error)) ||
      (crypt_stream != NULL && !g_output_stream_close (crypt_stream, cancellable, &local_error)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return g_output_stream_flush (dest, cancellable, error);
}

/**
 * pqs_backup_format_decode:
 * @backup_path: a compressed or encrypted backup
 * @passphrase: (nullable): the passphrase, when the backup is encrypted
 * @dest: where the SQLite file is written
 * @progress: (nullable) (scope call): called as bytes are read from the backup
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Unpacks a backup. A wrong passphrase gives %PQS_BACKUP_ERROR_WRONG_PASSPHRASE,
 * a missing one %PQS_BACKUP_ERROR_NEEDS_PASSPHRASE, a damaged or cut file
 * %PQS_BACKUP_ERROR_DAMAGED — never silently wrong data. @dest is not closed.
 *
 * Returns: %TRUE on success
 */
/**
 * pqs_backup_format_decode_bounded:
 * @max_size: the most bytes it may unpack to, or 0 for no limit
 *
 * Like pqs_backup_format_decode(), but stops with %PQS_BACKUP_ERROR_DAMAGED
 * as soon as the output would exceed @max_size: a few kilobytes of zlib data
 * can unpack to gigabytes (a decompression bomb).
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_backup_format_decode_bounded (const char                *backup_path,
                                  const char                *passphrase,
                                  guint64                    max_size,
                                  GOutputStream             *dest,
                                  PqsBackupByteProgressFunc  progress,
                                  gpointer                   progress_data,
                                  GCancellable              *cancellable,
                                  GError                   **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (backup_path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GInputStream) top = NULL;
  g_autoptr(GError) local_error = NULL;
  PqsBackupHeader header;
  guint8 raw[PQS_BACKUP_HEADER_SIZE];
  gsize got = 0;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (dest), FALSE);

  ensure_sodium ();

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return FALSE;

  if (!g_input_stream_read_all (G_INPUT_STREAM (in), raw, sizeof raw, &got, cancellable, error))
    return FALSE;
  if (!pqs_backup_format_read_header (raw, got, &header, error))
    return FALSE;

  top = g_object_ref (G_INPUT_STREAM (in));
  if (header.flags & PQS_BACKUP_FLAG_ENCRYPTED)
    {
      g_autoptr(PqsBackupCrypter) crypter = NULL;
      guint8 key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
      guint8 check[PQS_BACKUP_KEY_CHECK_SIZE];
      GInputStream *next;

      if (passphrase == NULL)
        {
          g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_NEEDS_PASSPHRASE,
                               _("The backup is encrypted: give its passphrase."));
          return FALSE;
        }

      if (!derive_key (passphrase, &header, key, error))
        return FALSE;
      compute_key_check (key, check);
      if (sodium_memcmp (check, header.key_check, sizeof check) != 0)
        {
          sodium_memzero (key, sizeof key);
          g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_WRONG_PASSPHRASE,
                               _("The passphrase is wrong for this backup."));
          return FALSE;
        }

      crypter = crypter_new (TRUE, raw);
      if (crypto_secretstream_xchacha20poly1305_init_pull (&crypter->state,
                                                           header.stream_header, key) != 0)
        {
          sodium_memzero (key, sizeof key);
          g_set_error_literal (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                               _("The backup is damaged: its encryption header is invalid."));
          return FALSE;
        }
      sodium_memzero (key, sizeof key);

      next = g_converter_input_stream_new (top, G_CONVERTER (crypter));
      g_object_unref (top);
      top = next;
    }
  if (header.flags & PQS_BACKUP_FLAG_COMPRESSED)
    {
      g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
      GInputStream *next = g_converter_input_stream_new (top, G_CONVERTER (zlib));

      g_object_unref (top);
      top = next;
    }

  if (!copy_stream (top, dest, g_file_info_get_size (info), max_size, progress, progress_data,
                    cancellable, &local_error))
    {
      propagate_stream_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return g_output_stream_flush (dest, cancellable, error);
}

gboolean
pqs_backup_format_decode (const char                *backup_path,
                          const char                *passphrase,
                          GOutputStream             *dest,
                          PqsBackupByteProgressFunc  progress,
                          gpointer                   progress_data,
                          GCancellable              *cancellable,
                          GError                   **error)
{
  return pqs_backup_format_decode_bounded (backup_path, passphrase, 0, dest, progress,
                                           progress_data, cancellable, error);
}

/* Helpers of PqsBackupService ------------------------------------------------ */

static void
table_count_clear (gpointer data)
{
  PqsBackupTableCount *count = data;

  g_clear_pointer (&count->name, g_free);
}

GArray *
pqs_backup_table_counts_new (void)
{
  GArray *tables = g_array_new (FALSE, TRUE, sizeof (PqsBackupTableCount));

  g_array_set_clear_func (tables, table_count_clear);
  return tables;
}

void
pqs_backup_table_counts_add (GArray     *tables,
                  const char *name,
                  gint64      rows)
{
  PqsBackupTableCount count = { g_strdup (name), rows };

  g_array_append_val (tables, count);
}

/* Files ---------------------------------------------------------------------- */

gboolean
pqs_backup_set_io_error (GError     **error,
              int          saved_errno,
              const char  *format,
              const char  *path)
{
  g_autofree char *what = NULL;

  /* @format is one of our translated literals with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  what = g_strdup_printf (format, path);
#pragma GCC diagnostic pop

  g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_FAILED, "%s (%s).", what,
               g_strerror (saved_errno));
  return FALSE;
}

gboolean
pqs_backup_fsync_path (const char  *path,
            gboolean     is_folder,
            GError     **error)
{
  int fd = g_open (path, (is_folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      return pqs_backup_set_io_error (error, saved_errno, _("Cannot flush “%s” to disk"), path);
    }

  close (fd);
  return TRUE;
}

/* A fresh name PATH.XXXXXX.partial that nobody uses; the file is not kept. */
char *
pqs_backup_partial_name (const char  *path,
              const char  *tag,
              gboolean     keep_file,
              int         *out_fd,
              GError     **error)
{
  g_autofree char *name = g_strdup_printf ("%s.%sXXXXXX.partial", path, tag);
  int fd = g_mkstemp_full (name, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      pqs_backup_set_io_error (error, errno, _("Cannot create a temporary file beside “%s”"), path);
      return NULL;
    }

  if (keep_file && out_fd != NULL)
    *out_fd = fd;
  else
    close (fd);
  if (!keep_file)
    g_unlink (name);

  return g_steal_pointer (&name);
}

void
pqs_backup_unlink_quietly (const char *path)
{
  if (path != NULL)
    g_unlink (path);
}

/**
 * pqs_backup_format_sha256_file:
 * @path: a file
 * @cancellable: (nullable): a #GCancellable
 * @out_hex: (out): the SHA-256 of the file, in lower-case hex
 * @error: return location for a #GError
 *
 * Checksums a whole file with nettle's SHA-256, which uses the CPU's SHA
 * instructions when it has them (several times GChecksum's speed), reading
 * it in large blocks.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_backup_format_sha256_file (const char    *path,
                               GCancellable  *cancellable,
                               char         **out_hex,
                               GError       **error)
{
  struct sha256_ctx ctx;
  guint8 digest[SHA256_DIGEST_SIZE];
  char hex[SHA256_DIGEST_SIZE * 2 + 1];
  g_autofree guint8 *buffer = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_hex != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return pqs_backup_set_io_error (error, errno, _("Cannot read “%s”"), path);
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif

  buffer = g_malloc (SHA256_READ_SIZE);
  sha256_init (&ctx);
  for (;;)
    {
      gssize n = read (fd, buffer, SHA256_READ_SIZE);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return pqs_backup_set_io_error (error, saved_errno, _("Cannot read “%s”"), path);
        }
      if (n == 0)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }
      sha256_update (&ctx, n, buffer);
    }
  close (fd);

  sha256_digest (&ctx, sizeof digest, digest);
  for (gsize i = 0; i < sizeof digest; i++)
    {
      static const char digits[] = "0123456789abcdef";

      hex[2 * i] = digits[digest[i] >> 4];
      hex[2 * i + 1] = digits[digest[i] & 0xf];
    }
  hex[sizeof hex - 1] = '\0';

  *out_hex = g_strdup (hex);
  return TRUE;
}

/* Opens an SQLite file without locks, journals or side files: a staged copy
 * or a plain backup, which nothing else writes. */
sqlite3 *
pqs_backup_open_immutable (const char  *path,
                GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
  g_autofree char *uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                   _("The backup is damaged: the database inside cannot be read (%s)."),
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

static gboolean
sqlite_failed (GError     **error,
               sqlite3     *db,
               PqsBackupError code)
{
  g_set_error (error, PQS_BACKUP_ERROR, code,
               _("The backup is damaged: the database inside cannot be read (%s)."),
               sqlite3_errmsg (db));
  return FALSE;
}

/* The schema version and the row count of every table. */
gboolean
pqs_backup_read_db_facts (sqlite3    *db,
               gint       *out_version,
               GArray    **out_tables,
               GError    **error)
{
  g_autoptr(GArray) tables = pqs_backup_table_counts_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  gboolean has_history = FALSE;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                           "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return sqlite_failed (error, db, PQS_BACKUP_ERROR_DAMAGED);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (error, db, PQS_BACKUP_ERROR_DAMAGED);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      char *sql = sqlite3_mprintf ("SELECT count(*) FROM \"%w\"", name);

      rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
      sqlite3_free (sql);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        pqs_backup_table_counts_add (tables, name, sqlite3_column_int64 (stmt, 0));
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        return sqlite_failed (error, db, PQS_BACKUP_ERROR_DAMAGED);
      if (g_str_equal (name, "migration_history"))
        has_history = TRUE;
    }

  *out_version = 0;
  if (has_history)
    {
      rc = sqlite3_prepare_v2 (db, "SELECT coalesce(max(version), 0) FROM migration_history",
                               -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *out_version = (gint) sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        return sqlite_failed (error, db, PQS_BACKUP_ERROR_DAMAGED);
    }

  *out_tables = g_steal_pointer (&tables);
  return TRUE;
}

gboolean
pqs_backup_check_integrity (sqlite3  *db,
                 GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check (1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    return sqlite_failed (error, db, PQS_BACKUP_ERROR_DAMAGED);

  if (g_strcmp0 (first, "ok") != 0)
    {
      g_set_error (error, PQS_BACKUP_ERROR, PQS_BACKUP_ERROR_DAMAGED,
                   _("The backup is damaged: the database inside fails its integrity "
                     "check (%s)."), first);
      return FALSE;
    }

  return TRUE;
}

