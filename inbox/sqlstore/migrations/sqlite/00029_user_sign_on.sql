-- The identity-provider account a user signs on as: the ID token's issuer
-- and subject, empty while the user is not linked to single sign-on.
-- Single sign-on never takes over a user linked to another account or one
-- with a password. Keep in step with migrations/postgres/00029_user_sign_on.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN sign_on_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN sign_on_subject TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_sign_on ON users (sign_on_issuer, sign_on_subject) WHERE sign_on_subject <> '';

-- +goose Down
DROP INDEX users_sign_on;
ALTER TABLE users DROP COLUMN sign_on_subject;
ALTER TABLE users DROP COLUMN sign_on_issuer;
