-- +goose Up
-- Each ente's crest (stemma), shown in the portal's header: an SVG or PNG the
-- ente's staff or the region upload; the portal shows a generic shield for an
-- ente without one.
CREATE TABLE catalog_crests (
    ente          TEXT PRIMARY KEY,
    media_type    TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    content       BYTEA NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE catalog_crests;
