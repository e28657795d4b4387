-- +goose Up
-- Access control: casbin policies, browser sessions, API keys, the audit chain.
CREATE TABLE casbin_rule (
    id    TEXT PRIMARY KEY,
    ptype TEXT NOT NULL,
    v0    TEXT NOT NULL DEFAULT '',
    v1    TEXT NOT NULL DEFAULT '',
    v2    TEXT NOT NULL DEFAULT '',
    v3    TEXT NOT NULL DEFAULT '',
    v4    TEXT NOT NULL DEFAULT '',
    v5    TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX casbin_rule_unique ON casbin_rule (ptype, v0, v1, v2, v3, v4, v5);

-- One row: bumped on every policy write, so every process reloads on change.
CREATE TABLE casbin_version (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO casbin_version (name, version) VALUES ('policy', 0);

-- Browser sessions live here rather than in a signed cookie: logout and
-- revocation take effect at once, and no signing key has to be shared between
-- server processes. The cookie carries a random token; only its sha256 is stored.
CREATE TABLE auth_sessions (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    principal   TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX auth_sessions_token ON auth_sessions (token_hash);

-- Pending browser logins: the PKCE verifier and nonce, keyed by the state.
CREATE TABLE auth_logins (
    state       TEXT PRIMARY KEY,
    verifier    TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    return_to   TEXT NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);

CREATE TABLE auth_api_keys (
    id            TEXT PRIMARY KEY,
    prefix        TEXT NOT NULL,
    secret_hash   TEXT NOT NULL,
    name          TEXT NOT NULL,
    ente          TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    revoked_at    TIMESTAMP NULL,
    last_used_at  TIMESTAMP NULL
);
CREATE UNIQUE INDEX auth_api_keys_prefix ON auth_api_keys (prefix);
CREATE UNIQUE INDEX auth_api_keys_hash ON auth_api_keys (secret_hash);
CREATE INDEX auth_api_keys_ente ON auth_api_keys (ente, created_at);

-- Append-only: each row carries sha256(previous hash + its own canonical content).
CREATE TABLE auth_audit (
    id          TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL,
    at          TIMESTAMP NOT NULL,
    subject     TEXT NOT NULL,
    role        TEXT NOT NULL,
    ente        TEXT NOT NULL,
    domain      TEXT NOT NULL,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    address     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    status      INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE UNIQUE INDEX auth_audit_seq ON auth_audit (seq);
CREATE INDEX auth_audit_ente ON auth_audit (domain, seq);

-- +goose Down
DROP TABLE auth_audit;
DROP TABLE auth_api_keys;
DROP TABLE auth_logins;
DROP TABLE auth_sessions;
DROP TABLE casbin_version;
DROP TABLE casbin_rule;
