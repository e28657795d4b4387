package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// concBroker is the fiscal code of Trieste's tax concessionaire in these
// tests: its broker code at GPD's massive upload API.
const concBroker = "01234567897"

// gpdCalls is one pagoPA simulator over HTTP that counts the calls it gets:
// massive upload files by broker, single-position creations, and the
// subscription keys it was sent.
type gpdCalls struct {
	srv *httptest.Server
	sim *pagosim.Simulator

	mu      sync.Mutex
	uploads map[string]int // broker → files posted
	singles int            // positions created one a call
	keys    map[string]bool
	// onStatus, when set, is called at each status poll of a file.
	onStatus func()
}

func newGPDCalls(t *testing.T, cfg pagosim.Config) *gpdCalls {
	t.Helper()
	s, err := pagosim.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	g := &gpdCalls{sim: s, uploads: map[string]int{}, keys: map[string]bool{}}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.keys[r.Header.Get("Ocp-Apim-Subscription-Key")] = true
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/debtpositions/file") && len(parts) > 1 && parts[0] == "brokers":
			g.uploads[parts[1]]++
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/debtpositions"):
			g.singles++
		}
		on := g.onStatus
		g.mu.Unlock()
		if on != nil && strings.HasSuffix(r.URL.Path, "/status") {
			on()
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gpdCalls) counts() (uploads map[string]int, singles int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	u := map[string]int{}
	for k, v := range g.uploads {
		u[k] = v
	}
	return u, g.singles
}

// concEnte gives Trieste its tax concessionaire (segregation code 47, its
// own broker code and key) and returns the catalog.
func concEnte(t *testing.T, db *gorm.DB) *catalog.Store {
	t.Helper()
	ctx := context.Background()
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	cat := catalog.NewStore(db)
	ts, err := cat.GetEnte(ctx, catalog.Trieste)
	if err != nil {
		t.Fatal(err)
	}
	ts.Intermediaries = []catalog.Intermediary{{ID: "conc", Name: "Concessionario tributi", FiscalCode: concBroker, SegregationCode: "47", KeyRef: "pagopa/conc"}}
	if _, err := cat.PutEnte(ctx, *ts, ts.Revision); err != nil {
		t.Fatal(err)
	}
	return cat
}

// campaignWiring is the campaigns' GPD as the worker wires it, the main GPD
// at mainURL and the concessionaire's at concURL (SPORTELLO_PAGOPA_URL_CONC).
func campaignWiring(t *testing.T, cat *catalog.Store, mainURL, concURL string) *intermediaryGPD {
	t.Setenv("SPORTELLO_PAGOPA_URL_CONC", concURL)
	t.Setenv("SPORTELLO_PAGOPA_KEY_PAGOPA_CONC", "conc-secret")
	a := &app{cfg: &Config{PagoPAURL: mainURL, PagoPABroker: pagosim.Broker, PagoPAKey: "main-secret"}, log: slog.Default()}
	d := &domain{catalog: cat, payments: &pagopa.Service{GPD: pagopa.NewClient(mainURL, "main-secret")}}
	return a.campaignGPD(d)
}

// TestFurtherIntermediaryMassiveUpload: a campaign whose plan names
// Trieste's concessionaire goes to the concessionaire's GPD as one massive
// upload file, under its broker code and with its key, not one call a
// position; the main GPD gets nothing.
func TestFurtherIntermediaryMassiveUpload(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		cat := concEnte(t, db)
		mainGPD, concGPD := newGPDCalls(t, pagosim.Config{}), newGPDCalls(t, pagosim.Config{})
		gpd := campaignWiring(t, cat, mainGPD.srv.URL, concGPD.srv.URL)
		ts, _ := cat.GetEnte(ctx, catalog.Trieste)
		svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: cat}
		acts := &issuance.Activities{Store: svc.Store, Positions: pagopa.NewStore(db, nil), GPD: gpd}
		plan := issuance.DemoPlan(pagopa.Creditor{FiscalCode: ts.FiscalCode, Name: ts.Name, IBAN: ts.Accounts[0].IBAN}, 2026)
		plan.Intermediary = "conc"
		c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
		if err != nil {
			t.Fatal(err)
		}
		const n = 6
		var buf bytes.Buffer
		issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, 2026))
		if _, err := svc.Upload(ctx, c, "csv", &buf); err != nil {
			t.Fatal(err)
		}
		if res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 10}); err != nil || res.Issued != n {
			t.Fatalf("issue chunk: %+v, %v", res, err)
		}
		uploads, singles := concGPD.counts()
		if uploads[concBroker] != 1 || len(uploads) != 1 || singles != 0 {
			t.Errorf("concessionaire's GPD: files %v, single creations %d; want one file of broker %s and none", uploads, singles, concBroker)
		}
		if !concGPD.keys["conc-secret"] || len(concGPD.keys) != 1 {
			t.Errorf("concessionaire's GPD got keys %v, want conc-secret only", concGPD.keys)
		}
		if u, s := mainGPD.counts(); len(u) != 0 || s != 0 {
			t.Errorf("main GPD got files %v and %d single creations, want nothing", u, s)
		}
		var synced int64
		db.Raw("SELECT COUNT(*) FROM pagopa_positions WHERE synced").Scan(&synced)
		if synced < n {
			t.Errorf("%d positions synced, want %d", synced, n)
		}
	})
}

