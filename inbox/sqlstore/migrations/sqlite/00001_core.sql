-- Core tables of the inbox on SQLite.
--
-- Times are TEXT in one fixed-width UTC layout, 2006-01-02T15:04:05.000000Z
-- (written by the store's dbTime type), so that text comparison, ORDER BY,
-- MIN and MAX order them by time. Booleans are INTEGER 0/1.

-- +goose Up
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    username    TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (platform, external_id)
);

CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    role              TEXT NOT NULL,
    administration_id TEXT NOT NULL DEFAULT '',
    password_hash     TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE conversations (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER REFERENCES accounts (id),
    account_external_id TEXT NOT NULL,
    unknown_account     INTEGER NOT NULL DEFAULT 0,
    platform            TEXT NOT NULL,
    channel             TEXT NOT NULL,
    thread_key          TEXT NOT NULL,
    post_external_id    TEXT NOT NULL DEFAULT '',
    contact_id          INTEGER NOT NULL REFERENCES contacts (id),
    status              TEXT NOT NULL,
    administration_id   TEXT NOT NULL DEFAULT '',
    assignee_id         INTEGER REFERENCES users (id),
    preview             TEXT NOT NULL DEFAULT '',
    message_count       INTEGER NOT NULL DEFAULT 0,
    first_message_at    TEXT NOT NULL,
    last_message_at     TEXT NOT NULL,
    last_inbound_at     TEXT,
    first_response_at   TEXT,
    resolved_at         TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (platform, channel, account_external_id, thread_key)
);
CREATE INDEX conversations_list ON conversations (last_message_at DESC, id DESC);
CREATE INDEX conversations_status_list ON conversations (status, last_message_at DESC, id DESC);
CREATE INDEX conversations_contact_id ON conversations (contact_id);

CREATE TABLE messages (
    id                 INTEGER PRIMARY KEY,
    conversation_id    INTEGER NOT NULL REFERENCES conversations (id),
    platform           TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    direction          TEXT NOT NULL,
    parent_external_id TEXT NOT NULL DEFAULT '',
    author_external_id TEXT NOT NULL DEFAULT '',
    author_name        TEXT NOT NULL DEFAULT '',
    text               TEXT NOT NULL,
    sent_at            TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    UNIQUE (platform, external_id)
);
CREATE INDEX messages_conversation ON messages (conversation_id, sent_at, id);

CREATE TABLE audit_entries (
    id              INTEGER PRIMARY KEY,
    actor_id        INTEGER REFERENCES users (id),
    action          TEXT NOT NULL,
    conversation_id INTEGER REFERENCES conversations (id),
    detail          TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
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
