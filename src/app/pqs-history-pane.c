/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-auth.h"
#include "pqs-diff.h"
#include "pqs-document.h"
#include "pqs-history-pane.h"
#include "pqs-history.h"
#include "pqs-library.h"
#include "pqs-session.h"
#include "pqs-store.h"
#include "pqs-user.h"

/**
 * PqsHistoryPane:
 *
 * The history of one section document, for the document editor: what
 * happened to it (who, when, what), newest first; the line diff of a
 * selected version against the current text or the version before it, or
 * of two selected versions; and "Restore This Version", which writes that
 * version as a new change (never a rewrite) after a confirmation.
 *
 * It reads the history again by itself when the database says a change or
 * a review was written; the embedder calls pqs_history_pane_reload() when it
 * knows better.
 *
 * Signals: "add-toast" (an #AdwToast with a result or a refusal), "restored"
 * (the id of the change restored: the document changed in the database).
 */

#define DIFF_CONTEXT 3

struct _PqsHistoryPane
{
  GtkWidget         parent_instance;

  /* Template children */
  GtkStack         *stack;
  AdwStatusPage    *empty_page;
  GtkPaned         *paned;
  GtkListBox       *list_box;
  GtkLabel         *diff_title;
  GtkLabel         *diff_summary;
  GtkDropDown      *compare_drop_down;
  GtkStack         *diff_stack;
  GtkLabel         *hint_label;
  GtkTextView      *diff_view;
  GtkWidget        *action_separator;
  GtkWidget        *action_bar;
  GtkLabel         *restore_note;
  GtkButton        *restore_button;

  PqsSession       *session;
  PqsLibrary       *library;
  PqsHistory       *history;
  gint64            document_id;

  GPtrArray        *entries;          /* (element-type PqsHistoryEntry) oldest first */
  char             *current_text;     /* the document's canonical text now */
  gint64            edit_count;       /* the document's, at the last reload */
  PqsDocumentStatus status;
  gboolean          may_restore;      /* the user may edit (or revise) the document */
  char             *summary;          /* of the diff shown */

  guint             reload_source;
  gboolean          reloading;        /* rows are being replaced: ignore selection changes */
};

G_DEFINE_FINAL_TYPE (PqsHistoryPane, pqs_history_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_DOCUMENT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ADD_TOAST,
  RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  COMPARE_CURRENT,
  COMPARE_PREVIOUS,
};

static void update_diff (PqsHistoryPane *self);

static void
toast (PqsHistoryPane *self,
       const char     *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
  g_object_unref (toast);
}

/* Rows ------------------------------------------------------------------------ */

static PqsHistoryEntry *
row_get_entry (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "pqs-history-entry");
}

/* What happened, as a person says it: "Saved", "Changes requested: …". */
static char *
entry_title (const PqsHistoryEntry *entry)
{
  const char *text;
  const char *action;

  if (entry->kind == PQS_HISTORY_REVIEW)
    {
      text = entry->comment;
      if (g_strcmp0 (entry->decision, "approved") == 0)
        return text != NULL && *text != '\0'
               /* Translators: a review in a document's history, with its comment */
               ? g_strdup_printf (C_("history", "Approved: %s"), text)
               : g_strdup (C_("history", "Approved"));
      if (g_strcmp0 (entry->decision, "changes_requested") == 0)
        return g_strdup_printf (C_("history", "Changes requested: %s"), text != NULL ? text : "");
      return g_strdup_printf (C_("history", "Comment: %s"), text != NULL ? text : "");
    }

  text = entry->summary != NULL && *entry->summary != '\0' ? entry->summary : NULL;
  action = entry->action != NULL ? entry->action : entry->change_type;

  if (g_strcmp0 (action, "save") == 0 || g_strcmp0 (action, "update") == 0)
    return text != NULL ? g_strdup_printf (C_("history", "Saved: %s"), text)
                        : g_strdup (C_("history", "Saved"));
  if (g_strcmp0 (action, "submit") == 0)
    return text != NULL ? g_strdup_printf (C_("history", "Submitted: %s"), text)
                        : g_strdup (C_("history", "Submitted"));
  if (g_strcmp0 (action, "approve") == 0)
    return text != NULL ? g_strdup_printf (C_("history", "Approved: %s"), text)
                        : g_strdup (C_("history", "Approved"));
  if (g_strcmp0 (action, "request_changes") == 0)
    return text != NULL ? g_strdup_printf (C_("history", "Changes requested: %s"), text)
                        : g_strdup (C_("history", "Changes requested"));
  if (g_strcmp0 (action, "restore") == 0)
    /* The summary says which: "Restored the version of 3 Nov 2026, 14:05". */
    return text != NULL ? g_strdup (text) : g_strdup (C_("history", "Restored an earlier version"));

  return g_strdup (pqs_history_entry_get_label (entry));
}

