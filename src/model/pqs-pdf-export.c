/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-model"

#include "config.h"

#include <inttypes.h>

#include <string.h>
#include <glib/gi18n-lib.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "pqs-package.h"
#include "pqs-pdf-export.h"
#include "pqs-store.h"

/**
 * PqsPdfExport:
 *
 * Prints a section document, or a whole standard, as a PDF in one of two
 * editions: the trainee edition has the questions with ruled space to
 * answer; the qualifier edition has the questions with the expected answers
 * and the scoring criteria. Every page carries the classification marking
 * at its top and bottom and "Page N of M".
 *
 * The data is the JSON that pqs_package_export_document() and
 * pqs_package_export_standard() make, so a package file can be printed
 * without importing it, and what is printed is exactly what is exported.
 *
 * Layout runs twice over the same fonts and text: the first pass only
 * counts pages (and finds where each section starts, for the table of
 * contents); the second draws. Text is placed line by line, so long text
 * breaks across pages and never runs over the footer. The PDF is made in
 * memory and written to a temporary file that replaces the target only when
 * complete: a failure leaves no half-written PDF.
 *
 * Fonts are the generic "Sans" and "Serif" families, which fontconfig
 * resolves on every system.
 */

#define PT_PER_INCH 72.0
#define MARGIN      (0.75 * PT_PER_INCH)
#define BAND        (0.5 * PT_PER_INCH)     /* from the paper edge to the marking */
#define CONTENT_TOP (MARGIN + 16)
#define RULE_GAP    20.0
#define INDENT_STEP 22.0
#define NUMBER_WIDTH 44.0

#define FONT_MARKING  "Sans Bold 10"
#define FONT_FOOTER   "Sans 8"
#define FONT_TITLE    "Sans Bold 16"
#define FONT_SECTION  "Sans Bold 13"
#define FONT_HEADING  "Sans Bold 11"
#define FONT_LABEL    "Sans Bold 8"
#define FONT_VALUE    "Sans 9"
#define FONT_BODY     "Serif 10.5"
#define FONT_ITEM     "Serif 10.5"
#define FONT_ANSWER   "Serif Italic 10"
#define FONT_SMALL    "Sans 7.5"
#define FONT_COVER    "Sans Bold 24"

struct _PqsPdfExport
{
  GObject        parent_instance;

  PqsStore      *store;
  PqsPdfEdition  edition;
  PqsPaperSize   paper;
};

G_DEFINE_FINAL_TYPE (PqsPdfExport, pqs_pdf_export, G_TYPE_OBJECT)

G_DEFINE_QUARK (pqs-export-error-quark, pqs_export_error)

enum {
  PROP_0,
  PROP_STORE,
  PROP_EDITION,
  PROP_PAPER_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const edition_names[] = { "trainee", "qualifier" };
static const char * const paper_names[] = { "letter", "a4" };

const char *
pqs_pdf_edition_to_string (PqsPdfEdition edition)
{
  g_return_val_if_fail (edition <= PQS_PDF_EDITION_QUALIFIER, NULL);

  return edition_names[edition];
}

gboolean
pqs_pdf_edition_from_string (const char    *text,
                             PqsPdfEdition *out_edition)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (edition_names); i++)
    if (g_ascii_strcasecmp (text, edition_names[i]) == 0)
      {
        *out_edition = (PqsPdfEdition) i;
        return TRUE;
      }
  return FALSE;
}

const char *
pqs_paper_size_to_string (PqsPaperSize paper)
{
  g_return_val_if_fail (paper <= PQS_PAPER_A4, NULL);

  return paper_names[paper];
}

gboolean
pqs_paper_size_from_string (const char   *text,
                            PqsPaperSize *out_paper)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (paper_names); i++)
    if (g_ascii_strcasecmp (text, paper_names[i]) == 0)
      {
        *out_paper = (PqsPaperSize) i;
        return TRUE;
      }
  return FALSE;
}

/* Reading the export JSON -------------------------------------------------- */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return 0;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* "2024-05-01T12:00:00.000Z" → "2024-05-01"; anything else as it is. */
static char *
format_date (const char *timestamp)
{
  if (timestamp == NULL || *timestamp == '\0')
    return NULL;
  if (strlen (timestamp) >= 10 && timestamp[4] == '-' && timestamp[7] == '-')
    return g_strndup (timestamp, 10);
  return g_strdup (timestamp);
}

static const char *
classification_marking (const char *classification)
{
  if (g_strcmp0 (classification, "restricted") == 0)
    return C_("classification marking", "RESTRICTED");
  if (g_strcmp0 (classification, "confidential") == 0)
    return C_("classification marking", "CONFIDENTIAL");
  if (g_strcmp0 (classification, "secret") == 0)
    return C_("classification marking", "SECRET");
  return C_("classification marking", "UNCLASSIFIED");
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "draft") == 0)
    return C_("document status", "Draft");
  if (g_strcmp0 (status, "in_review") == 0)
    return C_("document status", "In review");
  if (g_strcmp0 (status, "approved") == 0)
    return C_("document status", "Approved");
  if (g_strcmp0 (status, "archived") == 0)
    return C_("document status", "Archived");
  if (g_strcmp0 (status, "active") == 0)
    return C_("standard status", "Active");
  return or_empty (status);
}

