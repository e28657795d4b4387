-- +goose Up
-- The head of the audit chain, moved in the same transaction as each append, so
-- that deleting the last rows of the log is detected like any other break.
CREATE TABLE auth_audit_head (
    id   INTEGER PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO auth_audit_head (id, seq, hash)
SELECT 1, seq, hash FROM auth_audit WHERE seq = (SELECT MAX(seq) FROM auth_audit);

-- +goose Down
DROP TABLE auth_audit_head;
