-- 004 sessions and the audit trail
--
-- user_sessions: one row per sign-in. The model stores a digest of the
-- session token in session_token, never the token itself. Sessions go with
-- their user (ON DELETE CASCADE).
--
-- user_activities: the audit trail. Every sign-in (failed ones too, with a
-- NULL user_id when the name is unknown), every document transition and
-- every admin action appends one row. Rows form a SHA-256 hash chain:
-- row_hash is the digest of the row's content and prev_hash, and prev_hash
-- is the row_hash of the row before it (NULL for the first row), so an
-- edited or removed row breaks the chain where it happened. The chain is
-- computed by the model. The triggers at the end make the table
-- append-only for every writer, the application included. A user who has audit rows can
-- only be deactivated, never deleted (ON DELETE RESTRICT).
--
-- Timestamps are ISO 8601 UTC text with milliseconds, which sort as text.

CREATE TABLE user_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_token TEXT NOT NULL UNIQUE CHECK (session_token <> ''),
    ip_address TEXT,
    user_agent TEXT,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    last_activity_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The token lookup uses the UNIQUE constraint's index. "Sessions of a user"
-- (and the cascade from users) uses user_id. The clean-up of expired
-- sessions uses expires_at. is_active alone has two values and no query
-- that filters on it alone, so it has no index of its own.
CREATE INDEX idx_user_sessions_user_id ON user_sessions (user_id);

CREATE INDEX idx_user_sessions_expires_at ON user_sessions (expires_at);

CREATE TABLE user_activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    activity_type TEXT NOT NULL CHECK (activity_type <> ''),
    resource_type TEXT,
    resource_id INTEGER,
    details TEXT CHECK (details IS NULL OR json_valid(details)),
    ip_address TEXT,
    user_agent TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    prev_hash TEXT,
    row_hash TEXT
);

-- "Activity of a user, newest first" (and the RESTRICT check when a user is
-- deleted) uses (user_id, created_at DESC), which also serves user_id alone.
CREATE INDEX idx_user_activities_user_created
    ON user_activities (user_id, created_at DESC);

-- "Failed sign-ins since ..." and other reports by kind.
CREATE INDEX idx_user_activities_activity_type
    ON user_activities (activity_type, created_at);

-- "History of this document", in order.
CREATE INDEX idx_user_activities_resource
    ON user_activities (resource_type, resource_id, created_at);

-- The admin's "recent activity" list.
CREATE INDEX idx_user_activities_created_at ON user_activities (created_at);

-- Append-only. UPDATE and DELETE are refused outright. INSERT OR REPLACE
-- (and REPLACE) would delete the row it collides with without firing any
-- DELETE trigger (unless recursive_triggers is on), so an insert that reuses
-- an existing id is refused too.
CREATE TRIGGER user_activities_no_replace
BEFORE INSERT ON user_activities
WHEN EXISTS (SELECT 1 FROM user_activities WHERE id = new.id)
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;

CREATE TRIGGER user_activities_no_update
BEFORE UPDATE ON user_activities
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;

CREATE TRIGGER user_activities_no_delete
BEFORE DELETE ON user_activities
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;
