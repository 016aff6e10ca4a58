-- Resolving a conversation ends its citizen's wait: waiting_since counts
-- only the citizen's messages after the last resolution. Staff actions
-- did not recompute it when they resolved, so resolved conversations kept
-- the time they had been waiting since; this recomputes it for them, as
-- the store now does at every resolution (waitingSinceSQL). Keep in step
-- with migrations/postgres/00039_resolved_waiting.sql.

-- +goose Up
UPDATE conversations SET waiting_since = (SELECT MIN(i.sent_at) FROM messages i
    WHERE i.conversation_id = conversations.id AND i.direction = 'inbound' AND i.deleted_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.conversation_id = i.conversation_id
        AND o.direction = 'outbound' AND o.delivery <> 'failed' AND o.sent_at >= i.sent_at)
    AND NOT EXISTS (SELECT 1 FROM conversation_status_changes r
        WHERE r.conversation_id = i.conversation_id AND r.status = 'resolved' AND r.at >= i.sent_at))
WHERE status = 'resolved' AND waiting_since IS NOT NULL;

-- +goose Down
-- Nothing to undo: the times recomputed are the ones the store keeps.
SELECT 1;
