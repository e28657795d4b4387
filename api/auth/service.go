// Package auth is Sportello's access control: OIDC sign-in (bearer tokens and
// browser sessions), API keys for machine clients, authorization with casbin
// (RBAC with the enti as domains, the region above them), the hash-chained audit
// log and the hardening middleware (rate limits, CSRF, security headers).
package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

// Config configures the access-control service.
type Config struct {
	OIDC OIDCConfig
	// SessionTTL is how long a browser session lasts; 8 hours when 0.
	SessionTTL time.Duration
	// Orgs, when set, checks the enti and offices of role assignments.
	Orgs Orgs
	Log  *slog.Logger
}

// Service authenticates, authorizes and audits; its Guard is api.Options.Guard
// and it implements api.Access for the admin routes.
type Service struct {
	OIDC     *OIDC
	Sessions *Sessions
	Keys     *Keys
	Trail    *Audit
	Authz    *Authorizer
	// Orgs checks the enti and offices of role assignments; nil skips the check.
	Orgs Orgs
	db   *gorm.DB
	log  *slog.Logger
}

var _ api.Access = (*Service)(nil)

// New builds the service over db, seeding the default policy when there is none.
func New(ctx context.Context, db *gorm.DB, cfg Config) (*Service, error) {
	z, err := NewAuthorizer(ctx, db)
	if err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Service{OIDC: NewOIDC(cfg.OIDC), Sessions: NewSessions(db, cfg.SessionTTL), Keys: NewKeys(db),
		Trail: NewAudit(db), Authz: z, Orgs: cfg.Orgs, db: db, log: cfg.Log}, nil
}

// CreateKey creates an API key for ente.
// A key's scopes must be within what its creator may do in that ente: a key
// never holds a power its creator lacks.
func (s *Service) CreateKey(ctx context.Context, by *api.Principal, ente string, in api.NewAPIKey) (api.CreatedAPIKey, error) {
	var fields []errs.FieldError
	for i, sc := range in.Scopes {
		obj, act, ok := strings.Cut(sc, ":")
		if !ok || by == nil {
			continue // Keys.Create names the malformed scope
		}
		allowed, _, err := s.Authz.Decide(ctx, by, ente, api.Perm{Object: obj, Action: act})
		if err != nil {
			return api.CreatedAPIKey{}, err
		}
		if !allowed {
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("scopes[%d]", i),
				Message: "you may not " + act + " " + obj + " in " + ente + ", so no key of yours may / non puoi farlo, quindi nessuna tua chiave può"})
		}
	}
	if err := errs.Fields(fields); err != nil {
		return api.CreatedAPIKey{}, err
	}
	return s.Keys.Create(ctx, by, ente, in)
}

// ListKeys lists ente's API keys.
func (s *Service) ListKeys(ctx context.Context, ente string) ([]api.APIKey, error) {
	return s.Keys.List(ctx, ente)
}

// RevokeKey revokes one of ente's API keys.
func (s *Service) RevokeKey(ctx context.Context, ente, id string) error {
	return s.Keys.Revoke(ctx, ente, id)
}

// Audit queries the audit log.
func (s *Service) Audit(ctx context.Context, f api.AuditFilter) ([]api.AuditEntry, error) {
	return s.Trail.Query(ctx, f)
}

// LoginStart begins a browser login.
func (s *Service) LoginStart(ctx context.Context, returnTo string) (string, string, error) {
	return s.Sessions.loginStart(ctx, s.OIDC, returnTo)
}

// LoginFinish completes a browser login and opens a session.
func (s *Service) LoginFinish(ctx context.Context, state, code string) (api.Session, string, error) {
	return s.Sessions.loginFinish(ctx, s.OIDC, state, code)
}

// Logout closes a browser session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.Sessions.Close(ctx, token)
}
