/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "pqs-audit.h"
#include "pqs-auth.h"
#include "pqs-document.h"
#include "pqs-document-private.h"
#include "pqs-json-input.h"
#include "pqs-library.h"
#include "pqs-outline.h"
#include "pqs-package.h"
#include "pqs-standard.h"
#include "pqs-standard-private.h"
#include "pqs-store.h"
#include "pqs-template-field.h"
#include "pqs-user-private.h"

/**
 * PqsPackage:
 *
 * Moves work between offline workstations as JSON: one section document
 * ("pqs-desk/document") or a whole standard with all its section documents
 * ("pqs-desk/package"), version 1 of both formats.
 *
 * A document file:
 *
 *   { "format": "pqs-desk/document", "version": 1,
 *     "generator": "PQS Desk 0.1.0", "exported_at": "…",
 *     "standard": STANDARD, "document": DOCUMENT }
 *
 * A package:
 *
 *   { "format": "pqs-desk/package", "version": 1, "generator": …, "exported_at": …,
 *     "standard": STANDARD, "documents": [ DOCUMENT, … ] }
 *
 * STANDARD is { "uid", "title", "owning_unit", "classification",
 * "applicability", "revision", "status" } and DOCUMENT is { "section",
 * "number", "title", "status", "version", "template": { "name", "section" }
 * or null, "metadata": { key: value }, "body", "outline" (the outline's JSON
 * form, pqs-outline.h), "content_hash", "created_at", "updated_at",
 * "reviewed_at", "approved_at", "author", "reviewed_by", "approved_by"
 * (people as { "username", "full_name", "rank" } or null) and, when asked
 * for, "history": [ { "version", "action", "change_type", "summary", "user",
 * "created_at" } ] }. content_hash is the SHA-256 of the document's
 * canonical rendering, computed at export.
 *
 * Import reads at most PQS_PACKAGE_MAX_FILE_SIZE bytes and validates the
 * whole file before anything is written: no NUL bytes (raw or escaped),
 * nesting no deeper than PQS_PACKAGE_MAX_DEPTH, at most
 * PQS_PACKAGE_MAX_VALUES values, no integer too long to be exact, valid UTF-8, the format and version, every member's type, size and
 * range, no members other than the ones above (a file never names files or
 * paths to write: a "path" or "file" member is refused, not ignored, and
 * "../" in a title is just text), numbers within their series and unique,
 * 101 in every package, at most PQS_PACKAGE_MAX_DOCUMENTS documents, each
 * outline by pqs_outline_validate(), and content_hash recomputed and
 * compared: a mismatch means the file was changed or damaged, and it is
 * refused.
 *
 * Then, in one transaction: the actor's permission; the templates (named
 * by name and series: one that is not on this workstation is refused, and
 * the metadata must fit its field list; a document without a template
 * keeps its metadata as long as it is a flat object of plain values or
 * signatures); the collisions; and the writes, by PqsLibrary's import
 * functions, with their change rows (action "import") and audit rows
 * ("document.import", "standard.import"). Any refusal rolls everything
 * back.
 *
 * What an import writes is work to review, not an approval: imported
 * documents are drafts of the importing account (a file cannot carry an
 * approval, whoever wrote it); an overwritten draft gets the content as a
 * new change, an overwritten approved document starts its next draft
 * revision, a document in review or archived is not overwritten, and
 * identical content writes nothing. Nothing is deleted by an import:
 * documents of the existing standard that are not in a package stay.
 *
 * Collisions: a standard is "the same" when it has the package's uid, else
 * when it has the same title and owning unit; a document collides with the
 * document of the same number in the target standard. The caller chooses to
 * fail, to overwrite (a frozen standard then starts its new revision), or
 * to import as new: a new revision of the standard (a second standard of the
 * same title and owning unit with its own uid, whose revision follows the
 * existing one's: "B" → "C", "Rev 3" → "Rev 4") or the next free number in
 * the series.
 */

#define TITLE_MAX          200
#define UNIT_MAX           200
#define APPLICABILITY_MAX  4000
#define REVISION_MAX       32
#define UID_MAX            64
#define BODY_MAX           200000
#define PERSON_MAX         200
#define SUMMARY_MAX        2000
#define TIME_MAX           40
#define GENERATOR_MAX      200
#define METADATA_MAX_KEYS  200
#define METADATA_TEXT_MAX  20000
#define VERSION_MAX        1000000

/* Names from the file shown in messages, so a hostile one cannot flood them. */
#define SHOWN_CHARS        60

struct _PqsPackage
{
  GObject    parent_instance;

  PqsStore  *store;
  gboolean   include_history;

  /* The last import. */
  gint64     standard_id;
  gboolean   standard_created;
  guint      n_created;
  guint      n_updated;
  guint      n_unchanged;
  GArray    *document_ids;
};

G_DEFINE_FINAL_TYPE (PqsPackage, pqs_package, G_TYPE_OBJECT)

G_DEFINE_QUARK (pqs-package-error-quark, pqs_package_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_INCLUDE_HISTORY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const conflict_names[] = { "fail", "overwrite", "new" };

const char *
pqs_package_conflict_to_string (PqsPackageConflict conflict)
{
  g_return_val_if_fail (conflict <= PQS_PACKAGE_CONFLICT_NEW, NULL);

  return conflict_names[conflict];
}

gboolean
pqs_package_conflict_from_string (const char         *text,
                                  PqsPackageConflict *out_conflict)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (conflict_names); i++)
    if (g_str_equal (text, conflict_names[i]))
      {
        *out_conflict = (PqsPackageConflict) i;
        return TRUE;
      }
  return FALSE;
}

/* Files -------------------------------------------------------------------- */

/**
 * pqs_package_write_file:
 * @file: a local file
 * @data: (array length=length): the bytes
 * @length: how many
 * @error: return location for a #GError
 *
 * Writes to a temporary file beside @file, flushes it to disk and renames
 * it over @file, so @file is either the old one or the complete new one.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_package_write_file (GFile       *file,
                        const void  *data,
                        gsize        length,
                        GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  const guint8 *p = data;
  gsize done = 0;
  int fd;
  int saved;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO,
                           _("Only files on this computer can be written."));
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO,
                   _("Cannot write in the folder “%s”: %s."), dir, g_strerror (saved));
      return FALSE;
    }

  /* g_mkstemp makes the file 0600; a document is as readable as any file the user writes. */
  {
    mode_t mask = umask (0);

    umask (mask);
    if (fchmod (fd, 0666 & ~mask) != 0)
      g_debug ("fchmod %s: %s", tmp, g_strerror (errno));
  }

  while (done < length)
    {
      gssize n = write (fd, p + done, MIN (length - done, (gsize) 1 << 20));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto failed;
      done += (gsize) n;
    }
  if (fsync (fd) != 0)
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;

  if (g_rename (tmp, path) != 0)
    goto failed;

  return TRUE;

failed:
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  g_set_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO,
               _("Cannot write “%s”: %s."), path, g_strerror (saved));
  return FALSE;
}

/* Reads at most @max bytes; a longer file (or an endless one) is refused. */
static GBytes *
read_limited (GFile   *file,
              gsize    max,
              GError **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  guint8 buffer[65536];

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO,
                   _("Cannot read “%s”: %s"), name, local_error->message);
      return NULL;
    }

  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL,
                                      &local_error);

      if (n < 0)
        {
          g_set_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_IO,
                       _("Cannot read “%s”: %s"), name, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > max)
        {
          g_set_error (error, PQS_PACKAGE_ERROR, PQS_PACKAGE_ERROR_TOO_LARGE,
                       _("“%s” is larger than %u MiB, the most a PQS Desk file may hold."),
                       name, (guint) (max / (1024 * 1024)));
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Parsing ------------------------------------------------------------------ */

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_set_error_literal (error, PQS_PACKAGE_ERROR, code, "");
  if (error != NULL && *error != NULL)
    {
      g_free ((*error)->message);
      (*error)->message = g_strdup_vprintf (format, args);
    }
  va_end (args);
  return FALSE;
}

/* What json-glib would accept but we do not: NUL bytes, "\u0000" (which
 * would cut a string short), integers too long to be exact, and more values
 * than a file needs. (pqs_json_input_parse() bounds the nesting.) */
