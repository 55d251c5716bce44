-- 010 document revisions (down)
--
-- Drops the columns 010 added, after the triggers and the index that use
-- them. The rows keep everything else.

ALTER TABLE document_changes DROP COLUMN snapshot;

ALTER TABLE document_changes DROP COLUMN status;

ALTER TABLE document_changes DROP COLUMN action;

ALTER TABLE standards DROP COLUMN frozen_by;

ALTER TABLE standards DROP COLUMN frozen_at;

DROP TRIGGER standards_uid_after_insert;

DROP INDEX ux_standards_uid;

ALTER TABLE standards DROP COLUMN uid;

DROP TRIGGER documents_edit_count_after_update;

ALTER TABLE documents DROP COLUMN edit_count;
