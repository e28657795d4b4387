package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/api"
)

const campaignUsage = `Usage: sportello campaign <command> [flags] [args]

The bollettazione massiva, through the HTTP API of a running sportello:
  upload  --plan plan.json roll.csv|roll.json   create a campaign and upload its roll; prints the dry run
  upload  --id ID roll.csv|roll.json            upload the roll again into a draft (replaces it)
  dry-run ID                                    the dry run: totals per option, beneficiary, accounting line; rows refused
  confirm ID [--wait]                           start issuing; --wait follows it with a progress bar
  status  ID [--wait]                           the progress; --wait follows it until it ends
  pause | resume | cancel ID                    steer the issuing
  export  ID [--state overdue] [--format csv]   the riscontri: each debtor's payments
  notices ID -o avvisi.zip [--print] [--lang it] the notices, one PDF per debtor in a zip, with a progress bar;
                                                --print: one PDF ordered for postal dispatch

Flags and environment: --url (SPORTELLO_URL, default http://localhost:8080), --token (SPORTELLO_TOKEN: a bearer
token) or --api-key (SPORTELLO_API_KEY), --ente (regional users: the ente).
`

// cliClient calls the API as the office's user.
type cliClient struct {
	base, token, apiKey, ente string
	http                      *http.Client
}

func runCampaignCLI(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, campaignUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fs := flag.NewFlagSet("campaign "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := func(env, d string) string {
		if v := getenv(env); v != "" {
			return v
		}
		return d
	}
	c := &cliClient{http: &http.Client{Timeout: 5 * time.Minute}}
	fs.StringVar(&c.base, "url", def("SPORTELLO_URL", "http://localhost:8080"), "the sportello to call")
	fs.StringVar(&c.token, "token", getenv("SPORTELLO_TOKEN"), "bearer token")
	fs.StringVar(&c.apiKey, "api-key", getenv("SPORTELLO_API_KEY"), "API key")
	fs.StringVar(&c.ente, "ente", "", "the ente (regional users)")
	plan := fs.String("plan", "", "upload: the plan (JSON file)")
	id := fs.String("id", "", "upload: the draft campaign to upload into")
	wait := fs.Bool("wait", false, "confirm, status: follow the progress until the campaign ends")
	state := fs.String("state", "", "export: only debtors in this state (paid, partially_paid, overdue, unpaid)")
	format := fs.String("format", "json", "export: json or csv")
	var nf noticeFlags
	fs.StringVar(&nf.out, "o", "", "notices: the file to write")
	fs.BoolVar(&nf.print, "print", false, "notices: the print file (one PDF in postal order) instead of the zip")
	fs.StringVar(&nf.lang, "lang", "", "notices: it, en or sl (default the plan's)")
	// Flags may come before or after the arguments: "status ID --wait".
	var pos []string
	for rest := args[1:]; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	ctx := context.Background()
	var err error
	if sub == "notices" {
		err = c.notices(ctx, pos, nf, stdout)
	} else {
		err = c.dispatch(ctx, sub, pos, *plan, *id, *wait, *state, *format, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "sportello campaign:", err)
		return 1
	}
	return 0
}

func (c *cliClient) dispatch(ctx context.Context, sub string, args []string, plan, id string, wait bool, state, format string, out io.Writer) error {
	needID := func() (string, error) {
		if len(args) != 1 {
			return "", fmt.Errorf("usage: sportello campaign %s ID", sub)
		}
		return url.PathEscape(args[0]), nil
	}
	switch sub {
	case "upload":
		return c.upload(ctx, plan, id, args, out)
	case "dry-run":
		cid, err := needID()
		if err != nil {
			return err
		}
		var d issuance.DryRun
		if err := c.do(ctx, "GET", "/api/issuances/"+cid+"/dry-run", "", nil, &d); err != nil {
			return err
		}
		printDryRun(out, &d)
		return nil
	case "confirm", "pause", "resume", "cancel", "status":
		cid, err := needID()
		if err != nil {
			return err
		}
		var camp issuance.Campaign
		method, path := "POST", "/api/issuances/"+cid+"/"+sub
		if sub == "status" {
			method, path = "GET", "/api/issuances/"+cid
		}
		if err := c.do(ctx, method, path, "", nil, &camp); err != nil {
			return err
		}
		fmt.Fprintln(out, progressLine(&camp))
		if wait {
			return c.follow(ctx, cid, out)
		}
		return nil
	case "export":
		cid, err := needID()
		if err != nil {
			return err
		}
		q := url.Values{"format": {format}}
		if state != "" {
			q.Set("state", state)
		}
		return c.do(ctx, "GET", "/api/issuances/"+cid+"/debtors?"+q.Encode(), "", nil, out)
	}
	return fmt.Errorf("unknown command %q\n\n%s", sub, campaignUsage)
}

func (c *cliClient) upload(ctx context.Context, planFile, id string, args []string, out io.Writer) error {
	if len(args) != 1 || (planFile == "") == (id == "") {
		return errors.New("usage: sportello campaign upload --plan plan.json ROLL, or --id ID ROLL")
	}
	roll, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("read roll: %w", err)
	}
	if planFile != "" {
		raw, err := os.ReadFile(planFile)
		if err != nil {
			return fmt.Errorf("read plan: %w", err)
		}
		var body api.IssuanceBody
		if err := json.Unmarshal(raw, &body.Plan); err != nil {
			return fmt.Errorf("read plan %s: %w", planFile, err)
		}
		var camp issuance.Campaign
		if err := c.do(ctx, "POST", "/api/issuances", "application/json", body, &camp); err != nil {
			return err
		}
		id = camp.ID
		fmt.Fprintf(out, "campaign %s created (draft)\n", id)
	}
	ct := "text/csv"
	if strings.EqualFold(filepath.Ext(args[0]), ".json") {
		ct = "application/json"
	}
	var d issuance.DryRun
	if err := c.do(ctx, "PUT", "/api/issuances/"+url.PathEscape(id)+"/roll", ct, roll, &d); err != nil {
		return err
	}
	printDryRun(out, &d)
	fmt.Fprintf(out, "nothing is issued until: sportello campaign confirm %s\n", id)
	return nil
}