static const char *
series_label (gint64 section)
{
  switch (section)
    {
    case 100:
      return _("100 series — Fundamentals");
    case 200:
      return _("200 series — Systems");
    case 300:
      return _("300 series — Watchstations");
    default:
      return "";
    }
}

/* "Name, Rank" of a person object, or NULL. */
static char *
person_text (JsonObject *person)
{
  const char *name = member_string (person, "full_name");
  const char *rank = member_string (person, "rank");

  if (name == NULL || *name == '\0')
    name = member_string (person, "username");
  if (name == NULL || *name == '\0')
    return NULL;
  if (rank != NULL && *rank != '\0')
    return g_strdup_printf ("%s, %s", name, rank);
  return g_strdup (name);
}

/* "references" → "References", "watches_under_instruction" → "Watches under instruction". */
static char *
humanize_key (const char *key)
{
  g_autofree char *text = g_strdelimit (g_strdup (key), "_", ' ');

  if (text[0] != '\0')
    text[0] = g_ascii_toupper (text[0]);
  return g_steal_pointer (&text);
}

static char *
metadata_value_text (JsonNode *value)
{
  if (JSON_NODE_HOLDS_NULL (value))
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *object = json_node_get_object (value);
      g_autoptr(GString) text = g_string_new (NULL);
      const char *parts[] = { member_string (object, "name"), member_string (object, "rank"),
                              member_string (object, "date") };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        if (parts[i] != NULL && *parts[i] != '\0')
          g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "", parts[i]);
      return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
    }

  if (!JSON_NODE_HOLDS_VALUE (value))
    return NULL;

  switch (json_node_get_value_type (value))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (value) != '\0' ? g_strdup (json_node_get_string (value))
                                                    : NULL;
    case G_TYPE_INT64:
      return g_strdup_printf ("%" PRId64, json_node_get_int (value));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g",
                                          json_node_get_double (value)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
    default:
      return NULL;
    }
}

/* Layout ------------------------------------------------------------------- */

typedef struct
{
  gint64  number;
  char   *title;
  guint   page;
} TocEntry;

static void
toc_entry_clear (TocEntry *entry)
{
  g_free (entry->title);
}

typedef struct
{
  PqsPdfExport    *self;
  cairo_surface_t *surface;
  cairo_t         *cr;
  PangoContext    *pango;
  gboolean         drawing;         /* FALSE in the counting pass */

  double           width;
  double           height;
  double           left;
  double           right;
  double           bottom;
  double           y;

  guint            page;            /* the current page, from 1; 0 before the first */
  guint            n_pages;         /* known in the drawing pass */
  const char      *marking;
  char            *footer;          /* left of the footer */

  GArray          *toc;             /* TocEntry, found in the counting pass */
  guint            toc_index;
} Pdf;

static PangoLayout *
make_layout (Pdf        *pdf,
             const char *font,
             const char *text,
             double      width)
{
  PangoLayout *layout = pango_layout_new (pdf->pango);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_text (layout, text != NULL ? text : "", -1);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

/* Draws @layout with its top-left corner at (x, y), in both passes cheaply. */
static void
draw_layout_at (Pdf         *pdf,
                PangoLayout *layout,
                double       x,
                double       y)
{
  if (!pdf->drawing)
    return;
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
}

static void
draw_centered (Pdf        *pdf,
               const char *font,
               const char *text,
               double      y)
{
  g_autoptr(PangoLayout) layout = make_layout (pdf, font, text, pdf->right - pdf->left);

  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  draw_layout_at (pdf, layout, pdf->left, y);
}

static void
draw_page_furniture (Pdf *pdf)
{
  g_autofree char *page_text = NULL;
  g_autoptr(PangoLayout) footer = NULL;
  g_autoptr(PangoLayout) number = NULL;
  double footer_y = pdf->height - BAND - 26;

  if (!pdf->drawing)
    return;

  /* The marking, centred and bold, at the top and at the bottom. */
  draw_centered (pdf, FONT_MARKING, pdf->marking, BAND - 6);
  draw_centered (pdf, FONT_MARKING, pdf->marking, pdf->height - BAND - 6);

  page_text = g_strdup_printf (_("Page %u of %u"), pdf->page, pdf->n_pages);
  number = make_layout (pdf, FONT_FOOTER, page_text, pdf->right - pdf->left);
  pango_layout_set_alignment (number, PANGO_ALIGN_RIGHT);
  draw_layout_at (pdf, number, pdf->left, footer_y);

  footer = make_layout (pdf, FONT_FOOTER, pdf->footer, (pdf->right - pdf->left) * 0.7);
  pango_layout_set_ellipsize (footer, PANGO_ELLIPSIZE_END);
  draw_layout_at (pdf, footer, pdf->left, footer_y);

  cairo_set_line_width (pdf->cr, 0.5);
  cairo_move_to (pdf->cr, pdf->left, footer_y - 4);
  cairo_line_to (pdf->cr, pdf->right, footer_y - 4);
  cairo_stroke (pdf->cr);
}

static void
new_page (Pdf *pdf)
{
  if (pdf->page > 0)
    cairo_show_page (pdf->cr);
  pdf->page++;
  pdf->y = CONTENT_TOP;
  draw_page_furniture (pdf);
}

static void
set_footer (Pdf        *pdf,
            const char *footer)
{
  g_free (pdf->footer);
  pdf->footer = g_strdup (footer);
}

/* Makes room for @height points, on a new page when needed. */
static void
ensure_space (Pdf    *pdf,
              double  height)
{
  if (pdf->y + height > pdf->bottom && pdf->y > CONTENT_TOP)
    new_page (pdf);
}

/* Places @layout line by line at @x, breaking across pages. @label, when
 * given, hangs at @label_x on the first line's baseline (an outline number).
 * @keep is how much must fit below the first line to start on this page. */
static void
flow_layout (Pdf         *pdf,
             PangoLayout *layout,
             double       x,
             PangoLayout *label,
             double       label_x,
             double       keep)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  gboolean first = TRUE;

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;

      ensure_space (pdf, height + (first ? keep : 0));
      if (pdf->drawing)
        {
          cairo_move_to (pdf->cr, x + (double) logical.x / PANGO_SCALE, pdf->y + baseline);
          pango_cairo_show_layout_line (pdf->cr, line);
          if (first && label != NULL)
            {
              PangoLayoutLine *label_line = pango_layout_get_line_readonly (label, 0);

              cairo_move_to (pdf->cr, label_x, pdf->y + baseline);
              pango_cairo_show_layout_line (pdf->cr, label_line);
            }
        }
      pdf->y += height;
      first = FALSE;
    }
  while (pango_layout_iter_next_line (iter));

  pango_layout_iter_free (iter);
}

