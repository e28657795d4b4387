package ledger_test

import (
	"context"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// TestFlagRefundQueuesOnce puts the paid installment of a withdrawn pratica in
// the finance office's queue once, however often the activity is retried.
func TestFlagRefundQueuesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := ledger.NewService(db, nil, nil, nil)
		f := &ledger.Refunds{Service: s}
		ctx := context.Background()
		req := activities.RefundRequest{PraticaID: "pr-1", Ente: "c_l424", IUPD: "SPT1", IUV: "03000000000000043", NoticeNumber: "303000000000000043",
			ReceiptID: "rcpt-43", AmountCents: 10200, PaidAt: at("2026-11-20", 10)}
		for range 2 {
			if err := f.FlagRefund(ctx, req); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Exceptions(ctx, ledger.ExceptionFilter{Ente: "c_l424"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 {
			t.Fatalf("queue = %+v, want one refund", got)
		}
		x := got[0]
		if x.Outcome != ledger.Refund || x.Key != ledger.RefundKey("rcpt-43") || x.PraticaID != "pr-1" || x.Amount != 10200 ||
			x.Day != "2026-11-20" || x.Status != ledger.Open || x.ReasonIT == "" || x.ReasonEN == "" {
			t.Errorf("refund item = %+v", x)
		}
		req.ReceiptID = ""
		if err := f.FlagRefund(ctx, req); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("no receipt: %v, want invalid", err)
		}
	})
}
