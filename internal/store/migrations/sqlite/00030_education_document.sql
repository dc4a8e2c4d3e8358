-- +goose Up
-- Documents of education as the federal registry (ФИС ФРДО) holds them: the
-- file a college or university fills for it also tells who graduated, when
-- and in what. One row a document, found again by its series and number.
CREATE TABLE education_document (
    id              INTEGER PRIMARY KEY,
    region_code     TEXT NOT NULL REFERENCES region (code),
    learner_id      INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL,
    series          TEXT NOT NULL DEFAULT '',
    number          TEXT NOT NULL,
    issued_on       TEXT NOT NULL,
    reg_number      TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL DEFAULT '',
    specialty_code  TEXT NOT NULL DEFAULT '',
    qualification   TEXT NOT NULL DEFAULT '',
    graduation_year INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (region_code, org_id, series, number)
);
CREATE INDEX education_document_learner ON education_document (learner_id);

-- +goose Down
DROP TABLE education_document;
