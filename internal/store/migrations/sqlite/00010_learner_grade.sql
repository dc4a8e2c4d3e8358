-- +goose Up
-- Pupils by grade: guidance coverage counts the pupils of grades 6–11 of a
-- region, a school or a municipality from this index alone.
CREATE INDEX learner_grade ON learner (region_code, status, grade, org_id);

-- +goose Down
DROP INDEX learner_grade;
