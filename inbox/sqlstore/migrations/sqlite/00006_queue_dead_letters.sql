-- +goose Up
-- queue_dead_letters holds the messages of the SQL queue (package sqlq) that
-- failed for good, with why, until an operator replays or drops them
-- (inkorg dlq). Times are Unix milliseconds. message_id is the id the
-- message had in queue_messages.
CREATE TABLE queue_dead_letters (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    queue        TEXT    NOT NULL,
    message_id   INTEGER NOT NULL,
    key          TEXT    NOT NULL DEFAULT '',
    body         BLOB    NOT NULL,
    headers      TEXT    NOT NULL DEFAULT '{}',
    attempts     INTEGER NOT NULL,
    error        TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    failed_at    INTEGER NOT NULL
);

CREATE INDEX queue_dead_letters_queue ON queue_dead_letters (queue, id);

-- +goose Down
DROP TABLE queue_dead_letters;
