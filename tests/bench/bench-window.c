/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "pqs-application.h"
#include "pqs-main-view.h"
#include "pqs-session.h"
#include "pqs-settings.h"
#include "pqs-sign-in-view.h"
#include "pqs-window.h"

/* The standards view is being written; without it the benchmark measures
 * sign-in to the workspace only. */
#if defined(__has_include)
# if __has_include("pqs-standards-view.h")
#  include "pqs-standards-view.h"
#  define HAVE_STANDARDS_VIEW 1
# endif
#endif
#ifndef HAVE_STANDARDS_VIEW
# define HAVE_STANDARDS_VIEW 0
#endif

/* What the window costs, against a bare libadwaita window in the same run
 * (issue 6, "Measure"). Needs a display: run it under `xvfb-run -a` (and a
 * D-Bus session: both applications register their name the same way).
 *
 * The driver (no --child) launches this program again, alternately as
 *   --child=bare  an AdwApplication with an AdwApplicationWindow of the same
 *                 size holding a header bar and a status page; once painted,
 *                 it switches to a page with a GtkListView of 100,000 rows
 *                 from a model that makes them on demand (the reference for
 *                 "a first screen of rows": GTK's own cost, no data);
 *   --child=app   the real PqsApplication (what pqs-desk's main() runs) on
 *                 the --db file, whose PqsWindow opens and checks the
 *                 database and shows the sign-in page; the benchmark then
 *                 signs in through that page (the password typed into its
 *                 rows, its button clicked) and waits for the first screen
 *                 of section documents in the standards view;
 * each child printing its timestamps on stdout. Times "from launch" start
 * just before the driver spawns the child (CLOCK_MONOTONIC is one clock for
 * every process) and end at the frame clock's "after-paint" of the frame
 * that shows the thing measured. Then, in the same children: resident
 * memory (VmRSS, VmHWM) once the first screen shows; scrolling the list
 * (a jump to the middle, then a page a frame) and searching (a common and a
 * rare word through the view's search entry), with the longest frame
 * (before-paint to after-paint) and the longest main-loop stall (the
 * largest gap between the beats of a 2 ms timeout, less 2 ms).
 *
 * Until the main window hosts the standards view, the view is measured in a
 * second window of the same process, given the session the moment the
 * main window gets it — the way the window will. Asserts nothing. */

#ifndef BENCH_DEFAULT_OUTPUT
#define BENCH_DEFAULT_OUTPUT "bench-window.json"
#endif

#define WINDOW_WIDTH     900
#define WINDOW_HEIGHT    640
#define BARE_ROWS        100000
#define SCROLL_FRAMES    40
#define HEARTBEAT_MS     2
#define CHILD_TIMEOUT_S  120
#define FRAME_BUDGET_MS  16.0
#define GOAL_RATIO       1.2
#define COMMON_WORD      "pressure"
#define RARE_WORD        "xylophone"

static gint64 t0_us;

static double
since_t0_ms (gint64 t)
{
  return (t - t0_us) / 1000.0;
}

static void
emit (const char *key,
      double      value)
{
  g_print ("@bench %s %.3f\n", key, value);
}

static void
emit_string (const char *key,
             const char *value)
{
  g_print ("@bench %s \"%s\"\n", key, value);
}

static void
fail (const char *what)
{
  g_print ("@bench-error %s\n", what);
  fflush (stdout);
  exit (3);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  fail ("timed out");
  return G_SOURCE_REMOVE;
}

/* /proc/self/status, in kB. */
static void
emit_memory (void)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "VmRSS:"))
        emit ("rss_kb", g_ascii_strtod (lines[i] + 6, NULL));
      else if (g_str_has_prefix (lines[i], "VmHWM:"))
        emit ("hwm_kb", g_ascii_strtod (lines[i] + 6, NULL));
    }
}

static GtkWidget *
first_descendant_of_type (GtkWidget *widget,
                          GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_descendant_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A list view shows rows: mapped, and a child widget allocated. */
static gboolean
list_shows_rows (GtkWidget *list)
{
  GtkWidget *child;

  if (list == NULL || !gtk_widget_get_mapped (list))
    return FALSE;
  for (child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child) && gtk_widget_get_height (child) > 0)
      return TRUE;
  return FALSE;
}

/* Frames, beats and steps ------------------------------------------------------ */

/* A child runs as a series of steps: each waits for a condition checked
 * after every painted frame of the window it watches, then records and
 * starts the next step. */
typedef struct _Child Child;
typedef gboolean (*StepFunc) (Child *child);

struct _Child
{
  gboolean      app;
  GtkApplication *application;
  GtkWindow    *window;         /* the measured window */
  GtkWindow    *second;         /* the standards view's own window, or NULL */
  gboolean      second_ready;
  GtkWidget    *painted;        /* the window whose frame was just painted */
  GtkWidget    *list;           /* GtkListView of the first screen */
  GtkWidget    *results;        /* the search results' GtkListView */
  GtkWidget    *search_entry;
  GtkWidget    *standards_view;
  gboolean      standalone;

  StepFunc      step;           /* called after each painted frame; TRUE: done */
  gint64        step_start;
  gint64        frame_start;    /* before-paint of the frame being painted */
  gint64        layout_end;     /* after the frame's layout phase */
  gint64        paint_end;      /* after its paint phase */
  double        max_frame_ms;
  double        max_frame_layout_ms;
  double        max_frame_paint_ms;
  double        max_frame_after_jump_ms;
  guint         frames_after_jump;  /* frames when the jump was painted */
  guint         frames;

  guint         beat_id;
  gint64        last_beat;
  double        max_stall_ms;

  gint64        shown, mapped, session_at, search_changed_at;
  gboolean      first_frame_done;
  gboolean      ready_frame_done;
  guint         scroll_frames;
  guint         search_round;

  char         *db_path;
  char         *username;
  char         *password;
};

static void next_step (Child *child, StepFunc step);

