// Package meili is answers.Search on Meilisearch, for production: several
// inkorg instances share one index. Documents carry the answer bank's own
// Swedish analysis (stemmed terms without stop words), so Meilisearch
// ranks the same words the embedded index does, and adds its typo
// tolerance, prefix search and synonyms on top.
package meili

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"inkorg/answers"
)

var _ answers.Search = (*Index)(nil)

// DefaultIndexUID is the Meilisearch index the answer bank lives in.
const DefaultIndexUID = "inkorg_answers"

// batchSize is how many documents one Meilisearch task carries.
const batchSize = 1000

// pageSize is how many document ids one listing request reads.
var pageSize int64 = batchSize

// Options configures Open.
type Options struct {
	APIKey   string
	IndexUID string // default DefaultIndexUID
	// PollInterval is how often a pending task is checked; default 50ms.
	PollInterval time.Duration
	// HTTPClient replaces the default client (tests, timeouts).
	HTTPClient *http.Client
}

// Index is an answers.Search on one Meilisearch index.
type Index struct {
	idx  meilisearch.IndexManager
	an   *answers.Analyzer
	poll time.Duration
}

// document is one article as Meilisearch stores it.
type document struct {
	ID             string `json:"id"`
	TitleTerms     string `json:"title_terms"`
	BodyTerms      string `json:"body_terms"`
	Administration string `json:"administration"`
	Language       string `json:"language"`
	Active         bool   `json:"active"`
	Doc            string `json:"doc"`
}

// Open connects to Meilisearch at url and applies the index settings
// (searchable and filterable attributes, ranking rules, synonyms, stop
// words, typo tolerance), waiting until they are in force.
func Open(ctx context.Context, url string, an *answers.Analyzer, opt Options) (*Index, error) {
	if opt.IndexUID == "" {
		opt.IndexUID = DefaultIndexUID
	}
	if opt.PollInterval <= 0 {
		opt.PollInterval = 50 * time.Millisecond
	}
	var copts []meilisearch.Option
	if opt.APIKey != "" {
		copts = append(copts, meilisearch.WithAPIKey(opt.APIKey))
	}
	if opt.HTTPClient != nil {
		copts = append(copts, meilisearch.WithCustomClient(opt.HTTPClient))
	}
	client := meilisearch.New(url, copts...)
	x := &Index{idx: client.Index(opt.IndexUID), an: an, poll: opt.PollInterval}
	task, err := x.idx.UpdateSettingsWithContext(ctx, settings(an))
	if err != nil {
		return nil, fmt.Errorf("meili: settings: %w", err)
	}
	if err := x.wait(ctx, task); err != nil {
		return nil, fmt.Errorf("meili: settings: %w", err)
	}
	return x, nil
}

// settings are the index settings: title terms rank above body terms
// through the attribute rule; filters need their attributes declared.
func settings(an *answers.Analyzer) *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"title_terms", "body_terms"},
		FilterableAttributes: []string{"administration", "language", "active"},
		DisplayedAttributes:  []string{"id", "doc"},
		RankingRules:         []string{"words", "typo", "proximity", "attribute", "exactness"},
		StopWords:            an.StopTerms(),
		Synonyms:             synonymMap(an.Synonyms()),
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
		},
	}
}

// synonymMap turns the synonym groups into Meilisearch's stem → stems map.
func synonymMap(s *answers.Synonyms) map[string][]string {
	out := map[string][]string{}
	for _, g := range s.Groups {
		for _, e := range g {
			key := answers.EntryStem(e)
			if key == "" {
				continue
			}
			out[key] = append(out[key], s.Expand(key)...)
		}
	}
	return out
}

// wait blocks until task has finished and reports its failure.
func (x *Index) wait(ctx context.Context, info *meilisearch.TaskInfo) error {
	task, err := x.idx.WaitForTaskWithContext(ctx, info.TaskUID, x.poll)
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return fmt.Errorf("task %d %s: %s", task.UID, task.Status, task.Error.Message)
	}
	return nil
}

// DocumentID is the Meilisearch id of the article with url: ids allow only
// letters, digits, - and _, so the URL is hashed.
func DocumentID(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:16])
}

func (x *Index) toDocument(a *answers.Article) (document, error) {
	raw, err := json.Marshal(a)
	if err != nil {
		return document{}, err
	}
	body := []string{a.Summary, a.Body}
	body = append(body, a.Keywords...)
	body = append(body, a.Tags...)
	body = append(body, a.Synonyms...)
	body = append(body, a.Questions...)
	return document{
		ID:             DocumentID(a.URL),
		TitleTerms:     strings.Join(x.an.Terms(a.Title), " "),
		BodyTerms:      strings.Join(x.an.Terms(strings.Join(body, "\n")), " "),
		Administration: a.Administration, Language: a.Language, Active: a.Active,
		Doc: string(raw),
	}, nil
}

// Index adds or replaces articles in batches and waits for every task.
func (x *Index) Index(ctx context.Context, articles ...*answers.Article) error {
	if len(articles) == 0 {
		return nil
	}
	docs := make([]document, len(articles))
	for i, a := range articles {
		d, err := x.toDocument(a)
		if err != nil {
			return fmt.Errorf("meili: article %q: %w", a.URL, err)
		}
		docs[i] = d
	}
	pk := "id"
	tasks, err := x.idx.AddDocumentsInBatchesWithContext(ctx, docs, batchSize, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("meili: add documents: %w", err)
	}
	for i := range tasks {
		if err := x.wait(ctx, &tasks[i]); err != nil {
			return fmt.Errorf("meili: add documents: %w", err)
		}
	}
	return nil
}

