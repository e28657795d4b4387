package issuance_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestCampaignStoreAndRiscontri runs a small campaign on both engines: the
// roll with a bad row, a second campaign of the same debtors refused whole,
// the chunks issued against the GPD simulator over HTTP, receipts recorded,
// and each debtor's state (paid, partially paid, overdue, unpaid) at two dates.
func TestCampaignStoreAndRiscontri(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := catalog.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s, err := sim.Open(sim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(s)
		defer hs.Close()
		positions := pagopa.NewStore(db, nil)
		svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
		acts := &issuance.Activities{Store: svc.Store, Positions: positions, GPD: issuance.SingleGPD{GPD: pagopa.NewClient(hs.URL, "")}}
		plan := issuance.DemoPlan(trieste, 2026)
		plan.SingleDue, plan.Installments = "2026-04-30", []string{"2026-04-30", "2026-07-31", "2026-10-31"}
		rows := issuance.DemoRows(4, 2026)
		upload := func(extra string) (*issuance.Campaign, *issuance.DryRun) {
			c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			issuance.WriteCSV(&buf, &plan, rows)
			buf.WriteString(extra)
			d, err := svc.Upload(ctx, c, "csv", &buf)
			if err != nil {
				t.Fatal(err)
			}
			got, err := svc.Store.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got, d
		}
		c, dry := upload("2026,F,RSSMRA80A01L424X,Bad,,10.00,,,,1.00,,,\n")
		if dry.Rows != 4 || dry.Refused != 1 || c.Rows != 4 || c.Refused != 1 {
			t.Fatalf("dry run %+v, campaign rows %d refused %d", dry, c.Rows, c.Refused)
		}
		again, dry2 := upload("")
		if dry2.Rows != 0 || dry2.Refused != 4 || again.Rows != 0 {
			t.Fatalf("the same debtors again: %+v", dry2)
		}
		for {
			res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 3})
			if err != nil {
				t.Fatal(err)
			}
			if res.Pending == 0 {
				break
			}
		}
		probs, total, err := svc.Store.Problems(ctx, c.ID, 10, 0)
		if err != nil || total != 1 || probs[0].Line != 6 || probs[0].Kind != "validation" {
			t.Fatalf("problems %+v %d %v", probs, total, err)
		}
		var roll bytes.Buffer
		issuance.WriteCSV(&roll, &plan, rows[:1])
		if _, err := svc.Upload(ctx, c, "csv", &roll); !errs.Is(err, errs.Conflict) {
			t.Errorf("upload after issuing: %v, want conflict", err)
		}
		// Line 2 pays the first installment, line 3 the single option.
		pay := func(line, opt int) {
			var sr issuance.StoredRow
			if err := db.Where("campaign_id = ? AND line = ?", c.ID, line).Take(&sr).Error; err != nil {
				t.Fatal(err)
			}
			p, err := positions.Get(ctx, *sr.PositionID)
			if err != nil {
				t.Fatal(err)
			}
			o := p.Options[opt]
			at := time.Date(2026, 4, 20, 10, 0, 0, 0, time.UTC)
			r := &pagopa.Receipt{ReceiptID: "r-" + o.IUV, NoticeNumber: o.NoticeNumber, FiscalCode: trieste.FiscalCode, Outcome: "OK",
				CreditorReferenceID: o.IUV, Amount: o.Amount, Description: p.Subject, CompanyName: trieste.Name,
				Debtor: pagopa.Subject{Type: "F", ID: p.Debtor.FiscalCode, FullName: p.Debtor.FullName}, PSPID: "SIMPSP01", PSPName: "PSP", ChannelID: "SIMPSP01_01",
				PaymentDateTime: &at}
			for _, tr := range o.Transfers {
				r.Transfers = append(r.Transfers, pagopa.ReceiptTransfer{ID: tr.ID, Amount: tr.Amount, FiscalCodePA: tr.OrganizationFiscalCode, IBAN: tr.IBAN,
					RemittanceInformation: tr.RemittanceInformation, Category: tr.Category})
			}
			if _, err := positions.RecordReceipt(ctx, r, "test", []byte("{}")); err != nil {
				t.Fatal(err)
			}
		}
		pay(2, 1)
		pay(3, 0)
		states := func(at time.Time) (map[int]issuance.DebtorStatus, issuance.StateSummary) {
			out := map[int]issuance.DebtorStatus{}
			var sum issuance.StateSummary
			err := svc.Store.EachDebtor(ctx, c.ID, at, func(d *issuance.DebtorState) error {
				out[d.Line] = d.State
				sum.Add(d)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			return out, sum
		}
		got, sum := states(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		want := map[int]issuance.DebtorStatus{2: issuance.StatePartiallyPaid, 3: issuance.StatePaid, 4: issuance.StateUnpaid, 5: issuance.StateUnpaid}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("states in March (-want +got): %s", d)
		}
		var want3 int64
		for _, a := range rows[1].Components {
			want3 += a.Cents
		}
		if sum.Paid != 1 || sum.PartiallyPaid != 1 || sum.Unpaid != 2 || sum.AmountPaid <= want3 {
			t.Errorf("summary %+v", sum)
		}
		got, _ = states(time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC))
		want = map[int]issuance.DebtorStatus{2: issuance.StateOverdue, 3: issuance.StatePaid, 4: issuance.StateOverdue, 5: issuance.StateOverdue}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("states in August (-want +got): %s", d)
		}
	})
}