static gboolean
beat_cb (gpointer user_data)
{
  Child *child = user_data;
  gint64 now = g_get_monotonic_time ();

  if (child->last_beat > 0)
    child->max_stall_ms = MAX (child->max_stall_ms,
                               (now - child->last_beat) / 1000.0 - HEARTBEAT_MS);
  child->last_beat = now;
  return G_SOURCE_CONTINUE;
}

static void
beats_start (Child *child)
{
  child->max_stall_ms = 0;
  child->last_beat = 0;
  child->max_frame_ms = 0;
  child->max_frame_layout_ms = 0;
  child->max_frame_paint_ms = 0;
  child->max_frame_after_jump_ms = 0;
  child->frames_after_jump = 0;
  child->frames = 0;
  if (child->beat_id == 0)
    child->beat_id = g_timeout_add (HEARTBEAT_MS, beat_cb, child);
}

static void
beats_stop (Child *child)
{
  g_clear_handle_id (&child->beat_id, g_source_remove);
}

/* BENCH_WINDOW_FRAMES=FILE appends one line per frame: pid, then the
 * monotonic times (µs) of before-paint, the end of layout, the end of
 * paint and after-paint; to line frames up with `perf record -k
 * CLOCK_MONOTONIC` samples. */
static void
log_frame (Child *child)
{
  const char *path = g_getenv ("BENCH_WINDOW_FRAMES");
  FILE *file;

  if (path == NULL || (file = fopen (path, "a")) == NULL)
    return;
  fprintf (file, "%d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
           " %" G_GINT64_FORMAT "\n", (int) getpid (), child->frame_start,
           child->layout_end, child->paint_end, g_get_monotonic_time ());
  fclose (file);
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Child         *child)
{
  child->frame_start = g_get_monotonic_time ();
  child->layout_end = child->paint_end = 0;
}

/* Connected after GTK's own handlers: the phase is over. */
static void
layout_end_cb (GdkFrameClock *clock,
               Child         *child)
{
  child->layout_end = g_get_monotonic_time ();
}

static void
paint_end_cb (GdkFrameClock *clock,
              Child         *child)
{
  child->paint_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                GtkWidget     *window)
{
  Child *child = g_object_get_data (G_OBJECT (window), "bench-child");
  StepFunc step = child->step;

  if (child->frame_start > 0)
    {
      double frame_ms = (g_get_monotonic_time () - child->frame_start) / 1000.0;

      if (child->frames_after_jump > 0 && child->frames >= child->frames_after_jump)
        child->max_frame_after_jump_ms = MAX (child->max_frame_after_jump_ms, frame_ms);

      if (frame_ms > child->max_frame_ms)
        {
          child->max_frame_ms = frame_ms;
          child->max_frame_layout_ms = child->layout_end > 0
                                       ? (child->layout_end - child->frame_start) / 1000.0 : 0;
          child->max_frame_paint_ms = child->paint_end > 0 && child->layout_end > 0
                                      ? (child->paint_end - child->layout_end) / 1000.0 : 0;
        }
      child->frames++;
      log_frame (child);
    }

  child->painted = window;
  /* A step that is over may have started the next one. */
  if (step != NULL && step (child) && child->step == step)
    child->step = NULL;
  child->painted = NULL;
}

static void
watch_frames (GtkWidget *window,
              Child     *child)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_object_set_data (G_OBJECT (window), "bench-child", child);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), child);
  g_signal_connect (clock, "layout", G_CALLBACK (layout_end_cb), child);
  g_signal_connect (clock, "paint", G_CALLBACK (paint_end_cb), child);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), window);
}

/* The list's window painted a frame. */
static gboolean
painted_list (Child *child)
{
  return child->painted != NULL && child->list != NULL &&
         child->painted == GTK_WIDGET (gtk_widget_get_root (child->list));
}

static void
realize_cb (GtkWidget *window,
            Child     *child)
{
  watch_frames (window, child);
}

static void
show_cb (GtkWidget *window,
         Child     *child)
{
  if (child->shown == 0)
    child->shown = g_get_monotonic_time ();
}

static void
map_cb (GtkWidget *window,
        Child     *child)
{
  if (child->mapped == 0)
    child->mapped = g_get_monotonic_time ();
}

static void
track_window (GtkWindow *window,
              Child     *child)
{
  g_signal_connect (window, "show", G_CALLBACK (show_cb), child);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), child);
  g_signal_connect_after (window, "realize", G_CALLBACK (realize_cb), child);
}

/* Queue a frame, so that a step whose condition already holds runs soon. */
static void
next_step (Child    *child,
           StepFunc  step)
{
  child->step = step;
  child->step_start = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (child->window));
  if (child->second != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (child->second));
}

static gboolean
quit_idle_cb (gpointer user_data)
{
  Child *child = user_data;
  GList *windows;

  beats_stop (child);
  fflush (stdout);
  /* Destroying the windows closes the database. */
  while ((windows = gtk_application_get_windows (child->application)) != NULL)
    gtk_window_destroy (windows->data);
  g_application_quit (G_APPLICATION (child->application));
  return G_SOURCE_REMOVE;
}

static void
finish (Child *child)
{
  g_idle_add (quit_idle_cb, child);
}

/* Scrolling ------------------------------------------------------------------- */

static GtkAdjustment *
list_adjustment (Child *child)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (child->list));
}

static gboolean step_search (Child *child);
static void start_search (Child *child, guint round);

