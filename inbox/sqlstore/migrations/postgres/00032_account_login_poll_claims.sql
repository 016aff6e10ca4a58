-- How each account signs in to Meta (login): 'facebook' (a Page token,
-- graph.facebook.com) or 'instagram' (Instagram API with Instagram
-- Login, an Instagram user token, graph.instagram.com). And the claim on
-- an account's reconciliation poll, shared by every instance: which
-- instance polls it (poll_claimed_by) until when (poll_claimed_until),
-- and until when Meta's throttling leaves it alone (poll_paused_until).
-- Keep in step with migrations/sqlite/00032_account_login_poll_claims.sql.

-- +goose Up
ALTER TABLE accounts ADD COLUMN login TEXT NOT NULL DEFAULT 'facebook';
ALTER TABLE accounts ADD COLUMN poll_claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN poll_claimed_until TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN poll_paused_until TIMESTAMPTZ;

-- +goose Down
ALTER TABLE accounts DROP COLUMN poll_paused_until;
ALTER TABLE accounts DROP COLUMN poll_claimed_until;
ALTER TABLE accounts DROP COLUMN poll_claimed_by;
ALTER TABLE accounts DROP COLUMN login;
