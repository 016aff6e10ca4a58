package sender

import (
	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// Metrics are the sender's Prometheus metrics. A nil *Metrics counts into
// unregistered collectors, so tests need none.
type Metrics struct {
	sent     *prometheus.CounterVec
	failures *prometheus.CounterVec
	retried  *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	deferred prometheus.Counter
	waited   prometheus.Counter
}

// NewMetrics returns the sender's metrics, registered on reg when it is
// not nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_outbound_sent_total",
			Help: "Outbound actions the Graph API accepted, by kind.",
		}, []string{"kind"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_outbound_failed_total",
			Help: "Outbound actions that failed for good or need an agent's check, by kind and error class (token, outside_window, ambiguous, ...).",
		}, []string{"kind", "class"}),
		retried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_outbound_retries_total",
			Help: "Graph API calls that failed transiently and were retried, by class.",
		}, []string{"class"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "inkorg_outbound_call_seconds",
			Help:    "Time one Graph API call took, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 12),
		}, []string{"kind"}),
		deferred: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "inkorg_outbound_deferred_total",
			Help: "Outbound actions put off because Meta's rate limit asked to wait.",
		}),
		waited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "inkorg_outbound_throttle_wait_seconds_total",
			Help: "Seconds the sender waited before calls to respect Meta's rate limits.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.sent, m.failures, m.retried, m.latency, m.deferred, m.waited)
	}
	return m
}

func (m *Metrics) failed(a *inbox.OutboundAction, class string) {
	m.failures.WithLabelValues(string(a.Kind), class).Inc()
}
