package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"
)

// ImmutableTables are the tables whose rows are never changed nor removed: the
// ledger (corrections are reversal entries) and the audit log. Triggers in the
// database refuse UPDATE and DELETE, so it holds for every client, not only ours.
var ImmutableTables = []string{"ledger_entries", "ledger_lines", "auth_audit"}

// immutableVersion is the migration that adds the triggers. It is a Go
// migration because trigger syntax differs between SQLite and PostgreSQL.
const immutableVersion = 403

func immutableMigration(d string) *goose.Migration {
	return goose.NewGoMigration(immutableVersion,
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, immutableUp(d)) }},
		&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return execAll(ctx, tx, immutableDown(d)) }})
}

func immutableUp(d string) []string {
	var out []string
	if d == Postgres {
		out = append(out, `CREATE OR REPLACE FUNCTION sportello_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of % are immutable (%): post a reversal instead', TG_TABLE_NAME, TG_OP;
END $$`)
	}
	for _, t := range ImmutableTables {
		if d == Postgres {
			out = append(out, fmt.Sprintf(`CREATE TRIGGER %[1]s_immutable BEFORE UPDATE OR DELETE ON %[1]s
FOR EACH ROW EXECUTE FUNCTION sportello_immutable()`, t))
			continue
		}
		for _, op := range []string{"UPDATE", "DELETE"} {
			out = append(out, fmt.Sprintf(`CREATE TRIGGER %[1]s_no_%[2]s BEFORE %[3]s ON %[1]s
BEGIN SELECT RAISE(ABORT, 'rows of %[1]s are immutable (%[3]s): post a reversal instead'); END`, t, map[string]string{"UPDATE": "update", "DELETE": "delete"}[op], op))
		}
	}
	return out
}

func immutableDown(d string) []string {
	var out []string
	for _, t := range ImmutableTables {
		if d == Postgres {
			out = append(out, fmt.Sprintf("DROP TRIGGER IF EXISTS %[1]s_immutable ON %[1]s", t))
			continue
		}
		out = append(out, fmt.Sprintf("DROP TRIGGER IF EXISTS %s_no_update", t), fmt.Sprintf("DROP TRIGGER IF EXISTS %s_no_delete", t))
	}
	if d == Postgres {
		out = append(out, "DROP FUNCTION IF EXISTS sportello_immutable()")
	}
	return out
}

func execAll(ctx context.Context, tx *sql.Tx, stmts []string) error {
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}
