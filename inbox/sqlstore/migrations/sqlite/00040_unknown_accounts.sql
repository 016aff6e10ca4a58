-- The conversations of accounts that are not managed, for the list of
-- accounts to set up (FindUnknownAccounts): few rows, so a partial index
-- costs the other conversations nothing. Keep in step with
-- migrations/postgres/00040_unknown_accounts.sql.

-- +goose Up
CREATE INDEX conversations_unknown_account ON conversations (platform, account_external_id, last_message_at)
    WHERE unknown_account;

-- +goose Down
DROP INDEX conversations_unknown_account;
