/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-outline-editor.h"

/**
 * PqsOutlineEditor:
 *
 * The line items of a section document, in order, one expander row each:
 * the item's outline number ("1.", "1.a", "1.a.(1)") indented by its level,
 * its text and kind; opened, its text, the expected answer and the
 * scoring criteria (for questions), and buttons to change its level, move
 * it and delete it.
 *
 * Items are added after the current one (the row last focused); indenting
 * makes an item the last child of the item before it and outdenting puts
 * it after its parent, a question becoming a sub-question and a
 * sub-question a second-level one and back. An item moves with its
 * children: by Alt+Up / Alt+Down among its siblings, or dragged onto
 * another row (above or below it, at its level). Each edit keeps the rules
 * of pqs-outline.h or is refused with a sentence. A deletion can be undone
 * from its toast.
 *
 * Signals: "changed" for every edit; "add-toast" (an #AdwToast) for
 * deletions (with Undo) and refusals.
 */

typedef struct
{
  PqsOutlineItem *item;
  gboolean        expanded;

  /* The row showing it, until the next rebuild. */
  GtkWidget      *row;
  GtkWidget      *number_label;
  GtkWidget      *text_row;
  GtkWidget      *answer_row;
  GtkWidget      *criteria_row;
  gboolean        populated;
} EditItem;

/* What a deletion took, to put it back. */
typedef struct
{
  GPtrArray *items;       /* EditItem */
  guint      index;
  guint      generation;
} Removed;

struct _PqsOutlineEditor
{
  GtkWidget       parent_instance;

  GtkBox         *box;
  GtkMenuButton  *add_button;
  GtkLabel       *description_label;
  GtkListBox     *list_box;

  GPtrArray      *items;          /* EditItem */
  int             current;        /* -1 when none */
  guint           generation;     /* a new outline forgets old undos */
  gboolean        editable;
  gboolean        rebuilding;

  GtkWidget      *pending_focus;  /* weak: focused once the Add Item menu has closed */
  guint           focus_source;   /* tick callback */
  guint           focus_ticks;
};

G_DEFINE_FINAL_TYPE (PqsOutlineEditor, pqs_outline_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (PqsOutlineEditor *self, int focus);

static void
edit_item_free (gpointer data)
{
  EditItem *e = data;

  pqs_outline_item_free (e->item);
  g_free (e);
}

static EditItem *
edit_item_new (PqsOutlineItem *item)
{
  EditItem *e = g_new0 (EditItem, 1);

  e->item = item;
  return e;
}

static void
removed_free (Removed *removed)
{
  g_ptr_array_unref (removed->items);
  g_free (removed);
}

static EditItem *
get (PqsOutlineEditor *self,
     guint             index)
{
  return g_ptr_array_index (self->items, index);
}

static guint
depth_of (GPtrArray *items,
          guint      index)
{
  return ((EditItem *) g_ptr_array_index (items, index))->item->depth;
}

static gboolean
is_question_like (PqsItemKind kind)
{
  return kind == PQS_ITEM_QUESTION || kind == PQS_ITEM_SUB_QUESTION ||
         kind == PQS_ITEM_SECOND_LEVEL;
}

static void
emit_changed (PqsOutlineEditor *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
emit_toast (PqsOutlineEditor *self,
            AdwToast         *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, PQS_OUTLINE_ERROR, PQS_OUTLINE_ERROR_INVALID, message);
  return FALSE;
}

/* The structure ------------------------------------------------------------------ */

/* One past the last descendant of @index. */
static guint
subtree_end (GPtrArray *items,
             guint      index)
{
  guint depth = depth_of (items, index);
  guint end = index + 1;

  while (end < items->len && depth_of (items, end) > depth)
    end++;
  return end;
}

static int
previous_sibling (GPtrArray *items,
                  guint      index)
{
  guint depth = depth_of (items, index);

  for (int i = (int) index - 1; i >= 0; i--)
    {
      if (depth_of (items, i) == depth)
        return i;
      if (depth_of (items, i) < depth)
        return -1;
    }
  return -1;
}

static int
parent_of (GPtrArray *items,
           guint      index)
{
  guint depth = depth_of (items, index);

  for (int i = (int) index - 1; i >= 0; i--)
    if (depth_of (items, i) < depth)
      return i;
  return -1;
}

/* The placement rules of pqs-outline.h, without the ones on texts (an item
 * just added has none yet: saving says so). */
static gboolean
check_structure (GPtrArray  *items,
                 GError    **error)
{
  PqsItemKind parents[PQS_OUTLINE_MAX_DEPTH + 1] = { 0, };
  guint previous_depth = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const PqsOutlineItem *item = ((EditItem *) g_ptr_array_index (items, i))->item;
      guint depth = item->depth;

      if (depth > PQS_OUTLINE_MAX_DEPTH || (i == 0 && depth > 0) ||
          (i > 0 && depth > previous_depth + 1))
        return refuse (error, _("Line items go at most three levels deep: a question, its "
                                "sub-questions and their second-level sub-questions."));

      if (depth == 0)
        {
          if (item->kind == PQS_ITEM_SUB_QUESTION || item->kind == PQS_ITEM_SECOND_LEVEL)
            return refuse (error, _("A sub-question goes under a question."));
        }
      else
        {
          PqsItemKind parent = parents[depth - 1];
          PqsItemKind container = depth == 1 ? PQS_ITEM_QUESTION : PQS_ITEM_SUB_QUESTION;

          if (parent != container)
            return refuse (error, _("Nothing goes under a text, a signature line or a "
                                    "second-level sub-question."));
          if (item->kind == PQS_ITEM_QUESTION)
            return refuse (error, _("A question stays at the top level."));
          if (depth == 1 && item->kind == PQS_ITEM_SECOND_LEVEL)
            return refuse (error, _("A second-level sub-question goes under a sub-question."));
          if (depth == 2 && item->kind == PQS_ITEM_SUB_QUESTION)
            return refuse (error, _("A sub-question goes directly under a question."));
        }

      parents[depth] = item->kind;
      previous_depth = depth;
    }

  return TRUE;
}

