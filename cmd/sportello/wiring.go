package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	sdkworker "go.temporal.io/sdk/worker"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/pratica/engine"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/worker"
)

// domain holds the domain services every subcommand builds the same way.
type domain struct {
	catalog *catalog.Store
	modeler *modeler.Service
	pratica *pratica.Store
}

func (a *app) domain() *domain {
	if a.dom == nil {
		cat := catalog.NewStore(a.db)
		a.dom = &domain{catalog: cat, pratica: pratica.NewStore(a.db),
			modeler: modeler.NewService(a.db, modeler.DefaultRefs(), cat, a.log)}
	}
	return a.dom
}

// startWorker registers every workflow and activity on the task queue and starts polling.
func (a *app) startWorker(ctx context.Context, publicURL string, dev bool) (sdkworker.Worker, error) {
	d := a.domain()
	w := sdkworker.New(a.temporal, a.cfg.TemporalTaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize:     a.cfg.WorkerActivities,
		MaxConcurrentWorkflowTaskExecutionSize: a.cfg.WorkerWorkflows,
		WorkerStopTimeout:                      a.cfg.ShutdownGrace,
	})
	worker.Register(w, worker.Deps{
		Pratiche: &activities.Activities{
			Projection: d.pratica,
			Plans:      planSource{m: d.modeler, c: d.catalog},
			Forms:      formValidator{m: d.modeler},
		},
	})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker on task queue %s: %w", a.cfg.TemporalTaskQueue, err)
	}
	a.log.Info("worker started", "task_queue", a.cfg.TemporalTaskQueue)
	return w, nil
}

// httpServer builds the API with every module; dev mounts the simulators and
// the local identity provider too.
func (a *app) httpServer(ctx context.Context, publicURL string, dev bool) (http.Handler, error) {
	d := a.domain()
	issuer := a.cfg.OIDCIssuer
	var idp *devidp.IdP
	if dev {
		if issuer == "" {
			issuer = publicURL + "/idp"
		}
		var err error
		idp, err = devidp.New(devidp.Config{Issuer: issuer, ClientID: a.cfg.OIDCClientID,
			RedirectURIs: []string{publicURL + "/auth/callback"}, Log: a.log.With("component", "dev-idp")})
		if err != nil {
			return nil, err
		}
	}
	if issuer == "" {
		return nil, errors.New("setting SPORTELLO_OIDC_ISSUER (--oidc-issuer): required for sportello server")
	}
	access, err := auth.New(ctx, a.db, auth.Config{Log: a.log, OIDC: auth.OIDCConfig{
		Issuer: issuer, ClientID: a.cfg.OIDCClientID, ClientSecret: a.cfg.OIDCClientSecret,
		RedirectURL: publicURL + "/auth/callback",
	}})
	if err != nil {
		return nil, fmt.Errorf("access control: %w", err)
	}
	eng := &engine.Engine{Temporal: a.temporal, Store: d.pratica, TaskQueue: a.cfg.TemporalTaskQueue, Log: a.log,
		Services: catalogServices{c: d.catalog}, Forms: d.modeler}
	modules := []api.Module{
		api.NewAdmin(access, strings.HasPrefix(publicURL, "https://")),
		&api.Pratiche{Engine: eng, Store: d.pratica},
		api.NewModeler(d.modeler),
	}
	if dev {
		modules = append(modules, rawModule{prefix: "/idp", summary: "Development identity provider (OIDC)", h: idp})
	}
	srv := api.New(api.Options{
		Log: a.log, Ready: a.ready, Metrics: a.metricsHTTP(), Version: version,
		Guard:      access.Guard,
		Middleware: auth.Middleware(auth.RateLimitConfig{PerIP: 50, IPBurst: 200, PerClient: 50, ClientBurst: 200, Skip: []string{"/healthz", "/readyz", "/metrics", "/idp", "/sim"}}, publicURL),
	}, modules...)
	return srv.Echo, nil
}

// rawModule mounts a plain http.Handler (a simulator, the dev IdP) under a prefix.
type rawModule struct {
	prefix, summary string
	h               http.Handler
}

func (m rawModule) Routes(r *api.Router) { r.Raw(m.prefix, m.summary, m.h) }

// seedDemo loads the demo data once; each area's seed is idempotent.
func (a *app) seedDemo(ctx context.Context) error {
	d := a.domain()
	if err := catalog.Seed(ctx, a.db); err != nil {
		return err
	}
	if err := a.seedGeneric(ctx); err != nil {
		return err
	}
	if err := d.modeler.Seed(ctx); err != nil {
		return err
	}
	return a.linkDemoTemplates(ctx)
}

// linkDemoTemplates points each demo service at the latest published version of
// its template (an ente's overlay when it has one), so pratiche can start.
func (a *app) linkDemoTemplates(ctx context.Context) error {
	d := a.domain()
	services, err := d.catalog.ListServices(ctx, catalog.ServiceFilter{})
	if err != nil {
		return err
	}
	for _, sv := range services {
		if sv.Ente == "" || sv.Template == nil || sv.Template.ID == "" {
			continue
		}
		id := sv.Template.ID
		if _, err := d.modeler.Store.TemplateVersion(ctx, modeler.ResolvedID(sv.Ente, id), 0); err == nil {
			id = modeler.ResolvedID(sv.Ente, id)
		}
		rec, err := d.modeler.Store.TemplateVersion(ctx, id, 0)
		if err != nil {
			a.log.Warn("demo service without a published template", "service", sv.ID, "template", id)
			continue
		}
		if sv.Template.ID == rec.ID && sv.Template.Version == rec.Version && sv.Template.Hash == rec.Hash {
			continue
		}
		if _, err := d.catalog.SetTemplate(ctx, sv.ID, catalog.TemplateRef{ID: rec.ID, Version: rec.Version, Hash: rec.Hash}, "seed"); err != nil {
			return fmt.Errorf("link %s to %s: %w", sv.ID, rec.ID, err)
		}
	}
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
	broken, err := auth.VerifyAudit(ctx, a.db)
	if err != nil {
		return err
	}
	if broken != 0 {
		return fmt.Errorf("audit log: the hash chain breaks at row %d", broken)
	}
	fmt.Fprintln(out, "audit log: the hash chain is intact")
	return nil
}
