package auth_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/store/storetest"
)

// browser is an http.Client with cookies, like a browser's session.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// login runs the authorization-code + PKCE round trip as the login page would.
func login(t *testing.T, env *authtest.Env, c *http.Client, user string) {
	t.Helper()
	res, err := c.Get(env.URL + "/auth/login?return=/api/me")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), "Scegli un utente") {
		t.Fatalf("login page: %d %s", res.StatusCode, page)
	}
	id := regexp.MustCompile(`name="authRequestID" value="([^"]+)"`).FindStringSubmatch(string(page))
	if id == nil {
		t.Fatalf("no auth request id in %s", page)
	}
	res, err = c.PostForm(env.URL+"/idp/login", url.Values{"authRequestID": {id[1]}, "user": {user}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/api/me" {
		t.Fatalf("after login at %s: %d %s", res.Request.URL, res.StatusCode, body)
	}
}

func send(t *testing.T, c *http.Client, method, u, body string, h map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestBrowserSessionAndCSRF(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	c := browser(t)
	login(t, env, c, devidp.AdminTrieste)

	st, body := send(t, c, http.MethodGet, env.URL+"/api/me", "", nil)
	var me api.Me
	if err := json.Unmarshal([]byte(body), &me); err != nil || st != http.StatusOK {
		t.Fatalf("me: %d %s", st, body)
	}
	if me.Subject != devidp.AdminTrieste || me.Role != api.RoleEnteAdmin || me.CSRFToken == "" {
		t.Fatalf("me: %+v", me)
	}
	// The sign-in is audited with the caller's address.
	signIns, err := env.Service.Trail.Query(t.Context(), api.AuditFilter{Subject: devidp.AdminTrieste})
	if err != nil || len(signIns) != 1 || signIns[0].Action != "login" || signIns[0].Outcome != "allowed" || signIns[0].Address == "" {
		t.Fatalf("sign-in audit: %+v %v", signIns, err)
	}
	u, _ := url.Parse(env.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == api.LoginCookie && ck.Value != "" {
			t.Errorf("login cookie left behind")
		}
	}

	keys := env.URL + "/api/enti/c_l424/apikeys"
	in := `{"name":"Tesoreria","scopes":["catalog:update"]}`
	tests := []struct {
		name     string
		headers  map[string]string
		want     int
		wantBody string
	}{
		{"no csrf token", nil, http.StatusForbidden, `"reason":"csrf"`},
		{"wrong csrf token", map[string]string{api.CSRFHeader: "x" + me.CSRFToken}, http.StatusForbidden, `"reason":"csrf"`},
		{"cross-site origin", map[string]string{api.CSRFHeader: me.CSRFToken, "Origin": "https://evil.example"}, http.StatusForbidden, `"reason":"origin"`},
		{"csrf token", map[string]string{api.CSRFHeader: me.CSRFToken, "Origin": env.URL}, http.StatusCreated, `"secret":"spk_`},
	}
	// The Origin check is middleware; this server has it for the table below.
	env2 := authtest.StartWith(t, storetest.SQLite(t), authtest.Options{Middleware: auth.Middleware(auth.DefaultRateLimit)})
	c2 := browser(t)
	login(t, env2, c2, devidp.AdminTrieste)
	_, body = send(t, c2, http.MethodGet, env2.URL+"/api/me", "", nil)
	_ = json.Unmarshal([]byte(body), &me)
	keys = env2.URL + "/api/enti/c_l424/apikeys"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			for k, v := range tt.headers {
				if k == api.CSRFHeader && v != "" {
					v = strings.Replace(v, v[len(v)-len(me.CSRFToken):], me.CSRFToken, 1)
				}
				if k == "Origin" && v != "https://evil.example" {
					v = env2.URL
				}
				h[k] = v
			}
			st, body := send(t, c2, http.MethodPost, keys, in, h)
			if st != tt.want || !strings.Contains(body, tt.wantBody) {
				t.Fatalf("status %d body %s; want %d with %s", st, body, tt.want, tt.wantBody)
			}
		})
	}

	// Logout closes the session server-side.
	if st, body := send(t, c, http.MethodPost, env.URL+"/auth/logout", "", map[string]string{api.CSRFHeader: mustMe(t, c, env).CSRFToken}); st != http.StatusNoContent {
		t.Fatalf("logout: %d %s", st, body)
	}
	if st, _ := send(t, c, http.MethodGet, env.URL+"/api/me", "", nil); st != http.StatusUnauthorized {
		t.Fatalf("after logout: %d", st)
	}
}

