-- 006 reviews, collaborators and the change history of documents
--
-- document_reviews: every review decision and comment, kept for good, with
-- the document version it was made on. Requesting changes (and a plain
-- comment) needs a comment.
--
-- document_collaborators: widens access to one document for one user
-- (owner, editor, viewer). One row per document and user. permissions is an
-- optional JSON object of extra grants. A collaboration ends with the
-- document or the user (CASCADE). invited_by is only a note.
--
-- document_changes: the change history. Every save and every transition
-- writes one row with the text before and after and the version it made,
-- in the same transaction as the document and the audit row.
--
-- Reviews and changes belong to their document and go with it if a whole
-- standard is deleted. The permanent record of such a deletion is the
-- audit trail (user_activities), which has no foreign key to documents.
-- Their authors are deactivated, never deleted (ON DELETE RESTRICT).

CREATE TABLE document_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    reviewer_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    decision TEXT NOT NULL
        CHECK (decision IN ('approved', 'changes_requested', 'comment')),
    comment TEXT,
    document_version INTEGER NOT NULL CHECK (document_version >= 1),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (decision = 'approved' OR coalesce(trim(comment), '') <> '')
);

-- The review history of a document, in order, and the cascade.
CREATE INDEX idx_document_reviews_document_created
    ON document_reviews (document_id, created_at);

CREATE TABLE document_collaborators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'viewer'
        CHECK (role IN ('owner', 'editor', 'viewer')),
    permissions TEXT CHECK (permissions IS NULL OR json_valid(permissions)),
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    invited_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    joined_at TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1))
);

-- One row per document and user. It also serves "collaborators of a
-- document" (a handful of rows, is_active is filtered on the fly) and the
-- cascade from documents, so no separate (document_id, is_active) index.
CREATE UNIQUE INDEX ux_document_collaborators_document_user
    ON document_collaborators (document_id, user_id);

-- "Documents shared with me" and the cascade from users.
CREATE INDEX idx_document_collaborators_user_id
    ON document_collaborators (user_id);

CREATE TABLE document_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    change_type TEXT NOT NULL
        CHECK (change_type IN ('create', 'update', 'delete', 'restore')),
    old_content TEXT,
    new_content TEXT,
    change_summary TEXT,
    version INTEGER NOT NULL CHECK (version >= 1),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The history of a document, in order, and the cascade from documents.
CREATE INDEX idx_document_changes_document_created
    ON document_changes (document_id, created_at);

-- "Changes by a user" and the RESTRICT check when a user is deleted.
CREATE INDEX idx_document_changes_user_id ON document_changes (user_id);

-- The "recent changes" feed across all documents.
CREATE INDEX idx_document_changes_created_at ON document_changes (created_at);
