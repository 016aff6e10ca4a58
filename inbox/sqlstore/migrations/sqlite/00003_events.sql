-- Everything Meta tells about a message after it is created, and the raw
-- webhook deliveries, on SQLite. Times are TEXT as in 00001.

-- +goose Up
ALTER TABLE messages ADD COLUMN post_type TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN payload TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN sent_outside_inkorg INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN unsupported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN mention INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN original_text TEXT;
ALTER TABLE messages ADD COLUMN edited_at TEXT;
ALTER TABLE messages ADD COLUMN deleted_at TEXT;
ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN delivery TEXT NOT NULL DEFAULT '';

-- Receipts that cover every outbound message up to a time.
ALTER TABLE conversations ADD COLUMN delivered_until TEXT;
ALTER TABLE conversations ADD COLUMN read_until TEXT;

-- message_changes records every change to a message (edit, deletion,
-- hide, reaction, receipt by id) once, whether or not the message is
-- stored yet; the message's state is computed from them.
CREATE TABLE message_changes (
    id                  INTEGER PRIMARY KEY,
    platform            TEXT NOT NULL,
    message_external_id TEXT NOT NULL,
    kind                TEXT NOT NULL,
    actor_external_id   TEXT NOT NULL DEFAULT '',
    value               TEXT NOT NULL DEFAULT '',
    occurred_at         TEXT NOT NULL,
    dedupe_key          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    UNIQUE (platform, message_external_id, kind, dedupe_key)
);

-- webhook_deliveries keeps every distinct signed delivery body, so events
-- can be parsed again after a parser fix.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    body_sha256  TEXT NOT NULL UNIQUE,
    body         BLOB NOT NULL,
    signature    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    received_at  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE message_changes;
ALTER TABLE conversations DROP COLUMN read_until;
ALTER TABLE conversations DROP COLUMN delivered_until;
ALTER TABLE messages DROP COLUMN delivery;
ALTER TABLE messages DROP COLUMN reactions;
ALTER TABLE messages DROP COLUMN hidden;
ALTER TABLE messages DROP COLUMN deleted_at;
ALTER TABLE messages DROP COLUMN edited_at;
ALTER TABLE messages DROP COLUMN original_text;
ALTER TABLE messages DROP COLUMN mention;
ALTER TABLE messages DROP COLUMN unsupported;
ALTER TABLE messages DROP COLUMN sent_outside_inkorg;
ALTER TABLE messages DROP COLUMN payload;
ALTER TABLE messages DROP COLUMN attachments;
ALTER TABLE messages DROP COLUMN post_type;
