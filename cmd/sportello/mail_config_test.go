package main

import (
	"strings"
	"testing"
)

// TestSMTPSettings: a bad SMTP setting stops the program naming that setting;
// without SPORTELLO_SMTP_HOST nothing is checked (dev uses its catcher).
func TestSMTPSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no host, nothing checked", map[string]string{"SPORTELLO_SMTP_TLS": "whatever"}, ""},
		{"good", map[string]string{"SPORTELLO_SMTP_HOST": "smtp.example.it", "SPORTELLO_SMTP_FROM": "noreply@comune.trieste.it"}, ""},
		{"bad tls", map[string]string{"SPORTELLO_SMTP_HOST": "smtp.example.it", "SPORTELLO_SMTP_TLS": "ssl"}, "SPORTELLO_SMTP_TLS (--smtp-tls)"},
		{"bad from", map[string]string{"SPORTELLO_SMTP_HOST": "smtp.example.it", "SPORTELLO_SMTP_FROM": "nobody"}, "SPORTELLO_SMTP_FROM (--smtp-from)"},
		{"bad port", map[string]string{"SPORTELLO_SMTP_HOST": "smtp.example.it", "SPORTELLO_SMTP_PORT": "70000"}, "SPORTELLO_SMTP_PORT (--smtp-port)"},
		{"password without user", map[string]string{"SPORTELLO_SMTP_HOST": "smtp.example.it", "SPORTELLO_SMTP_PASSWORD": "x"}, "SPORTELLO_SMTP_USER (--smtp-user)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig("worker", nil, env(tc.env))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("err = %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
}
