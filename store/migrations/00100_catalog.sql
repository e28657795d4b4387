-- +goose Up
-- Catalog: master data (enti, organisation units), pagoPA taxonomy, business
-- catalog concepts, procedimenti and services with regional -> ente inheritance.
CREATE TABLE catalog_enti (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    fiscal_code      TEXT NOT NULL,
    aux_digit        TEXT NOT NULL DEFAULT '',
    segregation_code TEXT NOT NULL DEFAULT '',
    application_code TEXT NOT NULL DEFAULT '',
    accounts         TEXT NOT NULL DEFAULT '[]',
    intermediary     TEXT NOT NULL DEFAULT '',
    revision         BIGINT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX catalog_enti_fiscal_code ON catalog_enti (fiscal_code);

CREATE TABLE catalog_org_units (
    ente       TEXT NOT NULL REFERENCES catalog_enti (id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    parent     TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT '',
    manager    TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ente, code)
);

CREATE TABLE catalog_org_history (
    id         TEXT PRIMARY KEY,
    ente       TEXT NOT NULL,
    code       TEXT NOT NULL,
    action     TEXT NOT NULL,
    source     TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    before     TEXT NOT NULL DEFAULT '',
    after      TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL
);
CREATE INDEX catalog_org_history_ente ON catalog_org_history (ente, at);

CREATE TABLE catalog_taxonomy_versions (
    version     TEXT PRIMARY KEY,
    number      INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    rows_count  INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL
);

CREATE TABLE catalog_taxonomy (
    code              TEXT PRIMARY KEY,
    ente_type         TEXT NOT NULL,
    ente_type_name    TEXT NOT NULL,
    macro_area        TEXT NOT NULL,
    macro_area_name   TEXT NOT NULL,
    macro_area_desc   TEXT NOT NULL,
    service_type      TEXT NOT NULL,
    service_type_name TEXT NOT NULL,
    reason            TEXT NOT NULL,
    description       TEXT NOT NULL,
    version           TEXT NOT NULL,
    valid_from        TIMESTAMP NOT NULL,
    valid_to          TIMESTAMP NOT NULL,
    withdrawn_in      TEXT NOT NULL DEFAULT '',
    search            TEXT NOT NULL
);
CREATE INDEX catalog_taxonomy_ente_type ON catalog_taxonomy (ente_type, macro_area);

CREATE TABLE catalog_concepts (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    label_it   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    body       TEXT NOT NULL,
    search     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX catalog_concepts_name_version ON catalog_concepts (name, version);

-- Procedimenti and services share one shape: a regional (or national) row holds
-- the whole definition (ente = ''), an ente row holds only its overrides on top
-- of base at base_version. Derived columns are the merged view, kept for filters.
CREATE TABLE catalog_procedimenti (
    id           TEXT PRIMARY KEY,
    ente         TEXT NOT NULL DEFAULT '',
    level        TEXT NOT NULL,
    base         TEXT NOT NULL DEFAULT '',
    base_version BIGINT NOT NULL DEFAULT 0,
    spec         TEXT NOT NULL,
    revision     BIGINT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    start_kind   TEXT NOT NULL DEFAULT '',
    search       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX catalog_procedimenti_ente ON catalog_procedimenti (ente, base);

CREATE TABLE catalog_services (
    id            TEXT PRIMARY KEY,
    ente          TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL,
    base          TEXT NOT NULL DEFAULT '',
    base_version  BIGINT NOT NULL DEFAULT 0,
    spec          TEXT NOT NULL,
    revision      BIGINT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    channels      TEXT NOT NULL DEFAULT '',
    interactivity TEXT NOT NULL DEFAULT '',
    taxonomy      TEXT NOT NULL DEFAULT '',
    search        TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX catalog_services_ente ON catalog_services (ente, base);

-- Every revision of every definition, regional and ente: the ente's "what changed
-- upstream" is the diff between the regional revisions it was based on and now.
CREATE TABLE catalog_revisions (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    revision   BIGINT NOT NULL,
    spec       TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    at         TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, id, revision)
);

-- +goose Down
DROP TABLE catalog_revisions;
DROP TABLE catalog_services;
DROP TABLE catalog_procedimenti;
DROP TABLE catalog_concepts;
DROP TABLE catalog_taxonomy;
DROP TABLE catalog_taxonomy_versions;
DROP TABLE catalog_org_history;
DROP TABLE catalog_org_units;
DROP TABLE catalog_enti;