static gboolean
scan_text (const char  *data,
           gsize        length,
           GError     **error)
{
  gboolean in_string = FALSE;
  gboolean in_number = FALSE;
  gboolean integer = TRUE;
  guint digits = 0;
  guint values = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '\0')
        return fail (error, PQS_PACKAGE_ERROR_MALFORMED,
                     _("The file holds a NUL byte (at byte %zu); "
                       "it is not a PQS Desk file."), i);

      if (in_string)
        {
          if (c == '\\')
            {
              if (i + 5 < length && memcmp (data + i + 1, "u0000", 5) == 0)
                return fail (error, PQS_PACKAGE_ERROR_MALFORMED,
                             _("The file holds an escaped NUL character (at byte %zu), "
                               "which no text may contain."), i);
              i++;
            }
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (g_ascii_isdigit (c))
        {
          if (!in_number)
            {
              in_number = TRUE;
              integer = TRUE;
              digits = 0;
            }
          if (integer && ++digits > 18)
            return fail (error, PQS_PACKAGE_ERROR_MALFORMED,
                         _("The file holds a number with too many digits (at byte %zu)."), i);
          continue;
        }
      if (in_number && (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
        {
          integer = FALSE;
          continue;
        }
      in_number = FALSE;

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case ',':
          /* Parsed JSON takes many times the room of its text: a file of
           * nothing but tiny values must not exhaust memory before the
           * limits below it are checked. */
          if (++values > PQS_PACKAGE_MAX_VALUES)
            return fail (error, PQS_PACKAGE_ERROR_TOO_LARGE,
                         _("The file holds more than %u values, more than any standard "
                           "needs."), PQS_PACKAGE_MAX_VALUES);
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/**
 * pqs_package_parse:
 * @data: (array length=length): the file's bytes
 * @length: how many
 * @error: return location for a #GError
 *
 * Parses a document file or a package as JSON, after the checks no parser
 * makes (size, NUL bytes, nesting). It does not validate the content: see
 * pqs_package_check().
 *
 * Returns: (transfer full): the root node, an object
 */
JsonNode *
pqs_package_parse (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > PQS_PACKAGE_MAX_FILE_SIZE)
    {
      fail (error, PQS_PACKAGE_ERROR_TOO_LARGE,
            _("The file is larger than %u MiB, the most a PQS Desk file may hold."),
            (guint) (PQS_PACKAGE_MAX_FILE_SIZE / (1024 * 1024)));
      return NULL;
    }
  if (length == 0)
    {
      fail (error, PQS_PACKAGE_ERROR_MALFORMED, _("The file is empty."));
      return NULL;
    }
  if (!scan_text (data, length, error))
    return NULL;
  if (!g_utf8_validate (data, (gssize) length, NULL))
    {
      fail (error, PQS_PACKAGE_ERROR_MALFORMED,
            _("The file is not valid UTF-8 text; it is not a PQS Desk file."));
      return NULL;
    }

  if (!pqs_json_input_parse (data, (gssize) length, PQS_PACKAGE_MAX_DEPTH, &root, &local_error))
    {
      if (g_error_matches (local_error, PQS_JSON_INPUT_ERROR, PQS_JSON_INPUT_ERROR_TOO_DEEP))
        fail (error, PQS_PACKAGE_ERROR_MALFORMED,
              _("The file is nested more than %u levels deep; it is not a PQS Desk file."),
              PQS_PACKAGE_MAX_DEPTH);
      else
        fail (error, PQS_PACKAGE_ERROR_MALFORMED,
              _("The file is not valid JSON (it may be cut short): %s"), local_error->message);
      return NULL;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, PQS_PACKAGE_ERROR_MALFORMED,
            _("The file is JSON, but not a PQS Desk document or package."));
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* Validation --------------------------------------------------------------- */

/* Text read from the file, checked. */
typedef struct
{
  char              *uid;
  char              *title;
  char              *owning_unit;
  char              *classification;
  char              *applicability;
  char              *revision;
  char              *status;
} ImportStandard;

typedef struct
{
  guint              index;           /* in the file, from 1 */
  gint64             section;
  gint64             number;
  gint64             version;
  char              *title;
  char              *status;
  char              *body;
  char              *content_hash;
  gboolean           has_template;
  char              *template_name;
  gint64             template_section;
  JsonNode          *metadata;        /* an object */
  GPtrArray         *outline;         /* PqsOutlineItem */
  JsonObject        *object;          /* as in the file */
  guint              n_history;
  PqsDocument       *doc;             /* the content, as the model renders it */

  /* Resolved in the transaction. */
  gint64             template_id;
  gint64             document_id;
  gint64             number_written;
} ImportDocument;

static void
import_standard_clear (ImportStandard *standard)
{
  g_free (standard->uid);
  g_free (standard->title);
  g_free (standard->owning_unit);
  g_free (standard->classification);
  g_free (standard->applicability);
  g_free (standard->revision);
  g_free (standard->status);
}

static void
import_document_free (ImportDocument *document)
{
  g_free (document->title);
  g_free (document->status);
  g_free (document->body);
  g_free (document->content_hash);
  g_free (document->template_name);
  g_clear_pointer (&document->metadata, json_node_unref);
  g_clear_pointer (&document->outline, g_ptr_array_unref);
  g_clear_pointer (&document->object, json_object_unref);
  g_clear_object (&document->doc);
  g_free (document);
}

typedef enum
{
  TEXT_LINE,        /* one line: no control characters */
  TEXT_MULTILINE,   /* tabs and line breaks allowed */
} TextKind;

static gboolean
check_members (JsonObject         *object,
               const char * const *allowed,
               const char         *where,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *shown = pqs_json_input_quote (name, -1, SHOWN_CHARS);

          return fail (error, PQS_PACKAGE_ERROR_INVALID,
                       _("%s: unknown member “%s”. A PQS Desk file holds only the members of "
                         "its format and never names files or paths."), where, shown);
        }
    }

  return TRUE;
}

static gboolean
text_is_clean (const char *text,
               TextKind    kind)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == 0x7f)
        {
          if (kind == TEXT_MULTILINE && (c == '\n' || c == '\r' || c == '\t'))
            continue;
          return FALSE;
        }
    }
  return TRUE;
}

/* Reads the string member @name: absent or null when @optional (then
 * *out is NULL), else text of at most @max characters. */
static gboolean
get_text (JsonObject  *object,
          const char  *name,
          gboolean     optional,
          gboolean     allow_empty,
          glong        max,
          TextKind     kind,
          const char  *where,
          char       **out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (optional)
        return TRUE;
      return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “%s” is missing."), where, name);
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “%s” must be text."), where, name);

  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “%s” is not valid UTF-8 text."),
                 where, name);
  if (g_utf8_strlen (text, -1) > max)
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("%s: “%s” is longer than %ld characters."), where, name, max);
  if (!text_is_clean (text, kind))
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 kind == TEXT_LINE
                   ? _("%s: “%s” holds line breaks or control characters.")
                   : _("%s: “%s” holds control characters."),
                 where, name);
  if (!allow_empty)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped == '\0')
        return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “%s” is empty."), where, name);
    }

  *out = g_strdup (text);
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *name,
         gint64       min,
         gint64       max,
         const char  *where,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “%s” is missing."), where, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("%s: “%s” must be a whole number from %" PRId64 " to %"
                   PRId64 "."), where, name, min, max);

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
check_choice (const char         *value,
              const char * const *choices,
              const char         *name,
              const char         *where,
              GError            **error)
{
  g_autofree char *list = NULL;

  if (value == NULL || g_strv_contains (choices, value))
    return TRUE;

  list = g_strjoinv (", ", (char **) choices);
  return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “%s” must be one of %s."),
               where, name, list);
}

