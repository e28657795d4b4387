package email

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// ApplicationError types of permanent failures; workflows branch on them.
const (
	ErrNotConfigured = "email_not_configured" // no SMTP server is configured
	ErrRefused       = "email_refused"        // the server refused the message for good
	ErrUncertain     = "email_uncertain"      // an earlier attempt may have delivered it: not sent again
)

// Sender is what sends one message; *Client implements it.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Intents is where e-mail intents are written before the server is called.
type Intents interface {
	Begin(ctx context.Context, in Intent) (*Intent, bool, error)
	Mark(ctx context.Context, id string, from, to Status, reason string) error
}

// Messenger sends the e-mails of the pratiche's notify steps; it implements
// activities.Messages for the "email" channel. The request key (pratica, step,
// sequence) is the idempotency key: an intent row with that key is written
// before sending and marked sent after, so a retried activity never sends twice.
type Messenger struct {
	Sender  Sender // nil: no SMTP server configured
	Intents Intents
	Log     *slog.Logger
}

// Send delivers one notify step's e-mail to req.To. A pratica without an
// address is an outcome on its timeline (no_address, invalid_address), not a failure.
func (m *Messenger) Send(ctx context.Context, req activities.MessageRequest) (*activities.MessageSent, error) {
	if req.Channel != "email" {
		return nil, permanent(errs.Field("channel", "%q is not email", req.Channel), ErrRefused)
	}
	to := strings.TrimSpace(req.To)
	if to == "" {
		return &activities.MessageSent{Outcome: "no_address"}, nil
	}
	if a, err := mail.ParseAddress(to); err != nil || a.Address != to {
		return &activities.MessageSent{Outcome: "invalid_address"}, nil
	}
	if m.Sender == nil {
		return nil, permanent(errs.E(errs.Invalid, "e-mail is not configured: set SPORTELLO_SMTP_HOST and SPORTELLO_SMTP_FROM"), ErrNotConfigured)
	}
	it, _, err := m.Intents.Begin(ctx, Intent{Key: "pratica:" + req.Key, Ente: req.Service.Ente, Service: req.Service.ID,
		PraticaID: req.PraticaID, Recipient: to, Subject: req.Subject})
	if err != nil {
		return nil, err
	}
	switch it.Status {
	case Sent:
		return &activities.MessageSent{ID: it.ID, Outcome: "sent"}, nil
	case Failed:
		return nil, permanent(errs.E(errs.Invalid, "e-mail %s was refused by the mail server: %s", it.Key, it.Error), ErrRefused)
	case Sending, Unknown:
		if it.Status == Sending {
			_ = m.Intents.Mark(ctx, it.ID, Sending, Unknown, "an earlier attempt ended without an answer")
		}
		return nil, permanent(errs.E(errs.Conflict, "e-mail %s may have been delivered by an earlier attempt: not sent again", it.Key), ErrUncertain)
	}
	if err := m.Intents.Mark(ctx, it.ID, Pending, Sending, ""); err != nil {
		return nil, permanent(err, ErrUncertain)
	}
	err = m.Sender.Send(ctx, Message{To: to, Subject: req.Subject, Text: body(req), MessageID: it.ID + "@sportello"})
	if err != nil {
		var se *SendError
		switch {
		case errors.As(err, &se) && se.Uncertain:
			// The message left and no answer came: the server may have taken it.
			// The intent stays "sending", so a retry will not send it again.
			return nil, err
		case errors.As(err, &se) && se.Permanent:
			_ = m.Intents.Mark(ctx, it.ID, Sending, Failed, se.Error())
			return nil, permanent(err, ErrRefused)
		}
		if mErr := m.Intents.Mark(ctx, it.ID, Sending, Pending, err.Error()); mErr != nil {
			return nil, fmt.Errorf("%w (and %v)", err, mErr)
		}
		return nil, err // Temporal retries with backoff
	}
	m.logger().Info("e-mail sent", "key", it.Key, "service", req.Service.ID)
	if err := m.Intents.Mark(ctx, it.ID, Sending, Sent, ""); err != nil {
		return nil, err
	}
	return &activities.MessageSent{ID: it.ID, Outcome: "sent"}, nil
}

// body is the step's text, followed by the notice's payment data when the step carries it.
func body(req activities.MessageRequest) string {
	b := strings.TrimSpace(req.Markdown) + "\n"
	if p := req.Payment; p != nil {
		b += fmt.Sprintf("\nAvviso di pagamento / Payment notice: %s\nImporto / Amount: € %d.%02d\nScadenza / Due: %s\n",
			p.NoticeNumber, p.AmountCents/100, p.AmountCents%100, p.DueDate.In(calendar.Rome).Format("02/01/2006"))
		if p.PayURL != "" {
			b += "Paga / Pay: " + p.PayURL + "\n"
		}
	}
	if req.Service.EnteName != "" {
		b += "\n-- \n" + req.Service.EnteName + "\n"
	}
	return b
}

func permanent(err error, typ string) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), typ, err)
}

func (m *Messenger) logger() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}
