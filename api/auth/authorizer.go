package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/store"
)

// rbacModel is RBAC with domains. A request carries the caller's role (from the
// token or the API key), their subject, their home ente and the domain the
// request concerns. A policy's domain is "*" (every ente and the region), "own"
// (the caller's home ente) or one ente id. Role grants "g, subject, role, domain"
// give a person a role in one more ente, or everywhere when the domain is the
// region, which sits above every ente. g2 holds the role assignments of people
// ("g2, person, role, ente", from auth_role_assignments): the matcher does not
// read it, because a request is decided on the one assignment it acts in, which
// the guard picks from g2 before asking (see actAs).
const rbacModel = `
[request_definition]
r = role, user, home, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _
g2 = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = ((r.role == p.sub && (p.dom == "*" || p.dom == r.dom || (p.dom == "own" && r.home != "" && r.dom == r.home))) || g(r.user, p.sub, r.dom) || g(r.user, p.sub, "region")) && (p.obj == "*" || p.obj == r.obj) && (p.act == "*" || p.act == r.act)
`

// Reason codes of a denial, returned in errs.Error.Reason.
const (
	ReasonNoRole     = "no_role"          // the caller holds no role we know
	ReasonOtherEnte  = "other_ente"       // the role allows it, but in the caller's own ente only
	ReasonNotAllowed = "role_not_allowed" // the role never allows this permission
	ReasonKeyScope   = "key_scope"        // the API key's scopes do not include the permission
	ReasonKeyCreator = "key_creator"      // the API key's creator may not do it (any more)
)

var knownRoles = []string{api.RoleRegionalAdmin, api.RoleDesigner, api.RoleEnteAdmin, api.RoleOperator, api.RoleCitizen, api.RoleMachine}

// Authorizer decides with casbin, policies in the database; it reloads them when
// their version changes, checking at most once per Refresh.
type Authorizer struct {
	enf     *casbin.SyncedEnforcer
	adapter *Adapter
	// Refresh is how often the policy version is checked; 0 checks on every decision.
	Refresh time.Duration

	mu      sync.Mutex
	version int64
	checked time.Time
	// cache holds decisions since the last policy load: a casbin evaluation walks
	// every rule through the matcher (tens of microseconds), a hit is a map read.
	cache map[string]bool
	gen   int64 // bumped whenever the cache is dropped, so a decision made meanwhile is not kept
}

// maxCache bounds the decision cache; when full it starts again empty.
const maxCache = 50000

// NewAuthorizer loads the policies from db, seeding DefaultPolicy into an empty table.
func NewAuthorizer(ctx context.Context, db *gorm.DB) (*Authorizer, error) {
	if err := seedPolicy(ctx, db); err != nil {
		return nil, err
	}
	m, err := model.NewModelFromString(rbacModel)
	if err != nil {
		return nil, fmt.Errorf("casbin model: %w", err)
	}
	a := NewAdapter(db)
	enf, err := casbin.NewSyncedEnforcer(m, a)
	if err != nil {
		return nil, fmt.Errorf("casbin enforcer: %w", err)
	}
	z := &Authorizer{enf: enf, adapter: a, Refresh: 2 * time.Second}
	z.version, err = a.version(ctx)
	if err != nil {
		return nil, fmt.Errorf("policy version: %w", err)
	}
	z.checked = time.Now()
	return z, nil
}

func seedPolicy(ctx context.Context, db *gorm.DB) error {
	return store.Tx(ctx, db, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&policyVersion{Name: "seed", Version: 0}).Error; err != nil {
			return fmt.Errorf("seed policy: %w", err)
		}
		var seeded policyVersion
		if err := tx.Where("name = ?", "seed").Take(&seeded).Error; err != nil {
			return fmt.Errorf("seed policy: %w", err)
		}
		if seeded.Version >= DefaultPolicyVersion {
			return nil
		}
		rows := make([]casbinRule, 0, len(DefaultPolicy))
		for _, p := range DefaultPolicy {
			rows = append(rows, newRule("p", p))
		}
		// Rules already there, or inserted by another process starting at the
		// same moment, hit the unique index and are skipped.
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
			return fmt.Errorf("seed policy: %w", err)
		}
		if err := tx.Model(&policyVersion{}).Where("name = ?", "seed").Update("version", DefaultPolicyVersion).Error; err != nil {
			return fmt.Errorf("seed policy: %w", err)
		}
		return tx.Exec("UPDATE casbin_version SET version = version + 1 WHERE name = 'policy'").Error
	})
}

// policyVersion is a row of casbin_version: "policy" counts writes, "seed"
// records the DefaultPolicyVersion applied.
type policyVersion struct {
	Name    string `gorm:"column:name;primaryKey"`
	Version int64  `gorm:"column:version"`
}

func (policyVersion) TableName() string { return "casbin_version" }

