#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The journey of issue 6, driven through AT-SPI as a person would:

 1. the first administrator is created on a new database;
 2. the administrator creates a user (ursula) and a supervisor (sam);
 3. ursula signs in, creates a standard (101 Precautions comes with it),
    adds section 301 from the watchstation template, fills its form, adds
    line items, saves with Ctrl+S and submits it;
 4. sam finds it in the review queue and requests changes with a comment;
 5. ursula fixes it (an answer) and submits it again;
 6. sam approves it and exports both PDF editions through the file chooser;
 7. the administrator takes a backup, a later change is made, and the
    backup is restored (the change is gone, everyone signs in again);
 8. a user who types a wrong password five times is locked out and told so.

After each step the database (and the files written) are checked.
Each step waits for its outcome (what the window shows afterwards, the rows
in the database, the file written), never for a toast: a toast lasts a few
seconds and, on a loaded machine, can come and go between two looks.
Run through run-e2e.sh (PQS_E2E_APP, PQS_E2E_OUTPUT_DIR, PQS_DB)."""

import os
import subprocess
import sys
import tempfile
import time

from e2e_util import Failure, Session, ancestor, check, on_screen, xdotool

APP = os.environ["PQS_E2E_APP"]
ADMIN_TOOL = os.path.join(os.path.dirname(os.path.dirname(APP)), "cli", "pqs-admin")
STOP = os.environ.get("PQS_E2E_STOP")
PASSWORD = "correct horse battery"
SECTION_TITLE = "Engine Room Supervisor"
QUESTION = "State the duties of the engine room supervisor."
FIRST_ANSWER = "Supervises the watch."
FIXED_ANSWER = "Supervises the engine room watch and reports to the EOOW."
done = []


def step(s, name):
    s.screenshot(name)
    done.append(name)
    print("step ok:", name, "%.1fs" % (time.monotonic() - START), flush=True)
    if STOP == name:
        for item in s.dump():
            print(item)
        raise Failure("stopped after %s" % name)


def sign_in(s, username, password=PASSWORD, expect_workspace=True):
    """Types into the sign-in page's two rows (the ones next to each other:
    the first-administrator page, hidden, keeps rows of the same names)."""
    s.wait_for_label("Sign In", shown=True)
    user = s.field("Username")
    passwords = [n for n in s.find_all(lambda n: n.roleName in ("text", "password text")
                                       and n.name == "Password")
                 if 0 < n.position[1] - user.position[1] < 80]
    check(passwords, "no Password row under the Username row")
    s.type_field(user, username)
    s.type_field(passwords[0], password)
    s.key("Return")
    if expect_workspace:
        s.wait_for("the signed-in user's name in the sidebar",
                   lambda n: n.roleName == "label" and n.name == FULL_NAMES[username]
                   and n.position[0] < 245 and n.position[1] > 500 and on_screen(n))
        time.sleep(1.0)


def sign_out(s):
    s.menu("Main Menu", "Sign Out")
    s.wait_for_label("Sign In", shown=True)


def doc_row(s, top=140):
    """The row of section 301 in the list on screen: below the search bar
    and filters of the standards list (a row that draws its texts and is
    named "301 Title, Status, …"), or (top=50) the title's label in the
    review queue."""
    row_name = "301 %s, " % SECTION_TITLE
    return s.wait_for("a row for section 301 %r" % SECTION_TITLE,
                      lambda n: (n.name == SECTION_TITLE and n.roleName == "label"
                                 or (n.name or "").startswith(row_name))
                      and n.position[0] > 240 and n.position[1] > top and on_screen(n))


def header(s, text, exact=True):
    """Waits until the header of the pane on screen (its title, or the
    subtitle: a document's status) reads text, or with exact=False starts
    with it ("In review · Version 2")."""
    return s.wait_for("the header %r" % text,
                      lambda n: n.roleName == "label" and n.position[0] > 245
                      and n.position[1] < 50 and (n.name == text if exact else
                                                  (n.name or "").startswith(text))
                      and on_screen(n))


def submit(s):
    """Submits the section open in the editor: its status becomes "In review"."""
    s.click_in(None, "Submit")
    header(s, "In review", exact=False)


def add_question(s, kind, text):
    """Adds a line item of kind from the Add Item menu and types text into
    its Question row, once it shows: the new item opens, and is built last."""
    def rows():
        return s.find_all(lambda n: n.roleName == "text" and n.name == "Question")

    def grown():
        found = rows()
        return found if len(found) > before else None

    before = len(rows())
    s.menu("Add Item", kind, scrolled=True)
    s.type_field(s.wait_until("the new %s's Question row" % kind.lower(), grown)[-1], text)


FULL_NAMES = {"admin": "Ada Admin", "ursula": "Ursula User", "sam": "Sam Super"}


def create_user(s, username, role=None):
    s.click_in(None, "New User")
    frame = s.dialog("New User")
    for name, text in (("Username", username), ("Full Name", FULL_NAMES[username]),
                       ("Email", "%s@example.org" % username),
                       ("Password", PASSWORD), ("Confirm Password", PASSWORD)):
        s.type_field(s.field(name, root=frame), text)
    if role is not None:
        combo = s.find_all(lambda n: n.roleName == "combo box" and n.name == "Role", root=frame)
        check(combo, "the New User dialog has no Role row")
        s.reveal(combo[0])
        s.click_node(combo[0])
        time.sleep(0.8)
        choice = s.wait_for("the role %r in the list" % role,
                            lambda n: n.roleName in ("label", "list item") and n.name == role
                            and n.position[1] > 0)
        s.click_node(choice)
        # The row shows the choice once the list has closed.
        s.wait_for("the role %r chosen" % role,
                   lambda n: n.roleName == "label" and n.name == role
                   and abs(n.position[1] - combo[0].position[1]) < combo[0].size[1],
                   root=combo[0])
    s.click_in(frame, "Create")
    s.wait_for_label(FULL_NAMES[username])


def run(s):
    sql = s.sql

    # 1. The first administrator.
    s.find_application()
    s.wait_for_label("Create the Administrator")
    for name, text in (("Username", "admin"), ("Full Name", FULL_NAMES["admin"]),
                       ("Email", "admin@example.org"), ("Password", PASSWORD),
                       ("Confirm Password", PASSWORD)):
        s.type_field(s.field(name, index=0), text)
    s.click_in(None, "Create Administrator")
    s.wait_for_label("No Standards Yet")
    check(sql("SELECT role FROM users WHERE username = 'admin';") == "admin",
          "the first administrator was not stored")
    step(s, "first-admin")

    # 2. A user and a supervisor.
    s.sidebar("Users")
    create_user(s, "ursula")
    create_user(s, "sam", role="Supervisor")
    check(sql("SELECT username, role FROM users ORDER BY id;").split()
          == ["admin|admin", "ursula|user", "sam|supervisor"],
          "the accounts are not as created: %r" % sql("SELECT username, role FROM users;"))
    step(s, "users-created")
    sign_out(s)

    # 3. ursula writes section 301.
    sign_in(s, "ursula")
    s.wait_for_label("No Standards Yet", shown=True)
    s.click_in(None, "New Standard")
    frame = s.dialog("New Standard")
    s.type_field(s.field("Title", root=frame), "Engine Room Watch")
    s.type_field(s.field("Owning Unit", root=frame), "USS Example")
    s.click_in(frame, "Create")
    header(s, "Engine Room Watch")  # the new standard's page
    check(sql("SELECT s.title, d.document_number, d.title FROM standards s "
              "JOIN documents d ON d.standard_id = s.id;")
          == "Engine Room Watch|101|Precautions",
          "the standard and its 101 were not created")
    step(s, "standard-created")

    s.click_in(None, "Add a section to the 300 series")
    frame = s.dialog("Add Section")
    s.type_field(s.field("Title", root=frame), SECTION_TITLE)
    s.click_in(frame, "Add")
    header(s, "301 %s" % SECTION_TITLE)  # its editor
    section = sql("SELECT id FROM documents WHERE document_number = 301;")
    check(section != "", "section 301 was not created")

    def doc(column):
        return sql("SELECT %s FROM documents WHERE id = %s;" % (column, section))

    check(doc("title") == SECTION_TITLE, "section 301 is called %r" % doc("title"))
    template_items = int(sql("SELECT count(*) FROM document_items WHERE document_id = %s;"
                             % section))
    check(template_items > 0, "section 301 has none of its template's line items")

    s.type_field(s.field("Prerequisites"), "Sections 101 and 201 complete.")
    s.type_field(s.field("Tasks"), "Relieve the watch.")
    s.key("Return")
    xdotool("type", "--delay", "12", "Take the logs.")
    for part, value in (("Name", "Quinn Qualifier"), ("Rank", "CWO2"), ("Date", "2026-11-20")):
        s.type_field(s.field("Final signature: %s %s" % (part, part)), value)
    add_question(s, "Question", QUESTION)
    s.type_field(s.field("Answer"), FIRST_ANSWER)
    add_question(s, "Sub-question", "Name the logs the supervisor reviews.")
    s.key("ctrl+s")
    header(s, "Draft")  # no longer "Draft · Unsaved"
    items = sql("SELECT kind || '|' || text || '|' || coalesce(answer, '') FROM document_items "
                "WHERE document_id = %s ORDER BY position;" % section).splitlines()
    check(len(items) == template_items + 2, "expected %d line items, found %d"
          % (template_items + 2, len(items)))
    check("question|%s|%s" % (QUESTION, FIRST_ANSWER) in items,
          "the new question was not saved: %r" % items[-3:])
    check(sql("SELECT p.text FROM document_items c JOIN document_items p ON p.id = c.parent_id "
              "WHERE c.document_id = %s AND c.kind = 'sub_question' "
              "AND c.text = 'Name the logs the supervisor reviews.';" % section) == QUESTION,
          "the sub-question was not saved under the new question")
    check(doc("json_extract(metadata, '$.tasks')") == "Relieve the watch.\nTake the logs.",
          "the Tasks field holds %r" % doc("json_extract(metadata, '$.tasks')"))
    step(s, "section-written")

    submit(s)
    check(doc("status") == "in_review", "301 is %r after Submit" % doc("status"))
    step(s, "submitted")
    sign_out(s)

    # 4. sam requests changes.
    sign_in(s, "sam")
    s.sidebar("Review Queue")
    queued = ancestor(doc_row(s, top=50), "list item")  # the queue's row, with its buttons
    s.click_in(queued, "Request Changes…")
    frame = s.dialog("Request Changes?")
    s.type_field(s.field("Comment for the author", root=frame),
                 "Say to whom the supervisor reports.")
    s.click_in(frame, "Request Changes")
    s.wait_for_label("Nothing to Review", shown=True)  # 301 left the queue
    check(doc("status") == "draft", "301 is %r after Request Changes" % doc("status"))
    check(sql("SELECT r.decision, r.comment, u.username FROM document_reviews r "
              "JOIN users u ON u.id = r.reviewer_id WHERE r.document_id = %s;" % section)
          == "changes_requested|Say to whom the supervisor reports.|sam",
          "the review was not stored: %r" % sql("SELECT * FROM document_reviews;"))
    step(s, "changes-requested")
    sign_out(s)

    # 5. ursula fixes the answer and submits again.
    sign_in(s, "ursula")
    s.click_node(doc_row(s))
    answers = s.find_all(lambda n: n.roleName == "label" and n.name == QUESTION)
    check(answers, "the question is not in the outline")
    s.reveal(answers[-1])
    s.click_node(answers[-1])  # opens the item
    s.type_field(s.field("Answer"), FIXED_ANSWER)
    s.key("ctrl+s")
    s.wait_until("the fixed answer saved",
                 lambda: sql("SELECT answer FROM document_items WHERE document_id = %s "
                             "AND text = '%s';" % (section, QUESTION)) == FIXED_ANSWER)
    submit(s)
    check(doc("status") == "in_review", "301 is %r after the second Submit" % doc("status"))
    step(s, "fixed")
    sign_out(s)

    # 6. sam approves it and exports both editions.
    sign_in(s, "sam")
    s.sidebar("Review Queue")
    s.click_in(ancestor(doc_row(s, top=50), "list item"), "Approve")  # the queue row's own
    s.wait_for_label("Nothing to Review", shown=True)  # 301 left the queue
    check(doc("status || '|' || (SELECT username FROM users WHERE id = approved_by)")
          == "approved|sam", "301 is not approved by sam: %r" % doc("status"))
    step(s, "approved")

    # The exports, from the section's editor: open it from the standards list.
    s.sidebar("Standards")
    s.click_node(doc_row(s))
    header(s, "301 %s" % SECTION_TITLE)
    exports = tempfile.mkdtemp(prefix="pqs-e2e-export-")
    for edition in ("Trainee", "Qualifier"):
        path = os.path.join(exports, "301-%s.pdf" % edition.lower())
        s.menu("Export", "PDF, %s Edition…" % edition)
        chooser = s.dialog("Export PDF")
        s.type_field(s.field("Name:", root=chooser), path, scroll=False)
        s.key("Return")
        # Written whole (to a temporary file, then renamed) or not at all.
        s.wait_until("%s written" % path, lambda: os.path.exists(path), timeout=60)
        s.wait_until("the file chooser closed",
                     lambda: "Export PDF" not in [w.name for w in s.toplevels()])
        with open(path, "rb") as f:
            head = f.read(5)
        check(head == b"%PDF-", "%s is not a PDF" % path)
        text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout
        check(QUESTION in text.replace("\n", " "), "the %s edition lacks the question" % edition)
        check((FIXED_ANSWER in text.replace("\n", " ")) == (edition == "Qualifier"),
              "the answer shows in the wrong edition (%s)" % edition)
    step(s, "exported")
    sign_out(s)

    # 7. The administrator backs up, a change follows, the backup is restored.
    sign_in(s, "admin")
    s.sidebar("System")
    s.click_node(s.wait_for("the System view's Backups tab",
                            lambda n: n.roleName == "page tab" and n.name == "Backups"
                            and on_screen(n)))  # the bar's; the header's switcher is hidden
    s.click_in(None, "Back Up Now")
    # The list also holds the scheduled backup taken at start-up: wait for
    # the manual one, in the history and then in the list.
    backup = s.wait_until("a completed manual backup",
                          lambda: sql("SELECT backup_path FROM backup_history "
                                      "WHERE backup_status = 'completed' "
                                      "AND backup_type = 'manual' ORDER BY id DESC LIMIT 1;"),
                          timeout=120)
    check(os.path.exists(backup), "no completed backup file: %r" % backup)
    manual = ancestor(s.wait_for("the manual backup in the list",
                                 lambda n: n.roleName == "label"
                                 and (n.name or "").startswith("Manual ·")), "list item")
    step(s, "backed-up")

    # A later change, from the command line on the same database: a user.
    added = subprocess.run([ADMIN_TOOL, "--db", s.db, "user", "add", "--role", "visitor",
                            "--full-name", "Victor Visitor", "--email", "victor@example.org",
                            "--password-stdin", "victor"],
                           input=PASSWORD + "\n", capture_output=True, text=True)
    check(added.returncode == 0, "pqs-admin user add failed: %s" % added.stderr)
    check(sql("SELECT count(*) FROM users WHERE username = 'victor';") == "1",
          "victor was not added")

    s.click_in(manual, "Restore…")
    frame = s.dialog("Restore This Backup?")
    s.click_in(frame, "Restore")
    # Everyone signs in again: the sign-in page is what shows (no toast text
    # is relied on: their wording is not part of what is tested).
    s.wait_for_label("Sign In", timeout=180, shown=True)
    check(sql("SELECT count(*) FROM users WHERE username = 'victor';") == "0",
          "the restore kept a user added after the backup")
    check(doc("status") == "approved", "the restored 301 is %r" % doc("status"))
    check(sql("PRAGMA integrity_check;") == "ok", "the restored database is damaged")
    restore_points = sql("SELECT count(*) FROM backup_history WHERE backup_type = 'pre-restore' "
                         "AND backup_status = 'completed';")
    check(int(restore_points) >= 1, "no restore point was taken before the restore")
    step(s, "restored")

    # 8. Lockout. Each attempt is done once the audit trail has its row.
    def failures():
        return int(sql("SELECT count(*) FROM user_activities WHERE activity_type = "
                       "'auth.login_failed' AND user_id = "
                       "(SELECT id FROM users WHERE username = 'ursula');"))

    def attempt(password, count):
        sign_in(s, "ursula", password, expect_workspace=False)
        s.wait_until("%d failed sign-ins in the audit trail" % count, lambda: failures() >= count)

    before = failures()
    for number in range(1, 6):
        attempt("not the password %d" % number, before + number)
    s.text_shown("Too many failed attempts. Wait 15 minutes")
    check(sql("SELECT failed_login_attempts >= 5 AND locked_until IS NOT NULL FROM users "
              "WHERE username = 'ursula';") == "1", "ursula is not locked in the database")
    # Even the right password is refused while the lock lasts.
    attempt(PASSWORD, before + 6)
    check(sql("SELECT json_extract(details, '$.reason') FROM user_activities "
              "WHERE activity_type = 'auth.login_failed' ORDER BY id DESC LIMIT 1;")
          == "locked", "the right password was not refused for the lock")
    s.text_shown("Too many failed attempts. Wait 15 minutes")
    step(s, "locked-out")


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
