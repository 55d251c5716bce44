/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pqs-app"

#include "config.h"

#include <glib/gi18n.h>

#include "pqs-document-editor.h"
#include "pqs-main-view.h"
#include "pqs-session.h"
#include "pqs-user-directory.h"
#include "pqs-user.h"

/**
 * PqsMainView:
 *
 * The signed-in workspace: an AdwLeaflet with a sidebar of the views a
 * role may use (Standards, Review Queue, Templates, Users, System) and the
 * chosen view beside it, or alone in a narrow window with a back button.
 *
 * Each view is a whole pane with its own header bar; it may have a
 * "show-back" property (bound here to the leaflet's folded state), a
 * "session" property (set here, when the view is first shown after a
 * sign-in: a view reads its lists when it gets the session, so a hidden
 * one costs nothing) and an "add-toast" signal
 * (forwarded as this widget's own "add-toast").
 */

typedef struct
{
  char       *name;
  GtkWidget  *view;
  GtkWidget  *row;
  int         required_action;
  /* The session reaches a hidden view when it is first shown. */
  gboolean    session_pending;
} Page;

struct _PqsMainView
{
  GtkWidget       parent_instance;

  AdwLeaflet     *leaflet;
  GtkListBox     *sidebar;
  GtkStack       *content_stack;
  GtkMenuButton  *primary_menu_button;
  AdwAvatar      *user_avatar;
  GtkLabel       *user_name_label;
  GtkLabel       *user_role_label;

  GPtrArray      *pages;      /* Page */
  PqsSession     *session;

  /* The section document open in the editor page, and the view it was
   * opened from (where Back returns). */
  PqsDocumentEditor *editor;
  char              *return_view;
};

G_DEFINE_FINAL_TYPE (PqsMainView, pqs_main_view, GTK_TYPE_WIDGET)

enum {
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
page_free (gpointer data)
{
  Page *page = data;

  g_free (page->name);
  g_free (page);
}

static Page *
find_page (PqsMainView *self,
           const char  *name)
{
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      if (g_strcmp0 (page->name, name) == 0)
        return page;
    }
  return NULL;
}

static gboolean
page_allowed (PqsMainView *self,
              Page        *page)
{
  PqsUser *user;

  if (self->session == NULL)
    return FALSE;
  if (page->required_action == PQS_MAIN_VIEW_ANYONE)
    return TRUE;

  user = pqs_session_get_user (self->session);
  return pqs_auth_allows (user, (PqsAction) page->required_action, NULL);
}

static gboolean
has_session_property (Page *page)
{
  return g_object_class_find_property (G_OBJECT_GET_CLASS (page->view), "session") != NULL;
}

/* Hands the session to a view, or takes it away when its user may not use it. */
static void
apply_session (PqsMainView *self,
               Page        *page)
{
  page->session_pending = FALSE;
  if (has_session_property (page))
    g_object_set (page->view, "session", page_allowed (self, page) ? self->session : NULL, NULL);
}

static void
view_toast_cb (PqsMainView *self,
               AdwToast    *toast)
{
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static GtkWidget *
make_row (const char *title,
          const char *icon_name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

/**
 * pqs_main_view_add_view:
 * @self: a #PqsMainView
 * @name: the view's id ("standards", "users", …)
 * @title: its name in the sidebar
 * @icon_name: its symbolic icon
 * @view: (transfer none): the view, a whole pane
 * @required_action: a #PqsAction the signed-in user must be allowed, or
 *   %PQS_MAIN_VIEW_ANYONE
 *
 * Adds a view to the sidebar and the content.
 */
void
pqs_main_view_add_view (PqsMainView *self,
                        const char  *name,
                        const char  *title,
                        const char  *icon_name,
                        GtkWidget   *view,
                        int          required_action)
{
  Page *page;

  g_return_if_fail (PQS_IS_MAIN_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (view));
  g_return_if_fail (find_page (self, name) == NULL);

  page = g_new0 (Page, 1);
  page->name = g_strdup (name);
  page->view = view;
  page->required_action = required_action;
  page->row = make_row (title, icon_name);
  g_object_set_data (G_OBJECT (page->row), "pqs-view-name", page->name);
  g_ptr_array_add (self->pages, page);

  gtk_stack_add_titled (self->content_stack, view, name, title);
  gtk_list_box_append (self->sidebar, page->row);

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (view), "show-back") != NULL)
    g_object_bind_property (self->leaflet, "folded", view, "show-back", G_BINDING_SYNC_CREATE);
  if (g_signal_lookup ("add-toast", G_OBJECT_TYPE (view)) != 0)
    g_signal_connect_object (view, "add-toast", G_CALLBACK (view_toast_cb), self,
                             G_CONNECT_SWAPPED);
  /* Added during a session, a view gets it when it is first shown, like
   * the others (at once if the stack shows it already). */
  page->session_pending = self->session != NULL && has_session_property (page);
  if (page->session_pending && gtk_stack_get_visible_child (self->content_stack) == view)
    apply_session (self, page);

  gtk_widget_set_visible (page->row, page_allowed (self, page));
}

