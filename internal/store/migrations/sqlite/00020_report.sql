-- +goose Up
-- Reports generated for the ministry: the monthly report of each month, kept
-- as the XLSX file it was, so that last month's figures stay as reported.
CREATE TABLE report (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    kind        TEXT NOT NULL,
    period      TEXT NOT NULL,
    content     BLOB NOT NULL,
    job_id      INTEGER,
    created_at  TEXT NOT NULL,
    UNIQUE (region_code, kind, period)
);

-- +goose Down
DROP TABLE report;
