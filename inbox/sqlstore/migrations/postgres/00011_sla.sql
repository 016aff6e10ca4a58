-- Response times: the status history of every conversation, and one row of
-- measured clocks and SLA state per conversation that reports and the SLA
-- watcher read instead of scanning messages. Keep in step with
-- migrations/sqlite/00011_sla.sql.

-- +goose Up
CREATE TABLE conversation_status_changes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id BIGINT  NOT NULL REFERENCES conversations (id),
    status          TEXT    NOT NULL,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX conversation_status_changes_conversation ON conversation_status_changes (conversation_id, at, id);

CREATE TABLE conversation_metrics (
    conversation_id            BIGINT  PRIMARY KEY REFERENCES conversations (id),
    source_updated_at          TIMESTAMPTZ NOT NULL,
    channel                    TEXT    NOT NULL,
    account_id                 BIGINT  NOT NULL DEFAULT 0,
    administration_id          TEXT    NOT NULL DEFAULT '',
    assignee_id                BIGINT  NOT NULL DEFAULT 0,
    language                   TEXT    NOT NULL DEFAULT '',
    priority                   TEXT    NOT NULL DEFAULT '',
    tags                       TEXT    NOT NULL DEFAULT '[]',
    status                     TEXT    NOT NULL,
    first_message_at           TIMESTAMPTZ NOT NULL,
    first_response_at          TIMESTAMPTZ,
    resolved_at                TIMESTAMPTZ,
    first_response_wall_ms     BIGINT,
    first_response_business_ms BIGINT,
    resolution_wall_ms         BIGINT,
    resolution_business_ms     BIGINT,
    routed                     BOOLEAN NOT NULL DEFAULT FALSE,
    department_wall_ms         BIGINT  NOT NULL DEFAULT 0,
    department_business_ms     BIGINT  NOT NULL DEFAULT 0,
    replies                    BIGINT  NOT NULL DEFAULT 0,
    reassignments              BIGINT  NOT NULL DEFAULT 0,
    answer_link                BOOLEAN NOT NULL DEFAULT FALSE,
    sla_policy                 TEXT    NOT NULL DEFAULT '',
    sla_running                BOOLEAN NOT NULL DEFAULT FALSE,
    sla_paused                 BOOLEAN NOT NULL DEFAULT FALSE,
    sla_due_at                 TIMESTAMPTZ,
    sla_at_risk_at             TIMESTAMPTZ,
    sla_state                  TEXT    NOT NULL DEFAULT '',
    sla_notified               TEXT    NOT NULL DEFAULT '',
    computed_at                TIMESTAMPTZ NOT NULL
);
CREATE INDEX conversation_metrics_first_message ON conversation_metrics (first_message_at);
CREATE INDEX conversation_metrics_open ON conversation_metrics (resolved_at, first_message_at);
CREATE INDEX conversation_metrics_running ON conversation_metrics (sla_running, sla_state, sla_at_risk_at);
CREATE INDEX conversations_updated ON conversations (updated_at, id);

-- +goose Down
DROP INDEX conversations_updated;
DROP TABLE conversation_metrics;
DROP TABLE conversation_status_changes;