static void
flow_text (Pdf        *pdf,
           const char *font,
           const char *text,
           double      x,
           double      keep)
{
  g_autoptr(PangoLayout) layout = make_layout (pdf, font, text, pdf->right - x);

  flow_layout (pdf, layout, x, NULL, 0, keep);
}

static void
rule (Pdf    *pdf,
      double  x1,
      double  x2,
      double  y,
      double  gray)
{
  if (!pdf->drawing)
    return;
  cairo_save (pdf->cr);
  cairo_set_source_rgb (pdf->cr, gray, gray, gray);
  cairo_set_line_width (pdf->cr, 0.6);
  cairo_move_to (pdf->cr, x1, y);
  cairo_line_to (pdf->cr, x2, y);
  cairo_stroke (pdf->cr);
  cairo_restore (pdf->cr);
}

/* Ruled lines to write an answer on, kept together on one page. */
static void
answer_space (Pdf    *pdf,
              double  x,
              guint   n_lines)
{
  ensure_space (pdf, RULE_GAP * n_lines + 4);
  for (guint i = 1; i <= n_lines; i++)
    rule (pdf, x, pdf->right, pdf->y + RULE_GAP * i, 0.55);
  pdf->y += RULE_GAP * n_lines + 6;
}

/* Qualifier name, rank and date, each on a line with its label beneath. */
static void
signature_lines (Pdf        *pdf,
                 double      x,
                 const char *heading)
{
  const double width = pdf->right - x;
  const struct { const char *label; double from; double to; } cells[] = {
    { _("Qualifier name and signature"), 0.0, 0.52 },
    { _("Rank"), 0.56, 0.74 },
    { _("Date"), 0.78, 1.0 },
  };

  ensure_space (pdf, 62);
  if (heading != NULL && *heading != '\0')
    flow_text (pdf, FONT_VALUE, heading, x, 40);
  pdf->y += 26;
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autoptr(PangoLayout) label = make_layout (pdf, FONT_SMALL, cells[i].label, 0);

      rule (pdf, x + width * cells[i].from, x + width * cells[i].to, pdf->y, 0.0);
      draw_layout_at (pdf, label, x + width * cells[i].from, pdf->y + 2);
    }
  pdf->y += 22;
}

/* The title block ---------------------------------------------------------- */

typedef struct
{
  const char *label;
  char       *value;
} Cell;

