package activities

import (
	"context"
	"fmt"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
)

// PlanRef pins the template version a pratica runs.
type PlanRef struct {
	Template string `json:"template"`
	Version  int    `json:"version"`
	Hash     string `json:"hash"`
	Service  string `json:"service"`
}

// ServiceInfo is what the steps of a pratica need of its catalog service and ente:
// the creditor data of payments, the App IO service, the accounting references.
type ServiceInfo struct {
	ID              string `json:"id"`
	Ente            string `json:"ente"`
	EnteName        string `json:"enteName"`
	EnteFiscalCode  string `json:"enteFiscalCode"`
	AuxDigit        int    `json:"auxDigit"`
	SegregationCode string `json:"segregationCode,omitempty"`
	ApplicationCode string `json:"applicationCode,omitempty"`
	IBAN            string `json:"iban,omitempty"`
	Taxonomy        string `json:"taxonomy,omitempty"`
	IOServiceID     string `json:"ioServiceId,omitempty"`
	IOEnabled       bool   `json:"ioEnabled,omitempty"`
	Capitolo        string `json:"capitolo,omitempty"`
	Articolo        string `json:"articolo,omitempty"`
	Accertamento    string `json:"accertamento,omitempty"`
	Office          string `json:"office,omitempty"`
	Patron          string `json:"patron,omitempty"` // "MM-DD"
	TermDays        int    `json:"termDays,omitempty"`
	WorkingDays     bool   `json:"workingDays,omitempty"`
	Substitute      string `json:"substitute,omitempty"` // potere sostitutivo

	// PostalIBAN is the ente's conto corrente postale, if it has one.
	PostalIBAN string `json:"postalIban,omitempty"`
}

// PlanBundle is the plan of a pratica with its service context, recorded in the
// history by the LoadPlan activity so replays never read the database.
type PlanBundle struct {
	Plan    modeler.Plan `json:"plan"`
	Service ServiceInfo  `json:"service"`
}

// PlanSource gives published plans and service contexts.
type PlanSource interface {
	Plan(ctx context.Context, template string, version int) (*modeler.Plan, error)
	ServiceInfo(ctx context.Context, serviceID string) (ServiceInfo, error)
}

// LoadPlan loads the pinned plan and refuses it if its content hash changed since
// the pratica started: a published version is immutable, so a mismatch is a bug
// or tampering, and no retry can fix it.
func (a *Activities) LoadPlan(ctx context.Context, ref PlanRef) (*PlanBundle, error) {
	p, err := a.Plans.Plan(ctx, ref.Template, ref.Version)
	if err != nil {
		return nil, nonRetryable(err)
	}
	if ref.Hash != "" && p.Hash != ref.Hash {
		return nil, nonRetryable(errs.E(errs.Conflict, "template %s@%d: hash %s does not match the pinned %s", ref.Template, ref.Version, p.Hash, ref.Hash))
	}
	svc, err := a.Plans.ServiceInfo(ctx, ref.Service)
	if err != nil {
		return nil, nonRetryable(fmt.Errorf("service of %s: %w", ref.Template, err))
	}
	return &PlanBundle{Plan: *p, Service: svc}, nil
}
