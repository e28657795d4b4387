-- +goose Up
-- The inbox counts its total on every page. An operator of an office sees that
-- office's tasks and those of no office; with a service filter or a search the
-- count read every live task of the ente from the table. This partial index
-- holds every column those filters look at, so each count is an index-only
-- scan of the live tasks (EXPLAIN in bench/perf's TestInboxCountsAreIndexOnly).
CREATE INDEX pratica_tasks_live_scope ON pratica_tasks (ente, office, service, state, deadline, applicant, pratica_id)
    WHERE state IN ('open', 'claimed');

-- +goose Down
DROP INDEX pratica_tasks_live_scope;
