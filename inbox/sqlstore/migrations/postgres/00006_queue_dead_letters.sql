-- +goose Up
-- queue_dead_letters holds the messages of the SQL queue (package sqlq) that
-- failed for good, with why, until an operator replays or drops them
-- (inkorg dlq). Times are Unix milliseconds. message_id is the id the
-- message had in queue_messages.
CREATE TABLE queue_dead_letters (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue        TEXT    NOT NULL,
    message_id   BIGINT  NOT NULL,
    key          TEXT    NOT NULL DEFAULT '',
    body         BYTEA   NOT NULL,
    headers      TEXT    NOT NULL DEFAULT '{}',
    attempts     INTEGER NOT NULL,
    error        TEXT    NOT NULL,
    published_at BIGINT  NOT NULL,
    failed_at    BIGINT  NOT NULL
);

CREATE INDEX queue_dead_letters_queue ON queue_dead_letters (queue, id);

-- +goose Down
DROP TABLE queue_dead_letters;
