-- A moderation decision names the platform action it queued, and a flag
-- whose action failed for good is open again with the failure, so the
-- queue never says a visible comment was hidden or deleted. Keep in step
-- with migrations/postgres/00028_moderation_outcome.sql.

-- +goose Up
ALTER TABLE moderation_flags ADD COLUMN outbound_id INTEGER;
ALTER TABLE moderation_flags ADD COLUMN last_error TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE moderation_flags DROP COLUMN last_error;
ALTER TABLE moderation_flags DROP COLUMN outbound_id;
