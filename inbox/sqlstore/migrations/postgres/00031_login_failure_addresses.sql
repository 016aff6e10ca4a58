-- Failed sign-ins per user name and client address: guessing from one
-- address locks the name for that address only, and the user's last
-- sign-in from an address lets it try a name that guessing from many
-- addresses closed. Unlocking a name (deleting its login_failures row)
-- forgets its addresses too. Keep in step with
-- migrations/sqlite/00031_login_failure_addresses.sql.

-- +goose Up
ALTER TABLE login_failures ADD COLUMN closed_until TIMESTAMPTZ;

CREATE TABLE login_failure_addresses (
    name         TEXT NOT NULL REFERENCES login_failures (name) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    last_failure TIMESTAMPTZ,
    signed_in_at TIMESTAMPTZ,
    PRIMARY KEY (name, address)
);

-- +goose Down
DROP TABLE login_failure_addresses;
ALTER TABLE login_failures DROP COLUMN closed_until;