static void
title_block (Pdf        *pdf,
             JsonObject *standard,
             JsonObject *document)
{
  g_autofree char *section = g_strdup_printf (_("Section %" PRId64 " — %s"),
                                              member_int (document, "number"),
                                              or_empty (member_string (document, "title")));
  g_autofree char *approver = person_text (member_object (document, "approved_by"));
  g_autofree char *version = g_strdup_printf ("%" PRId64,
                                              member_int (document, "version"));
  const char *revision = member_string (standard, "revision");
  const char *unit = member_string (standard, "owning_unit");
  Cell cells[] = {
    { _("Series"), g_strdup (series_label (member_int (document, "section"))) },
    { _("Owning unit"), g_strdup (unit != NULL && *unit != '\0' ? unit : "—") },
    { _("Revision"), g_strdup (revision != NULL && *revision != '\0' ? revision : "—") },
    { _("Status"), g_strdup (status_label (member_string (document, "status"))) },
    { _("Version"), g_strdup (version) },
    { _("Approved by"), approver != NULL ? g_strdup (approver) : g_strdup (_("Not approved")) },
    { _("Approved on"), format_date (member_string (document, "approved_at")) },
    { _("Created"), format_date (member_string (document, "created_at")) },
    { _("Last updated"), format_date (member_string (document, "updated_at")) },
    { _("Edition"), g_strdup (pdf->self->edition == PQS_PDF_EDITION_QUALIFIER
                                ? _("Qualifier (answers and criteria)")
                                : _("Trainee")) },
  };
  const double width = pdf->right - pdf->left;
  const double column = width / 2;
  double top;

  flow_text (pdf, FONT_TITLE, or_empty (member_string (standard, "title")), pdf->left, 80);
  pdf->y += 4;
  flow_text (pdf, FONT_SECTION, section, pdf->left, 60);
  pdf->y += 8;

  /* Two columns of label and value in a box. */
  ensure_space (pdf, 20 * (G_N_ELEMENTS (cells) / 2) + 10);
  top = pdf->y;
  rule (pdf, pdf->left, pdf->right, top, 0.0);
  pdf->y += 5;
  for (guint i = 0; i < G_N_ELEMENTS (cells); i += 2)
    {
      double row_height = 0;

      for (guint c = 0; c < 2 && i + c < G_N_ELEMENTS (cells); c++)
        {
          double x = pdf->left + c * column + 4;
          g_autoptr(PangoLayout) label = make_layout (pdf, FONT_LABEL, cells[i + c].label, 88);
          g_autoptr(PangoLayout) value = make_layout (pdf, FONT_VALUE,
                                                      cells[i + c].value != NULL
                                                        ? cells[i + c].value : "—",
                                                      column - 104);

          draw_layout_at (pdf, label, x, pdf->y + 1);
          draw_layout_at (pdf, value, x + 96, pdf->y);
          row_height = MAX (row_height, MAX (layout_height (value), layout_height (label) + 1));
        }
      pdf->y += row_height + 4;
    }
  rule (pdf, pdf->left, pdf->right, pdf->y, 0.0);
  if (pdf->drawing)
    {
      cairo_set_line_width (pdf->cr, 0.6);
      cairo_rectangle (pdf->cr, pdf->left, top, width, pdf->y - top);
      cairo_stroke (pdf->cr);
    }
  pdf->y += 10;

  if (pdf->self->edition == PQS_PDF_EDITION_QUALIFIER)
    {
      flow_text (pdf, FONT_LABEL,
                 _("Qualifier edition: contains the expected answers and the scoring "
                   "criteria. Do not give it to trainees."),
                 pdf->left, 0);
      pdf->y += 8;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_free (cells[i].value);
}

/* Metadata, body and outline ------------------------------------------------ */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
metadata_block (Pdf        *pdf,
                JsonObject *metadata)
{
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();

  if (metadata == NULL)
    return;

  members = json_object_get_members (metadata);
  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (keys, l->data);
  g_ptr_array_sort (keys, compare_strings);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autofree char *value = metadata_value_text (json_object_get_member (metadata, key));
      g_autofree char *label = NULL;

      if (value == NULL)
        continue;
      label = humanize_key (key);
      flow_text (pdf, FONT_LABEL, label, pdf->left, 12);
      flow_text (pdf, FONT_VALUE, value, pdf->left + 12, 0);
      pdf->y += 4;
    }
  pdf->y += 4;
}

typedef struct
{
  guint counters[3];
  guint n_signatures;
} OutlineState;

static void outline_items (Pdf *pdf, JsonArray *items, guint depth, OutlineState *state);

static void
outline_item (Pdf          *pdf,
              JsonObject   *item,
              guint         depth,
              OutlineState *state)
{
  const char *kind = or_empty (member_string (item, "kind"));
  const char *text = or_empty (member_string (item, "text"));
  double x = pdf->left + MIN (depth, 3) * INDENT_STEP;
  gboolean numbered = g_str_equal (kind, "question") || g_str_equal (kind, "sub_question") ||
                      g_str_equal (kind, "second_level");

  if (g_str_equal (kind, "signature"))
    {
      signature_lines (pdf, x, text);
      state->n_signatures++;
    }
  else if (!numbered)
    {
      flow_text (pdf, FONT_BODY, text, x, 0);
      pdf->y += 6;
    }
  else
    {
      g_autofree char *number = NULL;
      g_autoptr(PangoLayout) label = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      guint level = MIN (depth, 2);
      int label_width = 0;
      double text_x;

      state->counters[level]++;
      for (guint i = level + 1; i < G_N_ELEMENTS (state->counters); i++)
        state->counters[i] = 0;

      number = pqs_package_outline_number (level, state->counters);
      label = make_layout (pdf, level == 0 ? "Serif Bold 10.5" : FONT_ITEM, number, 0);
      /* "12.aa.(10)" is wider than the usual gutter: the text moves over. */
      pango_layout_get_size (label, &label_width, NULL);
      text_x = x + MAX (NUMBER_WIDTH, (double) label_width / PANGO_SCALE + 8);
      layout = make_layout (pdf, level == 0 ? "Serif Bold 10.5" : FONT_ITEM, text,
                            pdf->right - text_x);
      flow_layout (pdf, layout, text_x, label, x, 24);

      if (pdf->self->edition == PQS_PDF_EDITION_QUALIFIER)
        {
          const char *answer = member_string (item, "answer");
          const char *criteria = member_string (item, "criteria");
          double inner = text_x;

          if (answer != NULL && *answer != '\0')
            {
              g_autofree char *line = g_strdup_printf (_("Answer: %s"), answer);

              pdf->y += 2;
              flow_text (pdf, FONT_ANSWER, line, inner, 0);
            }
          if (criteria != NULL && *criteria != '\0')
            {
              g_autofree char *line = g_strdup_printf (_("Criteria: %s"), criteria);

              pdf->y += 2;
              flow_text (pdf, FONT_ANSWER, line, inner, 0);
            }
          pdf->y += 8;
        }
      else
        {
          JsonArray *children = member_array (item, "children");
          gboolean has_numbered_children = FALSE;

          /* Space to answer under the lowest question; a question whose
           * sub-questions carry the answers gets a line of its own only. */
          for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
            {
              JsonNode *child = json_array_get_element (children, i);
              const char *child_kind = JSON_NODE_HOLDS_OBJECT (child)
                ? member_string (json_node_get_object (child), "kind") : NULL;

              if (g_strcmp0 (child_kind, "sub_question") == 0 ||
                  g_strcmp0 (child_kind, "second_level") == 0)
                has_numbered_children = TRUE;
            }
          answer_space (pdf, text_x, has_numbered_children ? 0 : (level == 0 ? 4 : 3));
        }
    }

  outline_items (pdf, member_array (item, "children"), depth + 1, state);
  if (depth == 0)
    pdf->y += 4;
}

