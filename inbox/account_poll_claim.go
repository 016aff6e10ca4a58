package inbox

import (
	"context"
	"time"
)

// AccountPollClaimStore shares the reconciliation poll between instances:
// each round of an account's poll is claimed first, so only one instance
// polls it, and Meta's throttling seen by one instance holds for all.
type AccountPollClaimStore interface {
	// ClaimAccountPoll claims the account's poll for instance until until
	// and reports whether it got the claim: it does unless another
	// instance's claim lasts past now, or the poll is paused past now
	// (see PauseAccountPoll). The instance holding the claim may renew it.
	// An unknown account is not claimed.
	ClaimAccountPoll(ctx context.Context, accountID int64, instance string, now, until time.Time) (bool, error)
	// PauseAccountPoll leaves the account's poll alone until until, on
	// every instance; an earlier until than the stored one changes
	// nothing.
	PauseAccountPoll(ctx context.Context, accountID int64, until time.Time) error
}
