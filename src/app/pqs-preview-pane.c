/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-document.h"
#include "pqs-library.h"
#include "pqs-outline.h"
#include "pqs-package.h"
#include "pqs-preview-pane.h"
#include "pqs-session.h"
#include "pqs-standard.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/**
 * PqsPreviewPane:
 *
 * The printed edition of a section document, drawn with labels in a
 * scrolled column rather than from the PDF, so that it follows every edit:
 * the classification marking above and below, the title block, the form
 * fields, the body and the numbered outline as pqs-pdf-export.c lays them
 * out, with the answers and criteria in the qualifier edition and ruled
 * space to answer in the trainee edition.
 *
 * The page is a list of blocks (a heading, a line item, a signature…),
 * each with a key that says everything it shows. A rebuild, at most once per
 * idle, computes the blocks and replaces only the widgets whose key changed:
 * typing in one question touches one row.
 */

#define INDENT_STEP 24

typedef enum
{
  BLOCK_STANDARD_TITLE,
  BLOCK_SECTION_TITLE,
  BLOCK_TITLE_BLOCK,
  BLOCK_NOTE,
  BLOCK_FIELD,
  BLOCK_BODY,
  BLOCK_HEADING,
  BLOCK_ITEM,
  BLOCK_TEXT,
  BLOCK_SIGNATURE,
} BlockKind;

/* What one block shows. */
typedef struct
{
  BlockKind  kind;
  guint      depth;
  guint      level;       /* items: 0 question, 1 sub-question, 2 second level */
  guint      n_rules;     /* items: ruled lines to answer on */
  char      *texts[4];    /* per kind; items: number, text, answer, criteria */
  GPtrArray *cells;       /* the title block: label, value, label, value… */
  char      *key;
} BlockSpec;

typedef struct
{
  char      *key;
  GtkWidget *widget;
} Block;

struct _PqsPreviewPane
{
  GtkWidget      parent_instance;

  /* Template children */
  GtkWidget       *edition_switcher;
  GtkToggleButton *trainee_button;
  GtkToggleButton *qualifier_button;
  GtkStack        *stack;
  GtkWidget       *page;
  GtkLabel        *marking_top;
  GtkBox          *content;
  GtkLabel        *marking_bottom;

  PqsSession      *session;
  PqsStandard     *standard;          /* given, or loaded for the document */
  gboolean         standard_given;
  PqsDocument     *document;
  PqsPdfEdition    edition;

  gint64           approver_id;       /* the name cached for it */
  char            *approver_name;

  GPtrArray       *blocks;            /* (element-type Block) in page order */
  guint            rebuild_source;
};

G_DEFINE_FINAL_TYPE (PqsPreviewPane, pqs_preview_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STANDARD,
  PROP_DOCUMENT,
  PROP_EDITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
block_free (Block *block)
{
  g_free (block->key);
  g_free (block);
}

static void
block_spec_free (BlockSpec *spec)
{
  for (guint i = 0; i < G_N_ELEMENTS (spec->texts); i++)
    g_free (spec->texts[i]);
  g_clear_pointer (&spec->cells, g_ptr_array_unref);
  g_free (spec->key);
  g_free (spec);
}

/* Text, as the PDF export puts it ------------------------------------------------ */

static const char *
series_label (guint section)
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
      return "—";
    }
}

static char *
format_date (GDateTime *time)
{
  if (time == NULL)
    return g_strdup ("—");
  return g_date_time_format (time, "%Y-%m-%d");
}

