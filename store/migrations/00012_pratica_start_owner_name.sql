-- +goose Up
-- The citizen's name as the identity provider gave it at the start, so the
-- workflow names the debtor on pagoPA notices by name, not by codice fiscale,
-- also when the reconciler is the one that starts it.
ALTER TABLE pratica_starts ADD COLUMN owner_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE pratica_starts DROP COLUMN owner_name;