static const char *
entry_icon (const PqsHistoryEntry *entry)
{
  const char *action = entry->kind == PQS_HISTORY_REVIEW ? entry->decision
                       : entry->action != NULL ? entry->action : entry->change_type;
  static const struct { const char *action; const char *icon; } icons[] = {
    { "create", "document-new-symbolic" },
    { "submit", "document-send-symbolic" },
    { "approve", "emblem-ok-symbolic" },
    { "approved", "emblem-ok-symbolic" },
    { "request_changes", "mail-reply-sender-symbolic" },
    { "changes_requested", "mail-reply-sender-symbolic" },
    { "comment", "chat-message-new-symbolic" },
    { "archive", "folder-symbolic" },
    { "revise", "document-edit-symbolic" },
    { "restore", "document-revert-symbolic" },
    { "import", "document-open-symbolic" },
    { "renumber", "view-list-ordered-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (action, icons[i].action) == 0)
      return icons[i].icon;
  return "document-save-symbolic";
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (time);
  /* Translators: when something happened in a document's history (strftime format) */
  return g_date_time_format (local, C_("history time", "%-d %b %Y, %H:%M"));
}

/* Spaces that do not break: a narrow pane wraps between the parts of a
 * line, not inside a date. */
static char *
unbreakable (char *text)   /* (transfer full) */
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  g_free (text);
  return g_strjoinv ("\xc2\xa0", words);
}

/* Who, when and which version: "PO1 Jo Doe · 3 Nov 2026, 14:05 · Version 2". */
static char *
entry_subtitle (const PqsHistoryEntry *entry)
{
  g_autofree char *when = unbreakable (format_time (entry->time));
  /* Translators: the document's version (revision) an event of its history belongs to */
  g_autofree char *version = unbreakable (g_strdup_printf (C_("history", "Version %u"),
                                                           entry->version));

  /* Translators: under an event of a document's history: who, when, the version */
  return g_strdup_printf (C_("history", "%s · %s · %s"),
                          entry->user_name != NULL ? entry->user_name : "—", when, version);
}

static GtkWidget *
row_new (PqsHistoryEntry *entry)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  /* The title says what happened; the icon only shows it. */
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE,
                                  "icon-name", entry_icon (entry),
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);
  g_autofree char *title_text = entry_title (entry);
  g_autofree char *subtitle_text = entry_subtitle (entry);
  GtkWidget *title = gtk_label_new (title_text);
  GtkWidget *subtitle = gtk_label_new (subtitle_text);
  g_autofree char *accessible = g_strdup_printf ("%s, %s", title_text, subtitle_text);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_margin_top (icon, 2);

  /* A long comment shows its first lines; the tooltip has it all. */
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (title), 3);
  if (g_utf8_strlen (title_text, -1) > 80)
    gtk_widget_set_tooltip_text (title, title_text);

  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");

  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Reviews carry no text of their own: they are read, not compared. */
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row),
                                   entry->kind == PQS_HISTORY_CHANGE && entry->has_text);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (row), "pqs-history-entry", entry);
  return row;
}

/* A review written with its workflow step (an approval, a request for
 * changes) says what the step's own row says already. */
static gboolean
review_repeats_change (const PqsHistoryEntry *review,
                       const PqsHistoryEntry *change)
{
  const char *action;

  if (change == NULL || review->kind != PQS_HISTORY_REVIEW || change->kind != PQS_HISTORY_CHANGE ||
      review->user_id != change->user_id || review->time == NULL || change->time == NULL ||
      !g_date_time_equal (review->time, change->time))
    return FALSE;

  action = change->action;
  return (g_strcmp0 (review->decision, "approved") == 0 && g_strcmp0 (action, "approve") == 0) ||
         (g_strcmp0 (review->decision, "changes_requested") == 0 &&
          g_strcmp0 (action, "request_changes") == 0);
}

/* Selection ------------------------------------------------------------------- */

