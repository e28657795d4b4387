package devidp

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// DemoSecret is the client secret of every demo user for the client-credentials
// grant (client_id = the user's id): a simulator's convenience, not a credential.
const DemoSecret = "demo"

// accessToken is an issued access token, kept for userinfo and introspection.
type accessToken struct {
	subject  string
	clientID string
	audience []string
	scopes   []string
	expires  time.Time
}

// storage is the provider's op.Storage, in memory. Login requests and opaque
// tokens die with the process; the keys (Config.KeyFile) are what let the
// JWT access and ID tokens, and so the app's sessions, outlive a restart.
type storage struct {
	cfg  Config
	key  *signingKey
	web  *client
	mu   sync.Mutex
	reqs map[string]*authRequest
	code map[string]string // code → auth request id
	toks map[string]accessToken
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.ClientCredentialsStorage  = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

func (s *storage) request(id string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reqs[id]
	if !ok || time.Since(r.created) > 15*time.Minute {
		return nil, oidc.ErrInvalidRequest().WithDescription("login request not found or expired")
	}
	return r, nil
}

// CreateAuthRequest records a browser login; PKCE with S256 is required.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with S256 is required")
	}
	r := &authRequest{id: uuid.NewString(), clientID: req.ClientID, redirectURI: req.RedirectURI, state: req.State,
		nonce: req.Nonce, scopes: req.Scopes, responseType: req.ResponseType, responseMode: req.ResponseMode,
		challenge: &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod}, created: time.Now()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs[r.id] = r
	return r, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	return s.request(id)
}

func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.code[code]
	s.mu.Unlock()
	if !ok {
		return nil, oidc.ErrInvalidGrant().WithDescription("code not found or used")
	}
	return s.request(id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.code[code] = id
	return nil
}

// DeleteAuthRequest ends a login once its tokens are issued, so a code works once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.reqs, id)
	for c, rid := range s.code {
		if rid == id {
			delete(s.code, c)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	id, exp := uuid.NewString(), time.Now().UTC().Add(time.Hour)
	t := accessToken{subject: req.GetSubject(), audience: req.GetAudience(), scopes: req.GetScopes(), expires: exp}
	if ar, ok := req.(*authRequest); ok {
		t.clientID = ar.clientID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.toks[id] = t
	return id, exp, nil
}

var errNoRefresh = errors.New("refresh tokens are not offered by the dev identity provider")

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errNoRefresh
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(_ context.Context, id, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.toks, id)
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) { return []op.Key{publicKey{s.key}}, nil }

// GetClientByClientID knows the web app and, for client credentials, every demo user.
func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id == s.web.id {
		return s.web, nil
	}
	if _, ok := UserByID(id); ok {
		return s.userClient(id), nil
	}
	return nil, oidc.ErrInvalidClient().WithDescription("unknown client")
}

func (s *storage) userClient(id string) *client {
	return &client{id: id, loginURL: s.web.loginURL, method: oidc.AuthMethodBasic,
		grants: []oidc.GrantType{oidc.GrantTypeClientCredentials}}
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	if _, ok := UserByID(id); ok && secret == DemoSecret {
		return nil
	}
	return oidc.ErrInvalidClient().WithDescription("wrong client secret")
}

// ClientCredentials lets a demo user get a token without the login page.
func (s *storage) ClientCredentials(ctx context.Context, id, secret string) (op.Client, error) {
	if err := s.AuthorizeClientIDSecret(ctx, id, secret); err != nil {
		return nil, err
	}
	return s.userClient(id), nil
}

func (s *storage) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	return &tokenRequest{subject: id, audience: []string{s.cfg.Audience}, scopes: scopes}, nil
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the user's claims in the ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	if u, ok := UserByID(req.GetSubject()); ok {
		u.fill(info)
	}
	return nil
}

func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, _, subject, _ string) error {
	u, ok := UserByID(subject)
	if !ok {
		return oidc.ErrInvalidRequest().WithDescription("unknown user")
	}
	u.fill(info)
	return nil
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, id, subject, clientID string) error {
	s.mu.Lock()
	t, ok := s.toks[id]
	s.mu.Unlock()
	u, known := UserByID(subject)
	if !ok || !known || time.Now().After(t.expires) {
		return oidc.ErrInvalidRequest().WithDescription("token is not active")
	}
	info := new(oidc.UserInfo)
	u.fill(info)
	resp.SetUserInfo(info)
	resp.Active, resp.Subject, resp.ClientID = true, subject, clientID
	resp.Scope, resp.Audience, resp.Expiration = t.scopes, t.audience, oidc.FromTime(t.expires)
	return nil
}

// GetPrivateClaimsFromScopes puts the user's claims (fiscalNumber, role, ente,
// office) in JWT access tokens, which is what the API's guard reads.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, _ []string) (map[string]any, error) {
	u, ok := UserByID(userID)
	if !ok {
		return nil, oidc.ErrInvalidRequest().WithDescription("unknown user")
	}
	return u.Claims(), nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, oidc.ErrUnsupportedGrantType().WithDescription("JWT profile is not offered")
}

func (s *storage) ValidateJWTProfileScopes(_ context.Context, _ string, scopes []string) ([]string, error) {
	return slices.Clone(scopes), nil
}

func (s *storage) Health(context.Context) error { return nil }
