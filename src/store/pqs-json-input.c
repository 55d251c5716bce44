/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "pqs-json-input.h"

/**
 * SECTION:pqs-json-input
 *
 * JSON that someone else wrote (packages, manifests, field lists,
 * outlines), read as hostile: pqs_json_input_parse() bounds the nesting
 * before json-glib sees the text (its parser recurses once per bracket, so
 * a file of `[` overflows the stack), and turns json-glib's parse error
 * into one line of text; pqs_json_input_quote() makes anything read from
 * such a file fit in a message: one line of valid UTF-8, no control
 * characters, not too long.
 */

G_DEFINE_QUARK (pqs-json-input-error-quark, pqs_json_input_error)

/* How much of json-glib's explanation a message quotes. */
#define DETAIL_MAX_CHARS 200

/* Whether brackets nest deeper than @max_depth outside strings. */
static gboolean
nests_deeper_than (const char *data,
                   gsize       length,
                   guint       max_depth)
{
  const char *end = data + length;
  gboolean in_string = FALSE;
  guint depth = 0;

  for (const char *p = data; p < end; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p + 1 < end)
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > max_depth)
            return TRUE;
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }

  return FALSE;
}

/* json-glib's messages read "<data>:LINE:COLUMN: Parse error: DETAIL"; this
 * makes "line LINE, column COLUMN: DETAIL", quoted. */
static char *
describe_parse_error (const char *message)
{
  const char *p = message;
  g_autofree char *detail = NULL;
  char *end;
  guint64 line, column;

  if (!g_str_has_prefix (p, "<data>:"))
    return pqs_json_input_quote (message, -1, DETAIL_MAX_CHARS);
  p += strlen ("<data>:");

  line = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != ':')
    return pqs_json_input_quote (message, -1, DETAIL_MAX_CHARS);
  p = end + 1;
  column = g_ascii_strtoull (p, &end, 10);
  if (end == p || *end != ':')
    return pqs_json_input_quote (message, -1, DETAIL_MAX_CHARS);
  p = end + 1;
  while (*p == ' ')
    p++;
  if (g_str_has_prefix (p, "Parse error: "))
    p += strlen ("Parse error: ");

  detail = pqs_json_input_quote (p, -1, DETAIL_MAX_CHARS);
  /* Translators: where a file stops being JSON, and json-glib's reason
   * ("line 3, column 12: unexpected character"); it ends a sentence. */
  return g_strdup_printf (_("line %u, column %u: %s"), (guint) MIN (line, G_MAXUINT),
                          (guint) MIN (column, G_MAXUINT), detail);
}

/**
 * pqs_json_input_parse:
 * @data: (array length=length): the text
 * @length: its length in bytes, or -1 when it ends with a NUL byte
 * @max_depth: the deepest nesting of arrays and objects allowed
 * @out_root: (out) (transfer full) (nullable): the value; %NULL when the
 *   text holds only white space
 * @error: return location for a #GError
 *
 * Parses JSON from elsewhere. Text whose brackets nest deeper than
 * @max_depth is %PQS_JSON_INPUT_ERROR_TOO_DEEP without being parsed; text
 * that is not JSON (invalid UTF-8 included) is %PQS_JSON_INPUT_ERROR_SYNTAX,
 * whose message is one line that says where and why ("line 3, column 12:
 * unexpected character `,'"), to end a sentence of the caller's.
 *
 * Returns: %TRUE unless @error is set
 */
gboolean
pqs_json_input_parse (const char  *data,
                      gssize       length,
                      guint        max_depth,
                      JsonNode   **out_root,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out_root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_root = NULL;
  if (data == NULL)
    data = "";
  if (length < 0)
    length = (gssize) strlen (data);

  if (nests_deeper_than (data, (gsize) length, max_depth))
    {
      g_set_error (error, PQS_JSON_INPUT_ERROR, PQS_JSON_INPUT_ERROR_TOO_DEEP,
                   _("The JSON text is nested more than %u levels deep."), max_depth);
      return FALSE;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_autofree char *described = describe_parse_error (local_error->message);

      g_set_error_literal (error, PQS_JSON_INPUT_ERROR, PQS_JSON_INPUT_ERROR_SYNTAX, described);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  *out_root = root != NULL ? json_node_ref (root) : NULL;
  return TRUE;
}

static void
append_escaped (GString  *quoted,
                gunichar  c)
{
  switch (c)
    {
    case '\n':
      g_string_append (quoted, "\\n");
      break;
    case '\r':
      g_string_append (quoted, "\\r");
      break;
    case '\t':
      g_string_append (quoted, "\\t");
      break;
    default:
      g_string_append_printf (quoted, "\\u%04x", c);
      break;
    }
}

/* Characters a quote shows as JSON escapes: control characters, line and
 * paragraph separators, and the invisible ones that reorder or hide text. */
static gboolean
needs_escape (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* json-glib decodes a lone surrogate escape ("\udc00") into the three bytes
 * UTF-8 would give it, which are not UTF-8: returns it, or 0. */
static gunichar
encoded_surrogate (const guchar *p,
                   const guchar *end)
{
  if (end - p < 3 || p[0] != 0xed || (p[1] & 0xe0) != 0xa0 || (p[2] & 0xc0) != 0x80)
    return 0;
  return 0xd000 | ((gunichar) (p[1] & 0x3f) << 6) | (p[2] & 0x3f);
}

/**
 * pqs_json_input_quote:
 * @raw: (array length=length): bytes read from a file: a member name, a
 *   value, a parser's message
 * @length: their length, or -1 when they end with a NUL byte
 * @max_chars: how many characters to keep at most
 *
 * Makes @raw fit in a message: one line of valid UTF-8. Control characters
 * (tabs and line breaks included), line separators and invisible
 * formatting characters read as their JSON escapes ("\n", "\u001b"), an
 * encoded lone surrogate too ("\udc00"), other bytes that are not UTF-8 as
 * U+FFFD, and text longer than @max_chars is cut with "…".
 *
 * Returns: (transfer full): the text to quote
 */
char *
pqs_json_input_quote (const char *raw,
                      gssize      length,
                      gsize       max_chars)
{
  GString *quoted;
  const char *p;
  const char *end;
  gsize n_chars = 0;

  g_return_val_if_fail (raw != NULL || length <= 0, NULL);

  if (raw == NULL)
    raw = "";
  if (length < 0)
    length = (gssize) strlen (raw);
  quoted = g_string_sized_new (MIN ((gsize) length, max_chars) + 16);

  for (p = raw, end = raw + length; p < end; n_chars++)
    {
      gunichar c;

      if (n_chars == max_chars)
        {
          g_string_append (quoted, "…");
          break;
        }

      /* (g_utf8_get_char_validated() takes a NUL byte for a cut sequence.) */
      c = *p == '\0' ? 0 : g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          gunichar surrogate = encoded_surrogate ((const guchar *) p, (const guchar *) end);

          if (surrogate != 0)
            {
              append_escaped (quoted, surrogate);
              p += 3;
            }
          else
            {
              g_string_append_unichar (quoted, 0xfffd);
              p++;
            }
          continue;
        }

      if (needs_escape (c))
        append_escaped (quoted, c);
      else
        g_string_append_unichar (quoted, c);
      p = c == 0 ? p + 1 : g_utf8_next_char (p);
    }

  return g_string_free (quoted, FALSE);
}
