-- +goose Up
-- One row per message intent, written before IO is called: the unique key
-- (pratica and step, or campaign run and recipient) is what makes a retried
-- activity find the message it already sent instead of sending it twice.
CREATE TABLE appio_messages (
    id            TEXT PRIMARY KEY,
    idem_key      TEXT NOT NULL,
    ente          TEXT NOT NULL,
    service       TEXT NOT NULL,
    pratica_id    TEXT NOT NULL DEFAULT '',
    step          TEXT NOT NULL DEFAULT '',
    campaign      TEXT NOT NULL DEFAULT '',
    fiscal_code   TEXT NOT NULL,
    subject       TEXT NOT NULL,
    status        TEXT NOT NULL,
    io_message_id TEXT NOT NULL DEFAULT '',
    error         TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX appio_messages_key ON appio_messages (idem_key);
CREATE INDEX appio_messages_pratica ON appio_messages (pratica_id);
CREATE INDEX appio_messages_campaign ON appio_messages (campaign, created_at);

-- The registry of identity cards the expiry campaign reads; importable from CSV.
CREATE TABLE appio_id_cards (
    id          TEXT PRIMARY KEY,
    ente        TEXT NOT NULL,
    card_number TEXT NOT NULL,
    fiscal_code TEXT NOT NULL,
    given_name  TEXT NOT NULL DEFAULT '',
    expires_on  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX appio_id_cards_number ON appio_id_cards (ente, card_number);
CREATE INDEX appio_id_cards_expiry ON appio_id_cards (ente, expires_on);

-- +goose Down
DROP TABLE appio_id_cards;
DROP TABLE appio_messages;
