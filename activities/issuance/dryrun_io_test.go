package issuance_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestDryRunCountsNotOnIO uploads small rolls with an App IO service: the
// dry run counts the debtors the simulator has no profile for or who
// disabled the service; a roll over the check limit, or a plan without an IO
// service, gets no count rather than a guess.
func TestDryRunCountsNotOnIO(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	rows := issuance.DemoRows(12, 2027)
	ioSim := appio.NewSimulator(rows[2].Debtor.FiscalCode, rows[7].Debtor.FiscalCode)
	ioSim.Block(rows[4].Debtor.FiscalCode, "key-tari")
	hs := httptest.NewServer(ioSim)
	defer hs.Close()
	svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db),
		IO: appio.NewClient(hs.URL + "/api/v1"), Keys: tariKey{}, Throttle: issuance.NewThrottle(1000), IOCheckLimit: 12}
	upload := func(plan issuance.Plan, rows []issuance.Row) *issuance.DryRun {
		t.Helper()
		c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		issuance.WriteCSV(&buf, &plan, rows)
		d, err := svc.Upload(ctx, c, "csv", &buf)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := svc.Store.DryRunOf(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (stored.NotOnIO == nil) != (d.NotOnIO == nil) || d.NotOnIO != nil && *stored.NotOnIO != *d.NotOnIO {
			t.Errorf("stored dry run's count %v, answered %v", stored.NotOnIO, d.NotOnIO)
		}
		return d
	}
	if d := upload(tariPlan(2027), rows); d.NotOnIO == nil || *d.NotOnIO != 3 {
		t.Errorf("not on IO = %v, want 3 (two without a profile, one with the service disabled)", d.NotOnIO)
	}
	calls := ioSim.Count()
	plan := tariPlan(2028)
	if d := upload(plan, issuance.DemoRows(13, 2028)); d.NotOnIO != nil {
		t.Errorf("13 rows over a limit of 12: not on IO = %d, want no count", *d.NotOnIO)
	}
	plan = issuance.DemoPlan(trieste, 2029)
	if d := upload(plan, issuance.DemoRows(3, 2029)); d.NotOnIO != nil {
		t.Errorf("no IO service: not on IO = %d, want no count", *d.NotOnIO)
	}
	if ioSim.Count() != calls {
		t.Error("the dry run sent messages")
	}
}
