package email

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	smtp "github.com/emersion/go-smtp"
	"github.com/google/uuid"
)

// session is one SMTP conversation.
type session struct {
	c      *Catcher
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

// AuthMechanisms offers AUTH PLAIN only when the catcher has a user.
func (s *session) AuthMechanisms() []string {
	if s.c.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks the catcher's user and password.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.c.User || pass != s.c.Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

// Mail starts a message; with a user set, only after AUTH.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.c.User != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

// Rcpt adds a recipient: the catcher takes every address and relays none.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data keeps the message, or plays the fault the test asked for.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.c.takeRefusal() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	m.ID, m.From, m.To, m.ReceivedAt = uuid.NewString(), s.from, append([]string(nil), s.to...), time.Now().UTC()
	drop, err := s.c.keep(m)
	if err != nil {
		return err
	}
	if drop {
		s.conn.Conn().Close() // the client never hears the 250
	}
	return nil
}

// Reset forgets the message in progress.
func (s *session) Reset() { s.from, s.to = "", nil }

// Logout ends the session; nothing to release.
func (s *session) Logout() error { return nil }

// parse reads the headers the inbox shows and the plain-text body.
func parse(raw []byte) (Caught, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Caught{}, fmt.Errorf("not an e-mail message: %w", err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		subject = msg.Header.Get("Subject")
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return Caught{}, fmt.Errorf("read body: %w", err)
	}
	id := strings.Trim(msg.Header.Get("Message-Id"), "<>")
	return Caught{Subject: subject, MessageID: id, Text: strings.ReplaceAll(string(text), "\r\n", "\n")}, nil
}