static gboolean
step_scroll (Child *child)
{
  GtkAdjustment *adjustment = list_adjustment (child);
  double page = gtk_adjustment_get_page_size (adjustment);

  if (!painted_list (child))
    return FALSE;
  if (child->scroll_frames == 0)
    {
      emit ("scroll_jump_ms", (g_get_monotonic_time () - child->step_start) / 1000.0);
      /* From here on, a page a frame: the longest of those frames apart. */
      child->max_frame_after_jump_ms = 0;
      child->frames_after_jump = child->frames;
    }

  if (child->scroll_frames++ < SCROLL_FRAMES)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + page);
      return FALSE;
    }

  emit ("scroll_frames", child->frames);
  emit ("scroll_max_frame_ms", child->max_frame_ms);
  emit ("scroll_max_frame_layout_ms", child->max_frame_layout_ms);
  emit ("scroll_max_frame_paint_ms", child->max_frame_paint_ms);
  emit ("scroll_after_jump_max_frame_ms", child->max_frame_after_jump_ms);
  emit ("scroll_max_stall_ms", child->max_stall_ms);
  beats_stop (child);

  if (child->app && child->search_entry != NULL)
    start_search (child, 0);
  else
    finish (child);
  return TRUE;
}

/* A jump to the middle of the list, then a page every frame. */
static void
start_scroll (Child *child)
{
  GtkAdjustment *adjustment = list_adjustment (child);
  double upper = gtk_adjustment_get_upper (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);

  beats_start (child);
  child->scroll_frames = 0;
  next_step (child, step_scroll);
  gtk_adjustment_set_value (adjustment, (upper - page) / 2);
}

/* Searching (app only) ------------------------------------------------------------ */

static gboolean
search_changed_hook (GSignalInvocationHint *hint,
                     guint                  n_values,
                     const GValue          *values,
                     gpointer               user_data)
{
  Child *child = user_data;

  if (g_value_get_object (&values[0]) == (gpointer) child->search_entry &&
      child->search_changed_at == 0)
    child->search_changed_at = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
step_search (Child *child)
{
  static const char * const keys[] = { "search_common", "search_rare" };
  const char *key = keys[child->search_round];
  g_autofree char *name = NULL;

  if (!painted_list (child) || child->search_changed_at == 0 ||
      !list_shows_rows (child->results))
    return FALSE;

  name = g_strconcat (key, "_ms", NULL);
  emit (name, (g_get_monotonic_time () - child->search_changed_at) / 1000.0);
  g_free (name);
  name = g_strconcat (key, "_typed_ms", NULL);
  emit (name, (g_get_monotonic_time () - child->step_start) / 1000.0);
  g_free (name);
  name = g_strconcat (key, "_max_stall_ms", NULL);
  emit (name, child->max_stall_ms);
  g_free (name);
  name = g_strconcat (key, "_max_frame_ms", NULL);
  emit (name, child->max_frame_ms);
  beats_stop (child);

  if (child->search_round + 1 < G_N_ELEMENTS (keys))
    {
      /* Out of the results first, so that the next search shows them anew. */
      gtk_editable_set_text (GTK_EDITABLE (child->search_entry), "");
      start_search (child, child->search_round + 1);
    }
  else
    finish (child);
  return TRUE;
}

static gboolean
type_search_cb (gpointer user_data)
{
  Child *child = user_data;
  const char *word = child->search_round == 0 ? COMMON_WORD : RARE_WORD;

  beats_start (child);
  child->search_changed_at = 0;
  next_step (child, step_search);
  gtk_editable_set_text (GTK_EDITABLE (child->search_entry), word);
  return G_SOURCE_REMOVE;
}

/* The word is typed at once (as pasted): the entry waits its delay, then
 * emits search-changed, and the view searches. After half a second of
 * quiet, so that the previous round's work is over. */
static void
start_search (Child *child,
              guint  round)
{
  child->search_round = round;
  g_timeout_add (500, type_search_cb, child);
}

/* The bare window ---------------------------------------------------------------- */

/* 100,000 rows made on demand: what a list costs GTK with no data behind. */
#define BENCH_TYPE_ROWS (bench_rows_get_type ())
G_DECLARE_FINAL_TYPE (BenchRows, bench_rows, BENCH, ROWS, GObject)

struct _BenchRows
{
  GObject parent_instance;
};

static GType
bench_rows_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
bench_rows_get_n_items (GListModel *model)
{
  return BARE_ROWS;
}

static gpointer
bench_rows_get_item (GListModel *model,
                     guint       position)
{
  g_autofree char *text = NULL;

  if (position >= BARE_ROWS)
    return NULL;
  text = g_strdup_printf ("%u Row %u", 101 + position % 300, position);
  return gtk_string_object_new (text);
}

static void
bench_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bench_rows_get_item_type;
  iface->get_n_items = bench_rows_get_n_items;
  iface->get_item = bench_rows_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BenchRows, bench_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bench_rows_list_model_init))

static void
bench_rows_class_init (BenchRowsClass *klass)
{
}

static void
bench_rows_init (BenchRows *self)
{
}

/* A row like the standards view's: a number, a title over a subtitle. */
static void
bare_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *number = gtk_label_new (NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new ("Draft · changed today");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_widget_set_margin_top (line, 8);
  gtk_widget_set_margin_bottom (line, 8);
  gtk_widget_set_margin_start (line, 12);
  gtk_widget_set_margin_end (line, 12);
  gtk_box_append (GTK_BOX (line), number);
  gtk_box_append (GTK_BOX (line), texts);
  g_object_set_data (G_OBJECT (line), "number", number);
  g_object_set_data (G_OBJECT (line), "title", title);
  gtk_list_item_set_child (item, line);
}

static void
bare_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *line = gtk_list_item_get_child (item);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const char *space = strchr (text, ' ');
  g_autofree char *number = g_strndup (text, space - text);

  gtk_label_set_text (g_object_get_data (G_OBJECT (line), "number"), number);
  gtk_label_set_text (g_object_get_data (G_OBJECT (line), "title"), space + 1);
}

static gboolean
bare_step_list (Child *child)
{
  if (!list_shows_rows (child->list))
    return FALSE;

  emit ("list_ms", (g_get_monotonic_time () - child->step_start) / 1000.0);
  emit_memory ();
  start_scroll (child);
  return TRUE;
}