static gboolean
check_time (JsonObject  *object,
            const char  *name,
            const char  *where,
            GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (!get_text (object, name, TRUE, FALSE, TIME_MAX, TEXT_LINE, where, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  time = pqs_store_parse_time (text);
  if (time == NULL)
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("%s: “%s” is not a date and time (such as 2024-05-01T12:00:00.000Z)."),
                 where, name);
  return TRUE;
}

/* Someone named in a file; informative only (accounts differ between workstations). */
static gboolean
check_person (JsonObject  *object,
              const char  *name,
              const char  *where,
              GError     **error)
{
  static const char * const members[] = { "username", "full_name", "rank", NULL };
  JsonNode *node = json_object_get_member (object, name);
  g_autofree char *inner = NULL;
  JsonObject *person;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("%s: “%s” must be an object with a username, a full name and a rank."),
                 where, name);

  person = json_node_get_object (node);
  inner = g_strdup_printf ("%s, “%s”", where, name);
  if (!check_members (person, members, inner, error))
    return FALSE;
  for (guint i = 0; members[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      if (!get_text (person, members[i], TRUE, TRUE, PERSON_MAX, TEXT_LINE, inner, &value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
key_is_valid (const char *key)
{
  if (!g_ascii_islower (key[0]) || strlen (key) > PQS_TEMPLATE_FIELD_KEY_MAX)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* The shape every metadata object keeps, template or not: keys as field
 * keys are written, values plain (text, number, true/false, null) or a
 * signature { "name", "rank", "date" }. */
static gboolean
check_metadata_shape (JsonObject  *metadata,
                      const char  *where,
                      GError     **error)
{
  static const char * const signature_members[] = { "name", "rank", "date", NULL };
  g_autoptr(GList) members = json_object_get_members (metadata);

  if (g_list_length (members) > METADATA_MAX_KEYS)
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("%s: “metadata” holds more than %u fields."), where, METADATA_MAX_KEYS);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (metadata, key);
      g_autofree char *inner = NULL;

      if (!g_utf8_validate (key, -1, NULL) || !key_is_valid (key))
        {
          g_autofree char *shown = pqs_json_input_quote (key, -1, SHOWN_CHARS);

          return fail (error, PQS_PACKAGE_ERROR_INVALID,
                       _("%s: the metadata key “%s” is not a field key (lower-case letters, "
                         "digits and underscores, starting with a letter)."), where, shown);
        }

      inner = g_strdup_printf (_("%s, field “%s”"), where, key);
      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *signature = json_node_get_object (value);

          if (!check_members (signature, signature_members, inner, error))
            return FALSE;
          for (guint i = 0; signature_members[i] != NULL; i++)
            {
              g_autofree char *text = NULL;

              if (!get_text (signature, signature_members[i], TRUE, TRUE, PERSON_MAX, TEXT_LINE,
                             inner, &text, error))
                return FALSE;
            }
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (value))
        return fail (error, PQS_PACKAGE_ERROR_INVALID,
                     _("%s: a field value is text, a number, true or false, or a signature."),
                     inner);

      switch (json_node_get_value_type (value))
        {
        case G_TYPE_STRING:
          {
            const char *text = json_node_get_string (value);

            if (!g_utf8_validate (text, -1, NULL) || !text_is_clean (text, TEXT_MULTILINE))
              return fail (error, PQS_PACKAGE_ERROR_INVALID,
                           _("%s: the value is not valid text."), inner);
            if (g_utf8_strlen (text, -1) > METADATA_TEXT_MAX)
              return fail (error, PQS_PACKAGE_ERROR_INVALID,
                           _("%s: the value is longer than %u characters."), inner,
                           METADATA_TEXT_MAX);
          }
          break;
        case G_TYPE_DOUBLE:
          if (!isfinite (json_node_get_double (value)))
            return fail (error, PQS_PACKAGE_ERROR_INVALID,
                         _("%s: the number is out of range."), inner);
          break;
        case G_TYPE_INT64:
        case G_TYPE_BOOLEAN:
          break;
        default:
          return fail (error, PQS_PACKAGE_ERROR_INVALID,
                       _("%s: a field value is text, a number, true or false, or a signature."),
                       inner);
        }
    }

  return TRUE;
}

static gboolean
check_history (JsonObject     *object,
               ImportDocument *document,
               const char     *where,
               GError        **error)
{
  static const char * const members[] = {
    "version", "action", "change_type", "summary", "user", "created_at", NULL
  };
  JsonNode *node = json_object_get_member (object, "history");
  JsonArray *history;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “history” must be a list."), where);

  history = json_node_get_array (node);
  if (json_array_get_length (history) > PQS_PACKAGE_MAX_HISTORY)
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("%s: “history” holds more than %u entries."), where, PQS_PACKAGE_MAX_HISTORY);

  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonNode *entry_node = json_array_get_element (history, i);
      g_autofree char *inner = g_strdup_printf (_("%s, history entry %u"), where, i + 1);
      g_autofree char *text = NULL;
      JsonObject *entry;
      gint64 version;

      if (!JSON_NODE_HOLDS_OBJECT (entry_node))
        return fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: must be an object."), inner);
      entry = json_node_get_object (entry_node);
      if (!check_members (entry, members, inner, error) ||
          !get_int (entry, "version", 1, VERSION_MAX, inner, &version, error) ||
          !get_text (entry, "action", TRUE, TRUE, 32, TEXT_LINE, inner, &text, error))
        return FALSE;
      g_clear_pointer (&text, g_free);
      if (!get_text (entry, "change_type", TRUE, TRUE, 32, TEXT_LINE, inner, &text, error))
        return FALSE;
      g_clear_pointer (&text, g_free);
      if (!get_text (entry, "summary", TRUE, TRUE, SUMMARY_MAX, TEXT_MULTILINE, inner, &text,
                     error))
        return FALSE;
      g_clear_pointer (&text, g_free);
      if (!get_text (entry, "user", TRUE, TRUE, PERSON_MAX, TEXT_LINE, inner, &text, error) ||
          !check_time (entry, "created_at", inner, error))
        return FALSE;
    }

  document->n_history = json_array_get_length (history);
  return TRUE;
}

static gboolean
is_hex_digest (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static ImportDocument *
read_document (JsonNode  *node,
               guint      index,
               GError   **error)
{
  static const char * const members[] = {
    "section", "number", "title", "status", "version", "template", "metadata", "body",
    "outline", "content_hash", "created_at", "updated_at", "reviewed_at", "approved_at",
    "author", "reviewed_by", "approved_by", "history", NULL
  };
  static const char * const statuses[] = { "draft", "in_review", "approved", "archived", NULL };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *digest = NULL;
  ImportDocument *document;
  JsonObject *object;
  JsonNode *member;

  where = g_strdup_printf (_("Document %u in the file"), index);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s must be an object."), where);
      return NULL;
    }
  object = json_node_get_object (node);

  document = g_new0 (ImportDocument, 1);
  document->index = index;
  document->object = json_object_ref (object);

  if (!check_members (object, members, where, error) ||
      !get_int (object, "section", 100, 300, where, &document->section, error))
    goto failed;
  if (document->section != 100 && document->section != 200 && document->section != 300)
    {
      fail (error, PQS_PACKAGE_ERROR_INVALID,
            _("%s: “section” must be 100, 200 or 300."), where);
      goto failed;
    }
  if (!get_int (object, "number", 0, G_MAXINT32, where, &document->number, error))
    goto failed;
  if (document->number < document->section + 1 || document->number > document->section + 99)
    {
      fail (error, PQS_PACKAGE_ERROR_INVALID,
            _("%s: number %" PRId64 " is outside the %" PRId64 " series "
              "(%" PRId64 "–%" PRId64 ")."),
            where, document->number, document->section, document->section + 1,
            document->section + 99);
      goto failed;
    }

  g_free (where);
  where = g_strdup_printf (_("Document %u in the file (section %" PRId64 ")"),
                           index, document->number);

  if (!get_text (object, "title", FALSE, FALSE, TITLE_MAX, TEXT_LINE, where, &document->title,
                 error) ||
      !get_text (object, "status", TRUE, FALSE, 16, TEXT_LINE, where, &document->status,
                 error) ||
      !check_choice (document->status, statuses, "status", where, error) ||
      !get_int (object, "version", 1, VERSION_MAX, where, &document->version, error) ||
      !get_text (object, "body", TRUE, TRUE, BODY_MAX, TEXT_MULTILINE, where, &document->body,
                 error) ||
      !get_text (object, "content_hash", FALSE, FALSE, 64, TEXT_LINE, where,
                 &document->content_hash, error) ||
      !check_time (object, "created_at", where, error) ||
      !check_time (object, "updated_at", where, error) ||
      !check_time (object, "reviewed_at", where, error) ||
      !check_time (object, "approved_at", where, error) ||
      !check_person (object, "author", where, error) ||
      !check_person (object, "reviewed_by", where, error) ||
      !check_person (object, "approved_by", where, error) ||
      !check_history (object, document, where, error))
    goto failed;
  if (document->body == NULL)
    document->body = g_strdup ("");

  /* The template, named by name and series. */
  member = json_object_get_member (object, "template");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      static const char * const template_members[] = { "name", "section", NULL };
      g_autofree char *inner = g_strdup_printf (_("%s, “template”"), where);
      JsonObject *template;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          fail (error, PQS_PACKAGE_ERROR_INVALID,
                _("%s: “template” must be an object with a name and a section, or null."),
                where);
          goto failed;
        }
      template = json_node_get_object (member);
      if (!check_members (template, template_members, inner, error) ||
          !get_text (template, "name", FALSE, FALSE, TITLE_MAX, TEXT_LINE, inner,
                     &document->template_name, error) ||
          !get_int (template, "section", 100, 300, inner, &document->template_section, error))
        goto failed;
      if (document->template_section != document->section)
        {
          fail (error, PQS_PACKAGE_ERROR_INVALID,
                _("%s: the template belongs to the %" PRId64 " series, the document "
                  "to the %" PRId64 " series."),
                where, document->template_section, document->section);
          goto failed;
        }
      document->has_template = TRUE;
    }

  /* Metadata: an object (absent or null reads as {}). */
  member = json_object_get_member (object, "metadata");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    document->metadata = json_node_init_object (json_node_alloc (), json_object_new ());
  else if (!JSON_NODE_HOLDS_OBJECT (member))
    {
      fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: “metadata” must be an object."), where);
      goto failed;
    }
  else
    {
      document->metadata = json_node_copy (member);
      if (!check_metadata_shape (json_node_get_object (document->metadata), where, error))
        goto failed;
    }

  /* The outline, by the rules every outline keeps. */
  member = json_object_get_member (object, "outline");
  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    document->outline = pqs_outline_new ();
  else
    {
      document->outline = pqs_outline_from_json (member, &local_error);
      if (document->outline == NULL || !pqs_outline_validate (document->outline, &local_error))
        {
          fail (error, PQS_PACKAGE_ERROR_INVALID, _("%s: the outline is not valid: %s"), where,
                local_error->message);
          goto failed;
        }
    }

  /* The content is what its hash says. */
  if (!is_hex_digest (document->content_hash))
    {
      fail (error, PQS_PACKAGE_ERROR_INVALID,
            _("%s: “content_hash” must be 64 lower-case hexadecimal digits (SHA-256)."), where);
      goto failed;
    }
  document->doc = pqs_document_new ((guint) document->number, document->title);
  pqs_document_set_body (document->doc, document->body);
  pqs_document_set_metadata (document->doc, json_node_get_object (document->metadata));
  pqs_document_set_outline (document->doc, document->outline);
  digest = pqs_document_compute_hash (document->doc);
  if (!g_str_equal (digest, document->content_hash))
    {
      fail (error, PQS_PACKAGE_ERROR_TAMPERED,
            _("%s: the content does not match its content_hash. The file was changed or "
              "damaged after it was exported; it is not imported."), where);
      goto failed;
    }

  return document;

failed:
  import_document_free (document);
  return NULL;
}

/**
 * pqs_package_document_hash:
 * @document: a document object of an export (title, number, metadata, body, outline)
 * @error: return location for a #GError
 *
 * Computes what "content_hash" must be for @document: the SHA-256 of the
 * canonical rendering of its content, as pqs_document_compute_hash() makes it.
 *
 * Returns: (transfer full): the hash in lower-case hex, or %NULL when the
 *   object lacks a title or number or has an invalid outline
 */
char *
pqs_package_document_hash (JsonObject  *document,
                           GError     **error)
{
  g_autoptr(PqsDocument) doc = NULL;
  g_autoptr(GPtrArray) outline = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  JsonNode *member;
  gint64 number;

  g_return_val_if_fail (document != NULL, NULL);

  if (!get_text (document, "title", FALSE, TRUE, G_MAXLONG, TEXT_MULTILINE, _("The document"),
                 &title, error) ||
      !get_int (document, "number", 0, G_MAXINT32, _("The document"), &number, error) ||
      !get_text (document, "body", TRUE, TRUE, G_MAXLONG, TEXT_MULTILINE, _("The document"),
                 &body, error))
    return NULL;

  member = json_object_get_member (document, "outline");
  outline = member != NULL && !JSON_NODE_HOLDS_NULL (member)
              ? pqs_outline_from_json (member, error) : pqs_outline_new ();
  if (outline == NULL)
    return NULL;

  doc = pqs_document_new ((guint) number, title);
  pqs_document_set_body (doc, body != NULL ? body : "");
  member = json_object_get_member (document, "metadata");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    pqs_document_set_metadata (doc, json_node_get_object (member));
  pqs_document_set_outline (doc, outline);

  return pqs_document_compute_hash (doc);
}

static gboolean
read_standard (JsonObject      *root,
               ImportStandard  *standard,
               GError         **error)
{
  static const char * const members[] = {
    "uid", "title", "owning_unit", "classification", "applicability", "revision", "status", NULL
  };
  static const char * const classifications[] = {
    "unclassified", "restricted", "confidential", "secret", NULL
  };
  static const char * const statuses[] = { "draft", "active", "archived", NULL };
  const char *where = _("The standard");
  JsonNode *node = json_object_get_member (root, "standard");
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("The file has no “standard” object naming the standard it belongs to."));
  object = json_node_get_object (node);

  if (!check_members (object, members, where, error) ||
      !get_text (object, "uid", TRUE, FALSE, UID_MAX, TEXT_LINE, where, &standard->uid, error) ||
      !get_text (object, "title", FALSE, FALSE, TITLE_MAX, TEXT_LINE, where, &standard->title,
                 error) ||
      !get_text (object, "owning_unit", TRUE, TRUE, UNIT_MAX, TEXT_LINE, where,
                 &standard->owning_unit, error) ||
      !get_text (object, "classification", TRUE, FALSE, 16, TEXT_LINE, where,
                 &standard->classification, error) ||
      !check_choice (standard->classification, classifications, "classification", where,
                     error) ||
      !get_text (object, "applicability", TRUE, TRUE, APPLICABILITY_MAX, TEXT_MULTILINE, where,
                 &standard->applicability, error) ||
      !get_text (object, "revision", TRUE, TRUE, REVISION_MAX, TEXT_LINE, where,
                 &standard->revision, error) ||
      !get_text (object, "status", TRUE, FALSE, 16, TEXT_LINE, where, &standard->status,
                 error) ||
      !check_choice (standard->status, statuses, "status", where, error))
    return FALSE;

  if (standard->uid != NULL)
    for (const char *p = standard->uid; *p != '\0'; p++)
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return fail (error, PQS_PACKAGE_ERROR_INVALID,
                     _("The standard: “uid” may only hold letters, digits, hyphens and "
                       "underscores."));
  if (standard->classification == NULL)
    standard->classification = g_strdup ("unclassified");

  return TRUE;
}

