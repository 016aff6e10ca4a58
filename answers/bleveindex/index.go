// Package bleveindex is the embedded answers.Search: a bleve index in the
// data dir, with the answer bank's Swedish analysis, prefix and typo
// tolerant matching, a title boost and query-time synonyms.
package bleveindex

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // the "custom" analyzer type
	"github.com/blevesearch/bleve/v2/analysis/token/reverse"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"inkorg/answers"
)

var _ answers.Search = (*Index)(nil)

// Query weights, tuned on general principles and checked on the dev
// sets: a whole-word match counts most, in the title three times more; a
// word the query's stem starts (compound modifier), ends (compound head) or
// shares its first PrefixLen characters with counts half, as does a part of
// a compound the query has; one typo less.
const (
	titleBoost   = 3.0
	bodyBoost    = 1.0
	prefixBoost  = 0.5
	suffixBoost  = 0.5
	fuzzyBoost   = 0.3
	partBoost    = 0.5
	minSuffixLen = 5
	minFuzzyLen  = 5 // shorter words have too many neighbours one edit away
	// maxFuzzyLen is the longest word looked for with a typo. bleve's typo
	// automaton grows with the word and fails the whole search past a few
	// thousand letters (a held key, pasted data in a comment); no word of
	// the language is near this long.
	maxFuzzyLen = 64
)

// bm25B is BM25's length normalisation. Lower than the usual 0.75: a long
// answer is usually long because it covers more, not because it rambles.
const bm25B = 0.25

func init() {
	// bleve exposes its BM25 parameters only as package variables.
	search.BM25_b = bm25B
}

const (
	batchSize       = 500
	storedField     = "doc"
	indexedTitle    = "title"
	indexedBody     = "body"
	indexedBodyPref = "body_prefix"
	indexedBodyRev  = "body_reversed"
)

// Index is an answers.Search on bleve.
type Index struct {
	idx bleve.Index
	an  *answers.Analyzer
	// changes counts the batches written; vocab is the body field's
	// vocabulary as of one of them, rebuilt when a search finds it old.
	changes atomic.Uint64
	vocab   atomic.Pointer[vocabulary]
}

// vocabulary maps every term of the body field to the number of articles
// holding it, as of a number of changes.
type vocabulary struct {
	changes uint64
	count   map[string]int
}

// document is what bleve indexes for one article.
type document struct {
	Title          string `json:"title"`
	Body           string `json:"body"`
	BodyPrefix     string `json:"body_prefix"`
	BodyReversed   string `json:"body_reversed"`
	Administration string `json:"administration"`
	Language       string `json:"language"`
	Active         bool   `json:"active"`
	Doc            string `json:"doc"`
}

// NewMemory returns an index held in memory, for tests and evaluation.
func NewMemory(an *answers.Analyzer) (*Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	// Scorch, as on disk, so the memory index scores with BM25 as well.
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	return &Index{idx: idx, an: an}, nil
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	if err := m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type": "custom", "tokenizer": tokenizerName,
	}); err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	if err := m.AddCustomAnalyzer(prefixAnalyzerName, map[string]any{
		"type": "custom", "tokenizer": tokenizerName, "token_filters": []any{prefixFilterName},
	}); err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	if err := m.AddCustomAnalyzer(reversedAnalyzerName, map[string]any{
		"type": "custom", "tokenizer": tokenizerName, "token_filters": []any{reverse.Name},
	}); err != nil {
		return nil, fmt.Errorf("bleveindex: %w", err)
	}
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	keyword := bleve.NewKeywordFieldMapping()
	keyword.Store = false
	keyword.IncludeInAll = false
	stored := bleve.NewTextFieldMapping()
	stored.Index = false
	stored.IncludeInAll = false
	stored.IncludeTermVectors = false
	active := bleve.NewBooleanFieldMapping()
	active.Store = false
	active.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(indexedTitle, text(analyzerName))
	doc.AddFieldMappingsAt(indexedBody, text(analyzerName))
	doc.AddFieldMappingsAt(indexedBodyPref, text(prefixAnalyzerName))
	doc.AddFieldMappingsAt(indexedBodyRev, text(reversedAnalyzerName))
	doc.AddFieldMappingsAt("administration", keyword)
	doc.AddFieldMappingsAt("language", keyword)
	doc.AddFieldMappingsAt("active", active)
	doc.AddFieldMappingsAt(storedField, stored)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzerName
	return m, nil
}