static gboolean
bare_step_first_frame (Child *child)
{
  GtkStack *stack;
  GtkWidget *scrolled;
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  if (child->mapped == 0)
    return FALSE;

  emit ("present_to_first_frame_ms", (g_get_monotonic_time () - child->shown) / 1000.0);
  emit ("first_frame_ms", since_t0_ms (g_get_monotonic_time ()));
  emit ("present_ms", since_t0_ms (child->shown));
  emit ("map_ms", since_t0_ms (child->mapped));
  emit_string ("renderer", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (child->window))));

  /* The reference "first screen": a page with a list, its model made now. */
  next_step (child, bare_step_list);
  stack = g_object_get_data (G_OBJECT (child->window), "stack");
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (bare_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bare_bind_cb), NULL);
  selection = gtk_no_selection_new (g_object_new (BENCH_TYPE_ROWS, NULL));
  child->list = gtk_list_view_new (GTK_SELECTION_MODEL (selection), factory);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), child->list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_stack_add_named (stack, scrolled, "list");
  gtk_stack_set_visible_child_name (stack, "list");
  return TRUE;
}

static void
bare_activate_cb (GApplication *application,
                  Child        *child)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *status = adw_status_page_new ();

  child->window = GTK_WINDOW (window);
  gtk_window_set_title (GTK_WINDOW (window), "Bare");
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "A Bare Window");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "accessories-dictionary-symbolic");
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_stack_add_named (GTK_STACK (stack), status, "start");
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), stack);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_object_set_data (G_OBJECT (window), "stack", stack);

  track_window (GTK_WINDOW (window), child);
  child->step = bare_step_first_frame;
  gtk_window_present (GTK_WINDOW (window));
}

/* The application ----------------------------------------------------------------- */

static GtkWidget *
template_child (GtkWidget  *widget,
                GType       type,
                const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  if (object == NULL)
    fail (name);
  return GTK_WIDGET (object);
}

static gboolean
app_step_documents (Child *child)
{
  gint64 now = g_get_monotonic_time ();

  if (child->session_at == 0 || !painted_list (child) || !list_shows_rows (child->list))
    return FALSE;

  emit ("sign_in_to_documents_ms", (now - child->step_start) / 1000.0);
  emit ("session_to_documents_ms", (now - child->session_at) / 1000.0);
  emit ("documents",
        g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (child->list)))));
  emit_memory ();
  start_scroll (child);
  return TRUE;
}

/* The main window's own frame: the workspace painted. */
static gboolean
app_step_workspace (Child *child)
{
  GtkStack *stack = GTK_STACK (template_child (GTK_WIDGET (child->window), PQS_TYPE_WINDOW,
                                               "stack"));

  if (child->session_at == 0 || child->painted != GTK_WIDGET (child->window) ||
      g_strcmp0 (gtk_stack_get_visible_child_name (stack), "workspace") != 0)
    return FALSE;

  emit ("sign_in_to_workspace_ms", (g_get_monotonic_time () - child->step_start) / 1000.0);

  if (child->list == NULL)
    {
      /* No standards view: the workspace is the first screen. */
      emit_memory ();
      finish (child);
      return TRUE;
    }

  /* The same click goes on to the list (maybe painted in this very frame). */
  child->step = app_step_documents;
  if (app_step_documents (child) && child->step == app_step_documents)
    child->step = NULL;
  return FALSE;
}

static void
session_cb (GObject    *window,
            GParamSpec *pspec,
            Child      *child)
{
  PqsSession *session = pqs_window_get_session (PQS_WINDOW (window));

  if (session == NULL || child->session_at != 0)
    return;
  child->session_at = g_get_monotonic_time ();
#if HAVE_STANDARDS_VIEW
  /* What the window will do once it hosts the view. */
  if (child->standalone)
    pqs_standards_view_set_session (PQS_STANDARDS_VIEW (child->standards_view), session);
#endif
}

static gboolean
sign_in_cb (gpointer user_data)
{
  Child *child = user_data;
  GtkWidget *view = template_child (GTK_WIDGET (child->window), PQS_TYPE_WINDOW, "sign_in_view");
  GtkWidget *button;

  if (pqs_sign_in_view_get_mode (PQS_SIGN_IN_VIEW (view)) != PQS_SIGN_IN_MODE_SIGN_IN)
    fail ("the window does not ask to sign in");
  gtk_editable_set_text (GTK_EDITABLE (template_child (view, PQS_TYPE_SIGN_IN_VIEW, "username_row")),
                         child->username);
  gtk_editable_set_text (GTK_EDITABLE (template_child (view, PQS_TYPE_SIGN_IN_VIEW, "password_row")),
                         child->password);
  button = template_child (view, PQS_TYPE_SIGN_IN_VIEW, "submit_button");

  next_step (child, app_step_workspace);
  g_signal_emit_by_name (button, "clicked");
  if (child->session_at == 0)
    {
      g_print ("@bench-error sign-in failed: %s\n",
               pqs_sign_in_view_get_error (PQS_SIGN_IN_VIEW (view)));
      fail ("sign-in");
    }
  emit ("sign_in_to_session_ms", (child->session_at - child->step_start) / 1000.0);
  return G_SOURCE_REMOVE;
}

static gboolean
app_step_second_window (Child *child)
{
  if (child->painted != GTK_WIDGET (child->second))
    return FALSE;
  child->second_ready = TRUE;
  return TRUE;
}

/* Once the second window (if any) has painted, a quiet moment, then sign in. */
static gboolean
app_wait_cb (gpointer user_data)
{
  Child *child = user_data;

  if (child->second != NULL && !child->second_ready)
    return G_SOURCE_CONTINUE;
  g_timeout_add (200, sign_in_cb, child);
  return G_SOURCE_REMOVE;
}

