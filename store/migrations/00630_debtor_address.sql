-- +goose Up
-- The debtor's postal address on a position (GPD's streetName, civicNumber,
-- postalCode, city, province, country): printed on the notice, and the order
-- of the print file for postal dispatch. Empty for positions without one.
ALTER TABLE pagopa_positions ADD COLUMN debtor_street TEXT NOT NULL DEFAULT '';
ALTER TABLE pagopa_positions ADD COLUMN debtor_civic TEXT NOT NULL DEFAULT '';
ALTER TABLE pagopa_positions ADD COLUMN debtor_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE pagopa_positions ADD COLUMN debtor_city TEXT NOT NULL DEFAULT '';
ALTER TABLE pagopa_positions ADD COLUMN debtor_province TEXT NOT NULL DEFAULT '';
ALTER TABLE pagopa_positions ADD COLUMN debtor_country TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE pagopa_positions DROP COLUMN debtor_country;
ALTER TABLE pagopa_positions DROP COLUMN debtor_province;
ALTER TABLE pagopa_positions DROP COLUMN debtor_city;
ALTER TABLE pagopa_positions DROP COLUMN debtor_postal_code;
ALTER TABLE pagopa_positions DROP COLUMN debtor_civic;
ALTER TABLE pagopa_positions DROP COLUMN debtor_street;