func toDocument(a *answers.Article) (document, error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return document{}, err
	}
	// The body holds the title too, so the costlier partial matches need
	// to look in one field only.
	body := a.Title + "\n" + a.Summary + "\n" + a.Body
	for _, list := range [][]string{a.Keywords, a.Tags, a.Synonyms, a.Questions} {
		for _, w := range list {
			body += "\n" + w
		}
	}
	return document{
		Title: a.Title, Body: body, BodyPrefix: body, BodyReversed: body,
		Administration: a.Administration, Language: a.Language, Active: a.Active,
		Doc: string(raw),
	}, nil
}

// Index adds or replaces articles, in batches.
func (x *Index) Index(ctx context.Context, articles ...*answers.Article) error {
	b := x.idx.NewBatch()
	for _, a := range articles {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := toDocument(a)
		if err != nil {
			return fmt.Errorf("bleveindex: article %q: %w", a.URL, err)
		}
		if err := b.Index(a.URL, d); err != nil {
			return fmt.Errorf("bleveindex: article %q: %w", a.URL, err)
		}
		if b.Size() >= batchSize {
			if err := x.batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return x.batch(b)
}

// batch writes b and marks the vocabulary old.
func (x *Index) batch(b *bleve.Batch) error {
	defer x.changes.Add(1)
	if err := x.idx.Batch(b); err != nil {
		return fmt.Errorf("bleveindex: %w", err)
	}
	return nil
}

// Delete removes the articles with these URLs.
func (x *Index) Delete(ctx context.Context, urls ...string) error {
	b := x.idx.NewBatch()
	for _, u := range urls {
		b.Delete(u)
	}
	return x.batch(b)
}

// Count reports the number of indexed articles.
func (x *Index) Count(ctx context.Context) (int, error) {
	n, err := x.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("bleveindex: %w", err)
	}
	return int(n), nil
}

// Close closes the index.
func (x *Index) Close() error { return x.idx.Close() }

// Search runs q: every query term (and its synonyms) is looked for as a
// whole word in the title and the body, and in the body as the start or the
// end of a longer word, by its first PrefixLen characters, and, when no
// article has it and it is no longer than maxFuzzyLen, with one typo.
func (x *Index) Search(ctx context.Context, q answers.Query) ([]answers.Hit, error) {
	q = q.Normalize()
	plan := x.an.Plan(q.Text)
	if len(plan) == 0 {
		return nil, nil
	}
	req := bleve.NewSearchRequestOptions(x.buildQuery(plan, x.compoundParts(plan), q), q.Limit, 0, false)
	req.Fields = []string{storedField}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: search: %w", err)
	}
	hits := make([]answers.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		raw, ok := h.Fields[storedField].(string)
		if !ok {
			return nil, errors.New("bleveindex: search: hit without stored article")
		}
		var a answers.Article
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			return nil, fmt.Errorf("bleveindex: stored article %q: %w", h.ID, err)
		}
		hits = append(hits, answers.Hit{Article: &a, Score: h.Score, Matched: x.an.MatchedTerms(q.Text, &a)})
	}
	return hits, nil
}

func (x *Index) buildQuery(plan, parts []answers.QueryTerm, q answers.Query) query.Query {
	var should []query.Query
	for _, t := range plan {
		should = append(should, x.termQueries(t)...)
	}
	// Compound parts as whole words only: their prefixes and endings are
	// the compound's own.
	for _, t := range parts {
		for _, f := range []struct {
			name  string
			boost float64
		}{{indexedTitle, titleBoost}, {indexedBody, bodyBoost}} {
			tq := bleve.NewTermQuery(t.Term)
			tq.SetField(f.name)
			tq.SetBoost(f.boost * t.Weight)
			should = append(should, tq)
		}
	}
	match := bleve.NewDisjunctionQuery(should...)
	must := []query.Query{match}
	active := bleve.NewBoolFieldQuery(true)
	active.SetField("active")
	must = append(must, active)
	if q.Administration != "" {
		must = append(must, keywordQuery("administration", q.Administration))
	}
	if q.Language != "" {
		must = append(must, keywordQuery("language", q.Language))
	}
	return bleve.NewConjunctionQuery(must...)
}

