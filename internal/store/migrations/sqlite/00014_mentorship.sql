-- +goose Up
-- Mentorship: programmes of education organisations by form, mentors with
-- their capacity, pairs with goals, meetings and both sides' feedback.
CREATE TABLE mentor_programme (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    form        TEXT NOT NULL,
    title       TEXT NOT NULL,
    year        INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX mentor_programme_org ON mentor_programme (region_code, org_id);

CREATE TABLE mentor (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT NOT NULL REFERENCES region (code),
    org_id         INTEGER NOT NULL REFERENCES organisation (id),
    employer_id    INTEGER REFERENCES organisation (id),
    kind           TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    position       TEXT NOT NULL DEFAULT '',
    specialty_code TEXT REFERENCES specialty (code),
    capacity       INTEGER NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT NOT NULL
);
CREATE INDEX mentor_org ON mentor (region_code, org_id);
CREATE INDEX mentor_employer ON mentor (employer_id);

CREATE TABLE mentor_pair (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES region (code),
    programme_id INTEGER NOT NULL REFERENCES mentor_programme (id),
    mentor_id    INTEGER NOT NULL REFERENCES mentor (id),
    learner_id   INTEGER REFERENCES learner (id) ON DELETE CASCADE,
    mentee_name  TEXT NOT NULL DEFAULT '',
    start_on     TEXT NOT NULL,
    planned_end  TEXT NOT NULL,
    end_on       TEXT,
    end_reason   TEXT NOT NULL DEFAULT '',
    goals        TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_by   INTEGER,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX mentor_pair_active ON mentor_pair (programme_id, learner_id) WHERE status = 'active' AND learner_id IS NOT NULL;
CREATE INDEX mentor_pair_learner ON mentor_pair (learner_id, status);
CREATE INDEX mentor_pair_mentor ON mentor_pair (mentor_id, status);
CREATE INDEX mentor_pair_region ON mentor_pair (region_code, status);

CREATE TABLE mentor_meeting (
    id         INTEGER PRIMARY KEY,
    pair_id    INTEGER NOT NULL REFERENCES mentor_pair (id) ON DELETE CASCADE,
    held_on    TEXT NOT NULL,
    minutes    INTEGER NOT NULL,
    topic      TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX mentor_meeting_pair ON mentor_meeting (pair_id, held_on);

CREATE TABLE mentor_feedback (
    id         INTEGER PRIMARY KEY,
    pair_id    INTEGER NOT NULL REFERENCES mentor_pair (id) ON DELETE CASCADE,
    side       TEXT NOT NULL,
    rating     INTEGER NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    at         TEXT NOT NULL
);
CREATE INDEX mentor_feedback_pair ON mentor_feedback (pair_id, at);

-- +goose Down
DROP TABLE mentor_feedback;
DROP TABLE mentor_meeting;
DROP TABLE mentor_pair;
DROP TABLE mentor;
DROP TABLE mentor_programme;