static void
outline_items (Pdf          *pdf,
               JsonArray    *items,
               guint         depth,
               OutlineState *state)
{
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        outline_item (pdf, json_node_get_object (node), depth, state);
    }
}

static void
section_pages (Pdf        *pdf,
               JsonObject *standard,
               JsonObject *document,
               gboolean    in_standard)
{
  g_autofree char *footer = NULL;
  const char *body = member_string (document, "body");
  JsonArray *outline = member_array (document, "outline");
  OutlineState state = { { 0, 0, 0 }, 0 };
  gint64 number = member_int (document, "number");

  footer = g_strdup_printf (_("%s — Section %" PRId64),
                            or_empty (member_string (standard, "title")), number);
  set_footer (pdf, footer);
  new_page (pdf);

  if (in_standard)
    {
      TocEntry *entry = NULL;

      if (!pdf->drawing)
        {
          TocEntry fresh = { number, g_strdup (member_string (document, "title")), pdf->page };

          g_array_append_val (pdf->toc, fresh);
        }
      else if (pdf->toc_index < pdf->toc->len)
        {
          g_autofree char *link = g_strdup_printf ("page=%u", pdf->page);
          g_autofree char *name = NULL;

          entry = &g_array_index (pdf->toc, TocEntry, pdf->toc_index);
          name = g_strdup_printf (_("Section %" PRId64 " — %s"), entry->number,
                                  or_empty (entry->title));
          cairo_pdf_surface_add_outline (pdf->surface, CAIRO_PDF_OUTLINE_ROOT, name, link,
                                         CAIRO_PDF_OUTLINE_FLAG_OPEN);
        }
      pdf->toc_index++;
    }

  title_block (pdf, standard, document);
  metadata_block (pdf, member_object (document, "metadata"));

  if (body != NULL && *body != '\0')
    {
      flow_text (pdf, FONT_BODY, body, pdf->left, 0);
      pdf->y += 12;
    }

  if (outline != NULL && json_array_get_length (outline) > 0)
    {
      flow_text (pdf, FONT_HEADING, pdf->self->edition == PQS_PDF_EDITION_QUALIFIER
                                      ? _("Line items, answers and criteria")
                                      : _("Line items"),
                 pdf->left, 40);
      pdf->y += 6;
      outline_items (pdf, outline, 0, &state);
    }

  /* Every section ends with a place to sign it off. */
  if (state.n_signatures == 0)
    {
      pdf->y += 6;
      signature_lines (pdf, pdf->left, _("Qualifier’s signature: the trainee has completed "
                                         "this section."));
    }
}

