package pagopa

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestMonthlyPaymentsAndFirstNotices groups notices by the month they were
// issued and receipts by the month they were paid, in the database, on both
// SQLite and PostgreSQL; drafts and other enti do not count.
func TestMonthlyPaymentsAndFirstNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		mk := func(iupd, service string, created time.Time, valid bool) *Position {
			p := demoPosition(iupd)
			p.ServiceID = service
			if err := st.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
			if valid {
				if err := st.SetStatus(ctx, p.ID, Valid, true); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Exec("UPDATE pagopa_positions SET created_at = ? WHERE id = ?", created, p.ID).Error; err != nil {
				t.Fatal(err)
			}
			return p
		}
		sep := time.Date(2026, 9, 10, 8, 0, 0, 0, time.UTC)
		oct := time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC)
		nov := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		a := mk("A", "c_l424.matrimonio", sep, true)
		mk("B", "c_l424.matrimonio", oct, true)
		c := mk("C", "c_l424.tari", oct, true)
		mk("D", "c_l424.mensa", nov, false) // a draft: not issued
		other := mk("E", "c_e098.mensa", nov, true)
		if err := db.Exec("UPDATE pagopa_positions SET ente = 'c_e098' WHERE id = ?", other.ID).Error; err != nil {
			t.Fatal(err)
		}
		for i, p := range []*Position{a, c} {
			if _, err := st.RecordReceipt(ctx, receiptFor(p, 0, "r-"+p.IUPD), "test", []byte("<x/>")); err != nil {
				t.Fatal(i, err)
			}
		}
		first, err := st.FirstNotices(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 2 || !first["c_l424.matrimonio"].Equal(sep) || !first["c_l424.tari"].Equal(oct) {
			t.Errorf("FirstNotices = %v, want matrimonio %v and tari %v", first, sep, oct)
		}
		got, err := st.MonthlyPayments(ctx, "c_l424", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(got, func(i, j int) bool { return got[i].Month < got[j].Month })
		// Both receipts are paid on 27 November (receiptFor); September's notice is before the window.
		want := []catalog.MonthPayments{{Month: "2026-10", Issued: 2}, {Month: "2026-11", Paid: 2, PaidCents: 3200}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("MonthlyPayments (-want +got):\n%s", diff)
		}
		all, err := st.MonthlyPayments(ctx, "", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		issued := 0
		for _, m := range all {
			issued += m.Issued
		}
		if issued != 4 {
			t.Errorf("region issued = %d over %+v, want 4 (three of Trieste, one of c_e098)", issued, all)
		}
	})
}