/* The envelope: format, version, and the members a root may have. */
static gboolean
read_envelope (JsonObject  *root,
               const char  *format,
               GError     **error)
{
  static const char * const document_members[] = {
    "format", "version", "generator", "exported_at", "standard", "document", NULL
  };
  static const char * const package_members[] = {
    "format", "version", "generator", "exported_at", "standard", "documents", NULL
  };
  const char *where = _("The file");
  g_autofree char *found = NULL;
  g_autofree char *generator = NULL;
  JsonNode *version;

  if (!get_text (root, "format", TRUE, FALSE, 64, TEXT_LINE, where, &found, error))
    return FALSE;
  if (found == NULL ||
      (!g_str_equal (found, PQS_PACKAGE_FORMAT_DOCUMENT) &&
       !g_str_equal (found, PQS_PACKAGE_FORMAT_STANDARD)))
    return fail (error, PQS_PACKAGE_ERROR_UNSUPPORTED,
                 _("The file is not a PQS Desk document or package (its “format” is not "
                   "“%s” or “%s”)."), PQS_PACKAGE_FORMAT_DOCUMENT, PQS_PACKAGE_FORMAT_STANDARD);
  if (!g_str_equal (found, format))
    return fail (error, PQS_PACKAGE_ERROR_UNSUPPORTED,
                 g_str_equal (format, PQS_PACKAGE_FORMAT_DOCUMENT)
                   ? _("The file is the package of a whole standard, not a section document. "
                       "Import it as a standard.")
                   : _("The file is a single section document, not the package of a whole "
                       "standard. Import it as a document."));

  version = json_object_get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64)
    return fail (error, PQS_PACKAGE_ERROR_INVALID, _("The file: “version” must be a number."));
  if (json_node_get_int (version) != PQS_PACKAGE_FORMAT_VERSION)
    return fail (error, PQS_PACKAGE_ERROR_UNSUPPORTED,
                 json_node_get_int (version) > PQS_PACKAGE_FORMAT_VERSION
                   ? _("The file was written in version %" PRId64 " of the format by a "
                       "newer PQS Desk; this one reads version %d.")
                   : _("The file is in version %" PRId64 " of the format, which this "
                       "PQS Desk does not read (it reads version %d)."),
                 json_node_get_int (version), PQS_PACKAGE_FORMAT_VERSION);

  return check_members (root, g_str_equal (format, PQS_PACKAGE_FORMAT_DOCUMENT)
                                ? document_members : package_members, where, error) &&
         get_text (root, "generator", TRUE, TRUE, GENERATOR_MAX, TEXT_LINE, where, &generator,
                   error) &&
         check_time (root, "exported_at", where, error);
}

typedef struct
{
  ImportStandard  standard;
  GPtrArray      *documents;  /* ImportDocument */
} Parsed;

static void
parsed_clear (Parsed *parsed)
{
  import_standard_clear (&parsed->standard);
  g_clear_pointer (&parsed->documents, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Parsed, parsed_clear)

static gboolean
read_file_content (JsonNode    *root_node,
                   const char  *format,
                   Parsed      *parsed,
                   GError     **error)
{
  JsonObject *root = json_node_get_object (root_node);
  gboolean package = g_str_equal (format, PQS_PACKAGE_FORMAT_STANDARD);
  g_autoptr(GHashTable) numbers = g_hash_table_new (g_int64_hash, g_int64_equal);

  parsed->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) import_document_free);

  if (!read_envelope (root, format, error) || !read_standard (root, &parsed->standard, error))
    return FALSE;

  if (package)
    {
      JsonNode *node = json_object_get_member (root, "documents");
      JsonArray *documents;

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        return fail (error, PQS_PACKAGE_ERROR_INVALID,
                     _("The package has no “documents” list."));
      documents = json_node_get_array (node);
      if (json_array_get_length (documents) == 0)
        return fail (error, PQS_PACKAGE_ERROR_INVALID, _("The package holds no documents."));
      if (json_array_get_length (documents) > PQS_PACKAGE_MAX_DOCUMENTS)
        return fail (error, PQS_PACKAGE_ERROR_INVALID,
                     _("The package holds %u documents; at most %u are allowed."),
                     json_array_get_length (documents), PQS_PACKAGE_MAX_DOCUMENTS);

      for (guint i = 0; i < json_array_get_length (documents); i++)
        {
          ImportDocument *document = read_document (json_array_get_element (documents, i),
                                                    i + 1, error);

          if (document == NULL)
            return FALSE;
          g_ptr_array_add (parsed->documents, document);
          if (g_hash_table_contains (numbers, &document->number))
            return fail (error, PQS_PACKAGE_ERROR_INVALID,
                         _("The package holds section %" PRId64 " twice (document %u); "
                           "a number is unique within its standard."),
                         document->number, document->index);
          g_hash_table_add (numbers, &document->number);
        }

      if (!g_hash_table_contains (numbers, &(gint64) { PQS_PRECAUTIONS_NUMBER }))
        return fail (error, PQS_PACKAGE_ERROR_INVALID,
                     _("The package has no section 101 (Precautions), which every standard "
                       "has."));
    }
  else
    {
      JsonNode *node = json_object_get_member (root, "document");
      ImportDocument *document;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return fail (error, PQS_PACKAGE_ERROR_INVALID, _("The file has no “document” object."));
      document = read_document (node, 1, error);
      if (document == NULL)
        return FALSE;
      g_ptr_array_add (parsed->documents, document);
    }

  return TRUE;
}

static gboolean
read_root (JsonNode    *root,
           Parsed      *parsed,
           GError     **error)
{
  const char *format = NULL;
  JsonNode *node;

  g_return_val_if_fail (root != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (error, PQS_PACKAGE_ERROR_MALFORMED,
                 _("The file is JSON, but not a PQS Desk document or package."));
  node = json_object_get_member (json_node_get_object (root), "format");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    format = json_node_get_string (node);

  return read_file_content (root, g_strcmp0 (format, PQS_PACKAGE_FORMAT_STANDARD) == 0
                                    ? PQS_PACKAGE_FORMAT_STANDARD : PQS_PACKAGE_FORMAT_DOCUMENT,
                            parsed, error);
}

/**
 * pqs_package_check:
 * @self: a #PqsPackage
 * @root: a parsed file (pqs_package_parse())
 * @error: return location for a #GError
 *
 * Validates a document file or a package as an import would, without the
 * database: format, types, sizes, ranges, outlines and content hashes.
 *
 * Returns: %TRUE when the file is valid
 */
gboolean
pqs_package_check (PqsPackage  *self,
                   JsonNode    *root,
                   GError     **error)
{
  g_auto(Parsed) parsed = { { NULL, }, NULL };

  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);

  return read_root (root, &parsed, error);
}

/* Reading the database --------------------------------------------------------- */

#define AUDIT_DOCUMENT_EXPORT  "document.export"
#define AUDIT_STANDARD_EXPORT  "standard.export"

static gboolean
sqlite_failed (PqsStore  *store,
               int        rc,
               GError   **error)
{
  return pqs_store_set_error_from_sqlite (error, pqs_store_get_handle (store), rc, NULL);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
time_text (GDateTime *time)
{
  if (time == NULL)
    return NULL;
  return pqs_store_format_time (g_date_time_to_unix (time) * G_USEC_PER_SEC +
                                g_date_time_get_microsecond (time));
}

/* The actor as the database holds it now; NULL actor: the operator. */
static gboolean
check_actor (PqsStore                *store,
             PqsUser                 *actor,
             PqsAction                action,
             const PqsDocumentAccess *access,
             PqsUser                **out_fresh,
             GError                 **error)
{
  g_autoptr(PqsUser) fresh = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (actor == NULL)
    return TRUE;

  if (out_fresh != NULL && *out_fresh != NULL)
    fresh = g_object_ref (*out_fresh);
  else
    {
      stmt = pqs_store_prepare (store, "SELECT " PQS_USER_COLUMNS " FROM users WHERE id = ?1",
                                error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, pqs_user_get_id (actor));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        fresh = pqs_user_new_from_stmt (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_failed (store, rc, error);
      if (fresh == NULL)
        {
          g_set_error_literal (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                               _("Your account no longer exists."));
          return FALSE;
        }
      if (out_fresh != NULL)
        *out_fresh = g_object_ref (fresh);
    }

  return pqs_auth_check (fresh, action, access, error);
}

static PqsCollaboratorRole
collaboration_of (PqsStore *store,
                  gint64    document_id,
                  PqsUser  *actor)
{
  PqsCollaboratorRole role = PQS_COLLABORATOR_NONE;
  sqlite3_stmt *stmt;

  if (actor == NULL)
    return PQS_COLLABORATOR_NONE;

  stmt = pqs_store_prepare (store,
                            "SELECT role FROM document_collaborators "
                            "WHERE document_id = ?1 AND user_id = ?2 AND is_active = 1", NULL);
  if (stmt == NULL)
    return PQS_COLLABORATOR_NONE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, pqs_user_get_id (actor));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    pqs_collaborator_role_from_string ((const char *) sqlite3_column_text (stmt, 0), &role);
  sqlite3_reset (stmt);

  return role;
}

static PqsStandard *
load_standard (PqsStore  *store,
               gint64     id,
               GError   **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT " PQS_STANDARD_COLUMNS
                                          " FROM standards AS s WHERE s.id = ?1", error);
  PqsStandard *standard = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    standard = pqs_standard_new_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    fail (error, PQS_PACKAGE_ERROR_NOT_FOUND,
          _("There is no standard with the id %" PRId64 "."), id);
  else if (rc != SQLITE_ROW)
    sqlite_failed (store, rc, error);

  return standard;
}

/* The outline from document_items, depth first in position order. */
static GPtrArray *
load_outline (PqsStore  *store,
              gint64     document_id,
              GError   **error)
{
  typedef struct { gint64 id; gint64 parent; PqsOutlineItem *item; } Row;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GHashTable) children = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) outline = pqs_outline_new ();
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) cursor = g_array_new (FALSE, FALSE, sizeof (guint));
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (store,
                            "SELECT id, coalesce(parent_id, 0), kind, text, answer, criteria "
                            "FROM document_items WHERE document_id = ?1 ORDER BY position, id",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PqsItemKind kind = PQS_ITEM_TEXT;
      Row row;
      GArray *siblings;

      pqs_item_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &kind);
      row.id = sqlite3_column_int64 (stmt, 0);
      row.parent = sqlite3_column_int64 (stmt, 1);
      row.item = pqs_outline_item_new (kind, 0, (const char *) sqlite3_column_text (stmt, 3),
                                       (const char *) sqlite3_column_text (stmt, 4),
                                       (const char *) sqlite3_column_text (stmt, 5));
      g_array_append_val (rows, row);

      siblings = g_hash_table_lookup (children, &row.parent);
      if (siblings == NULL)
        {
          siblings = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (children, g_memdup2 (&row.parent, sizeof row.parent), siblings);
        }
      g_array_append_val (siblings, (guint) { rows->len - 1 });
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      for (guint i = 0; i < rows->len; i++)
        pqs_outline_item_free (g_array_index (rows, Row, i).item);
      sqlite_failed (store, rc, error);
      return NULL;
    }

  /* Depth first from the top level (parent 0), without recursion. */
  g_array_append_val (stack, (gint64) { 0 });
  g_array_append_val (cursor, (guint) { 0 });
  while (stack->len > 0)
    {
      gint64 parent = g_array_index (stack, gint64, stack->len - 1);
      guint *next = &g_array_index (cursor, guint, cursor->len - 1);
      GArray *siblings = g_hash_table_lookup (children, &parent);
      Row *row;

      if (siblings == NULL || *next >= siblings->len)
        {
          g_array_set_size (stack, stack->len - 1);
          g_array_set_size (cursor, cursor->len - 1);
          continue;
        }
      row = &g_array_index (rows, Row, g_array_index (siblings, guint, (*next)++));
      row->item->depth = stack->len - 1;
      g_ptr_array_add (outline, g_steal_pointer (&row->item));
      g_array_append_val (stack, row->id);
      g_array_append_val (cursor, (guint) { 0 });
    }

  /* Items that hang under nothing reachable (cannot happen with the foreign key). */
  for (guint i = 0; i < rows->len; i++)
    g_clear_pointer (&g_array_index (rows, Row, i).item, pqs_outline_item_free);

  return g_steal_pointer (&outline);
}

