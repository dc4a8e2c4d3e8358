-- +goose Up
-- The profile a young person keeps: contacts, wishes and what they choose
-- to show employers; achievements and certificates they add themselves.
CREATE TABLE learner_profile (
    learner_id     INTEGER PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    wish           TEXT NOT NULL DEFAULT '',
    municipalities TEXT NOT NULL DEFAULT '',
    relocation     BOOLEAN NOT NULL DEFAULT FALSE,
    min_pay        INTEGER NOT NULL DEFAULT 0,
    schedule       TEXT NOT NULL DEFAULT '',
    about          TEXT NOT NULL DEFAULT '',
    show_contacts  BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at     TEXT NOT NULL
);

CREATE TABLE learner_achievement (
    id         INTEGER PRIMARY KEY,
    learner_id INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    year       INTEGER NOT NULL,
    result     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX learner_achievement_learner ON learner_achievement (learner_id);

-- +goose Down
DROP TABLE learner_achievement;
DROP TABLE learner_profile;
