-- The at-risk queue ("I riskzonen") and its count on every inbox page
-- select the running SLA clocks past their at-risk or due time; this
-- index answers that from the index alone. Keep in step with
-- migrations/postgres/00019_sla_at_risk.sql.

-- +goose Up
CREATE INDEX conversation_metrics_at_risk ON conversation_metrics (sla_running, sla_at_risk_at, sla_due_at, sla_policy, conversation_id);

-- +goose Down
DROP INDEX conversation_metrics_at_risk;
