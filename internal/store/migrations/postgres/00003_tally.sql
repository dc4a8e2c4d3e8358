-- +goose Up
-- Counts of learners by organisation, municipality, status, graduation year and
-- the statuses six and twelve months after graduation, kept by triggers on every
-- write, so that the dashboards of a region of millions read a few thousand rows
-- instead of every learner.
CREATE TABLE learner_tally (
    region_code     TEXT NOT NULL,
    org_id          BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    status          TEXT NOT NULL,
    graduation_year INTEGER NOT NULL,
    outcome_6m      TEXT NOT NULL,
    outcome_12m     TEXT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m)
);

-- A bulk load (store.Loader) marks itself here inside its transaction; the
-- triggers stand aside and the loader adds its rows to the tally in one statement.
CREATE TABLE bulk_load (started_at TIMESTAMPTZ NOT NULL);

INSERT INTO learner_tally
SELECT region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m, count(*)
FROM learner GROUP BY region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m;

-- +goose StatementBegin
CREATE FUNCTION learner_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE learner_tally SET n = n - 1
        WHERE region_code = OLD.region_code AND org_id = OLD.org_id AND municipality_id = OLD.municipality_id AND status = OLD.status
          AND graduation_year = OLD.graduation_year AND outcome_6m = OLD.outcome_6m AND outcome_12m = OLD.outcome_12m;
    END IF;
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM bulk_load) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO learner_tally VALUES (NEW.region_code, NEW.org_id, NEW.municipality_id, NEW.status, NEW.graduation_year, NEW.outcome_6m, NEW.outcome_12m, 1)
        ON CONFLICT (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m) DO UPDATE SET n = learner_tally.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER learner_tally_change AFTER INSERT OR DELETE ON learner FOR EACH ROW EXECUTE FUNCTION learner_tally_keep();
CREATE TRIGGER learner_tally_update AFTER UPDATE OF region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m
    ON learner FOR EACH ROW EXECUTE FUNCTION learner_tally_keep();

-- +goose Down
DROP TRIGGER learner_tally_update ON learner;
DROP TRIGGER learner_tally_change ON learner;
DROP FUNCTION learner_tally_keep();
DROP TABLE bulk_load;
DROP TABLE learner_tally;
