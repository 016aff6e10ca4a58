-- Response times: the status history of every conversation, and one row of
-- measured clocks and SLA state per conversation that reports and the SLA
-- watcher read instead of scanning messages. Keep in step with
-- migrations/postgres/00011_sla.sql.

-- +goose Up
CREATE TABLE conversation_status_changes (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    status          TEXT    NOT NULL,
    at              TEXT    NOT NULL
);
CREATE INDEX conversation_status_changes_conversation ON conversation_status_changes (conversation_id, at, id);

CREATE TABLE conversation_metrics (
    conversation_id            INTEGER PRIMARY KEY REFERENCES conversations (id),
    source_updated_at          TEXT    NOT NULL,
    channel                    TEXT    NOT NULL,
    account_id                 INTEGER NOT NULL DEFAULT 0,
    administration_id          TEXT    NOT NULL DEFAULT '',
    assignee_id                INTEGER NOT NULL DEFAULT 0,
    language                   TEXT    NOT NULL DEFAULT '',
    priority                   TEXT    NOT NULL DEFAULT '',
    tags                       TEXT    NOT NULL DEFAULT '[]',
    status                     TEXT    NOT NULL,
    first_message_at           TEXT    NOT NULL,
    first_response_at          TEXT,
    resolved_at                TEXT,
    first_response_wall_ms     INTEGER,
    first_response_business_ms INTEGER,
    resolution_wall_ms         INTEGER,
    resolution_business_ms     INTEGER,
    routed                     INTEGER NOT NULL DEFAULT 0,
    department_wall_ms         INTEGER NOT NULL DEFAULT 0,
    department_business_ms     INTEGER NOT NULL DEFAULT 0,
    replies                    INTEGER NOT NULL DEFAULT 0,
    reassignments              INTEGER NOT NULL DEFAULT 0,
    answer_link                INTEGER NOT NULL DEFAULT 0,
    sla_policy                 TEXT    NOT NULL DEFAULT '',
    sla_running                INTEGER NOT NULL DEFAULT 0,
    sla_paused                 INTEGER NOT NULL DEFAULT 0,
    sla_due_at                 TEXT,
    sla_at_risk_at             TEXT,
    sla_state                  TEXT    NOT NULL DEFAULT '',
    sla_notified               TEXT    NOT NULL DEFAULT '',
    computed_at                TEXT    NOT NULL
);
CREATE INDEX conversation_metrics_first_message ON conversation_metrics (first_message_at);
CREATE INDEX conversation_metrics_open ON conversation_metrics (resolved_at, first_message_at);
CREATE INDEX conversation_metrics_running ON conversation_metrics (sla_running, sla_state, sla_at_risk_at);
CREATE INDEX conversations_updated ON conversations (updated_at, id);

-- +goose Down
DROP INDEX conversations_updated;
DROP TABLE conversation_metrics;
DROP TABLE conversation_status_changes;
