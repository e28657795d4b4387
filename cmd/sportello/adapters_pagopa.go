package main

import (
	"context"
	"strconv"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica/engine"
	"github.com/sportello/sportello/workflows"
)

// spontaneousCatalog finds the services a citizen can pay spontaneously: an
// ente's service with a payment mode, its fee fixed or stated by the citizen.
type spontaneousCatalog struct{ c *catalog.Store }

func (s spontaneousCatalog) SpontaneousService(ctx context.Context, id string) (*pagopa.SpontaneousService, error) {
	sv, err := s.c.GetService(ctx, id)
	if err != nil {
		return nil, err
	}
	if sv.Ente == "" || len(sv.Payments) == 0 {
		return nil, errs.Field("serviceId", "%s has no payment mode of an ente", id)
	}
	e, err := s.c.GetEnte(ctx, sv.Ente)
	if err != nil {
		return nil, err
	}
	pm := sv.Payments[0]
	aux, _ := strconv.Atoi(e.AuxDigit)
	cr := pagopa.Creditor{Ente: e.ID, FiscalCode: e.FiscalCode, Name: e.Name, AuxDigit: aux,
		SegregationCode: e.SegregationCode, ApplicationCode: e.ApplicationCode, IBAN: pm.IBAN}
	if cr.IBAN == "" && len(e.Accounts) > 0 {
		cr.IBAN = e.Accounts[0].IBAN
	}
	fee := pagopa.FeeRule{Kind: "fixed", Amount: pm.AmountCents}
	if pm.AmountCents == 0 {
		// The amount follows a rule the office applies (a tariff by zone, an
		// ISEE band): the citizen states it, within sane bounds.
		fee = pagopa.FeeRule{Kind: "free", Min: 100, Max: 10_000_00}
	}
	name := id
	if sv.Name != nil {
		name = sv.Name.It
	}
	return &pagopa.SpontaneousService{ID: sv.ID, Name: name, Creditor: cr, Taxonomy: pm.Taxonomy, Fee: fee}, nil
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
