-- +goose Up
-- What was changed in an object after it was created: one row per edit, the
-- changed fields with their old and new values as JSON, written in the
-- edit's own transaction.
CREATE TABLE edit_history (
    id          BIGSERIAL PRIMARY KEY,
    region_code TEXT NOT NULL,
    kind        TEXT NOT NULL,
    object_id   BIGINT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    user_id     BIGINT NOT NULL DEFAULT 0,
    login       TEXT NOT NULL DEFAULT '',
    changes     TEXT NOT NULL
);
CREATE INDEX edit_history_object ON edit_history (region_code, kind, object_id, at);

-- +goose Down
DROP TABLE edit_history;
