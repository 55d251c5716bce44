/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <string.h>

#include "pqs-search-result-private.h"

/**
 * PqsSearchResult:
 *
 * One document that a search found: where it sits (standard, series,
 * number), its title and status, how well it matched (the bm25 rank: lower
 * is better, as SQLite reports it) and a snippet of the best matching text —
 * from the document's body, or from the line item named by
 * #PqsSearchResult:item-id. Matches in the snippet are wrapped in
 * %PQS_SEARCH_MATCH_START and %PQS_SEARCH_MATCH_END.
 */

struct _PqsSearchResult
{
  GObject  parent_instance;

  gint64   document_id;
  gint64   standard_id;
  char    *standard_title;
  guint    section;
  guint    number;
  char    *title;
  char    *status;
  double   rank;
  gint64   item_id;
  char    *snippet;
};

G_DEFINE_FINAL_TYPE (PqsSearchResult, pqs_search_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOCUMENT_ID,
  PROP_STANDARD_ID,
  PROP_STANDARD_TITLE,
  PROP_SECTION,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_STATUS,
  PROP_RANK,
  PROP_ITEM_ID,
  PROP_SNIPPET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pqs_search_result_finalize (GObject *object)
{
  PqsSearchResult *self = (PqsSearchResult *) object;

  g_clear_pointer (&self->standard_title, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->snippet, g_free);

  G_OBJECT_CLASS (pqs_search_result_parent_class)->finalize (object);
}

static void
pqs_search_result_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PqsSearchResult *self = PQS_SEARCH_RESULT (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT_ID:
      g_value_set_int64 (value, self->document_id);
      break;
    case PROP_STANDARD_ID:
      g_value_set_int64 (value, self->standard_id);
      break;
    case PROP_STANDARD_TITLE:
      g_value_set_string (value, self->standard_title);
      break;
    case PROP_SECTION:
      g_value_set_uint (value, self->section);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, self->number);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_RANK:
      g_value_set_double (value, self->rank);
      break;
    case PROP_ITEM_ID:
      g_value_set_int64 (value, self->item_id);
      break;
    case PROP_SNIPPET:
      g_value_set_string (value, self->snippet);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_search_result_class_init (PqsSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = pqs_search_result_finalize;
  object_class->get_property = pqs_search_result_get_property;

  properties[PROP_DOCUMENT_ID] =
    g_param_spec_int64 ("document-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STANDARD_ID] =
    g_param_spec_int64 ("standard-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STANDARD_TITLE] =
    g_param_spec_string ("standard-title", NULL, NULL, NULL, flags);
  properties[PROP_SECTION] = g_param_spec_uint ("section", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  /* bm25: lower (more negative) is a better match. */
  properties[PROP_RANK] =
    g_param_spec_double ("rank", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  /* The line item the snippet comes from; 0 when it is the body. */
  properties[PROP_ITEM_ID] =
    g_param_spec_int64 ("item-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SNIPPET] = g_param_spec_string ("snippet", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_search_result_init (PqsSearchResult *self)
{
}

PqsSearchResult *
pqs_search_result_new_from_stmt (sqlite3_stmt *stmt)
{
  PqsSearchResult *self = g_object_new (PQS_TYPE_SEARCH_RESULT, NULL);

  self->document_id = sqlite3_column_int64 (stmt, 0);
  self->standard_id = sqlite3_column_int64 (stmt, 1);
  self->standard_title = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  self->section = (guint) sqlite3_column_int (stmt, 3);
  self->number = (guint) sqlite3_column_int (stmt, 4);
  self->title = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  self->status = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  self->rank = sqlite3_column_double (stmt, 7);
  self->item_id = sqlite3_column_int64 (stmt, 8);
  self->snippet = g_strdup ("");

  return self;
}

void
pqs_search_result_take_snippet (PqsSearchResult *self,
                                char            *snippet)
{
  g_return_if_fail (PQS_IS_SEARCH_RESULT (self));

  g_free (self->snippet);
  self->snippet = snippet != NULL ? snippet : g_strdup ("");
}

gint64
pqs_search_result_get_document_id (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), 0);
  return self->document_id;
}

gint64
pqs_search_result_get_standard_id (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), 0);
  return self->standard_id;
}

const char *
pqs_search_result_get_standard_title (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), NULL);
  return self->standard_title;
}

guint
pqs_search_result_get_section (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), 0);
  return self->section;
}

