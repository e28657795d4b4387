package main

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
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
