package catalog

import (
	"context"
	"strings"

	"github.com/sportello/sportello/errs"
)

// ServiceContext is what a running pratica needs of its service, resolved
// from the catalog once, when the pratica starts: the creditor, the account and
// accounting lines its payments go to, its App IO service, the office that
// works it, the legal term and who holds the potere sostitutivo.
type ServiceContext struct {
	Service *Service
	Ente    *Ente
	// IBAN is the service's payment account, or else the ente's first one.
	IBAN string
	// Taxonomy is the payment mode's code, or else the service's first.
	Taxonomy, Capitolo, Articolo, Accertamento string
	Office                                     string
	TermDays                                   int
	WorkingDays                                bool
	// SubstituteOffice is the unit code of the potere sostitutivo.
	SubstituteOffice string
}

// ServiceContext resolves the context of service id.
func (s *Store) ServiceContext(ctx context.Context, id string) (*ServiceContext, error) {
	sv, err := s.GetService(ctx, id)
	if err != nil {
		return nil, err
	}
	e, err := s.GetEnte(ctx, sv.Ente)
	if err != nil {
		return nil, err
	}
	out := &ServiceContext{Service: sv, Ente: e}
	if len(e.Accounts) > 0 {
		out.IBAN = e.Accounts[0].IBAN
	}
	if len(sv.Payments) > 0 {
		pm := sv.Payments[0]
		out.Taxonomy, out.Capitolo, out.Articolo, out.Accertamento = pm.Taxonomy, pm.Capitolo, pm.Articolo, pm.Accertamento
		if pm.IBAN != "" {
			out.IBAN = pm.IBAN
		}
	} else if len(sv.Taxonomy) > 0 {
		out.Taxonomy = sv.Taxonomy[0]
	}
	if sv.Procedimento == "" {
		return out, nil
	}
	pr, err := s.GetProcedimento(ctx, sv.Procedimento)
	if errs.Is(err, errs.NotFound) {
		return out, nil // the catalog checks references on save; an old row keeps working
	}
	if err != nil {
		return nil, err
	}
	out.Office = pr.Office
	if pr.Term != nil {
		out.TermDays, out.WorkingDays = pr.Term.Days, pr.Term.Working
	}
	if out.SubstituteOffice, err = s.substituteOffice(ctx, e.ID, pr); err != nil {
		return nil, err
	}
	return out, nil
}

// substituteOffice finds the unit of the ente whose head holds the potere
// sostitutivo: the procedimento names it by its unit code, or by the head's
// title ("Segretario comunale"), looked up in the ente's organisation chart.
// An ente whose chart does not have it gets the title as a code
// ("segretario-comunale"), so the escalated task still names who must act.
func (s *Store) substituteOffice(ctx context.Context, ente string, pr *Procedimento) (string, error) {
	if pr.SubstituteOffice != "" {
		return pr.SubstituteOffice, nil
	}
	if pr.Substitute == nil || strings.TrimSpace(pr.Substitute.It) == "" {
		return "", nil
	}
	title := strings.TrimSpace(pr.Substitute.It)
	units, err := s.Units(ctx, ente)
	if err != nil {
		return "", err
	}
	for _, u := range units {
		if strings.EqualFold(strings.TrimSpace(u.Manager), title) {
			return u.Code, nil
		}
	}
	return strings.ReplaceAll(strings.ToLower(title), " ", "-"), nil
}
