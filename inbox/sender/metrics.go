package sender

import (
	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/inbox/graph"
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
	m.zero()
	if reg != nil {
		reg.MustRegister(m.sent, m.failures, m.retried, m.latency, m.deferred, m.waited)
	}
	return m
}

// outboundKinds and failureClasses are the label values the metrics
// start with at zero, so rates and alerts work before the first send.
var (
	outboundKinds = []inbox.OutboundKind{
		inbox.OutboundPublicReply, inbox.OutboundPrivateReply, inbox.OutboundDirectMessage,
		inbox.OutboundHideComment, inbox.OutboundUnhideComment, inbox.OutboundDeleteComment,
	}
	failureClasses = []graph.Class{
		graph.Transient, graph.Ambiguous, graph.Token, graph.OutsideWindow,
		graph.RecipientUnavailable, graph.InvalidRequest, graph.Permission, graph.Permanent,
	}
)

// zero creates every kind and class series at zero.
func (m *Metrics) zero() {
	for _, k := range outboundKinds {
		m.sent.WithLabelValues(string(k))
		m.latency.WithLabelValues(string(k))
		for _, c := range failureClasses {
			m.failures.WithLabelValues(string(k), string(c))
		}
	}
	for _, c := range failureClasses {
		m.retried.WithLabelValues(string(c))
	}
}

func (m *Metrics) failed(a *inbox.OutboundAction, class string) {
	m.failures.WithLabelValues(string(a.Kind), class).Inc()
}
