package answers

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"log/slog"
	"maps"
	"slices"
	"time"
)

// VersionStore tells whether the answer bank changed and lists it with
// the questions it was used for.
type VersionStore interface {
	// Version is a number every change of the answer bank increases.
	Version(ctx context.Context) (int64, error)
	// ListArticles returns every article, active or not, ordered by URL.
	ListArticles(ctx context.Context) ([]*Article, error)
}

// QuestionSource gives the citizen questions agents answered with each
// article, by URL: the quality loop's training text.
type QuestionSource interface {
	UsedQuestions(ctx context.Context) (map[string][]string, error)
}

// Refresher keeps a search index equal to the stored answer bank while the
// server runs: it polls the bank's version and, when it moved (an import on
// the command line, an editor on another instance, a reply that used an
// article), indexes what changed and deletes what was removed.
type Refresher struct {
	Store  VersionStore
	Search Search
	Logger *slog.Logger

	version int64
	indexed map[string][32]byte // URL → hash of what was indexed
}

// ArticlesWithQuestions lists the stored articles with their learnt
// questions when st is also a QuestionSource.
func ArticlesWithQuestions(ctx context.Context, st VersionStore) ([]*Article, error) {
	arts, err := st.ListArticles(ctx)
	if err != nil {
		return nil, err
	}
	qs, ok := st.(QuestionSource)
	if !ok {
		return arts, nil
	}
	used, err := qs.UsedQuestions(ctx)
	if err != nil {
		return nil, err
	}
	byPage := questionsByPage(used)
	for _, a := range arts {
		a.Questions = byPage[canonicalOrSame(a.URL)]
	}
	return arts, nil
}

// questionsByPage merges the questions recorded under spellings of one
// page's URL (a use recorded before an editor saved the article's URL in
// canonical form), in an order that does not change between calls.
func questionsByPage(used map[string][]string) map[string][]string {
	urls := slices.Sorted(maps.Keys(used))
	out := make(map[string][]string, len(used))
	for _, u := range urls {
		c := canonicalOrSame(u)
		out[c] = append(out[c], used[u]...)
	}
	return out
}

// canonicalOrSame is CanonicalURL of u, or u itself when it has none.
func canonicalOrSame(u string) string {
	if c, err := CanonicalURL(u); err == nil {
		return c
	}
	return u
}

// Start records the version and the articles the index was built from,
// so the first Refresh changes only what changed since.
func (r *Refresher) Start(version int64, arts []*Article) {
	r.version = version
	r.indexed = make(map[string][32]byte, len(arts))
	for _, a := range arts {
		r.indexed[a.URL] = articleHash(a)
	}
}

// Refresh brings the index up to date when the version moved, and reports
// how many articles it indexed and deleted.
func (r *Refresher) Refresh(ctx context.Context) (indexed, deleted int, err error) {
	v, err := r.Store.Version(ctx)
	if err != nil || v == r.version {
		return 0, 0, err
	}
	arts, err := ArticlesWithQuestions(ctx, r.Store)
	if err != nil {
		return 0, 0, err
	}
	next := make(map[string][32]byte, len(arts))
	var changed []*Article
	for _, a := range arts {
		h := articleHash(a)
		next[a.URL] = h
		if old, ok := r.indexed[a.URL]; !ok || old != h {
			changed = append(changed, a)
		}
	}
	var gone []string
	for url := range r.indexed {
		if _, ok := next[url]; !ok {
			gone = append(gone, url)
		}
	}
	if len(changed) > 0 {
		if err := r.Search.Index(ctx, changed...); err != nil {
			return 0, 0, err
		}
	}
	if len(gone) > 0 {
		if err := r.Search.Delete(ctx, gone...); err != nil {
			return len(changed), 0, err
		}
	}
	r.version, r.indexed = v, next
	return len(changed), len(gone), nil
}

// Run refreshes every interval until ctx ends; failures are logged and
// retried at the next tick.
func (r *Refresher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, d, err := r.Refresh(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			r.log().Warn("answer index refresh failed", "err", err)
		case n+d > 0:
			r.log().Info("answer index refreshed", "indexed", n, "deleted", d)
		}
	}
}

func (r *Refresher) log() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func articleHash(a *Article) [32]byte {
	b, _ := json.Marshal(struct {
		*Article
		Questions []string
	}{a, a.Questions})
	return sha256.Sum256(b)
}
