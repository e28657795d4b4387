package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Telemetry traces and measures every request with OpenTelemetry. Each request
// gets a server span named after its route, continuing the caller's trace
// (W3C traceparent), and its context carries the span on: a pratica started by
// the request is traced through its workflow and activities by the Temporal
// SDK's interceptor. Every request, probes included, is counted in the
// http.server.request.duration histogram by method, route and status; the
// probes and /metrics get no spans, which would only be noise.
func Telemetry(tp trace.TracerProvider, mp metric.MeterProvider, prop propagation.TextMapPropagator) (echo.MiddlewareFunc, error) {
	tracer := tp.Tracer("github.com/sportello/sportello/api")
	duration, err := mp.Meter("github.com/sportello/sportello/api").Float64Histogram("http.server.request.duration",
		metric.WithUnit("s"), metric.WithDescription("Duration of HTTP server requests."))
	if err != nil {
		return nil, err
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			req := c.Request()
			route := c.Path()
			if route == "" {
				route = "unmatched"
			}
			probe := route == "/healthz" || route == "/readyz" || route == "/metrics"
			var span trace.Span
			if !probe {
				ctx := prop.Extract(req.Context(), propagation.HeaderCarrier(req.Header))
				ctx, span = tracer.Start(ctx, req.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
					trace.WithAttributes(attribute.String("http.request.method", req.Method), attribute.String("http.route", route),
						attribute.String("url.path", req.URL.Path)))
				c.SetRequest(req.WithContext(ctx))
			}
			err := next(c)
			if err != nil {
				// Answer now, as requestLog does, so the status is known here.
				c.Error(err)
			}
			status := c.Response().Status
			attrs := metric.WithAttributes(attribute.String("http.request.method", req.Method), attribute.String("http.route", route),
				attribute.Int("http.response.status_code", status))
			duration.Record(req.Context(), time.Since(start).Seconds(), attrs)
			if span != nil {
				span.SetAttributes(attribute.Int("http.response.status_code", status))
				// The status text only: an internal error's message may carry data.
				if status >= http.StatusInternalServerError {
					span.SetStatus(codes.Error, http.StatusText(status))
				}
				span.End()
			}
			return nil
		}
	}, nil
}
