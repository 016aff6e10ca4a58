// Package queuemetrics instruments any inbox.Queue with Prometheus
// counters, so every adapter reports the same figures, and exports the
// state each adapter reports of its queues (length, pending, lag, dead
// letters) as gauges.
package queuemetrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// Queue wraps an inbox.Queue and counts what passes through it.
type Queue struct {
	inbox.Queue
	published *prometheus.CounterVec
	handled   *prometheus.CounterVec
	seconds   *prometheus.HistogramVec
	inFlight  *prometheus.GaugeVec
	retried   *prometheus.CounterVec
}

var _ inbox.Queue = (*Queue)(nil)

// Wrap returns q instrumented with metrics registered on reg.
func Wrap(q inbox.Queue, reg prometheus.Registerer) *Queue {
	m := &Queue{
		Queue: q,
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_queue_published_total",
			Help: "Messages published, by queue and result (ok, error).",
		}, []string{"queue", "result"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_queue_handled_total",
			Help: "Deliveries handled, by queue and result (acked, failed).",
		}, []string{"queue", "result"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "inkorg_queue_handle_seconds",
			Help:    "Time a handler took per delivery, by queue.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"queue"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "inkorg_queue_in_flight",
			Help: "Deliveries being handled now, by queue.",
		}, []string{"queue"}),
	}
	m.retried = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "inkorg_queue_redeliveries_total",
		Help: "Deliveries after the first of a message (retries after a failure, or takeovers from a consumer that died), by queue.",
	}, []string{"queue"})
	reg.MustRegister(m.published, m.handled, m.seconds, m.inFlight, m.retried)
	return m
}

// Publish counts the publish and its result.
func (m *Queue) Publish(ctx context.Context, queue string, msg inbox.OutgoingMessage) (string, error) {
	id, err := m.Queue.Publish(ctx, queue, msg)
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.published.WithLabelValues(queue, result).Inc()
	return id, err
}

// Consume wraps h to time it and count its results.
func (m *Queue) Consume(ctx context.Context, queue string, concurrency int, h inbox.Handler) error {
	inFlight := m.inFlight.WithLabelValues(queue)
	seconds := m.seconds.WithLabelValues(queue)
	acked := m.handled.WithLabelValues(queue, "acked")
	failed := m.handled.WithLabelValues(queue, "failed")
	retried := m.retried.WithLabelValues(queue)
	return m.Queue.Consume(ctx, queue, concurrency, func(ctx context.Context, d *inbox.Delivery) (err error) {
		if d.Attempt > 1 {
			retried.Inc()
		}
		inFlight.Inc()
		start := time.Now()
		returned := false
		// Deferred so that a panic, which the queue worker recovers
		// outside this wrapper, is counted as failed and goes on.
		defer func() {
			seconds.Observe(time.Since(start).Seconds())
			inFlight.Dec()
			if err != nil || !returned {
				failed.Inc()
			} else {
				acked.Inc()
			}
		}()
		err = h(ctx, d)
		returned = true
		return err
	})
}
