package auth

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

// OIDCConfig names the identity provider (the SPID/CIE broker, or the dev IdP)
// and this application's registration with it.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL; discovery reads Issuer/.well-known/openid-configuration.
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client using PKCE alone
	// RedirectURL is our callback, e.g. https://sportello.example/auth/callback.
	RedirectURL string
	// Audience is what bearer tokens must be issued for; ClientID when empty.
	Audience string
	// HTTPClient talks to the provider; http.DefaultClient when nil.
	HTTPClient *http.Client
	// RoleClaims trusts the role, ente and office claims of this provider's
	// tokens: set only for a broker that asserts staff roles (the dev provider).
	// Otherwise those claims are ignored and staff roles come from the role
	// assignments in the database.
	RoleClaims bool
}

// Claims are the ID/access token claims we read. People come from SPID, CIE or
// eIDAS with fiscalNumber and no role; a broker trusted for it (OIDCConfig.RoleClaims)
// may also assert a staff role with ente and office.
type Claims struct {
	Subject      string `json:"sub"`
	Name         string `json:"name"`
	GivenName    string `json:"given_name"`
	FamilyName   string `json:"family_name"`
	FiscalNumber string `json:"fiscalNumber"`
	Role         string `json:"role"`
	Ente         string `json:"ente"`
	Office       string `json:"office"`
	Nonce        string `json:"nonce"`
}

// OIDC verifies tokens of one provider. Discovery runs on first use, so the dev
// IdP can be mounted on the very server that is still being built.
type OIDC struct {
	cfg OIDCConfig

	mu       sync.Mutex
	failed   time.Time // last failed discovery: retried after a pause, not on every request
	lastErr  error
	provider *oidc.Provider
	bearer   *oidc.IDTokenVerifier
	idToken  *oidc.IDTokenVerifier
}

// NewOIDC returns a verifier for cfg; nothing is fetched yet.
func NewOIDC(cfg OIDCConfig) *OIDC {
	if cfg.Audience == "" {
		cfg.Audience = cfg.ClientID
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return &OIDC{cfg: cfg}
}

func (o *OIDC) client() context.Context {
	return oidc.ClientContext(context.Background(), o.cfg.HTTPClient)
}

func (o *OIDC) init(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return nil
	}
	if time.Since(o.failed) < 5*time.Second {
		return o.lastErr
	}
	// The key set keeps the context it was made with for later refreshes, so it
	// gets a background one, not the request's.
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(oidc.ClientContext(dctx, o.cfg.HTTPClient), o.cfg.Issuer)
	if err != nil {
		o.failed, o.lastErr = time.Now(), fmt.Errorf("oidc discovery %s: %w", o.cfg.Issuer, err)
		return o.lastErr
	}
	keys := oidc.NewRemoteKeySet(o.client(), jwksURL(p))
	o.bearer = oidc.NewVerifier(o.cfg.Issuer, keys, &oidc.Config{ClientID: o.cfg.Audience})
	o.idToken = oidc.NewVerifier(o.cfg.Issuer, keys, &oidc.Config{ClientID: o.cfg.ClientID})
	o.provider = p
	return nil
}

func jwksURL(p *oidc.Provider) string {
	var meta struct {
		JWKS string `json:"jwks_uri"`
	}
	_ = p.Claims(&meta)
	return meta.JWKS
}

// oauth2Config is the authorization-code client of the browser login.
func (o *OIDC) oauth2Config(ctx context.Context) (*oauth2.Config, error) {
	if err := o.init(ctx); err != nil {
		return nil, err
	}
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: o.provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"}}, nil
}

