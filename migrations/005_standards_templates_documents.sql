-- 005 standards, templates, section documents and their line items
--
-- standards: a PQS qualification book ("Main Propulsion Assistant"), with
-- its owning unit, classification marking, applicability and revision.
--
-- templates: per series (100, 200, 300), they give a new section document
-- its outline, its form fields (a JSON field list) and its body text.
-- is_system marks the templates shipped with the application.
--
-- documents: the section documents of a standard. The number lies in the
-- document's series (101-199, 201-299, 301-399) and is unique within the
-- standard. Status follows draft -> in_review -> approved -> archived.
-- Editing an approved document bumps version in the same row, the approved
-- text stays in document_changes (006). Deleting a standard deletes its
-- documents. Users who created, edited, reviewed or approved a document are
-- deactivated, never deleted (ON DELETE RESTRICT keeps the record honest).
-- A template can be removed: the documents made from it keep their text.
--
-- document_items: the outline of a document: main questions, sub-questions
-- and second-level sub-questions with the expected answer and the scoring
-- criteria, text blocks and signature lines. An item sits under a parent
-- item of the same document (NULL for the top level) at a position, and
-- removing an item removes what hangs under it.
--   Position is unique among siblings. A plain UNIQUE (document_id,
--   parent_id, position) would not hold at the top level, because SQLite
--   treats NULLs as distinct, so there are two partial unique indexes: one
--   for top-level items, one for children (a parent belongs to exactly one
--   document, so parent_id alone identifies the sibling group).
--   Moving items within a group in one UPDATE can collide with itself
--   half-way, so the model renumbers in two steps (to negative positions,
--   then to the final ones).
--   The parent key is (parent_id, document_id), so that a child can never
--   hang under an item of another document, which needs the UNIQUE
--   (id, document_id) that a composite foreign key requires.
--
-- Timestamps are ISO 8601 UTC text with milliseconds, which sort as text.

CREATE TABLE standards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    owning_unit TEXT,
    classification TEXT NOT NULL DEFAULT 'unclassified'
        CHECK (classification IN ('unclassified', 'restricted', 'confidential', 'secret')),
    applicability TEXT,
    revision TEXT,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'active', 'archived')),
    created_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    updated_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (trim(name) <> ''),
    description TEXT,
    section INTEGER NOT NULL CHECK (section IN (100, 200, 300)),
    template_content TEXT NOT NULL DEFAULT '',
    template_hash TEXT,
    fields TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(fields)),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    is_system INTEGER NOT NULL DEFAULT 0 CHECK (is_system IN (0, 1)),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- "Active templates of a series, by name" (the new-document dialog).
CREATE INDEX idx_templates_section_active ON templates (section, is_active, name);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    standard_id INTEGER NOT NULL REFERENCES standards (id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (trim(title) <> ''),
    section INTEGER NOT NULL CHECK (section IN (100, 200, 300)),
    document_number INTEGER NOT NULL,
    template_id INTEGER REFERENCES templates (id) ON DELETE SET NULL,
    content TEXT NOT NULL DEFAULT '',
    content_hash TEXT,
    metadata TEXT CHECK (metadata IS NULL OR json_valid(metadata)),
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_review', 'approved', 'archived')),
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    reviewed_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    approved_by INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    reviewed_at TEXT,
    approved_at TEXT,
    CHECK (document_number BETWEEN section + 1 AND section + 99),
    CHECK (status <> 'approved' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL))
);

-- The number is unique within its standard. The same index serves the
-- outline of a standard ("section 200 of standard 7, by number") and the
-- cascade from standards.
CREATE UNIQUE INDEX ux_documents_standard_section_number
    ON documents (standard_id, section, document_number);

-- The review queue and the status lists, most recently changed first, and
-- the per-status counts of the statistics page (covering).
CREATE INDEX idx_documents_status_updated_at ON documents (status, updated_at);

-- "My documents", most recently changed first, and the RESTRICT check when
-- a user is deleted.
CREATE INDEX idx_documents_created_by ON documents (created_by, updated_at);

-- "Recently changed" across all standards.
CREATE INDEX idx_documents_updated_at ON documents (updated_at);

-- Keeps ON DELETE SET NULL from scanning documents when a template goes.
CREATE INDEX idx_documents_template_id ON documents (template_id);

CREATE TABLE document_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    parent_id INTEGER,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('question', 'sub_question', 'second_level', 'text', 'signature')),
    text TEXT NOT NULL DEFAULT '',
    answer TEXT,
    criteria TEXT,
    UNIQUE (id, document_id),
    FOREIGN KEY (parent_id, document_id)
        REFERENCES document_items (id, document_id) ON DELETE CASCADE,
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (kind <> 'question' OR parent_id IS NULL),
    CHECK (kind NOT IN ('sub_question', 'second_level') OR parent_id IS NOT NULL)
);

-- Loads a document's outline in order, and serves the cascade from
-- documents.
CREATE INDEX idx_document_items_document_position
    ON document_items (document_id, position);

CREATE UNIQUE INDEX ux_document_items_top_position
    ON document_items (document_id, position) WHERE parent_id IS NULL;

-- Also serves the cascade from a parent item (parent_id = ? implies NOT NULL).
CREATE UNIQUE INDEX ux_document_items_child_position
    ON document_items (parent_id, position) WHERE parent_id IS NOT NULL;
