-- +goose Up
-- The links of a single sign-on provider's subjects to accounts: made at the
-- first sign-in, when a claim named exactly one account; then the subject
-- alone finds it.
CREATE TABLE sso_link (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX sso_link_user ON sso_link (user_id);

-- +goose Down
DROP TABLE sso_link;
