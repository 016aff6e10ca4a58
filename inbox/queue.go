package inbox

import (
	"context"
	"time"
)

// Queue names used by inkorg.
const (
	// QueueDeliveries carries raw, signature-verified Meta webhook bodies
	// from the receiver to the ingest workers.
	QueueDeliveries = "deliveries"
	// QueueOutbound carries replies and moderation actions to the sender.
	QueueOutbound = "outbound"
)

// OutgoingMessage is what a producer publishes.
type OutgoingMessage struct {
	// Key groups related messages (for example one conversation); adapters
	// may use it for ordering. Optional.
	Key     string
	Body    []byte
	Headers map[string]string
}

// Delivery is one message handed to a consumer.
type Delivery struct {
	// ID is the adapter's id of the message, stable across redeliveries.
	ID      string
	Queue   string
	Key     string
	Body    []byte
	Headers map[string]string
	// Attempt is 1 on the first delivery and grows with each redelivery.
	Attempt     int
	PublishedAt time.Time
}

// Handler processes one delivery. The delivery is acknowledged only when
// the handler returns nil; an error or a crash leaves it to be delivered
// again. Handlers must therefore be idempotent.
type Handler func(ctx context.Context, d *Delivery) error

// Queue is a durable, at-least-once work queue with named queues.
type Queue interface {
	Pinger
	// Publish stores msg on the named queue and returns its id. When it
	// returns nil the message is durable: it survives a crash of this
	// process and of the queue's server process.
	Publish(ctx context.Context, queue string, msg OutgoingMessage) (string, error)
	// Consume delivers messages of the named queue to h, up to concurrency
	// at a time, until ctx is done. Then it stops taking new messages, waits
	// for the handlers in flight (which run on a context that is not
	// cancelled with ctx), and returns. Messages whose handler failed, or
	// whose consumer died, are delivered again after a lease expires.
	Consume(ctx context.Context, queue string, concurrency int, h Handler) error
	// Close releases the adapter's resources.
	Close() error
}
