package workflows_test

import (
	"path/filepath"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
)

// TestReplaySavedHistoriesWithTracing replays every kept history on a worker
// with the SDK's OpenTelemetry tracing interceptor, as the program's workers
// now run: the interceptor only adds headers and spans, never a command or a
// marker, so histories recorded without it must replay unchanged.
func TestReplaySavedHistoriesWithTracing(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no saved histories in testdata: %v", err)
	}
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	tracing, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{Tracer: tp.Tracer("replay")})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
				Interceptors: []interceptor.WorkerInterceptor{tracing}})
			if err != nil {
				t.Fatal(err)
			}
			registerReplayed(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s with tracing: %v", f, err)
			}
		})
	}
	t.Logf("%d histories replayed with tracing, %d spans recorded", len(files), len(spans.Ended()))
}
