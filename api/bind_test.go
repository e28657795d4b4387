package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

type bindDebtor struct {
	FiscalCode string `json:"fiscalCode"`
}

type bindBody struct {
	Amount int64      `json:"amount"`
	Debtor bindDebtor `json:"debtor"`
}

func TestBindStrict(t *testing.T) {
	tests := []struct {
		name      string
		ct        string
		body      string
		want      bindBody
		wantField string // empty: no error
	}{
		{"ok", "application/json", `{"amount":1500,"debtor":{"fiscalCode":"RSSMRA80A01L424F"}}`, bindBody{1500, bindDebtor{"RSSMRA80A01L424F"}}, ""},
		{"charset ok", "application/json; charset=utf-8", `{"amount":1}`, bindBody{Amount: 1}, ""},
		{"unknown field", "application/json", `{"amount":1,"iban":"IT"}`, bindBody{}, "iban"},
		{"wrong type nested", "application/json", `{"debtor":{"fiscalCode":12}}`, bindBody{}, "debtor.fiscalCode"},
		{"wrong type", "application/json", `{"amount":"15"}`, bindBody{}, "amount"},
		{"not json", "application/json", `amount=1`, bindBody{}, "body"},
		{"truncated", "application/json", `{"amount":1`, bindBody{}, "body"},
		{"two values", "application/json", `{"amount":1}{"amount":2}`, bindBody{}, "body"},
		{"empty", "application/json", ``, bindBody{}, "body"},
		{"form", "application/x-www-form-urlencoded", `amount=1`, bindBody{}, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.ct)
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
