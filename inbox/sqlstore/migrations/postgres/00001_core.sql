-- Core tables of the inbox on PostgreSQL. Keep the columns, constraints and
-- indexes in step with migrations/sqlite/00001_core.sql.

-- +goose Up
CREATE TABLE accounts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform    TEXT        NOT NULL,
    external_id TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE contacts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform    TEXT        NOT NULL,
    external_id TEXT        NOT NULL,
    name        TEXT        NOT NULL DEFAULT '',
    username    TEXT        NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE users (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              TEXT        NOT NULL UNIQUE,
    role              TEXT        NOT NULL,
    administration_id TEXT        NOT NULL DEFAULT '',
    password_hash     TEXT        NOT NULL DEFAULT '',
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         TEXT        NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE conversations (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id          BIGINT      REFERENCES accounts (id),
    account_external_id TEXT        NOT NULL,
    unknown_account     BOOLEAN     NOT NULL DEFAULT FALSE,
    platform            TEXT        NOT NULL,
    channel             TEXT        NOT NULL,
    thread_key          TEXT        NOT NULL,
    post_external_id    TEXT        NOT NULL DEFAULT '',
    contact_id          BIGINT      NOT NULL REFERENCES contacts (id),
    status              TEXT        NOT NULL,
    administration_id   TEXT        NOT NULL DEFAULT '',
    assignee_id         BIGINT      REFERENCES users (id),
    preview             TEXT        NOT NULL DEFAULT '',
    message_count       INTEGER     NOT NULL DEFAULT 0,
    first_message_at    TIMESTAMPTZ NOT NULL,
    last_message_at     TIMESTAMPTZ NOT NULL,
    last_inbound_at     TIMESTAMPTZ,
    first_response_at   TIMESTAMPTZ,
    resolved_at         TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, channel, account_external_id, thread_key)
);
CREATE INDEX conversations_list ON conversations (last_message_at DESC, id DESC);
CREATE INDEX conversations_status_list ON conversations (status, last_message_at DESC, id DESC);
CREATE INDEX conversations_contact_id ON conversations (contact_id);

CREATE TABLE messages (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id    BIGINT      NOT NULL REFERENCES conversations (id),
    platform           TEXT        NOT NULL,
    external_id        TEXT        NOT NULL,
    direction          TEXT        NOT NULL,
    parent_external_id TEXT        NOT NULL DEFAULT '',
    author_external_id TEXT        NOT NULL DEFAULT '',
    author_name        TEXT        NOT NULL DEFAULT '',
    text               TEXT        NOT NULL,
    sent_at            TIMESTAMPTZ NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, external_id)
);
CREATE INDEX messages_conversation ON messages (conversation_id, sent_at, id);

CREATE TABLE audit_entries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id        BIGINT      REFERENCES users (id),
    action          TEXT        NOT NULL,
    conversation_id BIGINT      REFERENCES conversations (id),
    detail          TEXT        NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_entries_conversation ON audit_entries (conversation_id, created_at, id);

-- +goose Down
DROP TABLE audit_entries;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE contacts;
DROP TABLE accounts;
