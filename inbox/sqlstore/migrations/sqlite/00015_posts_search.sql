-- Posts that comment threads hang under, shown as context above the
-- thread, and API token names. Keep in step with
-- migrations/postgres/00015_posts_search.sql (which also adds a trigram
-- index for text search; SQLite scans).

-- +goose Up
CREATE TABLE posts (
    platform            TEXT    NOT NULL,
    external_id         TEXT    NOT NULL,
    account_external_id TEXT    NOT NULL DEFAULT '',
    text                TEXT    NOT NULL DEFAULT '',
    permalink           TEXT    NOT NULL DEFAULT '',
    media_type          TEXT    NOT NULL DEFAULT '',
    posted_at           TEXT,
    fetched_at          TEXT,
    fetch_attempts      INTEGER NOT NULL DEFAULT 0,
    fetch_error         TEXT    NOT NULL DEFAULT '',
    next_fetch_at       TEXT,
    created_at          TEXT    NOT NULL,
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX posts_to_fetch ON posts (next_fetch_at) WHERE fetched_at IS NULL;

-- What an API token is for, shown when tokens are listed.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN name;
DROP TABLE posts;