static PqsItemKind
kind_at_depth (PqsItemKind kind,
               guint       depth)
{
  if (!is_question_like (kind))
    return kind;
  switch (depth)
    {
    case 0:
      return PQS_ITEM_QUESTION;
    case 1:
      return PQS_ITEM_SUB_QUESTION;
    default:
      return PQS_ITEM_SECOND_LEVEL;
    }
}

/* Moves the items [@start, @end) to position @position of the others, at
 * @depth (their children following), if the result keeps the rules. The
 * index of the moved item afterwards goes to @out_index. */
static gboolean
move_block (PqsOutlineEditor  *self,
            guint              start,
            guint              end,
            guint              position,
            int                depth,
            guint             *out_index,
            GError           **error)
{
  GPtrArray *items = self->items;
  g_autoptr(GPtrArray) result = g_ptr_array_new_full (items->len, edit_item_free);
  g_autofree guint *old_depths = g_new (guint, end - start);
  g_autofree PqsItemKind *old_kinds = g_new (PqsItemKind, end - start);
  int delta = depth - (int) depth_of (items, start);
  guint n_rest = 0;

  if (depth < 0)
    return refuse (error, _("The item is at the top level already."));

  for (guint i = start; i < end; i++)
    {
      PqsOutlineItem *item = get (self, i)->item;
      int new_depth = (int) item->depth + delta;

      old_depths[i - start] = item->depth;
      old_kinds[i - start] = item->kind;
      item->depth = (guint) MAX (new_depth, 0);
      item->kind = kind_at_depth (item->kind, item->depth);
    }

  /* The others in order, the block going in at @position among them. */
  for (guint i = 0; i < items->len; i++)
    {
      if (i >= start && i < end)
        continue;
      if (n_rest == position)
        {
          *out_index = result->len;
          for (guint j = start; j < end; j++)
            g_ptr_array_add (result, g_ptr_array_index (items, j));
        }
      g_ptr_array_add (result, g_ptr_array_index (items, i));
      n_rest++;
    }
  if (n_rest == position && result->len < items->len)
    {
      *out_index = result->len;
      for (guint j = start; j < end; j++)
        g_ptr_array_add (result, g_ptr_array_index (items, j));
    }
  g_assert (result->len == items->len);

  if (!check_structure (result, error))
    {
      for (guint i = start; i < end; i++)
        {
          get (self, i)->item->depth = old_depths[i - start];
          get (self, i)->item->kind = old_kinds[i - start];
        }
      /* The items stay the editor's. */
      g_ptr_array_set_free_func (result, NULL);
      return FALSE;
    }

  g_ptr_array_set_free_func (self->items, NULL);
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&result);
  return TRUE;
}

/* Numbers -------------------------------------------------------------------------- */

/* 1 → "a", 26 → "z", 27 → "aa", as pqs_document_render_canonical() writes them. */
static void
append_letters (GString *out,
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
  g_string_append (out, buffer + i);
}

/* The numbers of all items: "1.", "1.a", "1.a.(1)"; "" for texts and signatures. */
static GPtrArray *
compute_numbers (GPtrArray *items)
{
  GPtrArray *numbers = g_ptr_array_new_full (items->len, g_free);
  guint question = 0, sub = 0, second = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const PqsOutlineItem *item = ((EditItem *) g_ptr_array_index (items, i))->item;
      GString *number = g_string_new (NULL);

      switch (item->kind)
        {
        case PQS_ITEM_QUESTION:
          question++;
          sub = second = 0;
          g_string_append_printf (number, "%u.", question);
          break;
        case PQS_ITEM_SUB_QUESTION:
          sub++;
          second = 0;
          g_string_append_printf (number, "%u.", question);
          append_letters (number, sub);
          break;
        case PQS_ITEM_SECOND_LEVEL:
          second++;
          g_string_append_printf (number, "%u.", question);
          append_letters (number, sub);
          g_string_append_printf (number, ".(%u)", second);
          break;
        case PQS_ITEM_TEXT:
        case PQS_ITEM_SIGNATURE:
        default:
          break;
        }
      g_ptr_array_add (numbers, g_string_free (number, FALSE));
    }
  return numbers;
}

/* Rows ------------------------------------------------------------------------------- */

static guint
row_index (GtkWidget *row)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "pqs-index"));
}

static PqsOutlineEditor *
row_editor (GtkWidget *row)
{
  return PQS_OUTLINE_EDITOR (gtk_widget_get_ancestor (row, PQS_TYPE_OUTLINE_EDITOR));
}

static const char *
text_title (EditItem *e)
{
  if (e->item->text != NULL && *e->item->text != '\0')
    return e->item->text;
  if (e->item->kind == PQS_ITEM_SIGNATURE)
    return _("Signature line");
  return _("No text yet");
}

static void
update_title (EditItem *e)
{
  /* One line in the title: the full text is in the row below. */
  g_autofree char *title = g_strdup (text_title (e));

  g_strdelimit (title, "\n\r\t", ' ');
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (e->row), title);
}

static void
part_changed_cb (GtkEditable *editable,
                 EditItem    *e)
{
  PqsOutlineEditor *self = row_editor (e->row);
  const char *part = g_object_get_data (G_OBJECT (editable), "pqs-part");
  const char *text = gtk_editable_get_text (editable);
  char **target;

  if (self == NULL || self->rebuilding)
    return;

  if (g_str_equal (part, "text"))
    target = &e->item->text;
  else if (g_str_equal (part, "answer"))
    target = &e->item->answer;
  else
    target = &e->item->criteria;

  if (g_strcmp0 (*target, text) == 0)
    return;
  g_free (*target);
  /* An empty answer or criteria is none. */
  *target = (*text == '\0' && target != &e->item->text) ? NULL : g_strdup (text);
  if (target == &e->item->text)
    update_title (e);
  emit_changed (self);
}

static GtkWidget *
part_row_new (PqsOutlineEditor *self,
              EditItem         *e,
              const char       *part,
              const char       *title,
              const char       *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_editable_set_editable (GTK_EDITABLE (row), self->editable);
  g_object_set_data (G_OBJECT (row), "pqs-part", (gpointer) part);
  g_signal_connect (row, "changed", G_CALLBACK (part_changed_cb), e);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (e->row), row);
  return row;
}

static GtkWidget *
tool_button_new (const char *icon_name,
                 const char *label,
                 const char *action_name,
                 guint       index)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", (gint32) index);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* The content of an opened row, made when it is first opened. */
static void
populate (PqsOutlineEditor *self,
          guint             index)
{
  EditItem *e = get (self, index);
  GtkWidget *tools_row;
  GtkWidget *tools;
  GtkWidget *delete_button;
  const char *text_label;

  if (e->populated || e->row == NULL)
    return;
  e->populated = TRUE;

  switch (e->item->kind)
    {
    case PQS_ITEM_SIGNATURE:
      text_label = _("Caption");
      break;
    case PQS_ITEM_TEXT:
      text_label = _("Text");
      break;
    default:
      text_label = _("Question");
      break;
    }
  e->text_row = part_row_new (self, e, "text", text_label, e->item->text);
  if (is_question_like (e->item->kind))
    {
      e->answer_row = part_row_new (self, e, "answer", _("Answer"), e->item->answer);
      e->criteria_row = part_row_new (self, e, "criteria", _("Criteria"), e->item->criteria);
    }

  tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (tools, 6);
  gtk_widget_set_margin_bottom (tools, 6);
  gtk_widget_set_margin_start (tools, 6);
  gtk_widget_set_margin_end (tools, 6);
  gtk_box_append (GTK_BOX (tools), tool_button_new ("format-indent-less-symbolic",
                                                    _("Outdent (Shift+Tab)"),
                                                    "outline.outdent", index));
  gtk_box_append (GTK_BOX (tools), tool_button_new ("format-indent-more-symbolic",
                                                    _("Indent (Tab)"),
                                                    "outline.indent", index));
  gtk_box_append (GTK_BOX (tools), tool_button_new ("go-up-symbolic", _("Move Up (Alt+↑)"),
                                                    "outline.move-up", index));
  gtk_box_append (GTK_BOX (tools), tool_button_new ("go-down-symbolic", _("Move Down (Alt+↓)"),
                                                    "outline.move-down", index));
  delete_button = tool_button_new ("user-trash-symbolic", _("Delete Item"), "outline.delete",
                                   index);
  gtk_widget_set_hexpand (delete_button, TRUE);
  gtk_widget_set_halign (delete_button, GTK_ALIGN_END);
  gtk_widget_add_css_class (delete_button, "error");
  gtk_box_append (GTK_BOX (tools), delete_button);

  tools_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (tools_row), tools);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (tools_row), FALSE);
  gtk_widget_set_focusable (tools_row, FALSE);
  gtk_widget_set_visible (tools_row, self->editable);
  g_object_set_data (G_OBJECT (e->row), "pqs-tools-row", tools_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (e->row), tools_row);
}

static void
expanded_cb (AdwExpanderRow *row,
             GParamSpec     *pspec,
             EditItem       *e)
{
  PqsOutlineEditor *self = row_editor (GTK_WIDGET (row));

  e->expanded = adw_expander_row_get_expanded (row);
  if (e->expanded && self != NULL)
    populate (self, row_index (GTK_WIDGET (row)));
}

static void
focus_enter_cb (GtkEventControllerFocus *controller,
                GtkWidget               *row)
{
  PqsOutlineEditor *self = row_editor (row);

  if (self != NULL && !self->rebuilding)
    self->current = (int) row_index (row);
}

