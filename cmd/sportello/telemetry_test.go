package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
)

// otlpReceiver is an OTLP/gRPC trace endpoint, as a collector offers: it keeps
// every span it is sent.
type otlpReceiver struct {
	coltracepb.UnimplementedTraceServiceServer
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (r *otlpReceiver) Export(_ context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			r.spans = append(r.spans, ss.GetSpans()...)
		}
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

// trace returns the names of the spans of the trace a span named root belongs to.
func (r *otlpReceiver) trace(root string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var id []byte
	for _, s := range r.spans {
		if s.GetName() == root {
			id = s.GetTraceId()
		}
	}
	var names []string
	for _, s := range r.spans {
		if id != nil && hex.EncodeToString(s.GetTraceId()) == hex.EncodeToString(id) {
			names = append(names, s.GetName())
		}
	}
	sort.Strings(names)
	return names
}

func startOTLPReceiver(t *testing.T) (*otlpReceiver, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &otlpReceiver{}
	srv := grpc.NewServer()
	coltracepb.RegisterTraceServiceServer(srv, r)
	go srv.Serve(ln)
	t.Cleanup(srv.Stop)
	return r, "http://" + ln.Addr().String()
}

// series is one sample line of the Prometheus text format: name and labels.
type series struct {
	name   string
	labels map[string]string
}

var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? `)
var labelPair = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)

func scrape(t *testing.T, url string) []series {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []series
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := sampleLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		s := series{name: m[1], labels: map[string]string{}}
		for _, l := range labelPair.FindAllStringSubmatch(m[2], -1) {
			s.labels[l[1]] = l[2]
		}
		out = append(out, s)
	}
	return out
}

// find returns the series named name whose labels include want.
func find(all []series, name string, want map[string]string) []series {
	var out []series
	for _, s := range all {
		if s.name != name {
			continue
		}
		ok := true
		for k, v := range want {
			ok = ok && s.labels[k] == v
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// TestTelemetryOfAPratica runs a pratica through the real program and reads its
// telemetry as an operator's tools would: /metrics has the Temporal SDK's
// workflow and activity series with their labels (workflow type, activity
// type, task queue) and the HTTP series by route and status; an OTLP receiver
// gets one trace from the HTTP request that started the pratica through its
// workflow and activities; and every panel of the Grafana dashboard in deploy/
// asks for a metric the program exports.
func TestTelemetryOfAPratica(t *testing.T) {
	recv, endpoint := startOTLPReceiver(t)
	// The program inherits these: OTLP to the receiver, spans sent every 100 ms.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
	p := startDev(t)
	citizen, operator := p.token("mario.rossi"), p.token("op.trieste")
	id := p.startGeneric(citizen)
	p.waitStatus(id, citizen, "registered")
	if code := p.call("POST", "/api/pratiche/"+id+"/actions", operator, map[string]any{"action": "acknowledge"}, nil); code != http.StatusOK {
		t.Fatalf("acknowledge = %d", code)
	}
	p.waitStatus(id, citizen, "completed")

	var all []series
	deadline := time.Now().Add(30 * time.Second)
	for {
		// The SDK records a workflow's completion when its last task is done.
		all = scrape(t, p.url("/metrics"))
		if len(find(all, "temporal_workflow_completed_total", map[string]string{"workflow_type": "Pratica"})) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
	}{
		{"temporal_workflow_completed_total", map[string]string{"workflow_type": "Pratica", "task_queue": "sportello", "namespace": "sportello"}},
		{"temporal_workflow_endtoend_latency_seconds_bucket", map[string]string{"workflow_type": "Pratica", "task_queue": "sportello"}},
		{"temporal_activity_execution_latency_seconds_bucket", map[string]string{"workflow_type": "Pratica", "task_queue": "sportello"}},
		{"temporal_workflow_task_schedule_to_start_latency_seconds_bucket", map[string]string{"task_queue": "sportello"}},
		{"http_server_request_duration_seconds_count", map[string]string{"http_request_method": "POST", "http_route": "/api/pratiche", "http_response_status_code": "201"}},
		{"http_server_request_duration_seconds_bucket", map[string]string{"http_request_method": "GET", "http_route": "/api/pratiche/:id", "http_response_status_code": "200"}},
	} {
		got := find(all, c.name, c.labels)
		if len(got) == 0 {
			t.Errorf("/metrics has no %s with %v", c.name, c.labels)
			continue
		}
		if c.name == "temporal_activity_execution_latency_seconds_bucket" && got[0].labels["activity_type"] == "" {
			t.Errorf("%s without its activity_type: %v", c.name, got[0].labels)
		}
	}

	// One trace from the request through the workflow and its activities.
	var names []string
	deadline = time.Now().Add(30 * time.Second)
	for {
		names = recv.trace("POST /api/pratiche")
		joined := strings.Join(names, "\n")
		if strings.Contains(joined, "RunWorkflow:Pratica") && strings.Contains(joined, "RunActivity:") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("the trace of POST /api/pratiche: %d spans, %s", len(names), strings.Join(uniq(names), ", "))
	for _, want := range []string{"POST /api/pratiche", "StartWorkflow:Pratica", "RunWorkflow:Pratica", "StartActivity:", "RunActivity:"} {
		found := false
		for _, n := range names {
			found = found || strings.HasPrefix(n, want)
		}
		if !found {
			t.Errorf("the trace of the request that started the pratica has no %q span: %v", want, uniq(names))
		}
	}

	exported := map[string]bool{}
	for _, s := range all {
		exported[s.name] = true
	}
	for _, panel := range dashboardPanels(t) {
		for _, m := range panel.metrics {
			if !exported[m] {
				t.Errorf("dashboard panel %q asks for %s, which /metrics does not export", panel.title, m)
			}
		}
	}
}

func uniq(names []string) []string {
	var out []string
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			out = append(out, n)
		}
	}
	return out
}

type panel struct {
	title   string
	metrics []string
}

// promMetric finds the metric names of a PromQL expression: each is followed
// by a selector or a range ({...} or [...]); functions and "by (...)" by a parenthesis.
var promMetric = regexp.MustCompile(`([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{\[]`)

// dashboardPanels reads deploy/grafana/sportello.json: every panel, with the
// metrics its queries name.
func dashboardPanels(t *testing.T) []panel {
	t.Helper()
	f, err := os.Open("../../deploy/grafana/sportello.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	var d struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("deploy/grafana/sportello.json: %v", err)
	}
	if d.Title == "" || d.UID == "" || len(d.Panels) < 6 {
		t.Fatalf("dashboard %q (uid %q) with %d panels, want a title, a uid and the main figures", d.Title, d.UID, len(d.Panels))
	}
	var out []panel
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		pn := panel{title: p.Title}
		for _, tg := range p.Targets {
			for _, m := range promMetric.FindAllStringSubmatch(tg.Expr, -1) {
				pn.metrics = append(pn.metrics, m[1])
			}
		}
		if p.Title == "" || len(pn.metrics) == 0 {
			t.Errorf("dashboard panel %q names no metric (each metric needs a selector {} or a range [])", p.Title)
		}
		out = append(out, pn)
	}
	return out
}

// TestGrafanaDashboardParses checks the dashboard without the program: it
// parses and each panel names metrics (TestTelemetryOfAPratica checks that the
// program exports them).
func TestGrafanaDashboardParses(t *testing.T) {
	for _, p := range dashboardPanels(t) {
		for _, m := range p.metrics {
			if !strings.HasPrefix(m, "temporal_") && !strings.HasPrefix(m, "http_server_") && !strings.HasPrefix(m, "sportello_") {
				t.Errorf("panel %q: %s is none of ours (temporal_, http_server_, sportello_)", p.title, m)
			}
		}
	}
}
