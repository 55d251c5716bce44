#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""PQS Desk starts on a fresh database, migrates it, asks for the first
administrator (there is no default account), signs them in, shows its empty
state through the accessibility tree, and quits cleanly with Ctrl+Q.

Run through run-e2e.sh, which provides the display, the D-Bus session, the
AT-SPI bus and these variables: PQS_E2E_APP (the pqs-desk program),
PQS_E2E_OUTPUT_DIR (for screenshots) and PQS_DB (a database in a temporary
folder, which must not exist yet).
"""

import os
import re
import subprocess
import sys
import time

from dogtail import config

config.logDebugToFile = False

from dogtail import rawinput, tree  # noqa: E402  (reads the configuration above)

APP = os.environ["PQS_E2E_APP"]
OUTPUT_DIR = os.environ["PQS_E2E_OUTPUT_DIR"]
DB = os.environ["PQS_DB"]
APP_NAMES = ("PQS Desk", "pqs-desk")
EMPTY_TITLE = "No Standards Yet"
FIRST_ADMIN_TITLE = "Create the Administrator"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def screenshot(name):
    path = os.path.join(OUTPUT_DIR, "e2e-startup-%s.png" % name)
    subprocess.run(["import", "-window", "root", path], check=False)
    print("screenshot:", path)


def sql(query):
    result = subprocess.run(["sqlite3", "-batch", "-noheader", DB, query],
                            capture_output=True, text=True)
    check(result.returncode == 0,
          "sqlite3 failed on %r: %s" % (query, result.stderr.strip()))
    return result.stdout.strip()


def find_application(proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        check(proc.poll() is None,
              "pqs-desk exited early with status %s" % proc.returncode)
        for app in tree.root.applications():
            try:
                if app.name in APP_NAMES:
                    return app
            except Exception:  # an application that vanished meanwhile
                continue
        time.sleep(0.5)
    names = [a.name for a in tree.root.applications()]
    raise Failure("pqs-desk is not on the accessibility bus (found %r)" % names)


def is_laid_out(node):
    """GTK 4.8 never sets the SHOWING state, and the pages of a GtkStack that
    are not shown stay in the tree (with an empty size): a label a person
    can see is one with a size."""
    width, height = node.size
    return width > 0 and height > 0


def wait_for_label(app, description, predicate, timeout=30):
    """The first label matching predicate, polling while the app migrates."""
    deadline = time.monotonic() + timeout
    while True:
        labels = app.findChildren(lambda n: n.roleName in ("label", "heading")
                                  and predicate(n.name or ""))
        labels = [n for n in labels if is_laid_out(n)]
        if labels:
            return labels[0]
        if time.monotonic() > deadline:
            raise Failure("%s not found in the accessibility tree" % description)
        time.sleep(0.5)


def xdotool(*args):
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True,
                            timeout=30)
    check(result.returncode == 0,
          "xdotool %s failed: %s" % (" ".join(args), result.stderr.strip()))
    return result.stdout.strip()


def window_origin(proc):
    window = xdotool("search", "--sync", "--onlyvisible", "--pid", str(proc.pid))
    geometry = xdotool("getwindowgeometry", window.splitlines()[0])
    found = re.search(r"Position: (-?\d+),(-?\d+)", geometry)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def type_into(app, proc, name, text):
    """Clicks the entry row called name and types text, as a person would."""
    rows = app.findChildren(lambda n: n.roleName in ("text", "password text")
                            and n.name == name)
    rows = [n for n in rows if is_laid_out(n)]
    check(rows, "no field called %r" % name)
    (x, y), (width, height) = rows[0].position, rows[0].size
    origin_x, origin_y = window_origin(proc)
    rawinput.click(origin_x + x + width // 2, origin_y + y + height // 2)
    time.sleep(0.3)
    xdotool("type", "--delay", "20", text)


def button_named(node, name):
    """GTK 4.8 names a labelled button after its label (with the mnemonic
    underscore) followed by the label's own text: "_Sign In Sign In"."""
    if node.roleName != "push button":
        return False
    text = (node.name or "").replace("_", "")
    return text == name or text == "%s %s" % (name, name)


def click_button(app, name):
    buttons = [n for n in app.findChildren(lambda n: button_named(n, name)) if is_laid_out(n)]
    names = [(n.roleName, n.name) for n in app.findChildren(lambda n: "button" in n.roleName)]
    check(buttons, "no button called %r (buttons: %r)" % (name, names))
    buttons[0].doActionNamed("click")


def run(proc):
    check(not os.path.exists(DB), "the database %s exists before the start" % DB)

    app = find_application(proc)

    # A new workstation has no accounts and no default password: it asks
    # for the first administrator.
    wait_for_label(app, "The first-administrator title", lambda n: n == FIRST_ADMIN_TITLE)
    screenshot("first-admin")
    type_into(app, proc, "Username", "admin")
    type_into(app, proc, "Full Name", "Ada Admin")
    type_into(app, proc, "Email", "admin@example.org")
    type_into(app, proc, "Password", "correct horse battery")
    type_into(app, proc, "Confirm Password", "correct horse battery")
    click_button(app, "Create Administrator")

    # The empty state appears once the administrator is signed in.
    wait_for_label(app, "The empty-state title %r" % EMPTY_TITLE,
                   lambda name: name == EMPTY_TITLE)
    wait_for_label(app, "The empty state's offer of a sample standard",
                   lambda name: "open a sample" in name)
    screenshot("empty-state")

    buttons = app.findChildren(lambda n: button_named(n, "Open a Sample Standard"))
    check(buttons, "the empty state offers no sample standard")
    errors = app.findChildren(lambda n: n.roleName == "label"
                              and (n.name or "").startswith("Could Not"))
    check(not errors, "an error is shown: %r" % [n.name for n in errors])

    # Icon-only controls carry names a screen reader can say.
    buttons = app.findChildren(lambda n: n.roleName == "push button" and n.name == "Main Menu")
    check(buttons, "the main menu button has no accessible name")

    # The database exists and records its migrations.
    check(os.path.isfile(DB), "the database file %s was not created" % DB)
    applied = int(sql("SELECT count(*) FROM migration_history;"))
    check(applied > 0, "migration_history is empty")
    latest = int(sql("SELECT max(version) FROM migration_history;"))
    pending = sql("SELECT count(*) FROM migration_history WHERE status <> 'applied' "
                  "AND status <> 'baselined';")
    check(pending == "0", "migrations not applied: %s" % pending)
    print("database at schema version %d, %d migrations recorded" % (latest, applied))
    check(sql("SELECT role || ' ' || substr(password_hash, 1, 10) FROM users "
              "WHERE username = 'admin';") == "admin $argon2id$",
          "the administrator was not stored with an argon2id hash")
    check(sql("SELECT count(*) FROM user_sessions WHERE is_active = 1;") == "1",
          "no open session for the administrator")

    # Ctrl+Q quits, and the program ends well.
    window = xdotool("search", "--sync", "--onlyvisible", "--pid", str(proc.pid))
    window = window.splitlines()[0]
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "--clearmodifiers", "ctrl+q")
    try:
        status = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        raise Failure("pqs-desk did not quit after Ctrl+Q")
    check(status == 0, "pqs-desk exited with status %d" % status)


def main():
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    env = dict(os.environ, GDK_BACKEND="x11", GTK_A11Y="atspi")
    proc = subprocess.Popen([APP], env=env)
    try:
        run(proc)
    except Failure as failure:
        screenshot("failure")
        print("FAIL:", failure, file=sys.stderr)
        return 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
