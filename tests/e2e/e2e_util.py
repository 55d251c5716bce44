# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers shared by the AT-SPI end-to-end tests (see E2E.md): finding the
application, waiting for what a person would see, clicking buttons and typing
into fields with xdotool, screenshots and database queries."""

import os
import re
import subprocess
import time

from dogtail import config

config.logDebugToFile = False
config.searchShowingOnly = False

from dogtail import rawinput, tree  # noqa: E402  (reads the configuration above)

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
        result = subprocess.run(["sqlite3", "-batch", "-noheader", self.db, query],
                                capture_output=True, text=True)
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
                if predicate(node) and (not visible or is_laid_out(node)):
                    found.append(node)
                for child in node.children:
                    walk(child)
            except Exception:
                return

        for r in roots:
            walk(r)
        return found

    def wait_for(self, description, predicate, timeout=20, visible=True):
        deadline = time.monotonic() + timeout
        while True:
            check(self.proc.poll() is None,
                  "pqs-desk exited with status %s" % self.proc.returncode)
            try:
                nodes = self.find_all(predicate, visible)
            except Exception:  # a node vanished while we walked the tree
                nodes = []
            if nodes:
                return nodes[0]
            if time.monotonic() > deadline:
                raise Failure("%s not found in the accessibility tree (windows %r)"
                              % (description, self.window_names()))
            time.sleep(0.4)

    def wait_for_label(self, text, timeout=20, exact=True):
        if exact:
            pred = lambda n: n.roleName in ("label", "heading") and (n.name or "") == text
        else:
            pred = lambda n: n.roleName in ("label", "heading") and text in (n.name or "")
        return self.wait_for("The label %r" % text, pred, timeout)

    def has_label(self, text, exact=True):
        try:
            nodes = self.find_all(lambda n: n.roleName in ("label", "heading")
                                  and ((n.name or "") == text if exact
                                       else text in (n.name or "")))
        except Exception:
            return False
        return bool(nodes)

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
    def origin(self):
        window = xdotool("search", "--sync", "--onlyvisible", "--pid", str(self.proc.pid))
        geometry = xdotool("getwindowgeometry", window.splitlines()[0])
        found = re.search(r"Position: (-?\d+),(-?\d+)", geometry)
        return (int(found.group(1)), int(found.group(2))) if found else (0, 0)

    def click_node(self, node):
        (x, y), (width, height) = node.position, node.size
        ox, oy = 0, 0  # no window manager: every toplevel sits at (0, 0)
        rawinput.click(ox + x + width // 2, oy + y + height // 2)
        time.sleep(0.3)

    def type_into(self, name, text, roles=("text", "password text"), index=0):
        node = self.wait_for("a field called %r" % name,
                             lambda n: n.roleName in roles and n.name == name, timeout=10)
        nodes = self.find_all(lambda n: n.roleName in roles and n.name == name)
        node = nodes[min(index, len(nodes) - 1)]
        self.click_node(node)
        xdotool("type", "--delay", "15", text)
        time.sleep(0.2)

    def button(self, name, timeout=10):
        return self.wait_for("a button called %r" % name,
                             lambda n: button_named(n, name), timeout)

    def click_button(self, name, timeout=10):
        try:
            node = self.button(name, timeout)
        except Failure:
            raise Failure("no button called %r (buttons: %r)"
                          % (name, self.dump(("push button", "toggle button"))))
        node.doActionNamed("click")
        time.sleep(0.4)

    def key(self, *keys):
        xdotool("key", "--clearmodifiers", *keys)
        time.sleep(0.3)


def is_laid_out(node):
    """GTK 4.8 never sets SHOWING; hidden stack pages have an empty size."""
    width, height = node.size
    return width > 0 and height > 0


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