static void
prepare_standards_view (Child *child)
{
#if HAVE_STANDARDS_VIEW
  GtkWidget *view = first_descendant_of_type (GTK_WIDGET (child->window), PQS_TYPE_STANDARDS_VIEW);

  child->standalone = view == NULL;
  if (view == NULL)
    {
      /* Not in the window yet: it takes the place of the Standards pane's
       * placeholder (a header bar over a status page), as the window will
       * host it, and gets the session when the window does. */
      GtkWidget *main_view = template_child (GTK_WIDGET (child->window), PQS_TYPE_WINDOW,
                                             "main_view");
      GObject *stack = gtk_widget_get_template_child (main_view, PQS_TYPE_MAIN_VIEW,
                                                      "content_stack");
      GtkWidget *pane = stack != NULL ? gtk_stack_get_child_by_name (GTK_STACK (stack),
                                                                     "standards") : NULL;

      view = GTK_WIDGET (pqs_standards_view_new ());
      if (GTK_IS_BOX (pane))
        {
          GtkWidget *old;

          while ((old = gtk_widget_get_first_child (pane)) != NULL)
            gtk_box_remove (GTK_BOX (pane), old);
          gtk_widget_set_vexpand (view, TRUE);
          gtk_box_append (GTK_BOX (pane), view);
          emit_string ("standards_view", "grafted into the main window");
        }
    }
  if (view != NULL && gtk_widget_get_root (view) == NULL)
    {
      /* Else a second window of the window's size. */
      GtkWidget *window = adw_window_new ();

      gtk_window_set_application (GTK_WINDOW (window), child->application);
      gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
      adw_window_set_content (ADW_WINDOW (window), view);
      child->second = GTK_WINDOW (window);
      g_signal_connect_after (window, "realize", G_CALLBACK (realize_cb), child);
      next_step (child, app_step_second_window);
      gtk_window_present (GTK_WINDOW (window));
    }
  child->standards_view = view;
  child->list = template_child (view, PQS_TYPE_STANDARDS_VIEW, "documents_view");
  child->results = template_child (view, PQS_TYPE_STANDARDS_VIEW, "results_view");
  child->search_entry = template_child (view, PQS_TYPE_STANDARDS_VIEW, "search_entry");
  g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), 0,
                              search_changed_hook, child, NULL);
  if (child->second != NULL)
    emit_string ("standards_view", "in a second window");
  else if (!child->standalone)
    emit_string ("standards_view", "in the main window");
#else
  emit_string ("standards_view", "none");
#endif
}

/* The window builds its workspace's views after its first frame, as a
 * person starts typing: wait for them (at most a second) before looking for
 * the standards view. */
static gboolean
app_views_cb (gpointer user_data)
{
  Child *child = user_data;
#if HAVE_STANDARDS_VIEW
  static guint polls;

  if (first_descendant_of_type (GTK_WIDGET (child->window), PQS_TYPE_STANDARDS_VIEW) == NULL &&
      polls++ < 200)
    return G_SOURCE_CONTINUE;
#endif

  prepare_standards_view (child);
  g_timeout_add (50, app_wait_cb, child);
  return G_SOURCE_REMOVE;
}

static gboolean
app_step_ready (Child *child)
{
  if (child->painted != GTK_WIDGET (child->window))
    return FALSE;

  if (!child->first_frame_done && child->mapped != 0)
    {
      child->first_frame_done = TRUE;
      emit ("first_frame_ms", since_t0_ms (g_get_monotonic_time ()));
      emit ("present_ms", since_t0_ms (child->shown));
      emit ("map_ms", since_t0_ms (child->mapped));
      emit_string ("renderer",
                   G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (child->window))));
    }

  switch (pqs_window_get_state (PQS_WINDOW (child->window)))
    {
    case PQS_WINDOW_STATE_FAILED:
      fail ("the window could not open the database");
      break;
    case PQS_WINDOW_STATE_LOADING:
      return FALSE;
    case PQS_WINDOW_STATE_READY:
    default:
      break;
    }
  if (!child->first_frame_done)
    return FALSE;

  emit ("ready_frame_ms", since_t0_ms (g_get_monotonic_time ()));
  emit ("present_to_ready_frame_ms", (g_get_monotonic_time () - child->shown) / 1000.0);

  /* The rest, after the launch: set up the list, then sign in. */
  child->step = NULL;
  g_timeout_add (5, app_views_cb, child);
  return TRUE;
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 Child          *child)
{
  if (!PQS_IS_WINDOW (window) || child->window != NULL)
    return;

  child->window = window;
  track_window (window, child);
  child->step = app_step_ready;
  g_signal_connect (window, "notify::session", G_CALLBACK (session_cb), child);
}

/* Xvfb has no settings daemon: without one GTK rasterizes text with the
 * fonts' own hinting programs, which a GNOME session never does
 * (gsd-xsettings publishes slight hinting and greyscale antialiasing). Both
 * windows get what a GNOME desktop gives them. */
static void
desktop_settings_cb (GApplication *application)
{
  if (g_getenv ("BENCH_NO_DESKTOP_SETTINGS"))
    return;
  g_object_set (gtk_settings_get_default (),
                "gtk-xft-antialias", 1,
                "gtk-xft-hinting", 1,
                "gtk-xft-hintstyle", "hintslight",
                "gtk-xft-rgba", "none",
                NULL);
}

/* Child main --------------------------------------------------------------------- */

