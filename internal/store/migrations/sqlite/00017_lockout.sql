-- +goose Up
-- Account lockout: failed logins in a row, and until when the account is
-- locked after too many of them (unlocked by an administrator or by time).
ALTER TABLE app_user ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN locked_until TEXT;

-- +goose Down
ALTER TABLE app_user DROP COLUMN locked_until;
ALTER TABLE app_user DROP COLUMN failed_logins;
