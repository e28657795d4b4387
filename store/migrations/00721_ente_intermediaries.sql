-- +goose Up
-- Multi-intermediazione: the further pagoPA intermediaries of an ente, as
-- JSON (id, name, fiscal code, segregation code, the name of its secret).
ALTER TABLE catalog_enti ADD COLUMN intermediaries TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE catalog_enti DROP COLUMN intermediaries;
