/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "pqs-field-editor.h"

/**
 * PqsFieldEditor:
 *
 * The form of a section document: one control per field of its template,
 * in the template's order. Text and dates are entry rows (a date with a
 * calendar), numbers a spin button, choices a combo row over the options,
 * signatures a name, a rank and a date, and multi-line text a text view in
 * a frame under its label. Required fields say so, and each value is
 * checked as the user types with pqs_template_field_check_value(); the
 * model's sentence shows under the field.
 *
 * The editor gives back the metadata object to save: what the user did not
 * touch is the document's value as it was, key for key, so that an
 * untouched form saves nothing.
 *
 * Signals: "changed" when the user changes a value.
 */

typedef struct
{
  PqsFieldEditor   *self;          /* unowned */
  PqsTemplateField *field;
  JsonNode         *original;      /* nullable: the stored value */
  GtkWidget        *widget;        /* the control */
  GtkWidget        *container;     /* its row, or its box */
  GtkWidget        *name_row;      /* signatures */
  GtkWidget        *rank_row;
  GtkWidget        *date_row;
  GtkWidget        *clear_button;  /* numbers */
  GtkWidget        *message_row;   /* a list row, or the label itself */
  GtkLabel         *message_label;
  char             *message;
  gboolean          number_set;
  gboolean          dirty;         /* the user changed it */
} Field;

struct _PqsFieldEditor
{
  GtkWidget   parent_instance;

  GtkBox     *box;

  GPtrArray  *fields;              /* Field */
  JsonObject *metadata;            /* the values as loaded */
  gboolean    editable;
  guint       loading;
};

G_DEFINE_FINAL_TYPE (PqsFieldEditor, pqs_field_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EDITABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_free (gpointer data)
{
  Field *f = data;

  g_clear_object (&f->field);
  g_clear_pointer (&f->original, json_node_unref);
  g_free (f->message);
  g_free (f);
}

static PqsFieldType
field_type (Field *f)
{
  return pqs_template_field_get_field_type (f->field);
}

static const char *
editable_text (GtkWidget *widget)
{
  return gtk_editable_get_text (GTK_EDITABLE (widget));
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static const char *
node_string (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static const char *
signature_member (JsonNode   *node,
                  const char *name)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, name))
    return NULL;
  return node_string (json_object_get_member (object, name));
}

/* Values ------------------------------------------------------------------------- */

/* What the control holds, as documents.metadata stores it; NULL when empty. */
static JsonNode *
widget_value (Field *f)
{
  switch (field_type (f))
    {
    case PQS_FIELD_TEXT:
    case PQS_FIELD_DATE:
      {
        const char *text = editable_text (f->widget);

        return *text != '\0' ? string_node (text) : NULL;
      }

    case PQS_FIELD_MULTILINE:
      {
        g_autofree char *text = buffer_text (GTK_TEXT_VIEW (f->widget));

        return *text != '\0' ? string_node (text) : NULL;
      }

    case PQS_FIELD_NUMBER:
      {
        const char *text = editable_text (f->widget);
        double value = gtk_spin_button_get_value (GTK_SPIN_BUTTON (f->widget));
        char *end = NULL;
        double typed;
        JsonNode *node;

        if (!f->number_set)
          return NULL;
        /* What is typed counts before the spin button takes it. */
        typed = g_ascii_strtod (text, &end);
        if (end != text && is_blank (end) && isfinite (typed))
          value = typed;
        node = json_node_new (JSON_NODE_VALUE);
        if (value == floor (value) && fabs (value) < 1e15)
          json_node_set_int (node, (gint64) value);
        else
          json_node_set_double (node, value);
        return node;
      }

    case PQS_FIELD_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (f->widget));
        const char * const *options = pqs_template_field_get_options (f->field);

        if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || options == NULL ||
            selected > g_strv_length ((char **) options))
          return NULL;
        return string_node (options[selected - 1]);
      }

    case PQS_FIELD_SIGNATURE:
      {
        const char *name = editable_text (f->name_row);
        const char *rank = editable_text (f->rank_row);
        const char *date = editable_text (f->date_row);
        JsonObject *object;
        JsonNode *node;

        if (*name == '\0' && *rank == '\0' && *date == '\0')
          return NULL;
        object = json_object_new ();
        json_object_set_string_member (object, "name", name);
        json_object_set_string_member (object, "rank", rank);
        json_object_set_string_member (object, "date", date);
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, object);
        return node;
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
node_is_empty (Field    *f,
               JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         pqs_template_field_value_is_empty (f->field, node);
}

