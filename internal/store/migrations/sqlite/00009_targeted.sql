-- +goose Up
-- Targeted education: employers' offers of places, applications to them
-- with the history of every move, and the contracts they become.
CREATE TABLE targeted_offer (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    employer_id     INTEGER NOT NULL REFERENCES organisation (id),
    org_id          INTEGER NOT NULL REFERENCES organisation (id),
    specialty_code  TEXT NOT NULL REFERENCES specialty (code),
    level           TEXT NOT NULL,
    places          INTEGER NOT NULL,
    stipend         INTEGER NOT NULL DEFAULT 0,
    housing         BOOLEAN NOT NULL DEFAULT FALSE,
    paid_practice   BOOLEAN NOT NULL DEFAULT FALSE,
    support_other   TEXT NOT NULL DEFAULT '',
    work_years      INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL REFERENCES municipality (id),
    requirements    TEXT NOT NULL DEFAULT '',
    deadline        TEXT,
    year            INTEGER NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX targeted_offer_region ON targeted_offer (region_code, status, year);
CREATE INDEX targeted_offer_employer ON targeted_offer (employer_id);
CREATE INDEX targeted_offer_org ON targeted_offer (org_id);

CREATE TABLE targeted_application (
    id                 INTEGER PRIMARY KEY,
    region_code        TEXT NOT NULL REFERENCES region (code),
    offer_id           INTEGER NOT NULL REFERENCES targeted_offer (id),
    learner_id         INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    status             TEXT NOT NULL,
    status_reason      TEXT NOT NULL DEFAULT '',
    submitted_at       TEXT NOT NULL,
    contract_no        TEXT NOT NULL DEFAULT '',
    contract_signed_on TEXT,
    study_start        TEXT,
    graduated_on       TEXT,
    obligation_start   TEXT,
    obligation_end     TEXT,
    updated_at         TEXT NOT NULL,
    UNIQUE (offer_id, learner_id)
);
CREATE INDEX targeted_application_learner ON targeted_application (learner_id);
CREATE INDEX targeted_application_region ON targeted_application (region_code, status);

CREATE TABLE targeted_step (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES targeted_application (id) ON DELETE CASCADE,
    status         TEXT NOT NULL,
    at             TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    user_id        INTEGER
);
CREATE INDEX targeted_step_application ON targeted_step (application_id, id);

-- +goose Down
DROP TABLE targeted_step;
DROP TABLE targeted_application;
DROP TABLE targeted_offer;
