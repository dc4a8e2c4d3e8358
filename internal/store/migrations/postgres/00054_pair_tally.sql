-- +goose Up
-- The mentorship pairs and their meetings by programme organisation, form
-- and status, as the figures of mentorship count them for the region and an
-- organisation (an employer's, a few, are counted from its pairs). The store
-- keeps it where pairs, meetings and programmes are written (a pair's part
-- out before, in after), so that the figures page after a write sums a few
-- hundred rows instead of every pair and meeting; store.RecountTallies
-- checks it.
CREATE TABLE pair_tally (
    region_code TEXT NOT NULL,
    org_id      BIGINT NOT NULL,
    form        TEXT NOT NULL,
    status      TEXT NOT NULL,
    pairs       BIGINT NOT NULL,
    meetings    BIGINT NOT NULL,
    PRIMARY KEY (region_code, org_id, form, status)
);

INSERT INTO pair_tally
SELECT region_code, org_id, form, status, count(*), sum(meetings)
FROM (SELECT x.region_code, p.org_id, p.form, x.status,
        (SELECT count(*) FROM mentor_meeting mt WHERE mt.pair_id = x.id) AS meetings
    FROM mentor_pair x JOIN mentor_programme p ON p.id = x.programme_id) c
GROUP BY region_code, org_id, form, status;

-- +goose Down
DROP TABLE pair_tally;
