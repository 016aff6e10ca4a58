-- Posts that comment threads hang under, shown as context above the
-- thread, API token names, and a trigram index for text search over
-- messages. Keep in step with migrations/sqlite/00015_posts_search.sql.
--
-- A post is stored from the webhook when the payload carries its text
-- (visitor posts, feed post/status adds), otherwise fetched once from the
-- Graph API: fetched_at is NULL until then, and next_fetch_at says when a
-- failed fetch may be tried again.

-- +goose Up
CREATE TABLE posts (
    platform            TEXT        NOT NULL,
    external_id         TEXT        NOT NULL,
    account_external_id TEXT        NOT NULL DEFAULT '',
    text                TEXT        NOT NULL DEFAULT '',
    permalink           TEXT        NOT NULL DEFAULT '',
    media_type          TEXT        NOT NULL DEFAULT '',
    posted_at           TIMESTAMPTZ,
    fetched_at          TIMESTAMPTZ,
    fetch_attempts      INTEGER     NOT NULL DEFAULT 0,
    fetch_error         TEXT        NOT NULL DEFAULT '',
    next_fetch_at       TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX posts_to_fetch ON posts (next_fetch_at) WHERE fetched_at IS NULL;

-- ILIKE '%term%' over message text reads this index instead of every
-- message. The extension is per database, not per schema: when another
-- schema of the database installed it first, its operator class lives
-- there, so the index names it with that schema. Two schemas of the
-- database migrating at once may both try to create it; the loser uses the
-- winner's.
-- +goose StatementBegin
DO $$
DECLARE
    ext_schema TEXT;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN unique_violation OR duplicate_object THEN
        NULL;
    END;
    SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX messages_text_trgm ON messages USING gin (text %I.gin_trgm_ops)', ext_schema);
END
$$;
-- +goose StatementEnd

-- Seven in ten conversations are resolved; lists of open ones, newest
-- first, with a filter the list index cannot serve (tag, language),
-- walk only the open ones.
CREATE INDEX conversations_open_list ON conversations (last_message_at DESC, id DESC)
    WHERE status IN ('new', 'open', 'pending', 'routed');

-- What an API token is for, shown when tokens are listed.
ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT '';

-- +goose Down
DROP INDEX conversations_open_list;
ALTER TABLE api_tokens DROP COLUMN name;
DROP INDEX messages_text_trgm;
DROP TABLE posts;
