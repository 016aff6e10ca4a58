-- When an API token stops working (expires_at); NULL when it never does,
-- as for every token made before.
-- Keep in step with migrations/sqlite/00033_token_expiry.sql.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