// VerifyBearer checks a bearer token's signature against the issuer's JWKS, its
// issuer, audience and expiry, and maps its claims to a principal.
func (o *OIDC) VerifyBearer(ctx context.Context, raw string) (*api.Principal, error) {
	if err := o.init(ctx); err != nil {
		return nil, err
	}
	tok, err := o.bearer.Verify(ctx, raw)
	if err != nil {
		return nil, &errs.Error{Code: errs.Unauth, Message: "token is not valid / token non valido", Reason: "invalid_token", Err: err}
	}
	var c Claims
	if err := tok.Claims(&c); err != nil {
		return nil, &errs.Error{Code: errs.Unauth, Message: "token claims are not valid / attributi del token non validi", Reason: "invalid_token", Err: err}
	}
	return principalFrom(c, o.cfg.RoleClaims)
}

// verifyIDToken checks the ID token of a code exchange and its nonce.
func (o *OIDC) verifyIDToken(ctx context.Context, raw, nonce string) (*api.Principal, error) {
	if err := o.init(ctx); err != nil {
		return nil, err
	}
	tok, err := o.idToken.Verify(ctx, raw)
	if err != nil {
		return nil, &errs.Error{Code: errs.Unauth, Message: "id token is not valid / token non valido", Reason: "invalid_token", Err: err}
	}
	var c Claims
	if err := tok.Claims(&c); err != nil {
		return nil, &errs.Error{Code: errs.Unauth, Message: "id token claims are not valid", Reason: "invalid_token", Err: err}
	}
	if c.Nonce != nonce {
		return nil, &errs.Error{Code: errs.Unauth, Message: "login nonce does not match / accesso non valido", Reason: "nonce"}
	}
	return principalFrom(c, o.cfg.RoleClaims)
}

// PrincipalFromClaims maps the claims of a broker trusted for role claims to a
// principal: no role with a fiscalNumber is a citizen, whose identifier is
// checked; staff roles need an ente, regional ones sit in the region.
func PrincipalFromClaims(c Claims) (*api.Principal, error) { return principalFrom(c, true) }

// principalFrom is PrincipalFromClaims, with the role, ente and office claims
// dropped unless trustRoles: the person is then a citizen until the guard finds
// their role assignments.
func principalFrom(c Claims, trustRoles bool) (*api.Principal, error) {
	if !trustRoles || c.Role == api.RoleCitizen {
		c.Role, c.Ente, c.Office = "", "", ""
	}
	name := c.Name
	if name == "" {
		name = c.GivenName + " " + c.FamilyName
	}
	p := &api.Principal{Subject: c.Subject, Name: name, Role: c.Role, Ente: c.Ente, Office: c.Office}
	if c.Subject == "" {
		return nil, &errs.Error{Code: errs.Unauth, Message: "token has no subject / token senza soggetto", Reason: "invalid_token"}
	}
	if p.Role == "" && c.FiscalNumber != "" {
		p.Role = api.RoleCitizen
	}
	if c.FiscalNumber != "" {
		cf, err := NormalizePerson("fiscalNumber", c.FiscalNumber)
		if err != nil {
			return nil, &errs.Error{Code: errs.Unauth, Reason: "fiscal_number", Err: err,
				Message: "fiscalNumber claim is not a valid codice fiscale nor eIDAS identifier / identificativo non valido"}
		}
		p.FiscalCode = cf
	}
	switch p.Role {
	case api.RoleCitizen:
		if p.FiscalCode == "" {
			return nil, &errs.Error{Code: errs.Unauth, Message: "citizens need a fiscalNumber claim / manca il codice fiscale", Reason: "fiscal_number"}
		}
		p.Ente = ""
	case api.RoleRegionalAdmin, api.RoleDesigner:
		if p.Ente == "" {
			p.Ente = api.Region
		}
	case api.RoleOperator, api.RoleEnteAdmin:
		if p.Ente == "" {
			return nil, &errs.Error{Code: errs.Unauth, Message: "staff token names no ente / manca l'ente", Reason: "no_ente"}
		}
	default:
		if !slices.Contains(knownRoles, p.Role) {
			return nil, &errs.Error{Code: errs.Unauth, Message: "token carries no known role / ruolo sconosciuto", Reason: ReasonNoRole}
		}
	}
	return p, nil
}
