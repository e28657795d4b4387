package store

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// inboxStatsVersion is the migration that tells PostgreSQL's planner how the
// inbox's filter columns go together. A Go migration: SQLite has no
// extended statistics, so there it records its version and does nothing.
const inboxStatsVersion = 772

// inboxStatsMigration adds extended statistics over the columns every inbox
// page filters on. An ente's offices and services are not independent (an
// office handles some services), and estimated as if they were, a service
// filter looked eight times rarer than it is: the planner then read every
// matching task and sorted them (10 ms a page at 100,000 tasks) instead of
// walking the index in the page's order and stopping at the page's end
// (0.3 ms). EXPLAIN in bench/perf's TestInboxServicePageWalksTheIndex.
func inboxStatsMigration(d string) *goose.Migration {
	up, down := []string(nil), []string(nil)
	if d == Postgres {
		up = []string{
			"CREATE STATISTICS pratica_tasks_scope_stats (dependencies, mcv) ON ente, office, service, state FROM pratica_tasks",
			"ANALYZE pratica_tasks",
		}
		down = []string{"DROP STATISTICS IF EXISTS pratica_tasks_scope_stats"}
	}
	return goose.NewGoMigration(inboxStatsVersion,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, up) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, down) }})
}