/* The value to save: the stored one until the user changes the field, and
 * the stored one still when both are empty (so "" stays ""). */
static JsonNode *
current_value (Field *f)
{
  g_autoptr(JsonNode) value = NULL;

  if (!f->dirty)
    return f->original != NULL ? json_node_copy (f->original) : NULL;

  value = widget_value (f);
  if (node_is_empty (f, value) && f->original != NULL && node_is_empty (f, f->original))
    return json_node_copy (f->original);
  if (value != NULL && f->original != NULL && json_node_equal (value, f->original))
    return json_node_copy (f->original);
  return g_steal_pointer (&value);
}

/* Inline messages ----------------------------------------------------------------- */

static void
field_set_message (Field      *f,
                   const char *message)
{
  g_free (f->message);
  f->message = g_strdup (message);
  gtk_label_set_text (f->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (f->message_row, message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (f->container, "error");
  else
    gtk_widget_remove_css_class (f->container, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (f->widget), GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE
                                               : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static gboolean
field_check (Field    *f,
             gboolean  require)
{
  g_autoptr(JsonNode) value = current_value (f);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = pqs_template_field_check_value (f->field, value, require, &error);
  field_set_message (f, ok ? NULL : error->message);
  return ok;
}

static void
update_signature_subtitle (Field *f)
{
  const char *name = editable_text (f->name_row);
  const char *rank = editable_text (f->rank_row);
  const char *date = editable_text (f->date_row);
  g_autoptr(GString) text = g_string_new (NULL);

  if (*rank != '\0')
    g_string_append (text, rank);
  if (*name != '\0')
    g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", name);
  if (*date != '\0')
    /* Translators: between a signature's name and its date */
    g_string_append_printf (text, "%s%s", text->len > 0 ? _(" · ") : "", date);

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (f->container),
                                 text->len > 0 ? text->str : _("Not signed"));
}

static void
update_clear_button (Field *f)
{
  if (f->clear_button != NULL)
    gtk_widget_set_visible (f->clear_button, f->number_set);
}

static void
field_changed (Field *f)
{
  PqsFieldEditor *self = f->self;

  if (field_type (f) == PQS_FIELD_SIGNATURE)
    update_signature_subtitle (f);
  update_clear_button (f);
  if (self->loading > 0)
    return;

  f->dirty = TRUE;
  field_check (f, FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
editable_changed_cb (GtkEditable *editable,
                     Field       *f)
{
  field_changed (f);
}

static void
buffer_changed_cb (GtkTextBuffer *buffer,
                   Field         *f)
{
  field_changed (f);
}

static void
combo_selected_cb (AdwComboRow *row,
                   GParamSpec  *pspec,
                   Field       *f)
{
  field_changed (f);
}

static void
spin_value_changed_cb (GtkSpinButton *spin,
                       Field         *f)
{
  if (f->self->loading == 0)
    f->number_set = TRUE;
  field_changed (f);
}

/* An unset number shows as an empty spin button: empty text reads as no
 * change, and the value is written out only once set. */
static int
spin_input_cb (GtkSpinButton *spin,
               double        *new_value,
               Field         *f)
{
  if (!is_blank (gtk_editable_get_text (GTK_EDITABLE (spin))))
    return FALSE;
  *new_value = gtk_spin_button_get_value (spin);
  return TRUE;
}

static gboolean
spin_output_cb (GtkSpinButton *spin,
                Field         *f)
{
  /* Unset, the value stays 0: anything else was set (by the arrows). */
  if (!f->number_set && gtk_spin_button_get_value (spin) != 0 && f->self->loading == 0)
    f->number_set = TRUE;
  if (f->number_set)
    return FALSE;
  if (*gtk_editable_get_text (GTK_EDITABLE (spin)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (spin), "");
  return TRUE;
}

/* Typing into the spin button counts before it is committed; emptying it
 * unsets the value. */
static void
spin_text_changed_cb (GtkEditable *editable,
                      Field       *f)
{
  if (f->self->loading > 0)
    return;
  f->number_set = !is_blank (gtk_editable_get_text (editable));
  field_changed (f);
}

static void
clear_number_cb (GtkButton *button,
                 Field     *f)
{
  f->self->loading++;
  f->number_set = FALSE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (f->widget), 0);
  gtk_spin_button_update (GTK_SPIN_BUTTON (f->widget));
  f->self->loading--;
  field_changed (f);
}

/* Dates: a calendar beside the entry ---------------------------------------------- */

static void
calendar_day_selected_cb (GtkCalendar *calendar,
                          GtkWidget   *entry)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
calendar_popover_show_cb (GtkPopover *popover,
                          GtkWidget  *entry)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  const char *text = editable_text (entry);
  int year, month, day;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3 &&
      g_date_valid_dmy (day, month, year))
    {
      g_autoptr(GDateTime) date = g_date_time_new_local (year, month, day, 0, 0, 0);

      g_signal_handlers_block_by_func (calendar, calendar_day_selected_cb, entry);
      gtk_calendar_select_day (calendar, date);
      g_signal_handlers_unblock_by_func (calendar, calendar_day_selected_cb, entry);
    }
}

static GtkWidget *
date_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *format = gtk_label_new (_("YYYY-MM-DD"));
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);

  gtk_widget_add_css_class (format, "dim-label");
  gtk_widget_add_css_class (format, "caption");
  gtk_widget_add_css_class (format, "numeric");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), format);

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (calendar_day_selected_cb), row);
  g_signal_connect (popover, "show", G_CALLBACK (calendar_popover_show_cb), row);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Choose a Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose a Date"), -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  return row;
}

