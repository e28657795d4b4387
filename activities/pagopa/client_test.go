package pagopa

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sportello/sportello/errs"
)

func TestClient(t *testing.T) {
	tests := []struct {
		name      string
		handler   func(calls int32, w http.ResponseWriter, r *http.Request)
		wantCode  errs.Code // "" for success
		wantCalls int32
	}{
		{"created", func(_ int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(GPDPosition{IUPD: "MAT-1", Status: "VALID"})
		}, "", 1},
		{"retries 503 then succeeds", func(n int32, w http.ResponseWriter, r *http.Request) {
			if n < 3 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusCreated)
			json.NewEncoder(w).Encode(GPDPosition{IUPD: "MAT-1", Status: "VALID"})
		}, "", 3},
		{"409 fetches the existing one", func(n int32, w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w.WriteHeader(http.StatusConflict)
				return
			}
			if r.URL.Path != "/v1/organizations/00210240321/debtpositions/MAT-1" {
				t.Errorf("GET %s", r.URL.Path)
			}
			json.NewEncoder(w).Encode(GPDPosition{IUPD: "MAT-1", Status: "VALID"})
		}, "", 2},
		{"400 is not retried", func(_ int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"title":"Bad Request","status":400,"detail":"iuv"}`))
		}, errs.Invalid, 1},
		{"gives up after the attempts", func(_ int32, w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}, errs.Internal, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Ocp-Apim-Subscription-Key") != "k" {
					t.Errorf("subscription key = %q", r.Header.Get("Ocp-Apim-Subscription-Key"))
				}
				tt.handler(calls.Add(1), w, r)
			}))
			defer srv.Close()
			c := NewClient(srv.URL+"/v1/", "k")
			c.Backoff = time.Millisecond
			got, err := c.CreatePosition(context.Background(), trieste, ToGPD(issued(demoPosition("MAT-1"))), true)
			if tt.wantCode == "" {
				if err != nil || got.IUPD != "MAT-1" {
					t.Fatalf("got %v, %v", got, err)
				}
			} else if errs.CodeOf(err) != tt.wantCode {
				t.Fatalf("err = %v (%s), want %s", err, errs.CodeOf(err), tt.wantCode)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}
