package sim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/calendar"
)

const org = "00210240321"

func position(iupd string, installments bool) pagopa.GPDPosition {
	tr := func(id string, amount int64) []pagopa.GPDTransfer {
		return []pagopa.GPDTransfer{{IDTransfer: id, Amount: amount, IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/",
			RemittanceInformation: "TARI", TransferMetadata: []pagopa.GPDMetadata{}}}
	}
	due := time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC)
	p := pagopa.GPDPosition{IUPD: iupd, Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi", CompanyName: "Comune di Trieste",
		PaymentOption: []pagopa.GPDOption{{IUV: "47000000000000124", Amount: 3000, Description: "TARI 2026", DueDate: due, Transfer: tr("1", 3000)}}}
	if installments {
		p.PaymentOption = append(p.PaymentOption,
			pagopa.GPDOption{IUV: "47000000000000225", Amount: 1500, Description: "Rata 1", IsPartialPayment: true, DueDate: due, Transfer: tr("1", 1500)},
			pagopa.GPDOption{IUV: "47000000000000326", Amount: 1500, Description: "Rata 2", IsPartialPayment: true, DueDate: due, Transfer: tr("1", 1500)})
	}
	return p
}

// receiver is a receipt endpoint that records what it is sent.
type receiver struct {
	mu      sync.Mutex
	bodies  []string
	headers []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.bodies = append(rc.bodies, string(b))
	rc.headers = append(rc.headers, r.Header.Get("X-Api-Key"))
	w.Write(pagopa.SendRTResponse(2, "", "", ""))
}

