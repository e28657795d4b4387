package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestReadyzKeepsErrorsInTheLog: /readyz is public, so a failing dependency's
// error (a DSN, a host, a file path) goes to the log, never into the answer.
func TestReadyzKeepsErrorsInTheLog(t *testing.T) {
	secret := `dial tcp 10.1.2.3:5432: password authentication failed for user "sportello" at /var/lib/sportello/data`
	var logs bytes.Buffer
	srv := New(Options{Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Ready: func(context.Context) error { return errors.New(secret) }})
	rec := httptest.NewRecorder()
	srv.Echo.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", rec.Code)
	}
	body := rec.Body.String()
	for _, leak := range []string{"10.1.2.3", "password", "sportello\"", "/var/lib", "dial"} {
		if strings.Contains(body, leak) {
			t.Errorf("answer %s leaks %q", body, leak)
		}
	}
	if !strings.Contains(body, `"status":"unavailable"`) {
		t.Errorf("answer %s does not say unavailable", body)
	}
	if !strings.Contains(logs.String(), "password authentication failed") {
		t.Errorf("the error is not in the log: %s", logs.String())
	}
}

// TestImportBodyLimitAnswers413BeforeParsing: one policy for every body, with
// or without a declared length: over the limit is 413 naming it, never a
// parser's complaint about a document cut short.
func TestImportBodyLimitAnswers413BeforeParsing(t *testing.T) {
	srv := New(Options{BodyLimit: "1K"})
	parsed := false
	srv.Echo.POST("/api/catalog/taxonomy/import", func(c echo.Context) error {
		b, err := readBody(c)
		if err != nil {
			return err
		}
		parsed = len(b) > 0
		return c.NoContent(http.StatusOK)
	})
	srv.Echo.POST("/api/small", func(c echo.Context) error {
		var v map[string]any
		if err := BindStrict(c, &v); err != nil {
			return err
		}
		return c.NoContent(http.StatusOK)
	})
	big := bytes.Repeat([]byte("x"), MaxImportBody+1)
	small := append(append([]byte(`{"a":"`), bytes.Repeat([]byte("y"), 2<<10)...), '"', '}')
	cases := []struct {
		name, path string
		body       []byte
		chunked    bool
		limit      string
	}{
		{"import with a length", "/api/catalog/taxonomy/import", big, false, "16 MB"},
		{"import without a length", "/api/catalog/taxonomy/import", big, true, "16 MB"},
		{"json with a length", "/api/small", small, false, "1 KB"},
		{"json without a length", "/api/small", small, true, "1 KB"},
		{"receipt over its own limit", "/api/payments/receipts", bytes.Repeat([]byte("r"), 300<<10), false, "256 KB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			parsed = false
			req := httptest.NewRequest(http.MethodPost, tc.path, bytes.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			if tc.chunked {
				req.ContentLength = -1
			}
			rec := httptest.NewRecorder()
			srv.Echo.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), tc.limit) {
				t.Errorf("status %d %s, want 413 naming %s", rec.Code, rec.Body.String(), tc.limit)
			}
			if parsed {
				t.Error("the handler got a body")
			}
		})
	}
}

// TestOpenAPIDocumentsBodyLimits: every route that takes a body says its limit.
func TestOpenAPIDocumentsBodyLimits(t *testing.T) {
	doc := OpenAPI([]Route{
		{Method: "POST", Path: "/api/reconciliation/imports/fdr", Perm: Public},
		{Method: "POST", Path: "/api/catalog/enti/:ente/units/import", Perm: Public},
		{Method: "POST", Path: "/api/payments/receipts", Perm: Public},
		{Method: "PUT", Path: "/api/modeler/overlays/:ente/:template", Perm: Public},
	}, "test")
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Description string `json:"description"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/api/reconciliation/imports/fdr":         "16 MB",
		"/api/catalog/enti/{ente}/units/import":   "16 MB",
		"/api/payments/receipts":                  "256 KB",
		"/api/modeler/overlays/{ente}/{template}": "2 MB",
	} {
		for _, op := range got.Paths[path] {
			if d := op.Responses["413"].Description; !strings.Contains(d, want) {
				t.Errorf("%s: 413 = %q, want %s", path, d, want)
			}
		}
		if len(got.Paths[path]) == 0 {
			t.Errorf("%s missing", path)
		}
	}
}
