-- +goose Up
-- Counts kept as people change, so that a figure of a region of a million is
-- a sum of a few thousand cells instead of a pass over every learner:
--
-- learner_grade_tally: learners by status, organisation, municipality of
--   residence, grade and form of study (the pupils of grades 6–11 that
--   guidance covers, the full-time students that mentorship covers); kept
--   by the triggers on learner, as learner_tally is.
-- guidance_tally: of the pupils of grades 6–11, by school year, organisation,
--   municipality of residence, grade and month (YYYYMM), those reached (in the
--   month of their first event; with their hours and tickets) and those
--   informed (in the month of their first informing). The store keeps it
--   where it rebuilds guidance_reach; the triggers on learner move a pupil's
--   part when the pupil's grade, status, school or municipality changes.
-- mentor_tally: of the full-time students, by organisation and municipality
--   of residence, those with an active pair and those whose active mentor is
--   of an enterprise. The store keeps it where pairs and mentors change; the
--   triggers on learner move a student's part.
--
-- A full recount (store.RecountTallies) compares them with the data and
-- repairs any drift.
CREATE TABLE learner_grade_tally (
    region_code     TEXT NOT NULL,
    status          TEXT NOT NULL,
    org_id          BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    grade           INTEGER NOT NULL,
    study_form      TEXT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (region_code, status, org_id, municipality_id, grade, study_form)
);

CREATE TABLE guidance_tally (
    region_code     TEXT NOT NULL,
    school_year     INTEGER NOT NULL,
    org_id          BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    grade           INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    reached         BIGINT NOT NULL,
    informed        BIGINT NOT NULL,
    h40             BIGINT NOT NULL,
    h60             BIGINT NOT NULL,
    h80             BIGINT NOT NULL,
    ticket          BIGINT NOT NULL,
    PRIMARY KEY (region_code, school_year, org_id, municipality_id, grade, month)
);

CREATE TABLE mentor_tally (
    region_code     TEXT NOT NULL,
    org_id          BIGINT NOT NULL,
    municipality_id BIGINT NOT NULL,
    mentored        BIGINT NOT NULL,
    at_enterprise   BIGINT NOT NULL,
    PRIMARY KEY (region_code, org_id, municipality_id)
);

INSERT INTO learner_grade_tally
SELECT region_code, status, org_id, municipality_id, grade, study_form, count(*)
FROM learner GROUP BY region_code, status, org_id, municipality_id, grade, study_form;

INSERT INTO guidance_tally
SELECT region_code, school_year, org_id, municipality_id, grade, month,
    sum(reached), sum(informed), sum(h40), sum(h60), sum(h80), sum(ticket)
FROM (
    SELECT l.region_code, r.school_year, l.org_id, l.municipality_id, l.grade,
        (extract(year FROM r.first_on) * 100 + extract(month FROM r.first_on))::integer AS month, 1 AS reached, 0 AS informed,
        CASE WHEN r.hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN r.hours >= 60 THEN 1 ELSE 0 END AS h60,
        CASE WHEN r.hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN r.ticket > 0 THEN 1 ELSE 0 END AS ticket
    FROM guidance_reach r JOIN learner l ON l.id = r.learner_id
    WHERE r.first_on IS NOT NULL AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11
    UNION ALL
    SELECT l.region_code, r.school_year, l.org_id, l.municipality_id, l.grade,
        (extract(year FROM r.informed_on) * 100 + extract(month FROM r.informed_on))::integer, 0, 1, 0, 0, 0, 0
    FROM guidance_reach r JOIN learner l ON l.id = r.learner_id
    WHERE r.informed_on IS NOT NULL AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11
) c GROUP BY region_code, school_year, org_id, municipality_id, grade, month;

INSERT INTO mentor_tally
SELECT l.region_code, l.org_id, l.municipality_id, count(*),
    sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
        WHERE x.learner_id = l.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END)
FROM learner l
WHERE l.status = 'student' AND l.study_form = 'full_time'
    AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active')
GROUP BY l.region_code, l.org_id, l.municipality_id;
ANALYZE learner_grade_tally, guidance_tally, mentor_tally;

