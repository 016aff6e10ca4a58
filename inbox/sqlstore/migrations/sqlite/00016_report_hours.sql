-- The hours report counts inbound messages by the hour they were sent:
-- an index of just those, with the conversation they belong to, lets it
-- read a year of them without touching the message texts. Keep in step
-- with migrations/postgres/00016_report_hours.sql.

-- +goose Up
CREATE INDEX messages_inbound_sent ON messages (sent_at, conversation_id) WHERE direction = 'inbound';

-- +goose Down
DROP INDEX messages_inbound_sent;
