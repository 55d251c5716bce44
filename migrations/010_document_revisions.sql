-- 010 document revisions: the save token, frozen standards, restorable history
--
-- documents.edit_count: the concurrency token of a save. version only moves
-- when an approved document starts a new revision, so it cannot tell that
-- someone saved in between; edit_count moves with every write of the row.
-- A save carries the count it loaded and updates "WHERE edit_count = ?",
-- so a second editor's save finds nothing to update and is told so (no
-- lost update). The model sets the new count itself; the trigger covers
-- any other writer (tools, a future import path) that forgets it. It only
-- fires when the count did not move, and recursive triggers are off, so
-- the model's own saves cost nothing extra.
--
-- standards.uid: a stable identity that travels with a standard in
-- packages between offline workstations, so an import can recognise "the
-- same standard" whatever its local id. Existing standards get a random one,
-- and so does a new row written without one (the trigger), whoever writes it.
--
-- standards.frozen_at / frozen_by: a standard whose section documents are
-- all approved has its revision frozen (the approval that completed it,
-- and by whom). Documents of a frozen standard are not edited until a new
-- revision of the standard is started, which clears both.
--
-- document_changes.action, status, snapshot: which step made the change
-- (a save, a workflow transition, a restore, an import), the document's
-- status after it, and the whole document after it as JSON (title,
-- metadata, body, outline), so any version can be shown and restored
-- exactly; old_content / new_content keep the canonical text for diffs.

ALTER TABLE documents ADD COLUMN edit_count INTEGER NOT NULL DEFAULT 0
    CHECK (edit_count >= 0);

CREATE TRIGGER documents_edit_count_after_update
AFTER UPDATE ON documents
WHEN new.edit_count = old.edit_count
BEGIN
    UPDATE documents SET edit_count = old.edit_count + 1 WHERE id = new.id;
END;

ALTER TABLE standards ADD COLUMN uid TEXT
    CHECK (uid IS NULL OR length(uid) BETWEEN 1 AND 64);

UPDATE standards SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;

CREATE UNIQUE INDEX ux_standards_uid ON standards (uid);

CREATE TRIGGER standards_uid_after_insert
AFTER INSERT ON standards
WHEN new.uid IS NULL
BEGIN
    UPDATE standards SET uid = lower(hex(randomblob(16))) WHERE id = new.id;
END;

ALTER TABLE standards ADD COLUMN frozen_at TEXT;

ALTER TABLE standards ADD COLUMN frozen_by INTEGER REFERENCES users (id) ON DELETE RESTRICT;

ALTER TABLE document_changes ADD COLUMN action TEXT
    CHECK (action IS NULL OR action IN ('create', 'save', 'submit', 'approve',
                                        'request_changes', 'archive', 'revise', 'restore',
                                        'import', 'renumber'));

ALTER TABLE document_changes ADD COLUMN status TEXT
    CHECK (status IS NULL OR status IN ('draft', 'in_review', 'approved', 'archived'));

ALTER TABLE document_changes ADD COLUMN snapshot TEXT
    CHECK (snapshot IS NULL OR json_valid(snapshot));
