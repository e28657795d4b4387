package pagopa

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/store/storetest"
)

func TestPaidBetweenAndActiveServices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		paid := demoPosition("MAT-1")
		paid.ServiceID, paid.PraticaID = "c_l424.matrimonio", "p-1"
		// The second transfer goes to another ente: Trieste's share is 10.00 of 16.00.
		paid.Options[0].Transfers[1].OrganizationFiscalCode = "80014930327"
		unpaid := installmentPosition("TARI-1")
		unpaid.ServiceID = "c_l424.tari"
		draft := demoPosition("DRAFT-1")
		draft.ServiceID = "c_l424.mensa"
		for _, p := range []*Position{paid, unpaid, draft} {
			if err := st.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []*Position{paid, unpaid} {
			if err := st.SetStatus(ctx, p.ID, Valid, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.RecordReceipt(ctx, receiptFor(paid, 0, "r-1"), "test", []byte("<x/>")); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		got, err := st.PaidBetween(ctx, trieste, day, day.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := []PaidReceipt{{ReceiptID: "r-1", OrgFiscalCode: trieste, IUV: paid.Options[0].IUV, Share: 1000,
			PaidAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), PSP: "SIMPSP01", PraticaID: "p-1", IUPD: "MAT-1", ServiceID: "c_l424.matrimonio"}}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("PaidBetween (-want +got):\n%s", diff)
		}
		if got, _ := st.PaidBetween(ctx, trieste, day.Add(24*time.Hour), day.Add(48*time.Hour)); len(got) != 0 {
			t.Errorf("next day = %+v, want none", got)
		}
		active, err := st.ActiveServices(ctx, "c_l424")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]bool{"c_l424.matrimonio": true, "c_l424.tari": true}, active); diff != "" {
			t.Errorf("ActiveServices (-want +got):\n%s", diff)
		}
	})
}