// compoundParts returns the parts of the citizen's compound words that the
// articles know (answers.Decompound) and the query does not have already,
// each with partBoost of its word's weight: "sophämtningen" also finds
// "hämtning av sopor".
func (x *Index) compoundParts(plan []answers.QueryTerm) []answers.QueryTerm {
	have := make(map[string]bool, len(plan))
	for _, t := range plan {
		have[t.Term] = true
	}
	var out []answers.QueryTerm
	for _, t := range plan {
		if t.Synonym {
			continue
		}
		for _, p := range answers.Decompound(t.Term, x.docCount) {
			if !have[p] {
				have[p] = true
				out = append(out, answers.QueryTerm{Term: p, Weight: partBoost * t.Weight, Synonym: true})
			}
		}
	}
	return out
}

// docCount reports how many articles hold term (the body field holds the
// title too).
func (x *Index) docCount(term string) int { return x.vocabulary()[term] }

// known reports whether term occurs in any article: only unknown words get
// typo matching, by far the costliest part of a query.
func (x *Index) known(term string) bool { return x.docCount(term) > 0 }

// vocabulary returns the body field's document counts by term, read from
// the index once after every change: a search looks up many words (each
// query word, and the parts of its compounds), and a map is far cheaper
// than the index's term dictionary for that.
func (x *Index) vocabulary() map[string]int {
	changes := x.changes.Load()
	if v := x.vocab.Load(); v != nil && v.changes == changes {
		return v.count
	}
	count := map[string]int{}
	d, err := x.idx.FieldDict(indexedBody)
	if err != nil {
		return count // an index that cannot be read finds nothing anyway
	}
	defer d.Close()
	for {
		e, err := d.Next()
		if err != nil {
			return count // not kept: the next search tries again
		}
		if e == nil {
			break
		}
		count[e.Term] = int(e.Count)
	}
	x.vocab.Store(&vocabulary{changes: changes, count: count})
	return count
}

func (x *Index) termQueries(t answers.QueryTerm) []query.Query {
	var out []query.Query
	term := func(field, value string, boost float64) {
		tq := bleve.NewTermQuery(value)
		tq.SetField(field)
		tq.SetBoost(boost * t.Weight)
		out = append(out, tq)
	}
	term(indexedTitle, t.Term, titleBoost)
	term(indexedBody, t.Term, bodyBoost)
	term(indexedBodyPref, prefixOf(t.Term), bodyBoost*prefixBoost)
	n := len([]rune(t.Term))
	if n >= answers.MinPrefixLen {
		pq := bleve.NewPrefixQuery(t.Term)
		pq.SetField(indexedBody)
		pq.SetBoost(prefixBoost * t.Weight)
		out = append(out, pq)
	}
	if n >= minSuffixLen {
		sq := bleve.NewPrefixQuery(reversed(t.Term))
		sq.SetField(indexedBodyRev)
		sq.SetBoost(suffixBoost * t.Weight)
		out = append(out, sq)
	}
	if n >= minFuzzyLen && n <= maxFuzzyLen && !x.known(t.Term) {
		fq := bleve.NewFuzzyQuery(t.Term)
		fq.SetField(indexedBody)
		fq.SetFuzziness(1)
		fq.SetPrefix(1) // typos in the first letter are rare; this prunes most of the dictionary
		fq.SetBoost(fuzzyBoost * t.Weight)
		out = append(out, fq)
	}
	return out
}

func keywordQuery(field, value string) query.Query {
	tq := bleve.NewTermQuery(value)
	tq.SetField(field)
	return tq
}

func reversed(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
