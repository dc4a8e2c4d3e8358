-- +goose Up
-- Early warning: what a college records of a student's study beyond the
-- roster, the trained models, each final-year student's score with its
-- reasons, and the cases an employment centre works.
CREATE TABLE learner_record (
    learner_id    INTEGER PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
    attendance    REAL,                     -- share of classes attended, 0–1; NULL: not recorded
    debts         INTEGER,                  -- academic debts now; NULL: not recorded
    social_status TEXT NOT NULL DEFAULT '', -- '': not recorded
    updated_at    TEXT NOT NULL
);

CREATE TABLE risk_model (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    kind        TEXT NOT NULL,
    train_years TEXT NOT NULL,
    valid_year  INTEGER NOT NULL,
    train_rows  INTEGER NOT NULL,
    valid_rows  INTEGER NOT NULL,
    positives   INTEGER NOT NULL,
    report      TEXT NOT NULL,
    model       TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT FALSE,
    created_by  INTEGER,
    created_at  TEXT NOT NULL
);
CREATE INDEX risk_model_region ON risk_model (region_code, id);

CREATE TABLE risk_score (
    learner_id  INTEGER PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    model_id    INTEGER NOT NULL REFERENCES risk_model (id) ON DELETE CASCADE,
    probability REAL NOT NULL,
    reasons     TEXT NOT NULL,
    scored_at   TEXT NOT NULL
);
CREATE INDEX risk_score_region ON risk_score (region_code, probability);

CREATE TABLE risk_setting (
    region_code TEXT PRIMARY KEY REFERENCES region (code),
    threshold   REAL NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE risk_case (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    learner_id  INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    czn_id      INTEGER REFERENCES organisation (id),
    probability REAL NOT NULL,
    status      TEXT NOT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    opened_by   INTEGER,
    opened_at   TEXT NOT NULL,
    closed_at   TEXT
);
CREATE UNIQUE INDEX risk_case_open ON risk_case (learner_id) WHERE status = 'open';
CREATE INDEX risk_case_region ON risk_case (region_code, status);
CREATE INDEX risk_case_learner ON risk_case (learner_id);

CREATE TABLE risk_action (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES risk_case (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    done_on    TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX risk_action_case ON risk_action (case_id, done_on);

-- +goose Down
DROP TABLE risk_action;
DROP TABLE risk_case;
DROP TABLE risk_setting;
DROP TABLE risk_score;
DROP TABLE risk_model;
DROP TABLE learner_record;
