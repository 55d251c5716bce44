# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers shared by the AT-SPI end-to-end tests (see E2E.md): finding the
application, waiting for what a person would see, clicking buttons and typing
into fields with xdotool, screenshots and database queries."""

import os
import subprocess
import time

from dogtail import config

config.logDebugToFile = False
config.searchShowingOnly = False

from dogtail import rawinput, tree  # noqa: E402  (reads the configuration above)
import pyatspi  # noqa: E402

APP_NAMES = ("PQS Desk", "pqs-desk")


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Session:
    """One running pqs-desk, with the helpers that drive it."""

    def __init__(self, proc, prefix):
        self.proc = proc
        self.prefix = prefix
        self.app = None
        self.output_dir = os.environ["PQS_E2E_OUTPUT_DIR"]
        self.db = os.environ["PQS_DB"]
        self.shots = 0

    # ---- evidence -------------------------------------------------------
    def screenshot(self, name):
        self.shots += 1
        path = os.path.join(self.output_dir, "e2e-%s-%02d-%s.png"
                            % (self.prefix, self.shots, name))
        subprocess.run(["import", "-window", "root", path], check=False)
        print("screenshot:", path, flush=True)

    def sql(self, query):
        # The app may be writing: wait for its lock rather than fail.
        result = subprocess.run(["sqlite3", "-batch", "-noheader", "-cmd", ".timeout 10000",
                                 self.db, query], capture_output=True, text=True)
        check(result.returncode == 0,
              "sqlite3 failed on %r: %s" % (query, result.stderr.strip()))
        return result.stdout.strip()

    # ---- the accessibility tree ------------------------------------------
    def find_application(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            check(self.proc.poll() is None,
                  "pqs-desk exited early with status %s" % self.proc.returncode)
            for app in tree.root.applications():
                try:
                    if app.name in APP_NAMES:
                        self.app = app
                        return app
                except Exception:
                    continue
            time.sleep(0.5)
        raise Failure("pqs-desk is not on the accessibility bus")

    def window_names(self):
        return [(c.roleName, c.name, c.size) for c in self.app.children]

    def toplevels(self):
        """The application's windows, newest (a dialog) last."""
        out = []
        for child in self.app.children:
            try:
                if is_laid_out(child):
                    out.append(child)
            except Exception:
                continue
        return out

    def find_all(self, predicate, visible=True, root=None):
        """A walk that skips subtrees without a size (pages never shown),
        over the newest window only unless root is given: much faster than
        dogtail's findChildren, which reads every hidden page too."""
        roots = [root] if root is not None else list(reversed(self.toplevels()))
        found = []

        def walk(node):
            try:
                # A widget that is not laid out hides its whole subtree
                # (stack pages never shown, closed popovers): skip it.
                if visible and size_or_none(node) == (0, 0):
                    return
                if predicate(node):
                    found.append(node)
                for child in node.children:
                    walk(child)
            except Exception:
                return

        for r in roots:
            walk(r)
        return found

    def wait_until(self, description, condition, timeout=30, explain=None):
        """Polls condition (a database query, a file, the tree: the outcome
        of a step, never a transient message) until it returns something
        true, and returns that. Fails after timeout seconds, with what
        explain() returns if given, or at once when pqs-desk has exited."""
        deadline = time.monotonic() + timeout
        while True:
            check(self.proc.poll() is None,
                  "pqs-desk exited with status %s" % self.proc.returncode)
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise Failure("%s: not so after %d s%s"
                              % (description, timeout, explain() if explain else ""))
            time.sleep(0.4)

    def wait_for(self, description, predicate, timeout=30, visible=True, root=None):
        """The first node (see find_all) that predicate accepts, once there is one."""
        def first():
            try:
                nodes = self.find_all(predicate, visible, root)
            except Exception:  # a node vanished while we walked the tree
                return None
            return nodes[0] if nodes else None

        return self.wait_until(description, first, timeout,
                               lambda: " (windows %r)" % self.window_names())

    def wait_for_label(self, text, timeout=30, exact=True, shown=False):
        """A label or heading reading text (holding it, without exact); with
        shown, only one a person sees (see on_screen), not one left behind
        on a hidden page."""
        return self.wait_for("the label %r%s" % (text, " on screen" if shown else ""),
                             lambda n: n.roleName in ("label", "heading")
                             and (n.name == text if exact else text in (n.name or ""))
                             and (not shown or on_screen(n)), timeout)

    def dump(self, roles=None):
        """The laid-out named nodes, for a failure message."""
        out = []
        for n in self.app.findChildren(lambda n: True):
            try:
                if is_laid_out(n) and n.name and (roles is None or n.roleName in roles):
                    out.append((n.roleName, n.name[:60]))
            except Exception:
                pass
        return out

    # ---- input -------------------------------------------------------------
    def click_node(self, node):
        # Positions are relative to the window, and without a window
        # manager every toplevel sits at (0, 0).
        (x, y), (width, height) = node.position, node.size
        rawinput.click(x + width // 2, y + height // 2)
        time.sleep(0.3)

    def key(self, *keys):
        xdotool("key", "--clearmodifiers", *keys)
        time.sleep(0.3)

    # ---- what a person does, one screen at a time -----------------------------
    def field(self, name, root=None, index=-1, timeout=30):
        """A text field by its accessible name (the row's title). GTK keeps
        the pages it hid in the tree with their old places, so where the
        same name shows twice the caller says which (the last by default:
        the page shown most recently is built last)."""
        self.wait_for("a field called %r" % name,
                      lambda n: n.roleName in ("text", "password text") and n.name == name,
                      timeout)
        nodes = self.find_all(lambda n: n.roleName in ("text", "password text")
                              and n.name == name, root=root)
        check(nodes, "no field called %r" % name)
        return nodes[index]

    def reveal(self, node):
        """Scrolls with the mouse wheel, over the middle of the node's
        window, until the node is inside that window's content."""
        window = toplevel_of(node)
        (width, height) = window.size
        main = window.name in APP_NAMES  # the main window has bars at both ends
        top, bottom = (125, height - 55) if main else (50, height - 5)
        for _ in range(60):
            y, node_height = node.position[1], node.size[1]
            if y >= top and y + node_height <= bottom:
                return
            xdotool("mousemove", str(width // 2 + (100 if main else 0)),
                    str(height // 2))
            xdotool("click", "5" if y + node_height > bottom else "4")
            time.sleep(0.15)
        raise Failure("could not scroll %r into view (at %r size %r, window %r %r)"
                      % (node.name, node.position, node.size, window.name, window.size))

    def type_field(self, node, text, replace=True, scroll=True):
        """Clicks into a field (scrolled into view), selects what it holds
        and types over it."""
        if scroll:
            self.reveal(node)
        self.click_node(node)
        if replace:
            self.key("ctrl+a")
        xdotool("type", "--delay", "12", text)
        time.sleep(0.2)

    def click_in(self, root, name, timeout=30):
        """Clicks the button called name inside root (a dialog)."""
        deadline = time.monotonic() + timeout
        while True:
            nodes = [n for n in self.find_all(lambda n: button_named(n, name), root=root)
                     if n.queryAction().nActions]
            if nodes:
                nodes[0].doActionNamed("click")
                time.sleep(0.5)
                return
            check(time.monotonic() < deadline, "no button called %r" % name)
            time.sleep(0.3)

    def menu(self, button, item, scrolled=False):
        """Opens the menu button called button (scrolled into view first
        when it is in the content) and picks item."""
        if scrolled:
            self.reveal(self.wait_for("a menu button called %r" % button,
                                      lambda n: button_named(n, button)
                                      and n.queryAction().nActions))
        self.click_in(None, button)
        self.wait_for("the item %r of the menu %r" % (item, button),
                      lambda n: n.roleName == "menu item"
                      and (n.name or "").replace("_", "") == item).doActionNamed("click")
        time.sleep(1.0)

    def sidebar(self, name):
        self.click_node(self.wait_for("the sidebar entry %r" % name,
                                      lambda n: n.roleName == "label" and n.name == name
                                      and n.position[0] < 245 and n.position[1] > 50
                                      and on_screen(n)))
        time.sleep(1.0)

    def text_shown(self, text, timeout=30):
        """Waits for any node whose name holds text (labels, alerts)."""
        return self.wait_for("the text %r" % text, lambda n: text in (n.name or ""), timeout)

    def dialog(self, title, timeout=30):
        """The newest toplevel, once it is the dialog called title."""
        deadline = time.monotonic() + timeout
        while True:
            windows = self.toplevels()
            if windows and windows[-1].name == title:
                return windows[-1]
            check(time.monotonic() < deadline, "no dialog %r (windows %r)"
                  % (title, self.window_names()))
            time.sleep(0.3)


def on_screen(node):
    """Whether node is what a person sees at its centre: the window's hit
    test there lands on node or inside it. GTK 4.8 leaves the widgets of
    hidden pages (the workspace after a sign-out, a view not chosen) in the
    tree with the places they last had; those fail this test."""
    try:
        (x, y), (width, height) = node.position, node.size
        hit = toplevel_of(node).queryComponent().getAccessibleAtPoint(
            x + width // 2, y + height // 2, pyatspi.WINDOW_COORDS)
        while hit is not None and hit.roleName != "application":
            if hit == node:
                return True
            hit = hit.parent
    except Exception:
        pass
    return False


def ancestor(node, role):
    """The nearest ancestor of node with that role (a list row, say)."""
    node = node.parent
    while node is not None and node.roleName != role:
        node = node.parent
    check(node is not None, "no %s around the node" % role)
    return node


def toplevel_of(node):
    """The window a node is in (the application's child on its path)."""
    while True:
        parent = node.parent
        if parent is None or parent.roleName == "application":
            return node
        node = parent


def size_or_none(node):
    """The node's size, or None for nodes without one (GtkStackPage)."""
    try:
        width, height = node.size
    except NotImplementedError:
        return None
    return (max(width, 0), max(height, 0))


def is_laid_out(node):
    """GTK 4.8 never sets SHOWING; hidden stack pages have an empty size."""
    size = size_or_none(node)
    return size is not None and size[0] > 0 and size[1] > 0


def button_named(node, name):
    """GTK 4.8 names a labelled button "_Label Label"."""
    if node.roleName not in ("push button", "toggle button"):
        return False
    text = (node.name or "").replace("_", "")
    return text == name or text == "%s %s" % (name, name)


def xdotool(*args):
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True,
                            timeout=30)
    check(result.returncode == 0,
          "xdotool %s failed: %s" % (" ".join(args), result.stderr.strip()))
    return result.stdout.strip()
