package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// telemetry is the process's OpenTelemetry: metrics read by the Prometheus
// exporter into the registry /metrics serves, and traces exported by OTLP
// (gRPC) when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
// is set, and not recorded at all otherwise. The standard OTEL_* variables
// (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*, ...) apply.
type telemetry struct {
	meters     metric.MeterProvider
	tracers    trace.TracerProvider
	propagator propagation.TextMapPropagator
	shutdown   []func(context.Context) error
	log        *slog.Logger
}

// secondsBuckets suit request and task latencies (OpenTelemetry's default
// buckets are meant for milliseconds).
var secondsBuckets = []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

func newTelemetry(ctx context.Context, reg prometheus.Registerer, getenv func(string) string, role string, log *slog.Logger) (*telemetry, error) {
	res, err := resource.New(ctx, resource.WithAttributes(attribute.String("service.name", "sportello"),
		attribute.String("service.version", version), attribute.String("sportello.role", role)), resource.WithFromEnv())
	if err != nil {
		return nil, fmt.Errorf("telemetry resource (OTEL_RESOURCE_ATTRIBUTES): %w", err)
	}
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("telemetry: prometheus exporter: %w", err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(exp),
		sdkmetric.WithView(sdkmetric.NewView(sdkmetric.Instrument{Unit: "s", Kind: sdkmetric.InstrumentKindHistogram},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: secondsBuckets}})))
	t := &telemetry{meters: mp, tracers: noop.NewTracerProvider(),
		propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		shutdown:   []func(context.Context) error{mp.Shutdown}, log: log}
	if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == "" {
		return t, nil
	}
	// The exporter reads the endpoint, headers, TLS and timeout from OTEL_EXPORTER_OTLP_*.
	spans, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("telemetry: OTLP exporter (OTEL_EXPORTER_OTLP_ENDPOINT): %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithBatcher(spans))
	t.tracers = tp
	t.shutdown = append(t.shutdown, tp.Shutdown)
	log.Info("traces exported by OTLP", "endpoint", firstSet(getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), getenv("OTEL_EXPORTER_OTLP_ENDPOINT")))
	return t, nil
}

func firstSet(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// telemetry sets up the process's telemetry once, for the Temporal client and the HTTP server.
func (a *app) telemetry(ctx context.Context) (*telemetry, error) {
	if a.tel == nil {
		role := a.role
		if role == "" {
			role = "dev"
		}
		t, err := newTelemetry(ctx, a.metrics, os.Getenv, role, a.log)
		if err != nil {
			return nil, err
		}
		a.tel = t
	}
	return a.tel, nil
}

// temporal gives the Temporal client its metrics handler and its tracing
// interceptor, both from the SDK's OpenTelemetry contrib package: SDK metrics
// keep every tag (workflow type, activity type, task queue, namespace) as a
// label, and a span in the caller's context is carried into the workflow and
// its activities through the Temporal headers.
func (t *telemetry) temporal(opts *client.Options) error {
	opts.MetricsHandler = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter: t.meters.Meter("temporal-sdk-go"), UseMonotonicCounters: true,
		// A meter error is a bug in an instrument's definition: log it and keep
		// the rest of the metrics rather than panic in the middle of a workflow task.
		OnError: func(err error) { t.log.Warn("temporal sdk metric", "err", err) },
	})
	tracing, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{
		Tracer: t.tracers.Tracer("temporal-sdk-go"), TextMapPropagator: t.propagator})
	if err != nil {
		return fmt.Errorf("telemetry: temporal tracing interceptor: %w", err)
	}
	opts.Interceptors = append([]interceptor.ClientInterceptor{tracing}, opts.Interceptors...)
	return nil
}

// close flushes the spans still buffered, for at most five seconds.
func (t *telemetry) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, f := range t.shutdown {
		errs = append(errs, f(ctx))
	}
	return errors.Join(errs...)
}
