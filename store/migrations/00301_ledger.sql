-- +goose Up
-- Flussi di rendicontazione: a PSP may send a flow again up to four days
-- later, so the flow id is unique per ente and a re-import is a no-op.
CREATE TABLE ledger_flows (
    id              TEXT PRIMARY KEY,
    ente            TEXT NOT NULL,
    ente_cf         TEXT NOT NULL,
    flow_id         TEXT NOT NULL,
    revision        INTEGER NOT NULL DEFAULT 0,
    psp             TEXT NOT NULL,
    psp_name        TEXT NOT NULL DEFAULT '',
    flow_date       TIMESTAMP NOT NULL,
    regulation      TEXT NOT NULL,
    regulation_date TEXT NOT NULL,
    payments        INTEGER NOT NULL,
    total           BIGINT NOT NULL,
    digest          TEXT NOT NULL,
    source          TEXT NOT NULL,
    imported_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ledger_flows_key ON ledger_flows (ente_cf, flow_id);
CREATE INDEX ledger_flows_day ON ledger_flows (ente_cf, regulation_date);

CREATE TABLE ledger_flow_lines (
    flow_id        TEXT NOT NULL REFERENCES ledger_flows (id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    iuv            TEXT NOT NULL,
    iur            TEXT NOT NULL,
    transfer_index INTEGER NOT NULL DEFAULT 0,
    amount         BIGINT NOT NULL,
    outcome        TEXT NOT NULL,
    paid_on        TEXT NOT NULL,
    PRIMARY KEY (flow_id, idx)
);
CREATE INDEX ledger_flow_lines_iuv ON ledger_flow_lines (iuv, iur);

-- Treasury movements from the giornale di cassa; a bank may resend a journal.
CREATE TABLE ledger_movements (
    id          TEXT PRIMARY KEY,
    ente        TEXT NOT NULL,
    ente_cf     TEXT NOT NULL,
    journal_id  TEXT NOT NULL,
    move_key    TEXT NOT NULL,
    account     TEXT NOT NULL,
    direction   TEXT NOT NULL,
    doc_type    TEXT NOT NULL,
    operation   TEXT NOT NULL,
    number      BIGINT NOT NULL,
    amount      BIGINT NOT NULL,
    booked_on   TEXT NOT NULL,
    customer    TEXT NOT NULL DEFAULT '',
    causale     TEXT NOT NULL,
    flow_ref    TEXT NOT NULL DEFAULT '',
    iuv_ref     TEXT NOT NULL DEFAULT '',
    imported_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ledger_movements_key ON ledger_movements (move_key);
CREATE INDEX ledger_movements_day ON ledger_movements (ente_cf, booked_on);

-- The outcome of matching each item (receipt, flow, treasury credit), updated by every run.
CREATE TABLE ledger_matches (
    item_key    TEXT PRIMARY KEY,
    ente        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    day         TEXT NOT NULL,
    iuv         TEXT NOT NULL DEFAULT '',
    flow_id     TEXT NOT NULL DEFAULT '',
    movement_id TEXT NOT NULL DEFAULT '',
    amount      BIGINT NOT NULL DEFAULT 0,
    expected    BIGINT NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX ledger_matches_day ON ledger_matches (ente, day);

-- What does not match waits here for an operator.
CREATE TABLE ledger_exceptions (
    id          TEXT PRIMARY KEY,
    ex_key      TEXT NOT NULL,
    ente        TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    reason_it   TEXT NOT NULL,
    reason_en   TEXT NOT NULL,
    day         TEXT NOT NULL,
    pratica_id  TEXT NOT NULL DEFAULT '',
    position    TEXT NOT NULL DEFAULT '',
    iuv         TEXT NOT NULL DEFAULT '',
    flow_id     TEXT NOT NULL DEFAULT '',
    movement_id TEXT NOT NULL DEFAULT '',
    amount      BIGINT NOT NULL DEFAULT 0,
    expected    BIGINT NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    resolution  TEXT NOT NULL DEFAULT '',
    resolved_by TEXT NOT NULL DEFAULT '',
    resolved_at TIMESTAMP NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ledger_exceptions_key ON ledger_exceptions (ex_key);
CREATE INDEX ledger_exceptions_queue ON ledger_exceptions (ente, status, day);

-- Double-entry accounting: entries are immutable, corrections are reversals,
-- and one source event posts one entry at most.
CREATE TABLE ledger_entries (
    id          TEXT PRIMARY KEY,
    ente        TEXT NOT NULL,
    source_key  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reverses    TEXT NOT NULL DEFAULT '',
    posted_on   TEXT NOT NULL,
    description TEXT NOT NULL,
    pratica_id  TEXT NOT NULL DEFAULT '',
    iuv         TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_source ON ledger_entries (source_key);
CREATE INDEX ledger_entries_day ON ledger_entries (ente, posted_on);

CREATE TABLE ledger_lines (
    entry_id TEXT NOT NULL REFERENCES ledger_entries (id),
    line     INTEGER NOT NULL,
    account  TEXT NOT NULL,
    capitolo TEXT NOT NULL DEFAULT '',
    articolo TEXT NOT NULL DEFAULT '',
    debit    BIGINT NOT NULL DEFAULT 0,
    credit   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (entry_id, line)
);

-- +goose Down
DROP TABLE ledger_lines;
DROP TABLE ledger_entries;
DROP TABLE ledger_exceptions;
DROP TABLE ledger_matches;
DROP TABLE ledger_movements;
DROP TABLE ledger_flow_lines;
DROP TABLE ledger_flows;
