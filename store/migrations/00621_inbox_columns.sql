-- +goose Up
-- The operator inbox at volume: each task row carries its pratica's service and
-- its applicant's name (copied when the task opens), so the inbox filters,
-- sorts and searches one table. Partial indexes hold only the open and claimed
-- tasks, the only ones an inbox lists by default, in deadline order per ente,
-- and per ente and service or office: a page of the most urgent is an index
-- range read however many tasks are closed.
ALTER TABLE pratica_tasks ADD COLUMN service TEXT NOT NULL DEFAULT '';
ALTER TABLE pratica_tasks ADD COLUMN applicant TEXT NOT NULL DEFAULT '';

UPDATE pratica_tasks SET
    service = COALESCE((SELECT p.service FROM pratiche p WHERE p.id = pratica_tasks.pratica_id), ''),
    applicant = COALESCE((SELECT s.owner_name FROM pratica_starts s WHERE s.pratica_id = pratica_tasks.pratica_id), '');

CREATE INDEX pratica_tasks_live_deadline ON pratica_tasks (ente, deadline, created_at, id)
    WHERE state IN ('open', 'claimed');
CREATE INDEX pratica_tasks_live_service ON pratica_tasks (ente, service, deadline, created_at, id)
    WHERE state IN ('open', 'claimed');
CREATE INDEX pratica_tasks_live_office ON pratica_tasks (ente, office, deadline, created_at, id)
    WHERE state IN ('open', 'claimed');
CREATE INDEX pratica_tasks_live_created ON pratica_tasks (ente, created_at, id)
    WHERE state IN ('open', 'claimed');
CREATE INDEX pratica_tasks_live_applicant ON pratica_tasks (ente, applicant, deadline, created_at, id)
    WHERE state IN ('open', 'claimed');

-- +goose Down
DROP INDEX pratica_tasks_live_applicant;
DROP INDEX pratica_tasks_live_created;
DROP INDEX pratica_tasks_live_office;
DROP INDEX pratica_tasks_live_service;
DROP INDEX pratica_tasks_live_deadline;
ALTER TABLE pratica_tasks DROP COLUMN applicant;
ALTER TABLE pratica_tasks DROP COLUMN service;
