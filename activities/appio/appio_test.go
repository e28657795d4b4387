package appio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.temporal.io/sdk/temporal"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

const (
	onIO    = "RSSMRA80A01H501U"
	notOnIO = "BNCLRA85M41L424K"
	key     = "key-c_l424.matrimonio"
)

var body = strings.Repeat("Il pagamento per la celebrazione del matrimonio è stato ricevuto. ", 2)

func newClient(t *testing.T, sim *appio.Simulator) *appio.Client {
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c := appio.NewClient(srv.URL + "/api/v1")
	c.Sleep = func(context.Context, time.Duration) error { return nil }
	return c
}

func TestValidate(t *testing.T) {
	due := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		m    appio.NewMessage
		want []string
	}{
		{"ok", appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Pagamento ricevuto", Markdown: body}}, nil},
		{"limits", appio.NewMessage{FiscalCode: "RSSMRA80A01H501X", TimeToLive: 10, Content: appio.Content{Subject: "short", Markdown: "tiny",
			PaymentData: &appio.PaymentData{Amount: 0, NoticeNumber: "912345678901234567", InvalidAfterDueDate: true, Payee: &appio.Payee{FiscalCode: "abc"}}}},
			[]string{"fiscal_code", "time_to_live", "content.subject", "content.markdown", "content.payment_data.amount",
				"content.payment_data.notice_number", "content.payment_data.payee.fiscal_code", "content.due_date"}},
		{"payment ok", appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Avviso di pagamento", Markdown: body, DueDate: &due,
			PaymentData: &appio.PaymentData{Amount: 1600, NoticeNumber: "301000000000000017", InvalidAfterDueDate: true, Payee: &appio.Payee{FiscalCode: "00210240321"}}}}, nil},
		{"subject too long", appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: strings.Repeat("à", 121), Markdown: body}}, []string{"content.subject"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			if e, ok := errs.As(tt.m.Validate()); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClientAgainstSimulator(t *testing.T) {
	sim := appio.NewSimulator(notOnIO)
	c := newClient(t, sim)
	ctx := context.Background()

	p, err := c.Profile(ctx, key, onIO)
	if err != nil || !p.SenderAllowed {
		t.Fatalf("profile = %+v, %v", p, err)
	}
	if _, err := c.Profile(ctx, key, notOnIO); !errors.Is(err, appio.ErrNotOnIO) {
		t.Fatalf("not on IO: got %v", err)
	}
	var waits []time.Duration
	c.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	sim.Throttle(2) // two 429s, then through: the client honours Retry-After and retries
	id, err := c.Submit(ctx, key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Pagamento ricevuto", Markdown: body}})
	if err != nil || id == "" {
		t.Fatalf("submit: %q, %v", id, err)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, time.Second}, waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	inbox := sim.Inbox(onIO)
	if len(inbox) != 1 || inbox[0].ID != id || inbox[0].Service != key {
		t.Fatalf("inbox = %+v", inbox)
	}
	// The simulator applies IO's limits itself, whatever the client sends.
	req, _ := http.NewRequest(http.MethodPost, c.BaseURL+"/messages", strings.NewReader(`{"fiscal_code":"`+onIO+`","content":{"subject":"short","markdown":"x"}}`))
	req.Header.Set(appio.KeyHeader, key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad message: status %d, want 400", resp.StatusCode)
	}
	root := *c
	root.BaseURL = strings.TrimSuffix(c.BaseURL, "/api/v1") // as mounted at /sim/appio
	if p, err := root.Profile(ctx, key, onIO); err != nil || !p.SenderAllowed {
		t.Errorf("API at the root: %+v, %v", p, err)
	}
	sim.Throttle(10)
	_, err = c.Profile(ctx, key, onIO)
	var ce *appio.CallError
	if !errors.As(err, &ce) || ce.Status != http.StatusTooManyRequests {
		t.Errorf("after %d tries under throttle: %v, want 429", c.Attempts, err)
	}
}

func TestSimulatorInbox(t *testing.T) {
	sim := appio.NewSimulator()
	c := newClient(t, sim)
	if _, err := c.Submit(context.Background(), key, &appio.NewMessage{FiscalCode: onIO, Content: appio.Content{Subject: "Pagamento ricevuto", Markdown: body}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim)
	defer srv.Close()
	for _, tt := range []struct{ path, accept, want string }{
		{"/inbox/" + onIO, "application/json", `"subject":"Pagamento ricevuto"`},
		{"/inbox/" + onIO, "text/html", "<h2>Pagamento ricevuto</h2>"},
		{"/", "", onIO},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
		req.Header.Set("Accept", tt.accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_, _ = readBody(&b, resp)
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("GET %s (%s): %q does not contain %q", tt.path, tt.accept, b.String(), tt.want)
		}
	}
}

type keys map[string]string

func (k keys) APIKey(_ context.Context, service string) (string, error) {
	if v, ok := k[service]; ok {
		return v, nil
	}
	return "", errs.E(errs.NotFound, "service %s has no IO key", service)
}

func TestSendMessageIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		sim := appio.NewSimulator(notOnIO)
		st := appio.NewStore(db, nil)
		a := &appio.Activities{IO: newClient(t, sim), Keys: keys{"c_l424.matrimonio": key}, Intents: st}
		ctx := context.Background()
		in := appio.SendInput{Ente: "c_l424", Service: "c_l424.matrimonio", PraticaID: "p1", Step: "pagato", FiscalCode: onIO, Subject: "Pagamento ricevuto", Markdown: body}

		first, err := a.SendMessage(ctx, in)
		if err != nil || first.Status != appio.Sent || first.MessageID == "" {
			t.Fatalf("first send: %+v, %v", first, err)
		}
		again, err := a.SendMessage(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("retry answered differently (-first +again):\n%s", diff)
		}
		if n := len(sim.Inbox(onIO)); n != 1 {
			t.Errorf("inbox holds %d messages, want 1", n)
		}

		tests := []struct {
			name     string
			in       appio.SendInput
			want     appio.Status
			wantType string
		}{
			{"not on IO", appio.SendInput{Ente: "c_l424", Service: "c_l424.matrimonio", PraticaID: "p2", Step: "pagato", FiscalCode: notOnIO, Subject: "Pagamento ricevuto", Markdown: body}, appio.NotOnIO, ""},
			{"no key", appio.SendInput{Ente: "c_l424", Service: "c_l424.tari", PraticaID: "p3", Step: "avviso", FiscalCode: onIO, Subject: "Avviso TARI 2026", Markdown: body}, "", appio.ErrNoKey},
			{"bad message", appio.SendInput{Ente: "c_l424", Service: "c_l424.matrimonio", PraticaID: "p4", Step: "x", FiscalCode: onIO, Subject: "corto", Markdown: body}, "", appio.ErrInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := a.SendMessage(ctx, tt.in)
				var ae *temporal.ApplicationError
				gotType := ""
				if errors.As(err, &ae) {
					gotType = ae.Type()
					if !ae.NonRetryable() {
						t.Errorf("%s is retryable", gotType)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				if got.Status != tt.want || gotType != tt.wantType {
					t.Errorf("got %q/%q, want %q/%q", got.Status, gotType, tt.want, tt.wantType)
				}
			})
		}

		// An attempt that died after calling IO leaves the intent "sending": the
		// retry must not call IO again.
		in.PraticaID = "p5"
		it, _, err := st.Begin(ctx, appio.Intent{Key: in.IdemKey(), Ente: "c_l424", Service: in.Service, FiscalCode: onIO, Subject: in.Subject})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Mark(ctx, it.ID, appio.Pending, appio.Sending, "", ""); err != nil {
			t.Fatal(err)
		}
		before := sim.Count()
		_, err = a.SendMessage(ctx, in)
		var ae *temporal.ApplicationError
		if !errors.As(err, &ae) || ae.Type() != appio.ErrUncertain {
			t.Errorf("uncertain attempt: %v, want %s", err, appio.ErrUncertain)
		}
		if sim.Count() != before {
			t.Error("an uncertain message was sent again")
		}
		got, _ := st.ByKey(ctx, in.IdemKey())
		if got.Status != appio.Unknown {
			t.Errorf("status %q, want unknown", got.Status)
		}
	})
}