/* Building the form ---------------------------------------------------------------- */

static GtkWidget *
required_label_new (void)
{
  GtkWidget *label = gtk_label_new (_("Required"));

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static void
describe (GtkWidget        *widget,
          PqsTemplateField *field)
{
  const char *help = pqs_template_field_get_help (field);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED,
                                  pqs_template_field_get_required (field),
                                  -1);
  if (help != NULL && *help != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, help, -1);
}

static GtkWidget *
message_label_new (Field *f)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  f->message_label = GTK_LABEL (label);
  return label;
}

/* Under a row: a row of its own that only says what is wrong. */
static GtkWidget *
message_row_new (Field *f)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = message_label_new (f);

  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_visible (row, FALSE);
  return row;
}

static GtkWidget *
entry_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (widget), text != NULL ? text : "");
}

static void
build_row_field (PqsFieldEditor *self,
                 Field          *f,
                 GtkListBox     *list)
{
  PqsTemplateField *field = f->field;
  const char *label = pqs_template_field_get_label (field);
  const char *help = pqs_template_field_get_help (field);
  gboolean required = pqs_template_field_get_required (field);

  switch (field_type (f))
    {
    case PQS_FIELD_TEXT:
    case PQS_FIELD_DATE:
      f->widget = field_type (f) == PQS_FIELD_DATE ? date_row_new (label) : entry_row_new (label);
      f->container = f->widget;
      if (required)
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (f->widget), required_label_new ());
      set_text (f->widget, node_string (f->original));
      g_signal_connect (f->widget, "changed", G_CALLBACK (editable_changed_cb), f);
      break;

    case PQS_FIELD_NUMBER:
      {
        GtkWidget *spin = gtk_spin_button_new_with_range (-1e9, 1e9, 1);
        GtkWidget *clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
        g_autofree char *clear_label = g_strdup_printf (_("Clear “%s”"), label);

        f->container = adw_action_row_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->container), label);
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->container), FALSE);
        if (help != NULL)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (f->container), help);
        if (required)
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->container), required_label_new ());

        gtk_widget_add_css_class (clear, "flat");
        gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
        gtk_widget_set_tooltip_text (clear, clear_label);
        gtk_accessible_update_property (GTK_ACCESSIBLE (clear), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        clear_label, -1);
        g_signal_connect (clear, "clicked", G_CALLBACK (clear_number_cb), f);
        f->clear_button = clear;
        if (!required)
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->container), clear);

        gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
        gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
        gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        label, -1);
        adw_action_row_add_suffix (ADW_ACTION_ROW (f->container), spin);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (f->container), spin);
        f->widget = spin;
        /* Unset is 0 (a new spin button holds its minimum). */
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
        g_signal_connect (spin, "input", G_CALLBACK (spin_input_cb), f);
        g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), f);

        if (f->original != NULL && JSON_NODE_HOLDS_VALUE (f->original) &&
            (json_node_get_value_type (f->original) == G_TYPE_INT64 ||
             json_node_get_value_type (f->original) == G_TYPE_DOUBLE))
          {
            double value = json_node_get_double (f->original);

            f->number_set = TRUE;
            gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), value == floor (value) ? 0 : 2);
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
          }
        gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
        g_signal_connect (spin, "value-changed", G_CALLBACK (spin_value_changed_cb), f);
        g_signal_connect (spin, "changed", G_CALLBACK (spin_text_changed_cb), f);
      }
      break;

    case PQS_FIELD_CHOICE:
      {
        const char * const *options = pqs_template_field_get_options (field);
        g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
        const char *value = node_string (f->original);
        guint selected = 0;

        /* Translators: the first entry of a choice field that is not chosen yet */
        gtk_string_list_append (model, _("Not chosen"));
        for (guint i = 0; options != NULL && options[i] != NULL; i++)
          {
            gtk_string_list_append (model, options[i]);
            if (g_strcmp0 (options[i], value) == 0)
              selected = i + 1;
          }
        f->widget = adw_combo_row_new ();
        f->container = f->widget;
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->widget), label);
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->widget), FALSE);
        if (help != NULL)
          adw_action_row_set_subtitle (ADW_ACTION_ROW (f->widget), help);
        if (required)
          adw_action_row_add_suffix (ADW_ACTION_ROW (f->widget), required_label_new ());
        adw_combo_row_set_model (ADW_COMBO_ROW (f->widget), G_LIST_MODEL (model));
        adw_combo_row_set_selected (ADW_COMBO_ROW (f->widget), selected);
        g_signal_connect (f->widget, "notify::selected", G_CALLBACK (combo_selected_cb), f);
      }
      break;

    case PQS_FIELD_SIGNATURE:
      {
        g_autofree char *name_title = NULL;
        g_autofree char *rank_title = NULL;
        g_autofree char *date_title = NULL;

        f->container = adw_expander_row_new ();
        f->widget = f->container;
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->container), label);
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->container), FALSE);
        if (required)
          adw_expander_row_add_action (ADW_EXPANDER_ROW (f->container), required_label_new ());

        f->name_row = entry_row_new (_("Name"));
        f->rank_row = entry_row_new (_("Rank"));
        f->date_row = date_row_new (_("Date"));
        /* The rows say whose signature they are to a screen reader. */
        /* Translators: "Final signature: Name" */
        name_title = g_strdup_printf (_("%s: Name"), label);
        rank_title = g_strdup_printf (_("%s: Rank"), label);
        date_title = g_strdup_printf (_("%s: Date"), label);
        gtk_accessible_update_property (GTK_ACCESSIBLE (f->name_row),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name_title, -1);
        gtk_accessible_update_property (GTK_ACCESSIBLE (f->rank_row),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, rank_title, -1);
        gtk_accessible_update_property (GTK_ACCESSIBLE (f->date_row),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, date_title, -1);
        adw_expander_row_add_row (ADW_EXPANDER_ROW (f->container), f->name_row);
        adw_expander_row_add_row (ADW_EXPANDER_ROW (f->container), f->rank_row);
        adw_expander_row_add_row (ADW_EXPANDER_ROW (f->container), f->date_row);
        set_text (f->name_row, signature_member (f->original, "name"));
        set_text (f->rank_row, signature_member (f->original, "rank"));
        set_text (f->date_row, signature_member (f->original, "date"));
        update_signature_subtitle (f);
        /* Empty, it opens: there is something to fill in. */
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (f->container),
                                       node_is_empty (f, f->original));
        g_signal_connect (f->name_row, "changed", G_CALLBACK (editable_changed_cb), f);
        g_signal_connect (f->rank_row, "changed", G_CALLBACK (editable_changed_cb), f);
        g_signal_connect (f->date_row, "changed", G_CALLBACK (editable_changed_cb), f);
      }
      break;

    case PQS_FIELD_MULTILINE:
    default:
      g_assert_not_reached ();
    }

  if (help != NULL && *help != '\0')
    gtk_widget_set_tooltip_text (f->container, help);
  describe (f->widget, field);
  gtk_list_box_append (list, f->container);
  f->message_row = message_row_new (f);
  gtk_list_box_append (list, f->message_row);
  update_clear_button (f);
}