/* Drag and drop ---------------------------------------------------------------------- */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  PqsOutlineEditor *self = row_editor (row);

  if (self == NULL || !self->editable)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_UINT, row_index (row));
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, paintable, 0, 0);
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                GtkWidget     *row)
{
  PqsOutlineEditor *self = row_editor (row);

  if (self == NULL || !self->editable)
    return 0;
  gtk_list_box_drag_highlight_row (self->list_box, GTK_LIST_BOX_ROW (row));
  return GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget *target,
               GtkWidget     *row)
{
  PqsOutlineEditor *self = row_editor (row);

  if (self != NULL)
    gtk_list_box_drag_unhighlight_row (self->list_box);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkWidget     *row)
{
  PqsOutlineEditor *self = row_editor (row);
  g_autoptr(GError) error = NULL;
  /* Over the lower half of the row's heading: after it. */
  gboolean after = y > MIN (gtk_widget_get_height (row), 48) / 2.0;

  if (self == NULL || !self->editable || !G_VALUE_HOLDS_UINT (value))
    return FALSE;
  gtk_list_box_drag_unhighlight_row (self->list_box);

  if (!pqs_outline_editor_move_to (self, g_value_get_uint (value), row_index (row), after,
                                   &error))
    {
      emit_toast (self, adw_toast_new (error->message));
      return FALSE;
    }
  return TRUE;
}

static GtkWidget *
row_new (PqsOutlineEditor *self,
         guint             index,
         const char       *number)
{
  EditItem *e = get (self, index);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  GtkWidget *label = gtk_label_new (number);
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_UINT, GDK_ACTION_MOVE);
  GtkEventController *focus = gtk_event_controller_focus_new ();

  e->row = row;
  e->populated = FALSE;
  e->text_row = e->answer_row = e->criteria_row = NULL;
  g_object_set_data (G_OBJECT (row), "pqs-index", GUINT_TO_POINTER (index));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  update_title (e);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), pqs_item_kind_get_label (e->item->kind));

  gtk_widget_add_css_class (handle, "dim-label");
  gtk_widget_set_visible (handle, self->editable);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), handle);

  /* The level shows as the indent of the number. */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_widget_set_margin_start (label, 14 * (int) e->item->depth);
  gtk_widget_add_css_class (label, "numeric");
  if (e->item->depth == 0)
    gtk_widget_add_css_class (label, "heading");
  e->number_label = label;
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), label);

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), row);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (drop, "motion", G_CALLBACK (drop_motion_cb), row);
  g_signal_connect (drop, "enter", G_CALLBACK (drop_motion_cb), row);
  g_signal_connect (drop, "leave", G_CALLBACK (drop_leave_cb), row);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (drop));
  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter_cb), row);
  gtk_widget_add_controller (row, focus);

  if (e->expanded)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      populate (self, index);
    }
  g_signal_connect (row, "notify::expanded", G_CALLBACK (expanded_cb), e);
  return row;
}

/* Focuses @row's heading, where Tab and the arrows act on the item. */
static void
focus_row (GtkWidget *row)
{
  GtkWidget *child;

  /* The heading is the first focusable row inside the expander row. */
  for (child = gtk_widget_get_first_child (row); child != NULL;
       child = gtk_widget_get_first_child (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_focusable (child))
      {
        gtk_widget_grab_focus (child);
        return;
      }
  gtk_widget_grab_focus (row);
}

static void
rebuild (PqsOutlineEditor *self,
         int               focus)
{
  g_autoptr(GPtrArray) numbers = compute_numbers (self->items);
  GtkWidget *child;

  self->rebuilding = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  for (guint i = 0; i < self->items->len; i++)
    gtk_list_box_append (self->list_box, row_new (self, i, g_ptr_array_index (numbers, i)));
  self->rebuilding = FALSE;

  if (self->current >= (int) self->items->len)
    self->current = (int) self->items->len - 1;
  if (focus >= 0 && focus < (int) self->items->len)
    {
      self->current = focus;
      focus_row (get (self, focus)->row);
    }
}

/* Keys --------------------------------------------------------------------------------- */

/* The item whose row holds the focus, and whether the focus is on its heading. */
static int
focused_item (PqsOutlineEditor *self,
              gboolean         *on_heading)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  *on_heading = FALSE;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_box)))
    return -1;

  row = focus;
  while (row != NULL && gtk_widget_get_parent (row) != GTK_WIDGET (self->list_box))
    row = gtk_widget_get_parent (row);
  if (row == NULL)
    return -1;

  /* The heading is an action row of the expander row itself, not a row
   * of its content (entries, buttons). */
  *on_heading = focus == row ||
                (ADW_IS_ACTION_ROW (focus) &&
                 gtk_widget_get_ancestor (focus, ADW_TYPE_EXPANDER_ROW) == row);
  return (int) row_index (row);
}

