-- 009 the outline of templates, and the system templates of each series (down)
--
-- Removes the system templates 009 shipped, known by their hash (a row
-- seed-demo made before 009 is not one of them), then the outline column.
-- Documents made from them keep their text and outline (document_items);
-- only their link to the template goes (template_id set to NULL, as the
-- schema does when a template is deleted, written out here so it does not
-- depend on the foreign key setting). Templates people made keep their
-- rows but lose their starting outline with the column. The pre-rollback
-- safety copy keeps both.
--
-- SQLite drops a column whose only constraint is its own CHECK, so no
-- table rebuild is needed; the CREATE TABLE text goes back to 005's.

UPDATE documents SET template_id = NULL
 WHERE template_id IN (SELECT id FROM templates
                        WHERE is_system = 1 AND created_by IS NULL
                          AND template_hash IN (
                              '7d40efdd486bf9ec67abdb68b44067ca7b8918c15a386eada7a8183ed8a0514e',
                              '157b5a0f3399676b99d94fc5c585a2153d4dd8295ceb561c252e5e05d9d4d93f',
                              'f1ea96769f44797028a618313bfdc63c37e41fad5e313f84c0f0a5d52cfd247b'));

DELETE FROM templates
 WHERE is_system = 1 AND created_by IS NULL
   AND template_hash IN ('7d40efdd486bf9ec67abdb68b44067ca7b8918c15a386eada7a8183ed8a0514e',
                         '157b5a0f3399676b99d94fc5c585a2153d4dd8295ceb561c252e5e05d9d4d93f',
                         'f1ea96769f44797028a618313bfdc63c37e41fad5e313f84c0f0a5d52cfd247b');

ALTER TABLE templates DROP COLUMN outline;