/* The cover and the table of contents of a whole standard. */
static void
cover_pages (Pdf        *pdf,
             JsonObject *standard,
             JsonArray  *documents)
{
  const char *title = or_empty (member_string (standard, "title"));
  const char *unit = member_string (standard, "owning_unit");
  const char *applicability = member_string (standard, "applicability");
  const char *revision = member_string (standard, "revision");
  g_autofree char *revision_line = NULL;
  g_autofree char *status_line = NULL;
  g_autofree char *count_line = NULL;
  gint64 last_series = 0;

  set_footer (pdf, title);
  new_page (pdf);

  pdf->y = pdf->height * 0.22;
  draw_centered (pdf, FONT_SECTION, _("Personnel Qualification Standard"), pdf->y);
  pdf->y += 30;
  {
    g_autoptr(PangoLayout) layout = make_layout (pdf, FONT_COVER, title, pdf->right - pdf->left);

    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    draw_layout_at (pdf, layout, pdf->left, pdf->y);
    pdf->y += layout_height (layout) + 24;
  }
  if (unit != NULL && *unit != '\0')
    {
      draw_centered (pdf, FONT_HEADING, unit, pdf->y);
      pdf->y += 24;
    }
  revision_line = g_strdup_printf (_("Revision %s"),
                                   revision != NULL && *revision != '\0' ? revision : "—");
  draw_centered (pdf, FONT_VALUE, revision_line, pdf->y);
  pdf->y += 16;
  status_line = g_strdup_printf (_("Status: %s"), status_label (member_string (standard, "status")));
  draw_centered (pdf, FONT_VALUE, status_line, pdf->y);
  pdf->y += 16;
  count_line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u section", "%u sections",
                                             json_array_get_length (documents)),
                                json_array_get_length (documents));
  draw_centered (pdf, FONT_VALUE, count_line, pdf->y);
  pdf->y += 16;
  draw_centered (pdf, FONT_HEADING, pdf->self->edition == PQS_PDF_EDITION_QUALIFIER
                                      ? _("Qualifier edition — contains answers")
                                      : _("Trainee edition"),
                 pdf->y + 20);
  pdf->y += 60;
  if (applicability != NULL && *applicability != '\0')
    {
      flow_text (pdf, FONT_LABEL, _("Applicability"), pdf->left, 12);
      flow_text (pdf, FONT_VALUE, applicability, pdf->left, 0);
    }

  /* Contents: page numbers come from the counting pass. */
  new_page (pdf);
  flow_text (pdf, FONT_SECTION, _("Contents"), pdf->left, 40);
  pdf->y += 10;
  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);
      gint64 number = member_int (document, "number");
      gint64 series = member_int (document, "section");
      g_autofree char *number_text = g_strdup_printf ("%" PRId64, number);
      g_autofree char *page_text = NULL;
      g_autoptr(PangoLayout) number_layout = NULL;
      g_autoptr(PangoLayout) title_layout = NULL;
      g_autoptr(PangoLayout) page_layout = NULL;
      double width = pdf->right - pdf->left;

      if (series != last_series)
        {
          pdf->y += 6;
          flow_text (pdf, FONT_HEADING, series_label (series), pdf->left, 20);
          pdf->y += 4;
          last_series = series;
        }

      page_text = g_strdup_printf ("%u", pdf->drawing && i < pdf->toc->len
                                           ? g_array_index (pdf->toc, TocEntry, i).page : 0);
      number_layout = make_layout (pdf, FONT_VALUE, number_text, 0);
      title_layout = make_layout (pdf, FONT_VALUE, or_empty (member_string (document, "title")),
                                  width - 110);
      pango_layout_set_ellipsize (title_layout, PANGO_ELLIPSIZE_END);
      page_layout = make_layout (pdf, FONT_VALUE, page_text, width);
      pango_layout_set_alignment (page_layout, PANGO_ALIGN_RIGHT);

      ensure_space (pdf, layout_height (title_layout) + 2);
      draw_layout_at (pdf, number_layout, pdf->left + 8, pdf->y);
      draw_layout_at (pdf, title_layout, pdf->left + 48, pdf->y);
      draw_layout_at (pdf, page_layout, pdf->left, pdf->y);
      pdf->y += layout_height (title_layout) + 3;
    }
}

static cairo_status_t
discard_cb (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* One pass over everything; returns the number of pages. */
static gboolean
run_pass (PqsPdfExport  *self,
          Pdf           *pdf,
          JsonObject    *standard,
          JsonArray     *documents,
          gboolean       whole_standard,
          GByteArray    *out,
          GError       **error)
{
  cairo_font_options_t *options;
  const char *title = or_empty (member_string (standard, "title"));
  cairo_status_t status;

  pdf->surface = cairo_pdf_surface_create_for_stream (out != NULL ? append_cb : discard_cb, out,
                                                      pdf->width, pdf->height);
  pdf->cr = cairo_create (pdf->surface);
  pdf->pango = pango_cairo_create_context (pdf->cr);

  /* The same metrics in both passes and on every machine's screen settings. */
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pdf->pango, options);
  cairo_font_options_destroy (options);

  if (pdf->drawing)
    {
      g_autofree char *pdf_title = NULL;

      if (whole_standard)
        pdf_title = g_strdup (title);
      else
        pdf_title = g_strdup_printf (_("%s — Section %" PRId64), title,
                                     member_int (json_array_get_object_element (documents, 0),
                                                 "number"));
      cairo_pdf_surface_set_metadata (pdf->surface, CAIRO_PDF_METADATA_TITLE, pdf_title);
      cairo_pdf_surface_set_metadata (pdf->surface, CAIRO_PDF_METADATA_CREATOR,
                                      "PQS Desk " PACKAGE_VERSION);
      cairo_pdf_surface_set_metadata (pdf->surface, CAIRO_PDF_METADATA_SUBJECT,
                                      self->edition == PQS_PDF_EDITION_QUALIFIER
                                        ? _("Qualifier edition") : _("Trainee edition"));
    }

  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  pdf->page = 0;
  pdf->toc_index = 0;

  if (whole_standard)
    cover_pages (pdf, standard, documents);
  for (guint i = 0; i < json_array_get_length (documents); i++)
    section_pages (pdf, standard, json_array_get_object_element (documents, i), whole_standard);

  cairo_show_page (pdf->cr);
  g_clear_object (&pdf->pango);
  cairo_destroy (pdf->cr);
  pdf->cr = NULL;
  cairo_surface_finish (pdf->surface);
  status = cairo_surface_status (pdf->surface);
  cairo_surface_destroy (pdf->surface);
  pdf->surface = NULL;

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PQS_EXPORT_ERROR, PQS_EXPORT_ERROR_IO,
                   _("The PDF could not be made: %s."), cairo_status_to_string (status));
      return FALSE;
    }

  return TRUE;
}

