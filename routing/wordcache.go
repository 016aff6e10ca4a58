package routing

import (
	"sync"
	"sync/atomic"
)

// maxCachedWords bounds the word cache: citizens' words follow Zipf's law,
// so the common ones fit, and text made of endless new words cannot grow
// the process without limit.
const maxCachedWords = 50_000

// wordCache keeps the evidence of words already classified, so a word's
// stems, compound parts and n-grams are looked up once. It is safe for
// concurrent use.
type wordCache struct {
	m sync.Map // string → *evidence
	n atomic.Int64
}

func newWordCache() *wordCache { return &wordCache{} }

func (wc *wordCache) get(w string) (*evidence, bool) {
	e, ok := wc.m.Load(w)
	if !ok {
		return nil, false
	}
	return e.(*evidence), true
}

// put keeps e for w unless the cache is full.
func (wc *wordCache) put(w string, e *evidence) {
	if wc.n.Load() >= maxCachedWords {
		return
	}
	if _, loaded := wc.m.LoadOrStore(w, e); !loaded {
		wc.n.Add(1)
	}
}
