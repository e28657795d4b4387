-- +goose Up
-- One row per e-mail of a notify step, written before the SMTP server is
-- called: the unique key (pratica, step, sequence) is what makes a retried
-- activity find the message it already sent instead of sending it twice.
CREATE TABLE email_messages (
    id          TEXT PRIMARY KEY,
    idem_key    TEXT NOT NULL,
    ente        TEXT NOT NULL,
    service     TEXT NOT NULL,
    pratica_id  TEXT NOT NULL DEFAULT '',
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    status      TEXT NOT NULL,
    error       TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX email_messages_key ON email_messages (idem_key);
CREATE INDEX email_messages_pratica ON email_messages (pratica_id);

-- +goose Down
DROP TABLE email_messages;
