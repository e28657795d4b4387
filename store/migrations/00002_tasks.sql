-- +goose Up
ALTER TABLE pratiche ADD COLUMN actions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE pratiche ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE pratiche ADD COLUMN outcome TEXT NOT NULL DEFAULT '';

CREATE TABLE pratica_tasks (
    id          TEXT PRIMARY KEY,
    pratica_id  TEXT NOT NULL REFERENCES pratiche (id) ON DELETE CASCADE,
    ente        TEXT NOT NULL,
    step        TEXT NOT NULL,
    title_it    TEXT NOT NULL DEFAULT '',
    title_en    TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL,
    office      TEXT NOT NULL DEFAULT '',
    outcomes    TEXT NOT NULL DEFAULT '[]',
    form        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    claimed_by  TEXT NOT NULL DEFAULT '',
    deadline    TIMESTAMP NULL,
    opened_seq  BIGINT NOT NULL,
    closed_seq  BIGINT NULL,
    outcome     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX pratica_tasks_inbox ON pratica_tasks (ente, state, office, deadline);
CREATE UNIQUE INDEX pratica_tasks_open ON pratica_tasks (pratica_id, opened_seq);

-- +goose Down
DROP TABLE pratica_tasks;
