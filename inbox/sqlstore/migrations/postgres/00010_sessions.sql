-- Browser sessions of the staff web UI, failed sign-ins per user name
-- (for the lockout) and each user's interface language. Keep in step with
-- migrations/sqlite/00010_sessions.sql.

-- +goose Up
CREATE TABLE sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
    name         TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TIMESTAMPTZ,
    last_failure TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_preferences (
    user_id  BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    language TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE user_preferences;
DROP TABLE login_failures;
DROP TABLE sessions;
