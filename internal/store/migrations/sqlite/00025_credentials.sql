-- +goose Up
-- API tokens expire; a token made before this has none and expires 90 days
-- after it was made (the program reads a NULL so).
ALTER TABLE api_token ADD COLUMN expires_at TEXT;

-- A pending password reset: the hash of the one-time code and its expiry.
ALTER TABLE app_user ADD COLUMN reset_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE app_user ADD COLUMN reset_until TEXT;

-- Reads of many people at once: what was asked for and how many people the
-- answer held (one for a single card).
ALTER TABLE audit_log ADD COLUMN filter TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN persons INTEGER NOT NULL DEFAULT 1;
CREATE INDEX audit_log_action ON audit_log (action, at);

-- The audit log is append-only: no entry is ever changed. Old entries are
-- deleted only by the retention job.
-- +goose StatementBegin
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_append_only;
DROP INDEX audit_log_action;
ALTER TABLE audit_log DROP COLUMN persons;
ALTER TABLE audit_log DROP COLUMN filter;
ALTER TABLE app_user DROP COLUMN reset_until;
ALTER TABLE app_user DROP COLUMN reset_hash;
ALTER TABLE api_token DROP COLUMN expires_at;