// TestGPDRefusalsAndRetry has GPD refuse the first chunk's positions: they
// land in the error list with GPD's reason, the next chunk goes on, and a
// retry of the failed rows sends GPD those rows only.
func TestGPDRefusalsAndRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := catalog.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		refusing, _ := sim.Open(sim.Config{RejectRate: 1})
		rs := httptest.NewServer(refusing)
		defer rs.Close()
		healthy, _ := sim.Open(sim.Config{})
		var calls atomic.Int64
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				calls.Add(1)
			}
			healthy.ServeHTTP(w, r)
		}))
		defer hs.Close()
		positions := pagopa.NewStore(db, nil)
		svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
		acts := &issuance.Activities{Store: svc.Store, Positions: positions, GPD: issuance.SingleGPD{GPD: pagopa.NewClient(rs.URL, "")}}
		plan := issuance.DemoPlan(trieste, 2026)
		c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		issuance.WriteCSV(&buf, &plan, issuance.DemoRows(4, 2026))
		if _, err := svc.Upload(ctx, c, "csv", &buf); err != nil {
			t.Fatal(err)
		}
		res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 2})
		if err != nil || res.Failed != 2 || res.Pending != 2 {
			t.Fatalf("refused chunk = %+v, %v", res, err)
		}
		acts.GPD = issuance.SingleGPD{GPD: pagopa.NewClient(hs.URL, "")}
		if res, err = acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 2}); err != nil || res.Issued != 2 || res.Pending != 0 {
			t.Fatalf("second chunk = %+v, %v", res, err)
		}
		probs, total, err := svc.Store.Problems(ctx, c.ID, 10, 0)
		if err != nil || total != 2 || probs[0].Kind != "issue" || !strings.Contains(probs[0].Message, "GPD") {
			t.Fatalf("problems = %+v (%d) %v", probs, total, err)
		}
		var invalid int64
		db.Raw("SELECT COUNT(*) FROM pagopa_positions WHERE status = ? AND NOT synced", pagopa.Invalid).Scan(&invalid)
		if invalid != 2 {
			t.Errorf("%d refused positions marked invalid, want 2", invalid)
		}
		if n, err := svc.Store.RetryFailed(ctx, c.ID); err != nil || n != 2 {
			t.Fatalf("retry = %d, %v", n, err)
		}
		before := calls.Load()
		if res, err = acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 10}); err != nil || res.Issued != 2 || res.Pending != 0 {
			t.Fatalf("retry chunk = %+v, %v", res, err)
		}
		if sent := calls.Load() - before; sent != 2 {
			t.Errorf("the retry sent %d positions to GPD, want 2", sent)
		}
		var keys, all, synced int64
		db.Raw("SELECT COUNT(DISTINCT iupd), COUNT(*), SUM(CASE WHEN synced THEN 1 ELSE 0 END) FROM pagopa_positions").Row().Scan(&keys, &all, &synced)
		if keys != 4 || all != 4 || synced != 4 {
			t.Errorf("positions: %d keys, %d rows, %d at GPD; want 4 each", keys, all, synced)
		}
	})
}

// TestJSONRollNamesJSONPaths uploads a JSON roll with bad rows: each problem
// names the row's JSON path, and the good rows make the dry run.
func TestJSONRollNamesJSONPaths(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
	c, err := svc.Create(ctx, catalog.Trieste, "tester", issuance.DemoPlan(trieste, 2026))
	if err != nil {
		t.Fatal(err)
	}
	roll := `{"rows": [
		{"taxYear": 2026, "debtor": {"fiscalCode": "RSSMRA80A01L424F", "name": "Mario Rossi"}, "components": [{"code": "TARI", "amount": 18000}, {"code": "TEFA", "amount": 900}]},
		{"taxYear": 2025, "debtor": {"fiscalCode": "RSSMRA80A01L424X", "name": ""}, "components": [{"code": "TARI", "amount": 1}]}
	]}`
	d, err := svc.Upload(ctx, c, "json", strings.NewReader(roll))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range d.RefusedRows {
		got = append(got, e.Field)
	}
	want := []string{"rows[1].taxYear", "rows[1].debtor.fiscalCode", "rows[1].debtor.name", "rows[1].components[TARI].amount"}
	if diff := cmp.Diff(want, got); diff != "" || d.Rows != 1 || d.Total != 18900 {
		t.Errorf("refused fields (-want +got): %s; rows %d total %d", diff, d.Rows, d.Total)
	}
}
