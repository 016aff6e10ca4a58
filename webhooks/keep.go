package webhooks

import (
	"context"
	"sync"
	"time"

	"inkorg/inbox"
)

// maxKeepBatch is the most deliveries kept in one statement.
const maxKeepBatch = 64

// keepTimeout bounds one batch's statement: it serves several workers, so
// no single worker's context may cancel it.
const keepTimeout = 30 * time.Second

// rawKeeper keeps raw deliveries for the ingest workers, several in one
// statement and commit when several workers keep one at the same time: a
// worker that finds no batch being written writes what is waiting, and
// the deliveries that arrive meanwhile go in the next batch. An idle
// worker's delivery is written at once, alone; a busy ingest commits once
// for many.
type rawKeeper struct {
	store inbox.RawDeliveryStore

	mu      sync.Mutex
	pending []*keepRequest
	writing bool
}

type keepRequest struct {
	d    *inbox.RawDelivery
	done chan error
}

// keep stores d, in a batch with the deliveries other workers keep at the
// same time, and returns once it is stored (or known stored before).
func (k *rawKeeper) keep(ctx context.Context, d *inbox.RawDelivery) error {
	r := &keepRequest{d: d, done: make(chan error, 1)}
	k.mu.Lock()
	k.pending = append(k.pending, r)
	lead := !k.writing
	k.writing = true
	k.mu.Unlock()
	if lead {
		k.write()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		// The batch goes on without this worker; the queue delivers the
		// delivery again, and keeping it again stores nothing twice.
		return ctx.Err()
	}
}

// write writes one batch of what is waiting, then hands what arrived
// meanwhile to a new writer, so no worker writes for others for long.
func (k *rawKeeper) write() {
	k.mu.Lock()
	n := min(len(k.pending), maxKeepBatch)
	batch := k.pending[:n:n]
	k.pending = k.pending[n:]
	k.mu.Unlock()

	ds := make([]*inbox.RawDelivery, len(batch))
	for i, r := range batch {
		ds[i] = r.d
	}
	ctx, cancel := context.WithTimeout(context.Background(), keepTimeout)
	_, err := k.store.SaveRawDeliveries(ctx, ds)
	cancel()
	for _, r := range batch {
		r.done <- err
	}

	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.pending) == 0 {
		k.writing = false
		k.pending = nil
		return
	}
	go k.write()
}
