package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/crypto"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/sportello/sportello/store"
)

// Config configures the dev provider.
type Config struct {
	// Issuer is the URL where the handler is mounted, e.g. http://localhost:8080/idp;
	// the mount must strip its path (api.Router.Raw does).
	Issuer string
	// ClientID is the Sportello web app's client id ("sportello" when empty).
	ClientID string
	// RedirectURIs are the web app's callbacks, e.g. http://localhost:8080/auth/callback.
	RedirectURIs []string
	// Audience is put in client-credentials tokens: the API's expected audience (ClientID when empty).
	Audience string
	// KeyFile, when set, holds the RSA signing key and the 32-byte key that
	// encrypts codes and opaque tokens (PEM), so tokens and sessions survive
	// a restart: it is read when present and created (0600) when not. Empty
	// gives fresh keys each time.
	KeyFile string
	Log     *slog.Logger
}

// IdP is the dev OpenID provider, an http.Handler.
type IdP struct {
	cfg      Config
	store    *storage
	provider *op.Provider
	mux      *http.ServeMux
}

// New builds the provider with the keys of cfg.KeyFile, or fresh ones.
func New(cfg Config) (*IdP, error) {
	cfg.Issuer = strings.TrimRight(cfg.Issuer, "/")
	if _, err := url.Parse(cfg.Issuer); err != nil || cfg.Issuer == "" {
		return nil, fmt.Errorf("dev idp issuer %q: must be a URL", cfg.Issuer)
	}
	if cfg.ClientID == "" {
		cfg.ClientID = "sportello"
	}
	if cfg.Audience == "" {
		cfg.Audience = cfg.ClientID
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	rk, ck, err := loadKeys(cfg.KeyFile)
	if err != nil {
		return nil, err
	}
	kid, err := keyID(&rk.PublicKey)
	if err != nil {
		return nil, err
	}
	loginURL := func(id string) string { return cfg.Issuer + "/login?authRequestID=" + url.QueryEscape(id) }
	st := &storage{cfg: cfg, key: &signingKey{id: kid, key: rk},
		web: &client{id: cfg.ClientID, redirects: cfg.RedirectURIs, loginURL: loginURL, method: oidc.AuthMethodNone,
			grants: []oidc.GrantType{oidc.GrantTypeCode}},
		reqs: map[string]*authRequest{}, code: map[string]string{}, toks: map[string]accessToken{}}
	opts := []op.Option{op.WithLogger(cfg.Log)}
	if strings.HasPrefix(cfg.Issuer, "http://") {
		opts = append(opts, op.WithAllowInsecure())
	}
	p, err := op.NewProvider(&op.Config{CryptoKey: ck, CodeMethodS256: true, AuthMethodPost: true,
		SupportedUILocales: []language.Tag{language.Italian, language.English}}, st, op.StaticIssuer(cfg.Issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("dev idp: %w", err)
	}
	idp := &IdP{cfg: cfg, store: st, provider: p, mux: http.NewServeMux()}
	idp.mux.HandleFunc("GET /login", idp.loginPage)
	idp.mux.HandleFunc("POST /login", idp.loginSubmit)
	idp.mux.Handle("/", p)
	return idp, nil
}

// PEM block types of the key file.
const (
	pemSigningKey = "PRIVATE KEY" // PKCS #8
	pemCryptoKey  = "SPORTELLO DEV IDP CRYPTO KEY"
)

// loadKeys reads the signing key and the crypto key from file, or makes them
// and, when file is set, saves them there.
func loadKeys(file string) (*rsa.PrivateKey, [32]byte, error) {
	var ck [32]byte
	if file != "" {
		data, err := os.ReadFile(file)
		if err == nil {
			return parseKeys(file, data)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, ck, fmt.Errorf("dev idp: read key file: %w", err)
		}
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, ck, fmt.Errorf("dev idp key: %w", err)
	}
	if _, err := rand.Read(ck[:]); err != nil {
		return nil, ck, fmt.Errorf("dev idp crypto key: %w", err)
	}
	if file == "" {
		return rk, ck, nil
	}
	der, err := x509.MarshalPKCS8PrivateKey(rk)
	if err != nil {
		return nil, ck, fmt.Errorf("dev idp key: %w", err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: pemSigningKey, Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: pemCryptoKey, Bytes: ck[:]})...)
	if err := store.WriteFileAtomic(file, data, 0o600); err != nil {
		return nil, ck, fmt.Errorf("dev idp: save key file %s: %w", file, err)
	}
	return rk, ck, nil
}

func parseKeys(file string, data []byte) (*rsa.PrivateKey, [32]byte, error) {
	var (
		ck      [32]byte
		rk      *rsa.PrivateKey
		gotCK   bool
		corrupt = func(why string) error { return fmt.Errorf("dev idp: key file %s: %s", file, why) }
	)
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch b.Type {
		case pemSigningKey:
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, ck, corrupt(err.Error())
			}
			var ok bool
			if rk, ok = k.(*rsa.PrivateKey); !ok {
				return nil, ck, corrupt("the signing key is not RSA")
			}
		case pemCryptoKey:
			if len(b.Bytes) != len(ck) {
				return nil, ck, corrupt(fmt.Sprintf("the crypto key has %d bytes, want %d", len(b.Bytes), len(ck)))
			}
			copy(ck[:], b.Bytes)
			gotCK = true
		}
	}
	if rk == nil || !gotCK {
		return nil, ck, corrupt("want a " + pemSigningKey + " and a " + pemCryptoKey + " PEM block")
	}
	if err := rk.Validate(); err != nil {
		return nil, ck, corrupt(err.Error())
	}
	return rk, ck, nil
}

