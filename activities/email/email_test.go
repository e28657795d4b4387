package email_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/email"
)

// catcher starts a catcher on a free loopback port and a client config for it.
func catcher(t *testing.T, c *email.Catcher) email.Config {
	t.Helper()
	addr, err := c.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	return email.Config{Host: host, Port: p, From: "Comune di Trieste <noreply@comune.trieste.it>", TLS: email.TLSNone, Timeout: 5 * time.Second}
}

func TestClientDeliversToCatcher(t *testing.T) {
	tests := []struct {
		name  string
		setup func(c *email.Catcher, cfg *email.Config)
	}{
		{"plain", func(*email.Catcher, *email.Config) {}},
		{"starttls and auth", func(c *email.Catcher, cfg *email.Config) {
			cert, pool := selfSigned(t)
			c.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
			c.User, c.Password = "sportello", "s3greto"
			cfg.TLS, cfg.User, cfg.Password = email.TLSStartTLS, "sportello", "s3greto"
			cfg.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := email.NewCatcher()
			cfg := email.Config{}
			tt.setup(c, &cfg)
			base := catcher(t, c)
			base.TLS, base.User, base.Password, base.TLSConfig = first(cfg.TLS, base.TLS), cfg.User, cfg.Password, cfg.TLSConfig
			cl, err := email.NewClient(base)
			if err != nil {
				t.Fatal(err)
			}
			err = cl.Send(context.Background(), email.Message{To: "sposa@example.it", Subject: "Pratica ricevuta – è tutto in ordine",
				Text: "Gentile cittadina,\nla sua pratica è stata ricevuta.\n", MessageID: "abc@sportello"})
			if err != nil {
				t.Fatal(err)
			}
			got := c.Messages("sposa@example.it")
			if len(got) != 1 {
				t.Fatalf("caught %d messages, want 1", len(got))
			}
			m := got[0]
			want := email.Caught{From: "noreply@comune.trieste.it", To: []string{"sposa@example.it"}, Subject: "Pratica ricevuta – è tutto in ordine",
				MessageID: "abc@sportello", Text: "Gentile cittadina,\nla sua pratica è stata ricevuta.\n"}
			m.ID, m.ReceivedAt, m.Text = "", time.Time{}, strings.TrimRight(m.Text, "\n")+"\n"
			if d := cmp.Diff(want, m); d != "" {
				t.Errorf("caught message (-want +got):\n%s", d)
			}
		})
	}
}

func TestClientWrongPassword(t *testing.T) {
	c := email.NewCatcher()
	cert, pool := selfSigned(t)
	c.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	c.User, c.Password = "sportello", "s3greto"
	cfg := catcher(t, c)
	cfg.TLS, cfg.User, cfg.Password = email.TLSStartTLS, "sportello", "sbagliata"
	cfg.TLSConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	cl, err := email.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	err = cl.Send(context.Background(), email.Message{To: "a@example.it", Subject: "x", Text: "y"})
	var se *email.SendError
	if !errors.As(err, &se) || se.Uncertain {
		t.Fatalf("err = %v, want a SendError that is not uncertain", err)
	}
	if n := len(c.Messages("")); n != 0 {
		t.Errorf("caught %d messages, want 0", n)
	}
}

func TestConfigCheck(t *testing.T) {
	ok := email.Config{Host: "smtp.example.it", Port: 587, From: "noreply@example.it", TLS: email.TLSStartTLS}
	tests := []struct {
		name  string
		edit  func(c *email.Config)
		field string
	}{
		{"ok", func(*email.Config) {}, ""},
		{"host", func(c *email.Config) { c.Host = "" }, "smtp.host"},
		{"port", func(c *email.Config) { c.Port = 0 }, "smtp.port"},
		{"tls", func(c *email.Config) { c.TLS = "ssl" }, "smtp.tls"},
		{"from", func(c *email.Config) { c.From = "nobody" }, "smtp.from"},
		{"user", func(c *email.Config) { c.Password = "x" }, "smtp.user"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			_, err := email.NewClient(c)
			got := ""
			if err != nil {
				got = strings.SplitN(strings.TrimPrefix(err.Error(), "invalid: "), ":", 2)[0]
			}
			if got != tt.field {
				t.Errorf("error %v names %q, want %q", err, got, tt.field)
			}
		})
	}
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
