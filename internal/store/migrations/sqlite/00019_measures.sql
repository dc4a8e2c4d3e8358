-- +goose Up
-- Programmes of active employment measures: what a region buys from training
-- providers (programme), the groups that study them, and the people enrolled,
-- by category, with completion and the job that follows. A person enrolled is
-- either a learner of the region (employment comes from table outcome) or a
-- person kept only as far as the measure needs: name, birth year, SNILS.
CREATE TABLE measure_programme (
    id            INTEGER PRIMARY KEY,
    region_code   TEXT NOT NULL REFERENCES region (code),
    name          TEXT NOT NULL,
    provider_id   INTEGER REFERENCES organisation (id), -- NULL: a provider outside the registry
    provider_name TEXT NOT NULL,
    customer      TEXT NOT NULL,                        -- b2b (employer), b2g (state)
    customer_name TEXT NOT NULL DEFAULT '',
    profession    TEXT NOT NULL,
    hours         INTEGER NOT NULL,
    format        TEXT NOT NULL,                        -- full_time, mixed, distance
    price         INTEGER NOT NULL,                     -- roubles per person
    manager_id    INTEGER REFERENCES organisation (id), -- employment centre; NULL: the region
    search_text   TEXT NOT NULL,                        -- name, profession and provider, for search
    created_by    INTEGER,
    created_at    TEXT NOT NULL
);
CREATE INDEX measure_programme_region ON measure_programme (region_code, name);
CREATE INDEX measure_programme_provider ON measure_programme (provider_id);

CREATE TABLE measure_group (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES region (code),
    programme_id INTEGER NOT NULL REFERENCES measure_programme (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    capacity     INTEGER NOT NULL,
    manager_id   INTEGER REFERENCES organisation (id),
    created_by   INTEGER,
    created_at   TEXT NOT NULL
);
CREATE INDEX measure_group_programme ON measure_group (programme_id, starts_on);
CREATE INDEX measure_group_region ON measure_group (region_code, starts_on);

CREATE TABLE measure_person (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    czn_id          INTEGER REFERENCES organisation (id),
    last_name       TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    middle_name     TEXT NOT NULL DEFAULT '',
    birth_year      INTEGER NOT NULL,
    snils           TEXT,
    municipality_id INTEGER REFERENCES municipality (id),
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX measure_person_snils ON measure_person (region_code, snils);

CREATE TABLE measure_enrolment (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    group_id        INTEGER NOT NULL REFERENCES measure_group (id) ON DELETE CASCADE,
    learner_id      INTEGER REFERENCES learner (id) ON DELETE CASCADE,
    person_id       INTEGER REFERENCES measure_person (id) ON DELETE CASCADE,
    category        TEXT NOT NULL,
    status          TEXT NOT NULL,                    -- enrolled, completed, dropped
    czn_id          INTEGER REFERENCES organisation (id),
    municipality_id INTEGER REFERENCES municipality (id),
    enrolled_on     TEXT NOT NULL,
    completed_on    TEXT,
    dropped_on      TEXT,
    employed_on     TEXT,                             -- recorded for persons; learners' comes from outcome
    employer_name   TEXT NOT NULL DEFAULT '',
    created_by      INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((learner_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX measure_enrolment_learner ON measure_enrolment (group_id, learner_id);
CREATE UNIQUE INDEX measure_enrolment_person ON measure_enrolment (group_id, person_id);
CREATE INDEX measure_enrolment_region ON measure_enrolment (region_code, status);
CREATE INDEX measure_enrolment_czn ON measure_enrolment (czn_id);
CREATE INDEX measure_enrolment_of_learner ON measure_enrolment (learner_id);

-- +goose Down
DROP TABLE measure_enrolment;
DROP TABLE measure_person;
DROP TABLE measure_group;
DROP TABLE measure_programme;
