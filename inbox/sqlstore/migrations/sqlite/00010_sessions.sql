-- Browser sessions of the staff web UI, failed sign-ins per user name
-- (for the lockout) and each user's interface language. Keep in step with
-- migrations/postgres/00010_sessions.sql.

-- +goose Up
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
    name         TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT,
    last_failure TEXT NOT NULL
);

CREATE TABLE user_preferences (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    language TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE user_preferences;
DROP TABLE login_failures;
DROP TABLE sessions;
