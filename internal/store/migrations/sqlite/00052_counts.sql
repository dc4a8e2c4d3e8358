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
    org_id          INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    grade           INTEGER NOT NULL,
    study_form      TEXT NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (region_code, status, org_id, municipality_id, grade, study_form)
);

CREATE TABLE guidance_tally (
    region_code     TEXT NOT NULL,
    school_year     INTEGER NOT NULL,
    org_id          INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    grade           INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    reached         INTEGER NOT NULL,
    informed        INTEGER NOT NULL,
    h40             INTEGER NOT NULL,
    h60             INTEGER NOT NULL,
    h80             INTEGER NOT NULL,
    ticket          INTEGER NOT NULL,
    PRIMARY KEY (region_code, school_year, org_id, municipality_id, grade, month)
);

CREATE TABLE mentor_tally (
    region_code     TEXT NOT NULL,
    org_id          INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    mentored        INTEGER NOT NULL,
    at_enterprise   INTEGER NOT NULL,
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
        CAST(strftime('%Y%m', r.first_on) AS INTEGER) AS month, 1 AS reached, 0 AS informed,
        CASE WHEN r.hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN r.hours >= 60 THEN 1 ELSE 0 END AS h60,
        CASE WHEN r.hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN r.ticket > 0 THEN 1 ELSE 0 END AS ticket
    FROM guidance_reach r JOIN learner l ON l.id = r.learner_id
    WHERE r.first_on IS NOT NULL AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11
    UNION ALL
    SELECT l.region_code, r.school_year, l.org_id, l.municipality_id, l.grade,
        CAST(strftime('%Y%m', r.informed_on) AS INTEGER), 0, 1, 0, 0, 0, 0
    FROM guidance_reach r JOIN learner l ON l.id = r.learner_id
    WHERE r.informed_on IS NOT NULL AND l.status = 'pupil' AND l.grade BETWEEN 6 AND 11
) GROUP BY region_code, school_year, org_id, municipality_id, grade, month;

INSERT INTO mentor_tally
SELECT l.region_code, l.org_id, l.municipality_id, count(*),
    sum(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
        WHERE x.learner_id = l.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END)
FROM learner l
WHERE l.status = 'student' AND l.study_form = 'full_time'
    AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = l.id AND x.status = 'active')
GROUP BY l.region_code, l.org_id, l.municipality_id;