static void
show_page (PqsMainView *self,
           Page        *page,
           gboolean     navigate)
{
  if (page->session_pending)
    apply_session (self, page);
  gtk_stack_set_visible_child (self->content_stack, page->view);
  gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (page->row));
  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/**
 * pqs_main_view_show_view:
 * @self: a #PqsMainView
 * @name: a view's id
 *
 * Returns: %TRUE if the view exists and the signed-in user may see it
 */
gboolean
pqs_main_view_show_view (PqsMainView *self,
                         const char  *name)
{
  Page *page;

  g_return_val_if_fail (PQS_IS_MAIN_VIEW (self), FALSE);

  page = find_page (self, name);
  if (page == NULL || !page_allowed (self, page))
    return FALSE;

  show_page (self, page, TRUE);
  return TRUE;
}

gboolean
pqs_main_view_is_view_available (PqsMainView *self,
                                 const char  *name)
{
  Page *page;

  g_return_val_if_fail (PQS_IS_MAIN_VIEW (self), FALSE);

  page = find_page (self, name);
  return page != NULL && page_allowed (self, page);
}

const char *
pqs_main_view_get_visible_view (PqsMainView *self)
{
  g_return_val_if_fail (PQS_IS_MAIN_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

static void
row_activated_cb (PqsMainView   *self,
                  GtkListBoxRow *row)
{
  Page *page = find_page (self, g_object_get_data (G_OBJECT (row), "pqs-view-name"));

  if (page != NULL)
    show_page (self, page, TRUE);
}

static void
folded_changed_cb (PqsMainView *self)
{
  /* Side by side, the selected row shows which view is open; folded, the
   * sidebar is a menu and nothing stays selected. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_unselect_all (self->sidebar);
  else
    {
      const char *name = gtk_stack_get_visible_child_name (self->content_stack);
      Page *page = find_page (self, name);

      if (page != NULL)
        gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (page->row));
    }
}

typedef struct
{
  PqsMainView *self;
  gint64       document_id;   /* 0: leave the editor */
} EditorJob;

/* The editor is a page of its own, outside the sidebar, always with a Back
 * button (to the view it was opened from). It is built the first time a
 * document opens: neither the launch nor the sign-in needs it. */
static PqsDocumentEditor *
ensure_editor (PqsMainView *self)
{
  if (self->editor != NULL)
    return self->editor;

  self->editor = pqs_document_editor_new ();
  pqs_document_editor_set_show_back (self->editor, TRUE);
  pqs_document_editor_set_session (self->editor, self->session);
  gtk_stack_add_named (self->content_stack, GTK_WIDGET (self->editor), "document");
  g_signal_connect_object (self->editor, "add-toast", G_CALLBACK (view_toast_cb), self,
                           G_CONNECT_SWAPPED);
  return self->editor;
}

static void
show_editor_page (PqsMainView *self)
{
  gtk_stack_set_visible_child (self->content_stack, GTK_WIDGET (self->editor));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
editor_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  EditorJob *job = data;
  g_autoptr(PqsMainView) self = job->self;
  g_autoptr(GError) error = NULL;
  gint64 document_id = job->document_id;

  g_free (job);

  /* Cancel in the unsaved-changes dialog: stay where we are. */
  if (!pqs_document_editor_close_finish (PQS_DOCUMENT_EDITOR (object), result, &error))
    return;

  if (document_id == 0)
    {
      Page *page = find_page (self, self->return_view);

      if (page != NULL && page_allowed (self, page))
        show_page (self, page, FALSE);
      return;
    }

  if (!pqs_document_editor_load (self->editor, document_id, &error))
    {
      g_signal_emit (self, signals[ADD_TOAST], 0, adw_toast_new (error->message));
      return;
    }
  show_editor_page (self);
}

static void
close_editor_then (PqsMainView *self,
                   gint64       document_id)
{
  EditorJob *job = g_new0 (EditorJob, 1);

  job->self = g_object_ref (self);
  job->document_id = document_id;
  pqs_document_editor_close_async (ensure_editor (self), NULL, editor_closed_cb, job);
}

/**
 * pqs_main_view_open_document:
 * @self: a #PqsMainView
 * @document_id: a section document
 *
 * Opens the document in the editor page; Back returns to the view it was
 * opened from. A modified document in the editor is guarded first.
 */
void
pqs_main_view_open_document (PqsMainView *self,
                             gint64       document_id)
{
  const char *current;

  g_return_if_fail (PQS_IS_MAIN_VIEW (self));

  current = gtk_stack_get_visible_child_name (self->content_stack);
  if (g_strcmp0 (current, "document") != 0)
    {
      g_free (self->return_view);
      self->return_view = g_strdup (current);
    }
  close_editor_then (self, document_id);
}

PqsDocumentEditor *
pqs_main_view_get_editor (PqsMainView *self)
{
  g_return_val_if_fail (PQS_IS_MAIN_VIEW (self), NULL);

  return ensure_editor (self);
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PqsMainView *self = PQS_MAIN_VIEW (widget);

  if (self->editor != NULL &&
      gtk_stack_get_visible_child (self->content_stack) == GTK_WIDGET (self->editor))
    {
      close_editor_then (self, 0);
      return;
    }

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
update_user (PqsMainView *self)
{
  PqsUser *user = self->session != NULL ? pqs_session_get_user (self->session) : NULL;
  g_autofree char *name = NULL;
  g_autoptr(GBytes) picture = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (user == NULL)
    {
      adw_avatar_set_custom_image (self->user_avatar, NULL);
      return;
    }

  name = pqs_user_dup_display_name (user);
  gtk_label_set_text (self->user_name_label, name);
  gtk_label_set_text (self->user_role_label, pqs_role_get_label (pqs_user_get_role (user)));
  adw_avatar_set_text (self->user_avatar, pqs_user_get_full_name (user));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->user_avatar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  if (pqs_user_get_avatar_mime (user) != NULL)
    {
      g_autoptr(PqsUserDirectory) directory =
        pqs_user_directory_new (pqs_session_get_store (self->session));

      picture = pqs_user_directory_get_avatar (directory, pqs_user_get_id (user), NULL, NULL);
      if (picture != NULL)
        texture = gdk_texture_new_from_bytes (picture, NULL);
    }
  adw_avatar_set_custom_image (self->user_avatar, GDK_PAINTABLE (texture));
}

/**
 * pqs_main_view_set_session:
 * @self: a #PqsMainView
 * @session: (nullable): who is signed in
 *
 * Shows the views @session's user may use and opens the first; each of the
 * others gets the session when it is first shown.
 */
void
pqs_main_view_set_session (PqsMainView *self,
                           PqsSession  *session)
{
  Page *first = NULL;

  g_return_if_fail (PQS_IS_MAIN_VIEW (self));
  g_return_if_fail (session == NULL || PQS_IS_SESSION (session));

  g_set_object (&self->session, session);

  for (guint i = 0; i < self->pages->len && first == NULL; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);

      if (page_allowed (self, page))
        first = page;
    }

  /* Only the view shown first gets the session now: the others read their
   * lists when they are opened, which keeps them out of the sign-in. */
  for (guint i = 0; i < self->pages->len; i++)
    {
      Page *page = g_ptr_array_index (self->pages, i);
      gboolean allowed = page_allowed (self, page);

      gtk_widget_set_visible (page->row, allowed);
      if (page == first || !allowed)
        apply_session (self, page);
      else if (has_session_property (page))
        {
          g_autoptr(PqsSession) old = NULL;

          /* Nothing of a previous session stays in a hidden view. */
          g_object_get (page->view, "session", &old, NULL);
          if (old != NULL && old != session)
            g_object_set (page->view, "session", NULL, NULL);
          page->session_pending = TRUE;
        }
    }

  if (self->editor != NULL)
    pqs_document_editor_set_session (self->editor, session);
  update_user (self);
  if (first != NULL)
    show_page (self, first, FALSE);
}

void
pqs_main_view_set_menu_model (PqsMainView *self,
                              GMenuModel  *menu)
{
  g_return_if_fail (PQS_IS_MAIN_VIEW (self));

  gtk_menu_button_set_menu_model (self->primary_menu_button, menu);
}

static void
pqs_main_view_dispose (GObject *object)
{
  PqsMainView *self = PQS_MAIN_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PQS_TYPE_MAIN_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->return_view, g_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (pqs_main_view_parent_class)->dispose (object);
}

static void
pqs_main_view_class_init (PqsMainViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pqs_main_view_dispose;

  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/pqs-main-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, user_avatar);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, user_name_label);
  gtk_widget_class_bind_template_child (widget_class, PqsMainView, user_role_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, folded_changed_cb);

  gtk_widget_class_install_action (widget_class, "main.back", NULL, back_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "main.back", NULL);
}

static void
pqs_main_view_init (PqsMainView *self)
{
  self->pages = g_ptr_array_new_with_free_func (page_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

PqsMainView *
pqs_main_view_new (void)
{
  return g_object_new (PQS_TYPE_MAIN_VIEW, NULL);
}