/* "references" → "References", "watches_under_instruction" → "Watches under instruction". */
static char *
humanize_key (const char *key)
{
  char *text = g_strdelimit (g_strdup (key), "_", ' ');

  if (text[0] != '\0')
    text[0] = g_ascii_toupper (text[0]);
  return text;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char *
metadata_value_text (JsonNode *value)
{
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
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
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

/* The blocks of a document --------------------------------------------------------- */

static BlockSpec *
spec_add (GPtrArray  *specs,
          BlockKind   kind,
          guint       depth,
          const char *text)
{
  BlockSpec *spec = g_new0 (BlockSpec, 1);

  spec->kind = kind;
  spec->depth = depth;
  spec->texts[0] = g_strdup (text);
  g_ptr_array_add (specs, spec);
  return spec;
}

static void
spec_make_key (BlockSpec *spec)
{
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%d|%u|%u|%u", spec->kind, spec->depth, spec->level,
                          spec->n_rules);
  for (guint i = 0; i < G_N_ELEMENTS (spec->texts); i++)
    g_string_append_printf (key, "\x1e%s", spec->texts[i] != NULL ? spec->texts[i] : "\x1f");
  for (guint i = 0; spec->cells != NULL && i < spec->cells->len; i++)
    g_string_append_printf (key, "\x1d%s", (const char *) g_ptr_array_index (spec->cells, i));
  spec->key = g_string_free (key, FALSE);
}

static const char *
approver_name (PqsPreviewPane *self)
{
  gint64 id = pqs_document_get_approved_by (self->document);

  if (id <= 0 || self->session == NULL)
    return NULL;
  if (id != self->approver_id)
    {
      g_autoptr(PqsUserDirectory) directory =
        pqs_user_directory_new (pqs_session_get_store (self->session));
      g_autoptr(PqsUser) user = pqs_user_directory_lookup (directory, id, NULL);

      g_clear_pointer (&self->approver_name, g_free);
      self->approver_id = id;
      if (user != NULL)
        {
          const char *name = pqs_user_get_full_name (user);
          const char *rank = pqs_user_get_rank (user);

          if (name == NULL || *name == '\0')
            name = pqs_user_get_username (user);
          /* "Name, Rank" as in the PDF's title block. */
          self->approver_name = rank != NULL && *rank != '\0'
                                ? g_strdup_printf ("%s, %s", name, rank) : g_strdup (name);
        }
    }
  return self->approver_name;
}

static void
cell_add (GPtrArray  *cells,
          const char *label,
          char       *value)   /* (transfer full) */
{
  g_ptr_array_add (cells, g_strdup (label));
  g_ptr_array_add (cells, value != NULL ? value : g_strdup ("—"));
}

static void
title_block_specs (PqsPreviewPane *self,
                   GPtrArray      *specs)
{
  PqsDocument *document = self->document;
  const char *unit = self->standard != NULL ? pqs_standard_get_owning_unit (self->standard) : NULL;
  const char *revision = self->standard != NULL ? pqs_standard_get_revision (self->standard) : NULL;
  const char *approver = approver_name (self);
  const char *title = pqs_document_get_title (document);
  g_autofree char *section = NULL;
  BlockSpec *spec;
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);

  spec_add (specs, BLOCK_STANDARD_TITLE, 0,
            self->standard != NULL ? pqs_standard_get_title (self->standard)
                                   : _("Untitled standard"));
  /* Translators: the heading of a section document: "Section 201 — Lube Oil System" */
  section = g_strdup_printf (_("Section %u — %s"), pqs_document_get_number (document),
                             title != NULL ? title : "");
  spec_add (specs, BLOCK_SECTION_TITLE, 0, section);

  cell_add (cells, _("Series"), g_strdup (series_label (pqs_document_get_section (document))));
  cell_add (cells, _("Owning unit"), unit != NULL && *unit != '\0' ? g_strdup (unit) : NULL);
  cell_add (cells, _("Revision"), revision != NULL && *revision != '\0' ? g_strdup (revision)
                                                                        : NULL);
  cell_add (cells, _("Status"),
            g_strdup (pqs_document_status_get_label (pqs_document_get_status (document))));
  cell_add (cells, _("Version"), g_strdup_printf ("%u", pqs_document_get_version (document)));
  cell_add (cells, _("Approved by"), g_strdup (approver != NULL ? approver : _("Not approved")));
  cell_add (cells, _("Approved on"), format_date (pqs_document_get_approved_at (document)));
  cell_add (cells, _("Created"), format_date (pqs_document_get_created_at (document)));
  cell_add (cells, _("Last updated"), format_date (pqs_document_get_updated_at (document)));
  cell_add (cells, _("Edition"), g_strdup (self->edition == PQS_PDF_EDITION_QUALIFIER
                                            ? _("Qualifier (answers and criteria)")
                                            : _("Trainee")));
  spec = spec_add (specs, BLOCK_TITLE_BLOCK, 0, NULL);
  spec->cells = cells;

  if (self->edition == PQS_PDF_EDITION_QUALIFIER)
    spec_add (specs, BLOCK_NOTE, 0,
              _("Qualifier edition: contains the expected answers and the scoring criteria. "
                "Do not give it to trainees."));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
metadata_specs (PqsPreviewPane *self,
                GPtrArray      *specs)
{
  JsonObject *metadata = pqs_document_get_metadata (self->document);
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
      BlockSpec *spec;

      if (value == NULL)
        continue;
      spec = spec_add (specs, BLOCK_FIELD, 0, NULL);
      spec->texts[0] = humanize_key (key);
      spec->texts[1] = g_steal_pointer (&value);
    }
}

