package pagopa

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestStoreCreateAndGet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		p := installmentPosition("TARI-2026-1")
		p.PraticaID = "pr-1"
		if err := st.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := st.ByIUPD(ctx, trieste, "TARI-2026-1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
		wantNotices := []string{"347000000000000124", "347000000000000225", "347000000000000326"}
		for i, o := range got.Options {
			if o.NoticeNumber != wantNotices[i] {
				t.Errorf("option %d notice = %s, want %s", i, o.NoticeNumber, wantNotices[i])
			}
		}
		byN, err := st.ByNotice(ctx, trieste, got.Options[2].NoticeNumber)
		if err != nil || byN.ID != p.ID {
			t.Fatalf("ByNotice = %v, %v", byN, err)
		}
		again := installmentPosition("TARI-2026-1")
		if err := st.Create(ctx, again); errs.CodeOf(err) != errs.Conflict {
			t.Fatalf("second create: %v, want conflict", err)
		}
		list, err := st.List(ctx, PositionFilter{PraticaID: "pr-1"})
		if err != nil || len(list) != 1 {
			t.Fatalf("List = %d, %v", len(list), err)
		}
		bad := demoPosition("BAD")
		bad.Options[0].Amount = -1
		if err := st.Create(ctx, bad); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("invalid create: %v", err)
		}
		if _, err := st.ByIUPD(ctx, trieste, "BAD"); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("invalid position was stored: %v", err)
		}
	})
}

// TestStoreConcurrentIUVs creates positions from many goroutines at once: every
// IUV must be distinct and the sequence must have no gaps.
func TestStoreConcurrentIUVs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		const workers, each = 8, 6
		var wg sync.WaitGroup
		errc := make(chan error, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if err := st.Create(ctx, demoPosition(fmt.Sprintf("C-%d-%d", w, i))); err != nil {
						errc <- err
					}
				}
			}(w)
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		var iuvs []string
		if err := db.Table("pagopa_options").Order("iuv").Pluck("iuv", &iuvs).Error; err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, iuv := range iuvs {
			if seen[iuv] {
				t.Fatalf("IUV %s issued twice", iuv)
			}
			seen[iuv] = true
			if _, err := ParseNotice(demoCreditor.Scheme(), "3"+iuv); err != nil {
				t.Fatalf("IUV %s: %v", iuv, err)
			}
		}
		if len(seen) != workers*each {
			t.Fatalf("%d IUVs, want %d", len(seen), workers*each)
		}
		last, _ := demoCreditor.Scheme().Build(workers * each)
		if iuvs[len(iuvs)-1] != last.IUV {
			t.Errorf("highest IUV %s, want %s (a gap-free sequence)", iuvs[len(iuvs)-1], last.IUV)
		}
	})
}

func TestRecordReceipt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		p := installmentPosition("TARI-1")
		if err := st.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := st.SetStatus(ctx, p.ID, Valid, true); err != nil {
			t.Fatal(err)
		}
		unknown := receiptFor(p, 1, "r-unknown")
		unknown.NoticeNumber = "347999999999999999"
		mismatch := receiptFor(p, 2, "r-mismatch")
		mismatch.Amount, mismatch.Transfers[0].Amount = 1499, 1499
		steps := []struct {
			r          *Receipt
			want       Outcome
			wantStatus Status
		}{
			{receiptFor(p, 1, "r-1"), OutcomePaid, PartiallyPaid},
			{receiptFor(p, 1, "r-1"), OutcomeDuplicate, PartiallyPaid},
			{receiptFor(p, 1, "r-1-again"), OutcomeAnomaly, PartiallyPaid},
			{unknown, OutcomeAnomaly, ""},
			{mismatch, OutcomeAnomaly, PartiallyPaid},
			{receiptFor(p, 2, "r-2"), OutcomePaid, Paid},
		}
		for i, s := range steps {
			got, err := st.RecordReceipt(ctx, s.r, "test", []byte("<x/>"))
			if err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			var status Status
			if got.Position != nil {
				status = got.Position.Status
			}
			if got.Outcome != s.want || status != s.wantStatus {
				t.Errorf("step %d (%s): %s %s, want %s %s", i, s.r.ReceiptID, got.Outcome, status, s.want, s.wantStatus)
			}
		}
		stored, err := st.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Status != Paid || stored.Options[1].ReceiptID != "r-1" || stored.Options[0].Status != Unpaid {
			t.Errorf("stored = %s, options %+v", stored.Status, stored.Options)
		}
		an, err := st.Anomalies(ctx, AnomalyFilter{OrgFiscalCode: trieste})
		if err != nil {
			t.Fatal(err)
		}
		var reasons []string
		for _, a := range an {
			reasons = append(reasons, a.ReceiptID+" "+a.Reason)
		}
		want := []string{"r-1-again already_paid", "r-mismatch amount_mismatch: option 15.00, receipt 14.99", "r-unknown unknown_notice"}
		if diff := cmp.Diff(want, reasons, sortStrings); diff != "" {
			t.Errorf("anomalies (-want +got):\n%s", diff)
		}
		if n, _ := st.ReceiptCount(ctx, "r-1"); n != 1 {
			t.Errorf("receipt r-1 stored %d times", n)
		}
		if err := st.MarkReported(ctx, trieste, p.Options[1].IUV); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.Get(ctx, p.ID); got.Status != Reported {
			t.Errorf("after MarkReported: %s", got.Status)
		}
	})
}

func TestExpireDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		mk := func(iupd string, switchToExpired bool) *Position {
			p := installmentPosition(iupd)
			p.SwitchToExpired = switchToExpired
			if err := st.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := st.SetStatus(ctx, p.ID, Valid, true); err != nil {
				t.Fatal(err)
			}
			return p
		}
		expiring, staying := mk("E-1", true), mk("E-2", false)
		// Between the two installments' due dates nothing expires; after the last one, E-1 does.
		for _, tt := range []struct {
			at   time.Time
			want int64
		}{{time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), 0}, {time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 1}} {
			n, err := st.ExpireDue(ctx, tt.at)
			if err != nil || n != tt.want {
				t.Fatalf("ExpireDue(%s) = %d, %v, want %d", tt.at, n, err, tt.want)
			}
		}
		for p, want := range map[*Position]Status{expiring: Expired, staying: Valid} {
			if got, _ := st.Get(ctx, p.ID); got.Status != want {
				t.Errorf("%s: %s, want %s", p.IUPD, got.Status, want)
			}
		}
	})
}