static int
run_child (const char *kind,
           char       *argv0,
           const char *password_file)
{
  g_autoptr(GtkApplication) application = NULL;
  Child child = { 0, };
  char *argv[] = { argv0, NULL };
  int status;

  g_timeout_add_seconds (CHILD_TIMEOUT_S, watchdog_cb, NULL);
  child.app = g_str_equal (kind, "app");

  if (child.app)
    {
      g_autoptr(GSettings) settings = pqs_settings_new ();
      g_autoptr(GError) error = NULL;

      if (settings != NULL)
        /* Not a backup of the test database in the middle of the launch. */
        g_settings_set_string (settings, "backup-schedule", "off");
      if (password_file == NULL ||
          !g_file_get_contents (password_file, &child.password, NULL, &error))
        fail ("--password-file is needed");
      g_strchomp (child.password);
      child.username = g_strdup (g_getenv ("BENCH_WINDOW_USERNAME"));
      if (child.username == NULL)
        fail ("no username");

      application = GTK_APPLICATION (pqs_application_new ());
      g_signal_connect (application, "window-added", G_CALLBACK (window_added_cb), &child);
    }
  else
    {
      application = GTK_APPLICATION (adw_application_new ("org.pqsdesk.BenchBare",
                                                          G_APPLICATION_DEFAULT_FLAGS));
      g_signal_connect (application, "activate", G_CALLBACK (bare_activate_cb), &child);
    }
  child.application = application;
  g_signal_connect (application, "startup", G_CALLBACK (desktop_settings_cb), NULL);

  status = g_application_run (G_APPLICATION (application), 1, argv);
  fflush (stdout);
  g_free (child.password);
  g_free (child.username);
  return status;
}

/* The driver ---------------------------------------------------------------------- */

typedef struct
{
  GHashTable *values;   /* key → GArray of double */
  GHashTable *strings;  /* key → string */
} Runs;

static void
runs_init (Runs *runs)
{
  runs->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_array_unref);
  runs->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static gboolean
run_one (const char *self_exe,
         const char *kind,
         const char *password_file,
         Runs       *runs,
         GError    **error)
{
  g_autofree char *t0 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int wait_status = 0;
  gint64 started;

  g_ptr_array_add (argv, (char *) self_exe);
  g_ptr_array_add (argv, (char *) (g_str_equal (kind, "app") ? "--child=app" : "--child=bare"));
  g_ptr_array_add (argv, NULL);   /* --t0, just before the spawn */
  if (password_file != NULL)
    {
      g_ptr_array_add (argv, (char *) "--password-file");
      g_ptr_array_add (argv, (char *) password_file);
    }
  g_ptr_array_add (argv, NULL);

  /* The child's clock starts here. */
  started = g_get_monotonic_time ();
  t0 = g_strdup_printf ("--t0=%" G_GINT64_FORMAT, started);
  g_ptr_array_index (argv, 2) = t0;
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &wait_status, error))
    return FALSE;

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (g_str_has_prefix (lines[i], "@bench-error "))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s child: %s", kind,
                       lines[i] + strlen ("@bench-error "));
          return FALSE;
        }
      if (!g_str_has_prefix (lines[i], "@bench "))
        continue;
      fields = g_strsplit (lines[i] + strlen ("@bench "), " ", 2);
      if (g_strv_length (fields) != 2)
        continue;
      {
        g_autofree char *key = g_strconcat (kind, ".", fields[0], NULL);

        if (fields[1][0] == '"')
          {
            char *value = g_strndup (fields[1] + 1, strlen (fields[1]) - 2);

            g_hash_table_replace (runs->strings, g_steal_pointer (&key), value);
          }
        else
          {
            GArray *values = g_hash_table_lookup (runs->values, key);
            double value = g_ascii_strtod (fields[1], NULL);

            if (values == NULL)
              {
                values = g_array_new (FALSE, FALSE, sizeof (double));
                g_hash_table_insert (runs->values, g_strdup (key), values);
              }
            g_array_append_val (values, value);
          }
      }
    }

  if (!g_spawn_check_wait_status (wait_status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s child failed: %s", kind,
                   err != NULL ? err : "");
      return FALSE;
    }
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Nearest rank. */
static double
percentile (Runs       *runs,
            const char *key,
            double      p)
{
  GArray *values = g_hash_table_lookup (runs->values, key);
  g_autoptr(GArray) sorted = NULL;
  guint rank;

  if (values == NULL || values->len == 0)
    return -1;
  sorted = g_array_copy (values);
  g_array_sort (sorted, compare_doubles);
  rank = (guint) ((p * sorted->len) + 0.999999);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

typedef struct
{
  const char *key;          /* JSON key */
  const char *label;
  const char *value;        /* app.* or bare.* */
  const char *reference;    /* bare.* or NULL */
  const char *reference_label;
  double      goal_ratio;   /* ≤ this × the reference; 0: none */
  double      goal_ms;      /* ≤ this, at p95; 0: none */
  const char *unit;         /* "ms" or "MiB" */
} Row;

static const Row rows[] = {
  { "bare_first_frame", "bare window: launch to first frame", "bare.first_frame_ms", NULL,
    NULL, 0, 0, "ms" },
  { "window_map", "PqsWindow: launch to map", "app.map_ms", "bare.map_ms", "bare map",
    GOAL_RATIO, 0, "ms" },
  { "window_first_frame", "PqsWindow: launch to first frame", "app.first_frame_ms",
    "bare.first_frame_ms", "bare first frame", GOAL_RATIO, 0, "ms" },
  { "window_ready", "PqsWindow: launch to sign-in page painted", "app.ready_frame_ms",
    "bare.first_frame_ms", "bare first frame", GOAL_RATIO, 0, "ms" },
  { "bare_list", "bare window: switch to a 100k-row list, painted", "bare.list_ms", NULL,
    NULL, 0, 0, "ms" },
  { "sign_in_session", "sign-in: click to session (password hash)",
    "app.sign_in_to_session_ms", "bare.list_ms", "bare list page", 0, 0, "ms" },
  { "sign_in_workspace", "sign-in: click to workspace painted", "app.sign_in_to_workspace_ms",
    "bare.list_ms", "bare list page", 0, 0, "ms" },
  { "sign_in_documents", "sign-in: click to first screen of documents",
    "app.sign_in_to_documents_ms", "bare.list_ms", "bare list page", 0, 0, "ms" },
  /* The password hash (argon2id, by design a few hundred ms) is the same
   * for any window; the goal is on what the window adds to it. */
  { "session_documents", "sign-in to first screen, excluding the password check",
    "app.session_to_documents_ms", "bare.list_ms", "bare list page", GOAL_RATIO, 0, "ms" },
  { "scroll_jump", "list: jump to the middle, painted", "app.scroll_jump_ms",
    "bare.scroll_jump_ms", "bare jump", 0, 0, "ms" },
  { "scroll_max_frame", "list: longest frame, scrolling a page a frame", "app.scroll_max_frame_ms",
    "bare.scroll_max_frame_ms", "bare", 0, FRAME_BUDGET_MS, "ms" },
  { "scroll_max_frame_layout", "  of which layout (binding rows, measuring)",
    "app.scroll_max_frame_layout_ms", "bare.scroll_max_frame_layout_ms", "bare", 0, 0, "ms" },
  { "scroll_max_frame_paint", "  of which paint (snapshot, rendering)",
    "app.scroll_max_frame_paint_ms", "bare.scroll_max_frame_paint_ms", "bare", 0, 0, "ms" },
  { "scroll_after_jump_max_frame", "list: longest frame after the jump, a page a frame",
    "app.scroll_after_jump_max_frame_ms", "bare.scroll_after_jump_max_frame_ms", "bare", 0,
    FRAME_BUDGET_MS, "ms" },
  { "scroll_max_stall", "list: longest main-loop stall while scrolling", "app.scroll_max_stall_ms",
    "bare.scroll_max_stall_ms", "bare", 0, FRAME_BUDGET_MS, "ms" },
  { "search_common", "window search 'pressure' to results painted",
    "app.search_common_ms", NULL, NULL, 0, 0, "ms" },
  { "search_common_stall", "window search 'pressure': longest stall",
    "app.search_common_max_stall_ms", NULL, NULL, 0, FRAME_BUDGET_MS, "ms" },
  { "search_rare", "window search 'xylophone' to results painted",
    "app.search_rare_ms", NULL, NULL, 0, 0, "ms" },
  { "search_rare_stall", "window search 'xylophone': longest stall",
    "app.search_rare_max_stall_ms", NULL, NULL, 0, FRAME_BUDGET_MS, "ms" },
  { "rss", "resident memory at the first screen (VmRSS)", "app.rss_kb", "bare.rss_kb",
    "bare VmRSS", 0, 0, "MiB" },
  { "hwm", "peak resident memory (VmHWM)", "app.hwm_kb", "bare.hwm_kb", "bare VmHWM", 0, 0,
    "MiB" },
};

static char *
cpu_model (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &contents, NULL, NULL))
    return g_strdup ("unknown");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name"))
      {
        const char *colon = strchr (lines[i], ':');

        if (colon != NULL)
          return g_strstrip (g_strdup (colon + 1));
      }
  return g_strdup ("unknown");
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static char *
find_username (const char  *db_path,
               const char  *role,
               GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *username = NULL;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT username FROM users WHERE role = ?1 AND is_active = 1 "
                              "ORDER BY id LIMIT 1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, role, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        username = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  if (username == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no active %s in %s: %s", role,
                 db_path, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return username;
}

