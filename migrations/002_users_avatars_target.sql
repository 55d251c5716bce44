-- pqs:foreign-keys=off
--
-- 002 users and avatars: from the legacy layout to the target design
--
-- SQLite cannot add CHECK or FOREIGN KEY constraints to an existing table,
-- so both tables are rebuilt with the documented procedure
-- (https://www.sqlite.org/lang_altertable.html#otheralter): create new_X,
-- copy, drop X, rename new_X to X, recreate the indexes. The directive above
-- makes the migrator run this file with foreign_keys=OFF and run
-- foreign_key_check before it commits.
--
-- users gains the sign-in columns (last_login_at, login_count,
-- failed_login_attempts, locked_until) and password_reset_required, which
-- flags accounts whose owner must choose a new password at the next sign-in.
-- Every legacy row is kept with its id. The copy normalises what the new
-- CHECKs would refuse instead of letting the migration fail on data in the
-- field:
--   role      lower(trim(role)). A value that is still not one of the four
--             roles becomes 'visitor', the role with the fewest rights: a
--             typo must never grant access, and an admin can raise it later.
--   is_active 0 or 1 are kept. The strings 'false', 'f', 'no', 'n', 'off'
--             and '0' become 0. Anything else was truthy and becomes 1.
--   username, email
--             an empty or blank value (which the legacy app never wrote, but
--             its schema allowed) becomes 'legacy-user-<id>' or
--             'legacy-user-<id>@invalid', so the row survives and an admin
--             can fix it.
--
-- avatars gains ON DELETE CASCADE to users and CHECKs on the image type and
-- size, which the application enforces when it stores a picture. The legacy
-- app had no such limits, so the copy is careful:
--   mime_type is read from the image itself (PNG and JPEG signatures) and
--             falls back to the declared type, lower-cased, with 'image/jpg',
--             'image/pjpeg' and 'image/x-png' folded into the two names.
--   file_size becomes the real length of avatar_data (the legacy value was
--             whatever the old app wrote).
--   Rows the new constraints cannot hold are not dropped: pictures whose
--             user no longer exists (the legacy foreign key was never
--             enforced), empty pictures, pictures over 1 MiB and formats other
--             than PNG and JPEG move, unchanged and with their ids, to
--             legacy_avatars_unusable with the reason, where an admin can see
--             them. Nothing of a legacy database is lost.
--
-- AUTOINCREMENT: the copy keeps every id, and sqlite_sequence is carried
-- over, so an id that was used and deleted before the upgrade is never
-- handed out again.

CREATE TABLE new_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL CHECK (trim(username) <> ''),
    email TEXT UNIQUE NOT NULL CHECK (trim(email) <> ''),
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL,
    rank TEXT,
    role TEXT NOT NULL DEFAULT 'visitor'
        CHECK (role IN ('visitor', 'user', 'supervisor', 'admin')),
    is_active BOOLEAN NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    avatar_path TEXT,
    avatar_updated_at DATETIME,
    avatar_mime TEXT,
    avatar_size INTEGER,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    last_login_at TEXT,
    login_count INTEGER NOT NULL DEFAULT 0 CHECK (login_count >= 0),
    failed_login_attempts INTEGER NOT NULL DEFAULT 0
        CHECK (failed_login_attempts >= 0),
    locked_until TEXT,
    password_reset_required INTEGER NOT NULL DEFAULT 0
        CHECK (password_reset_required IN (0, 1))
);

INSERT INTO new_users (id, username, email, password_hash, full_name, rank,
                       role, is_active, avatar_path, avatar_updated_at,
                       avatar_mime, avatar_size, created_at, updated_at)
