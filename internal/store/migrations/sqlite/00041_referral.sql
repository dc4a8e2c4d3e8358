-- +goose Up
-- The employment centres' catalogue of youth services and the referrals of
-- young people to a service or to a vacancy, followed to their result.
CREATE TABLE youth_service (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    czn_id          INTEGER NOT NULL REFERENCES organisation (id),
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    audience        TEXT NOT NULL DEFAULT '',
    age_min         INTEGER NOT NULL,
    age_max         INTEGER NOT NULL,
    municipality_id INTEGER REFERENCES municipality (id),
    provider        TEXT NOT NULL DEFAULT '',
    places          INTEGER NOT NULL,
    starts_on       TEXT NOT NULL,
    ends_on         TEXT NOT NULL,
    group_id        INTEGER REFERENCES measure_group (id),
    search_text     TEXT NOT NULL DEFAULT '',
    created_by      INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX youth_service_region ON youth_service (region_code, ends_on);
CREATE INDEX youth_service_czn ON youth_service (czn_id);

CREATE TABLE referral (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES region (code),
    learner_id   INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    czn_id       INTEGER NOT NULL REFERENCES organisation (id),
    case_id      INTEGER REFERENCES risk_case (id) ON DELETE SET NULL,
    service_id   INTEGER REFERENCES youth_service (id),
    vacancy_id   TEXT NOT NULL DEFAULT '',
    vacancy_title TEXT NOT NULL DEFAULT '',
    employer_id  INTEGER REFERENCES organisation (id),
    employer_name TEXT NOT NULL DEFAULT '',
    enrolment_id INTEGER REFERENCES measure_enrolment (id) ON DELETE SET NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    referred_on  TEXT NOT NULL,
    result_on    TEXT,
    note         TEXT NOT NULL DEFAULT '',
    created_by   INTEGER,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX referral_region ON referral (region_code, referred_on);
CREATE INDEX referral_learner ON referral (learner_id);
CREATE INDEX referral_service ON referral (service_id);
CREATE INDEX referral_case ON referral (case_id);

-- +goose Down
DROP TABLE referral;
DROP TABLE youth_service;
