-- +goose Up
-- The figures of targeted education kept by employer, by specialty and by
-- year of admission (dimension 'employer', 'specialty', 'year'; key the
-- employer's id, the ОКСО code or the year as text): the published and
-- closed offers, their places, the applications for them, the contracts
-- signed and the obligations fulfilled and broken. The store keeps it where
-- offers and applications are written (an offer's part out before, in
-- after), so that the figures page sums a few thousand rows instead of
-- reading every offer and application; store.RecountTallies checks it.
CREATE TABLE targeted_tally (
    region_code  TEXT NOT NULL,
    dimension    TEXT NOT NULL,
    key          TEXT NOT NULL,
    offers       BIGINT NOT NULL,
    places       BIGINT NOT NULL,
    applications BIGINT NOT NULL,
    contracts    BIGINT NOT NULL,
    fulfilled    BIGINT NOT NULL,
    broken       BIGINT NOT NULL,
    PRIMARY KEY (region_code, dimension, key)
);
CREATE INDEX targeted_application_offer ON targeted_application (offer_id, status);

INSERT INTO targeted_tally
SELECT region_code, dimension, key, count(*), sum(places), sum(applications), sum(contracts), sum(fulfilled), sum(broken)
FROM (SELECT o.*, 'employer' AS dimension, CAST(o.employer_id AS TEXT) AS key FROM (SELECT t.region_code, t.employer_id, t.specialty_code, t.year, t.places,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code) AS applications,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code
            AND a.status IN ('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken')) AS contracts,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'fulfilled') AS fulfilled,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'broken') AS broken
    FROM targeted_offer t WHERE t.status IN ('published', 'closed')) o
    UNION ALL SELECT o.*, 'specialty', o.specialty_code FROM (SELECT t.region_code, t.employer_id, t.specialty_code, t.year, t.places,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code) AS applications,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code
            AND a.status IN ('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken')) AS contracts,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'fulfilled') AS fulfilled,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'broken') AS broken
    FROM targeted_offer t WHERE t.status IN ('published', 'closed')) o
    UNION ALL SELECT o.*, 'year', CAST(o.year AS TEXT) FROM (SELECT t.region_code, t.employer_id, t.specialty_code, t.year, t.places,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code) AS applications,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code
            AND a.status IN ('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken')) AS contracts,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'fulfilled') AS fulfilled,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'broken') AS broken
    FROM targeted_offer t WHERE t.status IN ('published', 'closed')) o) d
GROUP BY region_code, dimension, key;
ANALYZE targeted_tally, targeted_application;


-- The learners with a contract signed (an application in a signed status or
-- later), by their region, status and graduation year: the graduates of a
-- year under contract. The store keeps it where applications are written;
-- the triggers on learner move a learner's part when the learner's status
-- or graduation year changes.
CREATE TABLE contract_tally (
    region_code     TEXT NOT NULL,
    status          TEXT NOT NULL,
    graduation_year INTEGER NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (region_code, status, graduation_year)
);
INSERT INTO contract_tally
SELECT l.region_code, l.status, l.graduation_year, count(*) FROM learner l
WHERE EXISTS (SELECT 1 FROM targeted_application a WHERE a.learner_id = l.id AND a.status IN ('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken'))
GROUP BY l.region_code, l.status, l.graduation_year;
ANALYZE contract_tally;

-- +goose StatementBegin
CREATE FUNCTION learner_contract_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM targeted_application a WHERE a.learner_id = OLD.id AND a.status IN ('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken')) THEN
        UPDATE contract_tally SET n = n - 1 WHERE region_code = OLD.region_code AND status = OLD.status AND graduation_year = OLD.graduation_year;
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO contract_tally VALUES (NEW.region_code, NEW.status, NEW.graduation_year, 1)
            ON CONFLICT (region_code, status, graduation_year) DO UPDATE SET n = contract_tally.n + 1;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER learner_contract_delete BEFORE DELETE ON learner FOR EACH ROW EXECUTE FUNCTION learner_contract_keep();
CREATE TRIGGER learner_contract_update AFTER UPDATE OF region_code, status, graduation_year ON learner
    FOR EACH ROW WHEN ((OLD.region_code, OLD.status, OLD.graduation_year) IS DISTINCT FROM (NEW.region_code, NEW.status, NEW.graduation_year))
    EXECUTE FUNCTION learner_contract_keep();

-- +goose Down
DROP TRIGGER learner_contract_update ON learner;
DROP TRIGGER learner_contract_delete ON learner;
DROP FUNCTION learner_contract_keep();
DROP TABLE contract_tally;
DROP INDEX targeted_application_offer;
DROP TABLE targeted_tally;