/* Orders sections as in the book: 100, 200, 300 series, by number. */
static gint
compare_documents (gconstpointer a,
                   gconstpointer b)
{
  JsonObject *da = json_node_get_object (*(JsonNode * const *) a);
  JsonObject *db = json_node_get_object (*(JsonNode * const *) b);
  gint64 na = member_int (da, "number");
  gint64 nb = member_int (db, "number");

  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * pqs_pdf_export_render:
 * @self: a #PqsPdfExport
 * @root: a document export or a package
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the PDF, or %NULL with %PQS_EXPORT_ERROR
 */
GBytes *
pqs_pdf_export_render (PqsPdfExport  *self,
                       JsonNode      *root,
                       GError       **error)
{
  g_autoptr(JsonArray) documents = json_array_new ();
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GArray) toc = NULL;
  JsonObject *object;
  JsonObject *standard;
  const char *format;
  gboolean whole_standard;
  Pdf pdf = { NULL, };
  gboolean ok;

  g_return_val_if_fail (PQS_IS_PDF_EXPORT (self), NULL);
  g_return_val_if_fail (root != NULL, NULL);

  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  format = member_string (object, "format");
  standard = member_object (object, "standard");
  whole_standard = g_strcmp0 (format, PQS_PACKAGE_FORMAT_STANDARD) == 0;

  if (standard == NULL ||
      (!whole_standard && g_strcmp0 (format, PQS_PACKAGE_FORMAT_DOCUMENT) != 0))
    {
      g_set_error_literal (error, PQS_EXPORT_ERROR, PQS_EXPORT_ERROR_INVALID,
                           _("This is neither a PQS Desk document nor a package."));
      return NULL;
    }

  if (whole_standard)
    {
      JsonArray *all = member_array (object, "documents");

      for (guint i = 0; all != NULL && i < json_array_get_length (all); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (all, i)))
          g_ptr_array_add (sorted, json_array_get_element (all, i));
      g_ptr_array_sort (sorted, compare_documents);
      for (guint i = 0; i < sorted->len; i++)
        json_array_add_element (documents, json_node_copy (g_ptr_array_index (sorted, i)));
    }
  else if (member_object (object, "document") != NULL)
    json_array_add_element (documents, json_node_copy (json_object_get_member (object,
                                                                               "document")));

  if (json_array_get_length (documents) == 0)
    {
      g_set_error_literal (error, PQS_EXPORT_ERROR, PQS_EXPORT_ERROR_INVALID,
                           _("There is no section document to print."));
      return NULL;
    }

  toc = g_array_new (FALSE, TRUE, sizeof (TocEntry));
  g_array_set_clear_func (toc, (GDestroyNotify) toc_entry_clear);

  pdf.self = self;
  pdf.toc = toc;
  pdf.marking = classification_marking (member_string (standard, "classification"));
  if (self->paper == PQS_PAPER_A4)
    {
      pdf.width = 595.2756;
      pdf.height = 841.8898;
    }
  else
    {
      pdf.width = 8.5 * PT_PER_INCH;
      pdf.height = 11.0 * PT_PER_INCH;
    }
  pdf.left = MARGIN;
  pdf.right = pdf.width - MARGIN;
  pdf.bottom = pdf.height - BAND - 36;

  /* Count, then draw with the page total known. */
  pdf.drawing = FALSE;
  ok = run_pass (self, &pdf, standard, documents, whole_standard, NULL, error);
  if (ok)
    {
      pdf.n_pages = pdf.page;
      pdf.drawing = TRUE;
      bytes = g_byte_array_new ();
      ok = run_pass (self, &pdf, standard, documents, whole_standard, bytes, error);
      g_assert (!ok || pdf.page == pdf.n_pages);
    }
  g_free (pdf.footer);

  if (!ok)
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * pqs_pdf_export_write:
 * @self: a #PqsPdfExport
 * @root: a document export or a package
 * @file: where the PDF goes; replaced only once the PDF is complete
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the PDF was written
 */
