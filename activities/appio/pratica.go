package appio

import (
	"context"
	"log/slog"

	"github.com/sportello/sportello/activities"
)

// Outcomes the interpreter records on the pratica's timeline.
var outcomes = map[Status]string{Sent: "sent", NotOnIO: "not_on_io", Refused: "sender_not_allowed"}

// Messenger sends the messages of the pratiche's notify steps; it implements
// activities.Messages for the interpreter's SendMessage activity. The request
// key (pratica, step, sequence) is the idempotency key.
type Messenger struct {
	Activities *Activities
}

// Send delivers one notify step's message on App IO, with the payment data of
// the pratica's last notice when the step asks for it.
func (m *Messenger) Send(ctx context.Context, req activities.MessageRequest) (*activities.MessageSent, error) {
	if req.Channel != "appio" || !req.Service.IOEnabled {
		// The service is not on IO (or the channel is another one): the pratica
		// goes on, and its timeline says the message was not sent.
		slog.Default().Info("message not sent: service not on App IO", "service", req.Service.ID, "channel", req.Channel)
		return &activities.MessageSent{Outcome: "disabled"}, nil
	}
	in := SendInput{Key: "pratica:" + req.Key, Ente: req.Service.Ente, Service: req.Service.ID, PraticaID: req.PraticaID,
		FiscalCode: req.FiscalCode, Subject: req.Subject, Markdown: req.Markdown}
	if p := req.Payment; p != nil {
		due := p.DueDate.UTC()
		in.DueDate = &due
		in.Payment = &PaymentData{Amount: p.AmountCents, NoticeNumber: p.NoticeNumber, Payee: &Payee{FiscalCode: req.Service.EnteFiscalCode}}
	}
	res, err := m.Activities.SendMessage(ctx, in)
	if err != nil {
		return nil, err
	}
	return &activities.MessageSent{ID: res.MessageID, Outcome: outcomes[res.Status]}, nil
}
