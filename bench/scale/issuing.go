// Package scale measures the platform at a region's size, each figure next
// to a baseline of the same work done by the database alone: issuing a TARI
// roll against COPY, reconciling a million FdR lines against a hash join.
// The benchmarks in bench and the rows of make perf call it.
package scale

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store"
)

// IssuingFigures is one measure of issuing n debtors × 4 options: the store
// (pagopa.Store.CreateMany by chunks of 500, what a campaign's chunk activity
// calls) and, on PostgreSQL, a raw COPY of the same rows in one transaction.
type IssuingFigures struct {
	N     int
	Store time.Duration
	Copy  time.Duration // zero on SQLite
}

// MeasureIssuing seeds the catalog in db and issues n demo debtors both ways.
func MeasureIssuing(ctx context.Context, db *gorm.DB, n int) (IssuingFigures, error) {
	f := IssuingFigures{N: n}
	if err := catalog.Seed(ctx, db); err != nil {
		return f, err
	}
	ente, err := catalog.NewStore(db).GetEnte(ctx, catalog.Trieste)
	if err != nil {
		return f, err
	}
	cr := pagopa.Creditor{Ente: ente.ID, FiscalCode: ente.FiscalCode, Name: ente.Name, AuxDigit: 3, SegregationCode: ente.SegregationCode, IBAN: ente.Accounts[0].IBAN}
	plan := issuance.DemoPlan(cr, 2026)
	rows := issuance.DemoRows(n, 2026)
	if store.Dialect(db) == store.Postgres {
		if f.Copy, err = rawCopy(ctx, db, &plan, cr, rows); err != nil {
			return f, fmt.Errorf("raw copy: %w", err)
		}
	}
	st := pagopa.NewStore(db, nil)
	start := time.Now()
	for j := 0; j < len(rows); j += 500 {
		ps := make([]*pagopa.Position, 0, 500)
		for k := j; k < min(j+500, len(rows)); k++ {
			req, err := issuance.Request(&plan, cr, &rows[k])
			if err != nil {
				return f, err
			}
			req.IUPD = "S" + req.IUPD
			ps = append(ps, req.Position())
		}
		if _, err := st.CreateMany(ctx, ps); err != nil {
			return f, err
		}
	}
	f.Store = time.Since(start)
	return f, nil
}

// rawCopy writes the same positions, options and transfers with three COPYs
// in one transaction, IUVs numbered in memory: the floor of issuing.
func rawCopy(ctx context.Context, db *gorm.DB, plan *issuance.Plan, cr pagopa.Creditor, rows []issuance.Row) (time.Duration, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return 0, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	start := time.Now()
	now := time.Now().UTC()
	scheme := cr.Scheme()
	seq := int64(9_000_000_000)
	var ps, os, ts [][]any
	for i := range rows {
		req, err := issuance.Request(plan, cr, &rows[i])
		if err != nil {
			return 0, err
		}
		id := fmt.Sprintf("copy-%d", i)
		ps = append(ps, []any{id, "B" + req.IUPD, cr.FiscalCode, cr.Ente, "{}", "F", rows[i].Debtor.FiscalCode, rows[i].Debtor.Name, plan.Subject, "VALID", now, now})
		for j, o := range req.Options {
			seq++
			nt, _ := scheme.Build(seq)
			os = append(os, []any{id, j, cr.FiscalCode, nt.IUV, nt.NoticeNumber, o.Description, "PO_UNPAID", o.Amount, o.DueDate.UTC(), o.Installment})
			for k, t := range o.Transfers {
				ts = append(ts, []any{id, j, k + 1, t.Amount, t.OrganizationFiscalCode, t.IBAN, t.RemittanceInformation, t.Category})
			}
		}
	}
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, x := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"pagopa_positions", []string{"id", "iupd", "org_fiscal_code", "ente", "creditor", "debtor_type", "debtor_fiscal_code", "debtor_name", "subject", "status", "created_at", "updated_at"}, ps},
			{"pagopa_options", []string{"position_id", "seq", "org_fiscal_code", "iuv", "notice_number", "description", "status", "amount", "due_date", "installment"}, os},
			{"pagopa_transfers", []string{"position_id", "option_seq", "id_transfer", "amount", "org_fiscal_code", "iban", "remittance", "category"}, ts},
		} {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{x.table}, x.cols, pgx.CopyFromRows(x.rows)); err != nil {
				return fmt.Errorf("%s: %w", x.table, err)
			}
		}
		return tx.Commit(ctx)
	})
	return time.Since(start), err
}
