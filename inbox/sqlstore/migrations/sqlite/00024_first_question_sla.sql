-- The SLA attainment a conversation counts in the reports once a later
-- question of the citizen's has the SLA clock: the outcome of its first
-- question's stopped clock (1 met, 2 missed); NULL while the clock is
-- the first question's. Keep in step with
-- migrations/postgres/00024_first_question_sla.sql.

-- +goose Up
ALTER TABLE conversation_metrics ADD COLUMN first_sla_outcome INTEGER;

-- +goose Down
ALTER TABLE conversation_metrics DROP COLUMN first_sla_outcome;
