-- The conversations each spike alert has tagged (or found tagged), so an
-- alert never tags again a conversation whose tag staff removed, and a
-- burst whose shared words change as it goes on is known by its
-- conversations. Keep in step with
-- migrations/postgres/00027_spike_alert_conversations.sql.

-- +goose Up
CREATE TABLE spike_alert_conversations (
    alert_id        INTEGER NOT NULL REFERENCES spike_alerts (id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    PRIMARY KEY (alert_id, conversation_id)
);
CREATE INDEX spike_alert_conversations_conversation ON spike_alert_conversations (conversation_id);
-- The alerts raised before record what their audit shows they tagged.
INSERT INTO spike_alert_conversations (alert_id, conversation_id)
SELECT DISTINCT a.id, e.conversation_id
FROM spike_alerts AS a
JOIN audit_entries AS e ON e.action = 'alert_tag' AND e.conversation_id IS NOT NULL
    AND e.created_at >= a.created_at AND e.detail LIKE '%"' || a.tag || '"%';

-- +goose Down
DROP TABLE spike_alert_conversations;
