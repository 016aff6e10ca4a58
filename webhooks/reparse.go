package webhooks

import (
	"context"
	"strconv"
	"time"

	"inkorg/inbox"
)

// ReparseResult counts what Reparse did.
type ReparseResult struct {
	// Deliveries is how many stored deliveries were read; Malformed how
	// many of them still do not parse.
	Deliveries int `json:"deliveries"`
	Malformed  int `json:"malformed"`
	// Events is how many events they yielded: Created changed the store,
	// Duplicates had been applied before, Dropped were refused as invalid.
	Events     int `json:"events"`
	Created    int `json:"created"`
	Duplicates int `json:"duplicates"`
	Dropped    int `json:"dropped"`
}

// Reparse parses the stored deliveries received from since (inclusive)
// until until (exclusive; zero means no end) again and applies their
// events, running the hooks, exactly as Handle does. Applying is
// idempotent, so what was applied before is counted as duplicates and
// only what the parser newly understands changes the store. It stops at
// the first store error; running it again resumes harmlessly.
func (i *Ingester) Reparse(ctx context.Context, since, until time.Time) (ReparseResult, error) {
	var res ReparseResult
	filter := inbox.RawDeliveryFilter{Since: since, Until: until, Limit: inbox.MaxPageSize}
	for {
		page, err := i.store.FindRawDeliveries(ctx, filter)
		if err != nil {
			return res, err
		}
		for _, d := range page {
			o, err := i.process(ctx, "stored:"+strconv.FormatInt(d.ID, 10), 0, d.Body, d.ReceivedAt, eventAlreadyKnown)
			res.add(o)
			if err != nil {
				return res, err
			}
		}
		if len(page) < filter.Limit {
			return res, nil
		}
		filter.AfterID = page[len(page)-1].ID
	}
}

func (r *ReparseResult) add(o outcome) {
	r.Deliveries++
	if o.malformed {
		r.Malformed++
	}
	r.Events += o.events
	r.Created += o.created
	r.Duplicates += o.duplicates
	r.Dropped += o.dropped
}
