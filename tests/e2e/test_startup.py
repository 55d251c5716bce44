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
import subprocess
import sys

from e2e_util import Failure, Session, button_named, check, xdotool

APP = os.environ["PQS_E2E_APP"]
DB = os.environ["PQS_DB"]
EMPTY_TITLE = "No Standards Yet"
FIRST_ADMIN_TITLE = "Create the Administrator"


def run(s):
    proc, sql = s.proc, s.sql
    check(not os.path.exists(DB), "the database %s exists before the start" % DB)

    s.find_application()

    # A new workstation has no accounts and no default password: it asks
    # for the first administrator.
    s.wait_for_label(FIRST_ADMIN_TITLE, timeout=30)
    s.screenshot("first-admin")
    for name, text in (("Username", "admin"), ("Full Name", "Ada Admin"),
                       ("Email", "admin@example.org"), ("Password", "correct horse battery"),
                       ("Confirm Password", "correct horse battery")):
        s.type_field(s.field(name, index=0), text, scroll=False)
    s.click_in(None, "Create Administrator")

    # The empty state appears once the administrator is signed in.
    s.wait_for_label(EMPTY_TITLE, timeout=30)
    s.wait_for_label("open a sample", exact=False)
    s.screenshot("empty-state")

    check(s.find_all(lambda n: button_named(n, "Open a Sample Standard")),
          "the empty state offers no sample standard")
    errors = s.find_all(lambda n: n.roleName == "label" and (n.name or "").startswith("Could Not"))
    check(not errors, "an error is shown: %r" % [n.name for n in errors])

    # Icon-only controls carry names a screen reader can say.
    check(s.find_all(lambda n: n.roleName == "push button" and n.name == "Main Menu"),
          "the main menu button has no accessible name")

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
    os.makedirs(os.environ["PQS_E2E_OUTPUT_DIR"], exist_ok=True)
    env = dict(os.environ, GDK_BACKEND="x11", GTK_A11Y="atspi")
    proc = subprocess.Popen([APP], env=env)
    s = Session(proc, "startup")
    try:
        run(s)
    except Failure as failure:
        s.screenshot("failure")
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
