package ui_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestEnteSeesOverlayReview publishes, as the regional designer, a marriage
// template whose fee cap Trieste's overlay exceeds, then drives the portal in
// headless Chromium (ui/e2e/overlays.mjs) as Trieste's admin: the overlay's
// card says it needs review, naming the value to fix and the versions.
func TestEnteSeesOverlayReview(t *testing.T) {
	srv := startBrowserTest(t)
	designer := devToken(t, srv, "designer.regione")
	var cur struct {
		Document map[string]any `json:"document"`
	}
	apiCall(t, srv, "GET", "/api/modeler/templates/matrimonio/versions/1", designer, nil, &cur)
	for _, p := range cur.Document["params"].([]any) {
		if p.(map[string]any)["name"] == "tariffa" {
			p.(map[string]any)["max"] = 12000 // Trieste charges 15000
		}
	}
	apiCall(t, srv, "PUT", "/api/modeler/templates/matrimonio", designer, cur.Document, nil)
	apiCall(t, srv, "POST", "/api/modeler/templates/matrimonio/publish", designer, nil, nil)

	runScript(t, srv, "overlays.mjs", 2*time.Minute, "the ente's page did not show the review")
}

// devToken gets an access token for a demo user from the dev identity provider.
func devToken(t *testing.T, s *devServer, user string) string {
	t.Helper()
	resp, err := http.PostForm(s.url("/idp/oauth/token"), url.Values{"grant_type": {"client_credentials"},
		"client_id": {user}, "client_secret": {"demo"}, "scope": {"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token for %s: %d %v", user, resp.StatusCode, err)
	}
	return tok.AccessToken
}

// apiCall sends a JSON request that must succeed and decodes the answer into out.
func apiCall(t *testing.T, s *devServer, method, path, token string, body, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.url(path), r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}
