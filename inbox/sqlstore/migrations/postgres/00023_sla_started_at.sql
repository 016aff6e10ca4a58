-- When the SLA clock of a conversation's current question started: a
-- citizen writing again after resolution starts a new one, and what was
-- notified about the clock before does not count for it. NULL until the
-- metrics are next computed. Keep in step with
-- migrations/sqlite/00023_sla_started_at.sql.

-- +goose Up
ALTER TABLE conversation_metrics ADD COLUMN sla_started_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE conversation_metrics DROP COLUMN sla_started_at;
