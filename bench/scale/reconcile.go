package scale

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/calendar"
)

// ReconcileFigures is one measure of reconciling a generated day: the
// platform's run and a plain SQL hash join of the same tables, both on the
// same PostgreSQL database.
type ReconcileFigures struct {
	Lines    int
	Seed     time.Duration // generating the tables by COPY
	Join     time.Duration // the baseline: one SELECT joining lines, receipts, flows and credits
	Run      time.Duration // ledger.Service.Reconcile, outcomes and entries written
	Report   *ledger.RunReport
	Matching int64 // lines whose receipt the join found with the same amount
	Credited int64 // lines whose flow the join found credited in full
}

// Enough of a day: the ente, the flows' regulation day and the run's day.
const (
	reconcileCF    = "00210240321"
	reconcileEnte  = "c_l424"
	regulationDay  = "2026-11-26"
	reconcileDay   = "2026-11-27"
	linesPerFlow   = 1000
	receiptsTable  = "scale_receipts"
	mismatchEvery  = 997  // one receipt in 997 disagrees with its line
	unknownEvery   = 1009 // one line in 1009 has no receipt
	flowNoCreditAt = 1    // the second flow has no treasury credit
)

// SeedReconciliation fills db (migrated, PostgreSQL) with n FdR lines in
// flows of 1000, a receipt for each line (a few missing or with another
// amount), and one treasury credit per flow but one. Receipts live in a table
// of their own, read by the returned Receipts the way the payments store is.
func SeedReconciliation(ctx context.Context, db *gorm.DB, n int) (ledger.Receipts, error) {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS ` + receiptsTable + ` (ente_cf TEXT NOT NULL, iuv TEXT NOT NULL, iur TEXT NOT NULL,
		amount BIGINT NOT NULL, paid_at TIMESTAMPTZ NOT NULL, pratica_id TEXT NOT NULL, service TEXT NOT NULL)`).Error; err != nil {
		return nil, fmt.Errorf("receipts table: %w", err)
	}
	paid, _ := time.ParseInLocation(time.DateOnly, "2026-11-25", calendar.Rome)
	now := time.Now().UTC()
	var flows, lines, moves, rcs [][]any
	for f := 0; f*linesPerFlow < n; f++ {
		flowID := fmt.Sprintf("%sBCITITMM-%05d", regulationDay, f)
		id := fmt.Sprintf("flow-%05d", f)
		var total int64
		count := min(linesPerFlow, n-f*linesPerFlow)
		for i := 0; i < count; i++ {
			k := f*linesPerFlow + i
			iuv, iur := fmt.Sprintf("01%015d", k), fmt.Sprintf("IUR%012d", k)
			amount := int64(1000 + k%5000)
			total += amount
			lines = append(lines, []any{id, i + 1, iuv, iur, 1, amount, "0", "2026-11-25"})
			if k%unknownEvery == unknownEvery-1 {
				continue
			}
			ra := amount
			if k%mismatchEvery == mismatchEvery-1 {
				ra++
			}
			rcs = append(rcs, []any{reconcileCF, iuv, iur, ra, paid.Add(time.Duration(k%36000) * time.Second).UTC(), fmt.Sprintf("pratica-%d", k), "c_l424.tari"})
		}
		flows = append(flows, []any{id, reconcileEnte, reconcileCF, flowID, 1, "BCITITMM", "Banca", now, "SCT" + flowID, regulationDay,
			count, total, "digest-" + id, "xml", now})
		if f != flowNoCreditAt {
			causale := "/PUR/LGPE-RIVERSAMENTO/URI/" + flowID
			moves = append(moves, []any{fmt.Sprintf("move-%05d", f), reconcileEnte, reconcileCF, "GDC-1", fmt.Sprintf("GDC-1/%d", f), "0000001", "ENTRATA",
				"SOSPESO ENTRATA", "ESEGUITO", int64(f + 1), total, regulationDay, "PSP", causale, ledger.FlowRef(causale), "", now})
		}
	}
	err := withPgx(ctx, db, func(c *pgx.Conn) error {
		for _, x := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"ledger_flows", []string{"id", "ente", "ente_cf", "flow_id", "revision", "psp", "psp_name", "flow_date", "regulation", "regulation_date", "payments", "total", "digest", "source", "imported_at"}, flows},
			{"ledger_flow_lines", []string{"flow_id", "idx", "iuv", "iur", "transfer_index", "amount", "outcome", "paid_on"}, lines},
			{"ledger_movements", []string{"id", "ente", "ente_cf", "journal_id", "move_key", "account", "direction", "doc_type", "operation", "number", "amount", "booked_on", "customer", "causale", "flow_ref", "iuv_ref", "imported_at"}, moves},
			{receiptsTable, []string{"ente_cf", "iuv", "iur", "amount", "paid_at", "pratica_id", "service"}, rcs},
		} {
			if _, err := c.CopyFrom(ctx, pgx.Identifier{x.table}, x.cols, pgx.CopyFromRows(x.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", x.table, err)
			}
		}
		_, err := c.Exec(ctx, "CREATE INDEX ON "+receiptsTable+" (ente_cf, paid_at); ANALYZE ledger_flows, ledger_flow_lines, ledger_movements, "+receiptsTable)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ledger.ReceiptsFunc(func(ctx context.Context, cf string, from, to time.Time) ([]ledger.Receipt, error) {
		rows, err := db.WithContext(ctx).Raw("SELECT iuv, iur, amount, paid_at, pratica_id, service FROM "+receiptsTable+
			" WHERE ente_cf = ? AND paid_at >= ? AND paid_at < ?", cf, from, to).Rows()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []ledger.Receipt
		for rows.Next() {
			r := ledger.Receipt{EnteCF: cf}
			if err := rows.Scan(&r.IUV, &r.IUR, &r.Amount, &r.PaidAt, &r.PraticaID, &r.Service); err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, rows.Err()
	}), nil
}

// joinSQL is the baseline: what a DBA would write to match the day by hand,
// every line with its receipt, its flow and the flow's credit, one hash join.
const joinSQL = `SELECT COUNT(*) FILTER (WHERE r.amount = l.amount), COUNT(*) FILTER (WHERE m.amount = f.total)
	FROM ledger_flow_lines l
	JOIN ledger_flows f ON f.id = l.flow_id
	FULL JOIN ` + receiptsTable + ` r ON r.iuv = l.iuv AND r.iur = l.iur
	LEFT JOIN ledger_movements m ON m.flow_ref = f.flow_id AND m.ente_cf = f.ente_cf
	WHERE f.ente_cf = $1 OR r.ente_cf = $1`

// MeasureReconciliation seeds n lines into db, times the baseline join and
// then the platform's reconciliation of the same day.
func MeasureReconciliation(ctx context.Context, db *gorm.DB, n int) (ReconcileFigures, error) {
	fig := ReconcileFigures{Lines: n}
	start := time.Now()
	rs, err := SeedReconciliation(ctx, db, n)
	if err != nil {
		return fig, err
	}
	fig.Seed = time.Since(start)
	start = time.Now()
	if err := db.WithContext(ctx).Raw(joinSQL, reconcileCF).Row().Scan(&fig.Matching, &fig.Credited); err != nil {
		return fig, fmt.Errorf("baseline join: %w", err)
	}
	fig.Join = time.Since(start)
	svc := ledger.NewService(db, ledger.DemoEntes, rs, ledger.StaticChart{Default: ledger.Capitolo{Capitolo: "1010", Articolo: "1"}})
	start = time.Now()
	fig.Report, err = svc.Reconcile(ctx, reconcileEnte, reconcileDay)
	fig.Run = time.Since(start)
	return fig, err
}

// withPgx runs f on one pgx connection of db's pool.
func withPgx(ctx context.Context, db *gorm.DB, f func(*pgx.Conn) error) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return f(dc.(*stdlib.Conn).Conn()) })
}
