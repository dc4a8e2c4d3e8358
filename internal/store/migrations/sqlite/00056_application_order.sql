-- +goose Up
-- The region's applications for targeted education are listed most recently
-- changed first: read in this index's order instead of sorted on every page.
CREATE INDEX targeted_application_recent ON targeted_application (region_code, updated_at DESC, id DESC);

-- +goose Down
DROP INDEX targeted_application_recent;
