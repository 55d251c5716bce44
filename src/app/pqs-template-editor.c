/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pqs-auth.h"
#include "pqs-outline.h"
#include "pqs-session.h"
#include "pqs-template-catalog.h"
#include "pqs-template-editor.h"
#include "pqs-template-field.h"
#include "pqs-template-list.h"
#include "pqs-template.h"
#include "pqs-user.h"

/**
 * PqsTemplateEditor:
 *
 * A modal window that creates a template or shows one: its name,
 * description and series, the field list of the document form (as rows to
 * add, reorder and remove, or as JSON text), the body and the starting
 * outline (JSON text). What the person types is checked as they type,
 * after a short pause, with the model's rules and sentences
 * (pqs_template_fields_validate(), pqs_outline_from_json_string()); Save
 * stays insensitive while something is wrong, and the message names the
 * field or the outline item at fault.
 *
 * Supervisors and administrators edit templates; everyone else reads them.
 * System templates open read-only with "Copy to Edit", which makes an
 * editable copy and switches the editor to it. Deactivating, activating and
 * deleting take effect at once; the model's refusals (a template in use is
 * not deleted) show inline.
 *
 * Signals: "add-toast" (an #AdwToast) for the results that close the
 * editor (created, saved, deleted); the others show in the editor itself.
 */

/* The pause after typing before the form is checked. */
#define VALIDATE_DELAY_MS 300

#define N_SERIES 3
static const int series_sections[N_SERIES] = { 100, 200, 300 };

struct _PqsTemplateEditor
{
  AdwWindow             parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *save_button;
  GtkButton            *copy_button;
  GtkScrolledWindow    *scrolled_window;
  GtkWidget            *read_only_box;
  GtkLabel             *read_only_label;
  GtkLabel             *error_label;
  AdwEntryRow          *name_row;
  AdwEntryRow          *description_row;
  AdwComboRow          *series_row;
  GtkLabel             *details_error_label;
  AdwPreferencesGroup  *fields_group;
  GtkToggleButton      *json_button;
  GtkButton            *add_field_button;
  GtkStack             *fields_stack;
  GtkListBox           *fields_list;
  GtkTextView          *fields_json_view;
  GtkLabel             *fields_error_label;
  GtkTextView          *body_view;
  GtkTextView          *outline_view;
  GtkLabel             *outline_error_label;
  AdwPreferencesGroup  *status_group;
  AdwActionRow         *status_row;
  AdwActionRow         *usage_row;
  GtkWidget            *actions_box;
  GtkButton            *active_button;
  GtkButton            *delete_button;

  PqsSession           *session;
  PqsTemplateList      *templates;
  PqsTemplateCatalog   *catalog;
  PqsTemplate          *template;       /* NULL while creating */

  guint                 validate_source;
  gboolean              filling;        /* the form is filled in code, not typed in */
  gboolean              dirty;          /* the person changed something */
  gboolean              name_touched;
  gboolean              valid;
};

