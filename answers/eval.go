package answers

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// DevQuestion is one labelled citizen question: the answer bank covers it
// when URLs is not empty.
type DevQuestion struct {
	Text           string   `json:"text"`
	Administration string   `json:"administration"`
	Topic          string   `json:"topic"`
	URLs           []string `json:"urls"`
}

// ReadJSONLines decodes one JSON value per non-empty line of r into T.
func ReadJSONLines[T any](r io.Reader) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// LinkEval is the outcome of a link evaluation: how many questions had a
// right URL among the top K suggestions.
type LinkEval struct {
	K, Hits, Total int
}

// Rate is Hits/Total, 0 when there were no questions.
func (e LinkEval) Rate() float64 {
	if e.Total == 0 {
		return 0
	}
	return float64(e.Hits) / float64(e.Total)
}

// EvalLinks suggests k articles for every question with URLs (without an
// administration filter) and counts the questions with a right one.
func EvalLinks(ctx context.Context, s Search, qs []DevQuestion, k int) (LinkEval, error) {
	ev := LinkEval{K: k}
	for _, q := range qs {
		if len(q.URLs) == 0 {
			continue
		}
		ev.Total++
		hits, err := s.Search(ctx, Query{Text: q.Text, Limit: k})
		if err != nil {
			return ev, err
		}
		if anyURL(hits, q.URLs) {
			ev.Hits++
		}
	}
	return ev, nil
}

// anyURL reports whether a hit is one of urls, however either is spelt.
func anyURL(hits []Hit, urls []string) bool {
	for _, h := range hits {
		for _, u := range urls {
			if canonicalOrSame(h.Article.URL) == canonicalOrSame(u) {
				return true
			}
		}
	}
	return false
}

// FAQItem is one SweFAQ line: a question, its category's answers and the
// index of the right one.
type FAQItem struct {
	CategoryID       int      `json:"category_id"`
	Question         string   `json:"question"`
	CandidateAnswers []string `json:"candidate_answers"`
	Label            int      `json:"label"`
}

// RankEval is the outcome of ranking FAQ answers: accuracy@1.
type RankEval struct {
	Correct, Total int
}

// Accuracy is Correct/Total, 0 when there were no items.
func (e RankEval) Accuracy() float64 {
	if e.Total == 0 {
		return 0
	}
	return float64(e.Correct) / float64(e.Total)
}

// RankFAQ ranks every item's candidate answers for its question and
// counts the items whose right answer comes first. Each category's answers
// (SweFAQ gives every question of a category the same candidates) go into
// one index from newIndex, with the same analysis and scoring the answer
// bank uses, so term statistics describe what tells those answers apart.
func RankFAQ(ctx context.Context, items []FAQItem, newIndex func() (Search, error)) (RankEval, error) {
	var ev RankEval
	indexes := map[int]Search{}
	defer func() {
		for _, s := range indexes {
			s.Close()
		}
	}()
	for i, it := range items {
		if it.Label < 0 || it.Label >= len(it.CandidateAnswers) {
			return ev, fmt.Errorf("item %d: label %d outside the %d candidates", i+1, it.Label, len(it.CandidateAnswers))
		}
		s, ok := indexes[it.CategoryID]
		if !ok {
			var err error
			if s, err = categoryIndex(ctx, it, newIndex); err != nil {
				return ev, fmt.Errorf("item %d: %w", i+1, err)
			}
			indexes[it.CategoryID] = s
		}
		// Ask for every candidate, so a reranking index sees them all.
		hits, err := s.Search(ctx, Query{Text: it.Question, Limit: len(it.CandidateAnswers)})
		if err != nil {
			return ev, fmt.Errorf("item %d: %w", i+1, err)
		}
		ev.Total++
		if len(hits) > 0 && hits[0].Article.URL == candidateURL(it.CategoryID, it.CandidateAnswers[it.Label]) {
			ev.Correct++
		}
	}
	return ev, nil
}

func categoryIndex(ctx context.Context, it FAQItem, newIndex func() (Search, error)) (Search, error) {
	s, err := newIndex()
	if err != nil {
		return nil, err
	}
	arts := make([]*Article, len(it.CandidateAnswers))
	for i, ans := range it.CandidateAnswers {
		arts[i] = &Article{URL: candidateURL(it.CategoryID, ans), Body: ans, Administration: categoryID(it.CategoryID), Language: "sv", Active: true}
	}
	if err := s.Index(ctx, arts...); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func categoryID(id int) string { return "swefaq-" + strconv.Itoa(id) }

// candidateURL names an answer by its category and a hash of its text.
func candidateURL(category int, answer string) string {
	sum := sha256.Sum256([]byte(answer))
	return fmt.Sprintf("https://swefaq.invalid/%d/%s", category, hex.EncodeToString(sum[:8]))
}
