-- +goose Up
CREATE TABLE modeler_forms (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    title_it     TEXT NOT NULL,
    title_en     TEXT NOT NULL DEFAULT '',
    document     TEXT NOT NULL,
    hash         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    PRIMARY KEY (id, version)
);

CREATE TABLE modeler_templates (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    ente         TEXT NOT NULL DEFAULT '',
    base         TEXT NOT NULL DEFAULT '',
    title_it     TEXT NOT NULL,
    document     TEXT NOT NULL,
    problems     TEXT NOT NULL DEFAULT '[]',
    hash         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    PRIMARY KEY (id, version)
);
CREATE UNIQUE INDEX modeler_templates_hash ON modeler_templates (id, hash) WHERE hash <> '';

CREATE TABLE modeler_overlays (
    ente         TEXT NOT NULL,
    template     TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    document     TEXT NOT NULL,
    problems     TEXT NOT NULL DEFAULT '[]',
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (ente, template)
);

-- +goose Down
DROP TABLE modeler_overlays;
DROP TABLE modeler_templates;
DROP TABLE modeler_forms;
