-- +goose Up
-- The monthly salary of a job, where it is known: the national rating of
-- graduate employment weighs the median salary of those at work.
ALTER TABLE outcome ADD COLUMN salary INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE outcome DROP COLUMN salary;
