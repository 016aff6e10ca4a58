package webhooks

import (
	"time"

	"inkorg/inbox"
	group "inkorg/inbox/batch"
)

// maxKeepBatch is the most deliveries kept in one statement.
const maxKeepBatch = 64

// keepTimeout bounds one batch's statement.
const keepTimeout = 30 * time.Second

// rawKeeper keeps raw deliveries for the ingest workers, several in one
// statement and commit when several workers keep one at the same time.
// An idle worker's delivery is written at once, alone; a busy ingest
// commits once for many. A worker whose context ends while its delivery
// waits returns at once: the queue delivers it again, and keeping it
// again stores nothing twice.
type rawKeeper = group.Batcher[*inbox.RawDelivery, bool]

// newRawKeeper returns the keeper of the raw deliveries in store.
func newRawKeeper(store inbox.RawDeliveryStore) *rawKeeper {
	return group.New(maxKeepBatch, keepTimeout, store.SaveRawDeliveries)
}
