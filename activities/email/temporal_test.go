package email_test

import (
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/email"
	"github.com/sportello/sportello/store/storetest"
)

// sendOnce runs the interpreter's SendMessage activity with Temporal's retries.
func sendOnce(ctx workflow.Context, req activities.MessageRequest) (*activities.MessageSent, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 10 * time.Millisecond, BackoffCoefficient: 1, MaximumAttempts: 5}})
	var out activities.MessageSent
	err := workflow.ExecuteActivity(ctx, activities.SendMessage, req).Get(ctx, &out)
	return &out, err
}

// TestRetriesThroughTemporal: Temporal retries the activity after a busy
// server, and the catcher gets the message once; after a lost answer the retry
// stops with email_uncertain and the catcher still holds one message.
func TestRetriesThroughTemporal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   func(c *email.Catcher)
		errType string
	}{
		{"busy twice, then sent", func(c *email.Catcher) { c.RefuseNext(2) }, ""},
		{"answer lost", func(c *email.Catcher) { c.DropAnswers(1) }, email.ErrUncertain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, c, _ := messenger(t, storetest.SQLite(t))
			tc.fault(c)
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			acts := &activities.Activities{Messages: activities.MessageRouter{"email": m}}
			env.RegisterActivityWithOptions(acts.SendMessage, activity.RegisterOptions{Name: activities.SendMessage})
			env.RegisterWorkflow(sendOnce)
			env.ExecuteWorkflow(sendOnce, request("p9/ricevuta/1", "sposa@example.it"))
			err := env.GetWorkflowError()
			var ae *temporal.ApplicationError
			switch {
			case tc.errType == "" && err != nil:
				t.Fatalf("workflow failed: %v", err)
			case tc.errType != "" && (!errors.As(err, &ae) || ae.Type() != tc.errType):
				t.Fatalf("workflow error %v, want type %s", err, tc.errType)
			}
			if n := len(c.Messages("sposa@example.it")); n != 1 {
				t.Errorf("the catcher holds %d messages, want exactly 1", n)
			}
		})
	}
}
