// Package worker has the one registration list of workflows and activities,
// used by the binary and by every test that runs a worker.
package worker

import (
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/workflows"
)

// Registry is what a Temporal worker or a test environment offers to register on.
type Registry interface {
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
	RegisterActivityWithOptions(a any, options activity.RegisterOptions)
}

// Deps are the activity implementations, each a struct of interfaces.
type Deps struct {
	Pratiche *activities.Activities
}

// Register registers every workflow and activity under its persisted name.
func Register(r Registry, d Deps) {
	r.RegisterWorkflowWithOptions(workflows.Pratica, workflow.RegisterOptions{Name: workflows.PraticaWorkflow})
	if d.Pratiche != nil {
		r.RegisterActivityWithOptions(d.Pratiche.Record, activity.RegisterOptions{Name: activities.RecordTransition})
		r.RegisterActivityWithOptions(d.Pratiche.LoadPlan, activity.RegisterOptions{Name: activities.LoadPlan})
		r.RegisterActivityWithOptions(d.Pratiche.ValidateData, activity.RegisterOptions{Name: activities.ValidateData})
		r.RegisterActivityWithOptions(d.Pratiche.IssuePayment, activity.RegisterOptions{Name: activities.IssuePayment})
		r.RegisterActivityWithOptions(d.Pratiche.InvalidatePayment, activity.RegisterOptions{Name: activities.InvalidatePayment})
		r.RegisterActivityWithOptions(d.Pratiche.SendMessage, activity.RegisterOptions{Name: activities.SendMessage})
		r.RegisterActivityWithOptions(d.Pratiche.PostLedger, activity.RegisterOptions{Name: activities.PostLedger})
	}
}
