-- 008 failed sign-ins under names that have no account
--
-- Five failed sign-ins lock an account for fifteen minutes (users.
-- failed_login_attempts and users.locked_until). If a name without an
-- account never locked, "Too many attempts" would tell anyone that a name
-- exists. So failures under unknown names are counted here, under the
-- case-folded name, and lock the same way: every name behaves like an
-- account. Rows are small, expire with their lock, and the model deletes
-- stale ones when it writes a new one.

CREATE TABLE sign_in_throttle (
    name_key TEXT PRIMARY KEY CHECK (name_key <> ''),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until TEXT,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- The clean-up of stale rows.
CREATE INDEX idx_sign_in_throttle_updated_at ON sign_in_throttle (updated_at);
