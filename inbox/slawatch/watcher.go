// Package slawatch keeps every conversation's clocks and SLA state
// measured: it re-measures conversations that changed and those with a
// department (their time there grows), notifies the assignee and the
// supervisors when one becomes at risk or breaches, and exports the
// backlog to Prometheus.
package slawatch

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
)

// Defaults of a Watcher.
const (
	DefaultInterval  = 30 * time.Second
	defaultBatchSize = 500
	maxRounds        = 20
	// overlap is how far back each pass looks again, so a change that
	// commits late, after a pass read past its UpdatedAt, is measured too.
	// A triage that changes what the metrics read moves UpdatedAt (see
	// sqlstore's SaveTriage). What a pass measured already at its latest
	// change, the store leaves out (see inbox.SLAStore's FindSLAInputs):
	// measuring every conversation of the overlap again at every pass
	// measured each change up to five times.
	overlap = 2 * time.Minute
)

// Watcher measures conversations and raises SLA notifications. Run it in
// one or more worker processes; the store makes sure each notification is
// sent once.
type Watcher struct {
	Store inbox.SLAStore
	SLA   *businesstime.SLA
	// Publisher receives LiveSLA events; nil sends none.
	Publisher inbox.Publisher
	// Metrics may be nil.
	Metrics   *Metrics
	Logger    *slog.Logger
	Now       func() time.Time
	BatchSize int

	since   time.Time
	afterID int64
	loaded  bool
	// routedAfter is where the next pass goes on re-measuring the
	// conversations with a department, 0 from the start.
	routedAfter int64
}

