// Package authtest runs the access control for tests: the dev identity provider
// and an api.Server guarded by auth.Service, on a local HTTP server, with helpers
// to mint tokens for the demo users.
package authtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/devidp"
)

// ClientID is the OIDC client id (and bearer audience) of the test setup.
const ClientID = "sportello"

// Env is a running server: URL serves the API, URL+"/idp" the dev IdP.
type Env struct {
	URL     string
	IdP     *devidp.IdP
	Service *auth.Service
	Server  *api.Server
}

// Start serves api.New with the guard, the admin module and modules, plus the
// dev IdP mounted at /idp, on db. It stops when the test ends.
func Start(t testing.TB, db *gorm.DB, modules ...api.Module) *Env {
	t.Helper()
	return StartWith(t, db, Options{}, modules...)
}

// Options adjust the test server.
type Options struct {
	// Middleware goes to api.Options.Middleware (e.g. auth.Middleware(...)).
	Middleware []echo.MiddlewareFunc
	// Terminal, when set, replaces every guarded handler: the guard runs, then
	// Terminal answers. The authorization matrix uses it to test decisions alone.
	Terminal echo.HandlerFunc
	// SecureCookies marks the session cookies Secure, as in production.
	SecureCookies bool
	// NoRoleClaims ignores the role claims of the dev provider's tokens, as for
	// a real SPID/CIE broker: staff roles come from the role assignments only.
	NoRoleClaims bool
}

// StartWith is Start with options.
func StartWith(t testing.TB, db *gorm.DB, o Options, modules ...api.Module) *Env {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	idp, err := devidp.New(devidp.Config{Issuer: base + "/idp", ClientID: ClientID,
		RedirectURIs: []string{base + "/auth/callback"}, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.New(context.Background(), db, auth.Config{Log: slog.New(slog.DiscardHandler), OIDC: auth.OIDCConfig{
		Issuer: base + "/idp", ClientID: ClientID, RedirectURL: base + "/auth/callback", RoleClaims: !o.NoRoleClaims}})
	if err != nil {
		t.Fatal(err)
	}
	svc.Authz.Refresh = 0
	mods := append([]api.Module{api.NewAdmin(svc, o.SecureCookies)}, modules...)
	guard := svc.Guard
	if o.Terminal != nil {
		guard = func(rt api.Route) echo.MiddlewareFunc {
			g := svc.Guard(rt)
			return func(echo.HandlerFunc) echo.HandlerFunc { return g(o.Terminal) }
		}
	}
	srv := api.New(api.Options{Log: slog.New(slog.DiscardHandler), Guard: guard, Middleware: o.Middleware}, mods...)
	srv.Router.Raw("/idp", "Dev identity provider", idp)
	ts.Config.Handler = srv.Echo
	ts.Start()
	t.Cleanup(ts.Close)
	return &Env{URL: base, IdP: idp, Service: svc, Server: srv}
}

// Token mints a valid bearer token for a demo user (devidp.MarioRossi, ...).
func (e *Env) Token(t testing.TB, user string) string {
	t.Helper()
	tok, err := e.IdP.Mint(user, devidp.MintOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Do sends a JSON request with headers (e.g. "Authorization": "Bearer ...") and
// returns the status and body.
func (e *Env) Do(t testing.TB, method, path string, body any, headers map[string]string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// Bearer is the header map of a bearer token.
func Bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
