package engine

import (
	"context"
	"time"
)

// Reconcile starts the workflow of every pratica whose start intent is older
// than olderThan and not marked done: the pratiche of a process that crashed
// between writing the row and starting the workflow, or that Temporal refused
// for a while. A workflow that exists already counts as started, so running it
// from several processes at once is safe. It returns how many it started.
func (e *Engine) Reconcile(ctx context.Context, olderThan time.Duration) (int, error) {
	n := 0
	for {
		pending, err := e.Store.PendingStarts(ctx, time.Now().Add(-olderThan), 100)
		if err != nil || len(pending) == 0 {
			return n, err
		}
		progress := false
		for _, st := range pending {
			p, err := e.Store.Get(ctx, st.PraticaID)
			if err != nil {
				return n, err
			}
			if err := e.launch(ctx, p, &st); err != nil {
				e.Log.Warn("reconcile pratica start", "pratica", st.PraticaID, "err", err)
				continue
			}
			n, progress = n+1, true
		}
		if !progress {
			return n, nil
		}
	}
}

// RunReconciler reconciles at once (a process starting after a crash) and then
// every period, until ctx ends.
func (e *Engine) RunReconciler(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for olderThan := time.Duration(0); ; olderThan = period {
		if n, err := e.Reconcile(ctx, olderThan); err != nil && ctx.Err() == nil {
			e.Log.Error("reconcile pratica starts", "err", err)
		} else if n > 0 {
			e.Log.Info("pratiche started by the reconciler", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
