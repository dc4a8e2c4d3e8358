-- +goose Up
-- Status over time: the day a learner's current status may next change (a
-- record starts or ends), so that a daily pass recomputes exactly those whose
-- day has come; whether a graduate at work six months on still works for the
-- same employer twelve months on; the employer's INN of a work record, as the
-- social fund gives it.
ALTER TABLE learner ADD COLUMN status_next TEXT;
ALTER TABLE learner ADD COLUMN same_employer_12m BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE outcome ADD COLUMN employer_inn TEXT NOT NULL DEFAULT '';
CREATE INDEX learner_status_next ON learner (region_code, status_next) WHERE status_next IS NOT NULL;
-- Every learner with a history is read again under the rule of periods.
UPDATE learner SET status_next = '1970-01-01' WHERE EXISTS (SELECT 1 FROM outcome o WHERE o.learner_id = learner.id);

-- When a matching proposal was sent: «направлено» counts every proposal sent,
-- whatever the graduate and the employer decided since.
ALTER TABLE match_proposal ADD COLUMN sent_at TEXT;
UPDATE match_proposal SET sent_at = decided_at WHERE status IN ('sent', 'accepted');

-- Targets of the headline measures, set by the region per year. Rows are
-- never changed: a new row is a new target, and the latest one counts.
CREATE TABLE measure_target (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    code        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    value       REAL,             -- 0–1; NULL: no target for the year
    note        TEXT NOT NULL DEFAULT '',
    set_by      INTEGER,          -- user; NULL: the installation's defaults
    set_by_name TEXT NOT NULL DEFAULT '',
    set_at      TEXT NOT NULL
);
CREATE INDEX measure_target_code ON measure_target (region_code, code, year, id);

-- +goose Down
DROP TABLE measure_target;
ALTER TABLE match_proposal DROP COLUMN sent_at;
DROP INDEX learner_status_next;
ALTER TABLE outcome DROP COLUMN employer_inn;
ALTER TABLE learner DROP COLUMN same_employer_12m;
ALTER TABLE learner DROP COLUMN status_next;
