package sender

import (
	"sync"
	"time"

	"inkorg/inbox/graph"
)

// pacer remembers, per account, what Meta's usage headers said: when calls
// may start again, and whether to space them out.
type pacer struct {
	mu       sync.Mutex
	accounts map[int64]*pace
}

type pace struct {
	until time.Time // no call before
	slow  bool      // usage above graph.SlowDownPercent
	last  time.Time // last call started
}

func newPacer() *pacer { return &pacer{accounts: map[int64]*pace{}} }

// wait returns how long to wait before calling for the account at now,
// and counts the call as started then.
func (p *pacer) wait(account int64, now time.Time, slowInterval time.Duration) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.get(account)
	start := now
	if st.until.After(start) {
		start = st.until
	}
	if st.slow && st.last.Add(slowInterval).After(start) {
		start = st.last.Add(slowInterval)
	}
	st.last = start
	return start.Sub(now)
}

// learn records what a response's usage headers said.
func (p *pacer) learn(account int64, rl graph.RateLimit, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.get(account)
	st.slow = rl.SlowDown
	if rl.WaitUntil.After(st.until) {
		st.until = rl.WaitUntil
	}
	if rl.Percent >= 100 && !rl.WaitUntil.After(now) {
		// Throttled without an estimate: stay away for a minute.
		st.until = now.Add(time.Minute)
	}
}

func (p *pacer) get(account int64) *pace {
	st, ok := p.accounts[account]
	if !ok {
		st = &pace{}
		p.accounts[account] = st
	}
	return st
}
