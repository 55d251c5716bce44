-- 011 full-text search over line items, and the indexes of the list models
--
-- document_items_fts: an external-content FTS5 index over the line items
-- (text, answer, criteria), built like documents_fts (007): the text lives
-- once, in document_items, the index holds the tokens, and the triggers tell
-- it the old values of a row before the new ones. Moving an item (position,
-- parent) leaves the index alone. Search (PqsSearch) asks both indexes and
-- groups the hits per document. The same tokenizer as 007, so that a query
-- means the same thing in both.
--
-- The list models (PqsDocumentList, PqsStandardList) page through documents
-- in three orders. "Book order" (standard, series, number) has its unique
-- index since 005, "most recently changed" has idx_documents_updated_at,
-- idx_documents_status_updated_at and idx_documents_created_by. What was
-- missing:
--   idx_documents_title: the list by title (NOCASE, as the lists compare).
--   idx_documents_status_book: one status in book order ("all approved
--     documents"), and the per-status counts of each standard in the
--     standard list (covering: status = ? AND standard_id = ?).
--   idx_standards_title: the standard list by title.

CREATE VIRTUAL TABLE document_items_fts USING fts5 (
    text,
    answer,
    criteria,
    content = 'document_items',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER document_items_fts_after_insert
AFTER INSERT ON document_items
BEGIN
    INSERT INTO document_items_fts (rowid, text, answer, criteria)
    VALUES (new.id, new.text, new.answer, new.criteria);
END;

CREATE TRIGGER document_items_fts_after_delete
AFTER DELETE ON document_items
BEGIN
    INSERT INTO document_items_fts (document_items_fts, rowid, text, answer, criteria)
    VALUES ('delete', old.id, old.text, old.answer, old.criteria);
END;

CREATE TRIGGER document_items_fts_after_update
AFTER UPDATE OF id, text, answer, criteria ON document_items
BEGIN
    INSERT INTO document_items_fts (document_items_fts, rowid, text, answer, criteria)
    VALUES ('delete', old.id, old.text, old.answer, old.criteria);
    INSERT INTO document_items_fts (rowid, text, answer, criteria)
    VALUES (new.id, new.text, new.answer, new.criteria);
END;

INSERT INTO document_items_fts (document_items_fts) VALUES ('rebuild');

CREATE INDEX idx_documents_title ON documents (title COLLATE NOCASE);

CREATE INDEX idx_documents_status_book
    ON documents (status, standard_id, section, document_number);

CREATE INDEX idx_standards_title ON standards (title COLLATE NOCASE);
