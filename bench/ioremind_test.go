package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/errs"
)

type tariIOKey struct{}

func (tariIOKey) APIKey(_ context.Context, service string) (string, error) {
	if service == "c_l424.tari" {
		return "key-tari", nil
	}
	return "", errs.E(errs.NotFound, "service %s has no App IO key", service)
}

// TestCampaignMessagesWorkerCrash issues 1,000 households through the real
// embedded Temporal server with the TARI App IO service: when issuing ends,
// IssueCampaign starts CampaignMessages, which sends the notices to the App
// IO simulator over HTTP, paced by the throttle, after waiting out the 429s
// it answers first (the client's Retry-After, then Temporal's retry). The worker is stopped in the
// middle of the notices and replaced: no citizen gets the notice twice, every
// debtor is accounted for (sent, not on IO, or unknown when the stopped
// worker's call had no recorded answer), and the simulator holds no more
// notices than were sent or left unknown.
func TestCampaignMessagesWorkerCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the embedded Temporal server; skipped with -short")
	}
	const n = 1000
	e := newIssuanceEnv(t, 0)
	rows := issuance.DemoRows(n, 2027)
	var notOnIO []string
	for i, r := range rows {
		if i%20 == 3 {
			notOnIO = append(notOnIO, r.Debtor.FiscalCode)
		}
	}
	ioSim := appio.NewSimulator(notOnIO...)
	// Six 429s at the start: more than the client's four tries of one call,
	// so the first chunk fails and Temporal brings it back after its backoff.
	ioSim.Throttle(6)
	var throttled atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		ioSim.ServeHTTP(sw, r)
		if sw.status == http.StatusTooManyRequests {
			throttled.Add(1)
		}
	}))
	defer hs.Close()
	e.acts.IO, e.acts.Keys, e.acts.Throttle = appio.NewClient(hs.URL+"/api/v1"), tariIOKey{}, issuance.NewThrottle(300)
	plan := e.plan
	plan.Year, plan.AppIOService = 2027, "c_l424.tari"
	plan.SingleDue, plan.Installments = "2027-04-30", []string{"2027-04-30", "2027-07-31", "2027-10-31"}
	ctx := context.Background()
	c, _ := e.upload(t, plan, rows, "")
	w1 := e.worker(t)
	if _, err := e.svc.Confirm(ctx, c); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for ioSim.Count() < n/4 {
		if time.Now().After(deadline) {
			t.Fatalf("the notices never started: %d in the simulator", ioSim.Count())
		}
		time.Sleep(20 * time.Millisecond)
	}
	w1.Stop() // in the middle of a chunk of notices
	stoppedAt := ioSim.Count()
	w2 := e.worker(t)
	defer w2.Stop()
	var rep *issuance.IOReport
	for {
		cur, err := e.svc.Store.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep, err = e.svc.Store.IOReport(ctx, cur); err != nil {
			t.Fatal(err)
		}
		if rep.Pending == 0 && rep.Notice.Sending == 0 {
			break
		}
		if time.Now().After(deadline.Add(3 * time.Minute)) {
			t.Fatalf("notices = %+v", rep)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if stoppedAt >= n-len(notOnIO) {
		t.Fatal("the notices ended before the worker was stopped: nothing was restarted")
	}
	dups, total := 0, 0
	for _, r := range rows {
		k := 0
		for _, m := range ioSim.Inbox(r.Debtor.FiscalCode) {
			if strings.Contains(m.Content.Subject, "avviso di pagamento") {
				k++
			}
		}
		total += k
		if k > 1 {
			dups++
		}
	}
	if dups != 0 {
		t.Errorf("%d citizens got the notice twice", dups)
	}
	nc := rep.Notice
	if nc.Sent+nc.Unknown+nc.NotOnIO != n || nc.NotOnIO != len(notOnIO) || total < nc.Sent || total > nc.Sent+nc.Unknown {
		t.Errorf("notices %+v, %d in the simulator: want every debtor once (sent %d..%d)", nc, total, total-nc.Unknown, total)
	}
	if throttled.Load() != 6 {
		t.Errorf("%d answers 429, want 6", throttled.Load())
	}
	t.Logf("worker stopped at %d notices; after the restart %+v, %d in the simulator", stoppedAt, nc, total)

	// The workflow then waits for the first reminder (2027-04-23) on a timer.
	id := issuance.MessagesWorkflowID(c.ID)
	desc, err := e.c.DescribeWorkflowExecution(ctx, id, "")
	for wait := time.Now().Add(30 * time.Second); err == nil && len(desc.GetPendingActivities()) > 0 && time.Now().Before(wait); {
		time.Sleep(100 * time.Millisecond)
		desc, err = e.c.DescribeWorkflowExecution(ctx, id, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	if st := desc.WorkflowExecutionInfo.GetStatus(); st != enums.WORKFLOW_EXECUTION_STATUS_RUNNING || len(desc.GetPendingActivities()) > 0 {
		t.Errorf("messages workflow %s with %d activities pending, want running on its reminder timer", st, len(desc.GetPendingActivities()))
	}
	if *record {
		// The notices' first run, for the replay tests:
		// go test ./bench -run TestCampaignMessagesWorkerCrash -record -record-version v1
		save(t, &env{c: e.c}, e.c.GetWorkflow(ctx, id, desc.WorkflowExecutionInfo.GetFirstRunId()), historyName("issuance-messages", *recordVersion))
		// And the issuing run that started it as a child (issuance-io-v1).
		save(t, &env{c: e.c}, e.c.GetWorkflow(ctx, issuance.WorkflowID(c.ID), ""), historyName("issuance-io", *recordVersion))
	}
	e.c.TerminateWorkflow(ctx, id, "", "test over")
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