static void
report (PqsOutlineEditor *self,
        GError           *error)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  emit_toast (self, adw_toast_new (error->message));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PqsOutlineEditor      *self)
{
  g_autoptr(GError) error = NULL;
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  gboolean on_heading;
  gboolean ok;
  int index;

  if (!self->editable)
    return GDK_EVENT_PROPAGATE;
  index = focused_item (self, &on_heading);
  if (index < 0)
    return GDK_EVENT_PROPAGATE;

  if (mods == GDK_ALT_MASK && (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up))
    ok = pqs_outline_editor_move_up (self, index, &error);
  else if (mods == GDK_ALT_MASK && (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down))
    ok = pqs_outline_editor_move_down (self, index, &error);
  else if (on_heading && mods == 0 && keyval == GDK_KEY_Tab)
    ok = pqs_outline_editor_indent (self, index, &error);
  else if (on_heading && (keyval == GDK_KEY_ISO_Left_Tab ||
                          (mods == GDK_SHIFT_MASK && keyval == GDK_KEY_Tab)))
    ok = pqs_outline_editor_outdent (self, index, &error);
  else if (on_heading && mods == 0 && keyval == GDK_KEY_Delete)
    ok = pqs_outline_editor_delete_item (self, index, &error);
  else
    return GDK_EVENT_PROPAGATE;

  if (!ok)
    report (self, error);
  return GDK_EVENT_STOP;
}

/* Edits -------------------------------------------------------------------------------- */

static gboolean
finish_edit (PqsOutlineEditor *self,
             guint             focus)
{
  rebuild (self, (int) focus);
  emit_changed (self);
  return TRUE;
}

static gboolean
check_index (PqsOutlineEditor  *self,
             guint              index,
             GError           **error)
{
  if (!self->editable)
    return refuse (error, _("This document cannot be changed."));
  if (index >= self->items->len)
    return refuse (error, _("There is no such line item."));
  return TRUE;
}

gboolean
pqs_outline_editor_indent (PqsOutlineEditor  *self,
                           guint              index,
                           GError           **error)
{
  guint moved;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  if (previous_sibling (self->items, index) < 0)
    return refuse (error, _("The first item of a level has nothing to go under."));
  if (!move_block (self, index, subtree_end (self->items, index), index,
                   (int) depth_of (self->items, index) + 1, &moved, error))
    return FALSE;
  return finish_edit (self, moved);
}

gboolean
pqs_outline_editor_outdent (PqsOutlineEditor  *self,
                            guint              index,
                            GError           **error)
{
  guint end, parent_end, moved;
  int parent;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  parent = parent_of (self->items, index);
  if (parent < 0)
    return refuse (error, _("The item is at the top level already."));

  /* After its parent and the parent's other children. */
  end = subtree_end (self->items, index);
  parent_end = subtree_end (self->items, parent);
  if (!move_block (self, index, end, parent_end - (end - index),
                   (int) depth_of (self->items, index) - 1, &moved, error))
    return FALSE;
  return finish_edit (self, moved);
}

gboolean
pqs_outline_editor_move_up (PqsOutlineEditor  *self,
                            guint              index,
                            GError           **error)
{
  guint moved;
  int previous;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  previous = previous_sibling (self->items, index);
  if (previous < 0)
    return refuse (error, _("The item is the first of its level already."));
  if (!move_block (self, index, subtree_end (self->items, index), (guint) previous,
                   (int) depth_of (self->items, index), &moved, error))
    return FALSE;
  return finish_edit (self, moved);
}

gboolean
pqs_outline_editor_move_down (PqsOutlineEditor  *self,
                              guint              index,
                              GError           **error)
{
  guint end, next_end, moved;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;
  end = subtree_end (self->items, index);
  if (end >= self->items->len || depth_of (self->items, end) != depth_of (self->items, index))
    return refuse (error, _("The item is the last of its level already."));
  next_end = subtree_end (self->items, end);
  if (!move_block (self, index, end, index + (next_end - end),
                   (int) depth_of (self->items, index), &moved, error))
    return FALSE;
  return finish_edit (self, moved);
}

/**
 * pqs_outline_editor_move_to:
 * @self: a #PqsOutlineEditor
 * @index: the item to move, with its children
 * @target: the item it is dropped on
 * @after: %TRUE to put it after @target (and its children), %FALSE before
 * @error: return location for a #GError
 *
 * Moves an item to the level of @target, as a drop does.
 *
 * Returns: %TRUE if the item moved
 */
gboolean
pqs_outline_editor_move_to (PqsOutlineEditor  *self,
                            guint              index,
                            guint              target,
                            gboolean           after,
                            GError           **error)
{
  guint end, position, moved, length;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!check_index (self, index, error) || !check_index (self, target, error))
    return FALSE;
  end = subtree_end (self->items, index);
  if (target == index)
    return TRUE;
  if (target > index && target < end)
    return refuse (error, _("An item cannot go under itself."));

  length = end - index;
  position = after ? subtree_end (self->items, target) : target;
  if (position > index)
    position -= length;
  if (!move_block (self, index, end, position, (int) depth_of (self->items, target), &moved,
                   error))
    return FALSE;
  return finish_edit (self, moved);
}

static void
undo_clicked_cb (AdwToast         *toast,
                 PqsOutlineEditor *self)
{
  Removed *removed = g_object_get_data (G_OBJECT (toast), "pqs-removed");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  guint index;

  if (removed == NULL || removed->generation != self->generation || !self->editable)
    return;

  /* Put back where it was; if the outline changed so that it no longer
   * fits there, say so. */
  index = MIN (removed->index, self->items->len);
  before = g_ptr_array_copy (self->items, NULL, NULL);
  g_ptr_array_set_free_func (before, NULL);
  for (guint i = 0; i < removed->items->len; i++)
    g_ptr_array_insert (self->items, (int) (index + i), g_ptr_array_index (removed->items, i));
  if (!check_structure (self->items, &error))
    {
      g_ptr_array_set_free_func (self->items, NULL);
      g_ptr_array_unref (self->items);
      g_ptr_array_set_free_func (before, edit_item_free);
      self->items = g_steal_pointer (&before);
      report (self, error);
      return;
    }

  /* The items are the editor's again. */
  g_ptr_array_set_free_func (removed->items, NULL);
  g_object_set_data (G_OBJECT (toast), "pqs-removed", NULL);
  finish_edit (self, index);
}