gboolean
pqs_pdf_export_write (PqsPdfExport  *self,
                      JsonNode      *root,
                      GFile         *file,
                      GError       **error)
{
  g_autoptr(GBytes) pdf = NULL;

  g_return_val_if_fail (PQS_IS_PDF_EXPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  pdf = pqs_pdf_export_render (self, root, error);
  if (pdf == NULL)
    return FALSE;

  return pqs_package_write_file (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                 error);
}

static GBytes *
render_cb (JsonNode  *root,
           gpointer   user_data,
           GError   **error)
{
  return pqs_pdf_export_render (PQS_PDF_EXPORT (user_data), root, error);
}

static gboolean
export_by_id (PqsPdfExport  *self,
              PqsUser       *actor,
              gboolean       whole_standard,
              gint64         id,
              GFile         *file,
              GError       **error)
{
  g_autoptr(PqsPackage) package = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (PQS_IS_PDF_EXPORT (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  package = pqs_package_new (self->store);
  label = g_strdup_printf ("pdf (%s, %s)", edition_names[self->edition], paper_names[self->paper]);
  return pqs_package_export_to_file (package, actor, whole_standard, id, label, render_cb, self,
                                     file, error);
}

/**
 * pqs_pdf_export_document:
 * @self: a #PqsPdfExport
 * @actor: (nullable): who prints; %NULL for the operator
 * @document_id: the section document
 * @file: where the PDF goes
 * @error: return location for a #GError
 *
 * Prints one section document, with an audit row ("document.export").
 *
 * Returns: %TRUE when the PDF was written
 */
gboolean
pqs_pdf_export_document (PqsPdfExport  *self,
                         PqsUser       *actor,
                         gint64         document_id,
                         GFile         *file,
                         GError       **error)
{
  return export_by_id (self, actor, FALSE, document_id, file, error);
}

/**
 * pqs_pdf_export_standard:
 * @self: a #PqsPdfExport
 * @actor: (nullable): who prints; %NULL for the operator. Every section
 *   must be readable to them.
 * @standard_id: the standard
 * @file: where the PDF goes
 * @error: return location for a #GError
 *
 * Prints a whole standard: a cover, the contents, and every section in
 * book order, with an audit row ("standard.export").
 *
 * Returns: %TRUE when the PDF was written
 */
gboolean
pqs_pdf_export_standard (PqsPdfExport  *self,
                         PqsUser       *actor,
                         gint64         standard_id,
                         GFile         *file,
                         GError       **error)
{
  return export_by_id (self, actor, TRUE, standard_id, file, error);
}

/* GObject ------------------------------------------------------------------ */

static void
pqs_pdf_export_finalize (GObject *object)
{
  PqsPdfExport *self = PQS_PDF_EXPORT (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (pqs_pdf_export_parent_class)->finalize (object);
}

static void
pqs_pdf_export_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PqsPdfExport *self = PQS_PDF_EXPORT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_EDITION:
      g_value_set_int (value, self->edition);
      break;
    case PROP_PAPER_SIZE:
      g_value_set_int (value, self->paper);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_pdf_export_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PqsPdfExport *self = PQS_PDF_EXPORT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_EDITION:
      pqs_pdf_export_set_edition (self, g_value_get_int (value));
      break;
    case PROP_PAPER_SIZE:
      pqs_pdf_export_set_paper_size (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_pdf_export_class_init (PqsPdfExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pqs_pdf_export_finalize;
  object_class->get_property = pqs_pdf_export_get_property;
  object_class->set_property = pqs_pdf_export_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PQS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EDITION] =
    g_param_spec_int ("edition", NULL, NULL, PQS_PDF_EDITION_TRAINEE, PQS_PDF_EDITION_QUALIFIER,
                      PQS_PDF_EDITION_TRAINEE,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAPER_SIZE] =
    g_param_spec_int ("paper-size", NULL, NULL, PQS_PAPER_LETTER, PQS_PAPER_A4,
                      PQS_PAPER_LETTER,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pqs_pdf_export_init (PqsPdfExport *self)
{
  self->edition = PQS_PDF_EDITION_TRAINEE;
  self->paper = PQS_PAPER_LETTER;
}

/**
 * pqs_pdf_export_new:
 * @store: (nullable): the database to export from; %NULL to print data only
 *
 * Returns: (transfer full): a new #PqsPdfExport (trainee edition, US Letter)
 */
PqsPdfExport *
pqs_pdf_export_new (PqsStore *store)
{
  g_return_val_if_fail (store == NULL || PQS_IS_STORE (store), NULL);

  return g_object_new (PQS_TYPE_PDF_EXPORT, "store", store, NULL);
}

PqsStore *
pqs_pdf_export_get_store (PqsPdfExport *self)
{
  g_return_val_if_fail (PQS_IS_PDF_EXPORT (self), NULL);

  return self->store;
}

PqsPdfEdition
pqs_pdf_export_get_edition (PqsPdfExport *self)
{
  g_return_val_if_fail (PQS_IS_PDF_EXPORT (self), PQS_PDF_EDITION_TRAINEE);

  return self->edition;
}

void
pqs_pdf_export_set_edition (PqsPdfExport  *self,
                            PqsPdfEdition  edition)
{
  g_return_if_fail (PQS_IS_PDF_EXPORT (self));
  g_return_if_fail (edition <= PQS_PDF_EDITION_QUALIFIER);

  if (self->edition == edition)
    return;
  self->edition = edition;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITION]);
}

PqsPaperSize
pqs_pdf_export_get_paper_size (PqsPdfExport *self)
{
  g_return_val_if_fail (PQS_IS_PDF_EXPORT (self), PQS_PAPER_LETTER);

  return self->paper;
}

void
pqs_pdf_export_set_paper_size (PqsPdfExport *self,
                               PqsPaperSize  paper)
{
  g_return_if_fail (PQS_IS_PDF_EXPORT (self));
  g_return_if_fail (paper <= PQS_PAPER_A4);

  if (self->paper == paper)
    return;
  self->paper = paper;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAPER_SIZE]);
}