static gboolean
is_numbered (PqsItemKind kind)
{
  return kind == PQS_ITEM_QUESTION || kind == PQS_ITEM_SUB_QUESTION ||
         kind == PQS_ITEM_SECOND_LEVEL;
}

static void
outline_specs (PqsPreviewPane *self,
               GPtrArray      *specs,
               guint          *out_n_signatures)
{
  GPtrArray *outline = pqs_document_get_outline (self->document);
  guint counters[3] = { 0, 0, 0 };
  gboolean qualifier = self->edition == PQS_PDF_EDITION_QUALIFIER;

  *out_n_signatures = 0;
  if (outline == NULL || outline->len == 0)
    return;

  spec_add (specs, BLOCK_HEADING, 0, qualifier ? _("Line items, answers and criteria")
                                               : _("Line items"));

  for (guint i = 0; i < outline->len; i++)
    {
      PqsOutlineItem *item = g_ptr_array_index (outline, i);
      guint depth = MIN (item->depth, 2);
      BlockSpec *spec;

      if (item->kind == PQS_ITEM_SIGNATURE)
        {
          spec_add (specs, BLOCK_SIGNATURE, depth, item->text);
          (*out_n_signatures)++;
        }
      else if (!is_numbered (item->kind))
        spec_add (specs, BLOCK_TEXT, depth, item->text);
      else
        {
          guint level = item->kind == PQS_ITEM_QUESTION ? 0
                        : item->kind == PQS_ITEM_SUB_QUESTION ? 1 : 2;
          gboolean has_numbered_children = FALSE;

          counters[level]++;
          for (guint l = level + 1; l < G_N_ELEMENTS (counters); l++)
            counters[l] = 0;

          /* Space to answer under the lowest question, as the PDF has it. */
          for (guint j = i + 1; j < outline->len; j++)
            {
              PqsOutlineItem *next = g_ptr_array_index (outline, j);

              if (next->depth <= item->depth)
                break;
              if (next->depth == item->depth + 1 && is_numbered (next->kind))
                has_numbered_children = TRUE;
            }

          spec = spec_add (specs, BLOCK_ITEM, depth, NULL);
          spec->level = level;
          spec->texts[0] = pqs_package_outline_number (level, counters);
          spec->texts[1] = g_strdup (item->text);
          if (qualifier)
            {
              if (item->answer != NULL && *item->answer != '\0')
                spec->texts[2] = g_strdup (item->answer);
              if (item->criteria != NULL && *item->criteria != '\0')
                spec->texts[3] = g_strdup (item->criteria);
            }
          else
            spec->n_rules = has_numbered_children ? 0 : (level == 0 ? 4 : 3);
        }
    }
}

static GPtrArray *
build_specs (PqsPreviewPane *self)
{
  GPtrArray *specs = g_ptr_array_new_with_free_func ((GDestroyNotify) block_spec_free);
  const char *body = pqs_document_get_body (self->document);
  guint n_signatures = 0;

  title_block_specs (self, specs);
  metadata_specs (self, specs);
  if (body != NULL && *body != '\0')
    spec_add (specs, BLOCK_BODY, 0, body);
  outline_specs (self, specs, &n_signatures);

  /* Every section ends with a place to sign it off. */
  if (n_signatures == 0)
    spec_add (specs, BLOCK_SIGNATURE, 0,
              _("Qualifier’s signature: the trainee has completed this section."));

  for (guint i = 0; i < specs->len; i++)
    spec_make_key (g_ptr_array_index (specs, i));
  return specs;
}

