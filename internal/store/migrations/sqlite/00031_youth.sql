-- +goose Up
-- The young person's own side: a parent's consents for a minor (every
-- decision kept, the latest in force), responses to vacancies with the
-- employer's answers, the inbox of notices, and the one-time codes that
-- open a parent's account linked to the child.
CREATE TABLE consent (
    id         INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    given      BOOLEAN NOT NULL,
    by_user    INTEGER REFERENCES app_user (id) ON DELETE SET NULL,
    by_name    TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX consent_learner ON consent (learner_id, id);

CREATE TABLE vacancy_response (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    vacancy_id  TEXT NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
    employer_id INTEGER REFERENCES organisation (id),
    message     TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (learner_id, vacancy_id)
);
CREATE INDEX vacancy_response_employer ON vacancy_response (employer_id, status);

CREATE TABLE inbox_message (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX inbox_message_user ON inbox_message (user_id, id);

CREATE TABLE guardian_invite (
    code_hash  TEXT PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES app_user (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    user_id    INTEGER REFERENCES app_user (id) ON DELETE SET NULL
);

-- +goose Down
DROP TABLE guardian_invite;
DROP TABLE inbox_message;
DROP TABLE vacancy_response;
DROP TABLE consent;
