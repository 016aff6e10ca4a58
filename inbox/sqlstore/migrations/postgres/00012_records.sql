-- Public records, personal data and moderation on PostgreSQL: what the archive
-- exported, what retention and data-subject requests removed, and the
-- moderation queue with its decisions. Keep in step with
-- migrations/sqlite/00012_records.sql.

-- +goose Up
-- archive_exports is one archive export: a period written to a directory,
-- with the SHA-256 of its manifest.
CREATE TABLE archive_exports (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period_from     TIMESTAMPTZ NOT NULL,
    period_to       TIMESTAMPTZ NOT NULL,
    location        TEXT    NOT NULL,
    manifest_sha256 TEXT    NOT NULL,
    conversations   INTEGER NOT NULL,
    scheduled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX archive_exports_period ON archive_exports (period_from, period_to);

-- archived_conversations is the latest export of each conversation and the
-- state it had then; retention touches a conversation only when nothing
-- changed after it was archived.
CREATE TABLE archived_conversations (
    conversation_id BIGINT PRIMARY KEY REFERENCES conversations (id),
    export_id       BIGINT NOT NULL REFERENCES archive_exports (id),
    version         INTEGER NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    message_count   INTEGER NOT NULL,
    archived_at     TIMESTAMPTZ NOT NULL
);

-- personal_data is '' while a conversation holds its personal data, else
-- 'pseudonymised' or 'deleted', set by retention or a data-subject request.
ALTER TABLE conversations ADD COLUMN personal_data TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN personal_data_removed_at TIMESTAMPTZ;
ALTER TABLE contacts ADD COLUMN personal_data TEXT NOT NULL DEFAULT '';
CREATE INDEX conversations_retention ON conversations (personal_data, status, last_message_at);

-- moderation_flags is the moderation queue: public comments a rule
-- flagged, one row per message, with the categories and the decision.
CREATE TABLE moderation_flags (
    message_id        BIGINT PRIMARY KEY REFERENCES messages (id),
    conversation_id   BIGINT NOT NULL REFERENCES conversations (id),
    administration_id TEXT    NOT NULL DEFAULT '',
    categories        TEXT    NOT NULL,
    rules             TEXT    NOT NULL DEFAULT '[]',
    state             TEXT    NOT NULL,
    flagged_at        TIMESTAMPTZ NOT NULL,
    decided_by        BIGINT REFERENCES users (id),
    decided_at        TIMESTAMPTZ
);
CREATE INDEX moderation_flags_queue ON moderation_flags (state, flagged_at, message_id);

-- moderation_actions records every moderation decision: what was done to
-- which comment, in which category, why, by whom and when.
CREATE TABLE moderation_actions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      BIGINT NOT NULL REFERENCES messages (id),
    conversation_id BIGINT NOT NULL REFERENCES conversations (id),
    action          TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    actor_id        BIGINT NOT NULL REFERENCES users (id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX moderation_actions_created ON moderation_actions (created_at, id);
CREATE INDEX moderation_actions_message ON moderation_actions (message_id, id);

-- +goose Down
DROP TABLE moderation_actions;
DROP TABLE moderation_flags;
DROP INDEX conversations_retention;
ALTER TABLE contacts DROP COLUMN personal_data;
ALTER TABLE conversations DROP COLUMN personal_data_removed_at;
ALTER TABLE conversations DROP COLUMN personal_data;
DROP TABLE archived_conversations;
DROP TABLE archive_exports;
