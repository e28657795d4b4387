package pagopa

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/sportello/sportello/errs"
)

// TaxonomyChecker tells whether a taxonomy code ("9/0101100IM/") exists and
// is valid at a time; the catalog implements it from the national dataset.
type TaxonomyChecker interface {
	Check(ctx context.Context, code string, at time.Time) error
}

// PositionStore is what the service needs of the database; *Store implements it.
type PositionStore interface {
	Create(ctx context.Context, p *Position) error
	Get(ctx context.Context, id string) (*Position, error)
	ByIUPD(ctx context.Context, orgFiscalCode, iupd string) (*Position, error)
	SetStatus(ctx context.Context, id string, status Status, synced bool) error
}

// Service issues, publishes and invalidates debt positions: our database first
// (the intent, with its IUVs, under a unique iupd), then GPD, then the mark
// that GPD has it. A retry after any failure resumes where it stopped.
type Service struct {
	Positions PositionStore
	GPD       GPD
	Taxonomy  TaxonomyChecker
	Now       func() time.Time
	Log       *slog.Logger
	// Reductions, if set, reduces the accertamento of a position invalidated after issue.
	Reductions Reductions
}

// TransferRequest is one share of an option; the ente's fiscal code and IBAN
// are the defaults.
type TransferRequest struct {
	Amount                 int64  `json:"amount"`
	Category               string `json:"category"`
	RemittanceInformation  string `json:"remittanceInformation"`
	OrganizationFiscalCode string `json:"organizationFiscalCode,omitempty"`
	CompanyName            string `json:"companyName,omitempty"`
	IBAN                   string `json:"iban,omitempty"`
}

// OptionRequest is one payment option to issue.
type OptionRequest struct {
	Amount      int64             `json:"amount"`
	Description string            `json:"description"`
	DueDate     time.Time         `json:"dueDate"`
	Installment bool              `json:"installment,omitempty"`
	Transfers   []TransferRequest `json:"transfers"`
}

// IssueRequest asks for a debt position; IUPD is the idempotency key (the
// workflow derives it from the pratica, e.g. "<pratica>-fee").
type IssueRequest struct {
	IUPD            string          `json:"iupd"`
	PraticaID       string          `json:"praticaId,omitempty"`
	ServiceID       string          `json:"serviceId,omitempty"`
	Creditor        Creditor        `json:"creditor"`
	Debtor          Debtor          `json:"debtor"`
	Subject         string          `json:"subject"`
	Options         []OptionRequest `json:"options"`
	SwitchToExpired bool            `json:"switchToExpired,omitempty"`
	Publish         bool            `json:"publish"`
}

// Position builds the position the request describes, without IUVs.
func (r IssueRequest) Position() *Position {
	p := &Position{IUPD: r.IUPD, PraticaID: r.PraticaID, ServiceID: r.ServiceID, Creditor: r.Creditor, Debtor: r.Debtor,
		Subject: r.Subject, SwitchToExpired: r.SwitchToExpired}
	for _, o := range r.Options {
		opt := Option{Amount: o.Amount, Description: o.Description, DueDate: o.DueDate.UTC(), Installment: o.Installment}
		if opt.Description == "" {
			opt.Description = r.Subject
		}
		for j, t := range o.Transfers {
			tr := Transfer{ID: j + 1, Amount: t.Amount, Category: t.Category, RemittanceInformation: t.RemittanceInformation,
				OrganizationFiscalCode: t.OrganizationFiscalCode, CompanyName: t.CompanyName, IBAN: t.IBAN}
			if tr.OrganizationFiscalCode == "" {
				tr.OrganizationFiscalCode = r.Creditor.FiscalCode
			}
			if tr.IBAN == "" && tr.OrganizationFiscalCode == r.Creditor.FiscalCode {
				tr.IBAN = r.Creditor.IBAN
			}
			tr.PostalIBAN = postalIBAN(tr, r.Creditor)
			if tr.RemittanceInformation == "" {
				tr.RemittanceInformation = r.Subject
			}
			opt.Transfers = append(opt.Transfers, tr)
		}
		p.Options = append(p.Options, opt)
	}
	return p
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// CheckTaxonomy checks every transfer's category against the taxonomy now.
func (s *Service) CheckTaxonomy(ctx context.Context, p *Position) error {
	if s.Taxonomy == nil {
		return nil
	}
	var fe []errs.FieldError
	for i, o := range p.Options {
		for j, t := range o.Transfers {
			if err := s.Taxonomy.Check(ctx, t.Category, s.now()); err != nil {
				if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.NotFound) {
					return fmt.Errorf("taxonomy %s: %w", t.Category, err)
				}
				msg := err.Error()
				if e, ok := errs.As(err); ok {
					msg = e.Message
				}
				fe = append(fe, errs.FieldError{Field: fmt.Sprintf("paymentOption[%d].transfer[%d].category", i, j), Message: msg})
			}
		}
	}
	return errs.Fields(fe)
}

