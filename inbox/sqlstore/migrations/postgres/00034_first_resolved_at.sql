-- The backlog report counts a conversation open from the citizen's first
-- message to its first resolution after it, so that reopening and
-- resolving again leave past days as they were. Rows measured before take
-- it from the status history, or, without a resolution there, from
-- resolved_at (not before the first message), as the SLA watcher does;
-- the index by resolution gives way to the same by this. Keep in step
-- with migrations/sqlite/00034_first_resolved_at.sql.

-- +goose Up
DROP INDEX conversation_metrics_open;
ALTER TABLE conversation_metrics ADD COLUMN first_resolved_at TIMESTAMPTZ;
UPDATE conversation_metrics SET first_resolved_at = COALESCE(
    (SELECT MIN(sc.at) FROM conversation_status_changes sc
        WHERE sc.conversation_id = conversation_metrics.conversation_id AND sc.status = 'resolved'
        AND sc.at >= conversation_metrics.first_inbound_at),
    CASE WHEN resolved_at IS NULL THEN NULL WHEN resolved_at > first_inbound_at THEN resolved_at ELSE first_inbound_at END)
WHERE first_inbound_at IS NOT NULL;
CREATE INDEX conversation_metrics_open ON conversation_metrics (first_resolved_at, first_inbound_at);

-- +goose Down
DROP INDEX conversation_metrics_open;
ALTER TABLE conversation_metrics DROP COLUMN first_resolved_at;
CREATE INDEX conversation_metrics_open ON conversation_metrics (resolved_at, first_inbound_at);
