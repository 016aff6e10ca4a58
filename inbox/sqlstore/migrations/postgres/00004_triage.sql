-- Triage of inbound messages: where routing sent each one and what it
-- found. The columns hold what lists filter on; result holds the whole
-- triage as JSON.

-- +goose Up
CREATE TABLE message_triage (
    message_id        BIGINT           PRIMARY KEY REFERENCES messages (id),
    conversation_id   BIGINT           NOT NULL REFERENCES conversations (id),
    administration_id TEXT             NOT NULL,
    confidence        DOUBLE PRECISION NOT NULL,
    language          TEXT             NOT NULL,
    priority          TEXT             NOT NULL,
    needs_human       BOOLEAN          NOT NULL,
    result            TEXT             NOT NULL,
    triaged_at        TIMESTAMPTZ      NOT NULL
);
CREATE INDEX message_triage_conversation ON message_triage (conversation_id, message_id);

-- +goose Down
DROP TABLE message_triage;
