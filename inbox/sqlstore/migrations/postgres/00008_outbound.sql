-- Outbound actions (replies and comment moderation on their way to Meta),
-- account flags and encrypted access tokens, and channel health. Keep in
-- step with migrations/sqlite/00008_outbound.sql.

-- +goose Up
CREATE TABLE outbound_actions (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key     TEXT    NOT NULL UNIQUE,
    kind                TEXT        NOT NULL,
    state               TEXT        NOT NULL,
    conversation_id     BIGINT NOT NULL REFERENCES conversations (id),
    message_id          BIGINT, -- no REFERENCES: an echo may be merged into the message
    target_message_id   BIGINT,
    target_external_id  TEXT        NOT NULL,
    account_id          BIGINT, -- no REFERENCES: a removed account keeps its history
    account_external_id TEXT        NOT NULL,
    platform            TEXT        NOT NULL,
    text                TEXT    NOT NULL DEFAULT '',
    human_agent         BOOLEAN NOT NULL DEFAULT FALSE,
    reason              TEXT    NOT NULL DEFAULT '',
    actor_id            BIGINT,
    platform_id         TEXT    NOT NULL DEFAULT '',
    attempts            INTEGER NOT NULL DEFAULT 0,
    failure             TEXT    NOT NULL DEFAULT '',
    next_attempt_at     TIMESTAMPTZ,
    sent_at             TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbound_actions_conversation ON outbound_actions (conversation_id, id);
CREATE INDEX outbound_actions_due ON outbound_actions (state, next_attempt_at);
CREATE INDEX outbound_actions_target ON outbound_actions (target_message_id);

ALTER TABLE accounts ADD COLUMN human_agent BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN needs_token BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN token_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN token_expires_at TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN token_checked_at TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN last_webhook_at TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN last_poll_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE accounts DROP COLUMN last_poll_at;
ALTER TABLE accounts DROP COLUMN last_webhook_at;
ALTER TABLE accounts DROP COLUMN token_checked_at;
ALTER TABLE accounts DROP COLUMN token_expires_at;
ALTER TABLE accounts DROP COLUMN token_sealed;
ALTER TABLE accounts DROP COLUMN needs_token;
ALTER TABLE accounts DROP COLUMN human_agent;
DROP TABLE outbound_actions;
