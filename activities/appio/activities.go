package appio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/errs"
)

// Activity names, persisted in histories: never rename one.
const (
	SendMessageActivity  = "appio.SendMessage"
	PlanCampaignActivity = "appio.PlanCampaign"
)

// ApplicationError types of permanent failures; workflows branch on them.
const (
	ErrInvalid   = "appio_invalid"   // the message breaks IO's limits
	ErrForbidden = "appio_forbidden" // IO refused our key
	ErrNoKey     = "appio_no_key"    // the catalog service has no IO key
	ErrUncertain = "appio_uncertain" // an earlier attempt may have delivered it: not sent again
)

// IO is the part of the IO API the activities use; *Client implements it.
type IO interface {
	Profile(ctx context.Context, apiKey, fiscalCode string) (*Profile, error)
	Submit(ctx context.Context, apiKey string, m *NewMessage) (string, error)
}

// Keys gives the IO API key of a catalog service (its IO service).
type Keys interface {
	APIKey(ctx context.Context, service string) (string, error)
}

// Intents is where message intents are written before IO is called.
type Intents interface {
	Begin(ctx context.Context, in Intent) (*Intent, bool, error)
	Mark(ctx context.Context, id string, from, to Status, ioID, reason string) error
	// Settled returns, of keys, those whose message already had its outcome.
	Settled(ctx context.Context, keys []string) (map[string]bool, error)
}

// Activities are the App IO activities; fields are interfaces so tests pass the
// simulator and a real store the same way production passes IO.
type Activities struct {
	IO         IO
	Keys       Keys
	Intents    Intents
	Recipients Recipients
	Log        *slog.Logger
}

// SendInput is one message to one citizen. Key makes it idempotent; when empty
// it is built from the pratica and the step.
type SendInput struct {
	Key        string       `json:"key,omitempty"`
	Ente       string       `json:"ente"`
	Service    string       `json:"service"`
	PraticaID  string       `json:"praticaId,omitempty"`
	Step       string       `json:"step,omitempty"`
	Campaign   string       `json:"campaign,omitempty"`
	FiscalCode string       `json:"fiscalCode"`
	Subject    string       `json:"subject"`
	Markdown   string       `json:"markdown"`
	DueDate    *time.Time   `json:"dueDate,omitempty"`
	Payment    *PaymentData `json:"payment,omitempty"`
}

// IdemKey is the idempotency key of the message.
func (in SendInput) IdemKey() string {
	if in.Key != "" {
		return in.Key
	}
	return "pratica:" + in.PraticaID + ":" + in.Step
}

// SendResult says what became of a message: sent (with IO's id), or why not.
type SendResult struct {
	Status    Status `json:"status"`
	MessageID string `json:"messageId,omitempty"`
}

// SendMessage sends one message at most once per key: the intent row is written
// first, then the profile is checked, then the message is submitted and the
// intent marked sent. A citizen without IO is an outcome, not an error.
func (a *Activities) SendMessage(ctx context.Context, in SendInput) (SendResult, error) {
	if in.Key == "" && (in.PraticaID == "" || in.Step == "") {
		return SendResult{}, permanent(errs.Field("key", "is required when praticaId and step are not given"), ErrInvalid)
	}
	msg := &NewMessage{FiscalCode: in.FiscalCode, Content: Content{Subject: in.Subject, Markdown: in.Markdown, DueDate: in.DueDate, PaymentData: in.Payment}}
	if err := msg.Validate(); err != nil {
		return SendResult{}, permanent(err, ErrInvalid)
	}
	it, _, err := a.Intents.Begin(ctx, Intent{Key: in.IdemKey(), Ente: in.Ente, Service: in.Service, PraticaID: in.PraticaID,
		Step: in.Step, Campaign: in.Campaign, FiscalCode: in.FiscalCode, Subject: in.Subject})
	if err != nil {
		return SendResult{}, err
	}
	switch it.Status {
	case Sent, NotOnIO, Refused:
		return SendResult{Status: it.Status, MessageID: it.IOMessageID}, nil
	case Failed:
		return SendResult{}, permanent(errs.E(errs.Invalid, "message %s was refused by IO: %s", it.Key, it.Error), ErrInvalid)
	case Sending, Unknown:
		if it.Status == Sending {
			_ = a.Intents.Mark(ctx, it.ID, Sending, Unknown, "", "an earlier attempt ended without an answer")
		}
		return SendResult{Status: Unknown}, permanent(errs.E(errs.Conflict, "message %s may have been delivered by an earlier attempt: not sent again", it.Key), ErrUncertain)
	}
	key, err := a.Keys.APIKey(ctx, in.Service)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return SendResult{}, permanent(err, ErrNoKey)
		}
		return SendResult{}, err
	}
	prof, err := a.IO.Profile(ctx, key, in.FiscalCode)
	switch {
	case errors.Is(err, ErrNotOnIO):
		return a.finish(ctx, it, NotOnIO, "", "")
	case err != nil:
		return SendResult{}, classify(err)
	case !prof.SenderAllowed:
		return a.finish(ctx, it, Refused, "", "the citizen disabled this service on IO")
	}
	if err := a.Intents.Mark(ctx, it.ID, Pending, Sending, "", ""); err != nil {
		return SendResult{}, permanent(err, ErrUncertain)
	}
	id, err := a.IO.Submit(ctx, key, msg)
	if err != nil {
		var ce *CallError
		switch {
		case errors.As(err, &ce) && ce.Permanent():
			a.Intents.Mark(ctx, it.ID, Sending, Failed, "", ce.Error())
			return SendResult{}, classify(err)
		case errors.As(err, &ce) && ce.Sent && ce.Status == 0:
			// No answer to a request that left: IO may have created the message.
			// The intent stays "sending", so a retry will not send it again.
			return SendResult{}, err
		}
		if mErr := a.Intents.Mark(ctx, it.ID, Sending, Pending, "", err.Error()); mErr != nil {
			return SendResult{}, fmt.Errorf("%w (and %v)", err, mErr)
		}
		return SendResult{}, classify(err)
	}
	a.logger().Info("app io message sent", "key", it.Key, "service", in.Service, "to", MaskFiscalCode(in.FiscalCode))
	if err := a.Intents.Mark(ctx, it.ID, Sending, Sent, id, ""); err != nil {
		return SendResult{}, err
	}
	return SendResult{Status: Sent, MessageID: id}, nil
}

func (a *Activities) finish(ctx context.Context, it *Intent, to Status, ioID, reason string) (SendResult, error) {
	if err := a.Intents.Mark(ctx, it.ID, Pending, to, ioID, reason); err != nil {
		return SendResult{}, err
	}
	return SendResult{Status: to, MessageID: ioID}, nil
}

// classify turns IO errors no retry can fix into non-retryable application errors.
func classify(err error) error {
	var ce *CallError
	switch {
	case errs.Is(err, errs.Invalid):
		return permanent(err, ErrInvalid)
	case errors.As(err, &ce) && ce.Status == 400:
		return permanent(err, ErrInvalid)
	case errors.As(err, &ce) && ce.Permanent():
		return permanent(err, ErrForbidden)
	}
	return err
}

func permanent(err error, typ string) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), typ, err)
}

func (a *Activities) logger() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

// KeysFunc adapts a function, e.g. a catalog lookup, to Keys.
type KeysFunc func(ctx context.Context, service string) (string, error)

// APIKey calls f.
func (f KeysFunc) APIKey(ctx context.Context, service string) (string, error) { return f(ctx, service) }
