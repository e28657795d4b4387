package pagopa

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// FeeRule says how much a spontaneous payment costs.
type FeeRule struct {
	// Kind is fixed (Amount), per_unit (Amount × quantity, e.g. per square
	// metre of public land), bands (the chosen band's Amount × quantity, e.g. a
	// meal by ISEE band) or free (the citizen states it, within Min..Max).
	Kind   string `json:"kind"`
	Amount int64  `json:"amount,omitempty"` // cents
	Unit   string `json:"unit,omitempty"`
	// MaxQuantity bounds per_unit and bands (default DefaultMaxQuantity).
	MaxQuantity int64     `json:"maxQuantity,omitempty"`
	Bands       []FeeBand `json:"bands,omitempty"`
	// Min and Max bound a free amount (defaults DefaultMinFree, DefaultMaxFree).
	Min int64 `json:"min,omitempty"`
	Max int64 `json:"max,omitempty"`
}

// FeeBand is one band of a banded fee: its code and the cents of one unit.
type FeeBand struct {
	Code   string `json:"code"`
	Label  string `json:"label,omitempty"`
	Amount int64  `json:"amount"`
}

// Bounds of a spontaneous payment when the service states none.
const (
	DefaultMaxQuantity = 1000
	DefaultMinFree     = 1_00         // 1.00 €
	DefaultMaxFree     = 10_000_00    // 10,000.00 €
	maxSpontaneous     = 1_000_000_00 // no spontaneous notice above 1,000,000.00 €
)

// Compute returns the amount due for the request: the quantity counts for
// per_unit and bands only, the band for bands only, the stated amount for free
// only; anything else is refused naming the field, never silently ignored.
func (f FeeRule) Compute(quantity, stated int64, band string) (int64, error) {
	maxQ := f.MaxQuantity
	if maxQ <= 0 {
		maxQ = DefaultMaxQuantity
	}
	unitless := func() error {
		if quantity != 0 && quantity != 1 {
			return errs.Field("quantity", "this service has a fixed price and takes no quantity / il servizio ha un prezzo fisso e non prevede una quantità")
		}
		return nil
	}
	if f.Kind != "free" && stated != 0 {
		return 0, errs.Field("amount", "the amount is set by the service's fee, not stated / l'importo è stabilito dalla tariffa del servizio")
	}
	if f.Kind != "bands" && band != "" {
		return 0, errs.Field("band", "this service has no fee bands / il servizio non prevede fasce")
	}
	var amount int64
	switch f.Kind {
	case "fixed":
		if err := unitless(); err != nil {
			return 0, err
		}
		amount = f.Amount
	case "per_unit", "bands":
		if quantity < 1 || quantity > maxQ {
			return 0, errs.Field("quantity", "must be a whole number from 1 to %d %s / deve essere un intero da 1 a %d", maxQ, f.Unit, maxQ)
		}
		unit := f.Amount
		if f.Kind == "bands" {
			unit = -1
			codes := make([]string, 0, len(f.Bands))
			for _, b := range f.Bands {
				codes = append(codes, b.Code)
				if b.Code == band {
					unit = b.Amount
				}
			}
			if unit < 0 {
				return 0, errs.Field("band", "must be one of %s / deve essere una fra %s", strings.Join(codes, ", "), strings.Join(codes, ", "))
			}
		}
		amount = unit * quantity
	case "free":
		if err := unitless(); err != nil {
			return 0, err
		}
		lo, hi := max(f.Min, DefaultMinFree), f.Max
		if hi <= 0 {
			hi = DefaultMaxFree
		}
		if stated < lo || stated > hi {
			return 0, errs.Field("amount", "must be between %s and %s euros / deve essere fra %s e %s euro", FormatAmount(lo), FormatAmount(hi), FormatAmount(lo), FormatAmount(hi))
		}
		amount = stated
	default:
		return 0, errs.E(errs.Internal, "fee rule %q is not one of fixed, per_unit, bands, free", f.Kind)
	}
	if amount <= 0 || amount > maxSpontaneous {
		return 0, errs.Field("quantity", "the total %s euros is out of the bounds of a spontaneous payment / totale fuori dai limiti", FormatAmount(amount))
	}
	return amount, nil
}

// SpontaneousService is an ente's service a citizen pays on their own
// initiative ("pagamento spontaneo"), e.g. c_l424.suolo-pubblico.
type SpontaneousService struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Creditor Creditor `json:"creditor"`
	Taxonomy string   `json:"taxonomy"` // 9/0101100IM/
	Fee      FeeRule  `json:"fee"`
	DueDays  int      `json:"dueDays,omitempty"` // default 30
}

// ServiceCatalog finds spontaneous-payment services; the lead adapts the catalog to it.
type ServiceCatalog interface {
	SpontaneousService(ctx context.Context, serviceID string) (*SpontaneousService, error)
}

// SpontaneousRequest is a citizen's request to pay a service.
type SpontaneousRequest struct {
	ServiceID string `json:"serviceId"`
	Quantity  int64  `json:"quantity,omitempty"`
	Amount    int64  `json:"amount,omitempty"` // cents, free fee rule only
	Band      string `json:"band,omitempty"`   // banded fee rule only, e.g. the ISEE band
	Reason    string `json:"reason,omitempty"` // causale, appended to the subject
	// RequestID makes a retried request return the same notice.
	RequestID string `json:"requestId,omitempty"`
}

// Spontaneous issues notices for spontaneous payments.
type Spontaneous struct {
	Services ServiceCatalog
	Payments Payments
	Now      func() time.Time
}

// Start issues and publishes a notice of the service for debtor, to be paid at
// any PSP (the simulator in dev mode).
func (s *Spontaneous) Start(ctx context.Context, debtor Debtor, req SpontaneousRequest) (*Position, error) {
	if req.ServiceID == "" {
		return nil, errs.Field("serviceId", "is required")
	}
	if len(req.Reason) > 100 {
		return nil, errs.Field("reason", "must be at most 100 characters")
	}
	if len(req.RequestID) > 64 {
		return nil, errs.Field("requestId", "must be at most 64 characters")
	}
	svc, err := s.Services.SpontaneousService(ctx, req.ServiceID)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return nil, errs.Field("serviceId", "%s is not a service paid online", req.ServiceID)
		}
		return nil, err
	}
	amount, err := svc.Fee.Compute(req.Quantity, req.Amount, req.Band)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	days := svc.DueDays
	if days <= 0 {
		days = 30
	}
	subject := svc.Name
	if r := strings.TrimSpace(req.Reason); r != "" {
		subject += " - " + r
	}
	key := req.RequestID
	if key == "" {
		key = uuid.NewString()
	}
	// The iupd is at most 35 characters: a hash of the request keeps it short.
	h := sha256.Sum256([]byte(svc.ID + "|" + debtor.FiscalCode + "|" + key))
	iupd := "SPO-" + hex.EncodeToString(h[:15])
	due := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, calendar.Rome).AddDate(0, 0, days)
	p, err := s.Payments.Issue(ctx, IssueRequest{IUPD: iupd, ServiceID: svc.ID, Creditor: svc.Creditor, Debtor: debtor, Subject: subject, Publish: true,
		Options: []OptionRequest{{Amount: amount, DueDate: due, Description: subject,
			Transfers: []TransferRequest{{Amount: amount, Category: svc.Taxonomy, RemittanceInformation: subject}}}}})
	if err != nil {
		return nil, fmt.Errorf("spontaneous payment %s: %w", svc.ID, err)
	}
	return p, nil
}
