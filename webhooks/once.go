package webhooks

import "sync"

// maxLoggedOnce bounds the keys an Ingester remembers as logged. Past it,
// new keys are no longer logged (they are still counted in metrics), so a
// flood of odd shapes cannot grow memory or the log without bound.
const maxLoggedOnce = 4096

// onceSet tells whether a key is seen for the first time, remembering at
// most max keys.
type onceSet struct {
	mu   sync.Mutex
	seen map[string]struct{}
	max  int
}

func newOnceSet(max int) *onceSet {
	return &onceSet{seen: make(map[string]struct{}), max: max}
}

// first reports whether key was not seen before, and remembers it.
func (s *onceSet) first(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[key]; ok || len(s.seen) >= s.max {
		return false
	}
	s.seen[key] = struct{}{}
	return true
}
