package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/store/storetest"
)

const trieste = "00210240321"

// fromPayments stands in for the payments area's receipts: the same payments,
// one receipt share per ente.
type fromPayments []sim.Payment

func (ps fromPayments) ReceiptsBetween(_ context.Context, cf string, from, to time.Time) ([]ledger.Receipt, error) {
	var out []ledger.Receipt
	for _, p := range ps {
		if p.PaymentDateTime.Before(from) || !p.PaymentDateTime.Before(to) {
			continue
		}
		var amount int64
		for _, t := range p.Transfers {
			if t.OrganizationFiscalCode == cf {
				amount += t.Amount
			}
		}
		if amount > 0 {
			out = append(out, ledger.Receipt{EnteCF: cf, IUV: p.IUV, IUR: p.IUR, ReceiptID: p.ReceiptID, Amount: amount, PaidAt: p.PaymentDateTime, Service: "c_l424.tari"})
		}
	}
	return out, nil
}

// TestLoopWithPagoPASimulator does a day of payments in the pagoPA simulator,
// reads them back over HTTP, writes the next day's FdR and giornale di cassa,
// imports both and reconciles: every payment reconciled, the ledger balanced,
// and importing again changes nothing.
func TestLoopWithPagoPASimulator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		ps := pagosim.New(pagosim.Config{})
		srv := httptest.NewServer(ps)
		defer srv.Close()
		gpd := pagopa.NewClient(srv.URL, "")
		const n = 12
		for i := 0; i < n; i++ {
			iuv := fmt.Sprintf("47%015d", 100+i)
			amount := int64(1000 + 100*i)
			pos := pagopa.GPDPosition{IUPD: fmt.Sprintf("TARI-%d", i), Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi",
				CompanyName: "Comune di Trieste", PaymentOption: []pagopa.GPDOption{{IUV: iuv, Amount: amount, Description: "TARI 2026",
					DueDate: time.Now().AddDate(0, 1, 0), Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: amount,
						IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/", RemittanceInformation: "TARI", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
			if _, err := gpd.CreatePosition(ctx, trieste, pos, true); err != nil {
				t.Fatal(err)
			}
			if _, err := ps.Pay(ctx, trieste, "3"+iuv, ""); err != nil {
				t.Fatal(err)
			}
		}
		today := time.Now().In(calendar.Rome)
		day := today.Format(time.DateOnly)
		payments, err := sim.Fetch(ctx, http.DefaultClient, srv.URL, day)
		if err != nil || len(payments) != n {
			t.Fatalf("fetched %d payments, %v", len(payments), err)
		}
		out, err := sim.Reporter{ABI: "02008", BankSpacing: true}.Report(day, payments)
		if err != nil {
			t.Fatal(err)
		}
		svc := ledger.NewService(db, ledger.DemoEntes, fromPayments(payments), ledger.StaticChart{Default: ledger.Capitolo{Capitolo: "1010", Articolo: "1"}})
		imp := func() (added int) {
			for _, f := range out.Flows {
				x, _ := f.XML()
				res, err := svc.ImportFDRXML(ctx, "c_l424", bytes.NewReader(x))
				if err != nil {
					t.Fatal(err)
				}
				added += res.Added
			}
			for _, j := range out.Journals {
				x, _ := j.XML()
				res, err := svc.ImportOPIXML(ctx, "c_l424", bytes.NewReader(x))
				if err != nil {
					t.Fatal(err)
				}
				added += res.Added
			}
			return added
		}
		if got := imp(); got != n+1 {
			t.Fatalf("imported %d, want %d lines and 1 credit", got, n+1)
		}
		next := today.AddDate(0, 0, 1).Format(time.DateOnly)
		run, err := svc.Reconcile(ctx, "c_l424", next)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[ledger.Outcome]int{"receipt": {ledger.Reconciled: n}, "fdr": {ledger.Reconciled: 1}, "credit": {ledger.Reconciled: 1}}
		if diff := cmp.Diff(want, run.Outcomes); diff != "" {
			t.Errorf("outcomes (-want +got):\n%s", diff)
		}
		bal, _ := svc.Balance(ctx, "c_l424")
		if bal.Debit != bal.Credit || bal.ByAccount[ledger.AccountReceivable] != 0 || bal.ByAccount[ledger.AccountTreasury] != out.Flows[0].Total {
			t.Errorf("balance %+v", bal)
		}
		if got := imp(); got != 0 {
			t.Errorf("re-import added %d", got)
		}
		again, err := svc.Reconcile(ctx, "c_l424", next)
		if err != nil || again.Posted != 0 || again.Opened != 0 {
			t.Errorf("second run: %+v, %v", again, err)
		}
	})
}

// TestHandlerDelivers serves the reporting simulator over HTTP in front of the
// pagoPA simulator: GET shows the day's documents, POST delivers them, twice.
func TestHandlerDelivers(t *testing.T) {
	ctx := context.Background()
	ps := pagosim.New(pagosim.Config{})
	pagoSrv := httptest.NewServer(ps)
	defer pagoSrv.Close()
	gpd := pagopa.NewClient(pagoSrv.URL, "")
	pos := pagopa.GPDPosition{IUPD: "MAT-1", Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi", CompanyName: "Comune di Trieste",
		PaymentOption: []pagopa.GPDOption{{IUV: "47000000000000999", Amount: 16000, Description: "Matrimonio", DueDate: time.Now().AddDate(0, 1, 0),
			Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: 16000, IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/",
				RemittanceInformation: "Matrimonio", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
	if _, err := gpd.CreatePosition(ctx, trieste, pos, true); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Pay(ctx, trieste, "347000000000000999", ""); err != nil {
		t.Fatal(err)
	}
	svc := ledger.NewService(storetest.SQLite(t), ledger.DemoEntes, fromPayments{}, ledger.StaticChart{})
	h := &sim.Handler{Reporter: sim.Reporter{ABI: "02008"}, PagoPA: pagoSrv.URL, Importer: svc}
	srv := httptest.NewServer(h)
	defer srv.Close()
	day := time.Now().In(calendar.Rome).Format(time.DateOnly)

	resp, err := http.Get(srv.URL + "/days/" + day)
	if err != nil {
		t.Fatal(err)
	}
	var docs []sim.Document
	json.NewDecoder(resp.Body).Decode(&docs)
	resp.Body.Close()
	if len(docs) != 2 || docs[0].Kind != "fdr" || !strings.Contains(docs[0].XML, "<singoloImportoPagato>160.00</singoloImportoPagato>") ||
		!strings.Contains(docs[1].XML, "/PUR/LGPE-RIVERSAMENTO/URI/"+docs[0].ID) {
		t.Fatalf("documents: %+v", docs)
	}
	for i, want := range []int{2, 0} { // one line and one credit, then nothing new
		resp, err := http.Post(srv.URL+"/days/"+day+"/deliver", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		var res []ledger.ImportResult
		json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		added := 0
		for _, r := range res {
			added += r.Added
		}
		if resp.StatusCode != 200 || added != want {
			t.Errorf("delivery %d: status %d, added %d, want %d", i+1, resp.StatusCode, added, want)
		}
	}
	if resp, _ := http.Get(srv.URL + "/days/27-11-2026"); resp.StatusCode != 400 {
		t.Errorf("bad date: %d", resp.StatusCode)
	}
}
