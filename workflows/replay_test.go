package workflows_test

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/workflows"
)

// TestReplaySavedHistories replays histories recorded on the embedded server
// (go test ./bench -run TestRecordHistories -record) against today's
// interpreter: a change that is not guarded by workflow.GetVersion breaks them,
// and with them every pratica in flight.
func TestReplaySavedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no saved histories in testdata: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			registerReplayed(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}

// registerReplayed registers every workflow type a kept history may record,
// under the names the worker uses, for both replay tests.
func registerReplayed(r worker.WorkflowReplayer) {
	r.RegisterWorkflowWithOptions(workflows.Pratica, workflow.RegisterOptions{Name: workflows.PraticaWorkflow})
	r.RegisterWorkflowWithOptions(workflows.Campaign, workflow.RegisterOptions{Name: workflows.CampaignWorkflow})
	r.RegisterWorkflowWithOptions(workflows.Reconciliation, workflow.RegisterOptions{Name: workflows.ReconciliationWorkflow})
	r.RegisterWorkflowWithOptions(workflows.PositionsExpiry, workflow.RegisterOptions{Name: workflows.PositionsExpiryWorkflow})
	r.RegisterWorkflowWithOptions(workflows.IssueCampaign, workflow.RegisterOptions{Name: workflows.IssueCampaignWorkflow})
	r.RegisterWorkflowWithOptions(workflows.CampaignMessages, workflow.RegisterOptions{Name: workflows.CampaignMessagesWorkflow})
}
