package inbox

import (
	"context"
	"time"
)

// RawDelivery is one signed webhook body exactly as Meta sent it, kept so
// that its events can be parsed again after a parser fix.
type RawDelivery struct {
	ID   int64  `json:"id"`
	Body []byte `json:"-"`
	// Signature is the request's X-Hub-Signature-256 value, kept for audit.
	Signature   string    `json:"signature,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	ReceivedAt  time.Time `json:"received_at"`
	CreatedAt   time.Time `json:"created_at"`
}

// RawDeliveryFilter selects stored deliveries by the time they were
// received: Since inclusive, Until exclusive, either may be zero. The list
// is ordered by ID; AfterID pages through it.
type RawDeliveryFilter struct {
	Since   time.Time
	Until   time.Time
	AfterID int64
	// Limit is the page size; the store caps it at MaxPageSize.
	Limit int
}

// RawDeliveryStore keeps raw webhook deliveries.
type RawDeliveryStore interface {
	// SaveRawDelivery stores d and sets its ID, unless a delivery with the
	// same body is stored already (Meta redelivering it); it reports
	// whether it stored d.
	SaveRawDelivery(ctx context.Context, d *RawDelivery) (bool, error)
	// SaveRawDeliveries stores several deliveries as SaveRawDelivery
	// does, in one statement: stored[i] says whether ds[i] was stored (a
	// body repeated within ds is stored once, for its first). A delivery
	// without a body is EINVALID, and then none is stored.
	SaveRawDeliveries(ctx context.Context, ds []*RawDelivery) (stored []bool, err error)
	// FindRawDeliveries returns one page of stored deliveries.
	FindRawDeliveries(ctx context.Context, filter RawDeliveryFilter) ([]*RawDelivery, error)
}
