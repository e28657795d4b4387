package main

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sportello/sportello/pratica"
)

// attentionCounter counts the step failures that put a pratica in "needs
// attention", by step type and error type, on the program's /metrics.
func (a *app) attentionCounter() func(stepType, errorType string) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sportello_pratiche_needs_attention_total",
		Help: "Step failures of outside systems (or of the plan) that wait for an operator: retry, skip or cancel.",
	}, []string{"step_type", "error_type"})
	if err := a.metrics.Register(c); err != nil {
		var dup prometheus.AlreadyRegisteredError
		if !errors.As(err, &dup) {
			a.log.Error("register the needs-attention counter", "err", err)
			return nil
		}
		c = dup.ExistingCollector.(*prometheus.CounterVec)
	}
	return func(stepType, errorType string) { c.WithLabelValues(stepType, errorType).Inc() }
}

// registerAttentionGauge shows, on the server's /metrics, how many pratiche wait
// for an operator after a failure, read from the database at each scrape: it
// is right in every process layout, also when the worker runs elsewhere.
func (a *app) registerAttentionGauge(st *pratica.Store) {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sportello_pratiche_needing_attention",
		Help: "Pratiche now in needs_attention: a step failed and waits for an operator's retry, skip or cancel.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n, err := st.CountStatus(ctx, pratica.NeedsAttention)
		if err != nil {
			a.log.Warn("count pratiche needing attention", "err", err)
			return 0
		}
		return float64(n)
	})
	if err := a.metrics.Register(g); err != nil {
		var dup prometheus.AlreadyRegisteredError
		if !errors.As(err, &dup) {
			a.log.Error("register the needing-attention gauge", "err", err)
		}
	}
}