guint
pqs_search_result_get_number (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), 0);
  return self->number;
}

const char *
pqs_search_result_get_title (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), NULL);
  return self->title;
}

const char *
pqs_search_result_get_status (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), NULL);
  return self->status;
}

/**
 * pqs_search_result_get_snippet:
 * @self: a #PqsSearchResult
 *
 * Returns: a few words around the best match, each match wrapped in
 *   %PQS_SEARCH_MATCH_START and %PQS_SEARCH_MATCH_END, with "…" where text
 *   was left out
 */
const char *
pqs_search_result_get_snippet (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), NULL);
  return self->snippet;
}

gint64
pqs_search_result_get_item_id (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), 0);
  return self->item_id;
}

double
pqs_search_result_get_rank (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), 0.0);
  return self->rank;
}

/**
 * pqs_search_snippet_replace_markers:
 * @snippet: a snippet with match markers
 * @start: what to write for %PQS_SEARCH_MATCH_START
 * @end: what to write for %PQS_SEARCH_MATCH_END
 *
 * Returns: (transfer full): @snippet with its markers replaced
 */
char *
pqs_search_snippet_replace_markers (const char *snippet,
                                    const char *start,
                                    const char *end)
{
  GString *out;

  g_return_val_if_fail (snippet != NULL, NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  out = g_string_sized_new (strlen (snippet) + 16);
  for (const char *p = snippet; *p != '\0'; )
    {
      if (strncmp (p, PQS_SEARCH_MATCH_START, 3) == 0)
        {
          g_string_append (out, start);
          p += 3;
        }
      else if (strncmp (p, PQS_SEARCH_MATCH_END, 3) == 0)
        {
          g_string_append (out, end);
          p += 3;
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/**
 * pqs_search_snippet_to_markup:
 * @snippet: a snippet with match markers
 *
 * Escapes @snippet for Pango markup and turns each marked match bold. Markers
 * that do not pair up (a document may contain the private-use characters
 * itself) never leave a tag open.
 *
 * Returns: (transfer full): Pango markup
 */
char *
pqs_search_snippet_to_markup (const char *snippet)
{
  GString *out;
  gboolean open = FALSE;
  const char *run = snippet;
  const char *p = snippet;

  g_return_val_if_fail (snippet != NULL, NULL);

  out = g_string_sized_new (strlen (snippet) + 32);
  while (*p != '\0')
    {
      gboolean is_start = strncmp (p, PQS_SEARCH_MATCH_START, 3) == 0;
      gboolean is_end = strncmp (p, PQS_SEARCH_MATCH_END, 3) == 0;
      g_autofree char *escaped = NULL;

      if (!is_start && !is_end)
        {
          p++;
          continue;
        }

      escaped = g_markup_escape_text (run, p - run);
      g_string_append (out, escaped);
      if (is_start && !open)
        {
          g_string_append (out, "<b>");
          open = TRUE;
        }
      else if (is_end && open)
        {
          g_string_append (out, "</b>");
          open = FALSE;
        }
      p += 3;
      run = p;
    }

  {
    g_autofree char *escaped = g_markup_escape_text (run, p - run);

    g_string_append (out, escaped);
  }
  if (open)
    g_string_append (out, "</b>");

  return g_string_free (out, FALSE);
}

/**
 * pqs_search_result_dup_snippet_markup:
 * @self: a #PqsSearchResult
 *
 * Returns: (transfer full): the snippet as Pango markup, matches in bold
 */
char *
pqs_search_result_dup_snippet_markup (PqsSearchResult *self)
{
  g_return_val_if_fail (PQS_IS_SEARCH_RESULT (self), NULL);

  return pqs_search_snippet_to_markup (self->snippet);
}