G_DEFINE_FINAL_TYPE (PqsTemplateEditor, pqs_template_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_VALID,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_validation (PqsTemplateEditor *self);
static gboolean run_validation (PqsTemplateEditor *self);

/* Helpers ------------------------------------------------------------------- */

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
set_row (AdwEntryRow *row,
         const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *copy == '\0';
}

static char *
json_pretty (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static void
show_message (GtkLabel   *label,
              const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
show_error (PqsTemplateEditor *self,
            const char        *message)
{
  show_message (self->error_label, message);

  /* The message sits at the top: scrolled into sight. */
  if (message != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

static void
toast (PqsTemplateEditor *self,
       const char        *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
emit_toast (PqsTemplateEditor *self,
            const char        *title)
{
  g_autoptr(AdwToast) result = adw_toast_new (title);

  g_signal_emit (self, signals[ADD_TOAST], 0, result);
}

static PqsUser *
actor (PqsTemplateEditor *self)
{
  return pqs_session_get_user (self->session);
}

static gboolean
can_manage (PqsTemplateEditor *self)
{
  return pqs_auth_allows (actor (self), PQS_ACTION_MANAGE_TEMPLATES, NULL);
}

static gboolean
is_read_only (PqsTemplateEditor *self)
{
  return !can_manage (self) ||
         (self->template != NULL && pqs_template_get_system (self->template));
}

static int
selected_section (PqsTemplateEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->series_row);

  return selected < N_SERIES ? series_sections[selected] : 100;
}

static void
select_section (PqsTemplateEditor *self,
                int                section)
{
  for (guint i = 0; i < N_SERIES; i++)
    if (series_sections[i] == section)
      adw_combo_row_set_selected (self->series_row, i);
}

/* Field rows ---------------------------------------------------------------- */

/* One field of the form as rows of an expander row; the expander owns it. */
typedef struct
{
  PqsTemplateEditor *self;
  AdwExpanderRow    *expander;
  AdwEntryRow       *label_row;
  AdwEntryRow       *key_row;
  AdwComboRow       *type_row;
  GtkWidget         *required_row;
  GtkSwitch         *required_switch;
  AdwEntryRow       *help_row;
  GtkWidget         *options_row;
  GtkTextView       *options_view;
  GtkWidget         *warning_icon;
  GtkWidget         *tools_row;
  GtkWidget         *up_button;
  GtkWidget         *down_button;
  gboolean           key_edited;     /* the key no longer follows the label */
  gboolean           setting_key;
} FieldRow;

static FieldRow *
field_row_get (GtkListBoxRow *row)
{
  FieldRow *fr;

  g_assert (row != NULL);
  fr = g_object_get_data (G_OBJECT (row), "pqs-field-row");
  g_assert (fr != NULL);
  return fr;
}

static guint
n_field_rows (PqsTemplateEditor *self)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (self->fields_list, n) != NULL)
    n++;
  return n;
}

/* A key from a label: "Watch station (primary)" → "watch_station_primary". */
static char *
key_from_label (const char *label)
{
  g_autofree char *ascii = g_str_to_ascii (label, "C");
  GString *key = g_string_new (NULL);
  gboolean separate = FALSE;

  for (const char *p = ascii; *p != '\0' && key->len < PQS_TEMPLATE_FIELD_KEY_MAX; p++)
    {
      char c = g_ascii_tolower (*p);

      if (!g_ascii_isalnum (c))
        {
          separate = TRUE;
          continue;
        }
      /* A key starts with a letter. */
      if (key->len == 0 && !g_ascii_isalpha (c))
        continue;
      if (separate && key->len > 0 && key->len < PQS_TEMPLATE_FIELD_KEY_MAX - 1)
        g_string_append_c (key, '_');
      separate = FALSE;
      g_string_append_c (key, c);
    }

  return g_string_free (key, FALSE);
}

static PqsFieldType
field_row_type (FieldRow *fr)
{
  guint selected = adw_combo_row_get_selected (fr->type_row);

  return selected <= PQS_FIELD_SIGNATURE ? (PqsFieldType) selected : PQS_FIELD_TEXT;
}

static char **
field_row_options (FieldRow *fr)
{
  g_autofree char *text = view_text (fr->options_view);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* One option a line; blank lines do not count. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (builder, lines[i]);
    }
  return g_strv_builder_end (builder);
}

/* The field as the rows say, checked by no one yet. */
static PqsTemplateField *
field_row_to_field (FieldRow *fr)
{
  g_autofree char *key = g_strstrip (g_strdup (row_text (fr->key_row)));
  g_autofree char *label = g_strstrip (g_strdup (row_text (fr->label_row)));
  const char *help = row_text (fr->help_row);
  PqsFieldType type = field_row_type (fr);
  g_auto(GStrv) options = NULL;

  if (type == PQS_FIELD_CHOICE)
    {
      options = field_row_options (fr);
      if (options[0] == NULL)
        g_clear_pointer (&options, g_strfreev);
    }

  return pqs_template_field_new (key, label, type, gtk_switch_get_active (fr->required_switch),
                                 is_blank (help) ? NULL : help,
                                 (const char * const *) options);
}

static void
field_row_update_title (FieldRow *fr,
                        guint     number)
{
  const char *label = row_text (fr->label_row);
  const char *key = row_text (fr->key_row);
  PqsFieldType type = field_row_type (fr);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->expander),
                                 is_blank (label) ? _("Untitled Field") : label);

  /* Translators: a field's row: "Field 3 · rank · Text · Required"; the
   * number is the one error messages use. */
  subtitle = g_strdup_printf (_("Field %u · %s · %s · %s"), number,
                              is_blank (key) ? _("no key") : key,
                              pqs_field_type_get_label (type),
                              gtk_switch_get_active (fr->required_switch)
                              ? _("Required") : _("Optional"));
  adw_expander_row_set_subtitle (fr->expander, subtitle);
}

/* Numbers, titles and which moves are possible, after any change of order. */
static void
update_field_rows (PqsTemplateEditor *self)
{
  guint n = n_field_rows (self);

  for (guint i = 0; i < n; i++)
    {
      FieldRow *fr = field_row_get (gtk_list_box_get_row_at_index (self->fields_list, i));

      field_row_update_title (fr, i + 1);
      gtk_widget_set_sensitive (fr->up_button, i > 0);
      gtk_widget_set_sensitive (fr->down_button, i + 1 < n);
    }
}

static void
field_row_set_editable (FieldRow *fr,
                        gboolean  editable)
{
  gtk_editable_set_editable (GTK_EDITABLE (fr->label_row), editable);
  gtk_editable_set_editable (GTK_EDITABLE (fr->key_row), editable);
  gtk_editable_set_editable (GTK_EDITABLE (fr->help_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (fr->type_row), editable);
  gtk_widget_set_sensitive (fr->required_row, editable);
  gtk_text_view_set_editable (fr->options_view, editable);
  gtk_text_view_set_cursor_visible (fr->options_view, editable);
  gtk_widget_set_visible (fr->tools_row, editable);
}

static void
field_changed_cb (FieldRow *fr)
{
  guint n = n_field_rows (fr->self);

  for (guint i = 0; i < n; i++)
    if (field_row_get (gtk_list_box_get_row_at_index (fr->self->fields_list, i)) == fr)
      field_row_update_title (fr, i + 1);
  schedule_validation (fr->self);
}

static void
field_label_changed_cb (FieldRow *fr)
{
  /* Until the key is typed, it follows the label. */
  if (!fr->key_edited && !fr->self->filling)
    {
      g_autofree char *key = key_from_label (row_text (fr->label_row));

      fr->setting_key = TRUE;
      set_row (fr->key_row, key);
      fr->setting_key = FALSE;
    }
  field_changed_cb (fr);
}

static void
field_key_changed_cb (FieldRow *fr)
{
  if (!fr->setting_key && !fr->self->filling)
    fr->key_edited = !is_blank (row_text (fr->key_row));
  field_changed_cb (fr);
}

static void
field_type_changed_cb (FieldRow *fr)
{
  gtk_widget_set_visible (fr->options_row, field_row_type (fr) == PQS_FIELD_CHOICE);
  field_changed_cb (fr);
}

static void
move_field (FieldRow *fr,
            int       delta)
{
  PqsTemplateEditor *self = fr->self;
  GtkListBoxRow *row = GTK_LIST_BOX_ROW (fr->expander);
  int index = gtk_list_box_row_get_index (row);
  int target = index + delta;
  GtkWidget *focus;

  if (target < 0 || target >= (int) n_field_rows (self))
    return;

  /* The focus follows the button the person used. */
  focus = gtk_root_get_focus (GTK_ROOT (self));
  g_object_ref (row);
  gtk_list_box_remove (self->fields_list, GTK_WIDGET (row));
  gtk_list_box_insert (self->fields_list, GTK_WIDGET (row), target);
  g_object_unref (row);
  update_field_rows (self);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (row)) &&
      gtk_widget_get_sensitive (focus))
    gtk_widget_grab_focus (focus);
  else
    gtk_widget_grab_focus (GTK_WIDGET (row));
  schedule_validation (self);
}

