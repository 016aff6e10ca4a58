// Package batch does work that callers ask for at the same time in one go:
// one statement and commit, one round trip, for many callers.
package batch

import (
	"context"
	"sync"
	"time"
)

// Func does the work of one batch of items and returns each item's
// result, in the items' order, or an error for all of them. A result
// missing from a shorter slice is the zero value.
type Func[T, R any] func(ctx context.Context, items []T) ([]R, error)

// Batcher hands the items its callers give it to its Func in batches: a
// caller that finds no batch being done does what is waiting, and the
// items that arrive meanwhile go in the next batch. An idle Batcher does
// an item at once, alone; a busy one pays one call of its Func for many.
type Batcher[T, R any] struct {
	max     int
	timeout time.Duration
	do      Func[T, R]

	mu      sync.Mutex
	pending []*call[T, R]
	running bool
}

type call[T, R any] struct {
	item T
	done chan result[R]
}

type result[R any] struct {
	value R
	err   error
}

// New returns a Batcher that gives do at most size items at a time (at
// least one), with a context bounded by timeout: a batch serves several
// callers, so no single caller's context may cancel it.
func New[T, R any](size int, timeout time.Duration, do Func[T, R]) *Batcher[T, R] {
	return &Batcher[T, R]{max: max(size, 1), timeout: timeout, do: do}
}

// Do does item in a batch with the items other callers give at the same
// time, and returns its result once its batch is done. A caller whose ctx
// ends first returns ctx's error at once; its item is still done with its
// batch.
func (b *Batcher[T, R]) Do(ctx context.Context, item T) (R, error) {
	c := &call[T, R]{item: item, done: make(chan result[R], 1)}
	b.mu.Lock()
	b.pending = append(b.pending, c)
	lead := !b.running
	b.running = true
	b.mu.Unlock()
	if lead {
		b.run()
	}
	select {
	case r := <-c.done:
		return r.value, r.err
	case <-ctx.Done():
		var zero R
		return zero, ctx.Err()
	}
}

// Waiting reports how many items wait for the next batch.
func (b *Batcher[T, R]) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// run does one batch of what is waiting, then hands what arrived
// meanwhile to a new goroutine, so no caller works for others for long.
func (b *Batcher[T, R]) run() {
	b.mu.Lock()
	n := min(len(b.pending), b.max)
	calls := b.pending[:n:n]
	b.pending = b.pending[n:]
	b.mu.Unlock()

	items := make([]T, len(calls))
	for i, c := range calls {
		items[i] = c.item
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	values, err := b.do(ctx, items)
	cancel()
	for i, c := range calls {
		var r result[R]
		if r.err = err; err == nil && i < len(values) {
			r.value = values[i]
		}
		c.done <- r
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) == 0 {
		b.running = false
		b.pending = nil
		return
	}
	go b.run()
}
