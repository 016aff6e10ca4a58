-- Whether an API token may only read (read_only): such a token is refused
-- every request other than GET, HEAD and OPTIONS. Every token made before
-- keeps its user's full role.
-- Keep in step with migrations/postgres/00035_token_read_only.sql.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN read_only;