-- learner_counts_add adds a learner's part, sign +1 or -1, to the three
-- tallies: the learner's cell, the guidance of a pupil of grades 6–11 and the
-- mentorship of a full-time student.
-- +goose StatementBegin
CREATE FUNCTION learner_counts_add(l learner, dir integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO learner_grade_tally VALUES (l.region_code, l.status, l.org_id, l.municipality_id, l.grade, l.study_form, dir)
    ON CONFLICT (region_code, status, org_id, municipality_id, grade, study_form) DO UPDATE SET n = learner_grade_tally.n + excluded.n;
    IF l.status = 'pupil' AND l.grade BETWEEN 6 AND 11 THEN
        INSERT INTO guidance_tally
        SELECT l.region_code, m.school_year, l.org_id, l.municipality_id, l.grade, m.month,
            dir * sum(m.reached), dir * sum(m.informed), dir * sum(m.h40), dir * sum(m.h60), dir * sum(m.h80), dir * sum(m.ticket)
        FROM (SELECT school_year, (extract(year FROM first_on) * 100 + extract(month FROM first_on))::integer AS month, 1 AS reached, 0 AS informed,
                CASE WHEN hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN hours >= 60 THEN 1 ELSE 0 END AS h60,
                CASE WHEN hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN ticket > 0 THEN 1 ELSE 0 END AS ticket
            FROM guidance_reach WHERE learner_id = l.id AND first_on IS NOT NULL
            UNION ALL
            SELECT school_year, (extract(year FROM informed_on) * 100 + extract(month FROM informed_on))::integer, 0, 1, 0, 0, 0, 0
            FROM guidance_reach WHERE learner_id = l.id AND informed_on IS NOT NULL) m
        GROUP BY m.school_year, m.month
        ON CONFLICT (region_code, school_year, org_id, municipality_id, grade, month) DO UPDATE SET
            reached = guidance_tally.reached + excluded.reached, informed = guidance_tally.informed + excluded.informed,
            h40 = guidance_tally.h40 + excluded.h40, h60 = guidance_tally.h60 + excluded.h60,
            h80 = guidance_tally.h80 + excluded.h80, ticket = guidance_tally.ticket + excluded.ticket;
    END IF;
    IF l.status = 'student' AND l.study_form = 'full_time' AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active') THEN
        INSERT INTO mentor_tally
        SELECT l.region_code, l.org_id, l.municipality_id, dir,
            dir * (CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
                WHERE x.learner_id = l.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END)
        ON CONFLICT (region_code, org_id, municipality_id) DO UPDATE SET
            mentored = mentor_tally.mentored + excluded.mentored, at_enterprise = mentor_tally.at_enterprise + excluded.at_enterprise;
    END IF;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION learner_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM learner_counts_add(OLD, -1);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM learner_counts_add(NEW, 1);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- The insert of learner_tally's function counts the new learner here too: a
-- bulk load disables that one trigger and tallies its learners itself.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION learner_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$
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
    IF TG_OP = 'INSERT' THEN
        INSERT INTO learner_grade_tally VALUES (NEW.region_code, NEW.status, NEW.org_id, NEW.municipality_id, NEW.grade, NEW.study_form, 1)
        ON CONFLICT (region_code, status, org_id, municipality_id, grade, study_form) DO UPDATE SET n = learner_grade_tally.n + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER learner_counts_delete BEFORE DELETE ON learner FOR EACH ROW EXECUTE FUNCTION learner_counts_keep();
CREATE TRIGGER learner_counts_update AFTER UPDATE OF region_code, status, org_id, municipality_id, grade, study_form ON learner
    FOR EACH ROW WHEN ((OLD.region_code, OLD.status, OLD.org_id, OLD.municipality_id, OLD.grade, OLD.study_form)
        IS DISTINCT FROM (NEW.region_code, NEW.status, NEW.org_id, NEW.municipality_id, NEW.grade, NEW.study_form))
    EXECUTE FUNCTION learner_counts_keep();

-- +goose Down
DROP TRIGGER learner_counts_update ON learner;
DROP TRIGGER learner_counts_delete ON learner;
DROP FUNCTION learner_counts_keep();
DROP FUNCTION learner_counts_add(learner, integer);
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION learner_tally_keep() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP TABLE mentor_tally;
DROP TABLE guidance_tally;
DROP TABLE learner_grade_tally;
