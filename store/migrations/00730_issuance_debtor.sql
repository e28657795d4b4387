-- +goose Up
-- TARI online: a citizen reads their own positions of every campaign by their
-- codice fiscale, newest tax year first.
CREATE INDEX issuance_rows_debtor ON issuance_rows (fiscal_code, status, tax_year);

-- +goose Down
DROP INDEX issuance_rows_debtor;
