package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

type sessionRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	TokenHash string    `gorm:"column:token_hash"`
	CSRF      string    `gorm:"column:csrf"`
	Principal string    `gorm:"column:principal"`
	CreatedAt time.Time `gorm:"column:created_at"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
}

func (sessionRow) TableName() string { return "auth_sessions" }

type loginRow struct {
	State     string    `gorm:"column:state;primaryKey"`
	Verifier  string    `gorm:"column:verifier"`
	Nonce     string    `gorm:"column:nonce"`
	ReturnTo  string    `gorm:"column:return_to"`
	ExpiresAt time.Time `gorm:"column:expires_at"`
}

func (loginRow) TableName() string { return "auth_logins" }

// Sessions keeps browser sessions server-side; the cookie carries a random token
// whose sha256 is the lookup key, so a copy of the table opens no session.
type Sessions struct {
	db  *gorm.DB
	ttl time.Duration
	now func() time.Time
}

// NewSessions returns the session store; sessions last ttl (8 hours when 0).
func NewSessions(db *gorm.DB, ttl time.Duration) *Sessions {
	if ttl <= 0 {
		ttl = 8 * time.Hour
	}
	return &Sessions{db: db, ttl: ttl, now: func() time.Time { return time.Now().UTC() }}
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the platform's randomness failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Open starts a session for p.
func (s *Sessions) Open(ctx context.Context, p *api.Principal) (api.Session, error) {
	pj, err := json.Marshal(p)
	if err != nil {
		return api.Session{}, err
	}
	now := s.now().Truncate(time.Microsecond)
	ses := api.Session{Token: randomToken(32), CSRF: randomToken(24), Expires: now.Add(s.ttl), Principal: *p}
	row := sessionRow{ID: uuid.NewString(), TokenHash: hashSecret(ses.Token), CSRF: ses.CSRF, Principal: string(pj),
		CreatedAt: now, ExpiresAt: ses.Expires}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return api.Session{}, fmt.Errorf("open session: %w", err)
	}
	return ses, nil
}

// Lookup returns the principal and CSRF token of a live session.
func (s *Sessions) Lookup(ctx context.Context, token string) (*api.Principal, string, error) {
	var row sessionRow
	err := s.db.WithContext(ctx).Where("token_hash = ?", hashSecret(token)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !row.ExpiresAt.After(s.now())) {
		return nil, "", &errs.Error{Code: errs.Unauth, Message: "session expired, sign in again / sessione scaduta, accedi di nuovo", Reason: "session"}
	}
	if err != nil {
		return nil, "", fmt.Errorf("session lookup: %w", err)
	}
	var p api.Principal
	if err := json.Unmarshal([]byte(row.Principal), &p); err != nil {
		return nil, "", fmt.Errorf("session principal: %w", err)
	}
	return &p, row.CSRF, nil
}

// Close ends the session of token; closing twice is harmless.
func (s *Sessions) Close(ctx context.Context, token string) error {
	if err := s.db.WithContext(ctx).Where("token_hash = ?", hashSecret(token)).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("close session: %w", err)
	}
	return nil
}

// Sweep deletes expired sessions and abandoned logins.
func (s *Sessions) Sweep(ctx context.Context) error {
	now := s.now()
	if err := s.db.WithContext(ctx).Where("expires_at < ?", now).Delete(&sessionRow{}).Error; err != nil {
		return err
	}
	return s.db.WithContext(ctx).Where("expires_at < ?", now).Delete(&loginRow{}).Error
}

// safeReturn keeps redirects after login on this site: a local path, never "//host".
func safeReturn(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}

// loginStart records a pending authorization-code login with PKCE and returns
// the provider URL and the state.
func (s *Sessions) loginStart(ctx context.Context, o *OIDC, returnTo string) (string, string, error) {
	cfg, err := o.oauth2Config(ctx)
	if err != nil {
		return "", "", err
	}
	row := loginRow{State: randomToken(24), Verifier: oauth2.GenerateVerifier(), Nonce: randomToken(16),
		ReturnTo: safeReturn(returnTo), ExpiresAt: s.now().Add(10 * time.Minute)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", "", fmt.Errorf("login start: %w", err)
	}
	u := cfg.AuthCodeURL(row.State, oauth2.S256ChallengeOption(row.Verifier), oidc.Nonce(row.Nonce))
	return u, row.State, nil
}

// loginFinish consumes the pending login of state (once), exchanges code with
// the PKCE verifier, verifies the ID token and opens a session.
func (s *Sessions) loginFinish(ctx context.Context, o *OIDC, state, code string) (api.Session, string, error) {
	var row loginRow
	if err := s.db.WithContext(ctx).Where("state = ?", state).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return api.Session{}, "", &errs.Error{Code: errs.Unauth, Message: "login expired, try again / accesso scaduto, riprova", Reason: "state"}
		}
		return api.Session{}, "", fmt.Errorf("login state: %w", err)
	}
	res := s.db.WithContext(ctx).Where("state = ?", state).Delete(&loginRow{})
	if res.Error != nil {
		return api.Session{}, "", fmt.Errorf("login state: %w", res.Error)
	}
	if res.RowsAffected == 0 || !row.ExpiresAt.After(s.now()) {
		return api.Session{}, "", &errs.Error{Code: errs.Unauth, Message: "login expired, try again / accesso scaduto, riprova", Reason: "state"}
	}
	cfg, err := o.oauth2Config(ctx)
	if err != nil {
		return api.Session{}, "", err
	}
	tok, err := cfg.Exchange(oidc.ClientContext(ctx, o.cfg.HTTPClient), code, oauth2.VerifierOption(row.Verifier))
	if err != nil {
		return api.Session{}, "", &errs.Error{Code: errs.Unauth, Message: "login failed / accesso non riuscito", Reason: "code_exchange", Err: err}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return api.Session{}, "", &errs.Error{Code: errs.Unauth, Message: "login failed: no id token / accesso non riuscito", Reason: "code_exchange"}
	}
	p, err := o.verifyIDToken(ctx, raw, row.Nonce)
	if err != nil {
		return api.Session{}, "", err
	}
	ses, err := s.Open(ctx, p)
	return ses, row.ReturnTo, err
}
