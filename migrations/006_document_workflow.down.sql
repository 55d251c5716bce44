-- 006 reviews, collaborators and the change history of documents (down)
--
-- Drops the review, collaboration and change-history tables.

DROP INDEX idx_document_changes_created_at;

DROP INDEX idx_document_changes_user_id;

DROP INDEX idx_document_changes_document_created;

DROP TABLE document_changes;

DROP INDEX idx_document_collaborators_user_id;

DROP INDEX ux_document_collaborators_document_user;

DROP TABLE document_collaborators;

DROP INDEX idx_document_reviews_document_created;

DROP TABLE document_reviews;