// reload loads the policies again when another writer changed them.
func (z *Authorizer) reload(ctx context.Context) error {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.Refresh > 0 && time.Since(z.checked) < z.Refresh {
		return nil
	}
	v, err := z.adapter.version(ctx)
	if err != nil {
		return fmt.Errorf("policy version: %w", err)
	}
	z.checked = time.Now()
	if v == z.version {
		return nil
	}
	if err := z.enf.LoadPolicy(); err != nil {
		return err
	}
	z.version = v
	z.cache, z.gen = nil, z.gen+1
	return nil
}

// enforce asks casbin, through the decision cache.
func (z *Authorizer) enforce(vals ...string) (bool, error) {
	key := strings.Join(vals, "\x00")
	z.mu.Lock()
	ok, hit := z.cache[key]
	gen := z.gen
	z.mu.Unlock()
	if hit {
		return ok, nil
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	ok, err := z.enf.Enforce(args...)
	if err != nil {
		return false, err
	}
	z.mu.Lock()
	if gen == z.gen {
		if z.cache == nil || len(z.cache) >= maxCache {
			z.cache = map[string]bool{}
		}
		z.cache[key] = ok
	}
	z.mu.Unlock()
	return ok, nil
}

// invalidate makes the next decision reload the policies (after a write of
// this process), without waiting for Refresh.
func (z *Authorizer) invalidate() {
	z.mu.Lock()
	z.checked = time.Time{}
	z.mu.Unlock()
}

// changed forgets cached decisions after a local policy write.
func (z *Authorizer) changed(err error) error {
	z.mu.Lock()
	z.cache, z.gen = nil, z.gen+1
	z.mu.Unlock()
	return err
}

// Decide reports whether p may perform perm in domain, and why not.
func (z *Authorizer) Decide(ctx context.Context, p *api.Principal, domain string, perm api.Perm) (bool, string, error) {
	if !slices.Contains(knownRoles, p.Role) {
		return false, ReasonNoRole, nil
	}
	if err := z.reload(ctx); err != nil {
		return false, "", err
	}
	ok, err := z.enforce(p.Role, p.Subject, p.Ente, domain, perm.Object, perm.Action)
	if err != nil {
		return false, "", fmt.Errorf("enforce: %w", err)
	}
	if !ok {
		if p.Ente != "" && domain != p.Ente {
			if home, _ := z.enforce(p.Role, p.Subject, p.Ente, p.Ente, perm.Object, perm.Action); home {
				return false, ReasonOtherEnte, nil
			}
		}
		return false, ReasonNotAllowed, nil
	}
	if p.Role == api.RoleMachine {
		if !ScopeAllows(p.Scopes, perm) {
			return false, ReasonKeyScope, nil
		}
		// A key may do only what its creator may still do: a creator who loses a
		// right takes it away from their keys. Keys with no recorded creator
		// predate the rule and may do nothing more than say who they are.
		if perm.Object != api.Authenticated.Object {
			if p.Creator == nil || p.Creator.Role == api.RoleMachine {
				return false, ReasonKeyCreator, nil
			}
			// A creator who acted in a role assignment keeps the key's powers
			// only while the assignment stands.
			if p.Creator.RoleFrom == api.RoleFromAssignment && !z.holds(p.Creator.FiscalCode, p.Creator.Role, p.Creator.Ente) {
				return false, ReasonKeyCreator, nil
			}
			ok, _, err := z.Decide(ctx, p.Creator, domain, perm)
			if err != nil || !ok {
				return false, ReasonKeyCreator, err
			}
		}
	}
	return true, "", nil
}

// ScopeAllows reports whether one of scopes ("object:action", "object:*") covers perm.
func ScopeAllows(scopes []string, perm api.Perm) bool {
	if perm.Object == api.Authenticated.Object {
		return true
	}
	for _, s := range scopes {
		obj, act, _ := strings.Cut(s, ":")
		if (obj == perm.Object || obj == "*") && (act == perm.Action || act == "*") {
			return true
		}
	}
	return false
}

// AddPolicy allows role to do action on object in domain ("*", "own" or an ente id).
func (z *Authorizer) AddPolicy(role, domain, object, action string) error {
	_, err := z.enf.AddPolicy(role, domain, object, action)
	return z.changed(err)
}

// RemovePolicy takes back a permission added with AddPolicy.
func (z *Authorizer) RemovePolicy(role, domain, object, action string) error {
	_, err := z.enf.RemovePolicy(role, domain, object, action)
	return z.changed(err)
}

// Grant gives subject role in domain (an ente id, or api.Region for every ente).
func (z *Authorizer) Grant(subject, role, domain string) error {
	_, err := z.enf.AddGroupingPolicy(subject, role, domain)
	return z.changed(err)
}

// Policies lists the permission rules currently loaded.
func (z *Authorizer) Policies() ([][]string, error) {
	return z.enf.GetPolicy()
}
