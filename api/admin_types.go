package api

import (
	"context"
	"time"
)

// Cookie and header names of browser sessions.
const (
	// SessionCookie carries the random session token (HttpOnly, SameSite=Lax).
	SessionCookie = "sportello_session"
	// LoginCookie binds a pending login's state to the browser that started it.
	LoginCookie = "sportello_login"
	// CSRFHeader must echo the session's CSRF token on unsafe methods.
	CSRFHeader = "X-CSRF-Token"
	// APIKeyHeader carries a machine client's key.
	APIKeyHeader = "X-API-Key"
	// CSRFKey is where the guard stores the session's CSRF token on the request.
	CSRFKey = "sportello.csrf"
)

// APIKey is a machine client's key as listed; the secret is shown once, at creation.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Ente       string     `json:"ente"`
	Prefix     string     `json:"prefix"`
	Scopes     []string   `json:"scopes"`
	Serves     []string   `json:"serves"`
	CreatedBy  string     `json:"createdBy"`
	CreatedAt  time.Time  `json:"createdAt"`
	RevokedAt  *time.Time `json:"revokedAt,omitempty"`
	LastUsedAt *time.Time `json:"lastUsedAt,omitempty"`
}

// NewAPIKey is the request to create a key: scopes are "object:action" pairs,
// e.g. "receipt:create" or "position:*".
type NewAPIKey struct {
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
	// Serves, for the intermediary's station key only (made by the region),
	// lists the enti whose receipts it may deliver; default: the key's ente.
	Serves []string `json:"serves,omitempty"`
}

// CreatedAPIKey is a new key with its secret, which is never shown again.
type CreatedAPIKey struct {
	APIKey
	Secret string `json:"secret"`
}

// AuditEntry is one row of the audit chain.
type AuditEntry struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Subject   string    `json:"subject"`
	Role      string    `json:"role"`
	Ente      string    `json:"ente"`
	Domain    string    `json:"domain"`
	Action    string    `json:"action"`
	Object    string    `json:"object"`
	ObjectID  string    `json:"objectId"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	RequestID string    `json:"requestId"`
	Address   string    `json:"address"`
	Outcome   string    `json:"outcome"`
	Status    int       `json:"status"`
	Reason    string    `json:"reason,omitempty"`
	Hash      string    `json:"hash"`
}

// AuditFilter selects audit rows: by domain (an ente, or empty for all), subject,
// rows after a sequence number, at most Limit of them.
type AuditFilter struct {
	Domain  string
	Subject string
	After   int64
	Limit   int
}

// Session is a signed-in browser's session as the cookie carries it.
type Session struct {
	Token     string
	CSRF      string
	Expires   time.Time
	Principal Principal
}

// Access is what the admin routes need from the access-control package (api/auth).
type Access interface {
	CreateKey(ctx context.Context, by *Principal, ente string, in NewAPIKey) (CreatedAPIKey, error)
	ListKeys(ctx context.Context, ente string) ([]APIKey, error)
	RevokeKey(ctx context.Context, ente, id string) error
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// LoginStart returns the identity provider URL to send the browser to, and the state.
	LoginStart(ctx context.Context, returnTo string) (redirect, state string, err error)
	// LoginFinish exchanges the code, verifies the ID token and opens a session.
	LoginFinish(ctx context.Context, state, code string) (s Session, returnTo string, err error)
	// Logout closes the session whose cookie token is given.
	Logout(ctx context.Context, token string) error
	// Record appends a row to the audit log (sign-ins, which no guard sees).
	Record(ctx context.Context, e AuditEntry)
	// Policies lists the authorization rules; AddRule and RemoveRule change them
	// and every server process reloads them.
	Policies(ctx context.Context) ([]PolicyRule, error)
	AddRule(ctx context.Context, r PolicyRule) error
	RemoveRule(ctx context.Context, r PolicyRule) error
	// ListRoles lists the live role assignments of ente; GrantRole and RevokeRole
	// change them on behalf of by, who may not give more than they hold.
	ListRoles(ctx context.Context, ente string) ([]RoleAssignment, error)
	GrantRole(ctx context.Context, by *Principal, ente string, in NewRoleAssignment) (RoleAssignment, error)
	RevokeRole(ctx context.Context, by *Principal, ente, id string) (RoleAssignment, error)
}

// PolicyRule is one authorization rule: Role may do Action on Object in Domain
// ("*" every ente and the region, "own" the caller's ente, or an ente id). With
// Subject set it is a grant instead: Subject holds Role in Domain (an ente id, or
// "region" for every ente).
type PolicyRule struct {
	Subject string `json:"subject,omitempty"`
	Role    string `json:"role"`
	Domain  string `json:"domain"`
	Object  string `json:"object,omitempty"`
	Action  string `json:"action,omitempty"`
}

// RoleAssignment is a staff role a person holds in an ente (or in the region),
// with the offices they work for (none: every office of the ente).
type RoleAssignment struct {
	ID string `json:"id"`
	// Person is the codice fiscale, or "<country>-<id>" for a foreign eIDAS user.
	Person    string    `json:"person"`
	Ente      string    `json:"ente"`
	Role      string    `json:"role"`
	Offices   []string  `json:"offices"`
	GrantedBy string    `json:"grantedBy"`
	GrantedAt time.Time `json:"grantedAt"`
}

// NewRoleAssignment is the request to give a person a role in an ente: person is
// a codice fiscale ("TINIT-" prefix allowed) or an eIDAS identifier "<country>-<id>".
type NewRoleAssignment struct {
	Person  string   `json:"person"`
	Role    string   `json:"role"`
	Offices []string `json:"offices,omitempty"`
}

// ActAsHeader chooses which of a person's roles a request acts in: "citizen", or
// "<role>@<ente>" with an optional "/<office>" among the assignment's offices.
const ActAsHeader = "X-Sportello-Act-As"
