-- +goose Up
-- Staff roles per person (a codice fiscale, or "<country>-<id>" of a foreign
-- eIDAS user) in an ente, with the offices they work for. The authorizer loads
-- the live rows as casbin grouping policies; a revocation keeps the row, with who
-- revoked it and when, so the table is also the history of every assignment.
CREATE TABLE auth_role_assignments (
    id          TEXT PRIMARY KEY,
    person      TEXT NOT NULL,
    ente        TEXT NOT NULL,
    role        TEXT NOT NULL,
    offices     TEXT NOT NULL DEFAULT '',
    granted_by  TEXT NOT NULL,
    granted_at  TIMESTAMP NOT NULL,
    revoked_by  TEXT NOT NULL DEFAULT '',
    revoked_at  TIMESTAMP NULL
);
CREATE UNIQUE INDEX auth_role_assignments_live ON auth_role_assignments (person, ente, role) WHERE revoked_at IS NULL;
CREATE INDEX auth_role_assignments_ente ON auth_role_assignments (ente, granted_at);

-- A key made by someone acting in an assigned role remembers the person, so each
-- use checks that the assignment still stands: revoking it disarms their keys.
ALTER TABLE auth_api_keys ADD COLUMN creator_person TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE auth_api_keys DROP COLUMN creator_person;
DROP TABLE auth_role_assignments;
