/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <pango/pangocairo.h>

#include "pqs-section-row.h"

/**
 * PqsSectionRow:
 *
 * One section document in the standards list: its number, its title with a
 * dimmed line under it, and a status badge, in a single widget. As a search
 * result it shows a dimmed line above the title (where the section is) and
 * the words around the hit under it, the hit in bold, without the number.
 *
 * GTK 4.8's list view keeps up to 200 rows around its anchor and makes them
 * all again after a jump, so a row's cost counts 200 times: the texts here
 * are drawn, not widgets, and are only laid out when painted. The badge
 * stays a label, styled by the theme.
 */

#define MARGIN_X   12
#define MARGIN_Y    8
#define RESULT_MARGIN_Y 10
#define SPACING    12
#define LINE_GAP    2
#define SUBTITLE_SCALE 0.9
#define DIM_ALPHA  0.55

struct _PqsSectionRow
{
  GtkWidget    parent_instance;

  char        *number;
  char        *title;
  char        *subtitle;
  char        *overline;         /* a search result's; NULL for a section's row */
  PangoAttrList *subtitle_attributes;  /* a result's hits */
  GtkWidget   *header;           /* nullable: above the row, its whole width */
  GtkWidget   *badge;
  int          header_height;    /* as allocated */

  PangoLayout *number_layout;
  PangoLayout *title_layout;
  PangoLayout *subtitle_layout;
  PangoLayout *overline_layout;
  guint        context_serial;   /* of the pango context the layouts were made for */
};

G_DEFINE_FINAL_TYPE (PqsSectionRow, pqs_section_row, GTK_TYPE_WIDGET)

/* What the row's font measures, the same for every row. */
typedef struct
{
  guint key;
  int   title_height;
  int   bold_title_height;
  int   subtitle_height;
  int   number_width;
} Metrics;

static PangoAttrList *
number_attributes (void)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum"));
  return attributes;
}

static PangoAttrList *
subtitle_attributes (void)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_scale_new (SUBTITLE_SCALE));
  return attributes;
}

static PangoAttrList *
bold_attributes (void)
{
  PangoAttrList *attributes = pango_attr_list_new ();

  pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  return attributes;
}

/* Rows share their list's pango context: a widget's own is made on its
 * first use, and every row is new after a jump. */
static PangoContext *
get_context (PqsSectionRow *self)
{
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);

  return gtk_widget_get_pango_context (list != NULL ? list : GTK_WIDGET (self));
}

static PangoLayout *
layout_new (PqsSectionRow *self,
            const char    *text,
            PangoAttrList *attributes)
{
  PangoLayout *layout = pango_layout_new (get_context (self));

  pango_layout_set_text (layout, text, -1);

  if (attributes != NULL)
    {
      pango_layout_set_attributes (layout, attributes);
      pango_attr_list_unref (attributes);
    }
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

static const Metrics *
get_metrics (PqsSectionRow *self)
{
  static Metrics metrics;
  PangoContext *context = get_context (self);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  guint key = pango_font_description_hash (font) ^
              (guint) (pango_cairo_context_get_resolution (context) * 1000);
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) bold_title = NULL;
  g_autoptr(PangoLayout) subtitle = NULL;
  g_autoptr(PangoLayout) number = NULL;

  if (metrics.title_height > 0 && metrics.key == key)
    return &metrics;

  title = layout_new (self, "Ag", NULL);
  bold_title = layout_new (self, "Ag", bold_attributes ());
  subtitle = layout_new (self, "Ag", subtitle_attributes ());
  /* Three digits: the widest section number there is. */
  number = layout_new (self, "000", number_attributes ());
  pango_layout_get_pixel_size (title, NULL, &metrics.title_height);
  pango_layout_get_pixel_size (bold_title, NULL, &metrics.bold_title_height);
  pango_layout_get_pixel_size (subtitle, NULL, &metrics.subtitle_height);
  pango_layout_get_pixel_size (number, &metrics.number_width, NULL);
  metrics.key = key;
  return &metrics;
}

static void
clear_layouts (PqsSectionRow *self)
{
  g_clear_object (&self->number_layout);
  g_clear_object (&self->title_layout);
  g_clear_object (&self->subtitle_layout);
  g_clear_object (&self->overline_layout);
}

/* The font or the resolution changed since the layouts were made. */
static void
check_context (PqsSectionRow *self)
{
  guint serial = pango_context_get_serial (get_context (self));

  if (serial == self->context_serial)
    return;
  self->context_serial = serial;
  clear_layouts (self);
}

