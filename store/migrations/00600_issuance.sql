-- +goose Up
-- Bollettazione massiva: a campaign (plan, creditor, dry run), its roll rows
-- (unique on the natural key ente × tax × year × debtor: no debtor is ever
-- issued twice for the same tax and year, whatever the campaign) and the rows
-- refused by validation, each problem with its line and field.
CREATE TABLE issuance_campaigns (
    id              TEXT PRIMARY KEY,
    ente            TEXT NOT NULL,
    org_fiscal_code TEXT NOT NULL,
    tax             TEXT NOT NULL,
    tax_year        INTEGER NOT NULL,
    plan            TEXT NOT NULL,
    creditor        TEXT NOT NULL,
    status          TEXT NOT NULL,
    dry_run         TEXT NOT NULL DEFAULT '',
    rows_total      INTEGER NOT NULL DEFAULT 0,
    rows_refused    INTEGER NOT NULL DEFAULT 0,
    rate            DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    confirmed_at    TIMESTAMP NULL,
    finished_at     TIMESTAMP NULL
);
CREATE INDEX issuance_campaigns_ente ON issuance_campaigns (ente, created_at);

CREATE TABLE issuance_rows (
    campaign_id TEXT NOT NULL REFERENCES issuance_campaigns (id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    ente        TEXT NOT NULL,
    tax         TEXT NOT NULL,
    tax_year    INTEGER NOT NULL,
    fiscal_code TEXT NOT NULL,
    debtor_type TEXT NOT NULL,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    components  TEXT NOT NULL,
    amount      BIGINT NOT NULL,
    iupd        TEXT NOT NULL,
    status      TEXT NOT NULL,
    position_id TEXT NULL,
    error       TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, line),
    UNIQUE (ente, tax, tax_year, fiscal_code)
);
CREATE INDEX issuance_rows_status ON issuance_rows (campaign_id, status, line);

CREATE TABLE issuance_refused (
    campaign_id TEXT NOT NULL REFERENCES issuance_campaigns (id) ON DELETE CASCADE,
    line        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    field       TEXT NOT NULL,
    message     TEXT NOT NULL,
    PRIMARY KEY (campaign_id, line, seq)
);

-- +goose Down
DROP TABLE issuance_refused;
DROP TABLE issuance_rows;
DROP TABLE issuance_campaigns;
