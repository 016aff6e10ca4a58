-- Admin-defined routing rules, tried before the classifier, and the spike
-- alerts crisis detection raises. Keep in step with
-- migrations/postgres/00014_rules_alerts.sql.

-- +goose Up
CREATE TABLE routing_rules (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    position          INTEGER NOT NULL DEFAULT 0,
    enabled           INTEGER NOT NULL,
    match_kind        TEXT    NOT NULL DEFAULT '',
    pattern           TEXT    NOT NULL DEFAULT '',
    channels          TEXT    NOT NULL DEFAULT '[]',
    accounts          TEXT    NOT NULL DEFAULT '[]',
    languages         TEXT    NOT NULL DEFAULT '[]',
    administration_id TEXT    NOT NULL DEFAULT '',
    tags              TEXT    NOT NULL DEFAULT '[]',
    priority          TEXT    NOT NULL DEFAULT '',
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX routing_rules_order ON routing_rules (position, id);

-- One alert per topic and period: every instance may detect the same
-- spike, the unique key lets exactly one of them raise it.
CREATE TABLE spike_alerts (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,
    topic         TEXT    NOT NULL,
    tag           TEXT    NOT NULL,
    period_start  TEXT    NOT NULL,
    window_start  TEXT    NOT NULL,
    window_end    TEXT    NOT NULL,
    message_count INTEGER NOT NULL,
    baseline      REAL    NOT NULL,
    conversations INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (topic, period_start)
);
CREATE INDEX spike_alerts_created ON spike_alerts (created_at DESC, id DESC);
-- Spike detection reads the messages triaged in recent windows.
CREATE INDEX message_triage_triaged_at ON message_triage (triaged_at);

-- +goose Down
DROP INDEX message_triage_triaged_at;
DROP TABLE spike_alerts;
DROP TABLE routing_rules;
