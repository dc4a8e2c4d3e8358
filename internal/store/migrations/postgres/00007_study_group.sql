-- +goose Up
-- The learner's study group in the college («ТМ-24»), as rosters give it.
ALTER TABLE learner ADD COLUMN study_group TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE learner DROP COLUMN study_group;
