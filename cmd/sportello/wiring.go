package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	ledgersim "github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/engine"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/ui"
	"github.com/sportello/sportello/worker"
)

// domain holds the domain services every subcommand builds the same way.
type domain struct {
	catalog   *catalog.Store
	modeler   *modeler.Service
	pratica   *pratica.Store
	positions *pagopa.Store
	payments  *pagopa.Service
	messages  *appio.Store
	io        *appio.Activities
	ledger    *ledger.Service
	issuance  *issuance.Store
}

func (a *app) domain() *domain {
	if a.dom == nil {
		cat := catalog.NewStore(a.db)
		pos := pagopa.NewStore(a.db, nil)
		a.dom = &domain{catalog: cat, pratica: pratica.NewStore(a.db), positions: pos,
			modeler: modeler.NewService(a.db, catalogRefs{c: cat}, cat, a.log),
			payments: &pagopa.Service{Positions: pos, GPD: a.paymentsGPD(cat, pos),
				Taxonomy: taxonomyChecker{c: cat}, Log: a.log.With("component", "pagopa")}}
		a.dom.modeler.Links = catalogLinks{c: cat, log: a.log.With("component", "catalog")}
		a.dom.modeler.Enti = catalogRefs{c: cat}
		msgs := appio.NewStore(a.db, nil)
		a.dom.messages = msgs
		a.dom.io = &appio.Activities{IO: appio.NewClient(a.appIOURL()), Keys: ioKeys{c: cat, dev: a.dev},
			Intents: msgs, Recipients: msgs, Log: a.log.With("component", "appio")}
		a.dom.ledger = ledger.NewService(a.db, catalogEntes{c: cat}, paidReceipts(pos), catalogChart{c: cat})
		a.dom.ledger.Log = a.log.With("component", "ledger")
		a.dom.ledger.Intermediaries = catalogIntermediaries{c: cat}
		// A campaign position invalidated after issue reduces its accertamento.
		a.dom.payments.Reductions = a.dom.ledger
		a.dom.issuance = issuance.NewStore(a.db, nil)
	}
	return a.dom
}

// appIOURL is the App IO API; sportello dev uses its simulator.
func (a *app) appIOURL() string {
	if a.cfg.AppIOURL != "" {
		return a.cfg.AppIOURL
	}
	return a.publicURL() + "/sim/appio"
}

// gpdURL is the GPD API of the intermediary; sportello dev uses its simulator.
func (a *app) gpdURL() string {
	if a.cfg.PagoPAURL != "" {
		return a.cfg.PagoPAURL
	}
	return a.publicURL() + "/sim/pagopa"
}

// fdrURL is the FdR API for organisations; sportello dev uses the reporting simulator's.
func (a *app) fdrURL() string {
	if a.cfg.FdrURL != "" {
		return a.cfg.FdrURL
	}
	return a.publicURL() + "/sim/reporting/fdr"
}

func (a *app) publicURL() string {
	if a.cfg.PublicURL != "" {
		return strings.TrimRight(a.cfg.PublicURL, "/")
	}
	_, p, _ := splitHostPort(a.cfg.HTTPAddr)
	return fmt.Sprintf("http://localhost:%d", p)
}

// praticaPayments links payment steps to positions, notices and the checkout.
func (a *app) praticaPayments() *pagopa.PraticaPayments {
	d := a.domain()
	base := a.publicURL()
	return &pagopa.PraticaPayments{Payments: d.payments, Positions: d.positions,
		NoticeURL: func(p *pagopa.Position) string { return base + "/api/payments/positions/" + p.ID + "/notice" },
		PayURL: func(p *pagopa.Position, o pagopa.Option) string {
			return base + "/sim/pagopa/checkout?org=" + p.Creditor.FiscalCode + "&notice=" + o.NoticeNumber
		}}
}

