package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/sportello/sportello/errs"
)

// PaymentOffer is what a citizen pays on their own initiative for a service
// (a spontaneous payment): the service, its ente, the payment mode, its fee
// rule and the account credited.
type PaymentOffer struct {
	Service *Service
	Ente    *Ente
	Payment Payment
	Fee     Fee
	IBAN    string
}

// PaymentOffer returns the spontaneous payment of service id: refused naming
// serviceId when the service has no ente's payment mode, and a conflict
// (not_online) when the ente does not offer it online, e.g. at the front desk only.
func (s *Store) PaymentOffer(ctx context.Context, id string) (*PaymentOffer, error) {
	sv, err := s.GetService(ctx, id)
	if errs.Is(err, errs.NotFound) {
		return nil, errs.Field("serviceId", "%s is not a service of the catalog", id)
	}
	if err != nil {
		return nil, err
	}
	if sv.Ente == "" || len(sv.Payments) == 0 {
		return nil, errs.Field("serviceId", "%s has no payment mode of an ente", id)
	}
	if ok, why := sv.PayableOnlineAt(s.now()); !ok {
		return nil, &errs.Error{Code: errs.Conflict, Reason: "not_online",
			Message: "service " + sv.ID + " cannot be paid online: " + why.En + " / " + why.It}
	}
	e, err := s.GetEnte(ctx, sv.Ente)
	if err != nil {
		return nil, err
	}
	pm := sv.Payments[0]
	o := &PaymentOffer{Service: sv, Ente: e, Payment: pm, IBAN: pm.IBAN}
	if o.IBAN == "" && len(e.Accounts) > 0 {
		o.IBAN = e.Accounts[0].IBAN
	}
	switch {
	case pm.Fee != nil:
		o.Fee = *pm.Fee
	case pm.AmountCents > 0:
		o.Fee = Fee{Kind: FeeFixed}
	default:
		// The amount follows a rule the office applies (a tariff by zone, an
		// ISEE band) that the catalog does not hold: the citizen states it,
		// within the payment's default bounds.
		o.Fee = Fee{Kind: FeeFree}
	}
	if o.Fee.Kind == FeeFixed && o.Fee.UnitCents == 0 {
		o.Fee.UnitCents = pm.AmountCents
	}
	return o, nil
}

// Kinds of Fee.
const (
	FeeFixed   = "fixed"
	FeePerUnit = "per_unit"
	FeeBands   = "bands"
	FeeFree    = "free"
)

// check names every problem of a fee rule, fields relative to the fee.
func (f Fee) check() []errs.FieldError {
	var out []errs.FieldError
	add := func(field, msg string) { out = append(out, errs.FieldError{Field: field, Message: msg}) }
	switch f.Kind {
	case FeeFixed, FeePerUnit:
		if f.UnitCents <= 0 {
			add("unitCents", "must be more than 0")
		}
	case FeeBands:
		if len(f.Bands) == 0 {
			add("bands", "at least one band is required")
		}
		seen := map[string]bool{}
		for i, b := range f.Bands {
			switch {
			case strings.TrimSpace(b.Code) == "" || seen[b.Code]:
				add(fmt.Sprintf("bands[%d].code", i), "is required and unique")
			case b.Cents <= 0:
				add(fmt.Sprintf("bands[%d].cents", i), "must be more than 0")
			}
			seen[b.Code] = true
		}
	case FeeFree:
		if f.MinCents < 0 || (f.MaxCents > 0 && f.MaxCents < f.MinCents) {
			add("maxCents", "must be at least minCents")
		}
	default:
		add("kind", "must be one of fixed, per_unit, bands, free")
	}
	if f.MaxQuantity < 0 || f.MaxQuantity > 100000 {
		add("maxQuantity", "must be between 0 (the default, 1000) and 100000")
	}
	return out
}
