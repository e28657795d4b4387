package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/crypto"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
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
	Log      *slog.Logger
}

// IdP is the dev OpenID provider, an http.Handler.
type IdP struct {
	cfg      Config
	store    *storage
	provider *op.Provider
	mux      *http.ServeMux
}

// New builds the provider with a fresh RSA signing key.
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
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("dev idp key: %w", err)
	}
	loginURL := func(id string) string { return cfg.Issuer + "/login?authRequestID=" + url.QueryEscape(id) }
	st := &storage{cfg: cfg, key: &signingKey{id: uuid.NewString(), key: rk},
		web: &client{id: cfg.ClientID, redirects: cfg.RedirectURIs, loginURL: loginURL, method: oidc.AuthMethodNone,
			grants: []oidc.GrantType{oidc.GrantTypeCode}},
		reqs: map[string]*authRequest{}, code: map[string]string{}, toks: map[string]accessToken{}}
	var ck [32]byte
	if _, err := rand.Read(ck[:]); err != nil {
		return nil, err
	}
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
	if o.Audience == "" {
		o.Audience = i.cfg.Audience
	}
	if o.Issuer == "" {
		o.Issuer = i.cfg.Issuer
	}
	if o.TTL == 0 {
		o.TTL = time.Hour
	}
	claims := oidc.NewAccessTokenClaims(o.Issuer, u.ID, []string{o.Audience}, time.Now().Add(o.TTL), uuid.NewString(), u.ID, 0)
	if o.TTL < 0 {
		claims.IssuedAt = oidc.FromTime(time.Now().Add(2 * o.TTL))
		claims.NotBefore = claims.IssuedAt
	}
	claims.Claims = u.Claims()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: i.store.key.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", i.store.key.id))
	if err != nil {
		return "", err
	}
	return crypto.Sign(claims, signer)
}
