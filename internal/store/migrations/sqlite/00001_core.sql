-- +goose Up
-- Reference tables (classifiers) carry no region: they are the same everywhere.
CREATE TABLE region (
    code       TEXT PRIMARY KEY,
    kladr_code TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    federal    BOOLEAN NOT NULL
);

CREATE TABLE specialty (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL,
    group_code TEXT NOT NULL,
    group_name TEXT NOT NULL
);

CREATE TABLE activity (
    id      INTEGER PRIMARY KEY,
    section TEXT NOT NULL,
    code    TEXT NOT NULL,
    level   TEXT NOT NULL,
    name    TEXT NOT NULL,
    UNIQUE (section, code)
);

CREATE TABLE municipality (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    lat         REAL NOT NULL DEFAULT 0,
    lon         REAL NOT NULL DEFAULT 0,
    UNIQUE (region_code, name)
);

CREATE TABLE organisation (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    short_name      TEXT NOT NULL DEFAULT '',
    inn             TEXT NOT NULL DEFAULT '',
    ogrn            TEXT NOT NULL DEFAULT '',
    municipality_id INTEGER NOT NULL REFERENCES municipality (id),
    address         TEXT NOT NULL DEFAULT '',
    lat             REAL NOT NULL DEFAULT 0,
    lon             REAL NOT NULL DEFAULT 0,
    okved           TEXT NOT NULL DEFAULT '',
    search_name     TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX organisation_kind ON organisation (region_code, kind, search_name);
CREATE INDEX organisation_inn ON organisation (inn);

CREATE TABLE learner (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    last_name       TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    middle_name     TEXT NOT NULL DEFAULT '',
    sex             TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    snils           TEXT,
    status          TEXT NOT NULL,
    org_id          INTEGER NOT NULL REFERENCES organisation (id),
    municipality_id INTEGER NOT NULL REFERENCES municipality (id),
    grade           INTEGER NOT NULL DEFAULT 0,
    specialty_code  TEXT REFERENCES specialty (code),
    course          INTEGER NOT NULL DEFAULT 0,
    study_form      TEXT NOT NULL DEFAULT '',
    graduation_year INTEGER NOT NULL DEFAULT 0,
    disability      BOOLEAN NOT NULL DEFAULT FALSE,
    current_outcome TEXT NOT NULL DEFAULT '',
    -- Status six and twelve months after graduation (30 June of the year),
    -- kept in step with the outcome history on every write.
    outcome_6m      TEXT NOT NULL DEFAULT '',
    outcome_12m     TEXT NOT NULL DEFAULT '',
    search_name     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX learner_snils ON learner (region_code, snils);
CREATE INDEX learner_org ON learner (org_id, status, search_name);
CREATE INDEX learner_municipality ON learner (municipality_id, status);
CREATE INDEX learner_status ON learner (region_code, status, graduation_year, outcome_6m, outcome_12m);
CREATE INDEX learner_search ON learner (region_code, search_name);
CREATE INDEX learner_status_name ON learner (region_code, status, search_name);

CREATE TABLE learner_stage (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT NOT NULL,
    learner_id     INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    org_id         INTEGER REFERENCES organisation (id),
    specialty_code TEXT REFERENCES specialty (code),
    started_on     TEXT NOT NULL,
    ended_on       TEXT,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX learner_stage_learner ON learner_stage (learner_id, started_on);

CREATE TABLE outcome (
    id            INTEGER PRIMARY KEY,
    region_code   TEXT NOT NULL,
    learner_id    INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    employer_id   INTEGER REFERENCES organisation (id),
    employer_name TEXT NOT NULL DEFAULT '',
    started_on    TEXT NOT NULL,
    ended_on      TEXT,
    source        TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX outcome_learner ON outcome (learner_id, started_on);
CREATE INDEX outcome_employer ON outcome (employer_id);

-- +goose Down
DROP TABLE outcome;
DROP TABLE learner_stage;
DROP TABLE learner;
DROP TABLE organisation;
DROP TABLE municipality;
DROP TABLE activity;
DROP TABLE specialty;
DROP TABLE region;
