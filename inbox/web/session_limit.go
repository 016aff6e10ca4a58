package web

import (
	"net/netip"
	"sync"
	"time"
)

// Default login rate limit per client address: a burst, then one attempt
// per interval. The lockout per user name is in the database and holds
// across instances; this limit keeps one address from trying many names,
// and is kept in memory, so it holds per instance. The burst lets a whole
// office behind one address sign in at the start of a shift.
const (
	DefaultLoginEvery = 2 * time.Second
	DefaultLoginBurst = 30
	// limiterMax bounds the addresses remembered.
	limiterMax = 10000
)

// loginLimiter is a token bucket per client address.
type loginLimiter struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLoginLimiter(every time.Duration, burst int) *loginLimiter {
	return &loginLimiter{every: every, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes one attempt from addr's bucket and reports whether there was
// one.
func (l *loginLimiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[addr]
	if !ok {
		if len(l.buckets) >= limiterMax {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.burst), at: now}
		l.buckets[addr] = b
	}
	b.tokens += float64(now.Sub(b.at)) / float64(l.every)
	if b.tokens > float64(l.burst) {
		b.tokens = float64(l.burst)
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// prune forgets the buckets that are full again.
func (l *loginLimiter) prune(now time.Time) {
	full := time.Duration(l.burst) * l.every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
}

// ipv6Prefix is how much of an IPv6 address names one client: a /64 is
// what one line or network gets, and its owner picks any address in it.
const ipv6Prefix = 64

// addressKey returns the client address ip as sign-ins are limited and
// locked by it: an IPv4 address (also one mapped into IPv6) as it is, an
// IPv6 address as its /64; anything else as it is.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	return netip.PrefixFrom(a, ipv6Prefix).Masked().String()
}
