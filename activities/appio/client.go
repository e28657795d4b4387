package appio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

// KeyHeader carries the API key of one IO service.
const KeyHeader = "Ocp-Apim-Subscription-Key"

// Client calls the IO services API. Each call takes the API key of the IO
// service it speaks for: an ente has one IO service per catalog service.
type Client struct {
	BaseURL string // e.g. https://api.io.pagopa.it/api/v1, or the simulator's URL
	HTTP    *http.Client
	// Attempts bounds the tries of one call on 429 and 5xx; Temporal retries the
	// activity on top, so this stays small.
	Attempts int
	// MaxWait caps one wait, whatever Retry-After asks.
	MaxWait time.Duration
	// Sleep waits between tries; tests replace it to run without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
	Log   *slog.Logger
}

// NewClient returns a client for baseURL with a 10-second timeout per request.
func NewClient(baseURL string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), HTTP: &http.Client{Timeout: 10 * time.Second}, Attempts: 4, MaxWait: 30 * time.Second}
}

// CallError is an IO answer other than success; Sent says whether the request
// may have reached IO (an unanswered request may have created a message).
type CallError struct {
	Status  int
	Problem Problem
	Sent    bool
	Err     error
}

// Error says what IO answered, or why there was no answer.
func (e *CallError) Error() string {
	switch {
	case e.Err != nil:
		return fmt.Sprintf("app io: %v", e.Err)
	case e.Problem.Detail != "":
		return fmt.Sprintf("app io: status %d: %s", e.Status, e.Problem.Detail)
	}
	return fmt.Sprintf("app io: status %d", e.Status)
}

// Unwrap returns the transport error, if any.
func (e *CallError) Unwrap() error { return e.Err }

// Permanent says whether no retry can fix the call: bad payload, bad key.
func (e *CallError) Permanent() bool {
	return e.Status == http.StatusBadRequest || e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// ErrNotOnIO is returned by Profile when the citizen has no IO profile (404).
var ErrNotOnIO = errs.E(errs.NotFound, "the citizen is not on App IO")

// Profile returns the citizen's profile as seen by the service of apiKey.
func (c *Client) Profile(ctx context.Context, apiKey, fiscalCode string) (*Profile, error) {
	var p Profile
	status, err := c.do(ctx, apiKey, http.MethodGet, "/profiles/"+url.PathEscape(fiscalCode), nil, &p)
	if status == http.StatusNotFound {
		return nil, ErrNotOnIO
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Submit sends a message; it validates it first so a bad message never leaves.
func (c *Client) Submit(ctx context.Context, apiKey string, m *NewMessage) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	var out CreatedMessage
	if _, err := c.do(ctx, apiKey, http.MethodPost, "/messages", m, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &CallError{Status: http.StatusCreated, Sent: true, Err: errors.New("no message id in the answer")}
	}
	return out.ID, nil
}

func (c *Client) do(ctx context.Context, apiKey, method, path string, body, out any) (int, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return 0, err
		}
	}
	attempts := max(c.Attempts, 1)
	var last error
	for try := 1; ; try++ {
		status, wait, err := c.once(ctx, apiKey, method, path, payload, out)
		if err == nil || status == http.StatusNotFound {
			return status, err
		}
		last = err
		var ce *CallError
		retry := errors.As(err, &ce) && (status == http.StatusTooManyRequests || status >= 500 || (status == 0 && !ce.Sent))
		if !retry || try >= attempts {
			return status, last
		}
		if wait == 0 {
			wait = time.Duration(200<<(try-1)) * time.Millisecond
		}
		if c.MaxWait > 0 && wait > c.MaxWait {
			wait = c.MaxWait
		}
		c.logger().Warn("app io retry", "path", strings.Split(path, "/")[1], "status", status, "try", try, "wait", wait)
		if err := c.sleep(ctx, wait); err != nil {
			return status, last
		}
	}
}

// once makes one request; wait is what the server asked for with Retry-After.
func (c *Client) once(ctx context.Context, apiKey, method, path string, payload []byte, out any) (int, time.Duration, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, rd)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set(KeyHeader, apiKey)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, &CallError{Err: err, Sent: !isDialError(err) && payload != nil}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, 0, &CallError{Status: resp.StatusCode, Err: err, Sent: true}
	}
	if resp.StatusCode/100 == 2 {
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return resp.StatusCode, 0, &CallError{Status: resp.StatusCode, Err: fmt.Errorf("decode answer: %w", err), Sent: true}
			}
		}
		return resp.StatusCode, 0, nil
	}
	ce := &CallError{Status: resp.StatusCode}
	_ = json.Unmarshal(data, &ce.Problem)
	return resp.StatusCode, retryAfter(resp.Header.Get("Retry-After"), time.Now()), ce
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// isDialError says the request never left: the connection was not made.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) logger() *slog.Logger {
	if c.Log != nil {
		return c.Log
	}
	return slog.Default()
}
