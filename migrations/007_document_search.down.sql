-- 007 full-text search over documents (down)
--
-- Drops the triggers, then the index (its shadow tables go with it).
-- The documents themselves are not touched.

DROP TRIGGER documents_fts_after_update;

DROP TRIGGER documents_fts_after_delete;

DROP TRIGGER documents_fts_after_insert;

DROP TABLE documents_fts;
