-- 003 backup history
--
-- One row per backup the application takes or restores from: manual ones,
-- scheduled ones, and the safety copies taken before a migration, a restore
-- or a rollback. The migrator and the backup service write it, so the
-- column list is a contract. It comes right after the users rebuild so
-- that it exists as early as possible and a rollback of the document
-- tables never takes the backup records with it.
--
-- checksum_sha256 is the hex SHA-256 of the backup file as written (after
-- compression and encryption), schema_version the migration version the
-- backed-up database was at. tables_backed_up is a JSON array of names.

CREATE TABLE backup_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    backup_type TEXT NOT NULL
        CHECK (backup_type IN ('manual', 'scheduled', 'pre-migration',
                               'pre-restore', 'pre-rollback')),
    backup_path TEXT NOT NULL,
    backup_size INTEGER,
    tables_backed_up TEXT
        CHECK (tables_backed_up IS NULL OR json_valid(tables_backed_up)),
    backup_status TEXT NOT NULL
        CHECK (backup_status IN ('running', 'completed', 'failed', 'pruned')),
    checksum_sha256 TEXT,
    schema_version INTEGER,
    is_compressed INTEGER NOT NULL DEFAULT 0,
    is_encrypted INTEGER NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at TEXT,
    error_message TEXT
);

-- "backup list" sorts by date, prune picks completed backups of one type,
-- oldest first, and start-up looks for backups left 'running' by a crash.
CREATE INDEX idx_backup_history_backup_type ON backup_history (backup_type);

CREATE INDEX idx_backup_history_backup_status ON backup_history (backup_status);

CREATE INDEX idx_backup_history_created_at ON backup_history (created_at);