static void
ensure_layouts (PqsSectionRow *self)
{
  PangoAlignment alignment = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                             ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;

  check_context (self);
  if (self->title_layout != NULL)
    return;

  if (self->overline == NULL)
    {
      self->number_layout = layout_new (self, self->number, number_attributes ());
      self->title_layout = layout_new (self, self->title, NULL);
      self->subtitle_layout = layout_new (self, self->subtitle, subtitle_attributes ());
    }
  else
    {
      self->overline_layout = layout_new (self, self->overline, subtitle_attributes ());
      self->title_layout = layout_new (self, self->title, bold_attributes ());
      self->subtitle_layout = layout_new (self, self->subtitle,
                                          self->subtitle_attributes != NULL
                                          ? pango_attr_list_ref (self->subtitle_attributes)
                                          : NULL);
      pango_layout_set_ellipsize (self->overline_layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (self->overline_layout, alignment);
    }
  pango_layout_set_ellipsize (self->title_layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_ellipsize (self->subtitle_layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (self->title_layout, alignment);
  pango_layout_set_alignment (self->subtitle_layout, alignment);
}

/* A result's three lines; the last only when there are words around a hit. */
static int
result_texts_height (PqsSectionRow *self,
                     const Metrics *metrics)
{
  int height = metrics->subtitle_height + LINE_GAP + metrics->bold_title_height;

  if (*self->subtitle != '\0')
    height += LINE_GAP + metrics->subtitle_height;
  return height;
}

static void
pqs_section_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  PqsSectionRow *self = PQS_SECTION_ROW (widget);
  const Metrics *metrics = get_metrics (self);
  int badge_min = 0;
  int badge_nat = 0;
  int header_min = 0;
  int header_nat = 0;

  gtk_widget_measure (self->badge, orientation, -1, &badge_min, &badge_nat, NULL, NULL);
  if (self->header != NULL && gtk_widget_should_layout (self->header))
    gtk_widget_measure (self->header, orientation, for_size, &header_min, &header_nat,
                        NULL, NULL);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int fixed = 2 * MARGIN_X + 2 * SPACING +
                  (self->overline == NULL ? metrics->number_width : -SPACING);

      /* The title ellipsizes: a few characters at least, more if there is room. */
      *minimum = MAX (header_min, fixed + 4 * metrics->title_height + badge_min);
      *natural = MAX (header_nat, fixed + 24 * metrics->title_height + badge_nat);
    }
  else if (self->overline == NULL)
    {
      int texts = metrics->title_height + LINE_GAP + metrics->subtitle_height;

      *minimum = *natural = header_nat + 2 * MARGIN_Y + MAX (texts, badge_nat);
    }
  else
    {
      int texts = result_texts_height (self, metrics);

      *minimum = *natural = 2 * RESULT_MARGIN_Y + MAX (texts, badge_nat);
    }
}

/* x of a box of @width at @x from the start edge, in the row's direction. */
static int
flip (PqsSectionRow *self,
      int            x,
      int            width)
{
  if (gtk_widget_get_direction (GTK_WIDGET (self)) != GTK_TEXT_DIR_RTL)
    return x;
  return gtk_widget_get_width (GTK_WIDGET (self)) - x - width;
}

static void
pqs_section_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  PqsSectionRow *self = PQS_SECTION_ROW (widget);
  GtkAllocation allocation;
  int badge_height = 0;

  self->header_height = 0;
  if (self->header != NULL && gtk_widget_should_layout (self->header))
    {
      gtk_widget_measure (self->header, GTK_ORIENTATION_VERTICAL, width, NULL,
                          &self->header_height, NULL, NULL);
      self->header_height = MIN (self->header_height, height);
      gtk_widget_size_allocate (self->header,
                                &(GtkAllocation) { 0, 0, width, self->header_height }, -1);
    }
  height -= self->header_height;

  gtk_widget_measure (self->badge, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &allocation.width,
                      NULL, NULL);
  gtk_widget_measure (self->badge, GTK_ORIENTATION_VERTICAL, allocation.width, NULL,
                      &badge_height, NULL, NULL);
  allocation.height = MIN (badge_height, height);
  allocation.x = flip (self, width - MARGIN_X - allocation.width, allocation.width);
  allocation.y = self->header_height + (height - allocation.height) / 2;
  gtk_widget_size_allocate (self->badge, &allocation, -1);
}

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               int            x,
               int            y,
               const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
