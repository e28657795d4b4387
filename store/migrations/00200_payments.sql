-- +goose Up
-- pagoPA payments: debt positions (GPD model), their options and transfers,
-- receipts (unique on receiptId: the node may send one twice), anomalies and
-- the per-ente IUV sequences.
CREATE TABLE pagopa_iuv_sequences (
    org_fiscal_code TEXT NOT NULL,
    prefix          TEXT NOT NULL,
    last            BIGINT NOT NULL,
    PRIMARY KEY (org_fiscal_code, prefix)
);

CREATE TABLE pagopa_positions (
    id                 TEXT PRIMARY KEY,
    iupd               TEXT NOT NULL,
    org_fiscal_code    TEXT NOT NULL,
    ente               TEXT NOT NULL,
    creditor           TEXT NOT NULL,
    debtor_type        TEXT NOT NULL,
    debtor_fiscal_code TEXT NOT NULL,
    debtor_name        TEXT NOT NULL,
    debtor_email       TEXT NOT NULL DEFAULT '',
    subject            TEXT NOT NULL,
    service_id         TEXT NOT NULL DEFAULT '',
    pratica_id         TEXT NULL,
    status             TEXT NOT NULL,
    switch_to_expired  BOOLEAN NOT NULL DEFAULT FALSE,
    validity_date      TIMESTAMP NULL,
    synced             BOOLEAN NOT NULL DEFAULT FALSE,
    paid_at            TIMESTAMP NULL,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (org_fiscal_code, iupd)
);
CREATE INDEX pagopa_positions_debtor ON pagopa_positions (debtor_fiscal_code, created_at);
CREATE INDEX pagopa_positions_pratica ON pagopa_positions (pratica_id);
CREATE INDEX pagopa_positions_ente ON pagopa_positions (ente, status);

CREATE TABLE pagopa_options (
    position_id     TEXT NOT NULL REFERENCES pagopa_positions (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    org_fiscal_code TEXT NOT NULL,
    iuv             TEXT NOT NULL,
    notice_number   TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    description     TEXT NOT NULL,
    due_date        TIMESTAMP NOT NULL,
    installment     BOOLEAN NOT NULL,
    status          TEXT NOT NULL,
    receipt_id      TEXT NOT NULL DEFAULT '',
    paid_at         TIMESTAMP NULL,
    PRIMARY KEY (position_id, seq),
    UNIQUE (org_fiscal_code, iuv),
    UNIQUE (org_fiscal_code, notice_number)
);

CREATE TABLE pagopa_transfers (
    position_id     TEXT NOT NULL,
    option_seq      INTEGER NOT NULL,
    id_transfer     INTEGER NOT NULL,
    amount          BIGINT NOT NULL,
    org_fiscal_code TEXT NOT NULL,
    company_name    TEXT NOT NULL DEFAULT '',
    iban            TEXT NOT NULL,
    postal_iban     TEXT NOT NULL DEFAULT '',
    remittance      TEXT NOT NULL,
    category        TEXT NOT NULL,
    PRIMARY KEY (position_id, option_seq, id_transfer),
    FOREIGN KEY (position_id, option_seq) REFERENCES pagopa_options (position_id, seq) ON DELETE CASCADE
);

CREATE TABLE pagopa_receipts (
    receipt_id        TEXT PRIMARY KEY,
    org_fiscal_code   TEXT NOT NULL,
    notice_number     TEXT NOT NULL,
    iuv               TEXT NOT NULL,
    position_id       TEXT NULL,
    outcome           TEXT NOT NULL,
    amount            BIGINT NOT NULL,
    psp_id            TEXT NOT NULL,
    psp_name          TEXT NOT NULL,
    payment_date_time TIMESTAMP NULL,
    source            TEXT NOT NULL,
    body              TEXT NOT NULL,
    received_at       TIMESTAMP NOT NULL
);
CREATE INDEX pagopa_receipts_notice ON pagopa_receipts (org_fiscal_code, notice_number);

CREATE TABLE pagopa_anomalies (
    id              TEXT PRIMARY KEY,
    receipt_id      TEXT NOT NULL UNIQUE,
    org_fiscal_code TEXT NOT NULL,
    notice_number   TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    body            TEXT NOT NULL,
    resolved        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX pagopa_anomalies_org ON pagopa_anomalies (org_fiscal_code, created_at);

-- +goose Down
DROP TABLE pagopa_anomalies;
DROP TABLE pagopa_receipts;
DROP TABLE pagopa_transfers;
DROP TABLE pagopa_options;
DROP TABLE pagopa_positions;
DROP TABLE pagopa_iuv_sequences;
