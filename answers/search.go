package answers

import (
	"context"
	"sort"
	"strings"
)

// Search is the answer bank's full-text index. Articles are keyed by URL:
// indexing an article with a known URL replaces it. Implementations:
// answers/bleveindex (embedded) and answers/meili (Meilisearch); both pass
// answers/answerstest.
type Search interface {
	// Index adds or replaces articles.
	Index(ctx context.Context, articles ...*Article) error
	// Delete removes the articles with these URLs; unknown URLs are ignored.
	Delete(ctx context.Context, urls ...string) error
	// Search returns the best active articles for q, best first.
	Search(ctx context.Context, q Query) ([]Hit, error)
	// Count reports how many articles the index holds.
	Count(ctx context.Context) (int, error)
	// Close releases the index.
	Close() error
}

// Query is one search: free text plus optional filters.
type Query struct {
	Text string
	// Administration, when set, keeps only that administration's articles.
	Administration string
	// Language, when set, keeps only articles in that language.
	Language string
	// Limit is the number of hits wanted; 0 means DefaultLimit.
	Limit int
}

// DefaultLimit is how many hits a Query without a limit returns.
const DefaultLimit = 10

// MaxLimit caps Query.Limit.
const MaxLimit = 100

// Normalize fills the defaults of q, trims its text and filters, and
// lower-cases its language as articles store it.
func (q Query) Normalize() Query {
	q.Text = strings.TrimSpace(q.Text)
	q.Administration = strings.TrimSpace(q.Administration)
	q.Language = strings.ToLower(strings.TrimSpace(q.Language))
	switch {
	case q.Limit <= 0:
		q.Limit = DefaultLimit
	case q.Limit > MaxLimit:
		q.Limit = MaxLimit
	}
	return q
}

// Hit is one article found, with its score (higher is better, comparable
// only within one result list) and the query words it matched.
type Hit struct {
	Article *Article `json:"article"`
	Score   float64  `json:"score"`
	Matched []string `json:"matched"`
}

// QueryTerm is one stemmed term a search looks for, with the weight it
// carries: synonyms count less than the words the citizen wrote.
type QueryTerm struct {
	Term    string
	Weight  float64
	Synonym bool
}

// SynonymWeight is the share of a word's weight that its synonyms get.
const SynonymWeight = 0.6

// Plan analyzes a query text into weighted terms: the citizen's own stems
// (repeats add weight), then the synonyms they bring in.
func (a *Analyzer) Plan(text string) []QueryTerm {
	var terms []QueryTerm
	pos := map[string]int{}
	add := func(t string, w float64, syn bool) {
		if i, ok := pos[t]; ok {
			if !syn {
				terms[i].Weight += w
			}
			return
		}
		pos[t] = len(terms)
		terms = append(terms, QueryTerm{Term: t, Weight: w, Synonym: syn})
	}
	own := a.Terms(text)
	for _, t := range own {
		add(t, 1, false)
	}
	for _, t := range own {
		for _, s := range a.Synonyms().Expand(t) {
			add(s, SynonymWeight, true)
		}
	}
	return terms
}

// MatchedTerms lists the words of query (as the citizen wrote them) whose
// stem, a synonym of it, or a longer word starting with it occurs in art.
func (a *Analyzer) MatchedTerms(query string, art *Article) []string {
	have := map[string]bool{}
	for _, t := range a.Terms(art.searchText()) {
		have[t] = true
	}
	var out []string
	seen := map[string]bool{}
	// Words as written ("p-tillstånd", not the joined "ptillstånd").
	for _, w := range splitWords(strings.ToLower(query)) {
		joined := strings.ReplaceAll(w, "-", "")
		if seen[w] || a.stop[w] || a.stop[joined] || !a.matches(Stem(joined), have) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func (a *Analyzer) matches(stem string, have map[string]bool) bool {
	if have[stem] {
		return true
	}
	for _, s := range a.Synonyms().Expand(stem) {
		if have[s] {
			return true
		}
	}
	if len([]rune(stem)) < MinPrefixLen {
		return false
	}
	for t := range have {
		if strings.HasPrefix(t, stem) {
			return true
		}
	}
	return false
}

// MinPrefixLen is the shortest stem that also finds longer words starting
// with it ("parkering" finds "parkeringstillstånd").
const MinPrefixLen = 4

// searchText is all of an article's searchable text in one string.
func (a *Article) searchText() string {
	parts := []string{a.Title, a.Summary, a.Body}
	parts = append(parts, a.Keywords...)
	parts = append(parts, a.Tags...)
	parts = append(parts, a.Synonyms...)
	parts = append(parts, a.Questions...)
	return strings.Join(parts, " \n ")
}

// SortHits orders hits best first, ties by title for stable output.
func SortHits(hits []Hit) {
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Article.Title < hits[j].Article.Title
	})
}
