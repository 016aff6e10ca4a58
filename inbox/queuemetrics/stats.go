package queuemetrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// statsTimeout bounds the queries of one scrape.
const statsTimeout = 2 * time.Second

// statsCollector reads the state of each queue from the adapter on every
// scrape, so the figures are the backend's, shared by every instance,
// rather than one process's view.
type statsCollector struct {
	sr                                inbox.StatsReporter
	queues                            []string
	length, pending, oldest, dead, up *prometheus.Desc
}

// RegisterStats registers, on reg, gauges of the length, pending count,
// oldest message age and dead letters of each named queue, read from q at
// every scrape. It does nothing when q cannot report them.
func RegisterStats(q inbox.Queue, reg prometheus.Registerer, queues ...string) {
	sr, ok := q.(inbox.StatsReporter)
	if !ok {
		return
	}
	labels := []string{"queue"}
	reg.MustRegister(&statsCollector{
		sr:     sr,
		queues: queues,
		length: prometheus.NewDesc("inkorg_queue_length",
			"Messages on the queue: ready, leased or waiting for a retry.", labels, nil),
		pending: prometheus.NewDesc("inkorg_queue_pending",
			"Messages leased to a consumer and not yet acknowledged.", labels, nil),
		oldest: prometheus.NewDesc("inkorg_queue_oldest_age_seconds",
			"Age of the oldest message on the queue: the consumers' lag.", labels, nil),
		dead: prometheus.NewDesc("inkorg_queue_dead_letters",
			"Dead letters waiting for an operator (inkorg dlq).", labels, nil),
		up: prometheus.NewDesc("inkorg_queue_stats_up",
			"1 when the queue's figures could be read at this scrape, 0 when the backend was unreachable.", labels, nil),
	})
}

func (c *statsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.length, c.pending, c.oldest, c.dead, c.up} {
		ch <- d
	}
}

func (c *statsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	for _, q := range c.queues {
		s, err := c.sr.QueueStats(ctx, q)
		if err != nil {
			ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0, q)
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1, q)
		ch <- prometheus.MustNewConstMetric(c.length, prometheus.GaugeValue, float64(s.Length), q)
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(s.Pending), q)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, s.OldestAge.Seconds(), q)
		ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(s.DeadLetters), q)
	}
}
