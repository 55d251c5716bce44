-- 004 sessions and the audit trail (down)
--
-- Drops the sessions and the audit trail, triggers and indexes first.
-- DROP TABLE does not fire the append-only triggers, but they go first
-- anyway so that the order reads as the reverse of the up file.

DROP TRIGGER user_activities_no_delete;

DROP TRIGGER user_activities_no_update;

DROP TRIGGER user_activities_no_replace;

DROP INDEX idx_user_activities_created_at;

DROP INDEX idx_user_activities_resource;

DROP INDEX idx_user_activities_activity_type;

DROP INDEX idx_user_activities_user_created;

DROP TABLE user_activities;

DROP INDEX idx_user_sessions_expires_at;

DROP INDEX idx_user_sessions_user_id;

DROP TABLE user_sessions;
