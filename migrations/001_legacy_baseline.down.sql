-- 001 legacy baseline (down)
--
-- Removes the legacy tables, children first. Rolling back to version 0
-- deletes every user: only ever meant for an empty or test database.

DROP TABLE avatars;

DROP TABLE users;
