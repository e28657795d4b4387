package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// TestSpontaneousPaymentThroughConcessionaire runs the real program with a
// second pagoPA simulator over HTTP playing Trieste's tax concessionaire
// (its GPD at SPORTELLO_PAGOPA_URL_CONC, which wants its own key, and its
// station posting receipts with a key the region made for it). The school
// meals service names the concessionaire: a citizen's spontaneous payment
// is issued at the concessionaire's GPD (the main simulator never sees it),
// paid at the concessionaire's checkout, and the receipt its station sends
// is accepted and matched: the position is paid.
func TestSpontaneousPaymentThroughConcessionaire(t *testing.T) {
	var conc atomic.Pointer[pagosim.Simulator]
	concSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := conc.Load(); s != nil {
			s.ServeHTTP(w, r)
			return
		}
		http.Error(w, "not ready", http.StatusServiceUnavailable)
	}))
	defer concSrv.Close()
	t.Setenv("SPORTELLO_PAGOPA_URL_CONC", concSrv.URL)
	t.Setenv("SPORTELLO_PAGOPA_KEY_PAGOPA_CONC", "conc-secret")
	p := startDev(t)
	region, admin, mario := p.token("admin.regione"), p.token("admin.trieste"), p.token("mario.rossi")

	var ente catalog.Ente
	if code := p.call("GET", "/api/catalog/enti/c_l424", admin, nil, &ente); code != http.StatusOK {
		t.Fatalf("ente = %d", code)
	}
	ente.Intermediaries = []catalog.Intermediary{{ID: "conc", Name: "Concessionario tributi", FiscalCode: concBroker, SegregationCode: "47", KeyRef: "pagopa/conc"}}
	put := func(path string, v any) {
		t.Helper()
		body, _ := json.Marshal(v)
		req, _ := http.NewRequest("PUT", p.url(path), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+admin)
		req.Header.Set("If-Match", "*")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("PUT %s = %d", path, resp.StatusCode)
		}
	}
	put("/api/catalog/enti/c_l424", ente)
	var sv catalog.Service
	if code := p.call("GET", "/api/catalog/services/c_l424.mensa", admin, nil, &sv); code != http.StatusOK || len(sv.Payments) == 0 {
		t.Fatalf("mensa = %d %+v", code, sv.Payments)
	}
	sv.Payments[0].Intermediary = "conc"
	spec, _ := json.Marshal(catalog.ServiceSpec{Payments: sv.Payments, AppIO: sv.AppIO})
	put("/api/catalog/services/c_l424.mensa", map[string]any{"ente": "c_l424", "base": "mensa", "spec": json.RawMessage(spec)})

	var station struct {
		Secret string `json:"secret"`
	}
	if code := p.call("POST", "/api/enti/c_l424/apikeys", region, map[string]any{"name": "Concessionario station",
		"scopes": []string{"receipt:create"}, "serves": []string{"c_l424"}}, &station); code != http.StatusCreated {
		t.Fatalf("station key = %d", code)
	}
	conc.Store(pagosim.New(pagosim.Config{SubscriptionKey: "conc-secret", BrokerPA: concBroker, Station: concBroker + "_02",
		ReceiptURL: p.url("/api/payments/receipts/soap"), ReceiptHeaders: map[string]string{"X-API-Key": station.Secret}}))

	var pos pagopa.Position
	if code := p.call("POST", "/api/payments/spontaneous", mario, map[string]any{"serviceId": "c_l424.mensa", "quantity": 10, "band": "C"}, &pos); code != http.StatusCreated {
		t.Fatalf("spontaneous payment = %d", code)
	}
	if len(pos.Options) == 0 || pos.Options[0].IUV[:2] != "47" || pos.Status != pagopa.Valid {
		t.Fatalf("position %+v, want a valid one with the concessionaire's code", pos)
	}
	ctx := context.Background()
	if _, err := pagopa.NewClient(p.url("/sim/pagopa"), "").GetPosition(ctx, "00210240321", pos.IUPD); !errs.Is(err, errs.NotFound) {
		t.Errorf("the main GPD has the concessionaire's position: %v", err)
	}
	res, err := http.PostForm(concSrv.URL+"/checkout/pay", url.Values{"org": {"00210240321"}, "notice": {pos.Options[0].NoticeNumber}, "payer": {"RSSMRA80A01H501U"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("pay at the concessionaire = %d", res.StatusCode)
	}
	var got pagopa.Position
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if p.call("GET", "/api/payments/positions/"+pos.ID, mario, nil, &got); got.Status == pagopa.Paid {
			break
		}
	}
	if got.Status != pagopa.Paid || got.Options[0].ReceiptID == "" {
		t.Errorf("after the concessionaire's receipt: %s %+v, want paid", got.Status, got.Options)
	}
}