static void
field_up_cb (FieldRow *fr)
{
  move_field (fr, -1);
}

static void
field_down_cb (FieldRow *fr)
{
  move_field (fr, 1);
}

static void
field_remove_cb (FieldRow *fr)
{
  PqsTemplateEditor *self = fr->self;
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (fr->expander));
  GtkListBoxRow *next;

  gtk_list_box_remove (self->fields_list, GTK_WIDGET (fr->expander));
  update_field_rows (self);

  next = gtk_list_box_get_row_at_index (self->fields_list, MAX (index - 1, 0));
  if (next != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (next));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_field_button));
  schedule_validation (self);
}

/* Icons keep the row narrow enough for a phone. */
static GtkWidget *
tool_button_new (const char *icon_name,
                 const char *label,
                 GCallback   callback,
                 FieldRow   *fr)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_signal_connect_swapped (button, "clicked", callback, fr);
  return button;
}

/* A new field row, of @field or empty; it is not yet in the list. */
static GtkWidget *
field_row_new (PqsTemplateEditor *self,
               PqsTemplateField  *field)
{
  FieldRow *fr = g_new0 (FieldRow, 1);
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *frame;
  GtkWidget *remove_button;

  fr->self = self;
  fr->expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  g_object_set_data_full (G_OBJECT (fr->expander), "pqs-field-row", fr, g_free);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (fr->expander), FALSE);

  fr->warning_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (fr->warning_icon, "error");
  gtk_widget_set_visible (fr->warning_icon, FALSE);
  adw_expander_row_add_prefix (fr->expander, fr->warning_icon);

  fr->label_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->label_row), _("Label"));
  adw_expander_row_add_row (fr->expander, GTK_WIDGET (fr->label_row));

  fr->key_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->key_row), _("Key"));
  adw_entry_row_set_input_hints (fr->key_row, GTK_INPUT_HINT_LOWERCASE |
                                              GTK_INPUT_HINT_NO_SPELLCHECK);
  adw_expander_row_add_row (fr->expander, GTK_WIDGET (fr->key_row));

  fr->type_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->type_row), _("Type"));
  for (PqsFieldType type = PQS_FIELD_TEXT; type <= PQS_FIELD_SIGNATURE; type++)
    gtk_string_list_append (types, pqs_field_type_get_label (type));
  adw_combo_row_set_model (fr->type_row, G_LIST_MODEL (types));
  adw_expander_row_add_row (fr->expander, GTK_WIDGET (fr->type_row));

  fr->options_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (fr->options_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (fr->options_row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  label = gtk_label_new (_("Options, one per line"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  fr->options_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (fr->options_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (fr->options_view, 6);
  gtk_text_view_set_bottom_margin (fr->options_view, 6);
  gtk_text_view_set_left_margin (fr->options_view, 6);
  gtk_text_view_set_right_margin (fr->options_view, 6);
  gtk_widget_set_size_request (GTK_WIDGET (fr->options_view), -1, 72);
  gtk_accessible_update_property (GTK_ACCESSIBLE (fr->options_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Options, one per line"),
                                  -1);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (fr->options_view));
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (fr->options_row), box);
  gtk_widget_set_visible (fr->options_row, FALSE);
  adw_expander_row_add_row (fr->expander, fr->options_row);

  fr->required_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->required_row), _("Required"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (fr->required_row),
                               _("Filled in before the document is submitted"));
  fr->required_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (fr->required_switch), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (fr->required_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Required"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (fr->required_row),
                             GTK_WIDGET (fr->required_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (fr->required_row),
                                         GTK_WIDGET (fr->required_switch));
  adw_expander_row_add_row (fr->expander, fr->required_row);

  fr->help_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->help_row), _("Help (Optional)"));
  adw_expander_row_add_row (fr->expander, GTK_WIDGET (fr->help_row));

  fr->tools_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (fr->tools_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (fr->tools_row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  fr->up_button = tool_button_new ("go-up-symbolic", _("Move Up"), G_CALLBACK (field_up_cb),
                                   fr);
  fr->down_button = tool_button_new ("go-down-symbolic", _("Move Down"),
                                     G_CALLBACK (field_down_cb), fr);
  remove_button = tool_button_new ("user-trash-symbolic", _("Remove Field"),
                                   G_CALLBACK (field_remove_cb), fr);
  gtk_widget_add_css_class (remove_button, "error");
  gtk_box_append (GTK_BOX (box), fr->up_button);
  gtk_box_append (GTK_BOX (box), fr->down_button);
  gtk_box_append (GTK_BOX (box), remove_button);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (fr->tools_row), box);
  adw_expander_row_add_row (fr->expander, fr->tools_row);

  if (field != NULL)
    {
      const char * const *options = pqs_template_field_get_options (field);

      set_row (fr->label_row, pqs_template_field_get_label (field));
      set_row (fr->key_row, pqs_template_field_get_key (field));
      adw_combo_row_set_selected (fr->type_row, pqs_template_field_get_field_type (field));
      gtk_switch_set_active (fr->required_switch, pqs_template_field_get_required (field));
      set_row (fr->help_row, pqs_template_field_get_help (field));
      if (options != NULL)
        {
          g_autofree char *text = g_strjoinv ("\n", (char **) options);

          set_view_text (fr->options_view, text);
        }
      fr->key_edited = TRUE;
    }
  gtk_widget_set_visible (fr->options_row, field_row_type (fr) == PQS_FIELD_CHOICE);

  g_signal_connect_swapped (fr->label_row, "changed", G_CALLBACK (field_label_changed_cb), fr);
  g_signal_connect_swapped (fr->key_row, "changed", G_CALLBACK (field_key_changed_cb), fr);
  g_signal_connect_swapped (fr->help_row, "changed", G_CALLBACK (field_changed_cb), fr);
  g_signal_connect_swapped (fr->type_row, "notify::selected",
                            G_CALLBACK (field_type_changed_cb), fr);
  g_signal_connect_swapped (fr->required_switch, "notify::active",
                            G_CALLBACK (field_changed_cb), fr);
  g_signal_connect_swapped (gtk_text_view_get_buffer (fr->options_view), "changed",
                            G_CALLBACK (field_changed_cb), fr);

  field_row_set_editable (fr, !is_read_only (self));
  return GTK_WIDGET (fr->expander);
}

static void
clear_field_rows (PqsTemplateEditor *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->fields_list, 0)) != NULL)
    gtk_list_box_remove (self->fields_list, GTK_WIDGET (row));
}

