package routing

import (
	"slices"
	"strings"
)

// companyOwnQuestion is the confidence the rest of a question must reach,
// with the names of unrouted companies blanked out, to be routed as that
// rest: "the tram to Liseberg was late again" is Västtrafik's, but "when
// does Liseberg open" has nothing but the name, and "how do I buy tickets
// for Stadsteatern" only a word the arenas' company has too.
const companyOwnQuestion = 0.9

// placeWords before a company's name make it a place, not the company:
// "a parking fine I got at (vid) Liseberg" is about parking.
var placeWords = toSet(`vid nära bakom utanför framför mittemot intill bredvid runt mot förbi
	ovanför nedanför near outside behind opposite`)

// companyMatcher finds the names of the city's companies that are no
// routing target (see Unrouted).
type companyMatcher struct {
	routeTo string
	// phrases are the names as lower-case words; first holds each
	// phrase's first word, to pass over texts that name none cheaply.
	phrases [][]string
	first   []string
}

// newCompanyMatcher returns the matcher of a's unrouted companies, or nil
// when it lists none.
func newCompanyMatcher(a *Administrations) *companyMatcher {
	if a.unrouted == nil || len(a.unrouted.Companies) == 0 {
		return nil
	}
	m := &companyMatcher{routeTo: a.unrouted.RouteTo}
	for _, c := range a.unrouted.Companies {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			var words []string
			for _, tok := range tokenize(n) {
				words = append(words, tok.word)
			}
			m.phrases = append(m.phrases, words)
			m.first = append(m.first, words[0])
		}
	}
	return m
}

// find returns the byte ranges of the company names in text, matched as
// whole words, the last of which may take a genitive s ("Lisebergs"),
// and not after a place word.
func (m *companyMatcher) find(text string) [][2]int {
	if m == nil {
		return nil
	}
	lower := strings.ToLower(text)
	if !slices.ContainsFunc(m.first, func(w string) bool { return strings.Contains(lower, w) }) {
		return nil
	}
	toks := tokenize(text)
	var out [][2]int
	for i := range toks {
		if i > 0 && placeWords[toks[i-1].word] {
			continue
		}
		for _, p := range m.phrases {
			if n := matchName(toks[i:], p); n > 0 {
				out = append(out, [2]int{toks[i].start, toks[i+n-1].end})
			}
		}
	}
	return out
}

// matchName returns how many tokens the name's words match at the start
// of toks, or 0.
func matchName(toks []token, name []string) int {
	if len(toks) < len(name) {
		return 0
	}
	for j, w := range name {
		if toks[j].word != w && (j < len(name)-1 || toks[j].word != w+"s") {
			return 0
		}
	}
	return len(name)
}

// classify classifies a question. One that names a company that is no
// routing target is classified without the name; unless that rest is
// clearly a target's, the question is about the company (company true).
func (t *Triager) classify(question string) (scores []Score, company bool) {
	c := t.classifier.Load()
	names := t.companies.find(question)
	if len(names) == 0 {
		return c.Classify(question), false
	}
	rest := []byte(question)
	for _, n := range names {
		for i := n[0]; i < n[1]; i++ {
			rest[i] = ' '
		}
	}
	scores = c.Classify(string(rest))
	return scores, scores[0].Confidence < companyOwnQuestion
}

// routeCompany sends a question about one of the city's companies that
// are no routing target to the target that finds who answers, needing a
// person.
func (t *Triager) routeCompany(scores []Score, r *Result) {
	to := t.companies.routeTo
	i := slices.IndexFunc(scores, func(s Score) bool { return s.Administration == to })
	r.Administration, r.Confidence, r.NeedsHuman, r.Referral = to, round3(scores[i].Confidence), true, ""
	r.Alternatives = alternativesBut(scores, to)
}