/* The selected changes, older first. */
static GPtrArray *
selected_entries (PqsHistoryPane *self)
{
  GPtrArray *selected = g_ptr_array_new ();
  GList *rows = gtk_list_box_get_selected_rows (self->list_box);

  for (GList *l = rows; l != NULL; l = l->next)
    {
      PqsHistoryEntry *entry = row_get_entry (l->data);

      if (entry != NULL)
        g_ptr_array_add (selected, entry);
    }
  g_list_free (rows);

  /* Rows are newest first; ids grow with time. */
  for (guint i = 1; i < selected->len; i++)
    for (guint j = i; j > 0; j--)
      {
        PqsHistoryEntry *a = g_ptr_array_index (selected, j - 1);
        PqsHistoryEntry *b = g_ptr_array_index (selected, j);

        if (a->id > b->id)
          {
            selected->pdata[j - 1] = b;
            selected->pdata[j] = a;
          }
      }
  return selected;
}

/* The change before @entry that kept its text, or NULL. */
static PqsHistoryEntry *
previous_with_text (PqsHistoryPane  *self,
                    PqsHistoryEntry *entry)
{
  PqsHistoryEntry *previous = NULL;

  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    {
      PqsHistoryEntry *candidate = g_ptr_array_index (self->entries, i);

      if (candidate == entry)
        break;
      if (candidate->kind == PQS_HISTORY_CHANGE && candidate->has_text)
        previous = candidate;
    }
  return previous;
}

static PqsHistoryEntry *
find_change (PqsHistoryPane *self,
             gint64          change_id)
{
  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    {
      PqsHistoryEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->kind == PQS_HISTORY_CHANGE && entry->id == change_id)
        return entry;
    }
  return NULL;
}

static GtkListBoxRow *
find_row (PqsHistoryPane  *self,
          PqsHistoryEntry *entry)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list_box, i)) != NULL; i++)
    if (row_get_entry (row) == entry)
      return row;
  return NULL;
}

/* The diff ---------------------------------------------------------------------- */

static char *
diff_summary_text (guint added,
                   guint removed)
{
  g_autofree char *added_text = NULL;

  if (added == 0 && removed == 0)
    return g_strdup (_("No differences"));
  if (removed == 0)
    return g_strdup_printf (ngettext ("%u line added", "%u lines added", added), added);
  if (added == 0)
    return g_strdup_printf (ngettext ("%u line removed", "%u lines removed", removed), removed);

  added_text = g_strdup_printf (ngettext ("%u line added", "%u lines added", added), added);
  /* Translators: "3 lines added, 1 removed"; the first %s is "3 lines added" */
  return g_strdup_printf (ngettext ("%s, %u removed", "%s, %u removed", removed), added_text,
                          removed);
}

static void
update_tag_colors (PqsHistoryPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkTextTag *added = gtk_text_tag_table_lookup (table, "added");
  GtkTextTag *removed = gtk_text_tag_table_lookup (table, "removed");

  /* The palette's green 5 / red 4 on light, green 1 / red 1 on dark; the
   * tinted background marks the line, the +/− says it without colour. */
  g_object_set (added,
                "foreground", dark ? "#8ff0a4" : "#1c6b3a",
                "paragraph-background-rgba", &(GdkRGBA) { 0.18, 0.76, 0.49, dark ? 0.16 : 0.14 },
                NULL);
  g_object_set (removed,
                "foreground", dark ? "#f66151" : "#a51d2d",
                "paragraph-background-rgba", &(GdkRGBA) { 0.88, 0.11, 0.14, dark ? 0.18 : 0.10 },
                NULL);
}

static void
set_diff_hint (PqsHistoryPane *self,
               const char     *hint)
{
  gtk_label_set_text (self->hint_label, hint);
  gtk_stack_set_visible_child_name (self->diff_stack, "hint");
  gtk_label_set_text (self->diff_title, _("Differences"));
  gtk_widget_set_visible (GTK_WIDGET (self->diff_summary), FALSE);
  g_clear_pointer (&self->summary, g_free);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->diff_view),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
