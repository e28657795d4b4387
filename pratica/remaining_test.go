package pratica

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store/storetest"
)

// TestProjectionKeepsFrozenRemainder: a suspension stores the days the term
// kept; the resumption clears them.
func TestProjectionKeepsFrozenRemainder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := NewStore(db)
		at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		due := at.Add(48 * time.Hour)
		if err := s.Create(ctx, &Pratica{ID: "p1", Ente: "c_l424", Service: "s", Template: "t@1", Owner: "o", Status: Registered, Data: JSON(`{}`)}); err != nil {
			t.Fatal(err)
		}
		two := 2
		steps := []struct {
			tr   Transition
			want *int
		}{
			{Transition{Kind: "integration_requested", Status: IntegrationRequested, Deadline: &due, Suspended: true, Remaining: &two}, &two},
			{Transition{Kind: "integration_submitted", Status: SubmittedAfterIntegration, Deadline: &due}, nil},
		}
		for i, st := range steps {
			st.tr.PraticaID, st.tr.Seq, st.tr.At = "p1", int64(i+1), at.Add(time.Duration(i)*time.Hour)
			if _, err := s.Record(ctx, st.tr); err != nil {
				t.Fatal(err)
			}
			p, err := s.Get(ctx, "p1")
			if err != nil {
				t.Fatal(err)
			}
			if (p.DaysRemaining == nil) != (st.want == nil) || (p.DaysRemaining != nil && *p.DaysRemaining != *st.want) {
				t.Errorf("after %s: days remaining %v, want %v", st.tr.Kind, p.DaysRemaining, st.want)
			}
		}
	})
}
