// Package store is the shared database plumbing: opening SQLite or PostgreSQL
// through GORM, and the versioned migrations every domain package's tables come from.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite "github.com/libtnb/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Drivers this package opens.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open connects to the database named by driver and dsn. For SQLite the dsn is a
// file path; its folder is created when missing.
func Open(driver, dsn string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	}
	switch driver {
	case SQLite:
		if dsn == "" {
			return nil, errors.New("database dsn: a file path is required")
		}
		if !strings.HasPrefix(dsn, "file:") && dsn != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(dsn), 0o755); err != nil {
				return nil, fmt.Errorf("database dsn: %w", err)
			}
		}
		db, err := gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		// One writer at a time is SQLite's rule; a small pool keeps readers going
		// while immediate transactions queue on busy_timeout.
		sqlDB.SetMaxOpenConns(4)
		return db, nil
	case Postgres:
		db, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %s", Redact(err.Error(), dsn))
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		// Keep every connection the pool opens: database/sql keeps two idle by
		// default, so under load each burst closed the rest and reopened them
		// (a PostgreSQL backend process each, milliseconds per request).
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	default:
		return nil, fmt.Errorf("database driver: %q is not one of sqlite, postgres", driver)
	}
}

// sqliteDSN turns a path into a modernc DSN with the pragmas we rely on: WAL for
// concurrent readers, a busy timeout so writers queue, foreign keys on, and
// immediate transactions so a read-then-write never fails on lock upgrade.
func sqliteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Dialect names the engine behind db.
func Dialect(db *gorm.DB) string {
	if db.Dialector.Name() == "postgres" {
		return Postgres
	}
	return SQLite
}

// Migrate applies every pending migration. On PostgreSQL a session advisory lock
// makes concurrent starts safe: the second process waits, then finds nothing to do.
func Migrate(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true), goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(immutableMigration(Dialect(db)), trigramMigration(Dialect(db)),
			inboxStatsMigration(Dialect(db)))}
	dialect := goose.DialectSQLite3
	if Dialect(db) == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, sqlDB, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if log != nil && len(results) > 0 {
		log.Info("database migrated", "applied", len(results), "version", results[len(results)-1].Source.Version)
	}
	return nil
}

// Version is the latest applied migration.
func Version(ctx context.Context, db *gorm.DB) (int64, error) {
	var v int64
	err := db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").Scan(&v).Error
	return v, err
}

// Ping checks the connection.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Redact removes the password of dsn from s, so errors and logs never carry it.
func Redact(s, dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			s = strings.ReplaceAll(s, p, "xxxxx")
		}
	}
	for _, f := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(f, "password="); ok && v != "" {
			s = strings.ReplaceAll(s, v, "xxxxx")
		}
	}
	return s
}
