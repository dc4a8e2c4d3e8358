-- +goose Up
-- The learner's own number in the organisation's records (a roster's id), the
-- natural key of an import when there is no СНИЛС.
ALTER TABLE learner ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX learner_external ON learner (org_id, external_id);

-- +goose Down
DROP INDEX learner_external;
ALTER TABLE learner DROP COLUMN external_id;