static GtkWidget *
build_multiline_field (PqsFieldEditor *self,
                       Field          *f)
{
  PqsTemplateField *field = f->field;
  const char *help = pqs_template_field_get_help (field);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *heading = gtk_label_new (pqs_template_field_get_label (field));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  const char *text = node_string (f->original);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (heading_box), heading);
  if (pqs_template_field_get_required (field))
    gtk_box_append (GTK_BOX (heading_box), required_label_new ());
  gtk_box_append (GTK_BOX (box), heading_box);

  if (help != NULL && *help != '\0')
    {
      GtkWidget *help_label = gtk_label_new (help);

      gtk_label_set_xalign (GTK_LABEL (help_label), 0);
      gtk_label_set_wrap (GTK_LABEL (help_label), TRUE);
      gtk_widget_add_css_class (help_label, "dim-label");
      gtk_widget_add_css_class (help_label, "caption");
      gtk_box_append (GTK_BOX (box), help_label);
    }

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_widget_set_size_request (view, -1, 96);
  gtk_widget_add_css_class (view, "pqs-field-text");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            text != NULL ? text : "", -1);
  /* GTK 4.8 does not name a widget after its labelled-by relation: both. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  pqs_template_field_get_label (field), -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  heading, NULL, -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_box_append (GTK_BOX (box), frame);

  f->widget = view;
  f->container = frame;
  f->message_row = message_label_new (f);
  gtk_widget_set_visible (f->message_row, FALSE);
  gtk_box_append (GTK_BOX (box), f->message_row);
  describe (view, field);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                    G_CALLBACK (buffer_changed_cb), f);
  return box;
}

static void
clear (PqsFieldEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_ptr_array_set_size (self->fields, 0);
  g_clear_pointer (&self->metadata, json_object_unref);
}

/**
 * pqs_field_editor_set_fields:
 * @self: a #PqsFieldEditor
 * @fields: (nullable) (element-type PqsTemplateField): the template's field list
 * @metadata: (nullable): the document's values
 *
 * Builds the form for @fields showing @metadata; %NULL fields empties it.
 */
