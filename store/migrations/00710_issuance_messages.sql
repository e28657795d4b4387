-- +goose Up
-- The App IO messages of an issuance campaign: one row per debtor × kind
-- (the notice with the payment data, a reminder before an installment's due
-- date) × installment, written before IO is called (status sending) and moved
-- to its outcome after: the primary key is what keeps a retried or restarted
-- activity from sending the same message twice.
CREATE TABLE issuance_messages (
    campaign_id   TEXT NOT NULL REFERENCES issuance_campaigns (id) ON DELETE CASCADE,
    fiscal_code   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    installment   INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    notice_number TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    io_message_id TEXT NOT NULL DEFAULT '',
    error         TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, fiscal_code, kind, installment)
);
CREATE INDEX issuance_messages_status ON issuance_messages (campaign_id, kind, status, line);

-- +goose Down
DROP TABLE issuance_messages;
