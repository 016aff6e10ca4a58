-- +goose Up
-- queue_messages holds the messages of the SQL queue (package sqlq) until a
-- consumer acknowledges them. Times are Unix milliseconds from the database
-- clock. A message is ready when available_at has passed: at publish time,
-- and again when the lease of the consumer that claimed it expires.
-- AUTOINCREMENT keeps ids from being reused after a delete, so an ack that
-- arrives late can never match a newer message.
CREATE TABLE queue_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    queue        TEXT    NOT NULL,
    key          TEXT    NOT NULL DEFAULT '',
    body         BLOB    NOT NULL,
    headers      TEXT    NOT NULL DEFAULT '{}',
    attempt      INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL,
    available_at INTEGER NOT NULL,
    leased_by    TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX queue_messages_ready ON queue_messages (queue, available_at, id);

-- +goose Down
DROP TABLE queue_messages;
