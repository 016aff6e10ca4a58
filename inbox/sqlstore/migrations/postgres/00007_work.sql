-- Staff work on conversations: claim and routing state, tags, snooze, a
-- version for optimistic concurrency, and internal notes. Keep in step
-- with migrations/sqlite/00007_work.sql.

-- +goose Up
ALTER TABLE conversations ADD COLUMN staff_tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN route_question TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN routed_by_id BIGINT REFERENCES users (id);
ALTER TABLE conversations ADD COLUMN snoozed_until TIMESTAMPTZ;
ALTER TABLE conversations ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX conversations_assignee ON conversations (assignee_id, last_message_at DESC, id DESC);

CREATE TABLE notes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id BIGINT      NOT NULL REFERENCES conversations (id),
    author_id       BIGINT      NOT NULL REFERENCES users (id),
    kind            TEXT        NOT NULL,
    text            TEXT        NOT NULL,
    mentions        TEXT        NOT NULL DEFAULT '[]',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX notes_conversation ON notes (conversation_id, created_at, id);

-- +goose Down
DROP TABLE notes;
DROP INDEX conversations_assignee;
ALTER TABLE conversations DROP COLUMN version;
ALTER TABLE conversations DROP COLUMN snoozed_until;
ALTER TABLE conversations DROP COLUMN routed_by_id;
ALTER TABLE conversations DROP COLUMN route_question;
ALTER TABLE conversations DROP COLUMN staff_tags;
