-- +goose Up
-- Workforce balance: employers' declared needs of specialists for one to
-- seven years ahead, the capacity and plan of admission of each programme of
-- colleges and universities, the age structure of the employed by group of
-- specialties, and the region's scenarios.
CREATE TABLE employer_need (
    id             INTEGER PRIMARY KEY,
    region_code    TEXT NOT NULL REFERENCES region (code),
    employer_id    INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    specialty_code TEXT NOT NULL REFERENCES specialty (code),
    base_year      INTEGER NOT NULL,          -- the year the need was declared in
    horizon        INTEGER NOT NULL,          -- years ahead: the need is for base_year + horizon
    persons        INTEGER NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL,             -- form or import
    created_by     INTEGER,
    updated_at     TEXT NOT NULL,
    UNIQUE (employer_id, specialty_code, base_year, horizon)
);
CREATE INDEX employer_need_region ON employer_need (region_code, employer_id);

CREATE TABLE org_capacity (
    org_id         INTEGER NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    specialty_code TEXT NOT NULL REFERENCES specialty (code),
    region_code    TEXT NOT NULL REFERENCES region (code),
    capacity       INTEGER NOT NULL,          -- most it can admit a year
    plan           INTEGER NOT NULL DEFAULT 0, -- its plan of admission; 0: none
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (org_id, specialty_code)
);
CREATE INDEX org_capacity_region ON org_capacity (region_code);

CREATE TABLE employment_age (
    region_code TEXT NOT NULL REFERENCES region (code),
    group_code  TEXT NOT NULL,
    level       TEXT NOT NULL,                -- spo or higher
    band        TEXT NOT NULL,                -- under30, 30-44, 45-54, 55-59, 60+
    year        INTEGER NOT NULL,             -- the year of the data
    employed    INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (region_code, group_code, level, band)
);

CREATE TABLE balance_scenario (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    name        TEXT NOT NULL,
    changes     TEXT NOT NULL,                -- JSON: admissions and needs
    created_by  INTEGER,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX balance_scenario_region ON balance_scenario (region_code, id);

-- +goose Down
DROP TABLE balance_scenario;
DROP TABLE employment_age;
DROP TABLE org_capacity;
DROP TABLE employer_need;
