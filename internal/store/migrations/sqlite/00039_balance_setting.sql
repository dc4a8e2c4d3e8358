-- +goose Up
-- The region's limit on a proposal of admission: the largest share by
-- which a specialty's places change in a year without a confirmation.
CREATE TABLE balance_setting (
    region_code TEXT PRIMARY KEY REFERENCES region (code),
    max_change  REAL NOT NULL,
    updated_at  TEXT NOT NULL
);

-- +goose Down
DROP TABLE balance_setting;