// startWorker registers every workflow and activity on the task queue and starts polling.
func (a *app) startWorker(ctx context.Context) (sdkworker.Worker, error) {
	d := a.domain()
	a.workerID = workerIdentity()
	w := sdkworker.New(a.temporal, a.cfg.TemporalTaskQueue, sdkworker.Options{
		Identity:                               a.workerID,
		MaxConcurrentActivityExecutionSize:     a.cfg.WorkerActivities,
		MaxConcurrentWorkflowTaskExecutionSize: a.cfg.WorkerWorkflows,
		WorkerStopTimeout:                      a.cfg.ShutdownGrace,
	})
	worker.Register(w, worker.Deps{
		Pratiche: &activities.Activities{
			Projection:  d.pratica,
			Plans:       planSource{m: d.modeler, c: d.catalog},
			Forms:       formValidator{m: d.modeler},
			Payments:    a.praticaPayments(),
			Positions:   a.praticaPayments(),
			Refunds:     &ledger.Refunds{Service: d.ledger},
			Messages:    a.messages(),
			Ledger:      &ledger.Poster{Service: d.ledger},
			OnAttention: a.attentionCounter(),
		},
		PagoPA: &pagopa.Activities{Payments: d.payments, Positions: d.positions},
		AppIO:  d.io,
		Ledger: &ledger.Activities{Reconciler: d.ledger, Poller: &ledger.FlowPoller{Service: d.ledger, Source: fdr.NewClient(a.fdrURL(), a.cfg.FdrKey)}},
		Expiry: &pagopa.Expiry{Positions: d.positions},
		Sweep: &pagopa.Sweeper{Receipts: d.positions, Waiting: waitingPratiche{s: d.pratica},
			Notifier: receiptSignal{engine: &engine.Engine{Temporal: a.temporal, Store: d.pratica, TaskQueue: a.cfg.TemporalTaskQueue, Log: a.log}}},
		// Campaigns go to GPD by its massive upload API; an ente's further
		// intermediaries each get their own GPD's massive upload.
		Issuance: &issuance.Activities{Store: d.issuance, Positions: d.positions,
			GPD: a.campaignGPD(d),
			Log: a.log.With("component", "issuance"), Accounting: ledgerAccounting{l: d.ledger},
			IO: d.io.IO, Keys: d.io.Keys, Throttle: issuance.NewThrottle(float64(a.cfg.AppIORate))},
	})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker on task queue %s: %w", a.cfg.TemporalTaskQueue, err)
	}
	a.log.Info("worker started", "task_queue", a.cfg.TemporalTaskQueue)
	return w, nil
}

// httpServer builds the API with every module; dev mounts the simulators and
// the local identity provider too.
func (a *app) httpServer(ctx context.Context) (http.Handler, error) {
	d := a.domain()
	publicURL, dev := a.publicURL(), a.dev
	issuer := a.cfg.OIDCIssuer
	var idp *devidp.IdP
	if dev {
		if issuer == "" {
			issuer = publicURL + "/idp"
		}
		var err error
		idp, err = devidp.New(devidp.Config{Issuer: issuer, ClientID: a.cfg.OIDCClientID,
			RedirectURIs: []string{publicURL + "/auth/callback"}, Log: a.log.With("component", "dev-idp"),
			KeyFile: filepath.Join(a.cfg.DataDir, "devidp-keys.pem")})
		if err != nil {
			return nil, err
		}
	}
	if issuer == "" {
		return nil, errors.New("setting SPORTELLO_OIDC_ISSUER (--oidc-issuer): required for sportello server")
	}
	// The dev provider's demo staff carry their roles as claims.
	roleClaims := a.cfg.OIDCRoleClaims || idp != nil && issuer == idp.Issuer()
	access, err := auth.New(ctx, a.db, auth.Config{Log: a.log, Orgs: catalogOrgs{c: d.catalog}, OIDC: auth.OIDCConfig{
		Issuer: issuer, ClientID: a.cfg.OIDCClientID, ClientSecret: a.cfg.OIDCClientSecret,
		RedirectURL: publicURL + "/auth/callback", RoleClaims: roleClaims,
	}})
	if err != nil {
		return nil, fmt.Errorf("access control: %w", err)
	}
	admins, _ := regionalAdmins(a.cfg.RegionalAdmins) // validated with the configuration
	if err := access.EnsureRegionalAdmins(ctx, admins, "setting:SPORTELLO_REGIONAL_ADMINS"); err != nil {
		return nil, err
	}
	go access.Run(ctx, 10*time.Minute)
	a.registerAttentionGauge(d.pratica)
	eng := &engine.Engine{Temporal: a.temporal, Store: d.pratica, TaskQueue: a.cfg.TemporalTaskQueue, Log: a.log,
		Services: catalogServices{c: d.catalog}, Forms: d.modeler, Offices: d.catalog}
	// Pratiche whose workflow a crash kept from starting are started now, and
	// any Temporal refused for a while, every half minute.
	go eng.RunReconciler(ctx, 30*time.Second)
	receipts := &pagopa.Receipts{Store: d.positions, Notifier: receiptSignal{engine: eng}, Log: a.log.With("component", "receipts")}
	pay := api.NewPayments(receipts, d.positions, &pagopa.Spontaneous{Services: spontaneousCatalog{c: d.catalog}, Payments: d.payments},
		func(ctx context.Context, ente string) (string, error) {
			e, err := d.catalog.GetEnte(ctx, ente)
			if err != nil {
				return "", err
			}
			return e.FiscalCode, nil
		})
	pay.EnteOf = catalogEntes{c: d.catalog}.ByFiscalCode
	notif := api.NewNotifications(&appio.Launcher{Temporal: a.temporal, TaskQueue: a.cfg.TemporalTaskQueue, Planner: d.io}, d.messages)
	files, err := a.attachments(ctx, d)
	if err != nil {
		return nil, err
	}
	eng.Attachments = files.Service
	modules := []api.Module{
		api.NewAdmin(access, strings.HasPrefix(publicURL, "https://")),
		&api.Pratiche{Engine: eng, Store: d.pratica, Extras: []api.PraticaExtra{pay.PraticaExtra(), notif.PraticaExtra(), a.emailExtra(), files.PraticaExtra()}},
		api.NewModeler(d.modeler),
		api.NewCatalog(d.catalog, d.positions),
		pay,
		notif,
		api.NewReconciliation(d.ledger),
		api.NewLedgerAccounting(d.ledger),
		&api.DryRun{Plans: d.modeler, ServiceInfo: planSource{m: d.modeler, c: d.catalog}.ServiceInfo},
		api.NewPortal(d.catalog, d.modeler),
		api.NewIssuances(&issuance.Service{Store: d.issuance, Enti: d.catalog, Taxonomy: taxonomyChecker{c: d.catalog},
			Engine: &issuance.Launcher{Temporal: a.temporal, TaskQueue: a.cfg.TemporalTaskQueue},
			IO:     d.io.IO, Keys: d.io.Keys, Throttle: issuance.NewThrottle(float64(a.cfg.AppIORate))}).WithNotices(d.positions).WithInvalidator(d.payments),
		files,
		&api.PraticaReceipts{Pratiche: d.pratica, Positions: d.positions},
		&api.Taxes{Holdings: d.issuance, Positions: d.positions},
	}
	if dev {
		key, err := a.simKey(ctx, access)
		if err != nil {
			return nil, err
		}
		f, _ := parseFaults(a.cfg.SimFaults) // validated with the configuration
		pagoSim, err := pagosim.Open(pagosim.Config{ReceiptURL: publicURL + "/api/payments/receipts/soap",
			Delay: f.Delay, ErrorRate: f.ErrorRate, RejectRate: f.RejectRate, DuplicateReceipts: f.Duplicates, Bulk: f.Bulk,
			// The node retries a receipt our station refused (e.g. while Temporal
			// is still starting after a restart): 8 posts over about 13 seconds.
			DeliveryAttempts: 8,
			ReceiptHeaders:   map[string]string{api.APIKeyHeader: key}, Log: a.log.With("component", "pagopa-sim"),
			AuxDigit: a.auxDigits(ctx), StateFile: filepath.Join(a.cfg.DataDir, "pagopa-sim.json")})
		if err != nil {
			return nil, err
		}
		ioSim, err := appio.NewSimulator("BNCGLI85C55L424K").WithStateFile(filepath.Join(a.cfg.DataDir, "appio-sim.json"))
		if err != nil {
			return nil, err
		}
		a.sims = append(a.sims, pagoSim, ioSim) // their logs are folded on stop
		modules = append(modules,
			rawModule{prefix: "/idp", summary: "Development identity provider (OIDC)", h: idp},
			rawModule{prefix: "/sim/pagopa", summary: "pagoPA simulator: GPD API, checkout, paid payments", h: pagoSim},
			rawModule{prefix: "/sim/appio", summary: "App IO simulator: services API and an inbox per codice fiscale", h: ioSim},
			rawModule{prefix: "/sim/reporting", summary: "PSP and treasury simulator: a day's FdR and giornale di cassa", h: &ledgersim.Handler{
				// The treasury bank of the demo enti (ABI 02008), writing causali with the spacing banks do.
				Reporter: ledgersim.Reporter{ABI: "02008", BankSpacing: true, IntermediaryOf: furtherIntermediary(d.catalog)},
				PagoPA:   publicURL + "/sim/pagopa", Importer: d.ledger}})
	}
	if a.catcher != nil {
		modules = append(modules, rawModule{prefix: "/sim/mail", summary: "Mail catcher: the e-mail sportello dev sent, an inbox per address", h: a.catcher})
	}
	// The portal is mounted last: it answers every path no other route claims.
	modules = append(modules, rawModule{prefix: "", summary: "Web portal (single-page app)", h: ui.Handler()})
	proxies, _ := api.ParseCIDRs(a.cfg.TrustedProxies) // validated with the configuration
	tel, err := a.telemetry(ctx)
	if err != nil {
		return nil, err
	}
	// Telemetry first: refused (rate-limited) requests are measured too.
	traced, err := api.Telemetry(tel.tracers, tel.meters, tel.propagator)
	if err != nil {
		return nil, fmt.Errorf("telemetry: http: %w", err)
	}
	srv := api.New(api.Options{
		Log: a.log, TrustedProxies: proxies, Ready: a.ready, Metrics: a.metricsHTTP(), Version: version,
		Guard:      access.Guard,
		Middleware: append([]echo.MiddlewareFunc{traced}, auth.Middleware(rateLimit(), publicURL)...),
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
	if _, err := d.messages.SeedDemoCards(ctx, time.Now()); err != nil {
		return fmt.Errorf("identity cards: %w", err)
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

// simKey is the API key the pagoPA simulator presents when it posts receipts,
// as the intermediary's node would: the station key of the regional
// intermediary, serving every ente of the catalog. It is kept in <data-dir> so
// a restart reuses it, and made again when the catalog has gained enti.
func (a *app) simKey(ctx context.Context, access *auth.Service) (string, error) {
	enti, err := a.domain().catalog.ListEnti(ctx)
	if err != nil {
		return "", fmt.Errorf("simulator key: %w", err)
	}
	serves := []string{}
	for _, e := range enti {
		if e.Kind != catalog.KindRegion {
			serves = append(serves, e.ID)
		}
	}
	if len(serves) == 0 {
		return "", nil // no enti yet (no demo data): nobody to post receipts for
	}
	path := filepath.Join(a.cfg.DataDir, "pagopa-sim.key")
	if b, err := os.ReadFile(path); err == nil {
		if p, err := access.Keys.Authenticate(ctx, strings.TrimSpace(string(b))); err == nil && p.Creator != nil && servesAll(p, serves) {
			return strings.TrimSpace(string(b)), nil
		}
	}
	by := &api.Principal{Subject: "sportello-dev", Role: api.RoleRegionalAdmin, Ente: api.Region}
	k, err := access.CreateKey(ctx, by, serves[0], api.NewAPIKey{Name: "pagoPA station of the intermediary (dev simulator)",
		Scopes: []string{"receipt:create"}, Serves: serves})
	if err != nil {
		return "", fmt.Errorf("simulator key: %w", err)
	}
	if err := os.WriteFile(path, []byte(k.Secret), 0o600); err != nil {
		return "", fmt.Errorf("simulator key: %w", err)
	}
	return k.Secret, nil
}

// auxDigits tells the simulator each ente's aux digit and application code, as
// the node knows them from the enti's station configuration.
func (a *app) auxDigits(ctx context.Context) func(org string) (int, string) {
	c := a.domain().catalog
	return func(org string) (int, string) {
		enti, err := c.ListEnti(context.WithoutCancel(ctx))
		if err != nil {
			return -1, ""
		}
		for _, e := range enti {
			if e.FiscalCode == org {
				aux, err := strconv.Atoi(e.AuxDigit)
				if err != nil {
					return -1, ""
				}
				return aux, e.ApplicationCode
			}
		}
		return -1, ""
	}
}

// rateLimit is the default limit; the simulators are called by the server
// itself (GPD, receipts) and are not limited.
func rateLimit() auth.RateLimitConfig {
	rl := auth.DefaultRateLimit
	rl.Skip = append(append([]string(nil), rl.Skip...), "/sim/", "/assets/")
	return rl
}

func servesAll(p *api.Principal, enti []string) bool {
	for _, e := range enti {
		if !p.ServesEnte(e) {
			return false
		}
	}
	return true
}