-- The insert trigger of learner_tally counts the new learner here too: a bulk
-- load drops and restores that one trigger and tallies its learners itself.
DROP TRIGGER learner_tally_insert;
-- +goose StatementBegin
CREATE TRIGGER learner_tally_insert AFTER INSERT ON learner WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO learner_tally VALUES (NEW.region_code, NEW.org_id, NEW.municipality_id, NEW.status, NEW.graduation_year, NEW.outcome_6m, NEW.outcome_12m, 1)
    ON CONFLICT (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m) DO UPDATE SET n = n + 1;
    INSERT INTO learner_grade_tally VALUES (NEW.region_code, NEW.status, NEW.org_id, NEW.municipality_id, NEW.grade, NEW.study_form, 1)
    ON CONFLICT (region_code, status, org_id, municipality_id, grade, study_form) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER learner_counts_delete BEFORE DELETE ON learner BEGIN
    UPDATE learner_grade_tally SET n = n - 1
    WHERE region_code = OLD.region_code AND status = OLD.status AND org_id = OLD.org_id AND municipality_id = OLD.municipality_id
      AND grade = OLD.grade AND study_form = OLD.study_form;
    INSERT INTO guidance_tally
    SELECT OLD.region_code, m.school_year, OLD.org_id, OLD.municipality_id, OLD.grade, m.month,
        -sum(m.reached), -sum(m.informed), -sum(m.h40), -sum(m.h60), -sum(m.h80), -sum(m.ticket)
    FROM (SELECT school_year, CAST(strftime('%Y%m', first_on) AS INTEGER) AS month, 1 AS reached, 0 AS informed,
            CASE WHEN hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN hours >= 60 THEN 1 ELSE 0 END AS h60,
            CASE WHEN hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN ticket > 0 THEN 1 ELSE 0 END AS ticket
        FROM guidance_reach WHERE learner_id = OLD.id AND first_on IS NOT NULL
        UNION ALL
        SELECT school_year, CAST(strftime('%Y%m', informed_on) AS INTEGER), 0, 1, 0, 0, 0, 0
        FROM guidance_reach WHERE learner_id = OLD.id AND informed_on IS NOT NULL) m
    WHERE OLD.status = 'pupil' AND OLD.grade BETWEEN 6 AND 11
    GROUP BY m.school_year, m.month
    ON CONFLICT (region_code, school_year, org_id, municipality_id, grade, month) DO UPDATE SET
        reached = reached + excluded.reached, informed = informed + excluded.informed, h40 = h40 + excluded.h40,
        h60 = h60 + excluded.h60, h80 = h80 + excluded.h80, ticket = ticket + excluded.ticket;
    INSERT INTO mentor_tally
    SELECT OLD.region_code, OLD.org_id, OLD.municipality_id, -1,
        -(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
            WHERE x.learner_id = OLD.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END)
    WHERE OLD.status = 'student' AND OLD.study_form = 'full_time'
        AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = OLD.id AND x.status = 'active')
    ON CONFLICT (region_code, org_id, municipality_id) DO UPDATE SET
        mentored = mentored + excluded.mentored, at_enterprise = at_enterprise + excluded.at_enterprise;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER learner_counts_update AFTER UPDATE OF region_code, status, org_id, municipality_id, grade, study_form ON learner
