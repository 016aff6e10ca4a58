package webhooks

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// Results of a webhook request, the result label of
// inkorg_webhook_requests_total.
const (
	resultAccepted     = "accepted"      // published, answered 200
	resultBadSignature = "bad_signature" // missing, malformed or wrong signature
	resultTooLarge     = "too_large"     // body over the size limit
	resultReadError    = "read_error"    // the body could not be read
	resultMalformed    = "malformed"     // signed, but not a JSON delivery; queued all the same
	resultUnavailable  = "unavailable"   // the queue did not take the body
	resultUnconfigured = "unconfigured"  // no app secret, nothing can be verified
	resultVerified     = "verified"      // handshake answered with the challenge
	resultForbidden    = "forbidden"     // handshake refused
)

// Results of applying one event, the result label of
// inkorg_ingest_events_total.
const (
	eventCreated = "created"
	// eventDuplicate is an event of a webhook Meta delivered again: it was
	// applied already.
	eventDuplicate = "duplicate"
	// eventAlreadyKnown is an event found again other than through a
	// webhook (the reconciliation poll, a reparse of stored deliveries)
	// that was applied already; it says nothing about Meta redelivering.
	eventAlreadyKnown = "already_known"
	eventError        = "error"
)

// Results of handling one delivery, the result label of
// inkorg_ingest_deliveries_total.
const (
	deliveryApplied   = "applied"   // every event applied (or none to apply)
	deliveryMalformed = "malformed" // unparseable, dropped
	deliveryRetry     = "retry"     // a store error; the queue delivers it again
)

var channels = []inbox.Channel{
	inbox.ChannelFacebookComment, inbox.ChannelMessenger,
	inbox.ChannelInstagramComment, inbox.ChannelInstagramDirect,
}

// Metrics counts what the receiver and the ingester do. A nil *Metrics is
// valid and records nothing.
type Metrics struct {
	requests *prometheus.CounterVec
	// byResult holds the requests counter of each result, looked up once.
	byResult   map[string]prometheus.Counter
	bytes      prometheus.Counter
	duration   prometheus.Histogram
	signatures *prometheus.CounterVec
	// bySecret holds the signatures counter of each secret, looked up once.
	bySecret    map[string]prometheus.Counter
	events      *prometheus.CounterVec
	deliveries  *prometheus.CounterVec
	malformedBy *prometheus.CounterVec
	skipped     *prometheus.CounterVec
	unknown     *prometheus.CounterVec
}

// NewMetrics creates the webhook metrics and, when reg is not nil,
// registers them there; registering twice with one registry panics. Every
// label value starts at zero so dashboards see a series before its first
// event.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_webhook_requests_total",
			Help: "Webhook requests from Meta, by result.",
		}, []string{"result"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "inkorg_webhook_bytes_total",
			Help: "Bytes of webhook bodies accepted and published on the deliveries queue.",
		}),
		signatures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_webhook_signatures_total",
			Help: "Webhook requests whose signature was verified, by the secret that matched (app, app_previous, instagram).",
		}, []string{"secret"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "inkorg_webhook_request_duration_seconds",
			Help:    "Time to handle a webhook POST, from the request to the answer.",
			Buckets: prometheus.DefBuckets,
		}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_ingest_events_total",
			Help: "Normalised events applied to the store, by channel and result (created; duplicate: from a webhook Meta delivered again; already_known: found again by the reconciliation poll or a reparse; error).",
		}, []string{"channel", "result"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_ingest_deliveries_total",
			Help: "Deliveries handled by the ingest worker, by result.",
		}, []string{"result"}),
		malformedBy: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_ingest_malformed_deliveries_total",
			Help: "Deliveries kept but not parsed (result malformed), by the shape of the body: object, array, string, number, bool, null, not_json or empty.",
		}, []string{"shape"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_ingest_skipped_total",
			Help: "Parts of deliveries that made no event, by reason, object and field.",
		}, []string{"reason", "object", "field"}),
		unknown: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_ingest_unknown_account_messages_total",
			Help: "Messages received for a Page or Instagram account that is not configured, by channel.",
		}, []string{"channel"}),
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.bytes, m.duration, m.signatures, m.events, m.deliveries, m.malformedBy, m.skipped, m.unknown)
	}
	m.initLabels()
	return m
}

func (m *Metrics) initLabels() {
	m.byResult = make(map[string]prometheus.Counter)
	for _, r := range []string{resultAccepted, resultBadSignature, resultTooLarge, resultReadError,
		resultMalformed, resultUnavailable, resultUnconfigured, resultVerified, resultForbidden} {
		m.byResult[r] = m.requests.WithLabelValues(r)
	}
	m.bySecret = make(map[string]prometheus.Counter)
	for _, s := range []string{secretApp, secretAppPrevious, secretInstagram} {
		m.bySecret[s] = m.signatures.WithLabelValues(s)
	}
	for _, c := range channels {
		for _, r := range []string{eventCreated, eventDuplicate, eventAlreadyKnown, eventError} {
			m.events.WithLabelValues(string(c), r)
		}
	}
	for _, r := range []string{deliveryApplied, deliveryMalformed, deliveryRetry} {
		m.deliveries.WithLabelValues(r)
	}
	for _, shape := range bodyShapes {
		m.malformedBy.WithLabelValues(shape)
	}
	for _, c := range channels {
		m.unknown.WithLabelValues(string(c))
	}
}

func (m *Metrics) request(result string) {
	if m == nil {
		return
	}
	if c, ok := m.byResult[result]; ok {
		c.Inc()
		return
	}
	m.requests.WithLabelValues(result).Inc()
}

// signature counts a request verified with the named secret.
func (m *Metrics) signature(secret string) {
	if m != nil {
		m.bySecret[secret].Inc()
	}
}

func (m *Metrics) handled(d time.Duration) {
	if m != nil {
		m.duration.Observe(d.Seconds())
	}
}

func (m *Metrics) accepted(n int) {
	if m != nil {
		m.bytes.Add(float64(n))
	}
}

func (m *Metrics) event(c inbox.Channel, result string) {
	if m != nil {
		m.events.WithLabelValues(string(c), result).Inc()
	}
}

func (m *Metrics) delivery(result string) {
	if m != nil {
		m.deliveries.WithLabelValues(result).Inc()
	}
}

// malformed counts a delivery that does not parse by the shape of its body.
func (m *Metrics) malformed(shape string) {
	if m != nil {
		m.malformedBy.WithLabelValues(shape).Inc()
	}
}

func (m *Metrics) skips(skipped map[skipKey]int) {
	if m == nil {
		return
	}
	for k, n := range skipped {
		m.skipped.WithLabelValues(string(k.Reason), k.Object, k.Field).Add(float64(n))
	}
}

func (m *Metrics) unknownAccount(c inbox.Channel) {
	if m != nil {
		m.unknown.WithLabelValues(string(c)).Inc()
	}
}