// groupPositions are n positions of Trieste for segregation code seg.
func groupPositions(seg string, n int) []pagopa.GPDPosition {
	var out []pagopa.GPDPosition
	for i := 0; i < n; i++ {
		iuv := fmt.Sprintf("%s%015d", seg, 7000+i)
		out = append(out, pagopa.GPDPosition{IUPD: "GRP-" + iuv, Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi", CompanyName: "Comune di Trieste",
			PaymentOption: []pagopa.GPDOption{{IUV: iuv, Amount: 5000, Description: "TARI 2026", DueDate: time.Now().AddDate(0, 1, 0),
				Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: 5000, IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/",
					RemittanceInformation: "TARI", TransferMetadata: []pagopa.GPDMetadata{}}}}}})
	}
	return out
}

// TestIntermediaryGroupsResumeAfterCrash: one activity sends a chunk whose
// positions belong to two intermediaries, each its own massive upload file.
// The worker dies while the second file is being processed; the retry,
// given the heartbeat the first attempt left, resumes both files (no new
// upload, no position created alone) and every position counts as created.
func TestIntermediaryGroupsResumeAfterCrash(t *testing.T) {
	db := storetest.SQLite(t)
	cat := concEnte(t, db)
	mainGPD := newGPDCalls(t, pagosim.Config{})
	concGPD := newGPDCalls(t, pagosim.Config{Bulk: pagosim.BulkFaults{InProgressPolls: 1}})
	gpd := campaignWiring(t, cat, mainGPD.srv.URL, concGPD.srv.URL)
	if !gpd.Heartbeats() {
		t.Fatal("the campaigns' GPD does not heartbeat its files itself: IssueChunk would overwrite them")
	}
	ps := append(groupPositions("02", 3), groupPositions("47", 3)...)
	ts, _ := cat.GetEnte(context.Background(), catalog.Trieste)

	var mu sync.Mutex
	var cancelled bool
	var cancel context.CancelFunc
	stop := make(chan struct{})
	send := func(ctx context.Context) (string, error) {
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		var created, failed int
		for _, o := range gpd.Send(ctx, ts.FiscalCode, ps) {
			if o.Err == nil && o.Refused == "" {
				created++
			} else {
				failed++
			}
		}
		return fmt.Sprintf("%d created, %d failed", created, failed), nil
	}
	// Attempt 1: the worker dies at the first status poll of the
	// concessionaire's file.
	concGPD.onStatus = func() {
		mu.Lock()
		defer mu.Unlock()
		if !cancelled {
			cancelled = true
			// The worker is told to stop: the SDK sends the heartbeat it
			// holds back (this file's), then the attempt dies.
			close(stop)
			time.Sleep(100 * time.Millisecond)
			cancel()
		}
	}
	var s testsuite.WorkflowTestSuite
	var last pagopa.BulkProgress
	env := s.NewTestActivityEnvironment()
	env.SetWorkerStopChannel(stop)
	env.RegisterActivityWithOptions(send, activity.RegisterOptions{Name: "send"})
	env.SetOnActivityHeartbeatListener(func(_ *activity.Info, d converter.EncodedValues) {
		var p pagopa.BulkProgress
		if d.HasValues() && d.Get(&p) == nil {
			last = p
		}
	})
	if _, err := env.ExecuteActivity("send"); err != nil {
		t.Fatal(err)
	}
	if len(last.Files) != 2 || last.Files[""] == "" || last.Files["conc"] == "" {
		t.Fatalf("heartbeat %+v, want the file of both intermediaries", last)
	}
	mu1, _ := mainGPD.counts()
	cu1, _ := concGPD.counts()

	// Attempt 2, with the heartbeat of attempt 1.
	env = s.NewTestActivityEnvironment()
	env.RegisterActivityWithOptions(send, activity.RegisterOptions{Name: "send"})
	env.SetHeartbeatDetails(last)
	v, err := env.ExecuteActivity("send")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	v.Get(&got)
	if got != "6 created, 0 failed" {
		t.Errorf("retry: %s, want 6 created", got)
	}
	mu2, ms := mainGPD.counts()
	cu2, cs := concGPD.counts()
	if mu2[pagosim.Broker] != 1 || cu2[concBroker] != 1 || ms != 0 || cs != 0 {
		t.Errorf("files main %v → %v, concessionaire %v → %v, single creations %d and %d: want one file each and none alone",
			mu1, mu2, cu1, cu2, ms, cs)
	}
}
