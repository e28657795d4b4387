-- +goose Up
-- Files a citizen (or an operator) uploads before submitting a form or an
-- integration. An attachment belongs to its uploader until a pratica claims it;
-- unclaimed ones, and ones claimed by a pratica that was never written, expire.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    pratica_id  TEXT NULL,
    field       TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    storage     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    claimed_at  TIMESTAMP NULL
);
CREATE INDEX attachments_pratica ON attachments (pratica_id, created_at);
CREATE INDEX attachments_unclaimed ON attachments (owner, sha256) WHERE pratica_id IS NULL;
CREATE INDEX attachments_expiry ON attachments (created_at) WHERE claimed_at IS NULL;

-- The database storage of attachment content (the default, and dev's):
-- BYTEA is PostgreSQL's bytes and a blob SQLite keeps as is.
CREATE TABLE attachment_blobs (
    key      TEXT PRIMARY KEY,
    sha256   TEXT NOT NULL,
    content  BYTEA NOT NULL
);

-- +goose Down
DROP TABLE attachment_blobs;
DROP TABLE attachments;
