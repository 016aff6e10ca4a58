package webhooks

import (
	"context"
	"fmt"
	"log/slog"

	"inkorg/inbox"
)

// Ingester applies the events of queued deliveries to the store. Its
// Handle method is an inbox.Handler for the deliveries queue.
type Ingester struct {
	store   inbox.EventStore
	logger  *slog.Logger
	metrics *Metrics
	hooks   []inbox.EventHook
}

// NewIngester returns an Ingester writing to store. A nil logger discards
// logs; metrics may be nil.
func NewIngester(store inbox.EventStore, logger *slog.Logger, metrics *Metrics) *Ingester {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Ingester{store: store, logger: logger, metrics: metrics}
}

// AddHook makes h run after every event the ingester applies (see
// inbox.EventHook), in the order hooks were added. Call it before Handle
// runs.
func (i *Ingester) AddHook(h inbox.EventHook) { i.hooks = append(i.hooks, h) }

// Handle parses one delivery and applies its events in order. It returns
// the first store error, so the queue delivers the body again; applying is
// idempotent, so the events already applied are harmless the second time.
//
// A body that does not parse is dropped with an error in the log and nil
// returned. The receiver verified its signature and checked that it is
// JSON, so it came from Meta in a shape this version cannot read: parsing
// it again would fail again, and redelivering it forever would only hold a
// worker. The log names the delivery and why it failed. An event the store
// refuses as invalid is dropped the same way, so one bad event never blocks
// the rest of its batch.
func (i *Ingester) Handle(ctx context.Context, d *inbox.Delivery) error {
	p, err := parseDelivery(d.Body)
	if err != nil {
		i.logger.Error("webhook delivery dropped: body does not parse",
			"delivery_id", d.ID, "attempt", d.Attempt, "bytes", len(d.Body), "error", err)
		i.metrics.delivery(deliveryMalformed)
		return nil
	}
	i.metrics.skips(p.skipped)
	created, duplicates, err := i.apply(ctx, d, p.events)
	if err != nil {
		i.metrics.delivery(deliveryRetry)
		return err
	}
	i.metrics.delivery(deliveryApplied)
	i.logger.Debug("webhook delivery applied", "delivery_id", d.ID, "attempt", d.Attempt,
		"events", len(p.events), "created", created, "duplicates", duplicates, "skipped", countSkipped(p.skipped))
	return nil
}

// apply applies events in order and counts what the store did, stopping at
// the first error that a retry could cure.
func (i *Ingester) apply(ctx context.Context, d *inbox.Delivery, events []inbox.Event) (created, duplicates int, err error) {
	for _, e := range events {
		a, err := i.store.ApplyEvent(ctx, e)
		switch {
		case err != nil && inbox.ErrorCode(err) == inbox.EINVALID:
			i.metrics.event(e.Channel, eventError)
			i.logger.Error("webhook event dropped: store refused it",
				"delivery_id", d.ID, "channel", e.Channel, "error", err)
		case err != nil:
			i.metrics.event(e.Channel, eventError)
			i.logger.Warn("webhook delivery not applied; it will be delivered again",
				"delivery_id", d.ID, "attempt", d.Attempt, "channel", e.Channel, "error", err)
			return created, duplicates, fmt.Errorf("webhooks: apply %s event: %w", e.Channel, err)
		case a.Created:
			created++
			i.metrics.event(e.Channel, eventCreated)
		default:
			duplicates++
			i.metrics.event(e.Channel, eventDuplicate)
		}
		if err == nil {
			if err := i.runHooks(ctx, e, a); err != nil {
				i.logger.Warn("webhook event hook failed; the delivery will be delivered again",
					"delivery_id", d.ID, "attempt", d.Attempt, "channel", e.Channel, "error", err)
				return created, duplicates, err
			}
		}
	}
	return created, duplicates, nil
}

func (i *Ingester) runHooks(ctx context.Context, e inbox.Event, a inbox.Applied) error {
	for _, h := range i.hooks {
		if err := h(ctx, e, a); err != nil {
			return fmt.Errorf("webhooks: hook after %s event: %w", e.Channel, err)
		}
	}
	return nil
}

func countSkipped(skipped map[skipReason]int) int {
	n := 0
	for _, c := range skipped {
		n += c
	}
	return n
}
