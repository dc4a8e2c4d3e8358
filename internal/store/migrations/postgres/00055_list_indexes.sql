-- +goose Up
-- Indexes of the lists of a region of a million learners:
-- the people an employer sees are found from its own practice stages
-- (learner_stage by org_id), not by asking of every learner of the region;
-- the open vacancies of a region are read newest first in the index's order,
-- those without a date last, instead of sorted on every page; the pairs of
-- a programme are counted by the programme (its list counts every
-- programme's), and the region's pairs are read in the order of their list,
-- the active first, newest first; the region's mentors, the active first by name.
CREATE INDEX learner_stage_org ON learner_stage (org_id, learner_id);
CREATE INDEX vacancy_recent ON vacancy (region_code, closed, created_at DESC NULLS LAST, id);
CREATE INDEX mentor_pair_programme ON mentor_pair (programme_id, status);
CREATE INDEX mentor_pair_order ON mentor_pair (region_code, (CASE WHEN status = 'active' THEN 0 ELSE 1 END), start_on DESC, id DESC);
CREATE INDEX mentor_order ON mentor (region_code, active DESC, full_name, id);

-- +goose Down
DROP INDEX mentor_order;
DROP INDEX mentor_pair_order;
DROP INDEX mentor_pair_programme;
DROP INDEX vacancy_recent;
DROP INDEX learner_stage_org;
