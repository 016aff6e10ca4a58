-- Everything Meta tells about a message after it is created, and the raw
-- webhook deliveries, on PostgreSQL.

-- +goose Up
ALTER TABLE messages
    ADD COLUMN post_type           TEXT        NOT NULL DEFAULT '',
    ADD COLUMN attachments         TEXT        NOT NULL DEFAULT '',
    ADD COLUMN payload             TEXT        NOT NULL DEFAULT '',
    ADD COLUMN sent_outside_inkorg BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN unsupported         BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN mention             BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN original_text       TEXT,
    ADD COLUMN edited_at           TIMESTAMPTZ,
    ADD COLUMN deleted_at          TIMESTAMPTZ,
    ADD COLUMN hidden              BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN reactions           TEXT        NOT NULL DEFAULT '',
    ADD COLUMN delivery            TEXT        NOT NULL DEFAULT '';

-- Receipts that cover every outbound message up to a time.
ALTER TABLE conversations
    ADD COLUMN delivered_until TIMESTAMPTZ,
    ADD COLUMN read_until      TIMESTAMPTZ;

-- message_changes records every change to a message (edit, deletion,
-- hide, reaction, receipt by id) once, whether or not the message is
-- stored yet; the message's state is computed from them.
CREATE TABLE message_changes (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform            TEXT        NOT NULL,
    message_external_id TEXT        NOT NULL,
    kind                TEXT        NOT NULL,
    actor_external_id   TEXT        NOT NULL DEFAULT '',
    value               TEXT        NOT NULL DEFAULT '',
    occurred_at         TIMESTAMPTZ NOT NULL,
    dedupe_key          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (platform, message_external_id, kind, dedupe_key)
);

-- webhook_deliveries keeps every distinct signed delivery body, so events
-- can be parsed again after a parser fix.
CREATE TABLE webhook_deliveries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body_sha256  TEXT        NOT NULL UNIQUE,
    body         BYTEA       NOT NULL,
    signature    TEXT        NOT NULL DEFAULT '',
    content_type TEXT        NOT NULL DEFAULT '',
    received_at  TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE message_changes;
ALTER TABLE conversations DROP COLUMN read_until, DROP COLUMN delivered_until;
ALTER TABLE messages
    DROP COLUMN delivery, DROP COLUMN reactions, DROP COLUMN hidden, DROP COLUMN deleted_at,
    DROP COLUMN edited_at, DROP COLUMN original_text, DROP COLUMN mention, DROP COLUMN unsupported,
    DROP COLUMN sent_outside_inkorg, DROP COLUMN payload, DROP COLUMN attachments, DROP COLUMN post_type;
