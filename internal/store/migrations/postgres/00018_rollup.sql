-- +goose Up
-- The federal rollup: the public keys of the regions whose bundles this
-- installation accepts, and the bundles it has imported, kept as signed.
CREATE TABLE rollup_key (
    region_code TEXT PRIMARY KEY,
    public_key  TEXT NOT NULL,
    added_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE rollup_bundle (
    id          TEXT PRIMARY KEY,
    region_code TEXT NOT NULL,
    version     INTEGER NOT NULL,
    period      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    payload     TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    imported_by BIGINT
);
CREATE INDEX rollup_bundle_region ON rollup_bundle (region_code, created_at);

-- +goose Down
DROP TABLE rollup_bundle;
DROP TABLE rollup_key;
