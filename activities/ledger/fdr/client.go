package fdr

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

// Published is one published flow as the FdR API for organisations lists it
// (FlowByPSP): a flow id, its PSP and its last revision.
type Published struct {
	FDR       string    `json:"fdr"`
	PSPID     string    `json:"pspId"`
	Revision  int       `json:"revision"`
	Published time.Time `json:"published"`
	FlowDate  time.Time `json:"flowDate"`
}

// Metadata is the paging of an FdR API answer.
type Metadata struct {
	PageSize   int `json:"pageSize"`
	PageNumber int `json:"pageNumber"`
	TotPage    int `json:"totPage"`
}

// FlowsPage is PaginatedFlowsResponse: one page of published flows.
type FlowsPage struct {
	Metadata Metadata    `json:"metadata"`
	Count    int         `json:"count"`
	Data     []Published `json:"data"`
}

// Client reads published flows from the FdR API for organisations
// (fdr_organization.json): the list, then each flow and its payments.
type Client struct {
	// BaseURL ends before /organizations, e.g. https://api.platform.pagopa.it/fdr-org/service/v1.
	BaseURL string
	// SubscriptionKey goes in the Ocp-Apim-Subscription-Key header.
	SubscriptionKey string
	HTTP            *http.Client
	// PageSize is the size of the pages asked for (1 to 1000, default 1000).
	PageSize int
}

// NewClient returns a client with a 60 s timeout per call and pages of 1000.
func NewClient(baseURL, subscriptionKey string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), SubscriptionKey: subscriptionKey,
		HTTP: &http.Client{Timeout: 60 * time.Second}, PageSize: 1000}
}

func (c *Client) size() int {
	if c.PageSize < 1 || c.PageSize > 1000 {
		return 1000
	}
	return c.PageSize
}

// List returns every flow published for org after since (the API's own
// default, 30 days back, when since is zero), following every page.
func (c *Client) List(ctx context.Context, org string, since time.Time) ([]Published, error) {
	var out []Published
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(c.size())}}
		if !since.IsZero() {
			q.Set("publishedGt", since.UTC().Format(time.RFC3339))
		}
		var p FlowsPage
		data, err := c.get(ctx, "/organizations/"+url.PathEscape(org)+"/fdrs?"+q.Encode())
		if err == nil {
			err = json.Unmarshal(data, &p)
		}
		if err != nil {
			return nil, fmt.Errorf("list flows of %s: %w", org, err)
		}
		out = append(out, p.Data...)
		if page >= p.Metadata.TotPage || len(p.Data) == 0 {
			return out, nil
		}
	}
}

// Get reads a published flow with every page of its payments and parses it
// as ParseJSON does.
func (c *Client) Get(ctx context.Context, org string, p Published) (*Flow, error) {
	base := "/organizations/" + url.PathEscape(org) + "/fdrs/" + url.PathEscape(p.FDR) + "/revisions/" + strconv.Itoa(p.Revision) +
		"/psps/" + url.PathEscape(p.PSPID)
	flow, err := c.get(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("read flow %s: %w", p.FDR, err)
	}
	var pages []io.Reader
	for page := 1; ; page++ {
		data, err := c.get(ctx, base+"/payments?"+url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(c.size())}}.Encode())
		if err != nil {
			return nil, fmt.Errorf("read payments of flow %s: %w", p.FDR, err)
		}
		pages = append(pages, bytes.NewReader(data))
		var m struct {
			Metadata Metadata          `json:"metadata"`
			Data     []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, errs.Field(fmt.Sprintf("payments[%d]", page-1), "is not valid JSON: %v", err)
		}
		if page >= m.Metadata.TotPage || len(m.Data) == 0 {
			break
		}
	}
	return ParseJSON(bytes.NewReader(flow), pages...)
}

// get sends one GET; 4xx answers are permanent errors with a code, 5xx and
// network failures plain errors a caller may retry.
func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if c.SubscriptionKey != "" {
		req.Header.Set("Ocp-Apim-Subscription-Key", c.SubscriptionKey)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, MaxSize))
	if err != nil {
		return nil, err
	}
	if res.StatusCode == http.StatusOK {
		return data, nil
	}
	msg := fmt.Sprintf("fdr api GET %s: %d %.200s", path, res.StatusCode, data)
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, errs.E(errs.NotFound, "%s", msg)
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		return nil, errs.E(errs.Forbidden, "%s", msg)
	case res.StatusCode >= 400 && res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests:
		return nil, errs.E(errs.Invalid, "%s", msg)
	}
	return nil, fmt.Errorf("%s", msg)
}
