package auth_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/store/storetest"
)

// TestBrowserLogin drives headless Chromium through the dev login round trip:
// redirect to the IdP, pick a user, callback, session cookie, /api/me, with
// the production middleware (security headers, rate limits, Origin check) on.
func TestBrowserLogin(t *testing.T) {
	if testing.Short() {
		t.Skip("headless Chromium test skipped with -short")
	}
	dir, _ := filepath.Abs("e2e")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "playwright-core")); err != nil {
		npm := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		npm.Dir = dir
		if out, err := npm.CombinedOutput(); err != nil {
			t.Fatalf("npm ci: %v\n%s", err, out)
		}
	}
	env := authtest.StartWith(t, storetest.SQLite(t), authtest.Options{SecureCookies: true, Middleware: auth.Middleware(auth.DefaultRateLimit)})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "login.mjs", env.URL, devidp.GiuliaBianchi)
	cmd.Dir = dir
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, raw)
	}
	var got struct {
		Steps      []string `json:"steps"`
		LoginTitle string   `json:"loginTitle"`
		Me         struct {
			Subject, FiscalCode, Role, CSRFToken string
		} `json:"me"`
		Cookie *struct {
			HTTPOnly bool   `json:"httpOnly"`
			SameSite string `json:"sameSite"`
			Secure   bool   `json:"secure"`
		} `json:"cookie"`
		DocumentCookie     string `json:"documentCookie"`
		LogoutWithoutToken int    `json:"logoutWithoutToken"`
		Logout             int    `json:"logout"`
		MeAfterLogout      int    `json:"meAfterLogout"`
		Error              string `json:"error"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	if got.Error != "" {
		t.Fatalf("browser: %s (steps %v)", got.Error, got.Steps)
	}
	if d := cmp.Diff([]string{"/idp/login", "/api/me"}, got.Steps); d != "" {
		t.Errorf("pages shown (-want +got):\n%s", d)
	}
	if got.Me.Subject != devidp.GiuliaBianchi || got.Me.FiscalCode != "BNCGLI85C55L424K" || got.Me.Role != "citizen" || got.Me.CSRFToken == "" {
		t.Errorf("me: %+v", got.Me)
	}
	if got.Cookie == nil || !got.Cookie.HTTPOnly || got.Cookie.SameSite != "Lax" || !got.Cookie.Secure {
		t.Errorf("session cookie: %+v", got.Cookie)
	}
	if got.DocumentCookie != "" {
		t.Errorf("scripts can read cookies: %q", got.DocumentCookie)
	}
	if got.LogoutWithoutToken != 403 || got.Logout != 204 || got.MeAfterLogout != 401 {
		t.Errorf("logout without token %d, with token %d, me after %d; want 403 204 401", got.LogoutWithoutToken, got.Logout, got.MeAfterLogout)
	}
}
