-- The Facebook Page an Instagram account is linked to (Facebook Login):
-- Meta lists such an account's private conversations on the Page,
-- GET /{page-id}/conversations?platform=instagram; empty when not known
-- (Instagram Login reads /{ig-id}/conversations). And the health of each
-- part of the reconciliation poll (comments, private messages): when the
-- part last succeeded and, while it fails, why. Keep in step with
-- migrations/postgres/00020_channel_poll_parts.sql.

-- +goose Up
ALTER TABLE accounts ADD COLUMN page_id TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN comments_polled_at TEXT;
ALTER TABLE accounts ADD COLUMN comments_poll_error TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN messages_polled_at TEXT;
ALTER TABLE accounts ADD COLUMN messages_poll_error TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE accounts DROP COLUMN messages_poll_error;
ALTER TABLE accounts DROP COLUMN messages_polled_at;
ALTER TABLE accounts DROP COLUMN comments_poll_error;
ALTER TABLE accounts DROP COLUMN comments_polled_at;
ALTER TABLE accounts DROP COLUMN page_id;