pqs_section_row_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  PqsSectionRow *self = PQS_SECTION_ROW (widget);
  const Metrics *metrics = get_metrics (self);
  int width = gtk_widget_get_width (widget);
  int top = self->header_height;
  int height = gtk_widget_get_height (widget) - top;
  int texts_x = MARGIN_X + (self->overline == NULL ? metrics->number_width + SPACING : 0);
  int texts_end = width - MARGIN_X - SPACING;
  int texts_height = self->overline == NULL
                     ? metrics->title_height + LINE_GAP + metrics->subtitle_height
                     : result_texts_height (self, metrics);
  int y = top + (height - texts_height) / 2;
  int texts_width;
  GdkRGBA color;
  GdkRGBA dim;

  if (gtk_widget_should_layout (self->badge))
    texts_end -= gtk_widget_get_width (self->badge);

  ensure_layouts (self);
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
#endif
G_GNUC_END_IGNORE_DEPRECATIONS
  dim = color;
  dim.alpha *= DIM_ALPHA;

  if (self->number_layout != NULL)
    {
      int number_width;
      int number_height;

      pango_layout_get_pixel_size (self->number_layout, &number_width, &number_height);
      append_layout (snapshot, self->number_layout,
                     flip (self, MARGIN_X, number_width), top + (height - number_height) / 2,
                     &color);
    }

  texts_width = texts_end - texts_x;
  if (texts_width > 0)
    {
      int x = flip (self, texts_x, texts_width);

      pango_layout_set_width (self->title_layout, texts_width * PANGO_SCALE);
      pango_layout_set_width (self->subtitle_layout, texts_width * PANGO_SCALE);
      if (self->overline_layout != NULL)
        {
          pango_layout_set_width (self->overline_layout, texts_width * PANGO_SCALE);
          append_layout (snapshot, self->overline_layout, x, y, &dim);
          y += metrics->subtitle_height + LINE_GAP;
          append_layout (snapshot, self->title_layout, x, y, &color);
          y += metrics->bold_title_height + LINE_GAP;
          append_layout (snapshot, self->subtitle_layout, x, y, &color);
        }
      else
        {
          append_layout (snapshot, self->title_layout, x, y, &color);
          append_layout (snapshot, self->subtitle_layout, x,
                         y + metrics->title_height + LINE_GAP, &dim);
        }
    }

  if (self->header != NULL)
    gtk_widget_snapshot_child (widget, self->header, snapshot);
  gtk_widget_snapshot_child (widget, self->badge, snapshot);
}

static void
pqs_section_row_direction_changed (GtkWidget        *widget,
                                   GtkTextDirection  previous)
{
  clear_layouts (PQS_SECTION_ROW (widget));
  gtk_widget_queue_resize (widget);
}

static void
pqs_section_row_dispose (GObject *object)
{
  PqsSectionRow *self = PQS_SECTION_ROW (object);

  g_clear_pointer (&self->header, gtk_widget_unparent);
  g_clear_pointer (&self->badge, gtk_widget_unparent);
  clear_layouts (self);

  G_OBJECT_CLASS (pqs_section_row_parent_class)->dispose (object);
}

static void
pqs_section_row_finalize (GObject *object)
{
  PqsSectionRow *self = PQS_SECTION_ROW (object);

  g_free (self->number);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->overline);
  g_clear_pointer (&self->subtitle_attributes, pango_attr_list_unref);

  G_OBJECT_CLASS (pqs_section_row_parent_class)->finalize (object);
}

