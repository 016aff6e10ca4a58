package sender

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"inkorg/inbox"
)

// DefaultSweepInterval is how often Sweep looks for due actions.
const DefaultSweepInterval = 15 * time.Second

// sweepBatch bounds the actions one sweep publishes.
const sweepBatch = 100

// SweepOnce publishes again every queued action whose next attempt is due:
// one Meta asked to wait for, or one whose queue message was lost; and
// every action still sending long after its call began, whose handler died
// and whose queue message went to the dead letters, so that it is resumed
// (a reply marked for an agent to check, moderation done again) instead
// of showing "sending" for good. A duplicate delivery is harmless: only
// one handler moves an action out of queued or sending. It returns how
// many it published.
func (s *Sender) SweepOnce(ctx context.Context) (int, error) {
	if s.cfg.Queue == nil {
		return 0, nil
	}
	due, err := s.cfg.Store.FindDueOutbound(ctx, s.cfg.Now(), sweepBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range due {
		if err := Publish(ctx, s.cfg.Queue, a); err != nil {
			return n, err
		}
		if a.State != inbox.OutboundQueued {
			// Resumed by the delivery; published again by later sweeps
			// until one has (the resumption moves it out of sending).
			n++
			continue
		}
		// Not published again by the next sweep while this delivery waits.
		next := s.cfg.Now().Add(safetyNet)
		_, err := s.cfg.Store.UpdateOutbound(ctx, inbox.OutboundUpdate{ID: a.ID, From: []inbox.OutboundState{inbox.OutboundQueued},
			State: inbox.OutboundQueued, NextAttemptAt: &next, Failure: a.Failure})
		if err := ignoreConflict(err); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Sweep runs SweepOnce every interval until ctx ends.
func (s *Sender) Sweep(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultSweepInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.SweepOnce(ctx); err != nil {
			s.log.WarnContext(ctx, "outbound: sweep failed", "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "outbound: due actions queued again", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Publish puts a on the outbound queue.
func Publish(ctx context.Context, q inbox.QueuePublisher, a *inbox.OutboundAction) error {
	body, err := json.Marshal(inbox.OutboundQueueBody{ActionID: a.ID, Key: a.Key})
	if err != nil {
		return err
	}
	_, err = q.Publish(ctx, inbox.QueueOutbound, inbox.OutgoingMessage{Key: strconv.FormatInt(a.ConversationID, 10), Body: body})
	return err
}
