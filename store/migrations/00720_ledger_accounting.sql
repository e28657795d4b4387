-- +goose Up
-- Campaign accounting (accertamento when a position is issued, reversale per
-- component when its payment is reconciled) and notices issued elsewhere.
--
-- ledger_accruals: one row per position x component owed to the ente, the
-- accertamento it posted (unique: issuing retried posts nothing twice).
CREATE TABLE ledger_accruals (
    ente_cf      TEXT NOT NULL,
    iupd         TEXT NOT NULL,
    component    TEXT NOT NULL,
    ente         TEXT NOT NULL,
    campaign_id  TEXT NOT NULL DEFAULT '',
    intermediary TEXT NOT NULL DEFAULT '',
    capitolo     TEXT NOT NULL,
    articolo     TEXT NOT NULL DEFAULT '',
    accertamento TEXT NOT NULL DEFAULT '',
    amount       BIGINT NOT NULL,
    source       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (ente_cf, iupd, component)
);
CREATE INDEX ledger_accruals_campaign ON ledger_accruals (ente, campaign_id);

-- ledger_plan_lines: what each notice (IUV) of an accrued position splits
-- into, component by component: the reversale of a reconciled payment follows it.
CREATE TABLE ledger_plan_lines (
    ente_cf        TEXT NOT NULL,
    iuv            TEXT NOT NULL,
    transfer_index INTEGER NOT NULL,
    iupd           TEXT NOT NULL,
    component      TEXT NOT NULL,
    amount         BIGINT NOT NULL,
    notice_number  TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL,
    PRIMARY KEY (ente_cf, iuv, transfer_index)
);
CREATE INDEX ledger_plan_lines_position ON ledger_plan_lines (ente_cf, iupd);

-- Entries of a campaign carry it, so its report reads the ledger itself.
ALTER TABLE ledger_entries ADD COLUMN campaign_id TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_lines ADD COLUMN accertamento TEXT NOT NULL DEFAULT '';
CREATE INDEX ledger_entries_campaign ON ledger_entries (ente, campaign_id);

-- +goose Down
DROP INDEX ledger_entries_campaign;
ALTER TABLE ledger_lines DROP COLUMN accertamento;
ALTER TABLE ledger_entries DROP COLUMN campaign_id;
DROP TABLE ledger_plan_lines;
DROP TABLE ledger_accruals;
