package pagopa

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/errs"
)

// FeeRule says how much a spontaneous payment costs.
type FeeRule struct {
	// Kind is fixed (Amount), per_unit (Amount × quantity, e.g. per square
	// metre of public land) or free (the citizen states it, within Min..Max).
	Kind   string `json:"kind"`
	Amount int64  `json:"amount,omitempty"` // cents
	Unit   string `json:"unit,omitempty"`
	Min    int64  `json:"min,omitempty"`
	Max    int64  `json:"max,omitempty"`
}

// Compute returns the amount due for quantity (per_unit) or the stated amount (free).
func (f FeeRule) Compute(quantity, stated int64) (int64, error) {
	switch f.Kind {
	case "fixed":
		return f.Amount, nil
	case "per_unit":
		if quantity <= 0 || quantity > 100000 {
			return 0, errs.Field("quantity", "must be 1 to 100000 %s", f.Unit)
		}
		return f.Amount * quantity, nil
	case "free":
		if stated < max(f.Min, 1) || (f.Max > 0 && stated > f.Max) {
			return 0, errs.Field("amount", "must be between %s and %s euros", FormatAmount(max(f.Min, 1)), FormatAmount(f.Max))
		}
		return stated, nil
	}
	return 0, errs.E(errs.Internal, "fee rule %q is not one of fixed, per_unit, free", f.Kind)
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
	amount, err := svc.Fee.Compute(req.Quantity, req.Amount)
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
	due := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, rome).AddDate(0, 0, days)
	p, err := s.Payments.Issue(ctx, IssueRequest{IUPD: iupd, ServiceID: svc.ID, Creditor: svc.Creditor, Debtor: debtor, Subject: subject, Publish: true,
		Options: []OptionRequest{{Amount: amount, DueDate: due, Description: subject,
			Transfers: []TransferRequest{{Amount: amount, Category: svc.Taxonomy, RemittanceInformation: subject}}}}})
	if err != nil {
		return nil, fmt.Errorf("spontaneous payment %s: %w", svc.ID, err)
	}
	return p, nil
}
