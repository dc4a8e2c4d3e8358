-- +goose Up
-- Clusters of «Профессионалитет»: the registry, entered key figures, the
-- region's criteria versioned per year, and the yearly defences with the
-- commission, its assignments and the experts' marks.
CREATE TABLE cluster (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    name        TEXT NOT NULL,
    industry    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    base_org_id INTEGER NOT NULL REFERENCES organisation (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX cluster_region ON cluster (region_code, name);
CREATE INDEX cluster_base ON cluster (base_org_id);

-- Member colleges (role member) and anchor employers (role employer).
CREATE TABLE cluster_org (
    cluster_id INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisation (id),
    role       TEXT NOT NULL,
    PRIMARY KEY (cluster_id, org_id)
);
CREATE INDEX cluster_org_org ON cluster_org (org_id);

CREATE TABLE cluster_specialty (
    cluster_id     INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    specialty_code TEXT NOT NULL REFERENCES specialty (code),
    PRIMARY KEY (cluster_id, specialty_code)
);

CREATE TABLE cluster_funding (
    cluster_id INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    federal    INTEGER NOT NULL DEFAULT 0,
    regional   INTEGER NOT NULL DEFAULT 0,
    employers  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cluster_id, year)
);

CREATE TABLE cluster_equipment (
    id         INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    cost       INTEGER NOT NULL DEFAULT 0,
    year       INTEGER NOT NULL
);
CREATE INDEX cluster_equipment_cluster ON cluster_equipment (cluster_id);

CREATE TABLE cluster_value (
    cluster_id INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    indicator  TEXT NOT NULL,
    value      REAL NOT NULL,
    entered_by INTEGER,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (cluster_id, year, indicator)
);

CREATE TABLE cluster_criteria (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    pass_score  REAL NOT NULL,
    created_by  INTEGER,
    created_at  TEXT NOT NULL,
    UNIQUE (region_code, year, version)
);

CREATE TABLE cluster_criterion (
    criteria_id INTEGER NOT NULL REFERENCES cluster_criteria (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    ckey        TEXT NOT NULL,
    title       TEXT NOT NULL,
    indicator   TEXT NOT NULL DEFAULT '',
    threshold   REAL NOT NULL DEFAULT 0,
    weight      INTEGER NOT NULL,
    max_score   INTEGER NOT NULL,
    PRIMARY KEY (criteria_id, ckey)
);

CREATE TABLE cluster_defence (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES region (code),
    year        INTEGER NOT NULL,
    criteria_id INTEGER NOT NULL REFERENCES cluster_criteria (id),
    status      TEXT NOT NULL,
    chair       TEXT NOT NULL DEFAULT '',
    signed_at   TEXT,
    signed_by   INTEGER,
    created_at  TEXT NOT NULL,
    UNIQUE (region_code, year)
);

CREATE TABLE cluster_expert (
    defence_id INTEGER NOT NULL REFERENCES cluster_defence (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    PRIMARY KEY (defence_id, user_id)
);

CREATE TABLE cluster_assignment (
    defence_id INTEGER NOT NULL REFERENCES cluster_defence (id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    PRIMARY KEY (defence_id, cluster_id, user_id)
);
CREATE INDEX cluster_assignment_user ON cluster_assignment (user_id);

CREATE TABLE cluster_mark (
    defence_id INTEGER NOT NULL REFERENCES cluster_defence (id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL REFERENCES cluster (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES app_user (id),
    criterion  TEXT NOT NULL,
    score      INTEGER NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (defence_id, cluster_id, user_id, criterion)
);

-- +goose Down
DROP TABLE cluster_mark;
DROP TABLE cluster_assignment;
DROP TABLE cluster_expert;
DROP TABLE cluster_defence;
DROP TABLE cluster_criterion;
DROP TABLE cluster_criteria;
DROP TABLE cluster_value;
DROP TABLE cluster_equipment;
DROP TABLE cluster_funding;
DROP TABLE cluster_specialty;
DROP TABLE cluster_org;
DROP TABLE cluster;
