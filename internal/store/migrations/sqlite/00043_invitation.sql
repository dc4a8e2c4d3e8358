-- +goose Up
-- Invitations printed for a class or study group: one code for a learner,
-- one for a parent of a minor. Only the code's hash is kept; a code opens
-- one account, tied to its learner, until it is used, expires or is revoked.
CREATE TABLE invitation (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    code_hash   TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES app_user (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    revoked_at  TEXT,
    user_id     INTEGER REFERENCES app_user (id) ON DELETE SET NULL
);
CREATE INDEX invitation_learner ON invitation (learner_id, role);
CREATE INDEX invitation_org ON invitation (org_id, created_at);

-- +goose Down
DROP TABLE invitation;