WHEN OLD.region_code IS NOT NEW.region_code OR OLD.status IS NOT NEW.status OR OLD.org_id IS NOT NEW.org_id
    OR OLD.municipality_id IS NOT NEW.municipality_id OR OLD.grade IS NOT NEW.grade OR OLD.study_form IS NOT NEW.study_form BEGIN
    UPDATE learner_grade_tally SET n = n - 1
    WHERE region_code = OLD.region_code AND status = OLD.status AND org_id = OLD.org_id AND municipality_id = OLD.municipality_id
      AND grade = OLD.grade AND study_form = OLD.study_form;
    INSERT INTO learner_grade_tally VALUES (NEW.region_code, NEW.status, NEW.org_id, NEW.municipality_id, NEW.grade, NEW.study_form, 1)
    ON CONFLICT (region_code, status, org_id, municipality_id, grade, study_form) DO UPDATE SET n = n + 1;
    INSERT INTO guidance_tally
    SELECT OLD.region_code, m.school_year, OLD.org_id, OLD.municipality_id, OLD.grade, m.month,
        -sum(m.reached), -sum(m.informed), -sum(m.h40), -sum(m.h60), -sum(m.h80), -sum(m.ticket)
    FROM (SELECT school_year, CAST(strftime('%Y%m', first_on) AS INTEGER) AS month, 1 AS reached, 0 AS informed,
            CASE WHEN hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN hours >= 60 THEN 1 ELSE 0 END AS h60,
            CASE WHEN hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN ticket > 0 THEN 1 ELSE 0 END AS ticket
        FROM guidance_reach WHERE learner_id = OLD.id AND first_on IS NOT NULL
        UNION ALL
        SELECT school_year, CAST(strftime('%Y%m', informed_on) AS INTEGER), 0, 1, 0, 0, 0, 0
        FROM guidance_reach WHERE learner_id = OLD.id AND informed_on IS NOT NULL) m
    WHERE OLD.status = 'pupil' AND OLD.grade BETWEEN 6 AND 11
    GROUP BY m.school_year, m.month
    ON CONFLICT (region_code, school_year, org_id, municipality_id, grade, month) DO UPDATE SET
        reached = reached + excluded.reached, informed = informed + excluded.informed, h40 = h40 + excluded.h40,
        h60 = h60 + excluded.h60, h80 = h80 + excluded.h80, ticket = ticket + excluded.ticket;
    INSERT INTO guidance_tally
    SELECT NEW.region_code, m.school_year, NEW.org_id, NEW.municipality_id, NEW.grade, m.month,
        sum(m.reached), sum(m.informed), sum(m.h40), sum(m.h60), sum(m.h80), sum(m.ticket)
    FROM (SELECT school_year, CAST(strftime('%Y%m', first_on) AS INTEGER) AS month, 1 AS reached, 0 AS informed,
            CASE WHEN hours >= 40 THEN 1 ELSE 0 END AS h40, CASE WHEN hours >= 60 THEN 1 ELSE 0 END AS h60,
            CASE WHEN hours >= 80 THEN 1 ELSE 0 END AS h80, CASE WHEN ticket > 0 THEN 1 ELSE 0 END AS ticket
        FROM guidance_reach WHERE learner_id = NEW.id AND first_on IS NOT NULL
        UNION ALL
        SELECT school_year, CAST(strftime('%Y%m', informed_on) AS INTEGER), 0, 1, 0, 0, 0, 0
        FROM guidance_reach WHERE learner_id = NEW.id AND informed_on IS NOT NULL) m
    WHERE NEW.status = 'pupil' AND NEW.grade BETWEEN 6 AND 11
    GROUP BY m.school_year, m.month
    ON CONFLICT (region_code, school_year, org_id, municipality_id, grade, month) DO UPDATE SET
        reached = reached + excluded.reached, informed = informed + excluded.informed, h40 = h40 + excluded.h40,
        h60 = h60 + excluded.h60, h80 = h80 + excluded.h80, ticket = ticket + excluded.ticket;
    INSERT INTO mentor_tally
    SELECT OLD.region_code, OLD.org_id, OLD.municipality_id, -1,
        -(CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
            WHERE x.learner_id = OLD.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END)
    WHERE OLD.status = 'student' AND OLD.study_form = 'full_time'
        AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = OLD.id AND x.status = 'active')
    ON CONFLICT (region_code, org_id, municipality_id) DO UPDATE SET
        mentored = mentored + excluded.mentored, at_enterprise = at_enterprise + excluded.at_enterprise;
    INSERT INTO mentor_tally
    SELECT NEW.region_code, NEW.org_id, NEW.municipality_id, 1,
        CASE WHEN EXISTS (SELECT 1 FROM mentor_pair x JOIN mentor m ON m.id = x.mentor_id
            WHERE x.learner_id = NEW.id AND x.status = 'active' AND m.employer_id IS NOT NULL) THEN 1 ELSE 0 END
    WHERE NEW.status = 'student' AND NEW.study_form = 'full_time'
        AND EXISTS (SELECT 1 FROM mentor_pair x WHERE x.learner_id = NEW.id AND x.status = 'active')
    ON CONFLICT (region_code, org_id, municipality_id) DO UPDATE SET
        mentored = mentored + excluded.mentored, at_enterprise = at_enterprise + excluded.at_enterprise;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER learner_counts_update;
DROP TRIGGER learner_counts_delete;
DROP TRIGGER learner_tally_insert;
-- +goose StatementBegin
CREATE TRIGGER learner_tally_insert AFTER INSERT ON learner WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO learner_tally VALUES (NEW.region_code, NEW.org_id, NEW.municipality_id, NEW.status, NEW.graduation_year, NEW.outcome_6m, NEW.outcome_12m, 1)
    ON CONFLICT (region_code, org_id, municipality_id, status, graduation_year, outcome_6m, outcome_12m) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd
DROP TABLE mentor_tally;
DROP TABLE guidance_tally;
DROP TABLE learner_grade_tally;
