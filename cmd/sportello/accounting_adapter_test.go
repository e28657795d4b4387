package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestIssuingAccruesOnceThroughItsIntermediary wires issuing as the worker
// does: a campaign whose plan names Trieste's concessionaire goes to that
// intermediary's GPD (its address from the environment; the main GPD gets
// nothing), its IUVs carry the concessionaire's segregation code, and every
// position's TARI is accrued in the ledger (TEFA is the Region's); a crash
// after GPD and before the rows are marked makes the retry accrue nothing twice.
func TestIssuingAccruesOnceThroughItsIntermediary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := catalog.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		cat := catalog.NewStore(db)
		ts, err := cat.GetEnte(ctx, catalog.Trieste)
		if err != nil {
			t.Fatal(err)
		}
		ts.Intermediaries = []catalog.Intermediary{{ID: "conc", Name: "Concessionario tributi", SegregationCode: "47", KeyRef: "pagopa/conc"}}
		if _, err := cat.PutEnte(ctx, *ts, ts.Revision); err != nil {
			t.Fatal(err)
		}
		gpdServer := func(posts *atomic.Int64) *httptest.Server {
			s, _ := pagosim.Open(pagosim.Config{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					posts.Add(1)
				}
				s.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			return srv
		}
		var mainPosts, concPosts atomic.Int64
		mainSrv, concSrv := gpdServer(&mainPosts), gpdServer(&concPosts)
		t.Setenv("SPORTELLO_PAGOPA_URL_CONC", concSrv.URL)
		t.Setenv("SPORTELLO_PAGOPA_KEY_PAGOPA_CONC", "conc-secret")

		led := ledger.NewService(db, catalogEntes{c: cat}, ledger.ReceiptsFunc(func(context.Context, string, time.Time, time.Time) ([]ledger.Receipt, error) {
			return nil, nil
		}), catalogChart{c: cat})
		svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: cat}
		acts := &issuance.Activities{Store: svc.Store, Positions: pagopa.NewStore(db, nil), Accounting: ledgerAccounting{l: led},
			GPD: &intermediaryGPD{main: issuance.SingleGPD{GPD: pagopa.NewClient(mainSrv.URL, "")}, mainURL: mainSrv.URL, enti: catalogEntes{c: cat}, cat: cat}}
		cr := pagopa.Creditor{FiscalCode: ts.FiscalCode, Name: ts.Name, IBAN: ts.Accounts[0].IBAN}
		plan := issuance.DemoPlan(cr, 2026)
		plan.Intermediary = "conc"
		c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
		if err != nil {
			t.Fatal(err)
		}
		const n = 4
		var buf bytes.Buffer
		issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, 2026))
		if _, err := svc.Upload(ctx, c, "csv", &buf); err != nil {
			t.Fatal(err)
		}
		var tari int64
		for _, r := range issuance.DemoRows(n, 2026) {
			tari += r.Components[0].Cents
		}
		for attempt := 1; attempt <= 2; attempt++ {
			if res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 10}); err != nil || res.Issued != n {
				t.Fatalf("attempt %d: %+v, %v", attempt, res, err)
			}
			rep, err := led.CampaignAccounting(ctx, catalog.Trieste, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Check.OK || len(rep.Lines) != 1 || rep.Lines[0].Capitolo != "1010" || rep.Total.Positions != n || rep.Total.Issued != tari || rep.Total.Accrued != tari {
				t.Errorf("attempt %d: accounting %+v, want %d positions and %d accrued on 1010", attempt, rep, n, tari)
			}
			// A crash after GPD took the chunk, before its rows were marked.
			db.Exec("UPDATE issuance_rows SET status = ? WHERE campaign_id = ?", issuance.RowPending, c.ID)
		}
		var entries, iuvs, foreign int64
		db.Raw("SELECT COUNT(*) FROM ledger_entries WHERE campaign_id = ?", c.ID).Scan(&entries)
		db.Raw("SELECT COUNT(*), SUM(CASE WHEN iuv LIKE '47%' THEN 0 ELSE 1 END) FROM ledger_plan_lines").Row().Scan(&iuvs, &foreign)
		if entries != n || iuvs != 4*n || foreign != 0 {
			t.Errorf("%d entries (want %d), %d notice splits (want %d), %d without the concessionaire's code", entries, n, iuvs, 4*n, foreign)
		}
		if mainPosts.Load() != 0 || concPosts.Load() != n {
			t.Errorf("GPD calls: main %d, concessionaire %d; want 0 and %d", mainPosts.Load(), concPosts.Load(), n)
		}
		if !strings.HasPrefix(c.Creditor.SegregationCode, "47") {
			t.Errorf("creditor %+v", c.Creditor)
		}
	})
}

// TestServiceNamesItsIntermediary: a service whose payment mode names the
// ente's concessionaire issues with its segregation code, for a pratica's
// payment step and for a spontaneous payment alike; an intermediary the ente
// does not have is refused naming the field.
func TestServiceNamesItsIntermediary(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewStore(db)
	ts, _ := cat.GetEnte(ctx, catalog.Trieste)
	ts.Intermediaries = []catalog.Intermediary{{ID: "conc", Name: "Concessionario tributi", SegregationCode: "47"}}
	if _, err := cat.PutEnte(ctx, *ts, ts.Revision); err != nil {
		t.Fatal(err)
	}
	name := func(im string) {
		t.Helper()
		sv, err := cat.GetService(ctx, "c_l424.mensa")
		if err != nil {
			t.Fatal(err)
		}
		spec := sv.ServiceSpec
		spec.Payments[0].Intermediary = im
		b, _ := json.Marshal(catalog.ServiceSpec{Payments: spec.Payments, AppIO: spec.AppIO})
		if _, err := cat.PutService(ctx, catalog.Input{ID: "c_l424.mensa", Ente: catalog.Trieste, Base: "mensa", Spec: b}, catalog.Unconditional, "test"); err != nil {
			t.Fatal(err)
		}
	}
	name("conc")
	info, err := planSource{c: cat}.ServiceInfo(ctx, "c_l424.mensa")
	if err != nil || info.AuxDigit != 3 || info.SegregationCode != "47" {
		t.Errorf("service info = %+v, %v; want aux digit 3, segregation code 47", info, err)
	}
	sp, err := spontaneousCatalog{c: cat}.SpontaneousService(ctx, "c_l424.mensa")
	if err != nil || sp.Creditor.SegregationCode != "47" {
		t.Errorf("spontaneous creditor = %+v, %v", sp, err)
	}
	name("nope")
	if _, err := (planSource{c: cat}).ServiceInfo(ctx, "c_l424.mensa"); !strings.Contains(fmt.Sprint(err), "payments[0].intermediary") {
		t.Errorf("unknown intermediary: %v", err)
	}
}