static PqsDocument *
load_document (PqsStore  *store,
               gint64     id,
               GError   **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT " PQS_DOCUMENT_COLUMNS
                                          " FROM documents AS d WHERE d.id = ?1", error);
  g_autoptr(PqsDocument) document = NULL;
  GPtrArray *outline;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    document = pqs_document_new_from_stmt (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      fail (error, PQS_PACKAGE_ERROR_NOT_FOUND,
            _("There is no section document with the id %" PRId64 "."), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite_failed (store, rc, error);
      return NULL;
    }

  outline = load_outline (store, id, error);
  if (outline == NULL)
    return NULL;
  pqs_document_take_outline (document, outline);

  return g_steal_pointer (&document);
}

static gboolean
check_read (PqsStore     *store,
            PqsUser      *actor,
            PqsDocument  *document,
            PqsUser     **fresh,
            GError      **error)
{
  PqsDocumentAccess access = {
    pqs_document_get_created_by (document),
    pqs_document_get_status (document),
    collaboration_of (store, pqs_document_get_id (document), actor),
  };
  g_autoptr(GError) local_error = NULL;

  if (check_actor (store, actor, PQS_ACTION_READ_DOCUMENT, &access, fresh, &local_error))
    return TRUE;

  if (g_error_matches (local_error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED))
    g_set_error (error, PQS_AUTH_ERROR, PQS_AUTH_ERROR_DENIED,
                 _("You may not read section %u (“%s”), so it cannot be exported: %s"),
                 pqs_document_get_number (document), pqs_document_get_title (document),
                 local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Building the export JSON -------------------------------------------------- */

static void
set_string (JsonObject *object,
            const char *name,
            const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_time (JsonObject *object,
          const char *name,
          GDateTime  *time)
{
  g_autofree char *text = time_text (time);

  set_string (object, name, text);
}

static gboolean
set_person (PqsStore    *store,
            JsonObject  *object,
            const char  *name,
            gint64       user_id,
            GError     **error)
{
  sqlite3_stmt *stmt;
  JsonObject *person = NULL;
  int rc;

  if (user_id <= 0)
    {
      json_object_set_null_member (object, name);
      return TRUE;
    }

  stmt = pqs_store_prepare (store, "SELECT username, full_name, rank FROM users WHERE id = ?1",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      person = json_object_new ();
      set_string (person, "username", (const char *) sqlite3_column_text (stmt, 0));
      set_string (person, "full_name", (const char *) sqlite3_column_text (stmt, 1));
      set_string (person, "rank", (const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);

  if (person != NULL)
    json_object_set_object_member (object, name, person);
  else
    json_object_set_null_member (object, name);
  return TRUE;
}

static JsonObject *
standard_to_json (PqsStandard *standard)
{
  JsonObject *object = json_object_new ();

  set_string (object, "uid", pqs_standard_get_uid (standard));
  set_string (object, "title", pqs_standard_get_title (standard));
  set_string (object, "owning_unit", pqs_standard_get_owning_unit (standard));
  set_string (object, "classification",
              pqs_classification_to_string (pqs_standard_get_classification (standard)));
  set_string (object, "applicability", pqs_standard_get_applicability (standard));
  set_string (object, "revision", pqs_standard_get_revision (standard));
  set_string (object, "status", pqs_standard_status_to_string (pqs_standard_get_status (standard)));

  return object;
}

static gboolean
add_template (PqsStore     *store,
              JsonObject   *object,
              gint64        template_id,
              GError      **error)
{
  sqlite3_stmt *stmt;
  JsonObject *template = NULL;
  int rc;

  if (template_id <= 0)
    {
      json_object_set_null_member (object, "template");
      return TRUE;
    }

  stmt = pqs_store_prepare (store, "SELECT name, section FROM templates WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, template_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      template = json_object_new ();
      set_string (template, "name", (const char *) sqlite3_column_text (stmt, 0));
      json_object_set_int_member (template, "section", sqlite3_column_int64 (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);

  if (template != NULL)
    json_object_set_object_member (object, "template", template);
  else
    json_object_set_null_member (object, "template");
  return TRUE;
}

static gboolean
add_history (PqsStore     *store,
             JsonObject   *object,
             gint64        document_id,
             GError      **error)
{
  JsonArray *history = json_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = pqs_store_prepare (store,
                            "SELECT c.version, c.action, c.change_type, c.change_summary, "
                            "       u.username, c.created_at "
                            "FROM document_changes AS c LEFT JOIN users AS u ON u.id = c.user_id "
                            "WHERE c.document_id = ?1 ORDER BY c.id DESC LIMIT ?2", error);
  if (stmt == NULL)
    {
      json_array_unref (history);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int (stmt, 2, PQS_PACKAGE_MAX_HISTORY);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *entry = json_object_new ();
      const char *summary = (const char *) sqlite3_column_text (stmt, 3);
      g_autofree char *short_summary = NULL;

      /* Newest first in the query; the file lists them oldest first. */
      if (summary != NULL && g_utf8_strlen (summary, -1) > SUMMARY_MAX)
        short_summary = g_utf8_substring (summary, 0, SUMMARY_MAX);
      json_object_set_int_member (entry, "version", MAX (1, sqlite3_column_int64 (stmt, 0)));
      set_string (entry, "action", (const char *) sqlite3_column_text (stmt, 1));
      set_string (entry, "change_type", (const char *) sqlite3_column_text (stmt, 2));
      set_string (entry, "summary", short_summary != NULL ? short_summary : summary);
      set_string (entry, "user", (const char *) sqlite3_column_text (stmt, 4));
      set_string (entry, "created_at", (const char *) sqlite3_column_text (stmt, 5));
      json_array_add_object_element (history, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      json_array_unref (history);
      return sqlite_failed (store, rc, error);
    }

  {
    JsonArray *ordered = json_array_sized_new (json_array_get_length (history));

    for (guint i = json_array_get_length (history); i > 0; i--)
      json_array_add_element (ordered, json_node_copy (json_array_get_element (history, i - 1)));
    json_array_unref (history);
    json_object_set_array_member (object, "history", ordered);
  }
  return TRUE;
}

static JsonObject *
document_to_json (PqsPackage   *self,
                  PqsDocument  *document,
                  GError      **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *hash = pqs_document_compute_hash (document);
  JsonNode *metadata = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "section", pqs_document_get_section (document));
  json_object_set_int_member (object, "number", pqs_document_get_number (document));
  set_string (object, "title", pqs_document_get_title (document));
  set_string (object, "status", pqs_document_status_to_string (pqs_document_get_status (document)));
  json_object_set_int_member (object, "version", MAX (1u, pqs_document_get_version (document)));
  if (!add_template (self->store, object, pqs_document_get_template_id (document), error))
    {
      json_node_unref (metadata);
      return NULL;
    }
  json_node_set_object (metadata, pqs_document_get_metadata (document));
  json_object_set_member (object, "metadata", metadata);
  set_string (object, "body", pqs_document_get_body (document));
  json_object_set_member (object, "outline",
                          pqs_outline_to_json (pqs_document_get_outline (document)));
  set_string (object, "content_hash", hash);
  set_time (object, "created_at", pqs_document_get_created_at (document));
  set_time (object, "updated_at", pqs_document_get_updated_at (document));
  set_time (object, "reviewed_at", pqs_document_get_reviewed_at (document));
  set_time (object, "approved_at", pqs_document_get_approved_at (document));
  if (!set_person (self->store, object, "author", pqs_document_get_created_by (document), error) ||
      !set_person (self->store, object, "reviewed_by", pqs_document_get_reviewed_by (document),
                   error) ||
      !set_person (self->store, object, "approved_by", pqs_document_get_approved_by (document),
                   error))
    return NULL;
  if (self->include_history &&
      !add_history (self->store, object, pqs_document_get_id (document), error))
    return NULL;

  return g_steal_pointer (&object);
}

static JsonObject *
envelope_new (PqsStore   *store,
              const char *format)
{
  JsonObject *root = json_object_new ();
  g_autofree char *now = pqs_store_format_time (pqs_store_now (store));

  json_object_set_string_member (root, "format", format);
  json_object_set_int_member (root, "version", PQS_PACKAGE_FORMAT_VERSION);
  json_object_set_string_member (root, "generator", "PQS Desk " PACKAGE_VERSION);
  json_object_set_string_member (root, "exported_at", now);
  return root;
}

typedef struct
{
  PqsPackage  *self;
  PqsUser     *actor;
  PqsUser     *fresh_actor;
  gint64       id;
  gboolean     whole_standard;
  JsonNode    *result;

  /* Writing to a file. */
  PqsPackageRenderFunc render;
  gpointer     render_data;
  const char  *format_label;
  GFile       *file;
  gboolean     written;
} ExportOp;

static void
export_op_clear (ExportOp *op)
{
  g_clear_object (&op->fresh_actor);
  g_clear_pointer (&op->result, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportOp, export_op_clear)

static gboolean
build_document_export (ExportOp  *op,
                       GError   **error)
{
  PqsStore *store = op->self->store;
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(PqsStandard) standard = NULL;
  JsonObject *root;
  JsonObject *object;

  document = load_document (store, op->id, error);
  if (document == NULL || !check_read (store, op->actor, document, &op->fresh_actor, error))
    return FALSE;
  standard = load_standard (store, pqs_document_get_standard_id (document), error);
  if (standard == NULL)
    return FALSE;
  object = document_to_json (op->self, document, error);
  if (object == NULL)
    return FALSE;

  root = envelope_new (store, PQS_PACKAGE_FORMAT_DOCUMENT);
  json_object_set_object_member (root, "standard", standard_to_json (standard));
  json_object_set_object_member (root, "document", object);
  op->result = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return TRUE;
}

static gboolean
build_standard_export (ExportOp  *op,
                       GError   **error)
{
  PqsStore *store = op->self->store;
  g_autoptr(PqsStandard) standard = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *documents;
  JsonObject *root;
  sqlite3_stmt *stmt;
  int rc;

  standard = load_standard (store, op->id, error);
  if (standard == NULL)
    return FALSE;
  if (!check_actor (store, op->actor, PQS_ACTION_READ_TEMPLATES, NULL, &op->fresh_actor, error))
    return FALSE;

  /* Every section in book order: 100, 200, 300 series, by number. */
  stmt = pqs_store_prepare (store,
                            "SELECT id FROM documents WHERE standard_id = ?1 "
                            "ORDER BY section, document_number", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_array_append_val (ids, (gint64) { sqlite3_column_int64 (stmt, 0) });
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);

  documents = json_array_sized_new (ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PqsDocument) document = load_document (store, g_array_index (ids, gint64, i),
                                                       error);
      JsonObject *object;

      if (document == NULL || !check_read (store, op->actor, document, &op->fresh_actor, error))
        {
          json_array_unref (documents);
          return FALSE;
        }
      object = document_to_json (op->self, document, error);
      if (object == NULL)
        {
          json_array_unref (documents);
          return FALSE;
        }
      json_array_add_object_element (documents, object);
    }

  root = envelope_new (store, PQS_PACKAGE_FORMAT_STANDARD);
  json_object_set_object_member (root, "standard", standard_to_json (standard));
  json_object_set_array_member (root, "documents", documents);
  op->result = json_node_init_object (json_node_alloc (), root);
  json_object_unref (root);
  return TRUE;
}

static gboolean
export_build_cb (PqsStore  *store,
                 gpointer   user_data,
                 GError   **error)
{
  ExportOp *op = user_data;

  return op->whole_standard ? build_standard_export (op, error)
                            : build_document_export (op, error);
}

static JsonNode *
export_node (PqsPackage  *self,
             PqsUser     *actor,
             gint64       id,
             gboolean     whole_standard,
             GError     **error)
{
  g_auto(ExportOp) op = { self, actor, NULL, id, whole_standard, NULL, };

  /* One transaction: every section is read at the same moment. */
  if (!pqs_store_transaction (self->store, export_build_cb, &op, error))
    return NULL;

  return g_steal_pointer (&op.result);
}

/**
 * pqs_package_export_document:
 * @self: a #PqsPackage
 * @actor: (nullable): who exports; %NULL for the operator
 * @document_id: the section document
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the document file's JSON ("pqs-desk/document")
 */
JsonNode *
pqs_package_export_document (PqsPackage  *self,
                             PqsUser     *actor,
                             gint64       document_id,
                             GError     **error)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), NULL);

  return export_node (self, actor, document_id, FALSE, error);
}

/**
 * pqs_package_export_standard:
 * @self: a #PqsPackage
 * @actor: (nullable): who exports; %NULL for the operator. Every section
 *   must be readable to them.
 * @standard_id: the standard
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the package's JSON ("pqs-desk/package"), its
 *   documents in book order
 */
JsonNode *
pqs_package_export_standard (PqsPackage  *self,
                             PqsUser     *actor,
                             gint64       standard_id,
                             GError     **error)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), NULL);

  return export_node (self, actor, standard_id, TRUE, error);
}

static GBytes *
render_json_cb (JsonNode  *root,
                gpointer   user_data,
                GError   **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;
  char *text;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static gboolean
export_file_cb (PqsStore  *store,
                gpointer   user_data,
                GError   **error)
{
  ExportOp *op = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *name = NULL;

  if (!export_build_cb (store, op, error))
    return FALSE;

  bytes = op->render (op->result, op->render_data, error);
  if (bytes == NULL)
    return FALSE;

  /* Who took a copy of what: the audit row goes with the file. */
  name = g_file_get_basename (op->file);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, op->format_label);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) g_bytes_get_size (bytes));
  if (op->actor == NULL)
    {
      json_builder_set_member_name (builder, "operator");
      json_builder_add_string_value (builder, g_get_user_name ());
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!pqs_audit_append (store, op->actor != NULL ? pqs_user_get_id (op->actor) : 0,
                         op->whole_standard ? AUDIT_STANDARD_EXPORT : AUDIT_DOCUMENT_EXPORT,
                         op->whole_standard ? "standard" : "document", op->id, details, NULL,
                         error))
    return FALSE;

  /* Last, so that nothing after it can fail but the commit. */
  if (!pqs_package_write_file (op->file, g_bytes_get_data (bytes, NULL),
                               g_bytes_get_size (bytes), error))
    return FALSE;
  op->written = TRUE;
  return TRUE;
}

