package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// TestDaysLeftWhileSuspended: the status API shows a suspended term's frozen
// remainder, not a count to the due date it had before the suspension.
func TestDaysLeftWhileSuspended(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	st := pratica.NewStore(db)
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, calendar.Rome)
	due := pratica.Clock{}.Due(start, 3) // Thursday 26 November
	if err := st.Create(ctx, &pratica.Pratica{ID: "p1", Ente: "c_l424", Service: "c_l424.matrimonio", Template: "matrimonio@1",
		Owner: "RSSMRA80A01L424F", Status: pratica.Submitted, Data: pratica.JSON(`{}`), CreatedAt: start.UTC()}); err != nil {
		t.Fatal(err)
	}
	two := 2
	for _, tr := range []pratica.Transition{
		{Seq: 1, At: start, Kind: "deadline_started", Status: pratica.Registered, Deadline: &due},
		{Seq: 2, At: start.Add(26 * time.Hour), Kind: "integration_requested", Status: pratica.IntegrationRequested, Holder: "citizen",
			Deadline: &due, Suspended: true, Remaining: &two},
	} {
		tr.PraticaID = "p1"
		if _, err := st.Record(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	now := start.Add(10 * 24 * time.Hour) // 3 December: the old due date is a week behind
	h := &Pratiche{Store: st, Now: func() time.Time { return now }}
	srv := New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				SetPrincipal(c, &Principal{Subject: "mario.rossi", FiscalCode: "RSSMRA80A01L424F", Role: RoleCitizen})
				return next(c)
			}
		}
	}}, h)
	rec := httptest.NewRecorder()
	srv.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/pratiche/p1", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("get = %d %s", rec.Code, rec.Body)
	}
	var d struct {
		Suspended bool `json:"suspended"`
		DaysLeft  *int `json:"daysLeft"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if !d.Suspended || d.DaysLeft == nil || *d.DaysLeft != 2 {
		got := "none"
		if d.DaysLeft != nil {
			got = fmt.Sprint(*d.DaysLeft)
		}
		t.Errorf("suspended %v, daysLeft %s; want suspended with 2 days left", d.Suspended, got)
	}
}
