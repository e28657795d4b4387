package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

func TestPagedSaysTotalAndNext(t *testing.T) {
	cases := []struct {
		query      string
		items      int
		total      int64
		wantField  string
		wantLink   string
		wantOffset int
	}{
		{"", 100, 250, "", `</api/pratiche?limit=100&offset=100&status=x>; rel="next"`, 0},
		{"?limit=100&offset=200", 50, 250, "", "", 200},
		{"?limit=0", 0, 0, "limit", "", 0},
		{"?limit=501", 0, 0, "limit", "", 0},
		{"?limit=x", 0, 0, "limit", "", 0},
		{"?offset=-1", 0, 0, "offset", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			sep := "?"
			if tc.query != "" {
				sep = "&"
			}
			req := httptest.NewRequest(http.MethodGet, "/api/pratiche"+tc.query+sep+"status=x", nil)
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(req, rec)
			pg, err := PageOf(c, 100, 500)
			if tc.wantField != "" {
				if e, ok := errs.As(err); !ok || e.Fields[0].Field != tc.wantField {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantField)
				}
				return
			}
			if err != nil || pg.Offset != tc.wantOffset {
				t.Fatalf("page %+v %v", pg, err)
			}
			if err := Paged(c, make([]int, tc.items), tc.total, pg); err != nil {
				t.Fatal(err)
			}
			if got := rec.Header().Get("X-Total-Count"); got != "250" {
				t.Errorf("X-Total-Count = %q", got)
			}
			if got := rec.Header().Get("Link"); got != tc.wantLink {
				t.Errorf("Link = %q, want %q", got, tc.wantLink)
			}
		})
	}
}
