package webhooks

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"inkorg/inbox"
)

// batchStore records the batches of deliveries it is asked to keep; the
// first waits until gate is closed, when there is a gate.
type batchStore struct {
	inbox.RawDeliveryStore
	gate chan struct{}
	err  error

	mu      sync.Mutex
	batches [][]string
}

func (s *batchStore) SaveRawDeliveries(_ context.Context, ds []*inbox.RawDelivery) ([]bool, error) {
	bodies := make([]string, len(ds))
	for i, d := range ds {
		bodies[i] = string(d.Body)
	}
	slices.Sort(bodies)
	s.mu.Lock()
	first := len(s.batches) == 0
	s.batches = append(s.batches, bodies)
	s.mu.Unlock()
	if first && s.gate != nil {
		<-s.gate
	}
	return make([]bool, len(ds)), s.err
}

func (s *batchStore) seen() [][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.batches)
}

// waitFor polls cond until it holds; a condition that never holds fails
// the test instead of hanging it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never got %s", what)
		}
	}
}

// keep keeps a delivery of body with k.
func keep(ctx context.Context, k *rawKeeper, body string) error {
	_, err := k.Do(ctx, &inbox.RawDelivery{Body: []byte(body)})
	return err
}

// TestRawKeeperBatches: deliveries kept while a batch is written go in the
// next batch, together, and each worker hears how its own went.
func TestRawKeeperBatches(t *testing.T) {
	store := &batchStore{gate: make(chan struct{})}
	k := newRawKeeper(store)
	errs := make(chan error, 6)
	go func() { errs <- keep(context.Background(), k, "a") }()
	waitFor(t, "the first batch", func() bool { return len(store.seen()) == 1 })
	for _, b := range []string{"b", "c", "d", "e", "f"} {
		go func() { errs <- keep(context.Background(), k, b) }()
	}
	waitFor(t, "five deliveries waiting", func() bool { return k.Waiting() == 5 })

	// A worker that gives up while its delivery waits returns at once; the
	// delivery is still kept with the batch.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := keep(ctx, k, "g"); !errors.Is(err, context.Canceled) {
		t.Errorf("keep with a cancelled context: got %v, want context.Canceled", err)
	}

	close(store.gate)
	for range 6 {
		if err := <-errs; err != nil {
			t.Errorf("keep: %v", err)
		}
	}
	want := [][]string{{"a"}, {"b", "c", "d", "e", "f", "g"}}
	waitFor(t, "the second batch", func() bool { return len(store.seen()) == 2 })
	if got := store.seen(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("batches %v, want %v", got, want)
	}

	// Idle again: the next delivery is written at once, alone.
	if err := keep(context.Background(), k, "h"); err != nil {
		t.Fatal(err)
	}
	if got := store.seen(); len(got) != 3 || !slices.Equal(got[2], []string{"h"}) {
		t.Errorf("batches %v, want a third of h alone", got)
	}
}

// TestRawKeeperError: every worker of a batch that fails gets the error,
// so each delivery comes round again.
func TestRawKeeperError(t *testing.T) {
	down := errors.New("database down")
	store := &batchStore{gate: make(chan struct{}), err: down}
	k := newRawKeeper(store)
	errs := make(chan error, 3)
	for _, b := range []string{"a", "b", "c"} {
		go func() { errs <- keep(context.Background(), k, b) }()
		if b == "a" {
			waitFor(t, "the first batch", func() bool { return len(store.seen()) == 1 })
		}
	}
	waitFor(t, "two deliveries waiting", func() bool { return k.Waiting() == 2 })
	close(store.gate)
	for range 3 {
		if err := <-errs; !errors.Is(err, down) {
			t.Errorf("keep: got %v, want %v", err, down)
		}
	}
}
