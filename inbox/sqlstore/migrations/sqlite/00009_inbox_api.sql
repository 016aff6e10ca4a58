-- The shared inbox API: what conversation lists filter and sort on, and
-- specialists' membership in more than one administration. Keep in step
-- with migrations/postgres/00009_inbox_api.sql.
--
-- waiting_since is the time of the citizen's oldest message that no
-- outbound message has answered yet (NULL when nothing is waiting); it is
-- what "oldest waiting first" sorts by. The triage_* columns copy the
-- triage of the conversation's latest triaged message, so lists filter on
-- them without reading message_triage.

-- +goose Up
ALTER TABLE conversations ADD COLUMN waiting_since TEXT;
ALTER TABLE conversations ADD COLUMN triage_language TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN triage_priority TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN triage_needs_human INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN triage_sensitive INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN triage_tags TEXT NOT NULL DEFAULT '[]';

UPDATE conversations SET waiting_since = (
    SELECT MIN(i.sent_at) FROM messages i
    WHERE i.conversation_id = conversations.id AND i.direction = 'inbound'
    AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.conversation_id = i.conversation_id
        AND o.direction = 'outbound' AND o.sent_at >= i.sent_at));

UPDATE conversations SET
    triage_language = COALESCE((SELECT t.language FROM message_triage t WHERE t.conversation_id = conversations.id ORDER BY t.message_id DESC LIMIT 1), ''),
    triage_priority = COALESCE((SELECT t.priority FROM message_triage t WHERE t.conversation_id = conversations.id ORDER BY t.message_id DESC LIMIT 1), ''),
    triage_needs_human = COALESCE((SELECT t.needs_human FROM message_triage t WHERE t.conversation_id = conversations.id ORDER BY t.message_id DESC LIMIT 1), 0),
    triage_sensitive = COALESCE((SELECT t.result LIKE '%"sensitive":[{%' FROM message_triage t WHERE t.conversation_id = conversations.id ORDER BY t.message_id DESC LIMIT 1), 0),
    triage_tags = COALESCE((SELECT json_extract(t.result, '$.tags') FROM message_triage t WHERE t.conversation_id = conversations.id ORDER BY t.message_id DESC LIMIT 1), '[]');

CREATE INDEX conversations_waiting ON conversations (waiting_since, id);
CREATE INDEX conversations_status_waiting ON conversations (status, waiting_since, id);
-- Every work queue is decided by these three columns alone, so counting
-- the queues reads only this index.
CREATE INDEX conversations_queue ON conversations (status, assignee_id, snoozed_until);
CREATE INDEX conversations_administration_list ON conversations (administration_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_administration_waiting ON conversations (administration_id, waiting_since, id);
CREATE INDEX conversations_account_list ON conversations (account_id, last_message_at DESC, id DESC);
CREATE INDEX conversations_priority_list ON conversations (triage_priority, last_message_at DESC, id DESC);
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE snoozed_until IS NOT NULL;

CREATE TABLE user_administrations (
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    administration_id TEXT    NOT NULL,
    PRIMARY KEY (user_id, administration_id)
);
INSERT INTO user_administrations (user_id, administration_id)
    SELECT id, administration_id FROM users WHERE administration_id <> '';

-- +goose Down
DROP TABLE user_administrations;
DROP INDEX conversations_snoozed;
DROP INDEX conversations_priority_list;
DROP INDEX conversations_account_list;
DROP INDEX conversations_administration_waiting;
DROP INDEX conversations_administration_list;
DROP INDEX conversations_queue;
DROP INDEX conversations_status_waiting;
DROP INDEX conversations_waiting;
ALTER TABLE conversations DROP COLUMN triage_tags;
ALTER TABLE conversations DROP COLUMN triage_sensitive;
ALTER TABLE conversations DROP COLUMN triage_needs_human;
ALTER TABLE conversations DROP COLUMN triage_priority;
ALTER TABLE conversations DROP COLUMN triage_language;
ALTER TABLE conversations DROP COLUMN waiting_since;