void
pqs_field_editor_set_fields (PqsFieldEditor *self,
                             GPtrArray      *fields,
                             JsonObject     *metadata)
{
  GtkListBox *list = NULL;

  g_return_if_fail (PQS_IS_FIELD_EDITOR (self));

  self->loading++;
  clear (self);
  if (metadata != NULL)
    {
      /* A deep copy: the document's object stays its own. */
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonNode) copy = NULL;
      g_autofree char *json = NULL;

      json_node_set_object (node, metadata);
      json = json_to_string (node, FALSE);
      copy = json_from_string (json, NULL);
      self->metadata = copy != NULL && JSON_NODE_HOLDS_OBJECT (copy)
                       ? json_object_ref (json_node_get_object (copy)) : json_object_new ();
    }
  else
    self->metadata = json_object_new ();

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      PqsTemplateField *field = g_ptr_array_index (fields, i);
      const char *key = pqs_template_field_get_key (field);
      Field *f = g_new0 (Field, 1);

      f->self = self;
      f->field = g_object_ref (field);
      if (json_object_has_member (self->metadata, key))
        f->original = json_node_copy (json_object_get_member (self->metadata, key));
      g_ptr_array_add (self->fields, f);

      if (field_type (f) == PQS_FIELD_MULTILINE)
        {
          gtk_box_append (self->box, build_multiline_field (self, f));
          list = NULL;
          continue;
        }

      if (list == NULL)
        {
          list = GTK_LIST_BOX (gtk_list_box_new ());
          gtk_list_box_set_selection_mode (list, GTK_SELECTION_NONE);
          gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
          gtk_box_append (self->box, GTK_WIDGET (list));
        }
      build_row_field (self, f, list);
    }

  /* Stored values that do not fit show at once. */
  for (guint i = 0; i < self->fields->len; i++)
    field_check (g_ptr_array_index (self->fields, i), FALSE);
  self->loading--;
}

guint
pqs_field_editor_get_n_fields (PqsFieldEditor *self)
{
  g_return_val_if_fail (PQS_IS_FIELD_EDITOR (self), 0);

  return self->fields->len;
}

/**
 * pqs_field_editor_dup_metadata:
 * @self: a #PqsFieldEditor
 *
 * Returns: (transfer full): the values to save: the form's fields as the
 *   user left them, and any other member of the loaded values as it was
 */
JsonObject *
pqs_field_editor_dup_metadata (PqsFieldEditor *self)
{
  JsonObject *result;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (PQS_IS_FIELD_EDITOR (self), NULL);

  result = json_object_new ();
  members = self->metadata != NULL ? json_object_get_members (self->metadata) : NULL;
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (result, l->data,
                            json_node_copy (json_object_get_member (self->metadata, l->data)));

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = g_ptr_array_index (self->fields, i);
      const char *key = pqs_template_field_get_key (f->field);
      JsonNode *value = current_value (f);

      if (value != NULL)
        json_object_set_member (result, key, value);
      else if (json_object_has_member (result, key))
        json_object_remove_member (result, key);
    }

  return result;
}

