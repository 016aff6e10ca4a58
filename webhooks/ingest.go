package webhooks

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"inkorg/inbox"
)

// IngestStore is what the ingester writes to: the events, and the raw
// deliveries they came in.
type IngestStore interface {
	inbox.EventStore
	inbox.RawDeliveryStore
}

// Ingester applies the events of queued deliveries to the store. Its
// Handle method is an inbox.Handler for the deliveries queue.
type Ingester struct {
	store   IngestStore
	logger  *slog.Logger
	metrics *Metrics
	hooks   []inbox.EventHook
	// pretriage, when set, runs on each event before it is stored.
	pretriage inbox.Pretriage
	// once remembers what was logged already, so each unknown shape and
	// unknown account is logged once per process.
	once *onceSet
	// inFlight counts the deliveries being handled now.
	inFlight atomic.Int64
	// raw keeps the raw deliveries, several in one statement under load.
	raw *rawKeeper
}

// NewIngester returns an Ingester writing to store. A nil logger discards
// logs; metrics may be nil.
func NewIngester(store IngestStore, logger *slog.Logger, metrics *Metrics) *Ingester {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Ingester{store: store, logger: logger, metrics: metrics, once: newOnceSet(maxLoggedOnce), raw: newRawKeeper(store)}
}

// AddHook makes h run after every event the ingester applies (see
// inbox.EventHook), in the order hooks were added. Call it before Handle
// runs.
func (i *Ingester) AddHook(h inbox.EventHook) { i.hooks = append(i.hooks, h) }

// SetPretriage makes p run on every event before the store applies it
// (see inbox.Pretriage), so the store can save a new message's triage in
// the message's own transaction. Call it before Handle runs.
func (i *Ingester) SetPretriage(p inbox.Pretriage) { i.pretriage = p }

// Handle keeps the raw delivery, parses it and applies its events in
// order. It returns the first store error, so the queue delivers the body
// again; keeping and applying are idempotent, so what was done already is
// harmless the second time.
//
// A body that does not parse is kept, logged as an error and dropped with
// nil returned. The receiver verified its signature, so it came from Meta
// in a shape this version cannot read (or is not JSON at all): parsing
// it again would fail again, and redelivering it forever would only hold a
// worker; after a parser fix, "inkorg deliveries reparse" reads it from
// the store. An event the store refuses as invalid is dropped the same
// way, so one bad event never blocks the rest of its batch.
func (i *Ingester) Handle(ctx context.Context, d *inbox.Delivery) error {
	i.inFlight.Add(1)
	defer i.inFlight.Add(-1)
	raw, err := i.keep(ctx, d)
	if err != nil {
		i.metrics.delivery(deliveryRetry)
		return err
	}
	_, err = i.process(ctx, d.ID, d.Attempt, d.Body, raw.ReceivedAt, eventDuplicate)
	return err
}

// InFlight is how many deliveries Handle is working on right now: how busy
// ingest is, for work that should give way to it.
func (i *Ingester) InFlight() int { return int(i.inFlight.Load()) }

// keep stores the raw delivery with the headers the receiver set, and
// returns it.
func (i *Ingester) keep(ctx context.Context, d *inbox.Delivery) (*inbox.RawDelivery, error) {
	raw := &inbox.RawDelivery{
		Body:        d.Body,
		Signature:   d.Headers[HeaderSignature],
		ContentType: d.Headers[HeaderContentType],
		ReceivedAt:  d.PublishedAt,
	}
	if t, err := time.Parse(time.RFC3339Nano, d.Headers[HeaderReceivedAt]); err == nil {
		raw.ReceivedAt = t
	}
	if _, err := i.raw.Do(ctx, raw); err != nil {
		i.logger.Warn("webhook delivery not kept; it will be delivered again",
			"delivery_id", d.ID, "attempt", d.Attempt, "error", err)
		return nil, fmt.Errorf("webhooks: keep delivery: %w", err)
	}
	return raw, nil
}

// outcome counts what applying one delivery did.
type outcome struct {
	events, created, duplicates, dropped int
	malformed                            bool
}

