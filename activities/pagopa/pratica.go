package pagopa

import (
	"context"
	"fmt"
	"strings"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/errs"
)

// PraticaPayments adapts the service to the pratica interpreter's
// activities.Payments, so the payment step of any template issues real
// positions: the creditor comes from the catalog's ServiceInfo.
type PraticaPayments struct {
	Payments  Payments
	Positions interface {
		ByEnteIUPD(ctx context.Context, ente, iupd string) (*Position, error)
	}
	// NoticeURL and PayURL, when set, give the links sent to the citizen:
	// the notice PDF route and the checkout (the simulator's in dev mode).
	NoticeURL func(p *Position) string
	PayURL    func(p *Position, o Option) string
}

var _ activities.Payments = (*PraticaPayments)(nil)

// IssueRequestOf turns a payment step's request into an IssueRequest: a single
// option, plus one option per installment, each split among the transfers in
// proportion (the rounding remainder goes to the first transfer).
func IssueRequestOf(req activities.PaymentRequest) (IssueRequest, error) {
	s := req.Service
	out := IssueRequest{IUPD: req.IUPD, PraticaID: req.PraticaID, ServiceID: s.ID, Publish: true, Subject: req.Remittance,
		Creditor: Creditor{Ente: s.Ente, FiscalCode: s.EnteFiscalCode, Name: s.EnteName, AuxDigit: s.AuxDigit,
			SegregationCode: s.SegregationCode, ApplicationCode: s.ApplicationCode, IBAN: s.IBAN, PostalIBAN: s.PostalIBAN},
		Debtor: Debtor{Type: "F", FiscalCode: strings.ToUpper(req.Debtor), FullName: req.DebtorName}}
	if len(req.Debtor) == 11 {
		out.Debtor.Type = "G"
	}
	if out.Debtor.FullName == "" {
		out.Debtor.FullName = out.Debtor.FiscalCode
	}
	if out.Subject == "" {
		out.Subject = s.ID
	}
	taxonomy := req.Taxonomy
	if taxonomy == "" {
		taxonomy = s.Taxonomy
	}
	parts := req.Transfers
	var sum int64
	for _, p := range parts {
		sum += p.AmountCents
	}
	if len(parts) > 0 && sum != req.AmountCents {
		return IssueRequest{}, errs.Field("transfers", "sum to %d cents, the payment is %d", sum, req.AmountCents)
	}
	if len(parts) == 0 {
		parts = []activities.TransferPart{{IBAN: s.IBAN, FiscalCode: s.EnteFiscalCode, AmountCents: req.AmountCents, Taxonomy: taxonomy, Remittance: out.Subject}}
	}
	split := func(amount int64) []TransferRequest {
		var trs []TransferRequest
		var given int64
		for i, p := range parts {
			total := max(req.AmountCents, 1)
			a := (amount*p.AmountCents + total/2) / total // rounded; the remainder goes to the first
			if len(parts) == 1 {
				a = amount
			}
			given += a
			cat := p.Taxonomy
			if cat == "" {
				cat = taxonomy
			}
			trs = append(trs, TransferRequest{Amount: a, Category: cat, RemittanceInformation: p.Remittance, OrganizationFiscalCode: p.FiscalCode, IBAN: p.IBAN})
			if i == len(parts)-1 {
				trs[0].Amount += amount - given
			}
		}
		return trs
	}
	out.Options = append(out.Options, OptionRequest{Amount: req.AmountCents, DueDate: req.DueDate, Description: out.Subject, Transfers: split(req.AmountCents)})
	for i, in := range req.Installments {
		out.Options = append(out.Options, OptionRequest{Amount: in.AmountCents, DueDate: in.DueDate, Installment: true,
			Description: fmt.Sprintf("%s - rata %d/%d", out.Subject, i+1, len(req.Installments)), Transfers: split(in.AmountCents)})
	}
	return out, nil
}

// Issue issues the position of a payment step; idempotent on the IUPD.
func (a *PraticaPayments) Issue(ctx context.Context, req activities.PaymentRequest) (*activities.PaymentIssued, error) {
	in, err := IssueRequestOf(req)
	if err != nil {
		return nil, err
	}
	p, err := a.Payments.Issue(ctx, in)
	if err != nil {
		return nil, err
	}
	o := p.Options[0]
	out := &activities.PaymentIssued{IUPD: p.IUPD, NoticeNumber: o.NoticeNumber, IUV: o.IUV, AmountCents: o.Amount, DueDate: o.DueDate}
	if a.NoticeURL != nil {
		out.NoticeURL = a.NoticeURL(p)
	}
	if a.PayURL != nil {
		out.PayURL = a.PayURL(p, o)
	}
	for _, in := range p.Options[1:] {
		ii := activities.InstallmentIssued{NoticeNumber: in.NoticeNumber, IUV: in.IUV, AmountCents: in.Amount, DueDate: in.DueDate}
		if a.PayURL != nil {
			ii.PayURL = a.PayURL(p, in)
		}
		out.Installments = append(out.Installments, ii)
	}
	return out, nil
}

// Invalidate invalidates the ente's open position iupd; an unknown iupd is a
// no-op, so compensation after a failed issue succeeds.
func (a *PraticaPayments) Invalidate(ctx context.Context, ente, iupd string) error {
	p, err := a.Positions.ByEnteIUPD(ctx, ente, iupd)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = a.Payments.Invalidate(ctx, p.Creditor.FiscalCode, iupd)
	return err
}
