package email_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/email"
	"github.com/sportello/sportello/store/storetest"
)

func request(key, to string) activities.MessageRequest {
	return activities.MessageRequest{Key: key, PraticaID: "p1", Channel: "email", To: to,
		Service: activities.ServiceInfo{ID: "c_l424.matrimonio", Ente: "c_l424", EnteName: "Comune di Trieste"},
		Subject: "Pratica ricevuta", Markdown: "La sua domanda è stata ricevuta.",
		Payment: &activities.PaymentIssued{NoticeNumber: "301000000000000017", AmountCents: 15000,
			DueDate: time.Date(2026, 12, 31, 22, 59, 59, 0, time.UTC), PayURL: "http://localhost/pay"}}
}

// messenger returns a Messenger on a real store and a catcher over TCP.
func messenger(t *testing.T, db *gorm.DB) (*email.Messenger, *email.Catcher, *email.Store) {
	c := email.NewCatcher()
	cl, err := email.NewClient(catcher(t, c))
	if err != nil {
		t.Fatal(err)
	}
	st := email.NewStore(db, nil)
	return &email.Messenger{Sender: cl, Intents: st}, c, st
}

func appErrType(err error) string {
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.NonRetryable() {
		return ae.Type()
	}
	return ""
}

func TestMessengerSendsOncePerStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		tests := []struct {
			name string
			// fault prepares the catcher before the first attempt.
			fault func(c *email.Catcher)
			// firstErr is the first attempt's error: "" none, "retry" a retryable one.
			firstErr string
			// second is the second attempt's (the retry's) non-retryable error type; "" sent.
			second string
			status email.Status
		}{
			{"retry after success sends nothing", func(*email.Catcher) {}, "", "", email.Sent},
			{"temporary refusal is retried and sent once", func(c *email.Catcher) { c.RefuseNext(1) }, "retry", "", email.Sent},
			{"lost answer is never sent again", func(c *email.Catcher) { c.DropAnswers(1) }, "retry", email.ErrUncertain, email.Unknown},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m, c, st := messenger(t, db)
				to := "sposa@example.it"
				req := request("p1/avviso/"+string(rune('1'+i)), to)
				tt.fault(c)
				out, err := m.Send(ctx, req)
				switch {
				case tt.firstErr == "" && (err != nil || out.Outcome != "sent"):
					t.Fatalf("first attempt = %+v, %v; want sent", out, err)
				case tt.firstErr == "retry" && (err == nil || appErrType(err) != ""):
					t.Fatalf("first attempt err = %v, want a retryable error", err)
				}
				out, err = m.Send(ctx, req) // what Temporal does on a retry
				if got := appErrType(err); got != tt.second || (tt.second == "" && (err != nil || out.Outcome != "sent")) {
					t.Fatalf("retry = %+v, %v (type %q); want type %q", out, err, got, tt.second)
				}
				if n := len(c.Messages(to)); n != 1 {
					t.Errorf("the catcher holds %d messages, want exactly 1", n)
				}
				it, err := st.ByKey(ctx, "pratica:"+req.Key)
				if err != nil {
					t.Fatal(err)
				}
				if it.Status != tt.status || it.Recipient != to {
					t.Errorf("intent = %s to %s, want %s to %s", it.Status, it.Recipient, tt.status, to)
				}
			})
		}
	})
}

func TestMessengerBodyAndOutcomes(t *testing.T) {
	db := storetest.SQLite(t)
	m, c, _ := messenger(t, db)
	ctx := context.Background()
	if _, err := m.Send(ctx, request("p1/a/1", "sposa@example.it")); err != nil {
		t.Fatal(err)
	}
	got := c.Messages("sposa@example.it")[0].Text
	for _, want := range []string{"La sua domanda è stata ricevuta.", "301000000000000017", "€ 150.00", "31/12/2026", "http://localhost/pay", "Comune di Trieste"} {
		if !strings.Contains(got, want) {
			t.Errorf("body %q lacks %q", got, want)
		}
	}
	for _, tc := range []struct{ to, outcome string }{{"", "no_address"}, {"not an address", "invalid_address"}, {"a@b.it, c@d.it", "invalid_address"}} {
		out, err := m.Send(ctx, request("p1/b/"+tc.outcome+tc.to, tc.to))
		if err != nil || out.Outcome != tc.outcome {
			t.Errorf("to %q = %+v, %v; want outcome %s", tc.to, out, err, tc.outcome)
		}
	}
	if n := len(c.Messages("")); n != 1 {
		t.Errorf("the catcher holds %d messages, want 1", n)
	}
	_, err := (&email.Messenger{Intents: email.NewStore(db, nil)}).Send(ctx, request("p1/c/1", "a@b.it"))
	if got := appErrType(err); got != email.ErrNotConfigured {
		t.Errorf("without SMTP: err type %q (%v), want %s", got, err, email.ErrNotConfigured)
	}
}
