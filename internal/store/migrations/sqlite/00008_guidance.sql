-- +goose Up
-- Career guidance: events, the pupils who took part, informing about targeted
-- education, the профминимум level each school chose, and the ДДО results.
CREATE TABLE guidance_event (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT NOT NULL REFERENCES region (code),
    organiser_id   INTEGER NOT NULL REFERENCES organisation (id),
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    held_on        TEXT NOT NULL,
    school_year    INTEGER NOT NULL,
    place          TEXT NOT NULL DEFAULT '',
    grade_from     INTEGER NOT NULL,
    grade_to       INTEGER NOT NULL,
    capacity       INTEGER NOT NULL DEFAULT 0,
    specialty_code TEXT REFERENCES specialty (code),
    hours          INTEGER NOT NULL,
    ticket         BOOLEAN NOT NULL DEFAULT FALSE,
    bookable       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL
);
CREATE INDEX guidance_event_region ON guidance_event (region_code, held_on);
CREATE INDEX guidance_event_organiser ON guidance_event (organiser_id, held_on);

-- Places of a bookable event booked by a school.
CREATE TABLE guidance_booking (
    event_id   INTEGER NOT NULL REFERENCES guidance_event (id) ON DELETE CASCADE,
    school_id  INTEGER NOT NULL REFERENCES organisation (id),
    seats      INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (event_id, school_id)
);
CREATE INDEX guidance_booking_school ON guidance_booking (school_id);

CREATE TABLE guidance_participation (
    event_id    INTEGER NOT NULL REFERENCES guidance_event (id) ON DELETE CASCADE,
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    recorded_by INTEGER,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (event_id, learner_id)
);
CREATE INDEX guidance_participation_learner ON guidance_participation (learner_id);

-- One row per pupil and school year, kept by the store on every write of a
-- participation or an informing: coverage, hours and the monthly trend of a
-- region of a million pupils read this table and the learners, nothing else.
CREATE TABLE guidance_reach (
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    school_year INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    activities  INTEGER NOT NULL DEFAULT 0,
    hours       INTEGER NOT NULL DEFAULT 0,
    ticket      INTEGER NOT NULL DEFAULT 0,
    first_on    TEXT,
    informed_on TEXT,
    PRIMARY KEY (learner_id, school_year)
);
CREATE INDEX guidance_reach_year ON guidance_reach (region_code, school_year);

CREATE TABLE targeted_informing (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    informed_on TEXT NOT NULL,
    school_year INTEGER NOT NULL,
    method      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER,
    created_at  TEXT NOT NULL
);
CREATE INDEX targeted_informing_learner ON targeted_informing (learner_id, school_year);

CREATE TABLE profminimum_level (
    org_id      INTEGER NOT NULL REFERENCES organisation (id),
    school_year INTEGER NOT NULL,
    level       TEXT NOT NULL,
    PRIMARY KEY (org_id, school_year)
);

-- Results of Klimov's ДДО: the 20 answers as 'a'/'b' and the points per type.
CREATE TABLE ddo_result (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    taken_on    TEXT NOT NULL,
    answers     TEXT NOT NULL,
    nature      INTEGER NOT NULL,
    technics    INTEGER NOT NULL,
    human       INTEGER NOT NULL,
    sign        INTEGER NOT NULL,
    art         INTEGER NOT NULL,
    source      TEXT NOT NULL,
    recorded_by INTEGER,
    created_at  TEXT NOT NULL
);
CREATE INDEX ddo_result_learner ON ddo_result (learner_id, taken_on);

-- +goose Down
DROP TABLE ddo_result;
DROP TABLE profminimum_level;
DROP TABLE targeted_informing;
DROP TABLE guidance_reach;
DROP TABLE guidance_participation;
DROP TABLE guidance_booking;
DROP TABLE guidance_event;
