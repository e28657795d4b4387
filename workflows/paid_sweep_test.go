package workflows_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/worker"
	"github.com/sportello/sportello/workflows"
)

type sweepStore map[string][]pagopa.Receipt

func (s sweepStore) PaidOf(_ context.Context, id string) ([]pagopa.Receipt, error) { return s[id], nil }

type sweepWaiting []string

func (w sweepWaiting) WaitingPayment(_ context.Context, limit, offset int) ([]string, error) {
	if offset >= len(w) {
		return nil, nil
	}
	return w[offset:min(len(w), offset+limit)], nil
}

type sweepSignals []string

func (s *sweepSignals) ReceiptArrived(_ context.Context, id string, r pagopa.Receipt) error {
	*s = append(*s, id+"/"+r.ReceiptID)
	return nil
}

func TestPaidSweepResignalsWaitingPratiche(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	sent := &sweepSignals{}
	worker.Register(env, worker.Deps{Sweep: &pagopa.Sweeper{
		Receipts: sweepStore{"p-1": {{ReceiptID: "r-1"}, {ReceiptID: "r-2"}}, "p-3": {{ReceiptID: "r-3"}}},
		Waiting:  sweepWaiting{"p-1", "p-2"}, Notifier: sent}})
	env.ExecuteWorkflow(workflows.PaidSweepWorkflow)
	var n int
	if err := env.GetWorkflowResult(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(*sent) != 2 || (*sent)[0] != "p-1/r-1" || (*sent)[1] != "p-1/r-2" {
		t.Errorf("sent %d: %v, want p-1's two receipts only", n, *sent)
	}
	o := workflows.PaidSweepSchedule("q")
	if o.ID != "paid-sweep" || len(o.Spec.Intervals) != 1 || o.Spec.Intervals[0].Every != time.Hour {
		t.Errorf("schedule = %+v", o)
	}
}
