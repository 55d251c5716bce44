-- pqs:foreign-keys=off
--
-- 002 users and avatars (down): back to the exact legacy tables of 001
--
-- The target tables are renamed out of the way first and the legacy tables
-- are created under their own names, so that sqlite_schema holds the very
-- CREATE TABLE text of 001 again (creating new_X and renaming it would store
-- CREATE TABLE "users" instead). That order is safe here because at version
-- 2 nothing but avatars refers to users, and avatars is rebuilt in the same
-- transaction. The columns added by 002 are dropped. Values that 002
-- normalised (role, is_active, avatar types and sizes) stay normalised.
-- Indexes of 002 go with the renamed tables.

ALTER TABLE avatars RENAME TO old_avatars;

ALTER TABLE users RENAME TO old_users;

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

INSERT INTO users (id, username, email, password_hash, full_name, rank, role,
                   is_active, avatar_path, avatar_updated_at, avatar_mime,
                   avatar_size, created_at, updated_at)
SELECT id, username, email, password_hash, full_name, rank, role,
       is_active, avatar_path, avatar_updated_at, avatar_mime,
       avatar_size, created_at, updated_at
  FROM old_users;

INSERT INTO avatars (id, user_id, avatar_data, mime_type, file_size,
                     created_at, updated_at)
SELECT id, user_id, avatar_data, mime_type, file_size, created_at, updated_at
  FROM old_avatars;

-- Pictures 002 set aside go back too, except those whose user does not exist:
-- the foreign key check before commit refuses them, and the pre-rollback
-- safety copy keeps them.
INSERT INTO avatars (id, user_id, avatar_data, mime_type, file_size,
                     created_at, updated_at)
SELECT id, user_id, avatar_data, mime_type, file_size, created_at, updated_at
  FROM legacy_avatars_unusable
 WHERE user_id IN (SELECT id FROM users);

DROP TABLE legacy_avatars_unusable;

-- Carry the AUTOINCREMENT high-water marks back.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'users', seq FROM sqlite_sequence
 WHERE name = 'old_users'
   AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');

UPDATE sqlite_sequence
   SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'old_users'), 0))
 WHERE name = 'users';

INSERT INTO sqlite_sequence (name, seq)
SELECT 'avatars', seq FROM sqlite_sequence
 WHERE name = 'old_avatars'
   AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'avatars');

UPDATE sqlite_sequence
   SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'old_avatars'), 0))
 WHERE name = 'avatars';

DROP TABLE old_avatars;

DROP TABLE old_users;
