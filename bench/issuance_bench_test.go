package bench

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkIssuanceVsBulkInsert issues N debtors × 4 options (single + 3
// installments, two transfers each) the way a campaign does (the chunk
// activity: the pagopa store with the ente's IUV sequence, then GPD's
// simulator over HTTP) and compares it with a baseline measured in the same
// run: a plain bulk INSERT of the same positions, options and transfers in
// 500-row statements. It also reports the store alone (pagopa.Store.CreateMany
// by chunks of 500, no GPD). N is ISSUANCE_BENCH_N (default 2000); run with
// -benchtime=1x.
func BenchmarkIssuanceVsBulkInsert(b *testing.B) {
	n := 2000
	if s := os.Getenv("ISSUANCE_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	engines := map[string]func(testing.TB) *gorm.DB{"sqlite": func(t testing.TB) *gorm.DB { return storetest.SQLite(t) }}
	if os.Getenv(storetest.EnvPostgres) != "" {
		engines["postgres"] = func(t testing.TB) *gorm.DB { return storetest.Postgres(t) }
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				ctx := context.Background()
				db := open(b)
				if err := catalog.Seed(ctx, db); err != nil {
					b.Fatal(err)
				}
				ente, _ := catalog.NewStore(db).GetEnte(ctx, catalog.Trieste)
				cr := pagopa.Creditor{Ente: ente.ID, FiscalCode: ente.FiscalCode, Name: ente.Name, AuxDigit: 3, SegregationCode: ente.SegregationCode, IBAN: ente.Accounts[0].IBAN}
				plan := issuance.DemoPlan(cr, 2026)
				rows := issuance.DemoRows(n, 2026)

				base := bulkInsert(b, db, &plan, cr, rows)

				st := pagopa.NewStore(db, nil)
				start := time.Now()
				for j := 0; j < len(rows); j += 500 {
					var ps []*pagopa.Position
					for k := j; k < min(j+500, len(rows)); k++ {
						req, _ := issuance.Request(&plan, cr, &rows[k])
						req.IUPD = "S" + req.IUPD
						ps = append(ps, req.Position())
					}
					if _, err := st.CreateMany(ctx, ps); err != nil {
						b.Fatal(err)
					}
				}
				storeOnly := time.Since(start)

				s, _ := sim.Open(sim.Config{})
				hs := httptest.NewServer(s)
				svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
				acts := &issuance.Activities{Store: svc.Store, Positions: st, GPD: issuance.SingleGPD{GPD: pagopa.NewClient(hs.URL, "")}}
				plan.Year = 2027 // other natural keys than the rows above
				for j := range rows {
					rows[j].TaxYear = 2027
				}
				camp, err := svc.Create(ctx, cr.Ente, "bench", plan)
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				issuance.WriteCSV(&buf, &plan, rows)
				upStart := time.Now()
				if _, err := svc.Upload(ctx, camp, "csv", &buf); err != nil {
					b.Fatal(err)
				}
				upload := time.Since(upStart)
				start = time.Now()
				for {
					res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: camp.ID, Size: 500})
					if err != nil {
						b.Fatal(err)
					}
					if res.Pending == 0 {
						break
					}
				}
				issued := time.Since(start)
				hs.Close()
				b.ReportMetric(float64(n)/issued.Seconds(), "debtors/s")
				b.ReportMetric(base.Seconds()/issued.Seconds(), "ratio-issue")
				b.ReportMetric(base.Seconds()/storeOnly.Seconds(), "ratio-store")
				b.Logf("%s, %d debtors × 4 options: bulk INSERT %v (%.0f/s); store alone %v (%.0f/s, ratio %.3f); campaign with GPD sim %v (%.0f/s, ratio %.3f); roll upload and dry run %v",
					name, n, base.Round(time.Millisecond), float64(n)/base.Seconds(), storeOnly.Round(time.Millisecond), float64(n)/storeOnly.Seconds(),
					base.Seconds()/storeOnly.Seconds(), issued.Round(time.Millisecond), float64(n)/issued.Seconds(), base.Seconds()/issued.Seconds(),
					upload.Round(time.Millisecond))
			}
		})
	}
}

// bulkInsert writes the same positions with multi-row INSERTs in one
// transaction, IUVs numbered in memory: the floor any issuing can reach.
func bulkInsert(b *testing.B, db *gorm.DB, plan *issuance.Plan, cr pagopa.Creditor, rows []issuance.Row) time.Duration {
	type pos struct {
		ID, IUPD, OrgFiscalCode, Ente, Creditor, DebtorType, DebtorFiscalCode, DebtorName, Subject, Status string
		CreatedAt, UpdatedAt                                                                               time.Time
	}
	type opt struct {
		PositionID                                            string
		Seq                                                   int
		OrgFiscalCode, IUV, NoticeNumber, Description, Status string
		Amount                                                int64
		DueDate                                               time.Time
		Installment                                           bool
	}
	type tr struct {
		PositionID                                string
		OptionSeq, IDTransfer                     int
		Amount                                    int64
		OrgFiscalCode, IBAN, Remittance, Category string
	}
	start := time.Now()
	now := time.Now().UTC()
	scheme := cr.Scheme()
	seq := int64(9_000_000_000)
	err := db.Transaction(func(tx *gorm.DB) error {
		var ps []pos
		var os []opt
		var ts []tr
		flush := func(force bool) error {
			if len(ps) < 500 && !force {
				return nil
			}
			for _, x := range []struct {
				table string
				v     any
				n     int
			}{{"pagopa_positions", &ps, len(ps)}, {"pagopa_options", &os, len(os)}, {"pagopa_transfers", &ts, len(ts)}} {
				if x.n > 0 {
					if err := tx.Table(x.table).CreateInBatches(x.v, 500).Error; err != nil {
						return err
					}
				}
			}
			ps, os, ts = ps[:0], os[:0], ts[:0]
			return nil
		}
		for i := range rows {
			req, _ := issuance.Request(plan, cr, &rows[i])
			id := fmt.Sprintf("bulk-%d", i)
			ps = append(ps, pos{ID: id, IUPD: "B" + req.IUPD, OrgFiscalCode: cr.FiscalCode, Ente: cr.Ente, Creditor: "{}", DebtorType: "F",
				DebtorFiscalCode: rows[i].Debtor.FiscalCode, DebtorName: rows[i].Debtor.Name, Subject: plan.Subject, Status: "VALID", CreatedAt: now, UpdatedAt: now})
			for j, o := range req.Options {
				seq++
				nt, _ := scheme.Build(seq)
				os = append(os, opt{PositionID: id, Seq: j, OrgFiscalCode: cr.FiscalCode, IUV: nt.IUV, NoticeNumber: nt.NoticeNumber, Description: o.Description,
					Status: "PO_UNPAID", Amount: o.Amount, DueDate: o.DueDate, Installment: o.Installment})
				for k, t := range o.Transfers {
					ts = append(ts, tr{PositionID: id, OptionSeq: j, IDTransfer: k + 1, Amount: t.Amount, OrgFiscalCode: t.OrganizationFiscalCode,
						IBAN: t.IBAN, Remittance: t.RemittanceInformation, Category: t.Category})
				}
			}
			if err := flush(false); err != nil {
				return err
			}
		}
		return flush(true)
	})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
