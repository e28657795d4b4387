package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/pratica"
)

// closePositions is the compensation of the payment steps: each open position
// is closed for good. What is unpaid is invalidated; what was paid already is
// kept and flagged to the finance office for refund (an item in the
// reconciliation exceptions queue), and the timeline says so. A position paid
// in full is never an error here: its receipt's signal may have been lost.
func (r *run) closePositions(ctx workflow.Context, detail map[string]any) error {
	var invalidated, kept []string
	for _, notice := range sortedKeys(r.positions) {
		iupd := r.positions[notice]
		var st activities.PositionState
		if err := workflow.ExecuteActivity(outsideCtx(ctx), activities.ClosePayment,
			activities.PositionRef{Ente: r.in.Ente, IUPD: iupd}).Get(ctx, &st); err != nil {
			return err
		}
		delete(r.positions, notice)
		paid := st.Paid()
		if len(paid) == 0 {
			if st.Outcome != activities.ClosedUnknown {
				invalidated = append(invalidated, notice)
			}
			continue
		}
		kept = append(kept, notice)
		var total int64
		var receipts []string
		for _, o := range paid {
			total += o.AmountCents
			receipts = append(receipts, o.ReceiptID)
			req := activities.RefundRequest{PraticaID: r.in.PraticaID, Ente: r.in.Ente, IUPD: iupd, IUV: o.IUV,
				NoticeNumber: o.NoticeNumber, ReceiptID: o.ReceiptID, AmountCents: o.AmountCents}
			if o.PaidAt != nil {
				req.PaidAt = *o.PaidAt
			}
			if err := workflow.ExecuteActivity(dbCtx(ctx), activities.FlagRefund, req).Get(ctx, nil); err != nil {
				return err
			}
		}
		it := fmt.Sprintf("Avviso %s già pagato (%s): il pagamento è trattenuto e segnalato all'ufficio ragioneria per il rimborso", notice, euro(total))
		en := fmt.Sprintf("Notice %s already paid (%s): the payment is kept and flagged to the finance office for refund", notice, euro(total))
		if st.Outcome == activities.ClosedPartial {
			it = fmt.Sprintf("Avviso %s pagato in parte (rate pagate: %d, %s): quanto pagato è trattenuto e segnalato all'ufficio ragioneria per il rimborso; le rate non pagate sono annullate",
				notice, len(paid), euro(total))
			en = fmt.Sprintf("Notice %s partly paid (installments paid: %d, %s): what was paid is kept and flagged to the finance office for refund; the unpaid installments are invalidated",
				notice, len(paid), euro(total))
		}
		if err := r.record(ctx, pratica.Transition{Kind: "refund_requested",
			Detail: map[string]any{"noticeNumber": notice, "iupd": iupd, "closed": st.Outcome, "amountCents": total,
				"receipts": strings.Join(receipts, ",")},
			MessageIT: it, MessageEN: en}); err != nil {
			return err
		}
	}
	if len(invalidated) > 0 {
		detail["invalidatedNotices"] = invalidated
	}
	if len(kept) > 0 {
		detail["refundNotices"] = kept
	}
	return nil
}

// paymentSettled reports whether the last payment step's notice is paid: a
// "with payment" notify after it is then a plain confirmation, without the
// data to pay a notice already paid.
func (r *run) paymentSettled(ctx workflow.Context) bool {
	p, ok := r.vars["payment"].(map[string]any)
	if !ok || p["paid"] != true {
		return false
	}
	return r.paymentVersion(ctx) != workflow.DefaultVersion
}
