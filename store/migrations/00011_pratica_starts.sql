-- +goose Up
-- The intent to start a pratica's workflow, written with its row in one
-- transaction: a crash before the workflow starts leaves the intent, and the
-- engine's reconciler starts it (the workflow id is the pratica id, so a start
-- made twice is one). idem_key is the citizen's Idempotency-Key.
CREATE TABLE pratica_starts (
    pratica_id   TEXT PRIMARY KEY REFERENCES pratiche (id) ON DELETE CASCADE,
    owner        TEXT NOT NULL,
    idem_key     TEXT NOT NULL DEFAULT '',
    request_hash TEXT NOT NULL,
    lang         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    started_at   TIMESTAMP NULL
);
CREATE UNIQUE INDEX pratica_starts_key ON pratica_starts (owner, idem_key) WHERE idem_key <> '';
CREATE INDEX pratica_starts_pending ON pratica_starts (created_at) WHERE started_at IS NULL;

-- +goose Down
DROP TABLE pratica_starts;
