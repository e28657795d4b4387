package sim_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/store/storetest"
)

// TestDeliverAgainAfterMorePayments: a day delivered, then more payments of
// the same PSP that day, then the day delivered again: the PSP's flow comes as
// a new revision, which replaces the first (as the FdR node keeps the last
// published revision), instead of being refused as a changed flow.
func TestDeliverAgainAfterMorePayments(t *testing.T) {
	pagoSrv, pay := paidMeals(t)
	svc := ledger.NewService(storetest.SQLite(t), ledger.DemoEntes, fromPayments{}, ledger.StaticChart{})
	h := &sim.Handler{Reporter: sim.Reporter{ABI: "02008"}, PagoPA: pagoSrv.URL, Importer: svc}
	srv := httptest.NewServer(h)
	defer srv.Close()
	day := time.Now().In(calendar.Rome).Format(time.DateOnly)
	deliver := func() (int, []ledger.ImportResult) {
		resp, err := http.Post(srv.URL+"/days/"+day+"/deliver", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res []ledger.ImportResult
		json.NewDecoder(resp.Body).Decode(&res)
		return resp.StatusCode, res
	}
	pay("47000000000000501", 1000)
	if code, res := deliver(); code != 200 || len(res) != 2 || res[0].Added != 1 {
		t.Fatalf("first delivery: %d %+v", code, res)
	}
	pay("47000000000000502", 2000)
	code, res := deliver()
	if code != 200 || len(res) != 2 || !res[0].Replaced || res[0].Added != 2 {
		t.Fatalf("delivery after more payments: %d %+v, want the flow replaced by a revision with both lines", code, res)
	}
	if code, res := deliver(); code != 200 || res[0].Added != 0 || res[0].Replaced {
		t.Fatalf("the same again: %d %+v, want nothing new", code, res)
	}
}