/**
 * pqs_package_export_to_file:
 * @self: a #PqsPackage
 * @actor: (nullable): who exports; %NULL for the operator
 * @whole_standard: %TRUE to export the standard @id, %FALSE the document @id
 * @id: what to export
 * @format_label: how the audit row names the format ("json", "pdf (trainee)")
 * @render: turns the export JSON into the file's bytes
 * @render_data: data for @render
 * @file: the file to write, replaced only once it is complete
 * @error: return location for a #GError
 *
 * Reads, renders, writes the file and its audit row ("document.export" or
 * "standard.export") as one unit: when the audit row cannot be written, no
 * file is left behind.
 *
 * Returns: %TRUE on success
 */
gboolean
pqs_package_export_to_file (PqsPackage            *self,
                            PqsUser               *actor,
                            gboolean               whole_standard,
                            gint64                 id,
                            const char            *format_label,
                            PqsPackageRenderFunc   render,
                            gpointer               render_data,
                            GFile                 *file,
                            GError               **error)
{
  g_auto(ExportOp) op = { self, actor, NULL, id, whole_standard, NULL, };

  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);
  g_return_val_if_fail (render != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  op.render = render;
  op.render_data = render_data;
  op.format_label = format_label;
  op.file = file;

  if (pqs_store_transaction (self->store, export_file_cb, &op, error))
    return TRUE;

  /* The commit failed after the file was in place. */
  if (op.written)
    g_file_delete (file, NULL, NULL);
  return FALSE;
}

gboolean
pqs_package_export_document_to_file (PqsPackage  *self,
                                     PqsUser     *actor,
                                     gint64       document_id,
                                     GFile       *file,
                                     GError     **error)
{
  return pqs_package_export_to_file (self, actor, FALSE, document_id, "json", render_json_cb,
                                     NULL, file, error);
}

gboolean
pqs_package_export_standard_to_file (PqsPackage  *self,
                                     PqsUser     *actor,
                                     gint64       standard_id,
                                     GFile       *file,
                                     GError     **error)
{
  return pqs_package_export_to_file (self, actor, TRUE, standard_id, "json", render_json_cb,
                                     NULL, file, error);
}

/* Import ------------------------------------------------------------------- */

typedef struct
{
  PqsPackage         *self;
  PqsUser            *actor;
  PqsUser            *fresh_actor;
  Parsed             *parsed;
  gboolean            whole_standard;
  gint64              target_id;      /* a document import's standard, 0: by reference */
  PqsPackageConflict  on_conflict;

  gint64              standard_id;
  gboolean            standard_created;
  char               *revision_written;
  guint               n_created;
  guint               n_updated;
  guint               n_unchanged;
} ImportOp;

static void
import_op_clear (ImportOp *op)
{
  g_clear_object (&op->fresh_actor);
  g_free (op->revision_written);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportOp, import_op_clear)

/* The template a document names, by name and series; its field list checks
 * the metadata. */
static gboolean
resolve_template (ImportOp        *op,
                  ImportDocument  *document,
                  GError         **error)
{
  PqsStore *store = op->self->store;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fields_json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  document->template_id = 0;
  if (!document->has_template)
    return TRUE;

  stmt = pqs_store_prepare (store,
                            "SELECT id, fields FROM templates WHERE name = ?1 AND section = ?2 "
                            "ORDER BY is_active DESC, is_system DESC, id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, document->template_name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, document->template_section);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      document->template_id = sqlite3_column_int64 (stmt, 0);
      fields_json = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);

  if (document->template_id == 0)
    return fail (error, PQS_PACKAGE_ERROR_UNKNOWN_TEMPLATE,
                 _("Document %u in the file (section %" PRId64 ") was made from the "
                   "template “%s” (%" PRId64 " series), which is not on this "
                   "workstation. Add the template first."),
                 document->index, document->number, document->template_name,
                 document->template_section);

  fields = pqs_template_fields_parse (fields_json != NULL ? fields_json : "[]", &local_error);
  if (fields == NULL ||
      !pqs_template_fields_check_values (fields, json_node_get_object (document->metadata), FALSE,
                                         &local_error))
    return fail (error, PQS_PACKAGE_ERROR_INVALID,
                 _("Document %u in the file (section %" PRId64 "): its fields do not "
                   "fit the template “%s”: %s"),
                 document->index, document->number, document->template_name,
                 local_error->message);

  pqs_document_set_template_id (document->doc, document->template_id);
  return TRUE;
}

/* The standard a file means: the one with its uid, else the newest one with
 * its title and owning unit (the one of the same revision first). */
