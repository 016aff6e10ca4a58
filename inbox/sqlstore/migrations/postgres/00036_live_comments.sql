-- A comment that came from Instagram's live_comments field, on a live
-- broadcast, is marked live: Meta takes no public reply to it. Keep in
-- step with migrations/sqlite/00036_live_comments.sql.

-- +goose Up
ALTER TABLE messages ADD COLUMN live BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE messages DROP COLUMN live;
