package bench

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkIssuanceBulkVsSingle issues a campaign of N debtors × 4 options
// (single + 3 installments) chunk by chunk, as the workflow's activity does,
// once through GPD's single-position API (8 calls in flight) and once
// through its massive upload API (one file per chunk of 500), each on a
// fresh SQLite database and simulator over HTTP whose every answer takes
// ISSUANCE_GPD_DELAY (default 10ms, a network round trip). It prints the
// single path's time over the bulk path's. N is ISSUANCE_BENCH_N (default
// 2000).
func BenchmarkIssuanceBulkVsSingle(b *testing.B) {
	n := 2000
	if s := os.Getenv("ISSUANCE_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	delay := 10 * time.Millisecond
	if s := os.Getenv("ISSUANCE_GPD_DELAY"); s != "" {
		delay, _ = time.ParseDuration(s)
	}
	for i := 0; i < b.N; i++ {
		single := issueVia(b, n, delay, func(url string) issuance.GPD {
			return issuance.SingleGPD{GPD: pagopa.NewClient(url, "")}
		})
		bulk := issueVia(b, n, delay, func(url string) issuance.GPD {
			c := pagopa.NewBulk(url, sim.Broker, "")
			c.PollEvery, c.PollMax, c.Log = 10*time.Millisecond, 100*time.Millisecond, slog.New(slog.DiscardHandler)
			return issuance.BulkGPD{Bulk: c, Single: pagopa.NewClient(url, "")}
		})
		b.ReportMetric(float64(n)/bulk.Seconds(), "bulk-debtors/s")
		b.ReportMetric(float64(n)/single.Seconds(), "single-debtors/s")
		b.ReportMetric(single.Seconds()/bulk.Seconds(), "ratio-single/bulk")
		b.Logf("%d debtors × 4 options, GPD answers after %v: single-position API %v (%.0f/s), massive upload %v (%.0f/s): bulk is %.1f× faster",
			n, delay, single.Round(time.Millisecond), float64(n)/single.Seconds(), bulk.Round(time.Millisecond), float64(n)/bulk.Seconds(),
			single.Seconds()/bulk.Seconds())
	}
}

// issueVia uploads a demo roll of n rows on a fresh database and issues it
// through the GPD that gpd builds on the simulator's URL; it returns the
// time the chunks took.
func issueVia(b *testing.B, n int, delay time.Duration, gpd func(url string) issuance.GPD) time.Duration {
	b.Helper()
	ctx := context.Background()
	db := storetest.SQLite(b)
	if err := catalog.Seed(ctx, db); err != nil {
		b.Fatal(err)
	}
	ente, _ := catalog.NewStore(db).GetEnte(ctx, catalog.Trieste)
	cr := pagopa.Creditor{Ente: ente.ID, FiscalCode: ente.FiscalCode, Name: ente.Name, AuxDigit: 3, SegregationCode: ente.SegregationCode, IBAN: ente.Accounts[0].IBAN}
	plan := issuance.DemoPlan(cr, 2026)
	s, _ := sim.Open(sim.Config{Delay: delay})
	hs := httptest.NewServer(s)
	defer hs.Close()
	svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
	acts := &issuance.Activities{Store: svc.Store, Positions: pagopa.NewStore(db, nil), GPD: gpd(hs.URL)}
	camp, err := svc.Create(ctx, cr.Ente, "bench", plan)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, 2026))
	if _, err := svc.Upload(ctx, camp, "csv", &buf); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	issued := 0
	for {
		res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: camp.ID, Size: 500})
		if err != nil {
			b.Fatal(err)
		}
		issued += res.Issued
		if res.Pending == 0 {
			break
		}
	}
	took := time.Since(start)
	if issued != n {
		b.Fatalf("%d of %d debtors issued", issued, n)
	}
	return took
}
