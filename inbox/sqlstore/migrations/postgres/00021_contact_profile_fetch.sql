-- Fetching the public name of contacts whose webhooks named only their id
-- (Messenger PSID, Instagram IGSID): how often it was tried, when to try
-- again, and when it ended (name stored, or given up). Keep in step with
-- migrations/sqlite/00021_contact_profile_fetch.sql.

-- +goose Up
ALTER TABLE contacts ADD COLUMN profile_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN profile_next_try_at TIMESTAMPTZ;
ALTER TABLE contacts ADD COLUMN profile_done_at TIMESTAMPTZ;
CREATE INDEX contacts_profile_due ON contacts (id)
    WHERE name = '' AND username = '' AND personal_data = '' AND profile_done_at IS NULL;

-- +goose Down
DROP INDEX contacts_profile_due;
ALTER TABLE contacts DROP COLUMN profile_done_at;
ALTER TABLE contacts DROP COLUMN profile_next_try_at;
ALTER TABLE contacts DROP COLUMN profile_attempts;
