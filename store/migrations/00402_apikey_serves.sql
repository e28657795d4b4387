-- +goose Up
-- A key serves a stated set of enti (the intermediary's station: many; an ente's
-- key: its own), and remembers its creator's role and ente, so each use is
-- checked again against what the creator may do.
ALTER TABLE auth_api_keys ADD COLUMN serves TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_api_keys ADD COLUMN creator_role TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_api_keys ADD COLUMN creator_ente TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE auth_api_keys DROP COLUMN creator_ente;
ALTER TABLE auth_api_keys DROP COLUMN creator_role;
ALTER TABLE auth_api_keys DROP COLUMN serves;
