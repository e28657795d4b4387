package ledger_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/store/storetest"
)

// TestUnknownCreditExpectsNothing: a direct credit (/RFB/) of 50.00 for an IUV
// no receipt was recorded for (its 49.00 receipt was refused as not matching
// the notice) is queued as an unknown IUV that states its amount and no
// expectation, not "expected 0".
func TestUnknownCreditExpectsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := ledger.NewService(db, ledger.DemoEntes, receipts{}, chart)
		svc.Now = func() time.Time { return at("2026-11-27", 20) }
		j := &opi.Journal{FlowID: "GDC-U1", ABI: "02008", EnteCF: trieste, Year: 2026, Movements: []opi.Movement{
			credit(1, 5000, "2026-11-27", "/RFB/00000000000000099/50.00/TXT/mensa")}}
		if _, err := svc.ImportJournal(ctx, "c_l424", j); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Reconcile(ctx, "c_l424", "2026-11-27"); err != nil {
			t.Fatal(err)
		}
		ex, err := svc.Exceptions(ctx, ledger.ExceptionFilter{Ente: "c_l424", Outcome: ledger.UnknownIUV})
		if err != nil || len(ex) != 1 {
			t.Fatalf("exceptions = %+v %v", ex, err)
		}
		b, _ := json.Marshal(ex[0])
		if ex[0].Amount != 5000 || strings.Contains(string(b), `"expected"`) {
			t.Fatalf("exception = %s", b)
		}
	})
}
