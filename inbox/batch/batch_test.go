package batch

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder records the batches it is given and answers each item with
// its upper case; the first batch waits until gate is closed.
type recorder struct {
	gate chan struct{}
	err  error

	mu      sync.Mutex
	batches [][]string
}

func (r *recorder) do(ctx context.Context, items []string) ([]string, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, errors.New("batch without a deadline")
	}
	sorted := slices.Clone(items)
	slices.Sort(sorted)
	r.mu.Lock()
	first := len(r.batches) == 0
	r.batches = append(r.batches, sorted)
	r.mu.Unlock()
	if first {
		<-r.gate
	}
	if r.err != nil {
		return nil, r.err
	}
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = strings.ToUpper(s)
	}
	return out, nil
}

func (r *recorder) seen() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
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

type answer struct {
	item, got string
	err       error
}

// start gives first alone, waits until its batch is being done, then
// gives the others, and waits until they all wait for the next batch.
func start(t *testing.T, b *Batcher[string, string], r *recorder, first string, others ...string) chan answer {
	t.Helper()
	answers := make(chan answer, 1+len(others))
	do := func(item string) {
		got, err := b.Do(context.Background(), item)
		answers <- answer{item, got, err}
	}
	go do(first)
	waitFor(t, "the first batch", func() bool { return len(r.seen()) == 1 })
	for _, item := range others {
		go do(item)
	}
	waitFor(t, "the others waiting", func() bool { return b.Waiting() == len(others) })
	return answers
}

// TestBatches: items given while a batch is done go in the next batch,
// together, and each caller gets its own item's result.
func TestBatches(t *testing.T) {
	r := &recorder{gate: make(chan struct{})}
	b := New(64, time.Second, r.do)
	answers := start(t, b, r, "a", "b", "c", "d", "e", "f")

	// A caller that gives up while its item waits returns at once; the
	// item is still done with the batch.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Do(ctx, "g"); !errors.Is(err, context.Canceled) {
		t.Errorf("Do with a cancelled context: got %v, want context.Canceled", err)
	}

	close(r.gate)
	for range 6 {
		a := <-answers
		if a.err != nil || a.got != strings.ToUpper(a.item) {
			t.Errorf("Do(%q): got %q, %v, want %q", a.item, a.got, a.err, strings.ToUpper(a.item))
		}
	}
	want := [][]string{{"a"}, {"b", "c", "d", "e", "f", "g"}}
	waitFor(t, "the second batch", func() bool { return len(r.seen()) == 2 })
	if got := r.seen(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("batches %v, want %v", got, want)
	}

	// Idle again: the next item is done at once, alone.
	if got, err := b.Do(context.Background(), "h"); err != nil || got != "H" {
		t.Fatalf("Do(h): got %q, %v, want H", got, err)
	}
	if got := r.seen(); len(got) != 3 || !slices.Equal(got[2], []string{"h"}) {
		t.Errorf("batches %v, want a third of h alone", got)
	}
}

// TestBatchSize: no batch is larger than the size; what does not fit goes
// in the batch after.
func TestBatchSize(t *testing.T) {
	r := &recorder{gate: make(chan struct{})}
	b := New(2, time.Second, r.do)
	answers := start(t, b, r, "a", "b", "c", "d", "e", "f")
	close(r.gate)
	for range 6 {
		if a := <-answers; a.err != nil {
			t.Errorf("Do(%q): %v", a.item, a.err)
		}
	}
	got := r.seen()
	if len(got) != 4 || !slices.Equal(got[0], []string{"a"}) {
		t.Fatalf("batches %v, want a alone, then b to f in three", got)
	}
	var rest []string
	for _, batch := range got[1:] {
		if len(batch) > 2 {
			t.Errorf("batches %v, want none of more than 2", got)
		}
		rest = append(rest, batch...)
	}
	slices.Sort(rest)
	if !slices.Equal(rest, []string{"b", "c", "d", "e", "f"}) {
		t.Errorf("batches %v, want b to f done once each", got)
	}
}

// TestBatchError: every caller of a batch that fails gets the error.
func TestBatchError(t *testing.T) {
	down := errors.New("database down")
	r := &recorder{gate: make(chan struct{}), err: down}
	b := New(64, time.Second, r.do)
	answers := start(t, b, r, "a", "b", "c")
	close(r.gate)
	for range 3 {
		if a := <-answers; !errors.Is(a.err, down) || a.got != "" {
			t.Errorf("Do(%q): got %q, %v, want %v", a.item, a.got, a.err, down)
		}
	}
}

// TestShortResults: an item the Func gives no result for gets the zero
// value.
func TestShortResults(t *testing.T) {
	b := New(8, time.Second, func(context.Context, []int) ([]int, error) { return nil, nil })
	if got, err := b.Do(context.Background(), 7); got != 0 || err != nil {
		t.Errorf("Do: got %d, %v, want 0, nil", got, err)
	}
}
