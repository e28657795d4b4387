package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/errs"
)

const broker = "15376371009"

// bulkPosition is position(iupd) with IUVs of its own, so several can share a file.
func bulkPosition(iupd string, n int, installments bool) pagopa.GPDPosition {
	p := position(iupd, installments)
	for i := range p.PaymentOption {
		p.PaymentOption[i].IUV = fmt.Sprintf("47%013d%02d", n, i)
	}
	return p
}

func bulkClient(url string) *pagopa.Bulk {
	b := pagopa.NewBulk(url, broker, "")
	b.Backoff, b.PollEvery, b.PollMax = time.Millisecond, time.Millisecond, 4*time.Millisecond
	return b
}

// TestBulkCreateWithFaults uploads a file where one position is good, one
// duplicates an existing iupd and one has transfers that do not add up to its
// amount, through a simulator whose status answers 429 and 500 first, then
// stays IN_PROGRESS, and whose report is missing for a while.
func TestBulkCreateWithFaults(t *testing.T) {
	s := sim.New(sim.Config{Bulk: sim.BulkFaults{StatusFaults: 2, InProgressPolls: 3, ReportMissing: 2}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx := context.Background()
	if _, err := pagopa.NewClient(srv.URL, "").CreatePosition(ctx, org, bulkPosition("TARI-2", 2, false), true); err != nil {
		t.Fatal(err)
	}
	bad := bulkPosition("TARI-3", 3, false)
	bad.PaymentOption[0].Amount = 2999
	b := bulkClient(srv.URL)
	var beats []string
	var mu sync.Mutex
	b.Heartbeat = func(_ context.Context, id string, st *pagopa.UploadStatus) {
		mu.Lock()
		defer mu.Unlock()
		if st == nil {
			beats = append(beats, "-")
			return
		}
		beats = append(beats, st.OperationStatus)
	}
	got, err := b.BulkCreate(ctx, org, []pagopa.GPDPosition{bulkPosition("TARI-1", 1, true), bulkPosition("TARI-2", 9, false), bad})
	if err != nil {
		t.Fatal(err)
	}
	want := []pagopa.BulkOutcome{
		{IUPD: "TARI-1", Created: true, Status: 201},
		{IUPD: "TARI-2", Status: 409, Reason: "debt position TARI-2 already exists"},
		{IUPD: "TARI-3", Status: 400, Reason: "the transfers of iuv " + bad.PaymentOption[0].IUV + " do not add up to its amount"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if !got[1].Exists() || got[2].Exists() {
		t.Errorf("Exists: %v %v", got[1].Exists(), got[2].Exists())
	}
	wantBeats := []string{"-", "-", "-", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED_WITH_WARNINGS", "-", "-"}
	if diff := cmp.Diff(wantBeats, beats); diff != "" {
		t.Errorf("heartbeats (-want +got):\n%s", diff)
	}

	// The created position is a position like any other: the single GET
	// sees it published, and its installment is payable.
	c := pagopa.NewClient(srv.URL, "")
	p, err := c.GetPosition(ctx, org, "TARI-1")
	if err != nil || p.Status != string(pagopa.Valid) || len(p.PaymentOption) != 3 {
		t.Fatalf("TARI-1 after the upload: %+v %v", p, err)
	}
	if _, err := s.Pay(ctx, org, p.PaymentOption[1].NAV, ""); err != nil {
		t.Fatalf("pay an installment of a bulk position: %v", err)
	}
	if p, _ := c.GetPosition(ctx, org, "TARI-1"); p.Status != string(pagopa.PartiallyPaid) {
		t.Errorf("after paying: %s", p.Status)
	}
	if _, err := c.GetPosition(ctx, org, "TARI-3"); !errorsIsNotFound(err) {
		t.Errorf("the refused position exists: %v", err)
	}

	// The files list names the upload; a second upload of the same file
	// creates nothing new and says so per position.
	ids, err := b.Files(ctx, org, "", "")
	if err != nil || len(ids) != 1 {
		t.Fatalf("files: %v %v", ids, err)
	}
	s2 := bulkClient(srv.URL)
	again, err := s2.BulkCreate(ctx, org, []pagopa.GPDPosition{bulkPosition("TARI-1", 1, true)})
	if err != nil || len(again) != 1 || !again[0].Exists() {
		t.Errorf("second upload: %+v %v", again, err)
	}
}

func errorsIsNotFound(err error) bool { return errs.Is(err, errs.NotFound) }

// TestBulkWaitHonoursCancellation stops polling a file that stays
// IN_PROGRESS as soon as the context ends.
func TestBulkWaitHonoursCancellation(t *testing.T) {
	s := sim.New(sim.Config{Bulk: sim.BulkFaults{InProgressPolls: 1 << 30}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := bulkClient(srv.URL).BulkCreate(ctx, org, []pagopa.GPDPosition{bulkPosition("TARI-1", 1, false)})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
}

// TestBulkUpdateAndDelete replaces and deletes positions by file; a paid one
// is refused with 409.
func TestBulkUpdateAndDelete(t *testing.T) {
	s := sim.New(sim.Config{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx := context.Background()
	b := bulkClient(srv.URL)
	if _, err := b.BulkCreate(ctx, org, []pagopa.GPDPosition{bulkPosition("A", 1, false), bulkPosition("B", 2, false)}); err != nil {
		t.Fatal(err)
	}
	c := pagopa.NewClient(srv.URL, "")
	pb, _ := c.GetPosition(ctx, org, "B")
	if _, err := s.Pay(ctx, org, pb.PaymentOption[0].NAV, ""); err != nil {
		t.Fatal(err)
	}
	upd := bulkPosition("A", 1, false)
	upd.FullName = "Maria Rossi"
	id, err := b.Update(ctx, org, []pagopa.GPDPosition{upd, bulkPosition("B", 2, false), bulkPosition("C", 3, false)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Wait(ctx, org, id, []string{"A", "B", "C"})
	if err != nil {
		t.Fatal(err)
	}
	if st := []int{got[0].Status, got[1].Status, got[2].Status}; fmt.Sprint(st) != "[200 409 404]" {
		t.Errorf("update statuses: %v", got)
	}
	if pa, _ := c.GetPosition(ctx, org, "A"); pa.FullName != "Maria Rossi" {
		t.Errorf("A not updated: %s", pa.FullName)
	}
	id, err = b.Delete(ctx, org, []string{"A", "B"})
	if err != nil {
		t.Fatal(err)
	}
	got, err = b.Wait(ctx, org, id, []string{"A", "B"})
	if err != nil || got[0].Status != 200 || got[1].Status != 409 {
		t.Fatalf("delete: %+v %v", got, err)
	}
	if _, err := c.GetPosition(ctx, org, "A"); !errorsIsNotFound(err) {
		t.Errorf("A still there: %v", err)
	}
}

// massiveSchema compiles a component schema of the official gpd_massive_v2.json.
func massiveSchema(t *testing.T, component string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("../../../../shared/specs/pagopa/openapi", "gpd_massive_v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://sportello.test/gpd_massive_v2.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url + "#/components/schemas/" + component)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBulkAnswersMatchOfficialSchema validates the simulator's status,
// report and file list against the DTOs of gpd_massive_v2.json, and checks
// the 202 answer's Location header.
func TestBulkAnswersMatchOfficialSchema(t *testing.T) {
	s := sim.New(sim.Config{Bulk: sim.BulkFaults{InProgressPolls: 1}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx := context.Background()
	b := bulkClient(srv.URL)
	id, err := b.Upload(ctx, org, []pagopa.GPDPosition{bulkPosition("A", 1, true)})
	if err != nil {
		t.Fatal(err)
	}
	base := srv.URL + "/brokers/" + broker + "/organizations/" + org + "/debtpositions/"
	check := func(u, component string, wantStatus int) {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != wantStatus {
			t.Fatalf("GET %s: %d %s", u, res.StatusCode, data)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := massiveSchema(t, component).Validate(v); err != nil {
			t.Errorf("%s: %v\n%s", component, err, data)
		}
	}
	check(base+"file/"+id+"/report", "ProblemJson", http.StatusTooEarly)
	check(base+"file/"+id+"/status", "UploadStatusDTO", http.StatusOK)
	check(base+"file/"+id+"/status", "UploadStatusDTO", http.StatusOK)
	check(base+"file/"+id+"/report", "UploadReportDTO", http.StatusOK)
	check(base+"files?from=2000-01-01", "FileIdListResponse", http.StatusOK)
	check(base+"file/nope/status", "ProblemJson", http.StatusNotFound)
}

// TestBulkCreateResumesFromHeartbeat runs BulkCreate as an activity retried
// after a crash: the file id of its last heartbeat is resumed, and no second
// file is uploaded.
func TestBulkCreateResumesFromHeartbeat(t *testing.T) {
	s := sim.New(sim.Config{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	b := bulkClient(srv.URL)
	b.Heartbeat = pagopa.ActivityHeartbeat
	ctx := context.Background()
	id, err := b.Upload(ctx, org, []pagopa.GPDPosition{bulkPosition("A", 1, false)})
	if err != nil {
		t.Fatal(err)
	}
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	env.RegisterActivityWithOptions(func(ctx context.Context) ([]pagopa.BulkOutcome, error) {
		return b.BulkCreate(ctx, org, []pagopa.GPDPosition{bulkPosition("A", 1, false)})
	}, activity.RegisterOptions{Name: "bulk"})
	env.SetHeartbeatDetails(pagopa.BulkProgress{FileID: id})
	val, err := env.ExecuteActivity("bulk")
	if err != nil {
		t.Fatal(err)
	}
	var got []pagopa.BulkOutcome
	if err := val.Get(&got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].Created {
		t.Errorf("resumed outcome: %+v", got)
	}
	if ids, _ := b.Files(ctx, org, "", ""); len(ids) != 1 {
		t.Errorf("files uploaded: %v, want the first one only", ids)
	}
}

// TestBulkUploadSurvivesRestart keeps a file across a restart of the
// simulator with a state file: its status and report still answer, and its
// positions are there.
func TestBulkUploadSurvivesRestart(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	s := sim.New(sim.Config{StateFile: state, Bulk: sim.BulkFaults{InProgressPolls: 1}})
	srv := httptest.NewServer(s)
	ctx := context.Background()
	id, err := bulkClient(srv.URL).Upload(ctx, org, []pagopa.GPDPosition{bulkPosition("A", 1, false)})
	srv.Close()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := sim.Open(sim.Config{StateFile: state, Bulk: sim.BulkFaults{InProgressPolls: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	got, err := bulkClient(srv2.URL).Wait(ctx, org, id, []string{"A"})
	if err != nil || !got[0].Created {
		t.Fatalf("after the restart: %+v %v", got, err)
	}
	if _, err := pagopa.NewClient(srv2.URL, "").GetPosition(ctx, org, "A"); err != nil {
		t.Errorf("position after the restart: %v", err)
	}
}
