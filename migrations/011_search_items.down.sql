-- 011 full-text search over line items, and the indexes of the list models (down)
--
-- Drops the list indexes, then the triggers and the index over the line
-- items (its shadow tables go with it). The items themselves are not touched.

DROP INDEX idx_standards_title;

DROP INDEX idx_documents_status_book;

DROP INDEX idx_documents_title;

DROP TRIGGER document_items_fts_after_update;

DROP TRIGGER document_items_fts_after_delete;

DROP TRIGGER document_items_fts_after_insert;

DROP TABLE document_items_fts;
