package main

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
	"inkorg/routing"
)

// Intervals of routing's background work in a worker process.
const (
	// rulesInterval is how soon a rule changed on any instance applies.
	rulesInterval = 10 * time.Second
	// spikeInterval is how often spikes are looked for.
	spikeInterval = time.Minute
)

// newServeTriager builds serve's triager on the configured routing targets
// (INKORG_ROUTING_TARGETS, or the bundled ones) and returns the targets.
func newServeTriager(e *env, links routing.Suggester) (*routing.Triager, *routing.Administrations, error) {
	targets, err := e.cfg.Routing.targets()
	if err != nil {
		return nil, nil, err
	}
	t, err := routing.NewTriager(targets, links, routing.DefaultConfig())
	if err != nil {
		return nil, nil, err
	}
	return t, targets, nil
}

// startRouting runs routing's background work until ctx ends: reading the
// admin-defined rules, so a change applies without a restart, and spike
// detection, which raises alerts (published through pub when it is not
// nil, counted in reg) and tags their conversations.
func startRouting(ctx context.Context, wg *sync.WaitGroup, e *env, store inbox.Store, t *routing.Triager,
	pub inbox.Publisher, reg prometheus.Registerer) {
	if err := t.RefreshRules(ctx, store); err != nil {
		e.logger.Warn("routing: reading rules failed; triage runs without them until the next try", "error", err)
	}
	wg.Go(func() { t.RefreshRulesEvery(ctx, store, rulesInterval, e.logger) })
	d := routing.NewSpikeDetector(store, pub, reg, routing.DefaultSpikeConfig(), nil, e.logger)
	wg.Go(func() { d.DetectEvery(ctx, spikeInterval) })
}

// systemActor is inkorg itself acting without a person: audited with no
// user.
var systemActor = &inbox.User{Name: "inkorg", Role: inbox.RoleAdmin}

// triageHookOptions are the triage hook's options from the configuration:
// with INKORG_AUTO_HIDE_PERSONAL_NUMBERS, a comment holding a personal
// identity or payment card number is hidden at once, by the system, through the same
// outbound queue agents' moderation goes through; pub (nil: none) tells
// staff live.
func triageHookOptions(e *env, store inbox.Store, outbound inbox.QueuePublisher, pub inbox.Publisher) []routing.HookOption {
	if !e.cfg.Routing.AutoHide {
		return nil
	}
	svc := inbox.NewService(store, nil)
	svc.Outbound, svc.Publisher = outbound, pub
	return []routing.HookOption{routing.WithAutoHide(func(ctx context.Context, messageID int64, reason string) error {
		m, err := store.FindMessageByID(ctx, messageID)
		if err != nil || m.Hidden {
			return err
		}
		if shown, err := shownByStaff(ctx, store, m); err != nil || shown {
			return err
		}
		_, err = svc.ModerateComment(ctx, systemActor, messageID, inbox.CommentHide, reason)
		return err
	})}
}

// shownByStaff reports whether someone on the staff showed the comment
// again after it was hidden: they judged it, and an edit or a second
// reading of it does not hide it again.
func shownByStaff(ctx context.Context, store inbox.Store, m *inbox.Message) (bool, error) {
	actions, err := store.FindOutboundActions(ctx, m.ConversationID)
	if err != nil {
		return false, err
	}
	for _, a := range actions {
		if a.Kind == inbox.OutboundUnhideComment && a.TargetMessageID == m.ID && a.ActorID != 0 {
			return true, nil
		}
	}
	return false, nil
}
