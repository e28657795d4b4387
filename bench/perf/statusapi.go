package perf

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/email"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/attachment"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/storetest"
)

func init() {
	Register(Spec{Name: "status API and inbox", Order: 20, NeedsPostgres: true, Rows: StatusRows})
}

// Targets of the status API rows.
const (
	statusRate     = 1000.0
	statusP99      = 20 * time.Millisecond
	statusMinRatio = 0.5
)

// StatusRows seeds 100,000 pratiche with 1,000,000 timeline events and
// 100,000 tasks in a PostgreSQL schema of its own, serves the pratiche
// routes with the real authentication (bearer tokens of the dev identity
// provider, verified per request, casbin) and the detail's extras (payments,
// App IO messages, e-mails, attachments), and drives each route at 1,000
// requests per second from an open-loop generator: the pratica's detail, the
// citizen's list and the operator's inbox with its filters, sorts and pages,
// each against the same server's static /healthz. Targets: p99 ≤ 20 ms and
// a throughput at least half the static endpoint's.
func StatusRows(ctx context.Context, env Env) ([]Row, error) {
	log := env.Logger()
	db, drop, err := freshSchema(ctx, env.PostgresDSN)
	if err != nil {
		return nil, err
	}
	defer drop()
	vol := Volume{Pratiche: env.Size(100_000, 200), Events: 10, Citizens: env.Size(10_000, 20), OpenShare: 5}
	t0 := time.Now()
	seeded, err := SeedProjection(ctx, db, vol)
	if err != nil {
		return nil, err
	}
	seedTook := time.Since(t0)
	log.Info("perf: seeded", "pratiche", vol.Pratiche, "events", vol.Pratiche*vol.Events, "tasks", vol.Pratiche, "took", seedTook.Round(time.Millisecond))
	srv, err := StartStatusServer(ctx, db)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	// Citizens signing in: a token each for the first 200 (minting is not measured).
	users := min(200, len(seeded.Citizens))
	tokens := make([]string, users)
	for i := range tokens {
		if tokens[i], err = srv.CitizenToken(seeded.Citizens[i]); err != nil {
			return nil, err
		}
	}
	op, err := srv.IdP.Mint(devidp.OpTrieste, devidp.MintOptions{})
	if err != nil {
		return nil, fmt.Errorf("mint operator token: %w", err)
	}
	perCitizen := vol.Pratiche / len(seeded.Citizens)
	rng := rand.New(rand.NewPCG(1, 2))
	get := func(path, token string) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if err == nil && token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req, err
	}
	inboxQueries := []string{"", "?sort=-created", "?service=servizio-5", "?overdue=true", "?q=laura", "?sort=applicant&offset=100",
		"?state=open", "?sort=office&limit=20", "?q=PERF-0000", "?offset=500&limit=50"}
	kinds := []struct {
		name string
		next func(i int) (*http.Request, error)
	}{
		{"GET /api/pratiche/:id (citizen, own pratica)", func(int) (*http.Request, error) {
			u := rng.IntN(users)
			return get("/api/pratiche/"+PraticaID(u+rng.IntN(perCitizen)*len(seeded.Citizens)), tokens[u])
		}},
		{"GET /api/pratiche (citizen's list)", func(int) (*http.Request, error) {
			return get("/api/pratiche", tokens[rng.IntN(users)])
		}},
		{"GET /api/tasks (operator inbox, filters, sorts, pages)", func(i int) (*http.Request, error) {
			return get("/api/tasks"+inboxQueries[i%len(inboxQueries)], op)
		}},
	}
	n := env.Size(8000, 40)
	c := loadClient()
	static := func() LoadResult {
		return OpenLoop(ctx, c, statusRate, n, func(int) (*http.Request, error) { return get("/healthz", "") })
	}
	// Warm up the connections, the token verification and the planner.
	OpenLoop(ctx, c, statusRate, min(n, 500), func(int) (*http.Request, error) { return get("/healthz", "") })
	var rows []Row
	for _, k := range kinds {
		OpenLoop(ctx, c, statusRate, min(n/4, 500), k.next)
		base := static()
		log.Info("perf: static endpoint", "p50", base.P50, "p99", base.P99, "rate", fmt.Sprintf("%.0f/s", base.Rate))
		one, err := Serial(ctx, c, min(n/10, 300), k.next)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", k.name, err)
		}
		got := OpenLoop(ctx, c, statusRate, n, k.next)
		if ctx.Err() != nil {
			return rows, ctx.Err()
		}
		r := Row{Name: "status API " + k.name, Unit: "ms p99", Value: ms(got.P99), Baseline: ms(base.P99),
			BaselineName: "static /healthz p99", Ratio: ratio(got.Rate, base.Rate), Target: "p99 ≤ 20 ms, ≥ 0.5x static/s"}
		r.Pass = got.Errors == 0 && got.P99 <= statusP99 && r.Ratio >= statusMinRatio
		r.Note = fmt.Sprintf("p50 %.1f ms (static %.1f ms); %.0f/s vs static %.0f/s (ratio column); %d requests at %.0f/s open loop; one at a time p50 %.2f ms",
			ms(got.P50), ms(base.P50), got.Rate, base.Rate, got.Requests, statusRate, ms(one))
		if got.Errors > 0 {
			r.Note += fmt.Sprintf("; %d errors, first: %s", got.Errors, got.FirstErr)
		}
		if len(rows) == 0 {
			r.Note += fmt.Sprintf("; seeded %d pratiche, %d events, %d tasks in %.1f s", vol.Pratiche, vol.Pratiche*vol.Events, vol.Pratiche, seedTook.Seconds())
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// freshSchema opens a migrated PostgreSQL schema of its own on dsn; drop
// removes it.
func freshSchema(ctx context.Context, dsn string) (*gorm.DB, func(), error) {
	admin, err := store.Open(store.Postgres, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres: %w", err)
	}
	b := make([]byte, 6)
	_, _ = crand.Read(b)
	schema := "perf_" + hex.EncodeToString(b)
	if err := admin.WithContext(ctx).Exec("CREATE SCHEMA " + schema).Error; err != nil {
		return nil, nil, fmt.Errorf("create schema: %w", err)
	}
	db, err := store.Open(store.Postgres, storetest.WithSearchPath(dsn, schema))
	closeAll := func() {
		if db != nil {
			if s, err := db.DB(); err == nil {
				s.Close()
			}
		}
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if s, err := admin.DB(); err == nil {
			s.Close()
		}
	}
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("open schema: %w", err)
	}
	if err := store.Migrate(ctx, db, nil); err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	return db, closeAll, nil
}

