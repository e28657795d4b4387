package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// TestInboxTotalIsCapped: the inbox counts its total only up to CountCap, so a
// large ente's inbox does not read every live task on every page; past the
// cap it says so (X-Total-Capped) and still links the next page, and under it
// the total is exact.
func TestInboxTotalIsCapped(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	st := pratica.NewStore(db)
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if err := st.Create(ctx, &pratica.Pratica{ID: "p1", Ente: "c_l424", Service: "c_l424.matrimonio", Template: "matrimonio@1",
		Owner: "RSSMRA80A01L424F", Status: pratica.Submitted, Data: pratica.JSON(`{}`), CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	n := CountCap + 5
	tasks := make([]pratica.Task, 0, n)
	for i := range n {
		applicant := "Mario Rossi"
		if i%500 == 0 {
			applicant = "Laura Bianchi"
		}
		tasks = append(tasks, pratica.Task{ID: fmt.Sprintf("t%05d", i), PraticaID: "p1", Ente: "c_l424", Step: "istruttoria",
			Role: "operator", Office: "stato-civile", State: pratica.TaskOpen, OpenedSeq: int64(i + 1), Applicant: applicant,
			Service: "c_l424.matrimonio", CreatedAt: now, UpdatedAt: now})
	}
	if err := db.CreateInBatches(tasks, 200).Error; err != nil {
		t.Fatal(err)
	}
	h := &Pratiche{Store: st, Now: func() time.Time { return now }}
	srv := New(Options{Guard: func(Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				SetPrincipal(c, &Principal{Subject: "o1", Role: RoleOperator, Ente: "c_l424", Office: "stato-civile"})
				return next(c)
			}
		}
	}}, h)
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
		}
		return rec
	}
	for _, tc := range []struct {
		path, total, capped string
		next                bool
	}{
		{"/api/tasks", fmt.Sprint(CountCap), "true", true},
		// A page past the cap still knows that more follow.
		{fmt.Sprintf("/api/tasks?offset=%d&limit=2", CountCap), fmt.Sprint(CountCap + 2), "true", true},
		{fmt.Sprintf("/api/tasks?offset=%d&limit=10", CountCap), fmt.Sprint(n), "", false},
		{"/api/tasks?q=laura", "3", "", false},
	} {
		rec := get(tc.path)
		if got := rec.Header().Get("X-Total-Count"); got != tc.total {
			t.Errorf("GET %s: X-Total-Count %s, want %s", tc.path, got, tc.total)
		}
		if got := rec.Header().Get("X-Total-Capped"); got != tc.capped {
			t.Errorf("GET %s: X-Total-Capped %q, want %q", tc.path, got, tc.capped)
		}
		if got := strings.Contains(rec.Header().Get("Link"), `rel="next"`); got != tc.next {
			t.Errorf("GET %s: next link %v, want %v (Link %q)", tc.path, got, tc.next, rec.Header().Get("Link"))
		}
	}
}
