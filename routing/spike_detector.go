package routing

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// SpikeDetector raises alerts for spikes in what citizens write about. All
// its state is in the store, so any number of worker instances may run it:
// each alert is raised once, and the instance that raises it counts and
// publishes it.
type SpikeDetector struct {
	store  inbox.AlertStore
	pub    inbox.Publisher
	cfg    SpikeConfig
	now    func() time.Time
	logger *slog.Logger
	raised *prometheus.CounterVec
	// history is when the first message was triaged, once known: it
	// only moves when retention deletes months-old messages, long after
	// it stops mattering. Detect runs on one goroutine at a time.
	history time.Time
}

// NewSpikeDetector returns a detector on store. pub may be nil (no live
// updates); reg may be nil (no metric); now nil is the wall clock.
func NewSpikeDetector(store inbox.AlertStore, pub inbox.Publisher, reg prometheus.Registerer,
	cfg SpikeConfig, now func() time.Time, logger *slog.Logger) *SpikeDetector {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	d := &SpikeDetector{store: store, pub: pub, cfg: cfg, now: now, logger: logger,
		raised: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_spike_alerts_total",
			Help: "Spike and crisis alerts raised, by kind (spike: a topic rose; duplicates: a burst of near-identical messages).",
		}, []string{"kind"})}
	for _, k := range []inbox.AlertKind{inbox.AlertSpike, inbox.AlertDuplicates} {
		d.raised.WithLabelValues(string(k))
	}
	if reg != nil {
		reg.MustRegister(d.raised)
	}
	return d
}

// Metric is the counter of alerts raised, inkorg_spike_alerts_total.
func (d *SpikeDetector) Metric() *prometheus.CounterVec { return d.raised }

// Detect looks for spikes once: it raises an alert for each new one,
// extends the alert of a spike still going on, and tags the spike's
// conversations with the alert's tag. It returns the alerts of the spikes
// found, new or extended. It is not safe for concurrent use.
func (d *SpikeDetector) Detect(ctx context.Context) ([]*inbox.Alert, error) {
	end := d.now().UTC()
	if d.history.IsZero() {
		h, err := d.store.FirstTriagedAt(ctx)
		if err != nil {
			return nil, fmt.Errorf("routing: read the first triage time: %w", err)
		}
		if h.IsZero() {
			return nil, nil // nothing triaged yet
		}
		d.history = h
	}
	msgs, err := d.store.FindTriagedSince(ctx, end.Add(-d.cfg.Window-d.cfg.Baseline), d.cfg.Limit)
	if err != nil {
		return nil, fmt.Errorf("routing: read triaged messages: %w", err)
	}
	var alerts []*inbox.Alert
	for _, s := range DetectSpikes(msgs, end, d.history, d.cfg) {
		a, err := d.raise(ctx, s, end)
		if err != nil {
			return alerts, err
		}
		alerts = append(alerts, a)
	}
	return alerts, nil
}

// raise stores the alert of spike s and tags its conversations.
func (d *SpikeDetector) raise(ctx context.Context, s Spike, end time.Time) (*inbox.Alert, error) {
	a := &inbox.Alert{
		Kind: s.Kind, Topic: s.Topic, Tag: CrisisTag(s.Topic),
		PeriodStart: end.Truncate(d.cfg.Window), WindowStart: end.Add(-d.cfg.Window), WindowEnd: end,
		Count: s.Count, Baseline: s.Baseline,
	}
	if s.Kind == inbox.AlertDuplicates {
		if err := d.continueBurst(ctx, a, s.ConversationIDs); err != nil {
			return nil, err
		}
	}
	created, err := d.store.SaveAlert(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("routing: save %s alert: %w", s.Kind, err)
	}
	n, err := d.store.TagConversations(ctx, a.ID, a.Tag, s.ConversationIDs)
	if err != nil {
		return nil, fmt.Errorf("routing: tag conversations of alert %d: %w", a.ID, err)
	}
	a.Conversations += n
	if !created {
		return a, nil
	}
	d.raised.WithLabelValues(string(a.Kind)).Inc()
	// The topic stays out of the log: a burst's shared words come from
	// what citizens wrote.
	d.logger.Warn("spike alert raised", "alert_id", a.ID, "kind", a.Kind, "count", a.Count, "baseline", a.Baseline)
	d.publish(ctx, a)
	return a, nil
}

// continueBurst gives a the topic and tag of the running duplicates alert
// that tagged at least a quarter of the burst's conversations: the same
// burst, whose name changed as its window moved on (the topic is named by
// its oldest message's words, and the words people use drift). Its
// conversations then stay under one tag, and it is raised once.
func (d *SpikeDetector) continueBurst(ctx context.Context, a *inbox.Alert, conversationIDs []int64) error {
	running, shared, err := d.store.FindAlertSharing(ctx, a.Kind, a.WindowStart, conversationIDs)
	if err != nil {
		return fmt.Errorf("routing: find the running alert of a burst: %w", err)
	}
	if running != nil && 4*shared >= len(conversationIDs) {
		a.Topic, a.Tag = running.Topic, running.Tag
	}
	return nil
}

// publish tells connected supervisors about a new alert. Publishing is
// best effort: the alert is stored.
func (d *SpikeDetector) publish(ctx context.Context, a *inbox.Alert) {
	if d.pub == nil {
		return
	}
	data, err := json.Marshal(a)
	if err == nil {
		err = d.pub.Publish(ctx, inbox.LiveEvent{Kind: inbox.LiveAlert, Data: data, At: d.now().UTC()})
	}
	if err != nil {
		d.logger.Warn("spike alert not published", "alert_id", a.ID, "error", err)
	}
}

// DetectEvery detects spikes every interval until ctx ends. A failed
// round is logged and tried again at the next tick.
func (d *SpikeDetector) DetectEvery(ctx context.Context, interval time.Duration) {
	every(ctx, interval, func() {
		if _, err := d.Detect(ctx); err != nil && ctx.Err() == nil {
			d.logger.Warn("routing: spike detection failed", "error", err)
		}
	})
}

// every calls fn every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		fn()
	}
}
