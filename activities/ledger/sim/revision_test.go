package sim_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/store/storetest"
)

// TestDeliverAgainAfterMorePayments: a day delivered, then more payments of
// the same PSP that day, then the day delivered again: the PSP's flow comes as
// a new revision, which replaces the first (as the FdR node keeps the last
// published revision), instead of being refused as a changed flow.
func TestDeliverAgainAfterMorePayments(t *testing.T) {
	ctx := context.Background()
	ps := pagosim.New(pagosim.Config{})
	pagoSrv := httptest.NewServer(ps)
	defer pagoSrv.Close()
	gpd := pagopa.NewClient(pagoSrv.URL, "")
	pay := func(iuv string, amount int64) {
		t.Helper()
		pos := pagopa.GPDPosition{IUPD: "P-" + iuv, Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi", CompanyName: "Comune di Trieste",
			PaymentOption: []pagopa.GPDOption{{IUV: iuv, Amount: amount, Description: "Mensa", DueDate: time.Now().AddDate(0, 1, 0),
				Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: amount, IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/",
					RemittanceInformation: "Mensa", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
		if _, err := gpd.CreatePosition(ctx, trieste, pos, true); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Pay(ctx, trieste, "3"+iuv, ""); err != nil {
			t.Fatal(err)
		}
	}
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