// Run calls Tick every interval until ctx is done.
func (w *Watcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := w.Tick(ctx); err != nil && ctx.Err() == nil {
			w.Logger.Warn("SLA watcher pass failed", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick makes one pass: measures what changed, notifies transitions and
// updates the backlog metrics.
func (w *Watcher) Tick(ctx context.Context) error {
	now := w.Now()
	if err := w.measureChanged(ctx, now); err != nil {
		return err
	}
	if err := w.measureRouted(ctx, now); err != nil {
		return err
	}
	if err := w.Store.SettleStoppedSLA(ctx, now.Add(-staleAfter)); err != nil {
		return err
	}
	// Each round marks what it notified, so the next finds the rest; the
	// bound keeps one pass short after a long outage.
	for range maxRounds {
		n, err := w.notifyTransitions(ctx, now)
		if err != nil {
			return err
		}
		if n < w.batch() {
			break
		}
	}
	return w.updateBacklog(ctx, now)
}

func (w *Watcher) batch() int {
	if w.BatchSize > 0 {
		return w.BatchSize
	}
	return defaultBatchSize
}

// measureChanged measures every conversation changed since the last pass
// (less the overlap) and not measured since its change.
func (w *Watcher) measureChanged(ctx context.Context, now time.Time) error {
	if !w.loaded {
		mark, err := w.Store.MetricsWatermark(ctx)
		if err != nil {
			return err
		}
		w.since, w.loaded = mark, true
	}
	since, afterID := w.since, int64(0)
	if !since.IsZero() {
		since = since.Add(-overlap)
	}
	for {
		inputs, err := w.Store.FindSLAInputs(ctx, since, afterID, w.batch())
		if err != nil {
			return err
		}
		if _, err := w.measured(ctx, inputs, now); err != nil {
			return err
		}
		if len(inputs) == 0 {
			return nil
		}
		last := inputs[len(inputs)-1].Conversation
		since, afterID = last.UpdatedAt, last.ID
		if last.UpdatedAt.After(w.since) {
			w.since = last.UpdatedAt
		}
		if len(inputs) < w.batch() {
			return nil
		}
	}
}

// measureRouted re-measures the conversations with a department: their
// time there grows while nothing about them changes, and the reports
// read it from the metrics. A pass measures up to maxRounds batches; the
// next goes on from there.
func (w *Watcher) measureRouted(ctx context.Context, now time.Time) error {
	for range maxRounds {
		ids, err := w.Store.FindRoutedIDs(ctx, w.routedAfter, w.batch())
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			w.routedAfter = 0
			return nil
		}
		inputs, err := w.Store.FindSLAInputsByID(ctx, ids)
		if err != nil {
			return err
		}
		if _, err := w.measured(ctx, inputs, now); err != nil {
			return err
		}
		w.routedAfter = ids[len(ids)-1]
		if len(ids) < w.batch() {
			w.routedAfter = 0
			return nil
		}
	}
	return nil
}

// measured computes and saves the metrics of inputs, and returns them.
func (w *Watcher) measured(ctx context.Context, inputs []*inbox.SLAInput, now time.Time) ([]*inbox.ConversationMetrics, error) {
	if len(inputs) == 0 {
		return nil, nil
	}
	urls, err := w.Store.FindAnswerLinks(ctx)
	if err != nil {
		return nil, err
	}
	links := inbox.AnswerLinkMatcher(urls)
	out := make([]*inbox.ConversationMetrics, 0, len(inputs))
	for _, in := range inputs {
		m, err := w.SLA.Measure(in, links, now)
		if err != nil {
			// One conversation with inconsistent times must not stop the others.
			w.Logger.Warn("cannot measure conversation", slog.Int64("conversation_id", in.Conversation.ID), slog.Any("err", err))
			continue
		}
		out = append(out, m)
	}
	return out, w.Store.SaveMetrics(ctx, out)
}

// notifyTransitions re-measures the conversations whose SLA state got
// worse than last notified and notifies those that are at risk or
// breached.
func (w *Watcher) notifyTransitions(ctx context.Context, now time.Time) (int, error) {
	ids, err := w.Store.FindSLATransitions(ctx, now, w.batch())
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	inputs, err := w.Store.FindSLAInputsByID(ctx, ids)
	if err != nil {
		return 0, err
	}
	ms, err := w.measured(ctx, inputs, now)
	if err != nil {
		return 0, err
	}
	var supervisors []int64
	for _, m := range ms {
		if m.SLA == nil || m.SLA.State.Severity() == 0 {
			continue
		}
		claimed, err := w.Store.MarkSLANotified(ctx, m.ConversationID, m.SLA.State)
		if err != nil {
			return 0, err
		}
		if !claimed || !current(m.SLA, now) {
			continue
		}
		w.Metrics.notified(m.SLA.Policy, m.SLA.State)
		if supervisors == nil {
			if supervisors, err = w.Store.FindUserIDsByRole(ctx, inbox.RoleSupervisor); err != nil {
				return 0, err
			}
		}
		w.publish(ctx, m, supervisors, now)
	}
	return len(ids), nil
}

// staleAfter is how long after its due time a stopped clock's breach is
// still news. Older ones (measured for the first time after an upgrade, or
// after a long outage) are recorded as notified without a notification.
const staleAfter = 10 * time.Minute

// current reports whether a state change of st is worth a notification:
// the clock still runs (or waits), or it stopped after its due time only
// just now.
func current(st *inbox.SLAStatus, now time.Time) bool {
	return st.Running || st.Paused || now.Sub(st.DueAt) < staleAfter
}

// publish sends the LiveSLA event of m to its assignee and the supervisors.
func (w *Watcher) publish(ctx context.Context, m *inbox.ConversationMetrics, supervisors []int64, now time.Time) {
	w.Logger.Info("SLA state changed", slog.Int64("conversation_id", m.ConversationID),
		slog.String("policy", m.SLA.Policy), slog.String("state", string(m.SLA.State)))
	if w.Publisher == nil {
		return
	}
	notice := inbox.SLANotice{
		ConversationID: m.ConversationID, AdministrationID: m.AdministrationID, AssigneeID: m.AssigneeID,
		Policy: m.SLA.Policy, State: m.SLA.State, DueAt: m.SLA.DueAt,
	}
	data, _ := json.Marshal(notice) // a struct of plain fields always marshals
	users := append([]int64(nil), supervisors...)
	if m.AssigneeID != 0 && !slices.Contains(users, m.AssigneeID) {
		users = append(users, m.AssigneeID)
	}
	ev := inbox.LiveEvent{
		Kind: inbox.LiveSLA, ConversationID: m.ConversationID, AdministrationID: m.AdministrationID,
		UserIDs: users, Data: data, At: now,
	}
	if err := w.Publisher.Publish(ctx, ev); err != nil {
		w.Logger.Warn("cannot publish SLA notification", slog.Int64("conversation_id", m.ConversationID), slog.Any("err", err))
	}
}

// updateBacklog sets the backlog metrics.
func (w *Watcher) updateBacklog(ctx context.Context, now time.Time) error {
	if w.Metrics == nil {
		return nil
	}
	counts, err := w.Store.FindBacklog(ctx)
	if err != nil {
		return err
	}
	oldest, err := w.Store.OldestUnanswered(ctx)
	if err != nil {
		return err
	}
	w.Metrics.setBacklog(counts, oldest, now)
	return nil
}
