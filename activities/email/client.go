// Package email sends the e-mail messages of the pratiche's notify steps over
// SMTP (a maintained client library, STARTTLS or implicit TLS, authentication),
// at most once per step through an intent row written before sending, and holds
// the local mail catcher sportello dev starts in place of a mail server.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/sportello/sportello/errs"
)

// TLS modes of the SMTP connection.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required (port 587)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSImplicit      = "tls"           // TLS from the first byte (port 465)
	TLSNone          = "none"          // plain text: only for a local catcher
)

// Config is how to reach the mail server; it comes from the SPORTELLO_SMTP_* settings.
type Config struct {
	Host     string
	Port     int
	User     string // empty: no authentication
	Password string
	From     string // the sender, e.g. "Comune di Trieste <noreply@comune.trieste.it>"
	TLS      string // starttls, opportunistic, tls or none
	// ServerName and RootCAs check the server's certificate; empty uses Host and the system roots.
	TLSConfig *tls.Config
	Timeout   time.Duration
}

// Check names the first bad setting.
func (c Config) Check() error {
	if c.Host == "" {
		return errs.Field("smtp.host", "is required to send e-mail")
	}
	if c.Port < 1 || c.Port > 65535 {
		return errs.Field("smtp.port", "must be a TCP port (1-65535)")
	}
	switch c.TLS {
	case TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone:
	default:
		return errs.Field("smtp.tls", "%q is not one of starttls, opportunistic, tls, none", c.TLS)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return errs.Field("smtp.from", "is not an e-mail address: %v", err)
	}
	if c.Password != "" && c.User == "" {
		return errs.Field("smtp.user", "is required when a password is set")
	}
	return nil
}

// Message is one e-mail to one recipient. MessageID is fixed by the caller so a
// receiving system sees the same id should a message ever arrive twice.
type Message struct {
	To        string
	Subject   string
	Text      string
	MessageID string
}

// Client sends messages through one SMTP server; one connection per message,
// because notify steps are few and Temporal retries the activity.
type Client struct {
	cfg Config
}

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	return &Client{cfg: cfg}, nil
}

// SendError is a failed delivery. Permanent means the server refused it for good
// (a 5xx answer); Uncertain means the message was transmitted but its answer
// never came, so the server may have accepted it.
type SendError struct {
	Permanent bool
	Uncertain bool
	Err       error
}

// Error says what went wrong.
func (e *SendError) Error() string { return "smtp: " + e.Err.Error() }

// Unwrap returns the library's error.
func (e *SendError) Unwrap() error { return e.Err }

// Send delivers m; every failure is a *SendError.
func (c *Client) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(c.cfg.From); err != nil {
		return &SendError{Permanent: true, Err: fmt.Errorf("from: %w", err)}
	}
	if err := msg.To(m.To); err != nil {
		return &SendError{Permanent: true, Err: fmt.Errorf("to: %w", err)}
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)

	opts := []gomail.Option{gomail.WithPort(c.cfg.Port), gomail.WithTimeout(c.cfg.Timeout)}
	switch c.cfg.TLS {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(c.cfg.TLSConfig))
	}
	if c.cfg.User != "" {
		// AUTH PLAIN and LOGIN send the password as is: the library refuses them
		// on a connection that is not encrypted.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.cfg.User), gomail.WithPassword(c.cfg.Password))
	}
	cl, err := gomail.NewClient(c.cfg.Host, opts...)
	if err != nil {
		return &SendError{Permanent: true, Err: err}
	}
	err = cl.DialAndSendWithContext(ctx, msg)
	switch {
	case err == nil:
		return nil
	case msg.IsDelivered():
		// The server said 250 to the message; only the reset or the quit that
		// follow failed.
		return nil
	}
	return classify(err)
}

// classify tells a refused message (never delivered) from one whose fate is
// unknown: the server's answer to the end of DATA never arrived.
func classify(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &SendError{Err: err} // dial, TLS or auth: nothing was transmitted
	}
	code := se.ErrorCode()
	if se.Reason == gomail.ErrSMTPDataClose && code == 0 {
		return &SendError{Uncertain: true, Err: err}
	}
	return &SendError{Permanent: code >= 500 && code < 600, Err: err}
}
