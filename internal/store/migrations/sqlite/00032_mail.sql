-- +goose Up
-- The address a user gave for notices, and the outbox of e-mail notices:
-- a letter carries its kind and link only, and waits for its next attempt.
ALTER TABLE app_user ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE mail_outbox (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    to_addr    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    next_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    sent_at    TEXT,
    error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE mail_outbox;
ALTER TABLE app_user DROP COLUMN email;
