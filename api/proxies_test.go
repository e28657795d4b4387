package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRealIPBelievesOnlyTrustedProxies(t *testing.T) {
	cases := []struct {
		name, proxies, peer, xff, want string
	}{
		{"no proxy configured: the peer", "", "192.0.2.10:4000", "198.51.100.7", "192.0.2.10"},
		{"loopback is not trusted by default", "", "127.0.0.1:4000", "198.51.100.7", "127.0.0.1"},
		{"a trusted proxy forwards", "192.0.2.0/24", "192.0.2.10:4000", "198.51.100.7", "198.51.100.7"},
		{"an untrusted peer is the client", "192.0.2.0/24", "203.0.113.5:4000", "198.51.100.7", "203.0.113.5"},
		{"a forged hop before the proxy is skipped only through trusted ones", "192.0.2.10", "192.0.2.10:4000", "10.0.0.1, 198.51.100.7", "198.51.100.7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			nets, err := ParseCIDRs(c.proxies)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.peer
			r.Header.Set("X-Forwarded-For", c.xff)
			r.Header.Set("X-Real-IP", "203.0.113.99")
			if got := ipExtractor(nets)(r); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
}

func TestParseCIDRsNamesTheBadEntry(t *testing.T) {
	if _, err := ParseCIDRs("10.0.0.0/8, nonsense"); err == nil || err.Error() != `"nonsense" is not an address or CIDR` {
		t.Fatalf("err = %v", err)
	}
	got, err := ParseCIDRs(" 10.0.0.0/8 ,2001:db8::1,,")
	if err != nil || len(got) != 2 || got[1].String() != "2001:db8::1/128" {
		t.Fatalf("got %v %v", got, err)
	}
}
