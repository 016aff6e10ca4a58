package queuetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"inkorg/inbox"
)

// benchMessage is about the size of a Meta webhook delivery.
var benchMessage = inbox.OutgoingMessage{
	Key:     "conversation-42",
	Body:    make([]byte, 2048),
	Headers: map[string]string{"content-type": "application/json", "x-hub-signature-256": "sha256=0123456789abcdef"},
}

// BenchPublish measures Publish, one at a time (Serial) and from
// GOMAXPROCS goroutines at once (Parallel).
func BenchPublish(b *testing.B, q inbox.Queue) {
	ctx := context.Background()
	b.Run("Serial", func(b *testing.B) {
		for b.Loop() {
			if _, err := q.Publish(ctx, "bench", benchMessage); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := q.Publish(ctx, "bench", benchMessage); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchConsume measures how fast one consumer with the given concurrency
// takes b.N waiting messages through a handler that does nothing and
// acknowledges them. Publishing them is not timed.
func BenchConsume(b *testing.B, q inbox.Queue, concurrency int) {
	ctx := context.Background()
	queue := "bench-consume-" + time.Now().Format("150405.000000000")
	for range b.N {
		if _, err := q.Publish(ctx, queue, benchMessage); err != nil {
			b.Fatal(err)
		}
	}
	var handled atomic.Int64
	all := make(chan struct{})
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	b.ResetTimer()
	go func() {
		done <- q.Consume(cctx, queue, concurrency, func(context.Context, *inbox.Delivery) error {
			if handled.Add(1) == int64(b.N) {
				close(all)
			}
			return nil
		})
	}()
	<-all
	cancel()
	// Consume returns after the last acks.
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
}
