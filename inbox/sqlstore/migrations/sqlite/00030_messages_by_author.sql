-- Retention looks up, for each person who wrote in a conversation it
-- removes personal data from, whether a conversation still holding
-- personal data has a message by them; a data-subject request finds a
-- person's messages by their platform id. Keep in step with
-- migrations/postgres/00030_messages_by_author.sql.

-- +goose Up
CREATE INDEX messages_author ON messages (platform, author_external_id);

-- +goose Down
DROP INDEX messages_author;
