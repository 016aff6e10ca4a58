-- What the last access-token check found: whether the expiry is known
-- (debug_token, not only /me), the data-access expiry and the permissions
-- replies and moderation need that the token lacks. token_expires_at and
-- token_checked_at exist since 00008. And the calls the Graph API sandbox
-- received, so that every process (roles split) shows them; written only
-- while the sandbox is selected. Keep in step with
-- migrations/sqlite/00017_token_check_sandbox_calls.sql.

-- +goose Up
ALTER TABLE accounts ADD COLUMN token_expiry_known BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN token_data_access_expires_at TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN token_missing_scopes TEXT NOT NULL DEFAULT '[]';

CREATE TABLE sandbox_calls (
    id        BIGSERIAL PRIMARY KEY,
    called_at TIMESTAMPTZ NOT NULL,
    method    TEXT        NOT NULL,
    path      TEXT        NOT NULL,
    body      TEXT        NOT NULL,
    status    INTEGER     NOT NULL,
    code      INTEGER     NOT NULL DEFAULT 0,
    result_id TEXT        NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE sandbox_calls;
ALTER TABLE accounts DROP COLUMN token_missing_scopes;
ALTER TABLE accounts DROP COLUMN token_data_access_expires_at;
ALTER TABLE accounts DROP COLUMN token_expiry_known;
