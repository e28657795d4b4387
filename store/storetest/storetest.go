// Package storetest gives each test a fresh, migrated database: SQLite always,
// and PostgreSQL too when TEST_POSTGRES_DSN is set (make test sets it, and CI
// fails without it).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store"
)

// EnvPostgres names the variable holding the PostgreSQL DSN for tests.
const EnvPostgres = "TEST_POSTGRES_DSN"

// Each runs f on a fresh SQLite database and, when TEST_POSTGRES_DSN is set, on a
// fresh PostgreSQL schema, as subtests named "sqlite" and "postgres".
func Each(t *testing.T, f func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	t.Run(store.SQLite, func(t *testing.T) { f(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) != "" || os.Getenv("CI") != "" {
		t.Run(store.Postgres, func(t *testing.T) { f(t, Postgres(t)) })
	}
}

// PostgresDSN returns TEST_POSTGRES_DSN. Without it the test skips, saying so,
// except in CI (CI set), where it fails: make test (scripts/testenv) starts a
// throwaway cluster when PostgreSQL is installed.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		msg := "TEST_POSTGRES_DSN not set: PostgreSQL tests need it (make test starts a throwaway cluster when PostgreSQL is installed)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dsn
}

// SQLite opens a migrated SQLite database in the test's temporary folder.
func SQLite(t testing.TB) *gorm.DB {
	t.Helper()
	db, err := store.Open(store.SQLite, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	migrate(t, db)
	return db
}

// Postgres opens a migrated PostgreSQL schema of its own, dropped at the end of
// the test. Without TEST_POSTGRES_DSN it skips, or fails in CI (PostgresDSN).
func Postgres(t testing.TB) *gorm.DB {
	t.Helper()
	dsn := PostgresDSN(t)
	admin, err := store.Open(store.Postgres, dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "t_" + randomHex(8)
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(store.Postgres, WithSearchPath(dsn, schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	migrate(t, db)
	return db
}

// WithSearchPath returns dsn (URL or key=value form) with search_path set to schema.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}

func migrate(t testing.TB, db *gorm.DB) {
	t.Helper()
	if err := store.Migrate(context.Background(), db, nil); err != nil {
		t.Fatal(err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Tamper runs statements that change or remove rows of the immutable tables,
// as someone with the database's owner rights could: it drops the triggers
// first. Tests of tamper detection (the audit chain) use it.
func Tamper(t testing.TB, db *gorm.DB, stmts ...string) {
	t.Helper()
	for _, tbl := range store.ImmutableTables {
		drops := []string{"DROP TRIGGER IF EXISTS " + tbl + "_no_update", "DROP TRIGGER IF EXISTS " + tbl + "_no_delete"}
		if store.Dialect(db) == store.Postgres {
			drops = []string{"DROP TRIGGER IF EXISTS " + tbl + "_immutable ON " + tbl}
		}
		for _, s := range drops {
			if err := db.Exec(s).Error; err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	for _, s := range stmts {
		if err := db.Exec(s).Error; err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
