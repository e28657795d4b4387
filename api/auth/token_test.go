package auth_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

type errBody struct {
	Error struct {
		Code   string `json:"code"`
		Reason string `json:"reason"`
	} `json:"error"`
}

func TestBearerTokens(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	other, err := devidp.New(devidp.Config{Issuer: env.URL + "/idp", ClientID: authtest.ClientID})
	if err != nil {
		t.Fatal(err)
	}
	mint := func(o devidp.MintOptions) string {
		tok, err := env.IdP.Mint(devidp.MarioRossi, o)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := mint(devidp.MintOptions{})
	foreign, _ := other.Mint(devidp.MarioRossi, devidp.MintOptions{}) // same issuer URL, another key
	tampered := good[:len(good)-4] + flip(good[len(good)-4:])
	// A payload edited to another user keeps the old signature.
	parts := strings.Split(good, ".")
	forged := parts[0] + "." + strings.Replace(parts[1], parts[1][10:14], flip(parts[1][10:14]), 1) + "." + parts[2]
	tests := []struct {
		name       string
		header     string
		wantStatus int
		wantCode   string
	}{
		{"valid", "Bearer " + good, http.StatusOK, ""},
		{"expired", "Bearer " + mint(devidp.MintOptions{TTL: -time.Minute}), http.StatusUnauthorized, "unauthenticated"},
		{"wrong audience", "Bearer " + mint(devidp.MintOptions{Audience: "another-app"}), http.StatusUnauthorized, "unauthenticated"},
		{"other issuer", "Bearer " + mint(devidp.MintOptions{Issuer: "https://idp.example.org"}), http.StatusUnauthorized, "unauthenticated"},
		{"signed by another key", "Bearer " + foreign, http.StatusUnauthorized, "unauthenticated"},
		{"tampered signature", "Bearer " + tampered, http.StatusUnauthorized, "unauthenticated"},
		{"tampered payload", "Bearer " + forged, http.StatusUnauthorized, "unauthenticated"},
		{"not a jwt", "Bearer abc", http.StatusUnauthorized, "unauthenticated"},
		{"basic scheme", "Basic YTpi", http.StatusUnauthorized, "unauthenticated"},
		{"none", "", http.StatusUnauthorized, "unauthenticated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.header != "" {
				h["Authorization"] = tt.header
			}
			st, body := env.Do(t, http.MethodGet, "/api/me", nil, h)
			var eb errBody
			_ = json.Unmarshal(body, &eb)
			if st != tt.wantStatus || eb.Error.Code != tt.wantCode {
				t.Fatalf("status %d code %q, want %d %q: %s", st, eb.Error.Code, tt.wantStatus, tt.wantCode, body)
			}
		})
	}
}

func flip(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}

func TestMeForEveryDemoUser(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	want := map[string]api.Principal{
		devidp.MarioRossi: {Subject: devidp.MarioRossi, Name: "Mario Rossi", FiscalCode: "RSSMRA80A01L424F", Role: api.RoleCitizen,
			ActAs: "citizen", Choices: []string{"citizen"}},
		devidp.GiuliaBianchi: {Subject: devidp.GiuliaBianchi, Name: "Giulia Bianchi", FiscalCode: "BNCGLI85C55L424K", Role: api.RoleCitizen,
			ActAs: "citizen", Choices: []string{"citizen"}},
		devidp.OpTrieste: {Subject: devidp.OpTrieste, Name: "Laura Verdi", Role: api.RoleOperator, Ente: "c_l424", Office: "stato-civile",
			RoleFrom: "token", ActAs: "operator@c_l424/stato-civile", Choices: []string{"operator@c_l424/stato-civile"}},
		devidp.OpProtocollo: {Subject: devidp.OpProtocollo, Name: "Sara Galli", Role: api.RoleOperator, Ente: "c_l424", Office: "protocollo",
			RoleFrom: "token", ActAs: "operator@c_l424/protocollo", Choices: []string{"operator@c_l424/protocollo"}},
		devidp.OpMedea: {Subject: devidp.OpMedea, Name: "Paolo Neri", Role: api.RoleOperator, Ente: "c_f081",
			RoleFrom: "token", ActAs: "operator@c_f081", Choices: []string{"operator@c_f081"}},
		devidp.Designer: {Subject: devidp.Designer, Name: "Anna Colombo", Role: api.RoleDesigner, Ente: api.Region,
			RoleFrom: "token", ActAs: "designer@region", Choices: []string{"designer@region"}},
		devidp.AdminTrieste: {Subject: devidp.AdminTrieste, Name: "Franco Russo", Role: api.RoleEnteAdmin, Ente: "c_l424",
			RoleFrom: "token", ActAs: "ente-admin@c_l424", Choices: []string{"ente-admin@c_l424"}},
		devidp.AdminRegione: {Subject: devidp.AdminRegione, Name: "Elena Ferrari", Role: api.RoleRegionalAdmin, Ente: api.Region,
			RoleFrom: "token", ActAs: "regional-admin@region", Choices: []string{"regional-admin@region"}},
	}
	for _, u := range devidp.Users {
		t.Run(u.ID, func(t *testing.T) {
			st, body := env.Do(t, http.MethodGet, "/api/me", nil, authtest.Bearer(env.Token(t, u.ID)))
			if st != http.StatusOK {
				t.Fatalf("status %d: %s", st, body)
			}
			var got api.Principal
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want[u.ID], got); d != "" {
				t.Errorf("principal (-want +got):\n%s", d)
			}
		})
	}
}

// TestClientCredentials gets a token from the dev IdP over HTTP, as scripts do.
func TestClientCredentials(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"openid"}}
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/idp/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(devidp.OpTrieste, devidp.DemoSecret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || res.StatusCode != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("token endpoint: status %d err %v", res.StatusCode, err)
	}
	st, body := env.Do(t, http.MethodGet, "/api/me", nil, authtest.Bearer(tok.AccessToken))
	var got api.Principal
	_ = json.Unmarshal(body, &got)
	if st != http.StatusOK || got.Role != api.RoleOperator || got.Ente != "c_l424" {
		t.Fatalf("status %d principal %+v", st, got)
	}
	req.SetBasicAuth(devidp.OpTrieste, "wrong")
	req.Body = http.NoBody
	req, _ = http.NewRequest(http.MethodPost, env.URL+"/idp/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(devidp.OpTrieste, "wrong")
	res2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode == http.StatusOK {
		t.Fatal("a wrong demo secret got a token")
	}
}

// TestIdPDown: with the provider unreachable, bearer calls fail as internal
// errors (500, nothing leaked), quickly, and sign-in is not offered.
func TestIdPDown(t *testing.T) {
	db := storetest.SQLite(t)
	svc, err := auth.New(t.Context(), db, auth.Config{OIDC: auth.OIDCConfig{Issuer: "http://127.0.0.1:1/idp", ClientID: "sportello"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		_, err := svc.OIDC.VerifyBearer(t.Context(), "x.y.z")
		if errs.CodeOf(err) != errs.Internal {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, _, err := svc.LoginStart(t.Context(), "/"); errs.CodeOf(err) != errs.Internal {
		t.Fatalf("login start: %v", err)
	}
}
