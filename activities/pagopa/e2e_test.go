package pagopa_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
	"github.com/sportello/sportello/worker"
)

var trieste = pagopa.Creditor{Ente: "c_l424", FiscalCode: "00210240321", Name: "Comune di Trieste", Office: "Anagrafe e stato civile",
	AuxDigit: 3, SegregationCode: "47", IBAN: "IT61X0306909606100000012345"}

// notifier records the receipts it is told about.
type notifier struct {
	mu    sync.Mutex
	calls []string
}

func (n *notifier) ReceiptArrived(_ context.Context, praticaID string, r pagopa.Receipt) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.calls = append(n.calls, praticaID+" "+r.ReceiptID)
	return nil
}

type world struct {
	store    *pagopa.Store
	sim      *sim.Simulator
	simURL   string
	acts     *pagopa.Activities
	notifier *notifier
	env      *testsuite.TestActivityEnvironment
}

// newWorld wires the store, the simulator over real HTTP (GPD API and the
// receipt endpoint it posts to), the service and the activities.
func newWorld(t *testing.T, db *gorm.DB, cfg sim.Config) *world {
	w := &world{store: pagopa.NewStore(db, nil), notifier: &notifier{}}
	receipts := &pagopa.Receipts{Store: w.store, Notifier: w.notifier}
	rt := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "sim-key" {
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		status, body := receipts.SOAP(r.Context(), r.Body, nil)
		rw.Header().Set("Content-Type", "text/xml")
		rw.WriteHeader(status)
		rw.Write(body)
	}))
	t.Cleanup(rt.Close)
	cfg.ReceiptURL, cfg.ReceiptHeaders, cfg.SubscriptionKey = rt.URL, map[string]string{"X-Api-Key": "sim-key"}, "gpd-key"
	w.sim = sim.New(cfg)
	srv := httptest.NewServer(w.sim)
	t.Cleanup(srv.Close)
	w.simURL = srv.URL
	client := pagopa.NewClient(srv.URL, "gpd-key")
	client.Backoff = time.Millisecond
	client.Attempts = 8
	svc := &pagopa.Service{Positions: w.store, GPD: client, Taxonomy: fileTaxonomy(t)}
	w.acts = &pagopa.Activities{Payments: svc, Positions: w.store}
	var suite testsuite.WorkflowTestSuite
	w.env = suite.NewTestActivityEnvironment()
	worker.RegisterActivities(w.env, worker.Deps{PagoPA: w.acts})
	return w
}

func feeRequest(iupd string) pagopa.IssueRequest {
	return pagopa.IssueRequest{IUPD: iupd, PraticaID: "pr-" + iupd, ServiceID: "c_l424.matrimonio", Creditor: trieste,
		Debtor:  pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"},
		Subject: "Celebrazione matrimonio civile", Publish: true,
		Options: []pagopa.OptionRequest{{Amount: 16000, DueDate: time.Now().AddDate(0, 0, 30), Transfers: []pagopa.TransferRequest{
			{Amount: 16000, Category: "9/0104102TS/"},
		}}}}
}

