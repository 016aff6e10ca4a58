package reconcile

import (
	"errors"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// errPaused stops an account's poll for this round: Meta's usage headers
// or a throttling error asked for fewer calls.
var errPaused = errors.New("reconcile: paused for Meta's rate limit")

// learn reads what a call's usage headers and error said and reports
// whether the account's poll should stop now. A throttled account is left
// alone until Meta's estimate (or ThrottleBackoff without one); above
// graph.SlowDownPercent the poll only stops for this round, leaving the
// rest to the next.
func (r *Reconciler) learn(a *inbox.Account, rl graph.RateLimit, err error) bool {
	now := r.cfg.Now()
	if graph.Throttled(err) || rl.Throttled(now) {
		until := rl.WaitUntil
		if !until.After(now) {
			until = now.Add(r.cfg.ThrottleBackoff)
		}
		r.mu.Lock()
		r.backoff[a.ID] = until
		r.mu.Unlock()
		return true
	}
	return rl.SlowDown
}

// pausedUntil returns when the account may be polled again; the zero time
// when it may now.
func (r *Reconciler) pausedUntil(accountID int64) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.backoff[accountID]
}