gboolean
pqs_outline_editor_delete_item (PqsOutlineEditor  *self,
                                guint              index,
                                GError           **error)
{
  Removed *removed;
  AdwToast *toast;
  guint end;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!check_index (self, index, error))
    return FALSE;

  end = subtree_end (self->items, index);
  removed = g_new0 (Removed, 1);
  removed->items = g_ptr_array_new_with_free_func (edit_item_free);
  removed->index = index;
  removed->generation = self->generation;
  for (guint i = index; i < end; i++)
    g_ptr_array_add (removed->items, g_ptr_array_index (self->items, i));
  g_ptr_array_set_free_func (self->items, NULL);
  g_ptr_array_remove_range (self->items, index, end - index);
  g_ptr_array_set_free_func (self->items, edit_item_free);

  if (removed->items->len == 1)
    toast = adw_toast_new (_("Line item deleted"));
  else
    /* Translators: an item deleted with its sub-items */
    toast = adw_toast_new_format (ngettext ("%u line item deleted", "%u line items deleted",
                                            removed->items->len),
                                  removed->items->len);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "pqs-removed", removed,
                          (GDestroyNotify) removed_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self, 0);

  finish_edit (self, self->items->len > 0 ? MIN (index, self->items->len - 1) : 0);
  emit_toast (self, toast);
  return TRUE;
}

/* Scrolls the nearest scrolled window so that all of @widget shows (GTK
 * 4.8's viewport only follows a focus change of its own direct child). */
static void
scroll_into_view (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value, page;

  if (scroller == NULL
      || !gtk_widget_compute_bounds (widget, scroller, &bounds))
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (bounds.origin.y < 0)
    value += bounds.origin.y;
  else if (bounds.origin.y + bounds.size.height > page)
    value += MIN (bounds.origin.y, bounds.origin.y + bounds.size.height - page);
  gtk_adjustment_set_value (adjustment, value);
}

/* Focuses the pending item's text once it is laid out and the Add Item
 * menu that added it has closed (a closing menu hands the focus back to its
 * button): focusing it then scrolls it into view. */
static gboolean
focus_pending_tick_cb (GtkWidget     *widget,
                       GdkFrameClock *clock,
                       gpointer       user_data)
{
  PqsOutlineEditor *self = PQS_OUTLINE_EDITOR (widget);
  GtkPopover *menu = gtk_menu_button_get_popover (self->add_button);

  (void) clock;
  (void) user_data;

  if (self->pending_focus != NULL
      && (!gtk_widget_get_mapped (self->pending_focus)
          || gtk_widget_get_width (self->pending_focus) == 0
          || (menu != NULL && gtk_widget_get_visible (GTK_WIDGET (menu))))
      && ++self->focus_ticks < 60)
    return G_SOURCE_CONTINUE;

  if (self->pending_focus != NULL)
    {
      gtk_widget_grab_focus (self->pending_focus);
      scroll_into_view (self->pending_focus);
    }
  g_clear_weak_pointer (&self->pending_focus);
  self->focus_source = 0;
  return G_SOURCE_REMOVE;
}

static void
focus_new_item (PqsOutlineEditor *self,
                GtkWidget        *row)
{
  gtk_widget_grab_focus (row);
  g_set_weak_pointer (&self->pending_focus, row);
  self->focus_ticks = 0;
  if (self->focus_source == 0)
    self->focus_source = gtk_widget_add_tick_callback (GTK_WIDGET (self), focus_pending_tick_cb,
                                                       NULL, NULL);
}

/**
 * pqs_outline_editor_add_item:
 * @self: a #PqsOutlineEditor
 * @kind: a question, a sub-question, a text or a signature line
 * @error: return location for a #GError
 *
 * Adds an item after the current one: a question after the current
 * question and its children, a sub-question as the last child of the
 * current question, a text or a signature line after the current item at
 * its level; at the end without a current item. The new row opens, its
 * text focused.
 *
 * Returns: %TRUE if the item was added
 */