static void
set_field_rows (PqsTemplateEditor *self,
                GPtrArray         *fields)
{
  gboolean filling = self->filling;

  self->filling = TRUE;
  clear_field_rows (self);
  for (guint i = 0; fields != NULL && i < fields->len; i++)
    gtk_list_box_append (self->fields_list, field_row_new (self, g_ptr_array_index (fields, i)));
  update_field_rows (self);
  self->filling = filling;
}

static GPtrArray *
collect_fields (PqsTemplateEditor *self)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_object_unref);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->fields_list, i)) != NULL; i++)
    g_ptr_array_add (fields, field_row_to_field (field_row_get (row)));
  return fields;
}

static gboolean
json_mode (PqsTemplateEditor *self)
{
  return gtk_toggle_button_get_active (self->json_button);
}

/* Validation ---------------------------------------------------------------- */

/* The rows' field list checked: the model's sentence, and the row at
 * fault marked (the first field whose list up to it fails). */
static char *
validate_field_rows (PqsTemplateEditor *self)
{
  g_autoptr(GPtrArray) fields = collect_fields (self);
  g_autoptr(GError) error = NULL;
  int bad = -1;

  if (!pqs_template_fields_validate (fields, &error))
    for (guint n = 1; n <= fields->len && bad < 0; n++)
      {
        g_autoptr(GPtrArray) prefix = g_ptr_array_new ();

        for (guint i = 0; i < n; i++)
          g_ptr_array_add (prefix, g_ptr_array_index (fields, i));
        if (!pqs_template_fields_validate (prefix, NULL))
          bad = n - 1;
      }

  for (guint i = 0; i < fields->len; i++)
    {
      FieldRow *fr = field_row_get (gtk_list_box_get_row_at_index (self->fields_list, i));

      gtk_widget_set_visible (fr->warning_icon, (int) i == bad);
      gtk_widget_set_tooltip_text (fr->warning_icon, (int) i == bad ? error->message : NULL);
      if ((int) i == bad)
        gtk_accessible_update_property (GTK_ACCESSIBLE (fr->warning_icon),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, error->message, -1);
    }

  return error != NULL ? g_strdup (error->message) : NULL;
}

static char *
validate_fields_json (PqsTemplateEditor *self,
                      GPtrArray        **out_fields)
{
  g_autofree char *text = view_text (self->fields_json_view);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;

  fields = pqs_template_fields_parse (is_blank (text) ? "[]" : text, &error);
  if (out_fields != NULL)
    *out_fields = g_steal_pointer (&fields);
  return error != NULL ? g_strdup (error->message) : NULL;
}

static GPtrArray *
parse_outline (PqsTemplateEditor  *self,
               GError            **error)
{
  g_autofree char *text = view_text (self->outline_view);

  return pqs_outline_from_json_string (is_blank (text) ? "[]" : text, error);
}

