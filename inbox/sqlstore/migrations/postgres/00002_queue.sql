-- +goose Up
-- queue_messages holds the messages of the SQL queue (package sqlq) until a
-- consumer acknowledges them. Times are Unix milliseconds from the database
-- clock, so consumers on several hosts agree on when a lease expires. A
-- message is ready when available_at has passed: at publish time, and again
-- when the lease of the consumer that claimed it expires.
CREATE TABLE queue_messages (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue        TEXT    NOT NULL,
    key          TEXT    NOT NULL DEFAULT '',
    body         BYTEA   NOT NULL,
    headers      TEXT    NOT NULL DEFAULT '{}',
    attempt      INTEGER NOT NULL DEFAULT 0,
    published_at BIGINT  NOT NULL,
    available_at BIGINT  NOT NULL,
    leased_by    TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX queue_messages_ready ON queue_messages (queue, available_at, id);

-- +goose Down
DROP TABLE queue_messages;
