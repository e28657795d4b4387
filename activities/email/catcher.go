package email

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	smtp "github.com/emersion/go-smtp"

	"github.com/sportello/sportello/store/statelog"
)

// Caught is a message the catcher accepted, as its inbox shows it.
type Caught struct {
	ID         string    `json:"id"`
	From       string    `json:"from"`
	To         []string  `json:"to"`
	Subject    string    `json:"subject"`
	MessageID  string    `json:"messageId"`
	Text       string    `json:"text"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Catcher is a local mail server for sportello dev and the tests: it speaks
// SMTP (github.com/emersion/go-smtp) on a local port, keeps every message it
// accepts and shows them under /sim/mail/. It never relays anything.
type Catcher struct {
	// User and Password, when set, are required through AUTH PLAIN.
	User, Password string
	// TLSConfig, when set, offers STARTTLS with its certificate.
	TLSConfig *tls.Config
	Log       *slog.Logger

	mu       sync.Mutex
	messages []Caught
	drop     int           // the next drop DATA answers are never sent (the connection closes)
	refuse   int           // the next refuse messages get a temporary 451
	file     string        // state file; empty keeps everything in memory
	log      *statelog.Log // the open write-ahead log of file
	srv      *smtp.Server
	mux      *http.ServeMux
	once     sync.Once
	addr     string
}

// NewCatcher returns an empty catcher; Listen starts it.
func NewCatcher() *Catcher { return &Catcher{} }

// Listen serves SMTP on addr (e.g. "127.0.0.1:0") until Close and returns the
// address it listens on.
func (c *Catcher) Listen(addr string) (string, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("mail catcher: listen on %s: %w", addr, err)
	}
	s := smtp.NewServer(smtp.BackendFunc(func(conn *smtp.Conn) (smtp.Session, error) { return &session{c: c, conn: conn}, nil }))
	s.Domain = "localhost"
	s.TLSConfig = c.TLSConfig
	s.AllowInsecureAuth = true // a local catcher on loopback, never a real server
	s.MaxMessageBytes = 10 << 20
	s.MaxRecipients = 50
	s.ReadTimeout, s.WriteTimeout = time.Minute, time.Minute
	c.mu.Lock()
	c.srv, c.addr = s, l.Addr().String()
	c.mu.Unlock()
	go func() {
		if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			c.logger().Error("mail catcher stopped", "err", err)
		}
	}()
	return l.Addr().String(), nil
}

// Addr is where the catcher listens; empty before Listen.
func (c *Catcher) Addr() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addr
}

// Close stops the SMTP server, then folds the state log into the state
// file, if there is one.
func (c *Catcher) Close() error {
	c.mu.Lock()
	s := c.srv
	c.mu.Unlock()
	var err error
	if s != nil {
		err = s.Close()
	}
	return errors.Join(err, c.closeLog())
}

// DropAnswers makes the catcher keep the next n messages but close the
// connection before answering, as a server that crashes after queueing would.
func (c *Catcher) DropAnswers(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.drop = n
}

// RefuseNext makes the catcher answer the next n messages with a temporary
// 451 (nothing kept), as a busy server does.
func (c *Catcher) RefuseNext(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refuse = n
}

// Messages returns the caught messages, oldest first; with to set, only those to that address.
func (c *Catcher) Messages(to string) []Caught {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []Caught{}
	for _, m := range c.messages {
		if to == "" || contains(m.To, to) {
			out = append(out, m)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// keep stores m; it reports whether the answer must be dropped.
func (c *Catcher) keep(m Caught) (drop bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages = append(c.messages, m)
	if err := c.logLocked(m); err != nil {
		return false, err
	}
	if c.drop > 0 {
		c.drop--
		return true, nil
	}
	return false, nil
}

func (c *Catcher) takeRefusal() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refuse > 0 {
		c.refuse--
		return true
	}
	return false
}

func (c *Catcher) logger() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}