static char *
validate_details (PqsTemplateEditor *self)
{
  g_autofree char *name = g_strstrip (g_strdup (row_text (self->name_row)));
  const char *description = row_text (self->description_row);

  if (*name == '\0')
    return g_strdup (_("Give the template a name."));
  if (g_utf8_strlen (name, -1) > PQS_TEMPLATE_NAME_MAX)
    return g_strdup_printf (_("A template name is one line of at most %d characters."),
                            PQS_TEMPLATE_NAME_MAX);
  if (g_utf8_strlen (description, -1) > PQS_TEMPLATE_DESCRIPTION_MAX)
    return g_strdup_printf (_("A description is text of at most %d characters."),
                            PQS_TEMPLATE_DESCRIPTION_MAX);
  return NULL;
}

static void
update_save (PqsTemplateEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 !is_read_only (self) && self->valid);
}

/* Checks the whole form now and shows what is wrong where it is wrong. */
static gboolean
run_validation (PqsTemplateEditor *self)
{
  g_autofree char *details = NULL;
  g_autofree char *fields = NULL;
  g_autoptr(GPtrArray) outline = NULL;
  g_autoptr(GError) outline_error = NULL;
  gboolean valid;

  g_clear_handle_id (&self->validate_source, g_source_remove);

  details = validate_details (self);
  fields = json_mode (self) ? validate_fields_json (self, NULL) : validate_field_rows (self);
  outline = parse_outline (self, &outline_error);

  /* An empty name is only pointed out once the person has been there. */
  show_message (self->details_error_label,
                self->name_touched || self->template != NULL ? details : NULL);
  show_message (self->fields_error_label, fields);
  show_message (self->outline_error_label, outline_error != NULL ? outline_error->message : NULL);

  /* Back to the rows only from a list that reads. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->json_button), !json_mode (self) || fields == NULL);

  valid = details == NULL && fields == NULL && outline != NULL;
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
  update_save (self);
  return valid;
}

static gboolean
validate_timeout_cb (gpointer data)
{
  PqsTemplateEditor *self = data;

  self->validate_source = 0;
  run_validation (self);
  return G_SOURCE_REMOVE;
}

/* Something was typed: checked after a pause, and until then Save waits. */
static void
schedule_validation (PqsTemplateEditor *self)
{
  if (self->filling)
    return;

  self->dirty = TRUE;
  g_clear_handle_id (&self->validate_source, g_source_remove);
  self->validate_source = g_timeout_add (VALIDATE_DELAY_MS, validate_timeout_cb, self);
}

static void
name_changed_cb (PqsTemplateEditor *self)
{
  if (!self->filling)
    self->name_touched = TRUE;
  schedule_validation (self);
}

/* Showing ------------------------------------------------------------------- */

static char *
usage_text (guint n_documents)
{
  if (n_documents == 0)
    return g_strdup (_("No document was made from it"));
  /* Translators: how many section documents were made from a template */
  return g_strdup_printf (ngettext ("%u document was made from it",
                                    "%u documents were made from it", n_documents),
                          n_documents);
}

/* The parts that follow the template as it changes: titles, status,
 * actions. The form is the person's to type in and is only filled when
 * the editor opens (or switches to a copy). */
static void
update_status (PqsTemplateEditor *self)
{
  gboolean manage = can_manage (self);
  gboolean system = self->template != NULL && pqs_template_get_system (self->template);
  gboolean active;
  g_autofree char *usage = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->status_group), self->template != NULL);
  gtk_widget_set_visible (self->actions_box, self->template != NULL && manage);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), system && manage);

  if (self->template == NULL)
    {
      adw_window_title_set_title (self->window_title, _("New Template"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_button_set_label (self->save_button, _("_Create"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.copy", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.toggle-active", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", FALSE);
      return;
    }

  active = pqs_template_get_active (self->template);
  adw_window_title_set_title (self->window_title,
                              is_read_only (self) ? _("Template") : _("Edit Template"));
  adw_window_title_set_subtitle (self->window_title, pqs_template_get_name (self->template));
  gtk_button_set_label (self->save_button, _("_Save"));

  if (system)
    adw_action_row_set_subtitle (self->status_row,
                                 active ? _("System template, offered for new documents")
                                        : _("System template, inactive"));
  else
    adw_action_row_set_subtitle (self->status_row,
                                 active ? _("Active: offered for new documents")
                                        : _("Inactive: not offered for new documents"));
  usage = usage_text (pqs_template_get_usage_count (self->template));
  adw_action_row_set_subtitle (self->usage_row, usage);

  gtk_button_set_label (self->active_button, active ? _("_Deactivate") : _("_Activate"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->delete_button),
                               system ? _("System templates cannot be deleted. Deactivate it "
                                          "instead.") : NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.copy", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.toggle-active", manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", manage && !system);
}

/* The one function that says what the signed-in user may change here. */
static void
update_permissions (PqsTemplateEditor *self)
{
  gboolean read_only = is_read_only (self);
  gboolean editable = !read_only;
  gboolean system = self->template != NULL && pqs_template_get_system (self->template);
  GtkListBoxRow *row;

  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), editable);
  gtk_editable_set_editable (GTK_EDITABLE (self->description_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->series_row), editable);
  gtk_text_view_set_editable (self->body_view, editable);
  gtk_text_view_set_cursor_visible (self->body_view, editable);
  gtk_text_view_set_editable (self->outline_view, editable);
  gtk_text_view_set_cursor_visible (self->outline_view, editable);
  gtk_text_view_set_editable (self->fields_json_view, editable);
  gtk_text_view_set_cursor_visible (self->fields_json_view, editable);
  gtk_widget_set_visible (GTK_WIDGET (self->add_field_button), editable && !json_mode (self));
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->fields_list, i)) != NULL; i++)
    field_row_set_editable (field_row_get (row), editable);

  gtk_widget_set_visible (GTK_WIDGET (self->save_button), editable);
  gtk_button_set_label (self->cancel_button, editable ? _("_Cancel") : _("_Close"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-field", editable);

  gtk_widget_set_visible (self->read_only_box, read_only);
  if (system && can_manage (self))
    gtk_label_set_text (self->read_only_label,
                        _("System templates can be copied, not edited. Copy it to make a "
                          "template of your own."));
  else if (system)
    gtk_label_set_text (self->read_only_label,
                        _("This template ships with PQS Desk. Only supervisors and "
                          "administrators change templates."));
  else
    gtk_label_set_text (self->read_only_label,
                        _("Only supervisors and administrators change templates."));

  update_status (self);
  update_save (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
fill_outline (PqsTemplateEditor *self,
              GPtrArray         *outline)
{
  g_autoptr(JsonNode) node = pqs_outline_to_json (outline);
  g_autofree char *text = json_pretty (node);

  set_view_text (self->outline_view, text);
}

static void
fill_fields_json (PqsTemplateEditor *self,
                  GPtrArray         *fields)
{
  g_autoptr(JsonNode) node = pqs_template_fields_to_json (fields);
  g_autofree char *text = json_pretty (node);

  set_view_text (self->fields_json_view, text);
}

static void
fill_form (PqsTemplateEditor *self)
{
  self->filling = TRUE;

  if (self->template != NULL)
    {
      set_row (self->name_row, pqs_template_get_name (self->template));
      set_row (self->description_row, pqs_template_get_description (self->template));
      select_section (self, pqs_template_get_section (self->template));
      set_view_text (self->body_view, pqs_template_get_body (self->template));
      set_field_rows (self, pqs_template_get_fields (self->template));
      fill_fields_json (self, pqs_template_get_fields (self->template));
      fill_outline (self, pqs_template_get_outline (self->template));
    }
  else
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      set_row (self->name_row, NULL);
      set_row (self->description_row, NULL);
      select_section (self, 100);
      set_view_text (self->body_view, NULL);
      set_field_rows (self, none);
      fill_fields_json (self, none);
      fill_outline (self, none);
    }

  self->filling = FALSE;
  self->dirty = FALSE;
  self->name_touched = FALSE;
  show_error (self, NULL);
  run_validation (self);
}

static void
template_notify_cb (PqsTemplateEditor *self)
{
  update_status (self);
}

/* Switches the editor to @template (the list's object, which follows
 * changes, when there is one). */
static void
set_template (PqsTemplateEditor *self,
              PqsTemplate       *template)
{
  if (self->template == template)
    return;
  if (self->template != NULL)
    g_signal_handlers_disconnect_by_func (self->template, template_notify_cb, self);
  g_set_object (&self->template, template);
  if (template != NULL)
    g_signal_connect_object (template, "notify", G_CALLBACK (template_notify_cb), self,
                             G_CONNECT_SWAPPED);
}

/* The list's object for @template when it has one, else @template. */
static PqsTemplate *
listed (PqsTemplateEditor *self,
        PqsTemplate       *template)
{
  PqsTemplate *found = NULL;

  if (self->templates != NULL)
    found = pqs_template_list_find (self->templates, pqs_template_get_id (template));
  return found != NULL ? found : template;
}

/* After a change the list may not show (a filter), the template read again. */
static void
refresh_template (PqsTemplateEditor *self)
{
  g_autoptr(PqsTemplate) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = pqs_template_get_id (self->template);

  if (self->templates != NULL && pqs_template_list_find (self->templates, id) == self->template)
    return;

  fresh = pqs_template_load (pqs_session_get_store (self->session), id, &error);
  if (fresh == NULL)
    {
      g_warning ("Could not read the template again: %s", error->message);
      return;
    }
  set_template (self, listed (self, fresh));
  update_status (self);
}

/* Fields: rows and JSON ---------------------------------------------------------- */

static void
json_toggled_cb (PqsTemplateEditor *self)
{
  if (self->filling)
    return;

  if (json_mode (self))
    {
      g_autoptr(GPtrArray) fields = collect_fields (self);

      self->filling = TRUE;
      fill_fields_json (self, fields);
      self->filling = FALSE;
      gtk_stack_set_visible_child_name (self->fields_stack, "json");
    }
  else
    {
      g_autoptr(GPtrArray) fields = NULL;
      g_autofree char *message = validate_fields_json (self, &fields);

      if (fields == NULL)
        {
          /* The rows cannot show a list that does not read. */
          self->filling = TRUE;
          gtk_toggle_button_set_active (self->json_button, TRUE);
          self->filling = FALSE;
          run_validation (self);
          return;
        }
      set_field_rows (self, fields);
      gtk_stack_set_visible_child_name (self->fields_stack, "rows");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->add_field_button),
                          !is_read_only (self) && !json_mode (self));
  run_validation (self);
}

static void
add_field_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (widget);
  GtkWidget *row;
  FieldRow *fr;

  if (is_read_only (self) || json_mode (self))
    return;

  row = field_row_new (self, NULL);
  fr = field_row_get (GTK_LIST_BOX_ROW (row));
  gtk_list_box_append (self->fields_list, row);
  update_field_rows (self);
  adw_expander_row_set_expanded (fr->expander, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (fr->label_row));
  schedule_validation (self);
}