func issue(t *testing.T, w *world, req pagopa.IssueRequest) *pagopa.Position {
	t.Helper()
	v, err := w.env.ExecuteActivity(pagopa.IssuePositionName, req)
	if err != nil {
		t.Fatal(err)
	}
	var p pagopa.Position
	if err := v.Get(&p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// TestRoundTrip: issue → pay at the simulator → receipt (posted twice) → paid, notified once per delivery.
func TestRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{DuplicateReceipts: true, ErrorRate: 0.3})
		ctx := context.Background()
		p := issue(t, w, feeRequest("MAT-1"))
		if p.Status != pagopa.Valid || !p.Synced {
			t.Fatalf("issued: %s synced=%v", p.Status, p.Synced)
		}
		again := issue(t, w, feeRequest("MAT-1"))
		if again.ID != p.ID || again.Options[0].NoticeNumber != p.Options[0].NoticeNumber {
			t.Fatalf("second issue gave another position: %s %s", again.ID, again.Options[0].NoticeNumber)
		}
		pay, err := w.sim.Pay(ctx, trieste.FiscalCode, p.Options[0].NoticeNumber, "RSSMRA80A01H501U")
		if err != nil {
			t.Fatal(err)
		}
		var outcomes []string
		for _, d := range pay.Delivery {
			outcomes = append(outcomes, d.Outcome+" "+d.FaultCode)
		}
		if diff := cmp.Diff([]string{"OK ", "KO " + pagopa.FaultDuplicate}, outcomes); diff != "" {
			t.Errorf("deliveries (-want +got):\n%s", diff)
		}
		got, err := w.store.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != pagopa.Paid || got.Options[0].ReceiptID != pay.ReceiptID {
			t.Errorf("after payment: %s receipt %q", got.Status, got.Options[0].ReceiptID)
		}
		if n, _ := w.store.ReceiptCount(ctx, pay.ReceiptID); n != 1 {
			t.Errorf("receipt stored %d times", n)
		}
		want := []string{"pr-MAT-1 " + pay.ReceiptID, "pr-MAT-1 " + pay.ReceiptID}
		if diff := cmp.Diff(want, w.notifier.calls); diff != "" {
			t.Errorf("notifications (-want +got):\n%s", diff)
		}
		if _, err := w.sim.Pay(ctx, trieste.FiscalCode, p.Options[0].NoticeNumber, ""); !errors.Is(err, sim.ErrNotPayable) {
			t.Errorf("second payment: %v", err)
		}
		// A paid position cannot be invalidated.
		_, err = w.env.ExecuteActivity(pagopa.InvalidatePositionName, pagopa.PositionRef{OrgFiscalCode: trieste.FiscalCode, IUPD: "MAT-1"})
		assertAppError(t, err, "conflict")

		v, err := w.env.ExecuteActivity(pagopa.RenderNoticeName, pagopa.NoticeRequest{PositionRef: pagopa.PositionRef{OrgFiscalCode: trieste.FiscalCode, IUPD: "MAT-1"}, Lang: "sl"})
		if err != nil {
			t.Fatal(err)
		}
		var nf pagopa.NoticeFile
		if err := v.Get(&nf); err != nil || string(nf.PDF[:5]) != "%PDF-" || nf.Name != "avviso-MAT-1-sl.pdf" {
			t.Errorf("notice: %s %q %v", nf.Name, nf.PDF[:5], err)
		}
	})
}

func TestInvalidateAndDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{Delay: time.Millisecond})
		req := feeRequest("MAT-2")
		req.Publish = false
		p := issue(t, w, req)
		if p.Status != pagopa.Draft {
			t.Fatalf("draft: %s", p.Status)
		}
		ref := pagopa.PositionRef{OrgFiscalCode: trieste.FiscalCode, IUPD: "MAT-2"}
		if _, err := w.sim.Pay(context.Background(), trieste.FiscalCode, p.Options[0].NoticeNumber, ""); !errors.Is(err, sim.ErrNotPayable) {
			t.Errorf("paying a draft: %v", err)
		}
		for _, name := range []string{pagopa.PublishPositionName, pagopa.PublishPositionName} {
			if _, err := w.env.ExecuteActivity(name, ref); err != nil {
				t.Fatal(err)
			}
		}
		v, err := w.env.ExecuteActivity(pagopa.InvalidatePositionName, ref)
		if err != nil {
			t.Fatal(err)
		}
		var got pagopa.Position
		v.Get(&got)
		if got.Status != pagopa.Invalid {
			t.Errorf("invalidated: %s", got.Status)
		}
		if _, err := w.sim.Pay(context.Background(), trieste.FiscalCode, p.Options[0].NoticeNumber, ""); !errors.Is(err, sim.ErrNotPayable) {
			t.Errorf("paying an invalid position: %v", err)
		}
		_, err = w.env.ExecuteActivity(pagopa.PublishPositionName, ref)
		assertAppError(t, err, "conflict")
	})
}