// Issue creates the position (idempotent on the ente's iupd: a second call
// returns the first position), sends it to GPD and publishes it when asked.
func (s *Service) Issue(ctx context.Context, req IssueRequest) (*Position, error) {
	want := req.Position()
	p, err := s.Positions.ByIUPD(ctx, req.Creditor.FiscalCode, req.IUPD)
	switch {
	case errs.Is(err, errs.NotFound):
		if err := want.Validate(); err != nil {
			return nil, err
		}
		if err := s.CheckTaxonomy(ctx, want); err != nil {
			return nil, err
		}
		err = s.Positions.Create(ctx, want)
		if errs.Is(err, errs.Conflict) { // a concurrent call won the iupd
			if p, err = s.Positions.ByIUPD(ctx, req.Creditor.FiscalCode, req.IUPD); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		} else {
			p = want
		}
	case err != nil:
		return nil, err
	}
	if p.Amount() != want.Amount() || p.Debtor.FiscalCode != want.Debtor.FiscalCode {
		return nil, errs.E(errs.Conflict, "iupd: %s already names a position of %s for %s", req.IUPD, FormatAmount(p.Amount()), p.Debtor.FiscalCode)
	}
	if !p.Synced {
		g, err := s.GPD.CreatePosition(ctx, p.Creditor.FiscalCode, ToGPD(p), req.Publish)
		if errs.Is(err, errs.Invalid) {
			// GPD refused it for good: the intent must not look like a live draft.
			if serr := s.Positions.SetStatus(ctx, p.ID, Invalid, false); serr != nil {
				return nil, serr
			}
		}
		if err != nil {
			return nil, fmt.Errorf("issue position %s: %w", p.IUPD, err)
		}
		if err := s.Positions.SetStatus(ctx, p.ID, Status(g.Status), true); err != nil {
			return nil, err
		}
		p.Status, p.Synced = Status(g.Status), true
		if s.Log != nil {
			s.Log.Info("debt position issued", "iupd", p.IUPD, "ente", p.Creditor.Ente, "status", p.Status, "options", len(p.Options))
		}
	}
	if req.Publish && p.Status == Draft {
		return s.Publish(ctx, p.Creditor.FiscalCode, p.IUPD)
	}
	return p, nil
}

// Publish publishes a draft position; an already published one is returned as is.
func (s *Service) Publish(ctx context.Context, org, iupd string) (*Position, error) {
	p, err := s.Positions.ByIUPD(ctx, org, iupd)
	if err != nil {
		return nil, err
	}
	if p.Status != Draft {
		if p.Status == Invalid || p.Status == Expired {
			return nil, errs.E(errs.Conflict, "position %s is %s: it cannot be published", iupd, p.Status)
		}
		return p, nil
	}
	g, err := s.GPD.PublishPosition(ctx, org, iupd)
	if err != nil {
		return nil, fmt.Errorf("publish position %s: %w", iupd, err)
	}
	if err := s.Positions.SetStatus(ctx, p.ID, Status(g.Status), true); err != nil {
		return nil, err
	}
	p.Status = Status(g.Status)
	return p, nil
}

// Invalidate cancels an unpaid position (the workflow's compensation when a
// pratica is withdrawn or rejected); a paid one is a conflict.
func (s *Service) Invalidate(ctx context.Context, org, iupd string) (*Position, error) {
	p, err := s.Positions.ByIUPD(ctx, org, iupd)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case Invalid:
		return p, s.reduce(ctx, org, p)
	case Paid, PartiallyPaid, Reported:
		return nil, errs.E(errs.Conflict, "position %s is %s: it cannot be invalidated", iupd, p.Status)
	}
	if p.Synced && p.Status != Draft {
		if _, err := s.GPD.InvalidatePosition(ctx, org, iupd); err != nil {
			return nil, fmt.Errorf("invalidate position %s: %w", iupd, err)
		}
	}
	if err := s.Positions.SetStatus(ctx, p.ID, Invalid, p.Synced); err != nil {
		return nil, err
	}
	p.Status = Invalid
	return p, s.reduce(ctx, org, p)
}