/* Saving -------------------------------------------------------------------- */

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outline = NULL;
  g_autofree char *fields_json = NULL;
  g_autofree char *body = NULL;
  PqsTemplateSpec spec = { NULL, };

  if (is_read_only (self))
    return;

  show_error (self, NULL);
  self->name_touched = TRUE;
  if (!run_validation (self))
    return;

  if (self->template != NULL && !self->dirty)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (json_mode (self))
    {
      fields_json = view_text (self->fields_json_view);
      if (is_blank (fields_json))
        {
          g_free (fields_json);
          fields_json = g_strdup ("[]");
        }
    }
  else
    {
      g_autoptr(GPtrArray) fields = collect_fields (self);

      fields_json = pqs_template_fields_to_json_string (fields);
    }
  outline = parse_outline (self, NULL);
  body = view_text (self->body_view);

  spec.name = row_text (self->name_row);
  spec.description = row_text (self->description_row);
  spec.section = selected_section (self);
  spec.body = body;
  spec.fields_json = fields_json;
  spec.outline = outline;

  if (self->template == NULL)
    {
      g_autoptr(PqsTemplate) created = NULL;

      created = pqs_template_catalog_create (self->catalog, actor (self), &spec, &error);
      if (created == NULL)
        {
          show_error (self, error->message);
          return;
        }
      emit_toast (self, _("Template created"));
    }
  else
    {
      if (!pqs_template_catalog_update (self->catalog, actor (self),
                                        pqs_template_get_id (self->template), &spec, &error))
        {
          show_error (self, error->message);
          return;
        }
      emit_toast (self, _("Changes saved"));
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

/* Template actions -------------------------------------------------------------- */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (widget);
  g_autoptr(PqsTemplate) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  show_error (self, NULL);
  copy = pqs_template_catalog_copy (self->catalog, actor (self),
                                    pqs_template_get_id (self->template), &error);
  if (copy == NULL)
    {
      show_error (self, error->message);
      return;
    }

  set_template (self, listed (self, copy));
  update_permissions (self);
  fill_form (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  /* Translators: %s is the name of the new copy of a template */
  title = g_strdup_printf (_("Copied as “%s”"), pqs_template_get_name (copy));
  toast (self, title);
}

static void
toggle_active_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  gboolean active = !pqs_template_get_active (self->template);

  show_error (self, NULL);
  if (!pqs_template_catalog_set_active (self->catalog, actor (self),
                                        pqs_template_get_id (self->template), active, &error))
    {
      show_error (self, error->message);
      return;
    }
  refresh_template (self);
  toast (self, active ? _("Template activated") : _("Template deactivated"));
}

