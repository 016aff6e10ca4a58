-- Outbound actions (replies and comment moderation on their way to Meta),
-- account flags and encrypted access tokens, and channel health. Keep in
-- step with migrations/postgres/00008_outbound.sql.

-- +goose Up
CREATE TABLE outbound_actions (
    id                  INTEGER PRIMARY KEY,
    idempotency_key     TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL,
    state               TEXT    NOT NULL,
    conversation_id     INTEGER NOT NULL REFERENCES conversations (id),
    message_id          INTEGER, -- no REFERENCES: an echo may be merged into the message
    target_message_id   INTEGER,
    target_external_id  TEXT    NOT NULL,
    account_id          INTEGER, -- no REFERENCES: a removed account keeps its history
    account_external_id TEXT    NOT NULL,
    platform            TEXT    NOT NULL,
    text                TEXT    NOT NULL DEFAULT '',
    human_agent         INTEGER NOT NULL DEFAULT 0,
    reason              TEXT    NOT NULL DEFAULT '',
    actor_id            INTEGER,
    platform_id         TEXT    NOT NULL DEFAULT '',
    attempts            INTEGER NOT NULL DEFAULT 0,
    failure             TEXT    NOT NULL DEFAULT '',
    next_attempt_at     TEXT,
    sent_at             TEXT,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX outbound_actions_conversation ON outbound_actions (conversation_id, id);
CREATE INDEX outbound_actions_due ON outbound_actions (state, next_attempt_at);
CREATE INDEX outbound_actions_target ON outbound_actions (target_message_id);

ALTER TABLE accounts ADD COLUMN human_agent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN needs_token INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN token_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN token_expires_at TEXT;
ALTER TABLE accounts ADD COLUMN token_checked_at TEXT;
ALTER TABLE accounts ADD COLUMN last_webhook_at TEXT;
ALTER TABLE accounts ADD COLUMN last_poll_at TEXT;

-- +goose Down
ALTER TABLE accounts DROP COLUMN last_poll_at;
ALTER TABLE accounts DROP COLUMN last_webhook_at;
ALTER TABLE accounts DROP COLUMN token_checked_at;
ALTER TABLE accounts DROP COLUMN token_expires_at;
ALTER TABLE accounts DROP COLUMN token_sealed;
ALTER TABLE accounts DROP COLUMN needs_token;
ALTER TABLE accounts DROP COLUMN human_agent;
DROP TABLE outbound_actions;
