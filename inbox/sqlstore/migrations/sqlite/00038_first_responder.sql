-- The reports' agent is who sent the first reply to the citizen's first
-- question, not whoever holds the conversation now: the metrics row keeps
-- that user (NULL while no reply from inkorg answered it, when the
-- reports count the conversation for its assignee). Rows measured before
-- take the sender of the first reply that went out between the citizen's
-- first message and the first resolution after it. Keep in step with
-- migrations/postgres/00038_first_responder.sql.

-- +goose Up
ALTER TABLE conversation_metrics ADD COLUMN first_responder_id BIGINT;

UPDATE conversation_metrics SET first_responder_id = (
    SELECT oa.actor_id FROM messages m
    LEFT JOIN outbound_actions oa ON oa.message_id = m.id
    WHERE m.conversation_id = conversation_metrics.conversation_id AND m.direction = 'outbound'
        AND m.delivery NOT IN ('queued', 'sending', 'failed', 'needs_check')
        AND m.sent_at >= conversation_metrics.first_inbound_at
        AND (conversation_metrics.first_resolved_at IS NULL OR m.sent_at <= conversation_metrics.first_resolved_at)
    ORDER BY m.sent_at, m.id LIMIT 1)
WHERE first_inbound_at IS NOT NULL;

-- +goose Down
ALTER TABLE conversation_metrics DROP COLUMN first_responder_id;