gboolean
pqs_outline_editor_add_item (PqsOutlineEditor  *self,
                             PqsItemKind        kind,
                             GError           **error)
{
  GPtrArray *items = self->items;
  int current = self->current;
  int question = -1;
  guint position, depth = 0;
  EditItem *e;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  if (!self->editable)
    return refuse (error, _("This document cannot be changed."));
  if (items->len >= PQS_OUTLINE_MAX_ITEMS)
    return refuse (error, _("A document has at most 2,000 line items."));
  if (current >= (int) items->len)
    current = -1;

  /* The question the current item belongs to. */
  if (current >= 0)
    {
      question = current;
      while (question >= 0 && depth_of (items, question) > 0)
        question = parent_of (items, question);
    }

  switch (kind)
    {
    case PQS_ITEM_QUESTION:
      position = question >= 0 ? subtree_end (items, question) : items->len;
      break;

    case PQS_ITEM_SUB_QUESTION:
      if (question < 0 || get (self, question)->item->kind != PQS_ITEM_QUESTION)
        for (question = (int) items->len - 1; question >= 0; question--)
          if (get (self, question)->item->kind == PQS_ITEM_QUESTION)
            break;
      if (question < 0)
        return refuse (error, _("A sub-question goes under a question: add a question first."));
      position = subtree_end (items, question);
      depth = 1;
      break;

    case PQS_ITEM_TEXT:
    case PQS_ITEM_SIGNATURE:
      position = current >= 0 ? subtree_end (items, current) : items->len;
      depth = current >= 0 ? depth_of (items, current) : 0;
      break;

    case PQS_ITEM_SECOND_LEVEL:
    default:
      return refuse (error, _("Indent a sub-question to make it a second-level one."));
    }

  e = edit_item_new (pqs_outline_item_new (kind, depth, "", NULL, NULL));
  e->expanded = TRUE;
  g_ptr_array_insert (items, (int) position, e);
  if (!check_structure (items, &local_error))
    {
      /* Where the current item is, it does not fit: at the end, then. */
      g_ptr_array_remove_index (items, position);
      if (kind == PQS_ITEM_SUB_QUESTION)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      e = edit_item_new (pqs_outline_item_new (kind, 0, "", NULL, NULL));
      e->expanded = TRUE;
      position = items->len;
      g_ptr_array_add (items, e);
    }

  finish_edit (self, position);
  if (e->text_row != NULL)
    focus_new_item (self, e->text_row);
  return TRUE;
}

/* Actions ------------------------------------------------------------------------------- */

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PqsOutlineEditor *self = PQS_OUTLINE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  PqsItemKind kind;

  if (g_str_equal (action_name, "outline.add-question"))
    kind = PQS_ITEM_QUESTION;
  else if (g_str_equal (action_name, "outline.add-sub-question"))
    kind = PQS_ITEM_SUB_QUESTION;
  else if (g_str_equal (action_name, "outline.add-text"))
    kind = PQS_ITEM_TEXT;
  else
    kind = PQS_ITEM_SIGNATURE;

  if (!pqs_outline_editor_add_item (self, kind, &error))
    report (self, error);
}

static void
item_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PqsOutlineEditor *self = PQS_OUTLINE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  int index = g_variant_get_int32 (parameter);
  gboolean ok;

  if (index < 0)
    return;
  if (g_str_equal (action_name, "outline.indent"))
    ok = pqs_outline_editor_indent (self, index, &error);
  else if (g_str_equal (action_name, "outline.outdent"))
    ok = pqs_outline_editor_outdent (self, index, &error);
  else if (g_str_equal (action_name, "outline.move-up"))
    ok = pqs_outline_editor_move_up (self, index, &error);
  else if (g_str_equal (action_name, "outline.move-down"))
    ok = pqs_outline_editor_move_down (self, index, &error);
  else
    ok = pqs_outline_editor_delete_item (self, index, &error);

  if (!ok)
    report (self, error);
}

static void
update_actions (PqsOutlineEditor *self)
{
  static const char * const names[] = {
    "outline.add-question", "outline.add-sub-question", "outline.add-text",
    "outline.add-signature", "outline.indent", "outline.outdent", "outline.move-up",
    "outline.move-down", "outline.delete",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), names[i], self->editable);
  /* Read-only, there is nothing to add and nothing to drag. */
  gtk_widget_set_visible (GTK_WIDGET (self->add_button), self->editable);
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), self->editable);
}

/* Public ------------------------------------------------------------------------------------ */

/**
 * pqs_outline_editor_set_outline:
 * @self: a #PqsOutlineEditor
 * @outline: (nullable) (element-type PqsOutlineItem): the items to edit (copied)
 */
void
pqs_outline_editor_set_outline (PqsOutlineEditor *self,
                                GPtrArray        *outline)
{
  g_return_if_fail (PQS_IS_OUTLINE_EDITOR (self));

  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; outline != NULL && i < outline->len; i++)
    g_ptr_array_add (self->items,
                     edit_item_new (pqs_outline_item_copy (g_ptr_array_index (outline, i))));
  self->current = -1;
  self->generation++;
  rebuild (self, -1);
}

/**
 * pqs_outline_editor_dup_outline:
 * @self: a #PqsOutlineEditor
 *
 * Returns: (transfer full) (element-type PqsOutlineItem): the items as edited
 */
GPtrArray *
pqs_outline_editor_dup_outline (PqsOutlineEditor *self)
{
  GPtrArray *outline;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), NULL);

  outline = pqs_outline_new ();
  for (guint i = 0; i < self->items->len; i++)
    g_ptr_array_add (outline, pqs_outline_item_copy (get (self, i)->item));
  return outline;
}

guint
pqs_outline_editor_get_n_items (PqsOutlineEditor *self)
{
  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), 0);

  return self->items->len;
}

/**
 * pqs_outline_editor_get_item:
 * @self: a #PqsOutlineEditor
 * @index: an item
 *
 * Returns: (transfer none): the item as edited
 */
const PqsOutlineItem *
pqs_outline_editor_get_item (PqsOutlineEditor *self,
                             guint             index)
{
  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return get (self, index)->item;
}

