package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/pratica/engine"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/worker"
)

// startWorker registers every workflow and activity on the task queue and starts polling.
func (a *app) startWorker(ctx context.Context, publicURL string, dev bool) (sdkworker.Worker, error) {
	w := sdkworker.New(a.temporal, a.cfg.TemporalTaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize:     a.cfg.WorkerActivities,
		MaxConcurrentWorkflowTaskExecutionSize: a.cfg.WorkerWorkflows,
		WorkerStopTimeout:                      a.cfg.ShutdownGrace,
	})
	worker.Register(w, worker.Deps{
		Pratiche: &activities.Activities{Projection: pratica.NewStore(a.db)},
	})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker on task queue %s: %w", a.cfg.TemporalTaskQueue, err)
	}
	a.log.Info("worker started", "task_queue", a.cfg.TemporalTaskQueue)
	return w, nil
}

// httpServer builds the API with every module; dev mounts the simulators too.
func (a *app) httpServer(ctx context.Context, publicURL string, dev bool) (http.Handler, error) {
	st := pratica.NewStore(a.db)
	eng := &engine.Engine{Temporal: a.temporal, Store: st, TaskQueue: a.cfg.TemporalTaskQueue, Log: a.log}
	modules := []api.Module{
		&api.Pratiche{Engine: eng, Store: st},
	}
	srv := api.New(api.Options{Log: a.log, Ready: a.ready, Metrics: a.metricsHTTP(), Version: version}, modules...)
	return srv.Echo, nil
}

// seedDemo loads the demo data once; each area's seed is idempotent.
func (a *app) seedDemo(ctx context.Context) error {
	return nil
}

func (a *app) checkMigrated(ctx context.Context) error {
	v, err := store.Version(ctx, a.db)
	if err != nil || v == 0 {
		return errors.New("database is not migrated: run `sportello migrate` first")
	}
	return nil
}

func (a *app) version(ctx context.Context) (int64, error) { return store.Version(ctx, a.db) }

func (a *app) auditVerify(ctx context.Context, out io.Writer) error {
	return errors.New("audit verify: the audit log is not wired yet")
}
