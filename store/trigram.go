package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// trigramVersion is the migration that indexes the inbox search on PostgreSQL.
// It is a Go migration because only PostgreSQL has the trigram extension: on
// SQLite it records its version and does nothing (the search reads the
// ente's live tasks there, which is fine at a single office's size).
const trigramVersion = 771

// trigramMigration adds pg_trgm, a GIN trigram index on the applicant's name
// in lower case and a pattern index on the pratica id in lower case, so the
// inbox's ?q= (any part of the name, or the start of the id) can be a bitmap
// OR of two index scans instead of a read of every live task.
func trigramMigration(d string) *goose.Migration {
	return goose.NewGoMigration(trigramVersion,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return trigramUp(ctx, tx, d) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, trigramDown(d)) }})
}

func trigramUp(ctx context.Context, tx *sql.Tx, d string) error {
	if d != Postgres {
		return nil
	}
	// A trusted extension since PostgreSQL 13: the database's owner may create
	// it. In public, not in the first schema of the search path: a schema of
	// its own (tests, perf runs) would take the extension with it when dropped.
	if _, err := tx.ExecContext(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"); err != nil {
		return fmt.Errorf("create extension pg_trgm: %w", err)
	}
	var schema string
	err := tx.QueryRowContext(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
		WHERE e.extname = 'pg_trgm'`).Scan(&schema)
	if err != nil {
		return fmt.Errorf("find extension pg_trgm: %w", err)
	}
	ops := `"` + schema + `".gin_trgm_ops`
	// Over every task, not only the live ones: the planner takes the
	// statistics of an indexed expression from a full index only, and without
	// them it guesses that any substring is rare and prefers the trigram scan
	// even for a first name a fifth of the inbox carries.
	return execAll(ctx, tx, []string{
		`CREATE INDEX pratica_tasks_applicant_trgm ON pratica_tasks USING gin (LOWER(applicant) ` + ops + `)`,
		`CREATE INDEX pratica_tasks_id_lower ON pratica_tasks (LOWER(pratica_id) text_pattern_ops)`,
		`ANALYZE pratica_tasks`,
	})
}

func trigramDown(d string) []string {
	if d != Postgres {
		return nil
	}
	// The extension stays: other schemas of the same database may use it.
	return []string{"DROP INDEX IF EXISTS pratica_tasks_id_lower", "DROP INDEX IF EXISTS pratica_tasks_applicant_trgm"}
}