func TestIssueRefusesBadInput(t *testing.T) {
	w := newWorld(t, storetest.SQLite(t), sim.Config{})
	tests := []struct {
		name   string
		change func(r *pagopa.IssueRequest)
		field  string
	}{
		{"unknown taxonomy", func(r *pagopa.IssueRequest) { r.Options[0].Transfers[0].Category = "9/0104199TS/" }, "paymentOption[0].transfer[0].category"},
		{"expired taxonomy", func(r *pagopa.IssueRequest) { r.Options[0].Transfers[0].Category = "9/0115119AP/" }, "paymentOption[0].transfer[0].category"},
		{"six transfers", func(r *pagopa.IssueRequest) {
			r.Options[0].Transfers = nil
			for i := 0; i < 6; i++ {
				r.Options[0].Transfers = append(r.Options[0].Transfers, pagopa.TransferRequest{Amount: 1000, Category: "9/0104102TS/"})
			}
			r.Options[0].Amount = 6000
		}, "paymentOption[0].transfer[5]"},
		{"bad debtor", func(r *pagopa.IssueRequest) { r.Debtor.FiscalCode = "RSSMRA80A01H501X" }, "debtor.fiscalCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := feeRequest("BAD-" + tt.name)
			tt.change(&req)
			_, err := w.env.ExecuteActivity(pagopa.IssuePositionName, req)
			assertAppError(t, err, "invalid")
			if err != nil && !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %s", err, tt.field)
			}
			if _, err := w.store.ByIUPD(context.Background(), trieste.FiscalCode, req.IUPD); err == nil {
				t.Error("a refused position was stored")
			}
		})
	}
}

func assertAppError(t *testing.T, err error, typ string) {
	t.Helper()
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an application error %s", err, typ)
	}
	if ae.Type() != typ || !ae.NonRetryable() {
		t.Errorf("type %s non-retryable %v, want %s non-retryable", ae.Type(), ae.NonRetryable(), typ)
	}
}

// catalog is a ServiceCatalog made of a function.
type catalog struct {
	find func(ctx context.Context, id string) (*pagopa.SpontaneousService, error)
}

func (c catalog) SpontaneousService(ctx context.Context, id string) (*pagopa.SpontaneousService, error) {
	return c.find(ctx, id)
}

var suoloPubblico = &pagopa.SpontaneousService{ID: "c_l424.suolo-pubblico", Name: "Occupazione suolo pubblico", Creditor: trieste,
	Taxonomy: "9/0101103IM/", Fee: pagopa.FeeRule{Kind: "per_unit", Amount: 250, Unit: "m²"}}

// TestSpontaneousPayment: a citizen picks a service, gets a notice and pays it in the simulator.
func TestSpontaneousPayment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{})
		spo := &pagopa.Spontaneous{Payments: w.acts.Payments, Services: catalog{find: func(_ context.Context, id string) (*pagopa.SpontaneousService, error) {
			if id == suoloPubblico.ID {
				return suoloPubblico, nil
			}
			return nil, errs.E(errs.NotFound, "no service %s", id)
		}}}
		ctx := context.Background()
		debtor := pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"}
		req := pagopa.SpontaneousRequest{ServiceID: suoloPubblico.ID, Quantity: 12, Reason: "dehors via Roma", RequestID: "r-1"}
		p, err := spo.Start(ctx, debtor, req)
		if err != nil {
			t.Fatal(err)
		}
		if p.Amount() != 3000 || p.Status != pagopa.Valid || p.Subject != "Occupazione suolo pubblico - dehors via Roma" {
			t.Fatalf("position: %d %s %q", p.Amount(), p.Status, p.Subject)
		}
		again, err := spo.Start(ctx, debtor, req)
		if err != nil || again.ID != p.ID {
			t.Fatalf("retried request: %v %v", again, err)
		}
		if _, err := w.sim.Pay(ctx, trieste.FiscalCode, p.Options[0].NoticeNumber, debtor.FiscalCode); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.store.Get(ctx, p.ID); got.Status != pagopa.Paid {
			t.Errorf("after payment: %s", got.Status)
		}
		for _, tt := range []struct {
			req   pagopa.SpontaneousRequest
			field string
		}{
			{pagopa.SpontaneousRequest{ServiceID: "c_l424.nope"}, "serviceId"},
			{pagopa.SpontaneousRequest{ServiceID: suoloPubblico.ID}, "quantity"},
		} {
			_, err := spo.Start(ctx, debtor, tt.req)
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Fields[0].Field != tt.field {
				t.Errorf("%+v: err = %v, want invalid %s", tt.req, err, tt.field)
			}
		}
	})
}
