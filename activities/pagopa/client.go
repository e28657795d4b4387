package pagopa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

// Client is the GPD REST client, configured for the regional intermediary
// (FVG-Pay) or the local simulator.
type Client struct {
	// BaseURL ends before /organizations, e.g. https://api.platform.pagopa.it/gpd/debt-positions-service/v1.
	BaseURL string
	// SubscriptionKey goes in the Ocp-Apim-Subscription-Key header.
	SubscriptionKey string
	HTTP            *http.Client
	// Attempts bounds the tries of a call that failed for a transient reason
	// (network, 429, 5xx); Backoff is the first wait, doubled at each retry.
	Attempts int
	Backoff  time.Duration
	Log      *slog.Logger
}

// NewClient returns a client with a 10 s timeout, 4 attempts and 200 ms backoff.
func NewClient(baseURL, subscriptionKey string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), SubscriptionKey: subscriptionKey,
		HTTP: &http.Client{Timeout: 10 * time.Second}, Attempts: 4, Backoff: 200 * time.Millisecond, Log: slog.Default()}
}

var _ GPD = (*Client)(nil)

func (c *Client) positionURL(org string, parts ...string) string {
	u := c.BaseURL + "/organizations/" + url.PathEscape(org) + "/debtpositions"
	for _, p := range parts {
		u += "/" + url.PathEscape(p)
	}
	return u
}

// CreatePosition posts p; a 409 means GPD has the iupd already, so it is fetched.
func (c *Client) CreatePosition(ctx context.Context, org string, p GPDPosition, publish bool) (*GPDPosition, error) {
	u := c.positionURL(org)
	if publish {
		u += "?toPublish=true"
	}
	var out GPDPosition
	err := c.do(ctx, http.MethodPost, u, p, &out)
	if errs.Is(err, errs.Conflict) {
		got, gerr := c.GetPosition(ctx, org, p.IUPD)
		if gerr != nil {
			return nil, gerr
		}
		if publish && got.Status == string(Draft) {
			return c.PublishPosition(ctx, org, p.IUPD)
		}
		return got, nil
	}
	if err != nil {
		return nil, fmt.Errorf("gpd create %s: %w", p.IUPD, err)
	}
	return &out, nil
}

// GetPosition fetches a position by iupd.
func (c *Client) GetPosition(ctx context.Context, org, iupd string) (*GPDPosition, error) {
	var out GPDPosition
	if err := c.do(ctx, http.MethodGet, c.positionURL(org, iupd), nil, &out); err != nil {
		return nil, fmt.Errorf("gpd get %s: %w", iupd, err)
	}
	return &out, nil
}

// PublishPosition publishes a draft; a 409 on an already published position returns it.
func (c *Client) PublishPosition(ctx context.Context, org, iupd string) (*GPDPosition, error) {
	return c.transition(ctx, org, iupd, "publish", Published, Valid, PartiallyPaid, Paid)
}

// InvalidatePosition invalidates a position; a 409 on an invalid one returns it.
func (c *Client) InvalidatePosition(ctx context.Context, org, iupd string) (*GPDPosition, error) {
	return c.transition(ctx, org, iupd, "invalidate", Invalid)
}

func (c *Client) transition(ctx context.Context, org, iupd, action string, done ...Status) (*GPDPosition, error) {
	var out GPDPosition
	err := c.do(ctx, http.MethodPost, c.positionURL(org, iupd, action), nil, &out)
	if errs.Is(err, errs.Conflict) {
		got, gerr := c.GetPosition(ctx, org, iupd)
		if gerr != nil {
			return nil, gerr
		}
		for _, s := range done {
			if got.Status == string(s) {
				return got, nil
			}
		}
		return nil, fmt.Errorf("gpd %s %s: %w", action, iupd, err)
	}
	if err != nil {
		return nil, fmt.Errorf("gpd %s %s: %w", action, iupd, err)
	}
	return &out, nil
}

// problem is GPD's ProblemJson.
type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
}

// do sends one call, retrying transient failures with exponential backoff.
// Every GPD call is safe to repeat: creates are keyed by iupd.
func (c *Client) do(ctx context.Context, method, u string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	attempts := max(c.Attempts, 1)
	wait := c.Backoff
	var last error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait *= 2
		}
		retry, err := c.once(ctx, method, u, body, out)
		if err == nil || !retry {
			return err
		}
		last = err
		if c.Log != nil {
			c.Log.Warn("gpd call failed, retrying", "method", method, "url", u, "attempt", i+1, "err", err)
		}
	}
	return last
}

func (c *Client) once(ctx context.Context, method, u string, body []byte, out any) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.SubscriptionKey != "" {
		req.Header.Set("Ocp-Apim-Subscription-Key", c.SubscriptionKey)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.Canceled) {
			return false, err
		}
		return true, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return true, err
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		if out == nil || len(data) == 0 {
			return false, nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return false, fmt.Errorf("gpd answer: %w", err)
		}
		return false, nil
	}
	var p problem
	_ = json.Unmarshal(data, &p)
	msg := fmt.Sprintf("gpd %s: %d %s %s", method, res.StatusCode, p.Title, p.Detail)
	switch res.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return false, errs.E(errs.Invalid, "%s", msg)
	case http.StatusNotFound:
		return false, errs.E(errs.NotFound, "%s", msg)
	case http.StatusConflict:
		return false, errs.E(errs.Conflict, "%s", msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		return false, errs.E(errs.Forbidden, "%s", msg)
	}
	return true, errors.New(msg) // 429, 5xx: transient
}
