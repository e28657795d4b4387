package email

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	smtp "github.com/emersion/go-smtp"

	"github.com/sportello/sportello/store"
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
	drop     int    // the next drop DATA answers are never sent (the connection closes)
	refuse   int    // the next refuse messages get a temporary 451
	file     string // state file; empty keeps everything in memory
	srv      *smtp.Server
	mux      *http.ServeMux
	once     sync.Once
	addr     string
}

// NewCatcher returns an empty catcher; Listen starts it.
func NewCatcher() *Catcher { return &Catcher{} }

// WithStateFile keeps the caught messages in path across restarts: it loads
// path now and rewrites it (temp file, then rename) after each message.
func (c *Catcher) WithStateFile(path string) (*Catcher, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("mail catcher: read state: %w", err)
	}
	var msgs []Caught
	if err == nil {
		if err := json.Unmarshal(data, &msgs); err != nil {
			return nil, fmt.Errorf("mail catcher: state file %s: %w", path, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.file, c.messages = path, msgs
	return c, nil
}

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

// Close stops the SMTP server.
func (c *Catcher) Close() error {
	c.mu.Lock()
	s := c.srv
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Close()
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
	if c.file != "" {
		data, err := json.MarshalIndent(c.messages, "", "  ")
		if err == nil {
			err = store.WriteFileAtomic(c.file, data, 0o600)
		}
		if err != nil {
			return false, fmt.Errorf("mail catcher: save state %s: %w", c.file, err)
		}
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
