#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The journey of issue 6, driven through AT-SPI as a person would: first
administrator, users, a standard with a 300-series section, review with
changes requested, approval, PDF export, backup and restore, lockout.

Run through run-e2e.sh (PQS_E2E_APP, PQS_E2E_OUTPUT_DIR, PQS_DB)."""

import os
import subprocess
import sys
import time

from e2e_util import Failure, Session, check, is_laid_out, xdotool  # noqa: F401

APP = os.environ["PQS_E2E_APP"]
STOP = os.environ.get("PQS_E2E_STOP")
PASSWORD = "correct horse battery"
done = []


def step(s, name):
    s.screenshot(name)
    done.append(name)
    print("step ok:", name, "%.1fs" % (time.monotonic() - START), flush=True)
    if STOP == name:
        for item in s.dump():
            print(item)
        raise Failure("stopped after %s" % name)


def click_label(s, text, exact=True):
    node = s.wait_for_label(text, exact=exact)
    s.click_node(node)
    return node


def sidebar(s, name):
    rows = s.find_all(lambda n: n.roleName in ("label",) and n.name == name)
    check(rows, "no sidebar entry %r" % name)
    s.click_node(rows[0])
    time.sleep(0.5)


def run(s):
    s.find_application()
    s.wait_for_label("Create the Administrator", timeout=30)
    s.type_into("Username", "admin")
    s.type_into("Full Name", "Ada Admin")
    s.type_into("Email", "admin@example.org")
    s.type_into("Password", PASSWORD)
    s.type_into("Confirm Password", PASSWORD)
    s.click_button("Create Administrator")
    s.wait_for_label("No Standards Yet")
    step(s, "first-admin")

    sidebar(s, "Users")
    s.wait_for_label("Users")
    s.click_button("New User")
    dialog = s.wait_for("the New User dialog",
                        lambda n: n.roleName == "push button"
                        and (n.name or "").replace("_", "") == "Create Create")
    frame = s.toplevels()[-1]

    def fill(pairs):
        fields = {n.name: n for n in s.find_all(
            lambda n: n.roleName in ("text", "password text"), root=frame)}
        for name, text in pairs:
            check(name in fields, "the New User dialog has no field %r (%r)" % (name, list(fields)))
            s.click_node(fields[name])
            xdotool("type", "--delay", "15", text)

    fill((("Username", "ursula"), ("Full Name", "Ursula User"),
          ("Email", "ursula@example.org")))
    # The password rows are below the fold of the dialog: scroll to them.
    xdotool("mousemove", "250", "400")
    xdotool("click", "--repeat", "10", "5")
    time.sleep(0.5)
    fill((("Password", PASSWORD), ("Confirm Password", PASSWORD)))
    step(s, "new-user-filled")
    dialog.doActionNamed("click")
    s.wait_for_label("Ursula User")
    check(s.sql("SELECT role FROM users WHERE username = 'ursula';") == "user",
          "the user ursula was not stored with the role user")
    step(s, "user-created")

    # Not done yet (see the report): sign out through "Main Menu" (two
    # GtkMenuButtons carry that name and the first has no "click" action),
    # and the rest of the journey.


def main():
    global START
    START = time.monotonic()
    os.makedirs(os.environ["PQS_E2E_OUTPUT_DIR"], exist_ok=True)
    env = dict(os.environ, GDK_BACKEND="x11", GTK_A11Y="atspi")
    proc = subprocess.Popen([APP], env=env)
    s = Session(proc, "journey")
    try:
        run(s)
    except Failure as failure:
        s.screenshot("failure")
        print("FAIL:", failure, file=sys.stderr)
        print("steps done:", done, file=sys.stderr)
        return 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    print("PASS in %.1fs; steps: %s" % (time.monotonic() - START, done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
