package auth

import (
	"context"
	"strings"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

// ChoiceCitizen is the act-as choice of a person acting for themselves.
const ChoiceCitizen = api.RoleCitizen

// option is one role a person may act in.
type option struct{ role, ente, office, from string }

// label is how the option is named in api.ActAsHeader and in Principal.Choices.
func (o option) label() string {
	l := o.role + "@" + o.ente
	if o.office != "" {
		l += "/" + o.office
	}
	return l
}

// assignments returns the roles person holds (the g2 links casbin loaded, from
// the adapter's index of them), oldest assignment first, one option per office.
func (z *Authorizer) assignments(ctx context.Context, person string) ([]option, error) {
	if err := z.reload(ctx); err != nil {
		return nil, err
	}
	var out []option
	for _, r := range z.adapter.assignmentsOf(person) {
		offices := r.api().Offices
		if len(offices) == 0 {
			out = append(out, option{role: r.Role, ente: r.Ente, from: api.RoleFromAssignment})
		}
		for _, o := range offices {
			out = append(out, option{role: r.Role, ente: r.Ente, office: o, from: api.RoleFromAssignment})
		}
	}
	return out, nil
}

// actAs turns the person a token or session names into the principal of this
// request. The roles they may act in are, in this order, the staff role their
// token asserts (a broker trusted for role claims) and their role assignments,
// oldest first; "citizen" too when they have an identifier. want (the
// api.ActAsHeader) picks one: "citizen", "<role>@<ente>" (the first of its
// offices) or "<role>@<ente>/<office>". Without it the first role is taken, and
// a person with no role acts as a citizen.
func (s *Service) actAs(ctx context.Context, base *api.Principal, want string) (*api.Principal, error) {
	var opts []option
	if base.Role != api.RoleCitizen {
		opts = append(opts, option{role: base.Role, ente: base.Ente, office: base.Office, from: api.RoleFromToken})
	}
	if base.FiscalCode != "" {
		as, err := s.Authz.assignments(ctx, base.FiscalCode)
		if err != nil {
			return nil, err
		}
		opts = append(opts, as...)
	}
	p := *base
	p.Choices = make([]string, 0, len(opts)+1)
	for _, o := range opts {
		p.Choices = append(p.Choices, o.label())
	}
	if base.FiscalCode != "" {
		p.Choices = append(p.Choices, ChoiceCitizen)
	}
	want = strings.TrimSpace(want)
	var pick *option
	switch {
	case want == "" && len(opts) > 0:
		pick = &opts[0]
	case want == "" || (want == ChoiceCitizen && base.FiscalCode != ""):
		if base.FiscalCode == "" {
			return nil, &errs.Error{Code: errs.Unauth, Message: "token carries no known role / ruolo sconosciuto", Reason: ReasonNoRole}
		}
		p.Role, p.Ente, p.Office, p.ActAs, p.RoleFrom = api.RoleCitizen, "", "", ChoiceCitizen, ""
		return &p, nil
	default:
		for i, o := range opts {
			if o.label() == want || (!strings.Contains(want, "/") && o.role+"@"+o.ente == want) {
				pick = &opts[i]
				break
			}
		}
	}
	if pick == nil {
		return nil, &errs.Error{Code: errs.Forbidden, Reason: "act_as",
			Message: api.ActAsHeader + ": you may act as " + strings.Join(p.Choices, ", ") + " / puoi agire come " + strings.Join(p.Choices, ", ")}
	}
	p.Role, p.Ente, p.Office, p.ActAs, p.RoleFrom = pick.role, pick.ente, pick.office, pick.label(), pick.from
	return &p, nil
}

// assignedPerson is the person whose assignment by acts in, or "".
func assignedPerson(by *api.Principal) string {
	if by == nil || by.RoleFrom != api.RoleFromAssignment {
		return ""
	}
	return by.FiscalCode
}

// holds reports whether person still holds role in ente by a live assignment.
func (z *Authorizer) holds(person, role, ente string) bool {
	for _, r := range z.adapter.assignmentsOf(person) {
		if r.Role == role && r.Ente == ente {
			return true
		}
	}
	return false
}