show_hunks (PqsHistoryPane *self,
            GPtrArray      *hunks,
            const char     *title)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  GtkTextIter end;
  guint added = 0;
  guint removed = 0;

  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_get_end_iter (buffer, &end);

  for (guint h = 0; h < hunks->len; h++)
    {
      PqsDiffHunk *hunk = g_ptr_array_index (hunks, h);
      g_autofree char *header = NULL;

      /* Translators: the start of a block of changes in a comparison: its lines in the
       * earlier and in the later text */
      header = g_strdup_printf (_("Lines %u–%u → %u–%u"),
                                hunk->old_start, hunk->old_start + MAX (hunk->old_count, 1) - 1,
                                hunk->new_start, hunk->new_start + MAX (hunk->new_count, 1) - 1);
      if (h > 0)
        gtk_text_buffer_insert (buffer, &end, "\n", 1);
      gtk_text_buffer_insert_with_tags_by_name (buffer, &end, header, -1, "hunk", NULL);
      gtk_text_buffer_insert (buffer, &end, "\n", 1);

      for (guint i = 0; i < hunk->lines->len; i++)
        {
          PqsDiffLine *line = g_ptr_array_index (hunk->lines, i);
          const char *prefix = "  ";
          const char *tag = NULL;

          if (line->op == PQS_DIFF_ADDED)
            {
              prefix = "+ ";
              tag = "added";
              added++;
            }
          else if (line->op == PQS_DIFF_REMOVED)
            {
              prefix = "− ";
              tag = "removed";
              removed++;
            }

          if (tag != NULL)
            {
              gtk_text_buffer_insert_with_tags_by_name (buffer, &end, prefix, -1, tag, NULL);
              gtk_text_buffer_insert_with_tags_by_name (buffer, &end, line->text, -1, tag, NULL);
              gtk_text_buffer_insert_with_tags_by_name (buffer, &end, "\n", 1, tag, NULL);
            }
          else
            {
              gtk_text_buffer_insert (buffer, &end, prefix, -1);
              gtk_text_buffer_insert (buffer, &end, line->text, -1);
              gtk_text_buffer_insert (buffer, &end, "\n", 1);
            }
        }
    }

  /* A wrapped line continues under its text, not under its "+ ". */
  {
    PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->diff_view), "+ ");
    int prefix_width = 0;

    pango_layout_get_pixel_size (layout, &prefix_width, NULL);
    g_object_unref (layout);
    /* Negative: a hanging indent, the first line at the margin. */
    gtk_text_view_set_indent (self->diff_view, -prefix_width);
  }

  g_free (self->summary);
  self->summary = diff_summary_text (added, removed);
  gtk_label_set_text (self->diff_title, title);
  gtk_label_set_text (self->diff_summary, self->summary);
  gtk_widget_set_visible (GTK_WIDGET (self->diff_summary), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->diff_view),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);

  if (hunks->len == 0)
    {
      gtk_label_set_text (self->hint_label, _("The two texts are the same."));
      gtk_stack_set_visible_child_name (self->diff_stack, "hint");
    }
  else
    gtk_stack_set_visible_child_name (self->diff_stack, "diff");
}

/* The text a change kept, or NULL with @error set. */
static char *
change_text (PqsHistoryPane  *self,
             PqsHistoryEntry *entry,
             GError         **error)
{
  if (entry == NULL)
    return g_strdup ("");
  return pqs_history_get_text (self->history, pqs_session_get_user (self->session), entry->id,
                               error);
}

/* Shows the diff of @new_entry's text (NULL: the current text) against
 * @old_entry's (NULL: nothing, for the first version). */
static gboolean
show_diff (PqsHistoryPane  *self,
           PqsHistoryEntry *old_entry,
           PqsHistoryEntry *new_entry)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GPtrArray) hunks = NULL;

  old_text = change_text (self, old_entry, &error);
  if (old_text != NULL)
    new_text = new_entry != NULL ? change_text (self, new_entry, &error)
                                 : g_strdup (self->current_text != NULL ? self->current_text : "");
  if (new_text == NULL)
    {
      set_diff_hint (self, error->message);
      return FALSE;
    }

  hunks = pqs_diff_lines (old_text, new_text, DIFF_CONTEXT);

  if (old_entry == NULL)
    {
      g_autofree char *when = format_time (new_entry->time);

      /* Translators: the first text of a document; %s is when it was written */
      title = g_strdup_printf (_("As first written, %s"), when);
    }
  else if (new_entry == NULL)
    {
      g_autofree char *when = format_time (old_entry->time);

      /* Translators: a comparison of a version with the document as it is now; %s is when
       * the version was written */
      title = g_strdup_printf (_("%s → now"), when);
    }
  else
    {
      g_autofree char *old_when = format_time (old_entry->time);
      g_autofree char *new_when = NULL;
      g_autoptr(GDateTime) old_local = NULL;
      g_autoptr(GDateTime) new_local = NULL;

      if (old_entry->time != NULL && new_entry->time != NULL)
        {
          old_local = g_date_time_to_local (old_entry->time);
          new_local = g_date_time_to_local (new_entry->time);
        }
      /* The same day once: "3 Nov 2026, 14:05 → 16:30". */
      if (old_local != NULL &&
          g_date_time_get_year (old_local) == g_date_time_get_year (new_local) &&
          g_date_time_get_day_of_year (old_local) == g_date_time_get_day_of_year (new_local))
        /* Translators: a time of day (strftime format) */
        new_when = g_date_time_format (new_local, C_("history time", "%H:%M"));
      else
        new_when = format_time (new_entry->time);

      old_when = unbreakable (g_steal_pointer (&old_when));
      new_when = unbreakable (g_steal_pointer (&new_when));
      /* Translators: a comparison of two versions, by when they were written */
      title = g_strdup_printf (_("%s → %s"), old_when, new_when);
    }

  show_hunks (self, hunks, title);
  return TRUE;
}

