-- +goose Up
-- An employment centre's learners by name: a centre that serves one
-- municipality reads its page in this index's order instead of sorting the
-- municipality's learners (two thirds of a million in a region's capital).
CREATE INDEX learner_municipality_name ON learner (region_code, municipality_id, search_name, id);

-- +goose Down
DROP INDEX learner_municipality_name;
