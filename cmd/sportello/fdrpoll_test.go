package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sportello/sportello/workflows"
)

// TestFdrPollSchedule starts sportello dev, finds the Schedule that polls the
// FdR API for the enti, and triggers it after a citizen paid a notice of
// Trieste: the run imports the flow the reporting simulator publishes; a
// second run imports nothing new.
func TestFdrPollSchedule(t *testing.T) {
	p := startDev(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tc, err := client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", p.tPort), Namespace: "sportello"})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	h := tc.ScheduleClient().GetHandle(ctx, "fdr-poll")
	desc, err := h.Describe(ctx)
	if err != nil {
		t.Fatalf("the fdr-poll schedule: %v", err)
	}
	act, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	if !ok || act.Workflow != workflows.FdrPollWorkflow {
		t.Fatalf("schedule action: %+v", desc.Schedule.Action)
	}

	var pos struct {
		Options []struct {
			NoticeNumber string `json:"noticeNumber"`
		} `json:"options"`
	}
	if code := p.call("POST", "/api/payments/spontaneous", p.token("mario.rossi"), map[string]any{"serviceId": "c_l424.tari", "amount": 12000}, &pos); code != http.StatusCreated {
		t.Fatalf("Trieste TARI: %d", code)
	}
	p.pay("00210240321", pos.Options[0].NoticeNumber)

	run := func(n int) workflows.FdrPollResult {
		t.Helper()
		if err := h.Trigger(ctx, client.ScheduleTriggerOptions{}); err != nil {
			t.Fatal(err)
		}
		for {
			d, err := h.Describe(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Info.RecentActions) >= n {
				r := d.Info.RecentActions[n-1].StartWorkflowResult
				var res workflows.FdrPollResult
				if err := tc.GetWorkflow(ctx, r.WorkflowID, r.FirstExecutionRunID).Get(ctx, &res); err != nil {
					t.Fatal(err)
				}
				return res
			}
			select {
			case <-ctx.Done():
				t.Fatalf("run %d never started", n)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	first := run(1)
	if ts := first.Polls["c_l424"]; ts == nil || ts.Imported != 1 || len(first.Failed) != 0 {
		t.Fatalf("first poll: %+v", first)
	}
	second := run(2)
	if ts := second.Polls["c_l424"]; ts == nil || ts.Listed != 1 || ts.Imported+ts.Revised+ts.Unchanged != 0 {
		t.Errorf("second poll: %+v", second)
	}
}
