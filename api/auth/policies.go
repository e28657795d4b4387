package auth

import (
	"context"
	"log/slog"
	"regexp"
	"slices"
	"time"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

var (
	ruleWord   = regexp.MustCompile(`^([a-z][a-z-]*|\*)$`)
	ruleDomain = regexp.MustCompile(`^([a-z][a-z0-9_]*|\*)$`)
)

// validRule checks a rule or grant before it reaches casbin, naming each bad field.
func validRule(r api.PolicyRule) error {
	var f []errs.FieldError
	if !slices.Contains(knownRoles, r.Role) {
		f = append(f, errs.FieldError{Field: "role", Message: "unknown role / ruolo sconosciuto"})
	}
	if !ruleDomain.MatchString(r.Domain) {
		f = append(f, errs.FieldError{Field: "domain", Message: `"*", "own" or an ente id / "*", "own" o il codice IPA dell'ente`})
	}
	if r.Subject != "" {
		if r.Domain == "*" || r.Domain == "own" {
			f = append(f, errs.FieldError{Field: "domain", Message: `a grant names an ente or "region" / una delega indica un ente o "region"`})
		}
		if r.Object != "" || r.Action != "" {
			f = append(f, errs.FieldError{Field: "object", Message: "a grant has no object or action / una delega non ha oggetto né azione"})
		}
		return errs.Fields(f)
	}
	if !ruleWord.MatchString(r.Object) {
		f = append(f, errs.FieldError{Field: "object", Message: "required: a word or * / obbligatorio"})
	}
	if !ruleWord.MatchString(r.Action) {
		f = append(f, errs.FieldError{Field: "action", Message: "required: a word or * / obbligatorio"})
	}
	return errs.Fields(f)
}

// Policies lists the rules, then the grants.
func (s *Service) Policies(ctx context.Context) ([]api.PolicyRule, error) {
	if err := s.Authz.reload(ctx); err != nil {
		return nil, err
	}
	ps, err := s.Authz.enf.GetPolicy()
	if err != nil {
		return nil, err
	}
	gs, err := s.Authz.enf.GetGroupingPolicy()
	if err != nil {
		return nil, err
	}
	out := make([]api.PolicyRule, 0, len(ps)+len(gs))
	for _, p := range ps {
		if len(p) == 4 {
			out = append(out, api.PolicyRule{Role: p[0], Domain: p[1], Object: p[2], Action: p[3]})
		}
	}
	for _, g := range gs {
		if len(g) == 3 {
			out = append(out, api.PolicyRule{Subject: g[0], Role: g[1], Domain: g[2]})
		}
	}
	return out, nil
}

// AddRule adds a rule or a grant; adding one that exists is harmless.
func (s *Service) AddRule(ctx context.Context, r api.PolicyRule) error {
	if err := validRule(r); err != nil {
		return err
	}
	if err := s.Authz.reload(ctx); err != nil {
		return err
	}
	if r.Subject != "" {
		return s.Authz.Grant(r.Subject, r.Role, r.Domain)
	}
	return s.Authz.AddPolicy(r.Role, r.Domain, r.Object, r.Action)
}

// RemoveRule removes a rule or a grant; removing one that is not there is harmless.
func (s *Service) RemoveRule(ctx context.Context, r api.PolicyRule) error {
	if err := validRule(r); err != nil {
		return err
	}
	if err := s.Authz.reload(ctx); err != nil {
		return err
	}
	if r.Subject != "" {
		_, err := s.Authz.enf.RemoveGroupingPolicy(r.Subject, r.Role, r.Domain)
		return s.Authz.changed(err)
	}
	return s.Authz.RemovePolicy(r.Role, r.Domain, r.Object, r.Action)
}

// Record appends an audit row, logging a failure rather than failing the caller.
func (s *Service) Record(ctx context.Context, e api.AuditEntry) {
	if _, err := s.Trail.Append(ctx, e); err != nil {
		s.log.Error("audit write failed", "err", err, "action", e.Action, "outcome", e.Outcome)
	}
}

// Run sweeps expired sessions and abandoned logins every interval until ctx ends;
// the binary starts it next to the server.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Sessions.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("session sweep failed", slog.Any("err", err))
			}
		}
	}
}
