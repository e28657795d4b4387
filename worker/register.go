// Package worker has the one registration list of workflows and activities,
// used by the binary and by every test that runs a worker.
package worker

import (
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/workflows"
)

// Registry is what a Temporal worker or a workflow test environment offers to register on.
type Registry interface {
	ActivityRegistry
	RegisterWorkflowWithOptions(w any, options workflow.RegisterOptions)
}

// ActivityRegistry is what an activity test environment offers.
type ActivityRegistry interface {
	RegisterActivityWithOptions(a any, options activity.RegisterOptions)
}

// Deps are the activity implementations, each a struct of interfaces; a nil
// field leaves its activities out (tests register only what they run).
type Deps struct {
	Pratiche *activities.Activities
	PagoPA   *pagopa.Activities
	AppIO    *appio.Activities
	Ledger   *ledger.Activities
	Expiry   *pagopa.Expiry
	Sweep    *pagopa.Sweeper
	Issuance *issuance.Activities
}

// Register registers every workflow and activity under its persisted name.
func Register(r Registry, d Deps) {
	r.RegisterWorkflowWithOptions(workflows.Pratica, workflow.RegisterOptions{Name: workflows.PraticaWorkflow})
	r.RegisterWorkflowWithOptions(workflows.Campaign, workflow.RegisterOptions{Name: workflows.CampaignWorkflow})
	r.RegisterWorkflowWithOptions(workflows.Reconciliation, workflow.RegisterOptions{Name: workflows.ReconciliationWorkflow})
	r.RegisterWorkflowWithOptions(workflows.PositionsExpiry, workflow.RegisterOptions{Name: workflows.PositionsExpiryWorkflow})
	r.RegisterWorkflowWithOptions(workflows.PaidSweep, workflow.RegisterOptions{Name: workflows.PaidSweepWorkflow})
	r.RegisterWorkflowWithOptions(workflows.FdrPoll, workflow.RegisterOptions{Name: workflows.FdrPollWorkflow})
	r.RegisterWorkflowWithOptions(workflows.IssueCampaign, workflow.RegisterOptions{Name: workflows.IssueCampaignWorkflow})
	r.RegisterWorkflowWithOptions(workflows.CampaignMessages, workflow.RegisterOptions{Name: workflows.CampaignMessagesWorkflow})
	RegisterActivities(r, d)
}

// RegisterActivities registers the activities of d alone.
func RegisterActivities(r ActivityRegistry, d Deps) {
	if a := d.Pratiche; a != nil {
		for name, fn := range map[string]any{
			activities.RecordTransition:  a.Record,
			activities.LoadPlan:          a.LoadPlan,
			activities.ValidateData:      a.ValidateData,
			activities.IssuePayment:      a.IssuePayment,
			activities.InvalidatePayment: a.InvalidatePayment,
			activities.SendMessage:       a.SendMessage,
			activities.PostLedger:        a.PostLedger,
			activities.PaymentState:      a.PaymentState,
			activities.ClosePayment:      a.ClosePayment,
			activities.FlagRefund:        a.FlagRefund,
		} {
			r.RegisterActivityWithOptions(fn, activity.RegisterOptions{Name: name})
		}
	}
	if a := d.PagoPA; a != nil {
		r.RegisterActivityWithOptions(a.IssuePosition, activity.RegisterOptions{Name: pagopa.IssuePositionName})
		r.RegisterActivityWithOptions(a.PublishPosition, activity.RegisterOptions{Name: pagopa.PublishPositionName})
		r.RegisterActivityWithOptions(a.InvalidatePosition, activity.RegisterOptions{Name: pagopa.InvalidatePositionName})
		r.RegisterActivityWithOptions(a.RenderNotice, activity.RegisterOptions{Name: pagopa.RenderNoticeName})
	}
	if a := d.AppIO; a != nil {
		r.RegisterActivityWithOptions(a.SendMessage, activity.RegisterOptions{Name: appio.SendMessageActivity})
		r.RegisterActivityWithOptions(a.PlanCampaign, activity.RegisterOptions{Name: appio.PlanCampaignActivity})
	}
	if a := d.Expiry; a != nil {
		r.RegisterActivityWithOptions(a.ExpireDue, activity.RegisterOptions{Name: pagopa.ExpireDueName})
	}
	if a := d.Sweep; a != nil {
		r.RegisterActivityWithOptions(a.SweepPaid, activity.RegisterOptions{Name: pagopa.SweepPaidName})
	}
	if a := d.Issuance; a != nil {
		r.RegisterActivityWithOptions(a.IssueChunk, activity.RegisterOptions{Name: issuance.IssueChunkName})
		r.RegisterActivityWithOptions(a.SetStatus, activity.RegisterOptions{Name: issuance.SetStatusName})
		r.RegisterActivityWithOptions(a.MessageSchedule, activity.RegisterOptions{Name: issuance.MessageScheduleName})
		r.RegisterActivityWithOptions(a.SendMessages, activity.RegisterOptions{Name: issuance.SendMessagesName})
	}
	if a := d.Ledger; a != nil {
		r.RegisterActivityWithOptions(a.ReconcileDay, activity.RegisterOptions{Name: ledger.ReconcileDayActivity})
		if a.Poller != nil {
			r.RegisterActivityWithOptions(a.PollFlows, activity.RegisterOptions{Name: ledger.PollFlowsActivity})
		}
	}
}
