package main

import (
	"context"
	"time"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica/engine"
	"github.com/sportello/sportello/workflows"
)

// payments issues a pratica's payment steps as pagoPA debt positions.
type payments struct {
	svc       *pagopa.Service
	catalog   *catalog.Store
	publicURL string
}

func (p payments) Issue(ctx context.Context, req activities.PaymentRequest) (*activities.PaymentIssued, error) {
	s := req.Service
	cr := pagopa.Creditor{Ente: s.Ente, FiscalCode: s.EnteFiscalCode, Name: s.EnteName, AuxDigit: s.AuxDigit,
		ApplicationCode: s.ApplicationCode, SegregationCode: s.SegregationCode, IBAN: s.IBAN}
	transfer := func(amount int64, t activities.TransferPart) pagopa.TransferRequest {
		return pagopa.TransferRequest{Amount: amount, Category: first(t.Taxonomy, req.Taxonomy),
			RemittanceInformation: first(t.Remittance, req.Remittance), OrganizationFiscalCode: t.FiscalCode, IBAN: t.IBAN}
	}
	var transfers []pagopa.TransferRequest
	for _, t := range req.Transfers {
		transfers = append(transfers, transfer(t.AmountCents, t))
	}
	if len(transfers) == 0 {
		transfers = []pagopa.TransferRequest{transfer(req.AmountCents, activities.TransferPart{})}
	}
	opts := []pagopa.OptionRequest{{Amount: req.AmountCents, Description: req.Remittance, DueDate: req.DueDate, Transfers: transfers}}
	for _, in := range req.Installments {
		opts = append(opts, pagopa.OptionRequest{Amount: in.AmountCents, Description: req.Remittance, DueDate: in.DueDate, Installment: true,
			Transfers: []pagopa.TransferRequest{transfer(in.AmountCents, activities.TransferPart{})}})
	}
	pos, err := p.svc.Issue(ctx, pagopa.IssueRequest{IUPD: req.IUPD, PraticaID: req.PraticaID, ServiceID: s.ID, Creditor: cr,
		Debtor: pagopa.Debtor{Type: "F", FiscalCode: req.Debtor, FullName: first(req.DebtorName, req.Debtor)},
		Subject: req.Remittance, Options: opts, Publish: true})
	if err != nil {
		return nil, err
	}
	o := pos.Options[0]
	return &activities.PaymentIssued{IUPD: pos.IUPD, NoticeNumber: o.NoticeNumber, IUV: o.IUV, AmountCents: o.Amount, DueDate: o.DueDate,
		NoticeURL: p.publicURL + "/api/payments/positions/" + pos.ID + "/notice.pdf",
		PayURL:    p.publicURL + "/sim/pagopa/checkout?notice=" + o.NoticeNumber + "&org=" + s.EnteFiscalCode}, nil
}

func (p payments) Invalidate(ctx context.Context, ente, iupd string) error {
	e, err := p.catalog.GetEnte(ctx, ente)
	if err != nil {
		return err
	}
	_, err = p.svc.Invalidate(ctx, e.FiscalCode, iupd)
	return err
}

// receiptSignal tells a pratica that its receipt (RT) arrived.
type receiptSignal struct{ engine *engine.Engine }

func (r receiptSignal) ReceiptArrived(ctx context.Context, praticaID string, rc pagopa.Receipt) error {
	paid := time.Now().UTC()
	if rc.PaymentDateTime != nil {
		paid = *rc.PaymentDateTime
	}
	err := r.engine.Signal(ctx, praticaID, workflows.ReceiptSignal, workflows.ReceiptArrived{
		NoticeNumber: rc.NoticeNumber, ReceiptID: rc.ReceiptID, AmountCents: rc.Amount, PaidAt: paid, PSP: rc.PSPID})
	if errs.Is(err, errs.NotFound) {
		// The pratica is closed (withdrawn, expired): the receipt is stored all the
		// same and reconciliation will see it; there is no one left to tell.
		return nil
	}
	return err
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