// Delete removes the articles with these URLs.
func (x *Index) Delete(ctx context.Context, urls ...string) error {
	if len(urls) == 0 {
		return nil
	}
	ids := make([]string, len(urls))
	for i, u := range urls {
		ids[i] = DocumentID(u)
	}
	return x.deleteIDs(ctx, ids)
}

// Prune deletes the documents of every article not among arts, the whole
// stored bank, and reports how many: an article deleted, or whose URL
// changed, while an update of the shared index failed would otherwise stay
// searchable for good. Only ids listed and not kept are deleted; an
// article another instance adds meanwhile may go too, and that instance's
// next refresh indexes it again, as the bank's version moved.
func (x *Index) Prune(ctx context.Context, arts []*answers.Article) (int, error) {
	keep := make(map[string]bool, len(arts))
	for _, a := range arts {
		keep[DocumentID(a.URL)] = true
	}
	ids, err := x.documentIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("meili: list documents: %w", err)
	}
	var orphans []string
	for _, id := range ids {
		if !keep[id] {
			orphans = append(orphans, id)
		}
	}
	if len(orphans) == 0 {
		return 0, nil
	}
	if err := x.deleteIDs(ctx, orphans); err != nil {
		return 0, err
	}
	return len(orphans), nil
}

// documentIDs lists the id of every document in the index, a page at a
// time; deleting waits until all are listed, as it would shift the pages.
func (x *Index) documentIDs(ctx context.Context) ([]string, error) {
	var ids []string
	for offset := int64(0); ; {
		var page meilisearch.DocumentsResult
		q := &meilisearch.DocumentsQuery{Fields: []string{"id"}, Limit: pageSize, Offset: offset}
		if err := x.idx.GetDocumentsWithContext(ctx, q, &page); err != nil {
			return nil, err
		}
		for _, doc := range page.Results {
			var id string
			if err := json.Unmarshal(doc["id"], &id); err != nil {
				return nil, fmt.Errorf("document without a string id: %s", doc["id"])
			}
			ids = append(ids, id)
		}
		offset += int64(len(page.Results))
		if len(page.Results) == 0 || offset >= page.Total {
			return ids, nil
		}
	}
}

// deleteIDs deletes the documents with ids and waits for the task.
func (x *Index) deleteIDs(ctx context.Context, ids []string) error {
	task, err := x.idx.DeleteDocumentsWithContext(ctx, ids, nil)
	if err != nil {
		return fmt.Errorf("meili: delete: %w", err)
	}
	if err := x.wait(ctx, task); err != nil {
		return fmt.Errorf("meili: delete: %w", err)
	}
	return nil
}

// Count reports the number of documents in the index.
func (x *Index) Count(ctx context.Context) (int, error) {
	st, err := x.idx.GetStatsWithContext(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("meili: stats: %w", err)
	}
	return int(st.NumberOfDocuments), nil
}

// Close releases nothing: the client holds no open resources.
func (x *Index) Close() error { return nil }

// Search sends the query's stemmed terms; Meilisearch applies synonyms,
// typo tolerance and prefix matching on the last word.
func (x *Index) Search(ctx context.Context, q answers.Query) ([]answers.Hit, error) {
	q = q.Normalize()
	terms := x.an.Terms(q.Text)
	if len(terms) == 0 {
		return nil, nil
	}
	req := &meilisearch.SearchRequest{
		Limit:                int64(q.Limit),
		Filter:               Filter(q),
		AttributesToRetrieve: []string{"doc"},
		ShowRankingScore:     true,
		MatchingStrategy:     meilisearch.Last,
	}
	res, err := x.idx.SearchWithContext(ctx, strings.Join(terms, " "), req)
	if err != nil {
		return nil, fmt.Errorf("meili: search: %w", err)
	}
	hits := make([]answers.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		hit, err := x.decodeHit(h, q.Text)
		if err != nil {
			return nil, err
		}
		hits = append(hits, hit)
	}
	return hits, nil
}

func (x *Index) decodeHit(h meilisearch.Hit, text string) (answers.Hit, error) {
	var raw string
	if err := json.Unmarshal(h["doc"], &raw); err != nil {
		return answers.Hit{}, errors.New("meili: search: hit without stored article")
	}
	var a answers.Article
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		return answers.Hit{}, fmt.Errorf("meili: stored article: %w", err)
	}
	var score float64
	if s, ok := h["_rankingScore"]; ok {
		if err := json.Unmarshal(s, &score); err != nil {
			return answers.Hit{}, fmt.Errorf("meili: ranking score: %w", err)
		}
	}
	return answers.Hit{Article: &a, Score: score, Matched: x.an.MatchedTerms(text, &a)}, nil
}

// Filter is the Meilisearch filter for q: active articles, and the
// administration and language when given, as escaped string literals.
func Filter(q answers.Query) string {
	parts := []string{"active = true"}
	if q.Administration != "" {
		parts = append(parts, "administration = "+quote(q.Administration))
	}
	if q.Language != "" {
		parts = append(parts, "language = "+quote(q.Language))
	}
	return strings.Join(parts, " AND ")
}

// quote makes s a Meilisearch filter string literal: in double quotes,
// with backslashes and double quotes escaped.
func quote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}
