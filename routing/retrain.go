package routing

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"inkorg/inbox"
)

// MaxCorrections is how many of the newest corrections retraining reads.
const MaxCorrections = 20000

// Retrain replaces the classifier with one trained on the configuration
// and the corrections, so a correction withdrawn (routed back) stops
// counting, and learns from them where questions about the city's
// unrouted companies go (see learnCompanyRoutes). Messages triaged
// meanwhile use the old classifier. It returns how many corrections named
// no known target.
func (t *Triager) Retrain(corrections []Example) (ignored int) {
	c := NewClassifier(t.targets)
	ignored = c.Learn(corrections...)
	routes := t.learnCompanyRoutes(corrections)
	t.classifier.Store(c)
	t.companyRoutes.Store(&routes)
	return ignored
}

// RetrainFrom retrains on the corrections people made in the store and
// returns how many were used.
func (t *Triager) RetrainFrom(ctx context.Context, store inbox.TriageStore) (int, error) {
	found, err := store.FindRoutingExamples(ctx, MaxCorrections)
	if err != nil {
		return 0, fmt.Errorf("routing: read corrections: %w", err)
	}
	ex := make([]Example, len(found))
	for i, f := range found {
		ex[i] = Example{Text: f.Text, Administration: f.AdministrationID}
	}
	return len(ex) - t.Retrain(ex), nil
}

// RetrainEvery retrains from the store now and then every interval until
// ctx ends, so every instance learns the corrections made on any of them.
// A failed round is logged and tried again at the next tick.
func (t *Triager) RetrainEvery(ctx context.Context, store inbox.TriageStore, interval time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		if n, err := t.RetrainFrom(ctx, store); err != nil && ctx.Err() == nil {
			logger.Warn("routing: retraining failed; the previous classifier stays", "error", err)
		} else if err == nil {
			logger.Debug("routing: retrained", "corrections", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
