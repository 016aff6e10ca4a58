package routing

import (
	"fmt"
	"io"
	"sort"

	"inkorg/inbox"
)

// Labelled is one question with the answer a person gave it.
type Labelled struct {
	Text           string `json:"text"`
	Administration string `json:"administration"`
	// URLs are the goteborg.se links that answer the question; a
	// suggestion among the top three that is one of them is a hit.
	URLs []string `json:"urls"`
}

// Evaluation sums up how triage did on labelled questions.
type Evaluation struct {
	Total int
	Top1  int
	Top3  int
	// Linked counts questions with URLs; LinkHits those where a top-3
	// suggestion was one of them.
	Linked   int
	LinkHits int
	// LinksMeasured is false when no answer bank suggested links, so
	// link hit@3 was not measured.
	LinksMeasured bool
	// Rules is how many admin-defined rules were tried before the
	// classifier; ByRule counts the questions one of them decided.
	Rules, ByRule int
	// PerAdministration holds precision and recall counts by target id.
	PerAdministration map[string]*ClassCounts
	// Confusions counts (expected, predicted) pairs where top-1 was wrong.
	Confusions map[[2]string]int
}

// ClassCounts are the counts behind one target's precision and recall.
type ClassCounts struct {
	TruePositive, FalsePositive, FalseNegative int
}

// NewEvaluation returns an empty evaluation.
func NewEvaluation() *Evaluation {
	return &Evaluation{PerAdministration: make(map[string]*ClassCounts), Confusions: make(map[[2]string]int)}
}

// Add records one labelled question and its triage.
func (ev *Evaluation) Add(l Labelled, r *Result) {
	ev.Total++
	if r.Rule != nil {
		ev.ByRule++
	}
	got := r.Administration
	if got == l.Administration {
		ev.Top1++
		ev.class(got).TruePositive++
	} else {
		ev.class(got).FalsePositive++
		ev.class(l.Administration).FalseNegative++
		ev.Confusions[[2]string{l.Administration, got}]++
	}
	if got == l.Administration || hasAlternative(r.Alternatives, l.Administration) {
		ev.Top3++
	}
	if len(l.URLs) > 0 {
		ev.Linked++
		if linkHit(r.Suggestions, l.URLs) {
			ev.LinkHits++
		}
	}
}

func (ev *Evaluation) class(id string) *ClassCounts {
	c, ok := ev.PerAdministration[id]
	if !ok {
		c = &ClassCounts{}
		ev.PerAdministration[id] = c
	}
	return c
}

func hasAlternative(alts []inbox.Alternative, id string) bool {
	for i, a := range alts {
		if i < 2 && a.Administration == id {
			return true
		}
	}
	return false
}

func linkHit(sugs []Suggestion, urls []string) bool {
	for i, s := range sugs {
		if i >= 3 {
			break
		}
		for _, u := range urls {
			if s.URL == u {
				return true
			}
		}
	}
	return false
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// Report writes the evaluation as a plain-text report.
func (ev *Evaluation) Report(w io.Writer) {
	fmt.Fprintf(w, "questions: %d\n", ev.Total)
	fmt.Fprintf(w, "top-1 accuracy: %.1f %% (%d/%d)\n", 100*ratio(ev.Top1, ev.Total), ev.Top1, ev.Total)
	fmt.Fprintf(w, "top-3 accuracy: %.1f %% (%d/%d)\n", 100*ratio(ev.Top3, ev.Total), ev.Top3, ev.Total)
	switch {
	case !ev.LinksMeasured:
		fmt.Fprintf(w, "link hit@3: not measured (no answer bank configured)\n")
	case ev.Linked == 0:
		fmt.Fprintf(w, "link hit@3: not measured (no labelled links)\n")
	default:
		fmt.Fprintf(w, "link hit@3: %.1f %% (%d/%d)\n", 100*ratio(ev.LinkHits, ev.Linked), ev.LinkHits, ev.Linked)
	}
	fmt.Fprintf(w, "rules: %d tried before the classifier, deciding %d questions\n", ev.Rules, ev.ByRule)
	fmt.Fprintf(w, "\n%-32s %9s %9s %8s\n", "administration", "precision", "recall", "support")
	ids := make([]string, 0, len(ev.PerAdministration))
	for id := range ev.PerAdministration {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := ev.PerAdministration[id]
		support := c.TruePositive + c.FalseNegative
		fmt.Fprintf(w, "%-32s %9.2f %9.2f %8d\n", id,
			ratio(c.TruePositive, c.TruePositive+c.FalsePositive), ratio(c.TruePositive, support), support)
	}
	ev.reportConfusions(w)
}

func (ev *Evaluation) reportConfusions(w io.Writer) {
	type pair struct {
		k [2]string
		n int
	}
	pairs := make([]pair, 0, len(ev.Confusions))
	for k, n := range ev.Confusions {
		pairs = append(pairs, pair{k, n})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].n != pairs[j].n {
			return pairs[i].n > pairs[j].n
		}
		return pairs[i].k[0]+pairs[i].k[1] < pairs[j].k[0]+pairs[j].k[1]
	})
	fmt.Fprintf(w, "\nconfusions (expected -> predicted): %d\n", len(pairs))
	for _, p := range pairs {
		fmt.Fprintf(w, "  %s -> %s: %d\n", p.k[0], p.k[1], p.n)
	}
}
