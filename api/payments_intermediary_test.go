package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestReceiptThroughSecondStation: Trieste's tax concessionaire has its own
// pagoPA station (its broker code and station id) and a machine key serving
// Trieste. A citizen pays a notice the concessionaire issued (segregation
// code 47) at its simulator; the paSendRTV2 the concessionaire's station
// posts over HTTP is accepted and matched: the position is paid. The same
// station's receipt for an ente its key does not serve is refused.
func TestReceiptThroughSecondStation(t *testing.T) {
	const concBroker, concStation = "01234567897", "01234567897_02"
	db := storetest.SQLite(t)
	st := pagopa.NewStore(db, nil)
	station := &Principal{Subject: "conc-station", Role: RoleMachine, Ente: Region, Scopes: []string{"receipt:create"}, Serves: []string{"c_l424"}}
	h := NewPayments(&pagopa.Receipts{Store: st}, st, nil, func(_ context.Context, ente string) (string, error) {
		return "00210240321", nil
	})
	h.EnteOf = func(_ context.Context, cf string) (string, error) {
		if cf == "00210240321" {
			return "c_l424", nil
		}
		return "", errs.E(errs.NotFound, "no ente has fiscal code %s", cf)
	}
	var mu sync.Mutex
	var brokers []string
	srv := New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { SetPrincipal(c, station); return next(c) }
		}
	}}, h)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if req, err := pagopa.ParseSendRT(teeBody(r)); err == nil {
			mu.Lock()
			brokers = append(brokers, req.IDBrokerPA+"/"+req.IDStation)
			mu.Unlock()
		}
		srv.Echo.ServeHTTP(w, r)
	}))
	t.Cleanup(api.Close)
	concSim := sim.New(sim.Config{ReceiptURL: api.URL + "/api/payments/receipts/soap", BrokerPA: concBroker, Station: concStation})
	gpd := httptest.NewServer(concSim)
	t.Cleanup(gpd.Close)
	svc := &pagopa.Service{Positions: st, GPD: pagopa.NewClient(gpd.URL, "")}
	pos, err := svc.Issue(context.Background(), pagopa.IssueRequest{IUPD: "TARI-CONC-1", Creditor: payTrieste, Publish: true,
		Debtor: pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"}, Subject: "TARI 2026",
		Options: []pagopa.OptionRequest{{Amount: 12000, DueDate: time.Now().AddDate(0, 0, 30),
			Transfers: []pagopa.TransferRequest{{Amount: 12000, Category: "9/0101101IM/"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if pos.Options[0].IUV[:2] != "47" {
		t.Fatalf("IUV %s, want the concessionaire's code 47", pos.Options[0].IUV)
	}
	res, err := http.PostForm(gpd.URL+"/checkout/pay", url.Values{"org": {payTrieste.FiscalCode}, "notice": {pos.Options[0].NoticeNumber}, "payer": {"RSSMRA80A01H501U"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("pay: %d", res.StatusCode)
	}
	var got *pagopa.Position
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got, err = st.ByIUPD(context.Background(), payTrieste.FiscalCode, pos.IUPD); err == nil && got.Status == pagopa.Paid {
			break
		}
	}
	if got == nil || got.Status != pagopa.Paid || got.Options[0].ReceiptID == "" {
		t.Errorf("position after the concessionaire's receipt: %+v, %v; want paid with its receipt", got, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(brokers) == 0 || brokers[0] != concBroker+"/"+concStation {
		t.Errorf("receipts came through %v, want the concessionaire's station %s/%s", brokers, concBroker, concStation)
	}
}

// teeBody reads r's body for a look and puts it back for the handler.
func teeBody(r *http.Request) *bytes.Reader {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return bytes.NewReader(b)
}
