-- +goose Up
-- The figures of targeted education kept by employer, specialty and year of
-- admission: the published and closed offers, their places, the applications
-- for them, the contracts signed and the obligations fulfilled and broken.
-- The store keeps it where offers and applications are written (an offer's
-- part out before, in after), so that the figures page sums its cells
-- instead of reading every offer and application; store.RecountTallies
-- checks it against the data.
CREATE TABLE targeted_tally (
    region_code    TEXT NOT NULL,
    employer_id    BIGINT NOT NULL,
    specialty_code TEXT NOT NULL,
    year           INTEGER NOT NULL,
    offers         BIGINT NOT NULL,
    places         BIGINT NOT NULL,
    applications   BIGINT NOT NULL,
    contracts      BIGINT NOT NULL,
    fulfilled      BIGINT NOT NULL,
    broken         BIGINT NOT NULL,
    PRIMARY KEY (region_code, employer_id, specialty_code, year)
);
CREATE INDEX targeted_application_offer ON targeted_application (offer_id, status);

INSERT INTO targeted_tally
SELECT region_code, employer_id, specialty_code, year, count(*), sum(places), sum(applications), sum(contracts), sum(fulfilled), sum(broken)
FROM (SELECT t.region_code, t.employer_id, t.specialty_code, t.year, t.places,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code) AS applications,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code
            AND a.status IN ('contract_signed', 'studying', 'graduated', 'working_off', 'fulfilled', 'terminated', 'broken')) AS contracts,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'fulfilled') AS fulfilled,
        (SELECT count(*) FROM targeted_application a WHERE a.offer_id = t.id AND a.region_code = t.region_code AND a.status = 'broken') AS broken
    FROM targeted_offer t WHERE t.status IN ('published', 'closed')) o
GROUP BY region_code, employer_id, specialty_code, year;

-- +goose Down
DROP INDEX targeted_application_offer;
DROP TABLE targeted_tally;
