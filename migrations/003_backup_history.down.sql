-- 003 backup history (down)
--
-- Drops the backup records (the backup files themselves stay on disk).

DROP INDEX idx_backup_history_created_at;

DROP INDEX idx_backup_history_backup_status;

DROP INDEX idx_backup_history_backup_type;

DROP TABLE backup_history;