/* Restoring ------------------------------------------------------------------------- */

/* The one selected change that can be written again, with a sentence saying
 * why not when there is none. */
static PqsHistoryEntry *
restorable_selection (PqsHistoryPane  *self,
                      const char     **out_reason)
{
  g_autoptr(GPtrArray) selected = selected_entries (self);
  PqsHistoryEntry *entry;
  g_autofree char *text = NULL;

  *out_reason = NULL;
  if (selected->len != 1)
    return NULL;

  entry = g_ptr_array_index (selected, 0);
  if (!entry->restorable)
    {
      *out_reason = _("This version was saved before whole versions were kept: it can be "
                      "compared, not restored.");
      return NULL;
    }
  if (self->status == PQS_DOCUMENT_IN_REVIEW || self->status == PQS_DOCUMENT_ARCHIVED)
    {
      *out_reason = self->status == PQS_DOCUMENT_IN_REVIEW
                    ? _("The document is in review: it cannot be changed until the review ends.")
                    : _("The document is archived: it cannot be changed.");
      return NULL;
    }

  text = pqs_history_get_text (self->history, pqs_session_get_user (self->session), entry->id,
                               NULL);
  if (text != NULL && g_strcmp0 (text, self->current_text) == 0)
    {
      *out_reason = _("This version is the current text.");
      return NULL;
    }
  return entry;
}

static void
update_restore (PqsHistoryPane *self)
{
  const char *reason = NULL;
  PqsHistoryEntry *entry = NULL;

  gtk_widget_set_visible (self->action_bar, self->may_restore);
  gtk_widget_set_visible (self->action_separator, self->may_restore);
  if (self->may_restore)
    entry = restorable_selection (self, &reason);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.restore", entry != NULL);
  gtk_label_set_text (self->restore_note, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->restore_note), reason != NULL);
}

