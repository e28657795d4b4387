package devidp

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/api/auth"
)

func start(t *testing.T) (*IdP, *httptest.Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	idp, err := New(Config{Issuer: base + "/idp", RedirectURIs: []string{base + "/cb"}})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = http.StripPrefix("/idp", idp)
	ts.Start()
	t.Cleanup(ts.Close)
	return idp, ts
}

func TestDemoUsersHaveValidCodes(t *testing.T) {
	citizens := 0
	for _, u := range Users {
		if u.FiscalCode == "" {
			continue
		}
		citizens++
		if err := auth.ValidateCodiceFiscale(u.FiscalCode); err != nil {
			t.Errorf("%s: %v", u.ID, err)
		}
	}
	if citizens != 2 {
		t.Errorf("%d citizens, want 2", citizens)
	}
}

func TestDiscovery(t *testing.T) {
	idp, ts := start(t)
	res, err := http.Get(ts.URL + "/idp/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		Issuer     string   `json:"issuer"`
		JWKS       string   `json:"jwks_uri"`
		Auth       string   `json:"authorization_endpoint"`
		PKCE       []string `json:"code_challenge_methods_supported"`
		GrantTypes []string `json:"grant_types_supported"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Issuer != idp.Issuer() || got.JWKS != idp.Issuer()+"/keys" || got.Auth != idp.Issuer()+"/authorize" {
		t.Errorf("discovery: %+v", got)
	}
	if d := cmp.Diff([]string{"S256"}, got.PKCE); d != "" {
		t.Errorf("PKCE methods (-want +got):\n%s", d)
	}
}

// TestAuthorizeNeedsPKCE: a login without a code challenge is refused, one with
// it reaches the login page.
func TestAuthorizeNeedsPKCE(t *testing.T) {
	_, ts := start(t)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	q := url.Values{"client_id": {"sportello"}, "redirect_uri": {ts.URL + "/cb"}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"s1"}}
	res, err := noFollow.Get(ts.URL + "/idp/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || loc.Query().Get("error") != "invalid_request" || !strings.HasSuffix(loc.Path, "/cb") {
		t.Fatalf("without PKCE: %d %s", res.StatusCode, loc)
	}
	q.Set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
	q.Set("code_challenge_method", "S256")
	res, err = http.Get(ts.URL + "/idp/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), `data-user="mario.rossi"`) {
		t.Fatalf("with PKCE: %d %s", res.StatusCode, page)
	}
	// Picking an unknown user is refused.
	id := strings.SplitN(strings.SplitN(string(page), `name="authRequestID" value="`, 2)[1], `"`, 2)[0]
	res, err = http.PostForm(ts.URL+"/idp/login", url.Values{"authRequestID": {id}, "user": {"mallory"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown user: %d", res.StatusCode)
	}
}

func TestMintUnknownUser(t *testing.T) {
	idp, _ := start(t)
	if _, err := idp.Mint("mallory", MintOptions{}); err == nil {
		t.Fatal("minted a token for an unknown user")
	}
}
