package issuance_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestHoldingsOfADebtor reads a debtor's own positions across campaigns on
// both engines: only issued rows, newest tax year first, nobody else's; a
// position's view gives each option its state and the debtor's standing.
func TestHoldingsOfADebtor(t *testing.T) {
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
		campaign := func(year int, issue bool) {
			plan := issuance.DemoPlan(trieste, year)
			c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			issuance.WriteCSV(&buf, &plan, issuance.DemoRows(3, year))
			if _, err := svc.Upload(ctx, c, "csv", &buf); err != nil {
				t.Fatal(err)
			}
			for issue {
				res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 10})
				if err != nil {
					t.Fatal(err)
				}
				issue = res.Pending > 0
			}
		}
		campaign(2026, true)
		campaign(2027, true)
		campaign(2028, false) // uploaded, not issued: not the debtor's yet
		got, err := svc.Store.Holdings(ctx, issuance.DemoFiscalCode)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Year != 2027 || got[1].Year != 2026 || got[0].Tax != "TARI" || got[0].PositionID == "" || got[0].Subject != "TARI 2027 - tassa rifiuti" {
			t.Fatalf("Mario's holdings = %+v", got)
		}
		none, err := svc.Store.Holdings(ctx, "BNCGLI85C55L424K")
		if err != nil || len(none) != 0 {
			t.Fatalf("Giulia's holdings = %+v %v", none, err)
		}
		pos, err := positions.Get(ctx, got[0].PositionID)
		if err != nil {
			t.Fatal(err)
		}
		if pos.Debtor.FiscalCode != issuance.DemoFiscalCode {
			t.Fatalf("the position is %s's", pos.Debtor.FiscalCode)
		}
		now := time.Date(2027, 5, 10, 12, 0, 0, 0, time.UTC) // after the single option's and the first installment's due date
		tp := issuance.NewTaxPosition(got[0], pos, nil, now)
		var states []string
		for _, o := range tp.Position.Options {
			states = append(states, o.State)
		}
		if tp.State != issuance.StateOverdue || tp.Amount != pos.Amount() || tp.Paid != 0 || len(tp.Receipts) != 0 ||
			len(states) != 4 || states[0] != pagopa.StateOverdue || states[1] != pagopa.StateOverdue || states[3] != pagopa.StateDue {
			t.Errorf("tax position at %s: %s paid %d states %v", now, tp.State, tp.Paid, states)
		}
	})
}
