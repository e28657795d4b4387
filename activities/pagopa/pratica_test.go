package pagopa_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestPraticaPayments issues a TARI-like payment step (95% to the comune, 5%
// TEFA to the region's IBAN, two installments) through the interpreter's
// interface, then invalidates it by the ente's IPA code.
func TestPraticaPayments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		w := newWorld(t, db, sim.Config{})
		adapter := &pagopa.PraticaPayments{Payments: w.acts.Payments, Positions: w.store,
			NoticeURL: func(p *pagopa.Position) string { return "/api/payments/positions/" + p.ID + "/notice" },
			PayURL: func(p *pagopa.Position, o pagopa.Option) string {
				return "/sim/pagopa/checkout?org=" + p.Creditor.FiscalCode + "&notice=" + o.NoticeNumber
			}}
		due := time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC)
		req := activities.PaymentRequest{IUPD: "pr-9-pay-1", PraticaID: "pr-9", Debtor: "rssmra80a01h501u", DebtorName: "Mario Rossi",
			AmountCents: 10001, Remittance: "TARI 2030", DueDate: due,
			Service: activities.ServiceInfo{ID: "c_l424.tari", Ente: "c_l424", EnteName: "Comune di Trieste", EnteFiscalCode: "00210240321",
				AuxDigit: 3, SegregationCode: "47", IBAN: "IT61X0306909606100000012345", Taxonomy: "9/0101101IM/"},
			Transfers: []activities.TransferPart{
				{IBAN: "IT61X0306909606100000012345", FiscalCode: "00210240321", AmountCents: 9501, Remittance: "TARI"},
				{IBAN: "IT84A0200802230000104123456", FiscalCode: "80014930327", AmountCents: 500, Remittance: "TEFA"},
			},
			Installments: []activities.InstallmentDue{{AmountCents: 5001, DueDate: due}, {AmountCents: 5000, DueDate: due.AddDate(0, 3, 0)}},
		}
		ctx := context.Background()
		issued, err := adapter.Issue(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		p, err := w.store.ByIUPD(ctx, "00210240321", "pr-9-pay-1")
		if err != nil {
			t.Fatal(err)
		}
		want := &activities.PaymentIssued{IUPD: "pr-9-pay-1", NoticeNumber: p.Options[0].NoticeNumber, IUV: p.Options[0].IUV, AmountCents: 10001,
			DueDate: due, NoticeURL: "/api/payments/positions/" + p.ID + "/notice",
			PayURL: "/sim/pagopa/checkout?org=00210240321&notice=" + p.Options[0].NoticeNumber}
		for _, o := range p.Options[1:] {
			want.Installments = append(want.Installments, activities.InstallmentIssued{NoticeNumber: o.NoticeNumber, IUV: o.IUV, AmountCents: o.Amount,
				DueDate: o.DueDate, PayURL: "/sim/pagopa/checkout?org=00210240321&notice=" + o.NoticeNumber})
		}
		if diff := cmp.Diff(want, issued); diff != "" {
			t.Errorf("issued (-want +got):\n%s", diff)
		}
		var split [][]int64
		for _, o := range p.Options {
			var row []int64
			for _, tr := range o.Transfers {
				row = append(row, tr.Amount)
			}
			split = append(split, row)
		}
		if diff := cmp.Diff([][]int64{{9501, 500}, {4751, 250}, {4750, 250}}, split); diff != "" {
			t.Errorf("transfers per option (-want +got):\n%s", diff)
		}
		if p.Debtor.FiscalCode != "RSSMRA80A01H501U" || p.Status != pagopa.Valid || p.PraticaID != "pr-9" {
			t.Errorf("position: %+v", p)
		}
		if err := adapter.Invalidate(ctx, "c_l424", "pr-9-pay-1"); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.store.ByIUPD(ctx, "00210240321", "pr-9-pay-1"); got.Status != pagopa.Invalid {
			t.Errorf("after invalidate: %s", got.Status)
		}
		bad := req
		bad.IUPD, bad.AmountCents = "pr-9-pay-2", 10002
		if _, err := adapter.Issue(ctx, bad); errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "transfers: sum to 10001 cents, the payment is 10002") {
			t.Errorf("transfers that do not add up: %v", err)
		}
		if err := adapter.Invalidate(ctx, "c_l424", "never-issued"); err != nil {
			t.Errorf("unknown iupd: %v", err)
		}
	})
}