// follow redraws the progress bar every second until the campaign ends.
func (c *cliClient) follow(ctx context.Context, id string, out io.Writer) error {
	for {
		var camp issuance.Campaign
		if err := c.do(ctx, "GET", "/api/issuances/"+id, "", nil, &camp); err != nil {
			return err
		}
		fmt.Fprintf(out, "\r%s", progressLine(&camp))
		if camp.Status != issuance.Issuing {
			fmt.Fprintln(out)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// progressLine is the campaign's state as a bar: done, failed, pace, time left.
func progressLine(c *issuance.Campaign) string {
	p := c.Progress
	if p == nil {
		return string(c.Status)
	}
	const width = 30
	filled := int(p.Percent / 100 * width)
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)
	eta := ""
	if p.ETASeconds > 0 {
		eta = ", ETA " + (time.Duration(p.ETASeconds) * time.Second).String()
	}
	return fmt.Sprintf("[%s] %5.1f%% %s: %d/%d issued, %d failed, %d refused, %.0f rows/s%s",
		bar, p.Percent, c.Status, p.Issued, p.Total, p.Failed, p.Refused, p.RatePerSec, eta)
}

func printDryRun(out io.Writer, d *issuance.DryRun) {
	fmt.Fprintf(out, "rows: %d valid, %d refused; total %s EUR\n", d.Rows, d.Refused, issuance.Euro(d.Total))
	for _, group := range []struct {
		title string
		b     []issuance.Bucket
	}{{"options", d.Options}, {"beneficiaries", d.Beneficiaries}, {"accounting lines", d.AccountingLines}} {
		fmt.Fprintf(out, "%s:\n", group.title)
		for _, b := range group.b {
			fmt.Fprintf(out, "  %-45s %-10s %8d rows %14s EUR\n", b.Label+" "+b.Key, b.Due, b.Rows, issuance.Euro(b.Amount))
		}
	}
	for _, e := range d.RefusedRows {
		fmt.Fprintf(out, "refused: line %d, %s: %s\n", e.Line, e.Field, e.Message)
	}
}

// do sends a request and decodes the JSON answer into out (or copies it to an io.Writer).
func (c *cliClient) do(ctx context.Context, method, path, contentType string, body, out any) error {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return err
		}
		r = bytes.NewReader(raw)
	}
	if c.ente != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "ente=" + url.QueryEscape(c.ente)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.base, "/")+path, r)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.apiKey != "" {
		req.Header.Set(api.APIKeyHeader, c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct {
				Message string `json:"message"`
				Fields  []struct{ Field, Message string }
			} `json:"error"`
		}
		raw, _ := io.ReadAll(resp.Body)
		if json.Unmarshal(raw, &e) != nil || e.Error.Message == "" {
			return fmt.Errorf("%s %s: %s", method, path, resp.Status)
		}
		msg := e.Error.Message
		for _, f := range e.Error.Fields {
			msg += "\n  " + f.Field + ": " + f.Message
		}
		return fmt.Errorf("%s: %s", resp.Status, msg)
	}
	if w, ok := out.(io.Writer); ok {
		_, err := io.Copy(w, resp.Body)
		return err
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}