func mustMe(t *testing.T, c *http.Client, env *authtest.Env) api.Me {
	t.Helper()
	_, body := send(t, c, http.MethodGet, env.URL+"/api/me", "", nil)
	var me api.Me
	if err := json.Unmarshal([]byte(body), &me); err != nil {
		t.Fatal(err)
	}
	return me
}

func TestCallbackRefusesForeignState(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	for name, q := range map[string]string{
		"no login cookie":   "?state=abc&code=def",
		"provider refused":  "?error=access_denied",
		"no state and code": "",
	} {
		t.Run(name, func(t *testing.T) {
			st, body := send(t, browser(t), http.MethodGet, env.URL+"/auth/callback"+q, "", nil)
			if st != http.StatusUnauthorized {
				t.Fatalf("status %d %s", st, body)
			}
		})
	}
}

func TestAPIKeyOverHTTPAndAudit(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	admin := authtest.Bearer(env.Token(t, devidp.AdminTrieste))
	st, body := env.Do(t, http.MethodPost, "/api/enti/c_l424/apikeys", map[string]any{"name": "Tesoreria", "scopes": []string{"catalog:update"}}, admin)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %s", st, body)
	}
	var key api.CreatedAPIKey
	_ = json.Unmarshal(body, &key)
	machine := map[string]string{api.APIKeyHeader: key.Secret}

	if st, body := env.Do(t, http.MethodGet, "/api/me", nil, machine); st != http.StatusOK || !strings.Contains(string(body), `"role":"machine"`) {
		t.Fatalf("key me: %d %s", st, body)
	}
	if st, body := env.Do(t, http.MethodGet, "/api/audit", nil, machine); st != http.StatusForbidden || !strings.Contains(string(body), auth.ReasonKeyScope) {
		t.Fatalf("key outside its scopes: %d %s", st, body)
	}
	if st, body := env.Do(t, http.MethodPost, "/api/enti/c_l424/apikeys", map[string]any{"name": "x", "scopes": []string{"a:b"}, "extra": 1}, admin); st != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"field":"extra"`) {
		t.Fatalf("unknown field: %d %s", st, body)
	}
	if st, body := env.Do(t, http.MethodPost, "/api/enti/c_f081/apikeys", map[string]any{"name": "x", "scopes": []string{"a:b"}}, admin); st != http.StatusForbidden || !strings.Contains(string(body), auth.ReasonOtherEnte) {
		t.Fatalf("other ente: %d %s", st, body)
	}
	if st, body := env.Do(t, http.MethodDelete, "/api/enti/c_l424/apikeys/"+key.ID, nil, admin); st != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", st, body)
	}
	if st, _ := env.Do(t, http.MethodGet, "/api/me", nil, machine); st != http.StatusUnauthorized {
		t.Fatalf("revoked key: %d", st)
	}
	// The revoked key's attempt is audited with no ente, so only the region sees it.
	region := authtest.Bearer(env.Token(t, devidp.AdminRegione))
	var all []api.AuditEntry
	_, body = env.Do(t, http.MethodGet, "/api/audit", nil, region)
	_ = json.Unmarshal(body, &all)
	if n := len(all); n != 6 || all[n-1].Outcome != "unauthenticated" || all[n-1].Path != "/api/me" {
		t.Fatalf("region's audit: %s", body)
	}

	// The guard audited the writes and the refusals; the ente admin sees only Trieste.
	var rows []api.AuditEntry
	st, body = env.Do(t, http.MethodGet, "/api/audit", nil, admin)
	if err := json.Unmarshal(body, &rows); err != nil || st != http.StatusOK {
		t.Fatalf("audit: %d %s", st, body)
	}
	type line struct{ Subject, Method, Path, Outcome, Reason string }
	var got []line
	for _, r := range rows {
		got = append(got, line{r.Subject, r.Method, r.Path, r.Outcome, r.Reason})
	}
	keyPath := "/api/enti/:ente/apikeys"
	want := []line{
		{devidp.AdminTrieste, "POST", keyPath, "allowed", ""},
		{"apikey:" + key.Prefix, "GET", "/api/audit", "denied", auth.ReasonKeyScope},
		{devidp.AdminTrieste, "POST", keyPath, "failed", ""},
		{devidp.AdminTrieste, "POST", keyPath, "denied", auth.ReasonOtherEnte},
		{devidp.AdminTrieste, "DELETE", keyPath + "/:id", "allowed", ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Trieste audit (-want +got):\n%s", d)
	}
	if st, _ := env.Do(t, http.MethodGet, "/api/audit?ente=c_f081", nil, admin); st != http.StatusForbidden {
		t.Fatalf("ente admin reading Medea's audit: %d", st)
	}
	st, body = env.Do(t, http.MethodGet, "/api/audit?ente=c_f081", nil, region)
	_ = json.Unmarshal(body, &rows)
	if st != http.StatusOK || len(rows) != 2 || rows[0].Reason != auth.ReasonOtherEnte || rows[1].Path != "/api/audit" {
		t.Fatalf("region reading Medea's audit: %d %s", st, body)
	}
}

func TestRateLimitAndHeaders(t *testing.T) {
	env := authtest.StartWith(t, storetest.SQLite(t), authtest.Options{Middleware: auth.Middleware(
		auth.RateLimitConfig{PerIP: 1, IPBurst: 3, PerClient: 1, ClientBurst: 2, Skip: []string{"/healthz", "/idp/"}})})
	tok := authtest.Bearer(env.Token(t, devidp.MarioRossi))
	var codes []int
	var last *http.Response
	for i := 0; i < 4; i++ {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/me", nil)
		req.Header.Set("Authorization", tok["Authorization"])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		codes = append(codes, res.StatusCode)
		last = res
		if i == 0 {
			for h, want := range map[string]string{"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Cross-Origin-Opener-Policy": "same-origin"} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP = %q", res.Header.Get("Content-Security-Policy"))
			}
		}
	}
	// The token's bucket (burst 2) runs out before the address's (burst 3).
	if d := cmp.Diff([]int{200, 200, 429, 429}, codes); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if ra := last.Header.Get("Retry-After"); ra != "1" {
		t.Errorf("Retry-After = %q, want 1", ra)
	}
	// Anonymous health probes are not limited.
	for i := 0; i < 5; i++ {
		if st, _ := env.Do(t, http.MethodGet, "/healthz", nil, nil); st != http.StatusOK {
			t.Fatalf("healthz %d: %d", i, st)
		}
	}
}

// TestNoInternalsInErrors breaks the database under a request: the answer is a
// bare internal error, with no SQL, driver text or stack.
func TestNoInternalsInErrors(t *testing.T) {
	db := storetest.SQLite(t)
	env := authtest.Start(t, db)
	tok := authtest.Bearer(env.Token(t, devidp.AdminTrieste))
	if err := db.Exec("DROP TABLE auth_api_keys").Error; err != nil {
		t.Fatal(err)
	}
	st, body := env.Do(t, http.MethodGet, "/api/enti/c_l424/apikeys", nil, tok)
	if st != http.StatusInternalServerError || string(body) != `{"error":{"code":"internal","message":"internal error"}}`+"\n" {
		t.Fatalf("status %d body %q", st, body)
	}
}