static void
restore_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     PqsHistoryPane   *self)
{
  g_autoptr(GError) error = NULL;
  gint64 change_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "change-id"));
  gint64 edit_count = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "edit-count");
  const char *when = g_object_get_data (G_OBJECT (dialog), "when");
  g_autofree char *summary = NULL;
  g_autofree char *message = NULL;

  if (g_strcmp0 (response, "restore") != 0 || self->session == NULL)
    return;

  /* Translators: the history's note of a restore; %s is when the version was written */
  summary = g_strdup_printf (_("Restored the version of %s"), when);
  if (!pqs_history_restore (self->history, pqs_session_get_user (self->session), change_id,
                            edit_count, summary, &error))
    {
      toast (self, error->message);
      /* A conflict: show what is there now. */
      pqs_history_pane_reload (self);
      return;
    }

  pqs_history_pane_reload (self);
  message = g_strdup_printf (_("The version of %s was restored"), when);
  toast (self, message);
  g_signal_emit (self, signals[RESTORED], 0, change_id);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PqsHistoryPane *self = PQS_HISTORY_PANE (widget);
  const char *reason;
  PqsHistoryEntry *entry = restorable_selection (self, &reason);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;
  g_autofree char *when = NULL;

  if (entry == NULL || self->session == NULL)
    return;

  when = format_time (entry->time);
  /* Translators: %s is when the version was written: "3 Nov 2026, 14:05" */
  heading = g_strdup_printf (_("Restore the Version of %s?"), when);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       heading, NULL));
  adw_message_dialog_set_body (dialog, self->status == PQS_DOCUMENT_APPROVED
    ? _("Its title, fields, body and line items become a new draft revision of the document. "
        "The approved text stays in the history.")
    : _("Its title, fields, body and line items are saved as a new change. The current text "
        "stays in the history."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "restore", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  adw_message_dialog_set_close_response (dialog, "cancel");

  /* What the user saw when asking: a change written since is a conflict. */
  g_object_set_data (G_OBJECT (dialog), "change-id", GSIZE_TO_POINTER ((gsize) entry->id));
  g_object_set_data_full (G_OBJECT (dialog), "when", g_steal_pointer (&when), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "edit-count",
                          g_memdup2 (&self->edit_count, sizeof self->edit_count), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (restore_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Reloading -------------------------------------------------------------------------- */

static void
update_diff (PqsHistoryPane *self)
{
  g_autoptr(GPtrArray) selected = NULL;
  PqsHistoryEntry *entry;

  /* Also while the template goes away. */
  if (self->reloading || self->list_box == NULL)
    return;

  selected = selected_entries (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_drop_down), selected->len == 1);

  if (selected->len == 0)
    set_diff_hint (self, _("Select a version to see how it differs from the current text. "
                           "Hold Ctrl to select a second version and compare the two."));
  else if (selected->len == 2)
    show_diff (self, g_ptr_array_index (selected, 0), g_ptr_array_index (selected, 1));
  else if (selected->len > 2)
    set_diff_hint (self, _("Select one or two versions to compare."));
  else
    {
      entry = g_ptr_array_index (selected, 0);
      if (gtk_drop_down_get_selected (self->compare_drop_down) == COMPARE_PREVIOUS)
        show_diff (self, previous_with_text (self, entry), entry);
      else
        show_diff (self, entry, NULL);
    }

  update_restore (self);
}

static void
selection_changed_cb (PqsHistoryPane *self)
{
  update_diff (self);
}

static void
compare_changed_cb (PqsHistoryPane *self)
{
  update_diff (self);
}

static void
clear_rows (PqsHistoryPane *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
}

static void
show_empty (PqsHistoryPane *self,
            const char     *title,
            const char     *description,
            const char     *icon_name)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  adw_status_page_set_icon_name (self->empty_page, icon_name);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/**
 * pqs_history_pane_reload:
 * @self: a #PqsHistoryPane
 *
 * Reads the document's history and its current text again, keeping the
 * selected versions selected.
 */
void
pqs_history_pane_reload (PqsHistoryPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PqsDocument) document = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GArray) selected_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PqsUser *user;
  PqsHistoryEntry *previous = NULL;

  g_return_if_fail (PQS_IS_HISTORY_PANE (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);

  {
    g_autoptr(GPtrArray) selected = selected_entries (self);

    for (guint i = 0; i < selected->len; i++)
      g_array_append_val (selected_ids, ((PqsHistoryEntry *) g_ptr_array_index (selected, i))->id);
  }

  self->reloading = TRUE;
  clear_rows (self);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->current_text, g_free);
  self->may_restore = FALSE;
  self->edit_count = -1;

  if (self->session == NULL || self->document_id <= 0)
    {
      self->reloading = FALSE;
      show_empty (self, _("No History"), _("Open a document to see its history."),
                  "document-open-recent-symbolic");
      update_diff (self);
      return;
    }

  user = pqs_session_get_user (self->session);
  document = pqs_library_load_document (self->library, user, self->document_id, &error);
  if (document != NULL)
    entries = pqs_history_list (self->history, user, self->document_id, &error);
  if (entries == NULL)
    {
      self->reloading = FALSE;
      show_empty (self, _("History Unavailable"), error->message, "dialog-warning-symbolic");
      update_diff (self);
      return;
    }

  self->entries = g_steal_pointer (&entries);
  self->current_text = pqs_document_render_canonical (document);
  self->edit_count = pqs_document_get_edit_count (document);
  self->status = pqs_document_get_status (document);
  self->may_restore = pqs_library_can (self->library, user, PQS_ACTION_EDIT_DOCUMENT,
                                       self->document_id) ||
                      (self->status == PQS_DOCUMENT_APPROVED &&
                       pqs_library_can (self->library, user, PQS_ACTION_REVISE_DOCUMENT,
                                        self->document_id));

  /* Newest first. */
  for (guint i = 0; i < self->entries->len; i++)
    {
      PqsHistoryEntry *entry = g_ptr_array_index (self->entries, i);

      if (!review_repeats_change (entry, previous))
        gtk_list_box_prepend (self->list_box, row_new (entry));
      if (entry->kind == PQS_HISTORY_CHANGE)
        previous = entry;
    }

  for (guint i = 0; i < selected_ids->len; i++)
    {
      PqsHistoryEntry *entry = find_change (self, g_array_index (selected_ids, gint64, i));
      GtkListBoxRow *row = entry != NULL ? find_row (self, entry) : NULL;

      if (row != NULL)
        gtk_list_box_select_row (self->list_box, row);
    }

  self->reloading = FALSE;
  if (self->entries->len == 0)
    show_empty (self, _("No History"), _("Nothing was recorded for this document yet."),
                "document-open-recent-symbolic");
  else
    gtk_stack_set_visible_child_name (self->stack, "history");
  update_diff (self);
}

static gboolean
reload_idle_cb (gpointer data)
{
  PqsHistoryPane *self = data;

  self->reload_source = 0;
  pqs_history_pane_reload (self);
  return G_SOURCE_REMOVE;
}

/* Someone wrote a change or a review (maybe of another document: a reload
 * costs one query, so it does not ask). */
static void
store_changed_cb (PqsHistoryPane *self)
{
  if (self->document_id > 0 && self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle_cb, self, NULL);
}

/* Public API --------------------------------------------------------------------------- */

PqsHistoryPane *
pqs_history_pane_new (void)
{
  return g_object_new (PQS_TYPE_HISTORY_PANE, NULL);
}

PqsSession *
pqs_history_pane_get_session (PqsHistoryPane *self)
{
  g_return_val_if_fail (PQS_IS_HISTORY_PANE (self), NULL);

  return self->session;
}

static void
disconnect_store (PqsHistoryPane *self)
{
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (pqs_session_get_store (self->session),
                                          store_changed_cb, self);
}

/**
 * pqs_history_pane_set_session:
 * @self: a #PqsHistoryPane
 * @session: (nullable): who is signed in
 *
 * The history is read as @session's user may read it, and "Restore This
 * Version" shows only when that user may change the document.
 */
void
pqs_history_pane_set_session (PqsHistoryPane *self,
                              PqsSession     *session)
{
  g_return_if_fail (PQS_IS_HISTORY_PANE (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  if (self->session == session)
    return;

  disconnect_store (self);
  g_clear_object (&self->history);
  g_clear_object (&self->library);
  g_set_object (&self->session, session);

  if (session != NULL)
    {
      PqsStore *store = pqs_session_get_store (session);

      self->library = pqs_library_new (store);
      self->history = pqs_history_new (self->library);
      g_signal_connect_object (store, "changed::document_changes",
                               G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "changed::document_reviews",
                               G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
    }

  pqs_history_pane_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gint64
pqs_history_pane_get_document_id (PqsHistoryPane *self)
{
  g_return_val_if_fail (PQS_IS_HISTORY_PANE (self), 0);

  return self->document_id;
}

/**
 * pqs_history_pane_set_document_id:
 * @self: a #PqsHistoryPane
 * @document_id: the section document, or 0 for none
 */
void
pqs_history_pane_set_document_id (PqsHistoryPane *self,
                                  gint64          document_id)
{
  g_return_if_fail (PQS_IS_HISTORY_PANE (self));
  g_return_if_fail (document_id >= 0);

  if (self->document_id == document_id)
    return;

  self->document_id = document_id;
  /* Another document's selection means nothing here. */
  self->reloading = TRUE;
  clear_rows (self);
  self->reloading = FALSE;
  pqs_history_pane_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_ID]);
}

guint
pqs_history_pane_get_n_entries (PqsHistoryPane *self)
{
  GtkWidget *child;
  guint n = 0;

  g_return_val_if_fail (PQS_IS_HISTORY_PANE (self), 0);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child))
      n++;
  return n;
}

/**
 * pqs_history_pane_compare:
 * @self: a #PqsHistoryPane
 * @old_change_id: the earlier version, or 0 for the one before @new_change_id
 * @new_change_id: the later version, or 0 for the current text
 *
 * Selects the versions and shows their diff, as a user would.
 *
 * Returns: %TRUE when the diff is shown
 */
gboolean
pqs_history_pane_compare (PqsHistoryPane *self,
                          gint64          old_change_id,
                          gint64          new_change_id)
{
  PqsHistoryEntry *old_entry = NULL;
  PqsHistoryEntry *new_entry = NULL;
  GtkListBoxRow *old_row = NULL;
  GtkListBoxRow *new_row = NULL;

  g_return_val_if_fail (PQS_IS_HISTORY_PANE (self), FALSE);

  if (old_change_id == 0 && new_change_id == 0)
    return FALSE;
  if (old_change_id != 0 && (old_entry = find_change (self, old_change_id)) == NULL)
    return FALSE;
  if (new_change_id != 0 && (new_entry = find_change (self, new_change_id)) == NULL)
    return FALSE;
  if ((old_entry != NULL && !old_entry->has_text) || (new_entry != NULL && !new_entry->has_text))
    return FALSE;
  old_row = old_entry != NULL ? find_row (self, old_entry) : NULL;
  new_row = new_entry != NULL ? find_row (self, new_entry) : NULL;
  if ((old_entry != NULL && old_row == NULL) || (new_entry != NULL && new_row == NULL))
    return FALSE;

  self->reloading = TRUE;
  gtk_list_box_unselect_all (self->list_box);
  if (old_row != NULL)
    gtk_list_box_select_row (self->list_box, old_row);
  if (new_row != NULL)
    gtk_list_box_select_row (self->list_box, new_row);
  gtk_drop_down_set_selected (self->compare_drop_down,
                              old_entry == NULL ? COMPARE_PREVIOUS : COMPARE_CURRENT);
  self->reloading = FALSE;

  update_diff (self);
  return self->summary != NULL;
}

const char *
pqs_history_pane_get_diff_summary (PqsHistoryPane *self)
{
  g_return_val_if_fail (PQS_IS_HISTORY_PANE (self), NULL);

  return self->summary;
}

/* GObject ------------------------------------------------------------------------------ */

static void
dark_changed_cb (PqsHistoryPane *self)
{
  update_tag_colors (self);
}

static void
pqs_history_pane_dispose (GObject *object)
{
  PqsHistoryPane *self = PQS_HISTORY_PANE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  disconnect_store (self);
  self->reloading = TRUE;

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_HISTORY_PANE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->history);
  g_clear_object (&self->library);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_history_pane_parent_class)->dispose (object);
}