/**
 * pqs_outline_editor_dup_number:
 * @self: a #PqsOutlineEditor
 * @index: an item
 *
 * Returns: (transfer full): its outline number ("1.", "1.a", "1.a.(1)"),
 *   "" for a text or a signature line
 */
char *
pqs_outline_editor_dup_number (PqsOutlineEditor *self,
                               guint             index)
{
  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return g_strdup (gtk_label_get_text (GTK_LABEL (get (self, index)->number_label)));
}

/**
 * pqs_outline_editor_get_row:
 * @self: a #PqsOutlineEditor
 * @index: an item
 *
 * Returns: (transfer none): the item's #AdwExpanderRow
 */
GtkWidget *
pqs_outline_editor_get_row (PqsOutlineEditor *self,
                            guint             index)
{
  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  return get (self, index)->row;
}

/**
 * pqs_outline_editor_get_row_part:
 * @self: a #PqsOutlineEditor
 * @index: an item
 * @part: "text", "answer", "criteria" (entry rows), "tools" (the row of
 *   buttons) or "number" (the label)
 *
 * Returns: (transfer none) (nullable): the widget, made if the row was
 *   never opened
 */
GtkWidget *
pqs_outline_editor_get_row_part (PqsOutlineEditor *self,
                                 guint             index,
                                 const char       *part)
{
  EditItem *e;

  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  populate (self, index);
  e = get (self, index);
  if (g_str_equal (part, "text"))
    return e->text_row;
  if (g_str_equal (part, "answer"))
    return e->answer_row;
  if (g_str_equal (part, "criteria"))
    return e->criteria_row;
  if (g_str_equal (part, "number"))
    return e->number_label;
  if (g_str_equal (part, "tools"))
    return g_object_get_data (G_OBJECT (e->row), "pqs-tools-row");
  return NULL;
}

int
pqs_outline_editor_get_current (PqsOutlineEditor *self)
{
  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), -1);

  return self->current;
}

/**
 * pqs_outline_editor_set_current:
 * @self: a #PqsOutlineEditor
 * @index: the item new items go after, or -1 for the end
 */
void
pqs_outline_editor_set_current (PqsOutlineEditor *self,
                                int               index)
{
  g_return_if_fail (PQS_IS_OUTLINE_EDITOR (self));

  self->current = index < (int) self->items->len ? MAX (index, -1) : -1;
}

gboolean
pqs_outline_editor_get_editable (PqsOutlineEditor *self)
{
  g_return_val_if_fail (PQS_IS_OUTLINE_EDITOR (self), FALSE);

  return self->editable;
}

/**
 * pqs_outline_editor_set_editable:
 * @self: a #PqsOutlineEditor
 * @editable: whether the items may be changed
 *
 * Items that may not be changed can still be opened and read: their rows
 * do not take text, the buttons and the drag handles are gone, and adding
 * is insensitive.
 */
void
pqs_outline_editor_set_editable (PqsOutlineEditor *self,
                                 gboolean          editable)
{
  g_return_if_fail (PQS_IS_OUTLINE_EDITOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;
  self->editable = editable;
  update_actions (self);
  rebuild (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

PqsOutlineEditor *
pqs_outline_editor_new (void)
{
  return g_object_new (PQS_TYPE_OUTLINE_EDITOR, NULL);
}

/* GObject ---------------------------------------------------------------------------- */

static void
pqs_outline_editor_dispose (GObject *object)
{
  PqsOutlineEditor *self = PQS_OUTLINE_EDITOR (object);
  GtkWidget *child;

  self->rebuilding = TRUE;
  if (self->focus_source != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->focus_source);
  self->focus_source = 0;
  g_clear_weak_pointer (&self->pending_focus);
  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_OUTLINE_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (pqs_outline_editor_parent_class)->dispose (object);
}

static void
pqs_outline_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PqsOutlineEditor *self = PQS_OUTLINE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      g_value_set_boolean (value, self->editable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_outline_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PqsOutlineEditor *self = PQS_OUTLINE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      pqs_outline_editor_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_outline_editor_class_init (PqsOutlineEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_outline_editor_dispose;
  object_class->get_property = pqs_outline_editor_get_property;
  object_class->set_property = pqs_outline_editor_set_property;

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-outline-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, PqsOutlineEditor, box);
  gtk_widget_class_bind_template_child (widget_class, PqsOutlineEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, PqsOutlineEditor, description_label);
  gtk_widget_class_bind_template_child (widget_class, PqsOutlineEditor, list_box);

  gtk_widget_class_install_action (widget_class, "outline.add-question", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "outline.add-sub-question", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "outline.add-text", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "outline.add-signature", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "outline.indent", "i", item_action);
  gtk_widget_class_install_action (widget_class, "outline.outdent", "i", item_action);
  gtk_widget_class_install_action (widget_class, "outline.move-up", "i", item_action);
  gtk_widget_class_install_action (widget_class, "outline.move-down", "i", item_action);
  gtk_widget_class_install_action (widget_class, "outline.delete", "i", item_action);
}

static void
pqs_outline_editor_init (PqsOutlineEditor *self)
{
  GtkEventController *keys;
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_ptr_array_new_with_free_func (edit_item_free);
  self->current = -1;
  self->editable = TRUE;

  placeholder = gtk_label_new (_("No line items yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (self->list_box, placeholder);

  /* Before the rows and their entries see the keys. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_box), keys);

  update_actions (self);
}
