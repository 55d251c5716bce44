-- 007 full-text search over documents
--
-- An external-content FTS5 index over documents (title, content): the text
-- lives once, in documents, and the index holds only the tokens
-- (https://www.sqlite.org/fts5.html#external_content_tables). unicode61
-- with remove_diacritics 2 folds case and accents, so "etat" finds "État".
--
-- The triggers keep the index in step with documents: an external-content
-- index must be told the old values to remove them ('delete' command), so
-- an update is a delete of the old row followed by an insert of the new one.
-- Updates that change neither the text nor the id (status, reviewers...)
-- leave the index alone. The final 'rebuild' indexes documents that exist
-- already.

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title,
    content,
    content = 'documents',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER documents_fts_after_insert
AFTER INSERT ON documents
BEGIN
    INSERT INTO documents_fts (rowid, title, content)
    VALUES (new.id, new.title, new.content);
END;

CREATE TRIGGER documents_fts_after_delete
AFTER DELETE ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, content)
    VALUES ('delete', old.id, old.title, old.content);
END;

CREATE TRIGGER documents_fts_after_update
AFTER UPDATE OF id, title, content ON documents
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, content)
    VALUES ('delete', old.id, old.title, old.content);
    INSERT INTO documents_fts (rowid, title, content)
    VALUES (new.id, new.title, new.content);
END;

INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
