package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

// FuzzBindStrict: any body sent to any JSON route is decoded or refused with
// errs invalid naming a field, never a panic or another kind of error.
func FuzzBindStrict(f *testing.F) {
	for _, s := range []string{`{"amount":1500,"debtor":{"fiscalCode":"RSSMRA80A01L424F"}}`, `{"amount":1,"amount":2}`,
		`{"items":[{"fiscalCode":"\u0000"}]}`, "{\"a\":\"\xff\"}", strings.Repeat("[", 100), `{"amount":1e400}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		c := echo.New().NewContext(req, httptest.NewRecorder())
		var v bindBody
		err := BindStrict(c, &v)
		if err == nil {
			return
		}
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Field == "" {
			t.Fatalf("%q: %#v", body, err)
		}
	})
}
