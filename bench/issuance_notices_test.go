package bench

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// noticesEnv is a campaign of n debtors issued through the massive upload
// path on SQLite and the simulator, and the API serving its notices over HTTP
// to an operator of Trieste (or of Medea, another ente).
type noticesEnv struct {
	url  string
	camp *issuance.Campaign
	who  atomic.Pointer[api.Principal]
}

func newNoticesEnv(t *testing.T, n int) *noticesEnv {
	t.Helper()
	ctx := context.Background()
	db := storetest.SQLite(t)
	if err := catalog.Seed(ctx, db); err != nil {
		t.Fatal(err)
	}
	s, _ := sim.Open(sim.Config{})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	b := pagopa.NewBulk(hs.URL, sim.Broker, "")
	b.PollEvery, b.Log = 5*time.Millisecond, slog.New(slog.DiscardHandler)
	positions := pagopa.NewStore(db, nil)
	svc := &issuance.Service{Store: issuance.NewStore(db, nil), Enti: catalog.NewStore(db)}
	acts := &issuance.Activities{Store: svc.Store, Positions: positions, GPD: issuance.BulkGPD{Bulk: b, Single: pagopa.NewClient(hs.URL, "")}}
	cat, _ := catalog.NewStore(db).GetEnte(ctx, catalog.Trieste)
	plan := issuance.DemoPlan(pagopa.Creditor{FiscalCode: cat.FiscalCode, Name: cat.Name, IBAN: cat.Accounts[0].IBAN}, 2026)
	camp, err := svc.Create(ctx, catalog.Trieste, "tester", plan)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	issuance.WriteCSV(&buf, &plan, issuance.DemoRows(n, 2026))
	if _, err := svc.Upload(ctx, camp, "csv", &buf); err != nil {
		t.Fatal(err)
	}
	for {
		res, err := acts.IssueChunk(ctx, issuance.ChunkInput{CampaignID: camp.ID, Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		if res.Pending == 0 {
			break
		}
	}
	e := &noticesEnv{camp: camp}
	e.who.Store(&api.Principal{Subject: "o1", Role: api.RoleOperator, Ente: catalog.Trieste, Office: "tributi"})
	srv := api.New(api.Options{Guard: func(api.Route) echo.MiddlewareFunc {
		return func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error { api.SetPrincipal(c, e.who.Load()); return next(c) }
		}
	}}, api.NewIssuances(svc).WithNotices(positions))
	web := httptest.NewServer(srv.Echo)
	t.Cleanup(web.Close)
	e.url = web.URL
	return e
}

// get streams path into w and returns the status and the total announced.
func (e *noticesEnv) get(t *testing.T, path string, w io.Writer) (int, int) {
	t.Helper()
	res, err := http.Get(e.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(w, res.Body); err != nil {
		t.Fatal(err)
	}
	total, _ := strconv.Atoi(res.Header.Get(api.NoticesTotalHeader))
	return res.StatusCode, total
}

// TestCampaignNoticeRoutes downloads a campaign's notices through the API
// over HTTP: a zip with one PDF per debtor, a print file as one PDF, the
// total announced first; another ente's operator finds no such campaign, and
// a language the notices do not speak is refused naming the field.
func TestCampaignNoticeRoutes(t *testing.T) {
	if testing.Short() {
		t.Skip("renders hundreds of notices; skipped with -short")
	}
	const n = 300
	e := newNoticesEnv(t, n)
	base := "/api/issuances/" + e.camp.ID
	var zbuf bytes.Buffer
	code, total := e.get(t, base+"/notices.zip?lang=en", &zbuf)
	if code != http.StatusOK || total != n {
		t.Fatalf("zip: %d, total %d", code, total)
	}
	zr, err := zip.NewReader(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	pdfs := 0
	for _, f := range zr.File {
		if filepath.Ext(f.Name) == ".pdf" {
			pdfs++
		}
	}
	if pdfs != n {
		t.Errorf("zip holds %d PDFs, want one per debtor (%d)", pdfs, n)
	}
	var pbuf bytes.Buffer
	if code, _ := e.get(t, base+"/notices/print", &pbuf); code != http.StatusOK || !bytes.HasPrefix(pbuf.Bytes(), []byte("%PDF-")) ||
		!bytes.Contains(pbuf.Bytes()[max(pbuf.Len()-64, 0):], []byte("%%EOF")) {
		t.Errorf("print file: %d, %d bytes starting %q", code, pbuf.Len(), pbuf.Bytes()[:min(8, pbuf.Len())])
	}
	var body bytes.Buffer
	if code, _ := e.get(t, base+"/notices.zip?lang=xx", &body); code != http.StatusUnprocessableEntity || !bytes.Contains(body.Bytes(), []byte(`"lang"`)) {
		t.Errorf("lang=xx: %d %s", code, body.String())
	}
	e.who.Store(&api.Principal{Subject: "o2", Role: api.RoleOperator, Ente: "c_f081"})
	body.Reset()
	if code, _ := e.get(t, base+"/notices.zip", &body); code != http.StatusNotFound {
		t.Errorf("another ente's operator: %d %s", code, body.String())
	}
}

// TestCampaignNoticesMemoryFlat streams the notices zip of 1,000 and of
// 4,000 debtors over HTTP while sampling the live heap (after a collection,
// every 250 ms): its peak above the starting point does not grow with the
// number of debtors, as the render reads 500 positions at a time and streams
// each notice as it is ready.
func TestCampaignNoticesMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 5,000 notices; skipped with -short")
	}
	peaks := map[int]uint64{}
	for _, n := range []int{1000, 4000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			e := newNoticesEnv(t, n)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			var top atomic.Uint64
			stop, done := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				var ms runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-time.After(250 * time.Millisecond):
					}
					runtime.GC()
					runtime.ReadMemStats(&ms)
					if ms.HeapAlloc > base && ms.HeapAlloc-base > top.Load() {
						top.Store(ms.HeapAlloc - base)
					}
				}
			}()
			start := time.Now()
			var cw countWriter
			code, total := e.get(t, "/api/issuances/"+e.camp.ID+"/notices.zip", &cw)
			took := time.Since(start)
			close(stop)
			<-done
			if code != http.StatusOK || total != n || cw.n == 0 {
				t.Fatalf("%d debtors: %d, total %d, %d bytes", n, code, total, cw.n)
			}
			peaks[n] = top.Load()
			t.Logf("%d debtors: zip %d MB in %v (%.0f notices/s), live heap peak +%.1f MB", n, cw.n>>20, took.Round(time.Millisecond),
				float64(n)/took.Seconds(), float64(top.Load())/(1<<20))
		})
	}
	small, large := peaks[1000], peaks[4000]
	if small == 0 || large == 0 {
		t.Fatalf("peaks: %v", peaks)
	}
	if large > small*3/2+8<<20 {
		t.Errorf("live heap peak grew with the debtors: +%d KB for 1,000, +%d KB for 4,000", small>>10, large>>10)
	}
	fmt.Fprintf(os.Stderr, "campaign notices, live heap peak: 1,000 debtors +%d KB, 4,000 debtors +%d KB\n", small>>10, large>>10)
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }
