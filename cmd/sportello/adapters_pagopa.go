package main

import (
	"context"
	"strconv"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/engine"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/workflows"
)

// spontaneousCatalog finds the services a citizen can pay spontaneously; the
// catalog decides which and at what fee, this only translates.
type spontaneousCatalog struct{ c *catalog.Store }

func (s spontaneousCatalog) SpontaneousService(ctx context.Context, id string) (*pagopa.SpontaneousService, error) {
	o, err := s.c.PaymentOffer(ctx, id)
	if err != nil {
		return nil, err
	}
	e := o.Ente
	auxDigit, segregation, application, err := e.Scheme(o.Payment.Intermediary, "payments[0].intermediary")
	if err != nil {
		return nil, err
	}
	aux, _ := strconv.Atoi(auxDigit)
	cr := pagopa.Creditor{Ente: e.ID, FiscalCode: e.FiscalCode, Name: e.Name, AuxDigit: aux,
		SegregationCode: segregation, ApplicationCode: application, IBAN: o.IBAN, PostalIBAN: e.PostalIBAN()}
	fee := pagopa.FeeRule{Kind: o.Fee.Kind, Amount: o.Fee.UnitCents, Unit: o.Fee.Unit.It, MaxQuantity: o.Fee.MaxQuantity,
		Min: o.Fee.MinCents, Max: o.Fee.MaxCents}
	for _, b := range o.Fee.Bands {
		fee.Bands = append(fee.Bands, pagopa.FeeBand{Code: b.Code, Label: b.Label.It, Amount: b.Cents})
	}
	name := id
	if o.Service.Name != nil {
		name = o.Service.Name.It
	}
	return &pagopa.SpontaneousService{ID: o.Service.ID, Name: name, Creditor: cr, Taxonomy: o.Payment.Taxonomy, Fee: fee}, nil
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