/* Widgets ----------------------------------------------------------------------------- */

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
markup_label (const char *heading,
              const char *text,
              const char *css_class)
{
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b> %s", heading, text);
  GtkWidget *label = text_label (NULL, css_class);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  return label;
}

/* Label and value pairs in @columns columns. */
static GtkWidget *
title_grid_new (GPtrArray *cells,
                guint      columns)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_top (grid, 8);
  gtk_widget_set_margin_bottom (grid, 8);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);

  for (guint i = 0; i + 1 < cells->len; i += 2)
    {
      guint n = i / 2;
      GtkWidget *label = text_label (g_ptr_array_index (cells, i), "dim-label");
      GtkWidget *value = text_label (g_ptr_array_index (cells, i + 1), NULL);

      gtk_label_set_wrap (GTK_LABEL (label), FALSE);
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_set_valign (label, GTK_ALIGN_BASELINE);
      gtk_widget_set_valign (value, GTK_ALIGN_BASELINE);
      gtk_widget_set_hexpand (value, TRUE);
      /* Two columns only where a value keeps a dozen characters a line. */
      if (columns > 1)
        gtk_label_set_width_chars (GTK_LABEL (value), 12);
      gtk_grid_attach (GTK_GRID (grid), label, (n % columns) * 2, n / columns, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), value, (n % columns) * 2 + 1, n / columns, 1, 1);
    }
  return grid;
}

/* The title block: in two columns as on paper, in one in a narrow pane. */
static GtkWidget *
title_block_new (GPtrArray *cells)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *squeezer = adw_squeezer_new ();

  adw_squeezer_set_homogeneous (ADW_SQUEEZER (squeezer), FALSE);
  adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), title_grid_new (cells, 2));
  adw_squeezer_add (ADW_SQUEEZER (squeezer), title_grid_new (cells, 1));

  gtk_frame_set_child (GTK_FRAME (frame), squeezer);
  gtk_widget_set_margin_top (frame, 6);
  gtk_widget_set_margin_bottom (frame, 6);
  return frame;
}

