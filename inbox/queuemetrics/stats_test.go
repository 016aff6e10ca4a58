package queuemetrics_test

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"inkorg/inbox"
	"inkorg/inbox/queuemetrics"
	"inkorg/inbox/sqlq"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

func openQueue(t *testing.T) (*sqlstore.DB, *sqlq.Queue) {
	t.Helper()
	db := sqlstoretest.SQLite(t)
	return db, sqlq.New(db, sqlq.Options{})
}

func TestRegisterStats(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		_, q := openQueue(t)
		for range 2 {
			if _, err := q.Publish(context.Background(), inbox.QueueDeliveries, inbox.OutgoingMessage{Body: []byte("x")}); err != nil {
				t.Fatal(err)
			}
		}
		reg := prometheus.NewRegistry()
		queuemetrics.RegisterStats(q, reg, inbox.QueueDeliveries, inbox.QueueOutbound)
		want := `
# HELP inkorg_queue_length Messages on the queue: ready, leased or waiting for a retry.
# TYPE inkorg_queue_length gauge
inkorg_queue_length{queue="deliveries"} 2
inkorg_queue_length{queue="outbound"} 0
# HELP inkorg_queue_dead_letters Dead letters waiting for an operator (inkorg dlq).
# TYPE inkorg_queue_dead_letters gauge
inkorg_queue_dead_letters{queue="deliveries"} 0
inkorg_queue_dead_letters{queue="outbound"} 0
# HELP inkorg_queue_stats_up 1 when the queue's figures could be read at this scrape, 0 when the backend was unreachable.
# TYPE inkorg_queue_stats_up gauge
inkorg_queue_stats_up{queue="deliveries"} 1
inkorg_queue_stats_up{queue="outbound"} 1
`
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
			"inkorg_queue_length", "inkorg_queue_dead_letters", "inkorg_queue_stats_up"); err != nil {
			t.Error(err)
		}
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() != "inkorg_queue_oldest_age_seconds" {
				continue
			}
			for _, m := range f.GetMetric() {
				age, queue := m.GetGauge().GetValue(), m.GetLabel()[0].GetValue()
				if (queue == "outbound" && age != 0) || age < 0 {
					t.Errorf("oldest age of %s: got %v, want 0 when empty and never below", queue, age)
				}
			}
		}
	})

	t.Run("ErrUnavailable", func(t *testing.T) {
		db, q := openQueue(t)
		db.Close()
		reg := prometheus.NewRegistry()
		queuemetrics.RegisterStats(q, reg, inbox.QueueDeliveries)
		want := `
# HELP inkorg_queue_stats_up 1 when the queue's figures could be read at this scrape, 0 when the backend was unreachable.
# TYPE inkorg_queue_stats_up gauge
inkorg_queue_stats_up{queue="deliveries"} 0
`
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "inkorg_queue_stats_up", "inkorg_queue_length"); err != nil {
			t.Error(err)
		}
	})
}