func TestCheckoutOverHTTP(t *testing.T) {
	rc := &receiver{}
	rcv := httptest.NewServer(rc)
	defer rcv.Close()
	s := sim.New(sim.Config{ReceiptURL: rcv.URL, ReceiptHeaders: map[string]string{"X-Api-Key": "k1"}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := pagopa.NewClient(srv.URL, "")
	ctx := context.Background()
	if _, err := c.CreatePosition(ctx, org, position("TARI-1", true), true); err != nil {
		t.Fatal(err)
	}
	page := get(t, srv.URL+"/checkout?lang=en&org="+org+"&notice=347000000000000225")
	for _, want := range []string{"Pay a pagoPA notice", "Rata 1", "15.00 €", `name="notice" value="347000000000000225"`} {
		if !strings.Contains(page, want) {
			t.Errorf("checkout page lacks %q", want)
		}
	}
	if it := get(t, srv.URL+"/checkout?org="+org+"&notice=347000000000000999"); !strings.Contains(it, "Avviso non trovato") {
		t.Errorf("unknown notice page: %s", it)
	}
	res, err := http.PostForm(srv.URL+"/checkout/pay", url.Values{"org": {org}, "notice": {"347000000000000225"}, "lang": {"it"}, "payer": {"rssmra80a01h501u"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Pagamento eseguito") {
		t.Fatalf("pay: %d %s", res.StatusCode, body)
	}
	if len(rc.bodies) != 1 || rc.headers[0] != "k1" {
		t.Fatalf("receipts sent: %d, headers %v", len(rc.bodies), rc.headers)
	}
	rt, err := pagopa.ParseSendRT(strings.NewReader(rc.bodies[0]))
	if err != nil {
		t.Fatalf("the simulator's receipt does not parse: %v", err)
	}
	if rt.Receipt.NoticeNumber != "347000000000000225" || rt.Receipt.Amount != 1500 || rt.Receipt.Payer.ID != "RSSMRA80A01H501U" {
		t.Errorf("receipt: %+v", rt.Receipt)
	}
	got, err := c.GetPosition(ctx, org, "TARI-1")
	if err != nil || got.Status != string(pagopa.PartiallyPaid) {
		t.Fatalf("after one installment: %v %v", got.Status, err)
	}
	// Paying in installments excludes the single payment.
	if _, err := s.Pay(ctx, org, "347000000000000124", ""); !errors.Is(err, sim.ErrNotPayable) {
		t.Errorf("single payment after an installment: %v", err)
	}
	if _, err := s.Pay(ctx, org, "347000000000000225", ""); !errors.Is(err, sim.ErrAlreadyPaid) {
		t.Errorf("paying an installment twice: %v", err)
	}
	if _, err := s.Pay(ctx, org, "347000000000000326", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.GetPosition(ctx, org, "TARI-1"); got.Status != string(pagopa.Paid) {
		t.Errorf("after both installments: %s", got.Status)
	}

	var pays []sim.Payment
	day := time.Now().In(calendar.Rome).Format("2006-01-02")
	if err := json.Unmarshal([]byte(get(t, srv.URL+"/payments?date="+day)), &pays); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range pays {
		if p.IUR == "" || p.ReceiptID == "" || p.PSP != sim.PSPID || len(p.Transfers) != 1 {
			t.Errorf("payment line: %+v", p)
		}
		lines = append(lines, p.IUV+" "+pagopa.FormatAmount(p.Amount)+" "+p.OrganizationFiscalCode)
	}
	want := []string{"47000000000000225 15.00 " + org, "47000000000000326 15.00 " + org}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("payments (-want +got):\n%s", diff)
	}
	if other := get(t, srv.URL+"/payments?date=2001-01-01"); strings.TrimSpace(other) != "[]" {
		t.Errorf("payments of another day: %s", other)
	}
}

func TestGPDFaultsAndKey(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Config{SubscriptionKey: "secret", ErrorRate: 1}))
	defer srv.Close()
	c := pagopa.NewClient(srv.URL, "wrong")
	if _, err := c.GetPosition(context.Background(), org, "X"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong key: %v", err)
	}
	c = pagopa.NewClient(srv.URL, "secret")
	c.Attempts, c.Backoff = 2, time.Millisecond
	if _, err := c.GetPosition(context.Background(), org, "X"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("error rate 1: %v", err)
	}
}

func TestGPDLifecycle(t *testing.T) {
	srv := httptest.NewServer(sim.New(sim.Config{}))
	defer srv.Close()
	c := pagopa.NewClient(srv.URL, "")
	ctx := context.Background()
	p, err := c.CreatePosition(ctx, org, position("P-1", false), false)
	if err != nil || p.Status != "DRAFT" || p.PaymentOption[0].NAV != "347000000000000124" {
		t.Fatalf("create: %+v %v", p, err)
	}
	dup := position("P-2", false) // another iupd reusing the IUV
	res, err := http.Post(srv.URL+"/organizations/"+org+"/debtpositions", "application/json", strings.NewReader(mustJSON(dup)))
	if err != nil || res.StatusCode != http.StatusConflict {
		t.Fatalf("reused IUV: %v %v", res.StatusCode, err)
	}
	for i, want := range []string{"VALID", "VALID"} { // publishing twice is idempotent for the client
		if p, err = c.PublishPosition(ctx, org, "P-1"); err != nil || p.Status != want {
			t.Fatalf("publish %d: %v %v", i, p, err)
		}
	}
	if p, err = c.InvalidatePosition(ctx, org, "P-1"); err != nil || p.Status != "INVALID" {
		t.Fatalf("invalidate: %v %v", p, err)
	}
	if _, err := c.PublishPosition(ctx, org, "P-1"); err == nil {
		t.Error("published an invalid position")
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestReceiptRedelivery: the station fails once (500 with a system error), then answers OK.
func TestReceiptRedelivery(t *testing.T) {
	var calls int
	var mu sync.Mutex
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			w.Write(pagopa.SendRTResponse(2, pagopa.FaultSystem, "system error", "retry"))
			return
		}
		w.Write(pagopa.SendRTResponse(2, "", "", ""))
	}))
	defer rcv.Close()
	s := sim.New(sim.Config{ReceiptURL: rcv.URL})
	srv := httptest.NewServer(s)
	defer srv.Close()
	if _, err := pagopa.NewClient(srv.URL, "").CreatePosition(context.Background(), org, position("R-1", false), true); err != nil {
		t.Fatal(err)
	}
	pay, err := s.Pay(context.Background(), org, "347000000000000124", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range pay.Delivery {
		got = append(got, strconv.Itoa(d.Status)+" "+d.Outcome+" "+d.FaultCode)
	}
	if diff := cmp.Diff([]string{"500 KO " + pagopa.FaultSystem, "200 OK "}, got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
}
