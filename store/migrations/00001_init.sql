-- +goose Up
-- Migration numbers are reserved by area so parallel work never collides:
-- 00001-00099 foundation and pratiche, 00100 catalog, 00200 payments,
-- 00300 notifications and reconciliation, 00400 access control, 00500 modeller.
CREATE TABLE pratiche (
    id            TEXT PRIMARY KEY,
    ente          TEXT NOT NULL,
    service       TEXT NOT NULL,
    template      TEXT NOT NULL,
    template_hash TEXT NOT NULL,
    owner         TEXT NOT NULL,
    status        TEXT NOT NULL,
    status_code   INTEGER NOT NULL,
    step          TEXT NOT NULL DEFAULT '',
    holder        TEXT NOT NULL DEFAULT '',
    office        TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL DEFAULT '{}',
    deadline      TIMESTAMP NULL,
    last_seq      BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX pratiche_owner ON pratiche (owner, created_at);
CREATE INDEX pratiche_ente ON pratiche (ente, status_code);

CREATE TABLE pratica_events (
    pratica_id  TEXT NOT NULL REFERENCES pratiche (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    at          TIMESTAMP NOT NULL,
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    step        TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    holder      TEXT NOT NULL DEFAULT '',
    message_it  TEXT NOT NULL DEFAULT '',
    message_en  TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (pratica_id, seq)
);

CREATE TABLE demo_seeds (
    name       TEXT PRIMARY KEY,
    applied_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE demo_seeds;
DROP TABLE pratica_events;
DROP TABLE pratiche;