SELECT id,
       CASE WHEN trim(username) = '' THEN 'legacy-user-' || id
            ELSE username END,
       CASE WHEN trim(email) = '' THEN 'legacy-user-' || id || '@invalid'
            ELSE email END,
       password_hash,
       full_name,
       rank,
       CASE WHEN lower(trim(role)) IN ('visitor', 'user', 'supervisor', 'admin')
            THEN lower(trim(role))
            ELSE 'visitor' END,
       CASE WHEN is_active IN (0, 1) THEN is_active
            WHEN lower(trim(is_active)) IN ('0', 'false', 'f', 'no', 'n', 'off') THEN 0
            ELSE 1 END,
       avatar_path,
       avatar_updated_at,
       avatar_mime,
       avatar_size,
       created_at,
       updated_at
  FROM users;

CREATE TABLE new_avatars (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    avatar_data BLOB NOT NULL,
    mime_type TEXT NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg')),
    file_size INTEGER NOT NULL CHECK (file_size BETWEEN 1 AND 1048576),
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

INSERT INTO new_avatars (id, user_id, avatar_data, mime_type, file_size,
                         created_at, updated_at)
SELECT id, user_id, avatar_data, mime_type, file_size, created_at, updated_at
  FROM (SELECT a.id,
               a.user_id,
               a.avatar_data,
               CASE WHEN substr(a.avatar_data, 1, 8) = X'89504E470D0A1A0A' THEN 'image/png'
                    WHEN substr(a.avatar_data, 1, 3) = X'FFD8FF' THEN 'image/jpeg'
                    WHEN lower(trim(a.mime_type)) IN ('image/png', 'image/x-png') THEN 'image/png'
                    WHEN lower(trim(a.mime_type)) IN ('image/jpeg', 'image/jpg', 'image/pjpeg')
                      THEN 'image/jpeg'
                    END AS mime_type,
               length(CAST(a.avatar_data AS BLOB)) AS file_size,
               a.created_at,
               a.updated_at
          FROM avatars AS a
         WHERE a.user_id IN (SELECT id FROM new_users))
 WHERE mime_type IS NOT NULL
   AND file_size BETWEEN 1 AND 1048576;

CREATE TABLE legacy_avatars_unusable (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    avatar_data BLOB NOT NULL,
    mime_type TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    created_at DATETIME,
    updated_at DATETIME,
    reason TEXT NOT NULL
);

INSERT INTO legacy_avatars_unusable (id, user_id, avatar_data, mime_type, file_size,
                                     created_at, updated_at, reason)
SELECT a.id, a.user_id, a.avatar_data, a.mime_type, a.file_size, a.created_at, a.updated_at,
       CASE WHEN a.user_id NOT IN (SELECT id FROM new_users) THEN 'user does not exist'
            WHEN length(CAST(a.avatar_data AS BLOB)) = 0 THEN 'empty picture'
            WHEN length(CAST(a.avatar_data AS BLOB)) > 1048576 THEN 'larger than 1 MiB'
            ELSE 'not a PNG or JPEG picture' END
  FROM avatars AS a
 WHERE a.id NOT IN (SELECT id FROM new_avatars);

-- Carry the AUTOINCREMENT high-water marks over to the new tables.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'new_users', seq FROM sqlite_sequence
 WHERE name = 'users'
   AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'new_users');

UPDATE sqlite_sequence
   SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'users'), 0))
 WHERE name = 'new_users';

INSERT INTO sqlite_sequence (name, seq)
SELECT 'new_avatars', seq FROM sqlite_sequence
 WHERE name = 'avatars'
   AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'new_avatars');

UPDATE sqlite_sequence
   SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'avatars'), 0))
 WHERE name = 'new_avatars';

DROP TABLE avatars;

DROP TABLE users;

ALTER TABLE new_users RENAME TO users;

ALTER TABLE new_avatars RENAME TO avatars;

-- username and email already have the indexes of their UNIQUE constraints.
-- The user list filters by role and by active state, and the admin view
-- sorts by last sign-in.
CREATE INDEX idx_users_role ON users (role);

CREATE INDEX idx_users_is_active ON users (is_active);

CREATE INDEX idx_users_last_login_at ON users (last_login_at);

-- Looks up a user's pictures, and keeps ON DELETE CASCADE from scanning.
CREATE INDEX idx_avatars_user_id ON avatars (user_id);
