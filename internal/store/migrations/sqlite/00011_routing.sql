-- +goose Up
-- Routing of graduates: what the employer side weighs (grades, the
-- demonstration exam), the graduate's wishes, and matching runs with the
-- proposals they make and what became of them.
ALTER TABLE learner ADD COLUMN avg_grade REAL NOT NULL DEFAULT 0;
ALTER TABLE learner ADD COLUMN demo_exam INTEGER NOT NULL DEFAULT 0;

CREATE TABLE learner_preference (
    learner_id INTEGER PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
    relocate   BOOLEAN NOT NULL DEFAULT FALSE,
    min_salary INTEGER NOT NULL DEFAULT 0,
    schedule   TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE match_run (
    id                 INTEGER PRIMARY KEY,
    region_code        TEXT NOT NULL REFERENCES region (code),
    round              INTEGER NOT NULL,
    mode               TEXT NOT NULL,
    seed               INTEGER NOT NULL,
    graduation_year    INTEGER NOT NULL,
    status             TEXT NOT NULL,
    job_id             INTEGER,
    candidates         INTEGER NOT NULL DEFAULT 0,
    vacancies          INTEGER NOT NULL DEFAULT 0,
    places             INTEGER NOT NULL DEFAULT 0,
    edges              INTEGER NOT NULL DEFAULT 0,
    matched            INTEGER NOT NULL DEFAULT 0,
    first_choice       INTEGER NOT NULL DEFAULT 0,
    welfare            INTEGER NOT NULL DEFAULT 0,
    optimal_welfare    INTEGER NOT NULL DEFAULT 0,
    optimal_matched    INTEGER NOT NULL DEFAULT 0,
    blocking           INTEGER NOT NULL DEFAULT 0,
    contracts_placed   INTEGER NOT NULL DEFAULT 0,
    seconds            REAL NOT NULL DEFAULT 0,
    error              TEXT NOT NULL DEFAULT '',
    created_by         INTEGER,
    created_at         TEXT NOT NULL,
    finished_at        TEXT
);
CREATE INDEX match_run_region ON match_run (region_code, id);

CREATE TABLE match_proposal (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES match_run (id) ON DELETE CASCADE,
    region_code    TEXT NOT NULL,
    learner_id     INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    vacancy_id     TEXT,
    choice         INTEGER NOT NULL DEFAULT 0,
    graduate_score INTEGER NOT NULL DEFAULT 0,
    employer_score INTEGER NOT NULL DEFAULT 0,
    contract       BOOLEAN NOT NULL DEFAULT FALSE,
    reasons        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     INTEGER
);
CREATE INDEX match_proposal_run ON match_proposal (run_id, status);
CREATE INDEX match_proposal_learner ON match_proposal (learner_id);

-- +goose Down
DROP TABLE match_proposal;
DROP TABLE match_run;
DROP TABLE learner_preference;
ALTER TABLE learner DROP COLUMN demo_exam;
ALTER TABLE learner DROP COLUMN avg_grade;
