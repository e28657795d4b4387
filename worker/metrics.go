package worker

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// NewMetricsHandler exposes the Temporal SDK's metrics (workflow and activity
// latencies, poll counts, task failures) in a Prometheus registry, so /metrics
// shows them next to the HTTP figures.
func NewMetricsHandler(reg prometheus.Registerer) client.MetricsHandler {
	return &metricsHandler{vecs: &vecs{reg: reg, m: map[string]*vec{}}}
}

type metricsHandler struct {
	vecs *vecs
	tags map[string]string
}

// vecs holds one collector per metric name. Prometheus wants the same label names
// on every sample of a metric; the SDK's tag sets differ a little between call
// sites, so the first use fixes the label names, missing ones are left empty and
// extra ones are dropped.
type vecs struct {
	mu  sync.Mutex
	reg prometheus.Registerer
	m   map[string]*vec
}

type vec struct {
	labels  []string
	counter *prometheus.CounterVec
	gauge   *prometheus.GaugeVec
	hist    *prometheus.HistogramVec
}

func (h *metricsHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	for k, v := range h.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return &metricsHandler{vecs: h.vecs, tags: merged}
}

func (h *metricsHandler) Counter(name string) client.MetricsCounter {
	v := h.vecs.get(name, "counter", h.tags)
	if v.counter == nil {
		return client.MetricsNopHandler.Counter(name)
	}
	c := v.counter.WithLabelValues(v.values(h.tags)...)
	return counterFunc(func(d int64) { c.Add(float64(d)) })
}

func (h *metricsHandler) Gauge(name string) client.MetricsGauge {
	v := h.vecs.get(name, "gauge", h.tags)
	if v.gauge == nil {
		return client.MetricsNopHandler.Gauge(name)
	}
	g := v.gauge.WithLabelValues(v.values(h.tags)...)
	return gaugeFunc(g.Set)
}

func (h *metricsHandler) Timer(name string) client.MetricsTimer {
	v := h.vecs.get(name, "timer", h.tags)
	if v.hist == nil {
		return client.MetricsNopHandler.Timer(name)
	}
	o := v.hist.WithLabelValues(v.values(h.tags)...)
	return timerFunc(func(d time.Duration) { o.Observe(d.Seconds()) })
}

func (vs *vecs) get(name, kind string, tags map[string]string) *vec {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if v, ok := vs.m[name]; ok {
		return v
	}
	labels := make([]string, 0, len(tags))
	for k := range tags {
		labels = append(labels, k)
	}
	sort.Strings(labels)
	v := &vec{labels: labels}
	metric := "temporal_" + strings.TrimPrefix(strings.ReplaceAll(name, ".", "_"), "temporal_")
	var c prometheus.Collector
	switch kind {
	case "counter":
		v.counter = prometheus.NewCounterVec(prometheus.CounterOpts{Name: metric + "_total", Help: "Temporal SDK counter " + name}, labels)
		c = v.counter
	case "gauge":
		v.gauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: metric, Help: "Temporal SDK gauge " + name}, labels)
		c = v.gauge
	default:
		v.hist = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: metric + "_seconds", Help: "Temporal SDK timer " + name,
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}}, labels)
		c = v.hist
	}
	if err := vs.reg.Register(c); err != nil {
		// Same name registered by someone else: keep the SDK quiet rather than panic.
		v = &vec{labels: labels}
	}
	vs.m[name] = v
	return v
}

func (v *vec) values(tags map[string]string) []string {
	out := make([]string, len(v.labels))
	for i, l := range v.labels {
		out[i] = tags[l]
	}
	return out
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(v float64) { f(v) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }
