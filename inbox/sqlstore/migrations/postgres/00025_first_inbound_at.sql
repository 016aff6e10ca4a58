-- When the citizen first wrote in a conversation: the reports place a
-- conversation by it, and leave out one where only the city has written
-- (NULL), such as a comment thread the Page starts under its own post.
-- Rows measured before take it from their messages, one step each on
-- messages_conversation_direction (00022); the indexes by the first
-- message serve no report any more and give way to the same by this.
-- Keep in step with migrations/sqlite/00025_first_inbound_at.sql.

-- +goose Up
DROP INDEX conversation_metrics_first_message;
DROP INDEX conversation_metrics_open;
ALTER TABLE conversation_metrics ADD COLUMN first_inbound_at TIMESTAMPTZ;
UPDATE conversation_metrics SET first_inbound_at = (SELECT MIN(m.sent_at) FROM messages m
    WHERE m.conversation_id = conversation_metrics.conversation_id AND m.direction = 'inbound');
CREATE INDEX conversation_metrics_first_inbound ON conversation_metrics (first_inbound_at);
CREATE INDEX conversation_metrics_open ON conversation_metrics (resolved_at, first_inbound_at);

-- +goose Down
DROP INDEX conversation_metrics_open;
DROP INDEX conversation_metrics_first_inbound;
ALTER TABLE conversation_metrics DROP COLUMN first_inbound_at;
CREATE INDEX conversation_metrics_first_message ON conversation_metrics (first_message_at);
CREATE INDEX conversation_metrics_open ON conversation_metrics (resolved_at, first_message_at);
