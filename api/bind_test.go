package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sportello/sportello/errs"
)

type bindDebtor struct {
	FiscalCode string `json:"fiscalCode"`
}

type bindBody struct {
	Amount int64        `json:"amount"`
	Debtor bindDebtor   `json:"debtor"`
	Items  []bindDebtor `json:"items,omitempty"`
}

func TestBindStrict(t *testing.T) {
	tests := []struct {
		name      string
		ct        string
		body      string
		want      bindBody
		wantField string // empty: no error
	}{
		{"ok", "application/json", `{"amount":1500,"debtor":{"fiscalCode":"RSSMRA80A01L424F"}}`, bindBody{Amount: 1500, Debtor: bindDebtor{"RSSMRA80A01L424F"}}, ""},
		{"charset ok", "application/json; charset=utf-8", `{"amount":1}`, bindBody{Amount: 1}, ""},
		{"unknown field", "application/json", `{"amount":1,"iban":"IT"}`, bindBody{}, "iban"},
		{"unknown nested field", "application/json", `{"debtor":{"fiscalCode":"X","iban":"IT"}}`, bindBody{}, "debtor.iban"},
		{"unknown field in array", "application/json", `{"items":[{"fiscalCode":"X"},{"name":"Y"}]}`, bindBody{}, "items[1].name"},
		{"case-insensitive match is known", "application/json", `{"Amount":2}`, bindBody{Amount: 2}, ""},
		{"wrong type nested", "application/json", `{"debtor":{"fiscalCode":12}}`, bindBody{}, "debtor.fiscalCode"},
		{"wrong type", "application/json", `{"amount":"15"}`, bindBody{}, "amount"},
		{"not json", "application/json", `amount=1`, bindBody{}, "body"},
		{"truncated", "application/json", `{"amount":1`, bindBody{}, "body"},
		{"two values", "application/json", `{"amount":1}{"amount":2}`, bindBody{}, "body"},
		{"empty", "application/json", ``, bindBody{}, "body"},
		{"form", "application/x-www-form-urlencoded", `amount=1`, bindBody{}, "Content-Type"},
		{"no content type", "", `{"amount":1}`, bindBody{}, "Content-Type"},
		{"duplicate key", "application/json", `{"amount":1,"amount":2}`, bindBody{}, "amount"},
		{"duplicate nested key", "application/json", `{"debtor":{"fiscalCode":"A","fiscalCode":"B"}}`, bindBody{}, "debtor.fiscalCode"},
		{"duplicate key in array", "application/json", `{"items":[{"fiscalCode":"A"},{"fiscalCode":"A","fiscalCode":"B"}]}`, bindBody{}, "items[1].fiscalCode"},
		{"same key in two objects is fine", "application/json", `{"items":[{"fiscalCode":"A"},{"fiscalCode":"B"}]}`, bindBody{Items: []bindDebtor{{"A"}, {"B"}}}, ""},
		{"invalid utf-8", "application/json", "{\"debtor\":{\"fiscalCode\":\"A\xff\"}}", bindBody{}, "body"},
		{"nul escaped", "application/json", `{"debtor":{"fiscalCode":"A\u0000B"}}`, bindBody{}, "debtor.fiscalCode"},
		{"nul in an array", "application/json", `{"items":[{"fiscalCode":"A"},{"fiscalCode":"\u0000"}]}`, bindBody{}, "items[1].fiscalCode"},
		{"too deep", "application/json", `{"debtor":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, bindBody{}, "debtor" + strings.Repeat("[0]", 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			if tt.ct != "" {
				req.Header.Set("Content-Type", tt.ct)
			}
			c := echo.New().NewContext(req, httptest.NewRecorder())
			var got bindBody
			err := BindStrict(c, &got)
			if tt.wantField == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d := cmp.Diff(tt.want, got); d != "" {
					t.Errorf("(-want +got):\n%s", d)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField {
				t.Fatalf("err = %#v, want invalid on %s", err, tt.wantField)
			}
		})
	}
}

// TestBindStrictBodyLimit: a body over the limit answers 413, not a decode error.
func TestBindStrictBodyLimit(t *testing.T) {
	e := echo.New()
	e.Use(middleware.BodyLimit("16B"))
	e.POST("/", func(c echo.Context) error {
		var v bindBody
		return BindStrict(c, &v)
	})
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"debtor":{"fiscalCode":"RSSMRA80A01L424F"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = -1 // streamed: the limit trips while reading
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}
