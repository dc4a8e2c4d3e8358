-- +goose Up
-- Vacancies of the region, imported from «Работа России» or entered by hand.
-- id is the vacancy's id at its source (a UUID at «Работа России»), unique
-- across sources. created_at and modified_at are the source's moments (NULL when
-- it gives none); loaded_at and updated_at say when Marshrut first stored the
-- vacancy and when it last replaced it by a newer version.
CREATE TABLE vacancy (
    id             TEXT PRIMARY KEY,
    region_code    TEXT NOT NULL REFERENCES region (code),
    source         TEXT NOT NULL,
    kladr_code     TEXT NOT NULL DEFAULT '',
    employer_name  TEXT NOT NULL,
    employer_inn   TEXT NOT NULL DEFAULT '',
    employer_ogrn  TEXT NOT NULL DEFAULT '',
    title          TEXT NOT NULL,
    specialisation TEXT NOT NULL DEFAULT '',
    salary_min     INTEGER NOT NULL DEFAULT 0,
    salary_max     INTEGER NOT NULL DEFAULT 0,
    currency       TEXT NOT NULL DEFAULT 'RUB',
    schedule       TEXT NOT NULL DEFAULT '',
    employment     TEXT NOT NULL DEFAULT '',
    education      TEXT NOT NULL DEFAULT 'none',
    experience     TEXT NOT NULL DEFAULT '',
    duty           TEXT NOT NULL DEFAULT '',
    requirements   TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    lat            REAL NOT NULL DEFAULT 0,
    lon            REAL NOT NULL DEFAULT 0,
    work_places    INTEGER NOT NULL DEFAULT 1,
    closed         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT,
    modified_at    TEXT,
    url            TEXT NOT NULL DEFAULT '',
    -- Title and employer in the form of searchKey, for the search by a part of them.
    search_text    TEXT NOT NULL,
    loaded_at      TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX vacancy_region ON vacancy (region_code, closed, created_at);
CREATE INDEX vacancy_employer ON vacancy (region_code, employer_inn);

-- The specialties and enlarged groups (УГС) whose graduates can fill a
-- vacancy, with the evidence. code is specialty_code, or group_code for a link
-- to the whole group.
CREATE TABLE vacancy_link (
    vacancy_id     TEXT NOT NULL REFERENCES vacancy (id) ON DELETE CASCADE,
    region_code    TEXT NOT NULL,
    code           TEXT NOT NULL,
    specialty_code TEXT REFERENCES specialty (code),
    group_code     TEXT NOT NULL,
    kind           TEXT NOT NULL,
    score          REAL NOT NULL,
    reason         TEXT NOT NULL,
    PRIMARY KEY (vacancy_id, code)
);
CREATE INDEX vacancy_link_group ON vacancy_link (region_code, group_code, vacancy_id);
CREATE INDEX vacancy_link_specialty ON vacancy_link (region_code, specialty_code, vacancy_id);

-- +goose Down
DROP TABLE vacancy_link;
DROP TABLE vacancy;