/* Also when the response came without a click (tests, AT). GTK 4.8 does
 * not forget a destroyed window's parent, so it is forgotten here. */
static void
close_dialog (AdwMessageDialog *dialog)
{
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
delete_response_cb (PqsTemplateEditor *self,
                    const char        *response,
                    AdwMessageDialog  *dialog)
{
  g_autoptr(GError) error = NULL;

  close_dialog (dialog);
  if (!g_str_equal (response, "delete") || self->template == NULL)
    return;

  show_error (self, NULL);
  if (!pqs_template_catalog_delete (self->catalog, actor (self),
                                    pqs_template_get_id (self->template), &error))
    {
      show_error (self, error->message);
      return;
    }

  emit_toast (self, _("Template deleted"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  /* Translators: %s is a template's name */
  heading = g_strdup_printf (_("Delete “%s”?"), pqs_template_get_name (self->template));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       _("The template is removed for good. "
                                                         "Only templates no document was made "
                                                         "from can be deleted; others can be "
                                                         "deactivated.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* Public ------------------------------------------------------------------------ */

/**
 * pqs_template_editor_get_template:
 * @self: a #PqsTemplateEditor
 *
 * Returns: (transfer none) (nullable): the template shown (after "Copy to
 *   Edit", the copy); %NULL while a new one is not yet created
 */
PqsTemplate *
pqs_template_editor_get_template (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), NULL);

  return self->template;
}

/**
 * pqs_template_editor_set_section:
 * @self: a #PqsTemplateEditor
 * @section: 100, 200 or 300
 *
 * Proposes the series of a new template (the view's series).
 */
void
pqs_template_editor_set_section (PqsTemplateEditor *self,
                                 int                section)
{
  g_return_if_fail (PQS_IS_TEMPLATE_EDITOR (self));
  g_return_if_fail (section == 100 || section == 200 || section == 300);

  if (self->template != NULL)
    return;

  self->filling = TRUE;
  select_section (self, section);
  self->filling = FALSE;
}

/**
 * pqs_template_editor_get_read_only:
 * @self: a #PqsTemplateEditor
 *
 * Returns: whether the template is shown without a way to change it (a
 *   system template, or a user who does not manage templates)
 */
gboolean
pqs_template_editor_get_read_only (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), TRUE);

  return is_read_only (self);
}

/**
 * pqs_template_editor_get_valid:
 * @self: a #PqsTemplateEditor
 *
 * Returns: whether the form read valid when it was last checked
 */
gboolean
pqs_template_editor_get_valid (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), FALSE);

  return self->valid;
}

