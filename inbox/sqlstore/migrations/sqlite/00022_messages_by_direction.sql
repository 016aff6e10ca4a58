-- Every new message recomputes its conversation's first response and
-- waiting time from the conversation's first inbound and outbound
-- messages. An index by conversation and direction answers each of those
-- sub-queries with one index step, whatever the planner's statistics say:
-- on a fast-growing table that had not been analysed yet, PostgreSQL
-- combined the conversation index with the whole partial index of inbound
-- messages (00016) instead, at a cost that grew with the table. Keep in
-- step with migrations/postgres/00022_messages_by_direction.sql.

-- +goose Up
CREATE INDEX messages_conversation_direction ON messages (conversation_id, direction, sent_at);

-- +goose Down
DROP INDEX messages_conversation_direction;
