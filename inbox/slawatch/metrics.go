package slawatch

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// Metrics are the operators' response-time metrics: the backlog, the age
// of the oldest unanswered conversation and SLA notifications.
type Metrics struct {
	backlog          *prometheus.GaugeVec
	oldestUnanswered prometheus.Gauge
	breaches         *prometheus.CounterVec
	atRisk           *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg. The counters start at zero
// for each of the policies, so that they are exported before the first
// notification.
func NewMetrics(reg prometheus.Registerer, policies ...string) *Metrics {
	m := &Metrics{
		backlog: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "inkorg_backlog",
			Help: "Unresolved conversations by status and administration.",
		}, []string{"status", "administration"}),
		oldestUnanswered: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "inkorg_oldest_unanswered_seconds",
			Help: "Age of the oldest citizen message in an unresolved conversation that no sent reply has followed; 0 when there is none.",
		}),
		breaches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_sla_breaches_total",
			Help: "Conversations that breached their SLA, by policy.",
		}, []string{"policy"}),
		atRisk: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_sla_at_risk_total",
			Help: "Conversations that became at risk of breaching their SLA, by policy.",
		}, []string{"policy"}),
	}
	reg.MustRegister(m.backlog, m.oldestUnanswered, m.breaches, m.atRisk)
	for _, p := range policies {
		m.breaches.WithLabelValues(p)
		m.atRisk.WithLabelValues(p)
	}
	return m
}

// setBacklog replaces the backlog gauges with counts.
func (m *Metrics) setBacklog(counts []inbox.Backlog, oldest, now time.Time) {
	if m == nil {
		return
	}
	m.backlog.Reset()
	// Every status has a series, zero when nothing is in it.
	for _, st := range []inbox.Status{inbox.StatusNew, inbox.StatusOpen, inbox.StatusPending, inbox.StatusRouted} {
		m.backlog.WithLabelValues(string(st), "").Set(0)
	}
	for _, b := range counts {
		m.backlog.WithLabelValues(string(b.Status), b.AdministrationID).Set(float64(b.Count))
	}
	age := 0.0
	if !oldest.IsZero() && now.After(oldest) {
		age = now.Sub(oldest).Seconds()
	}
	m.oldestUnanswered.Set(age)
}

// notified counts one SLA notification.
func (m *Metrics) notified(policy string, state inbox.SLAState) {
	if m == nil {
		return
	}
	switch state {
	case inbox.SLABreached:
		m.breaches.WithLabelValues(policy).Inc()
	case inbox.SLAAtRisk:
		m.atRisk.WithLabelValues(policy).Inc()
	}
}