/**
 * pqs_field_editor_validate:
 * @self: a #PqsFieldEditor
 * @require: whether required fields must be filled (before a submit)
 *
 * Checks every field and shows what is wrong under each.
 *
 * Returns: %TRUE when every value is acceptable
 */
gboolean
pqs_field_editor_validate (PqsFieldEditor *self,
                           gboolean        require)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (PQS_IS_FIELD_EDITOR (self), FALSE);

  for (guint i = 0; i < self->fields->len; i++)
    if (!field_check (g_ptr_array_index (self->fields, i), require))
      ok = FALSE;
  return ok;
}

gboolean
pqs_field_editor_get_editable (PqsFieldEditor *self)
{
  g_return_val_if_fail (PQS_IS_FIELD_EDITOR (self), FALSE);

  return self->editable;
}

/**
 * pqs_field_editor_set_editable:
 * @self: a #PqsFieldEditor
 * @editable: whether the user may change the values
 *
 * A form that may not be changed is insensitive as a whole.
 */
void
pqs_field_editor_set_editable (PqsFieldEditor *self,
                               gboolean        editable)
{
  g_return_if_fail (PQS_IS_FIELD_EDITOR (self));

  editable = !!editable;
  if (self->editable == editable)
    return;
  self->editable = editable;
  gtk_widget_set_sensitive (GTK_WIDGET (self->box), editable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITABLE]);
}

static Field *
find_field (PqsFieldEditor *self,
            const char     *key)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = g_ptr_array_index (self->fields, i);

      if (g_strcmp0 (pqs_template_field_get_key (f->field), key) == 0)
        return f;
    }
  return NULL;
}

/**
 * pqs_field_editor_get_widget:
 * @self: a #PqsFieldEditor
 * @key: a field's key
 * @part: (nullable): %NULL for the field's control (an #AdwEntryRow, a
 *   #GtkTextView, a #GtkSpinButton, an #AdwComboRow, or a signature's
 *   #AdwExpanderRow); "name", "rank" or "date" for a signature's rows;
 *   "container" for its row or frame
 *
 * Returns: (transfer none) (nullable): the widget
 */
GtkWidget *
pqs_field_editor_get_widget (PqsFieldEditor *self,
                             const char     *key,
                             const char     *part)
{
  Field *f;

  g_return_val_if_fail (PQS_IS_FIELD_EDITOR (self), NULL);

  f = find_field (self, key);
  if (f == NULL)
    return NULL;
  if (part == NULL)
    return f->widget;
  if (g_str_equal (part, "name"))
    return f->name_row;
  if (g_str_equal (part, "rank"))
    return f->rank_row;
  if (g_str_equal (part, "date"))
    return f->date_row;
  if (g_str_equal (part, "container"))
    return f->container;
  return NULL;
}

/**
 * pqs_field_editor_get_message:
 * @self: a #PqsFieldEditor
 * @key: a field's key
 *
 * Returns: (nullable): what is wrong with the field's value, as shown
 */
const char *
pqs_field_editor_get_message (PqsFieldEditor *self,
                              const char     *key)
{
  Field *f;

  g_return_val_if_fail (PQS_IS_FIELD_EDITOR (self), NULL);

  f = find_field (self, key);
  return f != NULL ? f->message : NULL;
}

PqsFieldEditor *
pqs_field_editor_new (void)
{
  return g_object_new (PQS_TYPE_FIELD_EDITOR, NULL);
}

/* GObject ---------------------------------------------------------------------- */

static void
pqs_field_editor_dispose (GObject *object)
{
  PqsFieldEditor *self = PQS_FIELD_EDITOR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_FIELD_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  /* The widgets that pointed at the fields are gone. */
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->metadata, json_object_unref);

  G_OBJECT_CLASS (pqs_field_editor_parent_class)->dispose (object);
}

static void
pqs_field_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PqsFieldEditor *self = PQS_FIELD_EDITOR (object);

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
pqs_field_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PqsFieldEditor *self = PQS_FIELD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_EDITABLE:
      pqs_field_editor_set_editable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_field_editor_class_init (PqsFieldEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_field_editor_dispose;
  object_class->get_property = pqs_field_editor_get_property;
  object_class->set_property = pqs_field_editor_set_property;

  properties[PROP_EDITABLE] =
    g_param_spec_boolean ("editable", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-field-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, PqsFieldEditor, box);
}

static void
pqs_field_editor_init (PqsFieldEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->metadata = json_object_new ();
  self->editable = TRUE;
}