// process parses body and applies its events; id and attempt name the
// delivery in logs, received is when it arrived, known is the result label
// of an event applied before (see apply). An event whose payload gives no
// usable time (nor does its entry) takes received, rather than being
// refused and a citizen's words lost.
func (i *Ingester) process(ctx context.Context, id string, attempt int, body []byte, received time.Time, known string) (outcome, error) {
	p, err := parseDelivery(body, received)
	if err != nil {
		shape := bodyShape(body)
		args := []any{"delivery_id", id, "attempt", attempt, "bytes", len(body), "shape", shape}
		if shape != "not_json" && shape != "empty" {
			args = append(args, "json_shape", shapeOf(body))
		}
		i.logger.Error("webhook delivery dropped: body does not parse; kept for inkorg deliveries reparse",
			append(args, "error", err)...)
		i.metrics.delivery(deliveryMalformed)
		i.metrics.malformed(shape)
		return outcome{malformed: true}, nil
	}
	if p.elements > 0 && i.once.first("array") {
		i.logger.Info("webhook delivery is a JSON array of deliveries; each is applied (logged once)",
			"delivery_id", id, "shape", "array", "elements", p.elements)
	}
	i.metrics.skips(p.skipped)
	i.logSkipped(id, p.parts)
	o, err := i.apply(ctx, id, attempt, p.events, known)
	if err != nil {
		i.metrics.delivery(deliveryRetry)
		return o, err
	}
	i.metrics.delivery(deliveryApplied)
	i.logger.Debug("webhook delivery applied", "delivery_id", id, "attempt", attempt,
		"events", len(p.events), "created", o.created, "duplicates", o.duplicates, "skipped", countSkipped(p.skipped))
	return o, nil
}

// logSkipped logs each new shape of skipped content once per process,
// with its object, field and reason: enough to teach the parser the shape,
// without the content.
func (i *Ingester) logSkipped(id string, parts []skippedPart) {
	for _, part := range parts {
		key := "shape\x00" + string(part.Reason) + "\x00" + part.Object + "\x00" + part.Field + "\x00" + part.Member + "\x00" + part.Shape
		if !i.once.first(key) {
			continue
		}
		args := []any{"delivery_id", id, "reason", string(part.Reason), "object", part.Object,
			"field", part.Field, "shape", part.Shape}
		if part.Member != "" {
			args = append(args, "member", part.Member)
		}
		i.logger.Warn("webhook content not understood; counted and skipped", args...)
	}
}

// apply applies events in order and counts what the store did, stopping at
// the first error that a retry could cure. An event the store had already
// is counted under known: eventDuplicate when Meta delivered a webhook
// again, eventAlreadyKnown when it was found again another way.
func (i *Ingester) apply(ctx context.Context, id string, attempt int, events []inbox.Event, known string) (outcome, error) {
	o := outcome{events: len(events)}
	for _, e := range events {
		e.ReplaceNUL()
		if i.pretriage != nil {
			i.pretriage(ctx, &e)
		}
		a, err := i.store.ApplyEvent(ctx, e)
		switch {
		case err != nil && inbox.ErrorCode(err) == inbox.EINVALID:
			o.dropped++
			i.metrics.event(e.Channel, eventError)
			i.logger.Error("webhook event dropped: store refused it",
				"delivery_id", id, "channel", e.Channel, "kind", e.Kind, "error", err)
		case err != nil:
			i.metrics.event(e.Channel, eventError)
			i.logger.Warn("webhook delivery not applied; it will be delivered again",
				"delivery_id", id, "attempt", attempt, "channel", e.Channel, "error", err)
			return o, fmt.Errorf("webhooks: apply %s event: %w", e.Channel, err)
		case a.Created:
			o.created++
			i.metrics.event(e.Channel, eventCreated)
		default:
			o.duplicates++
			i.metrics.event(e.Channel, known)
		}
		if err != nil {
			continue
		}
		i.unknownAccount(e, a)
		if err := i.runHooks(ctx, e, a); err != nil {
			i.logger.Warn("webhook event hook failed; the delivery will be delivered again",
				"delivery_id", id, "attempt", attempt, "channel", e.Channel, "error", err)
			return o, err
		}
	}
	return o, nil
}

// ApplyEvents applies events found other than through a webhook (the
// reconciliation poll) exactly as a delivery's: stored idempotently, then
// the hooks. It returns how many were new. One stored already counts as
// already_known, not duplicate: finding it again is no redelivery by Meta.
func (i *Ingester) ApplyEvents(ctx context.Context, source string, events []inbox.Event) (int, error) {
	o, err := i.apply(ctx, source, 1, events, eventAlreadyKnown)
	return o.created, err
}

// unknownAccount reports a message that arrived for an account that is
// not configured: counted per message, logged once per account.
func (i *Ingester) unknownAccount(e inbox.Event, a inbox.Applied) {
	if !a.UnknownAccount {
		return
	}
	i.metrics.unknownAccount(e.Channel)
	if i.once.first("account\x00" + string(e.Platform) + "\x00" + e.AccountExternalID) {
		i.logger.Warn("webhook event for an account that is not configured; its conversation is flagged",
			"platform", e.Platform, "account_external_id", e.AccountExternalID, "conversation_id", a.ConversationID)
	}
}

func (i *Ingester) runHooks(ctx context.Context, e inbox.Event, a inbox.Applied) error {
	for _, h := range i.hooks {
		if err := h(ctx, e, a); err != nil {
			return fmt.Errorf("webhooks: hook after %s event: %w", e.Channel, err)
		}
	}
	return nil
}

func countSkipped(skipped map[skipKey]int) int {
	n := 0
	for _, c := range skipped {
		n += c
	}
	return n
}
