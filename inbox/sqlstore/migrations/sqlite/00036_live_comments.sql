-- A comment that came from Instagram's live_comments field, on a live
-- broadcast, is marked live: Meta takes no public reply to it. Keep in
-- step with migrations/postgres/00036_live_comments.sql.

-- +goose Up
ALTER TABLE messages ADD COLUMN live INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE messages DROP COLUMN live;