// keyID names a signing key by its public key, so a reloaded key keeps its kid.
func keyID(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("dev idp key id: %w", err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:12]), nil
}

// ServeHTTP serves discovery, JWKS, authorize, token, userinfo and the login page.
func (i *IdP) ServeHTTP(w http.ResponseWriter, r *http.Request) { i.mux.ServeHTTP(w, r) }

// Issuer is the provider's issuer URL.
func (i *IdP) Issuer() string { return i.cfg.Issuer }

var loginTmpl = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Accesso di prova / Demo sign-in</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto}button{display:block;width:100%;margin:.4rem 0;padding:.7rem;text-align:left;font-size:1rem}small{color:#555}</style></head>
<body><h1>Sportello: accesso di prova</h1>
<p>Fornitore di identità di sviluppo al posto di SPID, CIE ed eIDAS. Scegli un utente.<br>
<small>Development identity provider standing in for SPID, CIE and eIDAS. Choose a user.</small></p>
<form method="post" action="{{.Action}}"><input type="hidden" name="authRequestID" value="{{.ID}}">
{{range .Users}}<button type="submit" name="user" value="{{.ID}}" data-user="{{.ID}}"><b>{{.GivenName}} {{.FamilyName}}</b>
{{if .FiscalCode}}({{.FiscalCode}}){{end}}<br><small>{{.DescIT}} / {{.DescEN}}</small></button>
{{end}}</form></body></html>`))

func (i *IdP) loginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	if _, err := i.store.request(id); err != nil {
		http.Error(w, "richiesta di accesso scaduta / sign-in request expired", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	_ = loginTmpl.Execute(w, map[string]any{"Action": i.cfg.Issuer + "/login", "ID": id, "Users": Users})
}

func (i *IdP) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	req, err := i.store.request(r.FormValue("authRequestID"))
	if err != nil {
		http.Error(w, "richiesta di accesso scaduta / sign-in request expired", http.StatusBadRequest)
		return
	}
	u, ok := UserByID(r.FormValue("user"))
	if !ok {
		http.Error(w, "utente sconosciuto / unknown user", http.StatusBadRequest)
		return
	}
	i.store.mu.Lock()
	req.subject, req.authTime, req.done = u.ID, time.Now().UTC(), true
	i.store.mu.Unlock()
	http.Redirect(w, r, i.cfg.Issuer+"/authorize/callback?id="+url.QueryEscape(req.id), http.StatusFound)
}

// MintOptions vary a minted token, so tests can present bad ones.
type MintOptions struct {
	Audience string        // the configured Audience when empty
	Issuer   string        // the provider's issuer when empty
	TTL      time.Duration // one hour when 0; negative gives an expired token
}

// Mint signs an access token for a demo user with the provider's key, as the
// client-credentials grant would. It is the test helper for minting tokens;
// scripts use POST {issuer}/oauth/token with grant_type=client_credentials,
// client_id=<user id>, client_secret=demo.
func (i *IdP) Mint(userID string, o MintOptions) (string, error) {
	u, ok := UserByID(userID)
	if !ok {
		return "", fmt.Errorf("mint: unknown demo user %q", userID)
	}
	return i.MintClaims(u.ID, u.Claims(), o)
}

// MintClaims signs an access token for subject with the given claims beyond the
// standard ones, e.g. only a fiscalNumber, as a SPID or CIE broker sends: the
// test helper for identities that are not demo users.
func (i *IdP) MintClaims(subject string, extra map[string]any, o MintOptions) (string, error) {
	if o.Audience == "" {
		o.Audience = i.cfg.Audience
	}
	if o.Issuer == "" {
		o.Issuer = i.cfg.Issuer
	}
	if o.TTL == 0 {
		o.TTL = time.Hour
	}
	claims := oidc.NewAccessTokenClaims(o.Issuer, subject, []string{o.Audience}, time.Now().Add(o.TTL), uuid.NewString(), subject, 0)
	if o.TTL < 0 {
		claims.IssuedAt = oidc.FromTime(time.Now().Add(2 * o.TTL))
		claims.NotBefore = claims.IssuedAt
	}
	claims.Claims = extra
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: i.store.key.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", i.store.key.id))
	if err != nil {
		return "", err
	}
	return crypto.Sign(claims, signer)
}
