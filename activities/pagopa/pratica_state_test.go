package pagopa_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/store/storetest"
)

func installmentRequest(iupd string, due time.Time) activities.PaymentRequest {
	return activities.PaymentRequest{IUPD: iupd, PraticaID: "pr-" + iupd, Debtor: "RSSMRA80A01H501U", AmountCents: 30000, Remittance: "TARI 2030",
		DueDate: due, Service: activities.ServiceInfo{ID: "c_l424.tari", Ente: "c_l424", EnteName: "Comune di Trieste", EnteFiscalCode: "00210240321",
			AuxDigit: 3, SegregationCode: "47", IBAN: "IT61X0306909606100000012345", Taxonomy: "9/0101101IM/"},
		Installments: []activities.InstallmentDue{{AmountCents: 10000, DueDate: due}, {AmountCents: 10000, DueDate: due.AddDate(0, 2, 0)},
			{AmountCents: 10000, DueDate: due.AddDate(0, 4, 0)}}}
}

// TestPraticaPaymentsStateAndClose drives a payment step's position through
// the simulated PSP: the stored receipts are read back, the single option stops
// being payable once an installment is paid, and closing keeps what was paid:
// a paid position is a no-op, a partially paid one loses only its unpaid rest.
func TestPraticaPaymentsStateAndClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{})
		adapter := &pagopa.PraticaPayments{Payments: w.acts.Payments, Positions: w.store}
		ctx := context.Background()
		due := time.Now().AddDate(0, 1, 0).UTC().Truncate(time.Second)
		org := "00210240321"

		partial, err := adapter.Issue(ctx, installmentRequest("tari-partial", due))
		if err != nil {
			t.Fatal(err)
		}
		if len(partial.Installments) != 3 || partial.Installments[2].DueDate != due.AddDate(0, 4, 0) {
			t.Fatalf("issued installments = %+v", partial.Installments)
		}
		ref := activities.PositionRef{Ente: "c_l424", IUPD: "tari-partial"}
		st, err := adapter.State(ctx, ref)
		if err != nil || len(st.Options) != 4 || len(st.Paid()) != 0 {
			t.Fatalf("state before paying = %+v, %v", st, err)
		}
		pay, err := w.sim.Pay(ctx, org, partial.Installments[0].NoticeNumber, "")
		if err != nil {
			t.Fatal(err)
		}
		st, _ = adapter.State(ctx, ref)
		if paid := st.Paid(); st.Status != string(pagopa.PartiallyPaid) || len(paid) != 1 || paid[0].ReceiptID != pay.ReceiptID {
			t.Fatalf("state after one installment = %+v", st)
		}
		if _, err := w.sim.Pay(ctx, org, partial.NoticeNumber, ""); !errors.Is(err, sim.ErrNotPayable) {
			t.Errorf("paying the single option after an installment: %v, want not payable", err)
		}
		p, _ := w.store.ByIUPD(ctx, org, "tari-partial")
		var states []string
		for _, o := range p.View(time.Now()).Options {
			states = append(states, o.State)
		}
		if diff := cmp.Diff([]string{pagopa.StateSuperseded, pagopa.StatePaid, pagopa.StateDue, pagopa.StateDue}, states); diff != "" {
			t.Errorf("view (-want +got):\n%s", diff)
		}

		st, err = adapter.Close(ctx, ref)
		if err != nil {
			t.Fatalf("close a partially paid position: %v", err)
		}
		if st.Outcome != activities.ClosedPartial || st.Status != string(pagopa.Invalid) || len(st.Paid()) != 1 {
			t.Errorf("closed partial = %+v", st)
		}
		if _, err := w.sim.Pay(ctx, org, partial.Installments[1].NoticeNumber, ""); !errors.Is(err, sim.ErrNotPayable) {
			t.Errorf("paying the rest after closing: %v, want not payable", err)
		}
		if st, err := adapter.Close(ctx, ref); err != nil || st.Outcome != activities.ClosedPartial {
			t.Errorf("closing again = %+v, %v; want the same outcome", st, err)
		}

		paid, err := adapter.Issue(ctx, installmentRequest("tari-paid", due))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.sim.Pay(ctx, org, paid.NoticeNumber, ""); err != nil {
			t.Fatal(err)
		}
		st, err = adapter.Close(ctx, activities.PositionRef{Ente: "c_l424", IUPD: "tari-paid"})
		if err != nil || st.Outcome != activities.ClosedPaid || st.Status != string(pagopa.Paid) {
			t.Errorf("close a paid position = %+v, %v; want a no-op", st, err)
		}

		if _, err := adapter.Issue(ctx, installmentRequest("tari-unpaid", due)); err != nil {
			t.Fatal(err)
		}
		st, err = adapter.Close(ctx, activities.PositionRef{Ente: "c_l424", IUPD: "tari-unpaid"})
		if err != nil || st.Outcome != activities.ClosedInvalidated || st.Status != string(pagopa.Invalid) {
			t.Errorf("close an unpaid position = %+v, %v", st, err)
		}
		st, err = adapter.Close(ctx, activities.PositionRef{Ente: "c_l424", IUPD: "never-issued"})
		if err != nil || st.Outcome != activities.ClosedUnknown {
			t.Errorf("close an unknown position = %+v, %v", st, err)
		}
	})
}