static void
pqs_section_row_class_init (PqsSectionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_section_row_dispose;
  object_class->finalize = pqs_section_row_finalize;

  widget_class->measure = pqs_section_row_measure;
  widget_class->size_allocate = pqs_section_row_size_allocate;
  widget_class->snapshot = pqs_section_row_snapshot;
  widget_class->direction_changed = pqs_section_row_direction_changed;

  gtk_widget_class_set_css_name (widget_class, "pqs-section-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pqs_section_row_init (PqsSectionRow *self)
{
  self->number = g_strdup ("");
  self->title = g_strdup ("");
  self->subtitle = g_strdup ("");
  self->badge = gtk_label_new (NULL);
  gtk_widget_set_parent (self->badge, GTK_WIDGET (self));
}

/**
 * pqs_section_row_new:
 *
 * Returns: (transfer floating): a new, empty row
 */
GtkWidget *
pqs_section_row_new (void)
{
  return g_object_new (PQS_TYPE_SECTION_ROW, NULL);
}

static gboolean
replace (char       **field,
         const char  *text)
{
  if (text == NULL)
    text = "";
  if (g_strcmp0 (*field, text) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (text);
  return TRUE;
}

/**
 * pqs_section_row_set_texts:
 * @self: a #PqsSectionRow
 * @number: (nullable): the section number
 * @title: (nullable): the title
 * @subtitle: (nullable): the dimmed line under the title
 *
 * Sets what the row shows; %NULL shows nothing.
 */
void
pqs_section_row_set_texts (PqsSectionRow *self,
                           const char    *number,
                           const char    *title,
                           const char    *subtitle)
{
  gboolean changed = FALSE;

  g_return_if_fail (PQS_IS_SECTION_ROW (self));

  changed |= replace (&self->number, number);
  changed |= replace (&self->title, title);
  changed |= replace (&self->subtitle, subtitle);
  if (self->overline != NULL)
    {
      g_clear_pointer (&self->overline, g_free);
      g_clear_pointer (&self->subtitle_attributes, pango_attr_list_unref);
      clear_layouts (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      return;
    }
  if (!changed)
    return;

  /* The height does not depend on the texts: only a new picture. */
  clear_layouts (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * pqs_section_row_set_result:
 * @self: a #PqsSectionRow
 * @overline: where the result is, shown dimmed above the title
 * @title: the title, in bold
 * @snippet_markup: (nullable): the words around the hit, as Pango markup
 *   (the hit in `<b>`); %NULL or "" for none
 *
 * Shows a search result instead of a section's row.
 */
void
pqs_section_row_set_result (PqsSectionRow *self,
                            const char    *overline,
                            const char    *title,
                            const char    *snippet_markup)
{
  g_autoptr(PangoAttrList) attributes = NULL;
  g_autofree char *snippet = NULL;
  gboolean had_snippet;

  g_return_if_fail (PQS_IS_SECTION_ROW (self));

  if (snippet_markup != NULL &&
      !pango_parse_markup (snippet_markup, -1, 0, &attributes, &snippet, NULL, NULL))
    g_clear_pointer (&attributes, pango_attr_list_unref);

  had_snippet = self->overline != NULL && *self->subtitle != '\0';
  replace (&self->overline, overline);
  replace (&self->number, NULL);
  replace (&self->title, title);
  replace (&self->subtitle, snippet);
  g_clear_pointer (&self->subtitle_attributes, pango_attr_list_unref);
  self->subtitle_attributes = g_steal_pointer (&attributes);

  clear_layouts (self);
  if (had_snippet != (*self->subtitle != '\0'))
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * pqs_section_row_get_overline:
 * @self: a #PqsSectionRow
 *
 * Returns: (nullable): the line above a search result's title, or %NULL
 */
const char *
pqs_section_row_get_overline (PqsSectionRow *self)
{
  g_return_val_if_fail (PQS_IS_SECTION_ROW (self), NULL);

  return self->overline;
}

/**
 * pqs_section_row_get_subtitle_attributes:
 * @self: a #PqsSectionRow
 *
 * Returns: (transfer none) (nullable): how a search result's snippet is
 *   marked up (its hits in bold), or %NULL
 */
PangoAttrList *
pqs_section_row_get_subtitle_attributes (PqsSectionRow *self)
{
  g_return_val_if_fail (PQS_IS_SECTION_ROW (self), NULL);

  return self->subtitle_attributes;
}

const char *
pqs_section_row_get_number (PqsSectionRow *self)
{
  g_return_val_if_fail (PQS_IS_SECTION_ROW (self), NULL);

  return self->number;
}

const char *
pqs_section_row_get_title (PqsSectionRow *self)
{
  g_return_val_if_fail (PQS_IS_SECTION_ROW (self), NULL);

  return self->title;
}

const char *
pqs_section_row_get_subtitle (PqsSectionRow *self)
{
  g_return_val_if_fail (PQS_IS_SECTION_ROW (self), NULL);

  return self->subtitle;
}

/**
 * pqs_section_row_set_header:
 * @self: a #PqsSectionRow
 * @header: (nullable): a widget to show above the row, the row's width
 *
 * Puts @header above the row (a standard's band in the list, say); the
 * row's visible height grows by the header's when it is visible.
 */
void
pqs_section_row_set_header (PqsSectionRow *self,
                            GtkWidget     *header)
{
  g_return_if_fail (PQS_IS_SECTION_ROW (self));
  g_return_if_fail (header == NULL || GTK_IS_WIDGET (header));

  if (self->header == header)
    return;
  g_clear_pointer (&self->header, gtk_widget_unparent);
  if (header != NULL)
    {
      self->header = header;
      /* First: before the badge for the focus and a screen reader. */
      gtk_widget_insert_after (header, GTK_WIDGET (self), NULL);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * pqs_section_row_get_badge:
 * @self: a #PqsSectionRow
 *
 * Returns: (transfer none): the status badge, a label the caller fills
 */
GtkLabel *
pqs_section_row_get_badge (PqsSectionRow *self)
{
  g_return_val_if_fail (PQS_IS_SECTION_ROW (self), NULL);

  return GTK_LABEL (self->badge);
}
