-- +goose Up
CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    region_code   TEXT NOT NULL REFERENCES region (code),
    org_id        INTEGER REFERENCES organisation (id),
    learner_id    INTEGER REFERENCES learner (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL
);

-- The municipalities an employment-centre user serves.
CREATE TABLE user_municipality (
    user_id         INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL REFERENCES municipality (id),
    PRIMARY KEY (user_id, municipality_id)
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_expires ON session (expires_at);

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used  TEXT,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_token_user ON api_token (user_id);

-- Who read whose record, when and from where. Entries are never updated.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_id     INTEGER NOT NULL,
    user_login  TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    learner_id  INTEGER NOT NULL,
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (region_code, at);
CREATE INDEX audit_log_learner ON audit_log (learner_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE api_token;
DROP TABLE session;
DROP TABLE user_municipality;
DROP TABLE app_user;
