-- Users as admins manage them: a deactivated user can no longer sign in
-- or use API tokens, and the time of each user's last sign-in. Keep in
-- step with migrations/sqlite/00018_user_admin.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN deactivated_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN last_sign_in_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE users DROP COLUMN last_sign_in_at;
ALTER TABLE users DROP COLUMN deactivated_at;
