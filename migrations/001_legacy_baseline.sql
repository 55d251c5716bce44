-- 001 legacy baseline
--
-- The two tables of the desktop application that came before PQS Desk,
-- exactly as its databases in the field hold them (SCHEMA.md, "The legacy
-- schema"). A legacy file already has these tables and no migration_history:
-- the migrator records this version as baselined without running it, then
-- applies 002 and later. Do not change a byte of these statements: the
-- legacy layout is what it is, and 002 brings it up to the target design.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL,
    email TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    rank TEXT,
    role TEXT NOT NULL DEFAULT 'visitor',
    is_active BOOLEAN NOT NULL DEFAULT 1,
    avatar_path TEXT,
    avatar_updated_at DATETIME,
    avatar_mime TEXT,
    avatar_size INTEGER,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE avatars (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    avatar_data BLOB NOT NULL,
    mime_type TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (user_id) REFERENCES users (id)
);
