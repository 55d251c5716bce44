-- 005 standards, templates, section documents and their line items (down)
--
-- Drops the document tables, children before parents.

DROP INDEX ux_document_items_child_position;

DROP INDEX ux_document_items_top_position;

DROP INDEX idx_document_items_document_position;

DROP TABLE document_items;

DROP INDEX idx_documents_template_id;

DROP INDEX idx_documents_updated_at;

DROP INDEX idx_documents_created_by;

DROP INDEX idx_documents_status_updated_at;

DROP INDEX ux_documents_standard_section_number;

DROP TABLE documents;

DROP INDEX idx_templates_section_active;

DROP TABLE templates;

DROP TABLE standards;