// StatusServer serves the pratiche routes as the binary does: the real
// guard (dev identity provider tokens, casbin) and the detail's extras.
type StatusServer struct {
	URL  string
	IdP  *devidp.IdP
	http *http.Server
}

// StartStatusServer serves the pratiche routes on db on a loopback port.
func StartStatusServer(ctx context.Context, db *gorm.DB) (*StatusServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	quiet := slog.New(slog.DiscardHandler)
	idp, err := devidp.New(devidp.Config{Issuer: base + "/idp", ClientID: "sportello", RedirectURIs: []string{base + "/auth/callback"}, Log: quiet})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("identity provider: %w", err)
	}
	svc, err := auth.New(ctx, db, auth.Config{Log: quiet, OIDC: auth.OIDCConfig{
		Issuer: base + "/idp", ClientID: "sportello", RedirectURL: base + "/auth/callback", RoleClaims: true}})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("access control: %w", err)
	}
	positions, messages, mails := pagopa.NewStore(db, nil), appio.NewStore(db, nil), email.NewStore(db, nil)
	files := &attachment.Service{DB: db}
	h := &api.Pratiche{Store: pratica.NewStore(db), Extras: []api.PraticaExtra{
		func(ctx context.Context, pr *pratica.Pratica) (string, any, error) {
			ps, err := positions.List(ctx, pagopa.PositionFilter{PraticaID: pr.ID})
			out := make([]pagopa.PositionView, 0, len(ps))
			for _, p := range ps {
				out = append(out, p.View(time.Now()))
			}
			return "payments", out, err
		},
		func(ctx context.Context, pr *pratica.Pratica) (string, any, error) {
			m, err := messages.List(ctx, appio.MessageFilter{PraticaID: pr.ID, Limit: 50})
			return "messages", m, err
		},
		func(ctx context.Context, pr *pratica.Pratica) (string, any, error) {
			m, err := mails.ByPratica(ctx, pr.ID)
			return "emails", m, err
		},
		func(ctx context.Context, pr *pratica.Pratica) (string, any, error) {
			f, err := files.List(ctx, pr.ID)
			return "attachments", f, err
		},
	}}
	srv := api.New(api.Options{Log: quiet, Guard: svc.Guard}, api.NewAdmin(svc, false), h)
	srv.Router.Raw("/idp", "Dev identity provider", idp)
	hs := &http.Server{Handler: srv.Echo, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("perf: status server", "err", err)
		}
	}()
	return &StatusServer{URL: base, IdP: idp, http: hs}, nil
}

// CitizenToken mints a bearer token for the citizen with codice fiscale cf.
func (s *StatusServer) CitizenToken(cf string) (string, error) {
	tok, err := s.IdP.MintClaims("perf-"+cf, map[string]any{"name": "Cittadino " + cf[:6], "fiscalNumber": "TINIT-" + cf}, devidp.MintOptions{})
	if err != nil {
		return "", fmt.Errorf("mint token for %s: %w", cf, err)
	}
	return tok, nil
}

// Close stops the server.
func (s *StatusServer) Close() { _ = s.http.Close() }
