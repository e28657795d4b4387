package pratica_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// TestStartIntents: a pratica row and its start intent land together; the
// intent stays pending until marked started; an owner's key makes one pratica
// however many retries race, and another owner's same key is another pratica.
func TestStartIntents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := pratica.NewStore(db)
		mk := func(id, owner, key string) (*pratica.Start, error) {
			p := &pratica.Pratica{ID: id, Ente: "c_l424", Service: "c_l424.generica", Template: "richiesta-generica@1",
				TemplateHash: "h", Owner: owner, Status: pratica.Submitted, Data: pratica.JSON(`{}`), Actions: pratica.Strings{}}
			return st.CreateStarting(ctx, p, &pratica.Start{Owner: owner, Key: key, RequestHash: "r", Lang: "it"})
		}
		if prev, err := mk("p1", "RSSMRA80A01L424X", ""); err != nil || prev != nil {
			t.Fatalf("create p1 = %v, %v", prev, err)
		}
		pending, err := st.PendingStarts(ctx, time.Now().Add(time.Second), 10)
		if err != nil || len(pending) != 1 || pending[0].PraticaID != "p1" || pending[0].Lang != "it" {
			t.Fatalf("pending = %+v, %v; want p1", pending, err)
		}
		if err := st.MarkStarted(ctx, "p1"); err != nil {
			t.Fatal(err)
		}
		if pending, _ := st.PendingStarts(ctx, time.Now().Add(time.Second), 10); len(pending) != 0 {
			t.Fatalf("pending after start = %+v", pending)
		}

		ids := []string{"k1", "k2", "k3", "k4", "k5"}
		winners := make([]string, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				prev, err := mk(id, "RSSMRA80A01L424X", "retry-1")
				switch {
				case err != nil:
					t.Errorf("create %s: %v", id, err)
				case prev != nil:
					winners[i] = prev.PraticaID
				default:
					winners[i] = id
				}
			}()
		}
		wg.Wait()
		for _, w := range winners[1:] {
			if w != winners[0] {
				t.Fatalf("racing retries got %v, want one pratica", winners)
			}
		}
		var n int64
		db.Model(&pratica.Pratica{}).Where("owner = ?", "RSSMRA80A01L424X").Count(&n)
		if n != 2 {
			t.Errorf("rows = %d, want 2 (p1 and the key's one)", n)
		}
		if prev, err := mk("other", "BNCGLI85C55L424K", "retry-1"); err != nil || prev != nil {
			t.Errorf("another owner's same key = %v, %v; want a new pratica", prev, err)
		}
	})
}
