package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"

	enumspb "go.temporal.io/api/enums/v1"
)

// workerIdentity names this process's worker uniquely: a worker restarted
// after a crash must not be mistaken for its dead predecessor, whose pollers
// Temporal keeps listing for a while.
func workerIdentity() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%d@%s@sportello-%s", os.Getpid(), host, hex.EncodeToString(b))
}

// workerServed reports whether Temporal lists this process's worker among the
// pollers of its task queue, for workflow and activity tasks alike: only then
// do pratiche move. Temporal answering a health check is not enough: after a
// crash it can answer long before it hands out tasks.
func (a *app) workerServed(ctx context.Context) error {
	for _, kind := range []enumspb.TaskQueueType{enumspb.TASK_QUEUE_TYPE_WORKFLOW, enumspb.TASK_QUEUE_TYPE_ACTIVITY} {
		resp, err := a.temporal.DescribeTaskQueue(ctx, a.cfg.TemporalTaskQueue, kind)
		if err != nil {
			return fmt.Errorf("temporal: describe task queue %s: %w", a.cfg.TemporalTaskQueue, err)
		}
		served := false
		for _, p := range resp.GetPollers() {
			served = served || p.GetIdentity() == a.workerID
		}
		if !served {
			return fmt.Errorf("temporal: the worker is not polling task queue %s (%s tasks) yet", a.cfg.TemporalTaskQueue, kind)
		}
	}
	return nil
}