static gboolean
find_standard (ImportOp  *op,
               gint64    *out_id,
               GError   **error)
{
  PqsStore *store = op->self->store;
  const ImportStandard *standard = &op->parsed->standard;
  sqlite3_stmt *stmt;
  int rc;

  *out_id = 0;
  if (standard->uid != NULL)
    {
      stmt = pqs_store_prepare (store, "SELECT id FROM standards WHERE uid = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, standard->uid, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *out_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlite_failed (store, rc, error);
      if (*out_id != 0)
        return TRUE;
    }

  stmt = pqs_store_prepare (store,
                            "SELECT id FROM standards WHERE title = ?1 "
                            "AND coalesce(owning_unit, '') = coalesce(?2, '') "
                            "ORDER BY coalesce(revision, '') = coalesce(?3, '') DESC, id DESC "
                            "LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, standard->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, standard->owning_unit);
  bind_text_or_null (stmt, 3, standard->revision);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_failed (store, rc, error);

  return TRUE;
}

static gboolean
revision_taken (PqsStore    *store,
                const char  *title,
                const char  *unit,
                const char  *revision,
                gboolean    *out_taken,
                GError     **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT EXISTS (SELECT 1 FROM standards "
                                          "WHERE title = ?1 "
                                          "AND coalesce(owning_unit, '') = coalesce(?2, '') "
                                          "AND coalesce(revision, '') = ?3)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, unit);
  sqlite3_bind_text (stmt, 3, revision, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_taken = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || sqlite_failed (store, rc, error);
}

/* "3" → "4", "Rev 9" → "Rev 10", "A" → "B", "Z" → "AA"; else "X (2)". */
static char *
next_revision (const char *revision,
               guint       attempt)
{
  gsize length = revision != NULL ? strlen (revision) : 0;
  gsize digits = 0;

  if (length == 0)
    return g_strdup_printf ("%u", attempt + 1);

  while (digits < length && digits < 9 && g_ascii_isdigit (revision[length - 1 - digits]))
    digits++;
  if (digits > 0)
    {
      guint64 value = g_ascii_strtoull (revision + length - digits, NULL, 10);

      return g_strdup_printf ("%.*s%" PRIu64, (int) (length - digits), revision,
                              value + attempt);
    }

  if (g_ascii_isupper (revision[length - 1]) &&
      (length == 1 || !g_ascii_isalpha (revision[length - 2])))
    {
      guint letter = (guint) (revision[length - 1] - 'A') + attempt;
      GString *text = g_string_new_len (revision, (gssize) length - 1);

      if (letter >= 26)
        g_string_append_c (text, (char) ('A' + (letter / 26 - 1) % 26));
      g_string_append_c (text, (char) ('A' + letter % 26));
      return g_string_free (text, FALSE);
    }

  return g_strdup_printf ("%s (%u)", revision, attempt + 1);
}

static gboolean
choose_new_revision (ImportOp     *op,
                     const char   *current,
                     GError      **error)
{
  const ImportStandard *standard = &op->parsed->standard;

  for (guint attempt = 1; attempt < 1000; attempt++)
    {
      g_autofree char *candidate = next_revision (current, attempt);
      gboolean taken = TRUE;

      if (g_utf8_strlen (candidate, -1) > REVISION_MAX)
        break;
      if (!revision_taken (op->self->store, standard->title, standard->owning_unit, candidate,
                           &taken, error))
        return FALSE;
      if (!taken)
        {
          op->revision_written = g_steal_pointer (&candidate);
          return TRUE;
        }
    }

  return fail (error, PQS_PACKAGE_ERROR_EXISTS,
               _("No new revision name could be found for the standard “%s”."),
               standard->title);
}

/* D's library writes imports; its refusals keep their sentence but speak
 * this service's error codes. */
static gboolean
library_failed (GError  *local_error,
                GError **error)
{
  int code = PQS_PACKAGE_ERROR_FAILED;

  if (local_error->domain != PQS_LIBRARY_ERROR)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  switch (local_error->code)
    {
    case PQS_LIBRARY_ERROR_CONFLICT:
    case PQS_LIBRARY_ERROR_NUMBER_TAKEN:
      code = PQS_PACKAGE_ERROR_EXISTS;
      break;
    case PQS_LIBRARY_ERROR_INVALID_TRANSITION:
    case PQS_LIBRARY_ERROR_FROZEN:
    case PQS_LIBRARY_ERROR_PROTECTED:
      code = PQS_PACKAGE_ERROR_BUSY;
      break;
    case PQS_LIBRARY_ERROR_NOT_FOUND:
      code = PQS_PACKAGE_ERROR_NOT_FOUND;
      break;
    case PQS_LIBRARY_ERROR_INVALID:
    case PQS_LIBRARY_ERROR_OUT_OF_RANGE:
    case PQS_LIBRARY_ERROR_REQUIRED_FIELDS:
    case PQS_LIBRARY_ERROR_COMMENT_REQUIRED:
      code = PQS_PACKAGE_ERROR_INVALID;
      break;
    default:
      break;
    }

  g_set_error_literal (error, PQS_PACKAGE_ERROR, code, local_error->message);
  g_error_free (local_error);
  return FALSE;
}

static gboolean
find_number (PqsStore  *store,
             gint64     standard_id,
             gint64     number,
             gint64    *out_id,
             GError   **error)
{
  sqlite3_stmt *stmt = pqs_store_prepare (store,
                                          "SELECT id FROM documents WHERE standard_id = ?1 "
                                          "AND section = ?2 AND document_number = ?3", error);
  int rc;

  *out_id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, standard_id);
  sqlite3_bind_int64 (stmt, 2, number - number % 100);
  sqlite3_bind_int64 (stmt, 3, number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW || rc == SQLITE_DONE || sqlite_failed (store, rc, error);
}

/* Whether the document @id already holds exactly @document's content. */
static gboolean
same_content (PqsStore        *store,
              gint64           id,
              ImportDocument  *document,
              gboolean        *out_same,
              GError         **error)
{
  g_autoptr(PqsDocument) stored = load_document (store, id, error);
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (stored == NULL)
    return FALSE;
  old_text = pqs_document_render_canonical (stored);
  new_text = pqs_document_render_canonical (document->doc);
  *out_same = g_str_equal (old_text, new_text);
  return TRUE;
}

/* Counts what an overwrite will create, replace or leave as it is. */
static gboolean
classify_documents (ImportOp  *op,
                    gint64     standard_id,
                    GError   **error)
{
  GPtrArray *documents = op->parsed->documents;

  for (guint i = 0; i < documents->len; i++)
    {
      ImportDocument *document = g_ptr_array_index (documents, i);
      gint64 existing = 0;
      gboolean same = FALSE;

      if (!find_number (op->self->store, standard_id, document->number, &existing, error))
        return FALSE;
      if (existing == 0)
        op->n_created++;
      else if (!same_content (op->self->store, existing, document, &same, error))
        return FALSE;
      else if (same)
        op->n_unchanged++;
      else
        op->n_updated++;
    }
  return TRUE;
}

static void
standard_fields (ImportOp          *op,
                 PqsStandardFields *fields)
{
  const ImportStandard *standard = &op->parsed->standard;
  PqsClassification classification = PQS_CLASSIFICATION_UNCLASSIFIED;

  pqs_classification_from_string (standard->classification, &classification);
  fields->title = standard->title;
  fields->owning_unit = standard->owning_unit;
  fields->classification = classification;
  fields->applicability = standard->applicability;
  fields->revision = standard->revision;
  fields->uid = standard->uid;
}

static char *
describe_standard (const ImportStandard *standard)
{
  if (standard->owning_unit != NULL && *standard->owning_unit != '\0')
    return g_strdup_printf ("“%s” (%s)", standard->title, standard->owning_unit);
  return g_strdup_printf ("“%s”", standard->title);
}

static gboolean
import_standard_into (ImportOp  *op,
                      GError   **error)
{
  PqsStore *store = op->self->store;
  g_autoptr(PqsLibrary) library = pqs_library_new (store);
  g_autoptr(PqsStandard) existing = NULL;
  g_autoptr(PqsStandard) result = NULL;
  g_autoptr(GPtrArray) contents = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  GPtrArray *documents = op->parsed->documents;
  PqsStandardFields fields;
  PqsImportMode mode = PQS_IMPORT_FAIL;
  gint64 existing_id = 0;

  if (!check_actor (store, op->actor, PQS_ACTION_MANAGE_STANDARDS, NULL, &op->fresh_actor,
                    error) ||
      !find_standard (op, &existing_id, error))
    return FALSE;

  standard_fields (op, &fields);
  if (existing_id == 0)
    op->n_created = documents->len;
  else
    {
      existing = load_standard (store, existing_id, error);
      if (existing == NULL)
        return FALSE;

      switch (op->on_conflict)
        {
        case PQS_PACKAGE_CONFLICT_OVERWRITE:
          /* The same standard, found by its uid or by its title and owning unit. */
          fields.uid = pqs_standard_get_uid (existing);
          mode = PQS_IMPORT_OVERWRITE;
          if (!classify_documents (op, existing_id, error))
            return FALSE;
          break;

        case PQS_PACKAGE_CONFLICT_NEW:
          /* A new revision beside the existing one, with an identity of its own. */
          if (!choose_new_revision (op, pqs_standard_get_revision (existing), error))
            return FALSE;
          fields.revision = op->revision_written;
          fields.uid = NULL;
          mode = PQS_IMPORT_NEW;
          op->n_created = documents->len;
          break;

        case PQS_PACKAGE_CONFLICT_FAIL:
        default:
          {
            g_autofree char *name = describe_standard (&op->parsed->standard);

            return fail (error, PQS_PACKAGE_ERROR_EXISTS,
                         _("The standard %s is already on this workstation (id %"
                           PRId64 "). Choose to overwrite it or to import the package "
                           "as a new revision."), name, existing_id);
          }
        }
    }

  for (guint i = 0; i < documents->len; i++)
    g_ptr_array_add (contents, ((ImportDocument *) g_ptr_array_index (documents, i))->doc);

  result = pqs_library_import_standard (library, op->actor, &fields, contents, mode,
                                        &local_error);
  if (result == NULL)
    return library_failed (g_steal_pointer (&local_error), error);

  op->standard_id = pqs_standard_get_id (result);
  op->standard_created = existing_id == 0 || mode == PQS_IMPORT_NEW;
  for (guint i = 0; i < documents->len; i++)
    {
      ImportDocument *document = g_ptr_array_index (documents, i);

      document->number_written = pqs_document_get_number (document->doc);
      if (!find_number (store, op->standard_id, document->number_written,
                        &document->document_id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
import_document_into (ImportOp  *op,
                      GError   **error)
{
  PqsStore *store = op->self->store;
  g_autoptr(PqsLibrary) library = pqs_library_new (store);
  g_autoptr(PqsDocument) result = NULL;
  g_autoptr(GError) local_error = NULL;
  ImportDocument *document = g_ptr_array_index (op->parsed->documents, 0);
  PqsImportMode mode = PQS_IMPORT_FAIL;
  gint64 existing = 0;
  gboolean same = FALSE;

  if (op->target_id > 0)
    {
      g_autoptr(PqsStandard) target = load_standard (store, op->target_id, error);

      if (target == NULL)
        return FALSE;
      op->standard_id = op->target_id;
    }
  else
    {
      if (!find_standard (op, &op->standard_id, error))
        return FALSE;
      if (op->standard_id == 0)
        {
          g_autofree char *name = describe_standard (&op->parsed->standard);

          return fail (error, PQS_PACKAGE_ERROR_NOT_FOUND,
                       _("The document belongs to the standard %s, which is not on this "
                         "workstation. Import the standard’s package first, or choose the "
                         "standard to import the document into."), name);
        }
    }

  if (!find_number (store, op->standard_id, document->number, &existing, error))
    return FALSE;
  if (existing == 0)
    op->n_created = 1;
  else
    switch (op->on_conflict)
      {
      case PQS_PACKAGE_CONFLICT_OVERWRITE:
        mode = PQS_IMPORT_OVERWRITE;
        if (!same_content (store, existing, document, &same, error))
          return FALSE;
        if (same)
          op->n_unchanged = 1;
        else
          op->n_updated = 1;
        break;
      case PQS_PACKAGE_CONFLICT_NEW:
        mode = PQS_IMPORT_NEW;
        op->n_created = 1;
        break;
      case PQS_PACKAGE_CONFLICT_FAIL:
      default:
        return fail (error, PQS_PACKAGE_ERROR_EXISTS,
                     _("Section %" PRId64 " already exists in this standard. Choose to "
                       "overwrite it or to import the document under the next free number."),
                     document->number);
      }

  result = pqs_library_import_document (library, op->actor, op->standard_id, document->doc, mode,
                                        &local_error);
  if (result == NULL)
    return library_failed (g_steal_pointer (&local_error), error);

  document->document_id = pqs_document_get_id (result);
  document->number_written = pqs_document_get_number (result);
  return TRUE;
}

static gboolean
import_cb (PqsStore  *store,
           gpointer   user_data,
           GError   **error)
{
  ImportOp *op = user_data;
  GPtrArray *documents = op->parsed->documents;

  op->standard_id = 0;
  op->standard_created = FALSE;
  g_clear_pointer (&op->revision_written, g_free);
  op->n_created = op->n_updated = op->n_unchanged = 0;

  /* Everything that can refuse the file before anything is written. */
  if (!check_actor (store, op->actor, PQS_ACTION_CREATE_DOCUMENT, NULL, &op->fresh_actor, error))
    return FALSE;
  for (guint i = 0; i < documents->len; i++)
    if (!resolve_template (op, g_ptr_array_index (documents, i), error))
      return FALSE;

  return op->whole_standard ? import_standard_into (op, error)
                            : import_document_into (op, error);
}

static gboolean
run_import (PqsPackage          *self,
            PqsUser             *actor,
            const char          *data,
            gsize                length,
            gboolean             whole_standard,
            gint64               target_id,
            PqsPackageConflict   on_conflict,
            GError             **error)
{
  g_auto(Parsed) parsed = { { NULL, }, NULL };
  g_auto(ImportOp) op = { NULL, };
  g_autoptr(JsonNode) root = NULL;

  g_array_set_size (self->document_ids, 0);
  self->standard_id = 0;
  self->standard_created = FALSE;
  self->n_created = self->n_updated = self->n_unchanged = 0;

  if (actor == NULL)
    return fail (error, PQS_PACKAGE_ERROR_FAILED,
                 _("An import is made by an account, which becomes the author of what it "
                   "writes. Choose the account that imports the file."));

  root = pqs_package_parse (data, length, error);
  if (root == NULL ||
      !read_file_content (root, whole_standard ? PQS_PACKAGE_FORMAT_STANDARD
                                               : PQS_PACKAGE_FORMAT_DOCUMENT, &parsed, error))
    return FALSE;

  op.self = self;
  op.actor = actor;
  op.parsed = &parsed;
  op.whole_standard = whole_standard;
  op.target_id = target_id;
  op.on_conflict = on_conflict;

  if (!pqs_store_transaction (self->store, import_cb, &op, error))
    return FALSE;

  self->standard_id = op.standard_id;
  self->standard_created = op.standard_created;
  self->n_created = op.n_created;
  self->n_updated = op.n_updated;
  self->n_unchanged = op.n_unchanged;
  for (guint i = 0; i < parsed.documents->len; i++)
    {
      ImportDocument *document = g_ptr_array_index (parsed.documents, i);

      g_array_append_val (self->document_ids, document->document_id);
    }
  return TRUE;
}

/**
 * pqs_package_import_document_data:
 * @self: a #PqsPackage
 * @actor: the account that imports (the author of what is written)
 * @data: (array length=length): a document file ("pqs-desk/document")
 * @length: its size
 * @standard_id: the standard to import into, or 0 for the one the file names
 * @on_conflict: what to do when the number is taken
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the document was imported; else nothing was written
 */
gboolean
pqs_package_import_document_data (PqsPackage          *self,
                                  PqsUser             *actor,
                                  const char          *data,
                                  gsize                length,
                                  gint64               standard_id,
                                  PqsPackageConflict   on_conflict,
                                  GError             **error)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);
  g_return_val_if_fail (on_conflict <= PQS_PACKAGE_CONFLICT_NEW, FALSE);

  return run_import (self, actor, data, length, FALSE, standard_id, on_conflict, error);
}

/**
 * pqs_package_import_standard_data:
 * @self: a #PqsPackage
 * @actor: the account that imports (the author of what is written)
 * @data: (array length=length): a package ("pqs-desk/package")
 * @length: its size
 * @on_conflict: what to do when the standard is here already
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the standard was imported; else nothing was written
 */
gboolean
pqs_package_import_standard_data (PqsPackage          *self,
                                  PqsUser             *actor,
                                  const char          *data,
                                  gsize                length,
                                  PqsPackageConflict   on_conflict,
                                  GError             **error)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);
  g_return_val_if_fail (on_conflict <= PQS_PACKAGE_CONFLICT_NEW, FALSE);

  return run_import (self, actor, data, length, TRUE, 0, on_conflict, error);
}

gboolean
pqs_package_import_document (PqsPackage          *self,
                             PqsUser             *actor,
                             GFile               *file,
                             gint64               standard_id,
                             PqsPackageConflict   on_conflict,
                             GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = read_limited (file, PQS_PACKAGE_MAX_FILE_SIZE, error);
  if (bytes == NULL)
    return FALSE;

  return pqs_package_import_document_data (self, actor, g_bytes_get_data (bytes, NULL),
                                           g_bytes_get_size (bytes), standard_id, on_conflict,
                                           error);
}

gboolean
pqs_package_import_standard (PqsPackage          *self,
                             PqsUser             *actor,
                             GFile               *file,
                             PqsPackageConflict   on_conflict,
                             GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  bytes = read_limited (file, PQS_PACKAGE_MAX_FILE_SIZE, error);
  if (bytes == NULL)
    return FALSE;

  return pqs_package_import_standard_data (self, actor, g_bytes_get_data (bytes, NULL),
                                           g_bytes_get_size (bytes), on_conflict, error);
}

/**
 * pqs_package_read_file:
 * @file: a document file or a package
 * @error: return location for a #GError
 *
 * Reads (at most PQS_PACKAGE_MAX_FILE_SIZE bytes) and parses a file, for
 * printing it or checking it without importing it.
 *
 * Returns: (transfer full): its root node
 */
JsonNode *
pqs_package_read_file (GFile   *file,
                       GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  bytes = read_limited (file, PQS_PACKAGE_MAX_FILE_SIZE, error);
  if (bytes == NULL)
    return NULL;
  return pqs_package_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

/* Outline numbers ------------------------------------------------------------ */

/* 1 → "a", 26 → "z", 27 → "aa". */
static void
append_letters (GString *text,
                guint    n)
{
  char buffer[16];
  int i = sizeof buffer - 1;

  buffer[i] = '\0';
  while (n > 0 && i > 0)
    {
      n--;
      buffer[--i] = (char) ('a' + n % 26);
      n /= 26;
    }
  g_string_append (text, buffer + i);
}

/**
 * pqs_package_outline_number:
 * @depth: 0 for a question, 1 for a sub-question, 2 for a second-level one
 * @counters: (array fixed-size=3): the item's number at each level, from 1
 *
 * Returns: (transfer full): "1.", "1.a" or "1.a.(1)", as the canonical
 *   rendering numbers items
 */
char *
pqs_package_outline_number (guint        depth,
                            const guint *counters)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "%u.", counters[0]);
  if (depth >= 1)
    append_letters (text, counters[1]);
  if (depth >= 2)
    g_string_append_printf (text, ".(%u)", counters[2]);

  return g_string_free (text, FALSE);
}

/* GObject -------------------------------------------------------------------- */

static void
pqs_package_finalize (GObject *object)
{
  PqsPackage *self = PQS_PACKAGE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->document_ids, g_array_unref);

  G_OBJECT_CLASS (pqs_package_parent_class)->finalize (object);
}

static void
pqs_package_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PqsPackage *self = PQS_PACKAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_INCLUDE_HISTORY:
      g_value_set_boolean (value, self->include_history);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_package_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PqsPackage *self = PQS_PACKAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_INCLUDE_HISTORY:
      pqs_package_set_include_history (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_package_class_init (PqsPackageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_package_finalize;
  object_class->get_property = pqs_package_get_property;
  object_class->set_property = pqs_package_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INCLUDE_HISTORY] =
    g_param_spec_boolean ("include-history", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_package_init (PqsPackage *self)
{
  self->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/**
 * pqs_package_new:
 * @store: the database to export from and import into
 *
 * Returns: (transfer full): a new #PqsPackage
 */
PqsPackage *
pqs_package_new (PqsStore *store)
{
  g_return_val_if_fail (PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_PACKAGE, "store", store, NULL);
}

PqsStore *
pqs_package_get_store (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), NULL);

  return self->store;
}

gboolean
pqs_package_get_include_history (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);

  return self->include_history;
}

/**
 * pqs_package_set_include_history:
 * @self: a #PqsPackage
 * @include_history: whether exports list each document's changes
 *   (version, action, summary, who and when); informative, not imported
 */
void
pqs_package_set_include_history (PqsPackage *self,
                                 gboolean    include_history)
{
  g_return_if_fail (PQS_IS_PACKAGE (self));

  include_history = !!include_history;
  if (self->include_history == include_history)
    return;
  self->include_history = include_history;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDE_HISTORY]);
}

gint64
pqs_package_get_standard_id (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), 0);

  return self->standard_id;
}

gboolean
pqs_package_get_standard_created (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), FALSE);

  return self->standard_created;
}

guint
pqs_package_get_n_created (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), 0);

  return self->n_created;
}

guint
pqs_package_get_n_updated (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), 0);

  return self->n_updated;
}

/* Documents an overwrite found with exactly the file's content: nothing was written for them. */
guint
pqs_package_get_n_unchanged (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), 0);

  return self->n_unchanged;
}

/**
 * pqs_package_get_document_ids:
 * @self: a #PqsPackage
 *
 * Returns: (transfer none) (element-type gint64): the documents the last
 *   import wrote, in the file's order
 */
GArray *
pqs_package_get_document_ids (PqsPackage *self)
{
  g_return_val_if_fail (PQS_IS_PACKAGE (self), NULL);

  return self->document_ids;
}