static GtkWidget *
item_new (BlockSpec *spec)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *number = text_label (spec->texts[0], spec->level == 0 ? "heading" : NULL);
  GtkWidget *text = text_label (spec->texts[1], spec->level == 0 ? "heading" : NULL);

  gtk_label_set_wrap (GTK_LABEL (number), FALSE);
  gtk_label_set_width_chars (GTK_LABEL (number), 4);
  gtk_widget_set_valign (number, GTK_ALIGN_START);
  gtk_widget_set_hexpand (column, TRUE);
  gtk_box_append (GTK_BOX (column), text);

  if (spec->texts[2] != NULL)
    gtk_box_append (GTK_BOX (column), markup_label (_("Answer:"), spec->texts[2], "accent"));
  if (spec->texts[3] != NULL)
    gtk_box_append (GTK_BOX (column), markup_label (_("Criteria:"), spec->texts[3], "accent"));

  if (spec->n_rules > 0)
    {
      GtkWidget *rules = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      for (guint i = 0; i < spec->n_rules; i++)
        {
          GtkWidget *rule = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);

          gtk_widget_set_margin_top (rule, 22);
          gtk_box_append (GTK_BOX (rules), rule);
        }
      gtk_widget_set_margin_bottom (rules, 6);
      /* Blank lines on paper; nothing to read out. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (rules), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Space to answer"), -1);
      gtk_box_append (GTK_BOX (column), rules);
    }

  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), column);
  gtk_widget_set_margin_start (box, spec->depth * INDENT_STEP);
  gtk_widget_set_margin_top (box, spec->level == 0 ? 8 : 2);
  return box;
}

static GtkWidget *
signature_new (BlockSpec *spec)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *cells = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  const struct { const char *label; gboolean expand; int width; } parts[] = {
    { _("Qualifier name and signature"), TRUE, -1 },
    { _("Rank"), FALSE, 64 },
    { _("Date"), FALSE, 96 },
  };

  if (spec->texts[0] != NULL && *spec->texts[0] != '\0')
    gtk_box_append (GTK_BOX (box), text_label (spec->texts[0], NULL));

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *caption = text_label (parts[i].label, "caption");

      gtk_widget_add_css_class (caption, "dim-label");
      gtk_box_append (GTK_BOX (cell), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (GTK_BOX (cell), caption);
      gtk_widget_set_hexpand (cell, parts[i].expand);
      gtk_widget_set_size_request (cell, parts[i].width, -1);
      gtk_box_append (GTK_BOX (cells), cell);
    }
  gtk_widget_set_margin_top (cells, 30);
  gtk_box_append (GTK_BOX (box), cells);

  gtk_widget_set_margin_start (box, spec->depth * INDENT_STEP);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 6);
  return box;
}

static GtkWidget *
block_widget_new (BlockSpec *spec)
{
  GtkWidget *widget;

  switch (spec->kind)
    {
    case BLOCK_STANDARD_TITLE:
      widget = text_label (spec->texts[0], "title-2");
      break;
    case BLOCK_SECTION_TITLE:
      widget = text_label (spec->texts[0], "title-4");
      break;
    case BLOCK_TITLE_BLOCK:
      widget = title_block_new (spec->cells);
      break;
    case BLOCK_NOTE:
      widget = text_label (spec->texts[0], "warning");
      gtk_widget_add_css_class (widget, "caption-heading");
      break;
    case BLOCK_FIELD:
      widget = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (GTK_BOX (widget), text_label (spec->texts[0], "caption-heading"));
      gtk_box_append (GTK_BOX (widget), text_label (spec->texts[1], NULL));
      gtk_widget_set_margin_bottom (widget, 2);
      break;
    case BLOCK_BODY:
      widget = text_label (spec->texts[0], NULL);
      gtk_widget_set_margin_top (widget, 6);
      break;
    case BLOCK_HEADING:
      widget = text_label (spec->texts[0], "title-4");
      gtk_widget_set_margin_top (widget, 12);
      break;
    case BLOCK_ITEM:
      widget = item_new (spec);
      break;
    case BLOCK_TEXT:
      widget = text_label (spec->texts[0], NULL);
      gtk_widget_set_margin_start (widget, spec->depth * INDENT_STEP);
      break;
    case BLOCK_SIGNATURE:
      widget = signature_new (spec);
      break;
    default:
      g_assert_not_reached ();
    }
  return widget;
}

/* Rebuilding ---------------------------------------------------------------------------- */

