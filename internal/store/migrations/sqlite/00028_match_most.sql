-- +goose Up
-- Matching runs over complete lists: the most that could be placed at all,
-- why the others are not placed, the pairs actually scored, whether the
-- optimal mode's prices prove it optimal over every compatible pair, and
-- why a holder of a target contract is not placed with the employer.
ALTER TABLE match_run ADD COLUMN max_matched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN holders INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN unplaced_none INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN unplaced_wishes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN unplaced_taken INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN unplaced_outranked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN scored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN optimal_proven BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE match_proposal ADD COLUMN contract_note TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE match_proposal DROP COLUMN contract_note;
ALTER TABLE match_run DROP COLUMN optimal_proven;
ALTER TABLE match_run DROP COLUMN scored;
ALTER TABLE match_run DROP COLUMN unplaced_outranked;
ALTER TABLE match_run DROP COLUMN unplaced_taken;
ALTER TABLE match_run DROP COLUMN unplaced_wishes;
ALTER TABLE match_run DROP COLUMN unplaced_none;
ALTER TABLE match_run DROP COLUMN holders;
ALTER TABLE match_run DROP COLUMN max_matched;