static void
pqs_history_pane_finalize (GObject *object)
{
  PqsHistoryPane *self = PQS_HISTORY_PANE (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_free (self->current_text);
  g_free (self->summary);

  G_OBJECT_CLASS (pqs_history_pane_parent_class)->finalize (object);
}

static void
pqs_history_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PqsHistoryPane *self = PQS_HISTORY_PANE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_DOCUMENT_ID:
      g_value_set_int64 (value, self->document_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_history_pane_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PqsHistoryPane *self = PQS_HISTORY_PANE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      pqs_history_pane_set_session (self, g_value_get_object (value));
      break;
    case PROP_DOCUMENT_ID:
      pqs_history_pane_set_document_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pqs_history_pane_class_init (PqsHistoryPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_history_pane_dispose;
  object_class->finalize = pqs_history_pane_finalize;
  object_class->get_property = pqs_history_pane_get_property;
  object_class->set_property = pqs_history_pane_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, PQS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DOCUMENT_ID] =
    g_param_spec_int64 ("document-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/pqs-history-pane.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "pqshistorypane");

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, PqsHistoryPane, name)
  BIND (stack);
  BIND (empty_page);
  BIND (paned);
  BIND (list_box);
  BIND (diff_title);
  BIND (diff_summary);
  BIND (compare_drop_down);
  BIND (diff_stack);
  BIND (hint_label);
  BIND (diff_view);
  BIND (action_separator);
  BIND (action_bar);
  BIND (restore_note);
  BIND (restore_button);
#undef BIND

  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, compare_changed_cb);

  gtk_widget_class_install_action (widget_class, "history.restore", NULL, restore_action);
}

static void
pqs_history_pane_init (PqsHistoryPane *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  buffer = gtk_text_view_get_buffer (self->diff_view);
  gtk_text_buffer_create_tag (buffer, "added", NULL);
  gtk_text_buffer_create_tag (buffer, "removed", NULL);
  gtk_text_buffer_create_tag (buffer, "hunk",
                              "weight", PANGO_WEIGHT_BOLD,
                              "scale", 0.9,
                              "foreground-rgba", &(GdkRGBA) { 0.5, 0.5, 0.5, 1.0 },
                              "pixels-above-lines", 4,
                              NULL);
  update_tag_colors (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);

  self->edit_count = -1;
  pqs_history_pane_reload (self);
}