static int
run_driver (const char *db_path,
            const char *password_file,
            const char *role,
            int         n_runs,
            const char *output)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *username = NULL;
  g_autofree char *cpu = cpu_model ();
  g_autofree char *when = NULL;
  g_autofree char *gtk_version = g_strdup_printf ("%u.%u.%u", gtk_get_major_version (),
                                                  gtk_get_minor_version (),
                                                  gtk_get_micro_version ());
  g_autofree char *adw_version = g_strdup_printf ("%u.%u.%u", adw_get_major_version (),
                                                  adw_get_minor_version (),
                                                  adw_get_micro_version ());
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  struct utsname machine;
  Runs runs;
  const char *standards_view;
  const char *renderer;

  if (db_path == NULL || password_file == NULL)
    {
      g_printerr ("bench-window: --db and --password-file are needed\n");
      return 2;
    }
  username = find_username (db_path, role, &error);
  if (username == NULL)
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 1;
    }
  g_setenv ("PQS_DB", db_path, TRUE);
  g_setenv ("BENCH_WINDOW_USERNAME", username, TRUE);
  runs_init (&runs);

  /* One of each untimed (fonts, icons and the database in the page cache),
   * then the runs, alternating. */
  for (int i = -1; i < n_runs; i++)
    {
      Runs scratch;
      Runs *into = &runs;

      if (i < 0)
        {
          runs_init (&scratch);
          into = &scratch;
        }
      g_printerr ("· run %d of %d%s\n", i + 1, n_runs, i < 0 ? " (warm-up)" : "");
      if (!run_one (self_exe, "bare", NULL, into, &error) ||
          !run_one (self_exe, "app", password_file, into, &error))
        {
          g_printerr ("bench-window: %s\n", error->message);
          return 1;
        }
      if (i < 0)
        {
          g_hash_table_unref (scratch.values);
          g_hash_table_unref (scratch.strings);
        }
    }

  uname (&machine);
  when = g_date_time_format_iso8601 (now);
  standards_view = g_hash_table_lookup (runs.strings, "app.standards_view");
  renderer = g_hash_table_lookup (runs.strings, "app.renderer");

  g_print ("\nPQS Desk window benchmark - %s\n", when);
  g_print ("Machine: %s, %s, %u CPUs; GTK %s, libadwaita %s, renderer %s\n",
           machine.machine, cpu, g_get_num_processors (), gtk_version, adw_version,
           renderer ? renderer : "?");
  g_print ("Database: %s, %.0f documents listed for %s (%s); %d launches each, p50 and p95\n",
           db_path, percentile (&runs, "app.documents", 0.5), username, role, n_runs);
  g_print ("Standards view: %s\n\n", standards_view != NULL ? standards_view : "?");
  g_print ("%-56s %9s %9s %9s %7s  %s\n", "", "p50", "p95", "ref p50", "x ref", "goal");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "benchmark");
  json_builder_add_string_value (builder, "window");
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, when);
  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "arch");
  json_builder_add_string_value (builder, machine.machine);
  json_builder_set_member_name (builder, "cpu");
  json_builder_add_string_value (builder, cpu);
  json_builder_set_member_name (builder, "nproc");
  json_builder_add_int_value (builder, g_get_num_processors ());
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "gtk_version");
  json_builder_add_string_value (builder, gtk_version);
  json_builder_set_member_name (builder, "adw_version");
  json_builder_add_string_value (builder, adw_version);
  json_builder_set_member_name (builder, "renderer");
  json_builder_add_string_value (builder, renderer != NULL ? renderer : "unknown");
  json_builder_set_member_name (builder, "standards_view");
  json_builder_add_string_value (builder, standards_view != NULL ? standards_view : "unknown");
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "runs");
  json_builder_add_int_value (builder, n_runs);
  add_number (builder, "documents", percentile (&runs, "app.documents", 0.5));
  json_builder_set_member_name (builder, "results");
  json_builder_begin_object (builder);

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      const Row *row = &rows[r];
      double scale = g_str_equal (row->unit, "MiB") ? 1024.0 : 1.0;
      double p50 = percentile (&runs, row->value, 0.5);
      double p95 = percentile (&runs, row->value, 0.95);
      double ref50 = row->reference != NULL ? percentile (&runs, row->reference, 0.5) : -1;
      double ratio = p50 >= 0 && ref50 > 0 ? p50 / ref50 : -1;
      const char *goal = "";
      g_autofree char *goal_text = NULL;
      g_autofree char *goal_ratio_text = g_strdup_printf ("<= %.1fx the %s", row->goal_ratio,
                                                          row->reference_label);

      if (p50 < 0)
        continue;
      if (row->goal_ratio > 0 && ratio >= 0)
        goal = ratio <= row->goal_ratio ? "met" : "MISSED";
      else if (row->goal_ms > 0)
        goal = p95 <= row->goal_ms ? "met" : "MISSED";
      if (row->goal_ratio > 0)
        goal_text = g_strdup_printf ("%s (<= %.1fx)", goal, row->goal_ratio);
      else if (row->goal_ms > 0)
        goal_text = g_strdup_printf ("%s (p95 <= %.0f ms)", goal, row->goal_ms);
      else
        goal_text = g_strdup ("");

      g_print ("%-56s %6.1f %-2s %6.1f %-2s", row->label, p50 / scale,
               scale > 1 ? "Mi" : "ms", p95 / scale, scale > 1 ? "Mi" : "ms");
      if (ref50 >= 0)
        g_print (" %6.1f %-2s %6.2fx", ref50 / scale, scale > 1 ? "Mi" : "ms", ratio);
      else if (row->goal_ms > 0)
        g_print (" %9s %6.2fx", "(16 ms)", p95 / row->goal_ms);
      else
        g_print (" %9s %7s", "", "");
      g_print ("  %s\n", goal_text);

      json_builder_set_member_name (builder, row->key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, row->label);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, row->unit);
      add_number (builder, "p50", p50 / scale);
      add_number (builder, "p95", p95 / scale);
      json_builder_set_member_name (builder, "reference");
      if (row->reference_label != NULL)
        json_builder_add_string_value (builder, row->reference_label);
      else if (row->goal_ms > 0)
        json_builder_add_string_value (builder, "one frame (16 ms)");
      else
        json_builder_add_null_value (builder);
      if (row->reference != NULL)
        {
          add_number (builder, "reference_p50", ref50 / scale);
          add_number (builder, "reference_p95", percentile (&runs, row->reference, 0.95) / scale);
          add_number (builder, "ratio_p50", ratio);
        }
      else if (row->goal_ms > 0)
        {
          add_number (builder, "reference_p50", row->goal_ms);
          add_number (builder, "ratio_p50", p50 / row->goal_ms);
        }
      json_builder_set_member_name (builder, "goal");
      if (row->goal_ratio > 0)
        json_builder_add_string_value (builder, goal_ratio_text);
      else if (row->goal_ms > 0)
        json_builder_add_string_value (builder, "p95 <= 16 ms (one frame)");
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "goal_met");
      if (*goal != '\0')
        json_builder_add_boolean_value (builder, g_str_equal (goal, "met"));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  g_print ("\nlaunch = from just before the process is spawned; painted = the frame clock's "
           "after-paint.\nstall = the longest gap in a 2 ms main-loop timeout, less 2 ms.\n");

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  if (!json_generator_to_file (generator, output, &error))
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 1;
    }
  g_print ("JSON: %s\n", output);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *child = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *output = NULL;
  g_autofree char *role = NULL;
  char *t0_text = NULL;
  int n_runs = 10;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The seeded database (it is signed into)",
      "PATH" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      "A file holding the demo users' password", "FILE" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "Who signs in: admin (default), supervisor, "
      "user", "ROLE" },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &n_runs, "Launches of each window (default 10)", "N" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Where the JSON goes", "FILE" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child, NULL, NULL },
    { "t0", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &t0_text, NULL, NULL },
    { NULL }
  };

  t0_us = g_get_monotonic_time ();

  context = g_option_context_new ("- the window against a bare libadwaita window");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-window: %s\n", error->message);
      return 2;
    }

  if (child != NULL)
    {
      gint64 main_at = t0_us;

      if (t0_text != NULL)
        t0_us = g_ascii_strtoll (t0_text, NULL, 10);
      g_free (t0_text);
      emit ("main_ms", since_t0_ms (main_at));
      return run_child (child, argv[0], password_file);
    }

  if (n_runs < 1)
    {
      g_printerr ("bench-window: --runs must be at least 1\n");
      return 2;
    }
  return run_driver (db_path, password_file, role != NULL ? role : "admin", n_runs,
                     output != NULL ? output : BENCH_DEFAULT_OUTPUT);
}
