package appio_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/store/storetest"
)

func TestMessengerForNotifySteps(t *testing.T) {
	sim := appio.NewSimulator()
	st := appio.NewStore(storetest.SQLite(t), nil)
	m := &appio.Messenger{Activities: &appio.Activities{IO: newClient(t, sim), Keys: keys{"c_l424.matrimonio": key}, Intents: st}}
	ctx := context.Background()
	svc := activities.ServiceInfo{ID: "c_l424.matrimonio", Ente: "c_l424", EnteFiscalCode: "00210240321", IOEnabled: true}
	due := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	req := activities.MessageRequest{Key: "p1/avviso/3", PraticaID: "p1", Service: svc, FiscalCode: onIO, Channel: "appio",
		Subject: "Avviso di pagamento per il matrimonio", Markdown: body,
		Payment: &activities.PaymentIssued{NoticeNumber: "347000000000000124", AmountCents: 16000, DueDate: due}}
	first, err := m.Send(ctx, req)
	if err != nil || first.Outcome != "sent" {
		t.Fatalf("send: %+v, %v", first, err)
	}
	again, err := m.Send(ctx, req)
	if err != nil || !cmp.Equal(first, again) {
		t.Errorf("retry: %+v, %v", again, err)
	}
	inbox := sim.Inbox(onIO)
	if len(inbox) != 1 {
		t.Fatalf("inbox holds %d messages", len(inbox))
	}
	want := appio.Content{Subject: req.Subject, Markdown: body, DueDate: &due,
		PaymentData: &appio.PaymentData{Amount: 16000, NoticeNumber: "347000000000000124", Payee: &appio.Payee{FiscalCode: "00210240321"}}}
	if diff := cmp.Diff(want, inbox[0].Content); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	svc.IOEnabled = false
	req.Service, req.Key = svc, "p1/avviso/4"
	if got, err := m.Send(ctx, req); err != nil || got.Outcome != "disabled" {
		t.Errorf("service without IO: %+v, %v", got, err)
	}
}
