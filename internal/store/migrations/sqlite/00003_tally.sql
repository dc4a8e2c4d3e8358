-- +goose Up
-- Counts of learners by organisation, municipality, status, graduation year and
-- the statuses six and twelve months after graduation, kept by triggers on every
-- write, so that the dashboards of a region of millions read a few thousand rows
-- instead of every learner.
CREATE TABLE learner_tally (
    region_code     TEXT NOT NULL,
    org_id          INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    status          TEXT NOT NULL,
    graduation_year INTEGER NOT NULL,
    outcome_6m      TEXT NOT NULL,
    outcome_12m     TEXT NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m)
);

-- A bulk load (store.Loader) marks itself here inside its transaction; the
-- triggers stand aside and the loader adds its rows to the tally in one statement.
CREATE TABLE bulk_load (started_at TEXT NOT NULL);

INSERT INTO learner_tally
SELECT region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m, count(*)
FROM learner GROUP BY region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m;

-- +goose StatementBegin
CREATE TRIGGER learner_tally_insert AFTER INSERT ON learner WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO learner_tally VALUES (NEW.region_code, NEW.org_id, NEW.municipality_id, NEW.status, NEW.graduation_year, NEW.outcome_6m, NEW.outcome_12m, 1)
    ON CONFLICT (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER learner_tally_delete AFTER DELETE ON learner BEGIN
    UPDATE learner_tally SET n = n - 1
    WHERE region_code = OLD.region_code AND org_id = OLD.org_id AND municipality_id = OLD.municipality_id AND status = OLD.status
      AND graduation_year = OLD.graduation_year AND outcome_6m = OLD.outcome_6m AND outcome_12m = OLD.outcome_12m;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER learner_tally_update AFTER UPDATE OF region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m ON learner BEGIN
    UPDATE learner_tally SET n = n - 1
    WHERE region_code = OLD.region_code AND org_id = OLD.org_id AND municipality_id = OLD.municipality_id AND status = OLD.status
      AND graduation_year = OLD.graduation_year AND outcome_6m = OLD.outcome_6m AND outcome_12m = OLD.outcome_12m;
    INSERT INTO learner_tally VALUES (NEW.region_code, NEW.org_id, NEW.municipality_id, NEW.status, NEW.graduation_year, NEW.outcome_6m, NEW.outcome_12m, 1)
    ON CONFLICT (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER learner_tally_update;
DROP TRIGGER learner_tally_delete;
DROP TRIGGER learner_tally_insert;
DROP TABLE bulk_load;
DROP TABLE learner_tally;
