package devidp

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
)

// serve mounts a provider on the given KeyFile under /idp.
func serve(t *testing.T, keyFile string) (*IdP, *httptest.Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	idp, err := New(Config{Issuer: base + "/idp", RedirectURIs: []string{base + "/cb"}, KeyFile: keyFile})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = http.StripPrefix("/idp", idp)
	ts.Start()
	t.Cleanup(ts.Close)
	return idp, ts
}

// TestKeyFileSurvivesRestart mints a token on one provider and verifies it
// with the JWKS of a second one started on the same key file.
func TestKeyFileSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "idp", "devidp-keys.pem")
	first, _ := serve(t, file)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatalf("key file not created: %v", err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("key file mode = %o, want 600", got)
	}
	tok, err := first.Mint(Users[0].ID, MintOptions{})
	if err != nil {
		t.Fatal(err)
	}

	second, ts := serve(t, file)
	res, err := http.Get(ts.URL + "/idp/keys")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var jwks jose.JSONWebKeySet
	if err := json.NewDecoder(res.Body).Decode(&jwks); err != nil {
		t.Fatal(err)
	}
	sig, err := jose.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	kid := sig.Signatures[0].Header.KeyID
	keys := jwks.Key(kid)
	if len(keys) != 1 {
		t.Fatalf("second provider's JWKS has %d keys with kid %q, want 1", len(keys), kid)
	}
	if _, err := sig.Verify(keys[0].Key); err != nil {
		t.Errorf("token of the first provider does not verify with the second's key: %v", err)
	}
	if second.store.key.id != first.store.key.id {
		t.Errorf("key id %q after restart, want %q", second.store.key.id, first.store.key.id)
	}
	_, ck1, err := loadKeys(file)
	if err != nil {
		t.Fatal(err)
	}
	_, ck2, _ := loadKeys(file)
	if ck1 != ck2 {
		t.Error("crypto key changes between loads")
	}

	// Without a key file every provider has its own key.
	other, _ := serve(t, "")
	if other.store.key.id == first.store.key.id {
		t.Error("a provider without KeyFile reuses the file's key")
	}
}

func TestKeyFileCorrupt(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage.pem":  "not a key",
		"nocrypto.pem": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
		"shortkey.pem": "-----BEGIN SPORTELLO DEV IDP CRYPTO KEY-----\nAAAA\n-----END SPORTELLO DEV IDP CRYPTO KEY-----\n",
	} {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := New(Config{Issuer: "http://localhost/idp", KeyFile: file})
		if err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
}
