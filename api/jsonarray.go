package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// streamJSONArray answers 200 with a JSON array written as it is read: each
// calls emit once per element (a campaign's debtors can be 110,000).
func streamJSONArray(w *echo.Response, each func(emit func(v any) error) error) error {
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("["))
	enc := json.NewEncoder(w)
	first := true
	err := each(func(v any) error {
		if !first {
			w.Write([]byte(","))
		}
		first = false
		return enc.Encode(v)
	})
	w.Write([]byte("]"))
	return err
}
