package issuance_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

const tariService = "c_l424.tari"

type tariKey struct{}

func (tariKey) APIKey(_ context.Context, service string) (string, error) {
	if service == tariService {
		return "key-tari", nil
	}
	return "", errs.E(errs.NotFound, "service %s has no App IO key", service)
}

// issued uploads n demo debtors with plan into a campaign and issues them all
// against the GPD simulator over HTTP.
func issued(t *testing.T, db *gorm.DB, plan issuance.Plan, n int) (*issuance.Campaign, *issuance.Activities) {
	t.Helper()
	ctx := context.Background()
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	s, err := sim.Open(sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
	acts := &issuance.Activities{Store: svc.Store, Positions: pagopa.NewStore(db, nil), GPD: issuance.SingleGPD{GPD: pagopa.NewClient(hs.URL, "")}}
	c, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, plan.Year)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Upload(ctx, c, "csv", &buf); err != nil {
		t.Fatal(err)
	}
	for {
		res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: c.ID, Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pending == 0 {
			break
		}
	}
	return c, acts
}

func tariPlan(year int) issuance.Plan {
	plan := issuance.DemoPlan(trieste, year)
	plan.AppIOService = tariService
	return plan
}

// lostAnswer is IO as a crashing worker sees it: on the calls it picks, the
// message reaches IO but the answer never reaches our record.
type lostAnswer struct {
	issuance.IO
	lose func(n int64) bool
	n    atomic.Int64
}

func (l *lostAnswer) Submit(ctx context.Context, key string, m *appio.NewMessage) (string, error) {
	id, err := l.IO.Submit(ctx, key, m)
	if err == nil && l.lose(l.n.Add(1)) {
		return "", errors.New("worker lost after IO answered")
	}
	return id, err
}

// noticesByCode counts the notices each citizen's inbox holds.
func noticesByCode(s *appio.Simulator, codes []string, marker string) (total, dups int) {
	for _, cf := range codes {
		n := 0
		for _, m := range s.Inbox(cf) {
			if strings.Contains(m.Content.Subject, marker) {
				n++
			}
		}
		total += n
		if n > 1 {
			dups++
		}
	}
	return total, dups
}

// TestSendNoticesCrashAndThrottle sends a campaign's notices to the App IO
// simulator over HTTP with a real store on both engines: debtors without IO
// or with the service disabled go to the paper list; a worker that loses
// IO's answer after the message was delivered leaves that message unknown,
// and the retry never sends it twice; 429 answers are waited out as IO's
// Retry-After asks, and the calls never come faster than the throttle allows.
func TestSendNoticesCrashAndThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		const n = 60
		c, acts := issued(t, db, tariPlan(2027), n)
		rows := issuance.DemoRows(n, 2027)
		codes := make([]string, n)
		for i, r := range rows {
			codes[i] = r.Debtor.FiscalCode
		}
		ioSim := appio.NewSimulator(codes[5], codes[17], codes[40])
		ioSim.Block(codes[9], "key-tari")
		var mu sync.Mutex
		var calls []time.Time
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls = append(calls, time.Now())
			mu.Unlock()
			ioSim.ServeHTTP(w, r)
		}))
		defer hs.Close()
		client := appio.NewClient(hs.URL + "/api/v1")
		var waits []time.Duration
		client.Sleep = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			waits = append(waits, d)
			mu.Unlock()
			return nil
		}
		lost := &lostAnswer{IO: client, lose: func(n int64) bool { return n == 7 || n == 23 }}
		acts.IO, acts.Keys, acts.Throttle = lost, tariKey{}, issuance.NewThrottle(200)
		in := issuance.MessagesInput{CampaignID: c.ID, Kind: issuance.KindNotice, Size: 25}

		// Three 429s first: the client waits Retry-After (1 s) each time.
		ioSim.Throttle(3)
		var sum issuance.MessagesResult
		attempts := 0
		for {
			attempts++
			if attempts > 20 {
				t.Fatal("the notices never finished")
			}
			res, err := acts.SendMessages(ctx, in)
			sum.Sent += res.Sent
			sum.NotOnIO += res.NotOnIO
			sum.Disabled += res.Disabled
			sum.Unknown += res.Unknown
			if err != nil {
				continue // Temporal retries the activity with the same input
			}
			if res.Done {
				break
			}
			in.After = res.Next
		}
		if len(waits) < 3 || waits[0] != time.Second || waits[2] != time.Second {
			t.Errorf("waits on 429 = %v, want three of 1s (Retry-After)", waits)
		}
		total, dups := noticesByCode(ioSim, codes, "avviso di pagamento")
		if dups != 0 {
			t.Errorf("%d citizens got the notice twice", dups)
		}
		onIO := n - 3 - 1
		if total != onIO {
			t.Errorf("notices in the simulator = %d, want %d (one per debtor on IO)", total, onIO)
		}
		if sum.Sent != onIO-2 || sum.Unknown != 2 || sum.NotOnIO != 3 || sum.Disabled != 1 {
			t.Errorf("counts = %+v, want sent %d, unknown 2 (the lost answers), not on IO 3, disabled 1", sum, onIO-2)
		}
		counts, err := acts.Store.MessageCounts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[issuance.MessageStatus]int{}
		for _, x := range counts {
			got[x.Status] += x.Count
		}
		if got[issuance.MsgSent] != onIO-2 || got[issuance.MsgUnknown] != 2 || got[issuance.MsgNotOnIO] != 3 || got[issuance.MsgDisabled] != 1 || got[issuance.MsgSending] != 0 {
			t.Errorf("stored = %v", got)
		}
		var paper []string
		err = acts.Store.EachPaperDebtor(ctx, c.ID, func(d *issuance.PaperDebtor) error {
			paper = append(paper, d.FiscalCode+"/"+string(d.Status))
			return nil
		})
		unknown := map[string]bool{}
		var uncertain []string
		if err := db.Raw("SELECT fiscal_code FROM issuance_messages WHERE campaign_id = ? AND status = 'unknown'", c.ID).Scan(&uncertain).Error; err != nil {
			t.Fatal(err)
		}
		for _, cf := range uncertain {
			unknown[cf] = true
		}
		var want []string
		for i, cf := range codes {
			switch {
			case i == 9:
				want = append(want, cf+"/service_disabled")
			case i == 5 || i == 17 || i == 40:
				want = append(want, cf+"/not_on_io")
			case unknown[cf]:
				want = append(want, cf+"/unknown")
			}
		}
		if len(want) != 6 {
			t.Errorf("want %d on the paper list: four not reachable and the two unknown", len(want))
		}
		if err != nil || strings.Join(paper, ",") != strings.Join(want, ",") {
			t.Errorf("paper list = %v, want %v (%v)", paper, want, err)
		}
		// Running the notices again sends nothing.
		before := ioSim.Count()
		res, err := acts.SendMessages(ctx, issuance.MessagesInput{CampaignID: c.ID, Kind: issuance.KindNotice, Size: 100})
		if err != nil || res.Sent != 0 || ioSim.Count() != before {
			t.Errorf("second run: %+v %v, simulator %d → %d", res, err, before, ioSim.Count())
		}
		// 200 calls a second: never two calls closer than the pace allows
		// (a loaded machine only spreads them more).
		mu.Lock()
		defer mu.Unlock()
		first, last := 14, len(calls)-1 // after the 429s, whose retries the test does not wait out
		if min, took := time.Duration(last-first)*5*time.Millisecond*9/10, calls[last].Sub(calls[first]); took < min {
			t.Errorf("%d calls took %v: faster than 200 a second (at least %v)", last-first, took, min)
		}
	})
}