/**
 * pqs_template_editor_check:
 * @self: a #PqsTemplateEditor
 *
 * Checks the form now, without waiting for the pause after typing, and
 * shows the messages.
 *
 * Returns: whether the form is valid
 */
gboolean
pqs_template_editor_check (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), FALSE);

  return run_validation (self);
}

static const char *
shown_text (GtkLabel *label)
{
  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/**
 * pqs_template_editor_get_error:
 * @self: a #PqsTemplateEditor
 *
 * Returns: (nullable): the model's sentence shown at the top (saving,
 *   copying, deleting refused), or the message about the name
 */
const char *
pqs_template_editor_get_error (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), NULL);

  if (shown_text (self->error_label) != NULL)
    return shown_text (self->error_label);
  return shown_text (self->details_error_label);
}

/**
 * pqs_template_editor_get_fields_error:
 * @self: a #PqsTemplateEditor
 *
 * Returns: (nullable): the message shown under the field list, naming the
 *   field at fault
 */
const char *
pqs_template_editor_get_fields_error (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), NULL);

  return shown_text (self->fields_error_label);
}

/**
 * pqs_template_editor_get_outline_error:
 * @self: a #PqsTemplateEditor
 *
 * Returns: (nullable): the message shown under the outline, naming the
 *   item at fault
 */
const char *
pqs_template_editor_get_outline_error (PqsTemplateEditor *self)
{
  g_return_val_if_fail (PQS_IS_TEMPLATE_EDITOR (self), NULL);

  return shown_text (self->outline_error_label);
}

/**
 * pqs_template_editor_new:
 * @session: who is signed in
 * @templates: (nullable): the templates, to follow the one shown as it changes
 * @template: (nullable): the template to show, or %NULL to create one
 *
 * Returns: (transfer none): a new editor window, to be presented
 */
PqsTemplateEditor *
pqs_template_editor_new (PqsSession      *session,
                         PqsTemplateList *templates,
                         PqsTemplate     *template)
{
  PqsTemplateEditor *self;

  g_return_val_if_fail (PQS_IS_SESSION (session), NULL);
  g_return_val_if_fail (templates == NULL || PQS_IS_TEMPLATE_LIST (templates), NULL);
  g_return_val_if_fail (template == NULL || PQS_IS_TEMPLATE (template), NULL);

  self = g_object_new (PQS_TYPE_TEMPLATE_EDITOR, NULL);
  self->session = g_object_ref (session);
  self->templates = templates != NULL ? g_object_ref (templates) : NULL;
  self->catalog = pqs_template_catalog_new (pqs_session_get_store (session));
  if (template != NULL)
    set_template (self, listed (self, template));

  update_permissions (self);
  fill_form (self);

  return self;
}

/* GObject ------------------------------------------------------------------------ */

static void
pqs_template_editor_dispose (GObject *object)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (object);

  g_clear_handle_id (&self->validate_source, g_source_remove);
  set_template (self, NULL);
  g_clear_object (&self->catalog);
  g_clear_object (&self->templates);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_TEMPLATE_EDITOR);

  G_OBJECT_CLASS (pqs_template_editor_parent_class)->dispose (object);
}

static void
pqs_template_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PqsTemplateEditor *self = PQS_TEMPLATE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->session == NULL || is_read_only (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_template_editor_class_init (PqsTemplateEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_template_editor_dispose;
  object_class->get_property = pqs_template_editor_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-template-editor.ui");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsTemplateEditor, name)
  BIND (toast_overlay);
  BIND (window_title);
  BIND (cancel_button);
  BIND (save_button);
  BIND (copy_button);
  BIND (scrolled_window);
  BIND (read_only_box);
  BIND (read_only_label);
  BIND (error_label);
  BIND (name_row);
  BIND (description_row);
  BIND (series_row);
  BIND (details_error_label);
  BIND (fields_group);
  BIND (json_button);
  BIND (add_field_button);
  BIND (fields_stack);
  BIND (fields_list);
  BIND (fields_json_view);
  BIND (fields_error_label);
  BIND (body_view);
  BIND (outline_view);
  BIND (outline_error_label);
  BIND (status_group);
  BIND (status_row);
  BIND (usage_row);
  BIND (actions_box);
  BIND (active_button);
  BIND (delete_button);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, json_toggled_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.add-field", NULL, add_field_action);
  gtk_widget_class_install_action (widget_class, "editor.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "editor.toggle-active", NULL,
                                   toggle_active_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.escape", NULL, escape_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
pqs_template_editor_init (PqsTemplateEditor *self)
{
  g_autoptr(GtkStringList) series = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The window's own title names it for assistive technologies. */
  g_object_bind_property (self->window_title, "title", self, "title", G_BINDING_SYNC_CREATE);

  gtk_string_list_append (series, _("100 Fundamentals"));
  gtk_string_list_append (series, _("200 Systems"));
  gtk_string_list_append (series, _("300 Watchstations"));
  adw_combo_row_set_model (self->series_row, G_LIST_MODEL (series));

  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (name_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->description_row, "changed",
                           G_CALLBACK (schedule_validation), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->series_row, "notify::selected",
                           G_CALLBACK (schedule_validation), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (schedule_validation), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->outline_view), "changed",
                           G_CALLBACK (schedule_validation), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->fields_json_view), "changed",
                           G_CALLBACK (schedule_validation), self, G_CONNECT_SWAPPED);
}
