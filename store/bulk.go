package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// Inserter writes a slice of GORM rows (a []T or *[]T of a model) inside the
// transaction of BulkTx, into table or, when table is "", the model's table.
type Inserter func(table string, rows any) error

// BulkTx runs f in one transaction, like Tx, and gives it an Inserter for
// large writes: on PostgreSQL it sends the rows with COPY (one round trip a
// table, no statement to parse), elsewhere with multi-row INSERTs of batch
// rows. A row that breaks a unique key fails the transaction with
// gorm.ErrDuplicatedKey on both engines.
func BulkTx(ctx context.Context, db *gorm.DB, batch int, f func(tx *gorm.DB, ins Inserter) error) error {
	if db.Dialector.Name() != Postgres {
		return Tx(ctx, db, func(tx *gorm.DB) error {
			return f(tx, func(table string, rows any) error {
				if table != "" {
					return tx.Table(table).CreateInBatches(rows, batch).Error
				}
				return tx.CreateInBatches(rows, batch).Error
			})
		})
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("bulk transaction: %w", err)
	}
	// COPY needs the driver's own connection, so the transaction runs on one
	// connection taken from the pool, GORM's statements included.
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk transaction: %w", err)
	}
	defer conn.Close()
	sess := db.Session(&gorm.Session{Context: ctx, NewDB: true})
	sess.Statement.ConnPool = conn
	return sess.Transaction(func(tx *gorm.DB) error {
		return f(tx, func(table string, rows any) error { return copyRows(ctx, tx, conn, table, rows) })
	})
}

// copyRows sends rows through COPY on conn, columns as the model maps them.
func copyRows(ctx context.Context, tx *gorm.DB, conn *sql.Conn, table string, rows any) error {
	v := reflect.Indirect(reflect.ValueOf(rows))
	if v.Kind() != reflect.Slice {
		return fmt.Errorf("bulk insert: %T is not a slice", rows)
	}
	if v.Len() == 0 {
		return nil
	}
	stmt := &gorm.Statement{DB: tx}
	if err := stmt.Parse(v.Index(0).Addr().Interface()); err != nil {
		return fmt.Errorf("bulk insert: %w", err)
	}
	if table == "" {
		table = stmt.Schema.Table
	}
	var cols []string
	for _, fld := range stmt.Schema.Fields {
		if fld.DBName != "" {
			cols = append(cols, fld.DBName)
		}
	}
	n := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if n == v.Len() {
			return nil, nil
		}
		rv := v.Index(n)
		n++
		vals := make([]any, 0, len(cols))
		for _, fld := range stmt.Schema.Fields {
			if fld.DBName == "" {
				continue
			}
			x, _ := fld.ValueOf(ctx, rv)
			vals = append(vals, x)
		}
		return vals, nil
	})
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk insert: driver connection %T is not pgx", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
	if pe, ok := err.(*pgconn.PgError); ok && pe.Code == "23505" {
		return fmt.Errorf("copy into %s: %w (%s)", table, gorm.ErrDuplicatedKey, pe.Message)
	}
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

// TempLike creates a temporary table name shaped like table, dropped when the
// transaction ends (on SQLite by the returned drop, which must run before commit).
func TempLike(tx *gorm.DB, name, table string) (drop func() error, err error) {
	if tx.Dialector.Name() == Postgres {
		err = tx.Exec("CREATE TEMP TABLE " + name + " (LIKE " + table + ") ON COMMIT DROP").Error
		return func() error { return nil }, err
	}
	err = tx.Exec("CREATE TEMP TABLE " + name + " AS SELECT * FROM " + table + " WHERE 1 = 0").Error
	return func() error { return tx.Exec("DROP TABLE temp." + name).Error }, err
}