static void
update_marking (PqsPreviewPane *self)
{
  static const char * const styles[] = { "success", "warning", "accent", "error" };
  PqsClassification classification = self->standard != NULL
    ? pqs_standard_get_classification (self->standard) : PQS_CLASSIFICATION_UNCLASSIFIED;
  GtkLabel *labels[] = { self->marking_top, self->marking_bottom };
  g_autofree char *accessible = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gtk_label_set_text (labels[i], pqs_classification_get_marking (classification));
      for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
        gtk_widget_remove_css_class (GTK_WIDGET (labels[i]), styles[s]);
      gtk_widget_add_css_class (GTK_WIDGET (labels[i]), styles[MIN (classification, 3)]);
    }

  accessible = g_strdup_printf (self->edition == PQS_PDF_EDITION_QUALIFIER
                                  ? _("Preview of the qualifier edition")
                                  : _("Preview of the trainee edition"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->page), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

/* The standard of the document, when the embedder gave none. */
static void
ensure_standard (PqsPreviewPane *self)
{
  gint64 standard_id;
  g_autoptr(PqsLibrary) library = NULL;

  if (self->standard_given || self->session == NULL || self->document == NULL)
    return;

  standard_id = pqs_document_get_standard_id (self->document);
  if (standard_id <= 0 ||
      (self->standard != NULL && pqs_standard_get_id (self->standard) == standard_id))
    return;

  library = pqs_library_new (pqs_session_get_store (self->session));
  g_clear_object (&self->standard);
  self->standard = pqs_library_load_standard (library, standard_id, NULL);
}

static void
clear_blocks (PqsPreviewPane *self)
{
  for (guint i = 0; i < self->blocks->len; i++)
    gtk_box_remove (self->content, ((Block *) g_ptr_array_index (self->blocks, i))->widget);
  g_ptr_array_set_size (self->blocks, 0);
}

static void
rebuild (PqsPreviewPane *self)
{
  g_autoptr(GPtrArray) specs = NULL;
  GtkWidget *previous = NULL;

  g_clear_handle_id (&self->rebuild_source, g_source_remove);

  if (self->document == NULL)
    {
      clear_blocks (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  ensure_standard (self);
  update_marking (self);
  specs = build_specs (self);

  for (guint i = 0; i < specs->len; i++)
    {
      BlockSpec *spec = g_ptr_array_index (specs, i);
      Block *block = i < self->blocks->len ? g_ptr_array_index (self->blocks, i) : NULL;

      if (block != NULL && g_str_equal (block->key, spec->key))
        {
          previous = block->widget;
          continue;
        }

      if (block == NULL)
        {
          block = g_new0 (Block, 1);
          g_ptr_array_add (self->blocks, block);
        }
      else
        gtk_box_remove (self->content, block->widget);

      g_free (block->key);
      block->key = g_strdup (spec->key);
      block->widget = block_widget_new (spec);
      gtk_box_insert_child_after (self->content, block->widget, previous);
      previous = block->widget;
    }

  while (self->blocks->len > specs->len)
    {
      Block *block = g_ptr_array_index (self->blocks, self->blocks->len - 1);

      gtk_box_remove (self->content, block->widget);
      g_ptr_array_set_size (self->blocks, self->blocks->len - 1);
    }

  gtk_stack_set_visible_child_name (self->stack, "page");
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  PqsPreviewPane *self = data;

  self->rebuild_source = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* After the frame is drawn, once however many edits came before. */
static void
queue_rebuild (PqsPreviewPane *self)
{
  if (self->rebuild_source == 0)
    self->rebuild_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, rebuild_idle_cb, self, NULL);
}

/* Public API -------------------------------------------------------------------------- */

PqsPreviewPane *
pqs_preview_pane_new (void)
{
  return g_object_new (PQS_TYPE_PREVIEW_PANE, NULL);
}

PqsSession *
pqs_preview_pane_get_session (PqsPreviewPane *self)
{
  g_return_val_if_fail (PQS_IS_PREVIEW_PANE (self), NULL);

  return self->session;
}

/**
 * pqs_preview_pane_set_session:
 * @self: a #PqsPreviewPane
 * @session: (nullable): used to look up the standard and the approver
 */
void
pqs_preview_pane_set_session (PqsPreviewPane *self,
                              PqsSession     *session)
{
  g_return_if_fail (PQS_IS_PREVIEW_PANE (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  self->approver_id = 0;
  g_clear_pointer (&self->approver_name, g_free);
  if (!self->standard_given)
    g_clear_object (&self->standard);
  queue_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

PqsStandard *
pqs_preview_pane_get_standard (PqsPreviewPane *self)
{
  g_return_val_if_fail (PQS_IS_PREVIEW_PANE (self), NULL);

  return self->standard;
}

/**
 * pqs_preview_pane_set_standard:
 * @self: a #PqsPreviewPane
 * @standard: (nullable): the document's standard; %NULL to look it up
 *   through the session
 */
void
pqs_preview_pane_set_standard (PqsPreviewPane *self,
                               PqsStandard    *standard)
{
  g_return_if_fail (PQS_IS_PREVIEW_PANE (self));
  g_return_if_fail (standard == NULL || PQS_IS_STANDARD (standard));

  self->standard_given = standard != NULL;
  if (!g_set_object (&self->standard, standard))
    return;

  queue_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STANDARD]);
}

/**
 * pqs_preview_pane_set_document:
 * @self: a #PqsPreviewPane
 * @document: (nullable): the document to show, saved or not
 *
 * Shows @document at the next idle. Call it after every edit: calls before
 * the rebuild cost nothing.
 */
void
pqs_preview_pane_set_document (PqsPreviewPane *self,
                               PqsDocument    *document)
{
  g_return_if_fail (PQS_IS_PREVIEW_PANE (self));
  g_return_if_fail (document == NULL || PQS_IS_DOCUMENT (document));

  queue_rebuild (self);
  if (g_set_object (&self->document, document))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

PqsPdfEdition
pqs_preview_pane_get_edition (PqsPreviewPane *self)
{
  g_return_val_if_fail (PQS_IS_PREVIEW_PANE (self), PQS_PDF_EDITION_TRAINEE);

  return self->edition;
}

void
pqs_preview_pane_set_edition (PqsPreviewPane *self,
                              PqsPdfEdition   edition)
{
  g_return_if_fail (PQS_IS_PREVIEW_PANE (self));
  g_return_if_fail (edition == PQS_PDF_EDITION_TRAINEE || edition == PQS_PDF_EDITION_QUALIFIER);

  if (self->edition == edition)
    return;

  self->edition = edition;
  gtk_toggle_button_set_active (edition == PQS_PDF_EDITION_QUALIFIER ? self->qualifier_button
                                                                     : self->trainee_button,
                                TRUE);
  queue_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITION]);
}

/**
 * pqs_preview_pane_flush:
 * @self: a #PqsPreviewPane
 *
 * Runs a pending rebuild now.
 */
void
pqs_preview_pane_flush (PqsPreviewPane *self)
{
  g_return_if_fail (PQS_IS_PREVIEW_PANE (self));

  if (self->rebuild_source != 0)
    rebuild (self);
}

/* The button that became active says which (the other one's toggle says nothing). */
static void
edition_toggled_cb (PqsPreviewPane  *self,
                    GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    pqs_preview_pane_set_edition (self, button == self->qualifier_button
                                        ? PQS_PDF_EDITION_QUALIFIER : PQS_PDF_EDITION_TRAINEE);
}

/* GObject -------------------------------------------------------------------------------- */

static void
pqs_preview_pane_dispose (GObject *object)
{
  PqsPreviewPane *self = PQS_PREVIEW_PANE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->rebuild_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_PREVIEW_PANE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->document);
  g_clear_object (&self->standard);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_preview_pane_parent_class)->dispose (object);
}

static void
pqs_preview_pane_finalize (GObject *object)
{
  PqsPreviewPane *self = PQS_PREVIEW_PANE (object);

  g_ptr_array_unref (self->blocks);
  g_free (self->approver_name);

  G_OBJECT_CLASS (pqs_preview_pane_parent_class)->finalize (object);
}

static void
pqs_preview_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PqsPreviewPane *self = PQS_PREVIEW_PANE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_STANDARD:
      g_value_set_object (value, self->standard);
      break;
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_EDITION:
      g_value_set_int (value, self->edition);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_preview_pane_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PqsPreviewPane *self = PQS_PREVIEW_PANE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_preview_pane_set_session (self, g_value_get_object (value));
      break;
    case PROP_STANDARD:
      pqs_preview_pane_set_standard (self, g_value_get_object (value));
      break;
    case PROP_DOCUMENT:
      pqs_preview_pane_set_document (self, g_value_get_object (value));
      break;
    case PROP_EDITION:
      pqs_preview_pane_set_edition (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_preview_pane_class_init (PqsPreviewPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_preview_pane_dispose;
  object_class->finalize = pqs_preview_pane_finalize;
  object_class->get_property = pqs_preview_pane_get_property;
  object_class->set_property = pqs_preview_pane_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STANDARD] =
    g_param_spec_object ("standard", NULL, NULL, PQS_TYPE_STANDARD,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, PQS_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A PqsPdfEdition (the model registers no enum type for it). */
  properties[PROP_EDITION] =
    g_param_spec_int ("edition", NULL, NULL, PQS_PDF_EDITION_TRAINEE, PQS_PDF_EDITION_QUALIFIER,
                      PQS_PDF_EDITION_TRAINEE,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-preview-pane.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "pqspreviewpane");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsPreviewPane, name)
  BIND (edition_switcher);
  BIND (trainee_button);
  BIND (qualifier_button);
  BIND (stack);
  BIND (page);
  BIND (marking_top);
  BIND (content);
  BIND (marking_bottom);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, edition_toggled_cb);
}

static void
pqs_preview_pane_init (PqsPreviewPane *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->edition = PQS_PDF_EDITION_TRAINEE;

  gtk_widget_init_template (GTK_WIDGET (self));
  update_marking (self);
}
